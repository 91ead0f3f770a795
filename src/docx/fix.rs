//! The post-processing pass over docx-rs's rendered parts, and the packer.
//!
//! docx-rs writes children of property elements out of ECMA-376 schema order (Word is reported
//! to drop such children silently, which would lose the East-Asian fonts), writes no title or
//! creator, never writes `firstLineChars`, has no `tblHeader`, writes an empty `Normal` style
//! before ours, lists only three fonts, writes no theme, and stores every part uncompressed.
//! This pass parses each XML part into a small tree, repairs it, serializes it again, and packs
//! the parts it keeps with deflate and fixed timestamps.

use super::Faces;
use crate::layout::Document;
use crate::report::Date;
use docx_rs::XMLDocx;
use std::io::Write;

// ---------------------------------------------------------------------------------------------
// A minimal XML tree (docx-rs output: no DTD, no CDATA, no processing instructions besides the
// declaration). Text and attribute values stay escaped as written, so a round trip is lossless.

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Node {
    Elem(Elem),
    Text(String),
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Elem {
    pub name: String,
    pub attrs: Vec<(String, String)>,
    pub children: Vec<Node>,
}

impl Elem {
    pub fn new(name: &str) -> Elem {
        Elem {
            name: name.to_string(),
            attrs: Vec::new(),
            children: Vec::new(),
        }
    }

    pub fn attr(mut self, k: &str, v: &str) -> Elem {
        self.set(k, v);
        self
    }

    pub fn get(&self, k: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(a, _)| a == k)
            .map(|(_, v)| v.as_str())
    }

    pub fn set(&mut self, k: &str, v: &str) {
        match self.attrs.iter_mut().find(|(a, _)| a == k) {
            Some(slot) => slot.1 = v.to_string(),
            None => self.attrs.push((k.to_string(), v.to_string())),
        }
    }

    pub fn remove_attr(&mut self, k: &str) {
        self.attrs.retain(|(a, _)| a != k);
    }

    pub fn elems(&self) -> impl Iterator<Item = &Elem> {
        self.children.iter().filter_map(|n| match n {
            Node::Elem(e) => Some(e),
            Node::Text(_) => None,
        })
    }

    pub fn elems_mut(&mut self) -> impl Iterator<Item = &mut Elem> {
        self.children.iter_mut().filter_map(|n| match n {
            Node::Elem(e) => Some(e),
            Node::Text(_) => None,
        })
    }

    pub fn child_mut(&mut self, name: &str) -> Option<&mut Elem> {
        self.elems_mut().find(|e| e.name == name)
    }

    /// The child `name`, created (appended) if absent.
    pub fn ensure(&mut self, name: &str) -> &mut Elem {
        let pos = self
            .children
            .iter()
            .position(|n| matches!(n, Node::Elem(e) if e.name == name));
        let i = match pos {
            Some(i) => i,
            None => {
                self.children.push(Node::Elem(Elem::new(name)));
                self.children.len() - 1
            }
        };
        match &mut self.children[i] {
            Node::Elem(e) => e,
            Node::Text(_) => unreachable!("position found an element"),
        }
    }

    pub fn push(&mut self, e: Elem) {
        self.children.push(Node::Elem(e));
    }

    /// Removes children for which `f` is true.
    pub fn remove_where(&mut self, f: impl Fn(&Elem) -> bool) {
        self.children.retain(|n| match n {
            Node::Elem(e) => !f(e),
            Node::Text(_) => true,
        });
    }

    fn is_empty(&self) -> bool {
        self.children.is_empty() && self.attrs.is_empty()
    }

    fn write(&self, out: &mut String) {
        out.push('<');
        out.push_str(&self.name);
        for (k, v) in &self.attrs {
            out.push(' ');
            out.push_str(k);
            out.push_str("=\"");
            out.push_str(v);
            out.push('"');
        }
        if self.children.is_empty() {
            out.push_str("/>");
            return;
        }
        out.push('>');
        for c in &self.children {
            match c {
                Node::Elem(e) => e.write(out),
                Node::Text(t) => out.push_str(t),
            }
        }
        out.push_str("</");
        out.push_str(&self.name);
        out.push('>');
    }
}

const DECLARATION: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\r\n";

/// Serializes a root element with the standard declaration.
pub(crate) fn serialize(root: &Elem) -> Vec<u8> {
    let mut s = String::with_capacity(4096);
    s.push_str(DECLARATION);
    root.write(&mut s);
    s.into_bytes()
}

