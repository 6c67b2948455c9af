#!/usr/bin/env bash
# The JSON Schema validator that the schema agreement test (tests/cli/schema.rs) compares
# `prompt check` with: check-jsonschema from PyPI, in a virtual environment.
#
#   tests/schema/run.sh install                 # once: check-jsonschema into a venv
#   tests/schema/run.sh validate SCHEMA FILE... # its JSON report (-o json) on FILEs
#
# The venv goes to $PROMPT_SCHEMA_TOOLS (default /tmp/prompt-schema-tools), outside the
# repository. `.ci/run` installs it before `cargo test` and sets PROMPT_REQUIRE_SCHEMA_VALIDATOR,
# so the test cannot skip there; a plain `cargo test` without it skips that test with a message.
set -euo pipefail
tools=${PROMPT_SCHEMA_TOOLS:-/tmp/prompt-schema-tools}

case "${1:-}" in
install)
    [ -x "$tools/venv/bin/check-jsonschema" ] || {
        python3 -m venv "$tools/venv"
        "$tools/venv/bin/pip" install --quiet --disable-pip-version-check 'check-jsonschema==0.*'
    }
    echo "schema validator installed in $tools: $("$tools/venv/bin/check-jsonschema" --version)"
    ;;
validate)
    shift
    schema=$1
    shift
    exec "$tools/venv/bin/check-jsonschema" --no-cache -o json --schemafile "$schema" "$@"
    ;;
*)
    echo "usage: tests/schema/run.sh install|validate SCHEMA FILE..." >&2
    exit 2
    ;;
esac
