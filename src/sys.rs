//! The only `unsafe` code of LogWeave, everything that talks to the operating
//! system below the standard library: memory-mapping a log file and (on
//! Linux) surviving a truncation of the file while it is mapped ([`mmap`]),
//! and reading error-message tables of Windows itself ([`add_os_messages`]),
//! and the console: colours on Windows consoles ([`enable_console_colours`])
//! and catching Ctrl+C ([`catch_interrupt`]), and which file system holds a
//! file (`file_system_type` on Linux, `drive_type` on Windows).
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
//!   next refresh (which compares the size, the first bytes and the bytes
//!   before the end of the index) or the pass itself (which compares them
//!   again after indexing) rebuilds.
//! * A writer truncating the file below `len` would make the next read of a
//!   cut-off page raise SIGBUS and kill the process. On Linux we install a
//!   SIGBUS handler that, for addresses inside our registered maps only,
//!   maps a page of zeros over the faulting page and counts the event; the
//!   read then sees zeros and the pass is discarded by its caller
//!   (`Snapshot::damaged_since`). Faults elsewhere go to the previous handler.
//!   Elsewhere on Unix the window is one pass long and the caller re-checks
//!   the size before and after.

#![allow(unsafe_code)]

use crate::errors::Interpretation;

/// Memory maps of log files.
pub mod mmap {

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
}

/// Adds the operating system's own message for each code (Windows only: the
/// system message table, then the message tables of the modules that own
/// the code's facility, loaded as data files from System32 — the sources
/// CMTrace uses). Elsewhere this does nothing.
pub fn add_os_messages(found: &mut Vec<Interpretation>) {
    #[cfg(windows)]
    windows_messages::add(found);
    #[cfg(not(windows))]
    let _ = found;
}

/// `text` as a NUL-terminated UTF-16 string, as the Windows API takes it.
#[cfg(windows)]
fn wide(text: &str) -> Vec<u16> {
    text.encode_utf16().chain(std::iter::once(0)).collect()
}

#[cfg(windows)]
mod windows_messages {
    use super::Interpretation;
    use super::wide;
    use windows_sys::Win32::Foundation::FreeLibrary;
    use windows_sys::Win32::System::Diagnostics::Debug::{
        FORMAT_MESSAGE_FROM_HMODULE, FORMAT_MESSAGE_FROM_SYSTEM, FORMAT_MESSAGE_IGNORE_INSERTS,
        FormatMessageW,
    };
    use windows_sys::Win32::System::LibraryLoader::{
        LOAD_LIBRARY_AS_DATAFILE, LOAD_LIBRARY_AS_IMAGE_RESOURCE, LOAD_LIBRARY_SEARCH_SYSTEM32,
        LoadLibraryExW,
    };

