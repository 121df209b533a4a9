//! Filters (CMTrace's Tools > Filter, plus a quick filter): include and
//! exclude clauses on log text, component, thread, severity and time; all
//! clauses apply together. Evaluated over the index in parallel; clauses that
//! only need the index (severity, time) never decode a record.

use std::ops::Range;

use rayon::prelude::*;

use crate::document::LogDocument;
use crate::jobs::JobContext;
use crate::model::Severity;
use crate::search::Query;
use crate::time;

/// The column a clause looks at.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Field {
    /// The message (Log Text).
    Text,
    /// The component.
    Component,
    /// The thread id.
    Thread,
    /// The severity (values `info`, `warning`, `error`).
    Severity,
    /// The time as written (values like `2026-11-03 09:30` or `11-03-2026 09:30:36.343`).
    Time,
}

/// How a clause compares.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Op {
    /// Contains the text (case-insensitive).
    Contains,
    /// Does not contain the text.
    NotContains,
    /// Equal to the value (case-insensitive).
    Equals,
    /// Not equal to the value.
    NotEquals,
    /// Matches the regular expression.
    Matches,
    /// Does not match the regular expression.
    NotMatches,
    /// Time strictly before the value.
    Before,
    /// Time strictly after the value.
    After,
}

/// One condition.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Clause {
    /// Column.
    pub field: Field,
    /// Comparison.
    pub op: Op,
    /// Value as typed.
    pub value: String,
}

/// A set of clauses that must all hold.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Filter {
    /// The clauses.
    pub clauses: Vec<Clause>,
}

enum Test {
    Text {
        field: Field,
        matcher: regex::Regex,
        negate: bool,
    },
    Severity {
        set: [bool; 3],
    },
    Time {
        before: bool,
        wall_ms: i64,
    },
}

/// A filter ready to run.
pub struct CompiledFilter {
    tests: Vec<Test>,
    needs_fields: bool,
}

/// Parses a time typed by the user: `YYYY-MM-DD[ HH:MM[:SS[.fff]]]` or
/// `MM-DD-YYYY[ HH:MM[:SS[.fff]]]`, as wall-clock time.
pub fn parse_user_time(text: &str) -> Option<i64> {
    let text = text.trim();
    let (date, clock) = text.split_once([' ', 'T']).unwrap_or((text, ""));
    let days = if date.len() >= 8
        && date
            .as_bytes()
            .get(4)
            .is_some_and(|&b| b == b'-' || b == b'/')
    {
        let mut parts = date.split(['-', '/']);
        let y = parts.next()?.parse().ok()?;
        let m = parts.next()?.parse().ok()?;
        let d = parts.next()?.parse().ok()?;
        time::date_to_days(y, m, d)?
    } else {
        time::parse_mdy_date(date.as_bytes())?
    };
    let clock = clock.trim();
    let ms = if clock.is_empty() {
        0
    } else {
        let full = if clock.matches(':').count() == 1 {
            format!("{clock}:00")
        } else {
            clock.to_owned()
        };
        time::parse_ccm_time(full.as_bytes())?.ms
    };
    Some(time::wall_ms(days, ms))
}

impl Filter {
    /// True when there is nothing to filter by.
    pub fn is_empty(&self) -> bool {
        self.clauses.is_empty()
    }

    /// Compiles the clauses; a bad value (pattern, severity, time) is an error
    /// that names the clause.
    pub fn compile(&self) -> Result<CompiledFilter, String> {
        let mut tests = Vec::new();
        for clause in &self.clauses {
            let value = clause.value.trim();
            let test = match clause.field {
                Field::Severity => {
                    let wanted: Vec<Severity> = value
                        .split([',', ' '])
                        .filter(|w| !w.is_empty())
                        .map(|w| match w.to_ascii_lowercase().as_str() {
                            "info" | "information" => Ok(Severity::Info),
                            "warning" | "warn" => Ok(Severity::Warning),
                            "error" => Ok(Severity::Error),
                            other => Err(format!(
                                "unknown severity '{other}' (use info, warning, error)"
                            )),
                        })
                        .collect::<Result<_, _>>()?;
                    let mut set = [false; 3];
                    for s in wanted {
                        set[s as usize] = true;
                    }
                    if matches!(clause.op, Op::NotEquals | Op::NotContains) {
                        set = set.map(|b| !b);
                    }
                    Test::Severity { set }
                }
                Field::Time => {
                    let wall_ms = parse_user_time(value).ok_or_else(|| {
                        format!("'{value}' is not a time (use 2026-11-03 09:30:00)")
                    })?;
                    let before = match clause.op {
                        Op::Before => true,
                        Op::After => false,
                        _ => return Err("time clauses are 'before' or 'after'".into()),
                    };
                    Test::Time { before, wall_ms }
                }
                field => {
                    let (query, negate) = match clause.op {
                        Op::Contains | Op::NotContains => {
                            (Query::text(value), clause.op == Op::NotContains)
                        }
                        Op::Equals | Op::NotEquals => (
                            Query {
                                text: format!("^{}$", regex::escape(value)),
                                regex: true,
                                ..Query::default()
                            },
                            clause.op == Op::NotEquals,
                        ),
                        Op::Matches | Op::NotMatches => (
                            Query {
                                text: value.to_owned(),
                                regex: true,
                                match_case: true,
                                ..Query::default()
                            },
                            clause.op == Op::NotMatches,
                        ),
                        Op::Before | Op::After => {
                            return Err("'before' and 'after' apply to the time".into());
                        }
                    };
                    let pattern = if query.regex {
                        query.text.clone()
                    } else {
                        regex::escape(&query.text)
                    };
                    let pattern = if query.match_case {
                        pattern
                    } else {
                        format!("(?i){pattern}")
                    };
                    let matcher = regex::Regex::new(&pattern).map_err(|e| e.to_string())?;
                    Test::Text {
                        field,
                        matcher,
                        negate,
                    }
                }
            };
            tests.push(test);
        }
        let needs_fields = tests.iter().any(|t| matches!(t, Test::Text { .. }));
        Ok(CompiledFilter {
            tests,
            needs_fields,
        })
    }
}

