//! What `cargo xtask bench` knows about benchmarks, without running any: reading divan's
//! output, pairing your benchmarks with their baselines, comparing with a saved run, and
//! the table people read.
//!
//! divan prints a tree and has no machine-readable format, so [`parse`] reads the tree: the
//! header row fixes the column where the numbers start (`fastest`), each `├─ ` / `╰─ ` opens
//! a level, and the rows under a benchmark carry its throughput (`Mitem/s`) and allocation
//! counts (`alloc:`, then a count row and a size row).
//!
//! Naming convention of the benchmark files (`xtask/suites/NN-name/benches/*.rs`): a path
//! segment `yours` (a function, module or type named `yours`, `Yours` or `yours_*`) measures
//! the crate under test; the benchmarks whose paths differ from it only in that segment are
//! its baselines. Compiled against the solution crate, the same path measures the reference.

use serde::{Deserialize, Serialize};

/// One measured benchmark, per operation.
///
/// An operation is one iteration of the benchmarked closure, or one item when the
/// benchmark counts items (`bencher.counter(ItemsCount::new(n))`): a run that moves 100 000
/// values through a ring is reported per value.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Measurement {
    /// The benchmark's path without the binary's name: `one_thread::Yours`,
    /// `increment::yours::t=2`.
    pub name: String,
    /// Median time per operation, in nanoseconds.
    pub median_ns: f64,
    /// Fastest sample's time per operation.
    pub fastest_ns: f64,
    /// Slowest sample's time per operation.
    pub slowest_ns: f64,
    /// Mean time per operation.
    pub mean_ns: f64,
    /// Allocations (and reallocations) per operation, when divan's allocation profiler ran.
    pub allocs: f64,
    /// Bytes allocated per operation.
    pub bytes: f64,
}

/// What became of one benchmark of the learner's crate.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum Outcome {
    /// It ran.
    Measured(Measurement),
    /// It reached a `todo!()`.
    Todo {
        /// The benchmark.
        name: String,
        /// The function still to write (`RingBuffer::new`), when found.
        function: Option<String>,
        /// `file:line:col` of the `todo!()`.
        location: String,
    },
    /// It panicked, crashed or timed out.
    Failed {
        /// The benchmark.
        name: String,
        /// What happened, in words.
        detail: String,
    },
}

impl Outcome {
    /// The benchmark's name.
    pub fn name(&self) -> &str {
        match self {
            Outcome::Measured(m) => &m.name,
            Outcome::Todo { name, .. } | Outcome::Failed { name, .. } => name,
        }
    }

    /// The measurement, if it ran.
    pub fn measured(&self) -> Option<&Measurement> {
        match self {
            Outcome::Measured(m) => Some(m),
            _ => None,
        }
    }
}

/// One run of a kata's benchmarks: what `--save` stores and `--format json` prints.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Run {
    /// The kata's slug.
    pub kata: String,
    /// Every benchmark of the learner's crate, in the order the benchmark files list them.
    pub benchmarks: Vec<Outcome>,
    /// The reference solution's measurements of the `yours` benchmarks, same run.
    pub reference: Vec<Measurement>,
    /// Why the numbers may mislead (a busy machine, an unoptimized build).
    pub warnings: Vec<String>,
}

/// Whether a path segment names the crate under test.
pub fn is_yours(segment: &str) -> bool {
    let lower = segment.to_ascii_lowercase();
    lower == "yours" || lower.starts_with("yours_")
}

/// Whether a benchmark measures the crate under test.
pub fn measures_yours(name: &str) -> bool {
    name.split("::").any(is_yours)
}

/// The baselines of `yours` among `all`: the benchmarks whose path differs from it only in
/// the `yours` segment, which there names something else.
pub fn baselines<'a>(yours: &str, all: &'a [Outcome]) -> Vec<&'a Outcome> {
    let mine: Vec<&str> = yours.split("::").collect();
    all.iter()
        .filter(|other| {
            let theirs: Vec<&str> = other.name().split("::").collect();
            theirs.len() == mine.len()
                && mine.iter().zip(&theirs).all(
                    |(m, t)| {
                        if is_yours(m) { !is_yours(t) } else { m == t }
                    },
                )
        })
        .collect()
}

