#!/usr/bin/env python3
"""A stand-in for the GitHub REST API's issue comments, for testing scripts/pr_comment.py.

    fake-github.py STATE.json PORT_FILE [--deny]

Serves GET/POST /repos/{owner}/{repo}/issues/{n}/comments and PATCH
/repos/{owner}/{repo}/issues/comments/{id} on 127.0.0.1 (a free port, written to PORT_FILE), and
keeps the comments in STATE.json after every change. Pages hold two comments each (Link headers),
so pagination is exercised. --deny answers 403 to every write, as GitHub does for a fork's token.
"""
import json
import re
import sys
from http.server import BaseHTTPRequestHandler, HTTPServer

STATE, PORT_FILE = sys.argv[1], sys.argv[2]
DENY = "--deny" in sys.argv
PAGE = 2


def load():
    try:
        with open(STATE, encoding="utf-8") as f:
            return json.load(f)
    except OSError:
        return {"comments": [], "next_id": 100}


def save(state):
    with open(STATE, "w", encoding="utf-8") as f:
        json.dump(state, f, indent=2)


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def reply(self, code, body=None, link=None):
        data = b"" if body is None else json.dumps(body).encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        if link:
            self.send_header("Link", link)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def body(self):
        n = int(self.headers.get("Content-Length", "0"))
        return json.loads(self.rfile.read(n) or b"{}")

    def do_GET(self):
        m = re.match(r"^/repos/[^/]+/[^/]+/issues/(\d+)/comments\?per_page=\d+(?:&page=(\d+))?$", self.path)
        if not m or not self.headers.get("Authorization", "").startswith("Bearer "):
            return self.reply(404, {"message": "Not Found"})
        page = int(m.group(2) or 1)
        items = [c for c in load()["comments"] if c["issue"] == int(m.group(1))]
        chunk = items[(page - 1) * PAGE: page * PAGE]
        link = None
        if page * PAGE < len(items):
            base = self.path.split("&page=")[0]
            link = f'<http://127.0.0.1:{self.server.server_port}{base}&page={page + 1}>; rel="next"'
        self.reply(200, chunk, link)

    def do_POST(self):
        m = re.match(r"^/repos/[^/]+/[^/]+/issues/(\d+)/comments$", self.path)
        if not m:
            return self.reply(404, {"message": "Not Found"})
        if DENY:
            return self.reply(403, {"message": "Resource not accessible by integration"})
        state = load()
        c = {"id": state["next_id"], "issue": int(m.group(1)), "body": self.body()["body"]}
        state["next_id"] += 1
        state["comments"].append(c)
        save(state)
        self.reply(201, c)

    def do_PATCH(self):
        m = re.match(r"^/repos/[^/]+/[^/]+/issues/comments/(\d+)$", self.path)
        if not m:
            return self.reply(404, {"message": "Not Found"})
        if DENY:
            return self.reply(403, {"message": "Resource not accessible by integration"})
        state = load()
        for c in state["comments"]:
            if c["id"] == int(m.group(1)):
                c["body"] = self.body()["body"]
                save(state)
                return self.reply(200, c)
        self.reply(404, {"message": "Not Found"})


server = HTTPServer(("127.0.0.1", 0), Handler)
with open(PORT_FILE, "w") as f:
    f.write(str(server.server_port))
server.serve_forever()
