//! Safe file output: names made from report content become one harmless path component; files
//! are written to an unpredictable temporary name (created exclusively, so a planted symbolic
//! link is never followed) and renamed into place, or, over an existing file on Linux, swapped
//! with it in one step (flushed to disk first and renamed when [`set_durable`] asks for it); all
//! outputs of one run are
//! staged first and put in place together ([`OutputSet`]), so either all appear or none do; and
//! an output that is an input, or another output, is refused before anything is written.
//!
//! Temporary files are named `.nianbao-XXXXXX.tmp` (a swapped-out old file keeps that name until
//! the set is in place; where files are renamed instead, `.nianbao-XXXXXX.bak` is a hard-link backup
//! of a replaced file while a later output of the set could still fail and take it back) in the
//! output's folder and removed on every error path. [`end_on_signals_between_writes`]
//! makes Ctrl-C, SIGTERM and SIGHUP end the process only when no output set is half-written; a
//! signal handler of one's own can remove the temporaries still pending with
//! [`remove_pending_temporaries`]. Only a SIGKILL or a power cut can leave one behind; such files
//! are recognisable by the prefix and safe to delete.
//!
//! Targets that are not regular files (a FIFO, a device, anything under `/dev/` or `/proc/`
//! such as `/dev/stdout`) are written directly, never replaced. A symbolic link at the output
//! path is replaced by the new file, not followed.

use std::ffi::OsString;
use std::fs::{self, File};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicI32, AtomicUsize, Ordering};
use std::sync::{Mutex, Once, OnceLock};

/// Whether outputs are flushed to disk (`fsync`) before and after they are renamed into place.
static DURABLE: AtomicBool = AtomicBool::new(false);

/// Asks every later write to flush its file and folder to disk (`fsync`) before reporting
/// success, so the outputs survive a power cut that follows at once. Off by default: the rename
/// already makes each output appear whole or not at all, write errors (a full disk) are caught
/// as the bytes are written, and two flushes cost about as much as writing an HTML report. The
/// command line turns it on with the environment variable `NIANBAO_FSYNC=1`.
///
/// ```
/// nianbao::files::set_durable(true);
/// assert!(nianbao::files::durable());
/// nianbao::files::set_durable(false);
/// ```
pub fn set_durable(on: bool) {
    DURABLE.store(on, Ordering::Relaxed);
}

/// Whether [`set_durable`] is on.
pub fn durable() -> bool {
    DURABLE.load(Ordering::Relaxed)
}

/// Run once, before the first temporary file of the process is created.
static BEFORE_FIRST_WRITE: OnceLock<fn()> = OnceLock::new();
static FIRST_WRITE: Once = Once::new();

/// Registers a function run once, just before this process creates its first temporary file:
/// the command line installs its signal handler there (a thread that removes temporaries on
/// Ctrl-C), so a run that writes nothing never starts it. Only the first registration counts;
/// returns whether this one did.
///
/// ```
/// fn install() {}
/// let _ = nianbao::files::before_first_write(install);
/// ```
pub fn before_first_write(hook: fn()) -> bool {
    BEFORE_FIRST_WRITE.set(hook).is_ok()
}

/// The prefix of every temporary file nianbao creates.
pub const TEMP_PREFIX: &str = ".nianbao-";

/// The longest name [`safe_file_name`] returns, in bytes (file systems allow 255; this leaves
/// room for an extension and the temporary prefix).
pub const MAX_NAME_BYTES: usize = 200;

/// The name used when nothing usable is left of the text.
const FALLBACK_NAME: &str = "report";

/// Turns any text into one safe path component: path separators, NUL and other control
/// characters and the characters Windows forbids (`< > : " | ? *`) become `_`; leading dots
/// (so no `..` or hidden name) and trailing dots and spaces are removed; names Windows reserves
/// (`CON`, `NUL`, `COM1`, …, also with an extension) get a leading `_`; the length is capped at
/// [`MAX_NAME_BYTES`] on a character boundary. Never empty.
///
/// ```
/// use nianbao::files::safe_file_name;
/// assert_eq!(safe_file_name("示例县教育局-2024"), "示例县教育局-2024");
/// assert_eq!(safe_file_name("../../etc/passwd"), "_.._etc_passwd");
/// assert_eq!(safe_file_name("/abs/path"), "_abs_path");
/// assert_eq!(safe_file_name(".."), "report");
/// assert_eq!(safe_file_name("con.2024"), "_con.2024");
/// assert_eq!(safe_file_name("a\u{0}b\u{1b}c. . "), "a_b_c");
/// ```
pub fn safe_file_name(text: &str) -> String {
    let mapped: String = text
        .chars()
        .map(|c| {
            if c.is_control()
                || matches!(c, '/' | '\\' | '<' | '>' | ':' | '"' | '|' | '?' | '*')
                || is_invisible_format(c)
            {
                '_'
            } else {
                c
            }
        })
        .collect();
    let mut name = trim_name(&mapped).to_string();
    if name.len() > MAX_NAME_BYTES {
        let mut cut = MAX_NAME_BYTES;
        while !name.is_char_boundary(cut) {
            cut -= 1;
        }
        name.truncate(cut);
        name = trim_name(&name).to_string();
    }
    if name.is_empty() {
        return FALLBACK_NAME.to_string();
    }
    if is_reserved_windows_name(&name) {
        name.insert(0, '_');
    }
    name
}

