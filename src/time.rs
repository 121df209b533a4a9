//! Calendar arithmetic and the time syntaxes of the supported formats: CCM
//! `time`/`date` attributes, the simple format's `<MM-DD-YYYY HH:MM:SS.fff+bias>`,
//! leading ISO-like timestamps of plain-text logs and the locale dates of
//! pasted copies (`3/21/2018 3:45:33 AM`, `21.03.2018 15:45:33`). Times are kept as
//! milliseconds since 1970-01-01 of the wall clock as written ("wall ms"); the
//! zone adjustment that turns them into UTC travels separately.
//! Never reads a file or knows a format's layout beyond its time syntax.

/// Milliseconds in one minute.
pub const MS_PER_MINUTE: i64 = 60_000;
const MS_PER_DAY: i64 = 86_400_000;
/// The largest bias or offset we accept, in minutes (real ones stay within ±14 h).
pub const MAX_BIAS_MINUTES: i32 = 24 * 60;

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
pub fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(month);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The (year, month, day) of a day number from [`days_from_civil`].
pub fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

fn days_in_month(year: i64, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        _ => 0,
    }
}

/// Day number of a validated date, or `None` for impossible dates.
pub fn date_to_days(year: i64, month: u32, day: u32) -> Option<i64> {
    if !(1..=9999).contains(&year) || !(1..=12).contains(&month) {
        return None;
    }
    if day == 0 || day > days_in_month(year, month) {
        return None;
    }
    Some(days_from_civil(year, month, day))
}

/// Formats milliseconds since the epoch as RFC 3339 with milliseconds and `Z`.
pub fn format_rfc3339_ms(ms: i64) -> String {
    let days = ms.div_euclid(MS_PER_DAY);
    let in_day = ms.rem_euclid(MS_PER_DAY);
    let (y, mo, d) = civil_from_days(days);
    let (h, mi, s, milli) = (
        in_day / 3_600_000,
        in_day / 60_000 % 60,
        in_day / 1000 % 60,
        in_day % 1000,
    );
    format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}.{milli:03}Z")
}

/// The order of day, month and year in a short date.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ShortDateOrder {
    /// 11/3/2026 (United States, Philippines).
    MonthDayYear,
    /// 3/11/2026 (most of the world).
    DayMonthYear,
    /// 2026-11-03 (ISO 8601; China, Japan, Korea, Sweden, Canada, …).
    YearMonthDay,
}

/// How a locale writes a short date: the order and the separator, with
/// day and month padded to two digits (so the column's dates line up).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DateStyle {
    /// Order of the parts.
    pub order: ShortDateOrder,
    /// Between the parts.
    pub separator: char,
}

impl DateStyle {
    /// ISO 8601's `2026-11-03`, for locales nothing is known about.
    pub const ISO: DateStyle = DateStyle {
        order: ShortDateOrder::YearMonthDay,
        separator: '-',
    };

