//! Reading input bytes into report text: a size cap, the encoding check (a UTF-8 BOM is
//! accepted; UTF-16 and GBK/GB18030 are named, not reported as "check the path"), and the strict
//! JSON check every report goes through before it is typed: no data after the value, no key
//! twice in one object anywhere, no nesting deeper than [`MAX_NESTING_DEPTH`].

use crate::limits::{MAX_INPUT_BYTES, MAX_NESTING_DEPTH};
use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};
use std::borrow::Cow;
use std::cell::RefCell;
use std::ffi::OsString;
use std::fmt;
use std::io::Read;
use std::path::{Path, PathBuf};

/// Where a report comes from: a file, or standard input (`-` on the command line).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// Standard input.
    Stdin,
    /// A file.
    File(PathBuf),
}

impl Source {
    /// `-` is standard input; anything else a file path (any bytes, UTF-8 or not).
    pub fn from_arg(arg: impl Into<OsString>) -> Source {
        let arg = arg.into();
        if arg == "-" {
            Source::Stdin
        } else {
            Source::File(PathBuf::from(arg))
        }
    }

    /// The file's path, if it is one.
    pub fn path(&self) -> Option<&Path> {
        match self {
            Source::Stdin => None,
            Source::File(p) => Some(p),
        }
    }
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Source::Stdin => f.write_str("-"),
            Source::File(p) => write!(f, "{}", p.display()),
        }
    }
}

/// A report that could not be read: where, and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", self.one_line())]
pub struct InputError {
    /// JSON path, e.g. `applications.denied.state_secret.natural_person` (empty for the whole document).
    pub path: String,
    /// The place named in Chinese, e.g. `表三 “（七）总计” 行 “自然人” 列`.
    pub place: Option<String>,
    /// What is wrong and what to do, in Chinese with the English gist.
    pub message: String,
}

impl InputError {
    pub(crate) fn new(
        path: impl Into<String>,
        place: Option<String>,
        message: impl Into<String>,
    ) -> Self {
        InputError {
            path: path.into(),
            place,
            message: message.into(),
        }
    }

    fn one_line(&self) -> String {
        let mut s = String::new();
        if !self.path.is_empty() {
            s.push_str(&self.path);
            s.push_str(": ");
        }
        s.push_str(&self.message);
        if let Some(p) = &self.place {
            s.push_str(&format!("（{p}）"));
        }
        s
    }
}

