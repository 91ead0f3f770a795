//! PDF writer: the official filing copy (GB/T 9704-2012 page and type, CJK fonts embedded as
//! subsets, tagged, PDF/A-2b by default, bookmarks for the six sections, byte-identical output
//! for identical input).
//!
//! Pipeline: `fonts` loads and checks a face per role → `paginate` lays the [`Document`]
//! out on the GB/T 9704 page (`page`, from [`crate::style`]) into positioned frames
//! (`frame`), setting text with `shaping` and `linebreak` → the outlines of the glyphs
//! used are checked → `write` serializes the frames with krilla (`messages` words its
//! refusals). Panics inside the font
//! libraries are caught at this boundary (`guard`).

pub(crate) mod fonts;
pub(crate) mod frame;
pub(crate) mod guard;
pub(crate) mod linebreak;
pub(crate) mod messages;
pub(crate) mod pack;
pub(crate) mod page;
pub(crate) mod paginate;
pub(crate) mod shaping;
pub(crate) mod write;

use crate::layout::Document;
use crate::options::{ExportError, ExportOptions, Output};
use std::collections::BTreeSet;

/// Writes the document as PDF.
///
/// # Errors
///
/// [`ExportError::Font`] when a font cannot be read, fails its checks or makes a font library
/// fail (the message names the file); [`ExportError::Writer`] when the file would break the
/// chosen standard (each broken rule in words) or a limit of the format.
pub fn write(doc: &Document, opts: &ExportOptions) -> Result<Output, ExportError> {
    let set = fonts::FontSet::shared(opts)?;
    match guard::catch(|| write_with(doc, opts, &set)) {
        Ok(result) => result,
        Err(panic) => {
            let files: Vec<String> = set.faces().iter().map(fonts::Face::label).collect();
            Err(ExportError::Font(format!(
                "字体库在处理这些字体时出错：{} (a font library failed on one of these fonts: {panic})",
                files.join(", ")
            )))
        }
    }
}

/// Lays out, checks and serializes with loaded fonts.
fn write_with(
    doc: &Document,
    opts: &ExportOptions,
    set: &fonts::FontSet,
) -> Result<Output, ExportError> {
    let glyphs = fonts::Glyphs::new(set);
    let laid = paginate::typeset(doc, &glyphs);
    let used: BTreeSet<(fonts::FaceId, u16, char)> = laid
        .pages
        .iter()
        .flat_map(|p| &p.lines)
        .flat_map(|l| &l.glyphs)
        .map(|g| (g.face, g.gid, g.text))
        .collect();
    glyphs.check_outlines(&used)?;
    let mut warnings = laid.warnings.clone();
    let missing = glyphs.missing();
    if !missing.is_empty() {
        let list: Vec<String> = missing
            .iter()
            .map(|c| format!("“{c}” (U+{:04X})", *c as u32))
            .collect();
        warnings.push(format!(
            "PDF: 没有任何字体含有这些字符，已以 □ 代替显示（文本中仍保留原字符）: {} (no font has these characters; drawn as □ with the original text kept)",
            list.join(", ")
        ));
    }
    let before = krilla::nianbao_patch::set_threads(!opts.single_thread);
    let bytes = write::serialize(doc, &laid, set, opts);
    krilla::nianbao_patch::set_threads(before);
    Ok(Output {
        bytes: bytes?,
        warnings,
    })
}
