//! Reading an Office Open XML package (a `.docx` or `.xlsx` zip) safely: entry count, each
//! part's and the whole package's uncompressed size are capped while decompressing (a zip bomb
//! declares small sizes and inflates to gigabytes), encrypted files and the old binary formats
//! are named as such, and each XML part's nesting is checked before it is parsed into a tree.

use crate::import::{ImportError, SourceKind};
use std::io::{Cursor, Read};

/// Most entries in a package (a report's `.docx` has about 15, a workbook a few dozen).
pub const MAX_ENTRIES: usize = 10_000;
/// Largest uncompressed part read (bytes).
pub const MAX_PART: u64 = 64 << 20;
/// Largest uncompressed total read from one package (bytes).
pub const MAX_TOTAL: u64 = 256 << 20;
/// Deepest XML element nesting accepted (Word nests tables in text boxes in tables a few
/// dozen levels deep at most).
pub const MAX_XML_DEPTH: usize = 256;
/// Most XML nodes parsed from one part.
pub const MAX_XML_NODES: u32 = 20_000_000;

const OLE_MAGIC: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// Whether the bytes are an OLE2 compound file holding an encrypted Office Open XML package (what
/// Word, Excel and WPS write when a file is saved with a password to open).
pub fn is_encrypted_ooxml(bytes: &[u8]) -> bool {
    if !bytes.starts_with(&OLE_MAGIC) {
        return false;
    }
    let pat: Vec<u8> = "EncryptedPackage"
        .encode_utf16()
        .flat_map(|u| u.to_le_bytes())
        .collect();
    bytes.windows(pat.len()).any(|w| w == pat.as_slice())
}

/// The error for a password-protected Office file.
pub fn encrypted_error(kind: SourceKind) -> ImportError {
    ImportError::Unsupported {
        kind,
        reason: "文件设置了打开密码（已加密），无法读取；请在 Word/WPS/Excel 中取消密码后另存再导入 (the file is encrypted with a password: remove the password and save it again)".to_string(),
    }
}

/// The error for an old binary Word or Excel file.
pub fn old_binary_error(kind: SourceKind) -> ImportError {
    let (what, ext) = if kind == SourceKind::Xls {
        ("Excel (.xls)", "xls")
    } else {
        ("Word (.doc)", "doc")
    };
    ImportError::Unsupported {
        kind,
        reason: format!(
            "这是旧的二进制 {what} 文件，无法读取；请用 Word/WPS/Excel 另存为 .{ext}x 后再导入 (old binary format: save it as .{ext}x first)"
        ),
    }
}

fn unreadable(reason: String) -> ImportError {
    ImportError::Unreadable { reason }
}

/// An opened package.
pub struct Package<'a> {
    zip: zip::ZipArchive<Cursor<&'a [u8]>>,
    read_total: u64,
}

impl<'a> Package<'a> {
    /// Opens the zip of a `.docx` (`kind` Docx) or `.xlsx` (Xlsx), saying what the bytes are
    /// when they are not one (an encrypted file, an old binary file, a damaged zip).
    pub fn open(bytes: &'a [u8], kind: SourceKind) -> Result<Package<'a>, ImportError> {
        if is_encrypted_ooxml(bytes) {
            return Err(encrypted_error(kind));
        }
        if bytes.starts_with(&OLE_MAGIC) {
            let old = if kind == SourceKind::Xlsx {
                SourceKind::Xls
            } else {
                SourceKind::Doc
            };
            return Err(old_binary_error(old));
        }
        let zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| {
            unreadable(format!(
                "文件不是完整的 Office 文档（zip 包损坏或不完整：{e}）(damaged or truncated zip package)"
            ))
        })?;
        if zip.len() > MAX_ENTRIES {
            return Err(unreadable(format!(
                "zip 包有 {} 个条目，超过上限 {MAX_ENTRIES} (too many entries in the package)",
                zip.len()
            )));
        }
        Ok(Package { zip, read_total: 0 })
    }

    /// The names of the parts, as stored (names that do not decode left out).
    pub fn names(&self) -> Vec<String> {
        self.zip
            .file_names()
            .filter_map(Result::ok)
            .map(|n| n.into_owned())
            .collect()
    }

    /// How many entries the package has ([`Package::part_at`] reads each).
    pub fn len(&self) -> usize {
        self.zip.len()
    }

    /// Whether the package has no entries.
    pub fn is_empty(&self) -> bool {
        self.zip.is_empty()
    }

