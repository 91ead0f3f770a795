//! Test only: the ECMA-376 child order (Part 1, transitional `wml.xsd`) of the elements the
//! writer emits, checked on its output. Every XML part of every bundled example is parsed with
//! quick-xml; the children of each element that has a sequence must come in schema order, and
//! property elements may contain only the children the schema lists.

use quick_xml::events::Event;
use quick_xml::Reader;

const RPR: &[&str] = &[
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

const CELL_MAR: &[&str] = &["w:top", "w:left", "w:start", "w:bottom", "w:right", "w:end"];

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
];

const COMPAT: &[&str] = &[
    "w:useSingleBorderforContiguousCells",
    "w:wpJustification",
    "w:noTabHangInd",
    "w:noLeading",
    "w:spaceForUL",
    "w:noColumnBalance",
    "w:balanceSingleByteDoubleByteWidth",
    "w:noExtraLineSpacing",
    "w:doNotLeaveBackslashAlone",
    "w:ulTrailSpace",
    "w:doNotExpandShiftReturn",
    "w:spacingInWholePoints",
    "w:lineWrapLikeWord6",
    "w:printBodyTextBeforeHeader",
    "w:printColBlack",
    "w:wpSpaceWidth",
    "w:showBreaksInFrames",
    "w:subFontBySize",
    "w:suppressBottomSpacing",
    "w:suppressTopSpacing",
    "w:suppressSpacingAtTopOfPage",
    "w:suppressTopSpacingWP",
    "w:suppressSpBfAfterPgBrk",
    "w:swapBordersFacingPages",
    "w:convMailMergeEsc",
    "w:truncateFontHeightsLikeWP6",
    "w:mwSmallCaps",
    "w:usePrinterMetrics",
    "w:doNotSuppressParagraphBorders",
    "w:wrapTrailSpaces",
    "w:footnoteLayoutLikeWW8",
    "w:shapeLayoutLikeWW8",
    "w:alignTablesRowByRow",
    "w:forgetLastTabAlignment",
    "w:adjustLineHeightInTable",
    "w:autoSpaceLikeWord95",
    "w:noSpaceRaiseLower",
    "w:doNotUseHTMLParagraphAutoSpacing",
    "w:layoutRawTableWidth",
    "w:layoutTableRowsApart",
    "w:useWord97LineBreakRules",
    "w:doNotBreakWrappedTables",
    "w:doNotSnapToGridInCell",
    "w:selectFldWithFirstOrLastChar",
    "w:applyBreakingRules",
    "w:doNotWrapTextWithPunct",
    "w:doNotUseEastAsianBreakRules",
    "w:useWord2002TableStyleRules",
    "w:growAutofit",
    "w:useFELayout",
    "w:useNormalStyleForList",
    "w:doNotUseIndentAsNumberingTabStop",
    "w:useAltKinsokuLineBreakRules",
    "w:allowSpaceOfSameStyleInTable",
    "w:doNotSuppressIndentation",
    "w:doNotAutofitConstrainedTables",
    "w:autofitToFirstFixedWidthCell",
    "w:underlineTabInNumList",
    "w:displayHangulFixedWidth",
    "w:splitPgBreakAndParaMark",
    "w:doNotVertAlignCellWithSp",
    "w:doNotBreakConstrainedForcedTable",
    "w:doNotVertAlignInTxbx",
    "w:useAnsiKerningPairs",
    "w:cachedColBalance",
    "w:compatSetting",
];

const FONT: &[&str] = &[
    "w:altName",
    "w:panose1",
    "w:charset",
    "w:family",
    "w:notTrueType",
    "w:pitch",
    "w:sig",
    "w:embedRegular",
    "w:embedBold",
    "w:embedItalic",
    "w:embedBoldItalic",
];

