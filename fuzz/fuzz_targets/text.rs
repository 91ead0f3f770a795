//! The crawler-text importer: any text imports as a report or is refused; never a panic.

use nianbao::import::{from_text, ImportOptions};

fn main() {
    afl::fuzz!(|data: &[u8]| {
        let text = String::from_utf8_lossy(data);
        if let Ok(imported) = from_text(&text, &ImportOptions::default()) {
            let _ = nianbao::validate(&imported.report, None);
        }
    });
}
