# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_prompt_global_optspecs
    string join \n repo= color= q/quiet no-pager h/help V/version
end

function __fish_prompt_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_prompt_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_prompt_using_subcommand
    set -l cmd (__fish_prompt_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c prompt -n "__fish_prompt_needs_command" -l repo -d 'The repository to use (default: the one containing the current directory)' -r -F
complete -c prompt -n "__fish_prompt_needs_command" -l color -d 'When to colour output (NO_COLOR also turns it off)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c prompt -n "__fish_prompt_needs_command" -s q -l quiet -d 'Print only data and errors, no progress messages'
complete -c prompt -n "__fish_prompt_needs_command" -l no-pager -d 'Never send long output (log, diff) through a pager'
complete -c prompt -n "__fish_prompt_needs_command" -s h -l help -d 'Print help'
complete -c prompt -n "__fish_prompt_needs_command" -s V -l version -d 'Print version'
complete -c prompt -n "__fish_prompt_needs_command" -f -a "init" -d 'Create `.prompts.yaml` (at the repository root) and the prompts folder (running `git init` first outside a repository)'
complete -c prompt -n "__fish_prompt_needs_command" -f -a "new" -d 'Create a prompt file. Variables found in the texts are declared as inputs (`{{x}}` a string, `{{#x}}…{{/x}}` a list when the section uses fields, else a boolean). Never overwrites'
complete -c prompt -n "__fish_prompt_needs_command" -f -a "list" -d 'List the prompts: id, kind (chat/text), model, latest version, environments'
complete -c prompt -n "__fish_prompt_needs_command" -f -a "show" -d 'Print a prompt at a reference (ID, ID@N, ID@latest, ID@ENV, ID@REV)'
complete -c prompt -n "__fish_prompt_needs_command" -f -a "check" -d 'Validate prompts: schema, ids, template syntax, variables against inputs, partials, provider rules, JSON Schemas, secrets. Exits 1 when there are errors'
complete -c prompt -n "__fish_prompt_needs_command" -f -a "commit" -d 'Validate, then commit changed prompt files as new versions (only prompt files: other staged changes are left alone). The repository\'s pre-commit, commit-msg and post-commit hooks run as for `git commit` (`core.hooksPath` too); the commit is signed when `commit.gpgSign` is on'
complete -c prompt -n "__fish_prompt_needs_command" -f -a "log" -d 'Show versions newest first: version, commit, date, author, message, environments; drafts (commits off the release line reachable from HEAD) come first, marked with their branch'
complete -c prompt -n "__fish_prompt_needs_command" -f -a "diff" -d 'Show what changed in prompts, field by field, and which changes break callers'
complete -c prompt -n "__fish_prompt_needs_command" -f -a "render" -d 'Render a prompt at a reference with values: text, JSON, or a request body for openai, openai-responses, anthropic, gemini or bedrock (pipe it to `curl -d @-`)'
complete -c prompt -n "__fish_prompt_needs_command" -f -a "promote" -d 'Point an environment at a version (ID@N, ID@latest, ID@ENV, ID@REV; plain ID means latest). Rollback is a promote of an older version. Works in a bare repository too (only the tag moves)'
complete -c prompt -n "__fish_prompt_needs_command" -f -a "demote" -d 'Remove a prompt from an environment (deletes the tag ID@ENV); works in a bare repository too'
complete -c prompt -n "__fish_prompt_needs_command" -f -a "env" -d 'Show which version each environment runs (prompts × environments), or a promotion history'
complete -c prompt -n "__fish_prompt_needs_command" -f -a "mv" -d 'Rename a prompt or move it to another folder; history, version numbers and environment tags follow it. Never overwrites'
complete -c prompt -n "__fish_prompt_needs_command" -f -a "cp" -d 'Copy a prompt (at any reference) to a new id; the copy records its source under `metadata.copied_from`. Never overwrites; the copy is not committed'
complete -c prompt -n "__fish_prompt_needs_command" -f -a "rm" -d 'Delete a prompt\'s file and commit the removal. History stays, and environment tags stay until demoted: while an environment points at the prompt, rm refuses unless --force'
complete -c prompt -n "__fish_prompt_needs_command" -f -a "push" -d 'Push the current branch and the environment tags; a tag someone else moved since your last pull stops the push and nothing changes on the remote. The branch goes where `git push` sends it (its upstream, by push.default), and the output names it'
complete -c prompt -n "__fish_prompt_needs_command" -f -a "pull" -d 'Fetch, fast-forward the current branch, and take the remote\'s environment tags'
complete -c prompt -n "__fish_prompt_needs_command" -f -a "import" -d 'Import prompts from Phoenix, LangWatch, Freeplay, Bifrost or Langfuse JSON, or from dotprompt (.prompt) and Prompty (.prompty) files'
complete -c prompt -n "__fish_prompt_needs_command" -f -a "export" -d 'Print the request body that creates this prompt version in Phoenix, LangWatch, Freeplay, Bifrost or Langfuse, or the prompt as a dotprompt (.prompt) or Prompty (.prompty) file'
complete -c prompt -n "__fish_prompt_needs_command" -f -a "bundle" -d 'Write every prompt promoted to ENV, at its promoted version, to one JSON file'
complete -c prompt -n "__fish_prompt_needs_command" -f -a "schema" -d 'Print the JSON Schema (draft 2020-12) of prompt files'
complete -c prompt -n "__fish_prompt_needs_command" -f -a "completions" -d 'Print a completion script for a shell (static: commands and flags). For ids and environments too, use dynamic completion instead: `source <(COMPLETE=bash prompt)`'
complete -c prompt -n "__fish_prompt_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c prompt -n "__fish_prompt_using_subcommand init" -l repo -d 'The repository to use (default: the one containing the current directory)' -r -F
complete -c prompt -n "__fish_prompt_using_subcommand init" -l color -d 'When to colour output (NO_COLOR also turns it off)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c prompt -n "__fish_prompt_using_subcommand init" -l diff-driver -d 'Also make plain `git diff` / `git log -p` show prompt files as `prompt diff` reads them (`.gitattributes` plus `diff.prompt.textconv` in .git/config, naming this binary by its absolute path; run it again after moving the binary)'
complete -c prompt -n "__fish_prompt_using_subcommand init" -s q -l quiet -d 'Print only data and errors, no progress messages'
complete -c prompt -n "__fish_prompt_using_subcommand init" -l no-pager -d 'Never send long output (log, diff) through a pager'
complete -c prompt -n "__fish_prompt_using_subcommand init" -s h -l help -d 'Print help'
complete -c prompt -n "__fish_prompt_using_subcommand new" -l text -d 'A text prompt with this template' -r
complete -c prompt -n "__fish_prompt_using_subcommand new" -l system -d 'A chat prompt with this system message' -r
complete -c prompt -n "__fish_prompt_using_subcommand new" -l user -d 'A chat prompt with this user message' -r
complete -c prompt -n "__fish_prompt_using_subcommand new" -l provider -d 'Model provider (openai, anthropic, google, …; default from .prompts.yaml)' -r
complete -c prompt -n "__fish_prompt_using_subcommand new" -l model -d 'Model name (default from .prompts.yaml)' -r
complete -c prompt -n "__fish_prompt_using_subcommand new" -l description -d 'One-paragraph description' -r
complete -c prompt -n "__fish_prompt_using_subcommand new" -l name -d 'Display name' -r
complete -c prompt -n "__fish_prompt_using_subcommand new" -l template-format -d 'Template language of the texts' -r -f -a "mustache\t''
f-string\t''
jinja2\t''
none\t''"
complete -c prompt -n "__fish_prompt_using_subcommand new" -l repo -d 'The repository to use (default: the one containing the current directory)' -r -F
complete -c prompt -n "__fish_prompt_using_subcommand new" -l color -d 'When to colour output (NO_COLOR also turns it off)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c prompt -n "__fish_prompt_using_subcommand new" -s q -l quiet -d 'Print only data and errors, no progress messages'
complete -c prompt -n "__fish_prompt_using_subcommand new" -l no-pager -d 'Never send long output (log, diff) through a pager'
complete -c prompt -n "__fish_prompt_using_subcommand new" -s h -l help -d 'Print help'
complete -c prompt -n "__fish_prompt_using_subcommand list" -l env -d 'Only prompts promoted to this environment' -r
complete -c prompt -n "__fish_prompt_using_subcommand list" -l includes -d 'Only the prompts that include this one (as a partial, parent or Jinja2 include), directly or through other prompts: the prompts a change to it gives a new version' -r
complete -c prompt -n "__fish_prompt_using_subcommand list" -l repo -d 'The repository to use (default: the one containing the current directory)' -r -F
complete -c prompt -n "__fish_prompt_using_subcommand list" -l color -d 'When to colour output (NO_COLOR also turns it off)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c prompt -n "__fish_prompt_using_subcommand list" -l json -d 'Print JSON: an array of {id, kind, model, versions, environments, error} (with --includes: an array of {id, through})'
complete -c prompt -n "__fish_prompt_using_subcommand list" -s q -l quiet -d 'Print only data and errors, no progress messages'
complete -c prompt -n "__fish_prompt_using_subcommand list" -l no-pager -d 'Never send long output (log, diff) through a pager'
complete -c prompt -n "__fish_prompt_using_subcommand list" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c prompt -n "__fish_prompt_using_subcommand show" -l repo -d 'The repository to use (default: the one containing the current directory)' -r -F
complete -c prompt -n "__fish_prompt_using_subcommand show" -l color -d 'When to colour output (NO_COLOR also turns it off)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c prompt -n "__fish_prompt_using_subcommand show" -l json -d 'Print JSON: {id, reference, version, draft?, commit, environment, prompt}'
complete -c prompt -n "__fish_prompt_using_subcommand show" -s q -l quiet -d 'Print only data and errors, no progress messages'
complete -c prompt -n "__fish_prompt_using_subcommand show" -l no-pager -d 'Never send long output (log, diff) through a pager'
complete -c prompt -n "__fish_prompt_using_subcommand show" -s h -l help -d 'Print help'
complete -c prompt -n "__fish_prompt_using_subcommand check" -l against -d 'Also report changes that break callers of each prompt at REF: `@production` (each prompt\'s environment), or a git revision such as `origin/main`' -r
complete -c prompt -n "__fish_prompt_using_subcommand check" -l format -d 'Output format: text, json, github (workflow annotations), or sarif (SARIF 2.1.0, for GitHub code scanning)' -r -f -a "text\t''
json\t''
github\t''
sarif\t''"
complete -c prompt -n "__fish_prompt_using_subcommand check" -l allow-secret -d 'Do not report the flagged secret with this fingerprint (a false positive); repeatable. To keep it allowed, list it under `allowed_secrets` in .prompts.yaml' -r
complete -c prompt -n "__fish_prompt_using_subcommand check" -l repo -d 'The repository to use (default: the one containing the current directory)' -r -F
complete -c prompt -n "__fish_prompt_using_subcommand check" -l color -d 'When to colour output (NO_COLOR also turns it off)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c prompt -n "__fish_prompt_using_subcommand check" -l json -d 'Same as --format json'
complete -c prompt -n "__fish_prompt_using_subcommand check" -l staged -d 'Check what is staged (the index: what `git commit` would commit) instead of the working tree: an untracked or unstaged draft does not block an unrelated commit. Inside a git hook, the index git hands the hook'
complete -c prompt -n "__fish_prompt_using_subcommand check" -s q -l quiet -d 'Print only data and errors, no progress messages'
complete -c prompt -n "__fish_prompt_using_subcommand check" -l no-pager -d 'Never send long output (log, diff) through a pager'
complete -c prompt -n "__fish_prompt_using_subcommand check" -s h -l help -d 'Print help'
complete -c prompt -n "__fish_prompt_using_subcommand commit" -s m -l message -d 'The commit message; repeat for more paragraphs (without it, an editor opens on a terminal)' -r
complete -c prompt -n "__fish_prompt_using_subcommand commit" -l allow-secret -d 'Do not refuse for the flagged secret with this fingerprint (a false positive); repeatable' -r
complete -c prompt -n "__fish_prompt_using_subcommand commit" -l repo -d 'The repository to use (default: the one containing the current directory)' -r -F
complete -c prompt -n "__fish_prompt_using_subcommand commit" -l color -d 'When to colour output (NO_COLOR also turns it off)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c prompt -n "__fish_prompt_using_subcommand commit" -l no-verify -d 'Commit even when validation finds errors, and skip the pre-commit and commit-msg hooks (as `git commit --no-verify`); post-commit runs either way'
complete -c prompt -n "__fish_prompt_using_subcommand commit" -s q -l quiet -d 'Print only data and errors, no progress messages'
complete -c prompt -n "__fish_prompt_using_subcommand commit" -l no-pager -d 'Never send long output (log, diff) through a pager'
complete -c prompt -n "__fish_prompt_using_subcommand commit" -s h -l help -d 'Print help'
complete -c prompt -n "__fish_prompt_using_subcommand log" -s n -l max-count -d 'Show at most this many entries' -r
complete -c prompt -n "__fish_prompt_using_subcommand log" -l repo -d 'The repository to use (default: the one containing the current directory)' -r -F
complete -c prompt -n "__fish_prompt_using_subcommand log" -l color -d 'When to colour output (NO_COLOR also turns it off)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c prompt -n "__fish_prompt_using_subcommand log" -l json -d 'Print JSON: an array of entries, newest first'
complete -c prompt -n "__fish_prompt_using_subcommand log" -s q -l quiet -d 'Print only data and errors, no progress messages'
complete -c prompt -n "__fish_prompt_using_subcommand log" -l no-pager -d 'Never send long output (log, diff) through a pager'
complete -c prompt -n "__fish_prompt_using_subcommand log" -s h -l help -d 'Print help'
complete -c prompt -n "__fish_prompt_using_subcommand diff" -l var -d 'With --rendered: a value NAME=VALUE (or NAME=@FILE); repeatable' -r
complete -c prompt -n "__fish_prompt_using_subcommand diff" -l vars -d 'With --rendered: a YAML or JSON file of values (`-` reads stdin)' -r -F
complete -c prompt -n "__fish_prompt_using_subcommand diff" -l sample -d 'With --rendered: start from the prompts\' sample NAME' -r
complete -c prompt -n "__fish_prompt_using_subcommand diff" -l format -d 'Output format: text (coloured on a terminal), markdown (for a pull-request comment), json' -r -f -a "text\t''
markdown\t''
json\t''"
complete -c prompt -n "__fish_prompt_using_subcommand diff" -l textconv -d 'Print one prompt file in a normalised form, for git\'s textconv diff driver' -r -F
complete -c prompt -n "__fish_prompt_using_subcommand diff" -l repo -d 'The repository to use (default: the one containing the current directory)' -r -F
complete -c prompt -n "__fish_prompt_using_subcommand diff" -l color -d 'When to colour output (NO_COLOR also turns it off)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c prompt -n "__fish_prompt_using_subcommand diff" -l rendered -d 'Compare the rendered text instead, with values from --var, --vars and --sample (a value that one side does not declare is ignored on that side)'
complete -c prompt -n "__fish_prompt_using_subcommand diff" -l json -d 'Same as --format json'
complete -c prompt -n "__fish_prompt_using_subcommand diff" -l exit-code -d 'Exit with 1 when there are differences'
complete -c prompt -n "__fish_prompt_using_subcommand diff" -l word-diff -d 'Text without colour: mark changed words inside lines as [-old-] and {+new+}'
complete -c prompt -n "__fish_prompt_using_subcommand diff" -s q -l quiet -d 'Print only data and errors, no progress messages'
complete -c prompt -n "__fish_prompt_using_subcommand diff" -l no-pager -d 'Never send long output (log, diff) through a pager'
complete -c prompt -n "__fish_prompt_using_subcommand diff" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c prompt -n "__fish_prompt_using_subcommand render" -l var -d 'A value: NAME=VALUE (converted to the input\'s type), NAME=@FILE (the file\'s text; for image and audio inputs, the file itself); repeatable' -r
complete -c prompt -n "__fish_prompt_using_subcommand render" -l vars -d 'A YAML or JSON file of values (`-` reads stdin)' -r -F
complete -c prompt -n "__fish_prompt_using_subcommand render" -l sample -d 'Start from the prompt\'s sample NAME' -r
complete -c prompt -n "__fish_prompt_using_subcommand render" -s f -l format -d 'Output format' -r -f -a "text\t''
json\t''
openai\t''
openai-responses\t''
anthropic\t''
gemini\t''
bedrock\t''"
complete -c prompt -n "__fish_prompt_using_subcommand render" -l batch -d 'Render once per line of a JSONL file of values (`-` reads stdin): output line N is {"line": N, "output": …} or {"line": N, "error": …}' -r -F
complete -c prompt -n "__fish_prompt_using_subcommand render" -l repo -d 'The repository to use (default: the one containing the current directory)' -r -F
complete -c prompt -n "__fish_prompt_using_subcommand render" -l color -d 'When to colour output (NO_COLOR also turns it off)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c prompt -n "__fish_prompt_using_subcommand render" -l lenient -d 'Follow the mustache spec to the letter: missing values and partials render empty, and undeclared values are accepted'
complete -c prompt -n "__fish_prompt_using_subcommand render" -l fail-fast -d 'With --batch: stop at the first line that fails'
complete -c prompt -n "__fish_prompt_using_subcommand render" -s q -l quiet -d 'Print only data and errors, no progress messages'
complete -c prompt -n "__fish_prompt_using_subcommand render" -l no-pager -d 'Never send long output (log, diff) through a pager'
complete -c prompt -n "__fish_prompt_using_subcommand render" -s h -l help -d 'Print help'
complete -c prompt -n "__fish_prompt_using_subcommand promote" -s m -l message -d 'A note recorded with the promotion (why)' -r
complete -c prompt -n "__fish_prompt_using_subcommand promote" -l repo -d 'The repository to use (default: the one containing the current directory)' -r -F
complete -c prompt -n "__fish_prompt_using_subcommand promote" -l color -d 'When to colour output (NO_COLOR also turns it off)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c prompt -n "__fish_prompt_using_subcommand promote" -s y -l yes -d 'Confirm moving a protected environment (`protected_environments`, default production): asked on a terminal, required elsewhere'
complete -c prompt -n "__fish_prompt_using_subcommand promote" -s q -l quiet -d 'Print only data and errors, no progress messages'
complete -c prompt -n "__fish_prompt_using_subcommand promote" -l no-pager -d 'Never send long output (log, diff) through a pager'
complete -c prompt -n "__fish_prompt_using_subcommand promote" -s h -l help -d 'Print help'
complete -c prompt -n "__fish_prompt_using_subcommand demote" -l repo -d 'The repository to use (default: the one containing the current directory)' -r -F
complete -c prompt -n "__fish_prompt_using_subcommand demote" -l color -d 'When to colour output (NO_COLOR also turns it off)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c prompt -n "__fish_prompt_using_subcommand demote" -s y -l yes -d 'Confirm demoting from a protected environment (asked on a terminal, required elsewhere)'
complete -c prompt -n "__fish_prompt_using_subcommand demote" -s q -l quiet -d 'Print only data and errors, no progress messages'
complete -c prompt -n "__fish_prompt_using_subcommand demote" -l no-pager -d 'Never send long output (log, diff) through a pager'
complete -c prompt -n "__fish_prompt_using_subcommand demote" -s h -l help -d 'Print help'
complete -c prompt -n "__fish_prompt_using_subcommand env; and not __fish_seen_subcommand_from history help" -l repo -d 'The repository to use (default: the one containing the current directory)' -r -F
complete -c prompt -n "__fish_prompt_using_subcommand env; and not __fish_seen_subcommand_from history help" -l color -d 'When to colour output (NO_COLOR also turns it off)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c prompt -n "__fish_prompt_using_subcommand env; and not __fish_seen_subcommand_from history help" -l json -d 'Print JSON: an array of {id, latest, working, environments}'
complete -c prompt -n "__fish_prompt_using_subcommand env; and not __fish_seen_subcommand_from history help" -s q -l quiet -d 'Print only data and errors, no progress messages'
complete -c prompt -n "__fish_prompt_using_subcommand env; and not __fish_seen_subcommand_from history help" -l no-pager -d 'Never send long output (log, diff) through a pager'
complete -c prompt -n "__fish_prompt_using_subcommand env; and not __fish_seen_subcommand_from history help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c prompt -n "__fish_prompt_using_subcommand env; and not __fish_seen_subcommand_from history help" -a "history" -d 'Every promotion of a prompt to an environment, newest first: version, who, when, note'
complete -c prompt -n "__fish_prompt_using_subcommand env; and not __fish_seen_subcommand_from history help" -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c prompt -n "__fish_prompt_using_subcommand env; and __fish_seen_subcommand_from history" -l repo -d 'The repository to use (default: the one containing the current directory)' -r -F
complete -c prompt -n "__fish_prompt_using_subcommand env; and __fish_seen_subcommand_from history" -l color -d 'When to colour output (NO_COLOR also turns it off)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c prompt -n "__fish_prompt_using_subcommand env; and __fish_seen_subcommand_from history" -l json -d 'Print JSON: an array of promotion records, newest first'
complete -c prompt -n "__fish_prompt_using_subcommand env; and __fish_seen_subcommand_from history" -s q -l quiet -d 'Print only data and errors, no progress messages'
complete -c prompt -n "__fish_prompt_using_subcommand env; and __fish_seen_subcommand_from history" -l no-pager -d 'Never send long output (log, diff) through a pager'
complete -c prompt -n "__fish_prompt_using_subcommand env; and __fish_seen_subcommand_from history" -s h -l help -d 'Print help'
complete -c prompt -n "__fish_prompt_using_subcommand env; and __fish_seen_subcommand_from help" -f -a "history" -d 'Every promotion of a prompt to an environment, newest first: version, who, when, note'
complete -c prompt -n "__fish_prompt_using_subcommand env; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c prompt -n "__fish_prompt_using_subcommand mv" -s m -l message -d 'Commit message (default: "Move OLD to NEW")' -r
complete -c prompt -n "__fish_prompt_using_subcommand mv" -l repo -d 'The repository to use (default: the one containing the current directory)' -r -F
complete -c prompt -n "__fish_prompt_using_subcommand mv" -l color -d 'When to colour output (NO_COLOR also turns it off)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c prompt -n "__fish_prompt_using_subcommand mv" -s y -l yes -d 'Confirm moving protected environment tags with the prompt (asked on a terminal, required elsewhere)'
complete -c prompt -n "__fish_prompt_using_subcommand mv" -s q -l quiet -d 'Print only data and errors, no progress messages'
complete -c prompt -n "__fish_prompt_using_subcommand mv" -l no-pager -d 'Never send long output (log, diff) through a pager'
complete -c prompt -n "__fish_prompt_using_subcommand mv" -s h -l help -d 'Print help'
complete -c prompt -n "__fish_prompt_using_subcommand cp" -l repo -d 'The repository to use (default: the one containing the current directory)' -r -F
complete -c prompt -n "__fish_prompt_using_subcommand cp" -l color -d 'When to colour output (NO_COLOR also turns it off)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c prompt -n "__fish_prompt_using_subcommand cp" -s q -l quiet -d 'Print only data and errors, no progress messages'
complete -c prompt -n "__fish_prompt_using_subcommand cp" -l no-pager -d 'Never send long output (log, diff) through a pager'
complete -c prompt -n "__fish_prompt_using_subcommand cp" -s h -l help -d 'Print help'
complete -c prompt -n "__fish_prompt_using_subcommand rm" -s m -l message -d 'Commit message (default: "Remove ID")' -r
complete -c prompt -n "__fish_prompt_using_subcommand rm" -l repo -d 'The repository to use (default: the one containing the current directory)' -r -F
complete -c prompt -n "__fish_prompt_using_subcommand rm" -l color -d 'When to colour output (NO_COLOR also turns it off)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c prompt -n "__fish_prompt_using_subcommand rm" -l force -d 'Remove even while environments point at it, or with uncommitted changes'
complete -c prompt -n "__fish_prompt_using_subcommand rm" -s y -l yes -d 'Confirm removing a prompt a protected environment serves (asked on a terminal, required elsewhere)'
complete -c prompt -n "__fish_prompt_using_subcommand rm" -s q -l quiet -d 'Print only data and errors, no progress messages'
complete -c prompt -n "__fish_prompt_using_subcommand rm" -l no-pager -d 'Never send long output (log, diff) through a pager'
complete -c prompt -n "__fish_prompt_using_subcommand rm" -s h -l help -d 'Print help'
complete -c prompt -n "__fish_prompt_using_subcommand push" -l repo -d 'The repository to use (default: the one containing the current directory)' -r -F
complete -c prompt -n "__fish_prompt_using_subcommand push" -l color -d 'When to colour output (NO_COLOR also turns it off)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c prompt -n "__fish_prompt_using_subcommand push" -s q -l quiet -d 'Print only data and errors, no progress messages'
complete -c prompt -n "__fish_prompt_using_subcommand push" -l no-pager -d 'Never send long output (log, diff) through a pager'
complete -c prompt -n "__fish_prompt_using_subcommand push" -s h -l help -d 'Print help'
complete -c prompt -n "__fish_prompt_using_subcommand pull" -l repo -d 'The repository to use (default: the one containing the current directory)' -r -F
complete -c prompt -n "__fish_prompt_using_subcommand pull" -l color -d 'When to colour output (NO_COLOR also turns it off)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c prompt -n "__fish_prompt_using_subcommand pull" -s q -l quiet -d 'Print only data and errors, no progress messages'
complete -c prompt -n "__fish_prompt_using_subcommand pull" -l no-pager -d 'Never send long output (log, diff) through a pager'
complete -c prompt -n "__fish_prompt_using_subcommand pull" -s h -l help -d 'Print help'
complete -c prompt -n "__fish_prompt_using_subcommand import" -l from -d 'The service or file format it comes from' -r -f -a "phoenix\t'Arize Phoenix prompts'
langwatch\t'LangWatch prompts'
freeplay\t'Freeplay prompt templates'
bifrost\t'The Bifrost gateway\'s prompt repository'
langfuse\t'Langfuse prompts (POST /api/public/v2/prompts)'
dotprompt\t'Google dotprompt files (`.prompt`: YAML front matter and Handlebars)'
prompty\t'Microsoft Prompty files (`.prompty`: YAML front matter and a role-marked body)'"
complete -c prompt -n "__fish_prompt_using_subcommand import" -l id -d 'Import as this id instead of the slugged name (a payload with one prompt)' -r
complete -c prompt -n "__fish_prompt_using_subcommand import" -l repo -d 'The repository to use (default: the one containing the current directory)' -r -F
complete -c prompt -n "__fish_prompt_using_subcommand import" -l color -d 'When to colour output (NO_COLOR also turns it off)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c prompt -n "__fish_prompt_using_subcommand import" -l history -d 'Commit each version the payload holds, oldest first, with its message, and tag the versions its tags or environments name (configured environments only)'
complete -c prompt -n "__fish_prompt_using_subcommand import" -l force -d 'Overwrite prompts that exist (with --history, the versions are committed on top)'
complete -c prompt -n "__fish_prompt_using_subcommand import" -s y -l yes -d 'Confirm creating or moving protected environment tags with --history (asked on a terminal, required elsewhere)'
complete -c prompt -n "__fish_prompt_using_subcommand import" -s q -l quiet -d 'Print only data and errors, no progress messages'
complete -c prompt -n "__fish_prompt_using_subcommand import" -l no-pager -d 'Never send long output (log, diff) through a pager'
complete -c prompt -n "__fish_prompt_using_subcommand import" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c prompt -n "__fish_prompt_using_subcommand export" -l to -d 'The service or file format to write for' -r -f -a "phoenix\t'Arize Phoenix prompts'
langwatch\t'LangWatch prompts'
freeplay\t'Freeplay prompt templates'
bifrost\t'The Bifrost gateway\'s prompt repository'
langfuse\t'Langfuse prompts (POST /api/public/v2/prompts)'
dotprompt\t'Google dotprompt files (`.prompt`: YAML front matter and Handlebars)'
prompty\t'Microsoft Prompty files (`.prompty`: YAML front matter and a role-marked body)'"
complete -c prompt -n "__fish_prompt_using_subcommand export" -s o -l output -d 'Write to this file instead of stdout (an existing file is replaced)' -r -F
complete -c prompt -n "__fish_prompt_using_subcommand export" -l repo -d 'The repository to use (default: the one containing the current directory)' -r -F
complete -c prompt -n "__fish_prompt_using_subcommand export" -l color -d 'When to colour output (NO_COLOR also turns it off)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c prompt -n "__fish_prompt_using_subcommand export" -s q -l quiet -d 'Print only data and errors, no progress messages'
complete -c prompt -n "__fish_prompt_using_subcommand export" -l no-pager -d 'Never send long output (log, diff) through a pager'
complete -c prompt -n "__fish_prompt_using_subcommand export" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c prompt -n "__fish_prompt_using_subcommand bundle" -l env -d 'The environment to bundle' -r
complete -c prompt -n "__fish_prompt_using_subcommand bundle" -s o -l output -d 'The file to write (`-` writes stdout). Without it the bundle goes to stdout when stdout is not a terminal (`prompt bundle --env production | aws s3 cp - …`)' -r -F
complete -c prompt -n "__fish_prompt_using_subcommand bundle" -l ref -d 'Take the set of prompts from this revision (default: HEAD)' -r
complete -c prompt -n "__fish_prompt_using_subcommand bundle" -l repo -d 'The repository to use (default: the one containing the current directory)' -r -F
complete -c prompt -n "__fish_prompt_using_subcommand bundle" -l color -d 'When to colour output (NO_COLOR also turns it off)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c prompt -n "__fish_prompt_using_subcommand bundle" -s q -l quiet -d 'Print only data and errors, no progress messages'
complete -c prompt -n "__fish_prompt_using_subcommand bundle" -l no-pager -d 'Never send long output (log, diff) through a pager'
complete -c prompt -n "__fish_prompt_using_subcommand bundle" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c prompt -n "__fish_prompt_using_subcommand schema" -s o -l output -d 'Write to this file instead of stdout' -r -F
complete -c prompt -n "__fish_prompt_using_subcommand schema" -l repo -d 'The repository to use (default: the one containing the current directory)' -r -F
complete -c prompt -n "__fish_prompt_using_subcommand schema" -l color -d 'When to colour output (NO_COLOR also turns it off)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c prompt -n "__fish_prompt_using_subcommand schema" -s q -l quiet -d 'Print only data and errors, no progress messages'
complete -c prompt -n "__fish_prompt_using_subcommand schema" -l no-pager -d 'Never send long output (log, diff) through a pager'
complete -c prompt -n "__fish_prompt_using_subcommand schema" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c prompt -n "__fish_prompt_using_subcommand completions" -l repo -d 'The repository to use (default: the one containing the current directory)' -r -F
complete -c prompt -n "__fish_prompt_using_subcommand completions" -l color -d 'When to colour output (NO_COLOR also turns it off)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c prompt -n "__fish_prompt_using_subcommand completions" -s q -l quiet -d 'Print only data and errors, no progress messages'
complete -c prompt -n "__fish_prompt_using_subcommand completions" -l no-pager -d 'Never send long output (log, diff) through a pager'
complete -c prompt -n "__fish_prompt_using_subcommand completions" -s h -l help -d 'Print help'
complete -c prompt -n "__fish_prompt_using_subcommand help; and not __fish_seen_subcommand_from init new list show check commit log diff render promote demote env mv cp rm push pull import export bundle schema completions help" -f -a "init" -d 'Create `.prompts.yaml` (at the repository root) and the prompts folder (running `git init` first outside a repository)'
complete -c prompt -n "__fish_prompt_using_subcommand help; and not __fish_seen_subcommand_from init new list show check commit log diff render promote demote env mv cp rm push pull import export bundle schema completions help" -f -a "new" -d 'Create a prompt file. Variables found in the texts are declared as inputs (`{{x}}` a string, `{{#x}}…{{/x}}` a list when the section uses fields, else a boolean). Never overwrites'
complete -c prompt -n "__fish_prompt_using_subcommand help; and not __fish_seen_subcommand_from init new list show check commit log diff render promote demote env mv cp rm push pull import export bundle schema completions help" -f -a "list" -d 'List the prompts: id, kind (chat/text), model, latest version, environments'
complete -c prompt -n "__fish_prompt_using_subcommand help; and not __fish_seen_subcommand_from init new list show check commit log diff render promote demote env mv cp rm push pull import export bundle schema completions help" -f -a "show" -d 'Print a prompt at a reference (ID, ID@N, ID@latest, ID@ENV, ID@REV)'
complete -c prompt -n "__fish_prompt_using_subcommand help; and not __fish_seen_subcommand_from init new list show check commit log diff render promote demote env mv cp rm push pull import export bundle schema completions help" -f -a "check" -d 'Validate prompts: schema, ids, template syntax, variables against inputs, partials, provider rules, JSON Schemas, secrets. Exits 1 when there are errors'
complete -c prompt -n "__fish_prompt_using_subcommand help; and not __fish_seen_subcommand_from init new list show check commit log diff render promote demote env mv cp rm push pull import export bundle schema completions help" -f -a "commit" -d 'Validate, then commit changed prompt files as new versions (only prompt files: other staged changes are left alone). The repository\'s pre-commit, commit-msg and post-commit hooks run as for `git commit` (`core.hooksPath` too); the commit is signed when `commit.gpgSign` is on'
complete -c prompt -n "__fish_prompt_using_subcommand help; and not __fish_seen_subcommand_from init new list show check commit log diff render promote demote env mv cp rm push pull import export bundle schema completions help" -f -a "log" -d 'Show versions newest first: version, commit, date, author, message, environments; drafts (commits off the release line reachable from HEAD) come first, marked with their branch'
complete -c prompt -n "__fish_prompt_using_subcommand help; and not __fish_seen_subcommand_from init new list show check commit log diff render promote demote env mv cp rm push pull import export bundle schema completions help" -f -a "diff" -d 'Show what changed in prompts, field by field, and which changes break callers'
complete -c prompt -n "__fish_prompt_using_subcommand help; and not __fish_seen_subcommand_from init new list show check commit log diff render promote demote env mv cp rm push pull import export bundle schema completions help" -f -a "render" -d 'Render a prompt at a reference with values: text, JSON, or a request body for openai, openai-responses, anthropic, gemini or bedrock (pipe it to `curl -d @-`)'
complete -c prompt -n "__fish_prompt_using_subcommand help; and not __fish_seen_subcommand_from init new list show check commit log diff render promote demote env mv cp rm push pull import export bundle schema completions help" -f -a "promote" -d 'Point an environment at a version (ID@N, ID@latest, ID@ENV, ID@REV; plain ID means latest). Rollback is a promote of an older version. Works in a bare repository too (only the tag moves)'
complete -c prompt -n "__fish_prompt_using_subcommand help; and not __fish_seen_subcommand_from init new list show check commit log diff render promote demote env mv cp rm push pull import export bundle schema completions help" -f -a "demote" -d 'Remove a prompt from an environment (deletes the tag ID@ENV); works in a bare repository too'
complete -c prompt -n "__fish_prompt_using_subcommand help; and not __fish_seen_subcommand_from init new list show check commit log diff render promote demote env mv cp rm push pull import export bundle schema completions help" -f -a "env" -d 'Show which version each environment runs (prompts × environments), or a promotion history'
complete -c prompt -n "__fish_prompt_using_subcommand help; and not __fish_seen_subcommand_from init new list show check commit log diff render promote demote env mv cp rm push pull import export bundle schema completions help" -f -a "mv" -d 'Rename a prompt or move it to another folder; history, version numbers and environment tags follow it. Never overwrites'
complete -c prompt -n "__fish_prompt_using_subcommand help; and not __fish_seen_subcommand_from init new list show check commit log diff render promote demote env mv cp rm push pull import export bundle schema completions help" -f -a "cp" -d 'Copy a prompt (at any reference) to a new id; the copy records its source under `metadata.copied_from`. Never overwrites; the copy is not committed'
complete -c prompt -n "__fish_prompt_using_subcommand help; and not __fish_seen_subcommand_from init new list show check commit log diff render promote demote env mv cp rm push pull import export bundle schema completions help" -f -a "rm" -d 'Delete a prompt\'s file and commit the removal. History stays, and environment tags stay until demoted: while an environment points at the prompt, rm refuses unless --force'
complete -c prompt -n "__fish_prompt_using_subcommand help; and not __fish_seen_subcommand_from init new list show check commit log diff render promote demote env mv cp rm push pull import export bundle schema completions help" -f -a "push" -d 'Push the current branch and the environment tags; a tag someone else moved since your last pull stops the push and nothing changes on the remote. The branch goes where `git push` sends it (its upstream, by push.default), and the output names it'
complete -c prompt -n "__fish_prompt_using_subcommand help; and not __fish_seen_subcommand_from init new list show check commit log diff render promote demote env mv cp rm push pull import export bundle schema completions help" -f -a "pull" -d 'Fetch, fast-forward the current branch, and take the remote\'s environment tags'
complete -c prompt -n "__fish_prompt_using_subcommand help; and not __fish_seen_subcommand_from init new list show check commit log diff render promote demote env mv cp rm push pull import export bundle schema completions help" -f -a "import" -d 'Import prompts from Phoenix, LangWatch, Freeplay, Bifrost or Langfuse JSON, or from dotprompt (.prompt) and Prompty (.prompty) files'
complete -c prompt -n "__fish_prompt_using_subcommand help; and not __fish_seen_subcommand_from init new list show check commit log diff render promote demote env mv cp rm push pull import export bundle schema completions help" -f -a "export" -d 'Print the request body that creates this prompt version in Phoenix, LangWatch, Freeplay, Bifrost or Langfuse, or the prompt as a dotprompt (.prompt) or Prompty (.prompty) file'
complete -c prompt -n "__fish_prompt_using_subcommand help; and not __fish_seen_subcommand_from init new list show check commit log diff render promote demote env mv cp rm push pull import export bundle schema completions help" -f -a "bundle" -d 'Write every prompt promoted to ENV, at its promoted version, to one JSON file'
complete -c prompt -n "__fish_prompt_using_subcommand help; and not __fish_seen_subcommand_from init new list show check commit log diff render promote demote env mv cp rm push pull import export bundle schema completions help" -f -a "schema" -d 'Print the JSON Schema (draft 2020-12) of prompt files'
complete -c prompt -n "__fish_prompt_using_subcommand help; and not __fish_seen_subcommand_from init new list show check commit log diff render promote demote env mv cp rm push pull import export bundle schema completions help" -f -a "completions" -d 'Print a completion script for a shell (static: commands and flags). For ids and environments too, use dynamic completion instead: `source <(COMPLETE=bash prompt)`'
complete -c prompt -n "__fish_prompt_using_subcommand help; and not __fish_seen_subcommand_from init new list show check commit log diff render promote demote env mv cp rm push pull import export bundle schema completions help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c prompt -n "__fish_prompt_using_subcommand help; and __fish_seen_subcommand_from env" -f -a "history" -d 'Every promotion of a prompt to an environment, newest first: version, who, when, note'
