//! Fonts for the PDF: loading, role resolution, the fallback chain and the coverage check.
//!
//! Each typographic role of GB/T 9704 (title 小标宋, body 仿宋, heading 黑体, kai 楷体, song 宋体)
//! resolves to one face, in this order:
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
//! Characters are mapped with skrifa (cmap + hmtx); a character the role's face lacks is taken
//! from the next face of the role's fallback chain (仿宋 → 宋体 → 楷体 → 黑体 → 小标宋). A
//! character no face has is drawn as a visible `□` carrying the original character as its
//! text (so extraction and search still find it) and reported as a warning, never as .notdef.

use crate::options::{ExportError, ExportOptions};
use skrifa::instance::{LocationRef, Size};
use skrifa::{FontRef, MetadataProvider};
use std::cell::RefCell;
use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// A typographic role.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Role {
    /// 小标宋: the title.
    Title,
    /// 仿宋: body text.
    Body,
    /// 黑体: level-1 headings.
    Heading,
    /// 楷体: level-2 headings.
    Kai,
    /// 宋体: page numbers, tables, fallback.
    Song,
}

impl Role {
    /// All roles.
    pub const ALL: [Role; 5] = [
        Role::Title,
        Role::Body,
        Role::Heading,
        Role::Kai,
        Role::Song,
    ];

    /// The `--font` name of the role.
    pub fn name(self) -> &'static str {
        match self {
            Role::Title => "title",
            Role::Body => "body",
            Role::Heading => "heading",
            Role::Kai => "kai",
            Role::Song => "song",
        }
    }

    /// Parses a `--font` role name.
    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL
            .into_iter()
            .find(|r| r.name() == s.trim().to_ascii_lowercase())
    }

    /// The bundled file for the role.
    pub fn bundled_file(self) -> &'static str {
        match self {
            Role::Title => "NotoSerifCJKsc-Bold.subset.otf",
            Role::Body => "FandolFang-Regular.otf",
            Role::Heading => "NotoSansCJKsc-Regular.subset.otf",
            Role::Kai => "GovDocKai-Regular.ttf",
            Role::Song => "NotoSerifCJKsc-Regular.subset.otf",
        }
    }

    /// Faces to try, in order, for a character of this role.
    pub fn chain(self) -> [Role; 5] {
        match self {
            Role::Title => [
                Role::Title,
                Role::Song,
                Role::Heading,
                Role::Body,
                Role::Kai,
            ],
            Role::Body => [
                Role::Body,
                Role::Song,
                Role::Kai,
                Role::Heading,
                Role::Title,
            ],
            Role::Heading => [
                Role::Heading,
                Role::Song,
                Role::Body,
                Role::Kai,
                Role::Title,
            ],
            Role::Kai => [
                Role::Kai,
                Role::Song,
                Role::Body,
                Role::Heading,
                Role::Title,
            ],
            Role::Song => [
                Role::Song,
                Role::Body,
                Role::Heading,
                Role::Kai,
                Role::Title,
            ],
        }
    }

    fn index(self) -> usize {
        self as usize
    }
}

impl From<crate::style::FontRole> for Role {
    fn from(r: crate::style::FontRole) -> Role {
        use crate::style::FontRole as F;
        match r {
            F::Title => Role::Title,
            F::Body => Role::Body,
            F::Heading => Role::Heading,
            F::Kai => Role::Kai,
            F::Song => Role::Song,
        }
    }
}