/// Orders benchmark names for the table: each `yours` first, its baselines right after it,
/// the rest where they were.
pub fn order(names: &[String]) -> Vec<String> {
    let as_outcomes: Vec<Outcome> = names
        .iter()
        .map(|n| Outcome::Failed {
            name: n.clone(),
            detail: String::new(),
        })
        .collect();
    let mut out: Vec<String> = Vec::new();
    for name in names {
        if out.contains(name) {
            continue;
        }
        let owner = names.iter().find(|y| {
            measures_yours(y) && baselines(y, &as_outcomes).iter().any(|b| b.name() == name)
        });
        let lead = owner.unwrap_or(name);
        if !out.contains(lead) {
            out.push(lead.clone());
        }
        if measures_yours(lead) {
            for b in baselines(lead, &as_outcomes) {
                if !out.iter().any(|o| o == b.name()) {
                    out.push(b.name().to_string());
                }
            }
        }
        if !out.contains(name) {
            out.push(name.clone());
        }
    }
    out
}

/// The segment that tells a baseline apart from the benchmark it is compared with
/// (`one_thread::Rtrb` → `Rtrb`; `vwap::slow::64` → `slow`).
pub fn baseline_label(yours: &str, baseline: &str) -> String {
    yours
        .split("::")
        .zip(baseline.split("::"))
        .find(|(m, _)| is_yours(m))
        .map_or_else(|| baseline.to_string(), |(_, t)| t.to_string())
}

/// A `yours` benchmark's name without the `yours` segment, for sentences:
/// `one_thread::Yours` → `one_thread`, `vwap::yours::64` → `vwap::64`,
/// `apply_one::yours_mutex` → `apply_one (mutex)`.
pub fn group(name: &str) -> String {
    let mut rest = Vec::new();
    let mut which = None;
    for segment in name.split("::") {
        if is_yours(segment) {
            which = segment.get("yours_".len()..).filter(|s| !s.is_empty());
        } else {
            rest.push(segment);
        }
    }
    let base = if rest.is_empty() {
        "yours".to_string()
    } else {
        rest.join("::")
    };
    match which {
        Some(w) => format!("{base} ({w})"),
        None => base,
    }
}

/// A row of divan's tree as read, per iteration.
#[derive(Debug, Clone, Default)]
struct RawRow {
    name: String,
    times: [f64; 4],
    rate: Option<[f64; 4]>,
    allocs: f64,
    bytes: f64,
}

/// Reads divan's output (colours and all) into one measurement per benchmark.
///
/// Times in `ps`, `ns`, `µs`/`us`, `ms` or `s`; sizes in `B`, `KB`/`KiB` and up; rates in
/// `item/s` with an SI prefix. The allocation counts are the mean column, `alloc` and `grow`
/// together. Rows it does not understand are skipped.
pub fn parse(output: &str) -> Vec<Measurement> {
    let text = crate::text::strip_ansi(output);
    let mut lines = text.lines();
    let mut header = None;
    for line in lines.by_ref() {
        if let Some(at) = header_column(line) {
            header = Some((at, line));
            break;
        }
    }
    let Some((column, header)) = header else {
        return Vec::new();
    };

    // The header row starts with the binary's name: the root of every path.
    let root: String = header.chars().take(column).collect();
    let mut path: Vec<String> = vec![root.trim().to_string()];
    let mut rows: Vec<RawRow> = Vec::new();
    // Which allocation table the next count/size rows belong to, and how many of them we
    // have read.
    let mut section: Option<(bool, u8)> = None;
    for line in lines {
        let chars: Vec<char> = line.chars().collect();
        let (name_part, cells) = split_row(&chars, column);
        let cells: Vec<&str> = cells.iter().map(|c| c.trim()).collect();
        let first = cells.first().copied().unwrap_or("");
        if let Some((depth, name)) = tree_name(&name_part) {
            path.truncate(depth);
            path.push(name);
            section = None;
            if let Some(times) = four(&cells, parse_time) {
                rows.push(RawRow {
                    name: path.join("::"),
                    times,
                    ..RawRow::default()
                });
            }
            continue;
        }
        let Some(row) = rows.last_mut() else {
            continue;
        };
        if let Some(label) = first.strip_suffix(':') {
            // `alloc` and `grow` make allocations; `max alloc`, `dealloc`, `shrink` do not.
            section = Some((matches!(label, "alloc" | "grow"), 0));
            continue;
        }
        if let Some(rate) = four(&cells, parse_rate) {
            row.rate = Some(rate);
            continue;
        }
        if let Some((counted, seen)) = section.as_mut() {
            let mean = cells.get(3).copied().unwrap_or("");
            match seen {
                0 => {
                    if *counted && let Some(n) = parse_number(mean) {
                        row.allocs += n;
                    }
                }
                1 => {
                    if *counted && let Some(b) = parse_size(mean) {
                        row.bytes += b;
                    }
                }
                _ => {}
            }
            *seen += 1;
        }
    }

    rows.into_iter()
        .map(|row| {
            // With a counter, one operation is one item: items per iteration from the
            // median's rate and time.
            let items = row
                .rate
                .map(|rate| rate[2] * row.times[2] / 1e9)
                .filter(|items| *items >= 1.0)
                .map_or(1.0, round_count);
            let name = match row.name.split_once("::") {
                Some((_binary, rest)) => rest.to_string(),
                None => row.name,
            };
            Measurement {
                name,
                fastest_ns: row.times[0] / items,
                slowest_ns: row.times[1] / items,
                median_ns: row.times[2] / items,
                mean_ns: row.times[3] / items,
                allocs: row.allocs / items,
                bytes: row.bytes / items,
            }
        })
        .collect()
}

