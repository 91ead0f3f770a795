//! The faces the document asks for, one per role, and `word/fontTable.xml`, which tells Word and
//! WPS what each face is (panose class, charset 86 = GB2312, family, pitch) so that a machine
//! without it substitutes a face of the same class (see docs/docx.md).

use super::xml::{Xml, XmlError};
use crate::options::{ExportError, ExportOptions, FontRole};

/// East-Asian font names as Word and WPS know them (see docs/docx.md for the choice).
pub mod names {
    /// Body and table text.
    pub const FANG: &str = "仿宋_GB2312";
    /// Title.
    pub const TITLE: &str = "方正小标宋简体";
    /// Level-1 headings and table header rows.
    pub const HEI: &str = "黑体";
    /// Level-2 headings.
    pub const KAI: &str = "楷体_GB2312";
    /// Page numbers.
    pub const SONG: &str = "宋体";
    /// Latin letters and digits in body text.
    pub const LATIN: &str = "Times New Roman";
}

/// The font family names the document uses, one per role. By default the faces GB/T 9704
/// documents use (see docs/docx.md); a `--font ROLE=PATH` override names the family of that
/// file instead, so the DOCX asks for the same face the PDF embeds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Faces {
    /// 小标宋 title.
    pub title: String,
    /// 仿宋 body and table text.
    pub body: String,
    /// 黑体 level-1 headings and table headers.
    pub heading: String,
    /// 楷体 level-2 headings.
    pub kai: String,
    /// 宋体 page numbers.
    pub song: String,
}

impl Default for Faces {
    fn default() -> Faces {
        Faces {
            title: names::TITLE.into(),
            body: names::FANG.into(),
            heading: names::HEI.into(),
            kai: names::KAI.into(),
            song: names::SONG.into(),
        }
    }
}

impl Faces {
    /// The defaults with the `--font` overrides applied.
    ///
    /// # Errors
    /// [`ExportError::Font`] when an override file cannot be read or is not a font.
    pub fn from_options(opts: &ExportOptions) -> Result<Faces, ExportError> {
        let mut f = Faces::default();
        for (role, path) in &opts.fonts {
            let slot = match role {
                FontRole::Title => &mut f.title,
                FontRole::Body => &mut f.body,
                FontRole::Heading => &mut f.heading,
                FontRole::Kai => &mut f.kai,
                FontRole::Song => &mut f.song,
            };
            *slot = family_name(path)
                .map_err(|e| ExportError::Font(format!("--font {role}={}: {e}", path.display())))?;
        }
        Ok(f)
    }
}

/// The family name of a font file: the Chinese name if the file has one (what Word and WPS
/// show on a Chinese system), else the English one, else the first.
///
/// # Errors
/// A message (Chinese and English) when the file cannot be read, is not a font, or has no
/// family name.
pub fn family_name(path: &std::path::Path) -> Result<String, String> {
    use skrifa::raw::FileRef;
    use skrifa::{string::StringId, MetadataProvider};
    let data = std::fs::read(path).map_err(|e| format!("无法读取 (cannot read): {e}"))?;
    let font = match FileRef::new(&data).map_err(|e| format!("不是字体文件 (not a font): {e}"))?
    {
        FileRef::Font(f) => f,
        FileRef::Collection(c) => c
            .get(0)
            .map_err(|e| format!("字体集合 (collection): {e}"))?,
    };
    let mut names: Vec<(String, String)> = Vec::new();
    // The legacy family (name ID 1) is what Word on Windows selects fonts by.
    for id in [StringId::FAMILY_NAME, StringId::TYPOGRAPHIC_FAMILY_NAME] {
        names.extend(font.localized_strings(id).map(|s| {
            (
                s.language().unwrap_or("").to_ascii_lowercase(),
                s.to_string().trim().to_string(),
            )
        }));
        names.retain(|(_, n)| !n.is_empty());
        if !names.is_empty() {
            break;
        }
    }
    let pick = |prefix: &str| names.iter().find(|(l, _)| l.starts_with(prefix));
    pick("zh")
        .or_else(|| pick("en"))
        .or(names.first())
        .map(|(_, n)| n.clone())
        .ok_or_else(|| "字体没有族名 (no family name)".to_string())
}

/// What the font table records about one face: the substitution data Word uses when the face
/// is missing.
struct FontEntry<'a> {
    name: &'a str,
    /// `w:altName`: a comma-separated list of faces to try, in order, when this one is missing
    /// (ECMA-376 Part 1, 17.8.3.1), before substituting by panose and charset. For the GB2312
    /// faces, which stock Windows 10/11 lacks, these are the faces it ships: 仿宋/FangSong,
    /// 楷体/KaiTi, and 宋体/SimSun for the title's 方正小标宋简体.
    alt: &'a str,
    panose: &'a str,
    charset: &'a str,
    family: &'a str,
    pitch: &'a str,
}

/// `word/fontTable.xml`: every face the styles name, once, in role order.
pub fn font_table(faces: &Faces) -> Result<Vec<u8>, XmlError> {
    // (the face, the default it replaces, the default's entry)
    let entries = [
        (
            faces.body.as_str(),
            names::FANG,
            FontEntry {
                name: "",
                alt: "仿宋,FangSong",
                panose: "02010609030101010101",
                charset: "86",
                family: "modern",
                pitch: "fixed",
            },
        ),
        (
            faces.title.as_str(),
            names::TITLE,
            FontEntry {
                name: "",
                alt: "宋体,SimSun",
                panose: "02000000000000000000",
                charset: "86",
                family: "script",
                pitch: "variable",
            },
        ),
        (
            faces.heading.as_str(),
            names::HEI,
            FontEntry {
                name: "",
                alt: "SimHei",
                panose: "02010609060101010101",
                charset: "86",
                family: "modern",
                pitch: "fixed",
            },
        ),
        (
            faces.kai.as_str(),
            names::KAI,
            FontEntry {
                name: "",
                alt: "楷体,KaiTi",
                panose: "02010609030101010101",
                charset: "86",
                family: "modern",
                pitch: "fixed",
            },
        ),
        (
            faces.song.as_str(),
            names::SONG,
            FontEntry {
                name: "",
                alt: "SimSun",
                panose: "02010600030101010101",
                charset: "86",
                family: "auto",
                pitch: "variable",
            },
        ),
        (
            names::LATIN,
            names::LATIN,
            FontEntry {
                name: "",
                alt: "",
                panose: "02020603050405020304",
                charset: "00",
                family: "roman",
                pitch: "variable",
            },
        ),
    ];
    let mut x = Xml::new();
    x.start(
        "w:fonts",
        &[("xmlns:w", super::NS_W), ("xmlns:r", super::NS_R)],
    );
    let mut seen: Vec<&str> = Vec::new();
    for (face, default, data) in &entries {
        if seen.contains(face) {
            continue;
        }
        seen.push(face);
        let e = FontEntry {
            name: face,
            ..*data
        };
        // The alternative names belong to the default face only, not to a face the user chose
        // with --font.
        let alt = if face == default { e.alt } else { "" };
        x.start("w:font", &[("w:name", e.name)]);
        if !alt.is_empty() {
            x.empty("w:altName", &[("w:val", alt)]);
        }
        x.empty("w:panose1", &[("w:val", e.panose)])
            .empty("w:charset", &[("w:val", e.charset)])
            .empty("w:family", &[("w:val", e.family)])
            .empty("w:pitch", &[("w:val", e.pitch)])
            .end("w:font");
    }
    x.end("w:fonts");
    x.finish()
}
