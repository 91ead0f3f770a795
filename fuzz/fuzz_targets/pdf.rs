//! The PDF importer: any bytes import as a report or are refused; never a panic.

use nianbao::import::{from_pdf, ImportOptions};

fn main() {
    afl::fuzz!(|data: &[u8]| {
        if let Ok(imported) = from_pdf(data, &ImportOptions::default()) {
            let _ = nianbao::validate(&imported.report, None);
        }
    });
}
