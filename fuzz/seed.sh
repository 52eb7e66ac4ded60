#!/usr/bin/env bash
# Fills fuzz/corpus/<target>/ with the project's own inputs: every file under tests/fixtures
# and examples whose name (and, for plists, content) matches the target's format. Files are
# named by their SHA-1, as libFuzzer names corpus entries, so copies are stored once and
# running this again adds only what is new. Nothing is read from outside the repository.
set -euo pipefail

fuzz=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(dirname "$fuzz")
corpus="$fuzz/corpus"
targets=(android plist_xml plist_binary xcprivacy entitlements extension expo markdown html text config word_diff)
for t in "${targets[@]}"; do mkdir -p "$corpus/$t"; done

# add TARGET FILE: copy FILE into the target's corpus under its content hash.
add() {
    local sum
    sum=$(sha1sum "$2" | cut -c1-40)
    cp "$2" "$corpus/$1/$sum"
}

is_binary_plist() { [ "$(head -c 6 "$1")" = bplist ]; }

while IFS= read -r -d '' f; do
    name=$(basename "$f")
    lower=$(printf '%s' "$name" | tr '[:upper:]' '[:lower:]')
    case "$name" in
        AndroidManifest.xml) add android "$f" ;;
        *.plist)
            if is_binary_plist "$f"; then add plist_binary "$f"; else add plist_xml "$f"; fi ;;
        *.xcprivacy) add xcprivacy "$f" ;;
        *.entitlements) add entitlements "$f" ;;
        manifest.json) add extension "$f" ;;
        app.json | app.config.json) add expo "$f" ;;
        disclose.yaml | .disclose.yaml | *config*.yaml) add config "$f" ;;
        *.html | *.htm) add html "$f" ;;
        *.txt) add text "$f" ;;
        *.md)
            # Policies only: privacy/terms files and the old/new pairs of the diff fixtures.
            case "$lower" in
                *privacy* | *terms* | old.md | new.md) add markdown "$f"; add text "$f" ;;
            esac ;;
    esac
done < <(find "$root/tests/fixtures" "$root/examples" -type f -print0 2>/dev/null)

# Word diffs: each old/new pair of the diff fixtures, joined by a NUL byte.
while IFS= read -r -d '' old; do
    new="$(dirname "$old")/new.md"
    [ -f "$new" ] || continue
    pair=$(mktemp)
    { cat "$old"; printf '\0'; cat "$new"; } > "$pair"
    add word_diff "$pair"
    rm -f "$pair"
done < <(find "$root/tests/fixtures" -name old.md -print0 2>/dev/null)

# Binary plists: the XML plist seeds converted with plistlib (ones it cannot read are
# skipped). Info.plist ones go to plist_binary; xcprivacy and entitlements keep theirs, since
# those readers take binary plists too.
python3 - "$corpus" <<'EOF'
import hashlib, os, plistlib, sys

corpus = sys.argv[1]
for source, dest in [("plist_xml", "plist_binary"), ("xcprivacy", "xcprivacy"), ("entitlements", "entitlements")]:
    folder = os.path.join(corpus, source)
    for name in sorted(os.listdir(folder)):
        with open(os.path.join(folder, name), "rb") as f:
            data = f.read()
        if data.startswith(b"bplist"):
            continue
        try:
            binary = plistlib.dumps(plistlib.loads(data), fmt=plistlib.FMT_BINARY, sort_keys=False)
        except Exception:
            continue
        with open(os.path.join(corpus, dest, hashlib.sha1(binary).hexdigest()), "wb") as f:
            f.write(binary)
EOF

for t in "${targets[@]}"; do
    printf '%-13s %3d seeds\n' "$t" "$(find "$corpus/$t" -type f | wc -l)"
done