/// System family names tried for a role when neither an override nor the bundled file exists.
pub fn system_families(role: Role) -> &'static [&'static str] {
    match role {
        Role::Title => &[
            "FZXiaoBiaoSong-B05S",
            "方正小标宋简体",
            "Noto Serif CJK SC",
            "Source Han Serif SC",
            "SimSun",
        ],
        Role::Body => &[
            "FangSong_GB2312",
            "FangSong",
            "仿宋",
            "FZFangSong-Z02S",
            "STFangsong",
            "FandolFang",
            "Noto Serif CJK SC",
        ],
        Role::Heading => &["SimHei", "黑体", "Noto Sans CJK SC", "Source Han Sans SC"],
        Role::Kai => &["KaiTi_GB2312", "KaiTi", "楷体", "STKaiti", "AR PL UKai CN"],
        Role::Song => &[
            "SimSun",
            "宋体",
            "Noto Serif CJK SC",
            "Source Han Serif SC",
            "AR PL UMing CN",
        ],
    }
}

/// Index of a loaded face.
pub type FaceId = usize;

/// One loaded font file.
pub struct Face {
    /// Where it came from (file name or family), for messages and the benchmark.
    pub source: String,
    /// The font bytes (memory-mapped for files).
    pub data: FontData,
    /// Index in a collection.
    pub index: u32,
    /// Which roles resolved to it.
    pub roles: Vec<Role>,
    cache: RefCell<HashMap<char, Option<(u16, f32)>>>,
}

/// Shared font bytes.
pub type FontData = Arc<dyn AsRef<[u8]> + Send + Sync>;

/// Maps a font file into memory (falling back to reading it), so that only the pages the
/// subsetter touches are read: the bundled set is 24 MB.
fn map_file(path: &Path) -> Result<FontData, String> {
    let mut db = fontdb::Database::new();
    if db.load_font_file(path).is_ok() {
        let first = db.faces().next().map(|f| f.id);
        if let Some(id) = first {
            // SAFETY: the mapping is read-only and the font files are never written by this
            // program; like every font consumer that maps files (fontdb, typst), we accept that
            // another process truncating a font file during an export could fault.
            if let Some((data, _)) = unsafe { db.make_shared_face_data(id) } {
                return Ok(data);
            }
        }
    }
    std::fs::read(path)
        .map(|v| Arc::new(v) as FontData)
        .map_err(|e| format!("{}: {e}", path.display()))
}

impl Face {
    fn new(source: String, data: FontData, index: u32) -> Result<Face, String> {
        let font =
            FontRef::from_index((*data).as_ref(), index).map_err(|e| format!("{source}: {e}"))?;
        if font.charmap().map('国').is_none() && font.charmap().map('一').is_none() {
            return Err(format!("{source}: 不是中文字体 (no CJK glyphs)"));
        }
        Ok(Face {
            source,
            data,
            index,
            roles: Vec::new(),
            cache: RefCell::new(HashMap::new()),
        })
    }

    /// Glyph id and advance (in em) of a character, if the face maps it to a real glyph.
    pub fn glyph(&self, ch: char) -> Option<(u16, f32)> {
        if let Some(v) = self.cache.borrow().get(&ch) {
            return *v;
        }
        let v = FontRef::from_index((*self.data).as_ref(), self.index)
            .ok()
            .and_then(|f| {
                let gid = f.charmap().map(ch)?;
                if gid.to_u32() == 0 || gid.to_u32() > u16::MAX as u32 {
                    return None;
                }
                let upem = f
                    .metrics(Size::unscaled(), LocationRef::default())
                    .units_per_em;
                let adv = f
                    .glyph_metrics(Size::unscaled(), LocationRef::default())
                    .advance_width(gid)
                    .unwrap_or(0.0);
                Some((gid.to_u32() as u16, adv / f32::from(upem.max(1))))
            });
        self.cache.borrow_mut().insert(ch, v);
        v
    }

