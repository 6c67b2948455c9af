#!/usr/bin/env bash
# The life of a prompt registry, start to finish, in a throw-away git repository.
#
#   examples/demo.sh
#
# Builds `prompt`, creates a registry in a temporary folder, adds the prompts from
# examples/prompts/, makes versions with `prompt commit` and with plain `git commit`, reads them
# back by reference, renders and promotes them, and shows `prompt check` catching a mistake.
# Nothing outside the temporary folder is touched; it is removed on exit. Needs only cargo and
# git.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/.." && pwd)

(cd "$root" && cargo build --quiet)
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

# Prints a command, then runs it (stderr joined to stdout so that the order is kept).
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
    "$@" 2>&1
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

# 1. A new registry (this runs `git init` too, as the folder is not in a repository yet).
run prompt --version
run prompt init
run cat .prompts.yaml
run git add .prompts.yaml
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

# 6. Render a version with values, and promote one to an environment (the git tag ID@ENV).
run prompt render research/summarize-paper@latest --sample raft
run prompt render support/reply-email --sample delayed --var agent_name=Kim
say "prompt render support/triage --sample outage --format openai | head -n 12"
prompt render support/triage --sample outage --format openai | head -n 12
fails prompt render research/summarize-paper --var title=Raft
run prompt promote research/summarize-paper@2 production --yes -m "Reviewed by Grace"
run prompt promote research/summarize-paper@latest staging
run prompt env
run prompt log research/summarize-paper
say "prompt show research/summarize-paper@production | grep -E 'temperature|default: [0-9]'"
prompt show research/summarize-paper@production | grep -E 'temperature|default: [0-9]'
run git tag --list

# 7. A mistake: a variable that `inputs` does not declare. `check` points at it, and `commit`
#    refuses to record it.
say "sed -i 's/{{bullets}} bullet points/{{bullet_count}} bullet points/' $paper"
sed -i.bak 's/{{bullets}} bullet points/{{bullet_count}} bullet points/' "$paper" &&
    rm "$paper.bak"
run grep -n bullet "$paper"
fails prompt check
fails prompt check --format github
fails prompt commit -m "Ask for a bullet count"

# 8. Put it right.
run git checkout -- "$paper"
run prompt check
run git status --short
run git log --oneline
