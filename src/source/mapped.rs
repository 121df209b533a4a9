//! The only `unsafe` code of LogWeave: memory-mapping a log file, and (on
//! Linux) surviving a truncation of the file while it is mapped.
//!
//! Why mapping is sound enough here, and what we do about the rest:
//! * A map is created for one indexing or search pass over the first `len`
//!   bytes, where `len` was read from the open handle just before. Nobody
//!   holds a map between passes, so on Windows the writer is never kept from
//!   truncating the file for longer than one pass (Windows refuses to truncate
//!   a mapped file; it never lets a map see a truncation).
//! * Bytes appended after `len` are outside the map and never seen by it.
//! * A writer rewriting bytes inside the map changes what we read. Our
//!   parsers take any bytes and never assume that two reads of the same
//!   position agree, so the worst outcome is a stale or odd index that the
//!   next refresh (which compares size and a header digest) rebuilds.
//! * A writer truncating the file below `len` would make the next read of a
//!   cut-off page raise SIGBUS and kill the process. On Linux we install a
//!   SIGBUS handler that, for addresses inside our registered maps only,
//!   maps a page of zeros over the faulting page and counts the event; the
//!   read then sees zeros and the pass is discarded by its caller
//!   (`Snapshot::damaged_since`). Faults elsewhere go to the previous handler.
//!   Elsewhere on Unix the window is one pass long and the caller re-checks
//!   the size before and after.

#![allow(unsafe_code)]

use std::fs::File;
use std::io;
use std::ops::Deref;

/// A read-only map of the first `len` bytes of a file.
pub struct MappedBytes {
    // Field order matters: the guard slot is released before the map is
    // unmapped, so the handler never claims an address that is no longer ours.
    #[cfg(target_os = "linux")]
    _guard: guard::Slot,
    map: memmap2::Mmap,
}

impl Deref for MappedBytes {
    type Target = [u8];
    fn deref(&self) -> &[u8] {
        &self.map
    }
}

/// Maps the first `len` bytes of `file` (`len > 0`).
pub fn map(file: &File, len: usize) -> io::Result<MappedBytes> {
    // SAFETY: the file is opened read-only and mapped read-only. Changes made
    // by other processes are handled as described in the module docs: appends
    // are invisible, rewrites give odd but harmless bytes, and truncation is
    // caught by the SIGBUS guard (Linux) or refused by the OS (Windows).
    let map = unsafe { memmap2::MmapOptions::new().len(len).map(file)? };
    #[cfg(unix)]
    {
        let _ = map.advise(memmap2::Advice::Sequential);
    }
    #[cfg(target_os = "linux")]
    {
        let Some(slot) = guard::Slot::register(map.as_ptr() as usize, map.len()) else {
            return Err(io::Error::other("too many maps open at once"));
        };
        Ok(MappedBytes { _guard: slot, map })
    }
    #[cfg(not(target_os = "linux"))]
    Ok(MappedBytes { map })
}

/// How many cut-off pages the guard has replaced with zeros so far.
pub fn absorbed_faults() -> u64 {
    #[cfg(target_os = "linux")]
    {
        guard::FAULTS.load(std::sync::atomic::Ordering::SeqCst)
    }
    #[cfg(not(target_os = "linux"))]
    {
        0
    }
}

#[cfg(target_os = "linux")]
mod guard {
    use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
    use std::sync::{Once, OnceLock};

    const SLOTS: usize = 256;
    struct Range {
        start: AtomicUsize,
        end: AtomicUsize,
    }
    #[allow(clippy::declare_interior_mutable_const)]
    const EMPTY: Range = Range {
        start: AtomicUsize::new(0),
        end: AtomicUsize::new(0),
    };
    static RANGES: [Range; SLOTS] = [EMPTY; SLOTS];
    pub(super) static FAULTS: AtomicU64 = AtomicU64::new(0);
    static PAGE: AtomicUsize = AtomicUsize::new(4096);
    static INSTALL: Once = Once::new();
    /// The handler that was installed before ours.
    static PREVIOUS: OnceLock<libc::sigaction> = OnceLock::new();

    /// A registered address range; unregisters on drop.
    pub(super) struct Slot(usize);

