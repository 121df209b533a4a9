//! Opens the viewer window: picks the renderer (the GPU through eframe, or
//! the CPU renderer where there is no usable GPU), hands files to a running
//! window, and creates the app both hosts run. `gpu.rs` is the eframe host,
//! `cpu.rs` the winit + softbuffer one; both draw every frame with
//! `frame.rs`. Never parses, never holds state beyond the window's.

mod cpu;
#[cfg(feature = "gpu")]
mod gpu;

use std::path::PathBuf;
use std::sync::Arc;

use super::app::{Layout, LogWeaveApp};
use super::settings::{self, Settings};
use super::single_instance;
use crate::jobs::Waker;

/// What paints the window.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Renderer {
    /// eframe with OpenGL.
    Gpu,
    /// The CPU renderer (`raster`), presented through softbuffer.
    Cpu,
}

/// The environment variable that picks the renderer: `software` (or `cpu`)
/// and `gpu` (or `opengl`).
pub const RENDERER_VARIABLE: &str = "LOGWEAVE_RENDERER";

/// Picks the renderer and says why: `--software` or `LOGWEAVE_RENDERER`
/// first, then WinPE (no GPU driver, and no OpenGL worth the name), then the
/// GPU when this build has it.
pub fn choose_renderer(
    software_flag: bool,
    variable: Option<&str>,
    in_winpe: bool,
    gpu_built: bool,
) -> (Renderer, &'static str) {
    let asked = variable.map(|v| v.trim().to_ascii_lowercase());
    match asked.as_deref() {
        _ if software_flag => (Renderer::Cpu, "--software"),
        Some("software" | "cpu") => (Renderer::Cpu, "LOGWEAVE_RENDERER=software"),
        _ if !gpu_built => (Renderer::Cpu, "this build has only the CPU renderer"),
        Some("gpu" | "opengl") => (Renderer::Gpu, "LOGWEAVE_RENDERER=gpu"),
        _ if in_winpe => (Renderer::Cpu, "running in WinPE"),
        _ => (Renderer::Gpu, "the default"),
    }
}

/// Opens the viewer window on `files` (the bundled sample when none is
/// given).
///
/// Unless `new_window`, files for tabs go to this user's window when one is
/// running (and this process is done), and otherwise this window listens for
/// later starts. When the GPU renderer cannot start (no OpenGL 2 context),
/// LogWeave starts again on the CPU renderer.
pub fn run(
    files: Vec<PathBuf>,
    layout: Layout,
    new_window: bool,
    software: bool,
) -> Result<(), String> {
    let address = single_instance::Address::for_this_user().ok();
    if !new_window
        && layout == Layout::Tabs
        && !files.is_empty()
        && let Some(address) = &address
        && single_instance::hand_over(address, &files).unwrap_or(false)
    {
        return Ok(());
    }
    let listener = address
        .as_ref()
        .filter(|_| !new_window)
        .and_then(single_instance::Listener::start);
    let variable = std::env::var(RENDERER_VARIABLE).ok();
    let (renderer, _why) = choose_renderer(
        software,
        variable.as_deref(),
        crate::sys::in_winpe(),
        cfg!(feature = "gpu"),
    );
    match renderer {
        Renderer::Cpu => cpu::run(files, layout, listener),
        #[cfg(feature = "gpu")]
        Renderer::Gpu => match gpu::run(files, layout, listener) {
            gpu::Outcome::Closed => Ok(()),
            gpu::Outcome::Failed(e) => Err(e),
            gpu::Outcome::NoContext(e) => start_again_on_the_cpu(&e),
        },
        #[cfg(not(feature = "gpu"))]
        Renderer::Gpu => cpu::run(files, layout, listener),
    }
}

