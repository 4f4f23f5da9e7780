//! The ordered kata list, read from `xtask/curriculum.toml` and validated on load.

use std::collections::HashSet;
use std::time::Duration;

use serde::Deserialize;

use crate::error::{Context, Result};
use crate::workspace::{Workspace, package_name};

/// Loom settings of a kata whose suite has `loom*.rs` models.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Loom {
    /// Seconds one loom model may run (release build).
    pub timeout: u64,
    /// `LOOM_MAX_PREEMPTIONS` for the kata's models.
    pub preemptions: u32,
}

/// One kata of the curriculum.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Kata {
    /// `NN-name`: the folder under `katas/`, `solutions/` and the suites.
    pub slug: String,
    /// One line, shown when the kata becomes current.
    pub title: String,
    /// The seed topic it teaches.
    pub topic: String,
    /// Weight in classroom grading.
    pub points: u32,
    /// Seconds one test may run in a normal build.
    pub timeout: u64,
    /// Seconds the whole suite may run in `grade` before the checks not yet started are
    /// scored 0; [`Kata::budget`] gives the default when absent.
    #[serde(default)]
    pub budget: Option<u64>,
    /// From a nudge to a near-answer.
    pub hints: Vec<String>,
    /// The same hints in French, one for one (the tidy checks ask for as many as `hints`).
    #[serde(default)]
    pub hints_fr: Vec<String>,
    /// The title in French (the English one when absent).
    #[serde(default)]
    pub title_fr: Option<String>,
    /// Present for katas with loom models.
    #[serde(default)]
    pub loom: Option<Loom>,
    /// Fingerprint of the kata's suite folder as the course ships it; `check` warns a learner
    /// whose copy differs (CI grades with the course's suite). `verify --bless` records it.
    #[serde(default)]
    pub suite_checksum: Option<String>,
    /// What the kata's library may use; the sealed build gives it exactly these, whatever its
    /// `Cargo.toml` says. An entry is a workspace dependency (`sync-shim`) or the slug of an
    /// earlier kata (`12-spsc-ring`): the kata then builds on that kata's code, the learner's
    /// own (sealed in the same way) when a kata is graded, the reference for a solution.
    #[serde(default)]
    pub dependencies: Vec<String>,
    /// Address-space limit of one test process, in MiB (default
    /// [`crate::sandbox::process::DEFAULT_MEMORY_MIB`]).
    #[serde(default)]
    pub memory_mib: Option<u64>,
}

/// Default budget: this many normal timeouts...
const BUDGET_TIMEOUTS: u64 = 6;
/// ... plus this many loom timeouts for a kata with loom models.
const BUDGET_LOOM_TIMEOUTS: u64 = 2;
/// The longest budget a kata may ask for, in seconds.
const MAX_BUDGET: u64 = 3600;

impl Kata {
    /// The hints in `lang` (English where the French ones are missing).
    pub fn hints_in(&self, lang: crate::i18n::Lang) -> &[String] {
        match lang {
            crate::i18n::Lang::Fr if !self.hints_fr.is_empty() => &self.hints_fr,
            _ => &self.hints,
        }
    }

    /// The title in `lang` (English where the French one is missing).
    pub fn title_in(&self, lang: crate::i18n::Lang) -> &str {
        match (lang, &self.title_fr) {
            (crate::i18n::Lang::Fr, Some(title)) => title,
            _ => &self.title,
        }
    }

    /// The kata's package (`object-pool`).
    pub fn package(&self) -> &str {
        package_name(&self.slug)
    }

    /// The earlier katas it builds on (their slugs, from `dependencies`).
    pub fn kata_dependencies(&self) -> impl Iterator<Item = &str> {
        self.dependencies
            .iter()
            .map(String::as_str)
            .filter(|d| slug_number(d).is_some())
    }

    /// The workspace dependencies its library may use (`dependencies` without the katas).
    pub fn crate_dependencies(&self) -> impl Iterator<Item = &str> {
        self.dependencies
            .iter()
            .map(String::as_str)
            .filter(|d| slug_number(d).is_none())
    }

    /// The memory limit of one of its test processes, in MiB.
    pub fn memory_mib(&self) -> u64 {
        self.memory_mib
            .unwrap_or(crate::sandbox::process::DEFAULT_MEMORY_MIB)
    }

