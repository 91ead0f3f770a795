//! Fonts for the PDF: loading and checking the faces, role resolution, the fallback chain and
//! the coverage check.
//!
//! Each typographic role of GB/T 9704 ([`FontRole`]: title 小标宋, body 仿宋, heading 黑体, kai
//! 楷体, song 宋体) resolves to one face, in this order:
//! 1. `--font ROLE=PATH` ([`ExportOptions::fonts`]);
//! 2. the bundled file in `fonts/` (looked up in `$NIANBAO_FONT_DIR`, next to the executable,
//!    in the crate directory the binary was built from);
//! 3. a system font found through fontdb (family names per role, see [`system_families`]).
//!
//! Bundled fonts are read at run time rather than embedded with `include_bytes!`: the set is
//! 24 MB (the binary would grow from about 4 MB to 28 MB and every link would copy it), and
//! FandolFang is GPL-3 with a font exception, which is simplest to honour as a separate,
//! unmodified file next to the program (see fonts/README.md).
//!
//! **Checks.** A font file is read only if it is a regular file of at most
//! [`MAX_FONT_BYTES`]. Loading a face checks what the font libraries rely on (the `head`,
//! `maxp`, `hhea`/`hmtx` and `cmap` tables parse, `unitsPerEm` is within 16..=16384, a `post`
//! table of version 2 is complete, there is a glyf/loca, CFF or CFF2 outline table, the face
//! maps CJK characters), and a face given with `--font` or found among the system fonts also
//! has the outline of every glyph the document draws from it evaluated
//! ([`Glyphs::check_outlines`]): a damaged font is an error naming its file, never blank text.
//! Library panics on what the checks miss are caught at this boundary ([`super::guard`]).
//!
//! [`FontSet`] holds the checked faces; it is immutable, `Send + Sync` and can be shared by
//! exports on several threads. [`Glyphs`] is the per-export view that maps characters to glyphs
//! (cmap + hmtx through skrifa); a character the role's face lacks is taken from the next face
//! of the role's fallback chain (仿宋 → 宋体 → 楷体 → 黑体 → 小标宋). A character no face has is
//! drawn as a visible `□` carrying the original character as its text (so extraction and search
//! still find it) and reported as a warning, never as .notdef.

use super::guard;
use crate::options::{ExportError, ExportOptions};
use crate::style::FontRole;
use skrifa::instance::{LocationRef, Size};
use skrifa::metrics::GlyphMetrics;
use skrifa::outline::{DrawSettings, OutlinePen};
use skrifa::raw::types::Version16Dot16;
use skrifa::raw::TableProvider;
use skrifa::{charmap::Charmap, FontRef, GlyphId, MetadataProvider};
use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The largest font file read (64 MiB; the biggest bundled file is 7 MB, full CJK fonts with
/// every extension are about 30 MB). A larger file, or one that is not a regular file (a FIFO,
/// `/dev/zero`), is refused before it is read.
pub(crate) const MAX_FONT_BYTES: u64 = 64 * 1024 * 1024;

/// The bundled file for a role.
pub(crate) fn bundled_file(role: FontRole) -> &'static str {
    match role {
        FontRole::Title => "NotoSerifCJKsc-Bold.subset.otf",
        FontRole::Body => "FandolFang-Regular.ttf",
        FontRole::Heading => "NotoSansCJKsc-Regular.subset.otf",
        FontRole::Kai => "GovDocKai-Regular.ttf",
        FontRole::Song => "NotoSerifCJKsc-Regular.subset.otf",
    }
}

/// Faces to try, in order, for a character of a role.
pub(crate) fn chain(role: FontRole) -> [FontRole; 5] {
    use FontRole::*;
    match role {
        Title => [Title, Song, Heading, Body, Kai],
        Body => [Body, Song, Kai, Heading, Title],
        Heading => [Heading, Song, Body, Kai, Title],
        Kai => [Kai, Song, Body, Heading, Title],
        Song => [Song, Body, Heading, Kai, Title],
    }
}

/// System family names tried for a role when neither an override nor the bundled file exists.
pub(crate) fn system_families(role: FontRole) -> &'static [&'static str] {
    match role {
        FontRole::Title => &[
            "FZXiaoBiaoSong-B05S",
            "方正小标宋简体",
            "Noto Serif CJK SC",
            "Source Han Serif SC",
            "SimSun",
        ],
        FontRole::Body => &[
            "FangSong_GB2312",
            "FangSong",
            "仿宋",
            "FZFangSong-Z02S",
            "STFangsong",
            "FandolFang",
            "Noto Serif CJK SC",
        ],
        FontRole::Heading => &["SimHei", "黑体", "Noto Sans CJK SC", "Source Han Sans SC"],
        FontRole::Kai => &["KaiTi_GB2312", "KaiTi", "楷体", "STKaiti", "AR PL UKai CN"],
        FontRole::Song => &[
            "SimSun",
            "宋体",
            "Noto Serif CJK SC",
            "Source Han Serif SC",
            "AR PL UMing CN",
        ],
    }
}

/// Index of a loaded face.
pub(crate) type FaceId = usize;

/// Shared font bytes.
pub(crate) type FontData = Arc<dyn AsRef<[u8]> + Send + Sync>;

