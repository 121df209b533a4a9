//! The bad-input table, `tests/bad-inputs.md`: every bad input a broken
//! machine or a stranger can hand us goes through the CLI
//! (`logweave stats BAD SAMPLE`: the message naming the file, the exit code,
//! and the sample's figures still printed) and through the window (kittest:
//! what it shows, and the sample's tab still works). The table is written
//! from what this test sees and the test fails when the file says
//! otherwise; `LOGWEAVE_BLESS=1 cargo test --test bad_inputs` rewrites it.
#![cfg(feature = "gui")]

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use egui_kittest::Harness;
use egui_kittest::kittest::{By, NodeT, Queryable};
use logweave::gui::{LogWeaveApp, Settings};

mod common;
use common::sample;
#[path = "common/archives.rs"]
mod archives;

/// One row of the table.
struct BadInput {
    /// What it is, as the table's first column says it.
    input: &'static str,
    /// Makes it in the folder given; returns the path to open.
    make: fn(&Path) -> PathBuf,
    /// Exit code of `logweave stats BAD SAMPLE`.
    cli_exit: i32,
    /// Text the CLI prints about it (stderr or its stats block).
    cli_says: &'static str,
    /// Text the window shows about it (a notice, a banner, the bundle
    /// panel or the status bar of its tab).
    window_says: &'static str,
}

const SAMPLE_RECORDS: &str = "205 records";