    /// The short date of a locale tag such as `en-US`, `de_DE.UTF-8` or
    /// `fr-CA` (BCP 47 or POSIX), from the conventions of its language and
    /// region; [`DateStyle::ISO`] for `C`, `POSIX` and unknown tags.
    pub fn for_locale(tag: &str) -> DateStyle {
        let tag = tag.split(['.', '@']).next().unwrap_or_default();
        let mut parts = tag.split(['-', '_']);
        let language = parts.next().unwrap_or_default().to_ascii_lowercase();
        let region = parts
            .find(|p| p.len() == 2 && p.chars().all(|c| c.is_ascii_alphabetic()))
            .unwrap_or_default()
            .to_ascii_uppercase();
        let style = |order, separator| DateStyle { order, separator };
        use ShortDateOrder::{DayMonthYear as Dmy, MonthDayYear as Mdy, YearMonthDay as Ymd};
        match (language.as_str(), region.as_str()) {
            ("en", "US" | "PH" | "") => style(Mdy, '/'),
            ("en", "CA") | ("fr", "CA") => style(Ymd, '-'),
            ("en", "ZA") => style(Ymd, '/'),
            ("zh" | "ja", _) => style(Ymd, '/'),
            ("ko", _) => style(Ymd, '.'),
            ("hu", _) => style(Ymd, '.'),
            ("sv" | "lt", _) => style(Ymd, '-'),
            (
                "en" | "fr" | "es" | "it" | "pt" | "el" | "ca" | "vi" | "id" | "ms" | "he" | "ar"
                | "hi" | "th",
                _,
            ) => style(Dmy, '/'),
            ("nl" | "da", _) => style(Dmy, '-'),
            (
                "de" | "ru" | "pl" | "cs" | "sk" | "fi" | "nb" | "no" | "nn" | "tr" | "uk" | "ro"
                | "hr" | "sl" | "sr" | "bg" | "et" | "lv" | "is" | "kk",
                _,
            ) => style(Dmy, '.'),
            _ => DateStyle::ISO,
        }
    }

    /// `ms` (wall clock, no zone applied) as this short date and a 24-hour
    /// time with milliseconds: `11/03/2026 10:00:00.120`.
    pub fn format(self, ms: i64) -> String {
        let days = ms.div_euclid(MS_PER_DAY);
        let in_day = ms.rem_euclid(MS_PER_DAY);
        let (y, mo, d) = civil_from_days(days);
        let sep = self.separator;
        let date = match self.order {
            ShortDateOrder::MonthDayYear => format!("{mo:02}{sep}{d:02}{sep}{y:04}"),
            ShortDateOrder::DayMonthYear => format!("{d:02}{sep}{mo:02}{sep}{y:04}"),
            ShortDateOrder::YearMonthDay => format!("{y:04}{sep}{mo:02}{sep}{d:02}"),
        };
        format!(
            "{date} {:02}:{:02}:{:02}.{:03}",
            in_day / 3_600_000,
            in_day / 60_000 % 60,
            in_day / 1000 % 60,
            in_day % 1000
        )
    }
}

/// A bias or offset as written after a time.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct WrittenBias {
    /// The value in minutes, with its sign.
    pub minutes: i32,
    /// Glued to a 3-digit fraction with no sign (`13:45:12.12360`): PSADT v3,
    /// always east-positive.
    pub glued: bool,
}

/// A time of day parsed from a CCM `time` attribute.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TimeOfDay {
    /// Milliseconds since midnight.
    pub ms: i64,
    /// The bias or offset after the fraction, if any.
    pub bias: Option<WrittenBias>,
}

/// Reads an unsigned decimal of 1..=`max_digits` digits at `*pos`.
fn digits(s: &[u8], pos: &mut usize, max_digits: usize) -> Option<(u32, usize)> {
    let start = *pos;
    let mut value: u32 = 0;
    while *pos < s.len() && s[*pos].is_ascii_digit() && *pos - start < max_digits {
        value = value * 10 + u32::from(s[*pos] - b'0');
        *pos += 1;
    }
    let n = *pos - start;
    (n > 0).then_some((value, n))
}

fn expect(s: &[u8], pos: &mut usize, byte: u8) -> Option<()> {
    (s.get(*pos) == Some(&byte)).then(|| *pos += 1)
}

fn hms(s: &[u8], pos: &mut usize) -> Option<i64> {
    let (h, _) = digits(s, pos, 2)?;
    expect(s, pos, b':')?;
    let (m, _) = digits(s, pos, 2)?;
    expect(s, pos, b':')?;
    let (sec, _) = digits(s, pos, 2)?;
    if h > 23 || m > 59 || sec > 60 {
        return None;
    }
    Some((i64::from(h) * 3600 + i64::from(m) * 60 + i64::from(sec.min(59))) * 1000)
}

