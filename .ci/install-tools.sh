#!/usr/bin/env bash
# Installs the real third-party tools the integration tests drive, from package registries only
# (PyPI and npm; nothing is downloaded at run time), into one fixed folder:
#
#   $DISCLOSE_TOOLS (default: $HOME/.cache/disclose-ci)
#     venv/   PyPI: pre-commit, check-jsonschema (GitHub Action schema vendored in the package)
#     npm/    npm:  @microsoft/sarif-multitool (a self-contained .NET binary, and the SARIF 2.1.0
#                   JSON schema it ships), lint-staged, lefthook
#     (Debian) chromium, to open the HTML report headless (apt, when it is not installed yet)
#     env     the paths below as `export NAME=path` lines, for `. "$DISCLOSE_TOOLS/env"`
#
# Idempotent: a second run only checks that every tool answers (well under a second). Versions
# are pinned here; changing one reinstalls that registry's part. Prints each install's time and
# then one `NAME=path` line per tool. tests/tools/README.md says how the tests use them.
set -euo pipefail

TOOLS=${DISCLOSE_TOOLS:-$HOME/.cache/disclose-ci}
PIP_PACKAGES=(pre-commit==4.7.0 check-jsonschema==0.39.0)
NPM_PACKAGES=(@microsoft/sarif-multitool@5.7.0 lint-staged@16.4.0 lefthook@2.2.2)

venv=$TOOLS/venv
npm_prefix=$TOOLS/npm
mkdir -p "$TOOLS"

now() { date +%s.%N; }
took() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f s", b - a }'; }
say() { printf 'install-tools: %s\n' "$*" >&2; }

# --- PyPI -------------------------------------------------------------------------------------
pip_stamp=$venv/.disclose-stamp
pip_want=$(printf '%s\n' "${PIP_PACKAGES[@]}")
if [ -x "$venv/bin/pre-commit" ] && [ -x "$venv/bin/check-jsonschema" ] \
  && [ "$(cat "$pip_stamp" 2>/dev/null)" = "$pip_want" ]; then
  say "PyPI tools already in $venv"
else
  t=$(now)
  if ! python3 -m venv --help >/dev/null 2>&1; then
    say "python3 has no venv module: installing python3-venv from Debian"
    apt-get update -qq && apt-get install -y -qq python3-venv >/dev/null
  fi
  rm -rf "$venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q --disable-pip-version-check "${PIP_PACKAGES[@]}"
  printf '%s\n' "$pip_want" > "$pip_stamp"
  say "PyPI: ${PIP_PACKAGES[*]} installed in $(took "$t")"
fi

# --- npm --------------------------------------------------------------------------------------
npm_stamp=$npm_prefix/.disclose-stamp
npm_want=$(printf '%s\n' "${NPM_PACKAGES[@]}")
multitool=$npm_prefix/node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool
if [ -x "$multitool" ] && [ -x "$npm_prefix/node_modules/.bin/lint-staged" ] \
  && [ -x "$npm_prefix/node_modules/.bin/lefthook" ] \
  && [ "$(cat "$npm_stamp" 2>/dev/null)" = "$npm_want" ]; then
  say "npm tools already in $npm_prefix"
else
  t=$(now)
  command -v npm >/dev/null 2>&1 || { say "npm is not installed"; exit 1; }
  rm -rf "$npm_prefix"
  mkdir -p "$npm_prefix"
  printf '{ "name": "disclose-ci-tools", "private": true }\n' > "$npm_prefix/package.json"
  # npm 11 does not run the packages' install scripts unless allowed; none is needed (see below).
  if ! npm install --prefix "$npm_prefix" --no-audit --no-fund --save-exact "${NPM_PACKAGES[@]}" \
    > "$TOOLS/npm-install.log" 2>&1; then
    cat "$TOOLS/npm-install.log" >&2
    say "npm install failed"
    exit 1
  fi
  # The multitool's postinstall is only `chmod u+x Sarif.Multitool` (the tarball has the bit
  # already); lefthook's postinstall would install git hooks into the current repository, which
  # is exactly what must not happen here.
  [ -f "$multitool" ] && chmod u+x "$multitool"
  [ -x "$multitool" ] || { say "npm did not install $multitool (not linux-x64?)"; exit 1; }
  printf '%s\n' "$npm_want" > "$npm_stamp"
  say "npm: ${NPM_PACKAGES[*]} installed in $(took "$t")"
fi

# --- Debian: Chromium, to open the HTML report headless -----------------------------------------
if ! command -v chromium >/dev/null 2>&1; then
  t=$(now)
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  say "Debian: chromium installed in $(took "$t")"
else
  say "chromium already installed"
fi

# --- check that each tool answers, offline ----------------------------------------------------
schema=$npm_prefix/node_modules/@microsoft/sarif-multitool-linux/sarif-2.1.0.json
t=$(now)
"$venv/bin/pre-commit" --version >/dev/null
"$venv/bin/check-jsonschema" --version >/dev/null
"$multitool" --version >/dev/null 2>&1
"$npm_prefix/node_modules/.bin/lint-staged" --version >/dev/null
"$npm_prefix/node_modules/.bin/lefthook" version >/dev/null
"$venv/bin/python" -c 'import json, sys; s = json.load(open(sys.argv[1])); assert "2.1.0" in s["title"]' "$schema"
chromium --version >/dev/null 2>&1
say "all tools answer ($(took "$t"))"

paths=(
  DISCLOSE_PRE_COMMIT="$venv/bin/pre-commit"
  DISCLOSE_CHECK_JSONSCHEMA="$venv/bin/check-jsonschema"
  DISCLOSE_SARIF_MULTITOOL="$multitool"
  DISCLOSE_SARIF_SCHEMA="$schema"
  DISCLOSE_LINT_STAGED="$npm_prefix/node_modules/.bin/lint-staged"
  DISCLOSE_LEFTHOOK="$npm_prefix/node_modules/.bin/lefthook"
  DISCLOSE_CHROMIUM="$(command -v chromium)"
)
for p in "${paths[@]}"; do printf 'export %s=%q\n' "${p%%=*}" "${p#*=}"; done > "$TOOLS/env.tmp"
mv "$TOOLS/env.tmp" "$TOOLS/env"

say "paths (also in $TOOLS/env):"
printf '%s\n' "${paths[@]}"
