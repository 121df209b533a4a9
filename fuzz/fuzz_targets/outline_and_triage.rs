//! Random smsts.log record streams, written as CCM text from structured
//! input with the task-sequence vocabulary (instructions, stack strings,
//! group lines, failures, exit codes, reboots, bootstrap banners, outcome
//! lines, times that jump), optionally cut short → `LogDocument::from_bytes`
//! → the outline (`tasksequence::outline_document`) and triage
//! (`triage::triage_documents`, Markdown and plain reports). Never panics,
//! and the results hold together: every step's records, file, boot and
//! pointer are real, the failed step index points at the failed step's
//! name, a failed outcome's step names a step the log started or failed.
#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use logweave::document::{LogDocument, OpenOptions};
use logweave::tasksequence::{self, Outcome};
use logweave::triage::{self, TriageOutcome};

#[derive(Arbitrary, Debug)]
enum Event {
    Start { name: u8, pointer: u16 },
    Stack(Vec<u8>),
    StackTs(Vec<u8>),
    Failed { name: u8, code: u32 },
    FailedLast { name: u8 },
    Completed { name: u8, code: i32 },
    GroupStarted(u8),
    GroupCondition(u8),
    GroupCompleted(u8),
    GroupFailed(u8),
    GroupSkipped(u8),
    ActionSkipped(u8),
    ActionDisabled(u8),
    ProcessExit(i32),
    RetCode(i32),
    LastActionName(u8),
    TableSize(u16),
    Reboot,
    RebootRequested,
    RebootToDisk,
    Bootstrap { env: bool, winpe: bool },
    EngineFailed,
    SequenceFailed(i32),
    SequenceCompleted,
    Exiting(u32),
    ErrorLine(u32),
    Name(u8),
    Standalone,
    Free(String),
}

#[derive(Arbitrary, Debug)]
struct Record {
    event: Event,
    /// Seconds to the next record; large jumps look like reboots.
    gap: u16,
    back: bool,
    kind: u8,
    bias: bool,
    component: u8,
}

#[derive(Arbitrary, Debug)]
struct Input {
    records: Vec<Record>,
    cut: u16,
    utf16: bool,
}

const NAMES: [&str; 8] = [
    "Apply Operating System",
    "Install Apps",
    "Run PowerShell Script",
    "Format and Partition Disk (UEFI)",
    "Setup Windows and ConfigMgr",
    "Restart Computer",
    "Install Contoso VPN 1.2.3",
    "Capture. Instruction pointer: 7",
];
const COMPONENTS: [&str; 5] = [
    "TSManager",
    "TSMBootstrap",
    "OSDApplyOS",
    "InstallApplication",
    "TSBootShell",
];

fn name(i: u8) -> &'static str {
    NAMES[usize::from(i) % NAMES.len()]
}

fn message(e: &Event) -> String {
    let var = |k: &str, v: String| format!("Set a global environment variable {k}={v}");
    match e {
        Event::Start { name: n, pointer } => format!(
            "Start executing an instruction. Instruction name: {}. Instruction pointer: {pointer}",
            name(*n)
        ),
        Event::Stack(v) | Event::StackTs(v) => {
            let stack: Vec<String> = v.iter().take(12).map(|b| (b % 64).to_string()).collect();
            let stack = stack.join(" ");
            if matches!(e, Event::Stack(_)) {
                var("_SMSTSInstructionStackString", stack)
            } else {
                format!(
                    "Set a TS execution environment variable _SMSTSInstructionStackString={stack}"
                )
            }
        }
        Event::Failed { name: n, code } => format!(
            "Failed to run the action: {}. Error code 0x{code:08X}",
            name(*n)
        ),
        Event::FailedLast { name: n } => format!(
            "Failed to run the last action: {}. Execution of task sequence failed.",
            name(*n)
        ),
        Event::Completed { name: n, code } => format!(
            "Successfully completed the action ({}) with the exit win32 code {code}",
            name(*n)
        ),
        Event::GroupStarted(n) => format!("The group ({}) has been successfully started", name(*n)),
        Event::GroupCondition(n) => {
            format!(
                "The condition for the group ({}) is evaluated to be true",
                name(*n)
            )
        }
        Event::GroupCompleted(n) => {
            format!("The group ({}) has been successfully completed", name(*n))
        }
        Event::GroupFailed(n) => format!(
            "The execution of the group ({}) has failed and the execution has been aborted. An action failed.",
            name(*n)
        ),
        Event::GroupSkipped(n) => format!(
            "The group ({}) has been skipped because the condition is evaluated to be false",
            name(*n)
        ),
        Event::ActionSkipped(n) => format!(
            "The action ({}) has been skipped because the condition is evaluated to be false",
            name(*n)
        ),
        Event::ActionDisabled(n) => format!("The action ({}) is disabled", name(*n)),
        Event::ProcessExit(c) => format!("Process completed with exit code {c}"),
        Event::RetCode(c) => var("_SMSTSLastActionRetCode", c.to_string()),
        Event::LastActionName(n) => var("_SMSTSLastActionName", name(*n).to_owned()),
        Event::TableSize(n) => var("_SMSTSInstructionTableSize", n.to_string()),
        Event::Reboot => "Calling RebootSystem()".to_owned(),
        Event::RebootRequested => var("SMSTSRebootRequested", "true".to_owned()),
        Event::RebootToDisk => "Reboot to local harddisk".to_owned(),
        Event::Bootstrap { env, winpe } => {
            let drive = if *winpe {
                "X:\\sms\\bin\\x64"
            } else {
                "C:\\WINDOWS\\CCM"
            };
            if *env {
                format!(
                    "Command line: \"{drive}\\TsmBootstrap.exe\" /env:SAFullOS /configpath:C:\\_SMSTaskSequence"
                )
            } else {
                "==============================[ TSMBootStrap.exe ]=============================="
                    .to_owned()
            }
        }
        Event::EngineFailed => "Task Sequence Engine failed! Code: enExecutionFail".to_owned(),
        Event::SequenceFailed(c) => format!("Task sequence execution failed with error code {c}"),
        Event::SequenceCompleted => "Task sequence completed 0x00000000".to_owned(),
        Event::Exiting(c) => format!("Exiting with return code 0x{c:08X}"),
        Event::ErrorLine(c) => {
            format!("The system cannot find the file specified. (Error: {c:08X}; Source: Windows)")
        }
        Event::Name(n) => format!(
            "TSManager initialized environment for task sequence: {}",
            name(*n)
        ),
        Event::Standalone => "Running Task Sequence in standalone mode".to_owned(),
        Event::Free(s) => s.replace("]LOG]!>", "").chars().take(200).collect(),
    }
}

