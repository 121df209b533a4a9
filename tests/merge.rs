//! Merging: zone rules on hand-written fixtures, appends while merged, the
//! CLI, and a property test against a naive stable sort.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;

use logweave::document::{LogDocument, OpenOptions};
use logweave::merge::{self, TimeRule};
use proptest::prelude::*;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/merge")
        .join(name)
}

fn open(path: &Path) -> LogDocument {
    LogDocument::open_blocking(path, OpenOptions::default()).expect("fixture opens")
}

/// The merged messages (first line) of `names`, and the plan.
fn merged(names: &[&str]) -> (Vec<String>, merge::MergePlan) {
    let docs: Vec<LogDocument> = names.iter().map(|n| open(&fixture(n))).collect();
    let refs: Vec<&LogDocument> = docs.iter().collect();
    let plan = merge::plan(&refs, &vec![None; refs.len()]);
    let m = merge::merge(&refs, &plan, &AtomicBool::new(false)).unwrap();
    let messages = m
        .order
        .iter()
        .map(|&row| {
            let (f, r) = merge::unpack(row);
            refs[f]
                .row(r)
                .unwrap()
                .fields
                .message
                .lines()
                .next()
                .unwrap_or("")
                .to_owned()
        })
        .collect();
    (messages, plan)
}

#[test]
fn two_machines_in_different_zones_interleave_by_utc() {
    let (order, plan) = merged(&["zone-plus480.log", "zone-minus120.log"]);
    assert!(!plan.one_machine);
    // 15:59:59Z, 16:00:00Z, 16:00:01Z, 16:00:02Z
    assert_eq!(
        order,
        [
            "Berlin client: waiting for content",
            "Pacific server: sync started",
            "Berlin client: content arrived",
            "Pacific server: package sent"
        ]
    );
}

#[test]
fn one_machine_across_winpe_and_full_os_orders_by_wall_clock() {
    let (order, plan) = merged(&["machine-smsts.log", "machine-BDD.log"]);
    assert!(plan.one_machine, "{plan:?}");
    assert_eq!(plan.files[0].rule, TimeRule::WallClock);
    assert!(plan.files[0].winpe);
    assert_eq!(plan.files[0].real_adjust, Some(240));
    assert_eq!(
        order,
        [
            "==============================[ TSMBootStrap.exe ]==============================",
            r#"Command line: "X:\sms\bin\x64\TsmBootstrap.exe" /env:WinPE /configpath:X:\sms\data\ "#,
            "ZTIGather processing started",
            "Start executing an instruction. Instruction name: Apply Operating System. Instruction pointer: 2",
            r"Successfully moved logs to SMS client log directory: C:\WINDOWS\CCM\Logs\SMSTSLog",
            "LTIApply processing completed successfully.",
            "Start executing an instruction. Instruction name: Install Applications. Instruction pointer: 9",
        ]
    );
}

#[test]
fn the_same_machine_against_another_zone_gives_winpe_records_the_real_bias() {
    // smsts.log (WinPE +480 then +240) with a server at UTC+2: UTC order, and the
    // WinPE part is placed with the machine's real bias (240), not WinPE's 480.
    let (order, plan) = merged(&["machine-smsts.log", "zone-minus120.log"]);
    assert!(!plan.one_machine);
    assert_eq!(
        plan.files[0].rule,
        TimeRule::Utc {
            winpe_adjust: Some(240)
        }
    );
    // WinPE 10:00 wall + 4 h = 14:00Z comes before the Berlin records (15:59Z, 16:00Z),
    // and the full-OS part (10:20 + 4 h = 14:20Z) after the WinPE part.
    assert_eq!(
        order[0],
        "==============================[ TSMBootStrap.exe ]=============================="
    );
    assert_eq!(
        order[4],
        "Start executing an instruction. Instruction name: Install Applications. Instruction pointer: 9"
    );
    assert_eq!(order[5], "Berlin client: waiting for content");
}

#[test]
fn psadt_east_positive_offsets_against_a_native_log() {
    let (order, plan) = merged(&["native-utc.log", "psadt-east.log"]);
    assert!(!plan.one_machine);
    // PSADT 09:00 at UTC+1 is 08:00Z, before the native 08:10Z.
    assert_eq!(
        order,
        [
            "[Install] :: Installing Contoso VPN",
            "Policy evaluation started"
        ]
    );
}