    /// Maps many characters at once (one parse of the font), filling the cache.
    pub fn prime(&self, chars: &BTreeSet<char>) {
        let Ok(f) = FontRef::from_index((*self.data).as_ref(), self.index) else {
            return;
        };
        let cmap = f.charmap();
        let upem = f32::from(
            f.metrics(Size::unscaled(), LocationRef::default())
                .units_per_em
                .max(1),
        );
        let gm = f.glyph_metrics(Size::unscaled(), LocationRef::default());
        let mut cache = self.cache.borrow_mut();
        for &ch in chars {
            cache.entry(ch).or_insert_with(|| {
                let gid = cmap.map(ch)?;
                if gid.to_u32() == 0 || gid.to_u32() > u16::MAX as u32 {
                    return None;
                }
                Some((
                    gid.to_u32() as u16,
                    gm.advance_width(gid).unwrap_or(0.0) / upem,
                ))
            });
        }
    }
}

/// A glyph chosen for a character.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Mapped {
    /// Face.
    pub face: FaceId,
    /// Glyph id.
    pub gid: u16,
    /// Advance in em.
    pub advance: f32,
    /// The character is missing from every face and this is the `□` stand-in.
    pub missing: bool,
}

/// The fonts of one export: one face per role plus the fallback chain.
pub struct FontSet {
    /// Loaded faces (deduplicated by source).
    pub faces: Vec<Face>,
    role_face: [Option<FaceId>; 5],
    /// Characters no face has, in order of first use.
    missing: RefCell<Vec<char>>,
}

