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
    let mut out = String::from("/// Every template file in `templates/`, as (file name, contents).\npub static EMBEDDED: &[(&str, &str)] = &[\n");
    for n in &names {
        println!("cargo:rerun-if-changed={}", dir.join(n).display());
        out.push_str(&format!(
            "    ({n:?}, include_str!({:?})),\n",
            dir.join(n).display().to_string()
        ));
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