/// Where a face came from.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Origin {
    /// `--font ROLE=PATH`.
    Override(PathBuf),
    /// The bundled file.
    Bundled(PathBuf),
    /// A system font (family name).
    System(String),
}

/// One loaded, checked font face.
pub(crate) struct Face {
    /// Short name: the file name (bundled), the path (`--font`) or `system:FAMILY`.
    pub(crate) source: String,
    origin: Origin,
    data: FontData,
    index: u32,
    /// The face as krilla embeds it (parsed once).
    pub(crate) krilla: krilla::text::Font,
}

impl Face {
    /// Where the face came from, for messages: the file's full path or the system family.
    pub(crate) fn label(&self) -> String {
        match &self.origin {
            Origin::Override(p) | Origin::Bundled(p) => p.display().to_string(),
            Origin::System(f) => format!("system font “{f}”"),
        }
    }

    fn font_ref(&self) -> Option<FontRef<'_>> {
        FontRef::from_index((*self.data).as_ref(), self.index).ok()
    }

    /// Parses and checks a face; the error names the font.
    fn open(source: String, origin: Origin, data: FontData, index: u32) -> Result<Face, String> {
        let label = match &origin {
            Origin::Override(p) | Origin::Bundled(p) => p.display().to_string(),
            Origin::System(f) => format!("system font “{f}”"),
        };
        let checked = guard::catch(|| -> Result<krilla::text::Font, String> {
            let font = FontRef::from_index((*data).as_ref(), index)
                .map_err(|e| format!("不是可读的字体文件 (not a readable font: {e})"))?;
            check_tables(&font)?;
            krilla::text::Font::new(data.clone().into(), index)
                .ok_or_else(|| "字体度量数据无效 (invalid font metrics)".to_string())
        });
        match checked {
            Ok(Ok(krilla)) => Ok(Face {
                source,
                origin,
                data,
                index,
                krilla,
            }),
            Ok(Err(e)) => Err(format!("{label}: {e}")),
            Err(panic) => Err(format!(
                "{label}: 字体数据损坏，字体库无法处理 (damaged font data: {panic})"
            )),
        }
    }
}

/// What the font libraries rely on, checked before they see the face.
fn check_tables(font: &FontRef) -> Result<(), String> {
    let head = font
        .head()
        .map_err(|e| format!("head 表缺失或损坏 (head table: {e})"))?;
    let upem = head.units_per_em();
    if !(16..=16384).contains(&upem) {
        return Err(format!(
            "head.unitsPerEm = {upem}，应在 16 至 16384 之间 (unitsPerEm out of range)"
        ));
    }
    let maxp = font
        .maxp()
        .map_err(|e| format!("maxp 表缺失或损坏 (maxp table: {e})"))?;
    if maxp.num_glyphs() < 2 {
        return Err("字体没有字形 (no glyphs)".into());
    }
    font.hhea()
        .map_err(|e| format!("hhea 表缺失或损坏 (hhea table: {e})"))?;
    font.hmtx()
        .map_err(|e| format!("hmtx 表缺失或损坏 (hmtx table: {e})"))?;
    font.cmap()
        .map_err(|e| format!("cmap 表缺失或损坏 (cmap table: {e})"))?;
    if let Ok(post) = font.post() {
        let v = post.version();
        if v == Version16Dot16::VERSION_2_0
            && (post.num_glyphs().is_none()
                || post.glyph_name_index().is_none()
                || post.string_data().is_none())
        {
            return Err("post 表（版本 2.0）不完整 (post table version 2.0 truncated)".into());
        }
    }
    let glyf = font.glyf().is_ok() && font.loca(None).is_ok();
    if !glyf && font.cff().is_err() && font.cff2().is_err() {
        return Err("没有可用的字形轮廓表 glyf/loca、CFF 或 CFF2 (no outline table)".into());
    }
    let charmap = font.charmap();
    if charmap.map('国').is_none() && charmap.map('一').is_none() {
        return Err("不是中文字体 (no CJK glyphs)".into());
    }
    Ok(())
}

/// Reads a font file: a regular file of at most [`MAX_FONT_BYTES`], memory-mapped (falling back
/// to reading it), so that only the pages the subsetter touches are read: the bundled set is
/// 24 MB.
fn map_file(path: &Path) -> Result<FontData, String> {
    let shown = path.display();
    let file = std::fs::File::open(path).map_err(|e| format!("{shown}: {e}"))?;
    let meta = file.metadata().map_err(|e| format!("{shown}: {e}"))?;
    if !meta.is_file() {
        return Err(format!("{shown}: 不是普通文件 (not a regular file)"));
    }
    if meta.len() > MAX_FONT_BYTES {
        return Err(format!(
            "{shown}: 文件过大（{} 字节，上限 64 MiB）(font file larger than the 64 MiB cap)",
            meta.len()
        ));
    }
    // SAFETY: the mapping is read-only and the font files are never written by this program;
    // like every font consumer that maps files (fontdb, typst), we accept that another process
    // truncating a font file during an export could fault.
    if let Ok(map) = unsafe { memmap2::Mmap::map(&file) } {
        return Ok(Arc::new(map));
    }
    let mut bytes = Vec::new();
    file.take(MAX_FONT_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| format!("{shown}: {e}"))?;
    if bytes.len() as u64 > MAX_FONT_BYTES {
        return Err(format!(
            "{shown}: 文件过大（上限 64 MiB）(font file larger than the 64 MiB cap)"
        ));
    }
    Ok(Arc::new(bytes))
}

