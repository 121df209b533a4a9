//! Behaviour of `logweave outline`: the JSON Lines contract (keys and
//! values) and the text tree on the task-sequence fixtures in tests/data/ts,
//! several copies read as one chain, unreadable files, and the real smsts
//! logs in ../shared/real-logs when present.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::{Value, json};

fn ts(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/ts")
        .join(name)
}

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn run(args: &[&Path], json: bool) -> Run {
    let mut command = Command::new(env!("CARGO_BIN_EXE_logweave"));
    command.arg("outline");
    if json {
        command.arg("--json");
    }
    let out = command.args(args).output().expect("run logweave");
    let run = Run {
        code: out.status.code().expect("exited normally, not by a signal"),
        stdout: String::from_utf8(out.stdout).expect("stdout is UTF-8"),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    };
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    run
}

/// The JSON objects printed, the outcome last.
fn json_lines(args: &[&Path]) -> (Vec<Value>, Value) {
    let r = run(args, true);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let mut lines: Vec<Value> = r
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).expect("one JSON object a line"))
        .collect();
    let outcome = lines.pop().expect("an outcome line");
    (lines, outcome)
}

fn by_name<'a>(steps: &'a [Value], name: &str) -> &'a Value {
    steps
        .iter()
        .find(|s| s["name"] == name)
        .unwrap_or_else(|| panic!("no step {name}"))
}

const STEP_KEYS: [&str; 12] = [
    "name",
    "pointer",
    "depth",
    "kind",
    "start_utc",
    "end_utc",
    "duration_ms",
    "result",
    "exit_code",
    "reboot_before",
    "first_record",
    "file",
];

#[test]
fn json_keys_and_values_of_a_failed_run() {
    let path = ts("failure.log");
    let (steps, outcome) = json_lines(&[&path]);
    let want_keys: BTreeSet<&str> = STEP_KEYS.into_iter().collect();
    for step in &steps {
        let keys: BTreeSet<&str> = step
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(keys, want_keys, "{step}");
        assert_eq!(step["file"], path.to_string_lossy().as_ref());
    }
    assert_eq!(
        by_name(&steps, "Install Contoso VPN 7.4.108"),
        &json!({
            "name": "Install Contoso VPN 7.4.108",
            "pointer": 1,
            "depth": 1,
            "kind": "step",
            "start_utc": "2026-10-14T18:10:10.030Z",
            "end_utc": "2026-10-14T18:12:10.000Z",
            "duration_ms": 119_970,
            "result": "failed-continued",
            "exit_code": 0x8007_0643u32,
            "reboot_before": false,
            "first_record": 19,
            "file": path.to_string_lossy(),
        })
    );
    let results: Vec<(&str, &str, Value)> = steps
        .iter()
        .map(|s| {
            (
                s["name"].as_str().unwrap(),
                s["result"].as_str().unwrap(),
                s["exit_code"].clone(),
            )
        })
        .collect();
    assert_eq!(
        results,
        vec![
            ("Applications", "failed", json!(0x8000_4004u32)),
            (
                "Install Contoso VPN 7.4.108",
                "failed-continued",
                json!(0x8007_0643u32)
            ),
            ("Install Notepad++ 8.6 (x64)", "success", json!(0)),
            (
                "Run PowerShell Script - Configure Firewall",
                "failed",
                json!(1)
            ),
        ]
    );
    assert_eq!(
        outcome,
        json!({"outcome": "failed", "failed_step": "Run PowerShell Script - Configure Firewall", "exit_code": 1, "platform": "configmgr"})
    );
}

#[test]
fn json_of_a_completed_run_with_a_reboot() {
    let (steps, outcome) = json_lines(&[&ts("success-reboot.log")]);
    assert_eq!(
        outcome,
        json!({"outcome": "completed", "platform": "configmgr"})
    );
    assert_eq!(steps.len(), 10);
    let setup = by_name(&steps, "Setup Windows and Configuration Manager");
    assert_eq!(setup["reboot_before"], true);
    assert_eq!(setup["pointer"], 5);
    // 09:24:00 to 09:33:00 as written, less the 6 min 30 s reboot.
    let duration = setup["duration_ms"].as_i64().unwrap();
    assert!((149_000..151_000).contains(&duration), "{duration}");
    // WinPE records at their own +480 bias, full-OS records at -60.
    assert_eq!(
        by_name(&steps, "Partition Disk 0 - UEFI")["start_utc"],
        "2026-11-03T17:00:05.030Z"
    );
    assert_eq!(
        by_name(&steps, "Copy Logs")["end_utc"],
        "2026-11-03T08:46:30.000Z"
    );
    let groups: Vec<&str> = steps
        .iter()
        .filter(|s| s["kind"] == "group")
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert_eq!(groups, vec!["Install Operating System", "Install Software"]);
}

