//! The import log: what an importer could not read, what was ambiguous and what it did about
//! it, each entry with its place in the source. The log is data (serialisable for
//! `--format json`) and becomes findings of the imported report (rule ids `I-..`).

use super::source::SourcePos;
use serde::Serialize;

/// What kind of thing an entry reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LogKind {
    /// A statutory cell could not be read; it is `null` in the report.
    Unread,
    /// Two or more readings were possible (two candidate cells, two candidate splits of
    /// run-together digits); none was taken unless `action` says otherwise.
    Ambiguous,
    /// A row or column label matched nothing in the templates.
    UnmatchedLabel,
    /// Something was read in a way the user should know (a typo'd label matched, a unit
    /// stripped, tracked changes accepted, text taken from a vertical font).
    Note,
}

/// One log entry.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LogEntry {
    /// What kind of entry.
    pub kind: LogKind,
    /// The report JSON path concerned, e.g. `applications.granted.total` (empty when none).
    pub path: String,
    /// The cell or section named in Chinese, e.g. `表三 “（一）予以公开” 行 “总计” 列`.
    pub cell: String,
    /// Where in the source.
    #[serde(serialize_with = "display")]
    pub source: SourcePos,
    /// What happened and what was done, in Chinese with the English gist.
    pub message: String,
}

/// A [`LogKind::Note`] entry about `path` (no cell named).
pub(crate) fn note(source: SourcePos, path: &str, message: String) -> LogEntry {
    LogEntry {
        kind: LogKind::Note,
        path: path.to_string(),
        cell: String::new(),
        source,
        message,
    }
}

fn display<S: serde::Serializer>(p: &SourcePos, s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(p)
}

/// Everything an import noticed.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ImportLog {
    /// Entries in source order.
    pub entries: Vec<LogEntry>,
}

impl ImportLog {
    /// Adds an entry.
    pub fn push(&mut self, entry: LogEntry) {
        self.entries.push(entry);
    }

    /// Whether every statutory cell was read (no `Unread` entry): the import's exit code 0.
    pub fn complete(&self) -> bool {
        !self.entries.iter().any(|e| e.kind == LogKind::Unread)
    }
}

impl LogKind {
    /// The finding rule id an entry of this kind becomes (`I-01` … `I-04`).
    pub fn rule(self) -> &'static str {
        match self {
            LogKind::Unread => "I-01",
            LogKind::Ambiguous => "I-02",
            LogKind::UnmatchedLabel => "I-03",
            LogKind::Note => "I-04",
        }
    }

    /// The severity of such a finding: unread and ambiguous cells and unmatched labels warn,
    /// notes inform.
    pub fn severity(self) -> crate::template::Severity {
        match self {
            LogKind::Note => crate::template::Severity::Info,
            _ => crate::template::Severity::Warning,
        }
    }
}

impl ImportLog {
    /// The log as validation findings (rule ids `I-01` unread, `I-02` ambiguous, `I-03` label
    /// matched nothing, `I-04` note), the source position in the message, so commands that read
    /// an imported report can list them with the other findings.
    pub fn findings(&self) -> Vec<crate::validate::Finding> {
        self.entries
            .iter()
            .map(|e| {
                let at = e.source.to_string();
                crate::validate::Finding {
                    rule: e.kind.rule().to_string(),
                    severity: e.kind.severity(),
                    path: e.path.clone(),
                    cell: e.cell.clone(),
                    expected: None,
                    actual: None,
                    message: if at.is_empty() {
                        e.message.clone()
                    } else {
                        format!("{}（{at}）", e.message)
                    },
                }
            })
            .collect()
    }

    /// Entries of one kind.
    pub fn of_kind(&self, kind: LogKind) -> impl Iterator<Item = &LogEntry> {
        self.entries.iter().filter(move |e| e.kind == kind)
    }
}
