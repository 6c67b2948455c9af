//! Object and array inputs with a JSON Schema for their value (contract §3): values are checked
//! against it when rendering (from `--vars`, samples, defaults, a bundle or the server alike, as
//! they share one render path), and `check` reports schemas that cannot judge anything and
//! samples, examples or defaults that do not satisfy them.

use crate::common::TestRepo;

const CUSTOMER: &str = "format: 1
inputs:
  customer:
    type: object
    schema: {properties: {name: {type: string}, tier: {enum: [free, pro]}}, required: [name]}
  orders:
    type: array
    schema: {items: {type: integer}, maxItems: 3}
    default: [1, 2]
template: \"{{customer.name}} ({{customer.tier}}): {{#orders}}{{.}} {{/orders}}\"
samples:
  pro: {customer: {name: Ann, tier: pro}}
";

#[test]
fn values_are_rendered_only_when_they_satisfy_the_schema() {
    let repo = TestRepo::new();
    repo.write_prompt("crm/greet", CUSTOMER);
    repo.prompt(&["check"]).success();
    repo.prompt(&["render", "crm/greet", "--sample", "pro"])
        .success()
        .stdout_has("Ann (pro): 1 2");

    repo.write(
        "good.json",
        r#"{"customer": {"name": "Bo", "tier": "free"}, "orders": [7]}"#,
    );
    repo.prompt(&["render", "crm/greet", "--vars", "good.json"])
        .success()
        .stdout_has("Bo (free): 7");

    // A property outside its enum, a missing required property, an item of the wrong type, too
    // many items: each is refused, naming the input and the place in the value.
    for (values, needle) in [
        (
            r#"{"customer": {"name": "Bo", "tier": "gold"}}"#,
            "`customer` does not match its schema: at /tier",
        ),
        (
            r#"{"customer": {"tier": "pro"}}"#,
            "`customer` does not match its schema: \"name\" is a required property",
        ),
        (
            r#"{"customer": {"name": "Bo"}, "orders": [1, "two"]}"#,
            "`orders` does not match its schema: at /1",
        ),
        (
            r#"{"customer": {"name": "Bo"}, "orders": [1, 2, 3, 4]}"#,
            "`orders` does not match its schema",
        ),
    ] {
        repo.write("bad.json", values);
        let out = repo
            .prompt(&["render", "crm/greet", "--vars", "bad.json"])
            .code(1)
            .stderr_has(needle);
        assert_eq!(out.stdout, "", "nothing is rendered for {values}");
    }
}

#[test]
fn check_reports_schemas_that_cannot_judge_and_values_that_do_not_satisfy_them() {
    let repo = TestRepo::new();
    repo.write_prompt(
        "crm/bad",
        "format: 1
inputs:
  name:
    type: string
    schema: {type: string}
  customer:
    type: object
    schema: {type: strng}
  orders:
    type: array
    schema: {items: {type: integer}}
    default: [one]
template: \"{{name}} {{customer}} {{orders}}\"
samples:
  wrong: {name: x, customer: {}, orders: [1, x]}
",
    );
    let out = repo.prompt(&["check", "--format", "json"]).code(1);
    let report = out.json();
    let messages: Vec<String> = report["diagnostics"]
        .as_array()
        .or_else(|| report.as_array())
        .cloned()
        .unwrap_or_default()
        .iter()
        .map(|d| {
            format!(
                "{} {}:{} {}",
                d["rule"], d["line"], d["column"], d["message"]
            )
        })
        .collect();
    let all = messages.join("\n");
    assert!(
        all.contains(
            "`schema` describes the value of an object or array input; `name` is a string"
        ),
        "{all}"
    );
    assert!(all.contains("\"json-schema\""), "{all}");
    assert!(
        all.contains("the default of `orders` does not match its schema"),
        "{all}"
    );
    assert!(all.contains("`orders` does not match its schema"), "{all}");
}

#[test]
fn diff_shows_schema_changes_and_a_new_schema_is_breaking() {
    let repo = TestRepo::new();
    let plain = "format: 1
inputs:
  customer:
    type: object
template: \"{{customer.name}}\"
";
    repo.write_prompt("crm/greet", plain);
    repo.prompt(&["commit", "-m", "Greeting"]).success();
    let with_schema = plain.replace(
        "    type: object\n",
        "    type: object\n    schema: {required: [name], properties: {tier: {enum: [free, pro]}}}\n",
    );
    repo.write_prompt("crm/greet", &with_schema);
    repo.prompt(&["check", "--against", "@1"])
        .code(1)
        .stdout_has("input `customer` now has a schema");
    repo.prompt(&["commit", "-m", "Customer schema"]).success();
    repo.write_prompt(
        "crm/greet",
        &with_schema.replace("[free, pro]", "[free, pro, team]"),
    );
    repo.prompt(&["diff", "crm/greet"])
        .success()
        .stdout_has("inputs.customer.schema.properties.tier.enum: [free, pro] → [free, pro, team]");
}