    /// Modules whose message tables hold the text of a value's facility.
    fn modules_for(value: u32) -> &'static [&'static str] {
        let low = value & 0xFFFF;
        match value {
            v if v >> 28 == 0xC || v >> 28 == 0xD => &["ntdll.dll"],
            v if v >> 16 == 0x8024 => &["wuaueng.dll"],
            v if v >> 16 == 0x8019 || v >> 16 == 0x8020 => &["qmgr.dll"],
            v if v >> 16 == 0x8004 => &["wbem\\wmiutils.dll"],
            v if v >> 16 == 0x8018 => &["mdmregistration.dll"],
            v if (12000..13000).contains(&v)
                || (v >> 16 == 0x8007 && (12000..13000).contains(&low)) =>
            {
                &["winhttp.dll", "wininet.dll"]
            }
            v if (2100..3000).contains(&v)
                || (v >> 16 == 0x8007 && (2100..3000).contains(&low)) =>
            {
                &["netmsg.dll"]
            }
            _ => &[],
        }
    }

    /// FormatMessageW into a local buffer; `module` null means the system table.
    fn format(module: *const core::ffi::c_void, id: u32) -> Option<String> {
        let mut buffer = [0u16; 4096];
        let flags = FORMAT_MESSAGE_IGNORE_INSERTS
            | if module.is_null() {
                FORMAT_MESSAGE_FROM_SYSTEM
            } else {
                FORMAT_MESSAGE_FROM_HMODULE
            };
        // SAFETY: the buffer is valid for its full length, which we pass;
        // IGNORE_INSERTS means no argument array is read; `module` is null or
        // a module handle we loaded and still hold.
        let len = unsafe {
            FormatMessageW(
                flags,
                module,
                id,
                0,
                buffer.as_mut_ptr(),
                buffer.len() as u32,
                std::ptr::null(),
            )
        };
        // FormatMessageW never reports more than the buffer holds; `get`
        // keeps it that way whatever it returns.
        let text = String::from_utf16_lossy(buffer.get(..len as usize).unwrap_or(&buffer));
        let text = text.trim();
        (!text.is_empty()).then(|| text.to_owned())
    }

    fn from_module(name: &str, id: u32) -> Option<String> {
        let system = std::env::var("SystemRoot").unwrap_or_else(|_| "C:\\Windows".into());
        let path = wide(&format!("{system}\\System32\\{name}"));
        // SAFETY: `path` is a NUL-terminated UTF-16 string; loading as a data
        // file runs no code from the module (no DllMain), and the search is
        // limited to System32.
        let module = unsafe {
            LoadLibraryExW(
                path.as_ptr(),
                std::ptr::null_mut(),
                LOAD_LIBRARY_AS_DATAFILE
                    | LOAD_LIBRARY_AS_IMAGE_RESOURCE
                    | LOAD_LIBRARY_SEARCH_SYSTEM32,
            )
        };
        if module.is_null() {
            return None;
        }
        let text = format(module as *const core::ffi::c_void, id);
        // SAFETY: `module` was returned by LoadLibraryExW above and is freed once.
        unsafe { FreeLibrary(module) };
        text
    }

    pub(super) fn add(found: &mut Vec<Interpretation>) {
        let mut seen = Vec::new();
        let mut i = 0;
        while i < found.len() {
            let value = found[i].unsigned as u32;
            if seen.contains(&value) {
                i += 1;
                continue;
            }
            seen.push(value);
            let system = format(std::ptr::null(), value)
                .map(|t| (t, "Windows (system message table)".to_owned()));
            let text = system.or_else(|| {
                modules_for(value).iter().find_map(|m| {
                    let id = if value >> 16 == 0x8007 {
                        value & 0xFFFF
                    } else {
                        value
                    };
                    from_module(m, id).map(|t| (t, format!("Windows ({m})")))
                })
            });
            if let Some((meaning, source)) = text {
                let mut os = found[i].clone();
                os.meaning = Some(meaning);
                os.source = source;
                found.insert(i + 1, os);
                i += 1;
            }
            i += 1;
        }
    }
}

/// Prepares stdout for ANSI colour codes and says whether they will work. On
/// Windows this turns on virtual-terminal processing for a console (false
/// when that console cannot do it); output to a pipe or file passes the codes
/// through. Elsewhere terminals understand them: true.
pub fn enable_console_colours() -> bool {
    #[cfg(windows)]
    {
        windows_console::enable_virtual_terminal()
    }
    #[cfg(not(windows))]
    {
        true
    }
}

/// Before the window opens: on Windows, when this process is the only one
/// attached to its console — `logweave.exe` itself double-clicked in
/// Explorer, which gave it a console of its own — lets that console go, so
/// no empty console window stays beside the viewer. Started from cmd or
/// PowerShell the console is shared and stays (the prompt waits for the
/// window, and messages still reach it). Elsewhere: nothing.
pub fn release_own_console() {
    #[cfg(windows)]
    windows_console::release_if_own();
}

#[cfg(windows)]
mod windows_console {
    use windows_sys::Win32::System::Console::{
        CONSOLE_MODE, ENABLE_VIRTUAL_TERMINAL_PROCESSING, FreeConsole, GetConsoleMode,
        GetConsoleProcessList, GetStdHandle, STD_OUTPUT_HANDLE, SetConsoleMode,
    };

