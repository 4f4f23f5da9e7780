# Words of `cargo xtask check`: the header, notes, the closing summary and the next step.

check-header = { $checking } { $slug } — { $title }
check-checking = Checking
check-suite-differs = note: xtask/suites/{ $slug } differs from the course's version. Grading in CI uses the course's suite, so edits to tests will not count there.
check-refused = refused: { $reason }
check-refused-summary = katas/{ $slug } cannot be graded with { $count ->
        [one] this
       *[other] these
    } in it: these constructs could run code outside the kata or bring in code that is not yours. Remove { $count ->
        [one] it
       *[other] them
    }, then run `cargo xtask check` again.
check-errors-in-suite = note: some errors are in the hidden suite, which calls your kata's API: keep the names and signatures the stub gave you (`cargo xtask reset` restores the stub, backing up your version).
check-does-not-compile = katas/{ $slug } does not compile yet. Fix the first error above, then run `cargo xtask check` again.
check-dependency-does-not-compile = katas/{ $dep }, which { $slug } builds on, does not compile: it runs your code from that kata. Fix it first (`cargo xtask check { $dep }`), then run `cargo xtask check { $slug }` again.
check-warnings = note: { $count ->
        [one] { $count } compiler warning
       *[other] { $count } compiler warnings
    } in your code (`cargo build -p { $package }` shows them).
check-no-checks = the suite of `{ $slug }` has no checks: the kata is misconfigured (tell the course authors).
check-done = { $summary }. { $slug } is done!
check-unlocked =
    Unlocked: { $slug } — { $title }
      Read katas/{ $dir }/README.md, fill katas/{ $dir }/src/lib.rs, then `cargo xtask check`.
check-current-is = Your current kata is { $slug } — `cargo xtask check`.
check-compare = Compare with the reference: `cargo xtask solution { $slug }` (solutions/{ $slug }/src/lib.rs).
check-support-edited = The support crates ({ $crates }) differ from the course's version. Grading uses the course's, so `check` will not grade with yours. Restore them: `git checkout -- { $paths }`.

next-tail = `cargo xtask hint` gives a nudge; `cargo xtask watch` re-checks on every save.
next-after-timeouts = Next: an earlier check never finished: fix the loop first ({ $skipped ->
        [one] { $skipped } check
       *[other] { $skipped } checks
    } did not start). { $where }
next-timeout = Next: fix "{ $check }" first: it never finished. { $where }
next-write-fn = Next: write `{ $function }` ({ $place }); read katas/{ $slug }/README.md for the contract.
next-replace-todo = Next: replace the todo!() at { $place }.
next-fix-first = Next: fix "{ $check }" first: the checks above are ordered from simple to hard.
stuck-in = `{ $function }` was running when the check was stopped ({ $place }): look for a `loop` or `while` there that never ends, or a lock that is never released.
stuck-somewhere = Look for a `loop` or `while` that never ends, or a lock that is never released, in the code the check calls.