/// Removes leading dots and white space, trailing dots and white space.
fn trim_name(s: &str) -> &str {
    s.trim_start_matches(|c: char| c == '.' || c.is_whitespace())
        .trim_end_matches(|c: char| c == '.' || c.is_whitespace())
}

/// Bidirectional overrides and similar invisible characters that make a name read differently
/// from what it is.
fn is_invisible_format(c: char) -> bool {
    matches!(c, '\u{200B}'..='\u{200F}' | '\u{2028}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{FEFF}')
}

fn is_reserved_windows_name(name: &str) -> bool {
    let stem = name
        .split('.')
        .next()
        .unwrap_or(name)
        .trim_end()
        .to_ascii_uppercase();
    match stem.as_str() {
        "CON" | "PRN" | "AUX" | "NUL" | "CONIN$" | "CONOUT$" => true,
        s if s.len() == 4 && (s.starts_with("COM") || s.starts_with("LPT")) => {
            s.as_bytes()[3].is_ascii_digit()
        }
        _ => false,
    }
}

/// Where an output goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Destination {
    /// Standard output (`-o -`).
    Stdout,
    /// A path.
    Path(PathBuf),
}

impl Destination {
    /// `-` is standard output; anything else a path.
    pub fn from_arg(arg: impl Into<OsString>) -> Destination {
        let arg = arg.into();
        if arg == "-" {
            Destination::Stdout
        } else {
            Destination::Path(PathBuf::from(arg))
        }
    }
}

impl std::fmt::Display for Destination {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Destination::Stdout => f.write_str("<stdout>"),
            Destination::Path(p) => write!(f, "{}", p.display()),
        }
    }
}

/// An output that could not be written.
#[derive(Debug, thiserror::Error)]
#[error("无法写入 {dest} (cannot write: {source})")]
pub struct WriteError {
    /// Where.
    pub dest: Destination,
    /// Why.
    #[source]
    pub source: io::Error,
}

/// Outputs that would overwrite an input or each other.
#[derive(Debug, thiserror::Error)]
pub enum ClashError {
    /// An output is one of the inputs.
    #[error("输出 {output} 就是输入文件 {input}，会覆盖它；请换一个输出路径 (the output would overwrite an input)")]
    OutputIsInput {
        /// The output path.
        output: PathBuf,
        /// The input it names.
        input: PathBuf,
    },
    /// Two outputs are the same file.
    #[error(
        "两个输出是同一个文件：{first} 与 {second}；请分别指定 (two outputs name the same file)"
    )]
    SameOutput {
        /// The first.
        first: Destination,
        /// The second.
        second: Destination,
    },
}

/// What a path names, for telling whether two paths are the same file.
#[derive(Debug, PartialEq, Eq)]
enum Identity {
    /// An existing file or folder: device and inode.
    Node(u64, u64),
    /// A file that does not exist yet: its absolute path.
    Future(PathBuf),
}

/// A stable identity of an existing file (device and inode on Unix), for loop and duplicate
/// detection.
pub fn file_id(meta: &fs::Metadata) -> Option<(u64, u64)> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        Some((meta.dev(), meta.ino()))
    }
    #[cfg(not(unix))]
    {
        let _ = meta;
        None
    }
}

fn identity(p: &Path) -> Option<Identity> {
    match fs::metadata(p) {
        Ok(m) if m.is_file() || m.is_dir() => match file_id(&m) {
            Some((dev, ino)) => Some(Identity::Node(dev, ino)),
            None => fs::canonicalize(p).ok().map(Identity::Future),
        },
        // Devices, FIFOs, sockets are streams: writing to one twice is not overwriting.
        Ok(_) => None,
        Err(_) => {
            let name = p.file_name()?;
            let parent = p
                .parent()
                .filter(|d| !d.as_os_str().is_empty())
                .unwrap_or(Path::new("."));
            let dir = fs::canonicalize(parent).unwrap_or_else(|_| absolute(parent));
            Some(Identity::Future(dir.join(name)))
        }
    }
}

fn absolute(p: &Path) -> PathBuf {
    std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf())
}

