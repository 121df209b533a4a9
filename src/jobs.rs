//! Background jobs: a named thread with a cancel flag, a progress counter and
//! a result slot, plus an optional callback to wake the UI when something
//! changes. Knows nothing about what the job does. A job that panics
//! finishes like any other, with a [`JobFailure`] in place of its result:
//! a panic never looks like a job that runs forever.
//!
//! Also the fault points tests use to make a job panic on purpose
//! ([`fault_point`]).

use std::any::Any;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, OnceLock, PoisonError};
use std::thread::JoinHandle;

/// Why a job produced no result: it panicked (a bug), or its thread could
/// not be started.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{reason}")]
pub struct JobFailure {
    /// One line for people: the panic message, or the operating system's reason.
    pub reason: String,
}

impl JobFailure {
    fn from_panic(payload: &(dyn Any + Send)) -> JobFailure {
        let message = payload
            .downcast_ref::<&str>()
            .map(|s| (*s).to_owned())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown panic".to_owned());
        // One line: the first line of the message is what people need.
        let first_line = message.lines().next().unwrap_or_default().trim();
        let at = LAST_PANIC_AT
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take()
            .map(|at| format!(" at {at}"))
            .unwrap_or_default();
        JobFailure {
            reason: format!("internal error ({first_line}{at})"),
        }
    }
}

/// Where the last panic on a background thread happened (`file:line`), as
/// the hook of [`report_job_panics_once`] saw it; taken by the job that
/// catches it, so its one-line failure says where the bug is.
static LAST_PANIC_AT: Mutex<Option<String>> = Mutex::new(None);

/// The full report of the last panic on a background thread (see
/// [`panic_details`]).
static LAST_PANIC_DETAILS: Mutex<Option<String>> = Mutex::new(None);

/// The full report of the last panic caught on a background thread: the
/// version, the thread, the message, where it happened and a backtrace,
/// for the window's "Copy details" button. `None` before any panic.
pub fn panic_details() -> Option<String> {
    LAST_PANIC_DETAILS
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .clone()
}

/// The file panic reports are appended to: `panics.log` beside the
/// settings file.
pub fn panic_log_path() -> Option<std::path::PathBuf> {
    crate::settings::file_path().and_then(|p| Some(p.parent()?.join("panics.log")))
}

/// Keeps `report` as the last panic's details and appends it to
/// [`panic_log_path`] (best effort: a report that cannot be written is
/// still kept in memory).
fn keep_panic_report(report: String) {
    if let Some(path) = PANIC_LOG.get().cloned().flatten() {
        let written = path
            .parent()
            .map(std::fs::create_dir_all)
            .transpose()
            .and_then(|_| {
                use std::io::Write;
                std::fs::OpenOptions::new()
                    .create(true)
                    .append(true)
                    .open(&path)?
                    .write_all(report.as_bytes())
            });
        if written.is_ok() {
            let report = format!("{report}(also written to {})\n", path.display());
            *LAST_PANIC_DETAILS
                .lock()
                .unwrap_or_else(PoisonError::into_inner) = Some(report);
            return;
        }
    }
    *LAST_PANIC_DETAILS
        .lock()
        .unwrap_or_else(PoisonError::into_inner) = Some(report);
}

/// For the executable: panics on background threads are caught and
/// reported by their job (one line naming the file, in the window or on
/// stderr), so the panic hook stays quiet there: it notes where the panic
/// happened and keeps a full report with a backtrace ([`panic_details`],
/// appended to `panics.log` beside the settings); set
/// `LOGWEAVE_PANIC_DETAILS=1` to see the usual report on stderr too. A
/// panic on the main thread is reported as usual and kept in `panics.log`
/// as well.
pub fn report_job_panics_once() {
    report_job_panics_to(panic_log_path());
}

/// Where the installed hook appends its reports.
static PANIC_LOG: OnceLock<Option<std::path::PathBuf>> = OnceLock::new();

/// [`report_job_panics_once`] with the reports appended to `log` (tests
/// keep them in a temporary folder). The first call of either wins.
pub fn report_job_panics_to(log: Option<std::path::PathBuf>) {
    if PANIC_LOG.set(log).is_err() {
        return;
    }
    static INSTALLED: OnceLock<()> = OnceLock::new();
    INSTALLED.get_or_init(|| {
        let usual = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            let on_main = std::thread::current().name() == Some("main");
            // Every panic is kept in panics.log: one on the window's own
            // thread ends the process, and logweavew.exe has no console
            // to show Rust's usual report in.
            let at = info.location().map(|l| format!("{}:{}", l.file(), l.line()));
            let message = info
                .payload()
                .downcast_ref::<&str>()
                .map(|s| (*s).to_owned())
                .or_else(|| info.payload().downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown panic".to_owned());
            let seconds = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_secs());
            keep_panic_report(format!(
                "LogWeave {} panicked (unix time {seconds})\nthread: {}\nat: {}\nmessage: {message}\nbacktrace:\n{}\n",
                env!("CARGO_PKG_VERSION"),
                std::thread::current().name().unwrap_or("unnamed"),
                at.as_deref().unwrap_or("unknown"),
                std::backtrace::Backtrace::force_capture()
            ));
            if !on_main {
                *LAST_PANIC_AT.lock().unwrap_or_else(PoisonError::into_inner) = at;
            }
            if on_main || std::env::var_os("LOGWEAVE_PANIC_DETAILS").is_some() {
                usual(info);
            }
        }));
    });
}