/// Records per unit of parallel work.
const CHUNK_RECORDS: usize = 16 * 1024;

/// The records in `range` that pass the filter, in order.
pub fn apply(
    doc: &LogDocument,
    filter: &CompiledFilter,
    range: Range<usize>,
    ctx: &JobContext,
) -> Vec<u32> {
    let pass = if filter.needs_fields {
        doc.pass().ok()
    } else {
        None
    };
    if filter.needs_fields && pass.is_none() {
        return Vec::new();
    }
    let end = pass
        .as_ref()
        .map_or(range.end, |p| range.end.min(p.records))
        .min(doc.record_count());
    let range = range.start.min(end)..end;
    ctx.set_total(range.len() as u64);
    let chunks: Vec<Range<usize>> = range
        .clone()
        .step_by(CHUNK_RECORDS)
        .map(|s| s..(s + CHUNK_RECORDS).min(range.end))
        .collect();
    let kept: Vec<Vec<u32>> = chunks
        .par_iter()
        .map(|chunk| {
            if ctx.cancelled() {
                return Vec::new();
            }
            let (metas, spans) = doc.with_index(|index| {
                let metas: Vec<_> = chunk.clone().map(|i| index.meta(i)).collect();
                let spans: Vec<_> = if filter.needs_fields {
                    chunk.clone().map(|i| index.byte_range(i)).collect()
                } else {
                    Vec::new()
                };
                (metas, spans)
            });
            let mut out = Vec::new();
            for (k, meta) in metas.iter().enumerate() {
                let cheap_ok = filter.tests.iter().all(|t| match t {
                    Test::Severity { set } => set[meta.severity as usize],
                    Test::Time { before, wall_ms } => match meta.wall_ms {
                        Some(w) if *before => w < *wall_ms,
                        Some(w) => w > *wall_ms,
                        None => false,
                    },
                    Test::Text { .. } => true,
                });
                if !cheap_ok {
                    continue;
                }
                if let (true, Some(pass)) = (filter.needs_fields, &pass) {
                    let (start, end) = spans[k];
                    let fields = pass.fields(start, end);
                    let ok = filter.tests.iter().all(|t| match t {
                        Test::Text {
                            field,
                            matcher,
                            negate,
                        } => {
                            let text = match field {
                                Field::Component => &fields.component,
                                Field::Thread => &fields.thread,
                                _ => &fields.message,
                            };
                            matcher.is_match(text) != *negate
                        }
                        _ => true,
                    });
                    if !ok {
                        continue;
                    }
                }
                out.push(u32::try_from(chunk.start + k).unwrap_or(u32::MAX));
            }
            ctx.advance(chunk.len() as u64);
            out
        })
        .collect();
    kept.into_iter().flatten().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_times() {
        let a = parse_user_time("2026-11-03 09:30").unwrap();
        assert_eq!(time::format_rfc3339_ms(a), "2026-11-03T09:30:00.000Z");
        assert_eq!(
            parse_user_time("11-03-2026 09:30:36.343")
                .map(time::format_rfc3339_ms)
                .as_deref(),
            Some("2026-11-03T09:30:36.343Z")
        );
        assert_eq!(
            parse_user_time("2026-11-03")
                .map(time::format_rfc3339_ms)
                .as_deref(),
            Some("2026-11-03T00:00:00.000Z")
        );
        assert!(parse_user_time("yesterday").is_none());
    }

    #[test]
    fn compile_errors_are_clear() {
        let bad = Filter {
            clauses: vec![Clause {
                field: Field::Severity,
                op: Op::Equals,
                value: "fatal".into(),
            }],
        };
        assert!(bad.compile().err().unwrap().contains("fatal"));
        let bad = Filter {
            clauses: vec![Clause {
                field: Field::Text,
                op: Op::Before,
                value: "x".into(),
            }],
        };
        assert!(bad.compile().is_err());
    }
}