    /// How long the whole suite may run in `grade`: `budget`, or by default six normal
    /// timeouts plus two loom timeouts (a healthy suite takes a fraction of that).
    pub fn budget(&self) -> Duration {
        let default = BUDGET_TIMEOUTS * self.timeout
            + self
                .loom
                .as_ref()
                .map_or(0, |l| BUDGET_LOOM_TIMEOUTS * l.timeout);
        Duration::from_secs(self.budget.unwrap_or(default))
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Manifest {
    #[serde(default)]
    support_checksum: Option<String>,
    #[serde(default)]
    kata: Vec<Kata>,
}

/// The curriculum in learning order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Curriculum {
    /// Katas in the order a learner meets them.
    pub katas: Vec<Kata>,
    /// Fingerprint of the support crates (`xtask/sync-shim`, `xtask/testkit`,
    /// `xtask/testkit-macros`) as the course ships them; `check` refuses to grade with edited
    /// ones, since the grade uses the course's. `verify --bless` records it.
    pub support_checksum: Option<String>,
}

impl Curriculum {
    /// Reads and validates `xtask/curriculum.toml`.
    pub fn load(ws: &Workspace) -> Result<Self> {
        let path = ws.manifest_path();
        let text = std::fs::read_to_string(&path)
            .context(|| format!("cannot read the curriculum {}", ws.display(&path)))?;
        Self::parse(&text).map_err(|e| {
            crate::err!(
                "the curriculum {} is invalid: {e}\n(This file belongs to the course authors; \
                 if you did not edit it, `git checkout xtask/curriculum.toml` restores it.)",
                ws.display(&path)
            )
        })
    }

    /// Parses and validates a manifest's text.
    pub fn parse(text: &str) -> Result<Self> {
        let manifest: Manifest =
            toml::from_str(text).map_err(|e| crate::err!("{}", e.to_string().trim_end()))?;
        let curriculum = Self {
            katas: manifest.kata,
            support_checksum: manifest.support_checksum,
        };
        curriculum.validate()?;
        Ok(curriculum)
    }

    fn validate(&self) -> Result<()> {
        if self.katas.is_empty() {
            crate::bail!("it lists no [[kata]]");
        }
        let mut seen = HashSet::new();
        let mut last_number = None;
        for kata in &self.katas {
            let slug = &kata.slug;
            let number = slug_number(slug).ok_or_else(|| {
                crate::err!("slug `{slug}` is not of the form NN-name (lowercase, digits, dashes)")
            })?;
            if !seen.insert(slug.as_str()) {
                crate::bail!("slug `{slug}` appears twice");
            }
            if let Some(last) = last_number
                && number <= last
            {
                crate::bail!("`{slug}` is out of order: kata numbers must increase");
            }
            last_number = Some(number);
            if kata.title.trim().is_empty() || kata.topic.trim().is_empty() {
                crate::bail!("`{slug}` needs a title and a topic");
            }
            if kata.points == 0 {
                crate::bail!("`{slug}` has 0 points");
            }
            if !(1..=600).contains(&kata.timeout) {
                crate::bail!("`{slug}` has timeout {} s; use 1 to 600", kata.timeout);
            }
            if let Some(budget) = kata.budget {
                let longest = kata
                    .loom
                    .as_ref()
                    .map_or(kata.timeout, |l| l.timeout.max(kata.timeout));
                if !(longest..=MAX_BUDGET).contains(&budget) {
                    crate::bail!(
                        "`{slug}` has budget {budget} s; use {longest} (its longest timeout) to \
                         {MAX_BUDGET}"
                    );
                }
            }
            for dep in kata.kata_dependencies() {
                if !seen.contains(dep) || dep == slug {
                    crate::bail!(
                        "`{slug}` depends on `{dep}`, which is not an earlier kata of the curriculum"
                    );
                }
            }
            if kata.hints.is_empty() || kata.hints.iter().any(|h| h.trim().is_empty()) {
                crate::bail!("`{slug}` needs at least one non-empty hint");
            }
            if kata.memory_mib.is_some_and(|m| !(64..=65536).contains(&m)) {
                crate::bail!("`{slug}` has memory_mib outside 64 to 65536");
            }
            if let Some(loom) = &kata.loom {
                if !(1..=1800).contains(&loom.timeout) {
                    crate::bail!(
                        "`{slug}` has loom timeout {} s; use 1 to 1800",
                        loom.timeout
                    );
                }
                if !(1..=5).contains(&loom.preemptions) {
                    crate::bail!(
                        "`{slug}` has loom preemptions {}; use 1 to 5",
                        loom.preemptions
                    );
                }
            }
        }
        Ok(())
    }

    /// The position of a kata in learning order.
    pub fn position(&self, slug: &str) -> Option<usize> {
        self.katas.iter().position(|k| k.slug == slug)
    }