/// The GPU window never opened: run this program again with the same
/// arguments on the CPU renderer (winit allows one event loop per process)
/// and end as it ends.
#[cfg(feature = "gpu")]
fn start_again_on_the_cpu(gpu_error: &str) -> Result<(), String> {
    eprintln!("logweave: no OpenGL 2 context ({gpu_error}); drawing the window on the CPU");
    let exe = std::env::current_exe().map_err(|e| format!("{gpu_error}; {e}"))?;
    let status = std::process::Command::new(exe)
        .args(std::env::args_os().skip(1))
        .env(RENDERER_VARIABLE, "software")
        .status()
        .map_err(|e| format!("{gpu_error}; starting on the CPU renderer: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        std::process::exit(status.code().unwrap_or(1));
    }
}

/// The window's title, first size and smallest size, and its application
/// id: `logweave`, the name of the desktop file (Wayland's app id, X11's
/// WM_CLASS, `StartupWMClass` in packaging/linux/logweave.desktop), so the
/// dock shows the window under LogWeave's icon whichever renderer draws it.
fn viewport() -> egui::ViewportBuilder {
    egui::ViewportBuilder::default()
        .with_title("LogWeave")
        .with_app_id("logweave")
        .with_inner_size([1200.0, 760.0])
        .with_min_inner_size([480.0, 320.0])
        .with_drag_and_drop(true)
}

/// The app as either host starts it: `settings`, the files, a waker that
/// repaints through `ctx`, the single-instance listener and, on Windows,
/// the offer to open `.log` files.
fn start_app(
    ctx: &egui::Context,
    settings: Settings,
    files: &[PathBuf],
    layout: Layout,
    listener: Option<single_instance::Listener>,
) -> LogWeaveApp {
    let repaint = ctx.clone();
    let waker: Waker = Arc::new(move || repaint.request_repaint());
    let mut app = LogWeaveApp::with_layout(settings, files, layout, Some(waker));
    app.panels.association_offer = association_offer_due(
        cfg!(windows),
        crate::sys::in_winpe(),
        app.settings.offer_association,
        logweave_viewer_registered(),
    );
    if let Some(listener) = listener {
        let repaint = ctx.clone();
        listener.set_waker(Arc::new(move || repaint.request_repaint()));
        app.instance = Some(listener);
    }
    app
}

/// Whether to offer, at start, to become the viewer of `.log` files: on
/// Windows only, never in WinPE (nothing there would keep it), while the user
/// has not said "Don't ask again", and when LogWeave is not the viewer yet.
pub fn association_offer_due(windows: bool, winpe: bool, asked_to: bool, registered: bool) -> bool {
    windows && !winpe && asked_to && !registered
}

/// Saves the settings file; a failure is reported, not fatal.
fn save_settings(settings: &Settings) {
    if let Err(e) = settings::save(settings) {
        eprintln!("logweave: cannot save the settings: {e}");
    }
}

/// True when this LogWeave opens `.log` files for this user (Windows).
fn logweave_viewer_registered() -> bool {
    crate::association::viewer_exe().is_ok_and(|exe| crate::association::is_registered(&exe))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_association_is_offered_on_windows_only_outside_winpe_until_declined() {
        assert!(association_offer_due(true, false, true, false));
        assert!(
            !association_offer_due(false, false, true, false),
            "not on Linux"
        );
        assert!(
            !association_offer_due(true, true, true, false),
            "never in WinPE"
        );
        assert!(
            !association_offer_due(true, false, false, false),
            "don't ask again"
        );
        assert!(
            !association_offer_due(true, false, true, true),
            "already the viewer"
        );
    }

    #[test]
    fn the_renderer_follows_the_flag_the_variable_winpe_then_the_build() {
        use Renderer::{Cpu, Gpu};
        let pick = |flag, var, pe, gpu| choose_renderer(flag, var, pe, gpu).0;
        assert_eq!(pick(false, None, false, true), Gpu);
        assert_eq!(pick(true, None, false, true), Cpu);
        assert_eq!(pick(false, Some("Software"), false, true), Cpu);
        assert_eq!(pick(false, Some("cpu"), false, true), Cpu);
        assert_eq!(pick(false, None, true, true), Cpu);
        assert_eq!(pick(false, Some("gpu"), true, true), Gpu); // asked for, in WinPE
        assert_eq!(pick(false, Some("gpu"), false, false), Cpu); // not built
        assert_eq!(pick(false, Some("nonsense"), false, true), Gpu);
        assert_eq!(pick(false, None, false, false), Cpu);
    }
}