    pub(super) fn release_if_own() {
        let mut ids = [0u32; 2];
        // SAFETY: `ids` is a valid, writable array whose length we pass; the
        // call writes at most that many process ids and returns the count
        // attached (0 when this process has no console).
        let attached = unsafe { GetConsoleProcessList(ids.as_mut_ptr(), ids.len() as u32) };
        if attached == 1 {
            // SAFETY: FreeConsole has no preconditions; it detaches this
            // process from its console (which then closes, as no other
            // process uses it).
            unsafe { FreeConsole() };
        }
    }

    pub(super) fn enable_virtual_terminal() -> bool {
        // SAFETY: GetStdHandle has no preconditions; it returns a handle owned
        // by the process (or null/invalid, which GetConsoleMode rejects).
        let handle = unsafe { GetStdHandle(STD_OUTPUT_HANDLE) };
        let mut mode: CONSOLE_MODE = 0;
        // SAFETY: `mode` is a valid, writable CONSOLE_MODE; an invalid or
        // non-console handle makes the call fail without writing.
        if unsafe { GetConsoleMode(handle, &mut mode) } == 0 {
            // Not a console (a pipe or a file): the codes pass through.
            return true;
        }
        if mode & ENABLE_VIRTUAL_TERMINAL_PROCESSING != 0 {
            return true;
        }
        // SAFETY: `handle` is the console output handle GetConsoleMode just
        // accepted; we only add one documented flag to its current mode.
        unsafe { SetConsoleMode(handle, mode | ENABLE_VIRTUAL_TERMINAL_PROCESSING) != 0 }
    }
}

/// This process's real user id (Unix), to keep per-user files such as the
/// single-instance socket out of other users' reach.
#[cfg(unix)]
pub fn current_uid() -> u32 {
    // SAFETY: getuid has no preconditions and cannot fail.
    unsafe { libc::getuid() }
}

/// The type of the file system holding `path` (`statfs`'s `f_type`, Linux),
/// to tell network file systems (see `source::network`) from local disks.
#[cfg(target_os = "linux")]
pub fn file_system_type(path: &std::path::Path) -> Option<u32> {
    let path = std::ffi::CString::new(std::os::unix::ffi::OsStrExt::as_bytes(path.as_os_str()));
    let mut info = std::mem::MaybeUninit::<libc::statfs>::uninit();
    // SAFETY: `path` is NUL-terminated and `info` is writable memory of the
    // size statfs fills; it is read only after the call succeeded.
    let ok = unsafe { libc::statfs(path.ok()?.as_ptr(), info.as_mut_ptr()) == 0 };
    // SAFETY: statfs succeeded, so it initialised `info`. (Magic numbers are
    // 32 bits; `f_type` is wider or signed on some architectures.)
    ok.then(|| unsafe { info.assume_init() }.f_type as u32)
}

/// Gives the memory freed since back to the system where the allocator
/// keeps it (glibc keeps freed blocks in its per-thread arenas): `serve`
/// calls it after working out a large task sequence. Elsewhere nothing.
pub fn release_freed_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only walks glibc's own free lists; any pad is valid.
    unsafe {
        libc::malloc_trim(0);
    }
}

/// `GetDriveTypeW` of a drive's root such as `Z:\` (Windows).
#[cfg(windows)]
pub fn drive_type(root: &str) -> u32 {
    let root = wide(root);
    // SAFETY: `root` is a NUL-terminated UTF-16 string alive during the call.
    unsafe { windows_sys::Win32::Storage::FileSystem::GetDriveTypeW(root.as_ptr()) }
}

