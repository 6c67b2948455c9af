//! The Handlebars that dotprompt files are written in, read into mustache (and mustache written
//! back), only where both mean the same.
//!
//! Reading gives a list of pieces: mustache text, and the dotprompt markers that split a template
//! into messages (`{{role "user"}}`, `{{history}}`) or parts (`{{media url=x}}`). Handlebars
//! constructs with a mustache equivalent are converted (`{{#if x}}` and `{{#unless x}}` on a
//! scalar, `{{#each xs}}`, `{{else}}` in those blocks, `{{this}}`, `{{{x}}}`, comments, partials
//! without arguments); anything else (a helper, `@index`, `../`, whitespace control `~`, block
//! parameters, sub-expressions) is an error that names it, never a silent change of text.

use std::collections::HashMap;

use crate::model::InputType;

/// One piece of a dotprompt template.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Piece {
    /// Mustache text.
    Text(String),
    /// `{{role "name"}}`: a new message with this role (dotprompt's name).
    Role(String),
    /// `{{history}}`: the conversation so far.
    History,
    /// `{{media url=x}}`: an image from the input `x`, or from a literal URL.
    Media {
        input: Option<String>,
        url: Option<String>,
        /// The `contentType` argument (`audio/mpeg`, `video/mp4`, …), when given.
        content_type: Option<String>,
    },
}

/// An open block while reading: the Handlebars helper and the mustache name it became.
struct Block {
    helper: String,
    name: String,
    /// Whether `{{else}}` was met.
    in_else: bool,
}

/// Reads a dotprompt template. `types` gives the declared type of top-level inputs (from the
/// Picoschema), to refuse `{{#if}}` on lists and objects, where mustache would loop or change
/// the context.
pub(crate) fn read(src: &str, types: &HashMap<String, InputType>) -> Result<Vec<Piece>, String> {
    let mut out: Vec<Piece> = Vec::new();
    let mut text = String::new();
    let mut stack: Vec<Block> = Vec::new();
    let mut rest = src;
    let mut consumed = 0usize;
    while let Some(at) = rest.find("{{") {
        if rest[..at].ends_with('\\') {
            return Err("an escaped `\\{{` has no mustache equivalent".into());
        }
        text.push_str(&rest[..at]);
        let tag_start = consumed + at;
        let after = &rest[at..];
        let (inner, len, triple) = if after.starts_with("{{{{") {
            return Err("raw blocks `{{{{…}}}}` have no mustache equivalent".into());
        } else if let Some(body) = after.strip_prefix("{{!--") {
            let end = body.find("--}}").ok_or("an unclosed comment `{{!--`")?;
            (&after[2..5 + end], 5 + end + 4, false)
        } else if let Some(body) = after.strip_prefix("{{{") {
            let end = body.find("}}}").ok_or("an unclosed `{{{`")?;
            (&body[..end], 3 + end + 3, true)
        } else {
            let end = after[2..].find("}}").ok_or("an unclosed `{{`")?;
            (&after[2..2 + end], 2 + end + 2, false)
        };
        let standalone = is_standalone(src, tag_start, tag_start + len);
        let inner_trim = inner.trim();
        if inner_trim.starts_with('~') || inner_trim.ends_with('~') {
            return Err(format!(
                "whitespace control `~` in `{{{{{inner_trim}}}}}` has no mustache equivalent"
            ));
        }
        if triple {
            text.push_str(&format!("{{{{{}}}}}", path(inner_trim)?));
        } else {
            tag(
                inner_trim, standalone, &mut text, &mut out, &mut stack, types,
            )?;
        }
        consumed += at + len;
        rest = &rest[at + len..];
    }
    text.push_str(rest);
    if let Some(b) = stack.last() {
        return Err(format!("the block `{{{{#{}}}}}` is not closed", b.helper));
    }
    if !text.is_empty() {
        out.push(Piece::Text(text));
    }
    Ok(out)
}

