//! Embeds every `templates/*.json` file into the binary, so that a new national format
//! needs only a new template file (no code change) and the binary runs from anywhere.
//!
//! Also writes fast2s's one-character traditional → simplified table as a sorted static array
//! (`t2s.rs`), so that converting text needs no table built at start-up (fast2s builds a hash
//! map of 2,734 entries on first use, about 1.1 M instructions, a third of a short run).
use std::fmt::Write as _;
use std::{env, fs, path::Path};

fn main() {
    // A position-dependent executable: the linker resolves the ~49,000 pointer relocations
    // that a PIE leaves to the dynamic loader at every start (2–3 ms of a 4 ms `--version`).
    println!("cargo:rustc-link-arg-bins=-no-pie");
    // Read at run time of the build script: a compiled-in path would point at whichever
    // checkout first built the script (worktrees share seeded target directories).
    let manifest = env::var("CARGO_MANIFEST_DIR").expect("CARGO_MANIFEST_DIR");
    let dir = Path::new(&manifest).join("templates");
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut names: Vec<String> = fs::read_dir(&dir)
        .expect("templates/ directory")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".json"))
        .collect();
    names.sort();
    let mut out = String::from("/// Every template file in `templates/`, as (file name, contents).\n#[cfg(test)]\npub static EMBEDDED: &[(&str, &str)] = &[\n");
    for n in &names {
        println!("cargo:rerun-if-changed={}", dir.join(n).display());
        out.push_str(&format!(
            "    ({n:?}, include_str!({:?})),\n",
            dir.join(n).display().to_string()
        ));
    }
    out.push_str("];\n");
    // Each template as a static tree of `Node`s, deserialized at run time without parsing JSON
    // (parsing both bundled templates cost ~0.85 M instructions, a tenth of a short export).
    out.push_str(
        "/// `EMBEDDED`, each parsed at build time into a static tree, in the same order.\npub static TREES: &[super::Node] = &[\n",
    );
    for n in &names {
        let text = fs::read_to_string(dir.join(n)).expect("template file");
        let mut p = Json {
            s: text.as_bytes(),
            i: 0,
        };
        p.ws();
        let mut code = String::new();
        p.value(&mut code)
            .unwrap_or_else(|e| panic!("templates/{n}: byte {}: {e}", p.i));
        p.ws();
        assert!(p.i == p.s.len(), "templates/{n}: text after the JSON value");
        out.push_str("    ");
        out.push_str(&code);
        out.push_str(",\n");
    }
    out.push_str("];\n");
    // The format ids, which are the file stems (checked by the template tests), so that listing
    // them needs no template parsed.
    out.push_str(
        "/// The file stems of `EMBEDDED`, in the same order.\npub static STEMS: &[&str] = &[\n",
    );
    for n in &names {
        out.push_str(&format!("    {:?},\n", n.trim_end_matches(".json")));
    }
    out.push_str("];\n");
    let out_dir = env::var("OUT_DIR").unwrap();
    fs::write(Path::new(&out_dir).join("templates.rs"), out).unwrap();
    fs::write(Path::new(&out_dir).join("t2s.rs"), t2s_table()).unwrap();
}

/// fast2s converts only characters of three UTF-8 bytes (U+0800 to U+FFFF); alone (no
/// neighbours to match its context rules) each converts by its plain table.
fn t2s_table() -> String {
    let mut out = String::from(
        "/// fast2s's plain table: (traditional, simplified), sorted.\npub static T2S: &[(char, char)] = &[\n",
    );
    for u in 0x800u32..=0xFFFF {
        let Some(c) = char::from_u32(u) else { continue };
        let s = c.to_string();
        let t = fast2s::convert(&s);
        if t != s {
            let mut it = t.chars();
            let d = it.next().expect("one character");
            assert!(it.next().is_none(), "fast2s maps one character to one");
            writeln!(out, "    ('\\u{{{u:x}}}', '\\u{{{:x}}}'),", d as u32).unwrap();
        }
    }
    out.push_str("];\n");
    out
}

/// A JSON reader for the template files that writes each value as a `Node` expression
/// (src/template.rs). Strictness is the run-time reader's job: `Template::from_json` on every
/// embedded file in the test suite, which also compares its result with the tree's.
struct Json<'a> {
    s: &'a [u8],
    i: usize,
}