/// Directories searched for the bundled fonts, in order.
pub(crate) fn bundled_dirs() -> Vec<PathBuf> {
    let mut dirs = Vec::new();
    if let Some(d) = std::env::var_os("NIANBAO_FONT_DIR") {
        dirs.push(PathBuf::from(d));
    }
    if let Ok(exe) = std::env::current_exe() {
        let mut p = exe.parent().map(Path::to_path_buf);
        // next to the executable, then up to three levels (target/release/, target/release/examples/)
        for _ in 0..4 {
            let Some(d) = p else { break };
            dirs.push(d.join("fonts"));
            p = d.parent().map(Path::to_path_buf);
        }
    }
    dirs.push(Path::new(env!("CARGO_MANIFEST_DIR")).join("fonts"));
    dirs
}

/// The checked faces of the five roles. Immutable after loading: `Send + Sync`, so one set can
/// serve many exports (on several threads).
pub(crate) struct FontSet {
    faces: Vec<Face>,
    role_face: [Option<FaceId>; 5],
}

/// The order roles are resolved in (which fixes the face numbering).
const LOAD_ORDER: [FontRole; 5] = [
    FontRole::Title,
    FontRole::Body,
    FontRole::Song,
    FontRole::Heading,
    FontRole::Kai,
];

/// What identifies a loaded font set: the `--font` overrides (path, size, modification time, so
/// that a replaced file is loaded again) and `$NIANBAO_FONT_DIR`.
type SetKey = (
    Vec<(FontRole, PathBuf, u64, Option<std::time::SystemTime>)>,
    Option<std::ffi::OsString>,
);

/// Font sets kept for the process, most recent last.
static SHARED: std::sync::Mutex<Vec<(SetKey, Arc<FontSet>)>> = std::sync::Mutex::new(Vec::new());

/// How many differently configured font sets the process keeps.
const SHARED_SETS: usize = 4;

impl FontSet {
    /// The font set for these options, loaded and checked once per process and then shared
    /// (the files stay memory-mapped, krilla's parsed fonts are reused). A batch of exports on
    /// several threads pays for loading once.
    ///
    /// # Errors
    ///
    /// As [`FontSet::load`]; failures are not remembered.
    pub(crate) fn shared(opts: &ExportOptions) -> Result<Arc<FontSet>, ExportError> {
        let key: SetKey = (
            opts.fonts
                .iter()
                .map(|(role, path)| {
                    let meta = std::fs::metadata(path).ok();
                    let len = meta.as_ref().map_or(0, std::fs::Metadata::len);
                    let modified = meta.and_then(|m| m.modified().ok());
                    (*role, path.clone(), len, modified)
                })
                .collect(),
            std::env::var_os("NIANBAO_FONT_DIR"),
        );
        let cached = |sets: &Vec<(SetKey, Arc<FontSet>)>| {
            sets.iter().find(|(k, _)| *k == key).map(|(_, s)| s.clone())
        };
        if let Some(set) = SHARED.lock().ok().and_then(|sets| cached(&sets)) {
            return Ok(set);
        }
        let set = Arc::new(FontSet::load(opts)?);
        if let Ok(mut sets) = SHARED.lock() {
            if let Some(existing) = cached(&sets) {
                return Ok(existing);
            }
            if sets.len() >= SHARED_SETS {
                sets.remove(0);
            }
            sets.push((key, set.clone()));
        }
        Ok(set)
    }

    /// Resolves and checks the face of every role.
    ///
    /// # Errors
    ///
    /// [`ExportError::Font`] naming the file when a `--font` or bundled file cannot be read or
    /// fails the checks, or when no CJK font is found at all.
    pub(crate) fn load(opts: &ExportOptions) -> Result<FontSet, ExportError> {
        let mut set = FontSet {
            faces: Vec::new(),
            role_face: [None; 5],
        };
        let mut overrides: [Option<&Path>; 5] = [None; 5];
        for (role, path) in &opts.fonts {
            overrides[*role as usize] = Some(path.as_path());
        }
        let dirs = bundled_dirs();
        let mut system: Option<fontdb::Database> = None;
        for role in LOAD_ORDER {
            let id = if let Some(path) = overrides[role as usize] {
                let origin = Origin::Override(path.to_path_buf());
                let face = map_file(path)
                    .and_then(|data| Face::open(path.display().to_string(), origin, data, 0))
                    .map_err(|e| ExportError::Font(format!("--font {}={e}", role.name())))?;
                Some(set.add(face))
            } else if let Some(path) = dirs
                .iter()
                .map(|d| d.join(bundled_file(role)))
                .find(|p| p.is_file())
            {
                let source = path
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default();
                match set.faces.iter().position(|f| f.source == source) {
                    Some(i) => Some(i),
                    None => {
                        let origin = Origin::Bundled(path.clone());
                        let face = map_file(&path)
                            .and_then(|data| Face::open(source, origin, data, 0))
                            .map_err(|e| ExportError::Font(format!("无法使用字体 {e}")))?;
                        Some(set.add(face))
                    }
                }
            } else {
                let db = system.get_or_insert_with(|| {
                    let mut db = fontdb::Database::new();
                    db.load_system_fonts();
                    db
                });
                set.load_system(db, role)
            };
            set.role_face[role as usize] = id;
        }
        if set.faces.is_empty() {
            return Err(ExportError::Font(
                "找不到任何中文字体：fonts/ 目录缺失且系统没有中文字体；请设置 NIANBAO_FONT_DIR 或使用 --font ROLE=PATH (no CJK font found)".into(),
            ));
        }
        Ok(set)
    }