/// The types a template's use proves of top-level names, for inputs a dotprompt file does not
/// declare: `{{#each x}}` makes `x` a list, `{{x.y}}` (or a block over `x.y`) an object. Names
/// inside an `each` block are its items' fields, not inputs, and prove nothing. The first proof
/// of a name wins. Run on text `read` accepted.
pub(crate) fn proven_types(src: &str) -> Vec<(String, InputType)> {
    let mut out: Vec<(String, InputType)> = Vec::new();
    let mut prove = |name: &str, kind: InputType| {
        if !name.is_empty() && !name.starts_with('@') && !out.iter().any(|(n, _)| n == name) {
            out.push((name.to_string(), kind));
        }
    };
    // Open blocks: whether each one's inside is an item's scope.
    let mut scopes: Vec<bool> = Vec::new();
    let mut rest = src;
    while let Some(at) = rest.find("{{") {
        let after = &rest[at + 2..];
        let Some(end) = after.find("}}") else { break };
        let inner = after[..end].trim_matches(|c: char| c == '{' || c.is_whitespace());
        rest = &after[end + 2..];
        let in_item = scopes.iter().any(|s| *s);
        let words: Vec<&str> = inner.split_whitespace().collect();
        if let Some(block) = inner.strip_prefix('#') {
            let words: Vec<&str> = block.split_whitespace().collect();
            let (item_scope, arg) = match words.as_slice() {
                ["each", arg, ..] => (true, Some(*arg)),
                ["if" | "unless", arg] => (false, Some(*arg)),
                [name] => (true, Some(*name)),
                _ => (false, None),
            };
            if let (Some(arg), false) = (arg, in_item) {
                let arg = arg.strip_prefix("this.").unwrap_or(arg);
                match arg.split_once('.') {
                    Some((root, _)) => prove(root, InputType::Object),
                    None if words.first() == Some(&"each") => prove(arg, InputType::Array),
                    None => {}
                }
            }
            scopes.push(item_scope);
        } else if inner.starts_with('^') && inner.len() > 1 {
            scopes.push(false);
        } else if inner.starts_with('/') {
            scopes.pop();
        } else if let ([single], false) = (words.as_slice(), in_item) {
            if !single.starts_with(['!', '>', '&', '^']) {
                if let Some((root, _)) = single.split_once('.') {
                    prove(root, InputType::Object);
                }
            }
        }
    }
    out
}

/// Names used inside an `{{#each}}` block that are also top-level inputs (`inputs`). Handlebars
/// looks such a name up on the item only; the mustache section the import writes falls back to
/// the input when an item lacks the field, so the import names them in a warning.
pub(crate) fn outer_names_in_each(src: &str, inputs: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut blocks: Vec<bool> = Vec::new();
    let mut rest = src;
    while let Some(at) = rest.find("{{") {
        let after = &rest[at + 2..];
        let Some(end) = after.find("}}") else { break };
        let inner = after[..end].trim_matches(|c: char| c == '{' || c.is_whitespace());
        rest = &after[end + 2..];
        if let Some(block) = inner.strip_prefix('#') {
            blocks.push(block.split_whitespace().next() == Some("each"));
        } else if inner.starts_with('^') && inner.len() > 1 {
            blocks.push(false);
        } else if inner.starts_with('/') {
            blocks.pop();
        } else if blocks.iter().any(|b| *b) && !inner.starts_with(['!', '>', '@', '^']) {
            let name = inner.trim_start_matches('&').trim();
            if name.split_whitespace().count() == 1 && name != "this" && name != "else" {
                let root = name.split('.').next().unwrap_or(name);
                if inputs.iter().any(|i| i == root) && !out.iter().any(|o| o == root) {
                    out.push(root.to_string());
                }
            }
        }
    }
    out
}

/// Whether the tag at `start..end` stands alone on its line (only white space around it).
fn is_standalone(src: &str, start: usize, end: usize) -> bool {
    let line_start = src[..start].rfind('\n').map_or(0, |i| i + 1);
    let line_end = src[end..].find('\n').map_or(src.len(), |i| end + i);
    src[line_start..start]
        .chars()
        .all(|c| c == ' ' || c == '\t')
        && src[end..line_end]
            .trim_end_matches('\r')
            .chars()
            .all(|c| c == ' ' || c == '\t')
}

