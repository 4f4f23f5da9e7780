//! The learner's `src/` read before it is built: constructs that would let kata code run
//! before the grader's secret is taken, replace symbols of the test harness, load crates the
//! course did not declare, or compile files from outside `src/` are refused, with file and
//! line. The scan works on tokens (comments and literals skipped), so a word in a comment or a
//! string is never a problem.

use std::path::{Component, Path};

/// One refused construct.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    /// `katas/<slug>/src/…` relative path.
    pub file: String,
    /// 1-based line.
    pub line: u32,
    /// What and why, in the learner's words.
    pub why: String,
}

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}: {}", self.file, self.line, self.why)
    }
}

/// Identifiers refused anywhere in code, each with the attack it stops.
const REFUSED: &[(&str, &str)] = &[
    // Attack: a constructor in `.init_array` that runs before `main`, before the check.
    (
        "link_section",
        "`#[link_section]` could run code before the check starts",
    ),
    (
        "global_asm",
        "`global_asm!` could run code before the check starts",
    ),
    // Attack: replacing `read`/`write`/`main` of the harness with the kata's own.
    (
        "no_mangle",
        "`#[no_mangle]` could replace functions of the test harness",
    ),
    (
        "export_name",
        "`#[export_name]` could replace functions of the test harness",
    ),
    (
        "link_name",
        "`#[link_name]` could call into the test harness's private functions",
    ),
    // Attack: an allocator of the kata's own runs before `main`.
    (
        "global_allocator",
        "`#[global_allocator]` belongs to the hidden suite, not the kata",
    ),
    (
        "crate_type",
        "`#![crate_type]` changes how the kata is built",
    ),
    (
        "crate_name",
        "`#![crate_name]` changes how the kata is built",
    ),
];

