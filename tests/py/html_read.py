"""Reads an HTML file back with Python's own parser (html.parser) for tests/html.rs: the page's
language, title, headings, paragraphs, every table as a grid (cells placed by the HTML table
algorithm from rowspan/colspan), and everything that could run code or fetch something (script
and style-sheet links, event-handler attributes, URLs in attributes). Prints one JSON object.

    html_read.py FILE.html
"""

import html.parser
import json
import sys

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr"}


class Reader(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.out = {"lang": None, "title": "", "headings": [], "paragraphs": [], "tables": [],
                    "elements": [], "scripts": 0, "event_attributes": [], "urls": [],
                    "styles": 0, "ids": [], "meta": {}}
        self.stack = []  # open elements
        self.text = None  # text being collected: [tag, parts]
        self.table = None
        self.row = None
        self.cell = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.out["elements"].append(tag)
        for name, value in attrs:
            if name.startswith("on"):
                self.out["event_attributes"].append(name)
            if name in ("src", "href", "action", "formaction", "data", "poster", "srcset"):
                self.out["urls"].append(value)
            if name == "style" and value and ("url(" in value or "@import" in value):
                self.out["urls"].append(value)
        if "id" in a:
            self.out["ids"].append(a["id"])
        if tag == "html":
            self.out["lang"] = a.get("lang")
        if tag == "script":
            self.out["scripts"] += 1
        if tag == "style":
            self.out["styles"] += 1
        if tag == "meta" and "name" in a:
            self.out["meta"][a["name"]] = a.get("content")
        if tag == "meta" and "charset" in a:
            self.out["meta"]["charset"] = a["charset"]
        if tag == "br":
            if self.cell is not None:
                self.cell["text"].append("\n")
            elif self.text is not None:
                self.text[1].append("\n")
        if tag in ("title", "h1", "h2", "h3", "h4", "h5", "h6", "p", "caption"):
            self.text = [tag, [], a]
        if tag == "table":
            self.table = {"id": a.get("id"), "caption": None, "rows": [],
                          "sections": [], "colgroups": 0, "cols": 0}
        if tag in ("thead", "tbody", "tfoot") and self.table is not None:
            self.table["sections"].append([tag, len(self.table["rows"])])
        if tag == "colgroup" and self.table is not None:
            self.table["colgroups"] += 1
        if tag == "col" and self.table is not None:
            self.table["cols"] += 1
        if tag == "tr" and self.table is not None:
            self.row = []
            self.table["rows"].append(self.row)
        if tag in ("td", "th") and self.row is not None:
            self.cell = {"tag": tag, "text": [], "rowspan": int(a.get("rowspan") or 1),
                         "colspan": int(a.get("colspan") or 1), "scope": a.get("scope"),
                         "id": a.get("id"), "headers": (a.get("headers") or "").split(),
                         "class": (a.get("class") or "").split()}
            self.row.append(self.cell)
        if tag not in VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag):
        if self.stack and self.stack[-1] == tag:
            self.stack.pop()
        if self.text is not None and self.text[0] == tag:
            t, parts, a = self.text
            text = "".join(parts)
            if t == "title":
                self.out["title"] = text
            elif t == "p":
                self.out["paragraphs"].append(text)
            elif t == "caption":
                if self.table is not None:
                    self.table["caption"] = text
            else:
                self.out["headings"].append({"tag": t, "text": text, "id": a.get("id")})
            self.text = None
        if tag in ("td", "th"):
            if self.cell is not None:
                self.cell["text"] = "".join(self.cell["text"])
            self.cell = None
        if tag == "tr":
            self.row = None
        if tag == "table" and self.table is not None:
            self.out["tables"].append(place(self.table))
            self.table = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell["text"].append(data)
        elif self.text is not None:
            self.text[1].append(data)


def place(table):
    """Gives every cell its grid position (row, col) by the HTML table algorithm."""
    taken = {}
    cells = []
    for r, row in enumerate(table["rows"]):
        c = 0
        for cell in row:
            while (r, c) in taken:
                c += 1
            for i in range(cell["rowspan"]):
                for j in range(cell["colspan"]):
                    taken[(r + i, c + j)] = True
            cell["row"], cell["col"] = r, c
            cells.append(cell)
            c += cell["colspan"]
    width = max((c + 1 for (_, c) in taken), default=0)
    return {"id": table["id"], "caption": table["caption"], "rows": len(table["rows"]),
            "width": width, "sections": table["sections"], "colgroups": table["colgroups"],
            "cols": table["cols"], "cells": cells}


def main():
    with open(sys.argv[1], encoding="utf-8") as f:
        source = f.read()
    r = Reader()
    r.feed(source)
    r.close()
    json.dump(r.out, sys.stdout, ensure_ascii=False)


if __name__ == "__main__":
    main()
