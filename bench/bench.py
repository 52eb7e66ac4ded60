#!/usr/bin/env python3
"""Whole-process benchmarks of `disclose check` and `disclose diff`.

Builds the release binary and generates its inputs in a temp folder (deterministic, seeded;
never committed), then times every case N times in this one process, reporting the median,
the 90th percentile, peak memory (max RSS of the child), and the ratio to a reference run made
in the same loop: `disclose --version` (process start-up and taxonomy-free exit), so the ratio
shows the work beyond starting a process on this machine.

`check`: a large pair (a 1 MB Markdown policy and 50 manifests per version), the bundled
example, and `check --staged` in a small repository.

`diff`: a generated ~1 MB Markdown policy (sections on collection, sharing, retention, rights,
with lists and tables) against two new versions: "many changes" (about 5% of sentences
reworded, 2% removed, 2% added, sections renamed and moved, list markers and wrapping changed)
and "fully rewritten" (different text of the same size: no sentence or heading in common).
`disclose diff` (human and JSON) and `git diff --no-index --word-diff` run interleaved, round
by round; the table gives disclose/git per pair (target: within 2x). Then the fully rewritten
case at 0.25, 0.5 and 1 MB, to show the time grows linearly (about 2x per doubling).

Usage: python3 bench/bench.py [all|check|diff] [--runs N] [--diff-runs N] [--keep DIR]
Never used as a test: wall-clock figures depend on the machine.
"""
import argparse
import json
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.join(ROOT, "target", "release", "disclose")

ANDROID = ["ACCESS_FINE_LOCATION", "ACCESS_COARSE_LOCATION", "RECORD_AUDIO", "CAMERA", "READ_CONTACTS",
           "READ_CALENDAR", "READ_MEDIA_IMAGES", "BLUETOOTH_SCAN", "INTERNET", "WAKE_LOCK", "VIBRATE",
           "POST_NOTIFICATIONS", "READ_PHONE_STATE", "ACTIVITY_RECOGNITION", "BODY_SENSORS"]
APPLE = ["NSCameraUsageDescription", "NSMicrophoneUsageDescription", "NSContactsUsageDescription",
         "NSPhotoLibraryUsageDescription", "NSLocationWhenInUseUsageDescription", "NSBluetoothAlwaysUsageDescription",
         "NSMotionUsageDescription", "NSFaceIDUsageDescription"]
SENTENCES = [
    "We collect your email address when you create an account.",
    "We use your approximate location, based on your IP address, to show local content.",
    "With your permission, the app accesses your camera to scan tickets.",
    "We record your voice when you use voice search.",
    "Please contact us at privacy@example.com if you have questions.",
    "We do not sell your personal information to third parties.",
    "Our offices are located in Berlin, and our servers are in Frankfurt.",
    "You can delete your account at any time from the settings screen.",
    "We share listening statistics with artists in aggregated form.",
    "We keep server logs for thirty days and then delete them.",
    "The app reads your calendar to remind you of concerts you added.",
    "We never access your contacts unless you choose to invite a friend.",
]


def android(perms):
    body = "".join(f'    <uses-permission android:name="android.permission.{p}" />\n' for p in perms)
    return ('<?xml version="1.0" encoding="utf-8"?>\n'
            '<manifest xmlns:android="http://schemas.android.com/apk/res/android">\n'
            f'{body}    <application android:label="Bench" />\n</manifest>\n')


def plist(keys):
    body = "".join(f"\t<key>{k}</key>\n\t<string>The app uses this to work.</string>\n" for k in keys)
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<plist version="1.0">\n<dict>\n'
            f'{body}</dict>\n</plist>\n')


def policy(size, rng):
    out, n, section = ["# Privacy Policy\n\n*Last updated: January 1, 2026*\n"], 0, 0
    while n < size:
        section += 1
        out.append(f"\n## Section {section}: information we collect\n\n")
        para = " ".join(rng.choice(SENTENCES) for _ in range(8))
        out.append(para + "\n\n- " + rng.choice(SENTENCES) + "\n- " + rng.choice(SENTENCES) + "\n")
        n = sum(len(x) for x in out)
    return "".join(out)


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)


def generate(root):
    rng = random.Random(7)
    for side, extra in (("old", 0), ("new", 3)):
        base = os.path.join(root, side)
        for i in range(30):
            perms = rng.sample(ANDROID, 5 + (extra if i % 10 == 0 else 0))
            write(os.path.join(base, f"module{i:02}/src/main/AndroidManifest.xml"), android(perms))
        for i in range(15):
            write(os.path.join(base, f"ios/Target{i:02}/Info.plist"), plist(rng.sample(APPLE, 4)))
        for i in range(5):
            write(os.path.join(base, f"ios/Kit{i:02}/PrivacyInfo.xcprivacy"),
                  plist([]).replace("<dict>\n", "<dict>\n\t<key>NSPrivacyTracking</key>\n\t<false/>\n"))
        write(os.path.join(base, "docs/privacy.md"), policy(1_000_000, random.Random(11 + extra)))