/// Refuses outputs that name an input (compared by device and inode where the file exists,
/// else by absolute path) or each other. Standard input and output, devices and FIFOs are not
/// compared, except that standard output may be named once only.
///
/// # Errors
/// The first clash found.
pub fn check_distinct(inputs: &[&Path], outputs: &[&Destination]) -> Result<(), ClashError> {
    let ins: Vec<(&Path, Identity)> = inputs
        .iter()
        .filter_map(|p| identity(p).map(|id| (*p, id)))
        .collect();
    let mut seen: Vec<(&Destination, Option<Identity>)> = Vec::new();
    for &out in outputs {
        let id = match out {
            Destination::Stdout => None,
            Destination::Path(p) => identity(p),
        };
        if let Some(id) = &id {
            if let Some((input, _)) = ins.iter().find(|(_, i)| i == id) {
                let Destination::Path(p) = out else { continue };
                return Err(ClashError::OutputIsInput {
                    output: p.clone(),
                    input: input.to_path_buf(),
                });
            }
        }
        let clash = seen.iter().find(|(d, i)| match (out, id.as_ref()) {
            (Destination::Stdout, _) => **d == Destination::Stdout,
            (_, Some(id)) => i.as_ref() == Some(id),
            _ => false,
        });
        if let Some((first, _)) = clash {
            return Err(ClashError::SameOutput {
                first: (*first).clone(),
                second: out.clone(),
            });
        }
        seen.push((out, id));
    }
    Ok(())
}

/// Whether a path is written directly rather than by temporary file and rename: it is not a
/// regular file or a symbolic link (a FIFO, a device, a socket), or it lies under `/dev/` or
/// `/proc/` (so `/dev/stdout`, a link to the caller's output, is written through).
pub fn is_direct_target(p: &Path) -> bool {
    if p.starts_with("/dev") || p.starts_with("/proc") {
        return true;
    }
    fs::symlink_metadata(p)
        .is_ok_and(|m| !m.is_file() && !m.file_type().is_symlink() && !m.is_dir())
}

/// Writes one file atomically (see [`OutputSet`]).
///
/// # Errors
/// [`WriteError`]; nothing is left behind.
pub fn write_atomic(dest: &Destination, bytes: &[u8]) -> Result<(), WriteError> {
    let mut set = OutputSet::new();
    set.stage(dest, bytes)?;
    set.commit()
}

/// Where [`OutputSet::stage_seekable`] writes an output: its temporary file, or memory.
pub trait Staging: io::Read + Write + io::Seek + Send {
    /// Cuts (or extends) what was written to `len` bytes.
    ///
    /// # Errors
    /// The file's error.
    fn set_len(&mut self, len: u64) -> io::Result<()>;
}

impl Staging for File {
    fn set_len(&mut self, len: u64) -> io::Result<()> {
        File::set_len(self, len)
    }
}

impl Staging for io::Cursor<Vec<u8>> {
    fn set_len(&mut self, len: u64) -> io::Result<()> {
        let len = usize::try_from(len).map_err(io::Error::other)?;
        self.get_mut().resize(len, 0);
        Ok(())
    }
}

/// All outputs of a run: each is written to a temporary file next to its destination (and
/// flushed to disk) when staged; [`OutputSet::commit`] then renames them all into place (an
/// existing file is swapped with its replacement instead where the system can: Linux,
/// outputs not flushed). If any staging or renaming fails, nothing appears: renamed files are put
/// back (a replaced file is swapped back or restored from a hard-link backup) and temporaries are
/// removed. Dropping an uncommitted set
/// removes its temporaries.
#[derive(Default)]
pub struct OutputSet {
    files: Vec<Staged>,
    direct: Vec<(Destination, Vec<u8>)>,
    /// Open from the first temporary file until the set is committed or dropped; declared last,
    /// so it closes after the temporaries are gone.
    window: Option<WriteWindow>,
}

/// Bit 0: a signal asked the process to end ([`end_on_signals_between_writes`]); the rest: how
/// many output sets have files on disk that are not yet in place (open [`WriteWindow`]s), times
/// two. One word, changed only by atomic read-modify-writes, so the signal handler and the
/// writers agree on who ends the process: the handler when no set is open, else the last set to
/// close.
static WRITE_STATE: AtomicUsize = AtomicUsize::new(0);
const ENDING: usize = 1;
const ONE_WINDOW: usize = 2;
/// The signal that asked the process to end (the first one).
static ENDING_SIGNAL: AtomicI32 = AtomicI32::new(0);

/// An output set that has files on disk not yet in place (temporaries, backups): while one is
/// open, a signal does not end the process; when the last one closes after a signal, it does.
struct WriteWindow;

