//! Small text helpers that several stages share (a leaf module: it imports nothing from the
//! grader, so every arrow points down to it).

/// Removes ANSI escape sequences (CSI `ESC [ … letter`, OSC `ESC ] … BEL/ST`, and two-byte
/// `ESC x` sequences).
pub fn strip_ansi(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\x1b' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('[') => {
                for c in chars.by_ref() {
                    if c.is_ascii_alphabetic() || c == '~' {
                        break;
                    }
                }
            }
            Some(']') => {
                while let Some(c) = chars.next() {
                    if c == '\x07' || (c == '\x1b' && chars.next_if_eq(&'\\').is_some()) {
                        break;
                    }
                }
            }
            _ => {}
        }
    }
    out
}

/// Output of code under test, made safe for a terminal or a file: escape sequences removed,
/// every other control character (C0 but tab and newline, DEL, C1) shown as `�`, carriage
/// returns dropped. Stops a test from moving the cursor, retitling the terminal or hiding
/// lines of the report.
pub fn sanitize(text: &str) -> String {
    strip_ansi(text)
        .chars()
        .filter(|&c| c != '\r')
        .map(|c| match c {
            '\n' | '\t' => c,
            c if c.is_control() => '\u{fffd}',
            c => c,
        })
        .collect()
}

/// Characters XML 1.0 cannot hold removed (C0 controls other than tab, newline and carriage
/// return, lone surrogates cannot occur in a `str`, U+FFFE and U+FFFF).
pub fn xml_safe(text: &str) -> String {
    text.chars()
        .filter(|&c| {
            matches!(c, '\t' | '\n' | '\r')
                || (('\u{20}'..='\u{d7ff}').contains(&c))
                || (('\u{e000}'..='\u{fffd}').contains(&c))
                || c >= '\u{10000}'
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ansi_sequences_are_removed() {
        assert_eq!(strip_ansi("\x1b[1;31mred\x1b[0m"), "red");
        assert_eq!(strip_ansi("a\x1b]0;title\x07b"), "ab");
        assert_eq!(strip_ansi("a\x1b]0;title\x1b\\b"), "ab");
    }

    #[test]
    fn control_characters_never_reach_the_terminal() {
        let hostile = "ok\r\x1b[2K\x1b[1A\x08\x07\x00\u{9b}2J\ttab\nline";
        let clean = sanitize(hostile);
        assert!(
            !clean
                .chars()
                .any(|c| c.is_control() && c != '\n' && c != '\t')
        );
        assert!(clean.contains("ok") && clean.contains("tab\nline"));
    }

    #[test]
    fn xml_invalid_characters_are_dropped() {
        assert_eq!(xml_safe("a\u{0}b\u{1b}c\u{fffe}d\u{ffff}e\tf"), "abcde\tf");
    }
}
