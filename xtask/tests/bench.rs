//! `cargo xtask bench` without running a benchmark: divan's output as recorded from real runs
//! (`tests/fixtures/bench/`), the pairing of yours with its baselines, and the comparison with
//! a saved run.

use xtask::bench::{self, Measurement, Outcome, Run};

fn fixture(name: &str) -> String {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/bench")
        .join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1.0)
}

fn measured(name: &str, median_ns: f64) -> Outcome {
    Outcome::Measured(Measurement {
        name: name.into(),
        median_ns,
        fastest_ns: median_ns * 0.9,
        slowest_ns: median_ns * 2.0,
        mean_ns: median_ns * 1.1,
        allocs: 0.0,
        bytes: 0.0,
    })
}

fn run(benchmarks: Vec<Outcome>, reference: Vec<Measurement>) -> Run {
    Run {
        kata: "12-spsc-ring".into(),
        benchmarks,
        reference,
        warnings: Vec::new(),
    }
}

#[test]
fn a_counted_benchmark_is_reported_per_item_with_its_allocations() {
    // 100 000 values through rtrb per iteration: median 3.909 ms at 25.58 Mitem/s.
    let rows = bench::parse(&fixture("two_threads_rtrb.txt"));
    assert_eq!(rows.len(), 1, "{rows:?}");
    let m = &rows[0];
    assert_eq!(m.name, "two_threads::Rtrb");
    assert!(close(m.median_ns, 3.909e6 / 100_000.0), "{m:?}");
    assert!(close(m.fastest_ns, 1.307e6 / 100_000.0), "{m:?}");
    assert!(close(m.slowest_ns, 21.44e6 / 100_000.0), "{m:?}");
    // 5 allocations of 8.712 KB per iteration (the ring and the thread); `max alloc` and
    // `dealloc` are not allocations.
    assert!(close(m.allocs, 5.0 / 100_000.0), "{m:?}");
    assert!(close(m.bytes, 8712.0 / 100_000.0), "{m:?}");
}

#[test]
fn colours_and_groups_do_not_change_what_is_read() {
    let plain = fixture("pool_box_new_color.txt");
    let coloured = plain
        .replace("box_new", "\x1b[1mbox_new\x1b[0m")
        .replace("57.84 ns", "\x1b[32m57.84 ns\x1b[0m");
    for text in [plain, coloured] {
        let rows = bench::parse(&text);
        assert_eq!(rows.len(), 1, "{rows:?}");
        let m = &rows[0];
        assert_eq!(m.name, "small_order_two_threads::box_new");
        assert!(close(m.median_ns, 57.84), "{m:?}");
        assert!(close(m.mean_ns, 58.64), "{m:?}");
        assert!(close(m.allocs, 3.0), "{m:?}");
        assert!(close(m.bytes, 624.0), "{m:?}");
    }
}

#[test]
fn thread_counts_are_rows_of_their_own_and_units_convert_to_nanoseconds() {
    let rows = bench::parse(&fixture("threads_and_units.txt"));
    let names: Vec<&str> = rows.iter().map(|m| m.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "increment::fetch_add::t=1",
            "increment::fetch_add::t=2",
            "increment::yours::t=1",
            "increment::yours::t=2"
        ]
    );
    assert!(close(rows[1].median_ns, 2_000.0));
    assert!(close(rows[3].slowest_ns, 1.2e6));
    // `grow` is an allocation too (a reallocation), counted with its bytes in KiB.
    assert!(close(rows[3].allocs, 1.0) && close(rows[3].bytes, 1024.0));
    assert!(close(rows[2].allocs, 0.0));
}

#[test]
fn output_without_a_table_reads_as_nothing() {
    assert!(bench::parse("").is_empty());
    assert!(
        bench::parse("thread 'main' panicked at src/lib.rs:3:5:\nnot yet implemented\n").is_empty()
    );
}

#[test]
fn units_read_as_divan_prints_them() {
    assert_eq!(bench::parse_time("4.639 ns"), Some(4.639));
    assert_eq!(bench::parse_time("1.5 µs"), Some(1_500.0));
    assert_eq!(bench::parse_time("2 ms"), Some(2e6));
    assert_eq!(bench::parse_time("500 ps"), Some(0.5));
    assert_eq!(bench::parse_time("3 parsecs"), None);
    assert_eq!(bench::parse_size("8.712 KB"), Some(8712.0));
    assert_eq!(bench::parse_size("2 MiB"), Some(2.0 * 1024.0 * 1024.0));
    assert_eq!(bench::parse_rate("76.48 Mitem/s"), Some(76.48e6));
    assert_eq!(bench::parse_rate("12 B/s"), None);
}

#[test]
fn a_terse_listing_gives_full_names() {
    let listing = "ring::two_threads::Yours: benchmark\nring::one_thread::Rtrb: benchmark\n";
    assert_eq!(
        bench::parse_list(listing),
        ["ring::two_threads::Yours", "ring::one_thread::Rtrb"]
    );
}

