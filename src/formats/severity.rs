//! The one place that decides the severity of text without a severity field
//! (CMTrace's rule: case-insensitive "error" → error, "warn" → warning), with
//! keyword lists that settings can change.
//! Never looks at a severity field a format has: that is the format's own.

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use serde::{Deserialize, Serialize};

use crate::model::Severity;

/// Keyword lists for records without a severity field. Matching is a
/// case-insensitive substring test, as in CMTrace; an error keyword wins over
/// a warning keyword in the same record.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct SeverityKeywords {
    /// Substrings that make a record an error. Default: `error`.
    pub error: Vec<String>,
    /// Substrings that make a record a warning. Default: `warn`.
    pub warning: Vec<String>,
}

impl Default for SeverityKeywords {
    fn default() -> Self {
        SeverityKeywords {
            error: vec!["error".into()],
            warning: vec!["warn".into()],
        }
    }
}

/// Compiled [`SeverityKeywords`].
#[derive(Clone, Debug)]
pub struct SeverityRules {
    matcher: Option<AhoCorasick>,
    error_patterns: usize,
}

impl SeverityRules {
    /// Compiles keyword lists (empty keywords are ignored).
    pub fn new(keywords: &SeverityKeywords) -> SeverityRules {
        let errors: Vec<&str> = keywords
            .error
            .iter()
            .map(String::as_str)
            .filter(|k| !k.is_empty())
            .collect();
        let warnings = keywords
            .warning
            .iter()
            .map(String::as_str)
            .filter(|k| !k.is_empty());
        let patterns: Vec<&str> = errors.iter().copied().chain(warnings).collect();
        let matcher = (!patterns.is_empty())
            .then(|| {
                AhoCorasickBuilder::new()
                    .ascii_case_insensitive(true)
                    .match_kind(MatchKind::Standard)
                    .build(&patterns)
                    .ok()
            })
            .flatten();
        SeverityRules {
            matcher,
            error_patterns: errors.len(),
        }
    }

    /// The severity of `text` by keyword.
    pub fn classify(&self, text: &[u8]) -> Severity {
        let Some(matcher) = &self.matcher else {
            return Severity::Info;
        };
        // Most text has no keyword: a plain search (with its prefilter) says
        // so faster than the overlapping one.
        if !matcher.is_match(text) {
            return Severity::Info;
        }
        let mut found = Severity::Info;
        for m in matcher.find_overlapping_iter(text) {
            if m.pattern().as_usize() < self.error_patterns {
                return Severity::Error;
            }
            found = Severity::Warning;
        }
        found
    }
}

impl Default for SeverityRules {
    fn default() -> Self {
        SeverityRules::new(&SeverityKeywords::default())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cmtrace_rule() {
        let rules = SeverityRules::default();
        assert_eq!(rules.classify(b"An ERROR occurred"), Severity::Error);
        assert_eq!(rules.classify(b"WARNING: low disk"), Severity::Warning);
        assert_eq!(rules.classify(b"warn then error"), Severity::Error);
        assert_eq!(rules.classify(b"all good"), Severity::Info);
        // The substring rule's known false positive, kept on purpose (CMTrace does it too).
        assert_eq!(rules.classify(b"0 errors"), Severity::Error);
    }

    #[test]
    fn custom_lists() {
        let rules = SeverityRules::new(&SeverityKeywords {
            error: vec!["fail".into()],
            warning: vec![],
        });
        assert_eq!(rules.classify(b"Install FAILED"), Severity::Error);
        assert_eq!(rules.classify(b"warning"), Severity::Info);
        let none = SeverityRules::new(&SeverityKeywords {
            error: vec![],
            warning: vec![],
        });
        assert_eq!(none.classify(b"error"), Severity::Info);
    }
}
