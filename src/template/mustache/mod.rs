//! Mustache templates: the spec's core modules plus its optional **inheritance** (parents
//! `{{<base}}` with overridable blocks `{{$name}}…{{/name}}`) and **dynamic names** (`{{>*name}}`),
//! without lambdas.
//!
//! `parse::parse` turns text into a tree with positions; this module lists the variables, partials,
//! parents and blocks of that tree (for `check`) and loads the partials and parents a template
//! can reach ([`Partials`]); `render::render` writes a tree against a context. Product additions to
//! the spec: strict mode (missing names, partials and parents are errors) and limits (nesting
//! depth, output size, steps). The renderer runs on an explicit stack, so no template or data can
//! overflow the call stack; the parser keeps its own stack and refuses sections nested deeper
//! than [`MAX_SECTION_DEPTH`]. Partial and parent text comes only from a [`PartialResolver`].

mod parse;
mod render;

use std::collections::HashMap;

use serde_json::Value;

use super::{
    ParseError, PartialResolver, PartialUse, Pos, RenderError, RenderOptions, UseKind, VarUse,
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
        target: Target,
        /// The whitespace before a standalone partial tag; empty for an inline one.
        indent: String,
        pos: Pos,
    },
    /// `{{<base}}…{{/base}}`: renders `base` with the blocks given inside replacing its own.
    Parent {
        target: Target,
        /// As for a partial: the whitespace before a standalone parent tag.
        indent: String,
        pos: Pos,
        /// The overrides, each a [`Node::Block`]: only the blocks directly inside count (other
        /// text is ignored).
        blocks: Vec<Node>,
    },
    /// `{{$name}}default{{/name}}`: a place a child template may fill.
    Block(Block),
}

/// A block: a named place with default content (outside a parent tag), or an override (inside).
#[derive(Debug, Clone)]
struct Block {
    name: String,
    pos: Pos,
    /// For a block that stands alone on its lines: the indentation its content gets where it is
    /// expanded (taken from the default content's first line, else from the tag's own line).
    /// `None` for an inline block, whose content is written as it is.
    indent: Option<String>,
    /// The content, with its own common indentation already removed (for a standalone block).
    children: Vec<Node>,
}

/// What a partial or parent tag names: a prompt, or (dynamic names) a value holding its name.
#[derive(Debug, Clone)]
enum Target {
    Static(String),
    /// `{{>*name}}`: the partial's name is the string value of `name`.
    Dynamic(Name),
}

impl Target {
    /// As written after the sigil: `base` or `*name`.
    fn text(&self) -> String {
        match self {
            Target::Static(name) => name.clone(),
            Target::Dynamic(name) => format!("*{}", name.text),
        }
    }
}

#[derive(Debug, Clone)]
struct Name {
    /// As written, without padding: `a.b` or `.`.
    text: String,
    /// The dotted parts; empty for the implicit iterator `.`.
    parts: Vec<String>,
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

/// A parent tag found by [`Template::parents`]: which template it extends and the blocks it
/// overrides.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParentUse {
    /// The parent's name as written.
    pub name: String,
    /// Where the parent tag starts.
    pub pos: Pos,
    /// The blocks given inside the tag, with where each starts.
    pub blocks: Vec<(String, Pos)>,
}

impl Template {
    /// Parses mustache text. Errors carry the position of the offending tag.
    pub fn parse(src: &str) -> Result<Template, ParseError> {
        Ok(Template {
            src: src.to_string(),
            nodes: parse::parse(src)?,
        })
    }

    /// The template text this was parsed from.
    pub fn source(&self) -> &str {
        &self.src
    }

    /// Every variable use (interpolations, section names, the names of dynamic partials), in
    /// source order, including those in block defaults and overrides.
    pub fn variables(&self) -> Vec<VarUse> {
        let mut out = Vec::new();
        collect_vars(&self.nodes, &mut Vec::new(), &mut out);
        out
    }

    /// Every dynamic partial and parent tag (`{{>*name}}`): the path of the value that holds the
    /// prompt's name, where the tag starts, and whether it is a parent. What they include is
    /// known only at render time.
    pub fn dynamic_partials(&self) -> Vec<(Vec<String>, Pos, bool)> {
        let mut out = Vec::new();
        walk(&self.nodes, &mut |node| match node {
            Node::Partial {
                target: Target::Dynamic(name),
                pos,
                ..
            } => out.push((name.parts.clone(), *pos, false)),
            Node::Parent {
                target: Target::Dynamic(name),
                pos,
                ..
            } => out.push((name.parts.clone(), *pos, true)),
            _ => {}
        });
        out
    }

    /// Every static partial and parent tag, in source order (`parent` tells them apart). Dynamic
    /// names are not listed: what they name is known only at render time.
    pub fn partials(&self) -> Vec<PartialUse> {
        let mut out = Vec::new();
        walk(&self.nodes, &mut |node| match node {
            Node::Partial {
                target: Target::Static(name),
                pos,
                ..
            } => out.push(PartialUse {
                name: name.clone(),
                pos: *pos,
                parent: false,
            }),
            Node::Parent {
                target: Target::Static(name),
                pos,
                ..
            } => out.push(PartialUse {
                name: name.clone(),
                pos: *pos,
                parent: true,
            }),
            _ => {}
        });
        out
    }

