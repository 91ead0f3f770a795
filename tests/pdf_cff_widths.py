"""Independent check of glyph widths in every embedded CID-keyed CFF font of a PDF.

Used by tests/pdf.rs to judge `page`'s `*-GLYPH-WIDTH-001` findings: for each CIDFontType0C
font it decodes the embedded CFF with fontTools, computes every glyph's advance from its
charstring using the Private DICT of the glyph's own FD (defaultWidthX / nominalWidthX), and
compares it with the width the PDF's /W (or /DW) array declares for that CID.

Prints one line per font: `<name> cids=<n> mismatches=<m>` and exits 1 if any mismatch.
"""

import io
import sys

from fontTools.cffLib import CFFFontSet
from pypdf import PdfReader


def declared_widths(desc):
    dw = float(desc.get("/DW", 1000))
    out = {}
    w = desc.get("/W")
    if w is None:
        return dw, out
    w = list(w)
    i = 0
    while i < len(w):
        first = int(w[i])
        nxt = w[i + 1]
        if isinstance(nxt, list) or hasattr(nxt, "__iter__"):
            for k, v in enumerate(list(nxt)):
                out[first + k] = float(v)
            i += 2
        else:
            last = int(nxt)
            v = float(w[i + 2])
            for c in range(first, last + 1):
                out[c] = v
            i += 3
    return dw, out


def main(path):
    reader = PdfReader(path)
    seen = set()
    bad = 0
    for page in reader.pages:
        fonts = page.get("/Resources", {}).get("/Font", {})
        for _, ref in fonts.items():
            font = ref.get_object()
            if font.get("/Subtype") != "/Type0":
                continue
            desc = font["/DescendantFonts"][0].get_object()
            if desc.get("/Subtype") != "/CIDFontType0":
                continue
            key = font.indirect_reference.idnum if font.indirect_reference else id(font)
            if key in seen:
                continue
            seen.add(key)
            ff = desc["/FontDescriptor"].get_object().get("/FontFile3")
            if ff is None:
                continue
            data = ff.get_object().get_data()
            cff = CFFFontSet()
            cff.decompile(io.BytesIO(data), None)
            top = cff[cff.fontNames[0]]
            cs = top.CharStrings
            dw, declared = declared_widths(desc)
            mismatches = 0
            n = 0
            for name in top.charset:
                cid = int(name[3:]) if name.startswith("cid") else 0
                c, _ = cs.getItemAndSelector(name)
                c.decompile()
                c.draw(_NullPen())
                width = c.width
                want = declared.get(cid, dw)
                n += 1
                if abs(width - want) > 0.5:
                    mismatches += 1
                    if mismatches <= 5:
                        print(f"  cid {cid}: charstring {width} vs /W {want}")
            print(f"{font.get('/BaseFont')} cids={n} mismatches={mismatches}")
            bad += mismatches
    return 1 if bad else 0


class _NullPen:
    def moveTo(self, p):
        pass

    def lineTo(self, p):
        pass

    def curveTo(self, *p):
        pass

    def qCurveTo(self, *p):
        pass

    def closePath(self):
        pass

    def endPath(self):
        pass


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
