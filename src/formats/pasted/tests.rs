//! Unit tests of the pasted-copy grammar: each column layout, continuation
//! and separator lines, `&nbsp;`, run-together dates, 12-hour times,
//! detection, and that chunked re-synchronisation finds the records of one
//! sequential pass.

use std::sync::RwLock;
use std::sync::atomic::AtomicBool;

use super::*;
use crate::encoding::TextEncoding;
use crate::formats::{BiasConvention, Dialect, LogFormat, SeverityKeywords};
use crate::index::{BuildOptions, IndexProgress, IndexedRecord, RecordIndex, index_range};
use crate::model::Severity;
use crate::time::{date_to_days, format_rfc3339_ms, wall_ms};

fn dialect(encoding: TextEncoding) -> Dialect {
    Dialect::new(
        LogFormat::Pasted,
        encoding,
        0,
        BiasConvention::Native,
        SeverityRules::default(),
    )
}

/// Every record of `text` (UTF-8) in one sequential pass: its bytes and fields.
fn records(text: &str) -> Vec<(String, RecordFields)> {
    records_with(&dialect(TextEncoding::Utf8), text.as_bytes())
}

fn records_with(dialect: &Dialect, data: &[u8]) -> Vec<(String, RecordFields)> {
    let mut splitter = dialect.splitter();
    let mut out = Vec::new();
    let mut pos = dialect.bom_len;
    let eof = dialect.content_end(data);
    while pos < eof {
        let step = splitter.next(data, pos, eof);
        assert!(step.end > pos, "no progress at {pos}");
        let raw = &data[pos..step.end];
        let mut fields = dialect.fields(raw);
        // The meta found in the pass is the meta of the record's bytes alone.
        assert_eq!(dialect.meta(data, pos, &step), fields.meta, "{pos}");
        fields.meta = dialect.meta(data, pos, &step);
        out.push((dialect.encoding.decode(raw).into_owned(), fields));
        pos = step.end;
    }
    out
}

fn utc(fields: &RecordFields) -> Option<String> {
    fields.meta.utc_ms().map(format_rfc3339_ms)
}

fn at(year: i64, month: u32, day: u32, h: i64, m: i64, s: i64, ms: i64) -> i64 {
    wall_ms(
        date_to_days(year, month, day).unwrap(),
        ((h * 60 + m) * 60 + s) * 1000 + ms,
    )
}

#[test]
fn cmtrace_tab_copy_with_12_hour_times() {
    let text = "Resolved source to 'C:\\x'\tRunCommandLine\t3/21/2018 3:45:33 AM\t1160 (0x0488)\n\
                Process completed with exit code 9\tTSManager\t3/21/2018 12:05:00 AM\t1524 (0x05F4)\n\
                noon\tTSManager\t3/21/2018 12:00:01 PM\t1524 (0x05F4)\n\
                afternoon\tTSManager\t3/21/2018 1:00:00 pm\t1524 (0x05F4)\n";
    let got = records(text);
    assert_eq!(got.len(), 4);
    let f = &got[0].1;
    assert_eq!(f.message, "Resolved source to 'C:\\x'");
    assert_eq!(f.component, "RunCommandLine");
    assert_eq!(f.time_text.as_deref(), Some("3/21/2018 3:45:33 AM"));
    assert_eq!(f.thread, "1160");
    assert_eq!(f.meta.zone, ZoneKind::Local);
    assert_eq!(f.meta.utc_adjust_minutes, 0);
    assert_eq!(f.meta.wall_ms, Some(at(2018, 3, 21, 3, 45, 33, 0)));
    // 12 AM is midnight, 12 PM noon, 1 PM 13:00.
    assert_eq!(got[1].1.meta.wall_ms, Some(at(2018, 3, 21, 0, 5, 0, 0)));
    assert_eq!(got[2].1.meta.wall_ms, Some(at(2018, 3, 21, 12, 0, 1, 0)));
    assert_eq!(got[3].1.meta.wall_ms, Some(at(2018, 3, 21, 13, 0, 0, 0)));
    assert_eq!(got[1].1.thread, "1524");
}

