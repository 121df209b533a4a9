//! The smsts.log phrases the outline reacts to (formats.md §5), turned into
//! [`Event`]s. One record is one event at most; everything else is
//! [`Event::Other`]. Cheap prefix tests run before any regular expression, so
//! the millions of `Set a local default variable …` lines of a big log cost
//! little.
//! Never keeps state: one line in, one event out.

use std::sync::LazyLock;

use regex::Regex;

/// What one smsts.log record means for the outline.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Event<'a> {
    /// `==[ TSMBootStrap.exe ]==`: the bootstrap starts (first start, or after a reboot).
    Banner,
    /// A TSMBootstrap command line (`Command line: "X:\…\TsmBootstrap.exe" /env:WinPE`,
    /// `Launch C:\WINDOWS\CCM\TSMBootStrap.exe /env:Gina …`).
    Bootstrap {
        /// The `/env:` value (`WinPE`, `SAStart`, `SAContinue`, `Gina` …).
        env: Option<&'a str>,
        /// Drive letter of the TsmBootstrap.exe path, upper case.
        drive: Option<char>,
    },
    /// `TSManager executing in non SMS, standalone mode` (MDT Lite Touch).
    Standalone,
    /// `TSManager initialized environment for task sequence: X`.
    TaskSequenceName(&'a str),
    /// `Start executing an instruction. Instruction name: X. Instruction pointer: N`
    /// (or the ConfigMgr 2012 wording with `'X'. Pointer: N. Type: '…'. Disabled: 0`).
    Start {
        /// Step or group name as written.
        name: &'a str,
        /// Instruction pointer.
        pointer: u32,
        /// CM2012 `Disabled: 1`.
        disabled: bool,
        /// CM2012 `Type:` names a group.
        group: bool,
    },
    /// `Start executing the command line: …`.
    CommandLine(&'a str),
    /// `Successfully completed the action (X) with the exit win32 code N`.
    Succeeded {
        /// Step name.
        name: &'a str,
        /// Exit code as written (signed decimal).
        code: i64,
    },
    /// `Failed to run the action: X.` with `(Error: 80070002; Source: Windows)` after it.
    Failed {
        /// Step name.
        name: &'a str,
        /// The `Error:` code, if present.
        code: Option<u32>,
    },
    /// `… the step is set to continue on error` and similar.
    ContinueOnError,
    /// `The group (X) has been successfully started`.
    GroupStarted(&'a str),
    /// `The condition for the group (X) is evaluated to be true`.
    GroupCondition(&'a str),
    /// `The group (X) has been successfully completed`.
    GroupCompleted(&'a str),
    /// `The execution of the group (X) has failed …` (with its `Error:` code).
    GroupFailed {
        /// Group name.
        name: &'a str,
        /// The `Error:` code, if present.
        code: Option<u32>,
    },
    /// `The group (X) has been skipped because …`.
    GroupSkipped {
        /// Group name.
        name: &'a str,
        /// True for `because it is disabled`, false for a false condition.
        disabled: bool,
    },
    /// `The action (X) has been skipped because …` / `The action (X) is disabled`.
    ActionSkipped {
        /// Step name.
        name: &'a str,
        /// True for disabled, false for a false condition.
        disabled: bool,
    },
    /// `Execution of the instruction (X) has been skipped`.
    InstructionSkipped(&'a str),
    /// `Set a global environment variable NAME=VALUE`.
    Var {
        /// Variable name.
        name: &'a str,
        /// Value (rest of the first line).
        value: &'a str,
    },
    /// A reboot is coming (`Calling RebootSystem()`, `requested a retry`,
    /// `SMSTSRebootRequested=…` from the Reboot component …).
    RebootRequested {
        /// `Reboot to local harddisk`: the next boot is the installed OS.
        to_disk: bool,
    },
    /// `Successfully moved logs to SMS client log directory: C:\WINDOWS\CCM\Logs\…`.
    LogsMovedToClient,
    /// `Process completed with exit code N`.
    ProcessExit(i64),
    /// `Failed to run the last action: X. Execution of task sequence failed.`
    LastActionFailed {
        /// Step name.
        name: &'a str,
        /// The `Error:` code, if present.
        code: Option<u32>,
    },
    /// The engine gave up: `Task Sequence Engine failed! Code: …`,
    /// `Task sequence execution failed with error code N`, `Litetouch deployment failed …`.
    TaskSequenceFailed(Option<u32>),
    /// `Task sequence completed 0x00000000` and similar success banners.
    TaskSequenceCompleted,
    /// TSMBootstrap `Exiting with return code 0x…`.
    BootstrapExit(u32),
    /// Anything else.
    Other,
}

macro_rules! re {
    ($name:ident, $pattern:expr) => {
        static $name: LazyLock<Regex> =
            LazyLock::new(|| Regex::new($pattern).expect("valid built-in regex"));
    };
}

// Greedy `(.*)` before a fixed tail takes the LAST occurrence of the tail, so
// names with dots (`Install VPN 7.4.108`) and parentheses (`Add Windows
// Recovery (WinRE)`) come out whole.
re!(
    START_MODERN,
    r"^Start executing an instruction\. Instruction name: (.*)\. Instruction pointer: (\d+)"
);
re!(
    START_2012,
    r"^Start executing an instruction\. Instruction name: '(.*)'\. Pointer: (\d+)(?:\. Type: '([^']*)')?(?:\. Disabled: (\d+))?"
);
re!(
    SUCCEEDED,
    r"^Successfully complete(?:d)? the action \((.*)\) with the exit win32 code (-?\d+)"
);
re!(
    GROUP_STARTED,
    r"^The group \((.*)\) has been successfully started"
);
re!(
    GROUP_CONDITION,
    r"^The condition for the group \((.*)\) is evaluated to be true"
);
re!(
    GROUP_COMPLETED,
    r"^The group \((.*)\) has been successfully completed"
);
re!(
    GROUP_FAILED,
    r"^The execution of the group \((.*)\) has failed"
);
re!(
    GROUP_SKIPPED,
    r"^The group \((.*)\) has been skipped because (.*)$"
);
re!(
    ACTION_SKIPPED,
    r"^The action \((.*)\) has been skipped because (.*)$"
);
re!(ACTION_DISABLED, r"^The action \((.*)\) is disabled");
re!(
    INSTRUCTION_SKIPPED,
    r"^Execution of the instruction \((.*)\) has been skipped"
);
re!(
    LAST_ACTION_FAILED,
    r"^Failed to run the last action: (.*)\. Execution of task sequence failed"
);
re!(ERROR_CODE, r"\(Error: ([0-9A-Fa-f]{1,8}); Source: [^)]*\)");
re!(
    BOOTSTRAP,
    r#"(?i)(?:([A-Z]):\\[^"]*?)?tsmbootstrap\.exe"?(?:\s.*?/env:(\w+))?"#
);
re!(
    TS_FAILED_CODE,
    r"(?i)(?:error code|Code)\s+(?:0x)?([0-9A-F]{1,8})\b"
);
re!(LITETOUCH_FAILED, r"Return Code = (-?\d+)");

/// `… continue on error …` wordings, searched with prebuilt finders (most
/// records that reach this test say nothing of the kind).
static CONTINUE_ON_ERROR: LazyLock<[memchr::memmem::Finder<'static>; 2]> = LazyLock::new(|| {
    [
        memchr::memmem::Finder::new("continue on error"),
        memchr::memmem::Finder::new("continueOnError=True"),
    ]
});

/// The first line of a message, without a trailing CR.
pub fn first_line(message: &str) -> &str {
    let line = message.split('\n').next().unwrap_or("");
    line.strip_suffix('\r').unwrap_or(line)
}

/// The `(Error: 80070002; Source: …)` code anywhere in a message.
pub fn error_code(message: &str) -> Option<u32> {
    ERROR_CODE
        .captures(message)
        .and_then(|c| u32::from_str_radix(&c[1], 16).ok())
}

/// A signed or unsigned decimal exit code as the 32-bit value it stands for.
pub fn code_from_decimal(text: &str) -> Option<u32> {
    let value: i64 = text.trim().parse().ok()?;
    if (i64::from(i32::MIN)..=i64::from(u32::MAX)).contains(&value) {
        Some(value as u32)
    } else {
        None
    }
}

/// What `message` (logged by `component`) means for the outline.
pub fn classify<'a>(component: &str, message: &'a str) -> Event<'a> {
    let line = first_line(message);
    let Some(&b0) = line.as_bytes().first() else {
        return Event::Other;
    };
    match b0 {
        b'S' => classify_s(component, line),
        b'T' => classify_t(line, message),
        b'E' => classify_e(component, line),
        b'F' => classify_f(line, message),
        b'P' => line
            .strip_prefix("Process completed with exit code ")
            .and_then(|v| v.trim().parse().ok())
            .map_or(Event::Other, Event::ProcessExit),
        b'C' => {
            if line.starts_with("Calling RebootSystem()") {
                Event::RebootRequested { to_disk: false }
            } else if line.starts_with("Command line:")
                && line.to_ascii_lowercase().contains("tsmbootstrap.exe")
            {
                bootstrap(line)
            } else {
                Event::Other
            }
        }
        b'L' => {
            if line.starts_with("Launch ") && line.to_ascii_lowercase().contains("tsmbootstrap.exe")
            {
                bootstrap(line)
            } else if line.starts_with("Litetouch deployment failed") {
                Event::TaskSequenceFailed(
                    LITETOUCH_FAILED
                        .captures(line)
                        .and_then(|c| code_from_decimal(&c[1])),
                )
            } else {
                Event::Other
            }
        }
        b'R' => {
            if line.starts_with("Reboot to local harddisk")
                || line.starts_with("Reboot to local hard disk")
            {
                Event::RebootRequested { to_disk: true }
            } else if line.starts_with("Running Task Sequence in standalone") {
                Event::Standalone
            } else {
                Event::Other
            }
        }
        b'=' if line.to_ascii_lowercase().contains("[ tsmbootstrap.exe ]") => Event::Banner,
        _ => Event::Other,
    }
}

fn bootstrap(line: &str) -> Event<'_> {
    match BOOTSTRAP.captures(line) {
        Some(c) => Event::Bootstrap {
            env: c.get(2).map(|m| m.as_str()),
            drive: c
                .get(1)
                .and_then(|m| m.as_str().chars().next())
                .map(|d| d.to_ascii_uppercase()),
        },
        None => Event::Other,
    }
}

fn classify_s<'a>(component: &str, line: &'a str) -> Event<'a> {
    if let Some(rest) = line.strip_prefix("Set a global environment variable ") {
        return match rest.split_once('=') {
            Some((name, value)) => Event::Var { name, value },
            None => Event::Other,
        };
    }
    if line.starts_with("Set a ") {
        return Event::Other;
    }
    if line.starts_with("Start executing an instruction.") {
        if let Some(c) = START_MODERN.captures(line)
            && let Ok(pointer) = c[2].parse()
        {
            return Event::Start {
                name: c.get(1).map_or("", |m| m.as_str()),
                pointer,
                disabled: false,
                group: false,
            };
        }
        if let Some(c) = START_2012.captures(line)
            && let Ok(pointer) = c[2].parse()
        {
            return Event::Start {
                name: c.get(1).map_or("", |m| m.as_str()),
                pointer,
                disabled: c.get(4).is_some_and(|m| m.as_str() != "0"),
                group: c
                    .get(3)
                    .is_some_and(|m| m.as_str().to_ascii_lowercase().contains("group")),
            };
        }
        return Event::Other;
    }
    if let Some(cmd) = line.strip_prefix("Start executing the command line: ") {
        return Event::CommandLine(cmd);
    }
    if line.starts_with("Successfully complete") {
        if let Some(c) = SUCCEEDED.captures(line)
            && let Ok(code) = c[2].parse()
        {
            return Event::Succeeded {
                name: c.get(1).map_or("", |m| m.as_str()),
                code,
            };
        }
        return Event::Other;
    }
    if line.starts_with("Successfully moved logs to SMS client log directory") {
        return Event::LogsMovedToClient;
    }
    if let Some(value) = line.strip_prefix("SMSTSRebootRequested=") {
        // The Reboot component (smsboot.exe) prints its settings; an empty value is no request.
        if component.eq_ignore_ascii_case("Reboot") && !value.trim().is_empty() {
            return Event::RebootRequested { to_disk: false };
        }
    }
    if CONTINUE_ON_ERROR
        .iter()
        .any(|f| f.find(line.as_bytes()).is_some())
    {
        return Event::ContinueOnError;
    }
    Event::Other
}