impl WriteWindow {
    fn open() -> WriteWindow {
        let before = WRITE_STATE.fetch_add(ONE_WINDOW, Ordering::SeqCst);
        if before & ENDING != 0 {
            // The process is ending: write nothing more. Closing this window ends it if no other
            // set is open; otherwise the last set to close does, and this thread waits for that.
            drop(WriteWindow);
            loop {
                std::thread::park();
            }
        }
        WriteWindow
    }
}

impl Drop for WriteWindow {
    fn drop(&mut self) {
        let before = WRITE_STATE.fetch_sub(ONE_WINDOW, Ordering::SeqCst);
        if before & ENDING != 0 && before / ONE_WINDOW == 1 {
            end_for_signal();
        }
    }
}

/// Ends the process at once with 128 + the signal's number, as a shell reports a process a
/// signal ended (`_exit`: async-signal-safe).
fn end_for_signal() -> ! {
    exit_now(128 + ENDING_SIGNAL.load(Ordering::SeqCst))
}

#[cfg(unix)]
fn exit_now(code: i32) -> ! {
    signal_hook::low_level::exit(code)
}

#[cfg(not(unix))]
fn exit_now(code: i32) -> ! {
    std::process::exit(code)
}

/// What a signal does once [`end_on_signals_between_writes`] is installed: only atomics and
/// `_exit`, so it is safe in a signal handler.
fn on_ending_signal(signal: i32) {
    let _ = ENDING_SIGNAL.compare_exchange(0, signal, Ordering::SeqCst, Ordering::SeqCst);
    let before = WRITE_STATE.fetch_or(ENDING, Ordering::SeqCst);
    if before / ONE_WINDOW == 0 {
        end_for_signal();
    }
    // Otherwise the last output set to close ends the process (WriteWindow::drop).
}

/// Makes SIGINT (Ctrl-C), SIGTERM and SIGHUP end the process with 128 + the signal's number, but
/// never while an [`OutputSet`] has files on disk that are not yet in place: a set being staged
/// or committed is finished (or rolled back) first and no new set starts, so an interrupted run
/// leaves each output whole or absent and no temporary file behind. No thread is started: the
/// handler changes one atomic word, and the last set to close ends the process. Unix only;
/// elsewhere a no-op.
///
/// # Errors
/// The operating system's, if a handler cannot be installed.
///
/// ```no_run
/// nianbao::files::end_on_signals_between_writes().expect("signal handlers");
/// ```
pub fn end_on_signals_between_writes() -> io::Result<()> {
    #[cfg(unix)]
    for signal in [
        signal_hook::consts::SIGINT,
        signal_hook::consts::SIGTERM,
        signal_hook::consts::SIGHUP,
    ] {
        // SAFETY: the action performs only atomic operations and `_exit`, which are
        // async-signal-safe (`on_ending_signal`).
        unsafe { signal_hook::low_level::register(signal, move || on_ending_signal(signal)) }?;
    }
    Ok(())
}

struct Staged {
    temp: tempfile::NamedTempFile,
    dest: PathBuf,
    _pending: Pending,
}

/// Temporary and backup files that exist right now, for [`remove_pending_temporaries`].
static PENDING: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

/// A registered temporary: listed while it lives, unlisted when dropped.
struct Pending(PathBuf);

impl Pending {
    fn new(path: &Path) -> Pending {
        if let Ok(mut p) = PENDING.lock() {
            p.push(path.to_path_buf());
        }
        Pending(path.to_path_buf())
    }
}

impl Drop for Pending {
    fn drop(&mut self) {
        if let Ok(mut p) = PENDING.lock() {
            p.retain(|x| *x != self.0);
        }
    }
}

/// Removes every temporary (and backup) file of this process not yet put in place or removed.
/// For a signal handler (Ctrl-C, SIGTERM, SIGHUP) about to end the process: an interrupted run
/// leaves no `.nianbao-*` file behind. Only SIGKILL and a power cut cannot be caught.
pub fn remove_pending_temporaries() {
    if let Ok(mut p) = PENDING.lock() {
        for path in p.drain(..) {
            let _ = fs::remove_file(path);
        }
    }
}

impl OutputSet {
    /// An empty set.
    pub fn new() -> OutputSet {
        OutputSet::default()
    }

    /// Writes an output to its temporary file (or, for standard output and non-regular
    /// targets, keeps it to write at commit).
    ///
    /// # Errors
    /// [`WriteError`] when the temporary file cannot be created or written (disk full, no
    /// permission, no such folder); it is removed.
    pub fn stage(&mut self, dest: &Destination, bytes: &[u8]) -> Result<(), WriteError> {
        self.stage_with(dest, |w| w.write_all(bytes))
    }