#[test]
fn tab_copies_in_24_hour_locales() {
    let got = records(
        "a\tX\t21.03.2018 15:45:33\t1\n\
         b\tX\t2018-03-21 15:45:33\t2\n\
         c\tX\t21/03/2018 15:45:33\t3\n\
         d\tX\t2018-03-21T15:45:33.250Z\t4\n\
         e\tX\t2018-03-21 15:45:33.250 +08:00\t5\n",
    );
    assert_eq!(got.len(), 5);
    for (i, (_, f)) in got.iter().enumerate() {
        let ms = if i >= 3 { 250 } else { 0 };
        assert_eq!(f.meta.wall_ms, Some(at(2018, 3, 21, 15, 45, 33, ms)), "{i}");
        // A written offset is read past, never applied.
        assert_eq!(
            (f.meta.zone, f.meta.utc_adjust_minutes),
            (ZoneKind::Local, 0)
        );
    }
}

#[test]
fn logweave_copies_read_back_their_columns() {
    // What `export::tsv_line` writes for CCM, simple and plain records.
    let got = records(
        "Failed to run the action: Apply Operating System.  The system cannot find the file specified.\tTSManager\t10-18-2019 10:21:04.163+240\t1100\n\
         SQL>>>>> Done.\tSMS_COLLECTION_EVALUATOR\t11-30-2022 01:03:34.174-60\t4844\n\
         2023-05-17 08:44:13, Error  CSI  x\tCSI\t2023-05-17 08:44:13\t\n\
         no date\tIME\t04:53:16.3323547\t7\n\
         no time\tTSManager\t3-8-2021\t\n\
         just text\t\t\t\n",
    );
    assert_eq!(got.len(), 6);
    let f = &got[0].1;
    assert_eq!(
        f.message,
        "Failed to run the action: Apply Operating System.  The system cannot find the file specified."
    );
    assert_eq!(
        (f.component.as_str(), f.thread.as_str()),
        ("TSManager", "1100")
    );
    assert_eq!(f.time_text.as_deref(), Some("10-18-2019 10:21:04.163+240"));
    assert_eq!(f.meta.severity, Severity::Info);
    // The bias is text: the copy is local time, never guessed into UTC.
    assert_eq!(utc(f).as_deref(), Some("2019-10-18T10:21:04.163Z"));
    assert_eq!(got[1].1.meta.wall_ms, Some(at(2022, 11, 30, 1, 3, 34, 174)));
    assert_eq!(got[2].1.meta.severity, Severity::Error);
    assert_eq!(got[2].1.thread, "");
    assert_eq!(got[3].1.meta.wall_ms, None);
    assert_eq!(got[3].1.time_text.as_deref(), Some("04:53:16.3323547"));
    assert_eq!(got[4].1.time_text.as_deref(), Some("3-8-2021"));
    assert_eq!(got[5].1.message, "just text");
    assert_eq!(got[5].1.time_text, None);
}

#[test]
fn date_first_columns_with_any_gap() {
    let got = records(
        "01-13-2016 17:56:35.510   TSManager    2176 (0x880)    Start executing an instruction.\n\
         01-13-201617:56:35.525    TSManager    2176 (0x880)    Run together\n\
         02-07-2022 09:41:51.246 TSBootShell 1136 (0x470) Volume not found\n\
         02-07-2022 09:41:52.000&nbsp; &nbsp;TSBootShell&nbsp;1136 (0x470)&nbsp; &nbsp;web&nbsp;page\n\
         02-07-2022 09:41:53.000\tTSBootShell\t1136 (0x470)\n",
    );
    assert_eq!(got.len(), 5);
    let f = &got[0].1;
    assert_eq!(f.time_text.as_deref(), Some("01-13-2016 17:56:35.510"));
    assert_eq!(
        (f.component.as_str(), f.thread.as_str()),
        ("TSManager", "2176")
    );
    assert_eq!(f.message, "Start executing an instruction.");
    assert_eq!(f.meta.wall_ms, Some(at(2016, 1, 13, 17, 56, 35, 510)));
    let f = &got[1].1;
    assert_eq!(f.time_text.as_deref(), Some("01-13-201617:56:35.525"));
    assert_eq!(f.meta.wall_ms, Some(at(2016, 1, 13, 17, 56, 35, 525)));
    assert_eq!(f.message, "Run together");
    assert_eq!(got[2].1.component, "TSBootShell");
    assert_eq!(got[2].1.message, "Volume not found");
    assert_eq!(got[3].1.component, "TSBootShell");
    assert_eq!(got[3].1.thread, "1136");
    assert_eq!(got[3].1.message, "web page");
    assert_eq!(got[4].1.message, "");
    assert_eq!(got[4].1.thread, "1136");
}

