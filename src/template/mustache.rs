//! Mustache templates: the parser (tags, set delimiters, standalone lines, section nesting) into a
//! tree with positions, variable and partial extraction from that tree, and the renderer.
//!
//! The renderer follows the mustache spec (no lambdas) with two product additions: strict mode
//! (missing names and partials are errors) and limits (partial depth, output size, steps). It runs
//! on an explicit stack instead of recursion, so no template or data can overflow the call stack;
//! the parser likewise keeps its own stack and refuses sections nested deeper than
//! [`MAX_SECTION_DEPTH`]. Partial text comes only from a [`PartialResolver`].

use std::collections::HashMap;

use serde_json::Value;

use super::value::{self, Output};
use super::{
    Escape, LineCounter, ParseError, PartialResolver, PartialUse, Pos, RenderError, RenderOptions,
    UseKind, VarUse,
};

/// How deeply sections may nest in one template's text. Real prompts nest a handful of levels;
/// the bound keeps tree walks (variables, drop) shallow whatever the input.
pub const MAX_SECTION_DEPTH: usize = 256;

/// A parsed mustache template: parse once, render many times.
#[derive(Debug, Clone)]
pub struct Template {
    /// The template text; text nodes are byte ranges into it.
    src: String,
    nodes: Vec<Node>,
}

#[derive(Debug, Clone)]
enum Node {
    /// Literal text, as a byte range of the source.
    Text(usize, usize),
    /// The start of a template line. Writes the indentation of a standalone partial tag, so that
    /// every line of the partial is indented (and nothing when the template is not such a partial).
    Indent,
    Var {
        name: Name,
        /// `{{{x}}}` or `{{&x}}`: never escaped.
        raw: bool,
        pos: Pos,
    },
    Section {
        name: Name,
        inverted: bool,
        pos: Pos,
        children: Vec<Node>,
    },
    Partial {
        name: String,
        /// The whitespace before a standalone partial tag; empty for an inline one.
        indent: String,
        pos: Pos,
    },
}

#[derive(Debug, Clone)]
struct Name {
    /// As written, without padding: `a.b` or `.`.
    text: String,
    /// The dotted parts; empty for the implicit iterator `.`.
    parts: Vec<String>,
}

impl Template {
    /// Parses mustache text. Errors carry the position of the offending tag.
    pub fn parse(src: &str) -> Result<Template, ParseError> {
        let mut tokens = tokenize(src)?;
        mark_standalone(src, &mut tokens);
        let nodes = build_tree(src, &tokens)?;
        Ok(Template {
            src: src.to_string(),
            nodes,
        })
    }

    /// The template text this was parsed from.
    pub fn source(&self) -> &str {
        &self.src
    }

    /// Every variable use (interpolations and section names), in source order.
    pub fn variables(&self) -> Vec<VarUse> {
        let mut out = Vec::new();
        collect_vars(&self.nodes, &mut Vec::new(), &mut out);
        out
    }

    /// Every partial tag, in source order.
    pub fn partials(&self) -> Vec<PartialUse> {
        let mut out = Vec::new();
        collect_partials(&self.nodes, &mut out);
        out
    }

    /// Renders against `ctx`, resolving and parsing each reachable partial once for this call.
    pub fn render(
        &self,
        ctx: &Value,
        resolver: &dyn PartialResolver,
        opts: &RenderOptions,
    ) -> Result<String, RenderError> {
        self.render_prepared(ctx, &Partials::load(self, resolver), opts)
    }

    /// Renders against `ctx` with partials loaded beforehand by [`Partials::load`]; a partial not
    /// among them counts as missing.
    pub fn render_prepared(
        &self,
        ctx: &Value,
        partials: &Partials,
        opts: &RenderOptions,
    ) -> Result<String, RenderError> {
        Renderer {
            out: Output::new(self.src.len(), opts.max_output_bytes),
            opts,
            partials,
            stack: vec![ctx],
            indents: vec![String::new()],
            steps: 0,
        }
        .run(self)
    }
}

// ---------------------------------------------------------------------------------------------
// Parsing

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TagKind {
    Var { raw: bool },
    Section,
    Inverted,
    Close,
    Partial,
    Comment,
    Delimiters,
}

#[derive(Debug)]
enum Token<'s> {
    /// `start..end` is the text; `keep` is what is left of it once standalone lines are removed.
    Text {
        start: usize,
        end: usize,
        keep: (usize, usize),
    },
    Tag(Tag<'s>),
}

#[derive(Debug)]
struct Tag<'s> {
    kind: TagKind,
    /// The tag's content without sigil and padding (the name, for named tags).
    name: &'s str,
    /// Byte range of the whole tag, delimiters included.
    start: usize,
    end: usize,
    pos: Pos,
    /// Alone on its line (apart from whitespace), so the whole line is removed.
    standalone: bool,
    /// For a standalone tag, where its line starts (the indentation is `line_start..start`).
    line_start: usize,
}

