#!/bin/sh
# Installs `prompt`: the release binary for this machine when there is one, its SHA-256 checked
# before anything is unpacked; otherwise (no release for this version or platform, no curl) it
# builds from source with cargo. Used by the CI recipe (docs/github-actions.yml).
#
#   sh scripts/install.sh [--repo OWNER/NAME] [--version vX.Y.Z] [--to DIR]
#
# Environment: PROMPT_INSTALL_REPO, PROMPT_INSTALL_VERSION, PROMPT_INSTALL_DIR (default
# ~/.local/bin), PROMPT_RELEASE_BASE (where releases are downloaded from; default
# https://github.com/OWNER/NAME/releases/download).
set -eu

repo=${PROMPT_INSTALL_REPO:-}
version=${PROMPT_INSTALL_VERSION:-}
to=${PROMPT_INSTALL_DIR:-$HOME/.local/bin}
while [ $# -gt 0 ]; do
    case $1 in
        --repo) repo=$2; shift 2 ;;
        --version) version=$2; shift 2 ;;
        --to) to=$2; shift 2 ;;
        *) echo "install.sh: unknown argument $1" >&2; exit 2 ;;
    esac
done
if [ -z "$repo" ] || [ -z "$version" ]; then
    echo "install.sh: --repo OWNER/NAME and --version vX.Y.Z are required" >&2
    exit 2
fi
base=${PROMPT_RELEASE_BASE:-https://github.com/$repo/releases/download}

target=
case "$(uname -s)-$(uname -m)" in
    Linux-x86_64) target=x86_64-unknown-linux-musl ;;
    Linux-aarch64 | Linux-arm64) target=aarch64-unknown-linux-musl ;;
    Darwin-arm64) target=aarch64-apple-darwin ;;
    Darwin-x86_64) target=x86_64-apple-darwin ;;
esac

sha256() {
    if command -v sha256sum >/dev/null 2>&1; then
        sha256sum "$1" | cut -d' ' -f1
    else
        shasum -a 256 "$1" | cut -d' ' -f1
    fi
}

from_release() {
    [ -n "$target" ] && command -v curl >/dev/null 2>&1 || return 1
    name="prompt-$version-$target"
    work=$(mktemp -d)
    trap 'rm -rf "$work"' EXIT
    curl -fsSL -o "$work/$name.tar.gz" "$base/$version/$name.tar.gz" || return 1
    curl -fsSL -o "$work/$name.tar.gz.sha256" "$base/$version/$name.tar.gz.sha256" || return 1
    want=$(cut -d' ' -f1 <"$work/$name.tar.gz.sha256")
    got=$(sha256 "$work/$name.tar.gz")
    if [ "$want" != "$got" ]; then
        echo "install.sh: checksum mismatch for $name.tar.gz (expected $want, got $got): not installed" >&2
        exit 1
    fi
    tar -xzf "$work/$name.tar.gz" -C "$work"
    mkdir -p "$to"
    cp "$work/$name/prompt" "$to/prompt.tmp.$$"
    chmod 755 "$to/prompt.tmp.$$"
    mv -f "$to/prompt.tmp.$$" "$to/prompt"
    echo "installed prompt $version ($target, sha256 $got) in $to"
}

if from_release; then
    exit 0
fi
echo "install.sh: no release binary of $version for ${target:-this platform}; building from source with cargo" >&2
built=$(mktemp -d)
cargo install --locked --git "https://github.com/$repo" --tag "$version" --bin prompt --root "$built" prompt-registry
mkdir -p "$to"
mv -f "$built/bin/prompt" "$to/prompt"
rm -rf "$built"
echo "installed prompt $version (built from source) in $to"
