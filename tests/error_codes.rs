//! Error codes: the detection test file, the test vectors of
//! error-codes.md §7 through the library and through `logweave lookup`.

use logweave::errors::detect::find_codes;

#[test]
fn codes_in_real_looking_log_lines() {
    let table = include_str!("data/error-codes-in-messages.tsv");
    let mut checked = 0;
    let mut failures = Vec::new();
    for line in table.lines().filter(|l| !l.starts_with('#')).skip(1) {
        let (expected, text) = line.split_once('\t').expect("expected<TAB>line");
        let want: Vec<u32> = if expected == "-" {
            Vec::new()
        } else {
            expected
                .split(',')
                .map(|h| u32::from_str_radix(h.trim_start_matches("0x"), 16).expect("hex"))
                .collect()
        };
        let got: Vec<u32> = find_codes(text).into_iter().map(|f| f.value).collect();
        if got != want {
            failures.push(format!("{text}\n    want {want:08X?}\n    got  {got:08X?}"));
        }
        checked += 1;
    }
    assert!(checked >= 45, "only {checked} lines");
    assert!(
        failures.is_empty(),
        "{} of {checked} lines wrong:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn detected_ranges_cover_the_number_as_written() {
    let text = "Set a global environment variable _SMSTSLastActionRetCode=-2147024894 and (Error: 80070002; Source: Windows)";
    let found = find_codes(text);
    let spans: Vec<&str> = found.iter().map(|f| &text[f.range.clone()]).collect();
    assert_eq!(spans, vec!["-2147024894", "80070002"]);
}