fuzz_target!(|input: Input| {
    let mut text = String::new();
    let mut t: i64 = 10 * 3600;
    for r in input.records.iter().take(300) {
        let gap = i64::from(r.gap % 4000);
        t = (t + if r.back { -gap } else { gap }).rem_euclid(86_400);
        let bias = if r.bias { "+300" } else { "+000" };
        text += &format!(
            "<![LOG[{}]LOG]!><time=\"{:02}:{:02}:{:02}.000{bias}\" date=\"10-14-2026\" component=\"{}\" context=\"\" type=\"{}\" thread=\"5120\" file=\"engine.cxx:1\">\r\n",
            message(&r.event),
            t / 3600,
            t / 60 % 60,
            t % 60,
            COMPONENTS[usize::from(r.component) % COMPONENTS.len()],
            r.kind % 4,
        );
    }
    let mut bytes = if input.utf16 {
        let mut b = vec![0xFF, 0xFE];
        b.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
        b
    } else {
        text.into_bytes()
    };
    if input.cut > 0 {
        bytes.truncate(bytes.len().saturating_sub(usize::from(input.cut)));
    }
    if let Some(path) = std::env::var_os("FUZZ_DUMP") {
        // Replaying a crash: keep the log it was made of.
        std::fs::write(path, &bytes).expect("write the dump");
    }
    let doc = LogDocument::from_bytes("smsts.log", bytes, OpenOptions::default());
    doc.wait();
    assert!(doc.problem().is_none());
    let count = doc.record_count();
    let outline = tasksequence::outline_document(&doc);
    assert_eq!(outline.records, count);
    assert_eq!(outline.overlapping_records, 0);
    for (i, s) in outline.steps.iter().enumerate() {
        assert_eq!((s.file, s.last_file), (0, 0), "step {i}: {s:?}");
        assert!(s.first_record <= s.last_record, "step {i}: {s:?}");
        assert!(s.last_record < count, "step {i}: {s:?}");
        assert!(s.boot < outline.phases.len().max(1), "step {i}: {s:?}");
    }
    for w in outline.steps.windows(2) {
        assert!(
            w[0].first_record <= w[1].first_record,
            "steps out of order: {w:?}"
        );
    }
    for w in outline.phases.windows(2) {
        assert!(
            w[0].first_record <= w[1].first_record,
            "boots out of order: {w:?}"
        );
    }
    if let Outcome::Failed { step, index, .. } = &outline.outcome {
        if let Some(i) = index {
            let failed = outline.failed_step().expect("index in range");
            assert!(*i < outline.steps.len());
            if let Some(name) = step {
                assert_eq!(&failed.name, name, "{:?}", outline.outcome);
            }
        }
    }
    let _ = outline.outcome_text();

    let names = vec!["smsts.log".to_owned()];
    let (outline2, tri) = triage::triage_documents(&[&doc], &names);
    assert_eq!(
        outline2, outline,
        "triage's outline differs from the outline"
    );
    for e in tri.evidence.iter().chain(&tri.harmless) {
        assert!(e.file_index == 0 && e.record < count, "evidence {e:?}");
    }
    if tri.outcome != TriageOutcome::Failed {
        assert!(tri.failed_step.is_none(), "{tri:?}");
    }
    if let (Some(name), true) = (&tri.failed_step, tri.failed_step_named) {
        let in_log = outline.steps.iter().any(|s| &s.name == name)
            || matches!(&outline.outcome, Outcome::Failed { step: Some(s), .. } if s == name);
        assert!(in_log, "triage names {name:?}, which the outline never saw");
    }
    let _ = triage::markdown(&tri, &outline);
    let _ = triage::plain_text(&tri, &outline);
    let _ = tri.headline();
});
