use std::path::{Path, PathBuf};

use super::*;
use crate::document::OpenOptions;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/ts")
        .join(name)
}

fn triage_of(paths: &[PathBuf]) -> Triage {
    let docs: Vec<LogDocument> = paths
        .iter()
        .map(|p| LogDocument::open_blocking(p, OpenOptions::default()).unwrap())
        .collect();
    let refs: Vec<&LogDocument> = docs.iter().collect();
    let names: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
    triage_documents(&refs, &names).1
}

#[test]
fn a_failed_run_names_the_step_the_code_its_meaning_and_the_evidence() {
    let t = triage_of(&[fixture("failure.log")]);
    assert_eq!(t.outcome, TriageOutcome::Failed);
    assert_eq!(
        t.failed_step.as_deref(),
        Some("Run PowerShell Script - Configure Firewall")
    );
    assert!(t.failed_step_named);
    assert_eq!(t.pointer, Some(3));
    assert_eq!(t.exit_code, Some(1));
    assert_eq!(t.code_hex.as_deref(), Some("0x00000001"));
    // A small exit code reads first as a Win32 error (other readings follow).
    assert!(
        t.code_name
            .as_deref()
            .is_some_and(|n| n.starts_with("ERROR_INVALID_FUNCTION"))
    );
    assert!(
        t.evidence.len() >= 2 && t.evidence.len() <= 8,
        "{:?}",
        t.evidence
    );
    assert!(t.evidence.iter().any(|e| {
        e.message
            .starts_with("Failed to run the action: Run PowerShell Script")
    }));
    // The step's own error record is shown, the earlier continued failure is not.
    assert!(
        t.evidence
            .iter()
            .any(|e| e.component == "RunPowerShellScript")
    );
    assert!(!t.evidence.iter().any(|e| e.message.contains("80070643")));
    assert!(t.next_logs.iter().any(|l| !l.path.is_empty()));
    // Records are numbered as in the file, in order.
    assert!(t.evidence.windows(2).all(|w| w[0].record < w[1].record));
}

#[test]
fn a_completed_run_succeeds_with_no_failed_step() {
    for name in [
        "success-reboot.log",
        "skipped.log",
        "mdt.log",
        "mid-sequence.log",
    ] {
        let t = triage_of(&[fixture(name)]);
        assert_eq!(t.outcome, TriageOutcome::Succeeded, "{name}");
        assert_eq!(t.failed_step, None, "{name}");
        assert_eq!(t.exit_code, None, "{name}");
        assert!(t.evidence.is_empty(), "{name}");
        assert!(t.next_logs.is_empty(), "{name}");
    }
}

#[test]
fn no_end_logged_is_running_and_text_with_no_task_sequence_is_unknown() {
    let t = triage_of(&[fixture("cm2012.log")]);
    assert_eq!(t.outcome, TriageOutcome::Running);
    let plain = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/cbs_levels.log");
    if plain.exists() {
        assert_eq!(triage_of(&[plain]).outcome, TriageOutcome::Unknown);
    }
}

#[test]
fn the_headline_says_it_in_one_line() {
    let t = triage_of(&[fixture("failure.log")]);
    assert_eq!(
        t.headline(),
        "Failed at step \"Run PowerShell Script - Configure Firewall\" with 0x00000001 (ERROR_INVALID_FUNCTION)"
    );
}

#[test]
fn errors_rank_first_one_first_then_by_count_harmless_last() {
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("resources/samples/smsts.log");
    let doc = LogDocument::open_blocking(&sample, OpenOptions::default()).unwrap();
    let groups = rank_errors(&[&doc]);
    let total: usize = groups.iter().map(|g| g.count).sum();
    assert_eq!(total as u64, doc.counts().errors);
    // The first group holds the log's first error record.
    let first_error = doc
        .next_of_severity(
            None,
            crate::model::Severity::Error,
            crate::model::Direction::Forward,
        )
        .unwrap();
    assert_eq!(groups[0].first, (0, first_error));
    // After it, larger groups before smaller ones (harmless ones last).
    let rest: Vec<&ErrorGroup> = groups[1..]
        .iter()
        .filter(|g| g.harmless.is_none())
        .collect();
    assert!(rest.windows(2).all(|w| w[0].count >= w[1].count));
    // Codes in the messages are looked up.
    assert!(
        groups
            .iter()
            .flat_map(|g| &g.codes)
            .any(|c| c.code == "0x80070643" && c.name.as_deref() == Some("ERROR_INSTALL_FAILURE"))
    );
}
