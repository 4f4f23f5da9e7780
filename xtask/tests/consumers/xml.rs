//! A small, strict XML 1.0 reader for the grader's tests: enough to check that a document is
//! well formed (one root, balanced tags, quoted and unique attributes, known entities, only
//! characters XML allows, no `<` or bare `&` in text) and to walk it.

/// An element with its attributes (entities decoded) and children.
#[derive(Debug, Clone)]
pub struct Element {
    pub name: String,
    pub attrs: Vec<(String, String)>,
    pub children: Vec<Node>,
}

/// Content of an element.
#[derive(Debug, Clone)]
pub enum Node {
    Element(Element),
    Text(String),
}

impl Element {
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    pub fn elements(&self) -> impl Iterator<Item = &Element> {
        self.children.iter().filter_map(|n| match n {
            Node::Element(e) => Some(e),
            Node::Text(_) => None,
        })
    }

    pub fn text(&self) -> String {
        self.children
            .iter()
            .filter_map(|n| match n {
                Node::Text(t) => Some(t.as_str()),
                Node::Element(_) => None,
            })
            .collect()
    }

    /// Every element below this one (depth first), this one included.
    pub fn descendants(&self) -> Vec<&Element> {
        let mut out = vec![self];
        for e in self.elements() {
            out.extend(e.descendants());
        }
        out
    }
}

/// Parses a whole document; the error says where and what.
pub fn parse(text: &str) -> Result<Element, String> {
    let mut p = Parser { s: text, i: 0 };
    if let Some(c) = text.chars().find(|&c| !is_xml_char(c)) {
        return Err(format!(
            "character U+{:04X} is not allowed in XML",
            c as u32
        ));
    }
    p.skip_prolog()?;
    let root = p.element()?;
    p.skip_misc()?;
    if p.i != text.len() {
        return Err(p.error("content after the root element"));
    }
    Ok(root)
}

/// XML 1.0's Char production.
fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r')
        || ('\u{20}'..='\u{D7FF}').contains(&c)
        || ('\u{E000}'..='\u{FFFD}').contains(&c)
        || c >= '\u{10000}'
}

struct Parser<'a> {
    s: &'a str,
    i: usize,
}

