//! Text → `settings::parse` (the loader of `settings.json`, which users
//! edit by hand and crashes may cut short): never panics; what it accepts
//! lies within `settings::bounds`, sanitizing it again changes nothing,
//! and saving then loading it gives the same settings.
#![no_main]

use libfuzzer_sys::fuzz_target;
use logweave::settings::{self, RECENT_MAX, bounds};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let Ok(s) = settings::parse(&text) else {
        return;
    };
    let within = |v: f32, (lo, hi): (f32, f32)| v.is_finite() && (lo..=hi).contains(&v);
    assert!((bounds::POLL_MS.0..=bounds::POLL_MS.1).contains(&s.poll_interval_ms));
    assert!(within(s.font_size, bounds::FONT_SIZE), "{}", s.font_size);
    assert!(s.column_widths.iter().all(|&w| within(w, bounds::COLUMN_WIDTH)));
    for list in [&s.find_history, &s.lookup_history, &s.recent_hosts] {
        assert!(list.len() <= RECENT_MAX);
        assert!(list.iter().all(|t| t.chars().count() <= bounds::TEXT_CHARS));
    }
    assert!(s.recent_files.len() <= RECENT_MAX);
    assert!(s.print_command.len() <= 32);
    assert!(s.print_command.iter().all(|t| t.chars().count() <= bounds::TEXT_CHARS));
    assert!(s.highlight_text.chars().count() <= bounds::TEXT_CHARS);
    if let Some(w) = s.window {
        let (lo, hi) = bounds::WINDOW_SIDE;
        assert!((lo..=hi).contains(&w.width) && (lo..=hi).contains(&w.height));
    }
    assert_eq!(s.clone().sanitized(), s, "sanitizing is not idempotent");
    let saved = serde_json::to_string_pretty(&s).expect("settings serialise");
    let loaded = settings::parse(&saved).expect("saved settings load");
    assert_eq!(loaded, s, "a save and a load changed the settings:\n{saved}");
});
