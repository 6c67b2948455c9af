#!/usr/bin/env bash
# Posts REVIEW_FILE as the pull request's one review comment: the comments of the pull request
# are listed (100 a page), the first whose body starts with the report's marker line
# (`<!-- prompt-review -->`) is updated in place, and when there is none a comment is created.
# So however often the job runs, the pull request has one review comment, always the latest.
#
# Environment: GITHUB_TOKEN, GITHUB_REPOSITORY (OWNER/NAME), PR_NUMBER, REVIEW_FILE (default
# prompt-review.md), GITHUB_API_URL (default https://api.github.com; Actions sets it, and so does
# the test, to a server of its own). Needs curl and jq (both on GitHub's runners).
set -euo pipefail
: "${GITHUB_TOKEN:?GITHUB_TOKEN is needed to post the comment}"
: "${GITHUB_REPOSITORY:?GITHUB_REPOSITORY (OWNER/NAME) is needed}"
: "${PR_NUMBER:?PR_NUMBER is needed (the pull request to comment on)}"
file=${REVIEW_FILE:-prompt-review.md}
api=${GITHUB_API_URL:-https://api.github.com}
marker=$(head -n 1 "$file")
if [ "$marker" != "<!-- prompt-review -->" ]; then
    echo "comment.sh: $file does not start with the review marker; not posted" >&2
    exit 1
fi

call() {
    curl --fail-with-body --silent --show-error --retry 2 \
        -H "Authorization: Bearer $GITHUB_TOKEN" \
        -H "Accept: application/vnd.github+json" \
        -H "X-GitHub-Api-Version: 2022-11-28" \
        -H "Expect:" \
        "$@"
}

id=
page=1
while :; do
    list=$(call "$api/repos/$GITHUB_REPOSITORY/issues/$PR_NUMBER/comments?per_page=100&page=$page")
    id=$(jq -r --arg m "$marker" \
        'map(select((.body // "") | startswith($m))) | first | .id // empty' <<<"$list")
    if [ -n "$id" ] || [ "$(jq length <<<"$list")" -lt 100 ]; then
        break
    fi
    page=$((page + 1))
done

body=$(jq -Rs '{body: .}' <"$file")
if [ -n "$id" ]; then
    call -X PATCH "$api/repos/$GITHUB_REPOSITORY/issues/comments/$id" --data-binary @- \
        <<<"$body" >/dev/null
    echo "updated review comment $id on #$PR_NUMBER"
else
    created=$(call -X POST "$api/repos/$GITHUB_REPOSITORY/issues/$PR_NUMBER/comments" \
        --data-binary @- <<<"$body")
    echo "created review comment $(jq -r .id <<<"$created") on #$PR_NUMBER"
fi