/// Parses one XML part into its root element.
pub(crate) fn parse(bytes: &[u8]) -> Result<Elem, String> {
    let s = std::str::from_utf8(bytes).map_err(|e| format!("XML part is not UTF-8: {e}"))?;
    let b = s.as_bytes();
    let mut i = 0;
    let mut stack: Vec<Elem> = Vec::new();
    let mut root: Option<Elem> = None;
    let err = |what: &str, at: usize| format!("malformed XML ({what}) at byte {at}");
    while i < b.len() {
        if b[i] == b'<' {
            if s[i..].starts_with("<?") {
                let end = s[i..].find("?>").ok_or_else(|| err("declaration", i))?;
                i += end + 2;
            } else if s[i..].starts_with("<!--") {
                let end = s[i..].find("-->").ok_or_else(|| err("comment", i))?;
                i += end + 3;
            } else if s[i..].starts_with("</") {
                let end = s[i..].find('>').ok_or_else(|| err("end tag", i))?;
                let name = s[i + 2..i + end].trim();
                let e = stack.pop().ok_or_else(|| err("unbalanced end tag", i))?;
                if e.name != name {
                    return Err(err("mismatched end tag", i));
                }
                match stack.last_mut() {
                    Some(parent) => parent.children.push(Node::Elem(e)),
                    None => root = Some(e),
                }
                i += end + 1;
            } else {
                // Start tag: find its end, honouring quotes.
                let mut j = i + 1;
                let mut quote = 0u8;
                while j < b.len() {
                    let c = b[j];
                    if quote != 0 {
                        if c == quote {
                            quote = 0;
                        }
                    } else if c == b'"' || c == b'\'' {
                        quote = c;
                    } else if c == b'>' {
                        break;
                    }
                    j += 1;
                }
                if j >= b.len() {
                    return Err(err("start tag", i));
                }
                let self_closing = b[j - 1] == b'/';
                let inner = &s[i + 1..if self_closing { j - 1 } else { j }];
                let e = parse_tag(inner).ok_or_else(|| err("tag", i))?;
                if self_closing {
                    match stack.last_mut() {
                        Some(parent) => parent.children.push(Node::Elem(e)),
                        None => root = Some(e),
                    }
                } else {
                    stack.push(e);
                }
                i = j + 1;
            }
        } else {
            let end = s[i..].find('<').map(|k| i + k).unwrap_or(b.len());
            let text = &s[i..end];
            if let Some(parent) = stack.last_mut() {
                // Whitespace between elements is dropped; text inside w:t etc. is kept.
                if !text.trim().is_empty() || parent.name == "w:t" || parent.name == "w:instrText" {
                    parent.children.push(Node::Text(text.to_string()));
                }
            }
            i = end;
        }
    }
    if !stack.is_empty() {
        return Err(err("unclosed element", b.len()));
    }
    root.ok_or_else(|| "empty XML part".to_string())
}

fn parse_tag(inner: &str) -> Option<Elem> {
    let inner = inner.trim();
    let name_end = inner
        .find(|c: char| c.is_ascii_whitespace())
        .unwrap_or(inner.len());
    let mut e = Elem::new(&inner[..name_end]);
    let mut rest = &inner[name_end..];
    loop {
        rest = rest.trim_start();
        if rest.is_empty() {
            break;
        }
        let eq = rest.find('=')?;
        let key = rest[..eq].trim();
        let after = rest[eq + 1..].trim_start();
        let q = after.chars().next()?;
        if q != '"' && q != '\'' {
            return None;
        }
        let close = after[1..].find(q)?;
        let mut value = after[1..1 + close].to_string();
        if q == '\'' {
            value = value.replace('"', "&quot;");
        }
        e.attrs.push((key.to_string(), value));
        rest = &after[close + 2..];
    }
    Some(e)
}

/// Escapes text for element content and attribute values.
pub(crate) fn escape(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&apos;"),
            c => o.push(c),
        }
    }
    o
}

// ---------------------------------------------------------------------------------------------
// Schema order (ECMA-376 Part 1, transitional schema wml.xsd).

const RPR: &[&str] = &[
    "w:ins",
    "w:del",
    "w:moveFrom",
    "w:moveTo",
    "w:rStyle",
    "w:rFonts",
    "w:b",
    "w:bCs",
    "w:i",
    "w:iCs",
    "w:caps",
    "w:smallCaps",
    "w:strike",
    "w:dstrike",
    "w:outline",
    "w:shadow",
    "w:emboss",
    "w:imprint",
    "w:noProof",
    "w:snapToGrid",
    "w:vanish",
    "w:webHidden",
    "w:color",
    "w:spacing",
    "w:w",
    "w:kern",
    "w:position",
    "w:sz",
    "w:szCs",
    "w:highlight",
    "w:u",
    "w:effect",
    "w:bdr",
    "w:shd",
    "w:fitText",
    "w:vertAlign",
    "w:rtl",
    "w:cs",
    "w:em",
    "w:lang",
    "w:eastAsianLayout",
    "w:specVanish",
    "w:oMath",
    "w:rPrChange",
];

