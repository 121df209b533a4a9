//! Behaviour of the comparison of two smsts.log runs (tests/data/ts/compare:
//! b.log ran one more step, its VPN step failed and Teams took minutes
//! longer): the library's alignments in the three modes, and the
//! `logweave compare` command's text and JSON Lines.

use std::path::{Path, PathBuf};
use std::process::Command;

use logweave::compare::{self, AlignMode, Comparison, Difference, Mark};
use logweave::document::{LogDocument, OpenOptions};
use logweave::jobs::Job;
use serde_json::{Value, json};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/ts/compare")
        .join(name)
}

fn open(name: &str) -> LogDocument {
    LogDocument::open_blocking(&fixture(name), OpenOptions::default()).expect("fixture opens")
}

fn message(doc: &LogDocument, record: usize) -> String {
    doc.rows(record..record + 1, None)
        .pop()
        .expect("record exists")
        .fields
        .message
}

/// Compares a.log with b.log in a background job, as the window does.
fn compare_fixtures(mode: AlignMode) -> (LogDocument, LogDocument, Comparison) {
    let (a, b) = (open("a.log"), open("b.log"));
    let job = Job::spawn("compare-test", None, move |ctx| {
        let result = compare::compare_documents(&a, &b, mode, ctx);
        (a, b, result)
    });
    let (a, b, result) = job.wait().expect("the job ran");
    (a, b, result.expect("not cancelled"))
}

/// Every record of each side shows once, in order, and the reverse maps
/// point back at it.
fn assert_every_record_once(a: &LogDocument, b: &LogDocument, c: &Comparison) {
    let ra: Vec<usize> = c.rows().iter().filter_map(|r| r.a).collect();
    let rb: Vec<usize> = c.rows().iter().filter_map(|r| r.b).collect();
    assert_eq!(ra, (0..a.record_count()).collect::<Vec<_>>());
    assert_eq!(rb, (0..b.record_count()).collect::<Vec<_>>());
    for record in 0..a.record_count() {
        let row = c.row_of_a(record).expect("A record has a row");
        assert_eq!(c.get(row).and_then(|r| r.a), Some(record));
    }
    for record in 0..b.record_count() {
        let row = c.row_of_b(record).expect("B record has a row");
        assert_eq!(c.get(row).and_then(|r| r.b), Some(record));
    }
}

#[test]
fn by_step_the_same_step_lines_up_and_the_differing_steps_are_named() {
    let (a, b, c) = compare_fixtures(AlignMode::Step);
    assert_every_record_once(&a, &b, &c);
    let summary: Vec<(&str, Vec<Difference>)> = c
        .steps()
        .iter()
        .map(|s| (s.name.as_str(), s.differences.clone()))
        .collect();
    assert_eq!(
        summary,
        vec![
            ("Apps", vec![Difference::Duration]),
            ("Gather", vec![]),
            ("Install 7-Zip 23.01", vec![]),
            (
                "Install Contoso VPN 7.4.108",
                vec![Difference::FailedInOne, Difference::ExitCode]
            ),
            ("Install Zoom 6.0 (x64)", vec![Difference::OnlyInB]),
            ("Install Microsoft Teams", vec![Difference::Duration]),
            ("Apply Branding", vec![]),
        ]
    );
    for step in c.steps() {
        let row = step.row.expect("every step has rows");
        let aligned = c.get(row).expect("row exists");
        // The step's first records sit on its first row, side by side.
        assert_eq!(
            aligned.a,
            step.a.as_ref().map(|s| s.first_record),
            "{}",
            step.name
        );
        assert_eq!(
            aligned.b,
            step.b.as_ref().map(|s| s.first_record),
            "{}",
            step.name
        );
        assert_eq!(c.step_for_row(row).map(|s| &s.name), Some(&step.name));
        if step.differences.is_empty() {
            assert_eq!(aligned.mark, Mark::Same, "{}", step.name);
        } else {
            assert!(c.difference_rows().contains(&row), "{}", step.name);
        }
    }
    let vpn = &c.steps()[3];
    assert_eq!(c.get(vpn.row.unwrap()).unwrap().mark, Mark::Failed);
    assert_eq!(vpn.b.as_ref().and_then(|s| s.exit_code), Some(0x8007_0643));
    let zoom = &c.steps()[4];
    let zoom_row = c.get(zoom.row.unwrap()).unwrap();
    assert_eq!(zoom_row.mark, Mark::OnlyB);
    assert!(message(&b, zoom_row.b.unwrap()).contains("Instruction name: Install Zoom 6.0 (x64)"));
    // Teams starts 21 records later in B and still lines up.
    let teams = &c.steps()[5];
    let (ta, tb) = (
        teams.a.as_ref().unwrap().first_record,
        teams.b.as_ref().unwrap().first_record,
    );
    assert_eq!(tb - ta, 21);
    assert_eq!(c.row_of_a(ta), c.row_of_b(tb));
    // Differences are walked forward and backward.
    let first = c.next_difference(0).expect("a difference");
    let last = *c.difference_rows().last().unwrap();
    assert_eq!(c.previous_difference(first), None);
    assert_eq!(c.next_difference(last + 1), None);
    assert!(c.difference_rows().windows(2).all(|w| w[0] < w[1]));
}

