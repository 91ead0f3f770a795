//! Shaping and line setting: text of a role mapped to glyphs at a size (on the character grid
//! or at natural widths), then broken into lines and aligned ([`super::linebreak`] decides
//! where lines may break). Produces the glyph rows that layout positions on the page.

use super::fonts::{FaceId, Glyphs};
use super::frame::PlacedGlyph;
use super::linebreak;
use crate::style::{Alignment, FontRole};
use crate::text::is_wide;

/// A shaped character: glyph, natural width and flags.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Shaped {
    /// The character.
    pub ch: char,
    /// Face.
    pub face: FaceId,
    /// Glyph.
    pub gid: u16,
    /// Width in points.
    pub width: f32,
}

/// Whether [`shape`] keeps a character: control and invisible format characters (CR,
/// zero-width space, BOM…) print nothing; line breaks and tabs stay.
pub(crate) fn shaped_char(c: char) -> bool {
    c == '\n'
        || c == '\t'
        || !(c.is_control() || matches!(c, '\u{200B}'..='\u{200F}' | '\u{2060}' | '\u{FEFF}'))
}

/// Maps text to glyphs of a role at a size. With `grid`, full-width glyphs advance by the grid
/// pitch instead of their em (so 28 ideographs fill the 156 mm line exactly).
pub(crate) fn shape(
    fonts: &Glyphs,
    role: FontRole,
    text: &str,
    size: f32,
    grid: Option<f32>,
) -> Vec<Shaped> {
    let chars: Vec<char> = text
        .chars()
        .filter(|&c| shaped_char(c))
        .map(|c| if c == '\t' { ' ' } else { c })
        .collect();
    // a Latin word (pinyin with tone marks…) is set in one face: the first of the chain that
    // has all its letters
    let is_letter = |c: char| c.is_alphabetic() && !is_wide(c);
    let mut prefer = vec![None; chars.len()];
    let mut i = 0;
    while i < chars.len() {
        if !is_letter(chars[i]) {
            i += 1;
            continue;
        }
        let j = (i..chars.len())
            .find(|&k| !is_letter(chars[k]))
            .unwrap_or(chars.len());
        let face = fonts.word_face(role, &chars[i..j]);
        prefer[i..j].iter_mut().for_each(|p| *p = face);
        i = j;
    }
    chars
        .iter()
        .zip(prefer)
        .map(|(&ch, prefer)| {
            if ch == '\n' {
                return Shaped {
                    ch,
                    face: 0,
                    gid: 0,
                    width: 0.0,
                };
            }
            let m = fonts.map_in(role, ch, prefer);
            let natural = m.advance * size;
            let width = match grid {
                Some(p) if m.advance >= 0.99 => m.advance * p,
                _ => natural,
            };
            Shaped {
                ch,
                face: m.face,
                gid: m.gid,
                width,
            }
        })
        .collect()
}

/// Sets text into lines of `width` (first line indented by `indent`), returning per line the
/// placed glyphs relative to x = 0.
pub(crate) fn set_text(
    shaped: &[Shaped],
    width: f32,
    indent: f32,
    alignment: Alignment,
) -> Vec<Vec<PlacedGlyph>> {
    let chars: Vec<char> = shaped.iter().map(|s| s.ch).collect();
    let widths: Vec<f32> = shaped.iter().map(|s| s.width).collect();
    let text: String = chars.iter().collect();
    let breaks = linebreak::opportunities(&text);
    let ranges = linebreak::fill(&chars, &widths, &breaks, width - indent, width);
    let forced = &breaks.forced;
    let last = ranges.len().saturating_sub(1);
    ranges
        .into_iter()
        .enumerate()
        .map(|(li, r)| {
            let x0 = if li == 0 { indent } else { 0.0 };
            let avail = if li == 0 { width - indent } else { width };
            let run = &shaped[r.clone()];
            let natural: f32 = run.iter().map(|s| s.width).sum();
            let ends_paragraph = li == last
                || forced.get(r.end).copied().unwrap_or(false)
                || chars.get(r.end) == Some(&'\n');
            // stretchable gaps: after glyph j when either side is CJK or a space
            let gaps: Vec<bool> = (0..run.len().saturating_sub(1))
                .map(|j| {
                    let (a, b) = (run[j].ch, run[j + 1].ch);
                    is_wide(a) || is_wide(b) || a == ' ' || b == ' '
                })
                .collect();
            let n_gaps = gaps.iter().filter(|g| **g).count();
            let slack = avail - natural;
            let (start, extra) = match alignment {
                Alignment::Justify if !ends_paragraph && n_gaps > 0 && slack > 0.0 => {
                    (x0, slack / n_gaps as f32)
                }
                Alignment::Center => (x0 + slack.max(0.0) / 2.0, 0.0),
                Alignment::Right => (x0 + slack.max(0.0), 0.0),
                _ => (x0, 0.0),
            };
            let mut x = start;
            let mut out = Vec::with_capacity(run.len());
            for (j, s) in run.iter().enumerate() {
                if s.ch != '\n' {
                    out.push(PlacedGlyph {
                        face: s.face,
                        gid: s.gid,
                        x,
                        advance: s.width,
                        text: s.ch,
                    });
                }
                x += s.width;
                if j < gaps.len() && gaps[j] {
                    x += extra;
                }
            }
            out
        })
        .collect()
}

/// Shifts glyphs horizontally.
pub(crate) fn shift(glyphs: Vec<PlacedGlyph>, dx: f32) -> Vec<PlacedGlyph> {
    glyphs
        .into_iter()
        .map(|mut g| {
            g.x += dx;
            g
        })
        .collect()
}
