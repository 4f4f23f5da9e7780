//! Validation against the junit-10 XSD of Jenkins' xUnit plugin, the schema JUnit readers
//! commonly hold reports to (`junit-10.xsd` beside this file, MIT licence, copied unchanged
//! from jenkinsci/xunit-plugin, src/main/resources/org/jenkinsci/plugins/xunit/types/model/
//! xsd/junit-10.xsd).
//!
//! The schema is read and interpreted, not restated: global and local element declarations,
//! named and inline complex types (mixed or not), sequence / choice particles with
//! minOccurs / maxOccurs, attributes (undeclared ones are invalid, `use="required"` ones must be
//! present), `xs:string` elements (text only), and simple types restricted by patterns. Any
//! other XSD construct makes the validator refuse the schema rather than guess.

use std::collections::HashMap;

use super::xml::{self, Element};

const UNBOUNDED: usize = usize::MAX;

#[derive(Debug, Clone)]
enum Particle {
    Element {
        name: String,
        decl: Decl,
        min: usize,
        max: usize,
    },
    Sequence(Vec<Particle>, usize, usize),
    Choice(Vec<Particle>, usize, usize),
}

#[derive(Debug, Clone)]
enum Decl {
    /// `ref="name"` or `type="name"` resolved when used.
    Global(String),
    Type(String),
    Complex(Box<Complex>),
}

#[derive(Debug, Clone)]
struct Complex {
    mixed: bool,
    content: Option<Particle>,
    /// name → (type, required)
    attrs: Vec<(String, String, bool)>,
}

/// A loaded schema.
pub struct Schema {
    elements: HashMap<String, Decl>,
    complex: HashMap<String, Complex>,
    /// simple type name → patterns (anchored)
    simple: HashMap<String, Vec<regex_lite::Regex>>,
}

fn occurs(e: &Element) -> Result<(usize, usize), String> {
    let parse = |v: Option<&str>, default: usize| -> Result<usize, String> {
        match v {
            None => Ok(default),
            Some("unbounded") => Ok(UNBOUNDED),
            Some(n) => n.parse().map_err(|_| format!("bad occurrence {n}")),
        }
    };
    Ok((
        parse(e.attr("minOccurs"), 1)?,
        parse(e.attr("maxOccurs"), 1)?,
    ))
}

fn particle(e: &Element) -> Result<Particle, String> {
    let (min, max) = occurs(e)?;
    match e.name.as_str() {
        "xs:element" => {
            let (name, decl) = if let Some(r) = e.attr("ref") {
                (r.to_string(), Decl::Global(r.to_string()))
            } else {
                let name = e.attr("name").ok_or("a local element without a name")?;
                (name.to_string(), element_decl(e)?)
            };
            Ok(Particle::Element {
                name,
                decl,
                min,
                max,
            })
        }
        "xs:sequence" | "xs:choice" => {
            let items = e.elements().map(particle).collect::<Result<Vec<_>, _>>()?;
            Ok(if e.name == "xs:sequence" {
                Particle::Sequence(items, min, max)
            } else {
                Particle::Choice(items, min, max)
            })
        }
        other => Err(format!("unsupported particle <{other}>")),
    }
}

fn element_decl(e: &Element) -> Result<Decl, String> {
    if let Some(t) = e.attr("type") {
        return Ok(Decl::Type(t.to_string()));
    }
    let inline = e
        .elements()
        .find(|c| c.name == "xs:complexType")
        .ok_or_else(|| format!("element {:?} has no type", e.attr("name")))?;
    Ok(Decl::Complex(Box::new(complex(inline)?)))
}

fn complex(e: &Element) -> Result<Complex, String> {
    let mut c = Complex {
        mixed: e.attr("mixed") == Some("true"),
        content: None,
        attrs: Vec::new(),
    };
    for child in e.elements() {
        match child.name.as_str() {
            "xs:sequence" | "xs:choice" => c.content = Some(particle(child)?),
            "xs:attribute" => c.attrs.push((
                child
                    .attr("name")
                    .ok_or("attribute without a name")?
                    .to_string(),
                child.attr("type").unwrap_or("xs:string").to_string(),
                child.attr("use") == Some("required"),
            )),
            other => return Err(format!("unsupported <{other}> in a complex type")),
        }
    }
    Ok(c)
}