fn tag(
    inner: &str,
    standalone: bool,
    text: &mut String,
    out: &mut Vec<Piece>,
    stack: &mut Vec<Block>,
    types: &HashMap<String, InputType>,
) -> Result<(), String> {
    let flush = |text: &mut String, out: &mut Vec<Piece>| {
        if !text.is_empty() {
            out.push(Piece::Text(std::mem::take(text)));
        }
    };
    let words: Vec<&str> = inner.split_whitespace().collect();
    if let Some(comment) = inner.strip_prefix('!') {
        let comment = comment.trim_start_matches("--").trim_end_matches("--");
        text.push_str(&format!("{{{{!{}}}}}", comment.replace("}}", "} }")));
        return Ok(());
    }
    if inner.contains('(') {
        return Err(format!(
            "the sub-expression in `{{{{{inner}}}}}` has no mustache equivalent"
        ));
    }
    if let Some(block) = inner.strip_prefix('#') {
        let words: Vec<&str> = block.split_whitespace().collect();
        let Some(&helper) = words.first() else {
            return Err("an empty block `{{#}}`".into());
        };
        if words.contains(&"as") {
            return Err(format!(
                "block parameters in `{{{{{inner}}}}}` have no mustache equivalent"
            ));
        }
        let mustache = match (helper, &words[1..]) {
            ("if" | "unless" | "each", [arg]) => {
                let name = path(arg)?;
                if helper != "each" {
                    if let Some(kind) = types.get(root(&name)).filter(|k| {
                        matches!(
                            k,
                            InputType::Array | InputType::Object | InputType::Messages
                        )
                    }) {
                        return Err(format!(
                            "`{{{{#{helper} {arg}}}}}` on {} has no mustache equivalent (a \
                             mustache section loops over a list and enters an object)",
                            kind.with_article()
                        ));
                    }
                }
                let open = if helper == "unless" { '^' } else { '#' };
                stack.push(Block {
                    helper: helper.to_string(),
                    name: name.clone(),
                    in_else: false,
                });
                format!("{{{{{open}{name}}}}}")
            }
            (name, []) if !is_helper(name) => {
                let name = path(name)?;
                stack.push(Block {
                    helper: name.clone(),
                    name: name.clone(),
                    in_else: false,
                });
                format!("{{{{#{name}}}}}")
            }
            _ => {
                return Err(format!(
                    "the block helper `{{{{#{helper}}}}}` has no mustache equivalent"
                ))
            }
        };
        text.push_str(&mustache);
        return Ok(());
    }
    if let Some(name) = inner.strip_prefix('^') {
        let name = name.trim();
        if name.is_empty() {
            return else_tag(standalone, text, stack);
        }
        let name = path(name)?;
        stack.push(Block {
            helper: format!("^{name}"),
            name: name.clone(),
            in_else: false,
        });
        text.push_str(&format!("{{{{^{name}}}}}"));
        return Ok(());
    }
    if let Some(close) = inner.strip_prefix('/') {
        let close = close.trim();
        let Some(block) = stack.pop() else {
            return Err(format!("`{{{{/{close}}}}}` closes no block"));
        };
        let expected = block.helper.trim_start_matches('^');
        if close != expected && path(close).ok().as_deref() != Some(expected) {
            return Err(format!(
                "`{{{{/{close}}}}}` closes the block `{{{{#{}}}}}`",
                block.helper
            ));
        }
        text.push_str(&format!("{{{{/{}}}}}", block.name));
        return Ok(());
    }
    if words.first() == Some(&"else") {
        if words.len() > 1 {
            return Err(format!(
                "`{{{{{inner}}}}}` (an else-if chain) has no mustache equivalent"
            ));
        }
        return else_tag(standalone, text, stack);
    }
    if let Some(name) = inner.strip_prefix('>') {
        let name = name.trim();
        if name.split_whitespace().count() != 1 {
            return Err(format!(
                "the partial `{{{{{inner}}}}}` passes a context or arguments, which mustache \
                 partials cannot take"
            ));
        }
        let name = name.trim_matches(|c| c == '"' || c == '\'');
        let id = super::slug::path_id(name).map_err(|e| e.to_string())?;
        text.push_str(&format!("{{{{> {id}}}}}"));
        return Ok(());
    }
    if let Some(name) = inner.strip_prefix('&') {
        text.push_str(&format!("{{{{{}}}}}", path(name.trim())?));
        return Ok(());
    }
    match words.as_slice() {
        ["role", role] => {
            if !stack.is_empty() {
                return Err(format!(
                    "`{{{{{inner}}}}}` inside a block has no equivalent"
                ));
            }
            flush(text, out);
            out.push(Piece::Role(unquote(role)?.to_string()));
            Ok(())
        }
        ["history"] => {
            if !stack.is_empty() {
                return Err("`{{history}}` inside a block has no equivalent".into());
            }
            flush(text, out);
            out.push(Piece::History);
            Ok(())
        }
        ["media", args @ ..] => {
            if !stack.is_empty() {
                return Err(format!(
                    "`{{{{{inner}}}}}` inside a block has no equivalent"
                ));
            }
            let mut input = None;
            let mut url = None;
            let mut content_type = None;
            for a in args {
                match a.split_once('=') {
                    Some(("url", v)) if v.starts_with(['"', '\'']) => {
                        url = Some(unquote(v)?.to_string())
                    }
                    Some(("url", v)) => input = Some(path(v)?),
                    Some(("contentType", v)) if v.starts_with(['"', '\'']) => {
                        content_type = Some(unquote(v)?.to_string())
                    }
                    Some(("contentType", v)) => {
                        return Err(format!(
                            "`{{{{{inner}}}}}`: a content type from the input `{v}` has no \
                             equivalent (a part's kind is fixed in the file)"
                        ))
                    }
                    _ => return Err(format!("`{{{{{inner}}}}}`: unknown media argument `{a}`")),
                }
            }
            if input.is_none() && url.is_none() {
                return Err(format!("`{{{{{inner}}}}}` names no url"));
            }
            if input.as_deref().is_some_and(|i| i.contains('.')) {
                return Err(format!(
                    "`{{{{{inner}}}}}`: a media URL from a field of an input has no equivalent \
                     (image parts name a whole input)"
                ));
            }
            flush(text, out);
            out.push(Piece::Media {
                input,
                url,
                content_type,
            });
            Ok(())
        }
        [single] => {
            text.push_str(&format!("{{{{{}}}}}", path(single)?));
            Ok(())
        }
        [helper, ..] => Err(format!(
            "the helper `{helper}` (in `{{{{{inner}}}}}`) has no mustache equivalent"
        )),
        [] => Err("an empty tag `{{}}`".into()),
    }
}

