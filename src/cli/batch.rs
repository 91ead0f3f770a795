//! Batches: many inputs processed in parallel, each succeeding or failing on its own.
//!
//! - [`run`] hands input indexes to `--jobs` worker threads (default: the machine's cores) and
//!   gives the results back to the calling thread **in input order**, so messages and outputs
//!   do not depend on the number of threads. Each worker reads, checks and writes one input at
//!   a time and keeps only its small [`Record`]: memory stays flat as the batch grows.
//! - A panic while processing one input (a bug) fails that input only (status
//!   `internal_error`); the others go on.
//! - `--fail-fast`: after the first failure no further input is started; those not started are
//!   `not_run`.
//! - A progress line (done/total, rate, ETA) on standard error when it is a terminal.
//! - The closing summary counts done / with warnings / invalid / unreadable / unwritten, and
//!   `--report-json FILE` writes one [`Record`] per input, with the worker that processed it
//!   (`worker`: 0 for the thread that took the first input, 1 for the next thread seen, …), so
//!   a test can tell that `--jobs` was obeyed without timing anything.
//!
//! Two hidden test hooks (environment variables, harmless unless set; for the test suite only):
//! - `NIANBAO_TEST_MEET_WORKERS=N`: each worker's first input waits (at most 10 s) until N
//!   workers have begun one, so a batch of N or more inputs is processed by N distinct workers
//!   whatever the machine's load ([`Record::new`]);
//! - `NIANBAO_TEST_PANIC_ON=NAME`: processing an input whose file name is NAME panics (see
//!   [`test_panic`]), to check that a bug fails that input only.

use super::console::Console;
use super::error::{CliError, Exit};
use clap::Args;
use nianbao::files::{Destination, OutputSet};
use nianbao::finding::{Finding, Severity};
use serde::Serialize;
use std::collections::BTreeMap;
use std::ffi::OsString;
use std::io::{IsTerminal, Write};
use std::num::NonZeroUsize;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Condvar, Mutex, OnceLock, PoisonError};
use std::thread::ThreadId;
use std::time::{Duration, Instant};

/// The batch options of `export`, `import` and `validate`.
#[derive(Args, Clone, Default)]
pub struct BatchArgs {
    /// 并行处理的数量（默认：处理器核数）/ Inputs processed at once (default: the number of cores)
    #[arg(short = 'j', long, value_name = "N")]
    pub jobs: Option<NonZeroUsize>,
    /// 遇到第一个失败即停止（不再开始处理其余输入）/ Stop at the first failure (start no further input)
    #[arg(long)]
    pub fail_fast: bool,
    /// 每个输入一条记录的 JSON 结果文件 / Write one JSON record per input to FILE
    #[arg(long, value_name = "FILE")]
    pub report_json: Option<OsString>,
}

impl BatchArgs {
    /// The number of worker threads: `--jobs`, or the number of cores (asked once per process).
    pub fn jobs(&self) -> usize {
        static CORES: std::sync::OnceLock<usize> = std::sync::OnceLock::new();
        self.jobs.map(NonZeroUsize::get).unwrap_or_else(|| {
            *CORES.get_or_init(|| {
                std::thread::available_parallelism()
                    .map(NonZeroUsize::get)
                    .unwrap_or(1)
            })
        })
    }

    /// The number of worker threads for `inputs` inputs: never more than the inputs, and one
    /// (without asking how many cores there are) for a single input.
    pub fn jobs_for(&self, inputs: usize) -> usize {
        if inputs <= 1 {
            1
        } else {
            self.jobs().min(inputs)
        }
    }
}

/// What happened to one input.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Done, no warnings.
    Ok,
    /// Done, with warnings.
    Warnings,
    /// Validation errors (the export blocked, or written with `--allow-invalid`); for `import`,
    /// statutory cells not read.
    Invalid,
    /// The input is not a readable report.
    Unreadable,
    /// An output could not be written.
    Unwritten,
    /// Not started (`--fail-fast` stopped the batch).
    NotRun,
    /// A bug while processing it (a caught panic).
    InternalError,
}

impl Status {
    /// The exit code this outcome stands for.
    pub fn exit(self) -> Exit {
        match self {
            Status::Ok | Status::Warnings | Status::NotRun => Exit::Success,
            Status::Invalid => Exit::Invalid,
            Status::Unreadable => Exit::Input,
            Status::Unwritten => Exit::Output,
            Status::InternalError => Exit::Internal,
        }
    }

