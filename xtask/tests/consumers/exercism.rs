//! The rules of Exercism's test runner interface for results.json version 3
//! (exercism/docs, building/tooling/test-runners/interface.md), checked point by point.

use serde_json::Value;

/// The output cap, truncation notice included.
pub const OUTPUT_CHARS: usize = 500;
/// The top-level message cap.
pub const MESSAGE_CHARS: usize = 65_535;

/// Text that only a test harness prints: "Only content outputted by a user manually should
/// show - not automatic output by the test-runner."
const HARNESS_TEXT: [&str; 6] = [
    "running 1 test",
    "test result:",
    "failures:",
    " stdout ----",
    "panicked at",
    "RUST_BACKTRACE",
];

/// Every rule `doc` breaks (empty when it conforms).
pub fn problems(doc: &Value) -> Vec<String> {
    let mut out = Vec::new();
    let mut bad = |m: String| out.push(m);
    if doc["version"] != 3 {
        bad(format!(
            "version is {} (3 links tests to tasks)",
            doc["version"]
        ));
    }
    let status = doc["status"].as_str().unwrap_or("");
    if !["pass", "fail", "error"].contains(&status) {
        bad(format!("status `{status}` is not pass, fail or error"));
    }
    match (&doc["message"], status) {
        (Value::String(m), "error") if !m.is_empty() => {
            if m.chars().count() > MESSAGE_CHARS {
                bad(format!(
                    "message has {} characters (at most 65535)",
                    m.chars().count()
                ));
            }
        }
        (_, "error") => bad("status error needs a message".into()),
        (Value::Null, _) => {}
        (m, s) => bad(format!(
            "message {m} with status {s}: only error has a message"
        )),
    }
    let Some(tests) = doc["tests"].as_array() else {
        if status != "error" {
            bad("tests is required unless status is error".into());
        }
        return out;
    };
    let statuses: Vec<&str> = tests
        .iter()
        .map(|t| t["status"].as_str().unwrap_or(""))
        .collect();
    match status {
        "pass" if statuses.iter().any(|s| *s != "pass") => {
            bad("status pass while a test did not pass".into())
        }
        "fail" if statuses.iter().all(|s| *s == "pass") => {
            bad("status fail while every test passed".into())
        }
        "fail" if !statuses.is_empty() && statuses.iter().all(|s| *s == "error") => {
            bad("status fail while every test errored (that is status error)".into())
        }
        "error" if statuses.iter().any(|s| *s != "error") => {
            bad("status error while some test ran".into())
        }
        _ => {}
    }
    for t in tests {
        let name = t["name"].as_str().unwrap_or("");
        if name.is_empty() {
            bad(format!("a test without a name: {t}"));
        }
        let s = t["status"].as_str().unwrap_or("");
        if !["pass", "fail", "error"].contains(&s) {
            bad(format!("{name}: status `{s}`"));
        }
        match &t["message"] {
            Value::String(m) if !m.is_empty() => {}
            Value::Null if s == "pass" => {}
            m => bad(format!("{name}: message {m} with status {s}")),
        }
        match &t["output"] {
            Value::Null => {}
            Value::String(o) => {
                let n = o.chars().count();
                if n > OUTPUT_CHARS {
                    bad(format!("{name}: output has {n} characters (at most 500)"));
                }
                for h in HARNESS_TEXT {
                    if o.contains(h) {
                        bad(format!("{name}: output holds the harness's `{h}`"));
                    }
                }
            }
            o => bad(format!("{name}: output {o} is not a string")),
        }
        if !t["test_code"].is_string() {
            bad(format!("{name}: test_code should be present"));
        }
        match &t["task_id"] {
            Value::Null => {}
            Value::Number(n) if n.as_u64().is_some_and(|n| n > 0) => {}
            id => bad(format!("{name}: task_id {id} is not a task number")),
        }
    }
    out
}