#[test]
fn component_first_columns_and_nbsp() {
    let got = records(
        "TSManager    g_TSManager.Run(), HRESULT=80070005\n\
         TSMBootstrap &nbsp; &nbsp;[TSMESSAGING] &nbsp; &nbsp;: dwStatusInformationLength is 4\n\
         OSDBitLocker\tInvalid command line argument\n\
         ErrorReporter  all good\n",
    );
    assert_eq!(got.len(), 4);
    assert_eq!(got[0].1.component, "TSManager");
    assert_eq!(got[0].1.message, "g_TSManager.Run(), HRESULT=80070005");
    assert_eq!(got[0].1.time_text, None);
    assert_eq!(got[0].1.meta.zone, ZoneKind::None);
    assert_eq!(got[1].1.component, "TSMBootstrap");
    assert_eq!(
        got[1].1.message,
        "[TSMESSAGING]    : dwStatusInformationLength is 4"
    );
    assert_eq!(got[2].1.component, "OSDBitLocker");
    // The keyword rule reads the message, not the component.
    assert_eq!(got[3].1.meta.severity, Severity::Info);
    // One space is no column gap.
    assert_eq!(classify(b"TSManager message"), Line::Text);
    assert_eq!(classify(b"TSManager  "), Line::Text);
}

#[test]
fn continuation_and_separator_lines() {
    let text = "preface without columns\n\
                more preface\n\
                01-13-2016 17:56:36.150    InstallApplication    1608 (0x648)    Raising event:\n\
                instance of CCM_PolicyAgent_SettingsEvaluationComplete\n\
                {\n\
                \n\
                ProcessID = 1392; ERROR here;\n\
                };\n\
                \\-----------------------------------\n\
                TSManager    after the separator\n\
                continued line with&nbsp;nbsp\n\
                \n\
                ------\n";
    let got = records(text);
    let messages: Vec<&str> = got.iter().map(|(_, f)| f.message.as_str()).collect();
    assert_eq!(
        messages,
        [
            "preface without columns\nmore preface",
            "Raising event:\ninstance of CCM_PolicyAgent_SettingsEvaluationComplete\n{\n\nProcessID = 1392; ERROR here;\n};",
            "\\-----------------------------------",
            "after the separator\ncontinued line with nbsp",
            "------",
        ]
    );
    // The keyword in a continuation line counts.
    assert_eq!(got[1].1.meta.severity, Severity::Error);
    assert_eq!(got[1].1.thread, "1608");
    assert_eq!(got[2].1.component, "");
    // The records cover the text exactly.
    assert_eq!(
        got.iter().map(|(raw, _)| raw.as_str()).collect::<String>(),
        text
    );
    assert!(is_separator(b"!-----!"));
    assert!(is_separator(b"  ===== "));
    assert!(!is_separator(b"--"));
    assert!(!is_separator(b"--- x"));
    assert!(!is_separator(b""));
}

#[test]
fn crlf_lines_keep_their_breaks_inside_messages() {
    let got = records("TSManager  first\r\nsecond\r\n\r\nTSManager  next\r\n");
    assert_eq!(got.len(), 2);
    assert_eq!(got[0].1.message, "first\r\nsecond");
    assert_eq!(got[0].0, "TSManager  first\r\nsecond\r\n\r\n");
}