    fn add(&mut self, face: Face) -> FaceId {
        self.faces.push(face);
        self.faces.len() - 1
    }

    fn load_system(&mut self, db: &fontdb::Database, role: FontRole) -> Option<FaceId> {
        for fam in system_families(role) {
            let q = fontdb::Query {
                families: &[fontdb::Family::Name(fam)],
                ..Default::default()
            };
            let Some(id) = db.query(&q) else { continue };
            let source = format!("system:{fam}");
            if let Some(i) = self.faces.iter().position(|f| f.source == source) {
                return Some(i);
            }
            let loaded = db.with_face_data(id, |data, index| (data.to_vec(), index));
            if let Some((data, index)) = loaded {
                let data: FontData = Arc::new(data);
                let origin = Origin::System((*fam).to_string());
                if let Ok(face) = Face::open(source, origin, data, index) {
                    return Some(self.add(face));
                }
            }
        }
        None
    }

    /// The loaded faces, by [`FaceId`].
    pub(crate) fn faces(&self) -> &[Face] {
        &self.faces
    }

    /// The face a role resolved to (or the first face of its chain that exists).
    pub(crate) fn primary(&self, role: FontRole) -> FaceId {
        chain(role)
            .iter()
            .find_map(|r| self.role_face[*r as usize])
            .unwrap_or(0)
    }

    /// The faces of a role's fallback chain that exist, in order.
    fn chain_faces(&self, role: FontRole) -> impl Iterator<Item = FaceId> + '_ {
        chain(role)
            .into_iter()
            .filter_map(|r| self.role_face[r as usize])
    }

    /// The face krilla reported an error for, for messages.
    pub(crate) fn face_of(&self, font: &krilla::text::Font) -> Option<&Face> {
        self.faces.iter().find(|f| &f.krilla == font)
    }
}

/// A character drawn with the glyph of another when no face has it: typographic variants the
/// bundled CJK faces lack (U+2212 MINUS SIGN in "现行有效件数 = … − 本年废止件数", non-breaking
/// hyphens, thin and no-break spaces). The text extracted from the PDF stays the original.
fn look_alike(ch: char) -> Option<char> {
    Some(match ch {
        '\u{2212}' => '\u{FF0D}', // − minus → － fullwidth hyphen-minus
        '\u{2010}' | '\u{2011}' | '\u{2043}' => '-', // hyphens
        '\u{2012}' => '\u{2013}', // figure dash → en dash
        '\u{2215}' => '/',        // division slash
        '\u{2217}' => '*',        // asterisk operator
        '\u{00A0}' | '\u{2007}' | '\u{2009}' | '\u{200A}' | '\u{202F}' => ' ',
        _ => return None,
    })
}

/// A glyph chosen for a character.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Mapped {
    /// Face.
    pub face: FaceId,
    /// Glyph id.
    pub gid: u16,
    /// Advance in em.
    pub advance: f32,
    /// The character is missing from every face and this is the `□` stand-in.
    pub missing: bool,
}

/// One face's lookup tables, parsed once per export.
struct FaceMaps<'a> {
    charmap: Charmap<'a>,
    metrics: GlyphMetrics<'a>,
    upem: f32,
}

/// One face's looked-up characters: glyph id and advance in em, or `None` when the face lacks
/// the character.
type FaceCache = rustc_hash::FxHashMap<char, Option<(u16, f32)>>;

/// The per-export character → glyph mapping over a [`FontSet`]: caches lookups and records
/// the characters no face has.
pub(crate) struct Glyphs<'a> {
    set: &'a FontSet,
    maps: Vec<Option<FaceMaps<'a>>>,
    cache: RefCell<Vec<FaceCache>>,
    missing: RefCell<Vec<char>>,
}