#[test]
fn a_file_without_bias_and_a_file_without_times() {
    let (order, plan) = merged(&["ime-nobias.log", "notes-notimes.txt", "native-utc.log"]);
    assert_eq!(plan.files[1].rule, TimeRule::NoTimes);
    assert!(plan.files[1].note.is_some());
    assert!(
        plan.one_machine,
        "IME carries no zone, so nothing contradicts one machine"
    );
    assert_eq!(
        order,
        [
            "Policy evaluation started",
            "[Win32App] Processing app Contoso VPN",
            "Technician notes",
            "Reimaged after disk swap"
        ]
    );
    // MDT's BDD.log next to smsts.log takes smsts.log's zone when other zones are merged in.
    let (order, plan) = merged(&["machine-smsts.log", "machine-BDD.log", "zone-minus120.log"]);
    assert_eq!(
        plan.files[1].rule,
        TimeRule::Fixed {
            adjust: 240,
            overridden: false
        }
    );
    assert_eq!(order[2], "ZTIGather processing started");
    // With a second real zone, the IME file gets an assumed zone and says so.
    let (_, plan) = merged(&["ime-nobias.log", "zone-plus480.log", "zone-minus120.log"]);
    assert!(matches!(
        plan.files[0].rule,
        TimeRule::Fixed {
            overridden: false,
            ..
        }
    ));
    assert!(plan.files[0].describe().contains("assumed"));
}

#[test]
fn equal_times_keep_file_order_then_record_order() {
    let (order, _) = merged(&["equal-a.log", "equal-b.log"]);
    assert_eq!(
        order,
        [
            "A first",
            "A second",
            "B first",
            "B continuation without time",
            "B later"
        ]
    );
    let (order, _) = merged(&["equal-b.log", "equal-a.log"]);
    assert_eq!(
        order,
        [
            "B first",
            "B continuation without time",
            "A first",
            "A second",
            "B later"
        ]
    );
}

#[test]
fn an_override_reorders_at_once() {
    let docs: Vec<LogDocument> = ["zone-plus480.log", "zone-minus120.log"]
        .iter()
        .map(|n| open(&fixture(n)))
        .collect();
    let refs: Vec<&LogDocument> = docs.iter().collect();
    // Say the Pacific server's clock was really UTC+2 as well: wall 08:00 < 17:59.
    let plan = merge::plan(&refs, &[Some(-120), None]);
    assert_eq!(
        plan.files[0].rule,
        TimeRule::Fixed {
            adjust: -120,
            overridden: true
        }
    );
    let m = merge::merge(&refs, &plan, &AtomicBool::new(false)).unwrap();
    let files: Vec<usize> = m.order.iter().map(|&r| merge::unpack(r).0).collect();
    assert_eq!(files, [0, 0, 1, 1]);
}

#[test]
fn toggling_a_file_keeps_the_others_in_order_without_merging_again() {
    let docs: Vec<LogDocument> = ["zone-plus480.log", "zone-minus120.log"]
        .iter()
        .map(|n| open(&fixture(n)))
        .collect();
    let refs: Vec<&LogDocument> = docs.iter().collect();
    let plan = merge::plan(&refs, &[None, None]);
    let m = merge::merge(&refs, &plan, &AtomicBool::new(false)).unwrap();
    assert_eq!(
        m.visible(&[false, true]),
        vec![merge::pack(1, 0), merge::pack(1, 1)]
    );
    assert_eq!(m.visible(&[true, true]), m.order);
}

#[test]
fn records_appended_to_one_file_merge_in_at_the_right_place() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a.log");
    let b = dir.path().join("b.log");
    let rec = |msg: &str, t: &str| {
        format!(
            "<![LOG[{msg}]LOG]!><time=\"{t}+0\" date=\"11-03-2026\" component=\"C\" context=\"\" type=\"1\" thread=\"1\" file=\"x.cpp:1\">\r\n"
        )
    };
    std::fs::write(&a, rec("a1", "10:00:00.000") + &rec("a2", "10:00:10.000")).unwrap();
    std::fs::write(&b, rec("b1", "10:00:05.000") + &rec("b2", "10:00:20.000")).unwrap();
    let (da, db) = (open(&a), open(&b));
    let refs = [&da, &db];
    let plan = merge::plan(&refs, &[None, None]);
    let mut m = merge::merge(&refs, &plan, &AtomicBool::new(false)).unwrap();
    std::fs::OpenOptions::new()
        .append(true)
        .open(&a)
        .unwrap()
        .write_all((rec("a3", "10:00:15.000") + "a3 continued\r\n").as_bytes())
        .unwrap();
    da.refresh().unwrap();
    da.wait();
    m.extend(&refs, &plan);
    let fresh = merge::merge(&refs, &plan, &AtomicBool::new(false)).unwrap();
    assert_eq!(m.order, fresh.order, "incremental equals a fresh merge");
    let names: Vec<String> = m
        .order
        .iter()
        .map(|&r| {
            let (f, i) = merge::unpack(r);
            refs[f].row(i).unwrap().fields.message
        })
        .collect();
    assert_eq!(names, ["a1", "b1", "a2", "a3", "a3 continued", "b2"]);
}

