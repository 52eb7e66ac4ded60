#!/usr/bin/env bash
# make-consumer-repo.sh OLD_DIR NEW_DIR DEST
#
# A throwaway app repository for hook tests: OLD_DIR's files are committed (HEAD), then the
# working tree is replaced by NEW_DIR's files and everything is staged (`git add -A`), so the
# index holds NEW_DIR, deletions and renames included. Nothing is committed for NEW_DIR.
# Example: make-consumer-repo.sh examples/streaming-app/v1 examples/streaming-app/v2 "$tmp/app"
set -euo pipefail
old=${1:?usage: make-consumer-repo.sh OLD_DIR NEW_DIR DEST}
new=${2:?usage: make-consumer-repo.sh OLD_DIR NEW_DIR DEST}
dest=${3:?usage: make-consumer-repo.sh OLD_DIR NEW_DIR DEST}
old=$(cd "$old" && pwd)
new=$(cd "$new" && pwd)
mkdir -p "$dest"
cd "$dest"
git init -q -b main
git config user.name disclose-tests
git config user.email tests@disclose.invalid
git config commit.gpgsign false
cp -R "$old/." .
git add -A
git commit -q -m old
git rm -q -r --cached . >/dev/null
find . -mindepth 1 -maxdepth 1 ! -name .git -exec rm -rf {} +
cp -R "$new/." .
git add -A
