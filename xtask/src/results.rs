//! Classroom results for machines: one JSON document read unchanged by Exercism-style tools
//! (results.json version 3) and GitHub Classroom's reporter, JUnit XML, and the GitHub
//! Actions extras (step summary, annotations, `result=` output).

use serde::Serialize;

use crate::verdict::Verdict;

/// Characters of a test's output kept in the JSON.
pub const OUTPUT_CHARS: usize = 500;
/// Characters of a test's source kept in `test_code`.
const CODE_CHARS: usize = 4000;

/// The results document.
#[derive(Debug, Clone, Serialize)]
pub struct Results {
    /// Exercism results.json version.
    pub version: u32,
    /// `pass` (every check passed), `fail` (some did not), `error` (nothing could run).
    pub status: String,
    /// A summary, or why nothing could run.
    pub message: Option<String>,
    /// GitHub Classroom: the sum of the graded katas' points.
    pub max_score: f64,
    /// The points earned.
    pub score: f64,
    /// One entry per check, katas in curriculum order.
    pub tests: Vec<TestResult>,
}

/// One check.
#[derive(Debug, Clone, Serialize)]
pub struct TestResult {
    /// `NN-kata / suite file / check name in words`.
    pub name: String,
    /// `pass`, `fail` (assertion, not started) or `error` (timeout, crash, no result, not
    /// run, does not compile).
    pub status: String,
    /// What went wrong, in the report's words.
    pub message: Option<String>,
    /// Captured output, at most [`OUTPUT_CHARS`] characters.
    pub output: Option<String>,
    /// The test's source.
    pub test_code: String,
    /// The kata number.
    pub task_id: u32,
    /// Points: the kata's points split equally over its checks.
    pub score: f64,
    /// Where to look: the learner's line for not-started and failing code, else the suite file.
    pub filename: String,
    /// Line in `filename` (1-based; 0 when unknown).
    pub line_no: u32,
    /// Milliseconds.
    pub duration: u64,
    /// The grader's verdict kind (`pass`, `fail`, `not_started`, `timeout`, `crash`,
    /// `no_result`, `skipped`, `compile_error`).
    pub verdict: String,
    /// The kata slug.
    pub kata: String,
}

/// Maps a verdict to Exercism's pass / fail / error.
pub fn status_of(verdict: &Verdict) -> &'static str {
    match verdict {
        Verdict::Pass => "pass",
        Verdict::Fail { .. } | Verdict::NotStarted { .. } => "fail",
        Verdict::Timeout { .. }
        | Verdict::Crash { .. }
        | Verdict::NoResult { .. }
        | Verdict::Skipped { .. } => "error",
    }
}

/// The message of a verdict in words (none for a pass).
pub fn message_of(verdict: &Verdict) -> Option<String> {
    match verdict {
        Verdict::Pass => None,
        Verdict::Fail {
            message,
            location,
            minimal_input,
        } => {
            let mut m = message.clone();
            if let Some(input) = minimal_input {
                m.push_str(&format!("\nminimal failing input: {input}"));
            }
            if let Some(l) = location {
                m.push_str(&format!("\nat {l}"));
            }
            Some(m)
        }
        Verdict::NotStarted { location, message } => Some(format!(
            "not started: a todo!() was reached at {location}{}",
            if message.is_empty() {
                String::new()
            } else {
                format!(" ({message})")
            }
        )),
        Verdict::Timeout { after, stuck_at } => Some(format!(
            "killed after {} s: likely a deadlock or an infinite loop{}",
            after.as_secs(),
            stuck_at
                .as_ref()
                .map(|s| format!(
                    "; `{}` was running when it was stopped ({})",
                    s.function, s.location
                ))
                .unwrap_or_default()
        )),
        Verdict::Crash { detail, .. } => Some(format!("the test process crashed: {detail}")),
        Verdict::NoResult { detail } => Some(detail.clone()),
        Verdict::Skipped { reason } => Some(reason.describe()),
    }
}

