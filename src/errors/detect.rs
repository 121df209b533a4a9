//! Finds error codes inside log text: `0x80070002`, smsts.log's
//! `(Error: 80070002; Source: Windows)`, `HRESULT=80220005`, `hr:0x80070002`,
//! `exit code -2147024894`, `exit win32 code 1603`,
//! `_SMSTSLastActionRetCode=-2147024894`, `Return Code = -2147467259`,
//! `with the error code 2149711877`, MDT's `(-2147217406 0x80041002)`,
//! `(80070057)`, `Error 0x(80070057)`, `... MAX00A9A. 80070490.`, MSI's
//! `MainEngineThread is returning 1603`. Numbers are only taken where the text
//! says they are codes, so times, dates, thread ids, GUIDs, versions, sizes
//! and ports are left alone.
//! Never decides what a code means: that is `errors`.

use std::ops::Range;
use std::sync::OnceLock;

use regex::Regex;

/// A code found in text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FoundCode {
    /// Byte range of the number in the text.
    pub range: Range<usize>,
    /// Its 32-bit value.
    pub value: u32,
}

struct Patterns {
    /// `0x` and eight hex digits, anywhere.
    hex8: Regex,
    /// A keyword, then a bare 8-digit failure HRESULT/NTSTATUS (`Error: 80070002`).
    keyword_hex: Regex,
    /// A keyword, then `0x` and 1–7 hex digits (`status: 0x54b`).
    keyword_short_hex: Regex,
    /// A keyword, then a decimal (`exit code -2147024894`, `Error 1603`).
    keyword_decimal: Regex,
    /// A failure HRESULT alone in parentheses, with or without `0x`
    /// (`(80070057)`), or in parentheses after `0x` (`Error 0x(80070057)`).
    parenthesised_hex: Regex,
    /// A bare failure HRESULT of a common facility ending a sentence or the
    /// text (`... MAX00A9A. 80070490.`).
    sentence_hex: Regex,
    /// A negative ten-digit decimal anywhere (`(-2147217406 0x80041002)`):
    /// only failure HRESULTs and NTSTATUS values look like that.
    negative_ten_digits: Regex,
}

fn patterns() -> &'static Patterns {
    static P: OnceLock<Patterns> = OnceLock::new();
    P.get_or_init(|| Patterns {
        hex8: Regex::new(r"\b0[xX]([0-9A-Fa-f]{8})\b").expect("valid pattern"),
        keyword_hex: Regex::new(r"(?i)\b(?:error|hresult|hr|status|code)\s*[:=]?\s*([89cCdD][0-9A-Fa-f]{7})\b(?:[^-]|$)")
            .expect("valid pattern"),
        keyword_short_hex: Regex::new(r"(?i)\b(?:error|hresult|hr|status|gle|code)\s*[:=]\s*0x([0-9A-Fa-f]{1,7})\b")
            .expect("valid pattern"),
        keyword_decimal: Regex::new(
            r"(?i)(?:\bexit\s+(?:win32\s+)?code|\breturn\s+code|retcode|\berror\s+code|\bexit\s+status|\breturned|\breturning|\berror|\bresult)\s*[:=]?\s*(-?\d{1,10})\b",
        )
        .expect("valid pattern"),
        parenthesised_hex: Regex::new(r"(?:\(\s*(?:0[xX])?|0[xX]\()([89cCdD][0-9A-Fa-f]{7})\s*\)")
            .expect("valid pattern"),
        sentence_hex: Regex::new(
            r"(?:^|\s)((?:800[0-9A-Fa-f]|87[dD]0|802[0-9A-Fa-f]|[cC]00[0-9A-Fa-f])[0-9A-Fa-f]{4})[.;](?:\s|$)",
        )
        .expect("valid pattern"),
        negative_ten_digits: Regex::new(r"(?:^|[\s(\[=:,])(-[12]\d{9})\b").expect("valid pattern"),
    })
}

