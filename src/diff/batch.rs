//! Batch comparison (`nianbao diff --pairs LAST_DIR THIS_DIR`): reports of two folders paired
//! by agency name (spaces dropped, full- and half-width brackets alike: [`agency_key`]), one
//! row per pair with the similarity of the X-03 sections and the cross-year breaks, and the
//! reports left without a partner listed.

use super::{compare, Comparison};
use crate::options::ExportError;
use crate::report::Report;
use crate::xlsx::{finish_table, Styles};
use rust_xlsxwriter::{Format, Workbook, XlsxError};

/// Which folder a report came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Folder {
    /// Last year's folder.
    Previous,
    /// This year's folder.
    Current,
}

impl Folder {
    /// The folder in Chinese.
    pub fn chinese(self) -> &'static str {
        match self {
            Folder::Previous => "上年",
            Folder::Current => "本年",
        }
    }
}

/// A report read from a folder, with the file it came from.
#[derive(Debug, Clone)]
pub struct Entry {
    /// The file, as it is shown (relative to its folder).
    pub file: String,
    /// The report.
    pub report: Report,
}

/// A report without a partner in the other folder.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Unpaired {
    /// Its folder.
    pub folder: Folder,
    /// Its file.
    pub file: String,
    /// Its agency as written.
    pub agency: String,
    /// Why it has no partner.
    pub reason: String,
}

/// One agency's pair of reports.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Pair {
    /// Last year's file.
    pub previous_file: String,
    /// This year's file.
    pub current_file: String,
    /// The comparison.
    pub comparison: Comparison,
}

/// The pairs and the reports left over.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Batch {
    /// Pairs, in this year's folder's order.
    pub pairs: Vec<Pair>,
    /// Reports without a partner.
    pub unpaired: Vec<Unpaired>,
}

/// An agency name as pairs are matched: without spaces (full-width ones too), brackets
/// full-width, traditional characters simplified ([`crate::text::normalize`]).
pub fn agency_key(agency: &str) -> String {
    crate::text::normalize(agency)
}

/// Pairs the reports of two folders by agency and compares each pair. An agency with several
/// reports in one folder is paired once; the others are listed as unpaired.
pub fn pair(previous: &[Entry], current: &[Entry]) -> Batch {
    let mut used = vec![false; previous.len()];
    let mut seen: Vec<String> = Vec::new();
    let mut pairs = Vec::new();
    let mut unpaired = Vec::new();
    for e in current {
        let key = agency_key(&e.report.agency);
        if seen.contains(&key) {
            unpaired.push(Unpaired {
                folder: Folder::Current,
                file: e.file.clone(),
                agency: e.report.agency.clone(),
                reason: "同一机关在本年目录中有多份报告 (another report of this agency was paired)"
                    .into(),
            });
            continue;
        }
        seen.push(key.clone());
        let partner = previous
            .iter()
            .enumerate()
            .find(|(i, p)| !used[*i] && agency_key(&p.report.agency) == key);
        match partner {
            Some((i, p)) => {
                used[i] = true;
                pairs.push(Pair {
                    previous_file: p.file.clone(),
                    current_file: e.file.clone(),
                    comparison: compare(&p.report, &e.report),
                });
            }
            None => unpaired.push(Unpaired {
                folder: Folder::Current,
                file: e.file.clone(),
                agency: e.report.agency.clone(),
                reason: "上年目录中没有同一机关的报告 (no report of this agency last year)".into(),
            }),
        }
    }
    for (i, p) in previous.iter().enumerate() {
        if used[i] {
            continue;
        }
        let key = agency_key(&p.report.agency);
        let reason = if seen.contains(&key) {
            "同一机关在上年目录中有多份报告 (another report of this agency was paired)"
        } else {
            "本年目录中没有同一机关的报告 (no report of this agency this year)"
        };
        unpaired.push(Unpaired {
            folder: Folder::Previous,
            file: p.file.clone(),
            agency: p.report.agency.clone(),
            reason: reason.into(),
        });
    }
    Batch { pairs, unpaired }
}

fn err(e: XlsxError) -> ExportError {
    ExportError::Writer {
        target: "xlsx",
        message: e.to_string(),
    }
}

/// The batch as one workbook: `对比` (a row per agency: the similarity of each X-03 section,
/// the repeated sentences, the changed cells and the cross-year breaks named by cell) and
/// `未配对` (the reports without a partner).
pub fn workbook(b: &Batch) -> Result<Vec<u8>, ExportError> {
    workbook_inner(b).map_err(err)
}

