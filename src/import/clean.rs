//! `--clean`: gives back what the agency wrote when a web converter changed it — removes the
//! pinyin put after characters (`區(qū)` → `區`) and converts traditional characters to
//! simplified (fast2s, a character table with the context rules that keep `乾隆` and turn
//! `乾淨` into `干净`). Prose, sub-headings, free tables, headings, title and agency are cleaned;
//! the statutory numbers are untouched.

use super::normalize::pinyin_annotation_len;
use crate::report::{Block, FreeTable, Report};

fn has_tone_mark(s: &[char]) -> bool {
    s.iter()
        .any(|c| "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹḿ".contains(*c))
}

/// Removes converter pinyin: a parenthesised run of lower-case pinyin letters with a tone mark
/// right after a Han character. `(试行)`, `(一)`, `(APP)` and `(qu)` without a tone stay.
pub fn strip_pinyin(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    while i < chars.len() {
        let n = pinyin_annotation_len(&chars, i);
        if n > 0 && has_tone_mark(&chars[i + 1..i + n - 1]) {
            i += n;
            continue;
        }
        out.push(chars[i]);
        i += 1;
    }
    out
}

/// Cleans one text: pinyin removed, traditional → simplified.
pub fn clean_text(s: &str) -> String {
    crate::text::to_simplified(&strip_pinyin(s))
}

fn clean_blocks(blocks: &[Block]) -> Vec<Block> {
    blocks
        .iter()
        .map(|b| match b {
            Block::Paragraph(p) => Block::Paragraph(clean_text(p)),
            Block::Heading(h) => Block::Heading(clean_text(h)),
            Block::Table(t) => Block::Table(FreeTable {
                rows: t
                    .rows
                    .iter()
                    .map(|r| r.iter().map(|c| clean_text(c)).collect())
                    .collect(),
                header_rows: t.header_rows,
            }),
        })
        .collect()
}

/// A copy of the report with converter artifacts removed from its text; numbers unchanged. A
/// published heading that becomes the template's wording is dropped from `headings`.
pub fn clean(report: &Report) -> Report {
    let mut r = report.clone();
    r.agency = clean_text(&report.agency);
    r.title = report.title.as_deref().map(clean_text);
    let template = report.template();
    r.headings = report
        .headings
        .iter()
        .map(|(k, v)| (k.clone(), clean_text(v)))
        .filter(|(k, v)| template.section(k).is_none_or(|s| s.heading != *v))
        .collect();
    r.preamble = clean_blocks(&report.preamble);
    r.overview = clean_blocks(&report.overview);
    r.problems = clean_blocks(&report.problems);
    r.other = clean_blocks(&report.other);
    r
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pinyin_with_tones_goes_other_brackets_stay() {
        assert_eq!(strip_pinyin("坡頭區(qū)教育局"), "坡頭區教育局");
        assert_eq!(
            strip_pinyin("公開(kāi)(試行)(一)平台(app)"),
            "公開(試行)(一)平台(app)"
        );
        assert_eq!(
            clean_text("三、收到和處(chǔ)理政府信息公開(kāi)申請(qǐng)情況"),
            "三、收到和处理政府信息公开申请情况"
        );
        assert_eq!(
            clean_text("2023年,坡頭區(qū)教育局37件"),
            "2023年,坡头区教育局37件"
        );
    }
}
