//! # nianbao 年报
//!
//! Reads the annual report on government information disclosure (政府信息公开工作年度报告),
//! validates it against its national format, lays it out once in a backend-neutral model and
//! writes it as PDF, DOCX, XLSX and HTML.
//!
//! `sources (JSON | HTML | text | PDF) → Report → validate → layout::Document → writers`.
//!
//! ```
//! use nianbao::{export, ExportOptions, Number, Report, Target};
//! let json = std::fs::read_to_string("examples/demo-city-2024.json").unwrap();
//! let mut report = Report::from_json(&json).unwrap();
//! let findings = nianbao::validate(&report, None);
//! assert!(!nianbao::validate::has_errors(&findings));
//! // Cells are addressed by the template's keys; a misspelled key is an error.
//! assert_eq!(report.cell("review_litigation", "review", "total").unwrap(), Some(Number::Int(4)));
//! assert!(report.set_cell("review_litigation", "reveiw", "total", None).is_err());
//! let html = export(&report, Target::Html, &ExportOptions::default()).unwrap();
//! assert!(!html.bytes.is_empty());
//! ```
//!
//! Where to start:
//! - reading: [`Report::from_json`]; other sources through [`import::read_any`] and the
//!   `import::from_*` readers; many reports through [`collect::collect`] and
//!   [`aggregate::aggregate`];
//! - checking: [`validate()`], with [`lint`] levels;
//! - cells: [`Report::cell`] and [`Report::set_cell`];
//! - writing: [`export()`] (layout and writer in one call), or [`layout::build`] and
//!   [`export::write`].
//!
//! The formats are data ([`template`], one file per format under `templates/`); the module map
//! and the rules of the crate are in docs/CONTRIBUTING.md.

#![deny(missing_docs)]

pub mod aggregate;
pub mod collect;
pub mod csv;
pub mod diff;
pub mod docx;
pub mod equation;
pub mod export;
pub mod files;
pub mod finding;
pub mod html;
pub mod import;
pub mod input;
pub mod layout;
pub mod limits;
pub mod lint;
pub mod options;
pub mod pdf;
pub mod report;
pub mod schema;
pub mod style;
pub mod template;
pub mod text;
pub mod validate;
pub mod xlsx;

pub use export::export;
pub use finding::{Finding, Severity};
pub use layout::Document;
pub use options::{ExportError, ExportOptions, FontRole, Output, PdfStandard, Target};
pub use report::{
    Block, Cell, CellError, Date, FreeTable, InputError, Level, Number, Report, TableData,
};
pub use template::Template;
pub use validate::validate;