fn workbook_inner(b: &Batch) -> Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    wb.set_zip_compression_level(1);
    // A fixed creation date (1 January after the latest year compared), so the same folders
    // give the same bytes on every run.
    let year = b
        .pairs
        .iter()
        .map(|p| p.comparison.current.year + 1)
        .max()
        .unwrap_or(2000);
    let date = crate::report::Date {
        year,
        month: 1,
        day: 1,
    };
    wb.set_properties(&crate::xlsx::properties(
        "政府信息公开工作年度报告 逐年对比",
        "nianbao",
        "diff --pairs",
        date,
    )?);
    let s = Styles::new();
    let percent = Format::new().set_num_format("0.0%");
    let ws = wb.add_worksheet();
    ws.set_name("对比")?;
    // The X-03 sections, named by their template headings, in first-seen order.
    let mut sections: Vec<String> = Vec::new();
    for p in &b.pairs {
        for sc in &p.comparison.sections {
            if !sections.contains(&sc.key) {
                sections.push(sc.key.clone());
            }
        }
    }
    let section_heading = |key: &str| -> String {
        b.pairs
            .iter()
            .find_map(|p| p.comparison.sections.iter().find(|s| s.key == key))
            .map(|s| s.heading.clone())
            .unwrap_or_else(|| key.to_string())
    };
    let mut columns: Vec<(String, f64)> = vec![
        ("机关".into(), 30.0),
        ("上年文件".into(), 24.0),
        ("本年文件".into(), 24.0),
        ("上年年度".into(), 9.0),
        ("本年年度".into(), 9.0),
    ];
    for k in &sections {
        columns.push((format!("{} 相似度", section_heading(k)), 14.0));
    }
    columns.extend([
        ("逐字重复的句子".into(), 12.0),
        ("有变化的单元格".into(), 12.0),
        ("跨年度不衔接".into(), 12.0),
        ("不衔接的单元格".into(), 80.0),
    ]);
    let mut r = 1u32;
    for p in &b.pairs {
        let c = &p.comparison;
        ws.write_string(r, 0, &c.current.agency)?;
        ws.write_string(r, 1, &p.previous_file)?;
        ws.write_string(r, 2, &p.current_file)?;
        ws.write_number(r, 3, c.previous.year as f64)?;
        ws.write_number(r, 4, c.current.year as f64)?;
        let mut col = 5u16;
        for k in &sections {
            if let Some(sc) = c.sections.iter().find(|s| &s.key == k) {
                ws.write_number_with_format(r, col, sc.similarity, &percent)?;
            }
            col += 1;
        }
        let repeated: usize = c.sections.iter().map(|s| s.repeated.len()).sum();
        ws.write_number(r, col, repeated as f64)?;
        ws.write_number(r, col + 1, c.counts.changed as f64)?;
        ws.write_number(r, col + 2, c.counts.breaks as f64)?;
        let breaks: Vec<String> = c
            .tables
            .iter()
            .flat_map(|t| &t.cells)
            .filter_map(|x| {
                x.broken.as_ref().map(|br| {
                    format!(
                        "{} {}：应为 {}，实为 {}",
                        br.rule,
                        x.cell,
                        br.expected.as_deref().unwrap_or("—"),
                        br.actual.as_deref().unwrap_or("—")
                    )
                })
            })
            .collect();
        if breaks.is_empty() {
            ws.write_string(r, col + 3, "")?;
        } else {
            ws.write_string_with_format(r, col + 3, breaks.join("；"), &s.marked)?;
        }
        r += 1;
    }
    let cols: Vec<(&str, f64)> = columns.iter().map(|(k, w)| (k.as_str(), *w)).collect();
    finish_table(ws, &cols, r, "diff_pairs")?;
    let ws = wb.add_worksheet();
    ws.set_name("未配对")?;
    let mut r = 1u32;
    for u in &b.unpaired {
        ws.write_string(r, 0, u.folder.chinese())?;
        ws.write_string(r, 1, &u.file)?;
        ws.write_string(r, 2, &u.agency)?;
        ws.write_string(r, 3, &u.reason)?;
        r += 1;
    }
    finish_table(
        ws,
        &[
            ("目录", 8.0),
            ("文件", 30.0),
            ("机关", 30.0),
            ("原因", 60.0),
        ],
        r,
        "diff_unpaired",
    )?;
    wb.save_to_buffer()
}
