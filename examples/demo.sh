#!/usr/bin/env bash
# The life of a prompt registry, start to finish, in a throw-away git repository.
#
#   examples/demo.sh
#
# Builds `prompt`, creates a registry in a temporary folder, adds the prompts from
# examples/prompts/, makes versions with `prompt commit` and with plain `git commit`, reads them
# back by reference, renders them (text and an OpenAI request body), diffs versions and an
# uncommitted edit, promotes and rolls back, exports one prompt for Phoenix, bundles production,
# and shows `prompt check` catching a mistake. Nothing outside the temporary folder is touched; it
# is removed on exit. Needs only cargo and git, reads nothing from stdin, and asks no questions
# (production moves pass --yes), so it runs unattended with CI=true.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/.." && pwd)

# The first build compiles about 80 crates (libgit2 among them): a few minutes on a laptop (about
# 2.5 minutes on 2 cores), seconds afterwards. Cargo's own progress lines show what it is doing.
if [[ ! -x "$root/target/debug/prompt" ]]; then
    echo "Building prompt (the first build takes a few minutes; later runs take seconds)..." >&2
fi
(cd "$root" && cargo build)
target_dir=$(cd "$root" && cargo metadata --format-version 1 --no-deps |
    sed -n 's/.*"target_directory":"\([^"]*\)".*/\1/p')
bin="${target_dir:-$root/target}/debug/prompt"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# A sealed environment: a fixed identity, no global or system git config, no stray settings.
export HOME="$tmp" GIT_CONFIG_NOSYSTEM=1 GIT_PAGER=cat PAGER=cat
export GIT_AUTHOR_NAME="Ada Lovelace" GIT_AUTHOR_EMAIL="ada@example.com"
export GIT_COMMITTER_NAME="Ada Lovelace" GIT_COMMITTER_EMAIL="ada@example.com"
unset PROMPT_REPO XDG_CONFIG_HOME GIT_DIR GIT_WORK_TREE GIT_INDEX_FILE
unset GIT_AUTHOR_DATE GIT_COMMITTER_DATE
mkdir "$tmp/bin"
ln -s "$bin" "$tmp/bin/prompt"
export PATH="$tmp/bin:$PATH"

if [[ -t 1 ]]; then
    bold=$'\e[1m' reset=$'\e[0m'
else
    bold='' reset=''
fi

# Prints a command line the way you would type it.
say() {
    printf '\n%s$ %s%s\n' "$bold" "$1" "$reset"
}

# Prints a command, then runs it (stderr joined to stdout so that the order is kept; stdin is
# /dev/null, so nothing can stop to ask a question even when the demo runs on a terminal).
run() {
    local shown='' arg
    for arg in "$@"; do
        if [[ $arg =~ ^[A-Za-z0-9_./@~=:,+-]+$ ]]; then
            shown+=" $arg"
        else
            shown+=" '${arg//\'/\'\\\'\'}'"
        fi
    done
    say "${shown# }"
    "$@" 2>&1 </dev/null
}

# Runs a command that must fail, and shows its exit code.
fails() {
    if run "$@"; then
        echo "demo.sh: \`$*\` should have failed" >&2
        exit 1
    else
        echo "(exit $? as expected)"
    fi
}

paper=prompts/research/summarize-paper.prompt.yaml

mkdir "$tmp/registry"
cd "$tmp/registry"

# 1. A new registry (this runs `git init` too, as the folder is not in a repository yet). The diff
#    driver makes plain `git diff` show prompt files the way `prompt diff` reads them.
run prompt --version
run prompt init --diff-driver
run cat .prompts.yaml .gitattributes
run git add .prompts.yaml .gitattributes
run git commit --quiet -m "Set up the prompt registry"

# 2. Add the example prompts, check them, and commit them as version 1 of each.
say "cp -R examples/prompts/. prompts/"
cp -R "$root/examples/prompts/." prompts/
say "find prompts -type f | sort"
find prompts -type f | sort
run prompt check
run prompt commit -m "Add support and research prompts"
run prompt list

