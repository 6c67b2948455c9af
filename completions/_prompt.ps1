
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'prompt' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'prompt'
        for ($i = 1; $i -lt $commandElements.Count; $i++) {
            $element = $commandElements[$i]
            if ($element -isnot [StringConstantExpressionAst] -or
                $element.StringConstantType -ne [StringConstantType]::BareWord -or
                $element.Value.StartsWith('-') -or
                $element.Value -eq $wordToComplete) {
                break
        }
        $element.Value
    }) -join ';'

    $completions = @(switch ($command) {
        'prompt' {
            [CompletionResult]::new('--repo', '--repo', [CompletionResultType]::ParameterName, 'The repository to use (default: the one containing the current directory)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (NO_COLOR also turns it off)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors, no progress messages')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors, no progress messages')
            [CompletionResult]::new('--no-pager', '--no-pager', [CompletionResultType]::ParameterName, 'Never send long output (log, diff) through a pager')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('init', 'init', [CompletionResultType]::ParameterValue, 'Create `.prompts.yaml` (at the repository root) and the prompts folder (running `git init` first outside a repository)')
            [CompletionResult]::new('new', 'new', [CompletionResultType]::ParameterValue, 'Create a prompt file. Variables found in the texts are declared as inputs (`{{x}}` a string, `{{#x}}…{{/x}}` a list when the section uses fields, else a boolean). Never overwrites')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the prompts: id, kind (chat/text), model, latest version, environments')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Print a prompt at a reference (ID, ID@N, ID@latest, ID@ENV, ID@REV)')
            [CompletionResult]::new('check', 'check', [CompletionResultType]::ParameterValue, 'Validate prompts: schema, ids, template syntax, variables against inputs, partials, provider rules, JSON Schemas, secrets. Exits 1 when there are errors')
            [CompletionResult]::new('commit', 'commit', [CompletionResultType]::ParameterValue, 'Validate, then commit changed prompt files as new versions (only prompt files: other staged changes are left alone). The repository''s pre-commit, commit-msg and post-commit hooks run as for `git commit` (`core.hooksPath` too); the commit is signed when `commit.gpgSign` is on')
            [CompletionResult]::new('log', 'log', [CompletionResultType]::ParameterValue, 'Show versions newest first: version, commit, date, author, message, environments; drafts (commits off the release line reachable from HEAD) come first, marked with their branch')
            [CompletionResult]::new('diff', 'diff', [CompletionResultType]::ParameterValue, 'Show what changed in prompts, field by field, and which changes break callers')
            [CompletionResult]::new('render', 'render', [CompletionResultType]::ParameterValue, 'Render a prompt at a reference with values: text, JSON, or a request body for openai, openai-responses, anthropic, gemini or bedrock (pipe it to `curl -d @-`)')
            [CompletionResult]::new('promote', 'promote', [CompletionResultType]::ParameterValue, 'Point an environment at a version (ID@N, ID@latest, ID@ENV, ID@REV; plain ID means latest). Rollback is a promote of an older version. Works in a bare repository too (only the tag moves)')
            [CompletionResult]::new('demote', 'demote', [CompletionResultType]::ParameterValue, 'Remove a prompt from an environment (deletes the tag ID@ENV); works in a bare repository too')
            [CompletionResult]::new('env', 'env', [CompletionResultType]::ParameterValue, 'Show which version each environment runs (prompts × environments), or a promotion history')
            [CompletionResult]::new('mv', 'mv', [CompletionResultType]::ParameterValue, 'Rename a prompt or move it to another folder; history, version numbers and environment tags follow it. Never overwrites')
            [CompletionResult]::new('cp', 'cp', [CompletionResultType]::ParameterValue, 'Copy a prompt (at any reference) to a new id; the copy records its source under `metadata.copied_from`. Never overwrites; the copy is not committed')
            [CompletionResult]::new('rm', 'rm', [CompletionResultType]::ParameterValue, 'Delete a prompt''s file and commit the removal. History stays, and environment tags stay until demoted: while an environment points at the prompt, rm refuses unless --force')
            [CompletionResult]::new('push', 'push', [CompletionResultType]::ParameterValue, 'Push the current branch and the environment tags; a tag someone else moved since your last pull stops the push and nothing changes on the remote. The branch goes where `git push` sends it (its upstream, by push.default), and the output names it')
            [CompletionResult]::new('pull', 'pull', [CompletionResultType]::ParameterValue, 'Fetch, fast-forward the current branch, and take the remote''s environment tags')
            [CompletionResult]::new('import', 'import', [CompletionResultType]::ParameterValue, 'Import prompts from Phoenix, LangWatch, Freeplay, Bifrost or Langfuse JSON, or from dotprompt (.prompt) and Prompty (.prompty) files')
            [CompletionResult]::new('export', 'export', [CompletionResultType]::ParameterValue, 'Print the request body that creates this prompt version in Phoenix, LangWatch, Freeplay, Bifrost or Langfuse, or the prompt as a dotprompt (.prompt) or Prompty (.prompty) file')
            [CompletionResult]::new('bundle', 'bundle', [CompletionResultType]::ParameterValue, 'Write every prompt promoted to ENV, at its promoted version, to one JSON file')
            [CompletionResult]::new('serve', 'serve', [CompletionResultType]::ParameterValue, 'Serve prompts over HTTP to applications: exactly the bytes `prompt render` prints')
            [CompletionResult]::new('schema', 'schema', [CompletionResultType]::ParameterValue, 'Print the JSON Schema (draft 2020-12) of prompt files')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a completion script for a shell (bash, zsh and fish ones complete ids and environments)')
            [CompletionResult]::new('lsp', 'lsp', [CompletionResultType]::ParameterValue, 'Run the language server for editors (LSP 3.17 over stdin and stdout)')
            [CompletionResult]::new('test', 'test', [CompletionResultType]::ParameterValue, 'Run the tests kept in prompt files (`tests:`): checks on the rendered request, and checks on the model''s answer, replayed from recordings under <root>/.recordings (no network) unless --record or --live. Exits 1 when a test fails')
            [CompletionResult]::new('review', 'review', [CompletionResultType]::ParameterValue, 'Report what a range does to prompts, for a pull request: a summary table, then per changed prompt the semantic diff, the rendered output before and after for each sample, token counts, the prompts that change through a partial or parent, and the environments on the base version')
            [CompletionResult]::new('blame', 'blame', [CompletionResultType]::ParameterValue, 'Show, for each top-level field, message and input of a prompt, the version (or draft), commit, author, date and commit subject that last changed it')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'prompt;init' {
            [CompletionResult]::new('--repo', '--repo', [CompletionResultType]::ParameterName, 'The repository to use (default: the one containing the current directory)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (NO_COLOR also turns it off)')
            [CompletionResult]::new('--diff-driver', '--diff-driver', [CompletionResultType]::ParameterName, 'Also make plain `git diff` / `git log -p` show prompt files as `prompt diff` reads them (`.gitattributes` plus `diff.prompt.textconv` in .git/config, naming this binary by its absolute path; run it again after moving the binary)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors, no progress messages')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors, no progress messages')
            [CompletionResult]::new('--no-pager', '--no-pager', [CompletionResultType]::ParameterName, 'Never send long output (log, diff) through a pager')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'prompt;new' {
            [CompletionResult]::new('--text', '--text', [CompletionResultType]::ParameterName, 'A text prompt with this template')
            [CompletionResult]::new('--system', '--system', [CompletionResultType]::ParameterName, 'A chat prompt with this system message')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'A chat prompt with this user message')
            [CompletionResult]::new('--provider', '--provider', [CompletionResultType]::ParameterName, 'Model provider (openai, anthropic, google, …; default from .prompts.yaml)')
            [CompletionResult]::new('--model', '--model', [CompletionResultType]::ParameterName, 'Model name (default from .prompts.yaml)')
            [CompletionResult]::new('--description', '--description', [CompletionResultType]::ParameterName, 'One-paragraph description')
            [CompletionResult]::new('--name', '--name', [CompletionResultType]::ParameterName, 'Display name')
            [CompletionResult]::new('--template-format', '--template-format', [CompletionResultType]::ParameterName, 'Template language of the texts')
            [CompletionResult]::new('--repo', '--repo', [CompletionResultType]::ParameterName, 'The repository to use (default: the one containing the current directory)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (NO_COLOR also turns it off)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors, no progress messages')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors, no progress messages')
            [CompletionResult]::new('--no-pager', '--no-pager', [CompletionResultType]::ParameterName, 'Never send long output (log, diff) through a pager')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'prompt;list' {
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Only prompts promoted to this environment')
            [CompletionResult]::new('--includes', '--includes', [CompletionResultType]::ParameterName, 'Only the prompts that include this one (as a partial, parent or Jinja2 include), directly or through other prompts: the prompts a change to it gives a new version')
            [CompletionResult]::new('--bundle', '--bundle', [CompletionResultType]::ParameterName, 'List the prompts of a bundle file (`prompt bundle`) instead, no repository needed: LATEST is unknown there (`?`, null), the environment column names the bundled version')
            [CompletionResult]::new('--repo', '--repo', [CompletionResultType]::ParameterName, 'The repository to use (default: the one containing the current directory)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (NO_COLOR also turns it off)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON: an array of {id, kind, model, versions, environments, error} (with --includes: an array of {id, through})')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors, no progress messages')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors, no progress messages')
            [CompletionResult]::new('--no-pager', '--no-pager', [CompletionResultType]::ParameterName, 'Never send long output (log, diff) through a pager')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'prompt;show' {
            [CompletionResult]::new('--bundle', '--bundle', [CompletionResultType]::ParameterName, 'Read the prompt from a bundle file (`prompt bundle`) alone, no repository needed')
            [CompletionResult]::new('--repo', '--repo', [CompletionResultType]::ParameterName, 'The repository to use (default: the one containing the current directory)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (NO_COLOR also turns it off)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON: {id, reference, version, draft?, commit, environment, prompt}')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors, no progress messages')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors, no progress messages')
            [CompletionResult]::new('--no-pager', '--no-pager', [CompletionResultType]::ParameterName, 'Never send long output (log, diff) through a pager')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'prompt;check' {
            [CompletionResult]::new('--against', '--against', [CompletionResultType]::ParameterName, 'Also report changes that break callers of each prompt at REF: `@production` (each prompt''s environment), or a git revision such as `origin/main`')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format: text, json, github (workflow annotations), or sarif (SARIF 2.1.0, for GitHub code scanning)')
            [CompletionResult]::new('--allow-secret', '--allow-secret', [CompletionResultType]::ParameterName, 'Do not report the flagged secret with this fingerprint (a false positive); repeatable. To keep it allowed, list it under `allowed_secrets` in .prompts.yaml')
            [CompletionResult]::new('--repo', '--repo', [CompletionResultType]::ParameterName, 'The repository to use (default: the one containing the current directory)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (NO_COLOR also turns it off)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Same as --format json')
            [CompletionResult]::new('--staged', '--staged', [CompletionResultType]::ParameterName, 'Check what is staged (the index: what `git commit` would commit) instead of the working tree: an untracked or unstaged draft does not block an unrelated commit. Inside a git hook, the index git hands the hook')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors, no progress messages')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors, no progress messages')
            [CompletionResult]::new('--no-pager', '--no-pager', [CompletionResultType]::ParameterName, 'Never send long output (log, diff) through a pager')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'prompt;commit' {
            [CompletionResult]::new('-m', '-m', [CompletionResultType]::ParameterName, 'The commit message; repeat for more paragraphs (without it, an editor opens on a terminal)')
            [CompletionResult]::new('--message', '--message', [CompletionResultType]::ParameterName, 'The commit message; repeat for more paragraphs (without it, an editor opens on a terminal)')
            [CompletionResult]::new('--allow-secret', '--allow-secret', [CompletionResultType]::ParameterName, 'Do not refuse for the flagged secret with this fingerprint (a false positive); repeatable')
            [CompletionResult]::new('--repo', '--repo', [CompletionResultType]::ParameterName, 'The repository to use (default: the one containing the current directory)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (NO_COLOR also turns it off)')
            [CompletionResult]::new('--no-verify', '--no-verify', [CompletionResultType]::ParameterName, 'Commit even when validation finds errors, and skip the pre-commit and commit-msg hooks (as `git commit --no-verify`); post-commit runs either way')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors, no progress messages')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors, no progress messages')
            [CompletionResult]::new('--no-pager', '--no-pager', [CompletionResultType]::ParameterName, 'Never send long output (log, diff) through a pager')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'prompt;log' {
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Show at most this many entries')
            [CompletionResult]::new('--max-count', '--max-count', [CompletionResultType]::ParameterName, 'Show at most this many entries')
            [CompletionResult]::new('--repo', '--repo', [CompletionResultType]::ParameterName, 'The repository to use (default: the one containing the current directory)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (NO_COLOR also turns it off)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON: an array of entries, newest first')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors, no progress messages')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors, no progress messages')
            [CompletionResult]::new('--no-pager', '--no-pager', [CompletionResultType]::ParameterName, 'Never send long output (log, diff) through a pager')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'prompt;diff' {
            [CompletionResult]::new('--var', '--var', [CompletionResultType]::ParameterName, 'With --rendered: a value NAME=VALUE (or NAME=@FILE); repeatable')
            [CompletionResult]::new('--vars', '--vars', [CompletionResultType]::ParameterName, 'With --rendered: a YAML or JSON file of values (`-` reads stdin)')
            [CompletionResult]::new('--sample', '--sample', [CompletionResultType]::ParameterName, 'With --rendered: start from the prompts'' sample NAME')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format: text (coloured on a terminal), markdown (for a pull-request comment), json')
            [CompletionResult]::new('--textconv', '--textconv', [CompletionResultType]::ParameterName, 'Print one prompt file in a normalised form, for git''s textconv diff driver')
            [CompletionResult]::new('--repo', '--repo', [CompletionResultType]::ParameterName, 'The repository to use (default: the one containing the current directory)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (NO_COLOR also turns it off)')
            [CompletionResult]::new('--rendered', '--rendered', [CompletionResultType]::ParameterName, 'Compare the rendered text instead, with values from --var, --vars and --sample (a value that one side does not declare is ignored on that side)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Same as --format json')
            [CompletionResult]::new('--exit-code', '--exit-code', [CompletionResultType]::ParameterName, 'Exit with 1 when there are differences')
            [CompletionResult]::new('--word-diff', '--word-diff', [CompletionResultType]::ParameterName, 'Text without colour: mark changed words inside lines as [-old-] and {+new+}')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors, no progress messages')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors, no progress messages')
            [CompletionResult]::new('--no-pager', '--no-pager', [CompletionResultType]::ParameterName, 'Never send long output (log, diff) through a pager')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'prompt;render' {
            [CompletionResult]::new('--var', '--var', [CompletionResultType]::ParameterName, 'A value: NAME=VALUE (converted to the input''s type), NAME=@FILE (the file''s text; for image and audio inputs, the file itself); repeatable')
            [CompletionResult]::new('--vars', '--vars', [CompletionResultType]::ParameterName, 'A YAML or JSON file of values (`-` reads stdin)')
            [CompletionResult]::new('--sample', '--sample', [CompletionResultType]::ParameterName, 'Start from the prompt''s sample NAME')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--batch', '--batch', [CompletionResultType]::ParameterName, 'Render once per line of a JSONL file of values (`-` reads stdin): output line N is {"line": N, "output": …} or {"line": N, "error": …}')
            [CompletionResult]::new('--bundle', '--bundle', [CompletionResultType]::ParameterName, 'Render from a bundle file (`prompt bundle`) alone, no repository needed: REF is ID, or ID@ENV / ID@N / ID@COMMIT for what the bundle holds')
            [CompletionResult]::new('--repo', '--repo', [CompletionResultType]::ParameterName, 'The repository to use (default: the one containing the current directory)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (NO_COLOR also turns it off)')
            [CompletionResult]::new('--lenient', '--lenient', [CompletionResultType]::ParameterName, 'Follow the mustache spec to the letter: missing values and partials render empty, and undeclared values are accepted')
            [CompletionResult]::new('--fail-fast', '--fail-fast', [CompletionResultType]::ParameterName, 'With --batch: stop at the first line that fails')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors, no progress messages')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors, no progress messages')
            [CompletionResult]::new('--no-pager', '--no-pager', [CompletionResultType]::ParameterName, 'Never send long output (log, diff) through a pager')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'prompt;promote' {
            [CompletionResult]::new('-m', '-m', [CompletionResultType]::ParameterName, 'A note recorded with the promotion (why)')
            [CompletionResult]::new('--message', '--message', [CompletionResultType]::ParameterName, 'A note recorded with the promotion (why)')
            [CompletionResult]::new('--repo', '--repo', [CompletionResultType]::ParameterName, 'The repository to use (default: the one containing the current directory)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (NO_COLOR also turns it off)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Confirm moving a protected environment (`protected_environments`, default production): asked on a terminal, required elsewhere')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Confirm moving a protected environment (`protected_environments`, default production): asked on a terminal, required elsewhere')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors, no progress messages')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors, no progress messages')
            [CompletionResult]::new('--no-pager', '--no-pager', [CompletionResultType]::ParameterName, 'Never send long output (log, diff) through a pager')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'prompt;demote' {
            [CompletionResult]::new('--repo', '--repo', [CompletionResultType]::ParameterName, 'The repository to use (default: the one containing the current directory)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (NO_COLOR also turns it off)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Confirm demoting from a protected environment (asked on a terminal, required elsewhere)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Confirm demoting from a protected environment (asked on a terminal, required elsewhere)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors, no progress messages')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors, no progress messages')
            [CompletionResult]::new('--no-pager', '--no-pager', [CompletionResultType]::ParameterName, 'Never send long output (log, diff) through a pager')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'prompt;env' {
            [CompletionResult]::new('--bundle', '--bundle', [CompletionResultType]::ParameterName, 'Read a bundle file (`prompt bundle`) instead, no repository needed: its one environment, by prompt (LATEST and WORKING are unknown there: `?`, null)')
            [CompletionResult]::new('--repo', '--repo', [CompletionResultType]::ParameterName, 'The repository to use (default: the one containing the current directory)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (NO_COLOR also turns it off)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON: an array of {id, latest, working, environments}')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors, no progress messages')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors, no progress messages')
            [CompletionResult]::new('--no-pager', '--no-pager', [CompletionResultType]::ParameterName, 'Never send long output (log, diff) through a pager')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('history', 'history', [CompletionResultType]::ParameterValue, 'Every promotion of a prompt to an environment, newest first: version, who, when, note')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'prompt;env;history' {
            [CompletionResult]::new('--repo', '--repo', [CompletionResultType]::ParameterName, 'The repository to use (default: the one containing the current directory)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (NO_COLOR also turns it off)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON: an array of promotion records, newest first')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors, no progress messages')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors, no progress messages')
            [CompletionResult]::new('--no-pager', '--no-pager', [CompletionResultType]::ParameterName, 'Never send long output (log, diff) through a pager')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'prompt;env;help' {
            [CompletionResult]::new('history', 'history', [CompletionResultType]::ParameterValue, 'Every promotion of a prompt to an environment, newest first: version, who, when, note')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'prompt;env;help;history' {
            break
        }
        'prompt;env;help;help' {
            break
        }
        'prompt;mv' {
            [CompletionResult]::new('-m', '-m', [CompletionResultType]::ParameterName, 'Commit message (default: "Move OLD to NEW")')
            [CompletionResult]::new('--message', '--message', [CompletionResultType]::ParameterName, 'Commit message (default: "Move OLD to NEW")')
            [CompletionResult]::new('--repo', '--repo', [CompletionResultType]::ParameterName, 'The repository to use (default: the one containing the current directory)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (NO_COLOR also turns it off)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Confirm moving protected environment tags with the prompt (asked on a terminal, required elsewhere)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Confirm moving protected environment tags with the prompt (asked on a terminal, required elsewhere)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors, no progress messages')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors, no progress messages')
            [CompletionResult]::new('--no-pager', '--no-pager', [CompletionResultType]::ParameterName, 'Never send long output (log, diff) through a pager')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'prompt;cp' {
            [CompletionResult]::new('--repo', '--repo', [CompletionResultType]::ParameterName, 'The repository to use (default: the one containing the current directory)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (NO_COLOR also turns it off)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors, no progress messages')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors, no progress messages')
            [CompletionResult]::new('--no-pager', '--no-pager', [CompletionResultType]::ParameterName, 'Never send long output (log, diff) through a pager')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'prompt;rm' {
            [CompletionResult]::new('-m', '-m', [CompletionResultType]::ParameterName, 'Commit message (default: "Remove ID")')
            [CompletionResult]::new('--message', '--message', [CompletionResultType]::ParameterName, 'Commit message (default: "Remove ID")')
            [CompletionResult]::new('--repo', '--repo', [CompletionResultType]::ParameterName, 'The repository to use (default: the one containing the current directory)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (NO_COLOR also turns it off)')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Remove even while environments point at it, or with uncommitted changes')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Confirm removing a prompt a protected environment serves (asked on a terminal, required elsewhere)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Confirm removing a prompt a protected environment serves (asked on a terminal, required elsewhere)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors, no progress messages')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors, no progress messages')
            [CompletionResult]::new('--no-pager', '--no-pager', [CompletionResultType]::ParameterName, 'Never send long output (log, diff) through a pager')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'prompt;push' {
            [CompletionResult]::new('--repo', '--repo', [CompletionResultType]::ParameterName, 'The repository to use (default: the one containing the current directory)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (NO_COLOR also turns it off)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors, no progress messages')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors, no progress messages')
            [CompletionResult]::new('--no-pager', '--no-pager', [CompletionResultType]::ParameterName, 'Never send long output (log, diff) through a pager')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'prompt;pull' {
            [CompletionResult]::new('--repo', '--repo', [CompletionResultType]::ParameterName, 'The repository to use (default: the one containing the current directory)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (NO_COLOR also turns it off)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors, no progress messages')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors, no progress messages')
            [CompletionResult]::new('--no-pager', '--no-pager', [CompletionResultType]::ParameterName, 'Never send long output (log, diff) through a pager')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'prompt;import' {
            [CompletionResult]::new('--from', '--from', [CompletionResultType]::ParameterName, 'The service or file format it comes from')
            [CompletionResult]::new('--id', '--id', [CompletionResultType]::ParameterName, 'Import as this id instead of the slugged name (a payload with one prompt)')
            [CompletionResult]::new('--repo', '--repo', [CompletionResultType]::ParameterName, 'The repository to use (default: the one containing the current directory)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (NO_COLOR also turns it off)')
            [CompletionResult]::new('--history', '--history', [CompletionResultType]::ParameterName, 'Commit each version the payload holds, oldest first, with its message, and tag the versions its tags or environments name (configured environments only)')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Overwrite prompts that exist (with --history, the versions are committed on top)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Confirm creating or moving protected environment tags with --history (asked on a terminal, required elsewhere)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Confirm creating or moving protected environment tags with --history (asked on a terminal, required elsewhere)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors, no progress messages')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors, no progress messages')
            [CompletionResult]::new('--no-pager', '--no-pager', [CompletionResultType]::ParameterName, 'Never send long output (log, diff) through a pager')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'prompt;export' {
            [CompletionResult]::new('--to', '--to', [CompletionResultType]::ParameterName, 'The service or file format to write for')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Write to this file instead of stdout (an existing file is replaced)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Write to this file instead of stdout (an existing file is replaced)')
            [CompletionResult]::new('--repo', '--repo', [CompletionResultType]::ParameterName, 'The repository to use (default: the one containing the current directory)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (NO_COLOR also turns it off)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors, no progress messages')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors, no progress messages')
            [CompletionResult]::new('--no-pager', '--no-pager', [CompletionResultType]::ParameterName, 'Never send long output (log, diff) through a pager')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'prompt;bundle' {
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'The environment to bundle')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'The file to write (`-` writes stdout). Without it the bundle goes to stdout when stdout is not a terminal (`prompt bundle --env production | aws s3 cp - …`)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'The file to write (`-` writes stdout). Without it the bundle goes to stdout when stdout is not a terminal (`prompt bundle --env production | aws s3 cp - …`)')
            [CompletionResult]::new('--ref', '--ref', [CompletionResultType]::ParameterName, 'Take the set of prompts from this revision (default: HEAD)')
            [CompletionResult]::new('--repo', '--repo', [CompletionResultType]::ParameterName, 'The repository to use (default: the one containing the current directory)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (NO_COLOR also turns it off)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors, no progress messages')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors, no progress messages')
            [CompletionResult]::new('--no-pager', '--no-pager', [CompletionResultType]::ParameterName, 'Never send long output (log, diff) through a pager')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'prompt;serve' {
            [CompletionResult]::new('--bind', '--bind', [CompletionResultType]::ParameterName, 'Address and port to listen on (port 0 picks a free one)')
            [CompletionResult]::new('--bundle', '--bundle', [CompletionResultType]::ParameterName, 'Serve this bundle file (`prompt bundle`) instead of the repository')
            [CompletionResult]::new('--token-file', '--token-file', [CompletionResultType]::ParameterName, 'A file holding the bearer token requests must send (`Authorization: Bearer TOKEN`); required for an address that is not loopback')
            [CompletionResult]::new('--max-body', '--max-body', [CompletionResultType]::ParameterName, 'The largest request body, in bytes (larger ones get 413)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Seconds a client may take to send a request''s headers or body')
            [CompletionResult]::new('--threads', '--threads', [CompletionResultType]::ParameterName, 'Worker threads (default: one per core)')
            [CompletionResult]::new('--repo', '--repo', [CompletionResultType]::ParameterName, 'The repository to use (default: the one containing the current directory)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (NO_COLOR also turns it off)')
            [CompletionResult]::new('--watch', '--watch', [CompletionResultType]::ParameterName, 'See new commits and tag moves within a second (the default when serving a repository)')
            [CompletionResult]::new('--no-watch', '--no-watch', [CompletionResultType]::ParameterName, 'Do not poll for changes (SIGHUP still reloads)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors, no progress messages')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors, no progress messages')
            [CompletionResult]::new('--no-pager', '--no-pager', [CompletionResultType]::ParameterName, 'Never send long output (log, diff) through a pager')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'prompt;schema' {
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Write to this file instead of stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Write to this file instead of stdout')
            [CompletionResult]::new('--repo', '--repo', [CompletionResultType]::ParameterName, 'The repository to use (default: the one containing the current directory)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (NO_COLOR also turns it off)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors, no progress messages')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors, no progress messages')
            [CompletionResult]::new('--no-pager', '--no-pager', [CompletionResultType]::ParameterName, 'Never send long output (log, diff) through a pager')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'prompt;completions' {
            [CompletionResult]::new('--repo', '--repo', [CompletionResultType]::ParameterName, 'The repository to use (default: the one containing the current directory)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (NO_COLOR also turns it off)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors, no progress messages')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors, no progress messages')
            [CompletionResult]::new('--no-pager', '--no-pager', [CompletionResultType]::ParameterName, 'Never send long output (log, diff) through a pager')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'prompt;lsp' {
            [CompletionResult]::new('--log', '--log', [CompletionResultType]::ParameterName, 'Append the server''s log to FILE instead of stderr')
            [CompletionResult]::new('--repo', '--repo', [CompletionResultType]::ParameterName, 'The repository to use (default: the one containing the current directory)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (NO_COLOR also turns it off)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors, no progress messages')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors, no progress messages')
            [CompletionResult]::new('--no-pager', '--no-pager', [CompletionResultType]::ParameterName, 'Never send long output (log, diff) through a pager')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'prompt;test' {
            [CompletionResult]::new('--changed', '--changed', [CompletionResultType]::ParameterName, 'Only the prompts whose rendering differs from the git revision REV (their file, or a partial or parent they include)')
            [CompletionResult]::new('--base-url', '--base-url', [CompletionResultType]::ParameterName, 'The API''s base URL (default: OPENAI_BASE_URL, else https://api.openai.com/v1; for `provider: anthropic` ANTHROPIC_BASE_URL, else https://api.anthropic.com)')
            [CompletionResult]::new('--model', '--model', [CompletionResultType]::ParameterName, 'Call this model instead of the prompt''s (part of each request, so of each recording key)')
            [CompletionResult]::new('--repeat', '--repeat', [CompletionResultType]::ParameterName, 'Run each test N times (each run has its own recording)')
            [CompletionResult]::new('--jobs', '--jobs', [CompletionResultType]::ParameterName, 'Model calls at once')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Seconds one model call may take, connection and answer included')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--repo', '--repo', [CompletionResultType]::ParameterName, 'The repository to use (default: the one containing the current directory)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (NO_COLOR also turns it off)')
            [CompletionResult]::new('--record', '--record', [CompletionResultType]::ParameterName, 'Call the model and write each answer as a recording')
            [CompletionResult]::new('--replay', '--replay', [CompletionResultType]::ParameterName, 'Answer from recordings only, with no network connection (the default)')
            [CompletionResult]::new('--live', '--live', [CompletionResultType]::ParameterName, 'Call the model and write nothing')
            [CompletionResult]::new('--prune', '--prune', [CompletionResultType]::ParameterName, 'List the recordings no current test uses (with --yes, remove them)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'With --prune: remove the unused recordings')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors, no progress messages')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors, no progress messages')
            [CompletionResult]::new('--no-pager', '--no-pager', [CompletionResultType]::ParameterName, 'Never send long output (log, diff) through a pager')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'prompt;review' {
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format: markdown (a pull-request comment) or json (everything, uncut)')
            [CompletionResult]::new('--repo', '--repo', [CompletionResultType]::ParameterName, 'The repository to use (default: the one containing the current directory)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (NO_COLOR also turns it off)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Same as --format json')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors, no progress messages')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors, no progress messages')
            [CompletionResult]::new('--no-pager', '--no-pager', [CompletionResultType]::ParameterName, 'Never send long output (log, diff) through a pager')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'prompt;blame' {
            [CompletionResult]::new('--repo', '--repo', [CompletionResultType]::ParameterName, 'The repository to use (default: the one containing the current directory)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (NO_COLOR also turns it off)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON (shape in docs/json-output.md)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors, no progress messages')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors, no progress messages')
            [CompletionResult]::new('--no-pager', '--no-pager', [CompletionResultType]::ParameterName, 'Never send long output (log, diff) through a pager')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'prompt;help' {
            [CompletionResult]::new('init', 'init', [CompletionResultType]::ParameterValue, 'Create `.prompts.yaml` (at the repository root) and the prompts folder (running `git init` first outside a repository)')
            [CompletionResult]::new('new', 'new', [CompletionResultType]::ParameterValue, 'Create a prompt file. Variables found in the texts are declared as inputs (`{{x}}` a string, `{{#x}}…{{/x}}` a list when the section uses fields, else a boolean). Never overwrites')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the prompts: id, kind (chat/text), model, latest version, environments')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Print a prompt at a reference (ID, ID@N, ID@latest, ID@ENV, ID@REV)')
            [CompletionResult]::new('check', 'check', [CompletionResultType]::ParameterValue, 'Validate prompts: schema, ids, template syntax, variables against inputs, partials, provider rules, JSON Schemas, secrets. Exits 1 when there are errors')
            [CompletionResult]::new('commit', 'commit', [CompletionResultType]::ParameterValue, 'Validate, then commit changed prompt files as new versions (only prompt files: other staged changes are left alone). The repository''s pre-commit, commit-msg and post-commit hooks run as for `git commit` (`core.hooksPath` too); the commit is signed when `commit.gpgSign` is on')
            [CompletionResult]::new('log', 'log', [CompletionResultType]::ParameterValue, 'Show versions newest first: version, commit, date, author, message, environments; drafts (commits off the release line reachable from HEAD) come first, marked with their branch')
            [CompletionResult]::new('diff', 'diff', [CompletionResultType]::ParameterValue, 'Show what changed in prompts, field by field, and which changes break callers')
            [CompletionResult]::new('render', 'render', [CompletionResultType]::ParameterValue, 'Render a prompt at a reference with values: text, JSON, or a request body for openai, openai-responses, anthropic, gemini or bedrock (pipe it to `curl -d @-`)')
            [CompletionResult]::new('promote', 'promote', [CompletionResultType]::ParameterValue, 'Point an environment at a version (ID@N, ID@latest, ID@ENV, ID@REV; plain ID means latest). Rollback is a promote of an older version. Works in a bare repository too (only the tag moves)')
            [CompletionResult]::new('demote', 'demote', [CompletionResultType]::ParameterValue, 'Remove a prompt from an environment (deletes the tag ID@ENV); works in a bare repository too')
            [CompletionResult]::new('env', 'env', [CompletionResultType]::ParameterValue, 'Show which version each environment runs (prompts × environments), or a promotion history')
            [CompletionResult]::new('mv', 'mv', [CompletionResultType]::ParameterValue, 'Rename a prompt or move it to another folder; history, version numbers and environment tags follow it. Never overwrites')
            [CompletionResult]::new('cp', 'cp', [CompletionResultType]::ParameterValue, 'Copy a prompt (at any reference) to a new id; the copy records its source under `metadata.copied_from`. Never overwrites; the copy is not committed')
            [CompletionResult]::new('rm', 'rm', [CompletionResultType]::ParameterValue, 'Delete a prompt''s file and commit the removal. History stays, and environment tags stay until demoted: while an environment points at the prompt, rm refuses unless --force')
            [CompletionResult]::new('push', 'push', [CompletionResultType]::ParameterValue, 'Push the current branch and the environment tags; a tag someone else moved since your last pull stops the push and nothing changes on the remote. The branch goes where `git push` sends it (its upstream, by push.default), and the output names it')
            [CompletionResult]::new('pull', 'pull', [CompletionResultType]::ParameterValue, 'Fetch, fast-forward the current branch, and take the remote''s environment tags')
            [CompletionResult]::new('import', 'import', [CompletionResultType]::ParameterValue, 'Import prompts from Phoenix, LangWatch, Freeplay, Bifrost or Langfuse JSON, or from dotprompt (.prompt) and Prompty (.prompty) files')
            [CompletionResult]::new('export', 'export', [CompletionResultType]::ParameterValue, 'Print the request body that creates this prompt version in Phoenix, LangWatch, Freeplay, Bifrost or Langfuse, or the prompt as a dotprompt (.prompt) or Prompty (.prompty) file')
            [CompletionResult]::new('bundle', 'bundle', [CompletionResultType]::ParameterValue, 'Write every prompt promoted to ENV, at its promoted version, to one JSON file')
            [CompletionResult]::new('serve', 'serve', [CompletionResultType]::ParameterValue, 'Serve prompts over HTTP to applications: exactly the bytes `prompt render` prints')
            [CompletionResult]::new('schema', 'schema', [CompletionResultType]::ParameterValue, 'Print the JSON Schema (draft 2020-12) of prompt files')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a completion script for a shell (bash, zsh and fish ones complete ids and environments)')
            [CompletionResult]::new('lsp', 'lsp', [CompletionResultType]::ParameterValue, 'Run the language server for editors (LSP 3.17 over stdin and stdout)')
            [CompletionResult]::new('test', 'test', [CompletionResultType]::ParameterValue, 'Run the tests kept in prompt files (`tests:`): checks on the rendered request, and checks on the model''s answer, replayed from recordings under <root>/.recordings (no network) unless --record or --live. Exits 1 when a test fails')
            [CompletionResult]::new('review', 'review', [CompletionResultType]::ParameterValue, 'Report what a range does to prompts, for a pull request: a summary table, then per changed prompt the semantic diff, the rendered output before and after for each sample, token counts, the prompts that change through a partial or parent, and the environments on the base version')
            [CompletionResult]::new('blame', 'blame', [CompletionResultType]::ParameterValue, 'Show, for each top-level field, message and input of a prompt, the version (or draft), commit, author, date and commit subject that last changed it')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'prompt;help;init' {
            break
        }
        'prompt;help;new' {
            break
        }
        'prompt;help;list' {
            break
        }
        'prompt;help;show' {
            break
        }
        'prompt;help;check' {
            break
        }
        'prompt;help;commit' {
            break
        }
        'prompt;help;log' {
            break
        }
        'prompt;help;diff' {
            break
        }
        'prompt;help;render' {
            break
        }
        'prompt;help;promote' {
            break
        }
        'prompt;help;demote' {
            break
        }
        'prompt;help;env' {
            [CompletionResult]::new('history', 'history', [CompletionResultType]::ParameterValue, 'Every promotion of a prompt to an environment, newest first: version, who, when, note')
            break
        }
        'prompt;help;env;history' {
            break
        }
        'prompt;help;mv' {
            break
        }
        'prompt;help;cp' {
            break
        }
        'prompt;help;rm' {
            break
        }
        'prompt;help;push' {
            break
        }
        'prompt;help;pull' {
            break
        }
        'prompt;help;import' {
            break
        }
        'prompt;help;export' {
            break
        }
        'prompt;help;bundle' {
            break
        }
        'prompt;help;serve' {
            break
        }
        'prompt;help;schema' {
            break
        }
        'prompt;help;completions' {
            break
        }
        'prompt;help;lsp' {
            break
        }
        'prompt;help;test' {
            break
        }
        'prompt;help;review' {
            break
        }
        'prompt;help;blame' {
            break
        }
        'prompt;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
