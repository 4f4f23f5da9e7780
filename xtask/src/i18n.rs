//! The grader's words in the learner's language: English or French, from Fluent files under
//! `xtask/locales/` embedded at compile time.
//!
//! The language is chosen once per run: `--lang`, then `KATAS_LANG`, then the locale
//! (`LC_ALL`, then `LC_MESSAGES`, then `LANG`: the first one set decides, French when it
//! starts with `fr`), English otherwise. Only words for people go through here: JSON, JUnit,
//! results files and exit codes never do, and neither do the test processes, whose
//! environment the sandbox sets on its own.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU8, Ordering};

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};

/// A language the course speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, clap::ValueEnum)]
pub enum Lang {
    /// English (the default).
    En,
    /// French.
    Fr,
}

impl Lang {
    /// Both languages, English first.
    pub const ALL: [Lang; 2] = [Lang::En, Lang::Fr];

    /// `en` or `fr`: the folder under `xtask/locales/`.
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Fr => "fr",
        }
    }

    /// `fr`, `fr_FR.UTF-8`, `fr-CA` → French; `en_GB`, `de_DE.UTF-8`, `C`, `POSIX` → English.
    fn of_tag(tag: &str) -> Lang {
        if tag.get(..2).is_some_and(|p| p.eq_ignore_ascii_case("fr")) {
            Lang::Fr
        } else {
            Lang::En
        }
    }
}

/// The Fluent files, per language: (file name, English source, French source).
pub const RESOURCES: [(&str, &str, &str); 3] = [
    (
        "commands.ftl",
        include_str!("../locales/en/commands.ftl"),
        include_str!("../locales/fr/commands.ftl"),
    ),
    (
        "check.ftl",
        include_str!("../locales/en/check.ftl"),
        include_str!("../locales/fr/check.ftl"),
    ),
    (
        "report.ftl",
        include_str!("../locales/en/report.ftl"),
        include_str!("../locales/fr/report.ftl"),
    ),
];

/// 0: not decided yet; otherwise 1 + the index in [`Lang::ALL`].
static CHOSEN: AtomicU8 = AtomicU8::new(0);

/// Fixes the language for the rest of the run (`--lang`, or English for the teachers' and
/// authors' commands whose output machines read).
pub fn set(lang: Lang) {
    // Relaxed: a plain flag read back by the same thread or after a spawn that orders it.
    CHOSEN.store(1 + lang as u8, Ordering::Relaxed);
}

/// The language of this run: the one [`set`], or the one the environment asks for.
pub fn lang() -> Lang {
    // Relaxed: see `set`; a race between two first calls decides the same value twice.
    match CHOSEN.load(Ordering::Relaxed) {
        0 => {
            // The library's own unit tests speak English, whatever the developer's locale.
            let env = |name: &str| std::env::var(name).ok().filter(|_| !cfg!(test));
            let lang = choose(None, env);
            set(lang);
            lang
        }
        n => Lang::ALL[usize::from(n - 1)],
    }
}

/// The language for a `--lang` flag and an environment (`var` reads one variable): the flag,
/// then `KATAS_LANG`, then the first of `LC_ALL`, `LC_MESSAGES`, `LANG` that is set and not
/// empty. English when none says French.
pub fn choose(flag: Option<Lang>, var: impl Fn(&str) -> Option<String>) -> Lang {
    if let Some(lang) = flag {
        return lang;
    }
    ["KATAS_LANG", "LC_ALL", "LC_MESSAGES", "LANG"]
        .iter()
        .find_map(|name| var(name).filter(|v| !v.trim().is_empty()))
        .map_or(Lang::En, |tag| Lang::of_tag(tag.trim()))
}

/// `1.5` with one decimal, as the run's language writes it (`1,5` in French).
pub fn decimal(x: f64) -> String {
    let text = format!("{x:.1}");
    match lang() {
        Lang::Fr => text.replace('.', ","),
        Lang::En => text,
    }
}

/// One bundle per language, built on first use.
fn bundles() -> &'static [FluentBundle<FluentResource>; 2] {
    static BUNDLES: OnceLock<[FluentBundle<FluentResource>; 2]> = OnceLock::new();
    BUNDLES.get_or_init(|| Lang::ALL.map(bundle))
}