/// The first `n` characters of `text` (on a char boundary), marked when cut.
pub fn cap(text: &str, n: usize) -> String {
    match text.char_indices().nth(n) {
        None => text.to_string(),
        Some((i, _)) => format!("{}…", &text[..i]),
    }
}

/// The source of `fn name` in a suite file and its 1-based line, found by brace matching.
pub fn test_source(source: &str, name: &str) -> (String, u32) {
    let last = name.rsplit("::").next().unwrap_or(name);
    // rstest cases live in the function the table belongs to.
    let wanted = if last.starts_with("case_") {
        name.rsplit("::").nth(1).unwrap_or(last)
    } else {
        last
    };
    let needle = format!("fn {wanted}");
    let Some(start) = source.match_indices(&needle).map(|(i, _)| i).find(|&i| {
        !source[i + needle.len()..].starts_with(|c: char| c.is_alphanumeric() || c == '_')
    }) else {
        return (String::new(), 0);
    };
    let line = source[..start].matches('\n').count() as u32 + 1;
    // Include the attributes and comments just above.
    let line_start = source[..start].rfind('\n').map_or(0, |i| i + 1);
    let mut from = line_start;
    for prev in source[..line_start].lines().rev() {
        let t = prev.trim_start();
        if t.starts_with("#[") || t.starts_with("///") || t.starts_with("//") {
            from -= prev.len() + 1;
        } else {
            break;
        }
    }
    let mut depth = 0usize;
    let mut end = source.len();
    let mut opened = false;
    for (i, c) in source[start..].char_indices() {
        match c {
            '{' => {
                depth += 1;
                opened = true;
            }
            '}' => {
                depth = depth.saturating_sub(1);
                if opened && depth == 0 {
                    end = start + i + 1;
                    break;
                }
            }
            _ => {}
        }
    }
    (cap(&source[from.min(start)..end], CODE_CHARS), line)
}

/// JUnit XML: one testsuite per kata, one testcase per check.
pub fn junit(results: &Results) -> String {
    let mut katas: Vec<&str> = Vec::new();
    for t in &results.tests {
        if !katas.contains(&t.kata.as_str()) {
            katas.push(&t.kata);
        }
    }
    let count = |ts: &[&TestResult], status: &str| ts.iter().filter(|t| t.status == status).count();
    let secs = |ts: &[&TestResult]| ts.iter().map(|t| t.duration).sum::<u64>() as f64 / 1000.0;
    let all: Vec<&TestResult> = results.tests.iter().collect();
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    out.push_str(&format!(
        "<testsuites name=\"latency-katas\" tests=\"{}\" failures=\"{}\" errors=\"{}\" time=\"{:.3}\">\n",
        all.len(),
        count(&all, "fail"),
        count(&all, "error"),
        secs(&all)
    ));
    for kata in katas {
        let tests: Vec<&TestResult> = results.tests.iter().filter(|t| t.kata == kata).collect();
        out.push_str(&format!(
            "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"{}\" time=\"{:.3}\">\n",
            xml(kata),
            tests.len(),
            count(&tests, "fail"),
            count(&tests, "error"),
            secs(&tests)
        ));
        for t in tests {
            out.push_str(&format!(
                "    <testcase classname=\"{}\" name=\"{}\" file=\"{}\" line=\"{}\" time=\"{:.3}\"",
                xml(kata),
                xml(&t.name),
                xml(&t.filename),
                t.line_no,
                t.duration as f64 / 1000.0
            ));
            let message = t.message.clone().unwrap_or_default();
            match t.status.as_str() {
                "pass" => out.push_str("/>\n"),
                kind => {
                    let tag = if kind == "error" { "error" } else { "failure" };
                    let first = message.lines().next().unwrap_or("");
                    out.push_str(&format!(
                        ">\n      <{tag} type=\"{}\" message=\"{}\">{}</{tag}>\n",
                        xml(&t.verdict),
                        xml(first),
                        xml(&message)
                    ));
                    if let Some(output) = &t.output {
                        out.push_str(&format!("      <system-out>{}</system-out>\n", xml(output)));
                    }
                    out.push_str("    </testcase>\n");
                }
            }
        }
        out.push_str("  </testsuite>\n");
    }
    out.push_str("</testsuites>\n");
    out
}