/// How an element's children are constrained.
enum Rule {
    /// A property element: only these children, in this order.
    Closed(&'static [&'static str]),
    /// A container: these leading elements in this order, then content, then these trailing
    /// elements (e.g. `w:sectPr` last in `w:body`).
    Container {
        lead: &'static [&'static str],
        tail: &'static [&'static str],
    },
}

fn rule(name: &str) -> Option<Rule> {
    use Rule::*;
    Some(match name {
        "w:rPr" => Closed(RPR),
        "w:pPr" => Closed(PPR),
        "w:tcPr" => Closed(TCPR),
        "w:tblPr" => Closed(TBLPR),
        "w:tblBorders" | "w:tcBorders" | "w:pBdr" => Closed(BORDERS),
        "w:tblCellMar" | "w:tcMar" => Closed(CELL_MAR),
        "w:sectPr" => Closed(SECTPR),
        "w:style" => Closed(STYLE),
        "w:settings" => Closed(SETTINGS),
        "w:compat" => Closed(COMPAT),
        "w:font" => Closed(FONT),
        "w:docDefaults" => Closed(&["w:rPrDefault", "w:pPrDefault"]),
        "w:trPr" => Closed(&["w:cantSplit", "w:tblHeader", "w:trHeight", "w:jc"]),
        "w:tbl" => Container {
            lead: &["w:tblPr", "w:tblGrid"],
            tail: &[],
        },
        "w:tr" => Container {
            lead: &["w:tblPrEx", "w:trPr"],
            tail: &[],
        },
        "w:tc" => Container {
            lead: &["w:tcPr"],
            tail: &[],
        },
        "w:p" => Container {
            lead: &["w:pPr"],
            tail: &[],
        },
        "w:r" => Container {
            lead: &["w:rPr"],
            tail: &[],
        },
        "w:body" => Container {
            lead: &[],
            tail: &["w:sectPr"],
        },
        "w:styles" => Container {
            lead: &["w:docDefaults", "w:latentStyles"],
            tail: &[],
        },
        _ => return None,
    })
}