/// The volume serial number and file index of an open file (Windows):
/// what stays the same for one file object while it is written, renamed
/// or re-timed, and differs for a file that replaced it.
#[cfg(windows)]
pub fn file_index(file: &std::fs::File) -> Option<(u32, u64)> {
    use std::os::windows::io::AsRawHandle;
    use windows_sys::Win32::Storage::FileSystem::{
        BY_HANDLE_FILE_INFORMATION, GetFileInformationByHandle,
    };
    let mut info = std::mem::MaybeUninit::<BY_HANDLE_FILE_INFORMATION>::zeroed();
    // SAFETY: the handle is `file`'s, open for the whole call; `info` is
    // writable memory of the structure's size, read only after success.
    let ok = unsafe { GetFileInformationByHandle(file.as_raw_handle(), info.as_mut_ptr()) != 0 };
    // SAFETY: the call succeeded, so it filled `info`.
    let info = ok.then(|| unsafe { info.assume_init() })?;
    let index = (u64::from(info.nFileIndexHigh) << 32) | u64::from(info.nFileIndexLow);
    Some((info.dwVolumeSerialNumber, index))
}

/// Shows `text` in a message box on Windows when this process has no console
/// to print it in (`logweavew.exe`, started from Explorer); elsewhere, or
/// with a console, does nothing (the caller prints it).
#[cfg(feature = "gui")]
pub fn show_error_box(title: &str, text: &str) {
    #[cfg(windows)]
    {
        use windows_sys::Win32::System::Console::GetConsoleWindow;
        use windows_sys::Win32::UI::WindowsAndMessaging::{MB_ICONERROR, MB_OK, MessageBoxW};
        // SAFETY: GetConsoleWindow has no preconditions; null means no console.
        if !unsafe { GetConsoleWindow() }.is_null() {
            return;
        }
        let (title, text) = (wide(title), wide(text));
        // SAFETY: both strings are NUL-terminated UTF-16 that outlive the
        // call; a null owner window is allowed.
        unsafe {
            MessageBoxW(
                std::ptr::null_mut(),
                text.as_ptr(),
                title.as_ptr(),
                MB_OK | MB_ICONERROR,
            )
        };
    }
    #[cfg(not(windows))]
    {
        let _ = (title, text);
    }
}

// Registry access is only for the window's needs (built with the `gui`
// feature), so the console tools for WinPE import no more DLLs than they use.

/// True when this process runs in Windows PE (the registry key
/// `HKLM\SYSTEM\CurrentControlSet\Control\MiniNT` exists there only).
/// Always false elsewhere.
#[cfg(feature = "gui")]
pub fn in_winpe() -> bool {
    #[cfg(windows)]
    {
        windows_registry::key_exists_hklm("SYSTEM\\CurrentControlSet\\Control\\MiniNT")
    }
    #[cfg(not(windows))]
    {
        false
    }
}

/// The registry calls of [`crate::association`] and [`in_winpe`].
#[cfg(all(windows, feature = "gui"))]
pub(crate) mod windows_registry {
    use super::wide;
    use std::io;

    use windows_sys::Win32::Foundation::{ERROR_FILE_NOT_FOUND, ERROR_SUCCESS};
    use windows_sys::Win32::System::Registry::{
        HKEY, HKEY_CURRENT_USER, HKEY_LOCAL_MACHINE, KEY_READ, REG_SZ, RRF_RT_REG_SZ, RegCloseKey,
        RegDeleteKeyValueW, RegDeleteKeyW, RegDeleteTreeW, RegGetValueW, RegOpenKeyExW,
        RegQueryInfoKeyW, RegSetKeyValueW,
    };
    use windows_sys::Win32::UI::Shell::{SHCNE_ASSOCCHANGED, SHCNF_IDLIST, SHChangeNotify};

    fn result(code: u32) -> io::Result<()> {
        if code == ERROR_SUCCESS {
            Ok(())
        } else {
            Err(io::Error::from_raw_os_error(code as i32))
        }
    }

    pub(crate) fn key_exists_hklm(subkey: &str) -> bool {
        let subkey = wide(subkey);
        let mut key: HKEY = std::ptr::null_mut();
        // SAFETY: `subkey` is a NUL-terminated UTF-16 string that outlives
        // the call; `key` is a valid place for the opened handle.
        let opened =
            unsafe { RegOpenKeyExW(HKEY_LOCAL_MACHINE, subkey.as_ptr(), 0, KEY_READ, &mut key) };
        if opened == ERROR_SUCCESS {
            // SAFETY: `key` was just opened by RegOpenKeyExW and is closed once.
            unsafe { RegCloseKey(key) };
            true
        } else {
            false
        }
    }

