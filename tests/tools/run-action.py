#!/usr/bin/env python3
"""Runs the composite action in action.yml locally, the way a GitHub runner would, as far as it
can offline: its `run:` steps for real (bash --noprofile --norc -eo pipefail, as `shell: bash`
does on GitHub), with GITHUB_OUTPUT, GITHUB_PATH, GITHUB_STEP_SUMMARY, RUNNER_TEMP and
GITHUB_ACTION_PATH set up per step, `${{ }}` expressions and `if:` conditions evaluated, and the
two `uses:` steps stubbed: actions/cache reports a miss (or a hit with --cache-hit), and
github/codeql-action/upload-sarif records the file it would upload.

    run-action.py [--action PATH] [--workdir DIR] [--input NAME=VALUE]... [--cache-hit]
                  [--env NAME=VALUE]...

Prints one JSON object: {"conclusion": "success"|"failure", "exit_code": N, "steps": [...],
"outputs": {...}, "summary": "...", "uploads": [...]}; exits 0 when the job would succeed and
1 when it would fail. Needs PyYAML (the pre-commit venv of .ci/install-tools.sh has it).

Only the expression syntax that action.yml uses is supported: contexts inputs.*, steps.*.outputs.*,
runner.*, github.action_path, github.workspace, github.event_name (from GITHUB_EVENT_NAME), github.token
(from GITHUB_TOKEN); literals 'text', true, false; == != && || ! ( );
always() success() failure() cancelled(). Anything else raises an error, so a new construct in
action.yml fails loudly here instead of being misread.
"""
import argparse
import json
import os
import re
import subprocess
import sys
import tempfile

import yaml

TOKEN = re.compile(r"\s*(?:(?P<str>'(?:[^']|'')*')|(?P<op>==|!=|&&|\|\||!|\(|\))|(?P<call>[A-Za-z_]\w*\(\))|(?P<name>[A-Za-z_][\w.-]*))")


class Expr:
    """A tiny recursive-descent evaluator for GitHub expressions."""

    def __init__(self, text, ctx):
        self.tokens, pos = [], 0
        text = text.strip()
        while pos < len(text):
            m = TOKEN.match(text, pos)
            if not m or m.end() == pos:
                raise ValueError(f"cannot parse expression at {text[pos:]!r}")
            self.tokens.append((m.lastgroup, m.group(m.lastgroup)))
            pos = m.end()
        self.i, self.ctx = 0, ctx

    def value(self):
        v = self.or_()
        if self.i != len(self.tokens):
            raise ValueError(f"trailing tokens in expression: {self.tokens[self.i:]}")
        return v

    def peek(self):
        return self.tokens[self.i] if self.i < len(self.tokens) else (None, None)

    def or_(self):
        v = self.and_()
        while self.peek() == ("op", "||"):
            self.i += 1
            r = self.and_()
            v = v if truthy(v) else r
        return v

    def and_(self):
        v = self.cmp()
        while self.peek() == ("op", "&&"):
            self.i += 1
            r = self.cmp()
            v = r if truthy(v) else v
        return v

    def cmp(self):
        v = self.unary()
        while self.peek() in (("op", "=="), ("op", "!=")):
            op = self.tokens[self.i][1]
            self.i += 1
            r = self.unary()
            eq = str(v).lower() == str(r).lower()  # GitHub compares strings case-insensitively
            v = eq if op == "==" else not eq
        return v

    def unary(self):
        if self.peek() == ("op", "!"):
            self.i += 1
            return not truthy(self.unary())
        if self.peek() == ("op", "("):
            self.i += 1
            v = self.or_()
            if self.peek() != ("op", ")"):
                raise ValueError("missing )")
            self.i += 1
            return v
        kind, text = self.peek()
        self.i += 1
        if kind == "str":
            return text[1:-1].replace("''", "'")
        if kind == "call":
            fn = text[:-2]
            status = self.ctx["job_status"]
            return {"always": True, "success": status == "success", "failure": status == "failure",
                    "cancelled": False}[fn]
        if kind == "name":
            if text in ("true", "false"):
                return text == "true"
            return lookup(self.ctx, text)
        raise ValueError(f"unexpected token {text!r}")


