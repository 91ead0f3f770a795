//! Embeds every `templates/*.json` file into the binary, so that a new national format
//! needs only a new template file (no code change) and the binary runs from anywhere.
use std::{env, fs, path::Path};

fn main() {
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
    fs::write(
        Path::new(&env::var("OUT_DIR").unwrap()).join("templates.rs"),
        out,
    )
    .unwrap();
}
