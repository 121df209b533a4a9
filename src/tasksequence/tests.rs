//! Tests of the task-sequence outline and the smsts.log chain on the
//! hand-written fixtures in tests/data/ts (written by tests/data/ts/generate.py).

use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;

use super::*;
use crate::document::OpenOptions;
use crate::merge;

fn fixture(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/ts")
        .join(rel)
}

fn open(path: &Path) -> LogDocument {
    LogDocument::open_blocking(path, OpenOptions::default()).expect("fixture opens")
}

fn outline_of(rel: &str) -> (LogDocument, Outline) {
    let doc = open(&fixture(rel));
    let outline = outline_document(&doc);
    (doc, outline)
}

/// (depth-indented name, kind, result, exit code, reboot before)
fn tree(outline: &Outline) -> Vec<(String, &'static str, &'static str, Option<u32>, bool)> {
    outline
        .steps
        .iter()
        .map(|s| {
            (
                format!("{}{}", "  ".repeat(s.depth), s.name),
                s.kind.name(),
                s.result.name(),
                s.exit_code,
                s.reboot_before,
            )
        })
        .collect()
}

fn step<'a>(outline: &'a Outline, name: &str) -> &'a Step {
    outline
        .steps
        .iter()
        .find(|s| s.name == name)
        .unwrap_or_else(|| panic!("no step {name}"))
}

/// Wall clock of a record, read straight from the document.
fn wall(doc: &LogDocument, record: usize) -> i64 {
    doc.row(record)
        .and_then(|r| r.fields.meta.wall_ms)
        .expect("timed record")
}

/// The record whose message starts with `text`.
fn record_with(doc: &LogDocument, text: &str) -> usize {
    doc.rows(0..doc.record_count(), None)
        .into_iter()
        .find(|r| r.fields.message.starts_with(text))
        .map(|r| r.record)
        .unwrap_or_else(|| panic!("no record {text}"))
}

#[test]
fn configmgr_run_with_a_reboot_from_winpe_to_the_full_os() {
    let (doc, o) = outline_of("success-reboot.log");
    assert_eq!(
        tree(&o),
        vec![
            (
                "Install Operating System".into(),
                "group",
                "success",
                None,
                false
            ),
            (
                "  Partition Disk 0 - UEFI".into(),
                "step",
                "success",
                Some(0),
                false
            ),
            (
                "  Apply Operating System".into(),
                "step",
                "success",
                Some(0),
                false
            ),
            (
                "  Apply Windows Settings".into(),
                "step",
                "success",
                Some(0),
                false
            ),
            (
                "  Apply Device Drivers (Dell 7.4.108)".into(),
                "step",
                "success",
                Some(0),
                false
            ),
            (
                "  Setup Windows and Configuration Manager".into(),
                "step",
                "success",
                Some(0),
                true
            ),
            ("Install Software".into(), "group", "success", None, false),
            (
                "  Run PowerShell Script - Set Time Zone".into(),
                "step",
                "success",
                Some(0),
                false
            ),
            (
                "  Install Microsoft 365 Apps".into(),
                "step",
                "success",
                Some(0),
                false
            ),
            ("Copy Logs".into(), "step", "success", Some(0), false),
        ]
    );
    let pointers: Vec<Option<u32>> = o.steps.iter().map(|s| s.pointer).collect();
    let want: Vec<Option<u32>> = [0, 1, 2, 3, 4, 5, 7, 8, 9, 11]
        .into_iter()
        .map(Some)
        .collect();
    assert_eq!(pointers, want);
    assert_eq!(o.outcome, Outcome::Completed);
    assert_eq!(o.name.as_deref(), Some("Windows 11 Enterprise 24H2"));
    assert_eq!(o.table_size, Some(12));
    assert!(!o.standalone);

    // Two boots: WinPE at its wrong +480 bias, then the full OS at -60.
    let phases: Vec<(Phase, Option<i32>)> = o
        .phases
        .iter()
        .map(|p| (p.phase, p.utc_adjust_minutes))
        .collect();
    assert_eq!(
        phases,
        vec![(Phase::WinPE, Some(480)), (Phase::FullOs, Some(-60))]
    );
    let boot2 = record_with(&doc, "Update reboot count");
    assert_eq!(o.phases[1].first_record, boot2);

    // The step entered before and after the reboot is one step.
    let setup = step(&o, "Setup Windows and Configuration Manager");
    assert_eq!(
        (setup.reboots, setup.phase, setup.boot),
        (1, Phase::WinPE, 0)
    );
    assert_eq!(setup.component.as_deref(), Some("OSDSetupWindows"));
    assert_eq!(step(&o, "Install Operating System").reboots, 1);
    assert_eq!(step(&o, "Install Software").phase, Phase::FullOs);
    assert_eq!(step(&o, "Copy Logs").reboots, 0);

    // Durations leave the reboot out: the wall clock runs on across it.
    let last_winpe = record_with(&doc, "Calling RebootSystem()");
    let gap = wall(&doc, boot2) - wall(&doc, last_winpe);
    assert_eq!(gap, 390_000);
    let raw = wall(&doc, setup.last_record) - wall(&doc, setup.first_record);
    assert_eq!(setup.duration_ms, Some(raw - gap));
    assert!((149_000..151_000).contains(&(raw - gap)), "{}", raw - gap);
    let apply = step(&o, "Apply Operating System");
    assert_eq!(
        apply.duration_ms,
        Some(wall(&doc, apply.last_record) - wall(&doc, apply.first_record))
    );
    // Each record's own UTC: WinPE's bias as written, the full OS's real one.
    assert_eq!(
        apply.start_utc_ms,
        apply.start_wall_ms.map(|w| w + 480 * 60_000)
    );
    let copy = step(&o, "Copy Logs");
    assert_eq!(
        copy.start_utc_ms,
        copy.start_wall_ms.map(|w| w - 60 * 60_000)
    );
    assert_eq!(copy.exit_name, None);
    assert_eq!(copy.exit_text().as_deref(), Some("0"));
}

