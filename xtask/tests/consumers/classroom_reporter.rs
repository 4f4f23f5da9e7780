//! A model of GitHub Classroom's grading reporter (classroom-resources/
//! autograding-grading-reporter v1: src/main.js, console-results.js, aggregate-results.js,
//! notify-classroom.js, helpers/test-helpers.js), and of how a step hands it its results.
//!
//! What the real tool does, rule by rule:
//! - The runner starts `node dist/main.js` with the job's environment. Linux refuses to start
//!   a process when one environment string (`NAME=value`) exceeds MAX_ARG_STRLEN (128 KiB), or
//!   when arguments and environment together exceed ARG_MAX: "Argument list too long", and
//!   the step dies before the reporter runs.
//! - The `runners` input is split on `,`; each runner's result is read from
//!   `process.env[runner.trim().toUpperCase() + "_RESULTS"]`, base64-decoded (Node skips
//!   characters outside the alphabet) and `JSON.parse`d. A missing variable or bad JSON
//!   throws; the catch block then only says that the runners input must match
//!   `^([a-zA-Z0-9]+,)*[a-zA-Z0-9]+$`, or prints the exception's message, and fails the step.
//! - Console: per runner, a line per test (`✅ name - line N` when `line_no !== 0`, `❌ …` for
//!   other statuses, `Error: message` for `error`), its `test_code`, then
//!   `Total points for RUNNER: score.toFixed(2)/max_score` where score = passed / tests.length
//!   × max_score. A table of the same per-runner scores with their raw sum, then
//!   `Grand total tests passed: P/T`.
//! - Classroom's grade: two notices built from `totalPoints` = the sum, in order, of every
//!   test's `score` for runners whose `max_score` is truthy, and `maxPoints` = the sum of
//!   those `max_score`s: `Points T/M` and `{"totalPoints":T,"maxPoints":M}`.
//! - The step fails when a runner's status is `fail` ("Some tests failed.") or `error`.
//!
//! Numbers follow JavaScript: doubles added in order, `String(number)` and `toFixed(2)`.

use serde_json::Value;

/// Linux's cap on one argument or environment string, its terminating NUL included.
pub const MAX_ARG_STRLEN: usize = 32 * 4096;
/// Arguments and environment together (a quarter of the runners' 8 MiB stack), less room for
/// the environment a GitHub runner already carries.
pub const ARG_MAX_LEFT: usize = 2 * 1024 * 1024 - 64 * 1024;

/// What the reporter did.
#[derive(Debug, Default)]
pub struct Run {
    /// Console lines.
    pub lines: Vec<String>,
    /// The summary table: (runner, score cell, max cell), then the total row.
    pub table: Vec<(String, String, String)>,
    /// Each runner's table score (the double the reporter computed).
    pub runner_scores: Vec<(String, f64)>,
    /// Each runner's sum of test scores, as the notices add them up.
    pub runner_sums: Vec<(String, f64)>,
    /// The notices Classroom records the grade from: (title, text).
    pub notices: Vec<(String, String)>,
    /// `core.setFailed` messages.
    pub failed: Vec<String>,
}

/// Starting the reporter's process: fails like `execve` does when the environment is too big.
pub fn spawn(env: &[(String, String)], runners: &str) -> Result<Run, String> {
    let mut total = 0;
    for (name, value) in env {
        let len = name.len() + 1 + value.len() + 1;
        if len > MAX_ARG_STRLEN {
            return Err(format!(
                "Argument list too long: {name} is {len} bytes (one environment string may \
                 hold {MAX_ARG_STRLEN})"
            ));
        }
        total += len + std::mem::size_of::<usize>();
    }
    if total > ARG_MAX_LEFT {
        return Err(format!(
            "Argument list too long: the environment takes {total} bytes"
        ));
    }
    Ok(main(env, runners))
}

