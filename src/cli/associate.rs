//! `logweave associate`: on Windows, makes LogWeave the viewer of `.log` and
//! `.lo_` files for this user (as CMTrace offers to be), checks it, or undoes
//! it — for scripts, installers and ConfigMgr/Intune deployments. Never
//! touches machine-wide settings (HKLM) and never runs in WinPE.

use std::io;
use std::process::ExitCode;

use logweave::association;

/// Registers, removes (`remove`) or reports (`check`) the association.
pub fn run(remove: bool, check: bool) -> io::Result<ExitCode> {
    if !cfg!(windows) {
        eprintln!(
            "logweave: file associations are for Windows; on Linux the Debian package (or packaging/linux/logweave.desktop) does that"
        );
        return Ok(ExitCode::from(2));
    }
    if logweave::sys::in_winpe() {
        eprintln!("logweave: not in WinPE: nothing there would keep the association");
        return Ok(ExitCode::from(2));
    }
    let exe = association::viewer_exe()?;
    if check {
        let registered = association::is_registered(&exe);
        println!(
            "{} {} .log and .lo_ files for this user",
            exe.display(),
            if registered { "opens" } else { "does not open" }
        );
        return Ok(if registered {
            ExitCode::SUCCESS
        } else {
            ExitCode::FAILURE
        });
    }
    if remove {
        association::unregister()?;
        println!("LogWeave no longer opens .log and .lo_ files for this user");
    } else {
        association::register(&exe)?;
        println!(
            "{} now opens .log and .lo_ files for this user",
            exe.display()
        );
    }
    Ok(ExitCode::SUCCESS)
}