#[test]
fn failure_after_a_continue_on_error_step() {
    let (_doc, o) = outline_of("failure.log");
    assert_eq!(
        tree(&o),
        vec![
            (
                "Applications".into(),
                "group",
                "failed",
                Some(0x8000_4004),
                false
            ),
            (
                "  Install Contoso VPN 7.4.108".into(),
                "step",
                "failed-continued",
                Some(0x8007_0643),
                false
            ),
            (
                "  Install Notepad++ 8.6 (x64)".into(),
                "step",
                "success",
                Some(0),
                false
            ),
            (
                "  Run PowerShell Script - Configure Firewall".into(),
                "step",
                "failed",
                Some(1),
                false
            ),
        ]
    );
    assert_eq!(
        o.outcome,
        Outcome::Failed {
            step: Some("Run PowerShell Script - Configure Firewall".into()),
            index: Some(3),
            code: Some(1),
        }
    );
    assert_eq!(
        o.failed_step().map(|s| s.name.as_str()),
        Some("Run PowerShell Script - Configure Firewall")
    );
    let vpn = step(&o, "Install Contoso VPN 7.4.108");
    assert!(
        vpn.exit_name
            .as_deref()
            .is_some_and(|n| n.contains("ERROR_INSTALL_FAILURE"))
    );
    assert!(vpn.exit_meaning.is_some());
    assert_eq!(vpn.exit_text().as_deref(), Some("0x80070643"));
    assert_eq!(vpn.component.as_deref(), Some("InstallApplication"));
    assert!(
        step(&o, "Applications")
            .exit_name
            .as_deref()
            .is_some_and(|n| n.contains("E_ABORT"))
    );
    assert_eq!(o.phases.len(), 1);
    assert_eq!(o.phases[0].phase, Phase::FullOs);
}