/// Runs `work`, turning a panic inside it (also one raised on a rayon
/// worker it waits for) into a [`JobFailure`].
pub fn catch_panic<T>(work: impl FnOnce() -> T) -> Result<T, JobFailure> {
    // Unwind safety: callers hand over only state that stays consistent
    // when a pass stops half-way (locks are taken with `into_inner`, and
    // an index cut short is what a cancelled pass leaves too).
    catch_unwind(AssertUnwindSafe(work)).map_err(|payload| JobFailure::from_panic(&*payload))
}

/// Fault points armed by tests: `(point, subject)` pairs; a [`fault_point`]
/// call panics when its point matches and its subject contains the text.
static FAULTS: Mutex<Vec<(String, String)>> = Mutex::new(Vec::new());

/// Fault points from the environment, read once: `LOGWEAVE_FAULT=point:text`
/// (several separated by `;`). Lets CLI and window tests make a real job
/// panic the way a bug would.
fn env_faults() -> &'static [(String, String)] {
    static FROM_ENV: OnceLock<Vec<(String, String)>> = OnceLock::new();
    FROM_ENV.get_or_init(|| {
        std::env::var("LOGWEAVE_FAULT")
            .unwrap_or_default()
            .split(';')
            .filter_map(|f| f.split_once(':'))
            .map(|(point, text)| (point.to_owned(), text.to_owned()))
            .collect()
    })
}

/// Makes every later [`fault_point`] named `point` whose subject contains
/// `text` panic. For tests only: nothing in LogWeave arms a fault.
#[doc(hidden)]
pub fn arm_fault(point: &str, text: &str) {
    FAULTS
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .push((point.to_owned(), text.to_owned()));
}

/// A place where tests may inject a panic (see [`arm_fault`] and
/// `LOGWEAVE_FAULT`); does nothing unless a fault is armed for it. Points:
/// `index` (subject: the file's path) at the start of each indexing pass,
/// `follow` (subject: the file's path) when a live tail starts, `job`
/// (subject: the job's name) at the start of every [`Job`].
pub fn fault_point(point: &str, subject: &str) {
    let hit = |(p, text): &(String, String)| p == point && subject.contains(text.as_str());
    let armed = env_faults().iter().any(hit)
        || FAULTS
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .iter()
            .any(hit);
    if armed {
        panic!("injected fault at {point} for {subject}");
    }
}

/// Called from the job's thread when its progress or result changes.
pub type Waker = Arc<dyn Fn() + Send + Sync>;

/// What a running job sees of itself.
pub struct JobContext {
    cancel: Arc<AtomicBool>,
    done: Arc<AtomicU64>,
    total: Arc<AtomicU64>,
    waker: Option<Waker>,
}

impl JobContext {
    /// True once the job should stop.
    pub fn cancelled(&self) -> bool {
        self.cancel.load(Ordering::Relaxed)
    }

    /// Sets the amount of work in all.
    pub fn set_total(&self, total: u64) {
        self.total.store(total, Ordering::Relaxed);
    }

    /// Adds finished work and wakes the UI.
    pub fn advance(&self, amount: u64) {
        self.done.fetch_add(amount, Ordering::Relaxed);
        self.wake();
    }

    fn wake(&self) {
        if let Some(waker) = &self.waker {
            waker();
        }
    }
}

/// What a finished job left: its value, or why there is none.
pub type JobResult<T> = Result<T, JobFailure>;

/// A job running on its own thread and producing one `T`.
pub struct Job<T> {
    cancel: Arc<AtomicBool>,
    done: Arc<AtomicU64>,
    total: Arc<AtomicU64>,
    result: Arc<Mutex<Option<JobResult<T>>>>,
    finished: Arc<AtomicBool>,
    handle: Option<JoinHandle<()>>,
}

