//! Unit tests of the f-string engine; the differential corpus against Python is in
//! `differential.rs`.

use super::*;
use serde_json::json;

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
    Template::parse(src).unwrap().render(&ctx, &strict())
}

fn parse_err(src: &str) -> ParseError {
    Template::parse(src).expect_err(src)
}

#[test]
fn names_attributes_and_indexes() {
    let ctx = json!({
        "x": "X", "user": {"name": "Ann", "tags": ["a", "b"]},
        "rows": [{"id": 1}, {"id": 2}], "m": {"0": "zero", "k-1": "dash"}
    });
    let cases = [
        ("{x}", "X"),
        ("Hi {user.name}!", "Hi Ann!"),
        ("{user[name]}", "Ann"),
        ("{user.tags[1]}", "b"),
        ("{rows[1].id}", "2"),
        ("{user[tags][0]}", "a"),
        ("{m[0]}", "zero"),
        ("{m[k-1]}", "dash"),
        ("{user.tags}", "['a', 'b']"),
        ("{{x}} {{{x}}} }}{{", "{x} {X} }{"),
        ("a\nb", "a\nb"),
    ];
    for (src, want) in cases {
        assert_eq!(render(src, ctx.clone()).unwrap(), want, "{src}");
    }
}

#[test]
fn values_render_as_python_objects() {
    // As `json.loads` makes them; a null (an optional input not given) is empty text.
    let ctx = json!({"t": true, "f": false, "n": null, "i": 3, "x": 1.0, "o": {"a": [1]}});
    assert_eq!(
        render("{t} {f} [{n}] {i} {x} {o}", ctx).unwrap(),
        "True False [] 3 1.0 {'a': [1]}"
    );
    // Never escaped, never rendered again.
    let ctx = json!({"v": "<&> {v} {{v}}"});
    assert_eq!(render("{v}", ctx).unwrap(), "<&> {v} {{v}}");
}

#[test]
fn conversions() {
    let ctx = json!({"s": "it's \"é\"", "n": 5, "l": ["😀"]});
    assert_eq!(render("{s!s}|{n!s}", ctx.clone()).unwrap(), "it's \"é\"|5");
    // Python's repr: single quotes unless the text holds one and no double quote.
    assert_eq!(
        render("{s!r}|{n!r}|{l!r}", ctx.clone()).unwrap(),
        r#"'it\'s "é"'|5|['😀']"#
    );
    assert_eq!(
        render("{s!a}|{l!a}", ctx.clone()).unwrap(),
        r#"'it\'s "\xe9"'|['\U0001f600']"#
    );
    assert_eq!(
        render("{n!s:>3}|{n!r:<3}|", ctx.clone()).unwrap(),
        "  5|5  |"
    );
    let err = render("{n!s:d}", ctx).unwrap_err();
    assert!(matches!(err, RenderError::BadFormat { .. }), "{err:?}");
}

#[test]
fn format_specs_match_python() {
    // Expected values produced by CPython's str.format.
    let cases = [
        ("{x:>8}", json!("abc"), "     abc"),
        ("{x:<8}|", json!("abc"), "abc     |"),
        ("{x:^8}|", json!("abc"), "  abc   |"),
        ("{x:*^9}", json!("abc"), "***abc***"),
        ("{x:.2}", json!("abcdef"), "ab"),
        ("{x:10.2s}|", json!("abcdef"), "ab        |"),
        ("{x:.1}", json!("éa"), "é"),
        ("{x:d}", json!(42), "42"),
        ("{x:+d}", json!(42), "+42"),
        ("{x: d}", json!(42), " 42"),
        ("{x:05d}", json!(-42), "-0042"),
        ("{x:=+8d}", json!(42), "+     42"),
        ("{x:,}", json!(1234567), "1,234,567"),
        ("{x:_d}", json!(-1234567), "-1_234_567"),
        ("{x:.2f}", json!(1.23456), "1.23"),
        ("{x:f}", json!(2), "2.000000"),
        ("{x:8.3f}|", json!(-1.23456), "  -1.235|"),
        ("{x:,.2f}", json!(1234567.891), "1,234,567.89"),
        ("{x:.0f}", json!(2.5), "2"),
        ("{x:e}", json!(12345.678), "1.234568e+04"),
        ("{x:.2E}", json!(0.000123), "1.23E-04"),
        ("{x:.3e}", json!(0), "0.000e+00"),
        ("{x:%}", json!(0.25), "25.000000%"),
        ("{x:.1%}", json!(0.1234), "12.3%"),
        ("{x:g}", json!(1234567.0), "1.23457e+06"),
        ("{x:g}", json!(0.0001), "0.0001"),
        ("{x:g}", json!(0.00001), "1e-05"),
        ("{x:.3g}", json!(1234.5), "1.23e+03"),
        ("{x:G}", json!(1e-10), "1E-10"),
        ("{x:g}", json!(100.0), "100"),
        ("{x:g}", json!(0), "0"),
        ("{x:.3}", json!(1.0), "1.0"),
        ("{x:.3}", json!(123.0), "1.23e+02"),
        ("{x:.3}", json!(12.0), "12.0"),
        ("{x:.2}", json!(1.23456), "1.2"),
        ("{x}", json!(1.5), "1.5"),
        ("{x:10}|", json!(1.5), "       1.5|"),
        ("{x:<6}|", json!(7), "7     |"),
        ("{x:06.2f}", json!(-1.5), "-01.50"),
        ("{x:x<4}", json!(7), "7xxx"),
        ("{x:0<5}", json!(7), "70000"),
        ("{x:05}", json!("ab"), "ab000"),
        ("{x:}", json!("as is"), "as is"),
    ];
    for (src, v, want) in cases {
        assert_eq!(
            render(src, json!({ "x": v })).unwrap(),
            want,
            "{src} with {v}"
        );
    }
}