fn rows() -> Vec<BadInput> {
    vec![
        BadInput {
            input: "missing file",
            make: |dir| dir.join("missing.log"),
            cli_exit: 1,
            cli_says: "missing.log: No such file or directory",
            window_says: "missing.log: No such file or directory",
        },
        BadInput {
            input: "a folder with no logs in it",
            make: |dir| {
                let folder = dir.join("empty-folder");
                std::fs::create_dir(&folder).unwrap();
                std::fs::write(folder.join("notes.docx"), b"PK").unwrap();
                folder
            },
            cli_exit: 1,
            cli_says: "empty-folder: no logs in this folder or archive",
            window_says: "No logs here (.log, .lo_ or .txt files",
        },
        BadInput {
            input: "permission denied (file mode 000; as root, without the capabilities that override it)",
            make: |dir| {
                let path = dir.join("secret.log");
                std::fs::write(&path, b"line\n").unwrap();
                set_mode(&path, 0o000);
                path
            },
            cli_exit: 1,
            cli_says: "secret.log: Permission denied",
            window_says: "secret.log: Permission denied",
        },
        BadInput {
            input: "empty file",
            make: |dir| write(dir, "empty.log", Vec::new()),
            cli_exit: 0,
            cli_says: "0 bytes, 0 records",
            window_says: "Records: 0",
        },
        BadInput {
            input: "NUL padding after the last record (a log cut off by a power loss)",
            make: |dir| write(dir, "nul-padded.log", fixture("ccm_nul_padding.log")),
            cli_exit: 0,
            cli_says: "3 records",
            window_says: "Records: 3",
        },
        BadInput {
            input: "100 MB line without a newline",
            make: |dir| write(dir, "one-line.log", vec![b'x'; 100_000_000]),
            cli_exit: 0,
            cli_says: "100000000 bytes, 1 records",
            window_says: "Records: 1",
        },
        BadInput {
            input: "binary junk",
            make: |dir| write(dir, "junk.log", junk(200_000)),
            cli_exit: 0,
            cli_says: "does not look like a text log (mostly binary bytes)",
            window_says: "does not look like a text log",
        },
        BadInput {
            input: "invalid UTF-8",
            make: |dir| {
                write(
                    dir,
                    "latin1.log",
                    b"caf\xe9 opened\nbad \xc3 byte \xff\xfe\nlast line\n".to_vec(),
                )
            },
            cli_exit: 0,
            cli_says: "plain (windows-1252)",
            window_says: "Records: 3",
        },
        BadInput {
            input: "invalid UTF-16 (lone surrogates)",
            make: |dir| {
                let mut bytes = vec![0xff, 0xfe];
                let text = "<![LOG[ok]LOG]!><time=\"10:00:00.000+000\" date=\"01-02-2024\" component=\"c\" context=\"\" type=\"1\" thread=\"1\" file=\"\">\r\n";
                bytes.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
                // A high surrogate not followed by a low one, then a lone low one.
                bytes.extend([0x00, 0xd8, b'A', 0x00, 0x00, 0xdc, b'\r', 0, b'\n', 0]);
                write(dir, "surrogates.log", bytes)
            },
            cli_exit: 0,
            cli_says: "ccm (utf-16le)",
            window_says: "Records: 2",
        },
        BadInput {
            input: "truncated CCM record",
            make: |dir| write(dir, "truncated.log", fixture("ccm_truncated.log")),
            cli_exit: 0,
            cli_says: "3 records",
            window_says: "Records: 3",
        },
        BadInput {
            input: "malformed times and biases",
            make: |dir| {
                let record = |time: &str, date: &str, kind: &str| {
                    format!(
                        "<![LOG[{time} {date}]LOG]!><time=\"{time}\" date=\"{date}\" component=\"c\" context=\"\" type=\"{kind}\" thread=\"x\" file=\"\">\n"
                    )
                };
                let text = [
                    record("99:99:99.999+99999999999", "13-45-20xx", "3"),
                    record("", "", ""),
                    record("10:00:00.000-2147483648", "02-30-2024", "2"),
                    record("10:00:00.000+", "02-28-2024", "1"),
                ]
                .concat();
                write(dir, "bad-times.log", text.into_bytes())
            },
            cli_exit: 0,
            cli_says: "4 records",
            window_says: "Records: 4",
        },
        BadInput {
            input: "5 GB sparse file (all NUL)",
            make: |dir| {
                let path = dir.join("sparse.log");
                std::fs::File::create(&path)
                    .unwrap()
                    .set_len(5 << 30)
                    .unwrap();
                path
            },
            cli_exit: 0,
            cli_says: "5368709120 bytes, 0 records",
            window_says: "Records: 0",
        },
        BadInput {
            input: "a file cut to nothing while it is being indexed",
            make: |dir| {
                let path = write(dir, "vanishing.log", big_ccm(200 << 20));
                cut_soon(&path);
                path
            },
            cli_exit: 0,
            cli_says: "0 bytes, 0 records",
            window_says: "Records: 0",
        },
        BadInput {
            input: "corrupt settings file (the CLI does not read it)",
            make: |dir| {
                std::fs::write(dir.join("settings.json"), br#"{"font_size": "huge", "#).unwrap();
                dir.join("settings.json")
            },
            cli_exit: 0,
            cli_says: SAMPLE_RECORDS,
            window_says: "could not be read (invalid type: string \"huge\", expected f32",
        },
        BadInput {
            input: "damaged archive",
            make: |dir| write(dir, "damaged.zip", b"PK\x03\x04 and then nothing".to_vec()),
            cli_exit: 1,
            cli_says: "damaged.zip: not a readable zip archive",
            window_says: "not a readable zip archive",
        },
        BadInput {
            input: "zip bomb (a 2 GiB entry of zeros in 2 MB)",
            make: |dir| {
                let path = dir.join("bomb.zip");
                archives::zero_bomb(&path, "zeros.log", 2 << 30);
                path
            },
            cli_exit: 1,
            cli_says: "expands more than 1000 times its compressed size (zip bomb?)",
            window_says: "zip bomb?",
        },
        BadInput {
            input: "FIFO (named pipe) with no writer",
            make: |dir| {
                let path = dir.join("fifo.log");
                let made = Command::new("mkfifo").arg(&path).status().unwrap();
                assert!(made.success());
                path
            },
            cli_exit: 1,
            cli_says: "fifo.log: is a named pipe (FIFO), not a file",
            window_says: "is a named pipe (FIFO), not a file",
        },
        BadInput {
            input: "device file (/dev/zero)",
            make: |_| PathBuf::from("/dev/zero"),
            cli_exit: 1,
            cli_says: "/dev/zero: is a character device, not a file",
            window_says: "is a character device, not a file",
        },
    ]
}

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/data")
            .join(name),
    )
    .unwrap()
}