    /// Every parent tag with a static name, with the blocks it overrides.
    pub fn parents(&self) -> Vec<ParentUse> {
        let mut out = Vec::new();
        walk(&self.nodes, &mut |node| {
            if let Node::Parent {
                target: Target::Static(name),
                pos,
                blocks,
                ..
            } = node
            {
                out.push(ParentUse {
                    name: name.clone(),
                    pos: *pos,
                    blocks: blocks
                        .iter()
                        .filter_map(|b| match b {
                            Node::Block(b) => Some((b.name.clone(), b.pos)),
                            _ => None,
                        })
                        .collect(),
                });
            }
        });
        out
    }

    /// The names of every block in the template, wherever it is (a template's parameters, and
    /// the blocks that overrides declare in turn), each once, in source order.
    pub fn block_names(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        walk(&self.nodes, &mut |node| {
            if let Node::Block(b) = node {
                if !out.contains(&b.name) {
                    out.push(b.name.clone());
                }
            }
        });
        out
    }

    /// Renders against `ctx`, resolving and parsing each reachable partial once for this call.
    pub fn render(
        &self,
        ctx: &Value,
        resolver: &dyn PartialResolver,
        opts: &RenderOptions,
    ) -> Result<String, RenderError> {
        self.render_prepared_with(ctx, &Partials::load(self, resolver), Some(resolver), opts)
    }

    /// Renders against `ctx` with partials loaded beforehand by [`Partials::load`]; a partial not
    /// among them counts as missing (so does any dynamic partial: use
    /// [`Template::render_prepared_with`] to resolve those).
    pub fn render_prepared(
        &self,
        ctx: &Value,
        partials: &Partials,
        opts: &RenderOptions,
    ) -> Result<String, RenderError> {
        self.render_prepared_with(ctx, partials, None, opts)
    }

    /// As [`Template::render_prepared`], with `resolver` asked for the partials that were not
    /// prepared (those named by a value: `{{>*name}}`).
    pub fn render_prepared_with(
        &self,
        ctx: &Value,
        partials: &Partials,
        resolver: Option<&dyn PartialResolver>,
        opts: &RenderOptions,
    ) -> Result<String, RenderError> {
        // A dynamic name is known only while rendering; when one is not loaded yet, it is loaded
        // and the render starts again (rendering has no side effects). Each restart loads a new
        // name, so this ends.
        let mut extra: Option<Partials> = None;
        loop {
            let current = extra.as_ref().unwrap_or(partials);
            let (result, need) = render::render(self, ctx, current, resolver.is_some(), opts);
            match (need, resolver) {
                (Some(name), Some(resolver)) => {
                    let mut more = extra.take().unwrap_or_else(|| partials.clone());
                    more.add(name, resolver);
                    extra = Some(more);
                }
                _ => return result,
            }
        }
    }
}

/// Calls `f` on every node of the tree, depth first in source order (block overrides included).
fn walk<'n>(nodes: &'n [Node], f: &mut dyn FnMut(&'n Node)) {
    for node in nodes {
        f(node);
        match node {
            Node::Section { children, .. } => walk(children, f),
            Node::Block(b) => walk(&b.children, f),
            Node::Parent { blocks, .. } => walk(blocks, f),
            _ => {}
        }
    }
}

fn collect_vars(nodes: &[Node], sections: &mut Vec<String>, out: &mut Vec<VarUse>) {
    let var = |name: &Name, pos: Pos, kind: UseKind, sections: &[String]| VarUse {
        path: name.parts.clone(),
        pos,
        kind,
        sections: sections.to_vec(),
    };
    for node in nodes {
        match node {
            Node::Var { name, pos, .. } => {
                out.push(var(name, *pos, UseKind::Interpolation, sections))
            }
            Node::Section {
                name,
                inverted,
                pos,
                children,
            } => {
                let kind = if *inverted {
                    UseKind::InvertedSection
                } else {
                    UseKind::Section
                };
                out.push(var(name, *pos, kind, sections));
                if *inverted {
                    collect_vars(children, sections, out);
                } else {
                    sections.push(name.text.clone());
                    collect_vars(children, sections, out);
                    sections.pop();
                }
            }
            Node::Partial { target, pos, .. } | Node::Parent { target, pos, .. } => {
                if let Target::Dynamic(name) = target {
                    out.push(var(name, *pos, UseKind::Interpolation, sections));
                }
                if let Node::Parent { blocks, .. } = node {
                    collect_vars(blocks, sections, out);
                }
            }
            Node::Block(b) => collect_vars(&b.children, sections, out),
            Node::Text(..) | Node::Indent => {}
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Partials

/// The partials and parents a template can reach, resolved and parsed once. Build it with [`Partials::load`]
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
        let mut partials = Partials::default();
        partials.extend(
            template.partials().into_iter().map(|p| p.name).collect(),
            resolver,
        );
        partials
    }

    /// Adds `name` (a dynamic partial met while rendering) and what it reaches.
    fn add(&mut self, name: String, resolver: &dyn PartialResolver) {
        self.extend(vec![name], resolver);
    }

    fn extend(&mut self, mut queue: Vec<String>, resolver: &dyn PartialResolver) {
        while let Some(name) = queue.pop() {
            if self.loaded.contains_key(&name) {
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
            self.loaded.insert(name, entry);
        }
    }

    /// The parsed partial of this name, if it was found and parses.
    pub fn get(&self, name: &str) -> Option<&Template> {
        match self.loaded.get(name) {
            Some(Loaded::Parsed(t)) => Some(t),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests;
