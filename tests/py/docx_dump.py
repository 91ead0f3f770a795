"""Dumps the structure of a .docx as JSON, read with python-docx (used by tests/docx.rs).

Usage: python docx_dump.py FILE.docx  ->  JSON on stdout:
  page (mm), styles (name, eastAsia font, size, keepNext, snapToGrid), the font table (altName
  list, panose, charset, family, pitch), core properties, settings flags,
  body blocks in order (paragraphs with style and text; tables with grid, merges, header rows,
  cantSplit, keepNext and the text at every grid position), footers (text, alignment, PAGE field).
"""
import json
import sys

import docx
from docx.oxml.ns import qn

MM = 36000  # EMU per mm


def mm(v):
    return None if v is None else round(v / MM, 2)


def east_asia(rpr):
    if rpr is None:
        return None
    f = rpr.find(qn("w:rFonts"))
    return None if f is None else f.get(qn("w:eastAsia"))


def style_info(s):
    el = s.element
    rpr = el.find(qn("w:rPr"))
    ppr = el.find(qn("w:pPr"))
    ind = None if ppr is None else ppr.find(qn("w:ind"))
    spacing = None if ppr is None else ppr.find(qn("w:spacing"))
    return {
        "id": s.style_id,
        "name": s.name,
        "based_on": s.base_style.style_id if s.base_style is not None else None,
        "east_asia": east_asia(rpr),
        "ascii": s.font.name,
        "size_pt": s.font.size.pt if s.font.size is not None else None,
        "first_line_chars": None if ind is None else ind.get(qn("w:firstLineChars")),
        "first_line": None if ind is None else ind.get(qn("w:firstLine")),
        "line": None if spacing is None else spacing.get(qn("w:line")),
        "line_rule": None if spacing is None else spacing.get(qn("w:lineRule")),
        "widow_control": None
        if ppr is None or ppr.find(qn("w:widowControl")) is None
        else ppr.find(qn("w:widowControl")).get(qn("w:val")),
        "outline_level": None
        if ppr is None or ppr.find(qn("w:outlineLvl")) is None
        else ppr.find(qn("w:outlineLvl")).get(qn("w:val")),
        "keep_next": s.paragraph_format.keep_with_next,
        "snap_to_grid": None
        if ppr is None or ppr.find(qn("w:snapToGrid")) is None
        else ppr.find(qn("w:snapToGrid")).get(qn("w:val")),
    }


def font_table(d):
    """The font table: name -> altName list, panose, charset, family, pitch."""
    from lxml import etree

    out = {}
    for rel in d.part.rels.values():
        if not rel.reltype.endswith("/fontTable"):
            continue
        root = etree.fromstring(rel.target_part.blob)
        for f in root.findall(qn("w:font")):
            def val(tag):
                e = f.find(qn(tag))
                return None if e is None else e.get(qn("w:val"))

            alt = val("w:altName")
            out[f.get(qn("w:name"))] = {
                "alt": [a.strip() for a in alt.split(",") if a.strip()] if alt else [],
                "panose": val("w:panose1"),
                "charset": val("w:charset"),
                "family": val("w:family"),
                "pitch": val("w:pitch"),
            }
    return out


def para_text(p_el):
    """Text of a w:p element, with w:br as newline."""
    out = []
    for node in p_el.iter():
        if node.tag == qn("w:t"):
            out.append(node.text or "")
        elif node.tag == qn("w:br"):
            out.append("\n")
    return "".join(out)