fn bundle(lang: Lang) -> FluentBundle<FluentResource> {
    let tag: unic_langid::LanguageIdentifier = lang
        .code()
        .parse()
        .expect("`en` and `fr` are language tags");
    let mut bundle = FluentBundle::new_concurrent(vec![tag]);
    // No bidi isolation marks around placeables: a terminal shows them as noise.
    bundle.set_use_isolating(false);
    for (_, en, fr) in RESOURCES {
        let source = match lang {
            Lang::En => en,
            Lang::Fr => fr,
        };
        // A syntax error is caught by the tests (`every_message_exists_in_both_languages`);
        // here the entries that parsed are still used.
        let resource = FluentResource::try_new(source.to_string()).unwrap_or_else(|(r, _)| r);
        let _ = bundle.add_resource(resource);
    }
    bundle
}

/// A value for a message's variable.
pub trait IntoArg {
    /// As Fluent holds it (numbers stay numbers, for plurals).
    fn into_arg(self) -> FluentValue<'static>;
}

impl IntoArg for &str {
    fn into_arg(self) -> FluentValue<'static> {
        FluentValue::from(self.to_string())
    }
}
impl IntoArg for String {
    fn into_arg(self) -> FluentValue<'static> {
        FluentValue::from(self)
    }
}
impl IntoArg for &String {
    fn into_arg(self) -> FluentValue<'static> {
        FluentValue::from(self.clone())
    }
}
macro_rules! number_arg {
    ($($t:ty),*) => {$(
        impl IntoArg for $t {
            fn into_arg(self) -> FluentValue<'static> {
                FluentValue::from(self)
            }
        }
    )*};
}
number_arg!(usize, u32, u64, i32, i64);