    /// Sets a string value (`name` "" is the key's default), creating the key.
    pub(crate) fn set_hkcu(subkey: &str, name: &str, value: &str) -> io::Result<()> {
        let (subkey, name, data) = (wide(subkey), wide(name), wide(value));
        let bytes =
            u32::try_from(data.len() * 2).map_err(|_| io::Error::other("value too long"))?;
        // SAFETY: all three strings are NUL-terminated UTF-16 that outlive
        // the call; `bytes` is the exact size of `data` in bytes, NUL
        // included, as REG_SZ wants.
        result(unsafe {
            RegSetKeyValueW(
                HKEY_CURRENT_USER,
                subkey.as_ptr(),
                name.as_ptr(),
                REG_SZ,
                data.as_ptr().cast(),
                bytes,
            )
        })
    }

    /// A string value, or `None` when the key or value is missing.
    pub(crate) fn get_hkcu(subkey: &str, name: &str) -> Option<String> {
        let (subkey, name) = (wide(subkey), wide(name));
        let mut buffer = [0u16; 1024];
        let mut bytes = (buffer.len() * 2) as u32;
        // SAFETY: the strings are NUL-terminated UTF-16 that outlive the
        // call; `buffer` is writable for `bytes` bytes, which we pass, and
        // RRF_RT_REG_SZ makes the call NUL-terminate what it writes.
        let code = unsafe {
            RegGetValueW(
                HKEY_CURRENT_USER,
                subkey.as_ptr(),
                name.as_ptr(),
                RRF_RT_REG_SZ,
                std::ptr::null_mut(),
                buffer.as_mut_ptr().cast(),
                &mut bytes,
            )
        };
        if code != ERROR_SUCCESS {
            return None;
        }
        let units = (bytes as usize / 2).min(buffer.len());
        let text = buffer.get(..units).unwrap_or(&buffer);
        Some(
            String::from_utf16_lossy(text)
                .trim_end_matches('\0')
                .to_owned(),
        )
    }

    /// Deletes a value; a missing one is not an error.
    pub(crate) fn delete_value_hkcu(subkey: &str, name: &str) -> io::Result<()> {
        let (subkey, name) = (wide(subkey), wide(name));
        // SAFETY: both strings are NUL-terminated UTF-16 that outlive the call.
        let code = unsafe { RegDeleteKeyValueW(HKEY_CURRENT_USER, subkey.as_ptr(), name.as_ptr()) };
        if code == ERROR_FILE_NOT_FOUND {
            Ok(())
        } else {
            result(code)
        }
    }

    /// Deletes a key and everything under it; a missing one is not an error.
    pub(crate) fn delete_tree_hkcu(subkey: &str) -> io::Result<()> {
        let subkey = wide(subkey);
        // SAFETY: `subkey` is a NUL-terminated UTF-16 string that outlives
        // the call; HKEY_CURRENT_USER is a predefined key.
        let code = unsafe { RegDeleteTreeW(HKEY_CURRENT_USER, subkey.as_ptr()) };
        if code == ERROR_FILE_NOT_FOUND {
            Ok(())
        } else {
            result(code)
        }
    }