const PPR: &[&str] = &[
    "w:pStyle",
    "w:keepNext",
    "w:keepLines",
    "w:pageBreakBefore",
    "w:framePr",
    "w:widowControl",
    "w:numPr",
    "w:suppressLineNumbers",
    "w:pBdr",
    "w:shd",
    "w:tabs",
    "w:suppressAutoHyphens",
    "w:kinsoku",
    "w:wordWrap",
    "w:overflowPunct",
    "w:topLinePunct",
    "w:autoSpaceDE",
    "w:autoSpaceDN",
    "w:bidi",
    "w:adjustRightInd",
    "w:snapToGrid",
    "w:spacing",
    "w:ind",
    "w:contextualSpacing",
    "w:mirrorIndents",
    "w:suppressOverlap",
    "w:jc",
    "w:textDirection",
    "w:textAlignment",
    "w:textboxTightWrap",
    "w:outlineLvl",
    "w:divId",
    "w:cnfStyle",
    "w:rPr",
    "w:sectPr",
    "w:pPrChange",
];

const TCPR: &[&str] = &[
    "w:cnfStyle",
    "w:tcW",
    "w:gridSpan",
    "w:hMerge",
    "w:vMerge",
    "w:tcBorders",
    "w:shd",
    "w:noWrap",
    "w:tcMar",
    "w:textDirection",
    "w:tcFitText",
    "w:vAlign",
    "w:hideMark",
    "w:headers",
    "w:cellIns",
    "w:cellDel",
    "w:cellMerge",
    "w:tcPrChange",
];

const TBLPR: &[&str] = &[
    "w:tblStyle",
    "w:tblpPr",
    "w:tblOverlap",
    "w:bidiVisual",
    "w:tblStyleRowBandSize",
    "w:tblStyleColBandSize",
    "w:tblW",
    "w:jc",
    "w:tblCellSpacing",
    "w:tblInd",
    "w:tblBorders",
    "w:shd",
    "w:tblLayout",
    "w:tblCellMar",
    "w:tblLook",
    "w:tblCaption",
    "w:tblDescription",
    "w:tblPrChange",
];

const BORDERS: &[&str] = &[
    "w:top",
    "w:left",
    "w:start",
    "w:bottom",
    "w:right",
    "w:end",
    "w:insideH",
    "w:insideV",
    "w:tl2br",
    "w:tr2bl",
];

const SECTPR: &[&str] = &[
    "w:headerReference",
    "w:footerReference",
    "w:footnotePr",
    "w:endnotePr",
    "w:type",
    "w:pgSz",
    "w:pgMar",
    "w:paperSrc",
    "w:pgBorders",
    "w:lnNumType",
    "w:pgNumType",
    "w:cols",
    "w:formProt",
    "w:vAlign",
    "w:noEndnote",
    "w:titlePg",
    "w:textDirection",
    "w:bidi",
    "w:rtlGutter",
    "w:docGrid",
    "w:printerSettings",
    "w:sectPrChange",
];

const STYLE: &[&str] = &[
    "w:name",
    "w:aliases",
    "w:basedOn",
    "w:next",
    "w:link",
    "w:autoRedefine",
    "w:hidden",
    "w:uiPriority",
    "w:semiHidden",
    "w:unhideWhenUsed",
    "w:qFormat",
    "w:locked",
    "w:personal",
    "w:personalCompose",
    "w:personalReply",
    "w:rsid",
    "w:pPr",
    "w:rPr",
    "w:tblPr",
    "w:trPr",
    "w:tcPr",
    "w:tblStylePr",
];

