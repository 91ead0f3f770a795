import sys
from fontTools.ttLib import TTFont, newTable
from fontTools.pens.cu2quPen import Cu2QuPen
from fontTools.pens.ttGlyphPen import TTGlyphPen
MAX_ERR=1.0
font=TTFont(sys.argv[1])
glyphOrder=font.getGlyphOrder()
gs=font.getGlyphSet()
glyf=newTable("glyf"); glyf.glyphOrder=glyphOrder; glyf.glyphs={}
for name in glyphOrder:
    pen=TTGlyphPen(gs)
    gs[name].draw(Cu2QuPen(pen, MAX_ERR, reverse_direction=True))
    glyf[name]=pen.glyph()
font["glyf"]=glyf; font["loca"]=newTable("loca")
font["maxp"]=newTable("maxp"); font["maxp"].tableVersion=0x00010000
for a in ["maxZones","maxTwilightPoints","maxStorage","maxFunctionDefs","maxInstructionDefs","maxStackElements","maxSizeOfInstructions","maxComponentElements"]:
    setattr(font["maxp"],a,0)
font["maxp"].maxZones=1
font["head"].indexToLocFormat=0; font["head"].glyphDataFormat=0
post=font["post"]; post.formatType=2.0; post.extraNames=[]; post.mapping={}; post.glyphOrder=glyphOrder
del font["CFF "]
if "VORG" in font: del font["VORG"]
font.sfntVersion="\x00\x01\x00\x00"
font.save(sys.argv[2])
