//! Command-line parsing and dispatch. Output goes to stdout (records, JSON
//! Lines) and problems to stderr as one line per file naming the file; the
//! exit code is 1 when a file could not be read, 2 for usage errors.

#[cfg(feature = "gui")]
mod associate;
mod compare;
mod lookup;
mod merge;
mod outline;
mod rows;
mod search;
mod serve;
mod stats;
mod tail;
mod triage;

use std::io::{self, Write};
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use logweave::bundle::{self, Limits, LogEntry};
use logweave::document::OpenOptions;
use logweave::index::BuildOptions;
use logweave::source::MapPolicy;

/// LogWeave: a fast viewer for ConfigMgr, MDT, Intune and Windows logs.
#[derive(Parser, Debug)]
#[command(
    name = "logweave",
    version = logweave::LONG_VERSION,
    about,
    args_conflicts_with_subcommands = true
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    /// Log files to open in the viewer.
    files: Vec<PathBuf>,
    /// Open the files in one merged view (one timeline) instead of a tab each.
    #[arg(long, conflicts_with = "compare")]
    merge: bool,
    /// Open two files side by side, their rows lined up (e.g. two smsts.log runs).
    #[arg(long, conflicts_with = "task_sequence")]
    compare: bool,
    /// Open the task sequence's smsts.log copies as one chain: those on this
    /// computer's drives (X:\Windows\Temp\SMSTSLog, C:\_SMSTaskSequence\Logs,
    /// C:\Windows\CCM\Logs\SMSTSLog ...), or in the folder given.
    #[arg(long, conflicts_with = "merge")]
    task_sequence: bool,
    /// Open a window of its own, even when LogWeave is running already
    /// (by default the files open as tabs of the running window).
    #[arg(long)]
    new_window: bool,
    /// Draw the window on the CPU instead of the GPU (automatic in WinPE,
    /// and when no OpenGL 2 driver is there); LOGWEAVE_RENDERER=software
    /// does the same.
    #[arg(long)]
    software: bool,
    #[command(flatten)]
    engine: EngineArgs,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Format, encoding, record and severity counts, and time range of each file.
    Stats {
        /// Print JSON Lines (one object per file) instead of text.
        #[arg(long)]
        json: bool,
        /// Files to inspect.
        #[arg(required = true)]
        files: Vec<PathBuf>,
        #[command(flatten)]
        engine: EngineArgs,
    },
    /// Print the records of a file.
    Rows {
        /// Print JSON Lines (one object per record) instead of text.
        #[arg(long)]
        json: bool,
        /// The file to read.
        file: PathBuf,
        /// First record to print (0-based).
        #[arg(long, default_value_t = 0)]
        from: usize,
        /// Number of records to print (default: all).
        #[arg(long)]
        count: Option<usize>,
        #[command(flatten)]
        engine: EngineArgs,
    },
    /// Print the records of several files in one timeline.
    Merge {
        /// Print JSON Lines (one object per record, with `source`) instead of text.
        #[arg(long)]
        json: bool,
        /// Files to merge.
        #[arg(required = true)]
        files: Vec<PathBuf>,
        #[command(flatten)]
        engine: EngineArgs,
    },
    /// Follow logs in the console: the last records, then each new one as it is written.
    Tail {
        #[command(flatten)]
        args: tail::TailArgs,
        #[command(flatten)]
        engine: EngineArgs,
    },
    /// The step outline of a task sequence from its smsts.log copies (one
    /// chain, put in time order whatever the order given).
    Outline {
        /// Print JSON Lines (one object per instruction, then the outcome) instead of a tree.
        #[arg(long)]
        json: bool,
        /// smsts.log and its copies (rolled-over smsts-*.log, other locations).
        #[arg(required = true)]
        files: Vec<PathBuf>,
        #[command(flatten)]
        engine: EngineArgs,
    },
    /// What failed and why: the outcome, the failed step, the code with its
    /// name and meaning, the records that show it, harmless earlier errors
    /// and the logs to read next. Exit code 3 when the run failed, 4 when
    /// no task sequence is in the files.
    Triage {
        /// Print one JSON object.
        #[arg(long, conflicts_with = "markdown")]
        json: bool,
        /// Print Markdown for a ticket.
        #[arg(long)]
        markdown: bool,
        /// smsts.log and its copies, or folders holding them.
        #[arg(required = true)]
        files: Vec<PathBuf>,
        #[command(flatten)]
        engine: EngineArgs,
    },
    /// Two logs (e.g. smsts.log of two runs) lined up by task-sequence step,
    /// time since start or normalised message: the per-step summary and the
    /// rows that differ.
    Compare {
        /// Print JSON Lines (one object per aligned step, then one per differing row) instead of text.
        #[arg(long)]
        json: bool,
        /// How rows line up: step, time (since each file's start) or message.
        #[arg(long, default_value = "step", value_parser = ["step", "time", "message"])]
        by: String,
        /// The first log (A).
        a: PathBuf,
        /// The second log (B).
        b: PathBuf,
        #[command(flatten)]
        engine: EngineArgs,
    },
    /// Windows: make LogWeave the viewer of .log and .lo_ files for this user
    /// (logweavew.exe beside this program, or this program), check it, or undo it.
    #[cfg(feature = "gui")]
    Associate {
        /// Undo it: .log and .lo_ files open as they did before.
        #[arg(long, conflicts_with = "check")]
        remove: bool,
        /// Only say whether LogWeave opens them (exit 0 yes, 1 no).
        #[arg(long)]
        check: bool,
    },
    /// Records matching a text, a regular expression or an error code, in
    /// files, folders and zip/cab bundles (exit 3 when nothing matched).
    Search {
        #[command(flatten)]
        args: search::SearchArgs,
        #[command(flatten)]
        engine: EngineArgs,
    },
    /// Share this machine's logs, read-only, with LogWeave and browsers on
    /// other computers (a deployment followed from your desk): prints the
    /// address to open, with the token and the certificate's fingerprint.
    Serve {
        #[command(flatten)]
        args: serve::ServeArgs,
    },
    /// Every interpretation of an error code (0x80070002, 80070002, -2147024894, 1603, E_ACCESSDENIED).
    Lookup {
        /// Print JSON Lines (one object per interpretation) instead of text.
        #[arg(long)]
        json: bool,
        /// The code, in any written form, or a symbolic name.
        #[arg(allow_hyphen_values = true)]
        code: String,
    },
}