def truthy(v):
    return v not in (None, "", False, 0)


def lookup(ctx, name):
    parts = name.split(".")
    if parts[0] == "inputs" and len(parts) == 2:
        return ctx["inputs"].get(parts[1], "")
    if parts[0] == "steps" and len(parts) == 4 and parts[2] in ("outputs", "outcome", "conclusion"):
        step = ctx["steps"].get(parts[1], {})
        return step.get("outputs", {}).get(parts[3], "") if parts[2] == "outputs" else step.get(parts[2], "")
    if parts[0] == "runner" and len(parts) == 2:
        return {"os": "Linux", "arch": "X64", "temp": ctx["runner_temp"]}[parts[1]]
    if name == "github.action_path":
        return ctx["action_path"]
    if name == "github.workspace":
        return ctx["workspace"]
    if name == "github.event_name":
        return ctx["event_name"]
    if name == "github.token":
        return ctx["token"]
    raise ValueError(f"unsupported context {name!r}")


def interpolate(value, ctx):
    if not isinstance(value, str):
        return value
    return re.sub(r"\$\{\{(.*?)\}\}", lambda m: str(Expr(m.group(1), ctx).value()), value)


def condition(text, ctx):
    if text is None:
        return ctx["job_status"] == "success"
    text = str(text).strip()
    if text.startswith("${{") and text.endswith("}}"):
        text = text[3:-2]
    if not re.search(r"\b(always|success|failure|cancelled)\(\)", text):
        text = f"success() && ({text})"
    return truthy(Expr(text, ctx).value())