/// Milliseconds from the digits of a fraction (any length; extra digits are
/// truncated, missing ones are zeros).
fn fraction_ms(frac: &[u8]) -> i64 {
    let mut ms = 0i64;
    for i in 0..3 {
        ms = ms * 10 + frac.get(i).map_or(0, |d| i64::from(d - b'0'));
    }
    ms
}

fn signed_bias(s: &[u8], pos: &mut usize) -> Option<i32> {
    let negative = match s.get(*pos) {
        Some(b'+') => false,
        Some(b'-') => true,
        _ => return None,
    };
    *pos += 1;
    let (value, _) = digits(s, pos, 5)?;
    let value = i32::try_from(value).ok()?;
    (value <= MAX_BIAS_MINUTES).then_some(if negative { -value } else { value })
}

/// Parses a CCM `time` attribute: `HH:MM:SS[.fraction][±bias]`, hours,
/// minutes and seconds of one or two digits, a fraction of any length (3 =
/// milliseconds, 7 = 100-ns ticks) and a signed bias of any width. A fraction
/// of 4–6 digits with no sign after it is PSADT v3's milliseconds with the
/// east-positive offset glued on (`.12360` = .123 at UTC+60 min).
pub fn parse_ccm_time(s: &[u8]) -> Option<TimeOfDay> {
    let s = s.trim_ascii();
    let mut pos = 0;
    let mut ms = hms(s, &mut pos)?;
    let mut bias = None;
    if s.get(pos) == Some(&b'.') {
        pos += 1;
        let start = pos;
        while pos < s.len() && s[pos].is_ascii_digit() {
            pos += 1;
        }
        let frac = &s[start..pos];
        let glued = pos == s.len() && (4..=6).contains(&frac.len());
        if frac.is_empty() {
            return None;
        }
        ms += fraction_ms(frac);
        if glued {
            let mut p = 0;
            let (minutes, _) = digits(&frac[3..], &mut p, 3)?;
            let minutes = i32::try_from(minutes).ok()?;
            if minutes > MAX_BIAS_MINUTES {
                return None;
            }
            bias = Some(WrittenBias {
                minutes,
                glued: true,
            });
        }
    }
    if bias.is_none() && pos < s.len() {
        let minutes = signed_bias(s, &mut pos)?;
        bias = Some(WrittenBias {
            minutes,
            glued: false,
        });
    }
    (pos == s.len()).then_some(TimeOfDay { ms, bias })
}

/// Parses a month-first date `MM-DD-YYYY` (also `M-D-YYYY`, and `/` or `.` as
/// separators) into a day number.
pub fn parse_mdy_date(s: &[u8]) -> Option<i64> {
    let s = s.trim_ascii();
    let mut pos = 0;
    let (month, _) = digits(s, &mut pos, 2)?;
    let sep = *s.get(pos)?;
    if !matches!(sep, b'-' | b'/' | b'.') {
        return None;
    }
    pos += 1;
    let (day, _) = digits(s, &mut pos, 2)?;
    expect(s, &mut pos, sep)?;
    let (year, n) = digits(s, &mut pos, 4)?;
    if n != 4 || pos != s.len() {
        return None;
    }
    date_to_days(i64::from(year), month, day)
}

/// A timestamp found at the start of a plain-text line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LeadingTimestamp {
    /// Wall-clock milliseconds since the epoch, as written.
    pub wall_ms: i64,
    /// An ISO-style east-positive offset in minutes (`+08:00`, `-0500`), or 0 for `Z`.
    pub offset_minutes: Option<i32>,
    /// Bytes of the line the timestamp (and its offset) occupies.
    pub len: usize,
}

