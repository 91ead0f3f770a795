//! The Word reader: a `.docx` (Word, WPS, LibreOffice, nianbao's own) to the intermediate form.
//! The package is read with the `zip` crate under size limits ([`package`]), each part with
//! roxmltree after a nesting check. What Word really writes is taken as a reader sees it:
//!
//! * paragraphs, with the heading hint from the paragraph style (Title, heading 1, heading 2,
//!   or an outline level) and automatic numbering written out (`一、`, `（一）`, `1.` from
//!   `numbering.xml`), since the section assembler reads the numbers from the text;
//! * runs joined (Word splits a word into runs wherever the formatting or the spell checker
//!   touched it); soft line breaks (`w:br`, `w:cr`) kept as `\n`, page breaks dropped;
//! * tracked changes as accepted (`w:ins` kept, `w:del` dropped, deleted table rows dropped)
//!   and comments left out, each logged; fields as their result text (`w:fldSimple`, and the
//!   runs between `separate` and `end` of a `w:fldChar` field);
//! * tables with `gridSpan`, `vMerge` and `gridBefore` expanded into grids; tables and
//!   paragraphs inside text boxes (`w:txbxContent`, the first choice of `mc:AlternateContent`
//!   only, so a text box is not read twice) follow the paragraph that anchors them;
//! * document properties (`docProps/core.xml`): the title and author; the creation date is the
//!   publication date only in nianbao's own files (elsewhere it is the day the file was made),
//!   and not when it is the 1 January nianbao stamps on a report without a publication date.
//!
//! A table split by a page break into two `w:tbl` is two grids; the matcher joins them as it
//! does for the other readers.

pub mod package;

use super::log::{ImportLog, LogEntry, LogKind};
use super::source::{Grid, GridCell, SourceBlock, SourceDoc, SourceMeta, SourcePos, TextBlock};
use super::{ImportError, SourceKind};
use package::{parse_xml, Package};
use roxmltree::Node;
use std::collections::{BTreeSet, HashMap};

/// Most columns honoured in one table row (Word allows 63).
const MAX_COLUMNS: usize = 1000;
/// Most table slots built from one table.
const MAX_SLOTS: usize = 1_000_000;

fn local<'a>(n: &Node<'a, '_>) -> &'a str {
    n.tag_name().name()
}

/// An attribute by its local name, whatever its namespace (transitional and strict OOXML).
fn attr<'a>(n: &Node<'a, '_>, name: &str) -> Option<&'a str> {
    n.attributes().find(|a| a.name() == name).map(|a| a.value())
}

fn child<'a, 'i>(n: &Node<'a, 'i>, name: &str) -> Option<Node<'a, 'i>> {
    n.children().find(|c| c.is_element() && local(c) == name)
}

fn children<'a, 'i>(n: &Node<'a, 'i>, name: &'static str) -> impl Iterator<Item = Node<'a, 'i>> {
    n.children()
        .filter(move |c| c.is_element() && local(c) == name)
}

/// A `w:val` on/off property (`<w:vanish/>`, `<w:vanish w:val="0"/>`).
fn on(n: Option<Node>) -> bool {
    n.is_some_and(|n| !matches!(attr(&n, "val"), Some("0" | "false" | "off")))
}

/// A paragraph style: the heading hint it gives and the numbering it carries.
#[derive(Debug, Default, Clone)]
struct Style {
    heading: Option<u8>,
    num: Option<(String, usize)>,
    based_on: Option<String>,
}

/// One numbering level of an abstract numbering definition.
#[derive(Debug, Default, Clone)]
struct Level {
    start: u32,
    fmt: String,
    text: String,
}

#[derive(Default)]
struct Numbering {
    /// numId → abstractNumId and start overrides by level.
    nums: HashMap<String, (String, HashMap<usize, u32>)>,
    /// abstractNumId → levels.
    abstracts: HashMap<String, Vec<Level>>,
    /// Counters by abstractNumId.
    counters: HashMap<String, [u32; 9]>,
}