    /// Reads a part by name (case-insensitive, as Office does); `None` when absent. Decompression
    /// stops at [`MAX_PART`] bytes for the part and [`MAX_TOTAL`] for the package.
    pub fn part(&mut self, name: &str) -> Result<Option<Vec<u8>>, ImportError> {
        // `file_names` lists the entries in index order, so a position is the entry's index.
        let index = self
            .zip
            .file_names()
            .position(|n| n.is_ok_and(|n| n.eq_ignore_ascii_case(name)));
        match index {
            Some(i) => self.part_at(i).map(|(_, bytes)| Some(bytes)),
            None => Ok(None),
        }
    }

    /// Reads the entry at `index` (`0..len()`): its name as stored and its bytes, under the same
    /// limits as [`Package::part`]. Every entry, whatever its name: two entries whose names
    /// differ only in case are two parts here, and a reader that looks names up differently
    /// (calamine keeps the last) still reads one of them.
    pub fn part_at(&mut self, index: usize) -> Result<(String, Vec<u8>), ImportError> {
        let mut f = self.zip.by_index(index).map_err(|e| {
            unreadable(format!(
                "zip 包中的第 {} 个条目无法打开（文件损坏或不完整：{e}）(damaged part)",
                index + 1
            ))
        })?;
        let stored = match f.name() {
            Ok(n) => n.into_owned(),
            Err(_) => String::from_utf8_lossy(f.name_raw()).into_owned(),
        };
        if f.encrypted() {
            return Err(encrypted_error(SourceKind::Unknown));
        }
        let limit = MAX_PART.min(MAX_TOTAL.saturating_sub(self.read_total));
        let mut out = Vec::new();
        (&mut f)
            .take(limit + 1)
            .read_to_end(&mut out)
            .map_err(|e| {
                unreadable(format!(
                    "zip 包中的 {stored} 无法解压（文件损坏或不完整：{e}）(damaged part)"
                ))
            })?;
        if out.len() as u64 > limit {
            return Err(unreadable(format!(
                "zip 包中的 {stored} 解压后超过 {} MB，疑为压缩炸弹，拒绝读取 (the part inflates past the size limit: a zip bomb?)",
                limit >> 20
            )));
        }
        self.read_total += out.len() as u64;
        Ok((stored, out))
    }

    /// Reads a part as UTF-8 text (a byte-order mark dropped).
    pub fn text(&mut self, name: &str) -> Result<Option<String>, ImportError> {
        let Some(bytes) = self.part(name)? else {
            return Ok(None);
        };
        let s = String::from_utf8(bytes).map_err(|_| {
            unreadable(format!(
                "zip 包中的 {name} 不是 UTF-8 编码的 XML (the part is not UTF-8 XML)"
            ))
        })?;
        Ok(Some(s.trim_start_matches('\u{feff}').to_string()))
    }
}

/// Parses an XML part into a tree, after checking (with a streaming pass) that its elements
/// nest no deeper than [`MAX_XML_DEPTH`]; DTDs are refused (no entity expansion).
pub fn parse_xml<'t>(text: &'t str, part: &str) -> Result<roxmltree::Document<'t>, ImportError> {
    check_depth(text, part)?;
    let opts = roxmltree::ParsingOptions {
        allow_dtd: false,
        nodes_limit: MAX_XML_NODES,
    };
    roxmltree::Document::parse_with_options(text, opts)
        .map_err(|e| unreadable(format!("{part} 不是格式正确的 XML：{e} (malformed XML)")))
}

fn check_depth(text: &str, part: &str) -> Result<(), ImportError> {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_str(text);
    reader.config_mut().check_end_names = false;
    let mut depth = 0usize;
    loop {
        match reader.read_event() {
            Ok(Event::Start(_)) => {
                depth += 1;
                if depth > MAX_XML_DEPTH {
                    return Err(unreadable(format!(
                        "{part} 的 XML 元素嵌套超过 {MAX_XML_DEPTH} 层，不是正常的 Office 文档 (XML nested deeper than {MAX_XML_DEPTH} levels)"
                    )));
                }
            }
            Ok(Event::End(_)) => depth = depth.saturating_sub(1),
            Ok(Event::Eof) => return Ok(()),
            Ok(_) => {}
            Err(e) => {
                return Err(unreadable(format!(
                    "{part} 不是格式正确的 XML：{e} (malformed XML)"
                )))
            }
        }
    }
}