const SETTINGS: &[&str] = &[
    "w:writeProtection",
    "w:view",
    "w:zoom",
    "w:removePersonalInformation",
    "w:removeDateAndTime",
    "w:doNotDisplayPageBoundaries",
    "w:displayBackgroundShape",
    "w:printPostScriptOverText",
    "w:printFractionalCharacterWidth",
    "w:printFormsData",
    "w:embedTrueTypeFonts",
    "w:embedSystemFonts",
    "w:saveSubsetFonts",
    "w:saveFormsData",
    "w:mirrorMargins",
    "w:alignBordersAndEdges",
    "w:bordersDoNotSurroundHeader",
    "w:bordersDoNotSurroundFooter",
    "w:gutterAtTop",
    "w:hideSpellingErrors",
    "w:hideGrammaticalErrors",
    "w:activeWritingStyle",
    "w:proofState",
    "w:formsDesign",
    "w:attachedTemplate",
    "w:linkStyles",
    "w:stylePaneFormatFilter",
    "w:stylePaneSortMethod",
    "w:documentType",
    "w:mailMerge",
    "w:revisionView",
    "w:trackRevisions",
    "w:doNotTrackMoves",
    "w:doNotTrackFormatting",
    "w:documentProtection",
    "w:autoFormatOverride",
    "w:styleLockTheme",
    "w:styleLockQFSet",
    "w:defaultTabStop",
    "w:autoHyphenation",
    "w:consecutiveHyphenLimit",
    "w:hyphenationZone",
    "w:doNotHyphenateCaps",
    "w:showEnvelope",
    "w:summaryLength",
    "w:clickAndTypeStyle",
    "w:defaultTableStyle",
    "w:evenAndOddHeaders",
    "w:bookFoldRevPrinting",
    "w:bookFoldPrinting",
    "w:bookFoldPrintingSheets",
    "w:drawingGridHorizontalSpacing",
    "w:drawingGridVerticalSpacing",
    "w:displayHorizontalDrawingGridEvery",
    "w:displayVerticalDrawingGridEvery",
    "w:doNotUseMarginsForDrawingGridOrigin",
    "w:drawingGridHorizontalOrigin",
    "w:drawingGridVerticalOrigin",
    "w:doNotShadeFormData",
    "w:noPunctuationKerning",
    "w:characterSpacingControl",
    "w:printTwoOnOne",
    "w:strictFirstAndLastChars",
    "w:noLineBreaksAfter",
    "w:noLineBreaksBefore",
    "w:savePreviewPicture",
    "w:doNotValidateAgainstSchema",
    "w:saveInvalidXml",
    "w:ignoreMixedContent",
    "w:alwaysShowPlaceholderText",
    "w:doNotDemarcateInvalidXml",
    "w:saveXmlDataOnly",
    "w:useXSLTWhenSaving",
    "w:saveThroughXslt",
    "w:showXMLTags",
    "w:alwaysMergeEmptyNamespace",
    "w:updateFields",
    "w:hdrShapeDefaults",
    "w:footnotePr",
    "w:endnotePr",
    "w:compat",
    "w:docVars",
    "w:rsids",
    "m:mathPr",
    "w:attachedSchema",
    "w:themeFontLang",
    "w:clrSchemeMapping",
    "w:doNotIncludeSubdocsInStats",
    "w:doNotAutoCompressPictures",
    "w:forceUpgrade",
    "w:captions",
    "w:readModeInkLockDown",
    "w:smartTagType",
    "sl:schemaLibrary",
    "w:shapeDefaults",
    "w:doNotEmbedSmartTags",
    "w:decimalSymbol",
    "w:listSeparator",
    // Extension elements follow the base schema's sequence.
    "w14:docId",
    "w15:chartTrackingRefBased",
    "w15:docId",
];

const CELL_MAR: &[&str] = &["w:top", "w:left", "w:start", "w:bottom", "w:right", "w:end"];

/// The child order of element `name`, if it is a sequence we sort.
fn order_of(name: &str) -> Option<&'static [&'static str]> {
    Some(match name {
        "w:rPr" => RPR,
        "w:pPr" => PPR,
        "w:tcPr" => TCPR,
        "w:tblPr" => TBLPR,
        "w:tblBorders" | "w:tcBorders" | "w:pBdr" => BORDERS,
        "w:tblCellMar" | "w:tcMar" => CELL_MAR,
        "w:sectPr" => SECTPR,
        "w:style" => STYLE,
        "w:settings" => SETTINGS,
        // Containers: only the leading property elements move; content keeps its order.
        "w:tbl" => &["w:tblPr", "w:tblGrid"],
        "w:tr" => &["w:tblPrEx", "w:trPr"],
        "w:tc" => &["w:tcPr"],
        "w:p" => &["w:pPr"],
        "w:r" => &["w:rPr"],
        "w:docDefaults" => &["w:rPrDefault", "w:pPrDefault"],
        "w:styles" => &["w:docDefaults", "w:latentStyles"],
        _ => return None,
    })
}

/// Stable-sorts the children of every element with a known sequence into schema order.
/// Children a sequence does not list keep their relative order after the listed ones (for the
/// containers that is the content: runs, cells, rows, styles).
pub(crate) fn canonicalize(e: &mut Elem) {
    for c in e.elems_mut() {
        canonicalize(c);
    }
    if let Some(order) = order_of(&e.name) {
        let rank = |n: &Node| -> usize {
            match n {
                Node::Elem(c) => order
                    .iter()
                    .position(|o| *o == c.name)
                    .unwrap_or(order.len()),
                Node::Text(_) => order.len(),
            }
        };
        e.children.sort_by_key(rank);
    }
}

// ---------------------------------------------------------------------------------------------
// Packing.

fn zip_parts(parts: &[(String, Vec<u8>)]) -> Result<Vec<u8>, String> {
    use zip::write::SimpleFileOptions;
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .last_modified_time(zip::DateTime::default())
        .unix_permissions(0o644);
    for (name, bytes) in parts {
        w.start_file(name.as_str(), opts)
            .map_err(|e| e.to_string())?;
        w.write_all(bytes).map_err(|e| e.to_string())?;
    }
    let cursor = w.finish().map_err(|e| e.to_string())?;
    Ok(cursor.into_inner())
}

// ---------------------------------------------------------------------------------------------
// Repairs.

