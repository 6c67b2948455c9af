//! The mustache parser: tags (with set delimiters as they come), standalone lines (one tag, or
//! the tag pairs of inheritance), section/parent/block nesting into a tree with positions, and the
//! re-indentation of blocks.

use super::{Block, Name, Node, Target, MAX_SECTION_DEPTH};
use crate::template::{LineCounter, ParseError, Pos};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TagKind {
    Var {
        raw: bool,
    },
    Section,
    Inverted,
    Close,
    Partial,
    /// `{{<name}}`: a parent (inheritance).
    Parent,
    /// `{{$name}}`: a block.
    Block,
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
    /// The tag's content without sigil and padding (the name, for named tags; for a dynamic
    /// partial or parent, the name after `*`).
    name: &'s str,
    /// `{{>*name}}` / `{{<*name}}`: the name is looked up in the context.
    dynamic: bool,
    /// For a closing tag: what kind of tag it closes (a section, a parent, a block).
    closes: TagKind,
    /// Byte range of the whole tag, delimiters included.
    start: usize,
    end: usize,
    pos: Pos,
    /// Alone on its line (apart from whitespace), so the whole line is removed.
    standalone: bool,
    /// For a standalone tag, where its line starts (the indentation is `line_start..start`).
    line_start: usize,
    /// Where the text this tag encloses starts: after its line for a standalone opening tag (or
    /// pair), else at `end`. For a closing tag, where the enclosed text ends: `line_start` of a
    /// standalone closing line, else `start`.
    inner: usize,
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
            Some(b'<') => TagKind::Parent,
            Some(b'$') => TagKind::Block,
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
        let mut name = content.trim();
        let mut dynamic = false;
        if matches!(kind, TagKind::Partial | TagKind::Parent) {
            if let Some(rest) = name.strip_prefix('*') {
                dynamic = true;
                name = rest.trim_start();
            }
        }
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
            TagKind::Partial | TagKind::Parent if !dynamic => {
                check_partial_name(name, tag_text, pos)?
            }
            TagKind::Var { .. }
            | TagKind::Section
            | TagKind::Inverted
            | TagKind::Close
            | TagKind::Block
            | TagKind::Partial
            | TagKind::Parent => check_name(name, tag_text, pos)?,
        }
        tokens.push(Token::Tag(Tag {
            kind,
            name,
            dynamic,
            closes: TagKind::Section,
            start,
            end,
            pos,
            standalone: false,
            line_start: start,
            inner: if kind == TagKind::Close { start } else { end },
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

/// Parses mustache text into a tree.
pub(super) fn parse(src: &str) -> Result<Vec<Node>, ParseError> {
    let mut tokens = tokenize(src)?;
    annotate_closes(&mut tokens);
    mark_standalone(src, &mut tokens);
    build_tree(src, &tokens)
}

/// Notes on each closing tag what it closes, so that standalone pairs can be recognised before
/// the tree is built (mismatches are reported by [`build_tree`]).
fn annotate_closes(tokens: &mut [Token<'_>]) {
    let mut open = Vec::new();
    for token in tokens {
        let Token::Tag(tag) = token else { continue };
        match tag.kind {
            TagKind::Section | TagKind::Inverted | TagKind::Parent | TagKind::Block => {
                open.push(tag.kind)
            }
            TagKind::Close => tag.closes = open.pop().unwrap_or(TagKind::Section),
            _ => {}
        }
    }
}

/// Two adjacent tags that the inheritance module lets stand alone on a line together.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Pair {
    /// `{{$b}}{{/b}}`: an empty block; the line's indentation goes, its line ending stays.
    EmptyBlock,
    /// `{{<p}}{{/p}}`, `{{<p}}{{$b}}`, `{{/b}}{{/p}}`: the whole line goes.
    Line,
}

fn pair(a: &Tag<'_>, b: &Tag<'_>) -> Option<Pair> {
    if a.end != b.start {
        return None;
    }
    match (a.kind, b.kind) {
        (TagKind::Block, TagKind::Close) if b.closes == TagKind::Block => Some(Pair::EmptyBlock),
        (TagKind::Parent, TagKind::Close) if b.closes == TagKind::Parent => Some(Pair::Line),
        (TagKind::Parent, TagKind::Block) => Some(Pair::Line),
        (TagKind::Close, TagKind::Close)
            if a.closes == TagKind::Block && b.closes == TagKind::Parent =>
        {
            Some(Pair::Line)
        }
        _ => None,
    }
}

/// Finds the tags that stand alone on their line (every tag but interpolations; for inheritance
/// also the pairs of [`Pair`]) and removes the rest of their line from the neighbouring text: the
/// indentation before, the line ending after.
fn mark_standalone(src: &str, tokens: &mut [Token<'_>]) {
    let mut i = 0;
    while i < tokens.len() {
        let Token::Tag(tag) = &tokens[i] else {
            i += 1;
            continue;
        };
        if matches!(tag.kind, TagKind::Var { .. }) {
            i += 1;
            continue;
        }
        // The tags judged together: this one, or this one and the next when they form a pair.
        let (first, last, last_end, kind) = match tokens.get(i + 1) {
            Some(Token::Tag(next)) => match pair(tag, next) {
                Some(kind) => (i, i + 1, next.end, Some(kind)),
                None => (i, i, tag.end, None),
            },
            _ => (i, i, tag.end, None),
        };
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
        // (where the line ends, where the text after the tags starts being kept)
        let line_end = match tokens.get(last + 1) {
            None => Some((last_end, last_end)),
            Some(Token::Tag(_)) => None,
            Some(Token::Text { start, end, .. }) => {
                let text = &src[*start..*end];
                let blank = text.len() - text.trim_start_matches([' ', '\t']).len();
                let rest = &text[blank..];
                let eol = if rest.starts_with('\n') {
                    Some(start + blank + 1)
                } else if rest.starts_with("\r\n") {
                    Some(start + blank + 2)
                } else if rest.is_empty() && last + 2 == tokens.len() {
                    Some(*end)
                } else {
                    None
                };
                eol.map(|eol| {
                    let keep = if kind == Some(Pair::EmptyBlock) {
                        start + blank
                    } else {
                        eol
                    };
                    (eol, keep)
                })
            }
        };
        i = last + 1;
        let (Some(line_start), Some((line_end, keep_from))) = (line_start, line_end) else {
            continue;
        };
        for (k, token) in tokens[first..=last].iter_mut().enumerate() {
            let Token::Tag(tag) = token else { continue };
            tag.standalone = true;
            tag.line_start = line_start;
            let is_first = k == 0;
            let is_last = first + k == last;
            if is_first && tag.kind == TagKind::Close {
                tag.inner = line_start;
            }
            if is_last && tag.kind != TagKind::Close && kind != Some(Pair::EmptyBlock) {
                tag.inner = line_end;
            }
        }
        if let Some(Token::Text { keep, .. }) = first.checked_sub(1).map(|j| &mut tokens[j]) {
            keep.1 = line_start;
        }
        if let Some(Token::Text { keep, .. }) = tokens.get_mut(last + 1) {
            keep.0 = keep_from;
        }
    }
}

struct Open<'s> {
    kind: TagKind,
    /// The name a closing tag must repeat (`*name` for a dynamic parent).
    key: String,
    pos: Pos,
    tag: &'s Tag<'s>,
    /// The children of the enclosing level, set aside while this one's are collected.
    outer: Vec<Node>,
}

fn build_tree<'s>(src: &str, tokens: &'s [Token<'s>]) -> Result<Vec<Node>, ParseError> {
    let at_line_start = |offset: usize| offset == 0 || src.as_bytes()[offset - 1] == b'\n';
    let mut open: Vec<Open<'s>> = Vec::new();
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
        let line_indent = || {
            if tag.standalone {
                src[tag.line_start..tag.start].to_string()
            } else {
                String::new()
            }
        };
        match tag.kind {
            TagKind::Comment | TagKind::Delimiters => {}
            TagKind::Var { raw } => nodes.push(Node::Var {
                name: Name::new(tag.name),
                raw,
                pos: tag.pos,
            }),
            TagKind::Partial => nodes.push(Node::Partial {
                target: target(tag),
                indent: line_indent(),
                pos: tag.pos,
            }),
            TagKind::Section | TagKind::Inverted | TagKind::Parent | TagKind::Block => {
                if open.len() >= MAX_SECTION_DEPTH {
                    return Err(ParseError::new(
                        tag.pos,
                        format!("sections are nested more than {MAX_SECTION_DEPTH} levels deep"),
                    ));
                }
                open.push(Open {
                    kind: tag.kind,
                    key: if tag.dynamic {
                        format!("*{}", tag.name)
                    } else {
                        tag.name.to_string()
                    },
                    pos: tag.pos,
                    tag,
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
                if section.key != tag.name {
                    return Err(ParseError::new(
                        tag.pos,
                        format!(
                            "closing tag `{tag_text}` does not match the open section `{}` \
                             (opened at {})",
                            &src[section.tag.start..section.tag.end],
                            section.pos
                        ),
                    ));
                }
                let children = std::mem::replace(&mut nodes, section.outer);
                let opening = section.tag;
                nodes.push(match section.kind {
                    TagKind::Parent => Node::Parent {
                        target: target(opening),
                        indent: if opening.standalone {
                            src[opening.line_start..opening.start].to_string()
                        } else {
                            String::new()
                        },
                        pos: section.pos,
                        blocks: children
                            .into_iter()
                            .filter(|n| matches!(n, Node::Block(_)))
                            .collect(),
                    },
                    TagKind::Block => Node::Block(block(src, opening, tag, children)),
                    _ => Node::Section {
                        name: Name::new(opening.name),
                        inverted: section.kind == TagKind::Inverted,
                        pos: section.pos,
                        children,
                    },
                });
            }
        }
    }
    if let Some(section) = open.pop() {
        return Err(ParseError::new(
            section.pos,
            format!(
                "unclosed section `{}`: no closing tag `/{}` follows",
                &src[section.tag.start..section.tag.end],
                section.key
            ),
        ));
    }
    Ok(nodes)
}

fn target(tag: &Tag<'_>) -> Target {
    if tag.dynamic {
        Target::Dynamic(Name::new(tag.name))
    } else {
        Target::Static(tag.name.to_string())
    }
}

/// A block from its tags and content. A standalone block's content loses its common indentation
/// here ("removed at the site of definition") and gets the indentation of the place it is
/// expanded at instead (added by the renderer).
fn block(src: &str, open: &Tag<'_>, close: &Tag<'_>, mut children: Vec<Node>) -> Block {
    if !open.standalone {
        return Block {
            name: open.name.to_string(),
            pos: open.pos,
            indent: None,
            children,
        };
    }
    let content = &src[open.inner..close.inner.max(open.inner)];
    let leading =
        |line: &'_ str| -> usize { line.len() - line.trim_start_matches([' ', '\t']).len() };
    let mut prefix: Option<&str> = None;
    for line in content.split('\n') {
        let line = line.strip_suffix('\r').unwrap_or(line);
        if is_blank(line) {
            continue;
        }
        let ws = &line[..leading(line)];
        prefix = Some(match prefix {
            None => ws,
            Some(p) => {
                let common = p
                    .bytes()
                    .zip(ws.bytes())
                    .take_while(|(a, b)| a == b)
                    .count();
                &p[..common]
            }
        });
    }
    let prefix = prefix.unwrap_or("");
    let first_line_blank = content.split('\n').next().is_none_or(is_blank);
    let indent = if prefix.is_empty() || first_line_blank {
        src[open.line_start..open.start].to_string()
    } else {
        prefix.to_string()
    };
    dedent(src, &mut children, prefix);
    Block {
        name: open.name.to_string(),
        pos: open.pos,
        indent: Some(indent),
        children,
    }
}

/// Removes `prefix` (or as much of it as a line has) from the start of every line in `nodes`, and
/// from the indentation of standalone tags among them. A standalone block inside has already
/// removed its own (longer) prefix from its lines; only its indentation is adjusted.
fn dedent(src: &str, nodes: &mut [Node], prefix: &str) {
    if prefix.is_empty() {
        return;
    }
    let strip = |text: &str| -> usize {
        text.bytes()
            .zip(prefix.bytes())
            .take_while(|(a, b)| a == b)
            .count()
    };
    for node in nodes {
        match node {
            Node::Text(start, end) => {
                if *start == 0 || src.as_bytes()[*start - 1] == b'\n' {
                    *start += strip(&src[*start..*end]);
                }
            }
            Node::Partial { indent, .. } => {
                let n = strip(indent);
                indent.drain(..n);
            }
            Node::Parent { indent, blocks, .. } => {
                let n = strip(indent);
                indent.drain(..n);
                dedent(src, blocks, prefix);
            }
            Node::Block(b) => match &mut b.indent {
                Some(indent) => {
                    let n = strip(indent);
                    indent.drain(..n);
                }
                None => dedent(src, &mut b.children, prefix),
            },
            Node::Section { children, .. } => dedent(src, children, prefix),
            Node::Var { .. } | Node::Indent => {}
        }
    }
}
