# Words of the check report: verdict labels, one line per check and what happened, the
# build's progress lines, the tally.

# The status column: at most 9 characters each.
verdict-pass = PASS
verdict-fail = FAIL
verdict-not-started = TODO
verdict-timeout = TIMEOUT
verdict-crash = CRASH
verdict-no-result = NO RESULT
verdict-skipped = SKIPPED

tally-pass = { $count } of { $total } { $total ->
        [one] check
       *[other] checks
    } pass
tally-not-started = { $count } not started
tally-fail = { $count } failing
tally-timeout = { $count } timed out
tally-crash = { $count } crashed
tally-no-result = { $count } without a result
tally-skipped = { $count } not started

report-same-failure = → the same failure as "{ $first }" above
report-seconds = { "  " }({ $seconds } s)
report-not-written = → `{ $function }` is not written yet ({ $place })
report-todo-reached = → a todo!() is reached at { $place }
report-more-lines = … { $count } more lines
report-minimal-input = minimal failing input:
report-at-in = at { $place } (in `{ $function }`)
report-at = at { $place }
report-killed-after = killed after { $seconds } s: likely a deadlock or an infinite loop.
report-was-running = → `{ $function }` was running when it was stopped ({ $place })
report-crashed = the test process crashed: { $what }.
report-last-output = last output:
report-cases = ({ $count } cases)

skip-after-a-failure = not run: an earlier check failed
skip-after-timeouts = not run: { $timeouts } earlier checks never finished (likely an infinite loop or a deadlock that every check reaches), so the grader stopped starting new ones
skip-budget-spent = not run: the kata's time budget of { $seconds } s was spent before this check could start (earlier checks were slow or never finished)
skipped-after-timeouts = { $count } more { $count ->
        [one] check
       *[other] checks
    } not started: { $timeouts } earlier checks never finished, so the grader stopped there. Fix the loop first.
skipped-budget-spent = { $count } more { $count ->
        [one] check
       *[other] checks
    } not started: the kata's time budget of { $seconds } s was spent.
skipped-after-a-failure = { $count } more { $count ->
        [one] check
       *[other] checks
    } not run after a failure.

build-first-loom = Building the loom models for the first time (an optimized build of loom and the test dependencies): this takes a few minutes, longer on a small or busy machine; after that a loom check rebuilds only your crate.
build-first = Building the tests for the first time (the test dependencies are compiled once): this takes a minute or more, depending on the machine; after that a check rebuilds only your crate and takes about a second.
build-crates-loom = { $normal } crates + { $loom } for loom
build-crates = { $normal } crates
build-status = { "  " }building ({ $elapsed }, { $counts }): { $what }
build-still = { "  " }still building ({ $elapsed }, { $counts } compiled); now: { $what }
build-checks = { $count } checks
build-checks-loom = { $count } checks, { $loom } of them loom models (each explores every interleaving: seconds to minutes)
build-done = Built in { $elapsed }. Now running { $next }.
run-status = { "  " }running checks: { $done } of { $total } done; next in order: { $next }
run-status-loom = { "  " }running checks: { $done } of { $total } done; next in order: { $next } (loom model)
run-loom-header = { "  " }(loom model checker)

compile-more-errors = … and { $count ->
        [one] { $count } more error
       *[other] { $count } more errors
    } (the first ones often cause the rest).
compile-cargo-failed = cargo could not build the tests:
