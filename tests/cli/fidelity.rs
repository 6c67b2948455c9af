//! What other tools and today's provider APIs accept (issue 26): provider bodies the servers
//! take, values read as their format defines, and imports that keep the source's meaning.

use crate::common::TestRepo;

#[test]
fn check_says_what_bodies_do_with_a_system_image_and_reasoning_parameters() {
    let repo = TestRepo::new();
    repo.write_prompt(
        "logo",
        "format: 1
model: {provider: openai, name: o3-mini, params: {max_completion_tokens: 200, temperature: 0.3}}
inputs: {logo: {type: image}}
messages:
  - role: system
    content: [{text: 'About this logo:'}, {image: logo}]
  - {role: user, content: Describe it.}
",
    );
    let out = repo.prompt(&["check", "logo"]).success();
    let all = format!("{}{}", out.stdout, out.stderr);
    assert!(
        all.contains("no provider takes an image or audio in a system message"),
        "{all}"
    );
    assert!(
        all.contains("`o3-mini` is a reasoning model, which does not take temperature"),
        "{all}"
    );
    let out = repo
        .prompt(&[
            "render",
            "logo",
            "-f",
            "openai",
            "--var",
            "logo=https://x.test/l.png",
        ])
        .success();
    let body = out.json();
    assert_eq!(body["max_completion_tokens"], 200);
    assert!(body.get("temperature").is_none());
    assert_eq!(body["messages"][1]["content"][0]["type"], "image_url");
    assert!(
        out.stderr.contains("moved to the first user message"),
        "{}",
        out.stderr
    );
}

#[test]
fn max_completion_tokens_is_the_cap_for_anthropic() {
    let repo = TestRepo::new();
    repo.write_prompt(
        "cap",
        "format: 1
model: {provider: anthropic, name: claude-sonnet-4-5, params: {max_completion_tokens: 300}}
template: Hi.
",
    );
    repo.prompt(&["check", "cap"]).success();
    let body = repo
        .prompt(&["render", "cap", "-f", "anthropic"])
        .success()
        .json();
    assert_eq!(body["max_tokens"], 300);
}

#[test]
fn a_json_values_file_is_read_as_json() {
    let repo = TestRepo::new();
    repo.write_prompt(
        "greet",
        "format: 1\ninputs: {name: {type: string}}\ntemplate: 'Hi {{name}}'\n",
    );
    // What Python's json.dumps writes for an emoji: a surrogate pair escape.
    repo.write("values.json", "{\"name\": \"\\ud83d\\udc4b\"}\n");
    let out = repo
        .prompt(&["render", "greet", "--vars", "values.json"])
        .success();
    assert_eq!(out.stdout, "Hi 👋");
}

#[test]
fn an_optional_jinja2_input_without_a_value_is_undefined() {
    let repo = TestRepo::new();
    repo.write_prompt(
        "tone",
        "format: 1
template_format: jinja2
inputs: {tone: {type: string, required: false}}
template: '{{ tone | default(\"neutral\") }}/{{ tone is defined }}'
",
    );
    let out = repo.prompt(&["render", "tone"]).success();
    assert_eq!(out.stdout, "neutral/False");
    let out = repo
        .prompt(&["render", "tone", "--var", "tone=warm"])
        .success();
    assert_eq!(out.stdout, "warm/True");
    // A bare use is an error in strict mode, as with Jinja2's StrictUndefined.
    repo.write_prompt(
        "bare",
        "format: 1
template_format: jinja2
inputs: {tone: {type: string, required: false}}
template: 'Tone: {{ tone }}'
",
    );
    repo.prompt(&["render", "bare"]).code(1).stderr_has("tone");
    let out = repo.prompt(&["render", "bare", "--lenient"]).success();
    assert_eq!(out.stdout, "Tone: ");
}

