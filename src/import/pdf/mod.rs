//! PDF reader: published PDFs (WPS, Word, LibreOffice) and nianbao's own, reduced to the
//! intermediate form ([`SourceDoc`]).
//!
//! The file is interpreted by hayro (a pure-Rust PDF interpreter: CID fonts with ToUnicode
//! maps, Identity-H and Identity-V, predefined CMaps, broken cross-reference tables); the
//! recorder in [`extract`] keeps each glyph's text and box and the ruling lines. Then:
//! * a tagged PDF whose tag tree is complete (nianbao's own) is read from the tree
//!   ([`tagged`]): headings, paragraphs and tables with their spans, exactly;
//! * any other is rebuilt from positions ([`layout`]): lines and paragraphs, tables from their
//!   ruling lines (or, without rules, from aligned columns), page-number folios dropped, table
//!   pieces on consecutive pages joined.
//!
//! Hostile input ends in a [`PdfError`], never a panic or a hang: limits on pages, glyphs and
//! rules, and a panic inside the PDF interpreter is caught and reported.

pub mod extract;
pub mod layout;
pub mod table;
pub mod tagged;
pub mod text;

use crate::import::source::{SourceBlock, SourceDoc, SourceMeta};
use extract::{PageContent, Recorder};
use hayro_interpret::hayro_syntax::{DecryptionError, LoadPdfError, Pdf};
use hayro_interpret::{
    interpret_page, Context, InterpreterCache, InterpreterSettings, RenderContent, TransformExt,
};
use std::panic::{catch_unwind, AssertUnwindSafe};

/// Most pages read; an annual report has a handful, a longer file is not one.
pub const MAX_PAGES: usize = 500;

/// Why a PDF could not be read.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum PdfError {
    /// The bytes are not a PDF at all (no `%PDF-` header).
    #[error(
        "不是 PDF 文件：开头没有 %PDF- 标记 (not a PDF: no %PDF- header in the first 1024 bytes)"
    )]
    NotPdf,
    /// The PDF is encrypted and needs a password (or uses encryption hayro cannot undo).
    #[error("PDF 已加密，需要密码才能读取；请先用密码解密后再导入 (the PDF is encrypted: {0})")]
    Encrypted(String),
    /// The file starts like a PDF but its structure cannot be read (truncated, damaged).
    #[error(
        "PDF 文件已损坏或不完整，无法读取其结构 (damaged or truncated PDF: no readable page tree)"
    )]
    Damaged,
    /// The PDF has no pages.
    #[error("PDF 没有页面 (the PDF has no pages)")]
    NoPages,
    /// More pages than [`MAX_PAGES`].
    #[error("PDF 有 {pages} 页，超过上限 {limit} 页，不像是年度报告 (the PDF has {pages} pages, more than the limit of {limit})")]
    TooManyPages {
        /// Pages in the file.
        pages: usize,
        /// The limit.
        limit: usize,
    },
    /// No page draws any text: a scan. OCR is out of scope.
    #[error("PDF 没有文字层（共 {pages} 页，{images} 幅图像）：可能是扫描件，需要先做文字识别 (OCR)，本工具不做 OCR (no text layer: a scanned PDF needs OCR, which nianbao does not do)")]
    NoTextLayer {
        /// Pages in the file.
        pages: usize,
        /// Images drawn on them.
        images: usize,
    },
    /// The PDF interpreter failed unexpectedly on this file.
    #[error(
        "读取 PDF 时内部出错，文件可能已损坏 (internal error while interpreting the PDF: {0})"
    )]
    Internal(String),
}

/// Reads a PDF into the intermediate form.
///
/// # Errors
/// [`PdfError`] for a file that is not a PDF, is damaged, encrypted, or makes the interpreter
/// fail.
pub fn read(bytes: &[u8]) -> Result<SourceDoc, PdfError> {
    let head = &bytes[..bytes.len().min(1024)];
    if !head.windows(5).any(|w| w == b"%PDF-") {
        return Err(PdfError::NotPdf);
    }
    match catch_unwind(AssertUnwindSafe(|| read_unguarded(bytes))) {
        Ok(result) => result,
        Err(panic) => {
            let msg = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "panic".to_string());
            Err(PdfError::Internal(msg))
        }
    }
}

