#!/usr/bin/env bash
# make-hook-repo.sh SRC DEST [--manifest-only]
#
# pre-commit clones a hook repository at a commit, so it sees only committed files. This copies
# the working tree of SRC (tracked and untracked files, not ignored ones: the state under test,
# uncommitted edits included) into a new git repository at DEST, commits it, and prints the
# commit id. SRC itself is never written to.
#
# --manifest-only copies just .pre-commit-hooks.yaml: enough for the `disclose-system` hook
# (language: system installs nothing), and takes milliseconds instead of a cargo build.
set -euo pipefail
src=${1:?usage: make-hook-repo.sh SRC DEST [--manifest-only]}
dest=${2:?usage: make-hook-repo.sh SRC DEST [--manifest-only]}
mode=${3:-}
src=$(cd "$src" && pwd)
mkdir -p "$dest"
if [ "$mode" = --manifest-only ]; then
  cp "$src/.pre-commit-hooks.yaml" "$dest/"
else
  # NUL-separated names survive any character; files deleted but not yet staged are skipped.
  (cd "$src" && git ls-files -z -c -o --exclude-standard \
    | (while IFS= read -r -d '' f; do if [ -e "$f" ]; then printf '%s\0' "$f"; fi; done) \
    | tar --null -T - -cf -) | (cd "$dest" && tar -xf -)
fi
git -C "$dest" init -q
git -C "$dest" add -A
git -C "$dest" -c user.name=disclose-tests -c user.email=tests@disclose.invalid \
  -c commit.gpgsign=false commit -q -m "hook repo under test"
git -C "$dest" rev-parse HEAD