/// `{{else}}` in an `if`, `unless` or `each` block: close the section and open its inverse.
fn else_tag(standalone: bool, text: &mut String, stack: &mut [Block]) -> Result<(), String> {
    let Some(block) = stack.last_mut() else {
        return Err("`{{else}}` outside a block".into());
    };
    if block.in_else {
        return Err("a second `{{else}}` in one block".into());
    }
    block.in_else = true;
    let inverse = if block.helper == "unless" || block.helper.starts_with('^') {
        '#'
    } else {
        '^'
    };
    // A standalone `{{else}}` line becomes two standalone lines, so that no line break changes.
    if standalone {
        let indent: String = text
            .rsplit('\n')
            .next()
            .unwrap_or_default()
            .chars()
            .take_while(|c| *c == ' ' || *c == '\t')
            .collect();
        text.push_str(&format!(
            "{{{{/{}}}}}\n{indent}{{{{{inverse}{}}}}}",
            block.name, block.name
        ));
    } else {
        text.push_str(&format!(
            "{{{{/{}}}}}{{{{{inverse}{}}}}}",
            block.name, block.name
        ));
    }
    Ok(())
}

/// Names that are dotprompt or Handlebars helpers, never variables.
fn is_helper(name: &str) -> bool {
    matches!(
        name,
        "if" | "unless"
            | "each"
            | "with"
            | "lookup"
            | "log"
            | "json"
            | "role"
            | "history"
            | "media"
            | "section"
            | "ifEquals"
            | "unlessEquals"
    )
}