impl<T: Send + 'static> Job<T> {
    /// Starts `work` on a thread named `name`.
    pub fn spawn(
        name: &str,
        waker: Option<Waker>,
        work: impl FnOnce(&JobContext) -> T + Send + 'static,
    ) -> Job<T> {
        let cancel = Arc::new(AtomicBool::new(false));
        let done = Arc::new(AtomicU64::new(0));
        let total = Arc::new(AtomicU64::new(0));
        let result = Arc::new(Mutex::new(None));
        let finished = Arc::new(AtomicBool::new(false));
        let context = JobContext {
            cancel: Arc::clone(&cancel),
            done: Arc::clone(&done),
            total: Arc::clone(&total),
            waker,
        };
        let slot = Arc::clone(&result);
        let flag = Arc::clone(&finished);
        let job_name = name.to_owned();
        let spawned = std::thread::Builder::new()
            .name(name.to_owned())
            .spawn(move || {
                let value = catch_panic(|| {
                    fault_point("job", &job_name);
                    work(&context)
                });
                *slot.lock().unwrap_or_else(PoisonError::into_inner) = Some(value);
                flag.store(true, Ordering::SeqCst);
                context.wake();
            });
        let handle = match spawned {
            Ok(handle) => Some(handle),
            Err(e) => {
                *result.lock().unwrap_or_else(PoisonError::into_inner) = Some(Err(JobFailure {
                    reason: format!("could not start a thread: {e}"),
                }));
                finished.store(true, Ordering::SeqCst);
                None
            }
        };
        Job {
            cancel,
            done,
            total,
            result,
            finished,
            handle,
        }
    }

    /// True once the job has finished (its result can be taken).
    pub fn is_finished(&self) -> bool {
        self.finished.load(Ordering::SeqCst)
    }

    /// Takes the result if the job has finished (once; `None` before it
    /// has and after it was taken).
    pub fn take(&mut self) -> Option<JobResult<T>> {
        if !self.is_finished() {
            return None;
        }
        if let Some(handle) = self.handle.take() {
            let _ = handle.join();
        }
        self.result
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take()
    }

    /// Waits for the job and returns its result.
    pub fn wait(mut self) -> JobResult<T> {
        if let Some(handle) = self.handle.take() {
            let _ = handle.join();
        }
        self.result
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take()
            .unwrap_or_else(|| {
                Err(JobFailure {
                    reason: "the job's result was already taken".to_owned(),
                })
            })
    }

    /// Fraction done, 0.0 to 1.0.
    pub fn progress(&self) -> f32 {
        let total = self.total.load(Ordering::Relaxed);
        if total == 0 {
            return 0.0;
        }
        (self.done.load(Ordering::Relaxed) as f64 / total as f64).min(1.0) as f32
    }

    /// Asks the job to stop (it finishes soon with a partial result).
    pub fn cancel(&self) {
        self.cancel.store(true, Ordering::Relaxed);
    }
}

impl<T> Drop for Job<T> {
    fn drop(&mut self) {
        self.cancel.store(true, Ordering::Relaxed);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs_reports_and_cancels() {
        let job = Job::spawn("test-job", None, |ctx| {
            ctx.set_total(10);
            ctx.advance(10);
            42
        });
        assert_eq!(job.wait(), Ok(42));
        let job = Job::spawn("test-cancel", None, |ctx| {
            while !ctx.cancelled() {
                std::thread::yield_now();
            }
            7
        });
        job.cancel();
        assert_eq!(job.wait(), Ok(7));
    }

    #[test]
    fn a_panicking_job_finishes_with_its_reason() {
        let mut job = Job::spawn("test-panic", None, |ctx| -> u32 {
            ctx.set_total(4);
            ctx.advance(1);
            panic!("index out of range for slice of length 520\nsecond line");
        });
        while !job.is_finished() {
            std::thread::yield_now();
        }
        let failure = job.take().expect("finished").expect_err("panicked");
        assert_eq!(
            failure.reason,
            "internal error (index out of range for slice of length 520)"
        );
        assert_eq!(job.take(), None, "taken once");
    }

    #[test]
    fn a_panic_on_a_rayon_worker_reaches_the_job() {
        use rayon::prelude::*;
        let job = Job::spawn("test-rayon-panic", None, |_| {
            (0..64u32)
                .into_par_iter()
                .map(|i| if i == 37 { panic!("worker {i}") } else { i })
                .sum::<u32>()
        });
        assert_eq!(job.wait().unwrap_err().reason, "internal error (worker 37)");
    }

    #[test]
    fn armed_fault_points_panic_only_for_their_subject() {
        arm_fault("job", "test-fault-armed");
        let hit = Job::spawn("test-fault-armed-1", None, |_| 1).wait();
        assert!(hit.unwrap_err().reason.contains("injected fault at job"));
        assert_eq!(Job::spawn("test-fault-other", None, |_| 2).wait(), Ok(2));
    }
}