/// Directories searched for the bundled fonts, in order.
pub fn bundled_dirs() -> Vec<PathBuf> {
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

impl FontSet {
    /// Resolves the roles that `needed` lists (other roles load lazily only as fallbacks).
    pub fn load(opts: &ExportOptions, needed: &[Role]) -> Result<FontSet, ExportError> {
        let mut set = FontSet {
            faces: Vec::new(),
            role_face: [None; 5],
            missing: RefCell::new(Vec::new()),
        };
        let mut overrides: [Option<&Path>; 5] = [None; 5];
        for (role, path) in &opts.fonts {
            overrides[Role::from(*role).index()] = Some(path.as_path());
        }
        let dirs = bundled_dirs();
        let mut system: Option<fontdb::Database> = None;
        // every role is resolved (fallbacks need them); the needed ones first so that their
        // failure is reported.
        let mut order: Vec<Role> = needed.to_vec();
        order.extend(Role::ALL.iter().copied().filter(|r| !needed.contains(r)));
        for role in order {
            let id = if let Some(path) = overrides[role.index()] {
                let data = map_file(path).map_err(|e| {
                    ExportError::Font(format!("无法读取 --font {}={e}", role.name()))
                })?;
                let face = Face::new(path.display().to_string(), data, 0)
                    .map_err(|e| ExportError::Font(format!("--font {}: {e}", role.name())))?;
                Some(set.add(face))
            } else if let Some(path) = dirs
                .iter()
                .map(|d| d.join(role.bundled_file()))
                .find(|p| p.is_file())
            {
                let source = path
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default();
                match set.faces.iter().position(|f| f.source == source) {
                    Some(i) => Some(i),
                    None => {
                        let data = map_file(&path)
                            .map_err(|e| ExportError::Font(format!("无法读取 {e}")))?;
                        let face = Face::new(source, data, 0).map_err(ExportError::Font)?;
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
            if let Some(id) = id {
                set.faces[id].roles.push(role);
                set.role_face[role.index()] = Some(id);
            }
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

    fn load_system(&mut self, db: &fontdb::Database, role: Role) -> Option<FaceId> {
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
                if let Ok(face) = Face::new(source, data, index) {
                    return Some(self.add(face));
                }
            }
        }
        None
    }

    /// The face a role resolved to (or the first face of its chain that exists).
    pub fn primary(&self, role: Role) -> FaceId {
        role.chain()
            .iter()
            .find_map(|r| self.role_face[r.index()])
            .unwrap_or(0)
    }

    /// Maps characters ahead of layout (one font parse per face).
    pub fn prime(&self, chars: &BTreeSet<char>) {
        for f in &self.faces {
            f.prime(chars);
        }
    }

    /// The first face of a role's chain that has every character of `word` (so that a Latin
    /// word such as the pinyin `qū` is set in one face rather than mixing two).
    pub fn word_face(&self, role: Role, word: &[char]) -> Option<FaceId> {
        role.chain()
            .iter()
            .filter_map(|r| self.role_face[r.index()])
            .find(|&id| word.iter().all(|&c| self.faces[id].glyph(c).is_some()))
    }

    /// Like [`FontSet::map`], trying `prefer` first.
    pub fn map_in(&self, role: Role, ch: char, prefer: Option<FaceId>) -> Mapped {
        if let Some(id) = prefer {
            if let Some((gid, advance)) = self.faces.get(id).and_then(|f| f.glyph(ch)) {
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
    pub fn map(&self, role: Role, ch: char) -> Mapped {
        let mut tried = [false; 16];
        for r in role.chain() {
            let Some(id) = self.role_face[r.index()] else {
                continue;
            };
            if id < tried.len() {
                if tried[id] {
                    continue;
                }
                tried[id] = true;
            }
            if let Some((gid, advance)) = self.faces[id].glyph(ch) {
                return Mapped {
                    face: id,
                    gid,
                    advance,
                    missing: false,
                };
            }
        }
        // other faces (system fonts loaded for other roles)
        for (id, f) in self.faces.iter().enumerate() {
            if let Some((gid, advance)) = f.glyph(ch) {
                return Mapped {
                    face: id,
                    gid,
                    advance,
                    missing: false,
                };
            }
        }
        {
            let mut m = self.missing.borrow_mut();
            if !m.contains(&ch) {
                m.push(ch);
            }
        }
        for stand_in in ['□', '?'] {
            for r in role.chain() {
                if let Some(id) = self.role_face[r.index()] {
                    if let Some((gid, _)) = self.faces[id].glyph(stand_in) {
                        return Mapped {
                            face: id,
                            gid,
                            advance: 1.0,
                            missing: true,
                        };
                    }
                }
            }
        }
        Mapped {
            face: self.primary(role),
            gid: 0,
            advance: 1.0,
            missing: true,
        }
    }

    /// Characters that no face has.
    pub fn missing(&self) -> Vec<char> {
        self.missing.borrow().clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_parse_and_chains_start_with_the_role() {
        for r in Role::ALL {
            assert_eq!(Role::parse(r.name()), Some(r));
            assert_eq!(r.chain()[0], r);
            let mut c = r.chain().to_vec();
            c.sort();
            assert_eq!(
                c,
                Role::ALL.to_vec(),
                "chain of {r:?} covers every role once"
            );
        }
        assert_eq!(Role::parse("Body "), Some(Role::Body));
        assert_eq!(Role::parse("serif"), None);
    }

    #[test]
    fn bundled_fonts_cover_the_seed_and_fall_back_for_pinyin() {
        let set = FontSet::load(&ExportOptions::default(), &Role::ALL).unwrap();
        assert_eq!(set.faces.len(), 5, "five bundled files");
        // FandolFang lacks ǎ/ò? whichever it lacks, the chain must find a glyph
        for ch in "坡頭區教育局動(dòng)開(kāi)ūǎǐǒǔǚ2023年，。“”《》（）—".chars()
        {
            let m = set.map(Role::Body, ch);
            assert!(!m.missing, "{ch} missing");
            assert_ne!(m.gid, 0);
        }
        let m = set.map(Role::Body, '\u{1F600}');
        assert!(m.missing);
        assert_ne!(m.gid, 0, "□ stand-in, not .notdef");
        assert_eq!(set.missing(), vec!['\u{1F600}']);
    }

    #[test]
    fn unknown_role_and_unreadable_override_are_errors() {
        let mut o = ExportOptions::default();
        o.fonts.push((
            crate::style::FontRole::Body,
            PathBuf::from("/nonexistent.ttf"),
        ));
        assert!(matches!(FontSet::load(&o, &[]), Err(ExportError::Font(_))));
    }
}
