//! What the UI tests share: the harness over the real app, waiting for
//! background jobs, finding text boxes, and files dropped onto the window.
#![allow(dead_code)] // each test file uses its own part

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::{By, Queryable};
use logweave::gui::{LogWeaveApp, Settings};

pub fn sample() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("resources/samples/smsts.log")
}

pub fn harness(files: &[PathBuf], settings: Settings) -> Harness<'static, LogWeaveApp> {
    let files = files.to_vec();
    Harness::builder()
        .with_size(egui::vec2(1200.0, 760.0))
        .build_eframe(move |_cc| LogWeaveApp::with_settings(settings, &files, None))
}

/// Steps the app until `done` holds (background jobs run on real threads).
pub fn settle(
    h: &mut Harness<'static, LogWeaveApp>,
    what: &str,
    done: impl Fn(&LogWeaveApp) -> bool,
) {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        h.step();
        if done(h.state()) {
            h.step();
            return;
        }
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(10));
    }
}

pub fn idle(app: &LogWeaveApp) -> bool {
    // A task-sequence log's diagnosis strip appears when its triage is done
    // (it moves the rows down): wait for it too.
    let strip_settled = |t: &logweave::gui::Tab| match t {
        logweave::gui::Tab::Log(log) => {
            !log.outline.wanted || (!log.outline.is_running() && log.outline.triage.is_some())
        }
        logweave::gui::Tab::Compare(_) => true,
    };
    // Only the active tab's strip is drawn (and computed).
    app.tabs.iter().all(|t| t.busy().is_none())
        && app.tabs.get(app.active).is_none_or(strip_settled)
}

/// What the last frame put on the clipboard.
pub fn copied(h: &Harness<'static, LogWeaveApp>) -> Vec<String> {
    h.output()
        .platform_output
        .commands
        .iter()
        .filter_map(|c| match c {
            egui::OutputCommand::CopyText(text) => Some(text.clone()),
            _ => None,
        })
        .collect()
}

pub fn text_input<'a>(
    h: &'a Harness<'static, LogWeaveApp>,
    placeholder: &'static str,
) -> egui_kittest::Node<'a> {
    h.get(
        By::new()
            .role(Role::TextInput)
            .predicate(move |n| n.placeholder() == Some(placeholder)),
    )
}

#[derive(Debug)]
pub struct Dropped(pub PathBuf);

impl egui::DroppedFile for Dropped {
    fn path(&self) -> &Path {
        &self.0
    }
    fn bytes(&self) -> Result<Vec<u8>, String> {
        std::fs::read(&self.0).map_err(|e| e.to_string())
    }
}

/// Opens the find bar (Ctrl+F), types `text` and waits for the search.
pub fn find(h: &mut Harness<'static, LogWeaveApp>, text: &str) {
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::F);
    h.run_steps(2);
    let find = text_input(h, "text to find");
    find.focus();
    find.type_text(text);
    h.run_steps(2);
    settle(h, "the search", idle);
}