/// Scans every `.rs` file under `src` (shown as `shown/…`).
pub fn scan(src: &Path, shown: &str) -> Vec<Refusal> {
    let mut refusals = Vec::new();
    let mut files = Vec::new();
    collect(src, src, &mut files, &mut refusals, shown);
    files.sort();
    for rel in files {
        let path = src.join(&rel);
        let text = match std::fs::read(&path) {
            Ok(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
            Err(_) => continue,
        };
        refusals.extend(scan_text(&text, &format!("{shown}/{rel}")));
    }
    refusals
}

fn collect(
    root: &Path,
    dir: &Path,
    out: &mut Vec<String>,
    refusals: &mut Vec<Refusal>,
    shown: &str,
) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let rel = path
            .strip_prefix(root)
            .unwrap_or(&path)
            .to_string_lossy()
            .replace('\\', "/");
        let Ok(meta) = std::fs::symlink_metadata(&path) else {
            continue;
        };
        if meta.file_type().is_symlink() {
            // Attack: `src/sol.rs -> ../../solutions/NN/src/lib.rs`.
            refusals.push(Refusal {
                file: format!("{shown}/{rel}"),
                line: 1,
                why: "a symbolic link: a kata's `src/` holds its own files only".into(),
            });
        } else if meta.is_dir() {
            collect(root, &path, out, refusals, shown);
        } else if rel.ends_with(".rs") {
            out.push(rel);
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Ident(String),
    Str(String),
    /// A literal that is not a plain string (byte string, raw string with escapes, number).
    Other,
    Punct(char),
}

/// Scans one file's text.
pub fn scan_text(text: &str, file: &str) -> Vec<Refusal> {
    let tokens = tokenize(text);
    let mut out = Vec::new();
    let refuse = |out: &mut Vec<Refusal>, line: u32, why: String| {
        out.push(Refusal {
            file: file.to_string(),
            line,
            why,
        })
    };
    // Depth of `#[ … ]` / `#![ … ]` attribute brackets we are inside.
    let mut attr_depth: Vec<usize> = Vec::new();
    let mut bracket = 0usize;
    for (i, (tok, line)) in tokens.iter().enumerate() {
        let line = *line;
        let next = |k: usize| tokens.get(i + k).map(|(t, _)| t);
        match tok {
            Tok::Punct('[') => {
                bracket += 1;
                let prev = i.checked_sub(1).and_then(|j| tokens.get(j)).map(|(t, _)| t);
                let prev2 = i.checked_sub(2).and_then(|j| tokens.get(j)).map(|(t, _)| t);
                if prev == Some(&Tok::Punct('#'))
                    || (prev == Some(&Tok::Punct('!')) && prev2 == Some(&Tok::Punct('#')))
                {
                    attr_depth.push(bracket);
                    // Attack: `#[$name = "…"]` in a macro, building `path` or `no_mangle`
                    // from a metavariable the scan cannot see.
                    if next(1) == Some(&Tok::Punct('$')) {
                        refuse(
                            &mut out,
                            line,
                            "an attribute named by a macro variable (`#[$name]`) is not allowed in a kata".into(),
                        );
                    }
                }
            }
            Tok::Punct(']') => {
                if attr_depth.last() == Some(&bracket) {
                    attr_depth.pop();
                }
                bracket = bracket.saturating_sub(1);
            }
            Tok::Ident(word) => {
                let word = word.strip_prefix("r#").unwrap_or(word);
                if let Some((_, why)) = REFUSED.iter().find(|(w, _)| *w == word) {
                    refuse(&mut out, line, format!("{why}: remove it"));
                }
                match word {
                    // Attack: `extern crate rtrb;` finds any library the build happened to
                    // compile (the oracles of the suites), declared or not.
                    "extern" if next(1) == Some(&Tok::Ident("crate".into())) => {
                        if let Some(Tok::Ident(name)) = next(2)
                            && !matches!(name.as_str(), "std" | "core" | "alloc")
                        {
                            refuse(
                                &mut out,
                                line,
                                format!(
                                    "`extern crate {name}`: a kata uses only the standard library and the crates its Cargo.toml lists"
                                ),
                            );
                        }
                    }
                    // Attack: `include!("../../../solutions/…")` compiles another file in.
                    "include" | "include_str" | "include_bytes" => {
                        let literal = match (next(1), next(2), next(3), next(4)) {
                            (
                                Some(Tok::Punct('!')),
                                Some(Tok::Punct('(')),
                                Some(Tok::Str(p)),
                                Some(Tok::Punct(')')),
                            ) => Some(p),
                            _ => None,
                        };
                        match literal {
                            Some(p) if stays_inside(p) => {}
                            Some(p) => refuse(
                                &mut out,
                                line,
                                format!(
                                    "`{word}!(\"{p}\")` reaches outside `src/`: a kata's code lives in its `src/` folder"
                                ),
                            ),
                            None => refuse(
                                &mut out,
                                line,
                                format!(
                                    "`{word}!` takes one plain relative path inside `src/` in a kata"
                                ),
                            ),
                        }
                    }
                    // Attack: `#[path = "../../../solutions/…"] mod s;`.
                    "path" if !attr_depth.is_empty() && next(1) == Some(&Tok::Punct('=')) => {
                        match next(2) {
                            Some(Tok::Str(p)) if stays_inside(p) => {}
                            Some(Tok::Str(p)) => refuse(
                                &mut out,
                                line,
                                format!(
                                    "`#[path = \"{p}\"]` reaches outside `src/`: a kata's modules live in its `src/` folder"
                                ),
                            ),
                            _ => refuse(
                                &mut out,
                                line,
                                "`#[path]` takes one plain relative path inside `src/` in a kata"
                                    .into(),
                            ),
                        }
                    }
                    // Attack: `#[link(name = …)]` pulls a native library (and its
                    // constructors) into the test binary.
                    "link" if !attr_depth.is_empty() && next(1) == Some(&Tok::Punct('(')) => {
                        refuse(
                            &mut out,
                            line,
                            "`#[link]` links a native library into the tests: remove it".into(),
                        );
                    }
                    _ => {}
                }
            }
            _ => {}
        }
    }
    out
}

/// A relative path with no `..` (nor root or prefix) component.
fn stays_inside(path: &str) -> bool {
    let p = Path::new(path);
    !path.is_empty()
        && p.components()
            .all(|c| matches!(c, Component::Normal(_) | Component::CurDir))
}

/// A small Rust lexer: identifiers (raw ones with their `r#`), plain string literals with
/// their value, other literals, single-character punctuation. Comments (nested block
/// comments included) vanish; lifetimes are told from character literals.
fn tokenize(text: &str) -> Vec<(Tok, u32)> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    let mut line = 1u32;
    let count_lines = |from: usize, to: usize, chars: &[char]| {
        chars[from..to.min(chars.len())]
            .iter()
            .filter(|&&c| c == '\n')
            .count() as u32
    };
    while i < chars.len() {
        let c = chars[i];
        let start = i;
        if c == '\n' {
            line += 1;
            i += 1;
        } else if c.is_whitespace() {
            i += 1;
        } else if c == '/' && chars.get(i + 1) == Some(&'/') {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
        } else if c == '/' && chars.get(i + 1) == Some(&'*') {
            let mut depth = 0;
            while i < chars.len() {
                if chars[i] == '/' && chars.get(i + 1) == Some(&'*') {
                    depth += 1;
                    i += 2;
                } else if chars[i] == '*' && chars.get(i + 1) == Some(&'/') {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    i += 1;
                }
            }
            line += count_lines(start, i, &chars);
        } else if let Some((tok, end)) = raw_string(&chars, i) {
            out.push((tok, line));
            line += count_lines(start, end, &chars);
            i = end;
        } else if c == '"'
            || (c == 'b' && chars.get(i + 1) == Some(&'"'))
            || (c == 'c' && chars.get(i + 1) == Some(&'"'))
        {
            let plain = c == '"';
            i += if plain { 1 } else { 2 };
            let mut value = String::new();
            let mut escaped = false;
            while i < chars.len() {
                let ch = chars[i];
                i += 1;
                if ch == '\\' {
                    escaped = true;
                    i += 1;
                    continue;
                }
                if ch == '"' {
                    break;
                }
                value.push(ch);
            }
            // A string with escapes is not taken as a path: it is refused where one is needed.
            let tok = if plain && !escaped {
                Tok::Str(value)
            } else {
                Tok::Other
            };
            out.push((tok, line));
            line += count_lines(start, i, &chars);
        } else if c == '\'' {
            // A character literal ('x', '\n', '\u{1F600}') or a lifetime ('a).
            if chars.get(i + 1) == Some(&'\\') {
                i += 3; // the quote, the backslash and the escaped character
                while i < chars.len() && chars[i] != '\'' {
                    i += 1;
                }
                i += 1;
                out.push((Tok::Other, line));
            } else if chars.get(i + 2) == Some(&'\'') {
                i += 3;
                out.push((Tok::Other, line));
            } else {
                i += 1; // a lifetime: its name follows as an identifier
                out.push((Tok::Punct('\''), line));
            }
        } else if c == 'b' && chars.get(i + 1) == Some(&'\'') {
            i += 2;
            while i < chars.len() && chars[i] != '\'' {
                if chars[i] == '\\' {
                    i += 1;
                }
                i += 1;
            }
            i += 1;
            out.push((Tok::Other, line));
        } else if c.is_alphabetic() || c == '_' {
            if c == 'r' && chars.get(i + 1) == Some(&'#') {
                i += 2;
            }
            while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_') {
                i += 1;
            }
            out.push((Tok::Ident(chars[start..i].iter().collect()), line));
        } else if c.is_ascii_digit() {
            while i < chars.len()
                && (chars[i].is_alphanumeric() || chars[i] == '_' || chars[i] == '.')
            {
                if chars[i] == '.' && chars.get(i + 1) == Some(&'.') {
                    break;
                }
                i += 1;
            }
            out.push((Tok::Other, line));
        } else {
            out.push((Tok::Punct(c), line));
            i += 1;
        }
    }
    out
}