/// How `logweave FILE...` opens the window (the CLI's own copy: the window
/// may not be built in).
#[derive(Clone, Copy, Debug)]
enum Layout {
    Tabs,
    Merged,
    Compare,
    TaskSequence,
}

/// Engine settings shared by the subcommands (for scripts, tests and benchmarks).
#[derive(Args, Debug, Clone, Default)]
struct EngineArgs {
    /// Index with this many threads (0 = all cores).
    #[arg(long, global = true, default_value_t = 0)]
    threads: usize,
    /// Read files into memory instead of memory-mapping them.
    #[arg(long, global = true)]
    no_mmap: bool,
}

impl EngineArgs {
    fn open_options(&self) -> OpenOptions {
        OpenOptions {
            build: BuildOptions {
                threads: self.threads,
                ..BuildOptions::default()
            },
            map: if self.no_mmap {
                MapPolicy::Never
            } else {
                MapPolicy::Auto
            },
            ..OpenOptions::default()
        }
    }
}

/// Parses the command line and runs it.
pub fn run() -> std::process::ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Some(Command::Stats {
            json,
            files,
            engine,
        }) => stats::run(&files, json, &engine.open_options()),
        Some(Command::Rows {
            json,
            file,
            from,
            count,
            engine,
        }) => rows::run(&file, from, count, json, &engine.open_options()),
        Some(Command::Lookup { json, code }) => lookup::run(&code, json),
        #[cfg(feature = "gui")]
        Some(Command::Associate { remove, check }) => associate::run(remove, check),
        Some(Command::Merge {
            json,
            files,
            engine,
        }) => merge::run(&files, json, &engine.open_options()),
        Some(Command::Outline {
            json,
            files,
            engine,
        }) => outline::run(&files, json, &engine.open_options()),
        Some(Command::Triage {
            json,
            markdown,
            files,
            engine,
        }) => {
            let style = if json {
                triage::Style::Json
            } else if markdown {
                triage::Style::Markdown
            } else {
                triage::Style::Text
            };
            triage::run(&files, style, &engine.open_options())
        }
        Some(Command::Compare {
            json,
            by,
            a,
            b,
            engine,
        }) => compare::run(
            &a,
            &b,
            logweave::compare::AlignMode::from_name(&by).unwrap_or_default(),
            json,
            &engine.open_options(),
        ),
        Some(Command::Tail { args, engine }) => tail::run(&args, &engine.open_options()),
        Some(Command::Search { args, engine }) => search::run(&args, &engine.open_options()),
        Some(Command::Serve { args }) => serve::run(&args),
        None if cli.task_sequence && cli.files.len() > 1 => {
            eprintln!(
                "logweave: --task-sequence searches this computer, or one folder ({} given)",
                cli.files.len()
            );
            return std::process::ExitCode::from(2);
        }
        None if cli.compare && cli.files.len() != 2 => {
            eprintln!(
                "logweave: --compare opens exactly two files side by side ({} given)",
                cli.files.len()
            );
            return std::process::ExitCode::from(2);
        }
        None => {
            let layout = if cli.task_sequence {
                Layout::TaskSequence
            } else if cli.compare {
                Layout::Compare
            } else if cli.merge {
                Layout::Merged
            } else {
                Layout::Tabs
            };
            let remote = cli
                .files
                .iter()
                .any(|f| logweave::remote::is_remote(&f.to_string_lossy()));
            let files = match expand_remote(&cli.files, 64) {
                Ok(files) => files,
                Err(message) => {
                    eprintln!("logweave: {message}");
                    return std::process::ExitCode::FAILURE;
                }
            };
            // A running window has not connected to that server: open one of its own.
            return open_viewer(files, layout, cli.new_window || remote, cli.software);
        }
    };
    match result {
        Ok(code) => code,
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("logweave: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}

/// `logweave FILE...`: opens the viewer window.
#[cfg(feature = "gui")]
fn open_viewer(
    files: Vec<PathBuf>,
    layout: Layout,
    new_window: bool,
    software: bool,
) -> std::process::ExitCode {
    let layout = match layout {
        Layout::Tabs => logweave::gui::Layout::Tabs,
        Layout::Merged => logweave::gui::Layout::Merged,
        Layout::Compare => logweave::gui::Layout::Compare,
        Layout::TaskSequence => logweave::gui::Layout::TaskSequence,
    };
    logweave::sys::release_own_console();
    match logweave::gui::run(files, layout, new_window, software) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            let message = format!(
                "cannot open the viewer window: {e}\nWithout a window system (a server core, \
                 an SSH session), use the console: logweave tail FILE, logweave outline FILE."
            );
            eprintln!("logweave: {message}");
            logweave::sys::show_error_box("LogWeave", &message);
            std::process::ExitCode::FAILURE
        }
    }
}