#[test]
fn a_record_ends_before_a_line_still_being_written() {
    let sc = Scanner::new(TextEncoding::Utf8, 0);
    // The next line could still become a continuation: provisional.
    let data = b"TSManager  one\nTSManager  t";
    let step = next(&sc, data, 0, data.len());
    assert_eq!((step.end, step.eof_dependent), (15, true));
    let data = b"TSManager  one\nTSManager  two\n";
    let step = next(&sc, data, 0, data.len());
    assert_eq!((step.end, step.eof_dependent), (15, false));
    // Continuations may still follow the last record.
    let step = next(&sc, data, 15, data.len());
    assert_eq!((step.end, step.eof_dependent), (data.len(), true));
    // A separator line ends its record at once.
    let data = b"-----\nx\n";
    let step = next(&sc, data, 0, data.len());
    assert_eq!((step.end, step.eof_dependent), (6, false));
}

#[test]
fn long_runs_without_columns_are_cut() {
    let line = format!("{}\n", "x".repeat(1000));
    let text = format!("TSManager  start\n{}", line.repeat(100));
    let got = records(&text);
    assert!(got.len() > 1);
    for (raw, _) in &got {
        assert!(raw.len() <= MAX_RECORD_BYTES + line.len());
    }
}

#[test]
fn utf16_pastes() {
    let text =
        "TSManager    Grüße\r\nweiter\r\n01-13-2016 17:56:35.510 TSManager 2176 (0x880) x\r\n";
    let data: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
    let got = records_with(&dialect(TextEncoding::Utf16Le), &data);
    assert_eq!(got.len(), 2);
    assert_eq!(got[0].1.message, "Grüße\r\nweiter");
    assert_eq!(got[1].1.thread, "2176");
    assert_eq!(
        got[1].1.meta.wall_ms,
        Some(at(2016, 1, 13, 17, 56, 35, 510))
    );
}

#[test]
fn detects_pastes_only_on_clear_evidence() {
    let pasted = [
        "a\tRunCommandLine\t3/21/2018 3:45:33 AM\t1160 (0x0488)\nb\tX\t3/21/2018 3:45:34 AM\t1160 (0x0488)\n",
        "01-13-2016 17:56:35.510   TSManager    2176 (0x880)    x\ncontinued\n01-13-2016 17:56:35.511   TSManager    2176 (0x880)    y\n",
        "TSManager    a\n\nTSManager    b\ntsmanager\tc\n",
        "TSMBootstrap &nbsp; &nbsp;a\n\\-----\nTSMBootstrap &nbsp; &nbsp;b\n",
        // LogWeave's copy of rows that have a component only.
        "g_TSManager.Run()\tTSManager\t\t\nhMap != 0\tTSManager\t\t\n",
    ];
    for text in pasted {
        assert_eq!(detect(text), Some(DateOrder::MonthFirst), "{text}");
        assert_eq!(
            super::super::detect_format(text),
            LogFormat::Pasted,
            "{text}"
        );
    }
    let plain = [
        "",
        "just a message\nanother message\n",
        "2023-05-17 08:24:08, Info                  CBS    TI: --- Initializing Trusted Installer ---\n2023-05-17 08:24:08, Info  CBS  x\n",
        "MSI (s) (74:A8) [12:44:33:444]: Note: 1: 1708\n=== Logging started: 4/25/2015  4:25:27 ===\n",
        // Component-first with unknown names only: no evidence.
        "Product  Version\nWidget  1.0\n",
        // A minority of column lines.
        "x\ny\nz\nTSManager    a\n",
        // Tabs without a time or thread column.
        "a\tb\t\t\nc\td\t\t\n",
    ];
    for text in plain {
        assert_eq!(detect(text), None, "{text}");
    }
    // CCM and simple detection come first.
    assert_eq!(
        super::super::detect_format(
            "hello  $$<SMS_X><11-30-2022 01:03:34.174-60><thread=4844 (0x12EC)>\nTSManager  x\n"
        ),
        LogFormat::Simple
    );
}

