//! The mustache renderer: an explicit stack machine (no recursion, so no template or data can
//! overflow the call stack) with strict/lenient lookups, partials, parents with block overrides,
//! dynamic names, and the limits of [`RenderOptions`].

use std::collections::HashMap;

use serde_json::Value;

use super::{Loaded, Name, Node, Partials, Target, Template};
use crate::template::value::{self, Output};
use crate::template::{Escape, Pos, RenderError, RenderOptions};

/// Renders `template`. The second value names a partial that is not among `partials` and that the
/// caller can load (`can_load`) before trying again: a dynamic name met on the way.
pub(super) fn render(
    template: &Template,
    ctx: &Value,
    partials: &Partials,
    can_load: bool,
    opts: &RenderOptions,
) -> (Result<String, RenderError>, Option<String>) {
    let mut renderer = Renderer {
        out: Output::new(template.src.len(), opts.max_output_bytes),
        opts,
        partials,
        stack: vec![ctx],
        indents: vec![String::new()],
        overrides: vec![Overrides::new()],
        steps: 0,
        can_load,
        need: None,
    };
    let result = renderer.run(template);
    (result, renderer.need)
}

/// The blocks that parents being rendered override: block name -> (text of the template that
/// gives the override, its content).
type Overrides<'a> = HashMap<&'a str, (&'a str, &'a [Node])>;

struct Renderer<'a> {
    out: Output,
    opts: &'a RenderOptions,
    partials: &'a Partials,
    /// One set per parent being rendered, innermost last; index 0 is empty.
    overrides: Vec<Overrides<'a>>,
    /// A partial that is not loaded can be asked for (see [`render`]).
    can_load: bool,
    need: Option<String>,
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
    LeavePartial {
        pop_indent: bool,
        pop_overrides: bool,
    },
    LeaveBlock {
        pop_indent: bool,
    },
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
    fn run(&mut self, template: &'a Template) -> Result<String, RenderError> {
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
                                Exit::LeavePartial {
                                    pop_indent,
                                    pop_overrides,
                                } => {
                                    partial_depth -= 1;
                                    if pop_indent {
                                        self.indents.pop();
                                    }
                                    if pop_overrides {
                                        self.overrides.pop();
                                    }
                                }
                                Exit::LeaveBlock { pop_indent } => {
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
                    target,
                    indent: own,
                    pos,
                }
                | Node::Parent {
                    target,
                    indent: own,
                    pos,
                    ..
                } => {
                    let Some(partial) = self.target(target, *pos)? else {
                        continue;
                    };
                    if partial_depth >= self.opts.max_partial_depth {
                        return Err(RenderError::PartialDepth {
                            name: target.text(),
                            limit: self.opts.max_partial_depth,
                        });
                    }
                    partial_depth += 1;
                    let (indent, pop_indent) = self.push_indent(indent, own);
                    let pop_overrides = if let Node::Parent { blocks, .. } = node {
                        // The blocks given here, unless an outer parent already overrides the
                        // same name: the outermost override wins.
                        let mut set: Overrides<'a> = blocks
                            .iter()
                            .filter_map(|b| match b {
                                Node::Block(b) => Some((b.name.as_str(), (src, &b.children[..]))),
                                _ => None,
                            })
                            .collect();
                        let outer = self.overrides.last().into_iter().flatten();
                        set.extend(outer.map(|(k, v)| (*k, *v)));
                        self.overrides.push(set);
                        true
                    } else {
                        false
                    };
                    frames.push(Frame::Nodes {
                        src: &partial.src,
                        nodes: &partial.nodes,
                        next: 0,
                        indent,
                        exit: Exit::LeavePartial {
                            pop_indent,
                            pop_overrides,
                        },
                    });
                }
                Node::Block(block) => {
                    if partial_depth >= self.opts.max_partial_depth {
                        return Err(RenderError::PartialDepth {
                            name: format!("${}", block.name),
                            limit: self.opts.max_partial_depth,
                        });
                    }
                    partial_depth += 1;
                    let given = self
                        .overrides
                        .last()
                        .and_then(|o| o.get(block.name.as_str()).copied());
                    let (src, nodes) = given.unwrap_or((src, &block.children));
                    let (indent, pop_indent) = match &block.indent {
                        Some(own) => self.push_indent(indent, own),
                        None => (indent, false),
                    };
                    frames.push(Frame::Nodes {
                        src,
                        nodes,
                        next: 0,
                        indent,
                        exit: Exit::LeaveBlock { pop_indent },
                    });
                }
            }
        }
        let out = std::mem::replace(&mut self.out, Output::new(0, self.opts.max_output_bytes));
        Ok(out.finish())
    }

    /// Adds `own` to the indentation `indent` when it is not empty; returns the indentation to
    /// render with and whether one was pushed.
    fn push_indent(&mut self, indent: usize, own: &str) -> (usize, bool) {
        if own.is_empty() {
            return (indent, false);
        }
        let combined = format!("{}{own}", self.indents[indent]);
        self.indents.push(combined);
        (self.indents.len() - 1, true)
    }

    /// The template a partial or parent tag names, `None` when it renders as nothing (lenient).
    fn target(&mut self, target: &Target, pos: Pos) -> Result<Option<&'a Template>, RenderError> {
        let name = match target {
            Target::Static(name) => name.clone(),
            Target::Dynamic(name) => match lookup(&self.stack, name) {
                Some(Value::String(s)) => s.clone(),
                _ => {
                    self.missing(name, pos)?;
                    return Ok(None);
                }
            },
        };
        match self.partials.loaded.get(name.as_str()) {
            Some(Loaded::Parsed(t)) => Ok(Some(t)),
            Some(Loaded::Invalid(error)) => Err(RenderError::PartialSyntax {
                name,
                error: error.clone(),
            }),
            None if self.can_load => {
                self.need = Some(name.clone());
                Err(RenderError::MissingPartial { name, pos })
            }
            Some(Loaded::Missing) | None => {
                if self.opts.strict {
                    return Err(RenderError::MissingPartial { name, pos });
                }
                Ok(None)
            }
        }
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