/// Why input bytes could not become text.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    /// The file does not exist.
    #[error("文件不存在，请检查路径 (no such file: {0})")]
    NotFound(#[source] std::io::Error),
    /// Any other I/O failure (permission, a directory, a device error).
    #[error("无法读取 (cannot read: {0})")]
    Io(#[source] std::io::Error),
    /// Larger than [`MAX_INPUT_BYTES`].
    #[error("输入超过 {} MiB 的上限，已停止读取 (input larger than the {} MiB limit)", MAX_INPUT_BYTES >> 20, MAX_INPUT_BYTES >> 20)]
    TooLarge,
    /// Recognisably another encoding.
    #[error("文件不是 UTF-8 编码（看起来是 {0}）；请另存为 UTF-8 (not UTF-8: looks like {0}; save it as UTF-8)")]
    OtherEncoding(&'static str),
    /// Not UTF-8 and not recognisable.
    #[error("文件不是 UTF-8 编码（第 {0} 字节起无效）；请另存为 UTF-8 (not valid UTF-8 from byte {0}; save it as UTF-8)")]
    NotUtf8(usize),
}

/// Reads a source as text, at most [`MAX_INPUT_BYTES`] bytes, checking the encoding.
///
/// # Errors
/// [`ReadError`]: missing or unreadable file, too large, or not UTF-8.
pub fn read_text(source: &Source) -> Result<String, ReadError> {
    let bytes = match source {
        Source::Stdin => read_capped(std::io::stdin().lock())?,
        Source::File(p) => read_file(p)?,
    };
    decode(bytes)
}

/// Reads a file's bytes, at most [`MAX_INPUT_BYTES`].
///
/// # Errors
/// [`ReadError::NotFound`], [`ReadError::Io`] or [`ReadError::TooLarge`].
pub fn read_file(path: &Path) -> Result<Vec<u8>, ReadError> {
    let file = std::fs::File::open(path).map_err(io_error)?;
    // A regular file's size sizes the buffer once (one read, no doubling and copying); the
    // cap still holds if the file grows while it is read.
    let size = file
        .metadata()
        .ok()
        .filter(|m| m.is_file())
        .map(|m| m.len());
    if size.is_some_and(|n| n > MAX_INPUT_BYTES) {
        return Err(ReadError::TooLarge);
    }
    read_capped_sized(file, size.unwrap_or(0))
}

fn io_error(e: std::io::Error) -> ReadError {
    if e.kind() == std::io::ErrorKind::NotFound {
        ReadError::NotFound(e)
    } else {
        ReadError::Io(e)
    }
}

fn read_capped(r: impl Read) -> Result<Vec<u8>, ReadError> {
    read_capped_sized(r, 0)
}

/// Reads at most [`MAX_INPUT_BYTES`] (+1 to tell an oversized input), into a buffer sized for
/// `expected` bytes plus one, so a file of that size is read without growing the buffer.
fn read_capped_sized(r: impl Read, expected: u64) -> Result<Vec<u8>, ReadError> {
    let mut buf =
        Vec::with_capacity(usize::try_from(expected.min(MAX_INPUT_BYTES)).unwrap_or(0) + 1);
    r.take(MAX_INPUT_BYTES + 1)
        .read_to_end(&mut buf)
        .map_err(io_error)?;
    if buf.len() as u64 > MAX_INPUT_BYTES {
        return Err(ReadError::TooLarge);
    }
    Ok(buf)
}

/// Bytes to text: a UTF-8 BOM is dropped; UTF-16 (by BOM or by the NUL bytes of ASCII text)
/// and GBK/GB18030 are recognised and named.
///
/// ```
/// use nianbao::input::{decode, ReadError};
/// assert_eq!(decode(b"\xEF\xBB\xBF{}".to_vec()).unwrap(), "{}");
/// assert!(matches!(decode(b"\xFF\xFE{\0}\0".to_vec()), Err(ReadError::OtherEncoding("UTF-16"))));
/// // 年报 in GBK.
/// assert!(matches!(decode(b"\xC4\xEA\xB1\xA8".to_vec()), Err(ReadError::OtherEncoding(_))));
/// ```
///
/// # Errors
/// [`ReadError::OtherEncoding`] or [`ReadError::NotUtf8`].
pub fn decode(bytes: Vec<u8>) -> Result<String, ReadError> {
    if looks_utf16(&bytes) {
        return Err(ReadError::OtherEncoding("UTF-16"));
    }
    match String::from_utf8(bytes) {
        Ok(mut s) => {
            if s.starts_with('\u{FEFF}') {
                s.drain(..'\u{FEFF}'.len_utf8());
            }
            Ok(s)
        }
        Err(e) => {
            let offset = e.utf8_error().valid_up_to();
            let bytes = e.into_bytes();
            let gb18030 = encoding_rs::GB18030
                .decode_without_bom_handling_and_without_replacement(&bytes)
                .is_some();
            if gb18030 {
                Err(ReadError::OtherEncoding("GBK/GB18030"))
            } else {
                Err(ReadError::NotUtf8(offset))
            }
        }
    }
}

fn looks_utf16(b: &[u8]) -> bool {
    if b.starts_with(&[0xFF, 0xFE]) || b.starts_with(&[0xFE, 0xFF]) {
        return true;
    }
    // ASCII text in UTF-16: every other byte of the first ones is NUL, and the others are not.
    let head = &b[..b.len().min(64)];
    let even = || head.iter().step_by(2);
    let odd = || head.iter().skip(1).step_by(2);
    let nul = |x: &u8| *x == 0;
    head.len() >= 4
        && ((even().all(nul) && !odd().any(nul)) || (odd().all(nul) && !even().any(nul)))
}

/// Drops a leading byte-order mark.
pub fn strip_bom(text: &str) -> &str {
    text.strip_prefix('\u{FEFF}').unwrap_or(text)
}

/// The strict JSON check: one JSON value and nothing after it but white space, no key twice in
/// any object, nesting at most [`MAX_NESTING_DEPTH`] deep.
///
/// ```
/// use nianbao::input::check_json;
/// assert!(check_json(r#"{"a": {"b": 1}}"#).is_ok());
/// assert_eq!(check_json(r#"{"a": {"b": 1, "b": 2}}"#).unwrap_err().path, "a.b");
/// assert!(check_json(r#"{"a": 1} {"a": 2}"#).unwrap_err().message.contains("多余"));
/// ```
///
/// # Errors
/// An [`InputError`] naming the JSON path (syntax errors also give line and column).
pub fn check_json(text: &str) -> Result<(), InputError> {
    parse_json(text).map(|_| ())
}

/// [`check_json`] and the parse in one pass: the checked text as the JSON value that
/// `serde_json::from_str` gives for it, or `None` when that would fail although the check
/// passes.
///
/// # Errors
/// As [`check_json`].
pub(crate) fn parse_json(text: &str) -> Result<Option<serde_json::Value>, InputError> {
    let ctx = Ctx::default();
    let mut de = serde_json::Deserializer::from_str(text);
    let checked = Check {
        ctx: &ctx,
        depth: 0,
    }
    .deserialize(&mut de);
    let (e, trailing) = match checked {
        Ok(value) => match de.end() {
            Ok(()) => return Ok((!*ctx.not_a_value.borrow()).then_some(value)),
            Err(e) => (e, true),
        },
        Err(e) => (e, false),
    };
    if let Some(found) = ctx.found.borrow_mut().take() {
        return Err(found);
    }
    let path = ctx.failed_at.borrow().clone().unwrap_or_default();
    Err(InputError {
        path,
        place: None,
        message: syntax_message(&e, trailing),
    })
}

fn syntax_message(e: &serde_json::Error, trailing: bool) -> String {
    use serde_json::error::Category;
    let (line, column) = (e.line(), e.column());
    let text = e.to_string();
    let core = text
        .rfind(" at line ")
        .map_or(text.as_str(), |i| &text[..i]);
    if trailing {
        return format!(
            "JSON 语法错误：第 {line} 行第 {column} 列之后还有多余的内容；一个文件只能有一份报告 (trailing data after the JSON value, line {line} column {column})"
        );
    }
    match e.classify() {
        Category::Eof if line <= 1 && column == 0 => {
            "文件是空的，不是 JSON (empty input: expected a JSON object)".to_string()
        }
        Category::Eof => format!(
            "JSON 语法错误：文件在第 {line} 行第 {column} 列提前结束 (unexpected end of JSON: {core}, line {line} column {column})"
        ),
        Category::Syntax => format!(
            "JSON 语法错误：第 {line} 行第 {column} 列 (JSON syntax error: {core}, line {line} column {column})"
        ),
        Category::Data | Category::Io => format!("无法读取 JSON ({core}, line {line} column {column})"),
    }
}

/// serde_json's private token for numbers under `arbitrary_precision`: a number arrives as a
/// one-entry map with this key.
const NUMBER_TOKEN: &str = "$serde_json::private::Number";

#[derive(Default)]
struct Ctx<'de> {
    /// The current path, as segments.
    path: RefCell<Vec<Segment<'de>>>,
    /// A problem found by the check itself (duplicate key, depth).
    found: RefCell<Option<InputError>>,
    /// Text that passes the check but that serde_json's `Value` refuses (see [`NumberText`]).
    not_a_value: RefCell<bool>,
    /// Where a syntax error happened (the innermost place records it first).
    failed_at: RefCell<Option<String>>,
}

enum Segment<'de> {
    /// Borrowed from the text unless the key has escapes.
    Key(Cow<'de, str>),
    Index(usize),
}

impl Ctx<'_> {
    fn render(&self) -> String {
        let mut s = String::new();
        for seg in self.path.borrow().iter() {
            match seg {
                Segment::Key(k) => {
                    if !s.is_empty() {
                        s.push('.');
                    }
                    s.push_str(&crate::text::quoted(k));
                }
                Segment::Index(i) => s.push_str(&format!("[{i}]")),
            }
        }
        s
    }

    fn note_failure(&self) {
        let mut f = self.failed_at.borrow_mut();
        if f.is_none() {
            *f = Some(self.render());
        }
    }

    fn fail<E: de::Error>(&self, message: String) -> E {
        *self.found.borrow_mut() = Some(InputError {
            path: self.render(),
            place: None,
            message,
        });
        E::custom("strict JSON check failed")
    }

    fn too_deep<E: de::Error>(&self) -> E {
        self.fail(format!(
            "JSON 嵌套超过 {MAX_NESTING_DEPTH} 层的上限 (nesting deeper than {MAX_NESTING_DEPTH} levels)"
        ))
    }
}