#[test]
fn day_first_dates_are_detected_per_file() {
    let text = "a\tX\t21/03/2018 15:45:33\t1\nb\tX\t05/03/2018 15:45:33\t1\n";
    assert_eq!(detect(text), Some(DateOrder::DayFirst));
    let d = Dialect::detect(text.as_bytes(), &SeverityKeywords::default());
    assert_eq!(
        (d.format, d.dates),
        (LogFormat::Pasted, DateOrder::DayFirst)
    );
    let got = records_with(&d, text.as_bytes());
    assert_eq!(got[1].1.meta.wall_ms, Some(at(2018, 3, 5, 15, 45, 33, 0)));
    // Month first when a date says so, or nothing does.
    let us = "a\tX\t03/21/2018 15:45:33\t1\nb\tX\t05/03/2018 15:45:33\t1\n";
    assert_eq!(detect(us), Some(DateOrder::MonthFirst));
    let got = records(us);
    assert_eq!(got[1].1.meta.wall_ms, Some(at(2018, 5, 3, 15, 45, 33, 0)));
}

#[test]
fn written_datetimes() {
    let p = |s: &str| time::parse_written_datetime(s.as_bytes(), DateOrder::MonthFirst);
    let t = p("3/21/2018 12:59:59 AM x").unwrap();
    assert_eq!(t.wall_ms, at(2018, 3, 21, 0, 59, 59, 0));
    assert_eq!(t.len, "3/21/2018 12:59:59 AM".len());
    assert_eq!(p("3/21/2018 13:00:00 PM"), None);
    assert_eq!(p("3/21/2018 0:00:00 AM"), None);
    assert_eq!(p("2/30/2018 1:00:00"), None);
    assert_eq!(p("3/21/18 1:00:00"), None);
    assert_eq!(p("3/21/2018"), None);
    let t = p("10-18-2019 10:21:04.163+240 TSManager").unwrap();
    assert_eq!(t.len, "10-18-2019 10:21:04.163+240".len());
    let t = p("2013-01-27 10:55:33:210 x").unwrap();
    assert_eq!(t.wall_ms, at(2013, 1, 27, 10, 55, 33, 210));
    let t = p("02-07-2022 09:41:51.246 AMService").unwrap();
    assert_eq!(t.len, "02-07-2022 09:41:51.246".len());
    assert_eq!(p("2018-03-2115:45:33"), None);
    assert_eq!(
        time::parse_written_date(b"21.03.2018", DateOrder::MonthFirst),
        date_to_days(2018, 3, 21)
    );
}

/// Every prefix of a paste (each length the file could have while it is
/// written): no panic, and a record found from any line start ends where
/// the record of a sequential pass that holds that line ends.
#[test]
fn any_line_start_resynchronises() {
    let text = "preface\n\
                TSManager    a\r\n\
                more\n\
                \n\
                -----\n\
                01-13-2016 17:56:35.510   TSManager    2176 (0x880)    b\n\
                c\td\t3/21/2018 3:45:33 AM\t1160 (0x0488)\n\
                tail\r\
                TSMBootstrap &nbsp; &nbsp;end";
    let sc = Scanner::new(TextEncoding::Utf8, 0);
    let data = text.as_bytes();
    for len in 1..=data.len() {
        let mut ends = Vec::new();
        let mut pos = 0;
        while pos < len {
            let step = next(&sc, data, pos, len);
            ends.push(step.end);
            pos = step.end;
        }
        let mut line = 0;
        while line < len {
            let step = next(&sc, data, line, len);
            let holder = ends.iter().copied().find(|&e| e > line).unwrap();
            assert_eq!(step.end, holder, "len {len}, line at {line}");
            line = match sc.find_line_break(data, line, len) {
                Some((at, n)) => at + n,
                None => len,
            };
        }
    }
}