/// Recognises the leading timestamps of plain-text Windows logs:
/// `YYYY-MM-DD HH:MM:SS[.,:fff]` (CBS, DISM, Panther, generic),
/// `YYYY/MM/DD HH:MM:SS.fffffff` (Get-WindowsUpdateLog), `YYYY-MM-DDTHH:MM:SS`
/// (ISO 8601), optionally followed by `Z`, `±HH:MM` or `±HHMM` (with or
/// without a space before it). Old WindowsUpdate.log uses a tab between the
/// date and the time and a colon before the milliseconds; both are accepted.
pub fn parse_leading_timestamp(line: &[u8]) -> Option<LeadingTimestamp> {
    let s = line;
    let mut pos = 0;
    let (year, n) = digits(s, &mut pos, 4)?;
    if n != 4 {
        return None;
    }
    let sep = *s.get(pos)?;
    if !matches!(sep, b'-' | b'/') {
        return None;
    }
    pos += 1;
    let (month, _) = digits(s, &mut pos, 2)?;
    expect(s, &mut pos, sep)?;
    let (day, _) = digits(s, &mut pos, 2)?;
    if !matches!(s.get(pos), Some(b' ' | b'T' | b'\t')) {
        return None;
    }
    pos += 1;
    let days = date_to_days(i64::from(year), month, day)?;
    let mut ms = hms(s, &mut pos)?;
    if matches!(s.get(pos), Some(b'.' | b',' | b':'))
        && s.get(pos + 1).is_some_and(u8::is_ascii_digit)
    {
        pos += 1;
        let start = pos;
        while pos < s.len() && s[pos].is_ascii_digit() {
            pos += 1;
        }
        ms += fraction_ms(&s[start..pos]);
    }
    let mut end = pos;
    let mut offset_minutes = None;
    let mut p = pos;
    if s.get(p) == Some(&b' ') {
        p += 1;
    }
    match s.get(p) {
        Some(b'Z') if !s.get(p + 1).is_some_and(u8::is_ascii_alphanumeric) => {
            offset_minutes = Some(0);
            end = p + 1;
        }
        Some(&c @ (b'+' | b'-')) => {
            let mut q = p + 1;
            if let Some((hh, 2)) = digits(s, &mut q, 2) {
                if s.get(q) == Some(&b':') {
                    q += 1;
                }
                if let Some((mm, 2)) = digits(s, &mut q, 2)
                    && hh <= 14
                    && mm < 60
                    && !s.get(q).is_some_and(u8::is_ascii_digit)
                {
                    let minutes = i32::try_from(hh * 60 + mm).unwrap_or(0);
                    offset_minutes = Some(if c == b'-' { -minutes } else { minutes });
                    end = q;
                }
            }
        }
        _ => {}
    }
    Some(LeadingTimestamp {
        wall_ms: days * MS_PER_DAY + ms,
        offset_minutes,
        len: end,
    })
}

/// CMTrace's status-bar wording for a time span:
/// `Elapsed time is 0h 1m 23s 456ms (83.456 seconds)`.
pub fn format_elapsed(ms: i64) -> String {
    let sign = if ms < 0 { "-" } else { "" };
    let ms = ms.unsigned_abs();
    let (h, m, s, milli) = (ms / 3_600_000, ms / 60_000 % 60, ms / 1000 % 60, ms % 1000);
    format!(
        "Elapsed time is {sign}{h}h {m}m {s}s {milli}ms ({sign}{}.{:03} seconds)",
        ms / 1000,
        milli
    )
}

/// Length of a zone written at `at`: `±HH:MM`, `±HHMM`, or when `glued` to
/// the time also a CCM bias of one to five digits (`+0`, `-60`, `+240`).
fn offset_len(s: &[u8], at: usize, glued: bool) -> Option<usize> {
    if !matches!(s.get(at), Some(b'+' | b'-')) {
        return None;
    }
    let mut p = at + 1;
    let (_, n) = digits(s, &mut p, 5)?;
    if n == 2 && s.get(p) == Some(&b':') {
        p += 1;
        if digits(s, &mut p, 2)?.1 != 2 {
            return None;
        }
    } else if !glued && n != 4 {
        return None;
    }
    (!s.get(p).is_some_and(u8::is_ascii_digit)).then_some(p - at)
}

