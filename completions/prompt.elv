
use builtin;
use str;

set edit:completion:arg-completer[prompt] = {|@words|
    fn spaces {|n|
        builtin:repeat $n ' ' | str:join ''
    }
    fn cand {|text desc|
        edit:complex-candidate $text &display=$text' '(spaces (- 14 (wcswidth $text)))$desc
    }
    var command = 'prompt'
    for word $words[1..-1] {
        if (str:has-prefix $word '-') {
            break
        }
        set command = $command';'$word
    }
    var completions = [
        &'prompt'= {
            cand --repo 'The repository to use (default: the one containing the current directory)'
            cand --color 'When to colour output (NO_COLOR also turns it off)'
            cand -q 'Print only data and errors, no progress messages'
            cand --quiet 'Print only data and errors, no progress messages'
            cand --no-pager 'Never send long output (log, diff) through a pager'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand init 'Create `.prompts.yaml` (at the repository root) and the prompts folder (running `git init` first outside a repository)'
            cand new 'Create a prompt file. Variables found in the texts are declared as inputs (`{{x}}` a string, `{{#x}}…{{/x}}` a list when the section uses fields, else a boolean). Never overwrites'
            cand list 'List the prompts: id, kind (chat/text), model, latest version, environments'
            cand show 'Print a prompt at a reference (ID, ID@N, ID@latest, ID@ENV, ID@REV)'
            cand check 'Validate prompts: schema, ids, template syntax, variables against inputs, partials, provider rules, JSON Schemas, secrets. Exits 1 when there are errors'
            cand commit 'Validate, then commit changed prompt files as new versions (only prompt files: other staged changes are left alone). The repository''s pre-commit, commit-msg and post-commit hooks run as for `git commit` (`core.hooksPath` too); the commit is signed when `commit.gpgSign` is on'
            cand log 'Show versions newest first: version, commit, date, author, message, environments; drafts (commits off the release line reachable from HEAD) come first, marked with their branch'
            cand diff 'Show what changed in prompts, field by field, and which changes break callers'
            cand render 'Render a prompt at a reference with values: text, JSON, or a request body for openai, openai-responses, anthropic, gemini or bedrock (pipe it to `curl -d @-`)'
            cand promote 'Point an environment at a version (ID@N, ID@latest, ID@ENV, ID@REV; plain ID means latest). Rollback is a promote of an older version. Works in a bare repository too (only the tag moves)'
            cand demote 'Remove a prompt from an environment (deletes the tag ID@ENV); works in a bare repository too'
            cand env 'Show which version each environment runs (prompts × environments), or a promotion history'
            cand mv 'Rename a prompt or move it to another folder; history, version numbers and environment tags follow it. Never overwrites'
            cand cp 'Copy a prompt (at any reference) to a new id; the copy records its source under `metadata.copied_from`. Never overwrites; the copy is not committed'
            cand rm 'Delete a prompt''s file and commit the removal. History stays, and environment tags stay until demoted: while an environment points at the prompt, rm refuses unless --force'
            cand push 'Push the current branch and the environment tags; a tag someone else moved since your last pull stops the push and nothing changes on the remote. The branch goes where `git push` sends it (its upstream, by push.default), and the output names it'
            cand pull 'Fetch, fast-forward the current branch, and take the remote''s environment tags'
            cand import 'Import prompts from Phoenix, LangWatch, Freeplay, Bifrost or Langfuse JSON, or from dotprompt (.prompt) and Prompty (.prompty) files'
            cand export 'Print the request body that creates this prompt version in Phoenix, LangWatch, Freeplay, Bifrost or Langfuse, or the prompt as a dotprompt (.prompt) or Prompty (.prompty) file'
            cand bundle 'Write every prompt promoted to ENV, at its promoted version, to one JSON file'
            cand serve 'Serve prompts over HTTP to applications: exactly the bytes `prompt render` prints'
            cand schema 'Print the JSON Schema (draft 2020-12) of prompt files'
            cand completions 'Print a completion script for a shell (bash, zsh and fish ones complete ids and environments)'
            cand lsp 'Run the language server for editors (LSP 3.17 over stdin and stdout)'
            cand test 'Run the tests kept in prompt files (`tests:`): checks on the rendered request, and checks on the model''s answer, replayed from recordings under <root>/.recordings (no network) unless --record or --live. Exits 1 when a test fails'
            cand review 'Report what a range does to prompts, for a pull request: a summary table, then per changed prompt the semantic diff, the rendered output before and after for each sample, token counts, the prompts that change through a partial or parent, and the environments on the base version'
            cand blame 'Show, for each top-level field, message and input of a prompt, the version (or draft), commit, author, date and commit subject that last changed it'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'prompt;init'= {
            cand --repo 'The repository to use (default: the one containing the current directory)'
            cand --color 'When to colour output (NO_COLOR also turns it off)'
            cand --diff-driver 'Also make plain `git diff` / `git log -p` show prompt files as `prompt diff` reads them (`.gitattributes` plus `diff.prompt.textconv` in .git/config, naming this binary by its absolute path; run it again after moving the binary)'
            cand -q 'Print only data and errors, no progress messages'
            cand --quiet 'Print only data and errors, no progress messages'
            cand --no-pager 'Never send long output (log, diff) through a pager'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'prompt;new'= {
            cand --text 'A text prompt with this template'
            cand --system 'A chat prompt with this system message'
            cand --user 'A chat prompt with this user message'
            cand --provider 'Model provider (openai, anthropic, google, …; default from .prompts.yaml)'
            cand --model 'Model name (default from .prompts.yaml)'
            cand --description 'One-paragraph description'
            cand --name 'Display name'
            cand --template-format 'Template language of the texts'
            cand --repo 'The repository to use (default: the one containing the current directory)'
            cand --color 'When to colour output (NO_COLOR also turns it off)'
            cand -q 'Print only data and errors, no progress messages'
            cand --quiet 'Print only data and errors, no progress messages'
            cand --no-pager 'Never send long output (log, diff) through a pager'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'prompt;list'= {
            cand --env 'Only prompts promoted to this environment'
            cand --includes 'Only the prompts that include this one (as a partial, parent or Jinja2 include), directly or through other prompts: the prompts a change to it gives a new version'
            cand --bundle 'List the prompts of a bundle file (`prompt bundle`) instead, no repository needed: LATEST is unknown there (`?`, null), the environment column names the bundled version'
            cand --repo 'The repository to use (default: the one containing the current directory)'
            cand --color 'When to colour output (NO_COLOR also turns it off)'
            cand --json 'Print JSON: an array of {id, kind, model, versions, environments, error} (with --includes: an array of {id, through})'
            cand -q 'Print only data and errors, no progress messages'
            cand --quiet 'Print only data and errors, no progress messages'
            cand --no-pager 'Never send long output (log, diff) through a pager'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'prompt;show'= {
            cand --bundle 'Read the prompt from a bundle file (`prompt bundle`) alone, no repository needed'
            cand --repo 'The repository to use (default: the one containing the current directory)'
            cand --color 'When to colour output (NO_COLOR also turns it off)'
            cand --json 'Print JSON: {id, reference, version, draft?, commit, environment, prompt}'
            cand -q 'Print only data and errors, no progress messages'
            cand --quiet 'Print only data and errors, no progress messages'
            cand --no-pager 'Never send long output (log, diff) through a pager'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'prompt;check'= {
            cand --against 'Also report changes that break callers of each prompt at REF: `@production` (each prompt''s environment), or a git revision such as `origin/main`'
            cand --format 'Output format: text, json, github (workflow annotations), or sarif (SARIF 2.1.0, for GitHub code scanning)'
            cand --allow-secret 'Do not report the flagged secret with this fingerprint (a false positive); repeatable. To keep it allowed, list it under `allowed_secrets` in .prompts.yaml'
            cand --repo 'The repository to use (default: the one containing the current directory)'
            cand --color 'When to colour output (NO_COLOR also turns it off)'
            cand --json 'Same as --format json'
            cand --staged 'Check what is staged (the index: what `git commit` would commit) instead of the working tree: an untracked or unstaged draft does not block an unrelated commit. Inside a git hook, the index git hands the hook'
            cand -q 'Print only data and errors, no progress messages'
            cand --quiet 'Print only data and errors, no progress messages'
            cand --no-pager 'Never send long output (log, diff) through a pager'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'prompt;commit'= {
            cand -m 'The commit message; repeat for more paragraphs (without it, an editor opens on a terminal)'
            cand --message 'The commit message; repeat for more paragraphs (without it, an editor opens on a terminal)'
            cand --allow-secret 'Do not refuse for the flagged secret with this fingerprint (a false positive); repeatable'
            cand --repo 'The repository to use (default: the one containing the current directory)'
            cand --color 'When to colour output (NO_COLOR also turns it off)'
            cand --no-verify 'Commit even when validation finds errors, and skip the pre-commit and commit-msg hooks (as `git commit --no-verify`); post-commit runs either way'
            cand -q 'Print only data and errors, no progress messages'
            cand --quiet 'Print only data and errors, no progress messages'
            cand --no-pager 'Never send long output (log, diff) through a pager'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'prompt;log'= {
            cand -n 'Show at most this many entries'
            cand --max-count 'Show at most this many entries'
            cand --repo 'The repository to use (default: the one containing the current directory)'
            cand --color 'When to colour output (NO_COLOR also turns it off)'
            cand --json 'Print JSON: an array of entries, newest first'
            cand -q 'Print only data and errors, no progress messages'
            cand --quiet 'Print only data and errors, no progress messages'
            cand --no-pager 'Never send long output (log, diff) through a pager'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'prompt;diff'= {
            cand --var 'With --rendered: a value NAME=VALUE (or NAME=@FILE); repeatable'
            cand --vars 'With --rendered: a YAML or JSON file of values (`-` reads stdin)'
            cand --sample 'With --rendered: start from the prompts'' sample NAME'
            cand --format 'Output format: text (coloured on a terminal), markdown (for a pull-request comment), json'
            cand --textconv 'Print one prompt file in a normalised form, for git''s textconv diff driver'
            cand --repo 'The repository to use (default: the one containing the current directory)'
            cand --color 'When to colour output (NO_COLOR also turns it off)'
            cand --rendered 'Compare the rendered text instead, with values from --var, --vars and --sample (a value that one side does not declare is ignored on that side)'
            cand --json 'Same as --format json'
            cand --exit-code 'Exit with 1 when there are differences'
            cand --word-diff 'Text without colour: mark changed words inside lines as [-old-] and {+new+}'
            cand -q 'Print only data and errors, no progress messages'
            cand --quiet 'Print only data and errors, no progress messages'
            cand --no-pager 'Never send long output (log, diff) through a pager'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'prompt;render'= {
            cand --var 'A value: NAME=VALUE (converted to the input''s type), NAME=@FILE (the file''s text; for image and audio inputs, the file itself); repeatable'
            cand --vars 'A YAML or JSON file of values (`-` reads stdin)'
            cand --sample 'Start from the prompt''s sample NAME'
            cand -f 'Output format'
            cand --format 'Output format'
            cand --batch 'Render once per line of a JSONL file of values (`-` reads stdin): output line N is {"line": N, "output": …} or {"line": N, "error": …}'
            cand --bundle 'Render from a bundle file (`prompt bundle`) alone, no repository needed: REF is ID, or ID@ENV / ID@N / ID@COMMIT for what the bundle holds'
            cand --repo 'The repository to use (default: the one containing the current directory)'
            cand --color 'When to colour output (NO_COLOR also turns it off)'
            cand --lenient 'Follow the mustache spec to the letter: missing values and partials render empty, and undeclared values are accepted'
            cand --fail-fast 'With --batch: stop at the first line that fails'
            cand -q 'Print only data and errors, no progress messages'
            cand --quiet 'Print only data and errors, no progress messages'
            cand --no-pager 'Never send long output (log, diff) through a pager'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'prompt;promote'= {
            cand -m 'A note recorded with the promotion (why)'
            cand --message 'A note recorded with the promotion (why)'
            cand --repo 'The repository to use (default: the one containing the current directory)'
            cand --color 'When to colour output (NO_COLOR also turns it off)'
            cand -y 'Confirm moving a protected environment (`protected_environments`, default production): asked on a terminal, required elsewhere'
            cand --yes 'Confirm moving a protected environment (`protected_environments`, default production): asked on a terminal, required elsewhere'
            cand -q 'Print only data and errors, no progress messages'
            cand --quiet 'Print only data and errors, no progress messages'
            cand --no-pager 'Never send long output (log, diff) through a pager'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'prompt;demote'= {
            cand --repo 'The repository to use (default: the one containing the current directory)'
            cand --color 'When to colour output (NO_COLOR also turns it off)'
            cand -y 'Confirm demoting from a protected environment (asked on a terminal, required elsewhere)'
            cand --yes 'Confirm demoting from a protected environment (asked on a terminal, required elsewhere)'
            cand -q 'Print only data and errors, no progress messages'
            cand --quiet 'Print only data and errors, no progress messages'
            cand --no-pager 'Never send long output (log, diff) through a pager'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'prompt;env'= {
            cand --bundle 'Read a bundle file (`prompt bundle`) instead, no repository needed: its one environment, by prompt (LATEST and WORKING are unknown there: `?`, null)'
            cand --repo 'The repository to use (default: the one containing the current directory)'
            cand --color 'When to colour output (NO_COLOR also turns it off)'
            cand --json 'Print JSON: an array of {id, latest, working, environments}'
            cand -q 'Print only data and errors, no progress messages'
            cand --quiet 'Print only data and errors, no progress messages'
            cand --no-pager 'Never send long output (log, diff) through a pager'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand history 'Every promotion of a prompt to an environment, newest first: version, who, when, note'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'prompt;env;history'= {
            cand --repo 'The repository to use (default: the one containing the current directory)'
            cand --color 'When to colour output (NO_COLOR also turns it off)'
            cand --json 'Print JSON: an array of promotion records, newest first'
            cand -q 'Print only data and errors, no progress messages'
            cand --quiet 'Print only data and errors, no progress messages'
            cand --no-pager 'Never send long output (log, diff) through a pager'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'prompt;env;help'= {
            cand history 'Every promotion of a prompt to an environment, newest first: version, who, when, note'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'prompt;env;help;history'= {
        }
        &'prompt;env;help;help'= {
        }
        &'prompt;mv'= {
            cand -m 'Commit message (default: "Move OLD to NEW")'
            cand --message 'Commit message (default: "Move OLD to NEW")'
            cand --repo 'The repository to use (default: the one containing the current directory)'
            cand --color 'When to colour output (NO_COLOR also turns it off)'
            cand -y 'Confirm moving protected environment tags with the prompt (asked on a terminal, required elsewhere)'
            cand --yes 'Confirm moving protected environment tags with the prompt (asked on a terminal, required elsewhere)'
            cand -q 'Print only data and errors, no progress messages'
            cand --quiet 'Print only data and errors, no progress messages'
            cand --no-pager 'Never send long output (log, diff) through a pager'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'prompt;cp'= {
            cand --repo 'The repository to use (default: the one containing the current directory)'
            cand --color 'When to colour output (NO_COLOR also turns it off)'
            cand -q 'Print only data and errors, no progress messages'
            cand --quiet 'Print only data and errors, no progress messages'
            cand --no-pager 'Never send long output (log, diff) through a pager'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'prompt;rm'= {
            cand -m 'Commit message (default: "Remove ID")'
            cand --message 'Commit message (default: "Remove ID")'
            cand --repo 'The repository to use (default: the one containing the current directory)'
            cand --color 'When to colour output (NO_COLOR also turns it off)'
            cand --force 'Remove even while environments point at it, or with uncommitted changes'
            cand -y 'Confirm removing a prompt a protected environment serves (asked on a terminal, required elsewhere)'
            cand --yes 'Confirm removing a prompt a protected environment serves (asked on a terminal, required elsewhere)'
            cand -q 'Print only data and errors, no progress messages'
            cand --quiet 'Print only data and errors, no progress messages'
            cand --no-pager 'Never send long output (log, diff) through a pager'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'prompt;push'= {
            cand --repo 'The repository to use (default: the one containing the current directory)'
            cand --color 'When to colour output (NO_COLOR also turns it off)'
            cand -q 'Print only data and errors, no progress messages'
            cand --quiet 'Print only data and errors, no progress messages'
            cand --no-pager 'Never send long output (log, diff) through a pager'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'prompt;pull'= {
            cand --repo 'The repository to use (default: the one containing the current directory)'
            cand --color 'When to colour output (NO_COLOR also turns it off)'
            cand -q 'Print only data and errors, no progress messages'
            cand --quiet 'Print only data and errors, no progress messages'
            cand --no-pager 'Never send long output (log, diff) through a pager'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'prompt;import'= {
            cand --from 'The service or file format it comes from'
            cand --id 'Import as this id instead of the slugged name (a payload with one prompt)'
            cand --repo 'The repository to use (default: the one containing the current directory)'
            cand --color 'When to colour output (NO_COLOR also turns it off)'
            cand --history 'Commit each version the payload holds, oldest first, with its message, and tag the versions its tags or environments name (configured environments only)'
            cand --force 'Overwrite prompts that exist (with --history, the versions are committed on top)'
            cand -y 'Confirm creating or moving protected environment tags with --history (asked on a terminal, required elsewhere)'
            cand --yes 'Confirm creating or moving protected environment tags with --history (asked on a terminal, required elsewhere)'
            cand -q 'Print only data and errors, no progress messages'
            cand --quiet 'Print only data and errors, no progress messages'
            cand --no-pager 'Never send long output (log, diff) through a pager'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'prompt;export'= {
            cand --to 'The service or file format to write for'
            cand -o 'Write to this file instead of stdout (an existing file is replaced)'
            cand --output 'Write to this file instead of stdout (an existing file is replaced)'
            cand --repo 'The repository to use (default: the one containing the current directory)'
            cand --color 'When to colour output (NO_COLOR also turns it off)'
            cand -q 'Print only data and errors, no progress messages'
            cand --quiet 'Print only data and errors, no progress messages'
            cand --no-pager 'Never send long output (log, diff) through a pager'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'prompt;bundle'= {
            cand --env 'The environment to bundle'
            cand -o 'The file to write (`-` writes stdout). Without it the bundle goes to stdout when stdout is not a terminal (`prompt bundle --env production | aws s3 cp - …`)'
            cand --output 'The file to write (`-` writes stdout). Without it the bundle goes to stdout when stdout is not a terminal (`prompt bundle --env production | aws s3 cp - …`)'
            cand --ref 'Take the set of prompts from this revision (default: HEAD)'
            cand --repo 'The repository to use (default: the one containing the current directory)'
            cand --color 'When to colour output (NO_COLOR also turns it off)'
            cand -q 'Print only data and errors, no progress messages'
            cand --quiet 'Print only data and errors, no progress messages'
            cand --no-pager 'Never send long output (log, diff) through a pager'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'prompt;serve'= {
            cand --bind 'Address and port to listen on (port 0 picks a free one)'
            cand --bundle 'Serve this bundle file (`prompt bundle`) instead of the repository'
            cand --token-file 'A file holding the bearer token requests must send (`Authorization: Bearer TOKEN`); required for an address that is not loopback'
            cand --max-body 'The largest request body, in bytes (larger ones get 413)'
            cand --timeout 'Seconds a client may take to send a request''s headers or body'
            cand --threads 'Worker threads (default: one per core)'
            cand --repo 'The repository to use (default: the one containing the current directory)'
            cand --color 'When to colour output (NO_COLOR also turns it off)'
            cand --watch 'See new commits and tag moves within a second (the default when serving a repository)'
            cand --no-watch 'Do not poll for changes (SIGHUP still reloads)'
            cand -q 'Print only data and errors, no progress messages'
            cand --quiet 'Print only data and errors, no progress messages'
            cand --no-pager 'Never send long output (log, diff) through a pager'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'prompt;schema'= {
            cand -o 'Write to this file instead of stdout'
            cand --output 'Write to this file instead of stdout'
            cand --repo 'The repository to use (default: the one containing the current directory)'
            cand --color 'When to colour output (NO_COLOR also turns it off)'
            cand -q 'Print only data and errors, no progress messages'
            cand --quiet 'Print only data and errors, no progress messages'
            cand --no-pager 'Never send long output (log, diff) through a pager'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'prompt;completions'= {
            cand --repo 'The repository to use (default: the one containing the current directory)'
            cand --color 'When to colour output (NO_COLOR also turns it off)'
            cand -q 'Print only data and errors, no progress messages'
            cand --quiet 'Print only data and errors, no progress messages'
            cand --no-pager 'Never send long output (log, diff) through a pager'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'prompt;lsp'= {
            cand --log 'Append the server''s log to FILE instead of stderr'
            cand --repo 'The repository to use (default: the one containing the current directory)'
            cand --color 'When to colour output (NO_COLOR also turns it off)'
            cand -q 'Print only data and errors, no progress messages'
            cand --quiet 'Print only data and errors, no progress messages'
            cand --no-pager 'Never send long output (log, diff) through a pager'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'prompt;test'= {
            cand --changed 'Only the prompts whose rendering differs from the git revision REV (their file, or a partial or parent they include)'
            cand --base-url 'The API''s base URL (default: OPENAI_BASE_URL, else https://api.openai.com/v1; for `provider: anthropic` ANTHROPIC_BASE_URL, else https://api.anthropic.com)'
            cand --model 'Call this model instead of the prompt''s (part of each request, so of each recording key)'
            cand --repeat 'Run each test N times (each run has its own recording)'
            cand --jobs 'Model calls at once'
            cand --timeout 'Seconds one model call may take, connection and answer included'
            cand --format 'Output format'
            cand --repo 'The repository to use (default: the one containing the current directory)'
            cand --color 'When to colour output (NO_COLOR also turns it off)'
            cand --record 'Call the model and write each answer as a recording'
            cand --replay 'Answer from recordings only, with no network connection (the default)'
            cand --live 'Call the model and write nothing'
            cand --prune 'List the recordings no current test uses (with --yes, remove them)'
            cand --yes 'With --prune: remove the unused recordings'
            cand -q 'Print only data and errors, no progress messages'
            cand --quiet 'Print only data and errors, no progress messages'
            cand --no-pager 'Never send long output (log, diff) through a pager'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'prompt;review'= {
            cand --format 'Output format: markdown (a pull-request comment) or json (everything, uncut)'
            cand --repo 'The repository to use (default: the one containing the current directory)'
            cand --color 'When to colour output (NO_COLOR also turns it off)'
            cand --json 'Same as --format json'
            cand -q 'Print only data and errors, no progress messages'
            cand --quiet 'Print only data and errors, no progress messages'
            cand --no-pager 'Never send long output (log, diff) through a pager'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'prompt;blame'= {
            cand --repo 'The repository to use (default: the one containing the current directory)'
            cand --color 'When to colour output (NO_COLOR also turns it off)'
            cand --json 'Print JSON (shape in docs/json-output.md)'
            cand -q 'Print only data and errors, no progress messages'
            cand --quiet 'Print only data and errors, no progress messages'
            cand --no-pager 'Never send long output (log, diff) through a pager'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'prompt;help'= {
            cand init 'Create `.prompts.yaml` (at the repository root) and the prompts folder (running `git init` first outside a repository)'
            cand new 'Create a prompt file. Variables found in the texts are declared as inputs (`{{x}}` a string, `{{#x}}…{{/x}}` a list when the section uses fields, else a boolean). Never overwrites'
            cand list 'List the prompts: id, kind (chat/text), model, latest version, environments'
            cand show 'Print a prompt at a reference (ID, ID@N, ID@latest, ID@ENV, ID@REV)'
            cand check 'Validate prompts: schema, ids, template syntax, variables against inputs, partials, provider rules, JSON Schemas, secrets. Exits 1 when there are errors'
            cand commit 'Validate, then commit changed prompt files as new versions (only prompt files: other staged changes are left alone). The repository''s pre-commit, commit-msg and post-commit hooks run as for `git commit` (`core.hooksPath` too); the commit is signed when `commit.gpgSign` is on'
            cand log 'Show versions newest first: version, commit, date, author, message, environments; drafts (commits off the release line reachable from HEAD) come first, marked with their branch'
            cand diff 'Show what changed in prompts, field by field, and which changes break callers'
            cand render 'Render a prompt at a reference with values: text, JSON, or a request body for openai, openai-responses, anthropic, gemini or bedrock (pipe it to `curl -d @-`)'
            cand promote 'Point an environment at a version (ID@N, ID@latest, ID@ENV, ID@REV; plain ID means latest). Rollback is a promote of an older version. Works in a bare repository too (only the tag moves)'
            cand demote 'Remove a prompt from an environment (deletes the tag ID@ENV); works in a bare repository too'
            cand env 'Show which version each environment runs (prompts × environments), or a promotion history'
            cand mv 'Rename a prompt or move it to another folder; history, version numbers and environment tags follow it. Never overwrites'
            cand cp 'Copy a prompt (at any reference) to a new id; the copy records its source under `metadata.copied_from`. Never overwrites; the copy is not committed'
            cand rm 'Delete a prompt''s file and commit the removal. History stays, and environment tags stay until demoted: while an environment points at the prompt, rm refuses unless --force'
            cand push 'Push the current branch and the environment tags; a tag someone else moved since your last pull stops the push and nothing changes on the remote. The branch goes where `git push` sends it (its upstream, by push.default), and the output names it'
            cand pull 'Fetch, fast-forward the current branch, and take the remote''s environment tags'
            cand import 'Import prompts from Phoenix, LangWatch, Freeplay, Bifrost or Langfuse JSON, or from dotprompt (.prompt) and Prompty (.prompty) files'
            cand export 'Print the request body that creates this prompt version in Phoenix, LangWatch, Freeplay, Bifrost or Langfuse, or the prompt as a dotprompt (.prompt) or Prompty (.prompty) file'
            cand bundle 'Write every prompt promoted to ENV, at its promoted version, to one JSON file'
            cand serve 'Serve prompts over HTTP to applications: exactly the bytes `prompt render` prints'
            cand schema 'Print the JSON Schema (draft 2020-12) of prompt files'
            cand completions 'Print a completion script for a shell (bash, zsh and fish ones complete ids and environments)'
            cand lsp 'Run the language server for editors (LSP 3.17 over stdin and stdout)'
            cand test 'Run the tests kept in prompt files (`tests:`): checks on the rendered request, and checks on the model''s answer, replayed from recordings under <root>/.recordings (no network) unless --record or --live. Exits 1 when a test fails'
            cand review 'Report what a range does to prompts, for a pull request: a summary table, then per changed prompt the semantic diff, the rendered output before and after for each sample, token counts, the prompts that change through a partial or parent, and the environments on the base version'
            cand blame 'Show, for each top-level field, message and input of a prompt, the version (or draft), commit, author, date and commit subject that last changed it'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'prompt;help;init'= {
        }
        &'prompt;help;new'= {
        }
        &'prompt;help;list'= {
        }
        &'prompt;help;show'= {
        }
        &'prompt;help;check'= {
        }
        &'prompt;help;commit'= {
        }
        &'prompt;help;log'= {
        }
        &'prompt;help;diff'= {
        }
        &'prompt;help;render'= {
        }
        &'prompt;help;promote'= {
        }
        &'prompt;help;demote'= {
        }
        &'prompt;help;env'= {
            cand history 'Every promotion of a prompt to an environment, newest first: version, who, when, note'
        }
        &'prompt;help;env;history'= {
        }
        &'prompt;help;mv'= {
        }
        &'prompt;help;cp'= {
        }
        &'prompt;help;rm'= {
        }
        &'prompt;help;push'= {
        }
        &'prompt;help;pull'= {
        }
        &'prompt;help;import'= {
        }
        &'prompt;help;export'= {
        }
        &'prompt;help;bundle'= {
        }
        &'prompt;help;serve'= {
        }
        &'prompt;help;schema'= {
        }
        &'prompt;help;completions'= {
        }
        &'prompt;help;lsp'= {
        }
        &'prompt;help;test'= {
        }
        &'prompt;help;review'= {
        }
        &'prompt;help;blame'= {
        }
        &'prompt;help;help'= {
        }
    ]
    $completions[$command]
}
