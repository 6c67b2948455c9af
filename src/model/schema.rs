//! The JSON Schema (draft 2020-12) of the prompt file format, for editors and other tools.
//!
//! The schema lives in `schema/prompt.schema.json` and is built into the binary (`prompt schema`
//! prints it). Editors find it through a `# yaml-language-server: $schema=…` line at the top of
//! a prompt file, which the YAML language server reads in VS Code, Neovim and every other client
//! with no settings: the path is relative to the prompt file and names `SCHEMA_FILE` at the
//! repository root, which `init` and `new` write.

/// The schema's text.
pub const JSON_SCHEMA: &str = include_str!("../../schema/prompt.schema.json");

/// Where a registry keeps its copy of the schema, relative to the repository root.
pub const SCHEMA_FILE: &str = ".prompts.schema.json";

/// The first line of a prompt file at `path` (relative to the repository root) that points the
/// YAML language server at the schema.
pub fn modeline(path: &str) -> String {
    let depth = path.matches('/').count();
    format!(
        "# yaml-language-server: $schema={}{SCHEMA_FILE}\n",
        "../".repeat(depth)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_schema_is_json_and_the_modeline_climbs_to_the_root() {
        let v: serde_json::Value = serde_json::from_str(JSON_SCHEMA).unwrap();
        assert_eq!(v["$schema"], "https://json-schema.org/draft/2020-12/schema");
        assert_eq!(
            modeline("prompts/support/summarize.prompt.yaml"),
            "# yaml-language-server: $schema=../../.prompts.schema.json\n"
        );
        assert_eq!(
            modeline("x.prompt.yaml"),
            "# yaml-language-server: $schema=.prompts.schema.json\n"
        );
    }
}