/// Splits the text into literal text and tags, following set-delimiter tags as they come.
fn tokenize(src: &str) -> Result<Vec<Token<'_>>, ParseError> {
    let mut open = "{{".to_string();
    let mut close = "}}".to_string();
    let mut lines = LineCounter::new(src);
    let mut tokens = Vec::new();
    let mut at = 0;
    while at < src.len() {
        let Some(found) = src[at..].find(open.as_str()) else {
            tokens.push(text_token(at, src.len()));
            break;
        };
        let start = at + found;
        if start > at {
            tokens.push(text_token(at, start));
        }
        let pos = lines.pos_at(start);
        let mut body = start + open.len();
        let sigil = src[body..].bytes().next();
        let kind = match sigil {
            Some(b'{' | b'&') => TagKind::Var { raw: true },
            Some(b'#') => TagKind::Section,
            Some(b'^') => TagKind::Inverted,
            Some(b'/') => TagKind::Close,
            Some(b'>') => TagKind::Partial,
            Some(b'!') => TagKind::Comment,
            Some(b'=') => TagKind::Delimiters,
            _ => TagKind::Var { raw: false },
        };
        if kind != (TagKind::Var { raw: false }) {
            body += 1;
        }
        // Triple mustache and set-delimiter tags repeat their sigil before the closing delimiter.
        let closing = match sigil {
            Some(b'{') => format!("}}{close}"),
            Some(b'=') => format!("={close}"),
            _ => close.clone(),
        };
        let Some(len) = src[body..].find(closing.as_str()) else {
            let opening = &src[start..body];
            return Err(ParseError::new(
                pos,
                format!("unclosed tag: `{opening}` has no matching `{closing}`"),
            ));
        };
        let content = &src[body..body + len];
        let end = body + len + closing.len();
        let tag_text = &src[start..end];
        let name = content.trim();
        match kind {
            TagKind::Comment => {}
            TagKind::Delimiters => {
                let (o, c) = parse_delimiters(name).ok_or_else(|| {
                    ParseError::new(
                        pos,
                        format!(
                            "invalid set-delimiter tag `{tag_text}`: write two delimiters \
                             separated by a space, without `=` or spaces in them, as in \
                             `{{{{=<% %>=}}}}`"
                        ),
                    )
                })?;
                open = o.to_string();
                close = c.to_string();
            }
            TagKind::Partial => check_partial_name(name, tag_text, pos)?,
            TagKind::Var { .. } | TagKind::Section | TagKind::Inverted | TagKind::Close => {
                check_name(name, tag_text, pos)?
            }
        }
        tokens.push(Token::Tag(Tag {
            kind,
            name,
            start,
            end,
            pos,
            standalone: false,
            line_start: start,
        }));
        at = end;
    }
    Ok(tokens)
}

fn text_token(start: usize, end: usize) -> Token<'static> {
    Token::Text {
        start,
        end,
        keep: (start, end),
    }
}

/// The two delimiters of a set-delimiter tag's content (`<% %>`); the spec forbids whitespace and
/// `=` inside them.
fn parse_delimiters(content: &str) -> Option<(&str, &str)> {
    let mut parts = content.split_whitespace();
    let (open, close) = (parts.next()?, parts.next()?);
    let valid = parts.next().is_none() && !open.contains('=') && !close.contains('=');
    valid.then_some((open, close))
}

fn check_name(name: &str, tag: &str, pos: Pos) -> Result<(), ParseError> {
    if name.is_empty() {
        return Err(ParseError::new(pos, format!("empty tag name in `{tag}`")));
    }
    if name.contains(char::is_whitespace) {
        return Err(ParseError::new(
            pos,
            format!("bad name `{name}` in `{tag}`: a name cannot contain spaces"),
        ));
    }
    if name != "." && name.split('.').any(str::is_empty) {
        return Err(ParseError::new(
            pos,
            format!("bad name `{name}` in `{tag}`: a dotted name cannot have an empty part"),
        ));
    }
    Ok(())
}

fn check_partial_name(name: &str, tag: &str, pos: Pos) -> Result<(), ParseError> {
    if name.is_empty() {
        return Err(ParseError::new(
            pos,
            format!("empty partial name in `{tag}`"),
        ));
    }
    if name.contains(char::is_whitespace) {
        return Err(ParseError::new(
            pos,
            format!("bad partial name `{name}` in `{tag}`: a name cannot contain spaces"),
        ));
    }
    Ok(())
}

fn is_blank(s: &str) -> bool {
    s.bytes().all(|b| b == b' ' || b == b'\t')
}

/// Finds the tags that stand alone on their line (sections, inverted sections, closes, partials,
/// comments, set-delimiter tags; never interpolations) and removes the rest of their line from
/// the neighbouring text: the indentation before, the line ending after.
fn mark_standalone(src: &str, tokens: &mut [Token<'_>]) {
    for i in 0..tokens.len() {
        let Token::Tag(tag) = &tokens[i] else {
            continue;
        };
        if matches!(tag.kind, TagKind::Var { .. }) {
            continue;
        }
        // Decisions use the original text ranges, so trimming one tag's line cannot change the
        // verdict for the next tag.
        let line_start = match i.checked_sub(1).map(|j| &tokens[j]) {
            None => Some(tag.start),
            Some(Token::Tag(_)) => None,
            Some(Token::Text { start, end, .. }) => {
                let text = &src[*start..*end];
                match text.rfind('\n') {
                    Some(nl) => is_blank(&text[nl + 1..]).then_some(start + nl + 1),
                    None => (i == 1 && is_blank(text)).then_some(*start),
                }
            }
        };
        let line_end = match tokens.get(i + 1) {
            None => Some(tag.end),
            Some(Token::Tag(_)) => None,
            Some(Token::Text { start, end, .. }) => {
                let text = &src[*start..*end];
                let blank = text.len() - text.trim_start_matches([' ', '\t']).len();
                let rest = &text[blank..];
                if rest.starts_with('\n') {
                    Some(start + blank + 1)
                } else if rest.starts_with("\r\n") {
                    Some(start + blank + 2)
                } else if rest.is_empty() && i + 2 == tokens.len() {
                    Some(*end)
                } else {
                    None
                }
            }
        };
        let (Some(line_start), Some(line_end)) = (line_start, line_end) else {
            continue;
        };
        if let Token::Tag(tag) = &mut tokens[i] {
            tag.standalone = true;
            tag.line_start = line_start;
        }
        if let Some(Token::Text { keep, .. }) = i.checked_sub(1).map(|j| &mut tokens[j]) {
            keep.1 = line_start;
        }
        if let Some(Token::Text { keep, .. }) = tokens.get_mut(i + 1) {
            keep.0 = line_end;
        }
    }
}

struct OpenSection<'s> {
    name: Name,
    inverted: bool,
    pos: Pos,
    tag: &'s str,
    /// The children of the enclosing level, set aside while this section's are collected.
    outer: Vec<Node>,
}

