//! What the Highlight box asks for ([`Highlight`]: rows containing a text, or
//! the rows of one thread) and how the Thread column reads. Plain data;
//! never draws.

use crate::document::Row;

/// What the Highlight box asks for.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum Highlight {
    /// Nothing highlighted.
    #[default]
    None,
    /// Rows whose text contains this (lower-cased unless case-sensitive).
    Text {
        /// The text (lower-cased unless case-sensitive).
        text: String,
        /// Compare case exactly.
        case_sensitive: bool,
    },
    /// Rows of this thread (the box held a decimal or hex number).
    Thread(u64),
}

impl Highlight {
    /// Reads the Highlight box: a decimal or `0x` hex number means a thread.
    pub fn parse(text: &str, case_sensitive: bool) -> Highlight {
        let t = text.trim();
        if t.is_empty() {
            return Highlight::None;
        }
        let number = match t.strip_prefix("0x").or_else(|| t.strip_prefix("0X")) {
            Some(hex) => u64::from_str_radix(hex, 16).ok(),
            None => t.parse::<u64>().ok(),
        };
        match number {
            Some(n) => Highlight::Thread(n),
            None if case_sensitive => Highlight::Text {
                text: t.to_owned(),
                case_sensitive,
            },
            None => Highlight::Text {
                text: t.to_lowercase(),
                case_sensitive,
            },
        }
    }

    /// True when `row` is highlighted.
    pub fn matches(&self, row: &Row) -> bool {
        match self {
            Highlight::None => false,
            Highlight::Text {
                text,
                case_sensitive: true,
            } => row.fields.message.contains(text.as_str()),
            Highlight::Text {
                text,
                case_sensitive: false,
            } => row.fields.message.to_lowercase().contains(text.as_str()),
            Highlight::Thread(n) => thread_number(&row.fields.thread) == Some(*n),
        }
    }
}

fn thread_number(thread: &str) -> Option<u64> {
    let t = thread.trim();
    match t.strip_prefix("0x") {
        Some(hex) => u64::from_str_radix(hex, 16).ok(),
        None => t.split_whitespace().next()?.parse().ok(),
    }
}

/// The Thread column as CMTrace shows it: `1364 (0x554)`.
pub fn thread_text(thread: &str) -> String {
    match thread.trim().parse::<u64>() {
        Ok(n) => format!("{n} (0x{n:X})"),
        Err(_) => thread.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn highlight_box() {
        assert_eq!(Highlight::parse("1364", false), Highlight::Thread(1364));
        assert_eq!(Highlight::parse("0x554", false), Highlight::Thread(0x554));
        assert_eq!(
            Highlight::parse("Error", false),
            Highlight::Text {
                text: "error".into(),
                case_sensitive: false
            }
        );
        assert_eq!(Highlight::parse("  ", false), Highlight::None);
        assert_eq!(thread_text("1364"), "1364 (0x554)");
        assert_eq!(thread_number("1364 (0x554)"), Some(1364));
    }
}