/// The order violations in one part: (parent, children as written). A part that is not
/// well-formed XML is a violation too.
pub fn violations(xml: &[u8]) -> Vec<String> {
    let mut reader = Reader::from_reader(xml);
    let mut stack: Vec<(String, Vec<String>)> = Vec::new();
    let mut found = Vec::new();
    let mut buf = Vec::new();
    loop {
        let event = match reader.read_event_into(&mut buf) {
            Ok(e) => e,
            Err(e) => {
                found.push(format!("not well-formed: {e}"));
                break;
            }
        };
        match event {
            Event::Start(ref e) | Event::Empty(ref e) => {
                let name = String::from_utf8_lossy(e.name().as_ref()).into_owned();
                let empty = matches!(event, Event::Empty(_));
                if let Some((_, children)) = stack.last_mut() {
                    children.push(name.clone());
                }
                if empty {
                    check(&name, &[], &mut found);
                } else {
                    stack.push((name, Vec::new()));
                }
            }
            Event::End(_) => {
                if let Some((name, children)) = stack.pop() {
                    check(&name, &children, &mut found);
                }
            }
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    if !stack.is_empty() {
        found.push("unclosed elements".into());
    }
    found
}

fn check(name: &str, children: &[String], found: &mut Vec<String>) {
    let Some(rule) = rule(name) else { return };
    let bad = || format!("{name}: {}", children.join(" "));
    match rule {
        Rule::Closed(order) => {
            let mut last = 0;
            for c in children {
                match order.iter().position(|o| o == c) {
                    Some(i) if i >= last => last = i,
                    _ => {
                        found.push(bad());
                        return;
                    }
                }
            }
        }
        Rule::Container { lead, tail } => {
            // rank: lead elements by position, content 1000, tail elements after it
            let rank = |c: &String| {
                if let Some(i) = lead.iter().position(|o| o == c) {
                    i
                } else if let Some(i) = tail.iter().position(|o| o == c) {
                    2000 + i
                } else {
                    1000
                }
            };
            if children.windows(2).any(|w| rank(&w[0]) > rank(&w[1])) {
                found.push(bad());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    fn parts(bytes: &[u8]) -> Vec<(String, Vec<u8>)> {
        let mut z = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
        (0..z.len())
            .map(|i| {
                let mut e = z.by_index(i).unwrap();
                let mut b = Vec::new();
                e.read_to_end(&mut b).unwrap();
                (e.name().unwrap().into_owned(), b)
            })
            .collect()
    }

    fn export(example: &str, edit: impl Fn(&mut crate::layout::Document)) -> Vec<u8> {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let json = std::fs::read_to_string(root.join("examples").join(example)).unwrap();
        let report = crate::Report::from_json(&json).unwrap();
        let mut doc = crate::layout::build(&report);
        edit(&mut doc);
        super::super::write(&doc, &Default::default())
            .unwrap()
            .bytes
    }

    #[test]
    fn every_element_of_every_part_is_in_schema_order() {
        for example in ["potou-2023.json", "demo-2019.json", "demo-city-2024.json"] {
            let bytes = export(example, |_| {});
            let parts = parts(&bytes);
            assert!(parts.len() >= 12, "{example}: {} parts", parts.len());
            let mut checked = 0;
            for (name, xml) in &parts {
                let v = violations(xml);
                assert!(v.is_empty(), "{example} {name}: {v:?}");
                checked += xml.windows(5).filter(|w| w == b"<w:p>").count();
            }
            assert!(checked > 50, "{example}: only {checked} paragraphs checked");
        }
    }

    #[test]
    fn the_check_catches_misordered_and_unknown_children() {
        let ok = b"<w:p><w:pPr><w:pStyle/><w:keepNext/><w:jc/></w:pPr><w:r><w:rPr><w:rFonts/><w:sz/></w:rPr><w:t>x</w:t></w:r></w:p>";
        assert!(violations(ok).is_empty());
        for bad in [
            // docx-rs's order: size before fonts.
            &b"<w:r><w:rPr><w:sz/><w:rFonts/></w:rPr></w:r>"[..],
            b"<w:p><w:pPr><w:jc/><w:pStyle/></w:pPr></w:p>",
            b"<w:p><w:r/><w:pPr/></w:p>",
            b"<w:pPr><w:keepnext/></w:pPr>",
            b"<w:body><w:sectPr/><w:p/></w:body>",
            b"<w:p><w:r></w:p>",
        ] {
            assert!(
                !violations(bad).is_empty(),
                "{}",
                String::from_utf8_lossy(bad)
            );
        }
    }

    #[test]
    fn control_characters_never_reach_a_part() {
        // Issue 8 item 6: a vertical tab in the title and a backspace in the agency.
        let bytes = export("demo-2019.json", |doc| {
            doc.title.push('\u{b}');
            doc.meta.title = format!("示例\u{b}标题{}", doc.meta.title);
            doc.meta.agency = "示例\u{8}机关".to_string();
            doc.meta.author = doc.meta.agency.clone();
            doc.title_lines[0].push('\u{b}');
            doc.blocks.push(crate::layout::Block::Paragraph(
                "正文\u{1}\u{c}\u{ffff}结束".into(),
            ));
        });
        for (name, xml) in parts(&bytes) {
            assert!(violations(&xml).is_empty(), "{name}");
            let text = String::from_utf8(xml).unwrap();
            assert!(
                !text.contains(['\u{b}', '\u{8}', '\u{1}', '\u{c}', '\u{ffff}']),
                "{name} carries a control character"
            );
            if name == "docProps/core.xml" {
                assert!(text.contains("<dc:creator>示例机关</dc:creator>"), "{text}");
            }
            if name == "docProps/app.xml" {
                assert!(text.contains("<Company>示例机关</Company>"), "{text}");
            }
            if name == "word/document.xml" {
                assert!(text.contains("正文结束"));
            }
        }
    }
}