#[test]
fn skipped_groups_and_steps() {
    let (_doc, o) = outline_of("skipped.log");
    // Only "Configure" has members to unfold; the skipped groups have none.
    let foldable: Vec<bool> = (0..o.steps.len()).map(|i| o.has_members(i)).collect();
    assert_eq!(foldable, [false, false, false, true, false, false, false]);
    assert_eq!(
        tree(&o),
        vec![
            ("Gather".into(), "step", "success", Some(0), false),
            (
                "Temp drivers".into(),
                "group",
                "skipped-disabled",
                None,
                false
            ),
            (
                "Install VMware Tools".into(),
                "group",
                "skipped-condition",
                None,
                false
            ),
            ("Configure".into(), "group", "success", None, false),
            (
                "  Enable BitLocker (Offline)".into(),
                "step",
                "skipped-condition",
                None,
                false
            ),
            (
                "  Apply Branding".into(),
                "step",
                "skipped-disabled",
                None,
                false
            ),
            ("  Set Power Plan".into(), "step", "success", Some(0), false),
        ]
    );
    let pointers: Vec<Option<u32>> = o.steps.iter().map(|s| s.pointer).collect();
    assert_eq!(
        pointers,
        vec![Some(0), None, Some(4), Some(7), Some(8), None, Some(10)]
    );
    assert!(
        o.steps
            .iter()
            .filter(|s| s.result.is_skipped())
            .all(|s| s.duration_ms == Some(0))
    );
    assert_eq!(o.outcome, Outcome::Completed);
    // A command line run by cscript, with no component of its own: the script.
    assert_eq!(step(&o, "Gather").component.as_deref(), Some("Gather"));
}

#[test]
fn mdt_lite_touch_standalone_run() {
    let (doc, o) = outline_of("mdt.log");
    assert!(o.standalone);
    assert_eq!(
        tree(&o),
        vec![
            ("Initialization".into(), "group", "success", None, false),
            (
                "  Gather local only".into(),
                "step",
                "success",
                Some(0),
                false
            ),
            ("Install".into(), "group", "success", None, false),
            (
                "  Install Operating System".into(),
                "step",
                "success",
                Some(0),
                false
            ),
            ("Restart computer".into(), "step", "success", Some(0), false),
            ("State Restore".into(), "group", "success", None, true),
            (
                "  Windows Update (Pre-Application Installation)".into(),
                "step",
                "success",
                Some(0),
                false
            ),
            (
                "  Install Applications".into(),
                "step",
                "success",
                Some(0),
                false
            ),
        ]
    );
    let components: Vec<Option<&str>> = o.steps.iter().map(|s| s.component.as_deref()).collect();
    assert_eq!(
        components,
        vec![
            None,
            Some("ZTIGather"),
            None,
            Some("LTIApply"),
            Some("Reboot"),
            None,
            Some("ZTIWindowsUpdate"),
            Some("ZTIApplications")
        ]
    );
    let phases: Vec<Phase> = o.phases.iter().map(|p| p.phase).collect();
    assert_eq!(phases, vec![Phase::WinPE, Phase::FullOs]);
    assert!(o.steps.iter().all(|s| s.reboots == 0));
    assert_eq!(o.outcome, Outcome::Completed);
    let apply = step(&o, "Install Operating System");
    assert_eq!(
        apply.duration_ms,
        Some(wall(&doc, apply.last_record) - wall(&doc, apply.first_record))
    );
}

#[test]
fn configmgr_2012_wording() {
    let (_doc, o) = outline_of("cm2012.log");
    assert_eq!(
        tree(&o),
        vec![
            ("Install Windows".into(), "group", "success", None, false),
            (
                "  Partition Disk 0".into(),
                "step",
                "success",
                Some(0),
                false
            ),
            (
                "  Apply Data Image 1".into(),
                "step",
                "skipped-disabled",
                None,
                false
            ),
            (
                "  Apply Operating System".into(),
                "step",
                "success",
                Some(0),
                false
            ),
        ]
    );
    assert_eq!(o.steps[3].pointer, Some(3));
    assert_eq!(o.phases[0].phase, Phase::WinPE);
    assert_eq!(o.phases[0].utc_adjust_minutes, Some(-660));
    // The log stops without an end line.
    assert_eq!(o.outcome, Outcome::Running);
}