    /// [`OutputSet::stage`] of an output that `write` produces piece by piece: streamed to the
    /// temporary file (through a buffer) and never held whole in memory (standard output and
    /// non-regular targets are still kept to write at commit).
    ///
    /// # Errors
    /// [`WriteError`] as for [`OutputSet::stage`], or the error `write` returns; the
    /// temporary file is removed.
    pub fn stage_with(
        &mut self,
        dest: &Destination,
        write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
    ) -> Result<(), WriteError> {
        self.stage_seekable(dest, |f| {
            let mut out = std::io::BufWriter::with_capacity(1 << 16, f);
            write(&mut out)?;
            out.flush()
        })
    }

    /// [`OutputSet::stage_with`] for a writer that also reads back and seeks in what it has
    /// written (a ZIP whose entries are patched after writing): `write` is given the temporary
    /// file itself, unbuffered (or memory, for standard output and non-regular targets).
    ///
    /// # Errors
    /// As for [`OutputSet::stage_with`].
    pub fn stage_seekable(
        &mut self,
        dest: &Destination,
        write: impl FnOnce(&mut dyn Staging) -> std::io::Result<()>,
    ) -> Result<(), WriteError> {
        let path = match dest {
            Destination::Path(p) if !is_direct_target(p) => p,
            _ => {
                let mut bytes = io::Cursor::new(Vec::new());
                write(&mut bytes).map_err(|source| WriteError {
                    dest: dest.clone(),
                    source,
                })?;
                self.direct.push((dest.clone(), bytes.into_inner()));
                return Ok(());
            }
        };
        let fail = |source| WriteError {
            dest: dest.clone(),
            source,
        };
        let dir = path
            .parent()
            .filter(|d| !d.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        FIRST_WRITE.call_once(|| {
            if let Some(hook) = BEFORE_FIRST_WRITE.get() {
                hook();
            }
        });
        if self.window.is_none() {
            self.window = Some(WriteWindow::open());
        }
        let mut builder = tempfile::Builder::new();
        builder.prefix(TEMP_PREFIX).suffix(".tmp");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            // Like any new file: 0666 less the umask (tempfile's default is 0600).
            builder.permissions(fs::Permissions::from_mode(0o666));
        }
        let mut temp = builder.tempfile_in(dir).map_err(fail)?;
        let pending = Pending::new(temp.path());
        write(temp.as_file_mut()).map_err(fail)?;
        if let Ok(m) = fs::symlink_metadata(path) {
            if m.is_file() {
                // Re-export keeps the file's mode (a 0600 report stays private).
                temp.as_file()
                    .set_permissions(m.permissions())
                    .map_err(fail)?;
            }
        }
        if durable() {
            temp.as_file().sync_all().map_err(fail)?;
        }
        self.files.push(Staged {
            temp,
            dest: path.clone(),
            _pending: pending,
        });
        Ok(())
    }

    /// Puts every staged output in place.
    ///
    /// # Errors
    /// [`WriteError`] for the first output that could not be put in place; the outputs already
    /// renamed are rolled back and the temporaries removed.
    pub fn commit(self) -> Result<(), WriteError> {
        // The window (if any) closes when this returns, after every file is in place or taken
        // back and every backup is gone: it is dropped last.
        let OutputSet {
            files,
            direct,
            window: _window,
        } = self;
        let mut done: Vec<(PathBuf, Undo)> = Vec::new();
        // Listed until the backups are removed or restored (dropped at the end).
        let mut backups: Vec<Pending> = Vec::new();
        // The last file needs no backup when nothing after it can fail (no direct writes).
        let last_needs_backup = !direct.is_empty();
        let result =
            commit_files(files, last_needs_backup, &mut done, &mut backups).and_then(|()| {
                for (dest, bytes) in &direct {
                    write_direct(dest, bytes)?;
                }
                Ok(())
            });
        match result {
            Ok(()) => {
                for (_, undo) in done {
                    match undo {
                        Undo::Restore(b) => {
                            let _ = fs::remove_file(b);
                        }
                        // Dropping the temporary removes the replaced file under its name.
                        Undo::Swapped(..) | Undo::Remove | Undo::Keep => {}
                    }
                }
                Ok(())
            }
            Err(e) => {
                for (dest, undo) in done.into_iter().rev() {
                    let _ = match undo {
                        Undo::Restore(b) => fs::rename(&b, &dest),
                        // Back to the replaced file; dropping the temporary removes the new one.
                        // Should the exchange fail, the replaced file is renamed back instead.
                        Undo::Swapped(temp, _pending) => {
                            if swap_into_place(temp.path(), &dest) {
                                Ok(())
                            } else {
                                temp.into_temp_path()
                                    .persist(&dest)
                                    .map(|_| ())
                                    .map_err(|e| e.error)
                            }
                        }
                        Undo::Remove => fs::remove_file(&dest),
                        // Replaced, and no backup could be made: the new file is complete;
                        // removing it would leave nothing.
                        Undo::Keep => Ok(()),
                    };
                }
                Err(e)
            }
        }
    }
}