/// Removes `w:rPr`/`w:pPr` elements with neither attributes nor children (docx-rs writes an
/// empty `<w:rPr/>` into every run and paragraph).
fn drop_empty_props(e: &mut Elem) {
    for c in e.elems_mut() {
        drop_empty_props(c);
    }
    e.remove_where(|c| (c.name == "w:rPr" || c.name == "w:pPr") && c.is_empty());
}

/// Per-element repairs that apply to every WordprocessingML part.
fn repair(e: &mut Elem) {
    match e.name.as_str() {
        // `firstLineChars` wins over `firstLine` in Word and WPS, so the indent stays two
        // characters whatever the font size; docx-rs never writes it.
        "w:ind" if e.get("w:firstLine") == Some(FIRST_LINE.to_string().as_str()) => {
            e.set("w:firstLineChars", "200");
        }
        // `w:type` is not an attribute of CT_TblGridCol.
        "w:gridCol" => e.remove_attr("w:type"),
        _ => {}
    }
    for c in e.elems_mut() {
        repair(c);
    }
}

const FIRST_LINE: i32 = super::geometry::INDENT_2CH;

/// Marks the leading rows of each body-level table as repeated header rows (`w:tblHeader`).
fn mark_header_rows(body: &mut Elem, header_rows: &[usize]) {
    let mut tables = body.elems_mut().filter(|e| e.name == "w:tbl");
    for &n in header_rows {
        let Some(tbl) = tables.next() else { break };
        for tr in tbl.elems_mut().filter(|e| e.name == "w:tr").take(n) {
            tr.ensure("w:trPr").push(Elem::new("w:tblHeader"));
        }
    }
}

fn fix_document(bytes: &[u8], header_rows: &[usize]) -> Result<Vec<u8>, String> {
    let mut root = parse(bytes)?;
    drop_empty_props(&mut root);
    repair(&mut root);
    if let Some(body) = root.child_mut("w:body") {
        mark_header_rows(body, header_rows);
    }
    canonicalize(&mut root);
    Ok(serialize(&root))
}

fn fix_styles(bytes: &[u8]) -> Result<Vec<u8>, String> {
    let mut root = parse(bytes)?;
    // docx-rs writes an empty `Normal` before the styles it was given; LibreOffice then takes
    // the empty one (and the grid falls back to a 12 pt base). Keep the last `Normal`.
    let normals = root
        .elems()
        .filter(|e| e.name == "w:style" && e.get("w:styleId") == Some("Normal"))
        .count();
    if normals > 1 {
        let mut seen = 0;
        root.children.retain(|n| match n {
            Node::Elem(e) if e.name == "w:style" && e.get("w:styleId") == Some("Normal") => {
                seen += 1;
                seen == normals
            }
            _ => true,
        });
    }
    // CT_PPrGeneral (style and default paragraph properties) has no `w:rPr` child.
    for style in root.elems_mut() {
        let targets: Vec<&mut Elem> = match style.name.as_str() {
            "w:style" => style.child_mut("w:pPr").into_iter().collect(),
            "w:docDefaults" => style
                .child_mut("w:pPrDefault")
                .and_then(|d| d.child_mut("w:pPr"))
                .into_iter()
                .collect(),
            _ => Vec::new(),
        };
        for ppr in targets {
            ppr.remove_where(|c| c.name == "w:rPr");
        }
    }
    // Widow control off, as in the zh-CN Normal template: every full page keeps its 22 lines
    // (headings still keep with the next paragraph). docx-rs has no style setter for it.
    for style in root.elems_mut() {
        if style.name == "w:style" && style.get("w:styleId") == Some("Normal") {
            let ppr = style.ensure("w:pPr");
            ppr.remove_where(|c| c.name == "w:widowControl");
            ppr.push(Elem::new("w:widowControl").attr("w:val", "0"));
        }
    }
    // Document defaults: the language tells Word and WPS which font slot ambiguous characters
    // (quotes, dashes) use and enables Chinese line-breaking rules.
    if let Some(defaults) = root.child_mut("w:docDefaults") {
        let rpr = defaults.ensure("w:rPrDefault").ensure("w:rPr");
        rpr.remove_where(|c| c.name == "w:lang");
        rpr.push(
            Elem::new("w:lang")
                .attr("w:val", "en-US")
                .attr("w:eastAsia", "zh-CN")
                .attr("w:bidi", "ar-SA"),
        );
    }
    drop_empty_props(&mut root);
    repair(&mut root);
    canonicalize(&mut root);
    Ok(serialize(&root))
}

fn fix_part(bytes: &[u8]) -> Result<Vec<u8>, String> {
    let mut root = parse(bytes)?;
    drop_empty_props(&mut root);
    repair(&mut root);
    canonicalize(&mut root);
    Ok(serialize(&root))
}

fn w3cdtf(d: Date) -> String {
    format!("{:04}-{:02}-{:02}T00:00:00Z", d.year, d.month, d.day)
}

