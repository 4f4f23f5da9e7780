//! What the learner has done: passed katas, hints seen. Read leniently, written atomically,
//! never thrown away.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::curriculum::{Curriculum, Kata};
use crate::error::{Context, Result};
use crate::workspace::Workspace;

/// The progress file's format version.
pub const VERSION: u32 = 1;

/// One kata's record.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct KataProgress {
    /// Unix seconds of the last passing `check`; absent until it passes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub passed_at: Option<u64>,
    /// Fingerprint of `katas/<slug>/src` when it passed (to show "changed since passed").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_hash: Option<String>,
    /// How many hints `cargo xtask hint` has shown.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub hints_shown: u32,
}

fn is_zero(n: &u32) -> bool {
    *n == 0
}

#[derive(Debug, Serialize, Deserialize)]
struct File {
    version: u32,
    #[serde(default)]
    katas: BTreeMap<String, KataProgress>,
}

/// Where a kata stands for this learner.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// Passed, and the source is as it was then.
    Done,
    /// Passed, but the source changed since.
    Changed,
    /// The first kata not yet passed.
    Current,
    /// Reachable once the current kata passes.
    Locked,
}

/// The learner's progress, keyed by slug. Slugs the curriculum no longer has are kept
/// untouched, so renaming or removing a kata never loses anything.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Progress {
    /// Records by slug, including slugs the curriculum does not know.
    pub katas: BTreeMap<String, KataProgress>,
}

impl Progress {
    /// Reads the progress file; a missing file is a fresh start. A file that cannot be parsed
    /// is an error that leaves the file untouched and says how to recover.
    pub fn load(ws: &Workspace) -> Result<Self> {
        let path = ws.progress_path();
        match std::fs::read_to_string(&path) {
            Ok(text) => Self::parse(&text).map_err(|e| {
                let shown = ws.display(&path);
                crate::err!(
                    "your progress file {shown} cannot be read: {e}\n\
                     It was left untouched. Fix it by hand, or move it aside to start over \
                     (`mv {shown} {shown}.bak`): passing katas again records them anew."
                )
            }),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Self::default()),
            Err(e) => Err(crate::err!("cannot read {}: {e}", ws.display(&path))),
        }
    }

    /// Parses the file's text.
    pub fn parse(text: &str) -> Result<Self> {
        let file: File =
            toml::from_str(text).map_err(|e| crate::err!("{}", e.to_string().trim_end()))?;
        if file.version != VERSION {
            crate::bail!(
                "it has format version {}, this grader reads version {VERSION}",
                file.version
            );
        }
        Ok(Self { katas: file.katas })
    }

    /// Writes the progress file atomically.
    ///
    /// Format (TOML), version 1:
    ///
    /// ```toml
    /// # comment lines explaining the file
    /// version = 1
    ///
    /// [katas.01-gc-pacer]
    /// passed_at = 1795000000          # unix seconds of the last passing check
    /// source_hash = "9c1f0a…"         # fingerprint of katas/01-gc-pacer/src then
    /// hints_shown = 2                 # hints seen with `cargo xtask hint`
    /// ```
    ///
    /// Entries for slugs the curriculum no longer lists are written back unchanged. The text
    /// goes to a temporary file in the same folder, is flushed to disk, and is renamed over the
    /// old file, so a crash mid-write leaves either the old or the new file, never half of one.
    pub fn save(&self, ws: &Workspace) -> Result<()> {
        let body = toml::to_string(&File {
            version: VERSION,
            katas: self.katas.clone(),
        })
        .context(|| "cannot encode progress".to_string())?;
        let text = format!(
            "# Your latency-katas progress, written by `cargo xtask`.\n\
             # Safe to edit by hand; delete it to start over.\n{body}"
        );
        write_atomically(&ws.progress_path(), text.as_bytes())
    }

    /// The record of a kata (default when absent).
    pub fn get(&self, slug: &str) -> KataProgress {
        self.katas.get(slug).cloned().unwrap_or_default()
    }

    /// Whether a kata ever passed.
    pub fn passed(&self, slug: &str) -> bool {
        self.katas.get(slug).is_some_and(|k| k.passed_at.is_some())
    }

    /// The first kata in learning order that has not passed; `None` when all have.
    pub fn current<'c>(&self, curriculum: &'c Curriculum) -> Option<&'c Kata> {
        curriculum.katas.iter().find(|k| !self.passed(&k.slug))
    }

    /// Unlocked: passed before, or the current kata.
    pub fn unlocked(&self, curriculum: &Curriculum, slug: &str) -> bool {
        self.passed(slug) || self.current(curriculum).is_some_and(|k| k.slug == slug)
    }

    /// A kata's status; `source_hash` is the fingerprint of its source now.
    pub fn status(&self, curriculum: &Curriculum, slug: &str, source_hash: &str) -> Status {
        match self.katas.get(slug) {
            Some(KataProgress {
                passed_at: Some(_),
                source_hash: hash,
                ..
            }) => {
                if hash.as_deref().is_some_and(|h| h != source_hash) {
                    Status::Changed
                } else {
                    Status::Done
                }
            }
            _ if self.unlocked(curriculum, slug) => Status::Current,
            _ => Status::Locked,
        }
    }

    /// Records a pass.
    pub fn record_pass(&mut self, slug: &str, source_hash: String) {
        let entry = self.katas.entry(slug.to_string()).or_default();
        entry.passed_at = Some(now());
        entry.source_hash = Some(source_hash);
    }

    /// Slugs recorded here that the curriculum does not list (renamed or removed katas).
    pub fn unknown_slugs<'a>(&'a self, curriculum: &Curriculum) -> Vec<&'a str> {
        self.katas
            .keys()
            .filter(|s| curriculum.position(s).is_none())
            .map(String::as_str)
            .collect()
    }
}

