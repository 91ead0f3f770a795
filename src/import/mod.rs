//! Import: turns the reports that exist (web pages, crawler text, published PDFs, Word and
//! Excel files) into a [`Report`](crate::Report) plus an [`ImportLog`]. Every reader reduces its
//! source to the same intermediate form ([`source::SourceDoc`]); one matcher maps table cells
//! to template keys by their labels, and one assembler finds the sections and prose.

pub mod log;
pub mod pdf;
pub mod source;

pub use log::{ImportLog, LogEntry, LogKind};
pub use source::{Grid, GridCell, SourceBlock, SourceDoc, SourceMeta, SourcePos, TextBlock};