/// Items per iteration, recovered from divan's four-digit rate and time (99 992 for 100 000):
/// the nearest number with two significant digits or power of two when within 0.5%, as item
/// counts in benchmarks are, else the nearest integer.
fn round_count(items: f64) -> f64 {
    let magnitude = 10f64.powf(items.log10().floor() - 1.0);
    let two_digits = (items / magnitude).round() * magnitude;
    let power_of_two = 2f64.powf(items.log2().round());
    [two_digits, power_of_two]
        .into_iter()
        .find(|c| (c - items).abs() <= 0.005 * items)
        .unwrap_or_else(|| items.round())
}

/// The column (in characters) where the numbers start, from the header row
/// (`ring   fastest │ slowest │ median │ mean │ samples │ iters`).
fn header_column(line: &str) -> Option<usize> {
    if !line.contains("slowest") || !line.contains("median") {
        return None;
    }
    let byte = line.find("fastest")?;
    Some(line[..byte].chars().count())
}

/// Splits a row into the name part and the cells. A name longer than the header's column
/// (divan widens as it goes) ends at the first run of two spaces after it.
fn split_row(chars: &[char], column: usize) -> (String, Vec<String>) {
    let mut end = column.min(chars.len());
    if end > 0 && end < chars.len() && !chars[end - 1].is_whitespace() {
        let mut i = end;
        while i + 1 < chars.len() && !(chars[i] == ' ' && chars[i + 1] == ' ') {
            i += 1;
        }
        end = i;
    }
    let name: String = chars[..end].iter().collect();
    let rest: String = chars[end..].iter().collect();
    (name, rest.split('│').map(str::to_string).collect())
}

/// `"│  ├─ Yours  "` → `(2, "Yours")`: the depth below the binary's name and the name; the
/// header's own name is depth 0. `None` for rows without a name.
fn tree_name(name_part: &str) -> Option<(usize, String)> {
    let (prefix, name) = match ["├─ ", "╰─ ", "└─ "]
        .iter()
        .filter_map(|m| name_part.find(m).map(|at| (at, m.len())))
        .min()
    {
        Some((at, len)) => (&name_part[..at], &name_part[at + len..]),
        None => ("", name_part),
    };
    let name = name.trim();
    if name.is_empty() {
        return None;
    }
    Some((prefix.chars().count() / 3 + 1, name.to_string()))
}

/// The four statistic columns (fastest, slowest, median, mean), each read by `read`.
fn four(cells: &[&str], read: fn(&str) -> Option<f64>) -> Option<[f64; 4]> {
    if cells.len() < 4 {
        return None;
    }
    Some([
        read(cells[0])?,
        read(cells[1])?,
        read(cells[2])?,
        read(cells[3])?,
    ])
}

fn split_unit(cell: &str) -> Option<(f64, &str)> {
    let (number, unit) = cell.trim().split_once(' ')?;
    Some((number.parse().ok()?, unit.trim()))
}

/// `"4.639 ns"` → 4.639; `"1.2 µs"` → 1200.0.
pub fn parse_time(cell: &str) -> Option<f64> {
    let (n, unit) = split_unit(cell)?;
    let scale = match unit {
        "ps" => 1e-3,
        "ns" => 1.0,
        "µs" | "μs" | "us" => 1e3,
        "ms" => 1e6,
        "s" => 1e9,
        _ => return None,
    };
    Some(n * scale)
}

/// `"8.712 KB"` → 8712.0; `"1 KiB"` → 1024.0.
pub fn parse_size(cell: &str) -> Option<f64> {
    let (n, unit) = split_unit(cell)?;
    let scale = match unit {
        "B" => 1.0,
        "KB" => 1e3,
        "MB" => 1e6,
        "GB" => 1e9,
        "KiB" => 1024.0,
        "MiB" => 1024.0 * 1024.0,
        "GiB" => 1024.0 * 1024.0 * 1024.0,
        _ => return None,
    };
    Some(n * scale)
}