def read_kv(path):
    """Parses a GITHUB_OUTPUT file: NAME=VALUE lines and NAME<<DELIM heredocs."""
    out, lines = {}, open(path, encoding="utf-8").read().splitlines()
    i = 0
    while i < len(lines):
        line = lines[i]
        if "<<" in line and ("=" not in line or line.index("<<") < line.index("=")):
            name, delim = line.split("<<", 1)
            body = []
            i += 1
            while i < len(lines) and lines[i] != delim:
                body.append(lines[i])
                i += 1
            out[name] = "\n".join(body)
        elif "=" in line:
            name, value = line.split("=", 1)
            out[name] = value
        i += 1
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--action", default=os.path.join(os.path.dirname(__file__), "..", "..", "action.yml"))
    ap.add_argument("--workdir", default=os.getcwd())
    ap.add_argument("--input", action="append", default=[])
    ap.add_argument("--env", action="append", default=[])
    ap.add_argument("--cache-hit", action="store_true")
    args = ap.parse_args()

    action_path = os.path.abspath(os.path.dirname(args.action))
    action = yaml.safe_load(open(args.action, encoding="utf-8"))
    inputs = {k: str(v.get("default", "")) for k, v in (action.get("inputs") or {}).items()}
    for kv in args.input:
        k, v = kv.split("=", 1)
        if k not in inputs:
            sys.exit(f"run-action: action.yml has no input {k!r}")
        inputs[k] = v

    temp = tempfile.mkdtemp(prefix="run-action-")
    runner_temp = os.path.join(temp, "runner-temp")
    os.makedirs(runner_temp)
    workspace = os.path.abspath(args.workdir)
    base_env = dict(os.environ)
    base_env.update(kv.split("=", 1) for kv in args.env)
    ctx = {"inputs": inputs, "steps": {}, "job_status": "success", "runner_temp": runner_temp,
           "action_path": action_path, "workspace": workspace,
           "event_name": base_env.get("GITHUB_EVENT_NAME", "push"), "token": base_env.get("GITHUB_TOKEN", "")}
    # Input defaults may be expressions (`${{ github.token }}`): the runner evaluates them.
    for k, v in inputs.items():
        inputs[k] = str(interpolate(v, ctx))
    base_env.update({"GITHUB_ACTION_PATH": action_path, "GITHUB_WORKSPACE": workspace,
                     "RUNNER_TEMP": runner_temp, "RUNNER_OS": "Linux", "RUNNER_ARCH": "X64",
                     "GITHUB_ACTIONS": "true", "CI": "true"})
    added_path, summary, uploads, report = [], [], [], []

    for n, step in enumerate(action["runs"]["steps"]):
        name = step.get("name") or step.get("uses") or f"step {n}"
        sid = step.get("id", f"__{n}")
        if not condition(step.get("if"), ctx):
            ctx["steps"][sid] = {"outputs": {}, "outcome": "skipped", "conclusion": "skipped"}
            report.append({"name": name, "status": "skipped"})
            continue
        env = dict(base_env)
        env.update({k: str(interpolate(v, ctx)) for k, v in (step.get("env") or {}).items()})
        env["PATH"] = os.pathsep.join(list(reversed(added_path)) + [env.get("PATH", "")])
        files = {k: os.path.join(temp, f"{k}-{n}") for k in ("GITHUB_OUTPUT", "GITHUB_PATH", "GITHUB_STEP_SUMMARY")}
        for k, p in files.items():
            open(p, "w").close()
            env[k] = p
        outputs, rc, log = {}, 0, ""
        if "run" in step:
            if step.get("shell") != "bash":
                sys.exit(f"run-action: step {name!r} has shell {step.get('shell')!r}; only bash is simulated")
            script = os.path.join(temp, f"step-{n}.sh")
            open(script, "w", encoding="utf-8").write(interpolate(step["run"], ctx))
            cwd = os.path.join(workspace, interpolate(step.get("working-directory", "."), ctx))
            p = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", script], cwd=cwd, env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
            rc, log = p.returncode, p.stdout
            outputs = read_kv(files["GITHUB_OUTPUT"])
            added_path += [l for l in open(files["GITHUB_PATH"]).read().splitlines() if l]
            summary.append(open(files["GITHUB_STEP_SUMMARY"], encoding="utf-8").read())
        else:
            uses = step["uses"].split("@")[0]
            with_ = {k: str(interpolate(v, ctx)) for k, v in (step.get("with") or {}).items()}
            if uses == "actions/cache":
                outputs = {"cache-hit": "true" if args.cache_hit else "false"}
            elif uses == "github/codeql-action/upload-sarif":
                f = with_.get("sarif_file", "")
                uploads.append({"sarif_file": f, "category": with_.get("category", ""), "exists": os.path.isfile(f)})
                if not os.path.isfile(f):
                    rc, log = 1, f"upload-sarif: no such file {f}"
            else:
                sys.exit(f"run-action: no stub for `uses: {step['uses']}`")
        outcome = "success" if rc == 0 else "failure"
        ctx["steps"][sid] = {"outputs": outputs, "outcome": outcome, "conclusion": outcome}
        if rc != 0:
            ctx["job_status"] = "failure"
        report.append({"name": name, "status": outcome, "exit_code": rc, "outputs": outputs, "log": log})

    outputs = {k: str(interpolate(v.get("value", ""), ctx)) for k, v in (action.get("outputs") or {}).items()}
    final = next((s for s in reversed(report) if s["status"] != "skipped"), {"exit_code": 0})
    result = {"conclusion": ctx["job_status"], "exit_code": final.get("exit_code", 0), "steps": report,
              "outputs": outputs, "summary": "".join(summary), "uploads": uploads}
    json.dump(result, sys.stdout, indent=2)
    print()
    return 0 if ctx["job_status"] == "success" else 1


if __name__ == "__main__":
    sys.exit(main())
