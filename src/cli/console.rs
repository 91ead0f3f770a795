//! The terminal: all standard output goes through one writer whose errors are results
//! (a closed pipe ends the run quietly instead of panicking), and every message line is
//! escaped, so control characters from a report or a file name (ESC, BEL, bidirectional
//! overrides) are shown as `\u{1b}` instead of acting on the terminal.

use super::error::CliError;
use nianbao::files::{Destination, WriteError};
use std::borrow::Cow;
use std::io::{self, StdoutLock, Write};

/// Standard output and standard error for one run. Standard output is line-buffered (by the
/// standard library), so findings and messages on standard error keep their order on a terminal.
pub struct Console {
    out: StdoutLock<'static>,
}

impl Console {
    /// The process's console.
    pub fn new() -> Console {
        Console {
            out: io::stdout().lock(),
        }
    }

    /// Writes data (a report, a schema) to standard output as is.
    pub fn data(&mut self, bytes: &[u8]) -> Result<(), CliError> {
        self.out.write_all(bytes).map_err(stdout_error)
    }

    /// Writes one line of text to standard output, escaped.
    pub fn line(&mut self, text: &str) -> Result<(), CliError> {
        self.out
            .write_all(escape(text).as_bytes())
            .and_then(|()| self.out.write_all(b"\n"))
            .map_err(stdout_error)
    }

    /// Flushes standard output.
    pub fn flush(&mut self) -> Result<(), CliError> {
        self.out.flush().map_err(stdout_error)
    }

    /// Writes one line to standard error, escaped. A failure to write there is ignored: there
    /// is nowhere left to report it.
    pub fn note(&self, text: &str) {
        let mut err = io::stderr().lock();
        let _ = err
            .write_all(escape(text).as_bytes())
            .and_then(|()| err.write_all(b"\n"));
    }

    /// Writes a JSON document to standard error, as [`json_escape`] makes it safe for a terminal.
    pub fn note_json(&self, json: &str) {
        let mut err = io::stderr().lock();
        let _ = err
            .write_all(json_escape(json).as_bytes())
            .and_then(|()| err.write_all(b"\n"));
    }

    /// Writes a message of the program to standard error: `nianbao: …`.
    pub fn say(&self, text: &str) {
        self.note(&format!("nianbao: {text}"));
    }
}

fn stdout_error(source: io::Error) -> CliError {
    CliError::Write(WriteError {
        dest: Destination::Stdout,
        source,
    })
}

/// Whether a character acts on a terminal: control characters (C0, DEL, C1, line and paragraph
/// separators) and bidirectional formatting characters.
fn acts_on_terminal(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{2028}' | '\u{2029}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Serialised JSON with every character that acts on a terminal (other than its line breaks)
/// written as a JSON `\uXXXX` escape: still the same JSON value, safe to print. Such characters
/// can only occur inside JSON strings, where the escape means the same character.
pub fn json_escape(json: &str) -> Cow<'_, str> {
    if !json.chars().any(|c| c != '\n' && acts_on_terminal(c)) {
        return Cow::Borrowed(json);
    }
    let mut s = String::with_capacity(json.len() + 8);
    for c in json.chars() {
        if c != '\n' && acts_on_terminal(c) {
            for u in c.encode_utf16(&mut [0; 2]) {
                s.push_str(&format!("\\u{:04x}", u));
            }
        } else {
            s.push(c);
        }
    }
    Cow::Owned(s)
}

/// Control characters (C0, DEL, C1, and line and paragraph separators) and bidirectional
/// formatting characters as `\u{…}` escapes; everything else as is.
pub fn escape(text: &str) -> Cow<'_, str> {
    let needs = acts_on_terminal;
    if !text.chars().any(needs) {
        return Cow::Borrowed(text);
    }
    let mut s = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if needs(c) {
            s.push_str(&format!("\\u{{{:x}}}", c as u32));
        } else {
            s.push(c);
        }
    }
    Cow::Owned(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_escaped() {
        assert_eq!(escape("a\u{1b}[31mb\u{7}"), "a\\u{1b}[31mb\\u{7}");
        assert_eq!(
            escape("一\n二\t\u{9b}\u{202e}"),
            "一\\u{a}二\\u{9}\\u{9b}\\u{202e}"
        );
        assert!(matches!(escape("表三 “（七）总计”"), Cow::Borrowed(_)));
        let json = "[\n  \"a\u{202e}b\u{85}\"\n]";
        let safe = json_escape(json);
        assert_eq!(safe, "[\n  \"a\\u202eb\\u0085\"\n]");
        let back: Vec<String> = serde_json::from_str(&safe).unwrap();
        assert_eq!(back, ["a\u{202e}b\u{85}"]);
    }
}
