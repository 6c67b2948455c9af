//! The f-string engine against Python's `str.format`: every case of the corpus that
//! tests/differential/gen_fstring.py generated with Python (tests/fixtures/fstring/corpus.json).

use super::Template;
use crate::template::corpus;
use crate::template::RenderOptions;

#[test]
fn python_str_format_corpus() {
    let doc = corpus::fixture("fstring/corpus.json");
    assert!(
        doc["cases"].as_array().unwrap().len() >= 600,
        "corpus too small"
    );
    let values = &doc["values"];
    corpus::compare("f-string corpus", &doc, |case| {
        Template::parse(case["template"].as_str().unwrap())
            .map_err(|e| e.to_string())?
            .render(values, &RenderOptions::default())
            .map_err(|e| e.to_string())
    });
}
