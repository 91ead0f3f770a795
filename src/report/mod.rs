//! The typed report: read from JSON, checked against its format's template cell by cell, and
//! written back to JSON exactly (decimals keep their digits). Structural problems that make a
//! report unreadable (wrong type, unknown key, negative count, missing section) are
//! [`InputError`]s; everything a valid-looking report can still get wrong is left to `validate`.
//!
//! - [`model`]: the report's types ([`Report`], [`TableData`], [`Number`], [`Block`], [`Date`]).
//! - `read`: JSON text → [`Report`], every mistake an [`InputError`] naming its place.
//! - `write`: [`Report`] → JSON in the documented format.

pub(crate) mod limits;
pub mod model;
mod read;
mod write;

pub use crate::input::InputError;
pub use crate::template::Level;
pub use model::{Block, Cell, CellError, Date, FreeTable, Number, Report, TableData};

#[cfg(test)]
mod tests {
    use super::*;
    use crate::template::Template;

    #[test]
    fn blank_report_round_trips() {
        let t = Template::get("2021").unwrap();
        let r = Report::blank(t, "测试局", 2024);
        let back = Report::from_json(&r.to_json_string()).unwrap();
        assert_eq!(r, back);
        assert_eq!(back.applications.cells.len(), 25);
    }
}