impl Parser<'_> {
    fn rest(&self) -> &str {
        &self.s[self.i..]
    }

    fn error(&self, what: &str) -> String {
        let line = self.s[..self.i].matches('\n').count() + 1;
        format!("line {line}: {what}")
    }

    fn skip_ws(&mut self) {
        let n = self.rest().len() - self.rest().trim_start().len();
        self.i += n;
    }

    fn skip_until(&mut self, end: &str) -> Result<&str, String> {
        let at = self
            .rest()
            .find(end)
            .ok_or_else(|| self.error(&format!("missing `{end}`")))?;
        let skipped = &self.s[self.i..self.i + at];
        self.i += at + end.len();
        Ok(skipped)
    }

    fn skip_prolog(&mut self) -> Result<(), String> {
        if self.rest().starts_with("<?xml") {
            self.skip_until("?>")?;
        }
        self.skip_misc()?;
        if self.rest().starts_with("<!DOCTYPE") {
            return Err(self.error("a DOCTYPE (not expected here)"));
        }
        Ok(())
    }

    fn skip_misc(&mut self) -> Result<(), String> {
        loop {
            self.skip_ws();
            if self.rest().starts_with("<!--") {
                self.comment()?;
            } else if self.rest().starts_with("<?") {
                self.skip_until("?>")?;
            } else {
                return Ok(());
            }
        }
    }

    fn comment(&mut self) -> Result<(), String> {
        self.i += 4;
        let body = self.skip_until("-->")?;
        if body.contains("--") {
            return Err(self.error("`--` inside a comment"));
        }
        Ok(())
    }

    fn name(&mut self) -> Result<String, String> {
        let rest = self.rest();
        let len = rest
            .char_indices()
            .find(|&(i, c)| {
                let ok = c.is_alphabetic()
                    || c == '_'
                    || c == ':'
                    || (i > 0 && (c.is_alphanumeric() || c == '-' || c == '.'));
                !ok
            })
            .map_or(rest.len(), |(i, _)| i);
        if len == 0 {
            return Err(self.error("a name was expected"));
        }
        let name = rest[..len].to_string();
        self.i += len;
        Ok(name)
    }

    fn element(&mut self) -> Result<Element, String> {
        if !self.rest().starts_with('<') {
            return Err(self.error("an element was expected"));
        }
        self.i += 1;
        let name = self.name()?;
        let mut attrs: Vec<(String, String)> = Vec::new();
        loop {
            let before = self.i;
            self.skip_ws();
            if self.rest().starts_with("/>") {
                self.i += 2;
                return Ok(Element {
                    name,
                    attrs,
                    children: Vec::new(),
                });
            }
            if self.rest().starts_with('>') {
                self.i += 1;
                break;
            }
            if self.i == before {
                return Err(self.error("whitespace was expected before an attribute"));
            }
            let attr = self.name()?;
            self.skip_ws();
            if !self.rest().starts_with('=') {
                return Err(self.error(&format!("attribute `{attr}` has no value")));
            }
            self.i += 1;
            self.skip_ws();
            let quote = self
                .rest()
                .chars()
                .next()
                .filter(|c| *c == '"' || *c == '\'')
                .ok_or_else(|| self.error(&format!("attribute `{attr}` is not quoted")))?;
            self.i += 1;
            let raw = self.skip_until(&quote.to_string())?.to_string();
            if raw.contains('<') {
                return Err(self.error(&format!("`<` in the value of `{attr}`")));
            }
            // Attribute-value normalization: whitespace characters become spaces.
            let value = decode(&raw)
                .map_err(|e| self.error(&e))?
                .replace(['\t', '\n', '\r'], " ");
            if attrs.iter().any(|(n, _)| *n == attr) {
                return Err(self.error(&format!("attribute `{attr}` appears twice")));
            }
            attrs.push((attr, value));
        }
        let mut children = Vec::new();
        loop {
            if self.rest().starts_with("</") {
                self.i += 2;
                let closing = self.name()?;
                if closing != name {
                    return Err(self.error(&format!("</{closing}> closes <{name}>")));
                }
                self.skip_ws();
                if !self.rest().starts_with('>') {
                    return Err(self.error("`>` expected"));
                }
                self.i += 1;
                return Ok(Element {
                    name,
                    attrs,
                    children,
                });
            } else if self.rest().starts_with("<!--") {
                self.comment()?;
            } else if self.rest().starts_with("<![CDATA[") {
                self.i += 9;
                let text = self.skip_until("]]>")?.to_string();
                children.push(Node::Text(text));
            } else if self.rest().starts_with("<?") {
                self.skip_until("?>")?;
            } else if self.rest().starts_with('<') {
                children.push(Node::Element(self.element()?));
            } else if self.rest().is_empty() {
                return Err(self.error(&format!("<{name}> is never closed")));
            } else {
                let len = self.rest().find('<').unwrap_or(self.rest().len());
                let raw = &self.s[self.i..self.i + len];
                if raw.contains("]]>") {
                    return Err(self.error("`]]>` in text"));
                }
                let text = decode(raw).map_err(|e| self.error(&e))?;
                self.i += len;
                children.push(Node::Text(text));
            }
        }
    }
}

/// Decodes entity and character references; a bare `&` is an error.
fn decode(raw: &str) -> Result<String, String> {
    let mut out = String::with_capacity(raw.len());
    let mut rest = raw;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        let end = rest[at..]
            .find(';')
            .ok_or_else(|| "a bare `&`".to_string())?;
        let entity = &rest[at + 1..at + end];
        let c = match entity {
            "amp" => '&',
            "lt" => '<',
            "gt" => '>',
            "quot" => '"',
            "apos" => '\'',
            e if e.starts_with("#x") => u32::from_str_radix(&e[2..], 16)
                .ok()
                .and_then(char::from_u32)
                .ok_or_else(|| format!("bad reference &{e};"))?,
            e if e.starts_with('#') => e[1..]
                .parse::<u32>()
                .ok()
                .and_then(char::from_u32)
                .ok_or_else(|| format!("bad reference &{e};"))?,
            e => return Err(format!("unknown entity &{e};")),
        };
        if !is_xml_char(c) {
            return Err(format!("&{entity}; is not an XML character"));
        }
        out.push(c);
        rest = &rest[at + end + 1..];
    }
    out.push_str(rest);
    Ok(out)
}