fn build(dialect: &Dialect, data: &[u8], options: &BuildOptions) -> Vec<IndexedRecord> {
    let index = RwLock::new(RecordIndex::new(dialect.bom_len as u64));
    index_range(
        dialect,
        data,
        &index,
        options,
        &IndexProgress::default(),
        &AtomicBool::new(false),
    )
    .unwrap();
    let ix = index.read().unwrap();
    (0..ix.len()).map(|i| ix.get(i).unwrap()).collect()
}

#[test]
fn chunked_builds_find_the_records_of_one_pass() {
    let mut text = String::new();
    for i in 0..80 {
        match i % 5 {
            0 => {
                text += &format!(
                    "step {i}\tTSManager\t3/21/2018 {}:45:33 PM\t1160 (0x0488)\r\n",
                    i % 12 + 1
                )
            }
            1 => {
                text += &format!(
                    "01-13-2016 17:56:{:02}.510    TSManager    2176 (0x880)    error {i}\nline two\n\n",
                    i % 60
                )
            }
            2 => text += &format!("TSMBootstrap &nbsp; &nbsp;warn {i}\n\\-------------\n"),
            3 => text += &format!("TSManager    a {i}\ninstance of X\n{{\n}};\n"),
            _ => text += "-----\n",
        }
    }
    let dialect = dialect(TextEncoding::Utf8);
    let one = build(
        &dialect,
        text.as_bytes(),
        &BuildOptions {
            threads: 1,
            ..BuildOptions::default()
        },
    );
    let by_hand: Vec<(usize, usize)> = records(&text)
        .iter()
        .scan(0, |pos, (raw, _)| {
            let start = *pos;
            *pos += raw.len();
            Some((start, *pos))
        })
        .collect();
    assert_eq!(
        one.iter()
            .map(|r| (r.start as usize, r.end as usize))
            .collect::<Vec<_>>(),
        by_hand
    );
    assert_eq!(one.len(), 80 + 16);
    for min_chunk_bytes in 1..=64 {
        for threads in [2, 3, 4] {
            let options = BuildOptions {
                threads,
                first_batch_bytes: 4096,
                max_batch_bytes: 4096,
                min_chunk_bytes,
            };
            assert_eq!(
                build(&dialect, text.as_bytes(), &options),
                one,
                "min_chunk {min_chunk_bytes}, threads {threads}"
            );
        }
    }
}

/// A file indexed while it was cut at every length, its provisional records
/// dropped, then indexed to the end: the records of one pass over the whole.
/// The cuts fall inside lines whose start has columns and whose whole has
/// none, so the record before them must stay provisional.
#[test]
fn growing_files_index_like_one_pass() {
    let text = "TSManager    a\n\
                x\tTSManager\t\t1100\tmore columns\n\
                01-13-2016 17:56:35.510 TSManager 2176 (0x880)x\n\
                TSManager    b\r\n\
                ---\n\
                ----- not a separator\n";
    let dialect = dialect(TextEncoding::Utf8);
    let data = text.as_bytes();
    let whole = build(&dialect, data, &BuildOptions::default());
    assert_eq!(whole.len(), 4);
    for cut in 0..=data.len() {
        let index = RwLock::new(RecordIndex::new(0));
        let (progress, cancel) = (IndexProgress::default(), AtomicBool::new(false));
        let options = BuildOptions {
            threads: 1,
            ..BuildOptions::default()
        };
        index_range(&dialect, &data[..cut], &index, &options, &progress, &cancel).unwrap();
        {
            let mut ix = index.write().unwrap();
            if let Some(from) = ix.provisional_from() {
                ix.truncate(from);
            }
        }
        index_range(&dialect, data, &index, &options, &progress, &cancel).unwrap();
        let ix = index.read().unwrap();
        let got: Vec<IndexedRecord> = (0..ix.len()).map(|i| ix.get(i).unwrap()).collect();
        assert_eq!(got, whole, "cut at {cut}");
    }
}