    /// Deletes a key of HKCU when it holds no value and no subkey (what an
    /// uninstall leaves of a key it shared with others); a missing or
    /// non-empty key is left as it is.
    pub(crate) fn delete_key_if_empty_hkcu(subkey: &str) -> io::Result<()> {
        let wide_subkey = wide(subkey);
        let mut key: HKEY = std::ptr::null_mut();
        // SAFETY: `wide_subkey` is a NUL-terminated UTF-16 string that
        // outlives the call; `key` is a valid place for the opened handle.
        let opened = unsafe {
            RegOpenKeyExW(
                HKEY_CURRENT_USER,
                wide_subkey.as_ptr(),
                0,
                KEY_READ,
                &mut key,
            )
        };
        if opened == ERROR_FILE_NOT_FOUND {
            return Ok(());
        }
        result(opened)?;
        let (mut subkeys, mut values) = (0u32, 0u32);
        // SAFETY: `key` is the handle opened above; the two counts point to
        // live u32s and every other out-parameter is null, which the API
        // allows for information not asked for.
        let queried = unsafe {
            RegQueryInfoKeyW(
                key,
                std::ptr::null_mut(),
                std::ptr::null_mut(),
                std::ptr::null(),
                &mut subkeys,
                std::ptr::null_mut(),
                std::ptr::null_mut(),
                &mut values,
                std::ptr::null_mut(),
                std::ptr::null_mut(),
                std::ptr::null_mut(),
                std::ptr::null_mut(),
            )
        };
        // SAFETY: `key` was opened above and is closed once.
        unsafe { RegCloseKey(key) };
        result(queried)?;
        if subkeys > 0 || values > 0 {
            return Ok(());
        }
        // SAFETY: `wide_subkey` is a NUL-terminated UTF-16 string that
        // outlives the call; HKEY_CURRENT_USER is a predefined key.
        let code = unsafe { RegDeleteKeyW(HKEY_CURRENT_USER, wide_subkey.as_ptr()) };
        if code == ERROR_FILE_NOT_FOUND {
            Ok(())
        } else {
            result(code)
        }
    }

    /// Tells Explorer that file associations changed.
    pub(crate) fn associations_changed() {
        // SAFETY: SHCNE_ASSOCCHANGED takes no items; both item pointers may
        // be null.
        unsafe {
            SHChangeNotify(
                SHCNE_ASSOCCHANGED as i32,
                SHCNF_IDLIST,
                std::ptr::null(),
                std::ptr::null(),
            )
        };
    }
}

/// Installs a Ctrl+C (and, on Unix, SIGTERM) handler that only sets the
/// returned flag, so a long-running command can flush its output and exit
/// with 0. Call once; later calls return the same flag.
pub fn catch_interrupt() -> &'static std::sync::atomic::AtomicBool {
    use std::sync::Once;
    static INSTALL: Once = Once::new();
    INSTALL.call_once(interrupt::install);
    &interrupt::INTERRUPTED
}

mod interrupt {
    use std::sync::atomic::{AtomicBool, Ordering};

    /// Set by the handler.
    pub(super) static INTERRUPTED: AtomicBool = AtomicBool::new(false);

    #[cfg(unix)]
    extern "C" fn on_signal(_signal: libc::c_int) {
        // Storing to an atomic is async-signal-safe.
        INTERRUPTED.store(true, Ordering::SeqCst);
    }

    #[cfg(unix)]
    pub(super) fn install() {
        let handler = on_signal as extern "C" fn(libc::c_int) as libc::sighandler_t;
        for signal in [libc::SIGINT, libc::SIGTERM] {
            // SAFETY: `on_signal` has the signature `signal` expects and does
            // nothing but an atomic store, which is async-signal-safe.
            unsafe { libc::signal(signal, handler) };
        }
    }

    #[cfg(windows)]
    unsafe extern "system" fn on_console_event(event: u32) -> windows_sys::core::BOOL {
        use windows_sys::Win32::System::Console::{CTRL_BREAK_EVENT, CTRL_C_EVENT};
        if event == CTRL_C_EVENT || event == CTRL_BREAK_EVENT {
            INTERRUPTED.store(true, Ordering::SeqCst);
            1
        } else {
            // Closing the console or logging off: let the default handler end us.
            0
        }
    }

    #[cfg(windows)]
    pub(super) fn install() {
        use windows_sys::Win32::System::Console::SetConsoleCtrlHandler;
        // SAFETY: the handler is a plain function with the PHANDLER_ROUTINE
        // signature, valid for the life of the process; it runs on a thread of
        // its own and only stores to an atomic.
        unsafe { SetConsoleCtrlHandler(Some(on_console_event), 1) };
    }

    #[cfg(not(any(unix, windows)))]
    pub(super) fn install() {
        let _ = Ordering::SeqCst;
    }
}
