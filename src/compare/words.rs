//! The words that differ between two messages of a changed pair (the
//! details pane's inline diff): each message cut into words and the runs
//! of spaces and punctuation between them, lined up by their longest common
//! subsequence; what is not in it is changed.

use std::ops::Range;

/// Tokens per message the exact diff takes; longer messages are marked
/// changed from their first differing byte to their last.
const MAX_TOKENS: usize = 600;

/// One piece of a message: its bytes and whether it differs from the
/// other message.
pub type Piece = (Range<usize>, bool);

/// The pieces of `a` and of `b`, in order, covering each message; changed
/// pieces are those not shared by the two.
pub fn word_diff(a: &str, b: &str) -> (Vec<Piece>, Vec<Piece>) {
    let (ta, tb) = (tokens(a), tokens(b));
    if ta.len() > MAX_TOKENS || tb.len() > MAX_TOKENS {
        return ends_only(a, b);
    }
    // Longest common subsequence of tokens, by dynamic programming.
    let (n, m) = (ta.len(), tb.len());
    let mut table = vec![0u16; (n + 1) * (m + 1)];
    let at = |i: usize, j: usize| i * (m + 1) + j;
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            table[at(i, j)] = if a[ta[i].clone()] == b[tb[j].clone()] {
                table[at(i + 1, j + 1)] + 1
            } else {
                table[at(i + 1, j)].max(table[at(i, j + 1)])
            };
        }
    }
    let (mut same_a, mut same_b) = (vec![false; n], vec![false; m]);
    let (mut i, mut j) = (0, 0);
    while i < n && j < m {
        if a[ta[i].clone()] == b[tb[j].clone()] {
            same_a[i] = true;
            same_b[j] = true;
            i += 1;
            j += 1;
        } else if table[at(i + 1, j)] >= table[at(i, j + 1)] {
            i += 1;
        } else {
            j += 1;
        }
    }
    join_changed_words(a, &ta, &mut same_a);
    join_changed_words(b, &tb, &mut same_b);
    (merge(&ta, &same_a), merge(&tb, &same_b))
}

/// Spaces between two changed words are part of the change ("Failed to
/// run" reads as one change, not three).
fn join_changed_words(text: &str, tokens: &[Range<usize>], same: &mut [bool]) {
    for i in 1..tokens.len().saturating_sub(1) {
        if same[i] && !same[i - 1] && !same[i + 1] && text[tokens[i].clone()].trim().is_empty() {
            same[i] = false;
        }
    }
}

/// Words (letters, digits, `_`) and the runs of other characters between
/// them, as byte ranges.
fn tokens(text: &str) -> Vec<Range<usize>> {
    let mut out: Vec<Range<usize>> = Vec::new();
    let mut last_word = None;
    for (i, c) in text.char_indices() {
        let word = c.is_alphanumeric() || c == '_';
        let end = i + c.len_utf8();
        match out.last_mut() {
            Some(range) if last_word == Some(word) && word => range.end = end,
            _ => out.push(i..end),
        }
        last_word = Some(word);
    }
    out
}

/// Adjacent tokens with the same flag as one piece.
fn merge(tokens: &[Range<usize>], same: &[bool]) -> Vec<Piece> {
    let mut out: Vec<Piece> = Vec::new();
    for (range, &same) in tokens.iter().zip(same) {
        match out.last_mut() {
            Some((last, changed)) if *changed != same => last.end = range.end,
            _ => out.push((range.clone(), !same)),
        }
    }
    out
}

/// For messages too long to diff exactly: the common head and tail are
/// the same, the middle changed.
fn ends_only(a: &str, b: &str) -> (Vec<Piece>, Vec<Piece>) {
    let head = a
        .char_indices()
        .zip(b.chars())
        .find(|((_, x), y)| x != y)
        .map_or(a.len().min(b.len()), |((i, _), _)| i);
    let tail = a[head..]
        .chars()
        .rev()
        .zip(b[head..].chars().rev())
        .take_while(|(x, y)| x == y)
        .map(|(x, _)| x.len_utf8())
        .sum::<usize>();
    let pieces = |text: &str| {
        let middle = head..text.len() - tail;
        [
            (0..head, false),
            (middle, true),
            (text.len() - tail..text.len(), false),
        ]
        .into_iter()
        .filter(|(r, _)| !r.is_empty())
        .collect()
    };
    (pieces(a), pieces(b))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn changed<'a>(text: &'a str, pieces: &[Piece]) -> Vec<&'a str> {
        pieces
            .iter()
            .filter(|(_, c)| *c)
            .map(|(r, _)| &text[r.clone()])
            .collect()
    }

    fn covers(text: &str, pieces: &[Piece]) -> bool {
        let mut end = 0;
        for (r, _) in pieces {
            if r.start != end {
                return false;
            }
            end = r.end;
        }
        end == text.len()
    }

    #[test]
    fn the_changed_words_of_a_pair() {
        let a = "Installation of 'Contoso VPN Client' failed with exit code 1603";
        let b = "Installation of 'Contoso VPN Client' succeeded with exit code 0";
        let (pa, pb) = word_diff(a, b);
        assert_eq!(changed(a, &pa), ["failed", "1603"]);
        let (done, _) = word_diff(
            "Successfully completed the action (Install VPN) with code 0",
            "Failed to run the action: Install VPN.",
        );
        assert_eq!(
            changed(
                "Successfully completed the action (Install VPN) with code 0",
                &done
            ),
            ["Successfully completed", "(", ") with code 0"]
        );
        assert_eq!(changed(b, &pb), ["succeeded", "0"]);
        assert!(covers(a, &pa) && covers(b, &pb));
        let (pa, pb) = word_diff(a, a);
        assert!(changed(a, &pa).is_empty() && changed(a, &pb).is_empty());
        let (pa, pb) = word_diff("", "new text");
        assert!(pa.is_empty());
        assert_eq!(changed("new text", &pb), ["new text"]);
    }

    #[test]
    fn long_messages_mark_the_middle() {
        let a = format!("{} end A {}", "word ".repeat(700), "tail ".repeat(3));
        let b = format!("{} end B {}", "word ".repeat(700), "tail ".repeat(3));
        let (pa, pb) = word_diff(&a, &b);
        assert_eq!(changed(&a, &pa), ["A"]);
        assert_eq!(changed(&b, &pb), ["B"]);
        assert!(covers(&a, &pa) && covers(&b, &pb));
        // Multi-byte characters around the difference stay whole.
        let (pa, pb) = ends_only("größe ä", "größe ö");
        assert!(covers("größe ä", &pa) && covers("größe ö", &pb));
    }
}