/// Trailing spaces are text (a markdown hard break): every import writes them exactly, and a
/// Langfuse round trip gives the same prompt back.
#[test]
fn imports_keep_trailing_white_space_exactly() {
    let repo = TestRepo::new();
    repo.git(&["add", ".prompts.yaml"]);
    repo.git(&["commit", "-q", "-m", "registry config"]);
    let text = "Line one  \nLine two\t\nLine three\n";
    let langfuse = serde_json::json!({
        "name": "hard-break", "type": "text", "prompt": text, "config": {},
        "labels": [], "tags": [], "version": 1
    });
    repo.write("lf.json", &langfuse.to_string());
    repo.prompt(&["import", "lf.json", "--from", "langfuse"])
        .success();
    let out = repo.prompt(&["render", "hard-break"]).success();
    assert_eq!(out.stdout, text);
    repo.prompt(&["commit", "-m", "import"]).success();
    let body = repo
        .prompt(&["export", "hard-break", "--to", "langfuse"])
        .success()
        .json();
    assert_eq!(body["prompt"], text);

    repo.write(
        "dp.prompt",
        "---\nmodel: googleai/gemini-2.0-flash\n---\nLine one  \nLine two {{name}}\n",
    );
    repo.prompt(&["import", "dp.prompt", "--from", "dotprompt"])
        .success();
    let out = repo
        .prompt(&["render", "dp", "--var", "name=x", "-f", "json"])
        .success();
    assert!(
        out.json()["messages"][0]["content"]
            .as_str()
            .unwrap()
            .starts_with("Line one  \nLine two x"),
        "{}",
        out.stdout
    );

    repo.write(
        "pty.prompty",
        "---\nname: pty\nmodel:\n  id: gpt-4o\n  api: chat\n---\nsystem:\nBe brief.  \nStill.\n\nuser:\n{{q}}\n",
    );
    repo.prompt(&["import", "pty.prompty", "--from", "prompty"])
        .success();
    let out = repo
        .prompt(&["render", "pty", "--var", "q=x", "-f", "json"])
        .success();
    assert_eq!(out.json()["messages"][0]["content"], "Be brief.  \nStill.");
}

/// Handlebars reads `{{#tone}}` as a context change (inside, `{{tone}}` is looked up on the
/// string and prints nothing): the export writes `{{#if}}` for a scalar, `{{#each}}` for a list.
#[test]
fn dotprompt_export_writes_handlebars_blocks_with_the_same_meaning() {
    let repo = TestRepo::new();
    repo.write_prompt(
        "answer",
        "format: 1
model: {provider: google, name: gemini-2.0-flash}
inputs:
  tone: {type: string, required: false}
  tags: {type: array, required: false}
  lang: {type: string}
template: 'Answer{{#tone}} in a {{tone}} tone{{/tone}}.{{#tags}} #{{.}}/{{lang}}{{/tags}}'
",
    );
    let file = repo
        .prompt(&["export", "answer", "--to", "dotprompt"])
        .success()
        .stdout;
    assert!(
        file.contains("Answer{{#if tone}} in a {{tone}} tone{{/if}}.{{#each tags}} #{{this}}/{{@root.lang}}{{/each}}"),
        "{file}"
    );
}

/// Without a schema, a dotprompt import declares what the template's use proves, so the
/// source's own data renders: `{{#each}}` a list, `{{user.name}}` an object; an audio
/// `{{media}}` is an audio part and a video one is refused, never sent as an image.
#[test]
fn dotprompt_import_declares_what_the_template_proves() {
    let repo = TestRepo::new();
    repo.write(
        "tags.prompt",
        "---\nmodel: googleai/gemini-2.0-flash\n---\nHi {{user.name}}.{{#each tags}} #{{this}}{{/each}}\n{{media url=clip contentType=\"audio/mpeg\"}}\n",
    );
    repo.prompt(&["import", "tags.prompt", "--from", "dotprompt"])
        .success();
    let yaml = repo.read("prompts/tags.prompt.yaml");
    assert!(yaml.contains("tags:\n    type: array"), "{yaml}");
    assert!(yaml.contains("user:\n    type: object"), "{yaml}");
    assert!(yaml.contains("clip:\n    type: audio"), "{yaml}");
    assert!(yaml.contains("audio: clip"), "{yaml}");
    repo.prompt(&["check", "tags"]).success();
    repo.write(
        "data.json",
        r#"{"user": {"name": "Ann"}, "tags": ["a", "b"], "clip": "data:audio/mpeg;base64,SUQz"}"#,
    );
    let out = repo
        .prompt(&["render", "tags", "--vars", "data.json", "-f", "json"])
        .success();
    let body = out.json();
    assert_eq!(body["messages"][0]["content"][0]["text"], "Hi Ann. #a #b\n");
    assert_eq!(body["messages"][0]["content"][1]["type"], "audio");

    repo.write(
        "video.prompt",
        "---\nmodel: googleai/gemini-2.0-flash\n---\n{{media url=clip contentType=\"video/mp4\"}}\n",
    );
    repo.prompt(&["import", "video.prompt", "--from", "dotprompt"])
        .code(1)
        .stderr_has("video/mp4");
}

