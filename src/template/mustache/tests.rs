//! Tests of the mustache engine: the official spec suites (vendored in tests/fixtures) and the
//! product's additions (strict mode, limits, positions).

mod spec_tests {
    use super::super::*;
    use crate::template::Escape;
    use std::collections::HashMap;
    use std::path::PathBuf;

    /// The vendored copy of the official spec (tests/fixtures/mustache-spec, with its licence).
    /// A missing file fails the test: a suite that silently skips proves nothing.
    fn suite(file: &str) -> Value {
        let path: PathBuf = [
            env!("CARGO_MANIFEST_DIR"),
            "tests/fixtures/mustache-spec",
            file,
        ]
        .iter()
        .collect();
        let text = std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("mustache spec fixture {} missing: {e}", path.display()));
        serde_json::from_str(&text).unwrap()
    }

    /// Runs every test of one spec file (HTML escaping on, lenient: the conformance the product
    /// promises for `--lenient` with `escape: html`) and returns how many passed; fails listing
    /// every test that did not.
    fn run_suite(file: &str, expected_count: usize) {
        let opts = RenderOptions {
            escape: Escape::Html,
            strict: false,
            ..Default::default()
        };
        let doc = suite(file);
        let tests = doc["tests"].as_array().unwrap();
        assert_eq!(tests.len(), expected_count, "{file}: test count changed");
        let mut failures = Vec::new();
        for test in tests {
            let name = format!("{file}: {}", test["name"].as_str().unwrap());
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
                Ok(text) if text == expected => {}
                other => failures.push(format!(
                    "{name}\n  expected: {expected:?}\n  got:      {other:?}"
                )),
            }
        }
        println!(
            "mustache spec {file}: {} passed, {} failed",
            tests.len() - failures.len(),
            failures.len()
        );
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    }

    #[test]
    fn spec_comments() {
        run_suite("comments.json", 12);
    }

    #[test]
    fn spec_delimiters() {
        run_suite("delimiters.json", 14);
    }

    #[test]
    fn spec_interpolation() {
        run_suite("interpolation.json", 42);
    }

    #[test]
    fn spec_inverted() {
        run_suite("inverted.json", 22);
    }

    #[test]
    fn spec_partials() {
        run_suite("partials.json", 12);
    }

    #[test]
    fn spec_sections() {
        run_suite("sections.json", 34);
    }

    #[test]
    fn spec_inheritance() {
        run_suite("~inheritance.json", 27);
    }

    #[test]
    fn spec_dynamic_names() {
        run_suite("~dynamic-names.json", 21);
    }
}

mod unit {
    use super::super::*;
    use crate::template::{Escape, NoPartials};
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

mod inheritance {
    use super::super::*;
    use crate::template::NoPartials;
    use serde_json::json;
    use std::collections::HashMap;

    fn partials(list: &[(&str, &str)]) -> HashMap<String, String> {
        list.iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn strict_mode_names_a_missing_parent_and_a_missing_dynamic_name() {
        let t = Template::parse("x\n{{<base}}{{$a}}1{{/a}}{{/base}}").unwrap();
        let err = t
            .render(&json!({}), &NoPartials, &RenderOptions::default())
            .unwrap_err();
        assert_eq!(
            err,
            RenderError::MissingPartial {
                name: "base".into(),
                pos: Pos::new(2, 1)
            }
        );
        let t = Template::parse("{{>*which}}").unwrap();
        let err = t
            .render(&json!({}), &NoPartials, &RenderOptions::default())
            .unwrap_err();
        assert!(
            matches!(&err, RenderError::MissingVariable { name, .. } if name == "which"),
            "{err:?}"
        );
    }

    #[test]
    fn an_override_that_expands_itself_stops_at_the_depth_limit() {
        let t = Template::parse("{{<p}}{{$a}}[{{$a}}{{/a}}]{{/a}}{{/p}}").unwrap();
        let err = t
            .render(
                &json!({}),
                &partials(&[("p", "{{$a}}{{/a}}")]),
                &RenderOptions::default(),
            )
            .unwrap_err();
        assert!(matches!(err, RenderError::PartialDepth { .. }), "{err:?}");
    }

    #[test]
    fn variables_of_blocks_and_dynamic_names_are_listed() {
        let t = Template::parse(
            "{{<base}}{{$body}}{{who}}{{/body}}ignored {{not_me}}{{/base}}{{$tail}}{{end}}{{/tail}}{{>*pick}}",
        )
        .unwrap();
        let names: Vec<String> = t.variables().iter().map(VarUse::dotted).collect();
        assert_eq!(names, ["who", "end", "pick"]);
        let parents = t.parents();
        assert_eq!(parents.len(), 1);
        assert_eq!(parents[0].name, "base");
        assert_eq!(parents[0].blocks, [("body".to_string(), Pos::new(1, 10))]);
        assert_eq!(t.block_names(), ["body", "tail"]);
        let p: Vec<(String, bool)> = t
            .partials()
            .into_iter()
            .map(|p| (p.name, p.parent))
            .collect();
        assert_eq!(p, [("base".to_string(), true)]);
    }

    #[test]
    fn parse_errors_for_inheritance_tags() {
        let err = Template::parse("{{<base}}{{$a}}{{/base}}").unwrap_err();
        assert!(err.message.contains("does not match"), "{err}");
        let err = Template::parse("{{$a}}").unwrap_err();
        assert!(err.message.contains("unclosed section"), "{err}");
        let err = Template::parse("{{< }}{{/}}").unwrap_err();
        assert!(err.message.contains("empty partial name"), "{err}");
    }

    #[test]
    fn a_base_prompt_with_an_indented_block() {
        let base = "You help {{customer}}.\n  {{$rules}}\n  Be brief.\n  {{/rules}}\nThanks.\n";
        let child = "{{<base}}\n{{$rules}}\nOnly {{plan}}.\nNo promises.\n{{/rules}}\n{{/base}}\n";
        let ctx = json!({"customer": "Ada", "plan": "Pro"});
        let map = partials(&[("base", base)]);
        let out = Template::parse(child)
            .unwrap()
            .render(&ctx, &map, &RenderOptions::default())
            .unwrap();
        assert_eq!(out, "You help Ada.\n  Only Pro.\n  No promises.\nThanks.\n");
    }
}
