//! Builds the layout model of a report and prints each statutory table's grid: every cell with
//! its position, spans and, for sum cells, the cells it adds up.
//!
//! `cargo run --example layout_tables -- examples/demo-city-2024.json`
use nianbao::layout::{build, Block, Content};
use nianbao::Report;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "examples/demo-city-2024.json".into());
    let report = Report::from_json(&std::fs::read_to_string(&path)?)?;
    let doc = build(&report);
    println!("{}", doc.title_lines.join(" / "));
    for block in &doc.blocks {
        let Block::Table(t) = block else { continue };
        println!(
            "\n{} {} ({} columns, {} header rows)",
            t.name.as_deref().unwrap_or("自由表格"),
            t.title,
            t.columns,
            t.header_rows
        );
        for (r, row) in t.rows.iter().enumerate() {
            for c in &row.cells {
                let extra = match &c.content {
                    Content::Number(n) => match &n.sum_of {
                        Some(addends) => format!("  = Σ {} cells", addends.len()),
                        None => format!("  [{}]", n.key.path()),
                    },
                    Content::Text(_) => String::new(),
                    Content::Derived(d) => format!("  = c{} − c{}", d.to, d.from),
                };
                println!(
                    "  r{r} c{} {}x{} {:?}{extra}",
                    c.col,
                    c.row_span,
                    c.col_span,
                    c.content.text()
                );
            }
        }
        let broken = t
            .checks
            .iter()
            .filter(|c| c.verdict == nianbao::equation::Verdict::Fails)
            .count();
        println!("  {} checks, {} broken", t.checks.len(), broken);
    }
    Ok(())
}
