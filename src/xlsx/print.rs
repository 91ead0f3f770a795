//! Page setup of the workbooks' sheets (issue 12 item 8): every sheet prints on A4 with its
//! header rows (and label columns) repeated, only its print area (no blank pages), the sheet
//! name in the page header and `第 N 页，共 M 页` in the footer.
//!
//! * statutory table sheets ([`print_setup_table`]): the orientation where table and check area
//!   print largest, on one page while that stays legible, else one page wide;
//! * list sheets ([`print_setup`]): landscape, one page wide, the header row repeated;
//! * the `collect` 汇总 sheet ([`print_setup_wide`], hundreds of columns): landscape at the
//!   readable [`WIDE_PRINT_SCALE`] over as many pages as it takes;
//! * the `collect` long lists 长表 and 校验 ([`print_setup_long_list`], about 250 column units
//!   wide, too wide to print legibly on one page): landscape at [`LIST_PRINT_SCALE`] over pages
//!   across (three in LibreOffice), over then down, the header row and the file and agency
//!   columns repeated.

use rust_xlsxwriter::{Worksheet, XlsxError};

/// A4 in Excel's `paperSize` numbering.
const A4: u8 = 9;
/// Margins (inches): sides, top/bottom, and the header/footer inside the top/bottom margins.
const SIDE: f64 = 0.5;
const TOP_BOTTOM: f64 = 0.6;
const HEADER_FOOTER: f64 = 0.3;
/// Printable A4 area (mm) inside the margins less room for header and footer text:
/// landscape 297 × 210, portrait 210 × 297.
const LANDSCAPE_MM: (f64, f64) = (265.0, 170.0);
const PORTRAIT_MM: (f64, f64) = (178.0, 256.0);
/// The smallest scale at which a whole table sheet is still printed on one page.
const ONE_PAGE_MIN_SCALE: f64 = 0.6;

/// The print scale (percent) of a sheet too wide for one page ([`print_setup_wide`]): small
/// enough for about a dozen number columns per A4 landscape page, large enough to read.
pub const WIDE_PRINT_SCALE: u16 = 70;

/// The print scale (percent) of the long list sheets ([`print_setup_long_list`]): 11 pt text
/// prints at 8.8 pt (fit to one page wide it printed at about 6 pt).
pub const LIST_PRINT_SCALE: u16 = 80;

/// The widest a short column header may be (display width, CJK characters count 2) and still
/// set its column's width whole: `本年新制作数量` (14) prints on one line, never broken mid-word.
pub const WHOLE_HEADER: f64 = 16.0;

/// The width (column units) a header cell of display width `text_width` asks of its column:
/// a short header (up to [`WHOLE_HEADER`]) whole on one line, a longer phrase wrapped over
/// several lines of the widest short header.
pub fn header_width(text_width: f64) -> f64 {
    text_width.min(WHOLE_HEADER) + 2.0
}

fn common(ws: &mut Worksheet) {
    ws.set_paper_size(A4);
    ws.set_margins(
        SIDE,
        SIDE,
        TOP_BOTTOM,
        TOP_BOTTOM,
        HEADER_FOOTER,
        HEADER_FOOTER,
    );
    ws.set_print_center_horizontally(true);
    ws.set_header("&L&A");
    ws.set_footer("&C第 &P 页，共 &N 页");
}

/// Page setup of a list sheet (a header row then records): A4 landscape, one page wide,
/// rows `0..=repeat_to` repeated on every page.
pub fn print_setup(ws: &mut Worksheet, repeat_to: Option<u32>) -> Result<(), XlsxError> {
    common(ws);
    ws.set_landscape();
    ws.set_print_fit_to_pages(1, 0);
    if let Some(r) = repeat_to {
        ws.set_repeat_rows(0, r)?;
    }
    Ok(())
}

