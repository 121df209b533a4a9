//! Behaviour of `logweave triage`: the JSON keys (a contract), the answer on
//! the task-sequence fixtures, folders, Markdown for a ticket, exit codes,
//! and every real failure excerpt and successful run in ../shared/real-logs.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

fn ts(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/ts")
        .join(name)
}

fn triage(args: &[&str], files: &[&Path]) -> (i32, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_logweave"))
        .arg("triage")
        .args(args)
        .args(files)
        .output()
        .expect("run logweave");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    (
        out.status.code().expect("exited normally"),
        String::from_utf8(out.stdout).expect("UTF-8"),
    )
}

fn json(files: &[&Path]) -> (i32, Value) {
    let (code, out) = triage(&["--json"], files);
    (code, serde_json::from_str(&out).expect("one JSON object"))
}

#[test]
fn json_keys_are_the_contract() {
    let (code, v) = json(&[&ts("failure.log")]);
    assert_eq!(code, 3, "a failed run exits 3");
    for key in [
        "outcome",
        "failed_step",
        "pointer",
        "exit_code",
        "code_hex",
        "code_name",
        "meaning",
        "phase",
        "evidence",
        "harmless",
        "next_logs",
    ] {
        assert!(v.get(key).is_some(), "missing {key}: {v}");
    }
    assert_eq!(v["outcome"], "failed");
    assert_eq!(
        v["failed_step"],
        "Run PowerShell Script - Configure Firewall"
    );
    assert_eq!(v["pointer"], 3);
    assert_eq!(v["exit_code"], 1);
    assert_eq!(v["code_hex"], "0x00000001");
    for e in v["evidence"].as_array().unwrap() {
        for key in ["file", "record", "time", "component", "message"] {
            assert!(e.get(key).is_some(), "evidence without {key}: {e}");
        }
        assert!(e["file"].as_str().unwrap().ends_with("failure.log"));
    }
    for l in v["next_logs"].as_array().unwrap() {
        assert!(l["path"].is_string() && l["why"].is_string(), "{l}");
    }
}

#[test]
fn an_hresult_exit_code_is_signed_and_its_hex_form_the_same_value() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("smsts.log");
    std::fs::write(
        &path,
        "Start executing an instruction. Instruction name: Enable BitLocker. Instruction pointer: 7\n\
         Process completed with exit code 2147942405\n\
         Failed to run the action: Enable BitLocker.\n",
    )
    .unwrap();
    let (code, v) = json(&[&path]);
    assert_eq!(code, 3);
    assert_eq!(v["failed_step"], "Enable BitLocker");
    assert_eq!(v["exit_code"], -2147024891);
    assert_eq!(v["code_hex"], "0x80070005");
    assert_eq!(v["code_name"], "E_ACCESSDENIED");
}

#[test]
fn succeeded_runs_and_a_folder_of_copies() {
    for name in [
        "success-reboot.log",
        "skipped.log",
        "mdt.log",
        "mid-sequence.log",
    ] {
        let (code, v) = json(&[&ts(name)]);
        assert_eq!(code, 0, "{name}");
        assert_eq!(v["outcome"], "succeeded", "{name}");
        assert_eq!(v["failed_step"], Value::Null, "{name}");
    }
    // The chain's three copies, found in their folder tree.
    let (code, v) = json(&[&ts("chain")]);
    assert_eq!(code, 0);
    assert_eq!(v["outcome"], "succeeded");
    assert_eq!(v["platform"], "configmgr");
}

#[test]
fn markdown_for_a_ticket() {
    let (code, md) = triage(&["--markdown"], &[&ts("failure.log")]);
    assert_eq!(code, 3);
    assert!(
        md.starts_with("## Deploy Line-of-Business Apps: Failed at step"),
        "{md}"
    );
    assert!(
        md.contains("| Step | Result | Duration | Exit code |"),
        "{md}"
    );
    assert!(md.contains("**Evidence**"), "{md}");
    assert!(md.contains("```text"), "{md}");
    assert!(md.contains("**Look next at**"), "{md}");
}

#[test]
fn text_with_no_task_sequence_is_unknown() {
    let plain = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/cbs_levels.log");
    let (code, v) = json(&[&plain]);
    assert_eq!(code, 4);
    assert_eq!(v["outcome"], "unknown");
}

/// What the real excerpts must give: (file, failed step or null, code).
const REAL_FAILURES: &[(&str, Option<&str>, &str)] = &[
    (
        "pasted-smsts-fail-enable-bitlocker-80070057-msdocs-doc.log",
        Some("Enable BitLocker"),
        "0x80070057",
    ),
    (
        "pasted-smsts-fail-post-rollback-hresult-chain-80070005-msdocs-doc.log",
        None,
        "0x80070005",
    ),
    (
        "pasted-smsts-fail-tsmbootstrap-winhttp-80072f8f-msdocs-doc.log",
        None,
        "0x80072F8F",
    ),
    (
        "pasted-smsts-excerpt-twin-restart-env-not-found-msdocs-doc.log",
        None,
        "0x80070002",
    ),
    // CMTrace's tab-separated copy: the step's name was cut off, its action
    // type (the component) is known.
    (
        "pasted-smsts-fail-dynamically-apply-drivers-exit9-configmgr33-issue.log",
        Some("Run PowerShell Script"),
        "0x00000009",
    ),
    // WinPE's boot shell, before any step.
    (
        "pasted-smsts-tsbootshell-volume-not-found-80070490-msdocs-doc.log",
        None,
        "0x80070490",
    ),
];

#[test]
fn every_real_failure_excerpt_gives_its_step_code_name_and_evidence() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/real-logs");
    if !dir.exists() {
        println!("note: {} not found; real-log checks skipped", dir.display());
        return;
    }
    for (name, step, hex) in REAL_FAILURES {
        let (code, v) = json(&[&dir.join(name)]);
        assert_eq!(code, 3, "{name}: {v}");
        assert_eq!(v["outcome"], "failed", "{name}");
        assert_eq!(v["failed_step"].as_str(), *step, "{name}");
        if name.contains("dynamically") {
            assert_eq!(v["failed_step_named"], false, "{name}");
        }
        assert_eq!(v["code_hex"], *hex, "{name}");
        assert!(v["code_name"].is_string(), "{name}: {v}");
        let evidence = v["evidence"].as_array().unwrap();
        assert!(!evidence.is_empty(), "{name}");
        let value = u32::from_str_radix(hex.trim_start_matches("0x"), 16).unwrap();
        let forms = [
            format!("{value:08x}"),
            format!("exit code {value}"),
            "failed to run the action".to_owned(),
        ];
        assert!(
            evidence.iter().any(|e| {
                let m = e["message"].as_str().unwrap().to_ascii_lowercase();
                forms.iter().any(|f| m.contains(f.as_str()))
            }),
            "{name}: no evidence shows {hex}: {v}"
        );
    }
    // The real MDT run ends at its restart: no end logged, nothing failed.
    let (_, v) = json(&[&dir.join("smsts-mdt-standalone-2019-plus480.log")]);
    assert_eq!(v["outcome"], "running");
    assert_eq!(v["failed_step"], Value::Null);
    assert_eq!(v["platform"], "mdt-standalone");
    // Its "Failed to create D:\_SMSTaskSequence" lines are muted as harmless.
    assert!(
        v["harmless"]
            .as_array()
            .unwrap()
            .iter()
            .any(|h| h["message"].as_str().unwrap().contains("_SMSTaskSequence")),
        "{v}"
    );
}