#[test]
fn two_runs_for_comparison_differ_where_intended() {
    let (_a, a) = outline_of("compare/a.log");
    let (_b, b) = outline_of("compare/b.log");
    let names = |o: &Outline| o.steps.iter().map(|s| s.name.clone()).collect::<Vec<_>>();
    let only_b: Vec<String> = names(&b)
        .into_iter()
        .filter(|n| !names(&a).contains(n))
        .collect();
    assert_eq!(only_b, vec!["Install Zoom 6.0 (x64)".to_owned()]);
    assert_eq!(
        step(&a, "Install Contoso VPN 7.4.108").result,
        StepResult::Success
    );
    let vpn = step(&b, "Install Contoso VPN 7.4.108");
    assert_eq!(
        (vpn.result, vpn.exit_code),
        (StepResult::FailedContinued, Some(0x8007_0643))
    );
    let teams = |o: &Outline| step(o, "Install Microsoft Teams").duration_ms.unwrap_or(0);
    assert!(
        teams(&a) < 60_000 && teams(&b) > 10 * 60_000,
        "{} {}",
        teams(&a),
        teams(&b)
    );
    assert_eq!(
        (a.outcome.clone(), b.outcome.clone()),
        (Outcome::Completed, Outcome::Completed)
    );
}

fn chain_docs() -> Vec<LogDocument> {
    chain::copies_in_folder(&fixture("chain"))
        .iter()
        .map(|p| open(p))
        .collect()
}

fn relative(doc: &LogDocument) -> String {
    doc.path()
        .strip_prefix(fixture("chain"))
        .expect("inside the chain folder")
        .to_string_lossy()
        .replace('\\', "/")
}

#[test]
fn chain_is_ordered_by_time_and_its_overlap_is_read_once() {
    let docs = chain_docs();
    assert_eq!(docs.len(), 3);
    // Whatever order they come in.
    for reversed in [false, true] {
        let mut refs: Vec<&LogDocument> = docs.iter().collect();
        if reversed {
            refs.reverse();
        }
        let order = chain::order_documents(&refs);
        let names: Vec<String> = order.iter().map(|&i| relative(refs[i])).collect();
        assert_eq!(
            names,
            vec![
                "_SMSTaskSequence/Logs/Smstslog/smsts.log",
                "Windows/CCM/Logs/SMSTSLog/smsts-20261103-093310.log",
                "Windows/CCM/Logs/SMSTSLog/smsts.log",
            ]
        );
    }
    let paths: Vec<PathBuf> = docs.iter().rev().map(|d| d.path().to_owned()).collect();
    let ordered = chain::ordered_paths(&paths, &OpenOptions::default());
    let refs: Vec<&LogDocument> = docs.iter().collect();
    let order = chain::order_documents(&refs);
    assert_eq!(
        ordered,
        order
            .iter()
            .map(|&i| docs[i].path().to_owned())
            .collect::<Vec<_>>()
    );

    // The chain's outline is the whole log's outline.
    let ordered: Vec<&LogDocument> = order.iter().map(|&i| refs[i]).collect();
    let chained = outline_documents(&ordered);
    let (whole_doc, whole) = outline_of("success-reboot.log");
    let strip = |o: &Outline| {
        o.steps
            .iter()
            .map(|s| {
                (
                    s.name.clone(),
                    s.pointer,
                    s.depth,
                    s.result,
                    s.start_wall_ms,
                    s.end_wall_ms,
                    s.duration_ms,
                    s.reboot_before,
                    s.reboots,
                    s.phase,
                )
            })
            .collect::<Vec<_>>()
    };
    assert_eq!(strip(&chained), strip(&whole));
    assert_eq!(chained.outcome, whole.outcome);
    assert_eq!(chained.overlapping_records, ordered[0].record_count());
    assert_eq!(chained.records, whole_doc.record_count());
    // Steps know their file: the last ones come from the live smsts.log.
    assert_eq!(chained.steps.last().map(|s| s.file), Some(2));
    assert_eq!(
        chained.phases.iter().map(|p| p.phase).collect::<Vec<_>>(),
        vec![Phase::WinPE, Phase::FullOs]
    );

    // The merged view hides the same overlap.
    let plan = merge::plan(&ordered, &vec![None; ordered.len()]);
    let merged = merge::merge(&ordered, &plan, &AtomicBool::new(false)).expect("merged");
    let hidden = merge::duplicates(
        &merged.order,
        |row| {
            let (f, r) = merge::unpack(row);
            merge::key_at(ordered[f], &plan.files[f].rule, r)
        },
        |row| {
            let (f, r) = merge::unpack(row);
            let row = ordered[f].row(r).expect("row");
            (row.fields.thread, row.fields.component, row.fields.message)
        },
    );
    assert_eq!(
        hidden.iter().filter(|h| **h).count(),
        ordered[0].record_count()
    );
    assert_eq!(
        hidden.iter().filter(|h| !**h).count(),
        whole_doc.record_count()
    );
}