fn write(dir: &Path, name: &str, bytes: Vec<u8>) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

#[cfg(unix)]
fn set_mode(path: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

/// Deterministic bytes of every value (xorshift).
fn junk(len: usize) -> Vec<u8> {
    let mut state = 0x9e37_79b9_7f4a_7c15_u64;
    (0..len)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state >> 24) as u8
        })
        .collect()
}

/// About `size` bytes of CCM records.
fn big_ccm(size: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(size + 256);
    let mut i = 0u64;
    while out.len() < size {
        let _ = write!(
            PushBytes(&mut out),
            "<![LOG[Record {i} of a log that will be cut]LOG]!><time=\"10:{:02}:{:02}.000+000\" date=\"01-02-2024\" component=\"TSManager\" context=\"\" type=\"1\" thread=\"42\" file=\"\">\r\n",
            (i / 60) % 60,
            i % 60
        );
        i += 1;
    }
    out
}

struct PushBytes<'a>(&'a mut Vec<u8>);
impl std::fmt::Write for PushBytes<'_> {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        self.0.extend_from_slice(s.as_bytes());
        Ok(())
    }
}

/// Cuts `path` to nothing 150 ms from now (while it is being indexed: the
/// 200 MB take seconds to index in a test build).
fn cut_soon(path: &Path) {
    let path = path.to_owned();
    std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(150));
        std::fs::File::create(&path).unwrap();
    });
}

/// `setpriv` option that takes from root the capabilities that let it read
/// any file: it stays root (and reads the test binary and the sample
/// wherever the clone is) but a file of mode 000 is denied.
const DROP_OVERRIDES: &str = "--bounding-set=-dac_override,-dac_read_search";

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| o.stdout.trim_ascii() == b"0")
}

/// `logweave stats BAD SAMPLE` (without root's overrides when
/// `without_overrides`): exit code,
/// stdout and stderr.
fn cli(bad: &Path, config_dir: &Path, without_overrides: bool) -> (i32, String, String) {
    let exe = env!("CARGO_BIN_EXE_logweave");
    let mut command = if without_overrides {
        let mut c = Command::new("setpriv");
        c.args([DROP_OVERRIDES, exe]);
        c
    } else {
        Command::new(exe)
    };
    let out = command
        .arg("stats")
        .arg(bad)
        .arg(sample())
        .env("LOGWEAVE_CONFIG_DIR", config_dir)
        .output()
        .expect("run logweave");
    (
        out.status.code().expect("exited, not killed by a signal"),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// What the CLI said about `bad`, for the table: its line on stderr, or
/// its stats block without the timing line.
fn cli_summary(bad: &Path, stdout: &str, stderr: &str) -> String {
    let name = bad.file_name().unwrap().to_string_lossy().into_owned();
    if let Some(line) = stderr.lines().find(|l| l.contains(&name)) {
        return line.to_owned();
    }
    let mut lines = stdout.lines().skip_while(|l| !l.ends_with(&name));
    let head = lines.next().unwrap_or_default().to_owned();
    let block: Vec<String> = lines
        .take_while(|l| l.starts_with("  "))
        .filter(|l| !l.trim_start().starts_with("indexed"))
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect();
    if head.is_empty() {
        return stdout.lines().next().unwrap_or_default().to_owned();
    }
    format!("{head}: {}", block.join("; "))
}

fn settle(h: &mut Harness<'static, LogWeaveApp>, what: &str) {
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        h.step();
        let app = h.state();
        let quiet = app.tabs.iter().all(|t| t.busy().is_none())
            && !app.is_opening()
            && !app.bundle.is_busy();
        if quiet {
            h.run_steps(4);
            return;
        }
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(10));
    }
}