/// Every code in `text`, in order of position.
pub fn find_codes(text: &str) -> Vec<FoundCode> {
    let p = patterns();
    let mut found: Vec<FoundCode> = Vec::new();
    let mut add = |range: Range<usize>, value: u32| {
        if value != 0
            && !found
                .iter()
                .any(|f| f.range.start < range.end && range.start < f.range.end)
        {
            found.push(FoundCode { range, value });
        }
    };
    for c in p.hex8.captures_iter(text) {
        let whole = c.get(0).expect("group 0");
        if let Ok(v) = u32::from_str_radix(&c[1], 16) {
            add(whole.range(), v);
        }
    }
    for c in p.keyword_short_hex.captures_iter(text) {
        let number = c.get(1).expect("group 1");
        if let Ok(v) = u32::from_str_radix(number.as_str(), 16) {
            add(number.start() - 2..number.end(), v);
        }
    }
    for c in p.keyword_hex.captures_iter(text) {
        let number = c.get(1).expect("group 1");
        if let Ok(v) = u32::from_str_radix(number.as_str(), 16) {
            add(number.range(), v);
        }
    }
    for c in p
        .parenthesised_hex
        .captures_iter(text)
        .chain(p.sentence_hex.captures_iter(text))
    {
        let number = c.get(1).expect("group 1");
        if let Ok(v) = u32::from_str_radix(number.as_str(), 16) {
            add(number.range(), v);
        }
    }
    for c in p.keyword_decimal.captures_iter(text) {
        let number = c.get(1).expect("group 1");
        let digits = number.as_str();
        // A time (10:21:04), a date or a decimal fraction right after is not a code.
        if matches!(text[number.end()..].chars().next(), Some(':' | '.' | '/' | ',') if text[number.end() + 1..].starts_with(|ch: char| ch.is_ascii_digit()))
        {
            continue;
        }
        let value = if digits.len() == 8 && digits.starts_with(['8', '9']) {
            // `error code 80004005`: smsts.log writes HRESULTs as hex without 0x.
            u32::from_str_radix(digits, 16).ok()
        } else if let Some(neg) = digits.strip_prefix('-') {
            neg.parse::<i64>()
                .ok()
                .and_then(|v| i32::try_from(-v).ok())
                .map(|v| v as u32)
        } else {
            digits
                .parse::<u64>()
                .ok()
                .and_then(|v| u32::try_from(v).ok())
        };
        if let Some(v) = value {
            add(number.range(), v);
        }
    }
    for c in p.negative_ten_digits.captures_iter(text) {
        let number = c.get(1).expect("group 1");
        if let Some(v) = number
            .as_str()
            .parse::<i64>()
            .ok()
            .and_then(|v| i32::try_from(v).ok())
        {
            add(number.range(), v as u32);
        }
    }
    found.sort_by_key(|f| f.range.start);
    found
}

/// The ways a value is written in logs: `0x80070002`, `80070002`,
/// `-2147024894`, `2147942402` (small values: `1603`, `0x00000643`).
pub fn written_forms(value: u32) -> Vec<String> {
    let mut forms = vec![format!("0x{value:08X}"), format!("{value:08X}")];
    if (value as i32) < 0 {
        forms.push((value as i32).to_string());
    }
    forms.push(value.to_string());
    forms.dedup();
    forms
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values(text: &str) -> Vec<u32> {
        find_codes(text).into_iter().map(|f| f.value).collect()
    }

    #[test]
    fn smsts_shapes() {
        assert_eq!(
            values("The system cannot find the file specified. (Error: 80070002; Source: Windows)"),
            vec![0x8007_0002]
        );
        assert_eq!(
            values("Set a global environment variable _SMSTSLastActionRetCode=-2147024894"),
            vec![0x8007_0002]
        );
        assert_eq!(
            values("Litetouch deployment failed, Return Code = -2147467259 0x80004005"),
            vec![0x8000_4005, 0x8000_4005]
        );
        let found =
            find_codes("Successfully completed the action (Format) with the exit win32 code 1603");
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].value, 1603);
    }

    #[test]
    fn written_forms_cover_every_spelling() {
        assert_eq!(
            written_forms(0x8007_0002),
            vec!["0x80070002", "80070002", "-2147024894", "2147942402"]
        );
        assert_eq!(written_forms(1603), vec!["0x00000643", "00000643", "1603"]);
    }
}
