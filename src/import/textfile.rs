//! The crawler-text reader: text a crawler saved from a report page, to the intermediate form.
//! Three table shapes occur: one cell per line ending in ` |` (the seed; a cell broken over two
//! lines is joined), pipe rows (`| a | b |`), and cells simply following each other in the text
//! (those stay text; the matcher cuts them into labels and numbers). A header of `key: value`
//! lines before a `=== 正文 ===` line is read as metadata.

use super::source::{Grid, GridCell, SourceBlock, SourceDoc, SourceMeta, SourcePos, TextBlock};
use super::vocab::vocab;

fn is_cell_line(l: &str) -> bool {
    let t = l.trim();
    t.ends_with('|') && t.matches('|').count() == 1
}

fn is_pipe_row(l: &str) -> bool {
    let t = l.trim();
    t.len() >= 2 && t.starts_with('|') && t.ends_with('|') && t.matches('|').count() >= 3
}

fn pipe_cells(l: &str) -> Vec<String> {
    let t = l.trim();
    let inner = &t[1..t.len() - 1];
    inner.split('|').map(|c| c.trim().to_string()).collect()
}

fn is_separator_row(cells: &[String]) -> bool {
    cells
        .iter()
        .all(|c| !c.is_empty() && c.chars().all(|ch| matches!(ch, '-' | ':' | ' ')))
}

fn cell_text(l: &str) -> String {
    let t = l.trim_end();
    let t = t.strip_suffix('|').unwrap_or(t);
    t.strip_suffix(' ').unwrap_or(t).trim().to_string()
}

fn grid_of_cells(cells: Vec<(String, usize)>, first_line: usize) -> Grid {
    let row: Vec<GridCell> = cells
        .into_iter()
        .enumerate()
        .map(|(c, (text, line))| GridCell {
            text,
            origin: (0, c),
            span: (1, 1),
            pos: SourcePos::Line(line),
        })
        .collect();
    Grid {
        rows: vec![row],
        pos: SourcePos::Line(first_line),
    }
}

/// Reads crawler text into the intermediate form.
pub(crate) fn read(text: &str) -> SourceDoc {
    let v = vocab();
    let lines: Vec<&str> = text.lines().collect();
    let mut meta = SourceMeta::default();
    // The crawler's header, up to a separator line naming the body.
    let mut start = 0;
    let sep = lines.iter().take(40).position(|l| {
        let t = l.trim();
        t.chars().filter(|c| *c == '=').count() >= 6
            && v.body_markers.iter().any(|m| t.contains(m.as_str()))
    });
    let header_end = match sep {
        Some(i) => i,
        None => lines
            .iter()
            .take(20)
            .take_while(|l| header_pair(l).is_some_and(|(k, _)| known_key(&k)))
            .count(),
    };
    for l in &lines[..header_end] {
        if let Some((k, val)) = header_pair(l) {
            if val.is_empty() {
                continue;
            }
            if v.title_keys.contains(&k) && meta.title.is_none() {
                meta.title = Some(val);
            } else if v.date_keys.contains(&k) && meta.published.is_none() {
                meta.published = Some(val);
            } else if v.author_keys.contains(&k) && meta.author.is_none() {
                meta.author = Some(val);
            }
        }
    }
    if header_end > 0 || sep.is_some() {
        start = header_end + usize::from(sep.is_some());
    }

    let mut blocks: Vec<SourceBlock> = Vec::new();
    let mut cells: Vec<(String, usize)> = Vec::new();
    let mut cells_start = 0;
    let mut pipe: Vec<Vec<GridCell>> = Vec::new();
    let mut pipe_start = 0;
    let flush_cells =
        |cells: &mut Vec<(String, usize)>, blocks: &mut Vec<SourceBlock>, at: usize| {
            if !cells.is_empty() {
                blocks.push(SourceBlock::Table(grid_of_cells(std::mem::take(cells), at)));
            }
        };
    let flush_pipe = |pipe: &mut Vec<Vec<GridCell>>, blocks: &mut Vec<SourceBlock>, at: usize| {
        if !pipe.is_empty() {
            blocks.push(SourceBlock::Table(Grid {
                rows: std::mem::take(pipe),
                pos: SourcePos::Line(at),
            }));
        }
    };
    let mut i = start;
    while i < lines.len() {
        let line = lines[i];
        let no = i + 1;
        if is_pipe_row(line) {
            flush_cells(&mut cells, &mut blocks, cells_start);
            let cs = pipe_cells(line);
            if !is_separator_row(&cs) {
                if pipe.is_empty() {
                    pipe_start = no;
                }
                let r = pipe.len();
                pipe.push(
                    cs.into_iter()
                        .enumerate()
                        .map(|(c, text)| GridCell {
                            text,
                            origin: (r, c),
                            span: (1, 1),
                            pos: SourcePos::Line(no),
                        })
                        .collect(),
                );
            }
            i += 1;
            continue;
        }
        flush_pipe(&mut pipe, &mut blocks, pipe_start);
        if is_cell_line(line) {
            if cells.is_empty() {
                cells_start = no;
            }
            cells.push((cell_text(line), no));
            i += 1;
            continue;
        }
        // The first half of a cell broken over two lines, inside a run of cell lines.
        if !cells.is_empty()
            && !line.trim().is_empty()
            && lines.get(i + 1).is_some_and(|n| is_cell_line(n))
            && line.chars().count() <= 40
            && !super::assemble::is_heading_line(line)
        {
            cells.push((format!("{}\n{}", line.trim(), cell_text(lines[i + 1])), no));
            i += 2;
            continue;
        }
        flush_cells(&mut cells, &mut blocks, cells_start);
        if !line.trim().is_empty() {
            blocks.push(SourceBlock::Text(TextBlock {
                text: line.to_string(),
                heading_level: None,
                pos: SourcePos::Line(no),
            }));
        }
        i += 1;
    }
    flush_cells(&mut cells, &mut blocks, cells_start);
    flush_pipe(&mut pipe, &mut blocks, pipe_start);
    SourceDoc { meta, blocks }
}

fn header_pair(l: &str) -> Option<(String, String)> {
    let i = l.find([':', '：'])?;
    let k = l[..i].trim().to_string();
    let sep = l[i..].chars().next().map(char::len_utf8).unwrap_or(1);
    if k.is_empty() || k.chars().count() > 8 {
        return None;
    }
    Some((k, l[i + sep..].trim().to_string()))
}

fn known_key(k: &str) -> bool {
    let v = vocab();
    v.title_keys.iter().any(|x| x == k)
        || v.date_keys.iter().any(|x| x == k)
        || v.author_keys.iter().any(|x| x == k)
}
