//! Unit tests of the comparison: normalising, the message diff (exact,
//! anchors, Myers, the budget, a million records, cancelling, progress),
//! time and step alignment and the summary's rules. Test code only: nothing
//! outside `cfg(test)` may use it.

use std::ops::Range;

use super::control::Control;
use super::message::{match_range, myers, rows_from_pairs};
use super::*;
use crate::jobs::Job;
use crate::model::Severity;
use crate::tasksequence::{Outcome, Outline, Phase, Step, StepKind, StepResult};
use proptest::prelude::*;

#[test]
fn normalising_masks_what_differs_between_runs() {
    assert_eq!(
        normalise(
            "Successfully completed the action (Apply Operating System) with the exit win32 code 0"
        ),
        "Successfully completed the action (Apply Operating System) with the exit win32 code #"
    );
    assert_eq!(
        normalise("Set a global environment variable _SMSTSLogPath=X:\\WINDOWS\\TEMP\\SMSTSLog"),
        normalise(
            "Set a global environment variable _SMSTSLogPath=C:\\WINDOWS\\CCM\\Logs\\SMSTSLog"
        )
    );
    assert_eq!(
        normalise(
            "Package {6F0F7B8E-2B8A-4F4B-9D2D-2C1B7E9A0F11} size 1234 bytes, error 0x80070002"
        ),
        "Package {#} size # bytes, error #"
    );
    assert_eq!(
        normalise("Downloading \\\\CM01\\SMSPKGD$\\P0100012\\setup.exe to cache"),
        "Downloading <path> to cache"
    );
    assert_eq!(
        normalise("Reboot at 11-24-2026 15:04:05.123 (thread 1234, 80070643)"),
        "Reboot at # #:#:#.# (thread #, #)"
    );
    // Words with hex letters stay words; so do words with digits inside.
    assert_eq!(
        normalise("Deadline added to cache"),
        "Deadline added to cache"
    );
    assert_eq!(normalise("Win32 x64 ABC"), "Win32 x64 ABC");
    assert_eq!(normalise("line one\r\nline 2"), "line one");
    assert_eq!(normalise("Größe 12 äöü"), "Größe # äöü");
    assert_eq!(normalise(""), "");
}

fn naive_lcs_len(a: &[u64], b: &[u64]) -> usize {
    let mut t = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for i in (0..a.len()).rev() {
        for j in (0..b.len()).rev() {
            t[i][j] = if a[i] == b[j] {
                t[i + 1][j + 1] + 1
            } else {
                t[i + 1][j].max(t[i][j + 1])
            };
        }
    }
    t[0][0]
}

/// Pairs increase on both sides and join equal keys.
fn assert_valid_pairs(a: &[u64], b: &[u64], pairs: &[(usize, usize)]) {
    for w in pairs.windows(2) {
        assert!(w[0].0 < w[1].0 && w[0].1 < w[1].1, "{w:?}");
    }
    for &(i, j) in pairs {
        assert_eq!(a[i], b[j], "pair ({i}, {j})");
    }
}

fn digests(keys: &[u64]) -> Vec<RecordDigest> {
    keys.iter()
        .map(|&key| RecordDigest {
            key,
            wall_ms: None,
            severity: Severity::Info,
        })
        .collect()
}

proptest! {
    /// On inputs small enough for the exact diff, the matching is a
    /// longest common subsequence, and the rows show every record once,
    /// in order, with reverse maps pointing back at them.
    #[test]
    fn matching_is_a_longest_common_subsequence(
        a in proptest::collection::vec(0u64..6, 0..40),
        b in proptest::collection::vec(0u64..6, 0..40),
    ) {
        let pairs = matching_pairs(&a, &b);
        prop_assert_eq!(pairs.len(), naive_lcs_len(&a, &b));
        assert_valid_pairs(&a, &b, &pairs);
        let comparison = align_by_message(&digests(&a), &digests(&b), None).unwrap();
        let ra: Vec<usize> = comparison.rows().iter().filter_map(|r| r.a).collect();
        let rb: Vec<usize> = comparison.rows().iter().filter_map(|r| r.b).collect();
        prop_assert_eq!(ra, (0..a.len()).collect::<Vec<_>>());
        prop_assert_eq!(rb, (0..b.len()).collect::<Vec<_>>());
        let same = comparison.rows().iter().filter(|r| r.mark == Mark::Same).count();
        prop_assert_eq!(same, pairs.len());
        for record in 0..a.len() {
            let row = comparison.row_of_a(record).unwrap();
            prop_assert_eq!(comparison.get(row).unwrap().a, Some(record));
        }
        for record in 0..b.len() {
            let row = comparison.row_of_b(record).unwrap();
            prop_assert_eq!(comparison.get(row).unwrap().b, Some(record));
        }
        prop_assert_eq!(comparison.row_of_a(a.len()), None);
    }

    /// Myers' diff finds a longest common subsequence too.
    #[test]
    fn myers_is_a_longest_common_subsequence(
        a in proptest::collection::vec(0u64..5, 1..60),
        b in proptest::collection::vec(0u64..5, 1..60),
    ) {
        let mut control = Control::new(None);
        let pairs = myers(&a, &b, &mut control).unwrap().unwrap();
        prop_assert_eq!(pairs.len(), naive_lcs_len(&a, &b));
        assert_valid_pairs(&a, &b, &pairs);
    }
}