/// How to take back a file put in place, if a later one fails.
enum Undo {
    /// It did not exist: remove it.
    Remove,
    /// It replaced a file (or link) kept under this backup name: rename it back.
    Restore(PathBuf),
    /// It was swapped with the file (or link) it replaces, which now has the temporary's name:
    /// swap them back to take it back; dropping the temporary removes the replaced file.
    Swapped(tempfile::NamedTempFile, Pending),
    /// It replaced something no backup could be made of: leave it.
    Keep,
}

/// How many outputs were put in place by [`swap_into_place`] (for the tests).
static SWAPS: AtomicUsize = AtomicUsize::new(0);

/// Puts `temp` in place of `dest`, an existing regular file or symbolic link, by exchanging the
/// two names in one step (Linux `renameat2(RENAME_EXCHANGE)`): `dest` always names either the old
/// file or the new one, and the old one is left under the temporary's name, a free backup until
/// it is removed. A plain rename over an existing file makes ext4 start writing the new file out
/// at once (its `auto_da_alloc` guard for programs that replace files without flushing them),
/// which cost 0.4–0.9 ms per output here, a third of an HTML export; with the exchange the data
/// goes to disk with the next ordinary writeback. So it is used only when outputs are not
/// flushed anyway ([`durable`] off: a power cut right after the run may lose the new file, as
/// documented); with [`durable`] on, or where the exchange is not supported (another system, a
/// file system without it), the caller renames.
///
/// Returns `false`, having changed nothing, when the exchange could not be made.
#[cfg(target_os = "linux")]
fn swap_into_place(temp: &Path, dest: &Path) -> bool {
    use rustix::fs::{renameat_with, RenameFlags, CWD};
    if renameat_with(CWD, temp, CWD, dest, RenameFlags::EXCHANGE).is_err() {
        return false;
    }
    // `dest` was checked to be a file or a link, but it could have been replaced by a folder
    // since; a file must not take a folder's place: swap back and let the rename report it.
    // (Should even that fail, the new file stays in place and the folder keeps the temporary's
    // name.)
    if fs::symlink_metadata(temp).is_ok_and(|m| m.is_dir())
        && renameat_with(CWD, temp, CWD, dest, RenameFlags::EXCHANGE).is_ok()
    {
        return false;
    }
    SWAPS.fetch_add(1, Ordering::Relaxed);
    true
}

#[cfg(not(target_os = "linux"))]
fn swap_into_place(_temp: &Path, _dest: &Path) -> bool {
    false
}

fn commit_files(
    files: Vec<Staged>,
    last_needs_backup: bool,
    done: &mut Vec<(PathBuf, Undo)>,
    backups: &mut Vec<Pending>,
) -> Result<(), WriteError> {
    let mut dirs: Vec<PathBuf> = Vec::new();
    let count = files.len();
    for (
        i,
        Staged {
            temp,
            dest,
            _pending,
        },
    ) in files.into_iter().enumerate()
    {
        let fail = |source| WriteError {
            dest: Destination::Path(dest.clone()),
            source,
        };
        // A file or link about to be replaced is swapped with the new file where the system can:
        // the old one, under the temporary's name, is then the backup (see `swap_into_place`).
        let existing = fs::symlink_metadata(&dest);
        if existing
            .as_ref()
            .is_ok_and(|m| m.is_file() || m.file_type().is_symlink())
            && !durable()
            && swap_into_place(temp.path(), &dest)
        {
            done.push((dest.clone(), Undo::Swapped(temp, _pending)));
            continue;
        }
        // Otherwise a backup of a file about to be replaced, so a later failure can restore it.
        // The name derives from the unpredictable temporary name; link() never follows a planted
        // link. (hard_link links a symbolic link itself, not its target.)
        // The last file, when nothing can fail after it, is never taken back: it needs none.
        let undo = match existing {
            Err(_) => Undo::Remove,
            Ok(_) if i + 1 == count && !last_needs_backup => Undo::Keep,
            Ok(_) => {
                let b = temp.path().with_extension("bak");
                backups.push(Pending::new(&b));
                match fs::hard_link(&dest, &b) {
                    Ok(()) => Undo::Restore(b),
                    Err(_) => Undo::Keep,
                }
            }
        };
        match temp.persist(&dest) {
            Ok(_) => done.push((dest.clone(), undo)),
            Err(e) => {
                if let Undo::Restore(b) = undo {
                    let _ = fs::remove_file(b);
                }
                return Err(fail(e.error));
            }
        }
        if let Some(d) = dest.parent().filter(|_| durable()) {
            let d = if d.as_os_str().is_empty() {
                Path::new(".")
            } else {
                d
            };
            if !dirs.iter().any(|x| x == d) {
                dirs.push(d.to_path_buf());
            }
        }
    }
    // Make the renames durable.
    for d in dirs {
        if let Ok(f) = File::open(&d) {
            let _ = f.sync_all();
        }
    }
    Ok(())
}