fn core_xml(doc: &Document, date: Date) -> Vec<u8> {
    let m = &doc.meta;
    let created = w3cdtf(date);
    format!(
        "{DECLARATION}<cp:coreProperties \
xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\" \
xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:dcterms=\"http://purl.org/dc/terms/\" \
xmlns:dcmitype=\"http://purl.org/dc/dcmitype/\" \
xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">\
<dc:title>{title}</dc:title><dc:subject>{subject}</dc:subject><dc:creator>{creator}</dc:creator>\
<cp:keywords>{keywords}</cp:keywords><dc:language>{lang}</dc:language>\
<cp:lastModifiedBy>{creator}</cp:lastModifiedBy><cp:revision>1</cp:revision>\
<dcterms:created xsi:type=\"dcterms:W3CDTF\">{created}</dcterms:created>\
<dcterms:modified xsi:type=\"dcterms:W3CDTF\">{created}</dcterms:modified>\
</cp:coreProperties>",
        title = escape(&m.title),
        subject = escape(&m.subject),
        creator = escape(&m.author),
        keywords = escape(&format!("政府信息公开工作年度报告 {}", m.year)),
        lang = escape(&m.language),
    )
    .into_bytes()
}

fn app_xml(doc: &Document) -> Vec<u8> {
    format!(
        "{DECLARATION}<Properties \
xmlns=\"http://schemas.openxmlformats.org/officeDocument/2006/extended-properties\" \
xmlns:vt=\"http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes\">\
<Template>Normal.dotm</Template><Application>nianbao</Application><DocSecurity>0</DocSecurity>\
<Company>{}</Company></Properties>",
        escape(&doc.meta.agency)
    )
    .into_bytes()
}

/// The font table: every face the styles name, with the GB2312 charset (86) and panose class,
/// which is what Word's font substitution uses when a face is missing (see docs/docx.md).
fn font_table(faces: &Faces) -> Vec<u8> {
    use super::geometry::*;
    // (name, alternative name, panose-1, charset, family, pitch)
    let fonts: [(&str, &str, &str, &str, &str, &str); 6] = [
        (
            faces.body.as_str(),
            "FangSong_GB2312",
            "02010609030101010101",
            "86",
            "modern",
            "fixed",
        ),
        (
            faces.title.as_str(),
            "FZXiaoBiaoSong-B05S",
            "02000000000000000000",
            "86",
            "script",
            "variable",
        ),
        (
            faces.heading.as_str(),
            "SimHei",
            "02010609060101010101",
            "86",
            "modern",
            "fixed",
        ),
        (
            faces.kai.as_str(),
            "KaiTi_GB2312",
            "02010609030101010101",
            "86",
            "modern",
            "fixed",
        ),
        (
            faces.song.as_str(),
            "SimSun",
            "02010600030101010101",
            "86",
            "auto",
            "variable",
        ),
        (
            FONT_LATIN,
            "",
            "02020603050405020304",
            "00",
            "roman",
            "variable",
        ),
    ];
    let mut s = String::from(DECLARATION);
    s.push_str(
        "<w:fonts xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\" \
xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">",
    );
    let defaults = [
        FONT_FANG, FONT_TITLE, FONT_HEI, FONT_KAI, FONT_SONG, FONT_LATIN,
    ];
    let mut seen: Vec<&str> = Vec::new();
    for (i, (name, alt, panose, charset, family, pitch)) in fonts.into_iter().enumerate() {
        if seen.contains(&name) {
            continue;
        }
        seen.push(name);
        // The alternative (English) name belongs to the default face only, not to a face the
        // user chose with --font.
        let alt = if name == defaults[i] { alt } else { "" };
        s.push_str(&format!("<w:font w:name=\"{}\">", escape(name)));
        if !alt.is_empty() {
            s.push_str(&format!("<w:altName w:val=\"{alt}\"/>"));
        }
        s.push_str(&format!(
            "<w:panose1 w:val=\"{panose}\"/><w:charset w:val=\"{charset}\"/>\
<w:family w:val=\"{family}\"/><w:pitch w:val=\"{pitch}\"/></w:font>"
        ));
    }
    s.push_str("</w:fonts>");
    s.into_bytes()
}

