#!/usr/bin/env bash
# validate-sarif.sh FILE...
#
# Validates SARIF files with two independent real tools, offline:
#   1. check-jsonschema against the SARIF 2.1.0 JSON schema shipped in the npm package
#      @microsoft/sarif-multitool-linux (strict JSON Schema: enums, required, no extra keys);
#   2. Microsoft's SARIF multitool `validate --rule-kind Gh`: the schema again plus the rules
#      GitHub code scanning applies on upload (GH10xx: message.text, locations, ...).
# Exit 0 when both accept every file, 1 when either reports an error, 2 when a tool is missing.
#
# Tools come from .ci/install-tools.sh (its env file, or DISCLOSE_* variables already set).
#
# Why the wrapping: the multitool exits 0 even when it reports schema errors (only "could not
# run" gives 1), so its output lines `FILE(line,col): error CODE: ...` are what counts. It runs
# with `--rule-kind Gh` only: its default rule set includes SARIF2006, which makes DNS/HTTP
# requests to check that every URI in the file is reachable. Its `validate` arguments must come
# before any option that takes a list (`--rule-kind Gh FILE` would read FILE as a rule kind).
set -uo pipefail
[ $# -ge 1 ] || { echo "usage: validate-sarif.sh FILE..." >&2; exit 2; }

env_file=${DISCLOSE_TOOLS:-$HOME/.cache/disclose-ci}/env
if [ -z "${DISCLOSE_SARIF_MULTITOOL:-}" ] && [ -f "$env_file" ]; then
  # shellcheck disable=SC1090
  . "$env_file"
fi
for v in DISCLOSE_CHECK_JSONSCHEMA DISCLOSE_SARIF_MULTITOOL DISCLOSE_SARIF_SCHEMA; do
  if [ -z "${!v:-}" ] || [ ! -e "${!v}" ]; then
    echo "validate-sarif: $v is not set or missing: run .ci/install-tools.sh" >&2
    exit 2
  fi
done

status=0
for f in "$@"; do
  if [ ! -f "$f" ]; then
    echo "validate-sarif: no such file: $f" >&2
    status=1
    continue
  fi
  if ! "$DISCLOSE_CHECK_JSONSCHEMA" --schemafile "$DISCLOSE_SARIF_SCHEMA" "$f"; then
    status=1
  fi
  out=$("$DISCLOSE_SARIF_MULTITOOL" validate "$f" --rule-kind Gh 2>&1)
  rc=$?
  errors=$(printf '%s\n' "$out" | grep -E ': error [A-Z]+[0-9]+' || true)
  if [ $rc -ne 0 ]; then
    printf '%s\n' "$out" >&2
    echo "validate-sarif: the SARIF multitool could not run on $f (exit $rc)" >&2
    status=1
  elif [ -n "$errors" ]; then
    printf '%s\n' "$errors" >&2
    status=1
  else
    echo "ok -- SARIF multitool (schema + GitHub rules): $f"
  fi
done
exit $status