/// Page setup of a list sheet too wide for one legible page (`collect`'s 长表 and 校验): A4
/// landscape at [`LIST_PRINT_SCALE`] over as many pages as it takes, **over then down** (the
/// parts of the same rows on consecutive pages), the header row and the label columns
/// `labels` repeated on every page.
pub fn print_setup_long_list(ws: &mut Worksheet, labels: (u16, u16)) -> Result<(), XlsxError> {
    common(ws);
    ws.set_landscape();
    ws.set_print_scale(LIST_PRINT_SCALE);
    ws.set_page_order(false);
    ws.set_repeat_rows(0, 0)?;
    ws.set_repeat_columns(labels.0, labels.1)?;
    Ok(())
}

/// Page setup of a list sheet whose columns fit one A4 landscape page at [`LIST_PRINT_SCALE`]
/// (the export workbook's 校验, its text wrapped within the columns): landscape at that scale
/// rather than fit to one page wide, so overflowing text cannot shrink the print, the header
/// row repeated on every page.
pub fn print_setup_list(ws: &mut Worksheet) -> Result<(), XlsxError> {
    common(ws);
    ws.set_landscape();
    ws.set_print_scale(LIST_PRINT_SCALE);
    ws.set_repeat_rows(0, 0)?;
    Ok(())
}

/// Page setup of a sheet with many columns (the `collect` 汇总 sheet): A4 landscape at the
/// readable [`WIDE_PRINT_SCALE`] over as many pages as it takes (down, then across), the header
/// rows `0..=repeat_to` and the label columns `labels` repeated on every page, the print area
/// limited to `last_row` × `last_col` (no blank pages).
pub fn print_setup_wide(
    ws: &mut Worksheet,
    repeat_to: u32,
    labels: (u16, u16),
    last_row: u32,
    last_col: u16,
) -> Result<(), XlsxError> {
    common(ws);
    ws.set_landscape();
    ws.set_print_scale(WIDE_PRINT_SCALE);
    ws.set_repeat_rows(0, repeat_to)?;
    ws.set_repeat_columns(labels.0, labels.1)?;
    ws.set_print_area(0, 0, last_row, last_col)?;
    Ok(())
}

/// Page setup of a statutory table sheet of `width` column units and `height` points, printed
/// area `last_row` × `last_col`: A4 in the orientation where the whole sheet (table and check
/// area) prints largest, on one page when that page is still legible (scale ≥ 60 %), else one
/// page wide (landscape when it is wider than a portrait page); header rows `0..=repeat_to` and label columns `0..label_cols` repeated.
pub fn print_setup_table(
    ws: &mut Worksheet,
    (width, height): (f64, f64),
    repeat_to: u32,
    label_cols: u16,
    (last_row, last_col): (u32, u16),
) -> Result<(), XlsxError> {
    // Column units → mm (7 px per unit + 5 px padding at 96 dpi), points → mm.
    let w_mm = (width * 7.0 + 5.0) * 25.4 / 96.0;
    let h_mm = height * 25.4 / 72.0;
    let fit = |(pw, ph): (f64, f64)| (pw / w_mm).min(ph / h_mm).min(1.0);
    let (landscape, portrait) = (fit(LANDSCAPE_MM), fit(PORTRAIT_MM));
    common(ws);
    let one_page = landscape.max(portrait) >= ONE_PAGE_MIN_SCALE;
    // One page: the orientation where it prints largest; else one page wide and as many
    // tall, landscape only when the width does not fit a portrait page.
    let wide = if one_page {
        landscape >= portrait
    } else {
        w_mm > PORTRAIT_MM.0
    };
    if wide {
        ws.set_landscape();
    } else {
        ws.set_portrait();
    }
    ws.set_print_fit_to_pages(1, if one_page { 1 } else { 0 });
    ws.set_repeat_rows(0, repeat_to)?;
    if label_cols > 0 {
        ws.set_repeat_columns(0, label_cols - 1)?;
    }
    ws.set_print_area(0, 0, last_row, last_col)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_headers_stay_whole_long_ones_wrap() {
        // 本年新制作数量: 7 CJK characters, whole on one line.
        assert_eq!(header_width(14.0), 16.0);
        assert_eq!(header_width(16.0), 18.0);
        // A longer phrase wraps within the widest short header.
        assert_eq!(header_width(40.0), 18.0);
    }
}