/// A minimal, schema-complete DrawingML theme (Word requires a theme relationship; docx-rs
/// writes none). Its fonts repeat the body and heading faces.
fn theme_xml(faces: &Faces) -> Vec<u8> {
    use super::geometry::*;
    let colors = [
        ("dk1", "<a:sysClr val=\"windowText\" lastClr=\"000000\"/>"),
        ("lt1", "<a:sysClr val=\"window\" lastClr=\"FFFFFF\"/>"),
        ("dk2", "<a:srgbClr val=\"1F497D\"/>"),
        ("lt2", "<a:srgbClr val=\"EEECE1\"/>"),
        ("accent1", "<a:srgbClr val=\"4F81BD\"/>"),
        ("accent2", "<a:srgbClr val=\"C0504D\"/>"),
        ("accent3", "<a:srgbClr val=\"9BBB59\"/>"),
        ("accent4", "<a:srgbClr val=\"8064A2\"/>"),
        ("accent5", "<a:srgbClr val=\"4BACC6\"/>"),
        ("accent6", "<a:srgbClr val=\"F79646\"/>"),
        ("hlink", "<a:srgbClr val=\"0000FF\"/>"),
        ("folHlink", "<a:srgbClr val=\"800080\"/>"),
    ];
    let mut s = String::from(DECLARATION);
    s.push_str(
        "<a:theme xmlns:a=\"http://schemas.openxmlformats.org/drawingml/2006/main\" \
name=\"nianbao\"><a:themeElements><a:clrScheme name=\"nianbao\">",
    );
    for (n, c) in colors {
        s.push_str(&format!("<a:{n}>{c}</a:{n}>"));
    }
    s.push_str("</a:clrScheme><a:fontScheme name=\"nianbao\">");
    for (kind, ea) in [
        ("major", escape(&faces.heading)),
        ("minor", escape(&faces.body)),
    ] {
        s.push_str(&format!(
            "<a:{kind}Font><a:latin typeface=\"{FONT_LATIN}\"/><a:ea typeface=\"{ea}\"/>\
<a:cs typeface=\"\"/></a:{kind}Font>"
        ));
    }
    s.push_str("</a:fontScheme><a:fmtScheme name=\"nianbao\">");
    let fill = "<a:solidFill><a:schemeClr val=\"phClr\"/></a:solidFill>";
    s.push_str("<a:fillStyleLst>");
    s.push_str(&fill.repeat(3));
    s.push_str("</a:fillStyleLst><a:lnStyleLst>");
    for w in [9525, 25400, 38100] {
        s.push_str(&format!("<a:ln w=\"{w}\">{fill}</a:ln>"));
    }
    s.push_str("</a:lnStyleLst><a:effectStyleLst>");
    s.push_str(&"<a:effectStyle><a:effectLst/></a:effectStyle>".repeat(3));
    s.push_str("</a:effectStyleLst><a:bgFillStyleLst>");
    s.push_str(&fill.repeat(3));
    s.push_str(
        "</a:bgFillStyleLst></a:fmtScheme></a:themeElements><a:objectDefaults/>\
<a:extraClrSchemeLst/></a:theme>",
    );
    s.into_bytes()
}

const CT_MAIN: &str = "application/vnd.openxmlformats-officedocument.wordprocessingml";
const REL: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

fn content_types(parts: &[(String, Vec<u8>)]) -> Vec<u8> {
    let mut s = String::from(DECLARATION);
    s.push_str(
        "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">\
<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>\
<Default Extension=\"xml\" ContentType=\"application/xml\"/>",
    );
    for (name, _) in parts {
        let ct = match name.as_str() {
            "word/document.xml" => format!("{CT_MAIN}.document.main+xml"),
            "word/styles.xml" => format!("{CT_MAIN}.styles+xml"),
            "word/settings.xml" => format!("{CT_MAIN}.settings+xml"),
            "word/fontTable.xml" => format!("{CT_MAIN}.fontTable+xml"),
            "word/theme/theme1.xml" => {
                "application/vnd.openxmlformats-officedocument.theme+xml".to_string()
            }
            "docProps/core.xml" => {
                "application/vnd.openxmlformats-package.core-properties+xml".to_string()
            }
            "docProps/app.xml" => {
                "application/vnd.openxmlformats-officedocument.extended-properties+xml".to_string()
            }
            n if n.starts_with("word/footer") && n.ends_with(".xml") => {
                format!("{CT_MAIN}.footer+xml")
            }
            n if n.starts_with("word/header") && n.ends_with(".xml") => {
                format!("{CT_MAIN}.header+xml")
            }
            _ => continue,
        };
        s.push_str(&format!(
            "<Override PartName=\"/{name}\" ContentType=\"{ct}\"/>"
        ));
    }
    s.push_str("</Types>");
    s.into_bytes()
}

fn package_rels() -> Vec<u8> {
    format!(
        "{DECLARATION}<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">\
<Relationship Id=\"rId1\" Type=\"{REL}/officeDocument\" Target=\"word/document.xml\"/>\
<Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties\" Target=\"docProps/core.xml\"/>\
<Relationship Id=\"rId3\" Type=\"{REL}/extended-properties\" Target=\"docProps/app.xml\"/>\
</Relationships>"
    )
    .into_bytes()
}

