//! The prompts a prompt file includes (partials, parents, Jinja2 includes, extends and imports):
//! what the version model follows (contract §4) and what `list --includes` reports.

use crate::template::{Syntax, Template};

/// The ids of the prompts a prompt file includes (partials, parents, Jinja2 includes, extends and
/// imports), each once, in order: what the version model follows (contract §4). Every template
/// text is read in both syntaxes that have includes, since the file's own `template` is also read
/// as a partial by others, in their syntax; a superset is safe here (at worst, an extra version).
/// Files with no include tag at all (`{{>`, `{{<`, `{{=` for changed delimiters, `{%`) are not
/// parsed: most are like that, and a history walk asks this of every version of every file.
pub fn included_ids(bytes: &[u8]) -> Vec<String> {
    if !may_include(bytes) {
        return Vec::new();
    }
    let Ok(loaded) = crate::model::load::parse_bytes(bytes) else {
        return Vec::new();
    };
    let mut names: Vec<String> = Vec::new();
    for field in loaded.prompt.template_texts() {
        for syntax in [Syntax::Mustache, Syntax::Jinja2] {
            if let Ok(t) = Template::parse(syntax, field.text) {
                for p in t.partials() {
                    if !names.contains(&p.name) {
                        names.push(p.name);
                    }
                }
            }
        }
    }
    names
}

/// Whether the bytes hold something that could be an include tag.
fn may_include(bytes: &[u8]) -> bool {
    if memchr::memmem::find(bytes, b"{%").is_some() {
        return true;
    }
    memchr::memmem::find_iter(bytes, b"{{").any(|at| {
        bytes[at + 2..]
            .iter()
            .find(|b| !b.is_ascii_whitespace())
            .is_some_and(|b| matches!(b, b'>' | b'<' | b'='))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn included_ids_are_read_from_every_template_text() {
        let mustache = "format: 1\ntemplate: |\n  {{> shared/tone}} {{>x/y}} {{name}}\n";
        assert_eq!(
            included_ids(mustache.as_bytes()),
            vec!["shared/tone", "x/y"]
        );
        let jinja = "format: 1\ntemplate_format: jinja2\ntemplate: \"{% include 'j/k' %}\"\n";
        assert_eq!(included_ids(jinja.as_bytes()), vec!["j/k"]);
        assert!(included_ids(b"format: 1\ntemplate: Hi {{name}}\n").is_empty());
    }
}