#[test]
fn cli_merge_json_has_the_rows_keys_plus_source() {
    let a = fixture("zone-plus480.log");
    let b = fixture("zone-minus120.log");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_logweave"))
        .arg("merge")
        .arg("--json")
        .arg(&a)
        .arg(&b)
        .output()
        .unwrap();
    assert!(out.status.success());
    let lines: Vec<serde_json::Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 4);
    assert_eq!(lines[0]["source"], b.to_string_lossy().as_ref());
    assert_eq!(lines[0]["utc"], "2026-11-03T15:59:59.000Z");
    assert_eq!(lines[0]["record"], 0);
    let keys: Vec<&str> = lines[1]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    for key in [
        "record",
        "severity",
        "time",
        "utc",
        "component",
        "thread",
        "message",
        "source",
    ] {
        assert!(keys.contains(&key), "{key} in {keys:?}");
    }
    assert_eq!(lines[1]["source"], a.to_string_lossy().as_ref());
}

/// One random file: records with times that mostly go forward, sometimes
/// back, sometimes equal; some lines without a time.
fn arb_file() -> impl Strategy<Value = (i32, Vec<(u32, bool)>)> {
    let bias = prop::sample::select(vec![0, 60, -120, 240, 300, 480]);
    let records = prop::collection::vec((0u32..3000, prop::bool::weighted(0.15)), 1..40);
    (bias, records)
}

proptest! {
    // Failing cases are saved in proptest-regressions/merge.txt (committed)
    // and replayed first; see tests/index_props.rs for why the path is given.
    #![proptest_config(ProptestConfig {
        cases: 48,
        failure_persistence: Some(Box::new(proptest::test_runner::FileFailurePersistence::Direct(
            "proptest-regressions/merge.txt",
        ))),
        ..ProptestConfig::default()
    })]

    #[test]
    fn merge_equals_a_naive_stable_sort(files in prop::collection::vec(arb_file(), 1..5)) {
        let dir = tempfile::tempdir().unwrap();
        let mut docs = Vec::new();
        for (f, (bias, records)) in files.iter().enumerate() {
            let mut text = String::new();
            let mut t: i64 = 36_000_000; // 10:00:00
            for (i, &(step, untimed)) in records.iter().enumerate() {
                t = (t + i64::from(step) - 400).clamp(0, 86_399_999);
                if untimed {
                    text.push_str(&format!("plain line {f}-{i}\r\n"));
                } else {
                    let (h, m, s, ms) = (t / 3_600_000, t / 60_000 % 60, t / 1000 % 60, t % 1000);
                    text.push_str(&format!(
                        "<![LOG[r{f}-{i}]LOG]!><time=\"{h:02}:{m:02}:{s:02}.{ms:03}{bias:+}\" date=\"11-03-2026\" component=\"C\" context=\"\" type=\"1\" thread=\"7\" file=\"x.cpp:1\">\r\n"
                    ));
                }
            }
            let path = dir.path().join(format!("f{f}.log"));
            std::fs::write(&path, text).unwrap();
            docs.push(open(&path));
        }
        let refs: Vec<&LogDocument> = docs.iter().collect();
        let plan = merge::plan(&refs, &vec![None; refs.len()]);
        let got = merge::merge(&refs, &plan, &AtomicBool::new(false)).unwrap().order;

        // The oracle: keys from the rows themselves, untimed rows after their
        // predecessor (leading ones with the file's first time), stable sort.
        let mut all: Vec<(i64, usize, usize)> = Vec::new();
        for (f, doc) in refs.iter().enumerate() {
            let rows = doc.rows(0..doc.record_count(), None);
            let key = |r: &logweave::Row| -> Option<i64> {
                let wall = r.fields.meta.wall_ms?;
                Some(match &plan.files[f].rule {
                    TimeRule::WallClock => wall,
                    TimeRule::Fixed { adjust, .. } => wall + i64::from(*adjust) * 60_000,
                    TimeRule::Utc { .. } => r.utc_ms()?,
                    TimeRule::NoTimes => i64::MAX,
                })
            };
            let first = rows.iter().find_map(key);
            let mut previous = None;
            for r in &rows {
                let k = key(r).or(previous).or(first).unwrap_or(i64::MAX);
                previous = Some(k);
                all.push((k, f, r.record));
            }
        }
        all.sort_by_key(|&(k, _, _)| k);
        let want: Vec<u64> = all.iter().map(|&(_, f, r)| merge::pack(f, r)).collect();
        prop_assert_eq!(got, want);
    }
}