    /// Whether the input failed (for `--fail-fast`).
    pub fn failed(self) -> bool {
        !matches!(self, Status::Ok | Status::Warnings | Status::NotRun)
    }

    /// The status of an error that ended an input.
    pub fn of_error(e: &CliError) -> Status {
        match e.exit() {
            Exit::Success | Exit::Invalid | Exit::Input => Status::Unreadable,
            Exit::Output => Status::Unwritten,
            Exit::Internal => Status::InternalError,
        }
    }

    /// The status of findings that did not stop the input.
    pub fn of_findings(findings: &[Finding]) -> Status {
        if findings.iter().any(|f| f.severity == Severity::Error) {
            Status::Invalid
        } else if findings.iter().any(|f| f.severity == Severity::Warning) {
            Status::Warnings
        } else {
            Status::Ok
        }
    }
}

/// One input's result, as written by `--report-json`.
#[derive(Debug, Clone, Serialize)]
pub struct Record {
    /// The input as named (`-` for standard input).
    pub input: String,
    /// The files written for it.
    pub outputs: Vec<String>,
    /// What happened.
    pub status: Status,
    /// Why it failed, if it did.
    pub error: Option<String>,
    /// Findings by severity (after the lint levels).
    pub findings: BTreeMap<Severity, usize>,
    /// Import log entries by kind (empty for report JSON).
    pub import_log: BTreeMap<String, usize>,
    /// Wall time spent on it, in milliseconds.
    pub time_ms: f64,
    /// The worker that processed it: 0-based, numbered in input order of the workers' first
    /// inputs (`None` for an input not run or not given to a worker).
    pub worker: Option<usize>,
    /// The thread that made the record (numbered as `worker` by [`finish`]).
    #[serde(skip)]
    pub thread: Option<ThreadId>,
    /// Messages for standard error, printed in input order (not part of the JSON record).
    #[serde(skip)]
    pub messages: Vec<String>,
    /// What goes to standard output (`-o -`), written by the calling thread.
    #[serde(skip)]
    pub stdout: Vec<u8>,
    /// The command's own record of the input (`import --log-format json`).
    #[serde(skip)]
    pub detail: Option<serde_json::Value>,
}

impl Record {
    /// A record for an input, before anything happened, made by the worker processing it.
    pub fn new(input: String) -> Record {
        meet_workers();
        Record {
            thread: Some(std::thread::current().id()),
            ..Record::outside(input)
        }
    }

    /// A record made outside the workers (an input that never reached one).
    pub fn outside(input: String) -> Record {
        Record {
            input,
            outputs: Vec::new(),
            status: Status::Ok,
            error: None,
            findings: BTreeMap::new(),
            import_log: BTreeMap::new(),
            time_ms: 0.0,
            worker: None,
            thread: None,
            messages: Vec::new(),
            stdout: Vec::new(),
            detail: None,
        }
    }

    /// Counts findings by severity.
    pub fn count(&mut self, findings: &[Finding]) {
        for f in findings {
            *self.findings.entry(f.severity).or_insert(0) += 1;
        }
    }

    /// Counts an import log by kind.
    pub fn count_log(&mut self, log: &nianbao::import::ImportLog) {
        for e in &log.entries {
            let kind = serde_json::to_value(e.kind)
                .ok()
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_default();
            *self.import_log.entry(kind).or_insert(0) += 1;
        }
    }

    /// Ends the input with an error; the message names the input if the error does not.
    pub fn fail(&mut self, e: &CliError) {
        self.status = Status::of_error(e);
        let text = e.to_string();
        let text = if text.starts_with(&format!("{}: ", self.input)) {
            text
        } else {
            format!("{}: {text}", self.input)
        };
        self.messages.push(format!("nianbao: {text}"));
        self.error = Some(text);
    }
}