#[test]
fn json_of_skipped_and_unfinished_runs() {
    let (steps, outcome) = json_lines(&[&ts("skipped.log")]);
    assert_eq!(
        outcome,
        json!({"outcome": "completed", "platform": "configmgr"})
    );
    let disabled = by_name(&steps, "Temp drivers");
    assert_eq!(
        (
            &disabled["result"],
            &disabled["pointer"],
            &disabled["exit_code"]
        ),
        (&json!("skipped-disabled"), &Value::Null, &Value::Null)
    );
    assert_eq!(
        by_name(&steps, "Enable BitLocker (Offline)")["result"],
        "skipped-condition"
    );
    let (_, outcome) = json_lines(&[&ts("cm2012.log")]);
    assert_eq!(
        outcome,
        json!({"outcome": "running", "platform": "configmgr"})
    );
}

#[test]
fn copies_are_one_chain_in_time_order_whatever_the_order_given() {
    let live = ts("chain/Windows/CCM/Logs/SMSTSLog/smsts.log");
    let rolled = ts("chain/Windows/CCM/Logs/SMSTSLog/smsts-20261103-093310.log");
    let disk = ts("chain/_SMSTaskSequence/Logs/Smstslog/smsts.log");
    let (steps, outcome) = json_lines(&[&live, &rolled, &disk]);
    let (whole, whole_outcome) = json_lines(&[&ts("success-reboot.log")]);
    assert_eq!(outcome, whole_outcome);
    let fields = |s: &Value| {
        (
            s["name"].clone(),
            s["start_utc"].clone(),
            s["duration_ms"].clone(),
            s["result"].clone(),
        )
    };
    assert_eq!(
        steps.iter().map(fields).collect::<Vec<_>>(),
        whole.iter().map(fields).collect::<Vec<_>>()
    );
    // Each step names the copy it was read from.
    assert_eq!(steps[0]["file"], disk.to_string_lossy().as_ref());
    assert_eq!(
        by_name(&steps, "Copy Logs")["file"],
        live.to_string_lossy().as_ref()
    );
    assert_eq!(
        by_name(&steps, "Copy Logs")["first_record"],
        by_name(&whole, "Copy Logs")["first_record"]
            .as_u64()
            .unwrap()
            - rolled_records(&rolled)
    );

    let text = run(&[&live, &rolled, &disk], false);
    assert!(
        text.stdout
            .contains("records repeated in later copies left out"),
        "{}",
        text.stdout
    );
    let files: Vec<&str> = text
        .stdout
        .lines()
        .filter(|l| l.starts_with("  file "))
        .collect();
    assert_eq!(files.len(), 3);
    assert!(
        files[0].ends_with("Smstslog/smsts.log") && files[2].ends_with("SMSTSLog/smsts.log"),
        "{files:?}"
    );
}

/// Records in the rolled-over copy (where the live copy's numbering starts).
fn rolled_records(path: &Path) -> u64 {
    let text = fs::read_to_string(path).unwrap();
    text.matches("<![LOG[").count() as u64
}

