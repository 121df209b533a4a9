//! Inputs the fuzz targets in `fuzz/` found failing, run through the same
//! code path as plain tests (no fuzzer needed). Each test names its target
//! and the property it broke; the raw fuzzer input, where kept, is under
//! `fuzz/regressions/<target>/`.

use logweave::document::{LogDocument, OpenOptions};
use logweave::errors::{self, Tables, detect};
use logweave::tasksequence;

/// `error_codes`: looking up an HRESULT_FROM_NT value (bit 28 set on a
/// failure code, e.g. `0xF0000000`, `0xD0000022`) gave readings of the
/// wrapped NTSTATUS headed with the NTSTATUS's value (`0xE0000000`,
/// signed and unsigned of it too) instead of the value typed; for
/// `0xF0000000` no reading of the typed value was left at all.
/// (`fuzz/regressions/error_codes/crash-0d75307097b3f51d5b327f59e775165d4b1bfefa`)
#[test]
fn hresult_from_nt_readings_are_of_the_value_typed() {
    for value in [0xF000_0000u32, 0xD000_0022, 0xD000_0001, 0xF000_0001] {
        for form in detect::written_forms(value) {
            let first = errors::parse(&form).unwrap()[0].0;
            let readings = errors::lookup(Tables::builtin(), &form).unwrap();
            assert!(!readings.is_empty(), "{form}");
            assert!(
                readings.iter().any(|r| r.unsigned == u64::from(first)),
                "{form}: {readings:?}"
            );
            for r in &readings {
                if r.facility.starts_with("HRESULT_FROM_NT wrapping") {
                    assert_eq!(r.hex, format!("0x{value:08X}"), "{form}: {r:?}");
                    assert_eq!(r.unsigned, u64::from(value), "{form}: {r:?}");
                    assert_eq!(r.signed, i64::from(value as i32), "{form}: {r:?}");
                }
            }
        }
    }
}

/// `outline_and_triage`: a step entered after the engine logged the task
/// sequence's failure (a later run appended to the same smsts.log) was
/// ended by that earlier failure line when the outline was finished, so it
/// ended before it started (`last_record < first_record`).
/// (`fuzz/regressions/outline_and_triage/crash-e6114fdf815175e556d73675a898198510ff7445`)
#[test]
fn no_step_ends_before_it_starts() {
    let line = |message: &str, second: u32| {
        format!(
            "<![LOG[{message}]LOG]!><time=\"10:00:{second:02}.000+000\" date=\"10-14-2026\" component=\"TSManager\" context=\"\" type=\"1\" thread=\"1\" file=\"engine.cxx:1\">\r\n"
        )
    };
    for failure in [
        "Task Sequence Engine failed! Code: enExecutionFail",
        "Task sequence execution failed with error code -2147024894",
        "Failed to run the last action: Install Apps. Execution of task sequence failed.",
    ] {
        let text = line(failure, 1)
            + &line(
                "The group (Setup Windows and ConfigMgr) has been successfully started",
                2,
            );
        let doc = LogDocument::from_bytes("smsts.log", text.into_bytes(), OpenOptions::default());
        doc.wait();
        let outline = tasksequence::outline_document(&doc);
        assert!(!outline.steps.is_empty(), "{failure}");
        for step in &outline.steps {
            assert!(step.first_record <= step.last_record, "{failure}: {step:?}");
        }
    }
}

/// `outline_and_triage`: a failure naming a step the log never started
/// (`Failed to run the action: X`, X not in the outline) was reported with
/// the index of another step that had failed, so `steps[index]` was not the
/// step named. The index now belongs to the step named, or is absent.
/// (`fuzz/regressions/outline_and_triage/crash-77d1b9fd2d9addc77729f4948dc96b172418c4c2`)
#[test]
fn the_failed_step_index_is_the_step_named() {
    let line = |message: &str, second: u32, kind: u8| {
        format!(
            "<![LOG[{message}]LOG]!><time=\"10:00:{second:02}.000+000\" date=\"10-14-2026\" component=\"TSManager\" context=\"\" type=\"{kind}\" thread=\"1\" file=\"engine.cxx:1\">\r\n"
        )
    };
    let text = [
        line("Start executing an instruction. Instruction name: Apply Drivers. Instruction pointer: 3", 1, 1),
        line("Failed to run the action: Apply Drivers. Error code 0x80070002", 2, 3),
        line("Start executing an instruction. Instruction name: Install Apps. Instruction pointer: 4", 3, 1),
        line("Failed to run the action: Format and Partition Disk (UEFI). Error code 0x80070057", 4, 3),
        line("Task Sequence Engine failed! Code: enExecutionFail", 5, 3),
    ]
    .concat();
    let doc = LogDocument::from_bytes("smsts.log", text.into_bytes(), OpenOptions::default());
    doc.wait();
    let outline = tasksequence::outline_document(&doc);
    match &outline.outcome {
        tasksequence::Outcome::Failed {
            step: Some(step),
            index,
            ..
        } => {
            if let Some(i) = index {
                assert_eq!(&outline.steps[*i].name, step, "{:?}", outline.outcome);
            }
        }
        other => panic!("not a failure naming a step: {other:?}"),
    }
}

/// `outline_and_triage`: a log that begins inside the sequence gets entries
/// for the groups it never shows being entered, placed before their first
/// member, but they began at the stack value that named them, a record
/// after that member: the steps were out of order. Such a group now begins
/// where its first member does.
/// (`fuzz/regressions/outline_and_triage/crash-28f0f7338fa80ae561e01a811d7a5698f8229257`)
#[test]
fn groups_a_log_never_shows_entered_begin_with_their_first_member() {
    let line = |message: &str, second: u32| {
        format!(
            "<![LOG[{message}]LOG]!><time=\"10:00:{second:02}.000+000\" date=\"10-14-2026\" component=\"TSManager\" context=\"\" type=\"1\" thread=\"1\" file=\"engine.cxx:1\">\r\n"
        )
    };
    let text = [
        line("Start executing an instruction. Instruction name: Format and Partition Disk (UEFI). Instruction pointer: 9", 1),
        line("Set a global environment variable _SMSTSInstructionStackString=58", 2),
    ]
    .concat();
    let doc = LogDocument::from_bytes("smsts.log", text.into_bytes(), OpenOptions::default());
    doc.wait();
    let outline = tasksequence::outline_document(&doc);
    let shape: Vec<(&str, usize, usize)> = outline
        .steps
        .iter()
        .map(|s| (s.name.as_str(), s.depth, s.first_record))
        .collect();
    assert_eq!(
        shape,
        [
            ("group at pointer 58", 0, 0),
            ("Format and Partition Disk (UEFI)", 1, 0)
        ]
    );
}