def table_info(tbl):
    t = tbl._tbl
    grid = [int(gc.get(qn("w:w"))) for gc in t.tblGrid.findall(qn("w:gridCol"))]
    ncols = len(grid)
    rows = t.findall(qn("w:tr"))
    cells = [[None] * ncols for _ in rows]
    merges = []
    origin = {}  # column -> merge record of the running vertical merge
    header_rows = 0
    header_run = True
    cant_split = []
    keep_next = []
    tc_widths_ok = True
    for r, tr in enumerate(rows):
        trpr = tr.trPr
        is_header = trpr is not None and trpr.find(qn("w:tblHeader")) is not None
        if is_header and header_run:
            header_rows += 1
        else:
            header_run = False
        cant_split.append(trpr is not None and trpr.find(qn("w:cantSplit")) is not None)
        kn = [
            p.pPr is not None and p.pPr.find(qn("w:keepNext")) is not None
            for p in tr.iter(qn("w:p"))
        ]
        keep_next.append(bool(kn) and all(kn))
        c = 0
        for tc in tr.tc_lst:
            span = tc.grid_span
            vm = tc.vMerge
            tcw = tc.tcPr.find(qn("w:tcW")) if tc.tcPr is not None else None
            if tcw is None or int(tcw.get(qn("w:w"))) != sum(grid[c : c + span]):
                tc_widths_ok = False
            if vm == "continue":
                rec = origin.get(c)
                if rec is not None:
                    rec["rows"] += 1
            else:
                text = "\n".join(para_text(p) for p in tc.iter(qn("w:p")))
                if c < ncols:
                    cells[r][c] = text
                rec = {"row": r, "col": c, "rows": 1, "cols": span}
                merges.append(rec)
                for k in range(c, c + span):
                    origin.pop(k, None)
                if vm == "restart":
                    origin[c] = rec
            c += span
    tblpr = t.tblPr
    layout = tblpr.find(qn("w:tblLayout"))
    borders = tblpr.find(qn("w:tblBorders"))
    return {
        "type": "table",
        "grid": grid,
        "rows": len(rows),
        "cells": cells,
        "merges": [m for m in merges if m["rows"] > 1 or m["cols"] > 1],
        "header_rows": header_rows,
        "cant_split": cant_split,
        "keep_next": keep_next,
        "fixed_layout": layout is not None and layout.get(qn("w:type")) == "fixed",
        "borders": [] if borders is None else [b.tag.split("}")[1] for b in borders],
        "tc_widths_match_grid": tc_widths_ok,
    }


def footer_info(f):
    p = f.paragraphs[0] if f.paragraphs else None
    if p is None:
        return None
    instr = "".join(n.text or "" for n in p._p.iter(qn("w:instrText")))
    ind = p.paragraph_format
    return {
        "text": para_text(p._p),
        "style": p.style.name if p.style is not None else None,
        "align": str(p.alignment) if p.alignment is not None else None,
        "instr": instr.strip(),
        "left_indent_twips": None if ind.left_indent is None else round(ind.left_indent / 635),
        "right_indent_twips": None if ind.right_indent is None else round(ind.right_indent / 635),
    }


def main(path):
    d = docx.Document(path)
    sec = d.sections[0]
    sectpr = sec._sectPr
    grid = sectpr.find(qn("w:docGrid"))
    blocks = []
    for el in d.element.body.iterchildren():
        if el.tag == qn("w:p"):
            ps = el.pPr.pStyle.val if el.pPr is not None and el.pPr.pStyle is not None else None
            blocks.append({"type": "p", "style": ps, "text": para_text(el)})
        elif el.tag == qn("w:tbl"):
            blocks.append(table_info(docx.table.Table(el, d)))
    styles = [style_info(s) for s in d.styles if s.type == docx.enum.style.WD_STYLE_TYPE.PARAGRAPH]
    cp = d.core_properties
    settings = d.settings.element
    out = {
        "page": {
            "width_mm": mm(sec.page_width),
            "height_mm": mm(sec.page_height),
            "top_mm": mm(sec.top_margin),
            "bottom_mm": mm(sec.bottom_margin),
            "left_mm": mm(sec.left_margin),
            "right_mm": mm(sec.right_margin),
            "footer_mm": mm(sec.footer_distance),
            "grid_type": None if grid is None else grid.get(qn("w:type")),
            "line_pitch": None if grid is None else grid.get(qn("w:linePitch")),
        },
        "even_and_odd_headers": settings.find(qn("w:evenAndOddHeaders")) is not None,
        "styles": styles,
        "normal_count": sum(
            1
            for s in d.styles.element.findall(qn("w:style"))
            if s.get(qn("w:styleId")) == "Normal"
        ),
        "core": {
            "title": cp.title,
            "creator": cp.author,
            "created": cp.created.strftime("%Y-%m-%d") if cp.created else None,
            "language": cp.language,
        },
        "blocks": blocks,
        "fonts": font_table(d),
        "bookmarks": [b.get(qn("w:name")) for b in d.element.body.iter(qn("w:bookmarkStart"))],
        "footer_odd": footer_info(sec.footer),
        "footer_even": footer_info(sec.even_page_footer),
    }
    json.dump(out, sys.stdout, ensure_ascii=False)


if __name__ == "__main__":
    main(sys.argv[1])