/// Wall-clock milliseconds of a day number and milliseconds since midnight.
pub fn wall_ms(days: i64, ms_of_day: i64) -> i64 {
    days * MS_PER_DAY + ms_of_day
}

/// Which number comes first in a numeric date that does not show it
/// (`03/04/2018`): CMTrace's own `MM-DD-YYYY` and US copies put the month
/// first, many other locales the day.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum DateOrder {
    /// `M/D/YYYY`, `MM-DD-YYYY`.
    #[default]
    MonthFirst,
    /// `D/M/YYYY`, `DD-MM-YYYY`.
    DayFirst,
}

/// A date and time as the copying machine's locale wrote it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct WrittenDateTime {
    /// Wall-clock milliseconds since the epoch, as written.
    pub wall_ms: i64,
    /// Bytes it occupies, with an AM/PM marker, bias or offset after it.
    pub len: usize,
}

/// The day order a numeric `A/B/YYYY` or `A-B-YYYY` date at the start of `s`
/// shows by itself: a first number above 12 is a day, a second one above 12
/// is a day. `None` when both could be months (or it is no such date).
pub fn date_order_shown(s: &[u8]) -> Option<DateOrder> {
    let mut pos = 0;
    let (a, _) = digits(s, &mut pos, 2)?;
    let sep = *s.get(pos)?;
    if !matches!(sep, b'/' | b'-') {
        return None;
    }
    pos += 1;
    let (b, _) = digits(s, &mut pos, 2)?;
    expect(s, &mut pos, sep)?;
    match (a > 12, b > 12) {
        (true, false) => Some(DateOrder::DayFirst),
        (false, true) => Some(DateOrder::MonthFirst),
        _ => None,
    }
}

/// A numeric date at the start of `s` (see [`parse_written_datetime`]): its
/// day number, its length, and whether the year came last.
fn written_date(s: &[u8], order: DateOrder) -> Option<(i64, usize, bool)> {
    let mut pos = 0;
    let (a, na) = digits(s, &mut pos, 4)?;
    let sep = *s.get(pos)?;
    if !matches!(sep, b'-' | b'/' | b'.') {
        return None;
    }
    pos += 1;
    let (b, _) = digits(s, &mut pos, 2)?;
    expect(s, &mut pos, sep)?;
    let (year, month, day, year_last) = if na == 4 {
        let (c, _) = digits(s, &mut pos, 2)?;
        (a, b, c, false)
    } else if na <= 2 {
        let (year, ny) = digits(s, &mut pos, 4)?;
        if ny != 4 {
            return None;
        }
        let day_first = sep == b'.' || a > 12 || (b <= 12 && order == DateOrder::DayFirst);
        if day_first {
            (year, b, a, true)
        } else {
            (year, a, b, true)
        }
    } else {
        return None;
    };
    Some((date_to_days(i64::from(year), month, day)?, pos, year_last))
}

/// A date alone, all of `s` (`3/21/2018`, `2018-03-21`): its day number.
pub fn parse_written_date(s: &[u8], order: DateOrder) -> Option<i64> {
    written_date(s, order).and_then(|(days, len, _)| (len == s.len()).then_some(days))
}

