//! The page and type sizes of [`crate::style`] (millimetres and points, shared with the PDF and
//! HTML writers) in Word's units: twips (1/20 pt) and half-points. Nothing here is decided a
//! second time; the few measures only the DOCX needs (table line height, cell margin, rule
//! width, header distance) are marked as such.

use crate::style::{page, size, MM};

/// Twips from millimetres, to the nearest twip.
const fn twips_mm(mm: f32) -> i32 {
    (mm * MM * 20.0).round() as i32
}

/// Twips from points.
const fn twips_pt(pt: f32) -> i32 {
    (pt * 20.0).round() as i32
}

/// Half-points (`w:sz`) from points.
const fn half_points(pt: f32) -> usize {
    (pt * 2.0).round() as usize
}

/// A4 width (11906).
pub const PAGE_WIDTH: i32 = twips_mm(page::WIDTH_MM);
/// A4 height (16838).
pub const PAGE_HEIGHT: i32 = twips_mm(page::HEIGHT_MM);
/// 天头 37 mm (2098).
pub const MARGIN_TOP: i32 = twips_mm(page::TOP_MM);
/// Bottom 35 mm (1984).
pub const MARGIN_BOTTOM: i32 = twips_mm(page::BOTTOM_MM);
/// 订口 28 mm (1587).
pub const MARGIN_LEFT: i32 = twips_mm(page::LEFT_MM);
/// Right 26 mm (1474).
pub const MARGIN_RIGHT: i32 = twips_mm(page::RIGHT_MM);
/// Type-area width: what the rounded page and margins leave (8845; 156 mm alone would round to
/// 8844 and leave a twip between the tables and the right margin).
pub const TYPE_WIDTH: i32 = PAGE_WIDTH - MARGIN_LEFT - MARGIN_RIGHT;
/// Line pitch: the type-area height over 22 lines, rounded down so that 22 lines fit
/// (225 mm / 22 = 579.8 twips → 579, 28.95 pt; 580 × 22 would overflow by 0.07 mm).
pub const LINE_PITCH: i32 = (page::TYPE_HEIGHT_MM * MM * 20.0 / page::LINES as f32).floor() as i32;
/// Body character spacing in twentieths of a point: what each of the 28 characters of a line
/// must give up to fit the type width, rounded down (8845 / 28 − 320 = −4.1 → −5, −0.25 pt:
/// 28 × 15.75 pt = 441 pt ≤ 442.2 pt).
pub const BODY_CHAR_SPACING: i32 =
    (TYPE_WIDTH as f32 / page::CHARS as f32 - size::BODY * 20.0).floor() as i32;
/// Two-character first-line indent at the body size (640).
pub const INDENT_2CH: i32 = twips_pt(2.0 * size::BODY);
/// One page-number character: the number's distance from the type-area edge (280).
pub const FOOTER_INDENT: i32 = twips_pt(size::FOLIO);
/// DOCX only: the height of the page-number line box the footer distance allows for (5 mm).
const FOOTER_LINE_MM: f32 = 5.0;
/// Footer distance from the page edge: the top of the page-number line sits
/// [`page::FOLIO_GAP_MM`] below the type area (35 − 7 − 5 = 23 mm, 1304).
pub const FOOTER_DISTANCE: i32 = twips_mm(page::BOTTOM_MM - page::FOLIO_GAP_MM - FOOTER_LINE_MM);
/// DOCX only: header distance (there is no header content; 15 mm).
pub const HEADER_DISTANCE: i32 = twips_mm(15.0);
/// Body 三号 (32).
pub const BODY_HALF_POINTS: usize = half_points(size::BODY);
/// Title 二号 (44).
pub const TITLE_HALF_POINTS: usize = half_points(size::TITLE);
/// Page number 四号 (28).
pub const FOOTER_HALF_POINTS: usize = half_points(size::FOLIO);
/// Table text 五号 (21).
pub const TABLE_HALF_POINTS: usize = half_points(size::TABLE);
/// Table text of tables wider than [`WIDE_TABLE_COLUMNS`]: 小五 (18).
pub const SMALL_TABLE_HALF_POINTS: usize = half_points(size::TABLE_SMALL);
/// DOCX only: tables with more columns than this use the small size (the PDF instead picks the
/// largest size at which every column holds two characters).
pub const WIDE_TABLE_COLUMNS: usize = 10;
/// DOCX only: table line height, exactly 14 pt (fits 10.5 pt and 9 pt text; 280).
pub const TABLE_LINE: i32 = twips_pt(14.0);
/// DOCX only: table cell left/right margin, 1 mm (57).
pub const CELL_MARGIN: usize = twips_mm(1.0) as usize;
/// DOCX only: table rule width in eighths of a point (0.5 pt).
pub const BORDER_EIGHTHS: usize = 4;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_measures_written_before_are_derived_unchanged() {
        // The values the DOCX carried when they were written by hand (the LibreOffice render
        // test checks that the rendering is unchanged too).
        assert_eq!(
            (
                PAGE_WIDTH,
                PAGE_HEIGHT,
                MARGIN_TOP,
                MARGIN_BOTTOM,
                MARGIN_LEFT,
                MARGIN_RIGHT
            ),
            (11906, 16838, 2098, 1984, 1587, 1474)
        );
        assert_eq!((TYPE_WIDTH, LINE_PITCH, BODY_CHAR_SPACING), (8845, 579, -5));
        assert_eq!(
            (INDENT_2CH, FOOTER_INDENT, FOOTER_DISTANCE),
            (640, 280, 1304)
        );
        assert_eq!(
            (
                BODY_HALF_POINTS,
                TITLE_HALF_POINTS,
                FOOTER_HALF_POINTS,
                TABLE_HALF_POINTS,
                SMALL_TABLE_HALF_POINTS
            ),
            (32, 44, 28, 21, 18)
        );
        assert_eq!((TABLE_LINE, CELL_MARGIN), (280, 57));
        // 22 lines fit the type area; 28 characters fit a line.
        assert!(22 * LINE_PITCH <= twips_mm(page::TYPE_HEIGHT_MM));
        assert!(28 * (twips_pt(size::BODY) + BODY_CHAR_SPACING) <= TYPE_WIDTH);
    }
}
