//! The HTML reader's own tree (html5ever's tree builder into an arena of ours): the tree
//! builder's rewrites of broken markup reach the intermediate form as a browser shows them —
//! text foster-parented out of a table, misnested formatting elements (adoption agency: nodes
//! moved between parents), spans and the few attributes the reader uses.

use nianbao::import::html_doc;
use nianbao::import::source::{SourceBlock, SourceDoc};
use std::sync::mpsc;
use std::time::Duration;

/// Reads a page on its own thread, so a broken tree (a cycle in its links) fails the test
/// instead of hanging it.
fn read(html: &'static str) -> SourceDoc {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(html_doc(html));
    });
    rx.recv_timeout(Duration::from_secs(30))
        .expect("the HTML reader did not finish within 30 s (or panicked)")
}

/// The blocks as short strings: `T:text` for text, `G:` and the grid's rows for tables.
fn blocks(doc: &SourceDoc) -> Vec<String> {
    doc.blocks
        .iter()
        .map(|b| match b {
            SourceBlock::Text(t) => format!("T:{}", t.text),
            SourceBlock::Table(g) => {
                let rows: Vec<String> = g
                    .rows
                    .iter()
                    .map(|r| {
                        r.iter()
                            .map(|c| c.text.as_str())
                            .collect::<Vec<_>>()
                            .join("|")
                    })
                    .collect();
                format!("G:{}", rows.join("/"))
            }
        })
        .collect()
}

#[test]
fn text_inside_a_table_but_outside_its_cells_is_moved_before_the_table() {
    // Per the HTML parsing rules, "说明" is foster-parented: inserted before the table
    // (the sink's insert-before-sibling), not lost and not put into a cell.
    let doc = read("<body><table><tr><td>规章</td></tr>说明<tr><td>1</td></tr></table></body>");
    assert_eq!(blocks(&doc), ["T:说明", "G:规章/1"]);
}

#[test]
fn misnested_formatting_is_rebuilt_as_a_browser_does() {
    // `<b>甲<p>乙</b>丙</p>`: the adoption agency moves the <p> out of <b> and gives it a new <b>
    // holding 乙 (the sink's remove-from-parent, reparent-children and append).
    let doc = read("<body><b>甲<p>乙</b>丙</p>丁</body>");
    assert_eq!(blocks(&doc), ["T:甲", "T:乙丙", "T:丁"]);
}

#[test]
fn adjacent_text_across_inline_soup_and_comments_joins() {
    let doc =
        read("<body><p><span>主动</span><!-- x --><font>公开</font>政府<b>信息</b></p></body>");
    assert_eq!(blocks(&doc), ["T:主动公开政府信息"]);
}

#[test]
fn spans_and_metadata_attributes_are_read() {
    let doc = read(
        "<html><head><meta name=\"PubDate\" content=\"2024-01-17\"><title>标题</title></head>\
         <body><table><tr><td rowspan=\"2\" colspan=\"2\" class=\"x\">甲</td><td>乙</td></tr>\
         <tr><td>丙</td></tr></table></body></html>",
    );
    assert_eq!(blocks(&doc), ["G:甲|甲|乙/甲|甲|丙"]);
    assert_eq!(doc.meta.published.as_deref(), Some("2024-01-17"));
    assert_eq!(doc.meta.title.as_deref(), Some("标题"));
}
