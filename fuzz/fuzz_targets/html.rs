//! The HTML importer: any page imports as a report or is refused; never a panic.

use nianbao::import::{from_html, ImportOptions};

fn main() {
    afl::fuzz!(|data: &[u8]| {
        let html = String::from_utf8_lossy(data);
        let opts = ImportOptions {
            clean: data.first().is_some_and(|b| b & 1 == 1),
            ..ImportOptions::default()
        };
        if let Ok(imported) = from_html(&html, &opts) {
            let _ = nianbao::validate(&imported.report, None);
        }
    });
}