/// An object key, borrowed from the text when it has no escapes (no copy per key).
struct Key;

impl<'de> DeserializeSeed<'de> for Key {
    type Value = Cow<'de, str>;
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Cow<'de, str>, D::Error> {
        d.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for Key {
    type Value = Cow<'de, str>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string")
    }

    fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Cow<'de, str>, E> {
        Ok(Cow::Borrowed(v))
    }
    fn visit_str<E>(self, v: &str) -> Result<Cow<'de, str>, E> {
        Ok(Cow::Owned(v.to_owned()))
    }
}

#[derive(Clone, Copy)]
struct Check<'a, 'de> {
    ctx: &'a Ctx<'de>,
    depth: usize,
}

/// The string a number token carries, as serde_json's own `Value` reads it; `None` for what
/// that reader refuses (an object whose first key is the token itself, with another value),
/// which is skipped as the check skips it.
struct NumberText;

impl<'de> DeserializeSeed<'de> for NumberText {
    type Value = Option<serde_json::Number>;
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for NumberText {
    type Value = Option<serde_json::Number>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("string containing a number")
    }

    fn visit_str<E>(self, s: &str) -> Result<Self::Value, E> {
        Ok(s.parse().ok())
    }
    fn visit_bool<E>(self, _: bool) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_i64<E>(self, _: i64) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_u64<E>(self, _: u64) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_f64<E>(self, _: f64) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_none<E>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        while seq.next_element::<de::IgnoredAny>()?.is_some() {}
        Ok(None)
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        while map
            .next_entry::<de::IgnoredAny, de::IgnoredAny>()?
            .is_some()
        {}
        Ok(None)
    }
}