/// A Prompty file imports with what Prompty sends: its function tools as `tools` (bound
/// parameters left out), its outputs as the strict, closed schema, mustache with `escape: html`
/// (Prompty's mustache escapes), Jinja2 kept as Jinja2. Compared with the wire fields Prompty's
/// own OpenAI executor gave (tests/interchange/run.sh wrote them to cases.expected.json).
#[test]
fn prompty_import_sends_the_tools_and_output_schema_prompty_sends() {
    let root = format!(
        "{}/tests/fixtures/interchange/prompty",
        env!("CARGO_MANIFEST_DIR")
    );
    let expected: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(format!("{root}/cases.expected.json")).unwrap(),
    )
    .unwrap();
    let want = expected
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == "tools-escape")
        .expect("the tools-escape case was rendered by Prompty");
    let repo = TestRepo::new();
    repo.prompt(&[
        "import",
        &format!("{root}/tools-escape.prompty"),
        "--from",
        "prompty",
    ])
    .success()
    .stderr_has("bound to inputs (unit)");
    let yaml = repo.read("prompts/tools-escape.prompt.yaml");
    assert!(yaml.contains("escape: html"), "{yaml}");
    repo.prompt(&["check", "tools-escape"]).success();
    let body = repo
        .prompt(&[
            "render",
            "tools-escape",
            "-f",
            "openai",
            "--var",
            "question=Is <b>rain</b> & \"wind\" likely?",
        ])
        .success()
        .json();
    assert_eq!(body["tools"], want["tools"]);
    assert_eq!(body["response_format"], want["response_format"]);
    assert_eq!(body["messages"][1]["content"], want["messages"][1]["text"]);

    repo.prompt(&[
        "import",
        &format!("{root}/jinja-features.prompty"),
        "--from",
        "prompty",
    ])
    .success();
    let yaml = repo.read("prompts/jinja-features.prompt.yaml");
    assert!(yaml.contains("template_format: jinja2"), "{yaml}");
    assert!(yaml.contains("{{ name | upper }}"), "{yaml}");
}

#[test]
fn prompty_media_parts_and_api_types_are_kept_or_named() {
    let repo = TestRepo::new();
    repo.write(
        "media.prompty",
        "---\nname: media\nmodel:\n  id: gpt-4o-audio-preview\ntemplate:\n  format:\n    kind: mustache\ninputs:\n  - name: photo\n    kind: image\n  - name: clip\n    kind: audio\n---\nuser:\nSee {{photo}} and hear {{clip}} now.\n",
    );
    repo.prompt(&["import", "media.prompty", "--from", "prompty"])
        .success();
    let yaml = repo.read("prompts/media.prompt.yaml");
    assert!(
        yaml.contains("- text: See\n      - image: photo\n      - text: and hear\n      - audio: clip\n      - text: now."),
        "{yaml}"
    );
    repo.write(
        "embed.prompty",
        "---\nname: embed\nmodel:\n  id: text-embedding-3-small\n  apiType: embedding\n---\n{{text}}\n",
    );
    repo.prompt(&["import", "embed.prompty", "--from", "prompty"])
        .success()
        .stderr_has("apiType is `embedding`");
}

#[test]
fn render_writes_an_openai_responses_body() {
    let repo = TestRepo::new();
    repo.write_prompt(
        "rate",
        "format: 1
model: {provider: openai, name: gpt-5, params: {max_tokens: 200, reasoning_effort: minimal, verbosity: low, stop: END}}
inputs: {q: {type: string}}
messages:
  - {role: developer, content: Rate it.}
  - {role: user, content: '{{q}}'}
response_format:
  name: rating
  schema: {type: object, properties: {stars: {type: integer}}, required: [stars]}
",
    );
    let out = repo
        .prompt(&[
            "render",
            "rate",
            "-f",
            "openai-responses",
            "--var",
            "q=Good?",
        ])
        .success()
        .stderr_has("left out parameters the request does not define: stop");
    let body = out.json();
    assert_eq!(body["max_output_tokens"], 200);
    assert_eq!(body["reasoning"], serde_json::json!({"effort": "minimal"}));
    assert_eq!(body["text"]["verbosity"], "low");
    assert_eq!(body["text"]["format"]["name"], "rating");
    assert_eq!(
        body["input"],
        serde_json::json!([{"role": "developer", "content": "Rate it."}, {"role": "user", "content": "Good?"}])
    );
}

