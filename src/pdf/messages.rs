//! Readable messages (Chinese, then English) for what krilla reports when it refuses to write a
//! file: a PDF/A or PDF/UA rule the document would break, a font it cannot embed, a limit of
//! the format. No Rust debug text reaches the user.

use super::fonts::FontSet;
use crate::options::{ExportError, PdfStandard};
use krilla::configure::ValidationError;
use krilla::error::KrillaError;

/// The standard's name as the user chose it.
fn standard_name(s: PdfStandard) -> &'static str {
    match s {
        PdfStandard::None => "PDF 1.7",
        PdfStandard::A2b => "PDF/A-2b",
        PdfStandard::A2u => "PDF/A-2u",
        PdfStandard::Ua1 => "PDF/UA-1",
    }
}

/// The font a message is about: its file (or system family).
fn font_name(fonts: &FontSet, font: &krilla::text::Font) -> String {
    fonts
        .face_of(font)
        .map(|f| f.label())
        .unwrap_or_else(|| "?".to_string())
}

/// One broken rule, in words.
fn validation(e: &ValidationError, fonts: &FontSet) -> String {
    use ValidationError as V;
    match e {
        V::TooLongString => "有一段文字超过 PDF 字符串的长度上限 32,767 字节（标题、机关名称或某个标题行过长）(a text string exceeds the 32,767-byte limit: the title, the agency or a heading is too long)".into(),
        V::TooLongName => "有一个 PDF 名称超过 127 字节（通常是字体名）(a PDF name exceeds 127 bytes, usually a font name)".into(),
        V::TooLongArray => "有一个数组超过 8,191 项 (an array exceeds 8,191 entries)".into(),
        V::TooLongDictionary => "有一个字典超过 4,095 项 (a dictionary exceeds 4,095 entries)".into(),
        V::TooLargeFloat => "有一个数值超过 32,767 (a number exceeds 32,767)".into(),
        V::TooManyIndirectObjects => "文档过大：PDF 对象超过 8,388,607 个 (the document has more than 8,388,607 objects)".into(),
        V::TooHighQNestingLevel => "图形状态嵌套超过 28 层 (graphics states nested deeper than 28)".into(),
        V::ContainsPostScript(_) => "含有 PostScript 代码 (PostScript code)".into(),
        V::MissingCMYKProfile => "使用了 CMYK 颜色但没有 ICC 配置 (CMYK colour without an ICC profile)".into(),
        V::InconsistentSeparationFallback(_) => "专色的替代颜色不一致 (inconsistent separation colour fallback)".into(),
        V::ContainsNotDefGlyph(font, _, text) => format!(
            "字体 {} 没有“{text}”的字形，会显示为空框 (.notdef) (the font has no glyph for the text)",
            font_name(fonts, font)
        ),
        V::NoCodepointMapping(font, gid, _) => format!(
            "字体 {} 的字形 {} 没有对应的字符 (a glyph maps to no character)",
            font_name(fonts, font),
            gid.to_u32()
        ),
        V::InvalidCodepointMapping(font, _, ch, _) => format!(
            "字符 U+{:04X} 不能出现在文本中（字体 {}）(the character is not allowed in PDF text)",
            *ch as u32,
            font_name(fonts, font)
        ),
        V::UnicodePrivateArea(font, _, ch, _) => format!(
            "私用区字符 U+{:04X} 不能出现在文本中（字体 {}）(a private-use character)",
            *ch as u32,
            font_name(fonts, font)
        ),
        V::RestrictedLicense(font) => format!(
            "字体 {} 的授权禁止嵌入 (the font's licence forbids embedding: OS/2 fsType restricted)",
            font_name(fonts, font)
        ),
        V::NoDocumentLanguage => "缺少文档语言 (no document language)".into(),
        V::NoDocumentTitle => "缺少文档标题 (no document title)".into(),
        V::MissingAltText(_) => "图形缺少替代文字 (a figure has no alternative text)".into(),
        V::MissingHeadingTitle => "标题缺少文字 (a heading has no title)".into(),
        V::MissingDocumentOutline => "缺少书签 (no document outline)".into(),
        V::MissingAnnotationAltText(_) => "注释缺少替代文字 (an annotation has no alternative text)".into(),
        V::MissingDocumentDate => "缺少文档日期 (no document date)".into(),
        V::Transparency(_) => "含有透明效果 (transparency)".into(),
        V::ImageInterpolation(_) => "图像启用了插值 (image interpolation)".into(),
        V::EmbeddedFile(_, _) => "含有嵌入文件 (an embedded file)".into(),
        V::MissingTagging => "缺少结构标记 (no tagging)".into(),
        V::EmbeddedPDF(_) => "含有嵌入的 PDF (an embedded PDF)".into(),
        V::RequiresNewerPdfVersion(..) => "需要更高的 PDF 版本 (requires a newer PDF version)".into(),
    }
}

/// The export error for a krilla failure: a font that cannot be embedded names its file
/// ([`ExportError::Font`]); a broken PDF/A or PDF/UA rule lists each rule in words.
pub(crate) fn krilla_error(e: &KrillaError, fonts: &FontSet, standard: PdfStandard) -> ExportError {
    let writer = |message: String| ExportError::Writer {
        target: "pdf",
        message,
    };
    match e {
        KrillaError::Font(font, why) => ExportError::Font(format!(
            "{}: 无法嵌入字体 (cannot embed the font: {why})",
            font_name(fonts, font)
        )),
        KrillaError::Validation(errors) => {
            let list: Vec<String> = errors.iter().map(|(v, _)| validation(v, fonts)).collect();
            writer(format!(
                "文件不符合 {} 的要求，未写出：{} (the file would not conform to {}; nothing was written)",
                standard_name(standard),
                list.join("；"),
                standard_name(standard)
            ))
        }
        KrillaError::Limit(limit) => writer(format!(
            "超出 PDF 格式的上限 (a limit of the PDF format was exceeded: {limit})"
        )),
        other => writer(format!("内部错误 (internal error: {other})")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::options::ExportOptions;

    #[test]
    fn validation_failures_read_as_words_not_debug_text() {
        let fonts = FontSet::load(&ExportOptions::default()).unwrap();
        let font = fonts.faces()[0].krilla.clone();
        let e = KrillaError::Validation(vec![(ValidationError::TooLongString, Default::default())]);
        let m = krilla_error(&e, &fonts, PdfStandard::A2b).to_string();
        assert!(m.contains("32,767") && m.contains("PDF/A-2b"), "{m}");
        assert!(!m.contains("TooLongString"), "{m}");
        let e = KrillaError::Validation(vec![(
            ValidationError::RestrictedLicense(font.clone()),
            Default::default(),
        )]);
        let m = krilla_error(&e, &fonts, PdfStandard::A2u).to_string();
        assert!(m.contains(&fonts.faces()[0].label()), "{m}");
        assert!(
            !m.contains("RestrictedLicense") && !m.contains("Font("),
            "{m}"
        );
        let e = KrillaError::Font(font, "failed to subset font".into());
        let ExportError::Font(m) = krilla_error(&e, &fonts, PdfStandard::A2b) else {
            panic!("a font failure is a font error");
        };
        assert!(m.contains(&fonts.faces()[0].label()), "{m}");
    }
}