/// Runs `work` on inputs `0..n` with `jobs` threads; `emit` receives each record on the
/// calling thread in input order (as soon as it and all before it are done). With `fail_fast`,
/// no input is started after one failed; those get [`Status::NotRun`]. With one thread (one
/// input, or `--jobs 1`) the inputs run on the calling thread itself: the records, and so the
/// outputs, are the same.
pub fn run(
    names: &[String],
    jobs: usize,
    fail_fast: bool,
    work: impl Fn(usize) -> Record + Sync,
    mut emit: impl FnMut(Record),
) {
    let n = names.len();
    let stop = AtomicBool::new(false);
    let mut progress = Progress::new(n);
    let workers = jobs.clamp(1, n.max(1));
    if workers == 1 {
        for i in 0..n {
            let record = process(names, i, fail_fast, &stop, &work);
            progress.clear();
            emit(record);
            progress.show(i + 1);
        }
        progress.clear();
        return;
    }
    let next = AtomicUsize::new(0);
    let (tx, rx) = std::sync::mpsc::channel::<(usize, Record)>();
    std::thread::scope(|scope| {
        for _ in 0..workers {
            let tx = tx.clone();
            let (next, stop, work) = (&next, &stop, &work);
            scope.spawn(move || loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                if i >= n {
                    break;
                }
                let record = process(names, i, fail_fast, stop, work);
                if tx.send((i, record)).is_err() {
                    break;
                }
            });
        }
        drop(tx);
        let mut pending: BTreeMap<usize, Record> = BTreeMap::new();
        let mut due = 0;
        for (i, r) in rx {
            pending.insert(i, r);
            while let Some(r) = pending.remove(&due) {
                progress.clear();
                emit(r);
                due += 1;
                progress.show(due);
            }
        }
        progress.clear();
    });
}

/// One input of [`run`]: its record, [`Status::NotRun`] after a failure under `fail_fast`, or
/// [`Status::InternalError`] with the message when its work panicked.
fn process(
    names: &[String],
    i: usize,
    fail_fast: bool,
    stop: &AtomicBool,
    work: &(impl Fn(usize) -> Record + Sync),
) -> Record {
    if fail_fast && stop.load(Ordering::Relaxed) {
        let mut r = Record::new(names[i].clone());
        r.status = Status::NotRun;
        return r;
    }
    let start = Instant::now();
    let mut r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| work(i))).unwrap_or_else(
        |payload| {
            let what = payload
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "panic".into());
            let mut r = Record::new(names[i].clone());
            r.status = Status::InternalError;
            r.error = Some(format!(
                "内部错误，请报告此问题 (internal error, please report it): {what}"
            ));
            r.messages.push(format!(
                "nianbao: {}: {}",
                names[i],
                r.error.as_deref().unwrap_or("")
            ));
            r
        },
    );
    r.time_ms = start.elapsed().as_secs_f64() * 1000.0;
    if r.status.failed() {
        stop.store(true, Ordering::Relaxed);
    }
    r
}

/// A one-line progress display on standard error, only when it is a terminal and the batch has
/// more than one input.
struct Progress {
    total: usize,
    start: Instant,
    shown: bool,
    last: Option<Instant>,
    on: bool,
}

impl Progress {
    fn new(total: usize) -> Progress {
        Progress {
            total,
            start: Instant::now(),
            shown: false,
            last: None,
            on: total > 1 && std::io::stderr().is_terminal(),
        }
    }

    fn show(&mut self, done: usize) {
        if !self.on || done >= self.total {
            return;
        }
        let now = Instant::now();
        if self
            .last
            .is_some_and(|t| now - t < Duration::from_millis(100))
        {
            return;
        }
        self.last = Some(now);
        let secs = self.start.elapsed().as_secs_f64().max(1e-3);
        let rate = done as f64 / secs;
        let eta = if rate > 0.0 {
            (self.total - done) as f64 / rate
        } else {
            0.0
        };
        let _ = write!(
            std::io::stderr(),
            "\r{done}/{} {:.1}/s 剩余 ETA {:.0}s ",
            self.total,
            rate,
            eta
        );
        self.shown = true;
    }

    fn clear(&mut self) {
        if self.shown {
            let _ = write!(std::io::stderr(), "\r\x1b[2K");
            self.shown = false;
        }
    }
}