/// `"76.48 Mitem/s"` → 76 480 000.0 items per second.
pub fn parse_rate(cell: &str) -> Option<f64> {
    let (n, unit) = split_unit(cell)?;
    let prefix = unit.strip_suffix("item/s")?;
    let scale = match prefix {
        "" => 1.0,
        "K" => 1e3,
        "M" => 1e6,
        "G" => 1e9,
        "T" => 1e12,
        _ => return None,
    };
    Some(n * scale)
}

fn parse_number(cell: &str) -> Option<f64> {
    cell.trim().parse().ok()
}

/// The names a terse listing (`NEXTEST=1 bench --list --format terse`) gives, in order.
pub fn parse_list(output: &str) -> Vec<String> {
    crate::text::strip_ansi(output)
        .lines()
        .filter_map(|l| l.trim().strip_suffix(": benchmark"))
        .map(str::to_string)
        .collect()
}

/// A change smaller than this (in percent of the saved median) is shown as noise.
pub const NOISE_PERCENT: f64 = 5.0;

/// How one benchmark moved since a saved run.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Change {
    /// The benchmark.
    pub name: String,
    /// The saved median, ns per operation.
    pub before_ns: f64,
    /// This run's median.
    pub after_ns: f64,
    /// `(after - before) / before`, in percent: negative is faster.
    pub percent: f64,
    /// Smaller than [`NOISE_PERCENT`].
    pub within_noise: bool,
}

/// The change of every benchmark measured in both runs, in `now`'s order.
pub fn compare(saved: &Run, now: &Run) -> Vec<Change> {
    now.benchmarks
        .iter()
        .filter_map(Outcome::measured)
        .filter_map(|after| {
            let before = saved
                .benchmarks
                .iter()
                .filter_map(Outcome::measured)
                .find(|b| b.name == after.name)?;
            let percent = (after.median_ns - before.median_ns) / before.median_ns * 100.0;
            Some(Change {
                name: after.name.clone(),
                before_ns: before.median_ns,
                after_ns: after.median_ns,
                percent,
                within_noise: percent.abs() < NOISE_PERCENT,
            })
        })
        .collect()
}

/// `"+3.2%"`, `"-41.0%"`, with `~` when within noise (benchstat's mark).
pub fn format_change(change: &Change) -> String {
    if change.within_noise {
        format!("~ ({:+.1}%)", change.percent)
    } else {
        format!("{:+.1}%", change.percent)
    }
}

/// A duration in ns as people read it: `4.64 ns`, `1.31 µs`, `3.91 ms`.
pub fn format_time(ns: f64) -> String {
    let (value, unit) = if ns < 1e3 {
        (ns, "ns")
    } else if ns < 1e6 {
        (ns / 1e3, "µs")
    } else if ns < 1e9 {
        (ns / 1e6, "ms")
    } else {
        (ns / 1e9, "s")
    };
    format!("{} {unit}", three_digits(value))
}

/// A count per operation: `0`, `3`, `0.25`, `0.00005`.
pub fn format_count(n: f64) -> String {
    if n == 0.0 {
        "0".into()
    } else if n >= 100.0 || (n - n.round()).abs() < 1e-9 {
        format!("{n:.0}")
    } else if n >= 0.01 {
        let s = format!("{n:.2}");
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        // One significant digit: 0.00005 allocations per item is one per 20 000 items.
        let decimals = (-n.log10()).ceil().clamp(1.0, 12.0) as usize;
        format!("{n:.decimals$}")
    }
}

fn three_digits(value: f64) -> String {
    if value >= 100.0 {
        format!("{value:.0}")
    } else if value >= 10.0 {
        format!("{value:.1}")
    } else {
        format!("{value:.2}")
    }
}

/// `yours / baseline` in words: `1.9× faster than Rtrb`, `on par with Rtrb (1.02×)`.
pub fn ratio_words(ratio: f64, what: &str) -> String {
    if ratio <= 0.95 {
        format!("{}× faster than {what}", three_digits(1.0 / ratio))
    } else if ratio >= 1.05 {
        format!("{}× slower than {what}", three_digits(ratio))
    } else {
        format!("on par with {what} ({ratio:.2}×)")
    }
}

/// The columns of one row of the table.
struct Line {
    name: String,
    median: String,
    spread: String,
    allocs: String,
    bytes: String,
    ratios: String,
    change: String,
}

