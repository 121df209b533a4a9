//! Background jobs: a named thread with a cancel flag, a progress counter and
//! a result slot, plus an optional callback to wake the UI when something
//! changes. Knows nothing about what the job does.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::thread::JoinHandle;

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

/// A job running on its own thread and producing one `T`.
pub struct Job<T> {
    cancel: Arc<AtomicBool>,
    done: Arc<AtomicU64>,
    total: Arc<AtomicU64>,
    result: Arc<Mutex<Option<T>>>,
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
        let handle = std::thread::Builder::new()
            .name(name.to_owned())
            .spawn(move || {
                let value = work(&context);
                *slot.lock().unwrap_or_else(PoisonError::into_inner) = Some(value);
                flag.store(true, Ordering::SeqCst);
                context.wake();
            })
            .ok();
        if handle.is_none() {
            finished.store(true, Ordering::SeqCst);
        }
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

    /// Takes the result if the job has finished.
    pub fn take(&mut self) -> Option<T> {
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
    pub fn wait(mut self) -> Option<T> {
        if let Some(handle) = self.handle.take() {
            let _ = handle.join();
        }
        self.result
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take()
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
        assert_eq!(job.wait(), Some(42));
        let job = Job::spawn("test-cancel", None, |ctx| {
            while !ctx.cancelled() {
                std::thread::yield_now();
            }
            7
        });
        job.cancel();
        assert_eq!(job.wait(), Some(7));
    }
}