impl<'de> DeserializeSeed<'de> for Check<'_, 'de> {
    type Value = Json;
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Json, D::Error> {
        d.deserialize_any(self)
    }
}

/// The values built as serde_json's `Value` visitor builds them.
type Json = serde_json::Value;

impl<'de> Visitor<'de> for Check<'_, 'de> {
    type Value = Json;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Json, E> {
        Ok(Json::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Json, E> {
        Ok(Json::Number(v.into()))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Json, E> {
        Ok(Json::Number(v.into()))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Json, E> {
        Ok(serde_json::Number::from_f64(v).map_or(Json::Null, Json::Number))
    }
    fn visit_str<E>(self, v: &str) -> Result<Json, E> {
        Ok(Json::String(v.to_owned()))
    }
    fn visit_string<E>(self, v: String) -> Result<Json, E> {
        Ok(Json::String(v))
    }
    fn visit_unit<E>(self) -> Result<Json, E> {
        Ok(Json::Null)
    }
    fn visit_none<E>(self) -> Result<Json, E> {
        Ok(Json::Null)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Json, A::Error> {
        if self.depth >= MAX_NESTING_DEPTH {
            return Err(self.ctx.too_deep());
        }
        let inner = Check {
            ctx: self.ctx,
            depth: self.depth + 1,
        };
        let mut items = Vec::new();
        for i in 0.. {
            self.ctx.path.borrow_mut().push(Segment::Index(i));
            let r = seq.next_element_seed(inner);
            if r.is_err() {
                self.ctx.note_failure();
            }
            self.ctx.path.borrow_mut().pop();
            match r? {
                Some(v) => items.push(v),
                None => break,
            }
        }
        Ok(Json::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Json, A::Error> {
        let inner = Check {
            ctx: self.ctx,
            depth: self.depth + 1,
        };
        // The object itself is the set of keys seen so far.
        let mut values = serde_json::Map::new();
        loop {
            let key = map
                .next_key_seed(Key)
                .inspect_err(|_| self.ctx.note_failure())?;
            let Some(key) = key else { break };
            if values.is_empty() && key == NUMBER_TOKEN {
                // A number: not a container.
                return Ok(match map.next_value_seed(NumberText)? {
                    Some(n) => Json::Number(n),
                    None => {
                        *self.ctx.not_a_value.borrow_mut() = true;
                        Json::Null
                    }
                });
            }
            if self.depth >= MAX_NESTING_DEPTH {
                return Err(self.ctx.too_deep());
            }
            self.ctx.path.borrow_mut().push(Segment::Key(key.clone()));
            if values.contains_key(key.as_ref()) {
                return Err(self.ctx.fail(format!(
                    "键 “{}” 在同一对象中出现了两次；请删除其中一个 (duplicate key)",
                    crate::text::quoted(&key)
                )));
            }
            let r = map.next_value_seed(inner);
            if r.is_err() {
                self.ctx.note_failure();
            }
            self.ctx.path.borrow_mut().pop();
            values.insert(key.into_owned(), r?);
        }
        if values.is_empty() && self.depth >= MAX_NESTING_DEPTH {
            return Err(self.ctx.too_deep());
        }
        Ok(Json::Object(values))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_pass_gives_the_value_serde_json_gives() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut texts: Vec<String> = Vec::new();
        for sub in ["examples", "tests/fixtures/reports"] {
            let mut paths: Vec<PathBuf> = std::fs::read_dir(dir.join(sub))
                .unwrap()
                .map(|e| e.unwrap().path())
                .filter(|p| p.extension().is_some_and(|x| x == "json"))
                .collect();
            paths.sort();
            for p in paths {
                texts.push(std::fs::read_to_string(p).unwrap());
            }
        }
        assert!(texts.len() >= 10, "{} reports", texts.len());
        texts.extend(
            [
                r#"{"a": [1, -2, 3.50, 1e400, -0, 18446744073709551616], "b": "\u00e9\"\\", "c": {"d": null, "e": true, "f": []}}"#,
                "[]",
                "\"x\"",
                "0",
            ]
            .map(String::from),
        );
        for t in &texts {
            let expected: serde_json::Value = serde_json::from_str(t).unwrap();
            let got = parse_json(t).unwrap().unwrap();
            // `Value`'s equality ignores the order of keys; the text does not.
            assert_eq!(got, expected);
            assert_eq!(
                serde_json::to_string(&got).unwrap(),
                serde_json::to_string(&expected).unwrap()
            );
        }
        // serde_json's `Value` refuses a number token holding a non-number; the check passes it.
        let odd = r#"{"a": {"$serde_json::private::Number": [1]}}"#;
        assert!(serde_json::from_str::<serde_json::Value>(odd).is_err());
        assert_eq!(parse_json(odd).unwrap(), None);
    }

    #[test]
    fn trailing_data_and_duplicates_anywhere_are_refused() {
        let e = check_json("{\"a\": 1}\n{\"a\": 1}").unwrap_err();
        assert!(e.message.contains("多余"), "{e}");
        assert!(check_json("{\"a\": 1} x").is_err());
        assert!(check_json("{\"a\": 1}  \n\t").is_ok());
        let e = check_json(r#"{"t": {"rows": [{"x": 1, "y": 2, "x": 3}]}}"#).unwrap_err();
        assert_eq!(e.path, "t.rows[0].x");
        assert!(e.message.contains("两次"), "{e}");
        // The same key in different objects is fine; numbers of every kind pass.
        assert!(check_json(r#"{"a": {"x": 1.50}, "b": {"x": -1e400}, "c": [0, 1e-5]}"#).is_ok());
    }

    #[test]
    fn nesting_is_capped() {
        let ok = format!(
            "{}1{}",
            "[".repeat(MAX_NESTING_DEPTH),
            "]".repeat(MAX_NESTING_DEPTH)
        );
        assert!(check_json(&ok).is_ok());
        let deep = format!(
            "{}1{}",
            "[".repeat(MAX_NESTING_DEPTH + 1),
            "]".repeat(MAX_NESTING_DEPTH + 1)
        );
        assert!(check_json(&deep).unwrap_err().message.contains("嵌套"));
        // Far beyond serde_json's own recursion limit: still a clean error, no stack overflow.
        let abyss = "[".repeat(100_000);
        assert!(check_json(&abyss).is_err());
        let objs = format!("{}{}", "{\"a\":".repeat(MAX_NESTING_DEPTH), "{}");
        assert!(check_json(&(objs + &"}".repeat(MAX_NESTING_DEPTH))).is_err());
    }

    #[test]
    fn syntax_errors_name_the_path_and_position() {
        let e = check_json("{\"a\": {\"b\": [1, 2,]}}").unwrap_err();
        assert_eq!(e.path, "a.b[2]");
        assert!(e.message.contains("第 1 行"), "{e}");
        assert!(check_json("").unwrap_err().message.contains("空"));
    }

    #[test]
    fn encodings_are_named() {
        assert!(matches!(
            decode(b"{\0\"\0a\0\"\0".to_vec()),
            Err(ReadError::OtherEncoding("UTF-16"))
        ));
        assert!(matches!(
            decode(b"\0{\0\"\0a\0\"".to_vec()),
            Err(ReadError::OtherEncoding("UTF-16"))
        ));
        let gbk = encoding_rs::GBK
            .encode("{\"agency\": \"示例县教育局\"}")
            .0
            .into_owned();
        assert!(matches!(
            decode(gbk),
            Err(ReadError::OtherEncoding("GBK/GB18030"))
        ));
        assert!(matches!(
            decode(vec![b'{', 0xFF, 0xFF, b'}']),
            Err(ReadError::NotUtf8(1))
        ));
        // NUL bytes alone are not UTF-16 (they are valid UTF-8, refused later as JSON).
        assert!(decode(vec![0; 100]).is_ok());
    }
}