#[test]
fn rolled_over_names_and_copies_without_times() {
    assert_eq!(
        chain::rollover_stamp("smsts-20191018-102045.log"),
        Some(crate::time::wall_ms(
            crate::time::days_from_civil(2019, 10, 18),
            (10 * 3600 + 20 * 60 + 45) * 1000
        ))
    );
    assert_eq!(chain::rollover_stamp("smsts-20191318-102045.log"), None);
    assert_eq!(chain::rollover_stamp("smsts.log"), None);
    let copy = |name: &str, first: Option<i64>, last: Option<i64>| chain::ChainCopy {
        path: PathBuf::from(name),
        first_wall_ms: first,
        last_wall_ms: last,
    };
    let mut copies = vec![
        copy("smsts.log", None, None),
        copy("smsts-20191018-102045.log", None, None),
        copy("b/smsts.log", Some(5), Some(9)),
        copy("smsts-20191018-090000.log", Some(5), Some(9)),
        copy("a/smsts.log", Some(5), Some(7)),
    ];
    chain::order(&mut copies);
    let names: Vec<String> = copies
        .iter()
        .map(|c| c.path.to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        names,
        vec![
            "a/smsts.log",
            "smsts-20191018-090000.log",
            "b/smsts.log",
            "smsts-20191018-102045.log",
            "smsts.log"
        ]
    );
}