/// Opens the sample and `bad` in the window (with the settings file at
/// `settings`, when given); checks that `window_says` is shown and the
/// sample's tab still works; returns the text shown.
fn window(bad: &Path, settings: Option<&Path>, window_says: &str) -> String {
    let loaded = settings.map(logweave::settings::load_from);
    let files: Vec<PathBuf> = if settings.is_some() {
        vec![sample()]
    } else {
        vec![sample(), bad.to_owned()]
    };
    // Undecodable bytes read as U+FFFD, which egui's bundled font has no
    // glyph for: the window draws its box ("tofu"), which is the look
    // wanted here; kittest would panic on it by default.
    let mut h = Harness::builder()
        .with_size(egui::vec2(1200.0, 760.0))
        .allow_missing_glyphs()
        .build_eframe(move |_cc| {
            let (settings, problem) = match loaded {
                Some(l) => (l.settings.unwrap_or_default(), l.problem),
                None => (Settings::default(), None),
            };
            let mut app = LogWeaveApp::with_settings(settings, &files, None);
            app.report_settings_problem(problem);
            app
        });
    settle(&mut h, &format!("{} to open", bad.display()));
    // The tab of the bad input, when it opened as one, is the one looked at.
    let bad_tab = h
        .state()
        .tabs
        .iter()
        .position(|t| t.primary().doc().path() == bad);
    if let Some(i) = bad_tab {
        h.state_mut().active = i;
        h.run_steps(3);
    }
    let shown = h
        .query_all(By::new().label_contains(window_says))
        .next()
        .unwrap_or_else(|| {
            let notices: Vec<&str> = h.state().notices.iter().map(|n| n.text.as_str()).collect();
            let labels: Vec<String> = h
                .query_all(By::new().predicate(|n| n.label().is_some() || n.value().is_some()))
                .filter_map(|n| {
                    let n = n.accesskit_node();
                    n.label().or(n.value())
                })
                .collect();
            panic!(
                "the window shows \"{window_says}\" for {}\nnotices: {notices:?}\nlabels: {labels:?}",
                bad.display()
            )
        })
        .accesskit_node();
    let shown = shown.label().or(shown.value()).unwrap_or_default();
    // The sample is whole and its tab works.
    let sample_tab = h
        .state()
        .tabs
        .iter()
        .position(|t| t.primary().doc().path() == sample())
        .expect("the sample opened");
    h.state_mut().active = sample_tab;
    h.run_steps(3);
    h.get_by_label("Records: 205");
    h.key_press(egui::Key::F8);
    h.run_steps(2);
    assert!(
        h.state().tabs[sample_tab]
            .primary()
            .cursor_record()
            .is_some(),
        "F8 selects the sample's first error"
    );
    shown
}