QUIET = [(os.POSIX_SPAWN_OPEN, 1, os.devnull, os.O_WRONLY, 0), (os.POSIX_SPAWN_OPEN, 2, os.devnull, os.O_WRONLY, 0)]


def peak_rss_kib(argv):
    """Max RSS of one run, from GNU time: a child of a forked Python inherits Python's pages in
    its ru_maxrss, while `time` is a small fresh process. None when GNU time is missing."""
    if not os.path.exists("/usr/bin/time"):
        return None
    with tempfile.NamedTemporaryFile("r") as out:
        subprocess.run(["/usr/bin/time", "-f", "%M", "-o", out.name, *argv],
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        return int(out.read().split()[-1])


def staged_repo(root):
    """A small repository with a staged change: one manifest gains RECORD_AUDIO."""
    env = dict(os.environ, GIT_CONFIG_GLOBAL="/dev/null", GIT_CONFIG_NOSYSTEM="1")
    git = lambda *a: subprocess.run(["git", "-c", "user.name=b", "-c", "user.email=b@example.invalid", *a],
                                    cwd=root, env=env, check=True, capture_output=True)
    os.makedirs(root, exist_ok=True)
    git("init", "-q", "-b", "main")
    write(os.path.join(root, "android/app/src/main/AndroidManifest.xml"), android(["INTERNET", "CAMERA"]))
    write(os.path.join(root, "ios/App/Info.plist"), plist(["NSCameraUsageDescription"]))
    write(os.path.join(root, "PRIVACY.md"), "# Privacy\n\nWe use your camera to scan tickets.\n")
    for i in range(40):
        write(os.path.join(root, f"src/module{i}.kt"), f"// source file {i}\n")
    git("add", "-A")
    git("commit", "-qm", "initial")
    write(os.path.join(root, "android/app/src/main/AndroidManifest.xml"), android(["INTERNET", "CAMERA", "RECORD_AUDIO"]))
    git("add", "-A")
    return root


def measure(argv, runs):
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        pid = os.posix_spawn(argv[0], argv, os.environ, file_actions=QUIET)
        _, status = os.waitpid(pid, 0)
        times.append(time.perf_counter() - start)
        code = os.waitstatus_to_exitcode(status)
        if code not in (0, 1):
            sys.exit(f"{' '.join(argv)} exited {code}")
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.9) - 1], peak_rss_kib(argv)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=30)
    ap.add_argument("--keep", help="generate the large pair here and keep it")
    args = ap.parse_args()
    subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
    tmp = args.keep or tempfile.mkdtemp(prefix="disclose-bench-")
    generate(tmp)
    ex = os.path.join(ROOT, "examples", "streaming-app")
    repo = staged_repo(os.path.join(tmp, "repo"))
    cases = [
        ("reference: disclose --version", [BIN, "--version"]),
        ("example (streaming-app v1 -> v2)", [BIN, "check", "--old", f"{ex}/v1", "--new", f"{ex}/v2"]),
        ("large: 1 MB policy, 50 manifests", [BIN, "check", "--old", f"{tmp}/old", "--new", f"{tmp}/new"]),
        ("large, JSON output", [BIN, "check", "--old", f"{tmp}/old", "--new", f"{tmp}/new", "-f", "json"]),
        ("check --staged, small repository", [BIN, "check", "--staged"]),
        ("reference: git status (same repository)", ["/usr/bin/git", "status", "--porcelain"]),
    ]
    os.chdir(repo)  # --staged and git status run inside the repository
    results = [(name, *measure(argv, args.runs)) for name, argv in cases]
    ref = results[0][1]
    print(f"disclose benchmark: {args.runs} runs per case, {os.cpu_count()} cores")
    print(f"{'case':36} {'median':>9} {'p90':>9} {'x ref':>7} {'peak RSS':>9}")
    for name, med, p90, peak in results:
        mem = f"{peak / 1024:7.1f}MB" if peak else "    n/a (apt install time)"
        print(f"{name:36} {med*1000:7.1f}ms {p90*1000:7.1f}ms {med/ref:7.1f} {mem}")
    if not args.keep:
        shutil.rmtree(tmp)


if __name__ == "__main__":
    main()