#[test]
fn by_message_a_diff_of_the_whole_files() {
    let (a, b, c) = compare_fixtures(AlignMode::Message);
    assert_every_record_once(&a, &b, &c);
    assert!(c.steps().is_empty());
    let (na, nb) = (a.record_count(), b.record_count());
    assert!(
        c.len() >= na.max(nb) && c.len() < na + nb,
        "{} rows",
        c.len()
    );
    // Equal rows read the same once times, numbers and paths are masked.
    for row in c.rows().iter().filter(|r| r.mark == Mark::Same) {
        let (x, y) = (row.a.unwrap(), row.b.unwrap());
        assert_eq!(
            compare::normalise(&message(&a, x)),
            compare::normalise(&message(&b, y))
        );
    }
    // The installer's result: the same words, an error in B.
    let changed = c
        .rows()
        .iter()
        .find(|r| r.mark == Mark::Changed && r.a.is_some() && r.b.is_some())
        .expect("a changed row");
    assert!(message(&b, changed.b.unwrap()).contains("0x80070643"));
    // Zoom's records are B's alone.
    let zoom_start = (0..nb)
        .find(|&r| message(&b, r).contains("Instruction name: Install Zoom"))
        .unwrap();
    let row = c.row_of_b(zoom_start).unwrap();
    assert_eq!(c.get(row).unwrap().a, None);
}

#[test]
fn by_time_records_keep_their_order_and_pair_at_the_same_elapsed_time() {
    let (a, b, c) = compare_fixtures(AlignMode::Time);
    assert_every_record_once(&a, &b, &c);
    let paired = c
        .rows()
        .iter()
        .filter(|r| r.a.is_some() && r.b.is_some())
        .count();
    // Both runs log the same first minutes at the same pace.
    assert!(paired > 50, "{paired} rows paired");
    // B's failure (an error only B logged) is marked.
    assert!(
        c.rows()
            .iter()
            .any(|r| r.mark == Mark::Failed && r.a.is_none())
    );
}

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn run(args: &[&str]) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_logweave"))
        .arg("compare")
        .args(args)
        .output()
        .expect("run logweave");
    let run = Run {
        code: out.status.code().expect("exited normally"),
        stdout: String::from_utf8(out.stdout).expect("stdout is UTF-8"),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    };
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    run
}

fn fixture_args() -> [String; 2] {
    ["a.log", "b.log"].map(|n| fixture(n).to_string_lossy().into_owned())
}

#[test]
fn cli_json_has_one_object_per_aligned_step() {
    let [a, b] = fixture_args();
    let out = run(&["--json", &a, &b]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let lines: Vec<Value> = out
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).expect("a JSON object a line"))
        .collect();
    assert_eq!(lines.len(), 7);
    for line in &lines {
        let keys: Vec<&str> = line
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(keys.len(), 6, "{line}");
        for key in ["name", "depth", "kind", "a", "b", "differences"] {
            assert!(keys.contains(&key), "{key} in {line}");
        }
    }
    assert_eq!(
        lines[3],
        json!({
            "name": "Install Contoso VPN 7.4.108",
            "depth": 1,
            "kind": "step",
            "a": {"result": "success", "duration_ms": 59985, "exit_code": 0, "first_record": 60},
            "b": {"result": "failed-continued", "duration_ms": 59985, "exit_code": 2147944003u32, "first_record": 60},
            "differences": ["failed-in-one", "exit-code"],
        })
    );
    assert_eq!(lines[4]["a"], Value::Null);
    assert_eq!(lines[4]["differences"], json!(["only-in-b"]));
    assert_eq!(lines[5]["differences"], json!(["duration"]));
}

#[test]
fn cli_text_shows_the_summary_and_by_message_the_differing_rows() {
    let [a, b] = fixture_args();
    let out = run(&[&a, &b]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stdout.contains("7 steps, 4 with differences"),
        "{}",
        out.stdout
    );
    let zoom = out
        .stdout
        .lines()
        .find(|l| l.contains("Install Zoom 6.0 (x64)"))
        .unwrap();
    assert!(zoom.ends_with("only-in-b"), "{zoom}");
    assert!(zoom.contains("  -  "), "{zoom}");
    let out = run(&["--by", "message", &a, &b]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stdout.contains("7 steps, 4 with differences"));
    let listing: Vec<&str> = out
        .stdout
        .lines()
        .skip_while(|l| !l.starts_with("By message: "))
        .collect();
    assert!(listing.len() > 1, "{}", out.stdout);
    assert!(
        listing
            .iter()
            .any(|l| l.starts_with("> row ") && l.contains("Install Zoom 6.0 (x64)")),
        "{listing:?}"
    );
    // JSON by message: the steps, then the differing rows.
    let out = run(&["--json", "--by", "message", &a, &b]);
    let rows: Vec<Value> = out
        .stdout
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).unwrap())
        .filter(|v| v.get("mark").is_some())
        .collect();
    assert!(!rows.is_empty());
    assert!(
        rows.iter()
            .all(|r| r["mark"] != "same" && r["row"].is_u64())
    );
}

#[test]
fn cli_reports_bad_arguments_and_unreadable_files() {
    let [a, b] = fixture_args();
    assert_eq!(run(&["--by", "lines", &a, &b]).code, 2);
    assert_eq!(run(&[&a]).code, 2);
    let out = run(&[&a, "/nonexistent/smsts.log"]);
    assert_eq!(out.code, 1);
    assert!(
        out.stderr.contains("/nonexistent/smsts.log"),
        "{}",
        out.stderr
    );
    assert!(out.stdout.is_empty());
}
