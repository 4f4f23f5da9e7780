//! The course in two languages, kept in step: every kata README has a French twin
//! (`README.fr.md`) with the same structure, the same list items section by section (the
//! contract first of all) and byte-identical code blocks; every kata has its hints and title
//! in French. The messages name the kata, the section and the counts on both sides, so a
//! drift after an edit of the English README is quick to find.

use crate::curriculum::Kata;
use crate::workspace::Workspace;

/// The French README beside each `README.md`.
pub const FRENCH_README: &str = "README.fr.md";

/// One section of a README: a heading and what follows it up to the next heading.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Section {
    /// The heading line (`## The contract`), empty for the text before the first heading.
    pub heading: String,
    /// `#` count of the heading (0 before the first heading).
    pub level: usize,
    /// List items (`- `, `* `, `1. `, nested ones included), outside code blocks.
    pub items: usize,
    /// Table rows (`| … |`), outside code blocks.
    pub table_rows: usize,
    /// `<details>` folds (interview questions).
    pub folds: usize,
}

/// A README's shape: its sections and its fenced code blocks, each with the index of the
/// section that holds it.
#[derive(Debug, Default)]
pub struct Shape {
    /// The sections, in order.
    pub sections: Vec<Section>,
    /// The code blocks, fences included, in order, with their section's index.
    pub code: Vec<(usize, String)>,
}

/// Reads the shape of a Markdown text.
pub fn shape(text: &str) -> Shape {
    let mut shape = Shape {
        sections: vec![Section::default()],
        code: Vec::new(),
    };
    let mut fence: Option<(String, String)> = None;
    for line in text.lines() {
        let current = shape.sections.len() - 1;
        if let Some((marker, block)) = &mut fence {
            block.push_str(line);
            block.push('\n');
            if line.trim_start().starts_with(marker.as_str())
                && line.trim().chars().all(|c| c == '`' || c == '~')
            {
                shape.code.push((current, std::mem::take(block)));
                fence = None;
            }
            continue;
        }
        let trimmed = line.trim_start();
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            let marker: String = trimmed
                .chars()
                .take_while(|&c| c == trimmed.chars().next().unwrap_or('`'))
                .collect();
            fence = Some((marker, format!("{line}\n")));
            continue;
        }
        let hashes = line.chars().take_while(|&c| c == '#').count();
        if hashes > 0 && line[hashes..].starts_with(' ') {
            shape.sections.push(Section {
                heading: line.to_string(),
                level: hashes,
                ..Section::default()
            });
            continue;
        }
        let section = &mut shape.sections[current];
        let is_item = trimmed.starts_with("- ")
            || trimmed.starts_with("* ")
            || trimmed.starts_with("+ ")
            || trimmed
                .split_once(". ")
                .is_some_and(|(n, _)| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()));
        if is_item {
            section.items += 1;
        }
        if trimmed.starts_with('|') {
            section.table_rows += 1;
        }
        section.folds += line.matches("<details>").count();
    }
    if let Some((_, block)) = fence {
        let current = shape.sections.len() - 1;
        shape.code.push((current, block));
    }
    shape
}

/// What differs in structure between an English README and its French twin, in words that
/// name the place: `where_` is the kata's folder (`katas/09-cas-counter`).
pub fn drift(where_: &str, en: &str, fr: &str) -> Vec<String> {
    let (en, fr) = (shape(en), shape(fr));
    let mut problems = Vec::new();
    let name = |s: &Section| {
        if s.heading.is_empty() {
            "the text before the first heading".to_string()
        } else {
            format!("`{}`", s.heading)
        }
    };
    if en.sections.len() != fr.sections.len() {
        problems.push(format!(
            "{where_}: README.md has {} headings, {FRENCH_README} has {}: translate the sections \
             one for one (English: {})",
            en.sections.len() - 1,
            fr.sections.len() - 1,
            en.sections
                .iter()
                .skip(1)
                .map(|s| s.heading.as_str())
                .collect::<Vec<_>>()
                .join(" | ")
        ));
    }
    for (i, (e, f)) in en.sections.iter().zip(&fr.sections).enumerate() {
        let place = format!(
            "{where_}, section {i} ({} in English, {} in French)",
            name(e),
            name(f)
        );
        if e.level != f.level {
            problems.push(format!(
                "{place}: heading level {} in English, {} in French",
                e.level, f.level
            ));
        }
        let what = if e.heading.to_lowercase().contains("contract") {
            "contract items"
        } else {
            "list items"
        };
        for (count_en, count_fr, kind) in [
            (e.items, f.items, what),
            (e.table_rows, f.table_rows, "table rows"),
            (e.folds, f.folds, "<details> folds"),
        ] {
            if count_en != count_fr {
                problems.push(format!(
                    "{place}: {count_en} {kind} in README.md, {count_fr} in {FRENCH_README}"
                ));
            }
        }
    }
    if en.code.len() != fr.code.len() {
        problems.push(format!(
            "{where_}: README.md has {} code blocks, {FRENCH_README} has {}",
            en.code.len(),
            fr.code.len()
        ));
    }
    for (n, ((section, e), (_, f))) in en.code.iter().zip(&fr.code).enumerate() {
        if e != f {
            let line = e
                .lines()
                .zip(f.lines())
                .position(|(a, b)| a != b)
                .unwrap_or_else(|| e.lines().count().min(f.lines().count()));
            problems.push(format!(
                "{where_}: code block {} (in {}) differs in {FRENCH_README} from line {} of the \
                 block: code stays byte-identical, only prose is translated",
                n + 1,
                en.sections.get(*section).map_or_else(String::new, &name),
                line + 1
            ));
        }
    }
    problems
}

