//! Per-user file associations on Windows (`HKCU\Software\Classes`): LogWeave
//! as the viewer of `.log` and `.lo_` files, as CMTrace offers to be.
//! Elsewhere every call says it is not supported. The registry calls
//! themselves are in `sys` (the one file with `unsafe`).

use std::io;
use std::path::Path;

/// The extensions LogWeave offers to open.
pub const EXTENSIONS: [&str; 2] = [".log", ".lo_"];
/// The programmatic identifier the extensions point to.
pub const PROG_ID: &str = "LogWeave.Log";

/// Makes `exe` the viewer of [`EXTENSIONS`] for this user: a
/// [`PROG_ID`] class whose open command runs `"exe" "%1"`, each
/// extension's default and "Open with" entry, then tells Explorer.
pub fn register(exe: &Path) -> io::Result<()> {
    #[cfg(windows)]
    {
        let exe = exe.display().to_string();
        let class = format!("Software\\Classes\\{PROG_ID}");
        crate::sys::windows_registry::set_hkcu(&class, "", "Log file (LogWeave)")?;
        crate::sys::windows_registry::set_hkcu(
            &format!("{class}\\DefaultIcon"),
            "",
            &format!("\"{exe}\",0"),
        )?;
        crate::sys::windows_registry::set_hkcu(
            &format!("{class}\\shell\\open\\command"),
            "",
            &format!("\"{exe}\" \"%1\""),
        )?;
        for ext in EXTENSIONS {
            let key = format!("Software\\Classes\\{ext}");
            crate::sys::windows_registry::set_hkcu(&key, "", PROG_ID)?;
            crate::sys::windows_registry::set_hkcu(
                &format!("{key}\\OpenWithProgids"),
                PROG_ID,
                "",
            )?;
        }
        crate::sys::windows_registry::associations_changed();
        Ok(())
    }
    #[cfg(not(windows))]
    {
        let _ = exe;
        Err(io::Error::from(io::ErrorKind::Unsupported))
    }
}

/// Undoes [`register`]: removes the class and, where they still point to
/// it, the extensions' default and "Open with" entries. Leaves anything
/// else (another viewer chosen since) alone.
pub fn unregister() -> io::Result<()> {
    #[cfg(windows)]
    {
        for ext in EXTENSIONS {
            let key = format!("Software\\Classes\\{ext}");
            if crate::sys::windows_registry::get_hkcu(&key, "").as_deref() == Some(PROG_ID) {
                crate::sys::windows_registry::delete_value_hkcu(&key, "")?;
            }
            let open_with = format!("{key}\\OpenWithProgids");
            crate::sys::windows_registry::delete_value_hkcu(&open_with, PROG_ID)?;
            // The keys register() created, once nothing else uses them.
            crate::sys::windows_registry::delete_key_if_empty_hkcu(&open_with)?;
            crate::sys::windows_registry::delete_key_if_empty_hkcu(&key)?;
        }
        crate::sys::windows_registry::delete_tree_hkcu(&format!("Software\\Classes\\{PROG_ID}"))?;
        crate::sys::windows_registry::associations_changed();
        Ok(())
    }
    #[cfg(not(windows))]
    {
        Err(io::Error::from(io::ErrorKind::Unsupported))
    }
}

/// The program associations should start: `logweavew.exe` beside this
/// executable when it is there (no console window from Explorer), else
/// this executable.
pub fn viewer_exe() -> io::Result<std::path::PathBuf> {
    let exe = std::env::current_exe()?;
    let gui = exe.with_file_name("logweavew.exe");
    Ok(if gui.is_file() { gui } else { exe })
}

/// True when `.log` opens with `exe` for this user (as [`register`] left it).
pub fn is_registered(exe: &Path) -> bool {
    #[cfg(windows)]
    {
        let command = crate::sys::windows_registry::get_hkcu(
            &format!("Software\\Classes\\{PROG_ID}\\shell\\open\\command"),
            "",
        );
        crate::sys::windows_registry::get_hkcu("Software\\Classes\\.log", "").as_deref()
            == Some(PROG_ID)
            && command.is_some_and(|c| c.contains(&exe.display().to_string()))
    }
    #[cfg(not(windows))]
    {
        let _ = exe;
        false
    }
}