impl Schema {
    /// Reads an XSD.
    pub fn load(text: &str) -> Result<Self, String> {
        let root = xml::parse(text)?;
        if root.name != "xs:schema" {
            return Err("not an XSD".into());
        }
        let mut schema = Schema {
            elements: HashMap::new(),
            complex: HashMap::new(),
            simple: HashMap::new(),
        };
        for e in root.elements() {
            let name = e
                .attr("name")
                .ok_or("a global declaration without a name")?;
            match e.name.as_str() {
                "xs:element" => {
                    schema.elements.insert(name.into(), element_decl(e)?);
                }
                "xs:complexType" => {
                    schema.complex.insert(name.into(), complex(e)?);
                }
                "xs:simpleType" => {
                    let restriction = e
                        .elements()
                        .find(|r| r.name == "xs:restriction" && r.attr("base") == Some("xs:string"))
                        .ok_or("only xs:string restrictions are supported")?;
                    let mut patterns = Vec::new();
                    for facet in restriction.elements() {
                        if facet.name != "xs:pattern" {
                            return Err(format!("unsupported facet <{}>", facet.name));
                        }
                        let p = facet.attr("value").ok_or("a pattern without a value")?;
                        patterns.push(
                            regex_lite::Regex::new(&format!("^(?:{p})$"))
                                .map_err(|e| e.to_string())?,
                        );
                    }
                    schema.simple.insert(name.into(), patterns);
                }
                other => return Err(format!("unsupported global <{other}>")),
            }
        }
        Ok(schema)
    }

    /// Problems of a document (empty when it is valid).
    pub fn validate(&self, doc: &str) -> Vec<String> {
        let root = match xml::parse(doc) {
            Ok(r) => r,
            Err(e) => return vec![format!("not well-formed: {e}")],
        };
        let mut problems = Vec::new();
        match self.elements.get(&root.name) {
            Some(decl) => self.check(&root, decl, &root.name, &mut problems),
            None => problems.push(format!("<{}> is not a global element", root.name)),
        }
        problems
    }

    fn check(&self, e: &Element, decl: &Decl, path: &str, problems: &mut Vec<String>) {
        let complex = match decl {
            Decl::Global(name) => match self.elements.get(name) {
                Some(d) => return self.check(e, d, path, problems),
                None => return problems.push(format!("{path}: no declaration of <{name}>")),
            },
            Decl::Type(t) if t == "xs:string" => {
                if !e.attrs.is_empty() || e.elements().next().is_some() {
                    problems.push(format!(
                        "{path}: an xs:string element has no attributes or children"
                    ));
                }
                return;
            }
            Decl::Type(t) => match self.complex.get(t) {
                Some(c) => c,
                None => return problems.push(format!("{path}: unknown type {t}")),
            },
            Decl::Complex(c) => c,
        };
        for (name, value) in &e.attrs {
            match complex.attrs.iter().find(|(n, _, _)| n == name) {
                None => problems.push(format!("{path}: attribute `{name}` is not allowed")),
                Some((_, ty, _)) => {
                    if !self.simple_ok(ty, value) {
                        problems.push(format!("{path}: `{name}=\"{value}\"` is not a valid {ty}"));
                    }
                }
            }
        }
        for (name, _, required) in &complex.attrs {
            if *required && e.attr(name).is_none() {
                problems.push(format!("{path}: required attribute `{name}` is missing"));
            }
        }
        if !complex.mixed && !e.text().trim().is_empty() {
            problems.push(format!("{path}: text is not allowed here"));
        }
        let names: Vec<&str> = e.elements().map(|c| c.name.as_str()).collect();
        let fits = match &complex.content {
            None => names.is_empty(),
            Some(p) => ends(p, &names, 0).contains(&names.len()),
        };
        if !fits {
            problems.push(format!(
                "{path}: children {names:?} do not fit the content model"
            ));
            return;
        }
        if let Some(p) = &complex.content {
            for child in e.elements() {
                match find_decl(p, &child.name) {
                    Some(d) => self.check(child, d, &format!("{path}/{}", child.name), problems),
                    None => problems.push(format!("{path}: <{}> is not allowed", child.name)),
                }
            }
        }
    }

