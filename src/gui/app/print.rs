//! File > Print: the rows the view shows (a multi-row selection: those rows)
//! written as text to a temporary file and handed to the system's printing
//! — `notepad /p` on Windows, `lp` (CUPS) elsewhere, or the command set in
//! the settings — in a background job; the result is a notice.

use std::io::Write;
use std::path::Path;
use std::process::Command as Process;
use std::sync::Arc;

use super::{LogWeaveApp, Notice};
use crate::document::LogDocument;
use crate::export::{self, ExportFormat};
use crate::gui::view::Tab;
use crate::jobs::Job;

/// The running print job: the notice it ends with.
pub(super) type PrintJob = Job<String>;

/// The program and arguments that print a text file (its path is added
/// last): the settings' `print_command`, else the system's.
pub fn print_command(configured: &[String]) -> Vec<String> {
    if !configured.is_empty() {
        return configured.to_vec();
    }
    if cfg!(windows) {
        vec!["notepad.exe".to_owned(), "/p".to_owned()]
    } else {
        vec!["lp".to_owned()]
    }
}

/// Runs `command` on `file`; the notice to show.
fn send_to_printer(command: &[String], file: &Path, what: &str) -> String {
    let Some((program, args)) = command.split_first() else {
        return "Printing failed: no print command".to_owned();
    };
    match Process::new(program).args(args).arg(file).output() {
        Ok(out) if out.status.success() => {
            let said = String::from_utf8_lossy(&out.stdout).trim().to_owned();
            let said = if said.is_empty() {
                String::new()
            } else {
                format!(": {said}")
            };
            format!("Sent {what} to the printer ({program}){said}")
        }
        Ok(out) => format!(
            "Printing failed: {program} said {}",
            String::from_utf8_lossy(&out.stderr).trim()
        ),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => format!(
            "Printing failed: there is no {program} here (on Linux, CUPS gives `lp`); File > Save As writes the rows to a file"
        ),
        Err(e) => format!("Printing failed: {program}: {e}"),
    }
}

impl LogWeaveApp {
    /// Prints the rows of the focused pane (all it shows, or the selected
    /// rows when several are selected).
    pub fn print_view(&mut self) {
        if self.print_job.is_some() {
            return;
        }
        let Some(tab) = self.tabs.get(self.active).map(Tab::focused) else {
            return;
        };
        let entries: Vec<(usize, usize)> = if tab.view.selection.len() > 1 {
            tab.view
                .selection
                .rows()
                .filter_map(|r| tab.entry_at(r))
                .collect()
        } else {
            (0..tab.view_len())
                .filter_map(|r| tab.entry_at(r))
                .collect()
        };
        let docs: Vec<Arc<LogDocument>> = tab.sources.iter().map(|s| Arc::clone(&s.doc)).collect();
        let title = tab.title();
        let command = print_command(&self.settings.print_command);
        self.print_job = Some(Job::spawn(
            "logweave-print",
            self.waker.clone(),
            move |ctx| {
                let what = format!("{} records of {title}", entries.len());
                let written = tempfile::Builder::new()
                    .prefix("logweave-print-")
                    .suffix(".txt")
                    .tempfile()
                    .and_then(|mut file| {
                        // A BOM so Notepad reads it as UTF-8.
                        file.write_all(b"\xEF\xBB\xBF")?;
                        writeln!(file, "{title} ({} records) — LogWeave", entries.len())?;
                        writeln!(file)?;
                        export::write_entries(
                            &docs.iter().map(AsRef::as_ref).collect::<Vec<_>>(),
                            &entries,
                            ExportFormat::Tsv,
                            &mut file,
                            Some(ctx),
                        )?;
                        file.flush()?;
                        Ok(file)
                    });
                match written {
                    Ok(file) => send_to_printer(&command, file.path(), &what),
                    Err(e) => {
                        format!("Printing failed: cannot write the rows to a temporary file: {e}")
                    }
                }
            },
        ));
    }

    /// Shows the print job's notice when it is done.
    pub(super) fn poll_print(&mut self) {
        if let Some(job) = &mut self.print_job
            && let Some(result) = job.take()
        {
            self.print_job = None;
            let text = result.unwrap_or_else(|failure| format!("Printing failed: {failure}"));
            self.notices.push(Notice { text });
        }
    }
}