fn build_tree(src: &str, tokens: &[Token<'_>]) -> Result<Vec<Node>, ParseError> {
    let at_line_start = |offset: usize| offset == 0 || src.as_bytes()[offset - 1] == b'\n';
    let mut open: Vec<OpenSection<'_>> = Vec::new();
    let mut nodes = Vec::new();
    for token in tokens {
        let tag = match token {
            Token::Text {
                keep: (start, end), ..
            } => {
                let (start, end) = (*start, *end);
                if start >= end {
                    continue;
                }
                // Split at line starts, so that each line of an indented partial gets its indent.
                let mut piece = start;
                if at_line_start(start) {
                    nodes.push(Node::Indent);
                }
                for (i, b) in src[start..end].bytes().enumerate() {
                    let next = start + i + 1;
                    if b == b'\n' && next < end {
                        nodes.push(Node::Text(piece, next));
                        nodes.push(Node::Indent);
                        piece = next;
                    }
                }
                nodes.push(Node::Text(piece, end));
                continue;
            }
            Token::Tag(tag) => tag,
        };
        if !tag.standalone && at_line_start(tag.start) {
            nodes.push(Node::Indent);
        }
        let tag_text = &src[tag.start..tag.end];
        match tag.kind {
            TagKind::Comment | TagKind::Delimiters => {}
            TagKind::Var { raw } => nodes.push(Node::Var {
                name: Name::new(tag.name),
                raw,
                pos: tag.pos,
            }),
            TagKind::Partial => nodes.push(Node::Partial {
                name: tag.name.to_string(),
                indent: if tag.standalone {
                    src[tag.line_start..tag.start].to_string()
                } else {
                    String::new()
                },
                pos: tag.pos,
            }),
            TagKind::Section | TagKind::Inverted => {
                if open.len() >= MAX_SECTION_DEPTH {
                    return Err(ParseError::new(
                        tag.pos,
                        format!("sections are nested more than {MAX_SECTION_DEPTH} levels deep"),
                    ));
                }
                open.push(OpenSection {
                    name: Name::new(tag.name),
                    inverted: tag.kind == TagKind::Inverted,
                    pos: tag.pos,
                    tag: tag_text,
                    outer: std::mem::take(&mut nodes),
                });
            }
            TagKind::Close => {
                let Some(section) = open.pop() else {
                    return Err(ParseError::new(
                        tag.pos,
                        format!("closing tag `{tag_text}` has no open section to close"),
                    ));
                };
                if section.name.text != tag.name {
                    return Err(ParseError::new(
                        tag.pos,
                        format!(
                            "closing tag `{tag_text}` does not match the open section `{}` \
                             (opened at {})",
                            section.tag, section.pos
                        ),
                    ));
                }
                let children = std::mem::replace(&mut nodes, section.outer);
                nodes.push(Node::Section {
                    name: section.name,
                    inverted: section.inverted,
                    pos: section.pos,
                    children,
                });
            }
        }
    }
    if let Some(section) = open.pop() {
        return Err(ParseError::new(
            section.pos,
            format!(
                "unclosed section `{}`: no closing tag `/{}` follows",
                section.tag, section.name.text
            ),
        ));
    }
    Ok(nodes)
}

impl Name {
    fn new(text: &str) -> Name {
        let parts = if text == "." {
            Vec::new()
        } else {
            text.split('.').map(str::to_string).collect()
        };
        Name {
            text: text.to_string(),
            parts,
        }
    }
}

fn collect_vars(nodes: &[Node], sections: &mut Vec<String>, out: &mut Vec<VarUse>) {
    for node in nodes {
        match node {
            Node::Var { name, pos, .. } => out.push(VarUse {
                path: name.parts.clone(),
                pos: *pos,
                kind: UseKind::Interpolation,
                sections: sections.clone(),
            }),
            Node::Section {
                name,
                inverted,
                pos,
                children,
            } => {
                out.push(VarUse {
                    path: name.parts.clone(),
                    pos: *pos,
                    kind: if *inverted {
                        UseKind::InvertedSection
                    } else {
                        UseKind::Section
                    },
                    sections: sections.clone(),
                });
                if *inverted {
                    collect_vars(children, sections, out);
                } else {
                    sections.push(name.text.clone());
                    collect_vars(children, sections, out);
                    sections.pop();
                }
            }
            Node::Text(..) | Node::Indent | Node::Partial { .. } => {}
        }
    }
}

fn collect_partials(nodes: &[Node], out: &mut Vec<PartialUse>) {
    for node in nodes {
        match node {
            Node::Partial { name, pos, .. } => out.push(PartialUse {
                name: name.clone(),
                pos: *pos,
            }),
            Node::Section { children, .. } => collect_partials(children, out),
            Node::Text(..) | Node::Indent | Node::Var { .. } => {}
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Partials

/// The partials a template can reach, resolved and parsed once. Build it with [`Partials::load`]
/// and reuse it for many renders of the same template.
#[derive(Debug, Clone, Default)]
pub struct Partials {
    loaded: HashMap<String, Loaded>,
}

#[derive(Debug, Clone)]
enum Loaded {
    Parsed(Template),
    Missing,
    Invalid(ParseError),
}

impl Partials {
    /// Resolves every partial `template` can reach, directly or through other partials, each name
    /// once. Missing or unparsable partials are remembered, not reported: whether they matter
    /// depends on whether a render reaches them (and on strict mode).
    pub fn load(template: &Template, resolver: &dyn PartialResolver) -> Partials {
        let mut loaded = HashMap::new();
        let mut queue: Vec<String> = template.partials().into_iter().map(|p| p.name).collect();
        while let Some(name) = queue.pop() {
            if loaded.contains_key(&name) {
                continue;
            }
            let entry = match resolver.resolve(&name) {
                None => Loaded::Missing,
                Some(text) => match Template::parse(&text) {
                    Ok(t) => {
                        queue.extend(t.partials().into_iter().map(|p| p.name));
                        Loaded::Parsed(t)
                    }
                    Err(e) => Loaded::Invalid(e),
                },
            };
            loaded.insert(name, entry);
        }
        Partials { loaded }
    }

    /// The parsed partial of this name, if it was found and parses.
    pub fn get(&self, name: &str) -> Option<&Template> {
        match self.loaded.get(name) {
            Some(Loaded::Parsed(t)) => Some(t),
            _ => None,
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Rendering

struct Renderer<'a> {
    out: Output,
    opts: &'a RenderOptions,
    partials: &'a Partials,
    /// The context stack, innermost last; values are borrowed, never cloned.
    stack: Vec<&'a Value>,
    /// Indentation of the standalone partials being rendered; index 0 is "no indentation".
    indents: Vec<String>,
    steps: usize,
}

/// What to undo when a frame is finished.
#[derive(Clone, Copy)]
enum Exit {
    Nothing,
    PopContext,
    LeavePartial { pop_indent: bool },
}

/// One level of the explicit render stack, standing in for a recursive call.
enum Frame<'a> {
    /// Rendering a list of nodes of the template (or partial) whose text is `src`.
    Nodes {
        src: &'a str,
        nodes: &'a [Node],
        next: usize,
        indent: usize,
        exit: Exit,
    },
    /// Rendering a section's children once per list item.
    Items {
        src: &'a str,
        children: &'a [Node],
        items: &'a [Value],
        next: usize,
        indent: usize,
    },
}

impl<'a> Renderer<'a> {
    fn run(mut self, template: &'a Template) -> Result<String, RenderError> {
        let mut partial_depth = 0;
        let mut frames = vec![Frame::Nodes {
            src: &template.src,
            nodes: &template.nodes,
            next: 0,
            indent: 0,
            exit: Exit::Nothing,
        }];
        while let Some(frame) = frames.last_mut() {
            self.steps += 1;
            if self.steps > self.opts.max_steps {
                return Err(RenderError::TooManySteps {
                    limit: self.opts.max_steps,
                });
            }
            let (src, node, indent) = match frame {
                Frame::Items {
                    src,
                    children,
                    items,
                    next,
                    indent,
                } => {
                    let (src, children, items, indent) = (*src, *children, *items, *indent);
                    match items.get(*next) {
                        Some(item) => {
                            *next += 1;
                            self.stack.push(item);
                            frames.push(Frame::Nodes {
                                src,
                                nodes: children,
                                next: 0,
                                indent,
                                exit: Exit::PopContext,
                            });
                        }
                        None => {
                            frames.pop();
                        }
                    }
                    continue;
                }
                Frame::Nodes {
                    src,
                    nodes,
                    next,
                    indent,
                    exit,
                } => {
                    let nodes: &'a [Node] = nodes;
                    match nodes.get(*next) {
                        Some(node) => {
                            *next += 1;
                            (*src, node, *indent)
                        }
                        None => {
                            match *exit {
                                Exit::Nothing => {}
                                Exit::PopContext => {
                                    self.stack.pop();
                                }
                                Exit::LeavePartial { pop_indent } => {
                                    partial_depth -= 1;
                                    if pop_indent {
                                        self.indents.pop();
                                    }
                                }
                            }
                            frames.pop();
                            continue;
                        }
                    }
                }
            };
            match node {
                Node::Text(start, end) => self.out.push(&src[*start..*end])?,
                Node::Indent => {
                    if indent != 0 {
                        self.out.push(&self.indents[indent])?;
                    }
                }
                Node::Var { name, raw, pos } => match lookup(&self.stack, name) {
                    Some(v) => {
                        let escape = !*raw && self.opts.escape == Escape::Html;
                        self.write_value(v, escape)?;
                    }
                    None => self.missing(name, *pos)?,
                },
                Node::Section {
                    name,
                    inverted,
                    pos,
                    children,
                } => {
                    let found = lookup(&self.stack, name);
                    if found.is_none() {
                        self.missing(name, *pos)?;
                    }
                    let shown = found.filter(|v| value::truthy(v));
                    match (shown, *inverted) {
                        (None, true) => frames.push(Frame::Nodes {
                            src,
                            nodes: children,
                            next: 0,
                            indent,
                            exit: Exit::Nothing,
                        }),
                        (Some(Value::Array(items)), false) => frames.push(Frame::Items {
                            src,
                            children,
                            items,
                            next: 0,
                            indent,
                        }),
                        (Some(v), false) => {
                            self.stack.push(v);
                            frames.push(Frame::Nodes {
                                src,
                                nodes: children,
                                next: 0,
                                indent,
                                exit: Exit::PopContext,
                            });
                        }
                        (None, false) | (Some(_), true) => {}
                    }
                }
                Node::Partial {
                    name,
                    indent: own,
                    pos,
                } => {
                    let partial = match self.partials.loaded.get(name.as_str()) {
                        Some(Loaded::Parsed(t)) => t,
                        Some(Loaded::Invalid(error)) => {
                            return Err(RenderError::PartialSyntax {
                                name: name.clone(),
                                error: error.clone(),
                            })
                        }
                        Some(Loaded::Missing) | None => {
                            if self.opts.strict {
                                return Err(RenderError::MissingPartial {
                                    name: name.clone(),
                                    pos: *pos,
                                });
                            }
                            continue;
                        }
                    };
                    if partial_depth >= self.opts.max_partial_depth {
                        return Err(RenderError::PartialDepth {
                            name: name.clone(),
                            limit: self.opts.max_partial_depth,
                        });
                    }
                    partial_depth += 1;
                    let (indent, pop_indent) = if own.is_empty() {
                        (indent, false)
                    } else {
                        let combined = format!("{}{own}", self.indents[indent]);
                        self.indents.push(combined);
                        (self.indents.len() - 1, true)
                    };
                    frames.push(Frame::Nodes {
                        src: &partial.src,
                        nodes: &partial.nodes,
                        next: 0,
                        indent,
                        exit: Exit::LeavePartial { pop_indent },
                    });
                }
            }
        }
        Ok(self.out.finish())
    }

    fn write_value(&mut self, v: &Value, escape: bool) -> Result<(), RenderError> {
        let text = value::text(v);
        if escape {
            self.out.push_html(&text)
        } else {
            self.out.push(&text)
        }
    }

    fn missing(&self, name: &Name, pos: Pos) -> Result<(), RenderError> {
        if self.opts.strict {
            return Err(RenderError::MissingVariable {
                name: name.text.clone(),
                pos,
            });
        }
        Ok(())
    }
}

/// Resolves a name per the spec: the first part is searched from the innermost context frame
/// outwards; the other parts only within what the first found (so `a.b` never falls back to an
/// outer `b`). A part that is a number also indexes a list (`items.0.name`), an extension the spec
/// leaves open.
fn lookup<'v>(stack: &[&'v Value], name: &Name) -> Option<&'v Value> {
    let Some((first, rest)) = name.parts.split_first() else {
        return stack.last().copied();
    };
    let mut found = stack
        .iter()
        .rev()
        .find_map(|frame| frame.as_object()?.get(first.as_str()))?;
    for part in rest {
        found = match found {
            Value::Object(map) => map.get(part.as_str())?,
            Value::Array(items) => items.get(part.parse::<usize>().ok()?)?,
            _ => return None,
        };
    }
    Some(found)
}

#[cfg(test)]
mod spec_tests {
    use super::*;
    use std::collections::HashMap;
    use std::path::Path;

    /// Runs every test of the official mustache spec files (HTML escaping on, lenient), the
    /// conformance the product promises for `--lenient` with `escape: html`.
    #[test]
    fn official_mustache_spec() {
        let dir = Path::new(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../shared/mustache-spec"
        ));
        if !dir.is_dir() {
            println!("skipping mustache spec tests: {} not found", dir.display());
            return;
        }
        let opts = RenderOptions {
            escape: Escape::Html,
            strict: false,
            ..Default::default()
        };
        let mut files: Vec<_> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "json"))
            .collect();
        files.sort();
        let (mut passed, mut failures) = (0, Vec::new());
        for file in &files {
            let doc: Value = serde_json::from_str(&std::fs::read_to_string(file).unwrap()).unwrap();
            for test in doc["tests"].as_array().unwrap() {
                let name = format!(
                    "{}: {}",
                    file.file_name().unwrap().to_string_lossy(),
                    test["name"].as_str().unwrap()
                );
                let partials: HashMap<String, String> = test
                    .get("partials")
                    .and_then(Value::as_object)
                    .map(|m| {
                        m.iter()
                            .map(|(k, v)| (k.clone(), v.as_str().unwrap().to_string()))
                            .collect()
                    })
                    .unwrap_or_default();
                let expected = test["expected"].as_str().unwrap();
                let got = Template::parse(test["template"].as_str().unwrap())
                    .map_err(|e| e.to_string())
                    .and_then(|t| {
                        t.render(&test["data"], &partials, &opts)
                            .map_err(|e| e.to_string())
                    });
                match got {
                    Ok(text) if text == expected => passed += 1,
                    other => failures.push(format!(
                        "{name}\n  expected: {expected:?}\n  got:      {other:?}"
                    )),
                }
            }
        }
        println!("mustache spec: {passed} passed, {} failed", failures.len());
        assert!(failures.is_empty(), "{}", failures.join("\n"));
        assert!(passed > 0, "no spec tests found in {}", dir.display());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::template::NoPartials;
    use serde_json::json;
    use std::collections::HashMap;

    fn strict() -> RenderOptions {
        RenderOptions::default()
    }

    fn lenient() -> RenderOptions {
        RenderOptions {
            strict: false,
            ..Default::default()
        }
    }

    fn render(src: &str, ctx: Value) -> Result<String, RenderError> {
        Template::parse(src)
            .unwrap()
            .render(&ctx, &NoPartials, &strict())
    }

    fn render_with(
        src: &str,
        ctx: Value,
        partials: &[(&str, &str)],
        opts: &RenderOptions,
    ) -> Result<String, RenderError> {
        let map: HashMap<String, String> = partials
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Template::parse(src).unwrap().render(&ctx, &map, opts)
    }

    fn parse_err(src: &str) -> ParseError {
        Template::parse(src).expect_err(src)
    }

    fn missing(name: &str, line: usize, col: usize) -> RenderError {
        RenderError::MissingVariable {
            name: name.into(),
            pos: Pos::new(line, col),
        }
    }

    #[test]
    fn strict_missing_variable_names_it_with_position() {
        let err = render("Hello\n  {{ ticket }}!", json!({})).unwrap_err();
        assert_eq!(err, missing("ticket", 2, 3));
        assert_eq!(
            err.to_string(),
            "missing variable `ticket` (used at line 2, column 3)"
        );
        assert_eq!(
            render("é{{#items}}{{/items}}", json!({})),
            Err(missing("items", 1, 2))
        );
        assert_eq!(
            render("{{^off}}x{{/off}}", json!({})),
            Err(missing("off", 1, 1))
        );
        // A broken dotted chain is missing too, named in full.
        assert_eq!(
            render("{{a.b.c}}", json!({"a": {"b": {}}})),
            Err(missing("a.b.c", 1, 1))
        );
        assert_eq!(
            render("{{a.b}}", json!({"a": 1})),
            Err(missing("a.b", 1, 1))
        );
        // Lenient: the spec's empty text.
        let t = Template::parse("[{{x}}{{#y}}Y{{/y}}{{^z}}Z{{/z}}{{a.b}}]").unwrap();
        assert_eq!(
            t.render(&json!({"a": 1}), &NoPartials, &lenient()).unwrap(),
            "[Z]"
        );
    }

    #[test]
    fn strict_checks_only_what_is_rendered() {
        let ctx = json!({"show": false, "list": []});
        assert_eq!(
            render("{{#show}}{{nope}}{{>nope}}{{/show}}", ctx.clone()).unwrap(),
            ""
        );
        assert_eq!(render("{{#list}}{{nope}}{{/list}}", ctx).unwrap(), "");
    }

    #[test]
    fn present_null_is_not_missing() {
        let ctx = json!({"x": null});
        assert_eq!(render("[{{x}}][{{{x}}}]", ctx.clone()).unwrap(), "[][]");
        assert_eq!(render("{{#x}}yes{{/x}}{{^x}}no{{/x}}", ctx).unwrap(), "no");
    }

    #[test]
    fn names_resolve_up_the_context_stack() {
        let ctx = json!({"name": "outer", "a": {"b": {"c": "deep"}}, "list": [{"name": "in"}, {}]});
        assert_eq!(
            render(
                "{{#list}}{{name}},{{/list}} {{#a}}{{b.c}}{{/a}}",
                ctx.clone()
            )
            .unwrap(),
            "in,outer, deep"
        );
        assert_eq!(render("{{#a.b}}{{c}}{{/a.b}}", ctx).unwrap(), "deep");
        // A numeric part indexes a list.
        let ctx = json!({"items": [{"id": 7}, {"id": 8}]});
        assert_eq!(render("{{items.1.id}}", ctx.clone()).unwrap(), "8");
        assert_eq!(
            render("{{items.2.id}}", ctx),
            Err(missing("items.2.id", 1, 1))
        );
    }

    #[test]
    fn sections_follow_truthiness() {
        let src = "{{#v}}T{{/v}}{{^v}}F{{/v}}";
        let cases = [
            (json!(true), "T"),
            (json!(false), "F"),
            (json!(0), "F"),
            (json!(0.0), "F"),
            (json!(2), "T"),
            (json!(""), "F"),
            (json!("s"), "T"),
            (json!([]), "F"),
            (json!({}), "T"),
        ];
        for (v, want) in cases {
            assert_eq!(render(src, json!({ "v": v })).unwrap(), want, "{v}");
        }
        assert_eq!(
            render("{{#v}}({{.}}){{/v}}", json!({"v": [1, "a", null]})).unwrap(),
            "(1)(a)()"
        );
        assert_eq!(
            render("{{#v}}{{.}}{{/v}}", json!({"v": "str"})).unwrap(),
            "str"
        );
    }

    #[test]
    fn values_are_written_as_json_text() {
        let ctx = json!({
            "list": [1, "two", {"k": null}],
            "map": {"a": [true]},
            "t": true, "f": false, "i": -3, "big": u64::MAX, "x": 1.21, "one": 1.0
        });
        let out = render(
            "{{list}}|{{map}}|{{t}} {{f}} {{i}} {{big}} {{x}} {{one}}",
            ctx,
        )
        .unwrap();
        assert_eq!(
            out,
            r#"[1,"two",{"k":null}]|{"a":[true]}|true false -3 18446744073709551615 1.21 1.0"#
        );
        // With escaping on, compact JSON is escaped like any other text.
        let t = Template::parse("{{v}} {{{v}}}").unwrap();
        let html = RenderOptions {
            escape: Escape::Html,
            ..Default::default()
        };
        let out = t
            .render(&json!({"v": ["<a>"]}), &NoPartials, &html)
            .unwrap();
        assert_eq!(out, r#"[&quot;&lt;a&gt;&quot;] ["<a>"]"#);
    }

    #[test]
    fn escape_none_by_default_and_html_on_request() {
        let ctx = json!({"v": "<b> & \"q\" 'a'"});
        let src = "{{v}}|{{{v}}}|{{&v}}";
        assert_eq!(
            render(src, ctx.clone()).unwrap(),
            "<b> & \"q\" 'a'|".repeat(3).trim_end_matches('|')
        );
        let html = RenderOptions {
            escape: Escape::Html,
            ..Default::default()
        };
        let out = Template::parse(src)
            .unwrap()
            .render(&ctx, &NoPartials, &html)
            .unwrap();
        assert_eq!(
            out,
            "&lt;b&gt; &amp; &quot;q&quot; &#39;a&#39;|<b> & \"q\" 'a'|<b> & \"q\" 'a'"
        );
    }

    #[test]
    fn values_are_never_rendered_again() {
        let ctx = json!({"x": "{{y}} {{#y}}s{{/y}} {{>p}} {{=<% %>=}}", "y": "Y"});
        let out = render_with("{{x}}|{{{x}}}", ctx, &[("p", "P")], &strict()).unwrap();
        assert_eq!(
            out,
            "{{y}} {{#y}}s{{/y}} {{>p}} {{=<% %>=}}|{{y}} {{#y}}s{{/y}} {{>p}} {{=<% %>=}}"
        );
    }

    #[test]
    fn missing_partial_strict_and_lenient() {
        let err = render_with("ab\n {{> shared/header }}", json!({}), &[], &strict()).unwrap_err();
        assert_eq!(
            err,
            RenderError::MissingPartial {
                name: "shared/header".into(),
                pos: Pos::new(2, 2)
            }
        );
        assert_eq!(
            err.to_string(),
            "missing partial `shared/header` (included at line 2, column 2)"
        );
        assert_eq!(
            render_with("[{{>p}}]", json!({}), &[], &lenient()).unwrap(),
            "[]"
        );
    }

    #[test]
    fn partial_syntax_error_is_positioned_in_the_partial() {
        let err = render_with("{{>p}}", json!({}), &[("p", "ok\n  {{#a}}")], &strict());
        let Err(RenderError::PartialSyntax { name, error }) = err else {
            panic!("{err:?}");
        };
        assert_eq!(name, "p");
        assert_eq!(error.pos, Pos::new(2, 3));
        // An unreachable broken partial does not fail the render.
        let ok = render_with(
            "{{#no}}{{>p}}{{/no}}",
            json!({"no": false}),
            &[("p", "{{")],
            &strict(),
        );
        assert_eq!(ok.unwrap(), "");
    }

    #[test]
    fn recursive_partial_stops_at_the_depth_limit() {
        let err = render_with("{{>p}}", json!({}), &[("p", "x{{>p}}")], &strict()).unwrap_err();
        assert_eq!(
            err,
            RenderError::PartialDepth {
                name: "p".into(),
                limit: 32
            }
        );
        // Mutual recursion, too.
        let parts = [("a", "{{>b}}"), ("b", "{{>a}}")];
        let err = render_with("{{>a}}", json!({}), &parts, &strict()).unwrap_err();
        assert!(
            matches!(err, RenderError::PartialDepth { limit: 32, .. }),
            "{err:?}"
        );
        // With no practical depth limit, the explicit render stack still cannot overflow the call
        // stack; the output limit ends it instead.
        let opts = RenderOptions {
            max_partial_depth: usize::MAX,
            max_output_bytes: 200_000,
            ..Default::default()
        };
        let err = render_with("{{>p}}", json!({}), &[("p", "x\n {{>p}}")], &opts).unwrap_err();
        assert_eq!(err, RenderError::OutputTooLarge { limit: 200_000 });
    }

    #[test]
    fn recursive_partial_with_data_that_ends_it() {
        let tree = json!({"name": "root", "kids": [
            {"name": "a", "kids": [{"name": "a1", "kids": []}]},
            {"name": "b", "kids": []}
        ]});
        let node = "{{name}}\n{{#kids}}\n  {{>node}}\n{{/kids}}\n";
        let out = render_with("{{>node}}", tree, &[("node", node)], &strict()).unwrap();
        assert_eq!(out, "root\n  a\n    a1\n  b\n");
    }

    #[test]
    fn standalone_partial_indents_every_line_of_nested_partials() {
        let parts = [
            ("outer", "<\n  {{>inner}}\n>\n"),
            ("inner", "i1\n{{v}}\ni2\n"),
        ];
        let out = render_with(
            "top\n  {{>outer}}\nend",
            json!({"v": "x\ny"}),
            &parts,
            &strict(),
        );
        assert_eq!(out.unwrap(), "top\n  <\n    i1\n    x\ny\n    i2\n  >\nend");
    }

    #[test]
    fn partials_start_with_default_delimiters() {
        let out = render_with(
            "{{=<% %>=}}<%>p%>|<%v%>",
            json!({"v": 1}),
            &[("p", "{{v}}")],
            &strict(),
        );
        assert_eq!(out.unwrap(), "1|1");
    }

    #[test]
    fn prepared_partials_are_reused() {
        let t = Template::parse("{{#items}}{{>row}}{{/items}}").unwrap();
        let map: HashMap<String, String> = [("row".to_string(), "[{{.}}]".to_string())]
            .into_iter()
            .collect();
        let partials = Partials::load(&t, &map);
        assert!(partials.get("row").is_some() && partials.get("nope").is_none());
        for n in 0..100 {
            let out = t.render_prepared(&json!({"items": [n, n + 1]}), &partials, &strict());
            assert_eq!(out.unwrap(), format!("[{n}][{}]", n + 1));
        }
        // Partials loaded for nothing count as missing.
        let none = Partials::default();
        assert!(matches!(
            t.render_prepared(&json!({"items": [1]}), &none, &strict()),
            Err(RenderError::MissingPartial { .. })
        ));
    }

    #[test]
    fn output_is_capped_while_writing() {
        let opts = RenderOptions {
            max_output_bytes: 1000,
            ..Default::default()
        };
        let big: Vec<u32> = (0..1000).collect();
        let src = "{{#l}}{{#l}}{{#l}}{{#l}}{{.}}{{/l}}{{/l}}{{/l}}{{/l}}";
        let err = render_with(src, json!({ "l": big }), &[], &opts).unwrap_err();
        assert_eq!(err, RenderError::OutputTooLarge { limit: 1000 });
        assert!(err.to_string().contains("1000 bytes"));
        let exact = render_with("{{x}}", json!({"x": "a".repeat(1000)}), &[], &opts);
        assert_eq!(exact.unwrap().len(), 1000);
        let over = render_with("{{x}}!", json!({"x": "a".repeat(1000)}), &[], &opts);
        assert_eq!(over, Err(RenderError::OutputTooLarge { limit: 1000 }));
    }

    #[test]
    fn silent_loops_stop_at_the_step_limit() {
        let opts = RenderOptions {
            max_steps: 100_000,
            ..Default::default()
        };
        let big: Vec<u32> = (0..1000).collect();
        let src = "{{#l}}{{#l}}{{#l}}{{/l}}{{/l}}{{/l}}";
        let err = render_with(src, json!({ "l": big }), &[], &opts).unwrap_err();
        assert_eq!(err, RenderError::TooManySteps { limit: 100_000 });
    }

    #[test]
    fn section_nesting_is_bounded_at_parse_time() {
        let nested = |n: usize| "{{#a}}".repeat(n) + &"{{/a}}".repeat(n);
        let ok = Template::parse(&nested(MAX_SECTION_DEPTH)).unwrap();
        assert_eq!(
            ok.render(&json!({"a": true}), &NoPartials, &strict())
                .unwrap(),
            ""
        );
        let err = parse_err(&nested(MAX_SECTION_DEPTH + 1));
        assert_eq!(err.pos, Pos::new(1, 6 * MAX_SECTION_DEPTH + 1));
        assert!(err.message.contains("nested more than 256"), "{err}");
        // Far deeper input fails the same way, without deep recursion anywhere.
        assert!(Template::parse(&nested(100_000)).is_err());
    }

    #[test]
    fn parse_errors_with_exact_positions() {
        let cases: &[(&str, (usize, usize), &str)] = &[
            ("a\n  {{#sec}}x", (2, 3), "unclosed section `{{#sec}}`"),
            ("{{#a}}{{#b}}{{/b}}", (1, 1), "unclosed section `{{#a}}`"),
            (
                "{{#a}}\n {{/b}}",
                (2, 2),
                "closing tag `{{/b}}` does not match",
            ),
            ("x{{/a}}", (1, 2), "no open section"),
            ("ab {{x", (1, 4), "unclosed tag"),
            ("é😀{{x }", (1, 3), "unclosed tag"),
            (
                "{{{x}}",
                (1, 1),
                "unclosed tag: `{{{` has no matching `}}}`",
            ),
            ("{{! never closed", (1, 1), "unclosed tag"),
            ("{{}}", (1, 1), "empty tag name"),
            ("1\n2\n3{{ }}", (3, 2), "empty tag name"),
            ("{{#}}{{/}}", (1, 1), "empty tag name"),
            ("{{&}}", (1, 1), "empty tag name"),
            ("{{>}}", (1, 1), "empty partial name"),
            ("{{> a b}}", (1, 1), "cannot contain spaces"),
            ("{{a b}}", (1, 1), "cannot contain spaces"),
            ("{{#a\tb}}{{/a\tb}}", (1, 1), "cannot contain spaces"),
            ("{{a..b}}", (1, 1), "empty part"),
            ("{{.a}}", (1, 1), "empty part"),
            ("{{a.}}", (1, 1), "empty part"),
            ("x {{=<%=}}", (1, 3), "invalid set-delimiter"),
            ("{{=a b c=}}", (1, 1), "invalid set-delimiter"),
            ("{{=<= =>=}}", (1, 1), "invalid set-delimiter"),
            ("{{= =}}", (1, 1), "invalid set-delimiter"),
            ("{{=<% %>}}", (1, 1), "unclosed tag"),
            ("{{=<% %>=}}\n<%#a%>", (2, 1), "unclosed section `<%#a%>`"),
            (
                "{{=<% %>=}}\n  <%x",
                (2, 3),
                "unclosed tag: `<%` has no matching `%>`",
            ),
        ];
        for (src, (line, col), needle) in cases {
            let err = parse_err(src);
            assert_eq!(err.pos, Pos::new(*line, *col), "{src:?}: {err}");
            assert!(err.message.contains(needle), "{src:?}: {err}");
        }
    }

    #[test]
    fn names_may_be_padded() {
        let ctx = json!({"x": 1, "s": [1]});
        assert_eq!(
            render(
                "{{ x }}{{{ x }}}{{& x }}{{# s }}{{/ s }}{{^ s }}{{/ s }}",
                ctx
            )
            .unwrap(),
            "111"
        );
    }

    #[test]
    fn variables_with_positions_and_sections() {
        let src = "Hi {{name}}\n{{#order}}\n  {{id}} {{.}}\n  {{^paid}}{{total.amount}}{{/paid}}\n{{/order}}{{#a.b}}{{#c}}{{&d}}{{/c}}{{/a.b}}";
        let t = Template::parse(src).unwrap();
        let got: Vec<_> = t
            .variables()
            .into_iter()
            .map(|v| {
                (
                    v.path.join("."),
                    v.pos.line,
                    v.pos.col,
                    v.kind,
                    v.sections.join(","),
                )
            })
            .collect();
        use UseKind::*;
        let want = [
            ("name", 1, 4, Interpolation, ""),
            ("order", 2, 1, Section, ""),
            ("id", 3, 3, Interpolation, "order"),
            ("", 3, 10, Interpolation, "order"),
            ("paid", 4, 3, InvertedSection, "order"),
            ("total.amount", 4, 12, Interpolation, "order"),
            ("a.b", 5, 11, Section, ""),
            ("c", 5, 19, Section, "a.b"),
            ("d", 5, 25, Interpolation, "a.b,c"),
        ];
        let want: Vec<_> = want
            .iter()
            .map(|(p, l, c, k, s)| (p.to_string(), *l, *c, *k, s.to_string()))
            .collect();
        assert_eq!(got, want);
        assert_eq!(t.variables()[5].path, ["total", "amount"]);
    }

    #[test]
    fn partials_with_positions() {
        let t = Template::parse("{{>a}}\n  {{#s}}{{> b/c }}{{/s}}{{=| |=}}|>d|").unwrap();
        let got: Vec<_> = t.partials().into_iter().map(|p| (p.name, p.pos)).collect();
        assert_eq!(
            got,
            [
                ("a".to_string(), Pos::new(1, 1)),
                ("b/c".to_string(), Pos::new(2, 9)),
                ("d".to_string(), Pos::new(2, 34)),
            ]
        );
    }

    #[test]
    fn comments_and_standalone_lines_vanish() {
        let src = "a\n  {{! note }}\n{{#s}}\nb\n{{/s}}\n{{=<% %>=}}\nc<%x%>\n";
        assert_eq!(
            render(src, json!({"s": true, "x": 1})).unwrap(),
            "a\nb\nc1\n"
        );
    }

    /// A small deterministic generator, so the fuzz-style tests need no extra crate.
    struct Lcg(u64);

    impl Lcg {
        fn next(&mut self) -> usize {
            self.0 = self
                .0
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (self.0 >> 33) as usize
        }

        fn text(&mut self, pieces: &[&str], max: usize) -> String {
            let len = self.next() % max;
            (0..len)
                .map(|_| pieces[self.next() % pieces.len()])
                .collect()
        }
    }

    const PIECES: &[&str] = &[
        "{{", "}}", "{{{", "}}}", "{{=", "=}}", "{{#", "{{^", "{{/", "{{>", "{{&", "{{!", "<%",
        "%>", "=", "#", "^", "/", ">", "&", "!", ".", "a", "b", "l", "p", "q", " ", "\t", "\n",
        "\r\n", "\r", "é", "😀", "{", "}", "a.b", "l.0", "x",
    ];

    #[test]
    fn parse_and_render_never_panic_on_arbitrary_text() {
        let mut rng = Lcg(7);
        let ctx =
            json!({"a": {"b": "<&>"}, "b": [1, [2], {"a": 3}], "l": [true, false], "x": null});
        let mut parsed = 0;
        for _ in 0..20_000 {
            let src = rng.text(PIECES, 24);
            let partials: HashMap<String, String> = ["p", "q"]
                .iter()
                .map(|n| (n.to_string(), rng.text(PIECES, 16)))
                .collect();
            match Template::parse(&src) {
                Ok(t) => {
                    parsed += 1;
                    let _ = t.variables();
                    let _ = t.partials();
                    for opts in [strict(), lenient()] {
                        let opts = RenderOptions {
                            max_output_bytes: 10_000,
                            max_steps: 100_000,
                            ..opts
                        };
                        let _ = t.render(&ctx, &partials, &opts);
                    }
                }
                Err(e) => {
                    let lines = src.split('\n').count();
                    assert!(e.pos.line >= 1 && e.pos.line <= lines, "{src:?}: {e}");
                    assert!(e.pos.col >= 1, "{src:?}: {e}");
                }
            }
        }
        assert!(parsed > 1000, "only {parsed} templates parsed");
    }

    #[test]
    fn rendering_well_formed_random_templates_matches_lenient_when_nothing_is_missing() {
        // Templates built only from names that exist render the same strict and lenient.
        let mut rng = Lcg(99);
        let ctx = json!({"a": "A", "b": [1, 2], "c": {"a": "inner"}, "d": false});
        let atoms = [
            "{{a}}",
            "{{#b}}{{.}}{{/b}}",
            "{{#c}}{{a}}{{/c}}",
            "{{^d}}!{{/d}}",
            "\n",
            " ",
            "t",
        ];
        for _ in 0..2000 {
            let src = rng.text(&atoms, 12);
            let t = Template::parse(&src).unwrap();
            let s = t.render(&ctx, &NoPartials, &strict()).unwrap();
            let l = t.render(&ctx, &NoPartials, &lenient()).unwrap();
            assert_eq!(s, l, "{src:?}");
        }
    }
}