impl Numbering {
    fn read(doc: &roxmltree::Document) -> Numbering {
        let mut n = Numbering::default();
        for el in doc.root_element().children().filter(|c| c.is_element()) {
            match local(&el) {
                "abstractNum" => {
                    let Some(id) = attr(&el, "abstractNumId") else {
                        continue;
                    };
                    let mut levels = vec![Level::default(); 9];
                    for lvl in children(&el, "lvl") {
                        let Some(i) = attr(&lvl, "ilvl").and_then(|v| v.parse::<usize>().ok())
                        else {
                            continue;
                        };
                        if i >= 9 {
                            continue;
                        }
                        levels[i] = Level {
                            start: child(&lvl, "start")
                                .and_then(|s| attr(&s, "val"))
                                .and_then(|v| v.parse().ok())
                                .unwrap_or(1),
                            fmt: child(&lvl, "numFmt")
                                .and_then(|s| attr(&s, "val"))
                                .unwrap_or("decimal")
                                .to_string(),
                            text: child(&lvl, "lvlText")
                                .and_then(|s| attr(&s, "val"))
                                .unwrap_or("")
                                .to_string(),
                        };
                    }
                    n.abstracts.insert(id.to_string(), levels);
                }
                "num" => {
                    let (Some(id), Some(abs)) = (
                        attr(&el, "numId"),
                        child(&el, "abstractNumId").and_then(|a| attr(&a, "val")),
                    ) else {
                        continue;
                    };
                    let mut starts = HashMap::new();
                    for o in children(&el, "lvlOverride") {
                        if let (Some(i), Some(s)) = (
                            attr(&o, "ilvl").and_then(|v| v.parse::<usize>().ok()),
                            child(&o, "startOverride")
                                .and_then(|s| attr(&s, "val"))
                                .and_then(|v| v.parse::<u32>().ok()),
                        ) {
                            starts.insert(i, s);
                        }
                    }
                    n.nums.insert(id.to_string(), (abs.to_string(), starts));
                }
                _ => {}
            }
        }
        n
    }

    /// The number label of the next paragraph numbered `num_id` at level `ilvl` (`一、`), or
    /// `None` for bullets, `numId 0` and unknown lists.
    fn next(&mut self, num_id: &str, ilvl: usize) -> Option<String> {
        let (abs, starts) = self.nums.get(num_id)?.clone();
        let levels = self.abstracts.get(&abs)?.clone();
        let ilvl = ilvl.min(8);
        let start_of = |i: usize| starts.get(&i).copied().unwrap_or(levels[i].start);
        let counters = self.counters.entry(abs.clone()).or_insert_with(|| {
            let mut c = [0u32; 9];
            for (i, v) in c.iter_mut().enumerate() {
                *v = start_of(i).saturating_sub(1);
            }
            c
        });
        // A list may start at u32::MAX (`<w:start w:val="4294967295"/>`): stay there.
        counters[ilvl] = counters[ilvl].saturating_add(1);
        for (i, v) in counters.iter_mut().enumerate().skip(ilvl + 1) {
            *v = start_of(i).saturating_sub(1);
        }
        let level = &levels[ilvl];
        if level.fmt == "bullet" || level.fmt == "none" {
            return None;
        }
        let mut out = String::new();
        let mut chars = level.text.chars().peekable();
        while let Some(c) = chars.next() {
            if c == '%' {
                if let Some(d) = chars.peek().and_then(|d| d.to_digit(10)) {
                    chars.next();
                    let k = (d as usize).clamp(1, 9) - 1;
                    out.push_str(&format_number(counters[k], &levels[k].fmt));
                    continue;
                }
            }
            out.push(c);
        }
        Some(out)
    }
}