/// Without the `gui` feature there is no window: say so and show the CLI's help.
#[cfg(not(feature = "gui"))]
fn open_viewer(
    _files: Vec<PathBuf>,
    _layout: Layout,
    _new_window: bool,
    _software: bool,
) -> std::process::ExitCode {
    use clap::CommandFactory;
    eprintln!(
        "logweave: this build has no viewer window (built without the `gui` feature); use a subcommand"
    );
    let _ = Cli::command().print_help();
    std::process::ExitCode::from(2)
}

/// The limits bundles are opened with; `LOGWEAVE_BUNDLE_MEMORY_LIMIT`
/// (bytes, for tests) lowers how big an entry may be to stay in memory.
fn bundle_limits() -> Limits {
    let mut limits = Limits::default();
    if let Some(bytes) = std::env::var("LOGWEAVE_BUNDLE_MEMORY_LIMIT")
        .ok()
        .and_then(|v| v.trim().parse().ok())
    {
        limits.memory_bytes = bytes;
    }
    limits
}

/// The logs the paths given stand for: a file is itself; a folder, a zip
/// or cab bundle, or a path inside one (`bundle.zip/SMSTSLog/smsts.log`)
/// expands to its logs. Each problem is reported and counted; a folder or
/// bundle without logs is one too. With `smsts_only`, a folder or bundle
/// stands for its smsts.log copies only (a file given is kept).
fn expand_inputs(paths: &[PathBuf], limits: &Limits, smsts_only: bool) -> (Vec<LogEntry>, usize) {
    let mut entries = Vec::new();
    let mut failed = 0;
    for path in paths {
        match bundle::expand(path, limits) {
            Ok(listing) => {
                for problem in &listing.problems {
                    report(&problem.path, &problem.message);
                    failed += 1;
                }
                let before = entries.len();
                entries.extend(listing.entries.into_iter().filter(|e| {
                    !smsts_only
                        || e.path == *path
                        || logweave::tasksequence::chain::is_smsts_name(&e.file_name())
                }));
                if entries.len() == before && listing.problems.is_empty() {
                    let what = if smsts_only {
                        "no smsts.log copies"
                    } else {
                        "no logs"
                    };
                    report(path, &format!("{what} in this folder or archive"));
                    failed += 1;
                }
            }
            Err(problem) => {
                report(&problem.path, &problem.message);
                failed += 1;
            }
        }
    }
    (entries, failed)
}