/// A kata's translation problems: the French README missing or drifted, French hints
/// missing, fewer or more than the English ones, or placeholders.
pub fn kata_problems(ws: &Workspace, kata: &Kata) -> Vec<String> {
    let mut problems = Vec::new();
    let dir = ws.kata_dir(&kata.slug);
    let where_ = format!("katas/{}", kata.slug);
    match (
        std::fs::read_to_string(dir.join("README.md")),
        std::fs::read_to_string(dir.join(FRENCH_README)),
    ) {
        (Ok(en), Ok(fr)) => {
            problems.extend(drift(&where_, &en, &fr));
            if fr.contains("TODO") {
                problems.push(format!(
                    "{where_}/{FRENCH_README} still holds TODO placeholders"
                ));
            }
        }
        (Ok(_), Err(_)) => problems.push(format!(
            "{where_}/{FRENCH_README} is missing: every README has a French twin with the same \
             sections, list items and code blocks"
        )),
        (Err(_), _) => {}
    }
    if kata.hints_fr.len() != kata.hints.len() {
        problems.push(format!(
            "xtask/curriculum.toml, `{}`: {} hints in English, {} in hints_fr: translate them one \
             for one",
            kata.slug,
            kata.hints.len(),
            kata.hints_fr.len()
        ));
    }
    if kata
        .hints_fr
        .iter()
        .any(|h| h.trim().is_empty() || h.trim_start().starts_with("TODO"))
    {
        problems.push(format!(
            "xtask/curriculum.toml, `{}`: a French hint is empty or still a TODO placeholder",
            kata.slug
        ));
    }
    if kata.title_fr.as_deref().is_none_or(|t| t.trim().is_empty()) {
        problems.push(format!(
            "xtask/curriculum.toml, `{}`: no title_fr (the title in French)",
            kata.slug
        ));
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    const EN: &str = "# 01 · x\n\nIntro.\n\n## The contract\n\n- one\n- two\n  - nested\n\n```rust\nlet x = 1; // a comment\n```\n\n## Interview questions\n\n<details><summary>Q?</summary>\n\nA.\n\n</details>\n";

    #[test]
    fn a_faithful_translation_has_no_drift() {
        let fr = "# 01 · x\n\nIntro en français.\n\n## Le contrat\n\n- un\n- deux\n  - imbriqué\n\n```rust\nlet x = 1; // a comment\n```\n\n## Questions d'entretien\n\n<details><summary>Q ?</summary>\n\nR.\n\n</details>\n";
        assert_eq!(drift("katas/01-x", EN, fr), Vec::<String>::new());
    }

    #[test]
    fn a_missing_contract_item_is_named_with_its_section_and_counts() {
        let fr = EN.replace("- two\n", "");
        let problems = drift("katas/01-x", EN, &fr);
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(
            problems[0].contains("katas/01-x, section 2")
                && problems[0].contains("`## The contract`")
                && problems[0].contains("3 contract items in README.md, 2 in README.fr.md"),
            "{}",
            problems[0]
        );
    }

    #[test]
    fn translated_code_and_missing_sections_are_caught() {
        let fr = EN.replace("// a comment", "// un commentaire");
        let problems = drift("katas/01-x", EN, &fr);
        assert!(
            problems.len() == 1 && problems[0].contains("code block 1 (in `## The contract`)"),
            "{problems:?}"
        );
        let fr = EN.replace("## Interview questions\n", "");
        let problems = drift("katas/01-x", EN, &fr);
        assert!(
            problems[0].contains("README.md has 3 headings, README.fr.md has 2"),
            "{problems:?}"
        );
        let fr = EN.replace("<details>", "");
        assert!(drift("katas/01-x", EN, &fr)[0].contains("1 <details> folds in README.md, 0"));
    }

    #[test]
    fn headings_and_items_inside_code_blocks_do_not_count() {
        let s = shape("# a\n\n```\n# not a heading\n- not an item\n```\n\n- item\n");
        assert_eq!(s.sections.len(), 2);
        assert_eq!(s.sections[1].items, 1);
        assert_eq!(s.code.len(), 1);
    }
}