    fn simple_ok(&self, ty: &str, value: &str) -> bool {
        if ty == "xs:string" {
            return true;
        }
        self.simple
            .get(ty)
            .is_some_and(|patterns| patterns.iter().any(|p| p.is_match(value)))
    }
}

fn find_decl<'a>(p: &'a Particle, name: &str) -> Option<&'a Decl> {
    match p {
        Particle::Element { name: n, decl, .. } => (n == name).then_some(decl),
        Particle::Sequence(items, ..) | Particle::Choice(items, ..) => {
            items.iter().find_map(|i| find_decl(i, name))
        }
    }
}

/// Every position the particle can end at when it starts at `pos` of `names`.
fn ends(p: &Particle, names: &[&str], pos: usize) -> Vec<usize> {
    let (min, max) = match p {
        Particle::Element { min, max, .. }
        | Particle::Sequence(_, min, max)
        | Particle::Choice(_, min, max) => (*min, *max),
    };
    let once = |from: usize| -> Vec<usize> {
        match p {
            Particle::Element { name, .. } => {
                if names.get(from) == Some(&name.as_str()) {
                    vec![from + 1]
                } else {
                    vec![]
                }
            }
            Particle::Sequence(items, ..) => items.iter().fold(vec![from], |starts, item| {
                let mut next: Vec<usize> =
                    starts.iter().flat_map(|&s| ends(item, names, s)).collect();
                next.sort_unstable();
                next.dedup();
                next
            }),
            Particle::Choice(items, ..) => {
                let mut next: Vec<usize> =
                    items.iter().flat_map(|i| ends(i, names, from)).collect();
                next.sort_unstable();
                next.dedup();
                next
            }
        }
    };
    let mut result = Vec::new();
    let mut frontier = vec![pos];
    let mut count = 0usize;
    loop {
        if count >= min {
            result.extend(frontier.iter().copied());
        }
        if count == max || frontier.is_empty() {
            break;
        }
        let mut next: Vec<usize> = frontier.iter().flat_map(|&f| once(f)).collect();
        next.sort_unstable();
        next.dedup();
        // Past the minimum, an iteration that consumes nothing adds nothing new.
        if count >= min && next.iter().all(|n| frontier.contains(n)) {
            break;
        }
        frontier = next;
        count += 1;
    }
    result.sort_unstable();
    result.dedup();
    result
}

/// The vendored junit-10 schema.
pub fn junit10() -> Schema {
    Schema::load(include_str!("junit-10.xsd")).expect("the vendored junit-10.xsd loads")
}

#[test]
fn the_validator_rejects_what_the_schema_rejects() {
    let schema = junit10();
    let ok = "<testsuites><testsuite name=\"a\" tests=\"1\" failures=\"1\" errors=\"0\" time=\"0.5\"><properties><property name=\"p\" value=\"v\"/></properties><testcase name=\"t\" time=\"1\"><failure message=\"m\">text</failure><system-out>out</system-out></testcase></testsuite></testsuites>";
    assert_eq!(schema.validate(ok), Vec::<String>::new());
    for (bad, why) in [
        (
            ok.replace("<testcase name=\"t\"", "<testcase file=\"x.rs\" name=\"t\""),
            "file",
        ),
        (
            ok.replace("<testcase name=\"t\"", "<testcase line=\"3\" name=\"t\""),
            "line",
        ),
        (ok.replace(" failures=\"1\"", ""), "failures"),
        (ok.replace("time=\"0.5\"", "time=\"0.5s\""), "SUREFIRE_TIME"),
        (
            ok.replace(
                "<system-out>out</system-out>",
                "<system-out a=\"1\">out</system-out>",
            ),
            "xs:string",
        ),
        (ok.replace("<properties>", "<properties>stray"), "text"),
        (
            ok.replace("<testsuites>", "<testsuites><testcase name=\"x\"/>"),
            "content model",
        ),
        (
            ok.replace("text</failure>", "a & b</failure>"),
            "well-formed",
        ),
        (ok.replace("text", "\u{1}"), "well-formed"),
    ] {
        let problems = schema.validate(&bad);
        assert!(
            problems.iter().any(|p| p.contains(why)
                || (why == "well-formed" && p.starts_with("not well-formed"))
                || (why == "SUREFIRE_TIME" && p.contains("SUREFIRE_TIME"))),
            "{why}: {problems:?}"
        );
    }
}