fn now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

/// Writes `bytes` to `path` via a temporary file and a rename.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<()> {
    use std::io::Write;
    let dir = path.parent().unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp: PathBuf = dir.join(format!(".{name}.tmp{}", std::process::id()));
    let result = (|| {
        let mut file = std::fs::File::create(&tmp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result.context(|| format!("cannot write {}", path.display()))
}

/// A stable fingerprint (FNV-1a, 64 bits) of every file under `dir`, by relative path and
/// content.
pub fn fingerprint(dir: &Path) -> String {
    let mut files = Vec::new();
    collect_files(dir, dir, &mut files);
    files.sort();
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    let mut feed = |bytes: &[u8]| {
        for b in bytes {
            hash ^= u64::from(*b);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    };
    for (rel, path) in files {
        feed(rel.as_bytes());
        feed(&[0]);
        feed(&std::fs::read(path).unwrap_or_default());
        feed(&[0]);
    }
    format!("{hash:016x}")
}

fn collect_files(root: &Path, dir: &Path, out: &mut Vec<(String, PathBuf)>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect_files(root, &path, out);
        } else if let Ok(rel) = path.strip_prefix(root) {
            out.push((rel.to_string_lossy().replace('\\', "/"), path));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn curriculum() -> Curriculum {
        let entry = |slug: &str| {
            format!(
                "[[kata]]\nslug = \"{slug}\"\ntitle = \"t\"\ntopic = \"t\"\npoints = 1\ntimeout = 5\nhints = [\"h\"]\n"
            )
        };
        Curriculum::parse(&format!(
            "{}{}{}",
            entry("01-a"),
            entry("02-b"),
            entry("03-c")
        ))
        .unwrap()
    }

    #[test]
    fn a_fresh_learner_is_on_the_first_kata() {
        let p = Progress::default();
        let c = curriculum();
        assert_eq!(p.current(&c).unwrap().slug, "01-a");
        assert_eq!(p.status(&c, "01-a", "h"), Status::Current);
        assert_eq!(p.status(&c, "02-b", "h"), Status::Locked);
    }

    #[test]
    fn passing_unlocks_the_next_and_edits_show_as_changed() {
        let c = curriculum();
        let mut p = Progress::default();
        p.record_pass("01-a", "h1".into());
        assert_eq!(p.current(&c).unwrap().slug, "02-b");
        assert_eq!(p.status(&c, "01-a", "h1"), Status::Done);
        assert_eq!(p.status(&c, "01-a", "h2"), Status::Changed);
        assert!(p.unlocked(&c, "02-b"));
        assert!(!p.unlocked(&c, "03-c"));
    }

    #[test]
    fn the_file_round_trips_and_keeps_unknown_katas() {
        let c = curriculum();
        let text = "version = 1\n[katas.01-a]\npassed_at = 5\nsource_hash = \"x\"\n\
                    [katas.99-renamed]\npassed_at = 7\nhints_shown = 2\n";
        let p = Progress::parse(text).unwrap();
        assert_eq!(p.unknown_slugs(&c), vec!["99-renamed"]);
        let dir = tempfile::tempdir().unwrap();
        let ws = Workspace::at(dir.path());
        p.save(&ws).unwrap();
        let again = Progress::load(&ws).unwrap();
        assert_eq!(again, p);
        assert_eq!(again.get("99-renamed").hints_shown, 2);
    }

    #[test]
    fn a_corrupt_file_is_an_error_and_stays_untouched() {
        let dir = tempfile::tempdir().unwrap();
        let ws = Workspace::at(dir.path());
        let garbage = "version = 1\n[katas.01-a\npassed_at = ";
        std::fs::write(ws.progress_path(), garbage).unwrap();
        let e = Progress::load(&ws).unwrap_err();
        assert!(e.0.contains("cannot be read"), "{e}");
        assert!(e.0.contains("left untouched"), "{e}");
        assert_eq!(
            std::fs::read_to_string(ws.progress_path()).unwrap(),
            garbage
        );
        let e = Progress::parse("version = 7").unwrap_err();
        assert!(e.0.contains("version 7"), "{e}");
        let e =
            Progress::parse("version = 1\n[katas.01-a]\npassed_at = \"yesterday\"").unwrap_err();
        assert!(e.0.contains("invalid type"), "{e}");
    }

    #[test]
    fn fingerprints_follow_content() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("lib.rs"), "fn a() {}").unwrap();
        let a = fingerprint(dir.path());
        std::fs::write(dir.path().join("lib.rs"), "fn b() {}").unwrap();
        assert_ne!(a, fingerprint(dir.path()));
    }
}