#[test]
fn unique_anchors_keep_a_long_diff_in_order() {
    // Too big for the exact table: anchors and gaps.
    let a: Vec<u64> = (0..3000).collect();
    let mut b: Vec<u64> = (0..3000).filter(|x| x % 100 != 7).collect();
    b.insert(1500, 99_999);
    let pairs = matching_pairs(&a, &b);
    assert_eq!(pairs.len(), 3000 - 30);
    assert_valid_pairs(&a, &b, &pairs);
}

#[test]
fn a_large_gap_without_unique_lines_is_diffed_by_myers() {
    // 40,000 records of two alternating lines: no anchors, and far too
    // many cells for the table; B lost two records and gained one.
    let a: Vec<u64> = (0..40_000).map(|i| i % 2).collect();
    let mut b = a.clone();
    b.remove(30_001);
    b.remove(10_000);
    b.insert(20_000, 7);
    let pairs = matching_pairs(&a, &b);
    assert_eq!(pairs.len(), 40_000 - 2);
    assert_valid_pairs(&a, &b, &pairs);
}

#[test]
fn past_the_budget_a_gap_is_paired_by_position() {
    let a: Vec<u64> = (0..5000).map(|i| i % 3).collect();
    // Every other record as in A, the others new; a new last record.
    let mut b: Vec<u64> = (0..4000)
        .map(|k| if k % 2 == 0 { a[k] } else { 5 })
        .collect();
    b.push(99);
    let mut control = Control::new(None);
    control.budget = 0;
    let mut pairs = Vec::new();
    match_range(&a, &b, 0, 0, &mut pairs, 0, &mut control).unwrap();
    assert_valid_pairs(&a, &b, &pairs);
    let expected: Vec<(usize, usize)> = (0..4000).step_by(2).map(|k| (k, k)).collect();
    assert_eq!(pairs, expected);
    // Every record still gets its row.
    let rows = rows_from_pairs(&pairs, a.len(), b.len(), 0, 0);
    assert_eq!(rows.len(), 5000);
    assert_eq!(rows.iter().filter(|r| r.a.is_some()).count(), 5000);
    assert_eq!(rows.iter().filter(|r| r.b.is_some()).count(), 4001);
}

#[test]
fn a_million_records_a_side_line_up() {
    // Mostly unique lines with runs of repeated ones, a few edits.
    let n = 1_000_000u64;
    let a: Vec<u64> = (0..n)
        .map(|i| if i % 10 < 3 { i % 10 } else { 1000 + i })
        .collect();
    let mut b: Vec<u64> = a.iter().copied().filter(|&k| k % 250_000 != 1007).collect();
    b.insert(500_000, 42);
    let started = std::time::Instant::now();
    let pairs = matching_pairs(&a, &b);
    assert_valid_pairs(&a, &b, &pairs);
    assert_eq!(pairs.len(), b.len() - 1);
    // Generous for an unoptimised build on a busy machine.
    assert!(started.elapsed().as_secs() < 60, "{:?}", started.elapsed());
}

#[test]
fn alignment_stops_when_cancelled() {
    let keys: Vec<u64> = (0..50_000).collect();
    let (a, b) = (digests(&keys), digests(&keys[1..]));
    let job = Job::spawn("compare-cancel-test", None, move |ctx| {
        while !ctx.cancelled() {
            std::thread::yield_now();
        }
        align_by_message(&a, &b, Some(ctx))
    });
    job.cancel();
    assert_eq!(job.wait(), Ok(Err(Cancelled)));
}