/// The table people read, then one line per `yours` benchmark in words, then what is still
/// `todo!()`. `saved` adds a column with the change since that run.
pub fn render(run: &Run, saved: Option<(&str, &Run)>) -> String {
    let changes = saved.map(|(_, s)| compare(s, run)).unwrap_or_default();
    let mut lines = vec![Line {
        name: "benchmark".into(),
        median: "ns/op (median)".into(),
        spread: "fastest … slowest".into(),
        allocs: "allocs/op".into(),
        bytes: "bytes/op".into(),
        ratios: "time vs baseline (yours ÷ theirs)".into(),
        change: saved.map_or_else(String::new, |(name, _)| format!("vs `{name}`")),
    }];
    let mut words = Vec::new();
    let mut todo: Vec<String> = Vec::new();
    for outcome in &run.benchmarks {
        match outcome {
            Outcome::Measured(m) => {
                let mut ratios = Vec::new();
                let mut said = Vec::new();
                if measures_yours(&m.name) {
                    if let Some(r) = run.reference.iter().find(|r| r.name == m.name) {
                        let ratio = m.median_ns / r.median_ns;
                        ratios.push(format!("{ratio:.2}× reference"));
                        said.push(ratio_words(ratio, "the reference"));
                    }
                    for b in baselines(&m.name, &run.benchmarks) {
                        if let Some(b) = b.measured() {
                            let label = baseline_label(&m.name, &b.name);
                            let ratio = m.median_ns / b.median_ns;
                            ratios.push(format!("{ratio:.2}× {label}"));
                            said.push(ratio_words(ratio, &label));
                        }
                    }
                    if !said.is_empty() {
                        words.push(format!("{}: yours is {}", group(&m.name), said.join(", ")));
                    }
                }
                lines.push(Line {
                    name: m.name.clone(),
                    median: format_time(m.median_ns),
                    spread: format!(
                        "{} … {}",
                        format_time(m.fastest_ns),
                        format_time(m.slowest_ns)
                    ),
                    allocs: format_count(m.allocs),
                    bytes: format_count(m.bytes),
                    ratios: ratios.join(", "),
                    change: changes
                        .iter()
                        .find(|c| c.name == m.name)
                        .map_or_else(String::new, format_change),
                });
            }
            Outcome::Todo {
                name,
                function,
                location,
            } => {
                let what = function.as_deref().unwrap_or("a function");
                let entry = format!("{what} ({location})");
                if !todo.contains(&entry) {
                    todo.push(entry);
                }
                lines.push(Line {
                    name: name.clone(),
                    median: format!("todo!() in {what}"),
                    spread: String::new(),
                    allocs: String::new(),
                    bytes: String::new(),
                    ratios: String::new(),
                    change: String::new(),
                });
            }
            Outcome::Failed { name, detail } => lines.push(Line {
                name: name.clone(),
                median: format!("did not finish: {detail}"),
                spread: String::new(),
                allocs: String::new(),
                bytes: String::new(),
                ratios: String::new(),
                change: String::new(),
            }),
        }
    }

    let width = |f: fn(&Line) -> &str| {
        lines
            .iter()
            .filter(|l| !l.spread.is_empty() || l.name == "benchmark")
            .map(|l| f(l).chars().count())
            .max()
            .unwrap_or(0)
    };
    let w_name = lines
        .iter()
        .map(|l| l.name.chars().count())
        .max()
        .unwrap_or(0);
    let w_median = width(|l| &l.median);
    let w_spread = width(|l| &l.spread);
    let w_allocs = width(|l| &l.allocs);
    let w_bytes = width(|l| &l.bytes);
    let w_ratios = width(|l| &l.ratios);
    let mut out = String::new();
    for l in &lines {
        let row = if l.spread.is_empty() && l.name != "benchmark" {
            format!("{:<w_name$}  {}", l.name, l.median)
        } else {
            format!(
                "{:<w_name$}  {:>w_median$}  {:>w_spread$}  {:>w_allocs$}  {:>w_bytes$}  {:<w_ratios$}  {}",
                l.name, l.median, l.spread, l.allocs, l.bytes, l.ratios, l.change
            )
        };
        out.push_str(row.trim_end());
        out.push('\n');
    }
    if !words.is_empty() {
        out.push('\n');
        for w in &words {
            out.push_str(&format!("{w}\n"));
        }
    }
    if !todo.is_empty() {
        let (them, they) = if todo.len() == 1 {
            ("it", "it is")
        } else {
            ("them", "they are")
        };
        out.push_str(&format!(
            "\nStill todo!(): {}.\nWrite {them} (`cargo xtask check` tells you when {they} \
             right), then bench again.\n",
            todo.join(", ")
        ));
    }
    out
}