/// Whether bytes look like a PDF (for sniffing the input kind).
pub fn sniff(bytes: &[u8]) -> bool {
    bytes[..bytes.len().min(1024)]
        .windows(5)
        .any(|w| w == b"%PDF-")
}

fn read_unguarded(bytes: &[u8]) -> Result<SourceDoc, PdfError> {
    let pdf = Pdf::new(bytes.to_vec()).map_err(|e| match e {
        LoadPdfError::Decryption(d) => PdfError::Encrypted(
            match d {
                DecryptionError::PasswordProtected => "password required",
                DecryptionError::MissingIDEntry => "encryption without a file ID",
                DecryptionError::InvalidEncryption => "invalid encryption dictionary",
                DecryptionError::UnsupportedAlgorithm => "unsupported encryption algorithm",
            }
            .to_string(),
        ),
        LoadPdfError::Invalid => PdfError::Damaged,
    })?;
    let pages = pdf.pages();
    if pages.is_empty() {
        return Err(PdfError::NoPages);
    }
    if pages.len() > MAX_PAGES {
        return Err(PdfError::TooManyPages {
            pages: pages.len(),
            limit: MAX_PAGES,
        });
    }
    let contents = interpret(&pdf);
    let chars: usize = contents
        .iter()
        .flat_map(|p| p.glyphs.iter())
        .map(|g| g.text.chars().filter(|c| !c.is_whitespace()).count())
        .sum();
    if chars == 0 {
        return Err(PdfError::NoTextLayer {
            pages: contents.len(),
            images: contents.iter().map(|p| p.images).sum(),
        });
    }
    let blocks: Vec<SourceBlock> = match tagged::read(&pdf, &contents) {
        Some(blocks) => blocks,
        None => layout::read(&contents),
    };
    Ok(SourceDoc {
        meta: meta(&pdf),
        blocks,
    })
}

/// Runs every page through the recorder.
fn interpret(pdf: &Pdf) -> Vec<PageContent> {
    let settings = InterpreterSettings {
        render_content: RenderContent::PAGE,
        ..InterpreterSettings::default()
    };
    let cache = InterpreterCache::new();
    let mut out = Vec::with_capacity(pdf.pages().len());
    for page in pdf.pages().iter() {
        let (w, h) = page.render_dimensions();
        let transform = page.initial_transform(true).to_kurbo();
        let mut ctx = Context::new(
            transform,
            hayro_interpret::kurbo::Rect::new(0.0, 0.0, w as f64, h as f64),
            &cache,
            pdf.xref(),
            settings.clone(),
        );
        let mut recorder = Recorder::new(w, h);
        interpret_page(page, &mut ctx, &mut recorder);
        out.push(recorder.finish());
    }
    out
}

/// Title, author and creation date from the document information dictionary.
fn meta(pdf: &Pdf) -> SourceMeta {
    let m = pdf.metadata();
    let text = |b: &Option<Box<[u8]>>| {
        b.as_deref()
            .map(text::decode_text_string)
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
    };
    SourceMeta {
        title: text(&m.title),
        author: text(&m.author),
        // The creation date stands for the publication date (WPS and Word write it when the
        // PDF is made for publishing; nianbao writes the publication date). Midnight on
        // 1 January is nianbao's placeholder for "no date given", not a date.
        published: m
            .creation_date
            .as_ref()
            .filter(|d| {
                !(d.month == 1 && d.day == 1 && d.hour == 0 && d.minute == 0 && d.second == 0)
            })
            .map(|d| format!("{:04}-{:02}-{:02}", d.year, d.month, d.day)),
    }
}
