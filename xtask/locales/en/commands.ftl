# Words of the learner's commands other than `check`: the status screen, hints, list,
# watch, solution, and the errors a learner meets. Every message here has a French twin in
# ../fr/commands.ftl with the same variables (the tidy tests check it).

error-prefix = error: { $message }
all-done =
    You have passed every kata in the curriculum. Well done!
    Revisit any of them with `cargo xtask check SLUG`, or compare with the references: `cargo xtask solution SLUG`.
progress-unknown-slugs = note: your progress file mentions { $slugs } which the curriculum no longer lists (renamed or removed); those entries are kept as they are.
kata-locked =
    `{ $slug }` is locked: finish `{ $current }` first (`cargo xtask check`).
    To { $command } it anyway: `cargo xtask { $command } { $slug } --force`.
no-such-kata-did-you-mean = there is no kata `{ $typed }`. Did you mean `{ $closest }`? (`cargo xtask list` shows them all)
no-such-kata = there is no kata `{ $typed }`. `cargo xtask list` shows them all.

status-progress = { $name }  [{ $bar }]  { $done }/{ $total } katas done
status-current = Current: { $slug } — { $title } { $topic }
status-read = { "  " }Read { $dir }/README.md, fill the todo!()s in { $dir }/src/lib.rs, then run:
status-check = { "    " }{ $command }   grade it (or `cargo xtask watch` to re-check on every save)
status-hint = { "    " }{ $command }    stuck? one hint per call

hint-label = Hint { $number } of { $total }:
hint-again = Run `cargo xtask hint` again for a nearer one.
hint-last = That is the last hint. The reference solution opens once `cargo xtask check { $slug }` passes.

list-done = done
list-changed = changed
list-current = current
list-locked = locked
list-legend = changed = passed, then edited since; `cargo xtask check SLUG` re-grades it.

watch-verdict-time = (verdict in { $seconds } s)
watch-watching = Watching katas/{ $slug }/ — save a file to re-check. Ctrl-C to stop.
watch-polling = note: file events are unavailable ({ $error }); polling for changes instead.

solution-not-passed =
    the reference for `{ $slug }` opens once you pass it: run `cargo xtask check { $slug }`.
    Stuck? `cargo xtask hint { $slug }` gives one nudge per call.
solution-changed = your code for `{ $slug }` is not the code that passed (it changed since, or the progress file does not match it): run `cargo xtask check { $slug }` again, then ask for the reference.
solution-absent = the reference solutions are not part of this copy of the course; ask your teacher.
solution-header = // { $path } — the reference solution
solution-benches = Benchmarks (if any): `cargo xtask bench { $slug }` (yours against the reference), or `cargo bench -p { $package }` (the reference alone).

reset-no-git = reset needs git, which could not run: { $error }
reset-no-stub = git has no committed stub for { $dir } at { $rev }; nothing to restore from.
reset-confirm-with-yes = reset replaces your code in { $dir }; confirm with `cargo xtask reset { $slug } --yes`.
reset-ask = Replace your code in { $dir } with the stub from git ({ $rev })? Your version is backed up first. [y/N]
reset-nothing-changed = Nothing changed.
reset-cannot-back-up = cannot back up { $dir }; nothing was changed
reset-git-failed =
    git could not restore { $dir }: { $error }
    Your version is safe in { $backup }.
reset-done = Restored { $dir } from { $rev }. Your previous version is in { $backup }.