/// The test hook `NIANBAO_TEST_MEET_WORKERS=N` (see the module documentation): the first
/// record a thread makes waits until N threads have made one, or 10 s have passed.
fn meet_workers() {
    static WANTED: OnceLock<Option<usize>> = OnceLock::new();
    static ARRIVED: (Mutex<usize>, Condvar) = (Mutex::new(0), Condvar::new());
    thread_local! {
        static MET: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
    }
    let wanted = *WANTED.get_or_init(|| {
        std::env::var("NIANBAO_TEST_MEET_WORKERS")
            .ok()
            .and_then(|v| v.parse().ok())
    });
    let Some(wanted) = wanted else { return };
    if MET.with(|m| m.replace(true)) {
        return;
    }
    let (lock, cv) = &ARRIVED;
    let mut arrived = lock.lock().unwrap_or_else(PoisonError::into_inner);
    *arrived += 1;
    cv.notify_all();
    let until = Instant::now() + Duration::from_secs(10);
    while *arrived < wanted {
        let left = until.saturating_duration_since(Instant::now());
        if left.is_zero() {
            break;
        }
        arrived = cv
            .wait_timeout(arrived, left)
            .unwrap_or_else(PoisonError::into_inner)
            .0;
    }
}

/// The test hook `NIANBAO_TEST_PANIC_ON=NAME`: panics when the file name of `input` is NAME.
/// Called by `collect` before it reads an input.
pub fn test_panic(input: &std::path::Path) {
    static NAME: OnceLock<Option<OsString>> = OnceLock::new();
    let name = NAME.get_or_init(|| std::env::var_os("NIANBAO_TEST_PANIC_ON"));
    if let Some(name) = name {
        if input.file_name() == Some(name.as_os_str()) {
            panic!("NIANBAO_TEST_PANIC_ON: {}", input.display());
        }
    }
}

/// The counts of a finished batch.
#[derive(Default)]
pub struct Summary {
    counts: BTreeMap<Status, usize>,
    worst: Option<Exit>,
    /// The worker threads in order of their first record.
    threads: Vec<ThreadId>,
}

impl Summary {
    /// The worker number of a record's thread (`None` for an input not run).
    fn worker(&mut self, r: &Record) -> Option<usize> {
        let t = r.thread.filter(|_| r.status != Status::NotRun)?;
        Some(match self.threads.iter().position(|&x| x == t) {
            Some(i) => i,
            None => {
                self.threads.push(t);
                self.threads.len() - 1
            }
        })
    }

    /// Adds one input's result.
    pub fn add(&mut self, r: &Record) {
        *self.counts.entry(r.status).or_insert(0) += 1;
        let code = r.status.exit();
        self.worst = Some(self.worst.map_or(code, |w| w.max(code)));
    }

    /// The exit code: the worst outcome of any input.
    pub fn exit(&self) -> Exit {
        self.worst.unwrap_or(Exit::Success)
    }

    /// The closing line.
    pub fn line(&self) -> String {
        let n = |s| self.counts.get(&s).copied().unwrap_or(0);
        let total: usize = self.counts.values().sum();
        let done = n(Status::Ok) + n(Status::Warnings);
        format!(
            "共 {total} 个输入：完成 {done}（其中有警告 {}），校验有错误 {}，无法读取 {}，无法写出 {}，内部错误 {}，未处理 {} ({total} inputs: {done} done ({} with warnings), {} invalid, {} unreadable, {} unwritten, {} internal errors, {} not run)",
            n(Status::Warnings),
            n(Status::Invalid),
            n(Status::Unreadable),
            n(Status::Unwritten),
            n(Status::InternalError),
            n(Status::NotRun),
            n(Status::Warnings),
            n(Status::Invalid),
            n(Status::Unreadable),
            n(Status::Unwritten),
            n(Status::InternalError),
            n(Status::NotRun),
        )
    }
}

/// Writes `--report-json`: the records as one JSON array, atomically.
pub fn write_report_json(dest: &Destination, records: &[Record]) -> Result<(), CliError> {
    let mut text = serde_json::to_string_pretty(records).unwrap_or_default();
    text.push('\n');
    let mut set = OutputSet::new();
    set.stage(dest, text.as_bytes())?;
    Ok(set.commit()?)
}

/// Prints a record's messages and adds it to the summary and the records kept for
/// `--report-json` (without its messages).
pub fn finish(
    console: &Console,
    mut r: Record,
    summary: &mut Summary,
    records: Option<&mut Vec<Record>>,
) {
    for m in std::mem::take(&mut r.messages) {
        console.note(&m);
    }
    r.worker = summary.worker(&r);
    summary.add(&r);
    if let Some(records) = records {
        records.push(r);
    }
}
