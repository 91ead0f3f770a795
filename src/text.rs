//! Text normalisation for comparing prose with the templates: web converters turn reports into
//! traditional characters and append pinyin to some of them (`區(qū)`). Validation compares the
//! normalised text so such a report is still checked; the report itself is never changed.

use regex::Regex;
use std::sync::OnceLock;

/// Removes pinyin annotations that follow a Han character, e.g. `區(qū)` → `區`.
pub fn strip_pinyin(s: &str) -> String {
    static RE: OnceLock<Regex> = OnceLock::new();
    let re = RE.get_or_init(|| {
        Regex::new(r"(\p{Han})\([a-zA-Zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹḿ]+\)").expect("valid regex")
    });
    re.replace_all(s, "$1").into_owned()
}

/// Converts traditional characters to simplified ones.
pub fn to_simplified(s: &str) -> String {
    fast2s::convert(s)
}

/// Whether a text carries converter artifacts (traditional characters or pinyin annotations).
pub fn has_conversion_artifacts(s: &str) -> bool {
    normalize(s) != s
}

/// Normalises text for comparison: pinyin annotations removed, traditional → simplified,
/// half-width brackets and colons → full-width, whitespace removed.
pub fn normalize(s: &str) -> String {
    to_simplified(&strip_pinyin(s))
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '(' => '（',
            ')' => '）',
            _ => c,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seed_artifacts_normalise_to_the_template_wording() {
        assert_eq!(normalize("一、總體情況"), "一、总体情况");
        assert_eq!(
            normalize("三、收到和處理政府信息公開(kāi)申請(qǐng)情況"),
            "三、收到和处理政府信息公开申请情况"
        );
        assert_eq!(strip_pinyin("坡頭區(qū)教育局"), "坡頭區教育局");
        assert_eq!(normalize("第二十条第(一)项"), "第二十条第（一）项");
        assert!(!has_conversion_artifacts("一、总体情况"));
        assert!(has_conversion_artifacts("無(wú)"));
    }
}
