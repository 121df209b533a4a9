//! Every time parser of `logweave::time` on arbitrary bytes (never panics,
//! lengths stay inside the input, times inside a day, biases inside
//! `MAX_BIAS_MINUTES`), and round trips: day numbers ↔ civil dates,
//! `format_rfc3339_ms` → `parse_leading_timestamp` / `parse_written_datetime`,
//! CCM `time`/`date` attributes, the simple format's dates, pasted dates in
//! both orders and 12-hour clocks written then parsed back.
#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use logweave::time::{self, DateOrder, MAX_BIAS_MINUTES};

const DAY: i64 = 86_400_000;

#[derive(Arbitrary, Debug)]
struct Moment {
    year: u16,
    month: u8,
    day: u8,
    hour: u8,
    minute: u8,
    second: u8,
    milli: u16,
    bias: i16,
    ms: i64,
    bytes: Vec<u8>,
}

fuzz_target!(|m: Moment| {
    let s = &m.bytes[..];
    // Arbitrary text: no panic, and what is returned stays in range.
    if let Some(t) = time::parse_ccm_time(s) {
        assert!((0..DAY).contains(&t.ms), "{t:?}");
        if let Some(b) = t.bias {
            assert!(b.minutes.abs() <= MAX_BIAS_MINUTES, "{t:?}");
        }
    }
    if let Some(days) = time::parse_mdy_date(s) {
        let (y, _, _) = time::civil_from_days(days);
        assert!((1..=9999).contains(&y));
    }
    if let Some(t) = time::parse_leading_timestamp(s) {
        assert!(t.len <= s.len());
        assert!(t.offset_minutes.is_none_or(|o| o.abs() <= 14 * 60 + 59));
    }
    for order in [DateOrder::MonthFirst, DateOrder::DayFirst] {
        if let Some(t) = time::parse_written_datetime(s, order) {
            assert!(t.len <= s.len(), "{t:?}");
            // The same prefix read alone gives the same time.
            let again = time::parse_written_datetime(&s[..t.len], order);
            assert_eq!(again.map(|a| a.wall_ms), Some(t.wall_ms));
        }
        let _ = time::parse_written_date(s, order);
    }
    let _ = time::date_order_shown(s);
    let _ = time::format_elapsed(m.ms);
    let _ = time::format_rfc3339_ms(m.ms);

    // Day numbers and civil dates.
    let days = m.ms % 4_000_000;
    let (y, mo, d) = time::civil_from_days(days);
    assert_eq!(time::days_from_civil(y, mo, d), days);
    if (1..=9999).contains(&y) {
        assert_eq!(time::date_to_days(y, mo, d), Some(days));
    }

    let (year, month, day) = (
        i64::from(m.year % 9999 + 1),
        u32::from(m.month % 12 + 1),
        u32::from(m.day % 31 + 1),
    );
    let Some(days) = time::date_to_days(year, month, day) else {
        assert!(day > 28, "{year}-{month}-{day} refused");
        return;
    };
    assert_eq!(time::civil_from_days(days), (year, month, day));
    let (h, mi, sec, milli) = (
        i64::from(m.hour % 24),
        i64::from(m.minute % 60),
        i64::from(m.second % 60),
        i64::from(m.milli % 1000),
    );
    let of_day = ((h * 60 + mi) * 60 + sec) * 1000 + milli;
    let wall = time::wall_ms(days, of_day);

    // RFC 3339 written, read back as a leading timestamp and a pasted date.
    let rfc = time::format_rfc3339_ms(wall);
    let lead = time::parse_leading_timestamp(rfc.as_bytes()).expect(&rfc);
    assert_eq!(
        (lead.wall_ms, lead.offset_minutes, lead.len),
        (wall, Some(0), rfc.len()),
        "{rfc}"
    );
    let written = time::parse_written_datetime(rfc.as_bytes(), DateOrder::DayFirst).expect(&rfc);
    assert_eq!((written.wall_ms, written.len), (wall, rfc.len()), "{rfc}");

    // CCM attributes.
    let bias = i32::from(m.bias) % (MAX_BIAS_MINUTES + 1);
    let sign = if bias < 0 { '-' } else { '+' };
    let ccm = format!("{h:02}:{mi:02}:{sec:02}.{milli:03}{sign}{}", bias.abs());
    let t = time::parse_ccm_time(ccm.as_bytes()).expect(&ccm);
    assert_eq!(t.ms, of_day, "{ccm}");
    assert_eq!(
        t.bias.map(|b| (b.minutes, b.glued)),
        Some((bias, false)),
        "{ccm}"
    );
    let short = format!("{h}:{mi}:{sec}");
    assert_eq!(
        time::parse_ccm_time(short.as_bytes()).map(|t| t.ms),
        Some(of_day - milli)
    );
    let date = format!("{month:02}-{day:02}-{year:04}");
    assert_eq!(time::parse_mdy_date(date.as_bytes()), Some(days), "{date}");

    // Pasted dates: month first with a 12-hour clock, day first with dots.
    let (h12, ampm) = match h {
        0 => (12, "AM"),
        1..=11 => (h, "AM"),
        12 => (12, "PM"),
        _ => (h - 12, "PM"),
    };
    let us = format!("{month}/{day}/{year:04} {h12}:{mi:02}:{sec:02} {ampm}");
    let read = time::parse_written_datetime(us.as_bytes(), DateOrder::MonthFirst).expect(&us);
    assert_eq!((read.wall_ms, read.len), (wall - milli, us.len()), "{us}");
    let eu = format!("{day:02}.{month:02}.{year:04} {h:02}:{mi:02}:{sec:02}.{milli:03}");
    let read = time::parse_written_datetime(eu.as_bytes(), DateOrder::MonthFirst).expect(&eu);
    assert_eq!((read.wall_ms, read.len), (wall, eu.len()), "{eu}");
    let day_first = format!("{day}/{month}/{year:04} {h}:{mi:02}:{sec:02}");
    let read =
        time::parse_written_datetime(day_first.as_bytes(), DateOrder::DayFirst).expect(&day_first);
    assert_eq!(read.wall_ms, wall - milli, "{day_first}");
    if day > 12 {
        assert_eq!(
            time::date_order_shown(day_first.as_bytes()),
            Some(DateOrder::DayFirst)
        );
    }
});
