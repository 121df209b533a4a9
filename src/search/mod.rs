//! Find: a query (text, match case, whole word, regular expression) compiled
//! into a matcher, and the whole-file search that lists the records whose
//! message matches. Runs in the caller's thread; the GUI wraps it in a
//! [`crate::jobs::Job`].
//! Never holds a file open: it reads records through the document.
//! [`scan`] finds matching records in a file's bytes without indexing it
//! first (`logweave search`).

pub mod scan;

use std::ops::Range;

use rayon::prelude::*;

use crate::document::LogDocument;
use crate::encoding::TextEncoding;
use crate::jobs::JobContext;

/// What the user typed in the find bar.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Query {
    /// The text or pattern.
    pub text: String,
    /// Match upper and lower case exactly.
    pub match_case: bool,
    /// Match whole words only.
    pub whole_word: bool,
    /// `text` is a regular expression.
    pub regex: bool,
}

/// A compiled [`Query`].
#[derive(Clone, Debug)]
pub struct Matcher {
    text: regex::Regex,
    /// For scanning raw file bytes before decoding; `None` when the pattern
    /// cannot be checked on raw bytes (anchors), so every record is decoded.
    raw: Option<regex::bytes::Regex>,
    /// True when the pattern is plain ASCII, so its raw form also matches
    /// text in a single-byte code page.
    ascii: bool,
}

impl Query {
    /// A plain, case-insensitive substring query.
    pub fn text(text: &str) -> Query {
        Query {
            text: text.to_owned(),
            ..Query::default()
        }
    }

    fn pattern(&self) -> String {
        let core = if self.regex {
            self.text.clone()
        } else {
            regex::escape(&self.text)
        };
        let core = if self.whole_word {
            format!(r"\b(?:{core})\b")
        } else {
            core
        };
        if self.match_case {
            core
        } else {
            format!("(?i){core}")
        }
    }

    /// Compiles the query; an empty query or a bad pattern is an error.
    pub fn compile(&self) -> Result<Matcher, String> {
        if self.text.is_empty() {
            return Err("nothing to find".into());
        }
        let pattern = self.pattern();
        let text = regex::Regex::new(&pattern).map_err(|e| e.to_string())?;
        let anchored = self.regex
            && (self.text.contains('^')
                || self.text.contains('$')
                || self.text.contains("\\A")
                || self.text.contains("\\z"));
        let raw = if anchored {
            None
        } else {
            regex::bytes::Regex::new(&pattern).ok()
        };
        Ok(Matcher {
            text,
            raw,
            ascii: self.text.is_ascii(),
        })
    }
}

impl Matcher {
    /// Matches every way one of `values` is written in logs (`0x80070005`,
    /// `80070005`, `-2147024891`, `2147942405`; hex in any case), as a
    /// whole number: `180070005` or `0x800700051` do not match.
    pub fn codes(values: &[u32]) -> Matcher {
        let mut forms: Vec<String> = values
            .iter()
            .flat_map(|&v| crate::errors::detect::written_forms(v))
            .map(|f| regex::escape(&f))
            .collect();
        // Longest first, so `0x80070005` is preferred to `80070005` inside it.
        forms.sort_by_key(|f| std::cmp::Reverse(f.len()));
        forms.dedup();
        let any = forms.join("|");
        let text = regex::Regex::new(&format!(r"(?i)(?:^|[^0-9a-z_])(?:{any})(?:[^0-9a-z_]|$)"))
            .expect("escaped alternatives compile");
        let raw = regex::bytes::Regex::new(&format!("(?i){any}")).ok();
        Matcher {
            text,
            raw,
            ascii: true,
        }
    }

    /// The pattern for scanning the raw bytes of a file in `encoding`
    /// (a record's message is a verbatim part of its bytes there), or
    /// `None` when every record must be decoded and checked.
    pub fn raw_for(&self, encoding: TextEncoding) -> Option<&regex::bytes::Regex> {
        let usable = encoding.unit() == 1 && (encoding != TextEncoding::Windows1252 || self.ascii);
        self.raw.as_ref().filter(|_| usable)
    }