#[test]
fn alignment_reports_progress_for_every_record() {
    let a = digests(&(0..70_000).collect::<Vec<_>>());
    let b = digests(&(5..70_000).collect::<Vec<_>>());
    let job = Job::spawn("compare-progress-test", None, move |ctx| {
        ctx.set_total((a.len() + b.len()) as u64);
        align_by_message(&a, &b, Some(ctx)).map(|c| c.len())
    });
    while !job.is_finished() {
        std::thread::yield_now();
    }
    assert_eq!(job.progress(), 1.0);
    assert_eq!(job.wait(), Ok(Ok(70_000)));
}

fn digest(key: u64, wall_ms: Option<i64>, severity: Severity) -> RecordDigest {
    RecordDigest {
        key,
        wall_ms,
        severity,
    }
}

fn shape(c: &Comparison) -> Vec<(Option<usize>, Option<usize>, Mark)> {
    c.rows().iter().map(|r| (r.a, r.b, r.mark)).collect()
}

#[test]
fn time_alignment_pairs_the_same_record_at_the_same_elapsed_time() {
    let a = [
        digest(1, Some(1_000), Severity::Info),
        digest(2, Some(3_000), Severity::Info),
        digest(3, None, Severity::Info),
        digest(4, Some(9_000), Severity::Error),
    ];
    // B started a day later; its second record came 5 s in.
    let day = 86_400_000;
    let b = [
        digest(1, Some(day + 500), Severity::Info),
        digest(2, Some(day + 5_500), Severity::Info),
    ];
    let c = align_by_time(&a, &b, None).unwrap();
    assert_eq!(
        shape(&c),
        vec![
            (Some(0), Some(0), Mark::Same),
            (Some(1), None, Mark::Same),
            // Without a time: right after its predecessor.
            (Some(2), None, Mark::Same),
            (None, Some(1), Mark::Same),
            (Some(3), None, Mark::Failed),
        ]
    );
    assert_eq!(c.difference_rows(), &[4]);
    assert_eq!(c.row_of_b(1), Some(3));
}

#[test]
fn the_same_words_with_another_severity_differ() {
    let a = [
        digest(1, None, Severity::Info),
        digest(2, None, Severity::Info),
    ];
    let b = [
        digest(1, None, Severity::Info),
        digest(2, None, Severity::Error),
    ];
    let marks: Vec<Mark> = align_by_message(&a, &b, None)
        .unwrap()
        .rows()
        .iter()
        .map(|r| r.mark)
        .collect();
    assert_eq!(marks, vec![Mark::Same, Mark::Changed]);
}

#[test]
fn step_differences_follow_the_rules() {
    let s = |result, code, ms| StepSide {
        result,
        exit_code: code,
        duration_ms: Some(ms),
        first_record: 0,
    };
    let ok = s(StepResult::Success, Some(0), 30_000);
    assert!(step_differences(Some(&ok), Some(&ok)).is_empty());
    assert_eq!(step_differences(Some(&ok), None), vec![Difference::OnlyInA]);
    assert_eq!(step_differences(None, Some(&ok)), vec![Difference::OnlyInB]);
    let failed = s(StepResult::FailedContinued, Some(0x8007_0643), 31_000);
    assert_eq!(
        step_differences(Some(&ok), Some(&failed)),
        vec![Difference::FailedInOne, Difference::ExitCode]
    );
    let skipped = StepSide {
        result: StepResult::SkippedCondition,
        exit_code: None,
        duration_ms: None,
        first_record: 0,
    };
    assert_eq!(
        step_differences(Some(&ok), Some(&skipped)),
        vec![Difference::SkippedInB]
    );
    assert_eq!(
        step_differences(Some(&skipped), Some(&ok)),
        vec![Difference::SkippedInA]
    );
    assert_eq!(Difference::SkippedInB.label(), "ran in A, skipped in B");
    assert!(step_differences(Some(&skipped), Some(&skipped)).is_empty());
    let slow = s(StepResult::Success, Some(0), 12 * 60_000);
    assert_eq!(
        step_differences(Some(&ok), Some(&slow)),
        vec![Difference::Duration]
    );
    // Short steps: a few seconds more is not a difference …
    assert!(!large_duration_difference(2_000, 9_000));
    // … twice as long is, once both are over 10 s …
    assert!(large_duration_difference(11_000, 22_001));
    assert!(!large_duration_difference(11_000, 22_000));
    // … and so is more than 5 minutes, however short the other one.
    assert!(large_duration_difference(1_000, 302_000));
    assert!(!large_duration_difference(600_000, 890_000));
}

