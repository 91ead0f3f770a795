//! Reads a report, validates it and prints the findings as the library returns them.
//!
//! `cargo run --example validate_report -- examples/potou-2023.json`
use nianbao::validate::{has_errors, validate};
use nianbao::Report;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "examples/potou-2023.json".into());
    let report = Report::from_json(&std::fs::read_to_string(&path)?)?;
    println!("{} ({} 格式)", report.title(), report.template().format);
    let findings = validate(&report, None);
    for f in &findings {
        println!("  {f}");
    }
    println!("has errors: {}", has_errors(&findings));
    Ok(())
}