#[test]
fn an_integer_too_large_is_out_of_range_and_media_keeps_the_spaces_around_it() {
    let repo = TestRepo::new();
    repo.write_prompt(
        "n",
        "format: 1\ninputs: {n: {type: integer}}\ntemplate: '{{n}}'\n",
    );
    repo.prompt(&["render", "n", "--var", "n=12345678901234567890"])
        .code(1)
        .stderr_has("is out of range");
    repo.prompt(&["render", "n", "--var", "n=12a"])
        .code(1)
        .stderr_has("is not a whole number");

    repo.write(
        "med.prompt",
        "---\nmodel: googleai/gemini-2.0-flash\n---\nLook at {{media url=photo}} closely.\n",
    );
    repo.prompt(&["import", "med.prompt", "--from", "dotprompt"])
        .success();
    let body = repo
        .prompt(&[
            "render",
            "med",
            "--var",
            "photo=https://x.test/a.png",
            "-f",
            "json",
        ])
        .success()
        .json();
    let content = &body["messages"][0]["content"];
    assert_eq!(content[0]["text"], "Look at ");
    assert_eq!(content[2]["text"], " closely.");
}

/// Every dotprompt export is checked by rendering it with Google's dotprompt package: the
/// committed export (tests/fixtures/interchange/dotprompt-export) is what `export` writes today,
/// and dotprompt's rendering of it gives the texts our rendering of the source gives.
#[test]
fn dotprompt_exports_render_in_dotprompt_as_the_source_renders() {
    let dir = format!(
        "{}/tests/fixtures/interchange/dotprompt-export",
        env!("CARGO_MANIFEST_DIR")
    );
    let read = |name: &str| {
        std::fs::read_to_string(format!("{dir}/{name}"))
            .unwrap_or_else(|e| panic!("{dir}/{name}: {e}"))
    };
    let cases: serde_json::Value = serde_json::from_str(&read("cases.json")).unwrap();
    let expected: serde_json::Value = serde_json::from_str(&read("cases.expected.json")).unwrap();
    let repo = TestRepo::new();
    let mut ids: Vec<String> = Vec::new();
    for case in cases.as_array().unwrap() {
        let id = case["id"].as_str().unwrap().to_string();
        if !ids.contains(&id) {
            repo.write_prompt(&id, &read(&format!("src/{id}.prompt.yaml")));
            let out = repo.prompt(&["export", &id, "--to", "dotprompt"]).success();
            assert_eq!(
                out.stdout,
                read(case["file"].as_str().unwrap()),
                "the export of {id} changed: run tests/interchange/run.sh"
            );
            ids.push(id.clone());
        }
        let name = case["name"].as_str().unwrap();
        let want = expected
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["name"] == name)
            .unwrap_or_else(|| {
                panic!("no expected output for {name}: run tests/interchange/run.sh")
            });
        repo.write("vars.json", &case["input"].to_string());
        let got = repo
            .prompt(&["render", &id, "--vars", "vars.json", "-f", "json"])
            .success()
            .json();
        let got: Vec<(String, String)> = got["messages"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| {
                let role = m["role"].as_str().unwrap().replace("assistant", "model");
                (role, m["content"].as_str().unwrap().trim().to_string())
            })
            .collect();
        let want: Vec<(String, String)> = want["messages"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| {
                (
                    m["role"].as_str().unwrap().to_string(),
                    m["text"].as_str().unwrap().trim().to_string(),
                )
            })
            .collect();
        assert_eq!(got, want, "case {name}");
    }
}

#[test]
fn dotprompt_import_names_outer_inputs_used_inside_each() {
    let repo = TestRepo::new();
    repo.write(
        "loop.prompt",
        "---\nmodel: googleai/gemini-2.0-flash\ninput:\n  schema:\n    lang: string\n    tags(array): string\n---\n{{#each tags}}{{this}} ({{lang}}) {{/each}}\n",
    );
    repo.prompt(&["import", "loop.prompt", "--from", "dotprompt"])
        .success()
        .stderr_has("`{{lang}}` inside an `{{#each}}` is the item's field to Handlebars");
}