fn write_direct(dest: &Destination, bytes: &[u8]) -> Result<(), WriteError> {
    let fail = |source| WriteError {
        dest: dest.clone(),
        source,
    };
    match dest {
        Destination::Stdout => {
            let mut out = io::stdout().lock();
            out.write_all(bytes)
                .and_then(|()| out.flush())
                .map_err(fail)
        }
        Destination::Path(p) => {
            let mut f = fs::OpenOptions::new()
                .write(true)
                .truncate(true)
                .open(p)
                .map_err(fail)?;
            f.write_all(bytes).and_then(|()| f.flush()).map_err(fail)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_one_safe_component() {
        for hostile in [
            "../../x",
            "/etc/passwd",
            "..\\..\\x",
            "a/../../b",
            "\u{0}",
            "NUL",
            "com1.txt",
            "lpt9",
            "...",
            " . ",
            "",
            "\u{202E}fdp.exe",
        ] {
            let n = safe_file_name(hostile);
            assert!(!n.is_empty());
            assert!(!n.contains(['/', '\\', '\0']), "{hostile:?} → {n:?}");
            assert!(!n.starts_with('.') && !n.ends_with(['.', ' ']), "{n:?}");
            assert!(!is_reserved_windows_name(&n), "{n:?}");
            assert_eq!(Path::new(&n).components().count(), 1, "{n:?}");
            assert!(!n.contains('\u{202E}'));
        }
        let long = safe_file_name(&"机".repeat(100));
        assert!(long.len() <= MAX_NAME_BYTES && long.chars().all(|c| c == '机'));
        assert_eq!(safe_file_name("COM10"), "COM10");
    }

    /// Tests that write serialise: `remove_pending_temporaries` (as a signal handler would)
    /// removes every pending temporary of the process, a concurrent test's included.
    fn serial() -> std::sync::MutexGuard<'static, ()> {
        static LOCK: Mutex<()> = Mutex::new(());
        LOCK.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn scratch(name: &str) -> PathBuf {
        let d = std::env::temp_dir().join(format!("nianbao-files-{}-{name}", std::process::id()));
        let _ = fs::remove_dir_all(&d);
        fs::create_dir_all(&d).unwrap();
        d
    }

    fn leftovers(dir: &Path) -> Vec<String> {
        fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.starts_with(TEMP_PREFIX))
            .collect()
    }

    #[test]
    fn a_failed_set_leaves_nothing_and_restores_what_it_replaced() {
        let _serial = serial();
        let d = scratch("rollback");
        let a = d.join("a.txt");
        fs::write(&a, "old").unwrap();
        // An existing link is replaced (not followed) and comes back on failure.
        fs::write(d.join("target.txt"), "t").unwrap();
        std::os::unix::fs::symlink("target.txt", d.join("link.txt")).unwrap();
        let mut set = OutputSet::new();
        set.stage(&Destination::Path(a.clone()), b"new").unwrap();
        set.stage(&Destination::Path(d.join("link.txt")), b"l")
            .unwrap();
        set.stage(&Destination::Path(d.join("b.txt")), b"b")
            .unwrap();
        // The third cannot be renamed into place: its destination is a non-empty folder.
        fs::create_dir_all(d.join("c.txt/inside")).unwrap();
        set.files.push(Staged {
            temp: tempfile::Builder::new()
                .prefix(TEMP_PREFIX)
                .tempfile_in(&d)
                .unwrap(),
            dest: d.join("c.txt"),
            _pending: Pending::new(&d.join("unused")),
        });
        let swaps = SWAPS.load(Ordering::Relaxed);
        assert!(set.commit().is_err());
        // On Linux the file and the link were swapped into place and swapped back.
        if cfg!(target_os = "linux") {
            assert_eq!(SWAPS.load(Ordering::Relaxed) - swaps, 4);
        }
        assert_eq!(fs::read_to_string(&a).unwrap(), "old");
        assert!(!d.join("b.txt").exists());
        assert_eq!(
            fs::read_link(d.join("link.txt")).unwrap(),
            Path::new("target.txt")
        );
        assert_eq!(fs::read_to_string(d.join("target.txt")).unwrap(), "t");
        assert_eq!(leftovers(&d), Vec::<String>::new());
    }

    #[test]
    fn a_replaced_file_is_swapped_out_whole_and_removed() {
        let _serial = serial();
        let d = scratch("swap");
        let a = d.join("a.html");
        fs::write(&a, "old").unwrap();
        // A second name of the old file: the old file is replaced, never written over.
        fs::hard_link(&a, d.join("kept")).unwrap();
        let swaps = SWAPS.load(Ordering::Relaxed);
        write_atomic(&Destination::Path(a.clone()), b"new").unwrap();
        assert_eq!(fs::read_to_string(&a).unwrap(), "new");
        assert_eq!(fs::read_to_string(d.join("kept")).unwrap(), "old");
        assert_eq!(leftovers(&d), Vec::<String>::new());
        if cfg!(target_os = "linux") {
            assert_eq!(SWAPS.load(Ordering::Relaxed) - swaps, 1);
        }
        // A new file is renamed into place; so is every file when outputs are flushed.
        write_atomic(&Destination::Path(d.join("b.html")), b"b").unwrap();
        set_durable(true);
        let written = write_atomic(&Destination::Path(a.clone()), b"newer");
        set_durable(false);
        written.unwrap();
        assert_eq!(fs::read_to_string(&a).unwrap(), "newer");
        assert_eq!(fs::read_to_string(d.join("kept")).unwrap(), "old");
        assert_eq!(leftovers(&d), Vec::<String>::new());
        if cfg!(target_os = "linux") {
            assert_eq!(SWAPS.load(Ordering::Relaxed) - swaps, 1);
        }
    }

    #[test]
    fn an_interrupted_run_can_remove_its_temporaries() {
        let _serial = serial();
        let d = scratch("interrupted");
        let mut set = OutputSet::new();
        set.stage(&Destination::Path(d.join("a.pdf")), b"a")
            .unwrap();
        set.stage(&Destination::Path(d.join("b.pdf")), b"b")
            .unwrap();
        assert_eq!(leftovers(&d).len(), 2);
        remove_pending_temporaries();
        assert_eq!(leftovers(&d), Vec::<String>::new());
        drop(set);
        // A committed set leaves nothing listed.
        write_atomic(&Destination::Path(d.join("c.pdf")), b"c").unwrap();
        let listed = PENDING.lock().unwrap().iter().any(|p| p.starts_with(&d));
        assert!(!listed);
    }

    #[test]
    fn existing_mode_is_kept_and_new_files_follow_the_umask() {
        let _serial = serial();
        use std::os::unix::fs::PermissionsExt;
        let d = scratch("mode");
        let p = d.join("r.json");
        fs::write(&p, "x").unwrap();
        fs::set_permissions(&p, fs::Permissions::from_mode(0o600)).unwrap();
        write_atomic(&Destination::Path(p.clone()), b"y").unwrap();
        assert_eq!(
            fs::metadata(&p).unwrap().permissions().mode() & 0o777,
            0o600
        );
        let q = d.join("new.json");
        write_atomic(&Destination::Path(q.clone()), b"z").unwrap();
        // Wider than tempfile's 0600 unless the umask forbids it.
        let reference = d.join("ref");
        fs::write(&reference, "").unwrap();
        assert_eq!(
            fs::metadata(&q).unwrap().permissions().mode() & 0o777,
            fs::metadata(&reference).unwrap().permissions().mode() & 0o777
        );
        assert_eq!(leftovers(&d), Vec::<String>::new());
    }

    #[test]
    fn clashes_are_found_through_links_and_relative_paths() {
        let _serial = serial();
        let d = scratch("clash");
        let input = d.join("in.json");
        fs::write(&input, "{}").unwrap();
        let hard = d.join("hard.json");
        fs::hard_link(&input, &hard).unwrap();
        let dotted = d.join(".").join("in.json");
        for out in [&input, &hard, &dotted] {
            let dest = Destination::Path(out.clone());
            assert!(matches!(
                check_distinct(&[&input], &[&dest]),
                Err(ClashError::OutputIsInput { .. })
            ));
        }
        let x = Destination::Path(d.join("new.xlsx"));
        let y = Destination::Path(d.join("sub/../new.xlsx"));
        fs::create_dir_all(d.join("sub")).unwrap();
        assert!(matches!(
            check_distinct(&[&input], &[&x, &y]),
            Err(ClashError::SameOutput { .. })
        ));
        let z = Destination::Path(d.join("other.csv"));
        assert!(check_distinct(&[&input], &[&x, &z]).is_ok());
        let null = Destination::Path(PathBuf::from("/dev/null"));
        assert!(check_distinct(&[&input], &[&null, &null]).is_ok());
        assert!(check_distinct(&[], &[&Destination::Stdout, &Destination::Stdout]).is_err());
    }
}