#[test]
fn text_tree_for_people() {
    let r = run(&[&ts("success-reboot.log")], false);
    assert_eq!(r.code, 0);
    let lines: Vec<&str> = r.stdout.lines().collect();
    assert_eq!(
        lines[0],
        "Task sequence: Windows 11 Enterprise 24H2 (ConfigMgr)"
    );
    assert_eq!(lines[1], "-- boot 1: WinPE");
    assert!(lines.contains(&"-- boot 2: full OS"), "{}", r.stdout);
    assert!(
        lines.iter().any(|l| l
            .starts_with("  [reboot] Setup Windows and Configuration Manager  success  2m 2")
            && l.contains("(1 reboot inside)")),
        "{}",
        r.stdout
    );
    assert_eq!(lines.last(), Some(&"Outcome: completed"));

    let r = run(&[&ts("failure.log")], false);
    assert!(
        r.stdout.lines().any(|l| l.starts_with("  Install Contoso VPN 7.4.108  failed-continued  1m 59s  exit 0x80070643 ERROR_INSTALL_FAILURE")),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout.lines().last().unwrap().starts_with("Outcome: failed at step \"Run PowerShell Script - Configure Firewall\" with code 1 (ERROR_INVALID_FUNCTION"),
        "{}",
        r.stdout
    );
    let r = run(&[&ts("mdt.log")], false);
    assert!(
        r.stdout
            .starts_with("Task sequence (MDT Lite Touch, standalone)\n"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout.contains("  Gather local only  success"),
        "{}",
        r.stdout
    );
}

#[test]
fn unreadable_files_are_reported_and_the_rest_outlined() {
    let missing = ts("no-such-smsts.log");
    let r = run(&[&missing, &ts("skipped.log")], true);
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("no-such-smsts.log"), "{}", r.stderr);
    assert_eq!(
        r.stdout.lines().last(),
        Some(r#"{"outcome":"completed","platform":"configmgr"}"#)
    );
    // A file that is no log at all gives an empty, running outline.
    let dir = tempfile::tempdir().unwrap();
    let junk = dir.path().join("smsts.log");
    fs::write(
        &junk,
        b"\x00\xff\xfe<![LOG[\x01\x02]LOG]!><time=\"99:99\" \n\n\x7f",
    )
    .unwrap();
    let (steps, outcome) = json_lines(&[&junk]);
    assert!(steps.is_empty());
    assert_eq!(
        outcome,
        json!({"outcome": "running", "platform": "unknown"})
    );
}

#[test]
fn real_smsts_logs_give_a_plausible_outline() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/real-logs");
    let Ok(entries) = fs::read_dir(&dir) else {
        println!("note: {} not found; real-log checks skipped", dir.display());
        return;
    };
    let files: Vec<PathBuf> = entries
        .map(|e| e.unwrap().path())
        .filter(|p| {
            p.file_name().is_some_and(|n| {
                n.to_string_lossy()
                    .to_ascii_lowercase()
                    .starts_with("smsts")
            })
        })
        .collect();
    for path in &files {
        let (steps, outcome) = json_lines(&[path]);
        assert!(
            steps.len() >= 5,
            "{}: {} steps",
            path.display(),
            steps.len()
        );
        for step in &steps {
            assert!(!step["name"].as_str().unwrap().is_empty());
            assert!(
                step["duration_ms"]
                    .as_i64()
                    .is_none_or(|d| (0..86_400_000).contains(&d)),
                "{step}"
            );
        }
        assert!(outcome["outcome"].is_string());
        if path.file_name().unwrap() == "smsts-mdt-standalone-2019-plus480.log" {
            // Checked by hand: MDT Lite Touch in WinPE up to "Restart computer",
            // where the copy ends (the reboot is still to come).
            assert_eq!(steps[0]["name"], "Initialization");
            assert_eq!(steps[0]["kind"], "group");
            assert_eq!(
                by_name(&steps, "Install Operating System")["result"],
                "success"
            );
            assert_eq!(
                by_name(&steps, "Format and Partition Disk (UEFI)")["result"],
                "skipped-condition"
            );
            assert_eq!(
                by_name(&steps, "Format and Partition Disk (BIOS)")["depth"],
                2
            );
            assert_eq!(
                by_name(&steps, "Add Windows Recovery (WinRE)")["result"],
                "success"
            );
            assert_eq!(steps.last().unwrap()["name"], "Restart computer");
            assert!(steps.iter().all(|s| s["result"] != "failed"));
            assert_eq!(
                outcome,
                json!({"outcome": "running", "platform": "mdt-standalone"})
            );
        }
    }
}

/// What the stack strings alone say of one instruction start.
#[derive(Debug)]
struct StackView {
    name: String,
    pointer: u64,
    /// Length of the stack in force at the start (`None` before any value).
    depth: Option<usize>,
    /// `step`, `group` (entered), `skipped-group` or `end` (a group's end
    /// instruction).
    kind: &'static str,
}