#[test]
fn null_is_empty_whatever_the_spec() {
    // The one product rule: an optional input that was not given renders as nothing.
    assert_eq!(
        render("[{x:.2f}][{x:>3}]", json!({"x": null})).unwrap(),
        "[][   ]"
    );
}

#[test]
fn format_mismatches_are_render_errors_naming_the_field() {
    let cases = [
        (
            "{price:d}",
            json!({"price": 3.0}),
            "cannot format a float as `d`",
        ),
        (
            "{price:.2f}",
            json!({"price": "3.5"}),
            "formats numbers, but the value is a string",
        ),
        ("{price:+}", json!({"price": "x"}), "has a sign"),
        ("{price:,}", json!({"price": "x"}), "thousands separator"),
        ("{price:=5}", json!({"price": "x"}), "`=` alignment"),
        ("{price:e}", json!({"price": [1]}), "cannot format a list"),
    ];
    for (src, ctx, needle) in cases {
        let err = render(src, ctx).unwrap_err();
        let RenderError::BadFormat {
            field,
            message,
            pos,
        } = &err
        else {
            panic!("{src}: {err:?}");
        };
        assert_eq!(field, "price");
        assert_eq!(*pos, Pos::new(1, 1));
        assert!(message.contains(needle), "{src}: {message}");
        assert!(err
            .to_string()
            .starts_with("cannot format `price` (used at line 1, column 1)"));
    }
}

#[test]
fn strict_and_lenient_lookups() {
    let ctx = json!({"a": {"b": 1}, "l": [1, 2], "s": "str"});
    let cases: [(&str, RenderError); 6] = [
        (
            "x\n {missing}",
            RenderError::MissingVariable {
                name: "missing".into(),
                pos: Pos::new(2, 2),
            },
        ),
        (
            "{a.c}",
            RenderError::MissingVariable {
                name: "a.c".into(),
                pos: Pos::new(1, 1),
            },
        ),
        (
            "{l[5]}",
            RenderError::IndexOutOfRange {
                field: "l[5]".into(),
                index: 5,
                len: 2,
                pos: Pos::new(1, 1),
            },
        ),
        (
            "{s.len}",
            RenderError::NotIndexable {
                field: "s.len".into(),
                segment: ".len".into(),
                found: "a string",
                pos: Pos::new(1, 1),
            },
        ),
        (
            "{l[x]}",
            RenderError::NotIndexable {
                field: "l[x]".into(),
                segment: "[x]".into(),
                found: "a list",
                pos: Pos::new(1, 1),
            },
        ),
        (
            "{a.b.c}",
            RenderError::NotIndexable {
                field: "a.b.c".into(),
                segment: ".c".into(),
                found: "a number",
                pos: Pos::new(1, 1),
            },
        ),
    ];
    for (src, want) in cases {
        let t = Template::parse(src).unwrap();
        assert_eq!(t.render(&ctx, &strict()), Err(want), "{src}");
        let lenient_out = t.render(&ctx, &lenient()).unwrap();
        assert_eq!(lenient_out, src.split('{').next().unwrap(), "{src}");
    }
    let err = render("{l[5]}", ctx).unwrap_err().to_string();
    assert_eq!(
        err,
        "index 5 is out of range in `l[5]` (used at line 1, column 1): the list has 2 elements"
    );
}

