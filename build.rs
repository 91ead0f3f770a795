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
        let value: serde_json::Value =
            serde_json::from_str(&text).unwrap_or_else(|e| panic!("templates/{n}: {e}"));
        let mut code = String::new();
        node(&value, &mut code);
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

/// Writes a JSON value as a `Node` expression (src/template.rs). Numbers keep serde_json's
/// reading: an unsigned integer, else a signed one, else a float. Strictness is the run-time
/// reader's job: `Template::from_json` on every embedded file in the test suite, which also
/// compares its result with the tree's.
fn node(v: &serde_json::Value, out: &mut String) {
    use serde_json::Value;
    match v {
        Value::Null => out.push_str("super::Node::Null"),
        Value::Bool(b) => write!(out, "super::Node::Bool({b})").unwrap(),
        Value::Number(n) => {
            if let Some(u) = n.as_u64() {
                write!(out, "super::Node::U({u})").unwrap();
            } else if let Some(i) = n.as_i64() {
                write!(out, "super::Node::I({i})").unwrap();
            } else {
                let f = n.as_f64().expect("a JSON number");
                assert!(f.is_finite(), "number {n} out of range");
                write!(out, "super::Node::F({f:?})").unwrap();
            }
        }
        Value::String(s) => write!(out, "super::Node::S({s:?})").unwrap(),
        Value::Array(items) => {
            out.push_str("super::Node::A(&[");
            for item in items {
                node(item, out);
                out.push_str(", ");
            }
            out.push_str("])");
        }
        Value::Object(map) => {
            out.push_str("super::Node::O(&[");
            for (k, item) in map {
                write!(out, "({k:?}, ").unwrap();
                node(item, out);
                out.push_str("), ");
            }
            out.push_str("])");
        }
    }
}