/// The message `id` in the run's language, with its variables. A message missing in French
/// falls back to English; one missing in both shows its id (the tidy tests forbid both).
pub fn message(id: &str, args: &[(&str, FluentValue<'static>)]) -> String {
    message_in(lang(), id, args)
}

/// [`message`] in a given language.
pub fn message_in(lang: Lang, id: &str, args: &[(&str, FluentValue<'static>)]) -> String {
    let mut fluent_args = FluentArgs::new();
    for (name, value) in args {
        fluent_args.set(*name, value.clone());
    }
    let all = bundles();
    let order = [lang as usize, Lang::En as usize];
    for bundle in order.iter().map(|&i| &all[i]) {
        if let Some(pattern) = bundle.get_message(id).and_then(|m| m.value()) {
            let mut errors = Vec::new();
            return bundle
                .format_pattern(pattern, Some(&fluent_args), &mut errors)
                .into_owned();
        }
    }
    id.to_string()
}

/// Looks up a message: `tr!("check-done", slug = &kata.slug)`.
#[macro_export]
macro_rules! tr {
    ($id:expr) => {
        $crate::i18n::message($id, &[])
    };
    ($id:expr, $($name:ident = $value:expr),+ $(,)?) => {
        $crate::i18n::message(
            $id,
            &[$((stringify!($name), $crate::i18n::IntoArg::into_arg($value))),+],
        )
    };
}

/// Every message of a Fluent source with the variables it uses (in any variant):
/// `Err` lists the syntax errors.
pub fn messages_of(source: &str) -> Result<BTreeMap<String, BTreeSet<String>>, Vec<String>> {
    use fluent_syntax::ast;
    fn pattern(p: &ast::Pattern<&str>, vars: &mut BTreeSet<String>) {
        for element in &p.elements {
            if let ast::PatternElement::Placeable { expression } = element {
                expr(expression, vars);
            }
        }
    }
    fn expr(e: &ast::Expression<&str>, vars: &mut BTreeSet<String>) {
        match e {
            ast::Expression::Select { selector, variants } => {
                inline(selector, vars);
                for v in variants {
                    pattern(&v.value, vars);
                }
            }
            ast::Expression::Inline(i) => inline(i, vars),
        }
    }
    fn inline(i: &ast::InlineExpression<&str>, vars: &mut BTreeSet<String>) {
        match i {
            ast::InlineExpression::VariableReference { id } => {
                vars.insert(id.name.to_string());
            }
            ast::InlineExpression::FunctionReference { arguments, .. } => {
                for a in &arguments.positional {
                    inline(a, vars);
                }
                for a in &arguments.named {
                    inline(&a.value, vars);
                }
            }
            ast::InlineExpression::Placeable { expression } => expr(expression, vars),
            _ => {}
        }
    }
    let resource = fluent_syntax::parser::parse(source)
        .map_err(|(_, errors)| errors.iter().map(|e| format!("{e:?}")).collect::<Vec<_>>())?;
    let mut out = BTreeMap::new();
    for entry in &resource.body {
        if let ast::Entry::Message(m) = entry {
            let mut vars = BTreeSet::new();
            if let Some(value) = &m.value {
                pattern(value, &mut vars);
            }
            out.insert(m.id.name.to_string(), vars);
        }
    }
    Ok(out)
}

/// What differs between the English and the French version of one Fluent file: syntax errors,
/// messages only one language has, variables only one language uses.
pub fn parity_problems(file: &str, en: &str, fr: &str) -> Vec<String> {
    let mut problems = Vec::new();
    let (en_msgs, fr_msgs) = match (messages_of(en), messages_of(fr)) {
        (Ok(e), Ok(f)) => (e, f),
        (e, f) => {
            for (lang, r) in [("en", e), ("fr", f)] {
                if let Err(errors) = r {
                    problems.push(format!(
                        "xtask/locales/{lang}/{file} does not parse: {}",
                        errors.join("; ")
                    ));
                }
            }
            return problems;
        }
    };
    for (id, vars) in &en_msgs {
        match fr_msgs.get(id) {
            None => problems.push(format!(
                "xtask/locales/fr/{file}: message `{id}` is missing (English has it)"
            )),
            Some(fr_vars) if fr_vars != vars => problems.push(format!(
                "xtask/locales/{{en,fr}}/{file}: message `{id}` uses variables {vars:?} in English but {fr_vars:?} in French"
            )),
            Some(_) => {}
        }
    }
    for id in fr_msgs.keys().filter(|id| !en_msgs.contains_key(*id)) {
        problems.push(format!(
            "xtask/locales/en/{file}: message `{id}` is missing (French has it)"
        ));
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env<'a>(pairs: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<String> + 'a {
        move |name| {
            pairs
                .iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| v.to_string())
        }
    }

    #[test]
    fn the_flag_then_katas_lang_then_the_locale_decide() {
        assert_eq!(choose(None, env(&[])), Lang::En);
        assert_eq!(choose(None, env(&[("LANG", "fr_FR.UTF-8")])), Lang::Fr);
        assert_eq!(choose(None, env(&[("LANG", "de_DE.UTF-8")])), Lang::En);
        assert_eq!(choose(None, env(&[("LANG", "C")])), Lang::En);
        assert_eq!(choose(None, env(&[("LANG", "")])), Lang::En);
        assert_eq!(
            choose(None, env(&[("LC_MESSAGES", "fr_CA"), ("LANG", "en_US")])),
            Lang::Fr
        );
        assert_eq!(
            choose(None, env(&[("LC_ALL", "C"), ("LANG", "fr_FR.UTF-8")])),
            Lang::En,
            "LC_ALL overrides LANG, as it does for every program"
        );
        assert_eq!(
            choose(None, env(&[("KATAS_LANG", "en"), ("LC_ALL", "fr_FR")])),
            Lang::En
        );
        assert_eq!(
            choose(None, env(&[("KATAS_LANG", "fr"), ("LANG", "en_US")])),
            Lang::Fr
        );
        assert_eq!(
            choose(Some(Lang::En), env(&[("KATAS_LANG", "fr")])),
            Lang::En
        );
        assert_eq!(choose(Some(Lang::Fr), env(&[])), Lang::Fr);
    }

    #[test]
    fn messages_have_no_isolation_marks_and_french_plurals() {
        let args = |n: usize| [("count", n.into_arg()), ("total", 12usize.into_arg())];
        let en = message_in(Lang::En, "tally-pass", &args(3));
        assert_eq!(en, "3 of 12 checks pass");
        assert!(!en.contains('\u{2068}'));
        assert_eq!(
            message_in(Lang::Fr, "tally-pass", &args(1)),
            "1 vérification sur 12 réussie"
        );
        assert_eq!(
            message_in(Lang::Fr, "tally-pass", &args(3)),
            "3 vérifications sur 12 réussies"
        );
    }

    #[test]
    fn every_message_exists_in_both_languages_with_the_same_variables() {
        let problems: Vec<String> = RESOURCES
            .iter()
            .flat_map(|(file, en, fr)| parity_problems(file, en, fr))
            .collect();
        assert!(problems.is_empty(), "{}", problems.join("\n"));
    }

    #[test]
    fn a_difference_between_the_languages_is_named() {
        let problems = parity_problems(
            "x.ftl",
            "a = { $n } b\nb = x\nc = { $k ->\n [one] one\n *[other] { $k } more\n}\n",
            "a = { $m } b\nc = { $k ->\n [one] un\n *[other] { $k } de plus\n}\nd = y\n",
        );
        assert_eq!(problems.len(), 3, "{problems:?}");
        assert!(problems[0].contains("`a`") && problems[0].contains("\"n\""));
        assert!(problems[1].contains("`b` is missing"));
        assert!(problems[2].contains("`d` is missing"));
    }
}