#[test]
fn differences_are_found_forward_and_backward() {
    let row = |mark| AlignedRow {
        a: Some(0),
        b: Some(0),
        mark,
    };
    let c = Comparison::new(
        vec![
            row(Mark::Same),
            row(Mark::OnlyA),
            row(Mark::OnlyA),
            row(Mark::Same),
            row(Mark::Failed),
        ],
        Vec::new(),
    );
    assert_eq!(c.difference_count(), 2);
    assert_eq!(c.difference_rows(), &[1, 4]);
    assert_eq!(c.next_difference(0), Some(1));
    assert_eq!(c.next_difference(2), Some(4));
    assert_eq!(c.next_difference(5), None);
    assert_eq!(c.previous_difference(4), Some(1));
    assert_eq!(c.previous_difference(1), None);
}

/// A step of a hand-built outline.
fn step(
    name: &str,
    pointer: u32,
    depth: usize,
    kind: StepKind,
    records: Range<usize>,
    (result, exit_code, duration_ms): (StepResult, u32, i64),
) -> Step {
    Step {
        name: name.to_owned(),
        pointer: Some(pointer),
        depth,
        kind,
        start_wall_ms: None,
        start_utc_ms: None,
        end_wall_ms: None,
        end_utc_ms: None,
        duration_ms: Some(duration_ms),
        result,
        exit_code: Some(exit_code),
        exit_name: None,
        exit_meaning: None,
        component: None,
        reboot_before: false,
        reboots: 0,
        phase: Phase::Unknown,
        boot: 0,
        file: 0,
        first_record: records.start,
        last_file: 0,
        last_record: records.end - 1,
    }
}

fn outline(steps: Vec<Step>, records: usize) -> Outline {
    Outline {
        steps,
        outcome: Outcome::Completed,
        phases: Vec::new(),
        name: None,
        standalone: false,
        platform: crate::tasksequence::Platform::Unknown,
        table_size: None,
        overlapping_records: 0,
        records,
        restarted_into: None,
    }
}

use StepKind::{Group, Step as Action};
use StepResult::{FailedContinued, Success};

/// Run A: a group with two applications; run B installed one more
/// application (a step only B has) and the VPN client failed there.
fn two_runs() -> (Outline, Outline, Vec<RecordDigest>, Vec<RecordDigest>) {
    let a = outline(
        vec![
            step(
                "Install Applications",
                0,
                0,
                Group,
                2..3,
                (Success, 0, 90_000),
            ),
            step("Install VPN", 1, 1, Action, 3..6, (Success, 0, 40_000)),
            step("Install Office", 2, 1, Action, 6..9, (Success, 0, 50_000)),
        ],
        11,
    );
    let b = outline(
        vec![
            step(
                "Install Applications",
                0,
                0,
                Group,
                2..3,
                (Success, 0, 95_000),
            ),
            step(
                "Install VPN",
                1,
                1,
                Action,
                3..7,
                (FailedContinued, 1603, 41_000),
            ),
            step("Install Zoom", 2, 1, Action, 7..9, (Success, 0, 20_000)),
            step("Install Office", 3, 1, Action, 9..12, (Success, 0, 50_000)),
        ],
        14,
    );
    // Keys: 1xx engine lines, 2xx VPN, 3xx Office, 4xx Zoom, 9xx the end.
    let da = digests(&[100, 101, 102, 200, 201, 202, 300, 301, 302, 900, 901]);
    let db = digests(&[
        100, 101, 102, 200, 201, 203, 202, 400, 401, 300, 301, 302, 900, 901,
    ]);
    (a, b, da, db)
}