/// src/main.js.
fn main(env: &[(String, String)], input: &str) -> Run {
    let mut run = Run::default();
    let parsed: Result<Vec<(String, Value)>, String> = input
        .split(',')
        .map(|runner| {
            let var = format!("{}_RESULTS", runner.trim().to_uppercase());
            let encoded = env
                .iter()
                .find(|(n, _)| *n == var)
                .map(|(_, v)| v.as_str())
                .ok_or_else(|| {
                    "The first argument must be of type string or an instance of Buffer, \
                     ArrayBuffer, or Array or an Array-like Object. Received undefined"
                        .to_string()
                })?;
            let json = String::from_utf8_lossy(&node_base64(encoded)).into_owned();
            let value = json_parse(&json)?;
            Ok((runner.to_string(), value))
        })
        .collect();
    let result = parsed.and_then(|runners| {
        console_results(&runners, &mut run)?;
        notify_classroom(&runners, &mut run);
        if runners.iter().any(|(_, r)| r["status"] == "fail") {
            run.failed.push("Some tests failed.".into());
        } else if runners.iter().any(|(_, r)| r["status"] == "error") {
            run.failed.push("Some tests errored.".into());
        }
        Ok(())
    });
    if let Err(message) = result {
        if runners_input_ok(input) {
            run.lines.push(message.clone());
            run.failed.push(message);
        } else {
            let m = "The runners input must be a comma-separated list of strings.";
            run.lines.push(m.into());
            run.failed.push(m.into());
        }
    }
    run
}

/// The reporter's own rule for its `runners` input.
pub fn runners_input_ok(input: &str) -> bool {
    !input.is_empty()
        && input
            .split(',')
            .all(|r| !r.is_empty() && r.chars().all(|c| c.is_ascii_alphanumeric()))
}

/// `Buffer.from(text, "base64")`: characters outside the alphabet are skipped, decoding
/// stops at the first `=`; the URL-safe alphabet is accepted too.
fn node_base64(text: &str) -> Vec<u8> {
    let value = |c: u8| match c {
        b'A'..=b'Z' => Some(c - b'A'),
        b'a'..=b'z' => Some(c - b'a' + 26),
        b'0'..=b'9' => Some(c - b'0' + 52),
        b'+' | b'-' => Some(62),
        b'/' | b'_' => Some(63),
        _ => None,
    };
    let sextets: Vec<u8> = text
        .bytes()
        .take_while(|&c| c != b'=')
        .filter_map(value)
        .collect();
    let mut out = Vec::new();
    for chunk in sextets.chunks(4) {
        let mut n = 0u32;
        for (i, &s) in chunk.iter().enumerate() {
            n |= u32::from(s) << (18 - 6 * i);
        }
        for i in 0..chunk.len().saturating_sub(1) {
            out.push((n >> (16 - 8 * i)) as u8);
        }
    }
    out
}

/// `JSON.parse`, with V8's message for empty input.
fn json_parse(text: &str) -> Result<Value, String> {
    if text.trim().is_empty() {
        return Err("Unexpected end of JSON input".into());
    }
    serde_json::from_str(text).map_err(|e| format!("JSON.parse: {e}"))
}

/// A JavaScript number's truthiness-based `x || 0` for `max_score`.
fn max_score_of(results: &Value) -> f64 {
    match results.get("max_score").and_then(Value::as_f64) {
        Some(x) if x != 0.0 && !x.is_nan() => x,
        _ => 0.0,
    }
}

/// helpers/test-helpers.js getTestScore: passed / tests.length × (max_score || 0).
fn table_score(results: &Value) -> Result<f64, String> {
    let tests = tests_of(results)?;
    let passed = tests.iter().filter(|t| t["status"] == "pass").count();
    Ok((passed as f64 / tests.len() as f64) * max_score_of(results))
}

fn tests_of(results: &Value) -> Result<&Vec<Value>, String> {
    results["tests"]
        .as_array()
        .ok_or_else(|| "Cannot read properties of undefined (reading 'length')".to_string())
}

/// `String(value)` of a JSON value as JavaScript would print it in a template literal.
fn js_string(v: &Value) -> String {
    match v {
        Value::Null => "null".into(),
        Value::Number(n) => js_number(n.as_f64().unwrap_or(f64::NAN)),
        Value::String(s) => s.clone(),
        Value::Bool(b) => b.to_string(),
        other => other.to_string(),
    }
}