/// The one log a path stands for (`rows`, `compare`); anything else is
/// reported.
fn expand_one(path: &std::path::Path, limits: &Limits) -> Option<LogEntry> {
    let (mut entries, failed) = expand_inputs(&[path.to_path_buf()], limits, false);
    if failed > 0 {
        return None;
    }
    if entries.len() != 1 {
        report(
            path,
            &format!(
                "holds {} logs; name one of them (e.g. {})",
                entries.len(),
                entries
                    .first()
                    .map_or_else(String::new, |e| e.path.display().to_string())
            ),
        );
        return None;
    }
    entries.pop()
}

/// Opens a log entry and waits until it is indexed.
fn open_entry(
    entry: &LogEntry,
    options: &OpenOptions,
    limits: &Limits,
) -> Result<logweave::document::LogDocument, String> {
    bundle::open_blocking(entry, options.clone(), limits).map_err(|p| p.message)
}

/// Files read as one chain of smsts.log copies, oldest first.
struct Chain {
    docs: Vec<logweave::document::LogDocument>,
    names: Vec<String>,
    /// Files that could not be opened (each reported).
    failed: usize,
}

impl Chain {
    /// Opens `files` (files or bundle entries) and puts them in the order they were written (see
    /// [`logweave::tasksequence::chain::order_documents`]) whatever the
    /// order given; a file that cannot be opened is reported and counted.
    fn open(files: &[LogEntry], options: &OpenOptions, limits: &Limits) -> Chain {
        let mut opened = Vec::new();
        let mut failed = 0;
        for entry in files {
            match open_entry(entry, options, limits) {
                Ok(doc) => opened.push((entry.path.to_string_lossy().into_owned(), doc)),
                Err(e) => {
                    report(&entry.path, &e);
                    failed += 1;
                }
            }
        }
        let refs: Vec<&logweave::document::LogDocument> = opened.iter().map(|(_, d)| d).collect();
        let order = logweave::tasksequence::chain::order_documents(&refs);
        let mut slots: Vec<Option<(String, logweave::document::LogDocument)>> =
            opened.into_iter().map(Some).collect();
        let (names, docs) = order
            .iter()
            .filter_map(|&i| slots.get_mut(i).and_then(Option::take))
            .unzip();
        Chain {
            docs,
            names,
            failed,
        }
    }

    /// The documents, in order.
    fn refs(&self) -> Vec<&logweave::document::LogDocument> {
        self.docs.iter().collect()
    }
}

/// `inputs` with each server address (`https://HOST:PORT/#TOKEN&pin=…`, as
/// `logweave serve` prints it) connected to and replaced by the paths of
/// the served files it stands for (see [`logweave::remote::chosen_paths`]).
/// The error names the address (without its token) and says why.
fn expand_remote(inputs: &[PathBuf], limit: usize) -> Result<Vec<PathBuf>, String> {
    let mut out = Vec::new();
    for input in inputs {
        let text = input.to_string_lossy();
        if !logweave::remote::is_remote(&text) {
            out.push(input.clone());
            continue;
        }
        let address = logweave::remote::RemoteAddress::parse(&text)?;
        let (_, files) = logweave::remote::connect(&address)
            .map_err(|e| format!("{}: {e}", address.origin()))?;
        let chosen = logweave::remote::chosen_paths(&address, &files, limit);
        if chosen.is_empty() {
            return Err(format!("{}: serves no .log file yet", address.origin()));
        }
        out.extend(chosen.into_iter().map(PathBuf::from));
    }
    Ok(out)
}

/// Prints a problem with one file as a single line.
fn report(path: &std::path::Path, problem: &dyn std::fmt::Display) {
    let _ = writeln!(io::stderr(), "logweave: {}: {problem}", path.display());
}

/// Exit code for a run where `failed` files could not be read.
fn exit_code(failed: usize) -> std::process::ExitCode {
    if failed == 0 {
        std::process::ExitCode::SUCCESS
    } else {
        std::process::ExitCode::FAILURE
    }
}