#[test]
fn step_alignment_lines_up_two_runs_that_differ_in_one_step() {
    let (oa, ob, da, db) = two_runs();
    let c = align_by_step(&oa, &ob, &da, &db, None).unwrap();
    use Mark::{Changed, Failed, OnlyB, Same};
    assert_eq!(
        shape(&c),
        vec![
            (Some(0), Some(0), Same),
            (Some(1), Some(1), Same),
            // The group: same result, durations close.
            (Some(2), Some(2), Same),
            // The VPN step failed in B: its first row says so; B logged one more line.
            (Some(3), Some(3), Failed),
            (Some(4), Some(4), Same),
            (None, Some(5), OnlyB),
            (Some(5), Some(6), Same),
            // Zoom only in B.
            (None, Some(7), OnlyB),
            (None, Some(8), OnlyB),
            // Office lines up again although its pointer moved.
            (Some(6), Some(9), Same),
            (Some(7), Some(10), Same),
            (Some(8), Some(11), Same),
            // After the last step.
            (Some(9), Some(12), Same),
            (Some(10), Some(13), Same),
        ]
    );
    let names: Vec<(&str, Vec<Difference>, Option<usize>)> = c
        .steps()
        .iter()
        .map(|s| (s.name.as_str(), s.differences.clone(), s.row))
        .collect();
    assert_eq!(
        names,
        vec![
            ("Install Applications", vec![], Some(2)),
            (
                "Install VPN",
                vec![Difference::FailedInOne, Difference::ExitCode],
                Some(3)
            ),
            ("Install Zoom", vec![Difference::OnlyInB], Some(7)),
            ("Install Office", vec![], Some(9)),
        ]
    );
    let office = &c.steps()[3];
    assert_eq!(office.a.as_ref().map(|s| s.first_record), Some(6));
    assert_eq!(office.b.as_ref().map(|s| s.first_record), Some(9));
    assert_eq!(c.difference_rows(), &[3, 5, 7]);
    assert_eq!(
        c.step_for_row(8).map(|s| s.name.as_str()),
        Some("Install Zoom")
    );
    assert_eq!(c.step_for_row(1), None);
    assert_eq!(
        c.step_for_row(11).map(|s| s.name.as_str()),
        Some("Install Office")
    );
    assert_eq!(c.step_for_row(12), None);
    assert_eq!(c.row_of_b(9), Some(9));
    assert_eq!(c.row_of_a(6), Some(9));
    // The summary without documents matches the same steps.
    let summary = summarise_steps(&oa, &ob);
    let expected: Vec<StepPair> = c
        .steps()
        .iter()
        .cloned()
        .map(|mut s| {
            s.row = None;
            s
        })
        .collect();
    assert_eq!(summary, expected);
    let changed = c.rows().iter().filter(|r| r.mark == Changed).count();
    assert_eq!(changed, 0);
}

#[test]
fn a_step_entered_twice_matches_the_run_with_the_same_pointer() {
    let a = outline(
        vec![
            step("Restart Computer", 4, 0, Action, 0..1, (Success, 0, 1_000)),
            step("Restart Computer", 9, 0, Action, 1..2, (Success, 0, 1_000)),
        ],
        2,
    );
    let b = outline(
        vec![step(
            "Restart Computer",
            9,
            0,
            Action,
            0..1,
            (Success, 0, 1_000),
        )],
        1,
    );
    let summary = summarise_steps(&a, &b);
    let sides: Vec<(bool, bool)> = summary
        .iter()
        .map(|s| (s.a.is_some(), s.b.is_some()))
        .collect();
    assert_eq!(sides, vec![(true, false), (true, true)]);
}

#[test]
fn logs_without_steps_are_diffed_by_message() {
    let empty = outline(Vec::new(), 0);
    let (a, b) = (digests(&[1, 2, 3]), digests(&[1, 3]));
    let c = align_by_step(&empty, &empty, &a, &b, None).unwrap();
    assert_eq!(
        shape(&c),
        vec![
            (Some(0), Some(0), Mark::Same),
            (Some(1), None, Mark::OnlyA),
            (Some(2), Some(1), Mark::Same),
        ]
    );
    assert!(c.steps().is_empty());
    // Steps pointing past the digests (a file that shrank) are left out.
    let (oa, ob, _, _) = two_runs();
    let c = align_by_step(&oa, &ob, &a, &b, None).unwrap();
    assert_eq!(c.rows().iter().filter(|r| r.a.is_some()).count(), 3);
    assert_eq!(c.rows().iter().filter(|r| r.b.is_some()).count(), 2);
}

#[test]
fn modes_have_names() {
    for mode in [AlignMode::Step, AlignMode::Time, AlignMode::Message] {
        assert_eq!(AlignMode::from_name(mode.name()), Some(mode));
    }
    assert_eq!(AlignMode::from_name("lines"), None);
}