/// `String(x)` for a double: the shortest round-trip digits, as Rust also prints them, in
/// the range where JavaScript uses no exponent.
pub fn js_number(x: f64) -> String {
    if x.is_nan() {
        return "NaN".into();
    }
    if x.is_infinite() {
        return if x > 0.0 { "Infinity" } else { "-Infinity" }.into();
    }
    if x == 0.0 {
        return "0".into();
    }
    assert!(
        (1e-6..1e21).contains(&x.abs()),
        "the model does not print {x:e} (JavaScript would use an exponent)"
    );
    format!("{x}")
}

/// `x.toFixed(2)`: the exact decimal value of the double, rounded half up (away from zero).
pub fn to_fixed_2(x: f64) -> String {
    if x.is_nan() {
        return "NaN".into();
    }
    let exact = format!("{:.1100}", x.abs());
    let (int, frac) = exact.split_once('.').unwrap();
    let mut digits: Vec<u8> = int
        .bytes()
        .chain(frac.bytes().take(2))
        .map(|b| b - b'0')
        .collect();
    let rest = &frac[2..];
    if rest.as_bytes()[0] >= b'5' {
        let mut i = digits.len();
        loop {
            if i == 0 {
                digits.insert(0, 1);
                break;
            }
            i -= 1;
            if digits[i] == 9 {
                digits[i] = 0;
            } else {
                digits[i] += 1;
                break;
            }
        }
    }
    let s: String = digits.iter().map(|d| (b'0' + d) as char).collect();
    let (i, f) = s.split_at(s.len() - 2);
    let sign = if x < 0.0 && s.bytes().any(|b| b != b'0') {
        "-"
    } else {
        ""
    };
    format!("{sign}{i}.{f}")
}

/// src/console-results.js (with aggregate-results.js for the table).
fn console_results(runners: &[(String, Value)], run: &mut Run) -> Result<(), String> {
    let (mut grand_passed, mut grand_total) = (0usize, 0usize);
    for (index, (runner, results)) in runners.iter().enumerate() {
        let max_score = max_score_of(results);
        let score = table_score(results)?;
        if index > 0 {
            run.lines.push("🚀".repeat(24));
        }
        run.lines.push(format!("🔄 Processing: {runner}"));
        let tests = tests_of(results)?;
        let mut passed = 0;
        for test in tests {
            let name = js_string(&test["name"]);
            let line_no = &test["line_no"];
            let with_line = if line_no.as_f64() == Some(0.0) {
                String::new()
            } else {
                format!(" - line {}", js_string(line_no))
            };
            match test["status"].as_str() {
                Some("pass") => {
                    passed += 1;
                    run.lines.push(format!("✅ {name}{with_line}"));
                }
                Some("error") => {
                    let message = match test["message"].as_str() {
                        Some(m) if !m.is_empty() => m.to_string(),
                        _ => format!("Failed to run test '{name}'"),
                    };
                    run.lines.push(format!("Error: {message}\n"));
                }
                _ => run.lines.push(format!("❌ {name}{with_line}")),
            }
            if let Some(code) = test["test_code"].as_str().filter(|c| !c.is_empty()) {
                run.lines.push(format!("Test code:\n{code}\n"));
            }
        }
        grand_passed += passed;
        grand_total += tests.len();
        if max_score != 0.0 {
            run.lines.push(format!(
                "Total points for {runner}: {}/{}\n",
                to_fixed_2(score),
                js_number(max_score)
            ));
        }
    }
    run.lines.push("Test runner summary".into());
    let mut total_score = 0.0;
    let mut total_max = 0.0;
    for (runner, results) in runners {
        let score = table_score(results)?;
        let max_score = max_score_of(results);
        run.table.push((
            runner.trim().to_string(),
            js_number(score),
            js_number(max_score),
        ));
        run.runner_scores.push((runner.clone(), score));
        total_score += score;
        total_max += max_score;
    }
    run.table.push((
        "Total: ".into(),
        js_number(total_score),
        js_number(total_max),
    ));
    run.lines.push(format!(
        "🏆 Grand total tests passed: {grand_passed}/{grand_total}\n"
    ));
    Ok(())
}

