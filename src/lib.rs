//! # nianbao 年报
//!
//! Reads the annual report on government information disclosure (政府信息公开工作年度报告) as JSON,
//! validates it against its national format, lays it out once in a backend-neutral model and
//! writes it as PDF, DOCX, XLSX and HTML.
//!
//! `JSON → Report → validate → layout::Document → backends`.
//!
//! ```
//! let json = std::fs::read_to_string("examples/demo-city-2024.json").unwrap();
//! let report = nianbao::Report::from_json(&json).unwrap();
//! let findings = nianbao::validate::validate(&report, None);
//! assert!(!nianbao::validate::has_errors(&findings));
//! let doc = nianbao::layout::build(&report);
//! assert_eq!(doc.title, report.title());
//! ```

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

pub use report::{Block, InputError, Report};
