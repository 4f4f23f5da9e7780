//! `cargo xtask new NN-name`: scaffold a kata that `verify` accepts once filled in.

use std::io::Write;

use crate::curriculum::{Curriculum, slug_number};
use crate::error::{Context, Result};
use crate::exit;
use crate::workspace::{Workspace, package_name};

/// Creates the kata, solution, suite and manifest entry.
pub fn run(ws: &Workspace, slug: &str, title: &str, topic: &str) -> Result<i32> {
    let curriculum = Curriculum::load(ws)?;
    let Some(number) = slug_number(slug) else {
        crate::bail!("`{slug}` is not a slug: use NN-name, e.g. `16-matching-engine`");
    };
    if let Some(last) = curriculum.katas.last()
        && slug_number(&last.slug).is_some_and(|n| n >= number)
    {
        crate::bail!(
            "`{slug}` must be numbered after the last kata, `{}`",
            last.slug
        );
    }
    for dir in [ws.kata_dir(slug), ws.solution_dir(slug), ws.suite_dir(slug)] {
        if dir.exists() {
            crate::bail!("{} already exists; nothing was created", ws.display(&dir));
        }
    }
    let pkg = package_name(slug);
    let lib = pkg.replace('-', "_");
    let files = [
        (
            format!("katas/{slug}/Cargo.toml"),
            manifest(slug, pkg, &lib),
        ),
        (
            format!("solutions/{slug}/Cargo.toml"),
            manifest(slug, &format!("{pkg}-solution"), &lib),
        ),
        (
            format!("katas/{slug}/src/lib.rs"),
            STUB.replace("{title}", title),
        ),
        (
            format!("solutions/{slug}/src/lib.rs"),
            SOLUTION.replace("{title}", title),
        ),
        (
            format!("katas/{slug}/README.md"),
            README.replace("{title}", title).replace("{topic}", topic),
        ),
        (
            format!("xtask/suites/{slug}/properties.rs"),
            SUITE.replace("{lib}", &lib),
        ),
        (
            format!("xtask/suites/{slug}/{}.rs", crate::build::SUITE),
            crate::build::suite_root(
                slug,
                &[crate::build::SuiteTarget {
                    name: "properties".into(),
                    loom: false,
                }],
            ),
        ),
        (
            format!("xtask/suites/{slug}/mutants/off_by_one.patch"),
            MUTANT.to_string(),
        ),
    ];
    for (path, text) in &files {
        let path = ws.root.join(path);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)
                .context(|| format!("cannot create {}", parent.display()))?;
        }
        std::fs::write(&path, text).context(|| format!("cannot write {}", path.display()))?;
        println!("  created {}", ws.display(&path));
    }
    let entry = format!(
        "\n[[kata]]\nslug = \"{slug}\"\ntitle = \"{}\"\ntopic = \"{}\"\npoints = 10\ntimeout = 10\nhints = [\n  \"TODO: a nudge\",\n  \"TODO: a near-answer\",\n]\nhints_fr = [\n  \"TODO: un coup de pouce\",\n  \"TODO: une quasi-réponse\",\n]\n",
        title.replace('"', "'"),
        topic.replace('"', "'")
    );
    let manifest_path = ws.manifest_path();
    std::fs::OpenOptions::new()
        .append(true)
        .open(&manifest_path)
        .and_then(|mut f| f.write_all(entry.as_bytes()))
        .context(|| format!("cannot append to {}", ws.display(&manifest_path)))?;
    println!("  appended {slug} to {}", ws.display(&manifest_path));
    println!(
        "Next: write the API in katas/{slug} and solutions/{slug}, the suite in xtask/suites/{slug}, \
         two more mutants and the hints; `cargo xtask verify {slug}` says what is missing.\n\
         The guide: xtask/AUTHORING.md."
    );
    Ok(exit::SUCCESS)
}

fn manifest(slug: &str, package: &str, lib: &str) -> String {
    format!(
        r#"[package]
name = "{package}"
version = "0.1.0"
edition.workspace = true
rust-version.workspace = true
license.workspace = true
publish.workspace = true

[lib]
name = "{lib}"

[dev-dependencies]
testkit = {{ workspace = true }}
proptest = {{ workspace = true }}
rstest = {{ workspace = true }}

[[test]]
name = "suite"
path = "../../xtask/suites/{slug}/suite.rs"

[lints]
workspace = true
"#
    )
}

const STUB: &str = r#"//! {title}

/// Adds one, saturating at `u64::MAX`. (Replace with the kata's real API.)
///
/// # Examples
///
/// ```ignore
/// assert_eq!(successor(1), 2);
/// ```
pub fn successor(n: u64) -> u64 {
    todo!("successor({n})")
}
"#;

const SOLUTION: &str = r#"//! {title}

/// Adds one, saturating at `u64::MAX`. (Replace with the kata's real API.)
///
/// # Examples
///
/// ```
/// # use std as _;
/// ```
pub fn successor(n: u64) -> u64 {
    n.saturating_add(1)
}
"#;

const README: &str = r#"# {title}

> Seed topic: {topic}

## The idea

TODO: the Go idea from the seed, then its Rust counterpart.

## Your task

TODO: what to write, in `src/lib.rs`.

## The contract

Every property the hidden suite checks, one per line:

- `successor(n)` is `n + 1`, and `u64::MAX` stays `u64::MAX`.

## Interview questions

<details>
<summary>TODO: a question from the seed</summary>

TODO: the model answer.

</details>

## Further reading

- TODO
"#;

const SUITE: &str = r#"//! The hidden suite. Test names are sentences: the report prints them.

use proptest::prelude::*;
use rstest::rstest;
use {lib}::successor;

#[rstest]
#[case(0, 1)]
#[case(41, 42)]
#[case(u64::MAX, u64::MAX)]
fn successor_adds_one_and_saturates(#[case] n: u64, #[case] want: u64) {
    assert_eq!(successor(n), want, "successor({n})");
}

proptest! {
    #![proptest_config(testkit::proptest_config(64))]

    #[test]
    fn successor_agrees_with_saturating_add(n in any::<u64>()) {
        prop_assert_eq!(successor(n), n.saturating_add(1));
    }
}
"#;

const MUTANT: &str = r#"Forgets to add one.
--- a/src/lib.rs
+++ b/src/lib.rs
@@ -8,5 +8,5 @@
 /// # use std as _;
 /// ```
 pub fn successor(n: u64) -> u64 {
-    n.saturating_add(1)
+    n.saturating_add(0)
 }
"#;