/// src/notify-classroom.js.
fn notify_classroom(runners: &[(String, Value)], run: &mut Run) {
    let (mut total_points, mut max_points) = (0.0f64, 0.0f64);
    for (runner, results) in runners {
        let max = results["max_score"].as_f64().unwrap_or(0.0);
        if max == 0.0 || max.is_nan() {
            continue;
        }
        max_points += max;
        let mut sum = 0.0;
        for test in results["tests"].as_array().into_iter().flatten() {
            // `undefined` added to a number is NaN.
            let score = test["score"].as_f64().unwrap_or(f64::NAN);
            total_points += score;
            sum += score;
        }
        run.runner_sums.push((runner.clone(), sum));
    }
    if max_points == 0.0 || max_points.is_nan() {
        return;
    }
    let json_number = |x: f64| {
        if x.is_finite() {
            js_number(x)
        } else {
            "null".into()
        }
    };
    run.notices.push((
        "Autograding complete".into(),
        format!(
            "Points {}/{}",
            js_number(total_points),
            js_number(max_points)
        ),
    ));
    run.notices.push((
        "Autograding report".into(),
        format!(
            "{{\"totalPoints\":{},\"maxPoints\":{}}}",
            json_number(total_points),
            json_number(max_points)
        ),
    ));
}

/// A cell as cli-table3 shows it in a column of `width` (padding 1 each side): cut with `…`.
pub fn shown(cell: &str, width: usize) -> String {
    let room = width - 2;
    if cell.chars().count() <= room {
        cell.to_string()
    } else {
        let mut s: String = cell.chars().take(room - 1).collect();
        s.push('…');
        s
    }
}

#[test]
fn javascript_number_formatting() {
    assert_eq!(js_number(20.0), "20");
    assert_eq!(js_number(19.999999999999964), "19.999999999999964");
    assert_eq!(js_number(0.1 + 0.2), "0.30000000000000004");
    assert_eq!(to_fixed_2(2.125), "2.13", "half up, unlike Rust's {{:.2}}");
    assert_eq!(
        to_fixed_2(1.005),
        "1.00",
        "1.005 is below the half in binary"
    );
    assert_eq!(to_fixed_2(9.999), "10.00");
    assert_eq!(to_fixed_2(0.0), "0.00");
}

#[test]
fn the_model_fails_like_the_reporter() {
    // The class state: one result for everything, far past one environment string.
    let big = "A".repeat(1_500_000);
    let err = spawn(&[("KATAS_RESULTS".into(), big)], "katas").unwrap_err();
    assert!(err.starts_with("Argument list too long"), "{err}");
    // `grade` exited 2 and wrote nothing: an empty output.
    let run = spawn(&[("KATAS_RESULTS".into(), String::new())], "katas").unwrap();
    assert_eq!(run.failed, ["Unexpected end of JSON input"]);
    // A runner id with a dash is refused by the reporter's own rule once anything throws.
    let run = spawn(&[], "kata-01").unwrap();
    assert_eq!(
        run.failed,
        ["The runners input must be a comma-separated list of strings."]
    );
    // passed / total × max_score ignores per-test scores: 1 of 3 checks passing, the first
    // worth 1 point and the others 4.5 each.
    let doc = serde_json::json!({"status": "fail", "max_score": 10, "tests": [
        {"name": "a", "status": "pass", "score": 1, "line_no": 0},
        {"name": "b", "status": "fail", "score": 0, "line_no": 3},
        {"name": "c", "status": "fail", "score": 0, "line_no": 0}]});
    let encoded = xtask::results::base64(doc.to_string().as_bytes());
    let run = spawn(&[("K_RESULTS".into(), encoded)], "k").unwrap();
    // (1/3) × 10 in doubles, as node prints it.
    assert_eq!(run.table[0].1, "3.333333333333333");
    assert_eq!(run.notices[0].1, "Points 1/10");
    assert_eq!(run.failed, ["Some tests failed."]);
    assert!(
        run.lines.contains(&"❌ b - line 3".to_string()),
        "{:?}",
        run.lines
    );
}
