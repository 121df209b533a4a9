//! Error codes: `errors::parse`, `errors::lookup` (built-in tables and tables
//! parsed from arbitrary TSV), `describe_bits` and `detect::find_codes` over
//! arbitrary text; for any value, every one of `written_forms(v)` parses back
//! to `v` among its candidates, and `find_codes` finds `v` in
//! `Error: {form};` (the bare 8-digit form only where smsts.log writes it,
//! for failure HRESULT/NTSTATUS values; and no 8-digit decimal that reads as
//! one of those).
#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use logweave::errors::{self, Tables, detect};

#[derive(Arbitrary, Debug)]
struct Input {
    value: u32,
    text: String,
    names_tsv: String,
    curated_tsv: String,
}

fuzz_target!(|input: Input| {
    let v = input.value;
    let _ = errors::describe_bits(v);
    let forms = detect::written_forms(v);
    for form in &forms {
        let candidates = errors::parse(form).unwrap_or_else(|e| panic!("{form}: {e}"));
        assert!(
            candidates.iter().any(|&(c, _)| c == v),
            "{form} parses to {candidates:?}, not {v:#x}"
        );
        // A second reading of the same digits is only kept when the tables
        // know it: the first candidate is always looked up.
        let first = candidates[0].0;
        let looked = errors::lookup(Tables::builtin(), form).expect(form);
        assert!(
            looked.iter().any(|i| i.unsigned == u64::from(first)),
            "lookup of {form} misses {first:#x}"
        );
        if v == 0 {
            continue;
        }
        let bare_hex = *form == format!("{v:08X}");
        let eight_digits = form.len() == 8 && form.bytes().all(|b| b.is_ascii_digit());
        let failure_like = matches!(form.as_bytes()[0], b'8' | b'9' | b'C' | b'D');
        if (bare_hex && !failure_like) || (!bare_hex && eight_digits && failure_like) {
            // A bare 8-digit number is read as hex only when it looks like a
            // failure code (smsts.log's `Error: 80070002`), and as a decimal
            // otherwise: the other reading is not looked for.
            continue;
        }
        let line = format!("Error: {form};");
        let found = detect::find_codes(&line);
        assert!(
            found.iter().any(|f| f.value == v
                && &line[f.range.clone()].trim_start_matches("0x")
                    == &form.trim_start_matches("0x")),
            "{line}: {found:?}"
        );
    }

    // Arbitrary text: found codes lie inside the text, in order, not overlapping.
    let found = detect::find_codes(&input.text);
    for w in found.windows(2) {
        assert!(w[0].range.end <= w[1].range.start, "{found:?}");
    }
    for f in &found {
        assert!(input.text.get(f.range.clone()).is_some(), "{f:?}");
        assert_ne!(f.value, 0);
    }
    if let Ok(candidates) = errors::parse(&input.text) {
        assert!(!candidates.is_empty());
        let looked = errors::lookup(Tables::builtin(), &input.text).expect("parsed");
        for i in &looked {
            let value = u32::try_from(i.unsigned).expect("32 bits");
            assert_eq!(i.hex, format!("0x{value:08X}"));
            assert_eq!(i.signed, i64::from(value as i32));
            assert!(candidates.iter().any(|&(c, _)| c == value));
        }
    }
    let _ = errors::lookup_everywhere(Tables::builtin(), &input.text);
    if let Ok(tables) = Tables::parse(&input.names_tsv, &input.curated_tsv) {
        let _ = tables.sizes();
        let _ = errors::lookup_everywhere(&tables, &input.text);
        let _ = errors::lookup(&tables, &forms[0]);
    }
});