fn classify_t<'a>(line: &'a str, message: &'a str) -> Event<'a> {
    if line.starts_with("The group (") {
        if let Some(c) = GROUP_STARTED.captures(line) {
            return Event::GroupStarted(c.get(1).map_or("", |m| m.as_str()));
        }
        if let Some(c) = GROUP_COMPLETED.captures(line) {
            return Event::GroupCompleted(c.get(1).map_or("", |m| m.as_str()));
        }
        if let Some(c) = GROUP_SKIPPED.captures(line) {
            return Event::GroupSkipped {
                name: c.get(1).map_or("", |m| m.as_str()),
                disabled: c[2].contains("disabled"),
            };
        }
        return Event::Other;
    }
    if line.starts_with("The action (") {
        if let Some(c) = ACTION_SKIPPED.captures(line) {
            return Event::ActionSkipped {
                name: c.get(1).map_or("", |m| m.as_str()),
                disabled: c[2].contains("disabled"),
            };
        }
        if let Some(c) = ACTION_DISABLED.captures(line) {
            return Event::ActionSkipped {
                name: c.get(1).map_or("", |m| m.as_str()),
                disabled: true,
            };
        }
        if line.contains(") requested a retry") {
            return Event::RebootRequested { to_disk: false };
        }
        return Event::Other;
    }
    if line.starts_with("The condition for the group (") {
        if let Some(c) = GROUP_CONDITION.captures(line) {
            return Event::GroupCondition(c.get(1).map_or("", |m| m.as_str()));
        }
        return Event::Other;
    }
    if line.starts_with("The execution of the group (") {
        if let Some(c) = GROUP_FAILED.captures(line) {
            return Event::GroupFailed {
                name: c.get(1).map_or("", |m| m.as_str()),
                code: error_code(message),
            };
        }
        return Event::Other;
    }
    if let Some(name) = line.strip_prefix("TSManager initialized environment for task sequence:") {
        return Event::TaskSequenceName(name.trim());
    }
    if line.starts_with("TSManager executing in non SMS, standalone mode") {
        return Event::Standalone;
    }
    if line.starts_with("Task Sequence Engine failed")
        || line.starts_with("Task sequence execution failed")
        || line.starts_with("Task Sequence Manager failed to execute")
    {
        let code = TS_FAILED_CODE
            .captures(line)
            .and_then(|c| u32::from_str_radix(&c[1], 16).ok());
        return Event::TaskSequenceFailed(code);
    }
    if let Some(rest) = line.strip_prefix("Task sequence completed") {
        let rest = rest.trim();
        let ok = rest.is_empty()
            || rest.eq_ignore_ascii_case("successfully")
            || rest
                .trim_start_matches("0x")
                .trim_start_matches('0')
                .is_empty();
        return if ok {
            Event::TaskSequenceCompleted
        } else {
            Event::TaskSequenceFailed(u32::from_str_radix(rest.trim_start_matches("0x"), 16).ok())
        };
    }
    Event::Other
}