#[test]
fn parse_errors_with_positions() {
    let cases: &[(&str, (usize, usize), &str)] = &[
        ("ab}", (1, 3), "single `}`"),
        ("é\n  } {{", (2, 3), "single `}`"),
        ("x {y", (1, 3), "unclosed field"),
        ("x {y:>5", (1, 3), "unclosed field"),
        ("x {y!r", (1, 3), "unclosed field"),
        ("{a[0", (1, 1), "unclosed field"),
        ("{a[0}", (1, 1), "missing `]`"),
        ("{}", (1, 1), "empty field"),
        ("a {0}", (1, 3), "positional field"),
        ("{12}", (1, 1), "positional field"),
        ("{a b}", (1, 1), "bad field name"),
        ("{.a}", (1, 1), "bad field name"),
        ("{[0]}", (1, 1), "bad field name"),
        ("{a.}", (1, 1), "bad attribute"),
        ("{a..b}", (1, 1), "bad attribute"),
        ("{a[]}", (1, 1), "empty index"),
        ("{a[0]b}", (1, 1), "only `.` or `[` may follow `]`"),
        ("{a{b}}", (1, 1), "`{` inside a field name"),
        ("{a!x}", (1, 1), "unknown conversion `!x`"),
        ("{a!}", (1, 1), "missing conversion"),
        ("{a!rr}", (1, 1), "expected `:` or `}`"),
        ("{a:{w}}", (1, 1), "nested fields"),
        ("{a:y}", (1, 1), "unknown type `y`"),
        ("{a:#s}", (1, 1), "alternate form `#`"),
        ("{a:,x}", (1, 1), "`,` cannot be used with `x`"),
        ("{a:.2x}", (1, 1), "precision is not allowed with `x`"),
        ("{a:5.}", (1, 1), "precision is needed"),
        ("{a:.5000f}", (1, 1), "larger than 1000"),
        ("{a:99999999999999999999999}", (1, 1), "width is too large"),
        ("{a:+s}", (1, 1), "a sign applies to numbers"),
        ("{a:,s}", (1, 1), "thousands separator"),
        ("{a:=5s}", (1, 1), "`=` alignment"),
        ("{a:.2d}", (1, 1), "precision is not allowed"),
        ("{a:5d5}", (1, 1), "expected [[fill]align]"),
    ];
    for (src, (line, col), needle) in cases {
        let err = parse_err(src);
        assert_eq!(err.pos, Pos::new(*line, *col), "{src:?}: {err}");
        assert!(err.message.contains(needle), "{src:?}: {err}");
    }
}

#[test]
fn variables_with_paths_and_positions() {
    let t = Template::parse("Hi {name}\n  {a.b[0].c!r:>4} {{x}} {m[k]}").unwrap();
    let got: Vec<_> = t
        .variables()
        .into_iter()
        .map(|v| (v.path, v.pos, v.kind))
        .collect();
    assert_eq!(
        got,
        [
            (
                vec!["name".to_string()],
                Pos::new(1, 4),
                UseKind::Interpolation
            ),
            (
                ["a", "b", "0", "c"].map(String::from).to_vec(),
                Pos::new(2, 3),
                UseKind::Interpolation
            ),
            (
                ["m", "k"].map(String::from).to_vec(),
                Pos::new(2, 25),
                UseKind::Interpolation
            ),
        ]
    );
}

#[test]
fn huge_width_stops_at_the_output_limit() {
    let opts = RenderOptions {
        max_output_bytes: 100,
        ..Default::default()
    };
    let t = Template::parse("{x:99999999999}").unwrap();
    assert_eq!(
        t.render(&json!({"x": 1}), &opts),
        Err(RenderError::OutputTooLarge { limit: 100 })
    );
}

#[test]
fn parse_and_render_never_panic_on_arbitrary_text() {
    let pieces = [
        "{", "}", "{{", "}}", "a", "b", ".", "[", "]", "0", "1", "!", "r", "s", ":", ">", "<", "^",
        "=", "+", ",", "_", "f", "d", "e", "%", "g", " ", "\n", "é", "😀", "x", "5",
    ];
    let mut seed = 11u64;
    let mut next = || {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (seed >> 33) as usize
    };
    let ctx = json!({"a": {"b": [1.5, "s"], "0": -2}, "b": [null, true], "x": 123456});
    let mut parsed = 0;
    for _ in 0..30_000 {
        let len = next() % 16;
        let src: String = (0..len).map(|_| pieces[next() % pieces.len()]).collect();
        match Template::parse(&src) {
            Ok(t) => {
                parsed += 1;
                let _ = t.variables();
                for opts in [strict(), lenient()] {
                    let _ = t.render(&ctx, &opts);
                }
            }
            Err(e) => assert!(e.pos.line >= 1 && e.pos.col >= 1, "{src:?}"),
        }
    }
    assert!(parsed > 1000, "only {parsed} parsed");
}