/// `r"…"`, `r#"…"#`, `br#"…"#`, `cr"…"` at `i`: the token and where it ends.
fn raw_string(chars: &[char], i: usize) -> Option<(Tok, usize)> {
    let mut j = i;
    let prefixed = matches!(chars.get(j), Some('b') | Some('c'));
    if prefixed {
        j += 1;
    }
    if chars.get(j) != Some(&'r') {
        return None;
    }
    j += 1;
    let mut hashes = 0;
    while chars.get(j) == Some(&'#') {
        hashes += 1;
        j += 1;
    }
    if chars.get(j) != Some(&'"') {
        return None;
    }
    j += 1;
    let body_start = j;
    while j < chars.len() {
        if chars[j] == '"' && (1..=hashes).all(|k| chars.get(j + k) == Some(&'#')) {
            let value: String = chars[body_start..j].iter().collect();
            let tok = if prefixed {
                Tok::Other
            } else {
                Tok::Str(value)
            };
            return Some((tok, j + 1 + hashes));
        }
        j += 1;
    }
    Some((Tok::Other, chars.len()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refused(src: &str) -> Vec<String> {
        scan_text(src, "src/lib.rs")
            .into_iter()
            .map(|r| format!("{}: {}", r.line, r.why))
            .collect()
    }

    #[test]
    fn ordinary_kata_code_passes() {
        let src = r##"
            //! Uses the words no_mangle and include!("../x") in a comment.
            /* nested /* link_section */ still a comment */
            use std::path::Path;
            pub fn f<'a>(path: &'a Path, c: char) -> &'a str {
                let s = "#[no_mangle] extern crate rtrb; include!(\"/etc\")";
                let r = r#"link_section"#;
                let _ = ('x', '\'', b'a', 1..2, 0x1f_u8);
                let path = path.to_str().unwrap_or(s);
                if c == '"' { r } else { path }
            }
            #[path = "inner/mod_a.rs"]
            mod a;
            const HELP: &str = include_str!("help.txt");
            extern crate alloc;
        "##;
        assert_eq!(refused(src), Vec::<String>::new());
    }

    #[test]
    fn code_that_runs_before_main_or_replaces_symbols_is_refused() {
        for (src, word) in [
            (
                "#[unsafe(link_section = \".init_array\")]\nstatic X: u8 = 0;",
                "link_section",
            ),
            (
                "#[unsafe(no_mangle)]\npub extern \"C\" fn write() {}",
                "no_mangle",
            ),
            (
                "#[unsafe(export_name = \"main\")]\nfn m() {}",
                "export_name",
            ),
            (
                "unsafe extern \"C\" { #[link_name = \"x\"] fn y(); }",
                "link_name",
            ),
            ("core::arch::global_asm!(\"\");", "global_asm"),
            (
                "#[global_allocator]\nstatic A: System = System;",
                "global_allocator",
            ),
            ("#[cfg_attr(all(), r#no_mangle)]\nfn w() {}", "no_mangle"),
        ] {
            let r = refused(src);
            assert!(r.iter().any(|l| l.contains(word)), "{src}: {r:?}");
        }
    }

    #[test]
    fn files_from_outside_src_are_refused() {
        for src in [
            "include!(\"../../../solutions/04-object-pool/src/lib.rs\");",
            "const S: &str = include_str!(\"/etc/passwd\");",
            "include!(concat!(env!(\"HOME\"), \"/x.rs\"));",
            "#[path = \"../../solutions/x.rs\"]\nmod s;",
            "#[cfg_attr(all(), path = \"/abs.rs\")]\nmod s;",
            "macro_rules! m { ($a:ident) => { #[$a = \"../x.rs\"] mod s; } }",
            "use std::include as inc;",
            "extern crate rtrb;",
            "#[link(name = \"evil\")]\nunsafe extern \"C\" {}",
        ] {
            assert!(!refused(src).is_empty(), "not refused: {src}");
        }
    }

    #[test]
    fn refusals_name_their_line() {
        let r = scan_text(
            "fn a() {}\n\n#[unsafe(no_mangle)]\nfn b() {}",
            "katas/x/src/lib.rs",
        );
        assert_eq!(r.len(), 1);
        assert_eq!(r[0].line, 3);
        assert!(
            r[0].to_string()
                .starts_with("katas/x/src/lib.rs:3: `#[no_mangle]`")
        );
    }
}