fn classify_e<'a>(component: &str, line: &'a str) -> Event<'a> {
    if let Some(name) = line
        .strip_prefix("Execution of the instruction (")
        .and_then(|_| INSTRUCTION_SKIPPED.captures(line))
        .and_then(|c| c.get(1))
    {
        return Event::InstructionSkipped(name.as_str());
    }
    if let Some(code) = line.strip_prefix("Exiting with return code ") {
        if component.eq_ignore_ascii_case("TSMBootstrap") {
            let code = code.trim();
            let value = match code.strip_prefix("0x").or_else(|| code.strip_prefix("0X")) {
                Some(hex) => u32::from_str_radix(hex, 16).ok(),
                None => code_from_decimal(code),
            };
            if let Some(value) = value {
                return Event::BootstrapExit(value);
            }
        }
        return Event::Other;
    }
    // Not "Executing as a standalone exe": TSManager logs that under
    // ConfigMgr too.
    if line.starts_with("Executing in non SMS standalone mode") {
        return Event::Standalone;
    }
    if line.starts_with("Execution of task sequence failed") {
        return Event::TaskSequenceFailed(None);
    }
    if line.starts_with("Error Task Sequence Manager failed to execute") {
        let code = TS_FAILED_CODE
            .captures(line)
            .and_then(|c| u32::from_str_radix(&c[1], 16).ok());
        return Event::TaskSequenceFailed(code);
    }
    Event::Other
}