/// Reads a date and time at the start of `s` in the shapes locales and log
/// copies write: `M/D/YYYY h:mm:ss AM` (12-hour, 12 AM is midnight),
/// `DD.MM.YYYY HH:MM:SS` (a dot means day first), `YYYY-MM-DD HH:MM:SS` (also
/// `/` and a `T`), CMTrace's `MM-DD-YYYY HH:MM:SS.fff`, also with the date and
/// time run together (`01-13-201617:56:35.510`). Seconds are required; a
/// fraction after `.` or `,` (or three digits after `:`) is read as
/// milliseconds. A bias glued to the time (`+240`), an ISO offset or `Z` is
/// read past but not applied: the caller decides what a zone means.
/// `order` settles dates whose numbers could both be months.
pub fn parse_written_datetime(s: &[u8], order: DateOrder) -> Option<WrittenDateTime> {
    let (days, mut pos, year_last) = written_date(s, order)?;
    match s.get(pos) {
        Some(b' ') => {
            while s.get(pos) == Some(&b' ') {
                pos += 1;
            }
        }
        Some(b'\t') => pos += 1,
        Some(b'T') if !year_last => pos += 1,
        // Date and time run together: the four-digit year ends the date.
        Some(d) if year_last && d.is_ascii_digit() => {}
        _ => return None,
    }
    let mut ms = hms(s, &mut pos)?;
    match s.get(pos) {
        Some(b'.' | b',') if s.get(pos + 1).is_some_and(u8::is_ascii_digit) => {
            pos += 1;
            let start = pos;
            while s.get(pos).is_some_and(u8::is_ascii_digit) {
                pos += 1;
            }
            ms += fraction_ms(&s[start..pos]);
        }
        Some(b':')
            if s[pos + 1..]
                .iter()
                .take_while(|b| b.is_ascii_digit())
                .count()
                == 3 =>
        {
            ms += fraction_ms(&s[pos + 1..pos + 4]);
            pos += 4;
        }
        _ => {}
    }
    let word_ends = |at: usize| !s.get(at).is_some_and(u8::is_ascii_alphanumeric);
    if let Some(len) = offset_len(s, pos, true) {
        // A CCM bias glued to the time (`+240`, `-60`) or an ISO offset.
        pos += len;
    } else {
        let p = pos + usize::from(s.get(pos) == Some(&b' '));
        let marker = s.get(p..p + 2).map(<[u8]>::to_ascii_uppercase);
        match marker.as_deref() {
            Some(m @ (b"AM" | b"PM")) if word_ends(p + 2) => {
                let hour = ms / 3_600_000;
                if !(1..=12).contains(&hour) {
                    return None;
                }
                // 12 AM is midnight, 12 PM is noon.
                let hour24 = hour % 12 + if m == b"PM" { 12 } else { 0 };
                ms += (hour24 - hour) * 3_600_000;
                pos = p + 2;
            }
            _ if s.get(p) == Some(&b'Z') && word_ends(p + 1) => pos = p + 1,
            _ => {
                if p > pos
                    && let Some(len) = offset_len(s, p, false)
                {
                    pos = p + len;
                }
            }
        }
    }
    Some(WrittenDateTime {
        wall_ms: wall_ms(days, ms),
        len: pos,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_dates_follow_the_locale() {
        // 2026-11-03 10:00:00.120 as wall-clock ms.
        let ms = wall_ms(date_to_days(2026, 11, 3).unwrap(), 36_000_120);
        let shown = |tag: &str| DateStyle::for_locale(tag).format(ms);
        assert_eq!(shown("en-US"), "11/03/2026 10:00:00.120");
        assert_eq!(shown("en_US.UTF-8"), "11/03/2026 10:00:00.120");
        assert_eq!(shown("en-GB"), "03/11/2026 10:00:00.120");
        assert_eq!(shown("de_DE.UTF-8"), "03.11.2026 10:00:00.120");
        assert_eq!(shown("fr-FR"), "03/11/2026 10:00:00.120");
        assert_eq!(shown("fr-CA"), "2026-11-03 10:00:00.120");
        assert_eq!(shown("nl-NL"), "03-11-2026 10:00:00.120");
        assert_eq!(shown("ja-JP"), "2026/11/03 10:00:00.120");
        assert_eq!(shown("sv-SE"), "2026-11-03 10:00:00.120");
        assert_eq!(shown("zh-Hans-CN"), "2026/11/03 10:00:00.120");
        for unknown in ["C", "POSIX", "", "tlh-001"] {
            assert_eq!(shown(unknown), "2026-11-03 10:00:00.120", "{unknown:?}");
        }
        // Before 1970 and at the end of a day.
        let early = wall_ms(date_to_days(1969, 12, 31).unwrap(), 86_399_999);
        assert_eq!(DateStyle::ISO.format(early), "1969-12-31 23:59:59.999");
    }

    #[test]
    fn civil_round_trip() {
        for days in [-1_000_000, -1, 0, 1, 18_000, 20_000, 2_932_896] {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days);
        }
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(days_from_civil(2000, 3, 1), 11_017);
    }

    #[test]
    fn elapsed_like_cmtrace() {
        assert_eq!(
            format_elapsed(83_456),
            "Elapsed time is 0h 1m 23s 456ms (83.456 seconds)"
        );
        assert_eq!(
            format_elapsed(3_600_000),
            "Elapsed time is 1h 0m 0s 0ms (3600.000 seconds)"
        );
        assert_eq!(
            format_elapsed(-1500),
            "Elapsed time is -0h 0m 1s 500ms (-1.500 seconds)"
        );
    }

    #[test]
    fn rfc3339() {
        let ms = wall_ms(
            date_to_days(2019, 10, 18).unwrap(),
            14 * 3_600_000 + 21 * 60_000 + 4163,
        );
        assert_eq!(format_rfc3339_ms(ms), "2019-10-18T14:21:04.163Z");
        assert_eq!(format_rfc3339_ms(-1), "1969-12-31T23:59:59.999Z");
    }

    #[test]
    fn ccm_times() {
        let t = parse_ccm_time(b"10:21:04.163+240").unwrap();
        assert_eq!(t.ms, 37_264_163);
        assert_eq!(
            t.bias,
            Some(WrittenBias {
                minutes: 240,
                glued: false
            })
        );
        assert_eq!(
            parse_ccm_time(b"16:53:52.712-120")
                .unwrap()
                .bias
                .unwrap()
                .minutes,
            -120
        );
        assert_eq!(
            parse_ccm_time(b"08:00:00.000+00")
                .unwrap()
                .bias
                .unwrap()
                .minutes,
            0
        );
        let ime = parse_ccm_time(b"04:53:16.3323547").unwrap();
        assert_eq!(ime.ms, 4 * 3_600_000 + 53 * 60_000 + 16_332);
        assert_eq!(ime.bias, None);
        let psadt3 = parse_ccm_time(b"13:45:12.12360").unwrap();
        assert_eq!(psadt3.ms % 1000, 123);
        assert_eq!(
            psadt3.bias,
            Some(WrittenBias {
                minutes: 60,
                glued: true
            })
        );
        assert_eq!(parse_ccm_time(b"9:5:7.000+000").unwrap().ms, 32_707_000);
        assert_eq!(parse_ccm_time(b"10:21:04").unwrap().ms, 37_264_000);
        for bad in [
            &b""[..],
            b"25:00:00.000",
            b"10:61:00.000",
            b"10:21",
            b"10:21:04.",
            b"x",
            b"10:21:04.163+",
            b"10:21:04.163+99999",
        ] {
            assert_eq!(
                parse_ccm_time(bad),
                None,
                "{}",
                String::from_utf8_lossy(bad)
            );
        }
    }

    #[test]
    fn dates() {
        assert_eq!(parse_mdy_date(b"10-18-2019"), date_to_days(2019, 10, 18));
        assert_eq!(parse_mdy_date(b"3-24-2026"), date_to_days(2026, 3, 24));
        assert_eq!(parse_mdy_date(b"02-30-2020"), None);
        assert_eq!(parse_mdy_date(b"13-01-2020"), None);
        assert_eq!(parse_mdy_date(b"1-1-20"), None);
    }

    #[test]
    fn written_dates_and_their_order() {
        assert_eq!(date_order_shown(b"21/03/2018 x"), Some(DateOrder::DayFirst));
        assert_eq!(date_order_shown(b"03-21-2018"), Some(DateOrder::MonthFirst));
        assert_eq!(date_order_shown(b"03/04/2018"), None);
        assert_eq!(date_order_shown(b"2018-03-21"), None);
        let read = |s: &[u8], order| {
            parse_written_datetime(s, order).map(|t| (format_rfc3339_ms(t.wall_ms), t.len))
        };
        let day_first = read(b"04/03/2018 10:00:00", DateOrder::DayFirst);
        assert_eq!(day_first, Some(("2018-03-04T10:00:00.000Z".into(), 19)));
        let month_first = read(b"04/03/2018 10:00:00", DateOrder::MonthFirst);
        assert_eq!(month_first, Some(("2018-04-03T10:00:00.000Z".into(), 19)));
        // A dot means day first; a first number above 12 too.
        let dotted = read(b"04.03.2018 10:00:00", DateOrder::MonthFirst);
        assert_eq!(dotted.unwrap().0, "2018-03-04T10:00:00.000Z");
        let big = read(b"21-03-2018 10:00:00", DateOrder::MonthFirst);
        assert_eq!(big.unwrap().0, "2018-03-21T10:00:00.000Z");
        let pm = read(b"3/21/2018 12:15:00 PM\t", DateOrder::MonthFirst);
        assert_eq!(pm, Some(("2018-03-21T12:15:00.000Z".into(), 21)));
        let iso = read(b"2018-03-21T15:45:33.5+01:00 x", DateOrder::MonthFirst);
        assert_eq!(iso, Some(("2018-03-21T15:45:33.500Z".into(), 27)));
        let spaced = read(b"2018-03-21 15:45:33 -0500", DateOrder::MonthFirst);
        assert_eq!(spaced.unwrap().1, 25);
        // A signed number after a space is no offset unless it has four digits.
        let not_offset = read(b"2018-03-21 15:45:33 -5 x", DateOrder::MonthFirst);
        assert_eq!(not_offset.unwrap().1, 19);
        assert_eq!(
            parse_written_date(b"2018-03-21", DateOrder::MonthFirst),
            date_to_days(2018, 3, 21)
        );
        assert_eq!(
            parse_written_date(b"2018-03-21 x", DateOrder::MonthFirst),
            None
        );
    }

    #[test]
    fn leading_timestamps() {
        let t = parse_leading_timestamp(b"2023-05-17 08:24:08, Info  CBS").unwrap();
        assert_eq!(format_rfc3339_ms(t.wall_ms), "2023-05-17T08:24:08.000Z");
        assert_eq!(t.offset_minutes, None);
        assert_eq!(t.len, 19);
        let t = parse_leading_timestamp(b"2026-11-24 08:55:51.007 +08:00 INFO").unwrap();
        assert_eq!(t.offset_minutes, Some(480));
        assert_eq!(&b"2026-11-24 08:55:51.007 +08:00 INFO"[t.len..], b" INFO");
        let t = parse_leading_timestamp(b"2021/07/13 10:22:58.9553434 3696").unwrap();
        assert_eq!(format_rfc3339_ms(t.wall_ms), "2021-07-13T10:22:58.955Z");
        let t = parse_leading_timestamp(b"2013-01-27\t10:55:33:210\t1160").unwrap();
        assert_eq!(format_rfc3339_ms(t.wall_ms), "2013-01-27T10:55:33.210Z");
        assert_eq!(
            parse_leading_timestamp(b"2020-01-01T00:00:00Z x")
                .unwrap()
                .offset_minutes,
            Some(0)
        );
        assert_eq!(
            parse_leading_timestamp(b"2020-01-01T00:00:00-0500")
                .unwrap()
                .offset_minutes,
            Some(-300)
        );
        assert!(parse_leading_timestamp(b"Info 2020").is_none());
        assert!(parse_leading_timestamp(b"2020-13-01 00:00:00").is_none());
    }
}
