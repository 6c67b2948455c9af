//! The Jinja2 engine against Python's `jinja2`: every case of the corpus that
//! tests/differential/gen_jinja2.py generated with Python (tests/fixtures/jinja2/corpus.json),
//! with the includes it lists standing in for other prompts of the registry.

use std::collections::HashMap;

use super::Template;
use crate::template::{corpus, Escape, RenderOptions};

#[test]
fn python_jinja2_corpus() {
    let doc = corpus::fixture("jinja2/corpus.json");
    let values = &doc["values"];
    let includes: HashMap<String, String> = doc["includes"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(k, v)| (k.clone(), v.as_str().unwrap().to_string()))
        .collect();
    corpus::compare("jinja2 corpus", &doc, |case| {
        let opts = RenderOptions {
            strict: case.get("lenient").is_none(),
            escape: if case.get("escape").is_some() {
                Escape::Html
            } else {
                Escape::None
            },
            ..Default::default()
        };
        Template::parse(case["template"].as_str().unwrap())
            .map_err(|e| e.to_string())?
            .render(values, &includes, &opts)
            .map_err(|e| e.to_string())
    });
}