/// A counter in a Word number format.
fn format_number(n: u32, fmt: &str) -> String {
    const CN: [&str; 10] = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    match fmt {
        "chineseCounting" | "chineseCountingThousand" | "chineseLegalSimplified"
            if (1..100).contains(&n) =>
        {
            let (t, u) = ((n / 10) as usize, (n % 10) as usize);
            let mut s = String::new();
            if t > 1 {
                s.push_str(CN[t]);
            }
            if t > 0 {
                s.push('十');
            }
            if u > 0 {
                s.push_str(CN[u]);
            }
            s
        }
        "ideographTraditional" if (1..=10).contains(&n) => {
            ["甲", "乙", "丙", "丁", "戊", "己", "庚", "辛", "壬", "癸"][n as usize - 1].to_string()
        }
        "decimalFullWidth" | "decimalFullWidth2" => n
            .to_string()
            .chars()
            .map(|c| char::from_u32(c as u32 - '0' as u32 + 0xFF10).unwrap_or(c))
            .collect(),
        "decimalEnclosedCircle" | "decimalEnclosedCircleChinese" if (1..=20).contains(&n) => {
            char::from_u32(0x2460 + n - 1)
                .map(String::from)
                .unwrap_or_default()
        }
        "upperLetter" | "lowerLetter" if (1..=26).contains(&n) => {
            let c = (b'A' + (n - 1) as u8) as char;
            if fmt == "lowerLetter" {
                c.to_ascii_lowercase().to_string()
            } else {
                c.to_string()
            }
        }
        "upperRoman" | "lowerRoman" if (1..40).contains(&n) => {
            let mut s = String::new();
            let mut v = n;
            for (val, sym) in [(10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")] {
                while v >= val {
                    s.push_str(sym);
                    v -= val;
                }
            }
            if fmt == "lowerRoman" {
                s.to_ascii_lowercase()
            } else {
                s
            }
        }
        _ => n.to_string(),
    }
}

fn read_styles(doc: &roxmltree::Document) -> HashMap<String, Style> {
    let mut out = HashMap::new();
    for s in children(&doc.root_element(), "style") {
        if attr(&s, "type").is_some_and(|t| t != "paragraph") {
            continue;
        }
        let Some(id) = attr(&s, "styleId") else {
            continue;
        };
        let name = child(&s, "name")
            .and_then(|n| attr(&n, "val"))
            .unwrap_or("")
            .to_ascii_lowercase();
        let ppr = child(&s, "pPr");
        let outline = ppr
            .and_then(|p| child(&p, "outlineLvl"))
            .and_then(|o| attr(&o, "val"))
            .and_then(|v| v.parse::<u8>().ok());
        let heading = if name == "title" {
            Some(1)
        } else if let Some(d) = name
            .strip_prefix("heading ")
            .and_then(|d| d.trim().parse::<u8>().ok())
        {
            Some(if d <= 1 { 1 } else { 2 })
        } else {
            outline
                .filter(|o| *o < 9)
                .map(|o| if o == 0 { 1 } else { 2 })
        };
        let num = ppr.and_then(|p| child(&p, "numPr")).and_then(|np| {
            let id = child(&np, "numId").and_then(|n| attr(&n, "val"))?;
            let lvl = child(&np, "ilvl")
                .and_then(|n| attr(&n, "val"))
                .and_then(|v| v.parse().ok())
                .unwrap_or(0);
            Some((id.to_string(), lvl))
        });
        let based_on = child(&s, "basedOn")
            .and_then(|b| attr(&b, "val"))
            .map(str::to_string);
        out.insert(
            id.to_string(),
            Style {
                heading,
                num,
                based_on,
            },
        );
    }
    out
}

/// The text of one paragraph being read.
#[derive(Default)]
struct ParaText {
    text: String,
    /// Open complex fields: whether each is still in its instruction part.
    fields: Vec<bool>,
}

impl ParaText {
    fn in_code(&self) -> bool {
        self.fields.iter().any(|c| *c)
    }
}

struct Reader {
    styles: HashMap<String, Style>,
    numbering: Numbering,
    paragraphs: usize,
    tables: usize,
    slots: usize,
    log: ImportLog,
    comments: BTreeSet<String>,
}

impl Reader {
    fn note(&mut self, pos: SourcePos, message: String) {
        self.log.push(LogEntry {
            kind: LogKind::Note,
            path: String::new(),
            cell: String::new(),
            source: pos,
            message,
        });
    }

    fn style_chain(&self, id: Option<&str>) -> (Option<u8>, Option<(String, usize)>) {
        let (mut heading, mut num) = (None, None);
        let mut cur = id.map(str::to_string);
        for _ in 0..16 {
            let Some(s) = cur.as_ref().and_then(|i| self.styles.get(i)) else {
                break;
            };
            heading = heading.or(s.heading);
            num = num.or_else(|| s.num.clone());
            cur = s.based_on.clone();
        }
        (heading, num)
    }

    /// Block-level content (the body, a cell, a text box, a content control).
    fn blocks(&mut self, parent: Node, out: &mut Vec<SourceBlock>) {
        for n in parent.children().filter(|c| c.is_element()) {
            match local(&n) {
                "p" => self.paragraph(n, out),
                "tbl" => {
                    if let Some(g) = self.table(n, out) {
                        out.push(SourceBlock::Table(g));
                    }
                }
                "sdt" => {
                    if let Some(c) = child(&n, "sdtContent") {
                        self.blocks(c, out);
                    }
                }
                "customXml" | "ins" | "moveTo" | "smartTag" => self.blocks(n, out),
                "AlternateContent" => {
                    if let Some(c) = n.children().find(|c| c.is_element()) {
                        self.blocks(c, out);
                    }
                }
                _ => {}
            }
        }
    }

    /// A paragraph's text (number label included) and heading hint; text boxes anchored in it
    /// go to `boxes`.
    fn paragraph_text(
        &mut self,
        p: Node,
        pos: &SourcePos,
        boxes: &mut Vec<SourceBlock>,
    ) -> (String, Option<u8>) {
        let ppr = child(&p, "pPr");
        let style = ppr
            .and_then(|pp| child(&pp, "pStyle"))
            .and_then(|s| attr(&s, "val"));
        let (mut heading, style_num) = self.style_chain(style);
        if let Some(o) = ppr
            .and_then(|pp| child(&pp, "outlineLvl"))
            .and_then(|o| attr(&o, "val"))
            .and_then(|v| v.parse::<u8>().ok())
        {
            heading = (o < 9).then_some(if o == 0 { 1 } else { 2 });
        }
        let num = ppr
            .and_then(|pp| child(&pp, "numPr"))
            .map(|np| {
                let id = child(&np, "numId")
                    .and_then(|n| attr(&n, "val"))
                    .map(str::to_string);
                let lvl = child(&np, "ilvl")
                    .and_then(|n| attr(&n, "val"))
                    .and_then(|v| v.parse().ok());
                match (id, &style_num) {
                    (Some(id), _) => Some((id, lvl.unwrap_or(0))),
                    (None, Some((sid, slvl))) => Some((sid.clone(), lvl.unwrap_or(*slvl))),
                    (None, None) => None,
                }
            })
            .unwrap_or_else(|| style_num.clone());
        let mut t = ParaText::default();
        self.inline(p, &mut t, pos, boxes);
        let mut text = t.text;
        if !text.trim().is_empty() {
            if let Some(label) = num.and_then(|(id, lvl)| self.numbering.next(&id, lvl)) {
                text.insert_str(0, &label);
            }
        }
        (text, heading)
    }

    fn paragraph(&mut self, p: Node, out: &mut Vec<SourceBlock>) {
        self.paragraphs += 1;
        let pos = SourcePos::Paragraph(self.paragraphs);
        let mut boxes = Vec::new();
        let (text, heading) = self.paragraph_text(p, &pos, &mut boxes);
        if !text.trim().is_empty() {
            out.push(SourceBlock::Text(TextBlock {
                text,
                heading_level: heading,
                pos,
            }));
        }
        out.append(&mut boxes);
    }

    /// Inline content of a paragraph (runs and their containers).
    fn inline(
        &mut self,
        parent: Node,
        t: &mut ParaText,
        pos: &SourcePos,
        boxes: &mut Vec<SourceBlock>,
    ) {
        for n in parent.children().filter(|c| c.is_element()) {
            match local(&n) {
                "r" => self.run(n, t, pos, boxes),
                "ins" | "moveTo" => {
                    let before = t.text.len();
                    self.inline(n, t, pos, boxes);
                    let added = crate::text::quoted(&t.text[before..]);
                    self.note(
                        pos.clone(),
                        format!(
                            "有修订标记（插入 “{added}”），取了接受修订后的文字 (tracked insertion: took the accepted text)"
                        ),
                    );
                }
                "del" | "moveFrom" => {
                    let gone: String = n
                        .descendants()
                        .filter(|d| matches!(local(d), "delText" | "t"))
                        .filter_map(|d| d.text())
                        .collect();
                    let gone = crate::text::quoted(&gone);
                    self.note(
                        pos.clone(),
                        format!(
                            "有修订标记（删除 “{gone}”），取了接受修订后的文字 (tracked deletion: took the accepted text)"
                        ),
                    );
                }
                "hyperlink" | "fldSimple" | "smartTag" | "customXml" | "bdo" | "dir" => {
                    self.inline(n, t, pos, boxes)
                }
                "sdt" => {
                    if let Some(c) = child(&n, "sdtContent") {
                        self.inline(c, t, pos, boxes);
                    }
                }
                "AlternateContent" => {
                    if let Some(c) = n.children().find(|c| c.is_element()) {
                        self.inline(c, t, pos, boxes);
                    }
                }
                "commentRangeStart" => self.comment(&n, pos),
                _ => {}
            }
        }
    }

    fn comment(&mut self, n: &Node, pos: &SourcePos) {
        let id = attr(n, "id").unwrap_or("").to_string();
        if self.comments.insert(id) {
            self.note(
                pos.clone(),
                "有批注，批注内容不读入报告，取了正文的文字 (a comment: its text is not part of the report; took the body text)".to_string(),
            );
        }
    }

    fn run(&mut self, r: Node, t: &mut ParaText, pos: &SourcePos, boxes: &mut Vec<SourceBlock>) {
        let hidden = child(&r, "rPr").is_some_and(|p| on(child(&p, "vanish")));
        for n in r.children().filter(|c| c.is_element()) {
            match local(&n) {
                "t" if !hidden && !t.in_code() => t.text.push_str(n.text().unwrap_or("")),
                "tab" | "ptab" if !hidden && !t.in_code() => t.text.push(' '),
                // Page and column breaks are layout, not text.
                "br" | "cr"
                    if !hidden
                        && !t.in_code()
                        && !matches!(attr(&n, "type"), Some("page" | "column")) =>
                {
                    t.text.push('\n')
                }
                "noBreakHyphen" if !hidden && !t.in_code() => t.text.push('-'),
                "fldChar" => match attr(&n, "fldCharType") {
                    Some("begin") => t.fields.push(true),
                    Some("separate") => {
                        if let Some(last) = t.fields.last_mut() {
                            *last = false;
                        }
                    }
                    Some("end") => {
                        t.fields.pop();
                    }
                    _ => {}
                },
                "commentReference" => self.comment(&n, pos),
                "drawing" | "pict" | "object" | "AlternateContent" => {
                    // Text boxes: the first choice of an AlternateContent only.
                    let mut stack = vec![n];
                    while let Some(x) = stack.pop() {
                        if local(&x) == "txbxContent" {
                            self.blocks(x, boxes);
                            continue;
                        }
                        let kids: Vec<Node> = if local(&x) == "AlternateContent" {
                            x.children().filter(|c| c.is_element()).take(1).collect()
                        } else {
                            x.children().filter(|c| c.is_element()).collect()
                        };
                        stack.extend(kids.into_iter().rev());
                    }
                }
                _ => {}
            }
        }
    }

    /// A table as a grid, spans expanded. Rows deleted as a tracked change are dropped.
    fn table(&mut self, tbl: Node, outer: &mut Vec<SourceBlock>) -> Option<Grid> {
        self.tables += 1;
        let table_no = self.tables;
        let pos = SourcePos::Element(format!("第{table_no}个表格 (table {table_no})"));
        // (text, grid column, columns spanned, vMerge: None, Some(true) restart, Some(false) continue)
        type Cell = (String, usize, usize, Option<bool>, SourcePos);
        let mut rows: Vec<Vec<Cell>> = Vec::new();
        for tr in children(&tbl, "tr") {
            let trpr = child(&tr, "trPr");
            if trpr.is_some_and(|p| child(&p, "del").is_some()) {
                self.note(
                    pos.clone(),
                    format!("第{table_no}个表格的第{}行是修订中删除的行，已舍去 (a row deleted as a tracked change: dropped)", rows.len() + 1),
                );
                continue;
            }
            let before = trpr
                .and_then(|p| child(&p, "gridBefore"))
                .and_then(|g| attr(&g, "val"))
                .and_then(|v| v.parse::<usize>().ok())
                .unwrap_or(0)
                .min(MAX_COLUMNS);
            let r = rows.len();
            let mut row: Vec<Cell> = Vec::new();
            let mut col = before;
            let mut tcs: Vec<Node> = Vec::new();
            for c in tr.children().filter(|c| c.is_element()) {
                match local(&c) {
                    "tc" => tcs.push(c),
                    "sdt" | "customXml" => {
                        let inner = child(&c, "sdtContent").unwrap_or(c);
                        tcs.extend(children(&inner, "tc"));
                    }
                    _ => {}
                }
            }
            for tc in tcs {
                if col >= MAX_COLUMNS {
                    break;
                }
                let tcpr = child(&tc, "tcPr");
                let span = tcpr
                    .and_then(|p| child(&p, "gridSpan"))
                    .and_then(|g| attr(&g, "val"))
                    .and_then(|v| v.parse::<usize>().ok())
                    .unwrap_or(1)
                    .clamp(1, MAX_COLUMNS - col);
                let vmerge = tcpr
                    .and_then(|p| child(&p, "vMerge"))
                    .map(|v| attr(&v, "val") == Some("restart"));
                let cpos = SourcePos::Element(format!(
                    "第{table_no}个表格第{}行第{}列 (table {table_no}, row {}, column {})",
                    r + 1,
                    col + 1,
                    r + 1,
                    col + 1
                ));
                let mut lines: Vec<String> = Vec::new();
                let mut inner: Vec<SourceBlock> = Vec::new();
                self.blocks(tc, &mut inner);
                for b in inner {
                    match b {
                        SourceBlock::Text(t) => lines.push(t.text),
                        // A table inside a cell: its text in reading order, and the table itself
                        // after the outer one's position.
                        SourceBlock::Table(g) => {
                            for row in &g.rows {
                                let cells: Vec<&str> = row
                                    .iter()
                                    .enumerate()
                                    .filter(|(i, c)| c.origin.1 == *i)
                                    .map(|(_, c)| c.text.as_str())
                                    .collect();
                                lines.push(cells.join(" "));
                            }
                            outer.push(SourceBlock::Table(g));
                        }
                    }
                }
                row.push((lines.join("\n"), col, span, vmerge, cpos));
                col += span;
            }
            self.slots += col;
            if self.slots > MAX_SLOTS {
                break;
            }
            rows.push(row);
        }
        if rows.is_empty() {
            return None;
        }
        // Expand: every slot a copy of its merged cell.
        let width = rows
            .iter()
            .map(|r| r.last().map_or(0, |c| c.1 + c.2))
            .max()
            .unwrap_or(0);
        let mut grid: Vec<Vec<GridCell>> = Vec::with_capacity(rows.len());
        for (r, row) in rows.iter().enumerate() {
            let mut slots: Vec<GridCell> = (0..width)
                .map(|c| GridCell {
                    text: String::new(),
                    origin: (r, c),
                    span: (1, 1),
                    pos: SourcePos::Unknown,
                })
                .collect();
            let used = row.last().map_or(0, |c| c.1 + c.2);
            slots.truncate(used);
            for (text, col, span, vmerge, cpos) in row {
                // A continued vertical merge belongs to the cell above at the same column.
                let origin = if *vmerge == Some(false) && r > 0 {
                    grid[r - 1]
                        .get(*col)
                        .filter(|above| above.origin.1 == *col)
                        .map(|above| above.origin)
                } else {
                    None
                };
                match origin {
                    Some(o) => {
                        let rows_spanned = r - o.0 + 1;
                        let proto = grid[o.0][o.1].clone();
                        for c in *col..(*col + *span).min(slots.len()) {
                            slots[c] = GridCell {
                                span: (rows_spanned, proto.span.1),
                                ..proto.clone()
                            };
                        }
                        // Grow the span of every slot of the merged cell above.
                        for above in grid.iter_mut().take(r).skip(o.0) {
                            let end = (*col + *span).min(above.len());
                            for slot in above.iter_mut().take(end).skip(*col) {
                                if slot.origin == o {
                                    slot.span.0 = rows_spanned;
                                }
                            }
                        }
                    }
                    None => {
                        for c in *col..(*col + *span).min(slots.len()) {
                            slots[c] = GridCell {
                                text: text.clone(),
                                origin: (r, *col),
                                span: (1, *span),
                                pos: cpos.clone(),
                            };
                        }
                    }
                }
            }
            grid.push(slots);
        }
        Some(Grid { rows: grid, pos })
    }
}

fn read_meta(pkg: &mut Package) -> Result<SourceMeta, ImportError> {
    let nianbao = match pkg.text("docProps/app.xml")? {
        Some(app) => parse_xml(&app, "docProps/app.xml")?
            .descendants()
            .find(|n| n.is_element() && local(n) == "Application")
            .and_then(|n| n.text())
            .is_some_and(|t| t.trim() == "nianbao"),
        None => false,
    };
    core_meta(pkg, nianbao)
}

/// Title, author and (for nianbao's own files, `ours`) the publication date from
/// `docProps/core.xml`. nianbao stamps the publication date, or 1 January after the report year
/// (named in the keywords or the title) when the report has none: that one is not a
/// publication date.
pub(crate) fn core_meta(pkg: &mut Package, ours: bool) -> Result<SourceMeta, ImportError> {
    let mut meta = SourceMeta::default();
    if let Some(core) = pkg.text("docProps/core.xml")? {
        let doc = parse_xml(&core, "docProps/core.xml")?;
        let get = |name: &str| {
            doc.descendants()
                .find(|n| n.is_element() && local(n) == name)
                .and_then(|n| n.text())
                .map(|t| t.trim().to_string())
                .filter(|t| !t.is_empty())
        };
        meta.title = get("title");
        meta.author = get("creator");
        let year_in = |s: &str| -> Option<i32> {
            let digits: Vec<&str> = s
                .split(|c: char| !c.is_ascii_digit())
                .filter(|w| w.len() == 4)
                .collect();
            digits.last().and_then(|w| w.parse().ok())
        };
        let year = get("keywords")
            .as_deref()
            .and_then(year_in)
            .or_else(|| meta.title.as_deref().and_then(year_in));
        let created: Option<String> = get("created").map(|d| d.chars().take(10).collect());
        if ours && created != year.map(|y| format!("{:04}-01-01", y + 1)) {
            meta.published = created;
        }
    }
    Ok(meta)
}

/// The main document part named by the package relationships (`word/document.xml` usually).
fn main_part(pkg: &mut Package) -> Result<String, ImportError> {
    if let Some(rels) = pkg.text("_rels/.rels")? {
        let doc = parse_xml(&rels, "_rels/.rels")?;
        if let Some(target) = doc
            .descendants()
            .filter(|n| n.is_element() && local(n) == "Relationship")
            .find(|n| attr(n, "Type").is_some_and(|t| t.ends_with("/officeDocument")))
            .and_then(|n| attr(&n, "Target"))
        {
            return Ok(target.trim_start_matches('/').to_string());
        }
    }
    Ok("word/document.xml".to_string())
}

/// Reads a `.docx` into the intermediate form, with log entries for what was read with a note
/// (tracked changes, comments, deleted rows).
pub(crate) fn read(bytes: &[u8]) -> Result<(SourceDoc, ImportLog), ImportError> {
    let mut pkg = Package::open(bytes, SourceKind::Docx)?;
    let main = main_part(&mut pkg)?;
    let Some(body_xml) = pkg.text(&main)? else {
        return Err(ImportError::Unreadable {
            reason: format!(
                "这不是 Word 文档：zip 包中没有 {main} (not a Word document: no main document part)"
            ),
        });
    };
    let styles = match pkg.text("word/styles.xml")? {
        Some(s) => read_styles(&parse_xml(&s, "word/styles.xml")?),
        None => HashMap::new(),
    };
    let numbering = match pkg.text("word/numbering.xml")? {
        Some(s) => Numbering::read(&parse_xml(&s, "word/numbering.xml")?),
        None => Numbering::default(),
    };
    let meta = read_meta(&mut pkg)?;
    let doc = parse_xml(&body_xml, &main)?;
    let Some(body) = doc
        .root_element()
        .children()
        .find(|c| c.is_element() && local(c) == "body")
    else {
        return Err(ImportError::Unreadable {
            reason: format!("{main} 中没有正文 (w:body) (no document body)"),
        });
    };
    let mut reader = Reader {
        styles,
        numbering,
        paragraphs: 0,
        tables: 0,
        slots: 0,
        log: ImportLog::default(),
        comments: BTreeSet::new(),
    };
    let mut blocks = Vec::new();
    reader.blocks(body, &mut blocks);
    Ok((SourceDoc { meta, blocks }, reader.log))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_counting_and_other_formats() {
        assert_eq!(format_number(1, "chineseCounting"), "一");
        assert_eq!(format_number(10, "chineseCounting"), "十");
        assert_eq!(format_number(12, "chineseCountingThousand"), "十二");
        assert_eq!(format_number(21, "chineseCounting"), "二十一");
        assert_eq!(format_number(3, "decimal"), "3");
        assert_eq!(format_number(4, "upperRoman"), "IV");
        assert_eq!(format_number(2, "decimalFullWidth"), "２");
    }
}