/// Keeps docx-rs's relationships to parts we ship (so footer ids stay as referenced) and adds
/// the theme.
fn document_rels(bytes: &[u8], kept: &[String]) -> Result<Vec<u8>, String> {
    let mut root = parse(bytes)?;
    root.remove_where(|r| {
        let target = r.get("Target").unwrap_or("");
        !kept.iter().any(|k| k == &format!("word/{target}"))
    });
    let mut n = root.elems().count() + 1;
    while root
        .elems()
        .any(|r| r.get("Id") == Some(&format!("rId{n}")))
    {
        n += 1;
    }
    root.push(
        Elem::new("Relationship")
            .attr("Id", &format!("rId{n}"))
            .attr("Type", &format!("{REL}/theme"))
            .attr("Target", "theme/theme1.xml"),
    );
    Ok(serialize(&root))
}

/// Repairs the parts and packs the package.
pub fn finish(
    xml: XMLDocx,
    faces: &Faces,
    doc: &Document,
    date: Date,
    header_rows: &[usize],
) -> Result<Vec<u8>, String> {
    let mut parts: Vec<(String, Vec<u8>)> = vec![
        ("docProps/app.xml".into(), app_xml(doc)),
        ("docProps/core.xml".into(), core_xml(doc, date)),
        (
            "word/document.xml".into(),
            fix_document(&xml.document, header_rows)?,
        ),
        ("word/styles.xml".into(), fix_styles(&xml.styles)?),
        ("word/settings.xml".into(), fix_part(&xml.settings)?),
        ("word/fontTable.xml".into(), font_table(faces)),
        ("word/theme/theme1.xml".into(), theme_xml(faces)),
    ];
    for (i, h) in xml.headers.iter().enumerate() {
        parts.push((format!("word/header{}.xml", i + 1), fix_part(h)?));
    }
    for (i, f) in xml.footers.iter().enumerate() {
        parts.push((format!("word/footer{}.xml", i + 1), fix_part(f)?));
    }
    let kept: Vec<String> = parts.iter().map(|(n, _)| n.clone()).collect();
    let rels = document_rels(&xml.document_rels, &kept)?;
    let mut all: Vec<(String, Vec<u8>)> = vec![
        ("[Content_Types].xml".into(), content_types(&parts)),
        ("_rels/.rels".into(), package_rels()),
        ("word/_rels/document.xml.rels".into(), rels),
    ];
    all.extend(parts);
    zip_parts(&all)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_and_serialize_round_trip() {
        let src = r#"<?xml version="1.0"?><w:p a="1" b='x"y'><w:r><w:t xml:space="preserve"> a &amp; b </w:t></w:r><w:pPr/></w:p>"#;
        let e = parse(src.as_bytes()).unwrap();
        let out = String::from_utf8(serialize(&e)).unwrap();
        assert!(out.ends_with(
            r#"<w:p a="1" b="x&quot;y"><w:r><w:t xml:space="preserve"> a &amp; b </w:t></w:r><w:pPr/></w:p>"#
        ));
        assert!(parse(b"<a><b></a>").is_err());
        assert!(parse(b"<a").is_err());
        assert!(parse(b"").is_err());
        // Malformed input is an error, never a panic (multi-byte text included).
        for bad in [
            "<a b=x/>",
            "<a b=\"x",
            "</a>",
            "<中 文=\"值\">字",
            "<a><!-- x",
            "<?xml",
            "<>",
            "<a>\u{fffd}</b>",
        ] {
            let _ = parse(bad.as_bytes());
        }
        assert!(parse("<中 文=\"值\"/>".as_bytes()).is_ok());
        assert!(parse(&[0xff, 0xfe]).is_err());
    }

    #[test]
    fn children_are_sorted_into_schema_order() {
        let src = "<w:p><w:pPr><w:rPr/><w:jc/><w:pStyle/></w:pPr><w:r><w:t>x</w:t><w:rPr>\
<w:sz/><w:szCs/><w:rFonts/><w:spacing/></w:rPr></w:r></w:p>";
        let mut e = parse(src.as_bytes()).unwrap();
        drop_empty_props(&mut e);
        canonicalize(&mut e);
        let out = String::from_utf8(serialize(&e)).unwrap();
        assert!(out.ends_with(
            "<w:p><w:pPr><w:pStyle/><w:jc/></w:pPr><w:r><w:rPr><w:rFonts/><w:spacing/><w:sz/>\
<w:szCs/></w:rPr><w:t>x</w:t></w:r></w:p>"
        ));
    }

    #[test]
    fn header_rows_get_tbl_header_and_indents_get_chars() {
        let src =
            "<w:body><w:tbl><w:tr><w:trPr><w:cantSplit/></w:trPr></w:tr><w:tr/><w:tr/></w:tbl>\
<w:p><w:pPr><w:ind w:firstLine=\"640\"/></w:pPr></w:p></w:body>";
        let mut e = parse(src.as_bytes()).unwrap();
        repair(&mut e);
        mark_header_rows(&mut e, &[2]);
        let out = String::from_utf8(serialize(&e)).unwrap();
        assert_eq!(out.matches("<w:tblHeader/>").count(), 2);
        assert!(out.contains("w:firstLineChars=\"200\""));
    }
}
