//! One module per command. Each returns an exit code, or an [`Error`](crate::error::Error)
//! when the tool itself could not do its job.

pub mod bench;
pub mod check;
pub mod export;
pub mod grade;
pub mod hint;
pub mod list;
pub mod mutants;
pub mod new;
pub mod reset;
pub mod solution;
pub mod status;
pub mod verify;
pub mod watch;

use crate::curriculum::{Curriculum, Kata};
use crate::error::Result;
use crate::progress::Progress;
use crate::report::Style;
use crate::workspace::Workspace;

/// What most commands need: the curriculum and the learner's progress.
pub struct Ctx {
    /// The validated curriculum.
    pub curriculum: Curriculum,
    /// The learner's progress.
    pub progress: Progress,
    /// Terminal styling.
    pub style: Style,
}

impl Ctx {
    /// Loads both; notes (once, on stderr) progress entries for katas the curriculum no longer
    /// has. They are kept in the file.
    pub fn load(ws: &Workspace) -> Result<Self> {
        let curriculum = Curriculum::load(ws)?;
        let progress = Progress::load(ws)?;
        let unknown = progress.unknown_slugs(&curriculum);
        let style = Style::detect();
        if !unknown.is_empty() {
            eprintln!(
                "{}",
                style.dim(&crate::tr!(
                    "progress-unknown-slugs",
                    slugs = unknown
                        .iter()
                        .map(|s| format!("`{s}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ))
            );
        }
        Ok(Self {
            curriculum,
            progress,
            style,
        })
    }

    /// The kata named by `slug`, or the current one. `None`: no slug and every kata passed.
    pub fn resolve(&self, slug: Option<&str>) -> Result<Option<&Kata>> {
        match slug {
            Some(s) => self.curriculum.find(s).map(Some),
            None => Ok(self.progress.current(&self.curriculum)),
        }
    }

    /// Refuses a locked kata, naming the one to finish first.
    pub fn ensure_unlocked(&self, kata: &Kata, command: &str) -> Result<()> {
        if self.progress.unlocked(&self.curriculum, &kata.slug) {
            return Ok(());
        }
        let current = self
            .progress
            .current(&self.curriculum)
            .map_or_else(String::new, |c| c.slug.clone());
        Err(crate::error::Error(crate::tr!(
            "kata-locked",
            slug = &kata.slug,
            current = current,
            command = command
        )))
    }
}

/// The message printed when every kata has passed, in the learner's language.
pub fn all_done() -> String {
    crate::tr!("all-done")
}

/// The message printed when every kata has passed (English; see [`all_done`]).
pub const ALL_DONE_MSG: &str = "You have passed every kata in the curriculum. Well done!\n\
    Revisit any of them with `cargo xtask check SLUG`, or compare with the references: \
    `cargo xtask solution SLUG`.";