#[test]
fn baselines_differ_from_yours_only_in_the_yours_segment() {
    let all = vec![
        measured("one_thread::Yours", 5.0),
        measured("one_thread::Rtrb", 5.0),
        measured("one_thread::MutexDeque", 5.0),
        measured("two_threads::Rtrb", 5.0),
        measured("vwap::yours::8", 5.0),
        measured("vwap::slow::8", 5.0),
        measured("vwap::slow::64", 5.0),
        measured("now::yours_tsc", 5.0),
        measured("now::yours_fallback", 5.0),
        measured("now::instant", 5.0),
    ];
    let names = |yours: &str| -> Vec<String> {
        bench::baselines(yours, &all)
            .iter()
            .map(|o| o.name().to_string())
            .collect()
    };
    assert_eq!(
        names("one_thread::Yours"),
        ["one_thread::Rtrb", "one_thread::MutexDeque"]
    );
    assert_eq!(names("vwap::yours::8"), ["vwap::slow::8"]);
    // Two implementations of yours are not each other's baseline.
    assert_eq!(names("now::yours_tsc"), ["now::instant"]);
    assert_eq!(
        bench::baseline_label("vwap::yours::8", "vwap::slow::8"),
        "slow"
    );
    assert_eq!(bench::group("vwap::yours::8"), "vwap::8");
    assert_eq!(bench::group("now::yours_tsc"), "now (tsc)");
}

#[test]
fn the_table_gives_ratios_to_baselines_and_the_reference_and_says_them_in_words() {
    let reference = match measured("one_thread::Yours", 4.0) {
        Outcome::Measured(m) => m,
        _ => unreachable!(),
    };
    let r = run(
        vec![
            measured("one_thread::Yours", 4.0),
            measured("one_thread::Rtrb", 5.0),
            measured("one_thread::MutexDeque", 40.0),
        ],
        vec![reference],
    );
    let table = bench::render(&r, None);
    assert!(
        table.contains("1.00× reference, 0.80× Rtrb, 0.10× MutexDeque"),
        "{table}"
    );
    assert!(
        table.contains(
            "one_thread: yours is on par with the reference (1.00×), 1.25× faster than Rtrb, \
             10.0× faster than MutexDeque"
        ),
        "{table}"
    );
}

#[test]
fn a_stub_names_the_functions_still_todo() {
    let r = run(
        vec![
            Outcome::Todo {
                name: "one_thread::Yours".into(),
                function: Some("RingBuffer::new".into()),
                location: "katas/12-spsc-ring/src/lib.rs:94:9".into(),
            },
            Outcome::Todo {
                name: "two_threads::Yours".into(),
                function: Some("RingBuffer::new".into()),
                location: "katas/12-spsc-ring/src/lib.rs:94:9".into(),
            },
            measured("one_thread::Rtrb", 4.2),
        ],
        Vec::new(),
    );
    let table = bench::render(&r, None);
    assert!(table.contains("one_thread::Yours"), "{table}");
    assert!(table.contains("todo!() in RingBuffer::new"), "{table}");
    assert_eq!(
        table
            .matches("Still todo!(): RingBuffer::new (katas/12-spsc-ring/src/lib.rs:94:9).")
            .count(),
        1,
        "{table}"
    );
}

#[test]
fn a_saved_run_is_compared_in_percent_with_noise_marked() {
    let before = run(
        vec![
            measured("one_thread::Yours", 10.0),
            measured("one_thread::Rtrb", 5.0),
            measured("gone", 1.0),
        ],
        Vec::new(),
    );
    // Saved runs go through JSON: the comparison must survive the round trip.
    let saved: Run = serde_json::from_str(&serde_json::to_string(&before).unwrap()).unwrap();
    assert_eq!(saved, before);
    let after = run(
        vec![
            measured("one_thread::Yours", 6.0),
            measured("one_thread::Rtrb", 5.1),
            measured("new_one", 1.0),
        ],
        Vec::new(),
    );
    let changes = bench::compare(&saved, &after);
    assert_eq!(
        changes.len(),
        2,
        "only benchmarks in both runs: {changes:?}"
    );
    assert_eq!(changes[0].name, "one_thread::Yours");
    assert!(close(changes[0].percent, -40.0) && !changes[0].within_noise);
    assert!(close(changes[1].percent, 2.0) && changes[1].within_noise);
    assert_eq!(bench::format_change(&changes[0]), "-40.0%");
    assert_eq!(bench::format_change(&changes[1]), "~ (+2.0%)");
    let table = bench::render(&after, Some(("before", &saved)));
    assert!(
        table.contains("vs `before`") && table.contains("-40.0%"),
        "{table}"
    );
}

#[test]
fn yours_comes_first_and_its_baselines_follow() {
    let listed: Vec<String> = [
        "pool::recv_buf_64k::box_new",
        "pool::recv_buf_64k::yours",
        "pool::other",
        "pool::small_order::box_new",
        "pool::small_order::reused_in_place",
        "pool::small_order::yours",
    ]
    .map(String::from)
    .to_vec();
    assert_eq!(
        bench::order(&listed),
        [
            "pool::recv_buf_64k::yours",
            "pool::recv_buf_64k::box_new",
            "pool::other",
            "pool::small_order::yours",
            "pool::small_order::box_new",
            "pool::small_order::reused_in_place",
        ]
    );
}
