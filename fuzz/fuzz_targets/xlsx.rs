//! The XLSX importer: any bytes import as a report or are refused; never a panic, never a hang.

use nianbao::import::{from_xlsx, ImportOptions};

fn main() {
    afl::fuzz!(|data: &[u8]| {
        if let Ok(imported) = from_xlsx(data, &ImportOptions::default()) {
            let _ = nianbao::validate(&imported.report, None);
        }
    });
}