/// A Handlebars path as a mustache name: `this` is `.`, `this.a` and `./a` are `a`.
fn path(p: &str) -> Result<String, String> {
    if p.starts_with('@') || p.contains(".@") {
        return Err(format!(
            "the data variable `{p}` has no mustache equivalent"
        ));
    }
    if p.starts_with("../") || p.contains("/../") {
        return Err(format!(
            "the parent path `{p}` has no mustache equivalent (mustache looks names up in \
             enclosing contexts by itself, Handlebars does not)"
        ));
    }
    let p = p.strip_prefix("./").unwrap_or(p);
    let p = match p {
        "this" | "." => return Ok(".".into()),
        _ => p.strip_prefix("this.").unwrap_or(p),
    };
    let ok = !p.is_empty()
        && p.split('.').all(|s| {
            !s.is_empty()
                && s.chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        });
    if !ok {
        return Err(format!("`{p}` is not a name mustache can look up"));
    }
    Ok(p.to_string())
}

fn root(name: &str) -> &str {
    name.split('.').next().unwrap_or(name)
}

fn unquote(s: &str) -> Result<&str, String> {
    s.strip_prefix('"')
        .and_then(|s| s.strip_suffix('"'))
        .or_else(|| s.strip_prefix('\'').and_then(|s| s.strip_suffix('\'')))
        .ok_or_else(|| format!("`{s}` should be a quoted string"))
}

/// A mustache section open while writing, and the Handlebars block it became.
struct Open {
    /// The mustache name (`{{/name}}` closes it).
    name: String,
    /// The Handlebars helper (`each`, `if`, `with`), or none for a section kept as written.
    helper: Option<&'static str>,
    /// Whether names inside resolve on an item (or object) rather than on the top level.
    scoped: bool,
}