    impl Slot {
        pub(super) fn register(start: usize, len: usize) -> Option<Slot> {
            INSTALL.call_once(install);
            for (i, range) in RANGES.iter().enumerate() {
                if range
                    .start
                    .compare_exchange(0, start, Ordering::SeqCst, Ordering::SeqCst)
                    .is_ok()
                {
                    range.end.store(start + len, Ordering::SeqCst);
                    return Some(Slot(i));
                }
            }
            None
        }
    }

    impl Drop for Slot {
        fn drop(&mut self) {
            RANGES[self.0].end.store(0, Ordering::SeqCst);
            RANGES[self.0].start.store(0, Ordering::SeqCst);
        }
    }

    fn install() {
        // SAFETY: sysconf has no preconditions.
        let page = unsafe { libc::sysconf(libc::_SC_PAGESIZE) };
        if let Ok(page) = usize::try_from(page)
            && page.is_power_of_two()
        {
            PAGE.store(page, Ordering::SeqCst);
        }
        // SAFETY: we build a zeroed sigaction, fill in our handler and flags,
        // and install it; the previous action is kept in PREVIOUS (no SIGBUS
        // of ours can happen before a map is registered, which happens after
        // this function returns).
        unsafe {
            let mut action: libc::sigaction = std::mem::zeroed();
            action.sa_sigaction = on_sigbus as *const () as usize;
            action.sa_flags = libc::SA_SIGINFO | libc::SA_ONSTACK;
            libc::sigemptyset(&raw mut action.sa_mask);
            let mut previous: libc::sigaction = std::mem::zeroed();
            if libc::sigaction(libc::SIGBUS, &raw const action, &raw mut previous) == 0 {
                let _ = PREVIOUS.set(previous);
            }
        }
    }

    extern "C" fn on_sigbus(
        sig: libc::c_int,
        info: *mut libc::siginfo_t,
        context: *mut libc::c_void,
    ) {
        // SAFETY: the kernel passes a valid siginfo_t for SA_SIGINFO handlers.
        let addr = unsafe { (*info).si_addr() } as usize;
        for range in &RANGES {
            let start = range.start.load(Ordering::SeqCst);
            let end = range.end.load(Ordering::SeqCst);
            if start != 0 && addr >= start && addr < end {
                let page = PAGE.load(Ordering::SeqCst);
                let base = addr & !(page - 1);
                // SAFETY: `base` lies inside a mapping we own (registered and
                // not yet unmapped); replacing one page of it with anonymous
                // zeros keeps the range mapped for the later munmap. mmap is
                // a plain system call and safe to make from a signal handler.
                let zeros = unsafe {
                    libc::mmap(
                        base as *mut libc::c_void,
                        page,
                        libc::PROT_READ,
                        libc::MAP_PRIVATE | libc::MAP_ANONYMOUS | libc::MAP_FIXED,
                        -1,
                        0,
                    )
                };
                if zeros != libc::MAP_FAILED {
                    FAULTS.fetch_add(1, Ordering::SeqCst);
                    return;
                }
            }
        }
        // Not ours: behave as if we were never installed.
        // A SIGBUS that is not ours and arrives before PREVIOUS is set (only
        // possible during `install`) re-faults until it is.
        let Some(previous) = PREVIOUS.get().copied() else {
            return;
        };
        let handler = previous.sa_sigaction;
        if handler == libc::SIG_DFL || handler == libc::SIG_IGN {
            // SAFETY: restoring the previous disposition; returning re-runs the
            // faulting instruction, which then gets the default action.
            unsafe { libc::sigaction(libc::SIGBUS, &raw const previous, std::ptr::null_mut()) };
        } else if previous.sa_flags & libc::SA_SIGINFO != 0 {
            // SAFETY: with SA_SIGINFO the stored address is a three-argument handler.
            let f: extern "C" fn(libc::c_int, *mut libc::siginfo_t, *mut libc::c_void) =
                unsafe { std::mem::transmute(handler) };
            f(sig, info, context);
        } else {
            // SAFETY: without SA_SIGINFO the stored address is a one-argument handler.
            let f: extern "C" fn(libc::c_int) = unsafe { std::mem::transmute(handler) };
            f(sig);
        }
    }
}