impl Json<'_> {
    fn ws(&mut self) {
        while self.i < self.s.len() && matches!(self.s[self.i], b' ' | b'\t' | b'\n' | b'\r') {
            self.i += 1;
        }
    }

    fn eat(&mut self, b: u8) -> Result<(), String> {
        self.ws();
        if self.s.get(self.i) == Some(&b) {
            self.i += 1;
            Ok(())
        } else {
            Err(format!("expected {:?}", b as char))
        }
    }

    fn value(&mut self, out: &mut String) -> Result<(), String> {
        self.ws();
        match self.s.get(self.i).copied() {
            Some(b'{') => {
                self.i += 1;
                out.push_str("super::Node::O(&[");
                self.ws();
                if self.s.get(self.i) == Some(&b'}') {
                    self.i += 1;
                } else {
                    loop {
                        self.ws();
                        let k = self.string()?;
                        self.eat(b':')?;
                        write!(out, "({k:?}, ").unwrap();
                        self.value(out)?;
                        out.push_str("), ");
                        self.ws();
                        match self.s.get(self.i) {
                            Some(b',') => self.i += 1,
                            Some(b'}') => {
                                self.i += 1;
                                break;
                            }
                            _ => return Err("expected ',' or '}'".into()),
                        }
                    }
                }
                out.push_str("])");
            }
            Some(b'[') => {
                self.i += 1;
                out.push_str("super::Node::A(&[");
                self.ws();
                if self.s.get(self.i) == Some(&b']') {
                    self.i += 1;
                } else {
                    loop {
                        self.value(out)?;
                        out.push_str(", ");
                        self.ws();
                        match self.s.get(self.i) {
                            Some(b',') => self.i += 1,
                            Some(b']') => {
                                self.i += 1;
                                break;
                            }
                            _ => return Err("expected ',' or ']'".into()),
                        }
                    }
                }
                out.push_str("])");
            }
            Some(b'"') => {
                let s = self.string()?;
                write!(out, "super::Node::S({s:?})").unwrap();
            }
            Some(b't') if self.s[self.i..].starts_with(b"true") => {
                self.i += 4;
                out.push_str("super::Node::Bool(true)");
            }
            Some(b'f') if self.s[self.i..].starts_with(b"false") => {
                self.i += 5;
                out.push_str("super::Node::Bool(false)");
            }
            Some(b'n') if self.s[self.i..].starts_with(b"null") => {
                self.i += 4;
                out.push_str("super::Node::Null");
            }
            Some(b'-' | b'0'..=b'9') => {
                let start = self.i;
                while self.i < self.s.len()
                    && matches!(
                        self.s[self.i],
                        b'-' | b'+' | b'.' | b'e' | b'E' | b'0'..=b'9'
                    )
                {
                    self.i += 1;
                }
                let t = std::str::from_utf8(&self.s[start..self.i]).unwrap();
                if let Ok(u) = t.parse::<u64>() {
                    write!(out, "super::Node::U({u})").unwrap();
                } else if let Ok(i) = t.parse::<i64>() {
                    write!(out, "super::Node::I({i})").unwrap();
                } else {
                    let f: f64 = t.parse().map_err(|_| format!("bad number {t}"))?;
                    assert!(f.is_finite(), "number {t} out of range");
                    write!(out, "super::Node::F({f:?})").unwrap();
                }
            }
            _ => return Err("expected a JSON value".into()),
        }
        Ok(())
    }

    fn string(&mut self) -> Result<String, String> {
        if self.s.get(self.i) != Some(&b'"') {
            return Err("expected a string".into());
        }
        self.i += 1;
        let mut buf: Vec<u8> = Vec::new();
        loop {
            let Some(&b) = self.s.get(self.i) else {
                return Err("unterminated string".into());
            };
            self.i += 1;
            match b {
                b'"' => break,
                b'\\' => {
                    let e = *self.s.get(self.i).ok_or("unterminated escape")?;
                    self.i += 1;
                    let c = match e {
                        b'"' => '"',
                        b'\\' => '\\',
                        b'/' => '/',
                        b'b' => '\u{8}',
                        b'f' => '\u{c}',
                        b'n' => '\n',
                        b'r' => '\r',
                        b't' => '\t',
                        b'u' => {
                            let mut u = self.hex4()?;
                            if (0xD800..0xDC00).contains(&u) {
                                if !self.s[self.i..].starts_with(b"\\u") {
                                    return Err("lone surrogate".into());
                                }
                                self.i += 2;
                                let lo = self.hex4()?;
                                u = 0x10000
                                    + ((u - 0xD800) << 10)
                                    + (lo.wrapping_sub(0xDC00) & 0x3FF);
                            }
                            char::from_u32(u).ok_or("bad \\u escape")?
                        }
                        _ => return Err("bad escape".into()),
                    };
                    let mut tmp = [0u8; 4];
                    buf.extend_from_slice(c.encode_utf8(&mut tmp).as_bytes());
                }
                _ => buf.push(b),
            }
        }
        String::from_utf8(buf).map_err(|_| "string is not UTF-8".into())
    }

    fn hex4(&mut self) -> Result<u32, String> {
        let h = self.s.get(self.i..self.i + 4).ok_or("short \\u escape")?;
        self.i += 4;
        u32::from_str_radix(std::str::from_utf8(h).map_err(|e| e.to_string())?, 16)
            .map_err(|e| e.to_string())
    }
}
