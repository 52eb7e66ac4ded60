#!/usr/bin/env python3
"""Posts disclose's Markdown report as one pull-request comment, updated in place on every push.

    pr_comment.py MARKDOWN_FILE EXIT_CODE

The GitHub Action runs this after `disclose check`. It finds its own earlier comment by a hidden
marker and edits it, so a pull request carries one disclose comment however often it is pushed.
When the check passes (exit code 0) the comment is marked resolved; when there is no comment yet
and the check passes, it posts nothing. It never fails the job: without the permission to write
(`pull-requests: write`, which pull requests from forks do not get) it prints a warning.

Environment (set by the runner and action.yml): GITHUB_TOKEN, GITHUB_API_URL, GITHUB_REPOSITORY,
GITHUB_EVENT_NAME, GITHUB_EVENT_PATH. Standard library only.
"""
import json
import os
import sys
import urllib.error
import urllib.request

MARKER = "<!-- disclose:pr-comment -->"
EVENTS = ("pull_request", "pull_request_target")


def api(method, url, token, body=None):
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(url, data=data, method=method)
    req.add_header("Accept", "application/vnd.github+json")
    req.add_header("Authorization", f"Bearer {token}")
    req.add_header("X-GitHub-Api-Version", "2022-11-28")
    if data is not None:
        req.add_header("Content-Type", "application/json")
    with urllib.request.urlopen(req, timeout=30) as resp:
        text = resp.read().decode()
        return (json.loads(text) if text else None), resp.headers.get("Link", "")


def next_link(link):
    for part in link.split(","):
        url, _, rel = part.partition(";")
        if 'rel="next"' in rel:
            return url.strip().strip("<>")
    return None


def body_for(markdown_path, code):
    try:
        with open(markdown_path, encoding="utf-8") as f:
            report = f.read().strip()
    except OSError:
        report = ""
    if code == "2" or not report:
        report = "## disclose\n\ndisclose could not run (exit code %s): see the log of the \"Run disclose\" step." % code
    if code == "0":
        report = "**Resolved:** the latest push passes disclose.\n\n" + report
    return f"{MARKER}\n{report}\n"


def main():
    markdown_path, code = sys.argv[1], sys.argv[2]
    if os.environ.get("GITHUB_EVENT_NAME") not in EVENTS:
        print("disclose: not a pull request event, no comment")
        return 0
    token = os.environ.get("GITHUB_TOKEN", "")
    if not token:
        print("::warning title=disclose::no token, so no pull-request comment (set the `token` input)")
        return 0
    with open(os.environ["GITHUB_EVENT_PATH"], encoding="utf-8") as f:
        event = json.load(f)
    number = (event.get("pull_request") or {}).get("number") or event.get("number")
    api_url = os.environ.get("GITHUB_API_URL", "https://api.github.com").rstrip("/")
    repo = os.environ["GITHUB_REPOSITORY"]
    try:
        url = f"{api_url}/repos/{repo}/issues/{number}/comments?per_page=100"
        existing = None
        while url and existing is None:
            comments, link = api("GET", url, token)
            existing = next((c for c in comments if MARKER in (c.get("body") or "")), None)
            url = next_link(link)
        body = body_for(markdown_path, code)
        if existing is not None:
            if existing.get("body") != body:
                api("PATCH", f"{api_url}/repos/{repo}/issues/comments/{existing['id']}", token, {"body": body})
            print(f"disclose: updated comment {existing['id']}")
        elif code != "0":
            created, _ = api("POST", f"{api_url}/repos/{repo}/issues/{number}/comments", token, {"body": body})
            print(f"disclose: posted comment {created['id']}")
        else:
            print("disclose: the check passes and there is no earlier comment: nothing to post")
    except urllib.error.HTTPError as e:
        hint = " (the token needs `pull-requests: write`; pull requests from forks do not get it)" if e.code in (403, 404) else ""
        print(f"::warning title=disclose::could not write the pull-request comment: HTTP {e.code}{hint}")
    except (urllib.error.URLError, OSError, ValueError, KeyError) as e:
        print(f"::warning title=disclose::could not write the pull-request comment: {e}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