impl<'a> Glyphs<'a> {
    /// A fresh mapping over the faces of `set`.
    pub(crate) fn new(set: &'a FontSet) -> Glyphs<'a> {
        let maps = set
            .faces
            .iter()
            .map(|f| {
                let font = f.font_ref()?;
                let upem = font
                    .metrics(Size::unscaled(), LocationRef::default())
                    .units_per_em;
                Some(FaceMaps {
                    charmap: font.charmap(),
                    metrics: font.glyph_metrics(Size::unscaled(), LocationRef::default()),
                    upem: f32::from(upem.max(1)),
                })
            })
            .collect();
        Glyphs {
            set,
            maps,
            cache: RefCell::new(vec![FaceCache::default(); set.faces.len()]),
            missing: RefCell::new(Vec::new()),
        }
    }

    /// Glyph id and advance (in em) of a character in a face, if the face maps it to a real
    /// glyph.
    fn glyph(&self, face: FaceId, ch: char) -> Option<(u16, f32)> {
        if let Some(v) = self.cache.borrow().get(face).and_then(|c| c.get(&ch)) {
            return *v;
        }
        let v = self.maps.get(face).and_then(Option::as_ref).and_then(|m| {
            let gid = m.charmap.map(ch)?;
            if gid.to_u32() == 0 || gid.to_u32() > u32::from(u16::MAX) {
                return None;
            }
            let adv = m.metrics.advance_width(gid).unwrap_or(0.0);
            Some((gid.to_u32() as u16, adv / m.upem))
        });
        if let Some(c) = self.cache.borrow_mut().get_mut(face) {
            c.insert(ch, v);
        }
        v
    }

    /// The first face of a role's chain that has every character of `word` (so that a Latin
    /// word such as the pinyin `qū` is set in one face rather than mixing two).
    pub(crate) fn word_face(&self, role: FontRole, word: &[char]) -> Option<FaceId> {
        self.set
            .chain_faces(role)
            .find(|&id| word.iter().all(|&c| self.glyph(id, c).is_some()))
    }

    /// Like [`Glyphs::map`], trying `prefer` first.
    pub(crate) fn map_in(&self, role: FontRole, ch: char, prefer: Option<FaceId>) -> Mapped {
        if let Some(id) = prefer {
            if let Some((gid, advance)) = self.glyph(id, ch) {
                return Mapped {
                    face: id,
                    gid,
                    advance,
                    missing: false,
                };
            }
        }
        self.map(role, ch)
    }

    /// The glyph for a character in a role, following the fallback chain; a character no face
    /// has becomes a `□` stand-in (recorded for the warning).
    pub(crate) fn map(&self, role: FontRole, ch: char) -> Mapped {
        let mut tried = vec![false; self.set.faces.len()];
        for id in self.set.chain_faces(role) {
            if std::mem::replace(&mut tried[id], true) {
                continue;
            }
            if let Some((gid, advance)) = self.glyph(id, ch) {
                return Mapped {
                    face: id,
                    gid,
                    advance,
                    missing: false,
                };
            }
        }
        // other faces (system fonts loaded for other roles)
        for id in 0..self.set.faces.len() {
            if let Some((gid, advance)) = self.glyph(id, ch) {
                return Mapped {
                    face: id,
                    gid,
                    advance,
                    missing: false,
                };
            }
        }
        // A look-alike drawn in its place (the text keeps the original character).
        if let Some(alike) = look_alike(ch) {
            let m = self.map(role, alike);
            if !m.missing {
                return m;
            }
        }
        {
            let mut m = self.missing.borrow_mut();
            if !m.contains(&ch) {
                m.push(ch);
            }
        }
        for stand_in in ['□', '?'] {
            for id in self.set.chain_faces(role) {
                if let Some((gid, _)) = self.glyph(id, stand_in) {
                    return Mapped {
                        face: id,
                        gid,
                        advance: 1.0,
                        missing: true,
                    };
                }
            }
        }
        Mapped {
            face: self.set.primary(role),
            gid: 0,
            advance: 1.0,
            missing: true,
        }
    }

    /// Characters that no face has, in order of first use.
    pub(crate) fn missing(&self) -> Vec<char> {
        self.missing.borrow().clone()
    }

    /// Evaluates the outline of every glyph drawn from a face that did not come with nianbao
    /// (`--font` files and system fonts): a glyph whose outline cannot be read, or that is
    /// empty although its character is visible, would print as blank text. `used` lists
    /// (face, glyph, character). The bundled faces are not re-evaluated here: the subsetter
    /// decompiles their charstrings and fails loudly on damage, and their bytes are pinned by
    /// fonts/SHA256SUMS.
    ///
    /// # Errors
    ///
    /// [`ExportError::Font`] naming the file and the first characters affected.
    pub(crate) fn check_outlines(
        &self,
        used: &BTreeSet<(FaceId, u16, char)>,
    ) -> Result<(), ExportError> {
        let mut bad: BTreeMap<FaceId, Vec<char>> = BTreeMap::new();
        for &(face, gid, ch) in used {
            let Some(f) = self.set.faces.get(face) else {
                continue;
            };
            if matches!(f.origin, Origin::Bundled(_)) {
                continue;
            }
            let ok = guard::catch(|| outline_ok(f, gid, ch)).unwrap_or(false);
            if !ok {
                bad.entry(face).or_default().push(ch);
            }
        }
        let Some((&face, chars)) = bad.iter().next() else {
            return Ok(());
        };
        let shown: String = chars.iter().take(10).collect();
        Err(ExportError::Font(format!(
            "{}: 字体的字形轮廓损坏或为空，这些字符会印成空白：“{shown}”等 {} 个 (damaged or empty glyph outlines: the text would print blank)",
            self.set.faces[face].label(),
            chars.len()
        )))
    }
}

/// Counts the drawing commands of an outline.
#[derive(Default)]
struct CountPen(usize);

impl OutlinePen for CountPen {
    fn move_to(&mut self, _: f32, _: f32) {}
    fn line_to(&mut self, _: f32, _: f32) {
        self.0 += 1;
    }
    fn quad_to(&mut self, _: f32, _: f32, _: f32, _: f32) {
        self.0 += 1;
    }
    fn curve_to(&mut self, _: f32, _: f32, _: f32, _: f32, _: f32, _: f32) {
        self.0 += 1;
    }
    fn close(&mut self) {}
}

/// Whether a glyph's outline can be evaluated, and is non-empty for a visible character.
fn outline_ok(face: &Face, gid: u16, ch: char) -> bool {
    let Some(font) = face.font_ref() else {
        return false;
    };
    let Some(glyph) = font.outline_glyphs().get(GlyphId::new(u32::from(gid))) else {
        return false;
    };
    let mut pen = CountPen::default();
    let settings = DrawSettings::unhinted(Size::unscaled(), LocationRef::default());
    glyph.draw(settings, &mut pen).is_ok() && (pen.0 > 0 || may_be_blank(ch))
}

/// Characters whose glyph may legitimately have no outline: spaces and invisible format
/// characters (soft hyphen, joiners, variation selectors, tags).
fn may_be_blank(ch: char) -> bool {
    ch.is_whitespace()
        || matches!(ch, '\u{AD}' | '\u{34F}' | '\u{180E}' | '\u{2060}'..='\u{206F}' | '\u{FE00}'..='\u{FE0F}' | '\u{E0000}'..='\u{E01EF}')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn assert_send_sync<T: Send + Sync>() {}

    /// The extremes of every point of an outline, control points included (the box krilla's
    /// drawing pass computed for `/FontBBox` before vendor/krilla's patch).
    #[derive(Default)]
    struct BoundsPen(Option<[f32; 4]>);

    impl BoundsPen {
        fn add(&mut self, x: f32, y: f32) {
            let b = self.0.get_or_insert([x, y, x, y]);
            *b = [b[0].min(x), b[1].min(y), b[2].max(x), b[3].max(y)];
        }

        fn glyph(&mut self, font: &FontRef, gid: u32) {
            if let Some(g) = font.outline_glyphs().get(GlyphId::new(gid)) {
                let settings = DrawSettings::unhinted(Size::unscaled(), LocationRef::default());
                g.draw(settings, self).unwrap();
            }
        }
    }

    impl OutlinePen for BoundsPen {
        fn move_to(&mut self, x: f32, y: f32) {
            self.add(x, y);
        }
        fn line_to(&mut self, x: f32, y: f32) {
            self.add(x, y);
        }
        fn quad_to(&mut self, cx: f32, cy: f32, x: f32, y: f32) {
            self.add(cx, cy);
            self.add(x, y);
        }
        fn curve_to(&mut self, cx0: f32, cy0: f32, cx1: f32, cy1: f32, x: f32, y: f32) {
            self.add(cx0, cy0);
            self.add(cx1, cy1);
            self.add(x, y);
        }
        fn close(&mut self) {}
    }

    /// The value after `key` in a PDF dictionary's text, up to the next delimiter.
    fn after<'a>(dict: &'a str, key: &str) -> Option<&'a str> {
        let rest = dict.split(key).nth(1)?.trim_start();
        let end = rest[1..]
            .find(|c: char| c.is_whitespace() || "/[]<>".contains(c))
            .map_or(rest.len(), |e| e + 1);
        Some(&rest[..end])
    }

    /// The seed's PDF and the (face, glyph) pairs it draws.
    type Seed = (Vec<u8>, BTreeSet<(FaceId, u16)>);

    /// The seed exported once for the tests below.
    fn seed_pdf() -> &'static Seed {
        static SEED: std::sync::OnceLock<Seed> = std::sync::OnceLock::new();
        SEED.get_or_init(|| {
            let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/potou-2023.json");
            let json = std::fs::read_to_string(path).unwrap();
            let doc = crate::layout::build(&crate::Report::from_json(&json).unwrap());
            let opts = ExportOptions::default();
            let pdf = crate::pdf::write(&doc, &opts).unwrap().bytes;
            let set = FontSet::shared(&opts).unwrap();
            let laid = crate::pdf::paginate::typeset(&doc, &Glyphs::new(&set));
            let used = laid
                .pages
                .iter()
                .flat_map(|p| &p.lines)
                .flat_map(|l| &l.glyphs)
                .map(|g| (g.face, g.gid))
                .collect();
            (pdf, used)
        })
    }

    /// Each font descriptor of the seed's PDF: font name, `/FontBBox`, and the font program
    /// with the key it hangs from (`/FontFile2` TrueType, `/FontFile3` CFF).
    fn seed_font_descriptors() -> Vec<(String, Vec<f32>, &'static str, Vec<u8>)> {
        let objects = crate::pdf::pack::tests::objects_of(&seed_pdf().0);
        let mut out = Vec::new();
        for obj in objects.values() {
            let dict = String::from_utf8_lossy(obj);
            if !dict.contains("/Type/FontDescriptor") && !dict.contains("/Type /FontDescriptor") {
                continue;
            }
            let name = after(&dict, "/FontName").unwrap().trim_start_matches('/');
            let bbox: Vec<f32> = dict
                .split("/FontBBox")
                .nth(1)
                .unwrap()
                .split(['[', ']'])
                .nth(1)
                .unwrap()
                .split_whitespace()
                .map(|v| v.parse().unwrap())
                .collect();
            let key = if dict.contains("/FontFile2") {
                "/FontFile2"
            } else {
                "/FontFile3"
            };
            let n: usize = after(&dict, key).unwrap().parse().unwrap();
            out.push((name.to_string(), bbox, key, objects[&n].clone()));
        }
        out
    }

    /// The seed's PDF stays within its size target (260 KB) with vendor/krilla's faster font
    /// deflate, the stored CFF programs and the packer's level.
    #[test]
    fn the_seed_pdf_stays_within_260_kb() {
        let len = seed_pdf().0.len();
        assert!(len <= 260 * 1024, "the seed's PDF is {len} B");
    }

    /// vendor/krilla's patch deflates a large font program in two halves at once: the result
    /// must be one zlib stream of the whole data (header, both halves, Adler-32 of the whole)
    /// with the header `ZlibEncoder` writes, the same bytes on every run.
    #[test]
    fn a_large_font_program_deflated_in_halves_is_one_zlib_stream() {
        use krilla::nianbao_patch::deflate_encode_level;
        use std::io::{Read, Write};
        let mut x = 12345u32;
        let data: Vec<u8> = (0..300_000u32)
            .map(|i| {
                x = x.wrapping_mul(1_103_515_245).wrapping_add(12345);
                if i % 7 < 4 {
                    (i % 251) as u8
                } else {
                    (x >> 24) as u8
                }
            })
            .collect();
        for level in [1, 2, 6, 9] {
            let z = deflate_encode_level(&data, level);
            let mut back = Vec::new();
            // the decoder checks the Adler-32 trailer
            flate2::read::ZlibDecoder::new(&z[..])
                .read_to_end(&mut back)
                .unwrap();
            assert!(back == data, "level {level}: inflates to other bytes");
            let mut e =
                flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::new(level));
            e.write_all(&data).unwrap();
            let whole = e.finish().unwrap();
            assert_eq!(z[..2], whole[..2], "level {level}: zlib header");
            assert_eq!(
                z[z.len() - 4..],
                whole[whole.len() - 4..],
                "level {level}: Adler-32"
            );
            assert!(
                z.len() < whole.len() + whole.len() / 50,
                "level {level}: {} B in halves against {} B whole",
                z.len(),
                whole.len()
            );
        }
        assert_eq!(
            deflate_encode_level(&data, 2),
            deflate_encode_level(&data, 2)
        );
        // the seed's TrueType program is large enough to take this path
        let (_, _, _, program) = seed_font_descriptors()
            .into_iter()
            .find(|d| d.2 == "/FontFile2")
            .unwrap();
        assert!(crate::pdf::pack::tests::inflate(&program).len() >= 64 * 1024);
    }

    /// The seed's PDF is the same file whether its fonts and streams are made on scoped threads
    /// (the default) or all on the calling thread (`single_thread`), and both paths are taken:
    /// the packer has more than its threshold to deflate, and threads are on by default.
    #[test]
    fn the_seed_pdf_is_the_same_with_and_without_threads() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/potou-2023.json");
        let json = std::fs::read_to_string(path).unwrap();
        let doc = crate::layout::build(&crate::Report::from_json(&json).unwrap());
        let one = ExportOptions {
            single_thread: true,
            ..ExportOptions::default()
        };
        let alone = crate::pdf::write(&doc, &one).unwrap().bytes;
        assert!(alone == seed_pdf().0, "single-threaded PDF differs");
        assert!(!ExportOptions::default().single_thread);
        assert!(
            krilla::nianbao_patch::set_threads(true),
            "threads are on by default"
        );
    }

    /// vendor/krilla's patch takes a TrueType font's `/FontBBox` from the glyf table's stored
    /// boxes instead of drawing every glyph: it must be exactly the box the drawing gives.
    #[test]
    fn a_truetype_font_bbox_is_the_box_of_its_drawn_glyphs() {
        let mut checked = 0;
        for (name, bbox, key, data) in seed_font_descriptors() {
            if key != "/FontFile2" {
                continue;
            }
            let data = crate::pdf::pack::tests::inflate(&data);
            let font = FontRef::new(&data).unwrap();
            let scale = 1000.0 / f32::from(font.head().unwrap().units_per_em());
            let mut pen = BoundsPen::default();
            for gid in 0..u32::from(font.maxp().unwrap().num_glyphs()) {
                pen.glyph(&font, gid);
            }
            let drawn = pen.0.unwrap().map(|v| v * scale);
            assert!(
                (0..4).all(|i| (bbox[i] - drawn[i]).abs() < 0.01),
                "{name}: /FontBBox {bbox:?}, drawn {drawn:?}"
            );
            checked += 1;
        }
        assert!(checked >= 1, "the seed has a TrueType font (FandolFang)");
    }

    /// For CFF fonts the patch writes the head table's box: it must enclose every glyph the
    /// seed draws from the face. The CFF program is stored unfiltered.
    #[test]
    fn a_cff_font_bbox_encloses_every_glyph_drawn_from_it() {
        let set = FontSet::shared(&ExportOptions::default()).unwrap();
        let mut checked = 0;
        for (name, bbox, key, data) in seed_font_descriptors() {
            if key != "/FontFile3" {
                continue;
            }
            assert!(
                <skrifa::raw::tables::cff::Cff as skrifa::raw::FontRead>::read(
                    skrifa::raw::FontData::new(&data)
                )
                .is_ok(),
                "{name}: the CFF program is stored as is"
            );
            let ps = name
                .split('+')
                .nth(1)
                .unwrap()
                .trim_end_matches("-Identity-H");
            let (id, face) = set
                .faces()
                .iter()
                .enumerate()
                .find(|(_, f)| {
                    f.font_ref().is_some_and(|r| {
                        r.localized_strings(skrifa::string::StringId::POSTSCRIPT_NAME)
                            .english_or_first()
                            .is_some_and(|s| s.to_string() == ps)
                    })
                })
                .unwrap_or_else(|| panic!("{name}: no face"));
            let font = face.font_ref().unwrap();
            let scale = 1000.0 / f32::from(font.head().unwrap().units_per_em());
            let mut pen = BoundsPen::default();
            for &(_, gid) in seed_pdf().1.iter().filter(|(f, _)| *f == id) {
                pen.glyph(&font, u32::from(gid));
            }
            let d = pen.0.unwrap().map(|v| v * scale);
            assert!(
                bbox[0] <= d[0] + 0.01
                    && bbox[1] <= d[1] + 0.01
                    && bbox[2] >= d[2] - 0.01
                    && bbox[3] >= d[3] - 0.01,
                "{name}: /FontBBox {bbox:?} does not enclose the drawn {d:?}"
            );
            checked += 1;
        }
        assert!(checked >= 3, "the seed has three CFF fonts (Noto)");
    }

    #[test]
    fn the_font_set_can_be_shared_between_threads() {
        assert_send_sync::<FontSet>();
    }

    #[test]
    fn a_process_loads_each_font_configuration_once() {
        let a = FontSet::shared(&ExportOptions::default()).unwrap();
        let b = FontSet::shared(&ExportOptions::default()).unwrap();
        assert!(
            Arc::ptr_eq(&a, &b),
            "the second export reuses the loaded set"
        );
        // an override is another configuration; a replaced override file is loaded again
        let dir = std::env::temp_dir().join(format!("nianbao-shared-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let font = dir.join("kai.ttf");
        let kai = std::fs::read(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("fonts/GovDocKai-Regular.ttf"),
        )
        .unwrap();
        std::fs::write(&font, &kai).unwrap();
        let mut o = ExportOptions::default();
        o.fonts.push((FontRole::Body, font.clone()));
        let c = FontSet::shared(&o).unwrap();
        assert!(!Arc::ptr_eq(&a, &c));
        assert!(Arc::ptr_eq(&c, &FontSet::shared(&o).unwrap()));
        std::fs::write(&font, &kai[..kai.len() / 2]).unwrap();
        assert!(
            FontSet::shared(&o).is_err(),
            "the damaged replacement is checked, not the cached set used"
        );
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn chains_start_with_the_role_and_cover_every_role_once() {
        for r in FontRole::ALL {
            assert_eq!(chain(r)[0], r);
            let mut c = chain(r).to_vec();
            c.sort();
            assert_eq!(c, FontRole::ALL.to_vec(), "chain of {r:?}");
        }
    }

    #[test]
    fn bundled_fonts_cover_the_seed_and_fall_back_for_pinyin() {
        let set = FontSet::load(&ExportOptions::default()).unwrap();
        assert_eq!(set.faces.len(), 5, "five bundled files");
        let g = Glyphs::new(&set);
        for ch in "坡頭區教育局動(dòng)開(kāi)ūǎǐǒǔǚ2023年，。“”《》（）—".chars()
        {
            let m = g.map(FontRole::Body, ch);
            assert!(!m.missing, "{ch} missing");
            assert_ne!(m.gid, 0);
        }
        let m = g.map(FontRole::Body, '\u{1F600}');
        assert!(m.missing);
        assert_ne!(m.gid, 0, "□ stand-in, not .notdef");
        assert_eq!(g.missing(), vec!['\u{1F600}']);
    }

    #[test]
    fn a_minus_sign_no_face_has_is_drawn_as_its_look_alike() {
        let set = FontSet::load(&ExportOptions::default()).unwrap();
        let g = Glyphs::new(&set);
        let minus = g.map(FontRole::Body, '\u{2212}');
        assert!(!minus.missing, "drawn, not □");
        assert_eq!(minus, g.map(FontRole::Body, '\u{FF0D}'));
        assert_eq!(
            g.map(FontRole::Heading, '\u{2011}'),
            g.map(FontRole::Heading, '-')
        );
        assert!(g.missing().is_empty(), "{:?}", g.missing());
    }

    #[test]
    fn unreadable_and_non_regular_overrides_are_errors() {
        for path in ["/nonexistent.ttf", "/dev/zero", "/"] {
            let mut o = ExportOptions::default();
            o.fonts.push((FontRole::Body, PathBuf::from(path)));
            match FontSet::load(&o) {
                Err(ExportError::Font(m)) => assert!(m.contains(path), "{m}"),
                Err(e) => panic!("{path}: {e}"),
                Ok(_) => panic!("{path} accepted"),
            }
        }
    }
}
