//! The GB/T 9704 page in PDF points (origin at the top-left corner, y growing downwards, as
//! krilla draws), derived from [`crate::style`]; only what is specific to the PDF (the em box
//! position of the bundled faces) is decided here.

use crate::style::{page, MM};

/// A4 width.
pub(crate) const PAGE_W: f32 = page::WIDTH_MM * MM;
/// A4 height.
pub(crate) const PAGE_H: f32 = page::HEIGHT_MM * MM;
/// 天头 (top margin).
pub(crate) const TOP: f32 = page::TOP_MM * MM;
/// 订口 (left margin).
pub(crate) const LEFT: f32 = page::LEFT_MM * MM;
/// 版心 width.
pub(crate) const TYPE_W: f32 = page::TYPE_WIDTH_MM * MM;
/// 版心 height.
pub(crate) const TYPE_H: f32 = page::TYPE_HEIGHT_MM * MM;
/// Lines per page.
pub(crate) const LINES: usize = page::LINES;
/// Line pitch (≈ 28.99 pt).
pub(crate) const LINE_PITCH: f32 = TYPE_H / LINES as f32;
/// Character pitch of the body grid (≈ 15.79 pt for 16 pt type).
pub(crate) const CHAR_PITCH: f32 = TYPE_W / page::CHARS as f32;
/// Ideographic em box top above the baseline (OS/2 typo ascender of every bundled face).
pub(crate) const ASCENT: f32 = 0.88;

/// Baseline of grid line `i` (0-based from the top of the type area) for text of `size`:
/// the ideographic em box is centred in the line.
pub(crate) fn grid_baseline(i: usize, size: f32) -> f32 {
    TOP + i as f32 * LINE_PITCH + (LINE_PITCH - size) / 2.0 + ASCENT * size
}

/// Baseline of the page number: its em box top sits [`page::FOLIO_GAP_MM`] below the type area.
pub(crate) fn folio_baseline(size: f32) -> f32 {
    TOP + TYPE_H + page::FOLIO_GAP_MM * MM + ASCENT * size
}