/// Escapes text for XML attributes and content, dropping characters XML 1.0 forbids.
pub fn xml(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in crate::text::xml_safe(&crate::text::strip_ansi(text)).chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
    out
}

/// Standard base64 (with padding), for `result=` in `$GITHUB_OUTPUT`.
pub fn base64(bytes: &[u8]) -> String {
    const TABLE: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(TABLE[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// The Markdown step summary: one row per kata, failures folded. Kept well under 1 MiB.
pub fn step_summary(results: &Results, per_kata: &[(String, f64, u32, String)]) -> String {
    let mut out = format!(
        "## latency-katas: {:.1} / {:.0} points\n\n| kata | points | status |\n|---|---|---|\n",
        results.score, results.max_score
    );
    for (kata, score, points, status) in per_kata {
        out.push_str(&format!("| {kata} | {score:.1} / {points} | {status} |\n"));
    }
    let failing: Vec<&TestResult> = results
        .tests
        .iter()
        .filter(|t| t.status != "pass")
        .collect();
    if !failing.is_empty() {
        out.push_str(&format!(
            "\n<details><summary>{} checks did not pass</summary>\n\n",
            failing.len()
        ));
        for t in failing.iter().take(200) {
            let msg = cap(t.message.as_deref().unwrap_or(""), 300).replace('\n', " ");
            out.push_str(&format!("- **{}**: {}\n", md(&t.name), md(&msg)));
        }
        if failing.len() > 200 {
            out.push_str(&format!("- … and {} more\n", failing.len() - 200));
        }
        out.push_str("\n</details>\n");
    }
    out
}

fn md(text: &str) -> String {
    text.replace('|', "\\|").replace('<', "&lt;")
}

/// A GitHub Actions `::error` annotation.
pub fn annotation(file: &str, line: u32, title: &str, message: &str) -> String {
    let esc = |s: &str| {
        s.replace('%', "%25")
            .replace('\r', "%0D")
            .replace('\n', "%0A")
    };
    let prop = |s: &str| esc(s).replace(':', "%3A").replace(',', "%2C");
    if line > 0 {
        format!(
            "::error file={},line={line},title={}::{}",
            prop(file),
            prop(title),
            esc(message)
        )
    } else {
        format!(
            "::error file={},title={}::{}",
            prop(file),
            prop(title),
            esc(message)
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_matches_the_standard_alphabet() {
        assert_eq!(base64(b""), "");
        assert_eq!(base64(b"f"), "Zg==");
        assert_eq!(base64(b"fo"), "Zm8=");
        assert_eq!(base64(b"foo"), "Zm9v");
        assert_eq!(base64(b"foobar"), "Zm9vYmFy");
    }

    #[test]
    fn xml_is_escaped_and_control_characters_dropped() {
        assert_eq!(xml("a<b & \"c\"\u{1}"), "a&lt;b &amp; &quot;c&quot;");
    }

    #[test]
    fn a_test_source_is_found_with_its_attributes() {
        let src =
            "use x;\n\n/// Doc.\n#[test]\nfn the_one() {\n    if a { b }\n}\n\nfn other() {}\n";
        let (code, line) = test_source(src, "the_one");
        assert_eq!(line, 5);
        assert!(
            code.starts_with("/// Doc.\n#[test]\nfn the_one()"),
            "{code}"
        );
        assert!(code.ends_with("}\n}"), "{code}");
        let (_, line) = test_source(src, "table::case_2_x");
        assert_eq!(line, 0);
    }

    #[test]
    fn annotations_escape_their_properties() {
        assert_eq!(
            annotation("a,b.rs", 3, "t: x", "line1\nline2"),
            "::error file=a%2Cb.rs,line=3,title=t%3A x::line1%0Aline2"
        );
    }
}