/// Runs one row; returns the table's line.
fn check(row: &BadInput, dir: &Path) -> String {
    let bad = (row.make)(dir);
    let is_settings = bad.file_name().is_some_and(|n| n == "settings.json");
    let config_dir = if is_settings {
        dir.to_owned()
    } else {
        dir.join("no-config")
    };
    let denied = row.input.starts_with("permission denied");
    let without_overrides = denied && is_root();
    let cli_target = if is_settings { sample() } else { bad.clone() };
    let (code, stdout, stderr) = cli(&cli_target, &config_dir, without_overrides);
    let said = if is_settings {
        cli_summary(&sample(), &stdout, &stderr)
    } else {
        cli_summary(&bad, &stdout, &stderr)
    };
    assert_eq!(
        code, row.cli_exit,
        "{}: exit code\n{stdout}\n{stderr}",
        row.input
    );
    assert!(
        stdout.contains(row.cli_says) || stderr.contains(row.cli_says),
        "{}: the CLI says \"{}\"\n{stdout}\n{stderr}",
        row.input,
        row.cli_says
    );
    assert!(
        stdout.contains(SAMPLE_RECORDS),
        "{}: the sample's figures are still printed\n{stdout}",
        row.input
    );
    if row.input.starts_with("a file cut") {
        // Cut again for the window (the CLI's pass saw the first cut).
        std::fs::write(&bad, big_ccm(200 << 20)).unwrap();
        cut_soon(&bad);
    }
    let shown = if without_overrides {
        window_without_overrides(&bad, row.window_says)
    } else {
        window(&bad, is_settings.then_some(bad.as_path()), row.window_says)
    };
    let tidy = |text: &str| {
        text.replace(&dir.display().to_string(), "DIR")
            .replace(&sample().display().to_string(), "SAMPLE")
            .replace('|', "\\|")
            .replace('\n', " ")
    };
    format!(
        "| {} | `{}` | {} | {} |\n",
        row.input,
        tidy(&said),
        code,
        tidy(&shown)
    )
}

/// The window part of the permission row for root (which reads every
/// file): this test binary again, under `setpriv` without root's overrides.
fn window_without_overrides(bad: &Path, window_says: &str) -> String {
    let out = Command::new("setpriv")
        .arg(DROP_OVERRIDES)
        .arg(std::env::current_exe().unwrap())
        .args([
            "--ignored",
            "--exact",
            "window_row_run_by_another_user",
            "--nocapture",
        ])
        .env("LOGWEAVE_BAD_INPUT", bad)
        .env("LOGWEAVE_BAD_INPUT_SAYS", window_says)
        .output()
        .expect("run the test binary under setpriv");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "the window row without root's overrides failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    stdout
        .lines()
        .find_map(|l| l.strip_prefix("WINDOW SHOWS: "))
        .expect("the child says what the window showed")
        .to_owned()
}

#[test]
#[ignore = "run by the_bad_input_table_holds under setpriv"]
fn window_row_run_by_another_user() {
    let bad = PathBuf::from(std::env::var_os("LOGWEAVE_BAD_INPUT").expect("LOGWEAVE_BAD_INPUT"));
    let says = std::env::var("LOGWEAVE_BAD_INPUT_SAYS").expect("LOGWEAVE_BAD_INPUT_SAYS");
    println!("WINDOW SHOWS: {}", window(&bad, None, &says));
}

#[test]
fn the_bad_input_table_holds() {
    let dir = tempfile::tempdir().unwrap();
    let mut table = String::from(
        "# Bad inputs\n\n\
         What LogWeave does with each bad input a broken machine or a stranger can\n\
         hand it. Written by `tests/bad_inputs.rs` from what it sees (regenerate with\n\
         `LOGWEAVE_BLESS=1 cargo test --test bad_inputs`): the CLI runs\n\
         `logweave stats BAD SAMPLE` and must still print the sample's figures; the\n\
         window opens the sample and the bad input together, and the sample's tab must\n\
         still count 205 records and jump to its first error with F8. `DIR` is the\n\
         test's temporary folder.\n\n\
         | input | `logweave stats` says | exit | the window shows |\n\
         |---|---|---|---|\n",
    );
    for row in rows() {
        let started = Instant::now();
        table.push_str(&check(&row, dir.path()));
        eprintln!("{}: {:.1} s", row.input, started.elapsed().as_secs_f64());
    }
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/bad-inputs.md");
    if std::env::var_os("LOGWEAVE_BLESS").is_some() {
        std::fs::write(&path, &table).unwrap();
    }
    let written = std::fs::read_to_string(&path).unwrap_or_default();
    assert_eq!(
        written, table,
        "tests/bad-inputs.md is not what the test sees (LOGWEAVE_BLESS=1 rewrites it)"
    );
}