# 3. Version 2: edit a file and commit it with `prompt commit`.
say "sed -i 's/temperature: 0.3/temperature: 0.2/' $paper"
sed -i.bak 's/temperature: 0.3/temperature: 0.2/' "$paper" && rm "$paper.bak"
run git diff
run prompt commit research/summarize-paper -m "Lower the temperature for steadier summaries"

# 4. Version 3: any commit that changes the file is a version, even one made with plain git.
say "sed -i 's/default: 5/default: 3/' $paper"
sed -i.bak 's/default: 5/default: 3/' "$paper" && rm "$paper.bak"
run git commit --quiet -am "Three key points are enough"
run prompt log research/summarize-paper
run prompt log -n 2

# 5. Read any state back by reference.
say "prompt show research/summarize-paper@1 | grep -E 'temperature|default: [0-9]'"
prompt show research/summarize-paper@1 | grep -E 'temperature|default: [0-9]'
say "prompt show research/summarize-paper@HEAD~1 | grep -E 'temperature|default: [0-9]'"
prompt show research/summarize-paper@HEAD~1 | grep -E 'temperature|default: [0-9]'
say "prompt show research/summarize-paper@latest | grep -E 'temperature|default: [0-9]'"
prompt show research/summarize-paper@latest | grep -E 'temperature|default: [0-9]'
run prompt show shared/signature@latest
say "prompt show research/summarize-paper@2 --json | head -n 12"
prompt show research/summarize-paper@2 --json | head -n 12
fails prompt show research/summarize-paper@7
fails prompt show ../secrets

# 6. Render a version with values: as text, with a partial, and as an OpenAI request body.
run prompt render research/summarize-paper@latest --sample raft
run prompt render support/reply-email --sample delayed --var agent_name=Kim
say "prompt render support/triage --sample outage -f openai | head -n 12"
prompt render support/triage --sample outage -f openai | head -n 12
fails prompt render research/summarize-paper --var title=Raft

# 7. What changed: between two versions, and between the latest version and an edit.
run prompt diff research/summarize-paper@1 research/summarize-paper@3
say "sed -i 's/Do not use marketing language./Do not use marketing language or superlatives./' $paper"
sed -i.bak 's/Do not use marketing language\./Do not use marketing language or superlatives./' "$paper" &&
    rm "$paper.bak"
run prompt diff research/summarize-paper
run prompt commit research/summarize-paper -m "No superlatives either"

# 8. Promote versions to environments (the git tags ID@ENV), roll staging back, and read the
#    promotion history. Production is guarded: off a terminal it needs --yes.
fails prompt promote research/summarize-paper@2 production -m "Reviewed by Grace"
run prompt promote research/summarize-paper@2 production --yes -m "Reviewed by Grace"
run prompt promote research/summarize-paper@latest staging
run prompt promote research/summarize-paper@3 staging -m "Roll back: keep the old wording for now"
run prompt env
run prompt env history research/summarize-paper staging
run prompt log research/summarize-paper
say "prompt show research/summarize-paper@production | grep -E 'temperature|default: [0-9]'"
prompt show research/summarize-paper@production | grep -E 'temperature|default: [0-9]'
run git tag --list

# 9. Leave git: one prompt as a Phoenix create request, and production as one JSON bundle.
say "prompt export research/summarize-paper@production --to phoenix 2>&1 | head -n 16"
prompt export research/summarize-paper@production --to phoenix 2>&1 | head -n 16
say "prompt bundle --env production -o - | head -n 12"
prompt bundle --env production -o - | head -n 12

# 10. A mistake: a variable that `inputs` does not declare. `check` points at it, and `commit`
#     refuses to record it.
say "sed -i 's/{{bullets}} bullet points/{{bullet_count}} bullet points/' $paper"
sed -i.bak 's/{{bullets}} bullet points/{{bullet_count}} bullet points/' "$paper" &&
    rm "$paper.bak"
run grep -n bullet "$paper"
fails prompt check
fails prompt check --format github
fails prompt commit -m "Ask for a bullet count"

# 11. Put it right.
run git checkout -- "$paper"
run prompt check
run git status --short
run git log --oneline
