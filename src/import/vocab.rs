//! The importer's non-statutory words (numbering, blank-cell markers, units, metadata keys,
//! the shape of titles and dates), read from `vocabulary.json` beside this file. Statutory
//! labels come from the templates; nothing Chinese is spelled in the importer's code.

use serde::Deserialize;
use std::sync::OnceLock;

/// The vocabulary file's contents.
#[derive(Debug, Deserialize)]
pub(crate) struct Vocabulary {
    /// Chinese numerals used in ordinals (一、 （一）), in order of value.
    pub numerals: String,
    /// Cell texts that mean "left blank".
    pub blank_markers: Vec<String>,
    /// Units written after a number in a cell.
    pub units: Vec<String>,
    /// The word a report title ends with.
    pub title_end: String,
    /// The words a title ends with after the agency's name, longest first.
    pub title_suffixes: Vec<String>,
    /// What follows a four-digit year in a title (`年度`, `年`), longest first.
    pub year_suffixes: Vec<String>,
    /// The year, month and day marks of a Chinese date.
    pub date_marks: Vec<String>,
    /// Keys that introduce a title (`标题：`).
    pub title_keys: Vec<String>,
    /// Keys that introduce a publication date (`发布日期：`).
    pub date_keys: Vec<String>,
    /// Keys that introduce the publishing agency (`发布机构：`).
    pub author_keys: Vec<String>,
    /// `<meta name>` values that carry the title.
    pub meta_title: Vec<String>,
    /// `<meta name>` values that carry the publication date.
    pub meta_published: Vec<String>,
    /// `<meta name>` values that carry the publishing agency.
    pub meta_author: Vec<String>,
    /// Words on the separator line between a crawler's header and the body.
    pub body_markers: Vec<String>,
    /// The agency name used when neither the source nor the options give one.
    pub unknown_agency: String,
    /// `numerals` as characters (filled after reading: a slice compare is several times
    /// cheaper than searching the string, and headings test every character of a block).
    #[serde(skip)]
    numeral_chars: Vec<char>,
    /// The smallest and largest of `numeral_chars` (an empty range when there are none).
    #[serde(skip)]
    numeral_range: (char, char),
}

/// The vocabulary, parsed once.
pub(crate) fn vocab() -> &'static Vocabulary {
    static V: OnceLock<Vocabulary> = OnceLock::new();
    V.get_or_init(|| {
        // A broken bundled vocabulary is a build defect, caught by every import test.
        let mut v: Vocabulary = serde_json::from_str(include_str!("vocabulary.json"))
            .unwrap_or_else(|e| panic!("src/import/vocabulary.json is invalid: {e}"));
        v.numeral_chars = v.numerals.chars().collect();
        v.numeral_range = (
            v.numeral_chars.iter().copied().min().unwrap_or(char::MAX),
            v.numeral_chars.iter().copied().max().unwrap_or('\0'),
        );
        v
    })
}

impl Vocabulary {
    /// Whether a character is a Chinese numeral of the ordinals.
    pub fn is_numeral(&self, c: char) -> bool {
        // Most characters tested are other CJK ones: the numerals' range rules them out first.
        let (lo, hi) = self.numeral_range;
        c >= lo && c <= hi && self.numeral_chars.contains(&c)
    }

    /// Whether a cell text (trimmed) means "left blank".
    pub fn is_blank_marker(&self, s: &str) -> bool {
        s.is_empty() || self.blank_markers.iter().any(|m| m == s)
    }
}