    /// Resolves what a person typed: the full slug, the name without its number
    /// (`object-pool`), or the number (`04`). Unknown input gets the closest slug suggested.
    pub fn find(&self, typed: &str) -> Result<&Kata> {
        let typed = typed.trim().trim_end_matches('/');
        let typed = typed.rsplit('/').next().unwrap_or(typed);
        if let Some(kata) = self.katas.iter().find(|k| {
            k.slug == typed
                || k.package() == typed
                || k.slug.split_once('-').is_some_and(|(n, _)| n == typed)
        }) {
            return Ok(kata);
        }
        let closest = self
            .katas
            .iter()
            .map(|k| {
                (
                    distance(typed, &k.slug).min(distance(typed, k.package())),
                    k,
                )
            })
            .min_by_key(|(d, _)| *d);
        match closest {
            Some((d, kata)) if d <= 3.max(typed.len() / 3) => Err(crate::error::Error(crate::tr!(
                "no-such-kata-did-you-mean",
                typed = typed,
                closest = &kata.slug
            ))),
            _ => Err(crate::error::Error(crate::tr!(
                "no-such-kata",
                typed = typed
            ))),
        }
    }
}

/// The `NN` of a well-formed `NN-name` slug.
pub fn slug_number(slug: &str) -> Option<u32> {
    let (num, name) = slug.split_once('-')?;
    let well_formed = num.len() == 2
        && num.chars().all(|c| c.is_ascii_digit())
        && !name.is_empty()
        && !name.starts_with('-')
        && !name.ends_with('-')
        && !name.contains("--")
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    well_formed.then(|| num.parse().ok()).flatten()
}

/// Levenshtein distance, for "did you mean".
fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = if ca == *cb {
                prev
            } else {
                1 + prev.min(cur).min(row[j])
            };
            prev = cur;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = r#"
[[kata]]
slug = "01-gc-pacer"
title = "Pacer"
topic = "4.1"
points = 10
timeout = 10
hints = ["one", "two"]

[[kata]]
slug = "04-object-pool"
title = "Pool"
topic = "4.2"
points = 10
timeout = 10
hints = ["one"]
[kata.loom]
timeout = 60
preemptions = 2
"#;

    #[test]
    fn a_valid_manifest_loads_in_order() {
        let c = Curriculum::parse(GOOD).unwrap();
        assert_eq!(c.katas.len(), 2);
        assert_eq!(
            c.katas[1].loom,
            Some(Loom {
                timeout: 60,
                preemptions: 2
            })
        );
        assert_eq!(c.position("04-object-pool"), Some(1));
    }

    #[test]
    fn the_budget_defaults_to_six_timeouts_plus_two_loom_timeouts() {
        let c = Curriculum::parse(GOOD).unwrap();
        assert_eq!(c.katas[0].budget(), Duration::from_secs(60));
        assert_eq!(c.katas[1].budget(), Duration::from_secs(60 + 120));
        let text = GOOD.replace(
            "timeout = 10\nhints = [\"one\", \"two\"]",
            "timeout = 10\nbudget = 30\nhints = [\"one\", \"two\"]",
        );
        let c = Curriculum::parse(&text).unwrap();
        assert_eq!(c.katas[0].budget(), Duration::from_secs(30));
    }

    #[test]
    fn katas_are_found_by_slug_name_or_number() {
        let c = Curriculum::parse(GOOD).unwrap();
        assert_eq!(c.find("04-object-pool").unwrap().slug, "04-object-pool");
        assert_eq!(c.find("object-pool").unwrap().slug, "04-object-pool");
        assert_eq!(c.find("01").unwrap().slug, "01-gc-pacer");
        assert_eq!(c.find("katas/01-gc-pacer/").unwrap().slug, "01-gc-pacer");
    }

    #[test]
    fn unknown_slugs_get_the_closest_suggested() {
        let c = Curriculum::parse(GOOD).unwrap();
        let e = c.find("object-pol").unwrap_err();
        assert!(e.0.contains("Did you mean `04-object-pool`?"), "{e}");
        let e = c.find("zzzzzzzzzzzzzzzzzzz").unwrap_err();
        assert!(!e.0.contains("Did you mean"), "{e}");
    }

    fn rejects(text: &str, needle: &str) {
        let e = Curriculum::parse(text).unwrap_err();
        assert!(e.0.contains(needle), "expected `{needle}` in: {e}");
    }

    #[test]
    fn invalid_manifests_are_rejected_with_the_reason() {
        rejects("", "no [[kata]]");
        rejects(&GOOD.replace("01-gc-pacer", "1-gc-pacer"), "NN-name");
        rejects(
            &GOOD.replace("04-object-pool", "01-gc-pacer"),
            "appears twice",
        );
        rejects(
            &GOOD.replace("04-object-pool", "00-object-pool"),
            "out of order",
        );
        rejects(&GOOD.replace("timeout = 10", "timeout = 0"), "timeout 0");
        rejects(
            &GOOD.replace(
                "timeout = 10\nhints = [\"one\", \"two\"]",
                "timeout = 10\nbudget = 5\nhints = [\"one\", \"two\"]",
            ),
            "budget 5 s; use 10",
        );
        rejects(
            &GOOD.replace(
                "timeout = 10\nhints = [\"one\"]",
                "timeout = 10\nbudget = 50\nhints = [\"one\"]",
            ),
            "budget 50 s; use 60",
        );
        rejects(
            &GOOD.replace(
                "timeout = 10\nhints = [\"one\", \"two\"]",
                "timeout = 10\nbudget = 4000\nhints = [\"one\", \"two\"]",
            ),
            "budget 4000 s",
        );
        rejects(&GOOD.replace("hints = [\"one\"]", "hints = []"), "hint");
        rejects(
            &GOOD.replace("preemptions = 2", "preemptions = 9"),
            "preemptions 9",
        );
        rejects(
            &GOOD.replace(
                "points = 10\ntimeout = 10\nhints = [\"one\"]",
                "points = 10\ntimeout = 10\nhints = [\"one\"]\ncolour = 1",
            ),
            "colour",
        );
        rejects("[[kata]]\nslug = 3", "invalid type");
    }
}