#[test]
fn junk_and_cut_logs_give_an_outline_without_panicking() {
    let dir = tempfile::tempdir().expect("temp dir");
    let junk = dir.path().join("junk.log");
    let bytes: Vec<u8> = (0..20_000u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    std::fs::write(&junk, &bytes).expect("write");
    let o = outline_document(&open(&junk));
    assert!(o.steps.is_empty());
    assert_eq!(o.outcome, Outcome::Running);

    // success-reboot.log cut in the middle of a record inside the full OS part.
    let whole = std::fs::read(fixture("success-reboot.log")).expect("fixture");
    let cut_at = whole.len() * 3 / 4 + 7;
    let cut = dir.path().join("cut.log");
    std::fs::write(&cut, &whole[..cut_at]).expect("write");
    let o = outline_document(&open(&cut));
    assert_eq!(o.outcome, Outcome::Running);
    assert!(o.steps.len() >= 6);
    assert_eq!(o.steps.last().map(|s| s.result), Some(StepResult::Running));
    assert!(
        o.steps
            .iter()
            .all(|s| s.result != StepResult::Running || s.duration_ms.is_none())
    );

    // The failure log given twice: the second copy is all overlap.
    let failure = open(&fixture("failure.log"));
    let twice = outline_documents(&[&failure, &failure]);
    assert_eq!(twice.overlapping_records, failure.record_count());
    assert_eq!(tree(&twice), tree(&outline_document(&failure)));
}

/// A TSManager row at `wall` ms, for driving the builder directly.
fn row(record: usize, wall: i64, message: &str) -> Row {
    let mut fields = crate::formats::RecordFields {
        message: message.to_owned(),
        component: "TSManager".to_owned(),
        thread: "1".to_owned(),
        ..Default::default()
    };
    fields.meta.wall_ms = Some(wall);
    fields.meta.zone = crate::model::ZoneKind::Bias;
    Row {
        record,
        offset: 0,
        fields,
        shortened: false,
    }
}

#[test]
fn end_lines_without_a_read_start_get_their_own_entry() {
    // A copy that begins in the middle of a step, then a step whose end
    // comes after many others started (it is not matched that far back).
    let mut rows = vec![row(
        0,
        1_000,
        "Successfully completed the action (Half Read) with the exit win32 code 0",
    )];
    rows.push(row(
        1,
        2_000,
        "Start executing an instruction. Instruction name: Slow. Instruction pointer: 1",
    ));
    for i in 0..100u32 {
        let wall = 3_000 + i64::from(i);
        rows.push(row(rows.len(), wall, &format!("Start executing an instruction. Instruction name: Quick {i}. Instruction pointer: {}", i + 2)));
        rows.push(row(
            rows.len(),
            wall,
            &format!("Successfully completed the action (Quick {i}) with the exit win32 code 0"),
        ));
    }
    rows.push(row(
        rows.len(),
        9_000,
        "Successfully completed the action (Slow) with the exit win32 code 3010",
    ));
    let o = outline(rows);
    // Half Read, Slow, 100 quick steps, and Slow's end on its own.
    assert_eq!(o.steps.len(), 103);
    let first = &o.steps[0];
    assert_eq!(
        (
            first.name.as_str(),
            first.result,
            first.start_wall_ms,
            first.end_wall_ms
        ),
        ("Half Read", StepResult::Success, None, Some(1_000))
    );
    assert_eq!(first.duration_ms, None);
    // Slow's start is more than RECENT_STEPS entries back: it stays running.
    assert_eq!(o.steps[1].name, "Slow");
    assert_eq!(o.steps[1].result, StepResult::Running);
    let last = o.steps.last().unwrap();
    assert_eq!(
        (last.name.as_str(), last.exit_code, last.pointer),
        ("Slow", Some(3010), None)
    );
    assert!(last.exit_name.is_some());
}

/// "Setup Windows and Configuration Manager" logs its end, asks for a retry
/// and a reboot, and is entered again at the same pointer in the full OS: one
/// step with a reboot marker, its duration without the reboot.
#[test]
fn a_step_that_requested_a_retry_across_the_reboot_stays_one_step() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("resources/samples/smsts.log");
    let doc = open(&path);
    let o = outline_document(&doc);
    let setup: Vec<&Step> = o
        .steps
        .iter()
        .filter(|s| s.name == "Setup Windows and Configuration Manager")
        .collect();
    assert_eq!(setup.len(), 1, "{setup:?}");
    let s = setup[0];
    assert_eq!((s.result, s.exit_code), (StepResult::Success, Some(0)));
    assert!(s.reboot_before);
    assert_eq!(s.reboots, 1);
    assert_eq!(s.phase, Phase::WinPE);
    // Started in WinPE, ended in the full OS; the 6 min 41 s reboot is left out.
    let first = record_with(
        &doc,
        "Start executing an instruction. Instruction name: Setup Windows",
    );
    let end = doc
        .rows(0..doc.record_count(), None)
        .into_iter()
        .rev()
        .find(|r| {
            r.fields
                .message
                .starts_with("Successfully completed the action (Setup Windows")
        })
        .map(|r| r.record)
        .unwrap();
    assert_eq!((s.first_record, s.last_record), (first, end));
    let span = wall(&doc, end) - wall(&doc, first);
    assert_eq!(s.duration_ms, Some(span - (6 * 60 + 41) * 1000));
    // The next step starts after it, in the full OS.
    let next = o
        .steps
        .iter()
        .position(|x| x.name == "Install Software")
        .unwrap();
    assert_eq!(o.steps[next].phase, Phase::FullOs);
}

#[test]
fn a_winpe_copy_that_ends_on_its_reboot_says_where_it_restarted() {
    // The WinPE copy of success-reboot.log: up to `Calling RebootSystem()`.
    let whole = std::fs::read(fixture("success-reboot.log")).expect("fixture");
    let marker = b"Calling RebootSystem()";
    let at = whole
        .windows(marker.len())
        .position(|w| w == marker)
        .expect("the reboot line");
    let end = at
        + whole[at..]
            .iter()
            .position(|&b| b == b'\n')
            .expect("its end")
        + 1;
    let dir = tempfile::tempdir().expect("temp dir");
    let winpe = dir.path().join("smsts.log");
    std::fs::write(&winpe, &whole[..end]).expect("write");
    let o = outline_document(&open(&winpe));
    assert_eq!(o.outcome, Outcome::Running);
    assert_eq!(o.restarted_into, Some(Phase::FullOs));
    assert_eq!(
        o.outcome_text(),
        "restarted into the full OS — continues in the full OS copy of smsts.log"
    );
    // The whole log ran on and completed; a log cut mid-step did not restart.
    assert_eq!(outline_of("success-reboot.log").1.restarted_into, None);
    let cut = dir.path().join("cut.log");
    std::fs::write(&cut, &whole[..at / 2]).expect("write");
    assert_eq!(outline_document(&open(&cut)).restarted_into, None);
}