    /// True when `text` contains a match.
    pub fn is_match(&self, text: &str) -> bool {
        self.text.is_match(text)
    }

    /// Byte ranges of the matches in `text` (for highlighting).
    pub fn find_ranges(&self, text: &str) -> Vec<Range<usize>> {
        self.text
            .find_iter(text)
            .filter(|m| !m.is_empty())
            .map(|m| m.range())
            .collect()
    }
}

/// Records per unit of parallel work.
const CHUNK_RECORDS: usize = 16 * 1024;

/// Lists, in order, the records in `range` whose message matches. Stops early
/// (with what it found) when the job is cancelled.
pub fn search(
    doc: &LogDocument,
    matcher: &Matcher,
    range: Range<usize>,
    ctx: &JobContext,
) -> Vec<usize> {
    let Ok(pass) = doc.pass() else {
        return Vec::new();
    };
    let range = range.start.min(pass.records)..range.end.min(pass.records);
    ctx.set_total(range.len() as u64);
    let raw = matcher.raw_for(pass.dialect().encoding);
    let chunks: Vec<Range<usize>> = range
        .clone()
        .step_by(CHUNK_RECORDS)
        .map(|s| s..(s + CHUNK_RECORDS).min(range.end))
        .collect();
    let found: Vec<Vec<usize>> = chunks
        .par_iter()
        .map(|chunk| {
            if ctx.cancelled() {
                return Vec::new();
            }
            let spans = doc.spans(chunk.clone());
            let mut hits = Vec::new();
            match raw {
                Some(raw) => {
                    let (Some(first), Some(last)) = (spans.first(), spans.last()) else {
                        return hits;
                    };
                    let base = first.0;
                    let bytes = pass.bytes(base, last.1);
                    let mut from = 0usize;
                    while let Some(m) = raw.find_at(bytes, from) {
                        let at = base + m.start() as u64;
                        let i = spans.partition_point(|s| s.0 <= at).saturating_sub(1);
                        let (start, end) = spans[i];
                        if matcher.is_match(&pass.fields(start, end).message) {
                            hits.push(chunk.start + i);
                        }
                        from = usize::try_from(end - base)
                            .unwrap_or(bytes.len())
                            .max(m.end().max(from + 1));
                        if from >= bytes.len() {
                            break;
                        }
                    }
                }
                None => {
                    for (i, &(start, end)) in spans.iter().enumerate() {
                        if matcher.is_match(&pass.fields(start, end).message) {
                            hits.push(chunk.start + i);
                        }
                    }
                }
            }
            ctx.advance(chunk.len() as u64);
            hits
        })
        .collect();
    found.into_iter().flatten().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_options() {
        let q = Query {
            text: "error".into(),
            ..Query::default()
        };
        let m = q.compile().unwrap();
        assert!(m.is_match("An ERROR here"));
        let m = Query {
            match_case: true,
            ..q.clone()
        }
        .compile()
        .unwrap();
        assert!(!m.is_match("An ERROR here"));
        let m = Query {
            whole_word: true,
            ..q.clone()
        }
        .compile()
        .unwrap();
        assert!(!m.is_match("errors"));
        assert!(m.is_match("an error."));
        let m = Query {
            text: "a.c".into(),
            ..Query::default()
        }
        .compile()
        .unwrap();
        assert!(!m.is_match("abc"));
        let m = Query {
            text: "a.c".into(),
            regex: true,
            ..Query::default()
        }
        .compile()
        .unwrap();
        assert!(m.is_match("abc"));
        assert_eq!(m.find_ranges("xabcxadc"), vec![1..4, 5..8]);
        assert!(
            Query {
                text: "(".into(),
                regex: true,
                ..Query::default()
            }
            .compile()
            .is_err()
        );
        assert!(Query::default().compile().is_err());
    }
}