/// Writes mustache text as Handlebars with the same meaning. A mustache section is a loop, a
/// condition or a context change by its value's type, where Handlebars reads `{{#x}}` as a
/// context change for any value (so `{{#tone}}{{tone}}{{/tone}}` would print nothing there):
/// a section over a declared list becomes `{{#each x}}`, over an object `{{#with x}}`, over a
/// scalar `{{#if x}}` (whose inside keeps the top-level context, and `{{.}}` becomes `{{x}}`).
/// Inside `each` and `with`, Handlebars does not fall back to outer names as mustache does, so a
/// declared input used there is written `{{@root.name}}`. A section over a name whose type is not
/// declared is kept as written, with a note in `notes`. `{{.}}` becomes `{{this}}`. Constructs
/// Handlebars does not have (set delimiters, inheritance, dynamic partials) are an error naming
/// them.
pub(crate) fn write(
    src: &str,
    types: &HashMap<String, InputType>,
    notes: &mut Vec<String>,
) -> Result<String, String> {
    let mut out = String::with_capacity(src.len());
    let mut rest = src;
    let mut stack: Vec<Open> = Vec::new();
    while let Some(at) = rest.find("{{") {
        out.push_str(&rest[..at]);
        let after = &rest[at..];
        let (inner, len) = if let Some(body) = after.strip_prefix("{{{") {
            let end = body.find("}}}").ok_or("an unclosed `{{{`")?;
            (&after[..3 + end + 3], 3 + end + 3)
        } else {
            let end = after[2..].find("}}").ok_or("an unclosed `{{`")?;
            (&after[..2 + end + 2], 2 + end + 2)
        };
        let triple = inner.starts_with("{{{");
        let body = inner.trim_start_matches('{').trim_end_matches('}').trim();
        match body.chars().next() {
            Some('=') => {
                return Err("set delimiters `{{=…=}}` have no Handlebars equivalent".into())
            }
            Some('<' | '$') => {
                return Err(format!(
                    "the inheritance tag `{inner}` has no Handlebars equivalent"
                ))
            }
            Some('>') if body[1..].trim_start().starts_with('*') => {
                return Err(format!(
                    "the dynamic partial `{inner}` has no Handlebars equivalent"
                ))
            }
            _ => {}
        }
        let scoped = stack.iter().any(|o| o.scoped);
        // A top-level input named inside an item's scope: Handlebars has no fallback to it.
        let name_of = |name: &str| -> String {
            let root = name.split('.').next().unwrap_or(name);
            if scoped && types.contains_key(root) {
                format!("@root.{name}")
            } else {
                name.to_string()
            }
        };
        let written = if let Some(name) = body.strip_prefix('#') {
            let name = name.trim();
            let root = name.split('.').next().unwrap_or(name);
            let kind = (!name.contains('.')).then(|| types.get(root)).flatten();
            let (helper, scoped_inside) = match kind {
                Some(InputType::Array | InputType::Messages) => (Some("each"), true),
                Some(InputType::Object) => (Some("with"), true),
                Some(_) => (Some("if"), false),
                None => {
                    notes.push(format!(
                        "the section `{{{{#{name}}}}}` is kept as written: Handlebars reads it as a \
                         context change without mustache's fallback to outer names"
                    ));
                    (None, true)
                }
            };
            let target = name_of(name);
            stack.push(Open {
                name: name.to_string(),
                helper,
                scoped: scoped_inside,
            });
            match helper {
                Some(h) => format!("{{{{#{h} {target}}}}}"),
                None => format!("{{{{#{target}}}}}"),
            }
        } else if let Some(name) = body.strip_prefix('^') {
            let name = name.trim();
            stack.push(Open {
                name: name.to_string(),
                helper: None,
                scoped: false,
            });
            format!("{{{{^{}}}}}", name_of(name))
        } else if let Some(name) = body.strip_prefix('/') {
            let name = name.trim();
            let open = stack
                .pop()
                .filter(|o| o.name == name)
                .ok_or_else(|| format!("`{inner}` closes no open section"))?;
            match open.helper {
                Some(h) => format!("{{{{/{h}}}}}"),
                None => format!("{{{{/{}}}}}", name_of(name)),
            }
        } else if body.starts_with(['!', '>']) {
            inner.to_string()
        } else {
            let name = body.trim_start_matches('&').trim();
            let text = if name == "." {
                // Inside `{{#if x}}` the context is still the top level: `.` is `x` itself.
                match stack.last() {
                    Some(Open {
                        helper: Some("if"),
                        name,
                        ..
                    }) => name_of(name),
                    _ => "this".to_string(),
                }
            } else {
                name_of(name)
            };
            if triple || body.starts_with('&') {
                format!("{{{{{{{text}}}}}}}")
            } else {
                format!("{{{{{text}}}}}")
            }
        };
        out.push_str(&written);
        rest = &rest[at + len..];
    }
    out.push_str(rest);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(src: &str) -> Result<String, String> {
        let types = HashMap::from([("xs".to_string(), InputType::Array)]);
        let pieces = read(src, &types)?;
        Ok(pieces
            .into_iter()
            .map(|p| match p {
                Piece::Text(t) => t,
                other => format!("<{other:?}>"),
            })
            .collect())
    }

    #[test]
    fn blocks_become_sections_and_a_standalone_else_stays_standalone() {
        assert_eq!(
            text("{{#if a}}\n  A\n  {{else}}\n  B\n{{/if}}").unwrap(),
            "{{#a}}\n  A\n  {{/a}}\n  {{^a}}\n  B\n{{/a}}"
        );
        assert_eq!(
            text("{{#if a}}A{{else}}B{{/if}}").unwrap(),
            "{{#a}}A{{/a}}{{^a}}B{{/a}}"
        );
        assert_eq!(
            text("{{#unless a}}A{{else}}B{{/unless}}").unwrap(),
            "{{^a}}A{{/a}}{{#a}}B{{/a}}"
        );
        assert_eq!(
            text("{{#each xs}}{{this}},{{this.n}}{{else}}none{{/each}}").unwrap(),
            "{{#xs}}{{.}},{{n}}{{/xs}}{{^xs}}none{{/xs}}"
        );
        assert_eq!(
            text("{{{raw}}} {{&amp}} {{!-- c --}}").unwrap(),
            "{{raw}} {{amp}} {{! c}}"
        );
        assert_eq!(text("{{> shared/Header}}").unwrap(), "{{> shared/header}}");
        assert_eq!(
            text("a{{role \"system\"}}b{{history}}{{media url=pic}}").unwrap(),
            "a<Role(\"system\")>b<History><Media { input: Some(\"pic\"), url: None, content_type: None }>"
        );
    }

    #[test]
    fn constructs_without_an_equivalent_are_named() {
        for (src, named) in [
            ("{{json x}}", "the helper `json`"),
            ("{{#each xs}}{{@index}}{{/each}}", "`@index`"),
            ("{{#each xs}}{{../name}}{{/each}}", "`../name`"),
            ("{{#with a}}{{/with}}", "`{{#with}}`"),
            ("{{~x}}", "whitespace control"),
            ("{{#if xs}}{{/if}}", "on an array"),
            ("{{#each xs as |x|}}{{/each}}", "block parameters"),
            ("{{upper (lower x)}}", "sub-expression"),
            ("\\{{x}}", "escaped"),
            ("{{#if a}}{{role \"user\"}}{{/if}}", "inside a block"),
            ("{{#if a}}A{{else if b}}B{{/if}}", "else-if"),
            ("{{#if a}}", "not closed"),
            ("{{> p ctx}}", "arguments"),
        ] {
            let err = text(src).unwrap_err();
            assert!(err.contains(named), "{src}: {err}");
        }
    }

    #[test]
    fn use_proves_lists_and_objects_but_not_inside_loops() {
        let got = proven_types(
            "{{#each tags}}{{this}} {{name.first}}{{/each}} {{user.name}} {{#if cfg.on}}x{{/if}} \
             {{plain}} {{#each more}}{{/each}} {{#tags}}{{/tags}}",
        );
        assert_eq!(
            got,
            [
                ("tags".to_string(), InputType::Array),
                ("user".to_string(), InputType::Object),
                ("cfg".to_string(), InputType::Object),
                ("more".to_string(), InputType::Array),
            ]
        );
    }

    #[test]
    fn outer_names_inside_each_are_found() {
        let inputs = ["lang".to_string(), "tags".to_string()];
        assert_eq!(
            outer_names_in_each(
                "{{lang}}{{#each tags}}{{this}} {{lang}} {{name}}{{/each}}",
                &inputs
            ),
            ["lang"]
        );
        assert!(outer_names_in_each("{{#if tags}}{{lang}}{{/if}}", &inputs).is_empty());
    }

    fn written(src: &str) -> Result<String, String> {
        let types = HashMap::from([
            ("tone".to_string(), InputType::String),
            ("tags".to_string(), InputType::Array),
            ("user".to_string(), InputType::Object),
            ("lang".to_string(), InputType::String),
        ]);
        write(src, &types, &mut Vec::new())
    }

    #[test]
    fn mustache_is_written_back_where_handlebars_has_it() {
        assert_eq!(
            written("{{#tags}}{{.}}{{/tags}}{{^tone}}x{{/tone}}").unwrap(),
            "{{#each tags}}{{this}}{{/each}}{{^tone}}x{{/tone}}"
        );
        assert!(written("{{=<% %>=}}")
            .unwrap_err()
            .contains("set delimiters"));
        assert!(written("{{<base}}{{/base}}")
            .unwrap_err()
            .contains("inheritance"));
        assert!(written("{{>*dyn}}")
            .unwrap_err()
            .contains("dynamic partial"));
    }

    /// Handlebars reads `{{#x}}` as a context change: a scalar's section is `{{#if}}`, a list's
    /// `{{#each}}`, an object's `{{#with}}`, and outer inputs inside a scope go through `@root`.
    #[test]
    fn sections_keep_their_meaning_under_handlebars_scoping() {
        assert_eq!(
            written("Answer{{#tone}} in a {{tone}} tone{{/tone}}. {{#tone}}[{{.}}]{{/tone}}")
                .unwrap(),
            "Answer{{#if tone}} in a {{tone}} tone{{/if}}. {{#if tone}}[{{tone}}]{{/if}}"
        );
        assert_eq!(
            written("{{#tags}}{{name}} ({{lang}}){{/tags}}").unwrap(),
            "{{#each tags}}{{name}} ({{@root.lang}}){{/each}}"
        );
        assert_eq!(
            written("{{#user}}{{first}} {{&last}} {{tone.x}}{{/user}}").unwrap(),
            "{{#with user}}{{first}} {{{last}}} {{@root.tone.x}}{{/with}}"
        );
        let mut notes = Vec::new();
        let out = write("{{#other}}{{x}}{{/other}}", &HashMap::new(), &mut notes).unwrap();
        assert_eq!(out, "{{#other}}{{x}}{{/other}}");
        assert!(notes[0].contains("kept as written"), "{notes:?}");
    }
}