fn classify_f<'a>(line: &'a str, message: &'a str) -> Event<'a> {
    if line.starts_with("Failed to run the last action: ") {
        if let Some(c) = LAST_ACTION_FAILED.captures(line) {
            return Event::LastActionFailed {
                name: c.get(1).map_or("", |m| m.as_str()),
                code: error_code(message),
            };
        }
        return Event::TaskSequenceFailed(error_code(message));
    }
    if let Some(rest) = line.strip_prefix("Failed to run the action: ") {
        // Pasted copies put the engine's advice on the same line.
        let rest = rest
            .split(". This is usually caused")
            .next()
            .unwrap_or(rest)
            .trim_end();
        let name = rest.strip_suffix('.').unwrap_or(rest);
        return Event::Failed {
            name,
            code: error_code(message),
        };
    }
    Event::Other
}

/// True when `text` (pasted or copied, any columns) holds the task
/// sequence engine's own lines: worth an outline and a diagnosis.
pub fn looks_like_task_sequence(text: &str) -> bool {
    const MARKERS: &[&str] = &[
        "TSManager",
        "TSMBootstrap",
        "TSBootShell",
        "Start executing an instruction",
        "Failed to run the action",
        "Successfully completed the action",
        "_SMSTS",
        "Task Sequence environment not found",
    ];
    MARKERS.iter().any(|m| text.contains(m))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn instruction_names_with_dots_and_parentheses() {
        assert_eq!(
            classify(
                "TSManager",
                "Start executing an instruction. Instruction name: Install Dropbox Enterprise 71.4.108. Instruction pointer: 42"
            ),
            Event::Start {
                name: "Install Dropbox Enterprise 71.4.108",
                pointer: 42,
                disabled: false,
                group: false
            }
        );
        assert_eq!(
            classify(
                "TSManager",
                "Start executing an instruction. Instruction name: Add Windows Recovery (WinRE). Instruction pointer: 53"
            ),
            Event::Start {
                name: "Add Windows Recovery (WinRE)",
                pointer: 53,
                disabled: false,
                group: false
            }
        );
        // A name that itself looks like the tail: the last tail wins.
        assert_eq!(
            classify(
                "TSManager",
                "Start executing an instruction. Instruction name: Run v2. Instruction pointer: 7. Instruction pointer: 8"
            ),
            Event::Start {
                name: "Run v2. Instruction pointer: 7",
                pointer: 8,
                disabled: false,
                group: false
            }
        );
        assert_eq!(
            classify(
                "TSManager",
                "Successfully completed the action (Format and Partition Disk (BIOS)) with the exit win32 code 0"
            ),
            Event::Succeeded {
                name: "Format and Partition Disk (BIOS)",
                code: 0
            }
        );
        assert_eq!(
            classify(
                "TSManager",
                "The action (Format and Partition Disk (UEFI)) has been skipped because the condition is evaluated to be false"
            ),
            Event::ActionSkipped {
                name: "Format and Partition Disk (UEFI)",
                disabled: false
            }
        );
        assert_eq!(
            classify(
                "TSManager",
                "The action (Enable BitLocker (Offline)) has been skipped because it is disabled"
            ),
            Event::ActionSkipped {
                name: "Enable BitLocker (Offline)",
                disabled: true
            }
        );
    }

    #[test]
    fn configmgr_2012_wording() {
        assert_eq!(
            classify(
                "TSManager",
                "Start executing an instruction. Instruction name: 'Install Windows'. Pointer: 0. Type: ''. Disabled: 0"
            ),
            Event::Start {
                name: "Install Windows",
                pointer: 0,
                disabled: false,
                group: false
            }
        );
        assert_eq!(
            classify(
                "TSManager",
                "Start executing an instruction. Instruction name: 'Apply 7.1 Patch (x64)'. Pointer: 12. Type: 'SMS_TaskSequence_Group'. Disabled: 1"
            ),
            Event::Start {
                name: "Apply 7.1 Patch (x64)",
                pointer: 12,
                disabled: true,
                group: true
            }
        );
        assert_eq!(
            classify(
                "TSManager",
                "Successfully complete the action (Apply Operating System) with the exit win32 code 0"
            ),
            Event::Succeeded {
                name: "Apply Operating System",
                code: 0
            }
        );
    }

    #[test]
    fn failures_carry_the_error_line() {
        assert_eq!(
            classify(
                "TSManager",
                "Failed to run the action: Install Contoso VPN Client 7.4.108.\r\nFatal error during installation. (Error: 80070643; Source: Windows)"
            ),
            Event::Failed {
                name: "Install Contoso VPN Client 7.4.108",
                code: Some(0x8007_0643)
            }
        );
        assert_eq!(
            classify(
                "",
                "Failed to run the action: Enable BitLocker. This is usually caused by a problem with the program."
            ),
            Event::Failed {
                name: "Enable BitLocker",
                code: None
            }
        );
        assert_eq!(
            classify(
                "TSManager",
                "Failed to run the last action: Apply Windows PE. Execution of task sequence failed.\nNot found (Error: 80041002; Source: WMI)"
            ),
            Event::LastActionFailed {
                name: "Apply Windows PE",
                code: Some(0x8004_1002)
            }
        );
        assert_eq!(
            classify(
                "TSManager",
                "The execution of the group (Capture Image) has failed and the execution has been aborted. An action failed.\nOperation aborted (Error: 80004004; Source: Windows)"
            ),
            Event::GroupFailed {
                name: "Capture Image",
                code: Some(0x8000_4004)
            }
        );
        assert_eq!(
            classify(
                "TSManager",
                "Task sequence execution failed with error code 80004005"
            ),
            Event::TaskSequenceFailed(Some(0x8000_4005))
        );
        assert_eq!(
            classify(
                "TSManager",
                "Task Sequence Engine failed! Code: enExecutionFail"
            ),
            Event::TaskSequenceFailed(None)
        );
        assert_eq!(
            classify("TSMBootstrap", "Exiting with return code 0x80004005"),
            Event::BootstrapExit(0x8000_4005)
        );
        assert_eq!(code_from_decimal("-2147024894"), Some(0x8007_0002));
        assert_eq!(code_from_decimal("2278557191"), Some(0x87D0_0607));
        assert_eq!(code_from_decimal("99999999999"), None);
    }

    #[test]
    fn bootstrap_lines() {
        assert_eq!(
            classify(
                "TSMBootstrap",
                r#"Command line: "X:\sms\bin\x64\TsmBootstrap.exe" /env:WinPE /configpath:X:\sms\data\ "#
            ),
            Event::Bootstrap {
                env: Some("WinPE"),
                drive: Some('X')
            }
        );
        assert_eq!(
            classify(
                "OSDSetupHook",
                r"Launch C:\WINDOWS\CCM\TSMBootStrap.exe /env:Gina /configpath:C:\_SMSTaskSequence /bootcount:1"
            ),
            Event::Bootstrap {
                env: Some("Gina"),
                drive: Some('C')
            }
        );
        assert_eq!(
            classify(
                "TSMBootstrap",
                "==============================[ TSMBootStrap.exe ]=============================="
            ),
            Event::Banner
        );
        assert_eq!(
            classify("Reboot", "SMSTSRebootRequested=WinPE"),
            Event::RebootRequested { to_disk: false }
        );
        assert_eq!(
            classify(
                "TSManager",
                "Set a global environment variable SMSTSRebootRequested="
            ),
            Event::Var {
                name: "SMSTSRebootRequested",
                value: ""
            }
        );
    }
}