/// Reads the engine's own lines naively, by the rules: the stack in force
/// at a start gives the depth; the next stack value says group (longer,
/// ends in the pointer) or end instruction (shorter); a start followed by a
/// start more than one pointer on, with no other value between, was a
/// skipped group.
fn instructions_by_stack(path: &Path) -> Vec<StackView> {
    let text = String::from_utf8_lossy(&fs::read(path).unwrap()).into_owned();
    let mut out: Vec<StackView> = Vec::new();
    let mut in_force: Option<usize> = None;
    let mut pending: Option<usize> = None;
    for record in text.split("<![LOG[").skip(1) {
        let message = record.split("]LOG]!>").next().unwrap_or("");
        // A group said to be skipped, or ended by this start.
        if let Some(k) = pending {
            let name = &out[k].name;
            if message.starts_with(&format!("The group ({name}) has been skipped")) {
                out[k].kind = "skipped-group";
                pending = None;
                continue;
            }
            if message.starts_with(&format!(
                "The group ({name}) has been successfully completed"
            )) || message.starts_with(&format!("The execution of the group ({name}) has failed"))
            {
                out[k].kind = "end";
                pending = None;
                continue;
            }
        }
        // An instruction that ran something, ended, or was said to be
        // skipped (an action, or the next one disabled) is no silent
        // skipped group.
        if message.starts_with("Start executing the command line")
            || message.starts_with("Successfully completed the action")
            || message.starts_with("Failed to run the action")
            || message.contains(") has been skipped")
            || message.contains(") is disabled")
        {
            if let Some(k) = pending
                && out[k].depth.is_some()
            {
                pending = None;
            }
            continue;
        }
        if let Some(value) =
            message.strip_prefix("Set a global environment variable _SMSTSInstructionStackString=")
        {
            let stack: Vec<u64> = value
                .split_whitespace()
                .map(|p| p.parse().unwrap())
                .collect();
            if let Some(k) = pending.take() {
                let entered = stack.last() == Some(&out[k].pointer);
                match out[k].depth {
                    Some(depth) if stack.len() > depth && entered => out[k].kind = "group",
                    Some(depth) if stack.len() < depth => out[k].kind = "end",
                    // The same value again says nothing new: the next start
                    // still decides whether this one was a skipped group.
                    Some(_) => pending = Some(k),
                    // No value was in force (the log's first start): the
                    // first value gives its parents.
                    None if entered => {
                        out[k].kind = "group";
                        out[k].depth = Some(stack.len() - 1);
                    }
                    None => out[k].depth = Some(stack.len()),
                }
            }
            in_force = Some(stack.len());
        } else if let Some(rest) =
            message.strip_prefix("Start executing an instruction. Instruction name: ")
        {
            let (name, pointer) = rest.rsplit_once(". Instruction pointer: ").unwrap();
            let pointer: u64 = pointer.trim().parse().unwrap();
            if let Some(k) = pending.take()
                && pointer > out[k].pointer + 1
                && out[k].kind == "step"
            {
                out[k].kind = "skipped-group";
            }
            out.push(StackView {
                name: name.to_owned(),
                pointer,
                depth: in_force,
                kind: "step",
            });
            pending = Some(out.len() - 1);
        }
    }
    out
}

#[test]
fn every_instruction_sits_at_the_depth_and_kind_its_stack_strings_give() {
    let mut files: Vec<PathBuf> = [
        "mid-sequence.log",
        "success-reboot.log",
        "failure.log",
        "skipped.log",
        "mdt.log",
    ]
    .iter()
    .map(|n| ts(n))
    .collect();
    let real = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/real-logs/smsts-mdt-standalone-2019-plus480.log");
    if real.exists() {
        files.push(real);
    }
    for path in &files {
        let expected = instructions_by_stack(path);
        assert!(expected.len() >= 3, "{}: {expected:?}", path.display());
        let (steps, _) = json_lines(&[path]);
        let place = |s: &Value| {
            (
                s["name"].as_str().unwrap().to_owned(),
                s["pointer"].as_u64(),
            )
        };
        let mut checked = 0;
        for e in &expected {
            let found = steps
                .iter()
                .find(|s| place(s) == (e.name.clone(), Some(e.pointer)));
            if e.kind == "end" {
                // A group's end instruction closes the group: no entry of its own.
                assert!(found.is_none(), "{}: {e:?} is an entry", path.display());
                continue;
            }
            let step = found.unwrap_or_else(|| panic!("{}: no entry for {e:?}", path.display()));
            let kind = if e.kind == "step" { "step" } else { "group" };
            assert_eq!(step["kind"], kind, "{}: {e:?}", path.display());
            if let Some(depth) = e.depth {
                assert_eq!(step["depth"], depth, "{}: {e:?}", path.display());
            }
            if e.kind == "skipped-group" {
                assert!(
                    step["result"].as_str().unwrap().starts_with("skipped"),
                    "{}: {step}",
                    path.display()
                );
            }
            checked += 1;
        }
        assert!(checked >= 3, "{}", path.display());
    }
}

#[test]
fn a_log_begun_inside_the_sequence_shows_the_groups_it_is_inside() {
    let (steps, outcome) = json_lines(&[&ts("mid-sequence.log")]);
    let tree: Vec<(u64, &str, &str, &str)> = steps
        .iter()
        .map(|s| {
            (
                s["depth"].as_u64().unwrap(),
                s["kind"].as_str().unwrap(),
                s["name"].as_str().unwrap(),
                s["result"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        tree,
        vec![
            // Entered before the log begins; named by their end instructions.
            (0, "group", "State Restore", "success"),
            (1, "group", "Applications", "success"),
            (2, "group", "Core apps", "success"),
            (3, "step", "Install Microsoft 365 Apps", "success"),
            (3, "step", "Install Company Portal", "success"),
            (2, "group", "Optional apps", "skipped-condition"),
            (2, "group", "Browsers", "success"),
            (3, "step", "Install Microsoft Edge", "success"),
            (2, "step", "Configure Start layout", "success"),
            (1, "step", "Copy Logs", "success"),
        ]
    );
    // Their entry is not in this copy: no start time.
    assert_eq!(steps[0]["start_utc"], Value::Null);
    assert_eq!(
        outcome,
        json!({"outcome": "completed", "platform": "configmgr"})
    );
}
