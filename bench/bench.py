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

`scale`: `disclose check -f json -o FILE` on a generated monorepo pair at scale k (default 1, 2,
4, 8): k x 1,000 manifests of every kind (Android, Info.plist, privacy manifest, entitlements,
Expo app.json, extension manifest.json) over a few hundred app folders, and k x 50 Markdown
policies of 200 KB (`docs/policies/privacy-NNNN.md`, found by name: no disclose.yaml, so every
policy covers every manifest). The new version is a pull request: 5% of the manifests gain or
lose one permission, 5% of the policies gain or reword one sentence, the rest is byte-identical.
Each scale is timed with its own `--version` reference in the loop (5 rounds, 3 at 8x and above);
the Markdown table gives each median as a multiple of the 1x one and per 1,000 manifests (linear:
2x input, 2x time), with the target at 1x: <= 250 ms and <= 80 MB, and at every scale peak RSS <= 2x the input. At 1x (or the smallest scale)
`--jobs 1` is timed too, when `disclose check --help` lists it, and the JSON of two default runs
and a `--jobs 1` run must be byte-identical, or the script exits 1. One 8x run takes about 17 s
and 2.3 GB on the 2-core machine (well under a minute), so `all` includes `scale`, which adds
about 6 minutes (generation included); `--scales 1,2` shortens it.

Usage: python3 bench/bench.py [all|check|diff|scale] [--runs N] [--diff-runs N] [--diff-sizes MB,...]
                              [--scales K,...] [--scale-runs N] [--keep DIR]
Never used as a test: wall-clock figures depend on the machine.
"""
import argparse
import collections
import copy
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


# ---------------------------------------------------------------------------------------------
# `disclose diff`: a generated policy and two new versions of it.
#
# A policy is a list of sections (level, heading, blocks); a block is a paragraph, a list or a
# table; a sentence is a template with its slot values, so a "reworded" sentence is the same
# template with one or two slots changed ("ninety days" for "thirty days").

CATEGORIES = ["email address", "phone number", "postal address", "precise location", "approximate location",
              "IP address", "device identifiers", "advertising identifier", "contacts", "photos and videos",
              "voice recordings", "payment card details", "purchase history", "browsing history",
              "search history", "crash logs", "usage data", "health and fitness data", "calendar events",
              "date of birth", "display name", "profile photo", "messages", "listening history",
              "account credentials", "billing address", "government ID", "employment details",
              "social media handle", "Wi-Fi network name", "Bluetooth signals", "step count"]
RECIPIENTS = ["advertising partners", "analytics providers", "payment processors", "cloud hosting providers",
              "customer support vendors", "our affiliates", "law enforcement agencies", "marketing agencies",
              "fraud prevention services", "email delivery providers", "measurement partners",
              "social media platforms", "data brokers", "research institutions", "insurance partners",
              "delivery companies", "identity verification services", "professional advisers"]
PURPOSES = ["to provide the service", "to personalise your recommendations", "to prevent fraud and abuse",
            "to measure how well our campaigns work", "to improve our products", "to comply with the law",
            "to send you service messages", "to show you relevant ads", "to diagnose crashes",
            "to verify your identity", "to process your payments", "to answer your requests",
            "to keep your account secure", "to run surveys and contests", "to understand how the app is used",
            "to deliver your orders", "to enforce our terms", "to train our spam filters"]
TRIGGERS = ["when you create an account", "when you contact support", "when you make a purchase",
            "when you use the app", "when you turn on location services", "when you connect a social account",
            "when you enter a promotion", "when you upload content", "when you invite a friend",
            "when you subscribe to our newsletter", "when you apply for a job", "when you visit our website",
            "when you pair a wearable device", "when you leave a review"]
COLLECT = ["collect", "gather", "receive", "obtain", "record", "process", "store", "log"]
SHARE = ["disclose", "provide", "transfer", "send", "make available", "pass on", "hand over"]
RETENTION = ["thirty days", "ninety days", "six months", "one year", "two years", "three years", "seven years",
             "eighteen months", "sixty days", "five years"]
EVENTS = ["you close your account", "your last login", "the end of your subscription", "we receive it",
          "the transaction is complete", "the support ticket is closed", "the promotion ends"]
RIGHTS = ["access", "correct", "delete", "export", "restrict the processing of", "object to the processing of",
          "download a copy of", "withdraw consent for the use of"]
CONTROLS = ["the settings screen", "the privacy dashboard", "your account page", "the in-app menu",
            "our help centre", "your device settings", "the preferences page", "the web form"]
REGIONS = ["California", "the European Economic Area", "the United Kingdom", "Brazil", "Canada", "Virginia",
           "Switzerland", "Japan", "Australia", "Colorado", "South Korea", "India", "Connecticut", "Singapore"]
SAFEGUARDS = ["encryption in transit and at rest", "strict access controls", "regular security audits",
              "pseudonymisation", "two-factor authentication for our staff", "contractual safeguards",
              "standard contractual clauses"]
ADVERBS = ["", "", "", "only ", "also ", "sometimes ", "regularly "]
FEATURES_OLD = ["Tempo Radio", "Smart Playlists", "Family Plan", "Live Events", "Tempo Studio", "Podcasts",
                "Gift Cards", "Merch Store", "Concert Tickets", "Lyrics", "Car Mode", "Wearables", "Kids Profiles",
                "Student Plan", "Creator Tools", "Community Forum", "Newsletter", "Careers", "Referral Program",
                "Offline Mode", "Voice Assistant", "Smart Speakers", "Partner Offers", "Beta Program"]
FEATURES_NEW = ["Daily Mixes", "Group Sessions", "Audiobooks", "Artist Pages", "Radio Stations", "Rewards Club",
                "Video Clips", "Sleep Timer", "Party Mode", "Music Quiz", "Duo Plan", "Concert Finder",
                "Karaoke", "Gaming Integration", "Workout Mixes", "Charts", "Fan Clubs", "Shop Vouchers",
                "Developer Portal", "Smart TV App", "Accessibility Features", "Local Files", "Remix Lab",
                "Marketplace"]

# Topic -> sentence templates. Slots: {adv} {cat} {cat2} {rec} {rec2} {pur} {pur2} {trig} {cv} {sv}
# {ret} {ev} {right} {ctrl} {region} {safe} {feature}.
TEMPLATES = {
    "collect": ["We {adv}{cv} your {cat} {trig}.",
                "{Trig}, we may {cv} your {cat} and your {cat2}.",
                "We use your {cat} {pur} and {pur2}.",
                "If you choose to give us your {cat}, we use it {pur}.",
                "We do not {cv} your {cat} unless you allow it {trig}.",
                "{Feature} may {cv} your {cat} {trig}, {pur}.",
                "Together with your {cat}, we {adv}{cv} your {cat2} {pur}."],
    "share": ["We {adv}{sv} your {cat} to {rec} {pur}.",
              "We {adv}share your {cat} with {rec} {pur}.",
              "{Rec} receive your {cat} and your {cat2} under contract and only {pur}.",
              "We never sell your {cat} to {rec}.",
              "{Trig}, {rec} may receive your {cat} {pur}.",
              "We may {sv} your {cat} to {rec} and {rec2} when the law requires it.",
              "For {feature}, we {sv} your {cat} to {rec} {pur}."],
    "retain": ["We keep your {cat} for {ret} after {ev}.",
               "Your {cat} is deleted {ret} after {ev}, unless the law requires us to keep it longer.",
               "Backups that contain your {cat} are overwritten within {ret}.",
               "We {adv}keep your {cat} for {ret} {pur}.",
               "When you use {feature}, we keep your {cat} until {ev}."],
    "rights": ["You can {right} your {cat} at any time from {ctrl}.",
               "If you live in {region}, you have the right to {right} your {cat}.",
               "To {right} your {cat}, write to privacy@example.com or use {ctrl}.",
               "Residents of {region} may ask us to {right} their {cat} and their {cat2}.",
               "You can turn off the use of your {cat} for {feature} in {ctrl}.",
               "We answer requests to {right} your {cat} within {ret}."],
    "secure": ["We protect your {cat} with {safe}.",
               "Transfers of your {cat} outside {region} rely on {safe}.",
               "Only staff who need your {cat} {pur} can see it, and access is protected by {safe}."],
}
HEADINGS = {
    "collect": ["{Feature}: information we collect", "{Cat} we collect for {feature}", "How {feature} uses your {cat}",
                "What {feature} records"],
    "share": ["{Feature}: sharing with {rec}", "Who receives your {cat}", "Sharing {cat} with {rec}",
              "Disclosures by {feature}"],
    "retain": ["How long {feature} keeps data", "Retention of your {cat}", "{Feature}: deleting your {cat}"],
    "rights": ["Your choices for {feature}", "Your rights in {region}", "Controlling your {cat}",
               "{Feature}: privacy settings"],
    "secure": ["Keeping {feature} secure", "Protecting your {cat}", "International transfers from {region}"],
}
SLOTS = {"cat": CATEGORIES, "cat2": CATEGORIES, "rec": RECIPIENTS, "rec2": RECIPIENTS, "pur": PURPOSES,
         "pur2": PURPOSES, "trig": TRIGGERS, "cv": COLLECT, "sv": SHARE, "ret": RETENTION, "ev": EVENTS,
         "right": RIGHTS, "ctrl": CONTROLS, "region": REGIONS, "safe": SAFEGUARDS, "adv": ADVERBS}
SLOT_RE = re.compile(r"\{(\w+)\}")


def words_key(text):
    """What disclose compares sentences by: the words, lower-cased."""
    return " ".join(re.findall(r"[^\W_]+", text.lower()))


class Sentence:
    def __init__(self, template, slots):
        self.template, self.slots = template, slots

    def render(self):
        def fill(m):
            name = m.group(1)
            value = self.slots[name.lower()]
            return value[:1].upper() + value[1:] if name[0].isupper() else value
        return SLOT_RE.sub(fill, self.template)


class Writer:
    """Generates sections of policy text; `avoid` holds keys (sentences, headings, cells) that
    must not appear, so a rewritten version shares nothing with the old one."""

    def __init__(self, seed, features, avoid=frozenset()):
        self.rng, self.features, self.avoid = random.Random(seed), features, avoid

    def slots(self, template):
        names = sorted({n.lower() for n in SLOT_RE.findall(template)})  # not set order: that varies by run
        values = {n: self.rng.choice(SLOTS[n]) for n in names if n != "feature"}
        values["feature"] = self.rng.choice(self.features)
        return values

    def fresh(self, make):
        """make() until it gives text not in `avoid`; short cells ("Ninety days after ...") can
        run out of combinations, and then get a feature name in brackets."""
        for attempt in range(400):
            out = make()
            if attempt >= 50 and isinstance(out, str):
                out = f"{out} ({self.rng.choice(self.features)})"
            if words_key(out.render() if isinstance(out, Sentence) else out) not in self.avoid:
                return out
        sys.exit("bench: cannot generate text unlike the old version")

    def sentence(self, topic):
        def make():
            t = self.rng.choice(TEMPLATES[topic])
            return Sentence(t, self.slots(t))
        return self.fresh(make)

    def heading(self, topic):
        def make():
            t = self.rng.choice(HEADINGS[topic])
            return Sentence(t, self.slots(t)).render()
        return self.fresh(make)

    def reword(self, s):
        """The same sentence with one or two slot values changed."""
        names = sorted(n for n in s.slots if n != "feature" and "{" + n in s.template.lower()
                       and len(SLOTS[n]) > 1)
        slots = dict(s.slots)
        for n in self.rng.sample(names, min(len(names), self.rng.choice((1, 1, 2)))):
            slots[n] = self.rng.choice([v for v in SLOTS[n] if v != slots[n]])
        out = Sentence(s.template, slots)
        return out if out.render() != s.render() else Sentence(s.template + " This applies worldwide.", slots)

    def table(self, topic):
        r = self.rng
        headers = r.choice([["Category", "Examples", "Recipients", "Retention"],
                            ["Type of data", "Why we use it", "Who receives it", "How long we keep it"],
                            ["Data", "Purpose", "Shared with", "Kept for"]])
        rows = []
        for _ in range(r.randint(3, 7)):
            cat = r.choice(CATEGORIES)
            row = [self.fresh(lambda: f"{cat[:1].upper()}{cat[1:]} ({r.choice(self.features)})"),
                   self.fresh(lambda: f"{r.choice(PURPOSES)[3:].capitalize()} and {r.choice(PURPOSES)[3:]}"),
                   self.fresh(lambda: f"{r.choice(RECIPIENTS).capitalize()} and {r.choice(RECIPIENTS)}"),
                   self.fresh(lambda: f"{r.choice(RETENTION).capitalize()} after {r.choice(EVENTS)}")]
            rows.append(row)
        headers = [h if words_key(h) not in self.avoid else self.fresh(lambda h=h: f"{h} of {r.choice(self.features)}")
                   for h in headers]
        return ["table", headers, rows]

    def block(self, topic):
        r = self.rng
        kind = r.choices(["p", "ul", "ol", "table"], weights=[60, 28, 8, 4])[0]
        if kind == "table":
            return self.table(topic)
        n = r.randint(2, 6) if kind == "p" else r.randint(3, 7)
        sentences = [self.sentence(topic if r.random() < 0.8 else r.choice(list(TEMPLATES))) for _ in range(n)]
        if kind == "p":
            return ["p", sentences, r.choice([80, 88, 100])]
        return [kind, sentences, "-" if kind == "ul" else "1."]

    def section(self, level):
        topic = self.rng.choice(list(TEMPLATES))
        blocks = [self.block(topic) for _ in range(self.rng.randint(1, 3 if level == 3 else 4))]
        return {"level": level, "heading": self.heading(topic), "topic": topic, "blocks": blocks}

    def policy(self, size, title, date):
        doc = {"title": title, "date": date, "sections": []}
        intro = {"level": 0, "heading": None, "topic": "collect",
                 "blocks": [["p", [self.sentence("collect"), self.sentence("share")], 100]]}
        doc["sections"].append(intro)
        n = len(render(doc))
        while n < size:
            chapter = [self.section(2)] + [self.section(3) for _ in range(self.rng.randint(0, 3))]
            doc["sections"] += chapter
            n += sum(len(render_section(s)) for s in chapter)
        return doc


def wrap(text, width):
    lines, line = [], ""
    for w in text.split(" "):
        if line and len(line) + 1 + len(w) > width:
            lines.append(line)
            line = w
        else:
            line = f"{line} {w}" if line else w
    return "\n".join(lines + [line])


def render_section(s):
    out = []
    if s["heading"] is not None:
        out.append(f"{'#' * s['level']} {s['heading']}\n")
    for kind, body, opt in s["blocks"]:
        if kind == "p":
            out.append(wrap(" ".join(x.render() for x in body), opt) + "\n")
        elif kind == "table":
            out.append("\n".join(["| " + " | ".join(body) + " |", "|" + "---|" * len(body)]
                                 + ["| " + " | ".join(row) + " |" for row in opt]) + "\n")
        else:
            items = []
            for i, x in enumerate(body):
                marker = f"{i + 1}." if opt == "1." else opt
                items.append(marker + " " + wrap(x.render(), 96).replace("\n", "\n" + " " * (len(marker) + 1)))
            out.append("\n".join(items) + "\n")
    return "\n" + "\n".join(out)


def render(doc):
    return f"# {doc['title']}\n\n*Last updated: {doc['date']}*\n" + "".join(map(render_section, doc["sections"]))


def sentences_of(doc):
    for s in doc["sections"]:
        for kind, body, _ in s["blocks"]:
            if kind != "table":
                yield from body


def many_changes(doc, seed):
    """~5% of sentences reworded, ~2% removed, ~2% added; 6 sections renamed, 4 chapters moved,
    list markers changed in ~1 list in 6 and ~1 paragraph in 6 re-wrapped."""
    w = Writer(seed, FEATURES_OLD)
    r = w.rng
    doc = copy.deepcopy(doc)
    doc["date"] = "March 1, 2026"
    for s in doc["sections"]:
        for block in s["blocks"]:
            kind, body, opt = block
            if kind == "table":
                continue
            new = []
            for x in body:
                roll = r.random()
                if roll < 0.05:
                    new.append(w.reword(x))
                elif roll < 0.07:
                    continue
                else:
                    new.append(x)
                if r.random() < 0.02:
                    new.append(w.sentence(s["topic"]))
            block[1] = new or [w.sentence(s["topic"])]
            if kind == "p" and r.random() < 1 / 6:
                block[2] = {80: 100, 88: 72, 100: 80}[opt]
            elif kind == "ul" and r.random() < 1 / 6:
                block[2] = r.choice(["*", "+"])
    headed = [s for s in doc["sections"] if s["heading"] is not None]
    names = Writer(seed + 1, FEATURES_OLD, frozenset(words_key(s["heading"]) for s in headed))
    for s in r.sample(headed, 6):
        s["heading"] = names.heading(s["topic"])  # a heading used nowhere else
    chapters, current = [], []
    for s in doc["sections"][1:]:
        if s["level"] == 2 and current:
            chapters.append(current)
            current = []
        current.append(s)
    chapters.append(current)
    for _ in range(4):
        c = chapters.pop(r.randrange(len(chapters)))
        chapters.insert(r.randrange(len(chapters) + 1), c)
    doc["sections"] = doc["sections"][:1] + [s for c in chapters for s in c]
    return doc


def rewritten(doc, size, seed):
    """Different text of the same size: no sentence, heading or table cell of `doc`."""
    avoid = {words_key(x.render()) for x in sentences_of(doc)}
    for s in doc["sections"]:
        if s["heading"]:
            avoid.add(words_key(s["heading"]))
        for kind, body, opt in s["blocks"]:
            if kind == "table":
                avoid.update(words_key(c) for c in body + [c for row in opt for c in row])
    return Writer(seed, FEATURES_NEW, frozenset(avoid)).policy(size, "Tempo Music Group Data Protection Notice",
                                                               "June 30, 2026")


def generate_diff(root, sizes, main_size):
    """old-SIZE.md and rewritten-SIZE.md at each size (and at main_size), and changed.md, the
    many-changes version of old-MAIN_SIZE.md. Returns {size: (old, rewritten)} and the
    many-changes pair."""
    os.makedirs(root, exist_ok=True)
    pairs = {}
    for size in sorted({*sizes, main_size}):
        old = Writer(100, FEATURES_OLD).policy(size, "Tempo Privacy Policy", "January 1, 2026")
        paths = (os.path.join(root, f"old-{size}.md"), os.path.join(root, f"rewritten-{size}.md"))
        write(paths[0], render(old))
        write(paths[1], render(rewritten(old, size, 200)))
        pairs[size] = paths
        if size == main_size:
            changed = os.path.join(root, "changed.md")
            write(changed, render(many_changes(old, 300)))
            many = (paths[0], changed)
    return pairs, many


# ---------------------------------------------------------------------------------------------
# `scale`: a monorepo pair at scale k: k x 1,000 manifests of every kind over many app folders,
# and k x 50 policies of ~200 KB (the diff generator's text), all covering every manifest (no
# disclose.yaml). The new version is a pull request: 5% of the manifests gain or lose one
# permission, 5% of the policies gain or reword one sentence, the rest is byte-identical.

SCALE_MANIFESTS, SCALE_POLICIES, SCALE_POLICY_SIZE, SCALE_CHANGED = 1000, 50, 200_000, 0.05
XCPRIVACY = ["PreciseLocation", "CoarseLocation", "EmailAddress", "Name", "PhoneNumber", "UserID", "DeviceID",
             "CrashData", "PerformanceData", "ProductInteraction", "PurchaseHistory", "Contacts",
             "PhotosorVideos", "AudioData", "Health", "Fitness", "SearchHistory", "PaymentInfo"]
ENTITLEMENTS = ["com.apple.developer.healthkit", "com.apple.developer.homekit", "com.apple.developer.game-center",
                "com.apple.developer.location.push", "com.apple.developer.weatherkit",
                "com.apple.developer.contacts.notes", "com.apple.developer.networking.wifi-info",
                "com.apple.developer.healthkit.background-delivery", "com.apple.developer.in-app-payments",
                "com.apple.developer.device-information.user-assigned-device-name"]
EXTENSION = ["storage", "activeTab", "history", "tabs", "bookmarks", "geolocation", "cookies", "clipboardRead",
             "identity.email", "downloads", "scripting", "alarms", "notifications", "contextMenus", "topSites"]
HOSTS = ["https://*.example.com/*", "https://api.example.org/*", "https://mail.example.net/*",
         "https://*.shop.example/*", "https://news.example.com/*", "<all_urls>"]
EXPO_PLUGINS = ["expo-camera", "expo-location", "expo-contacts", "expo-calendar", "expo-notifications",
                "expo-image-picker", "expo-media-library", "expo-sensors", "expo-tracking-transparency",
                "expo-local-authentication", "expo-audio"]
# Expo entries: (where, name); "plugin" entries may carry an option, as real app.json files do.
EXPO = ([("android", p) for p in ANDROID] + [("ios", k) for k in APPLE] + [("plugin", p) for p in EXPO_PLUGINS])
PLUGIN_OPTIONS = {"expo-camera": {"cameraPermission": "Allow $(PRODUCT_NAME) to scan tickets.",
                                  "microphonePermission": False},
                  "expo-location": {"locationWhenInUsePermission": "Shows concerts near you."},
                  "expo-calendar": {"calendarPermission": "Adds the concerts you pick to your calendar."}}


def xcprivacy(types):
    body = "".join("\t\t<dict>\n\t\t\t<key>NSPrivacyCollectedDataType</key>\n"
                   f"\t\t\t<string>NSPrivacyCollectedDataType{t}</string>\n"
                   "\t\t\t<key>NSPrivacyCollectedDataTypeLinked</key>\n\t\t\t<true/>\n"
                   "\t\t\t<key>NSPrivacyCollectedDataTypeTracking</key>\n\t\t\t<false/>\n"
                   "\t\t\t<key>NSPrivacyCollectedDataTypePurposes</key>\n\t\t\t<array>\n"
                   "\t\t\t\t<string>NSPrivacyCollectedDataTypePurposeAppFunctionality</string>\n"
                   "\t\t\t</array>\n\t\t</dict>\n" for t in types)
    return plist([]).replace("<dict>\n", "<dict>\n\t<key>NSPrivacyTracking</key>\n\t<false/>\n"
                             f"\t<key>NSPrivacyCollectedDataTypes</key>\n\t<array>\n{body}\t</array>\n", 1)


def entitlements(keys):
    body = "".join(f"\t<key>{k}</key>\n\t<true/>\n" for k in keys)
    return plist([]).replace("<dict>\n", f"<dict>\n\t<key>aps-environment</key>\n\t<string>production</string>\n{body}", 1)


def extension(name, entries):
    return json.dumps({"manifest_version": 3, "name": name, "version": "1.4.2",
                       "permissions": [e for e in entries if e in EXTENSION],
                       "host_permissions": [e for e in entries if e in HOSTS],
                       "background": {"service_worker": "background.js"}}, indent=2) + "\n"


def expo(name, entries):
    of = lambda where: [n for w, n in entries if w == where]
    plugins = [[p, PLUGIN_OPTIONS[p]] if p in PLUGIN_OPTIONS else p for p in of("plugin")]
    return json.dumps({"expo": {"name": name, "slug": name.lower(), "version": "3.1.0",
                                "ios": {"bundleIdentifier": f"com.example.{name.lower()}",
                                        "infoPlist": {k: "The app uses this to work." for k in of("ios")}},
                                "android": {"package": f"com.example.{name.lower()}", "permissions": of("android")},
                                "plugins": plugins}}, indent=2) + "\n"


def scale_manifests(n):
    """The first n manifests, app folder after app folder: (path, render, pool, entries). A
    native app has an Android manifest and mostly an Info.plist, often a privacy manifest,
    sometimes entitlements; an Expo app an app.json; a third of the indices a browser extension.
    Seeded per app, so a smaller scale's manifests are a prefix of a larger one's."""
    out, app = [], 0
    while len(out) < n:
        r, a = random.Random(5000 + app), f"app-{app:04}"
        kinds = []
        if r.random() < 0.3:
            kinds.append((f"apps/{a}/app.json", lambda e, a=a: expo(a.title().replace("-", ""), e), EXPO, 3, 9))
        else:
            kinds.append((f"apps/{a}/android/app/src/main/AndroidManifest.xml", android, ANDROID, 3, 9))
            if r.random() < 0.85:
                kinds.append((f"apps/{a}/ios/App/Info.plist", plist, APPLE, 2, 6))
            if r.random() < 0.6:
                kinds.append((f"apps/{a}/ios/App/PrivacyInfo.xcprivacy", xcprivacy, XCPRIVACY, 2, 7))
            if r.random() < 0.4:
                kinds.append((f"apps/{a}/ios/App/App.entitlements", entitlements, ENTITLEMENTS, 1, 3))
        if r.random() < 0.3:
            e = f"ext-{app:04}"
            kinds.append((f"extensions/{e}/manifest.json", lambda x, e=e: extension(e, x), EXTENSION + HOSTS, 3, 8))
        for path, render_, pool, lo, hi in kinds:
            out.append((path, render_, pool, r.sample(pool, r.randint(lo, hi))))
        app += 1
    return out[:n]


_policy_text = {}  # index -> old text: the same at every scale, generated once


def scale_policy(i, changed):
    """Policy i (old text, new text): the new one with one sentence added or reworded when
    `changed`, else the same string."""
    if i in _policy_text and not changed:
        return _policy_text[i], _policy_text[i]
    doc = Writer(4000 + i, FEATURES_OLD).policy(SCALE_POLICY_SIZE, f"App {i:04} Privacy Policy", "January 1, 2026")
    old = _policy_text.setdefault(i, render(doc))
    if not changed:
        return old, old
    w = Writer(9000 + i, FEATURES_OLD)
    section, block = w.rng.choice([(s, b) for s in doc["sections"] for b in s["blocks"] if b[0] != "table"])
    at = w.rng.randrange(len(block[1]))
    if w.rng.random() < 0.5:
        block[1][at] = w.reword(block[1][at])
    else:
        block[1].insert(at, w.sentence(section["topic"]))
    return old, render(doc)


def changed_set(n, seed):
    return set(random.Random(seed + n).sample(range(n), max(1, round(n * SCALE_CHANGED))))


def generate_scale(root, k):
    """old/ and new/ under root at scale k; returns (manifests, policies, changed manifests,
    changed policies)."""
    manifests = scale_manifests(round(k * SCALE_MANIFESTS))
    n_pol = max(1, round(k * SCALE_POLICIES))
    touched_m, touched_p = changed_set(len(manifests), 1), changed_set(n_pol, 2)
    for i, (path, render_, pool, entries) in enumerate(manifests):
        text = render_(entries)
        write(os.path.join(root, "old", path), text)
        if i in touched_m:
            r = random.Random(7000 + i)
            entries = list(entries)
            if r.random() < 0.5 and len(entries) > 1:
                entries.pop(r.randrange(len(entries)))
            else:
                entries.insert(r.randrange(len(entries) + 1), r.choice([p for p in pool if p not in entries]))
            text = render_(entries)
        write(os.path.join(root, "new", path), text)
    for i in range(n_pol):
        old, new = scale_policy(i, i in touched_p)
        write(os.path.join(root, "old", f"docs/policies/privacy-{i:04}.md"), old)
        write(os.path.join(root, "new", f"docs/policies/privacy-{i:04}.md"), new)
    return len(manifests), n_pol, len(touched_m), len(touched_p)


def tree_size(root):
    """Files, bytes on disk (allocated blocks) and bytes of content under root."""
    files = blocks = content = 0
    for d, _, names in os.walk(root):
        for name in names:
            st = os.lstat(os.path.join(d, name))
            files += 1
            blocks += st.st_blocks
            content += st.st_size
    return files, blocks * 512, content


QUIET = [(os.POSIX_SPAWN_OPEN, 1, os.devnull, os.O_WRONLY, 0), (os.POSIX_SPAWN_OPEN, 2, os.devnull, os.O_WRONLY, 0)]


def peak_rss_kib(argv, env=None):
    """Max RSS of one run, from GNU time: a child of a forked Python inherits Python's pages in
    its ru_maxrss, while `time` is a small fresh process. None when GNU time is missing."""
    if not os.path.exists("/usr/bin/time"):
        return None
    with tempfile.NamedTemporaryFile("r") as out:
        subprocess.run(["/usr/bin/time", "-f", "%M", "-o", out.name, *argv],
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
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


def run_once(argv, env=None):
    """Wall-clock seconds of one run, output to /dev/null; exits unless the code is 0 or 1
    (`git diff` exits 1 when the files differ)."""
    start = time.perf_counter()
    pid = os.posix_spawn(argv[0], argv, env or os.environ, file_actions=QUIET)
    _, status = os.waitpid(pid, 0)
    elapsed = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    if code not in (0, 1):
        sys.exit(f"{' '.join(argv)} exited {code}")
    return elapsed


def summary(times):
    """Median and 90th percentile (nearest rank: never below the median, even for 2 or 3 runs)."""
    times = sorted(times)
    return statistics.median(times), times[max(-(-len(times) * 9 // 10) - 1, 0)]


def measure(argv, runs):
    med, p90 = summary([run_once(argv) for _ in range(runs)])
    return med, p90, peak_rss_kib(argv)


def interleaved(cases, runs):
    """Times every case once per round, round after round (after one warm-up round), so that
    the machine's drift hits all cases alike. cases: (argv, env); returns (median, p90) each."""
    times = [[] for _ in cases]
    for r in range(runs + 1):
        for i, (argv, env) in enumerate(cases):
            t = run_once(argv, env)
            if r > 0:
                times[i].append(t)
    return [summary(t) for t in times]


def mem(peak):
    return f"{peak / 1024:6.1f}MB" if peak else "   n/a"


def bench_check(tmp, runs):
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
    cwd = os.getcwd()
    os.chdir(repo)  # --staged and git status run inside the repository
    results = [(name, *measure(argv, runs)) for name, argv in cases]
    os.chdir(cwd)
    ref = results[0][1]
    print(f"disclose check benchmark: {runs} runs per case, {os.cpu_count()} cores")
    print(f"{'case':40} {'median':>9} {'p90':>9} {'x ref':>7} {'peak RSS':>9}")
    for name, med, p90, peak in results:
        peak = f"{peak / 1024:7.1f}MB" if peak else "    n/a (apt install time)"
        print(f"{name:40} {med*1000:7.1f}ms {p90*1000:7.1f}ms {med/ref:7.1f} {peak}")
    # The hook against `git status` in the same loop, and how many git processes it starts.
    os.chdir(repo)
    hook, status = interleaved([([BIN, "check", "--staged"], None), (["/usr/bin/git", "status", "--porcelain"], None)],
                               runs)
    calls = git_calls([BIN, "check", "--staged"], tmp)
    os.chdir(cwd)
    print(f"hook: check --staged {hook[0]*1000:.1f} ms vs git status {status[0]*1000:.1f} ms in the same loop = "
          f"{hook[0] / status[0]:.1f}x (target <= 3x); {len(calls)} git processes ({', '.join(calls)}; target <= 2)")


def git_calls(argv, tmp):
    """The git subcommands one run of argv starts, through a logging `git` first on the PATH."""
    real = shutil.which("git") or sys.exit("bench: git not found")
    bin_dir = os.path.join(tmp, "git-log-bin")
    os.makedirs(bin_dir, exist_ok=True)
    log = os.path.join(bin_dir, "log")
    write(os.path.join(bin_dir, "git"), f"#!/bin/sh\necho \"$*\" >> '{log}'\nexec '{real}' \"$@\"\n")
    os.chmod(os.path.join(bin_dir, "git"), 0o755)
    if os.path.exists(log):
        os.remove(log)
    env = dict(os.environ, PATH=f"{bin_dir}:{os.environ.get('PATH', '')}")
    subprocess.run(argv, env=env, capture_output=True)
    calls = []
    with open(log) if os.path.exists(log) else open(os.devnull) as f:
        for line in f:
            words = iter(line.split())
            for w in words:
                if w in ("-C", "-c"):
                    next(words, None)
                elif not w.startswith("-"):
                    calls.append(w)
                    break
    return calls


DIFF_SIZE = 1_000_000  # bytes of the old policy of the two main pairs


def bench_diff(tmp, runs, sizes):
    started = time.perf_counter()
    pairs, many = generate_diff(os.path.join(tmp, "diff"), sizes, DIFF_SIZE)
    git = shutil.which("git") or sys.exit("bench: git not found")
    git_version = subprocess.run([git, "--version"], capture_output=True, text=True).stdout.split()[-1]
    plain = dict(os.environ, NO_COLOR="1")
    git_env = dict(os.environ, GIT_CONFIG_NOSYSTEM="1", GIT_CONFIG_GLOBAL="/dev/null", NO_COLOR="1")
    named = [("many changes", many), ("fully rewritten", pairs[DIFF_SIZE])]
    commands = [("disclose diff", lambda o, n: [BIN, "diff", o, n], plain),
                ("disclose diff -f json", lambda o, n: [BIN, "diff", o, n, "-f", "json"], plain),
                ("git diff --no-index --word-diff",
                 lambda o, n: [git, "diff", "--no-index", "--word-diff", o, n], git_env)]
    cases = [([BIN, "--version"], plain)]
    rows = []  # (pair, command, index into cases)
    for pair, (o, n) in named:
        for label, argv, env in commands:
            rows.append((pair, label, len(cases)))
            cases.append((argv(o, n), env))
    at = {(pair, label): i for pair, label, i in rows}
    scale = []  # (size, disclose case, git case): the fully rewritten pair at each size
    for size in sizes:
        if size == DIFF_SIZE:  # timed above
            scale.append((size, at["fully rewritten", "disclose diff"], at["fully rewritten", rows[2][1]]))
        else:
            scale.append((size, len(cases), len(cases) + 1))
            cases.append((commands[0][1](*pairs[size]), plain))
            cases.append((commands[2][1](*pairs[size]), git_env))
    timed = interleaved(cases, runs)
    peaks = {i: peak_rss_kib(argv, env) for i, (argv, env) in enumerate(cases)}
    ref = timed[0][0]
    size = os.path.getsize(many[0])
    print(f"disclose diff benchmark: {size / 1e6:.2f} MB Markdown policy, {runs} interleaved rounds, "
          f"{os.cpu_count()} cores, git {git_version}")
    print(f"{'pair':16} {'command':32} {'median':>9} {'p90':>9} {'x ref':>6} {'peak RSS':>8} {'vs git':>7}")
    print(f"{'reference':16} {'disclose --version':32} {ref*1000:7.1f}ms {timed[0][1]*1000:7.1f}ms "
          f"{1:6.1f} {mem(peaks[0]):>8}")
    for pair, label, i in rows:
        med, p90 = timed[i]
        git_med = timed[at[pair, commands[2][0]]][0]
        vs = "" if label == commands[2][0] else f"{med / git_med:5.2f}x {'ok' if med <= 2 * git_med else 'OVER'}"
        print(f"{pair:16} {label:32} {med*1000:7.1f}ms {p90*1000:7.1f}ms {med/ref:6.1f} {mem(peaks[i]):>8} {vs}")
    for pair, (o, n) in named:
        out = subprocess.run([BIN, "diff", o, n, "-f", "json"], capture_output=True, text=True, env=plain)
        st = collections.defaultdict(lambda: "?", json.loads(out.stdout).get("stats", {}))
        print(f"  {pair}, as disclose sees it: sentences {st['reworded']} reworded, {st['removed']} removed, "
              f"{st['added']} added, {st['moved']} moved, {st['unchanged']} unchanged; sections "
              f"{st['sections_renamed']} renamed, {st['sections_moved']} moved, {st['sections_added']} added, "
              f"{st['sections_removed']} removed")
    print("scaling, fully rewritten: median (x previous size; disclose also net of --version)")
    print(f"  {'size':7} {'disclose diff':>26} {'git diff --word-diff':>22} {'vs git':>7}")
    prev = None
    for size, i, g in scale:
        med, net, git_med = timed[i][0], timed[i][0] - ref, timed[g][0]
        grow = (f"(x{med / prev[0]:.2f}, net x{net / prev[1]:.2f})" if prev else "")
        ggrow = f"(x{git_med / prev[2]:.2f})" if prev else ""
        print(f"  {size / 1e6:4.2f} MB {med*1000:7.1f}ms {grow:>18} {git_med*1000:7.1f}ms {ggrow:>8} "
              f"{med / git_med:6.2f}x")
        prev = (med, net, git_med)
    print(f"(diff part: {time.perf_counter() - started:.0f}s; about 2x per doubling is linear, 4x quadratic; "
          f"target: disclose within 2x of git)")


SCALE_TARGET = (0.25, 80 * 1024)  # at 1x: seconds (median), KiB of peak RSS
SCALE_BIG_RUNS = 3  # rounds at 8x and above


def check_jobs():
    """Whether `disclose check` has --jobs (being added; older binaries do not)."""
    help_text = subprocess.run([BIN, "check", "--help"], capture_output=True, text=True).stdout
    return re.search(r"(^|\s)--jobs\b", help_text) is not None


def check_json(root, out, *extra):
    return [BIN, "check", "--old", f"{root}/old", "--new", f"{root}/new", "-f", "json", "-o", out, *extra]


def determinism(root, jobs):
    """Runs the check twice with the default jobs (and once with --jobs 1), JSON to files;
    returns (all byte-identical, a line saying so)."""
    runs = [("default jobs", []), ("default jobs again", [])] + ([("--jobs 1", ["--jobs", "1"])] if jobs else [])
    outs = []
    for i, (_, extra) in enumerate(runs):
        path = os.path.join(root, f"determinism-{i}.json")
        code = subprocess.run(check_json(root, path, *extra), stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL).returncode
        if code not in (0, 1):
            sys.exit(f"bench: {' '.join(check_json(root, path, *extra))} exited {code}")
        with open(path, "rb") as f:
            outs.append(f.read())
        os.remove(path)
    labels = "; ".join(label for label, _ in runs)
    if all(o == outs[0] for o in outs):
        return True, f"determinism: {len(runs)} runs ({labels}) byte-identical ({len(outs[0]) / 1e3:,.0f} KB of JSON)"
    differ = [label for (label, _), o in zip(runs, outs) if o != outs[0]]
    return False, f"DETERMINISM FAILURE: {', '.join(differ)} differ from the first default run ({labels})"


def seconds(t):
    return f"{t * 1000:.0f} ms" if t < 1 else f"{t:.2f} s"


def megabytes(kib, digits=0):
    return f"{kib / 1024:.{digits}f} MB" if kib else "n/a"


def bench_scale(tmp, scales, runs, big_runs, keep):
    """`disclose check -f json` on the scale-k monorepo pair, k in scales, each timed with its own
    `--version` reference in the loop; at the base scale (1x, or the smallest) also --jobs 1 and
    the determinism check. Returns False when the outputs were not byte-identical."""
    started = time.perf_counter()
    jobs = check_jobs()
    base = 1 if 1 in scales else min(scales)
    rows, notes, identical = [], [], True
    for k in scales:
        root = os.path.join(tmp, f"scale-{k:g}")
        t = time.perf_counter()
        n_man, n_pol, ch_man, ch_pol = generate_scale(root, k)
        files, disk, content = tree_size(root)
        gen = time.perf_counter() - t
        n = runs if k < 8 else big_runs
        print(f"  {k:g}x: {n_man} manifests, {n_pol} policies ({ch_man} and {ch_pol} changed), {files} files, "
              f"{disk / 1e6:.0f} MB on disk, generated in {gen:.1f}s; timing {n} round{'s' * (n != 1)}", flush=True)
        if k == base:
            notes.append(f"{k:g}x inputs: {files} files, {disk / 1e6:.1f} MB on disk, {content / 1e6:.1f} MB of content "
                         f"(old/ and new/; RSS ÷ input divides by the content)")
            identical, line = determinism(root, jobs)
            print(f"  {line}", flush=True)
            notes.append(line)
        out = os.path.join(root, "out.json")
        cases = [([BIN, "--version"], None), (check_json(root, out), None)]
        labels = [None, f"{k:g}×"]
        if k == base and jobs:
            cases.append((check_json(root, out, "--jobs", "1"), None))
            labels.append(f"{k:g}×, `--jobs 1`")
        if k == base:
            human = [BIN, "check", "--old", f"{root}/old", "--new", f"{root}/new", "-o", os.path.join(root, "out.txt")]
            cases.append((human, None))
            labels.append(f"{k:g}×, human output (the default)")
        timed = interleaved(cases, n)
        peaks = [peak_rss_kib(argv) for argv, _ in cases]
        size = os.path.getsize(out)
        rows.append((k, n_man, n_pol, disk, content, timed, peaks, size, labels))
        if not keep:
            shutil.rmtree(root)  # free the disk before the next scale
    at_base = next(r for r in rows if r[0] == base)
    unit = at_base[5][1][0]
    print(f"disclose check -f json -o FILE at scale: {runs} interleaved rounds per scale ({big_runs} at 8x and "
          f"above, after a warm-up), each with `disclose --version` in the loop; {os.cpu_count()} cores")
    print(f"{base:g}x = {round(base * SCALE_MANIFESTS)} manifests (Android, Info.plist, privacy manifest, "
          f"entitlements, Expo app.json, extension manifest.json) over many app folders and "
          f"{max(1, round(base * SCALE_POLICIES))} Markdown policies of {SCALE_POLICY_SIZE // 1000} KB; "
          f"{SCALE_CHANGED:.0%} of each changed")
    print()
    print(f"| scale | manifests | policies | input on disk | median | p90 | × {base:g}× | per 1,000 manifests "
          f"| × `--version` | peak RSS | RSS ÷ input | JSON output | target |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    (ref, ref_p90), ref_peak = at_base[5][0], at_base[6][0]
    print(f"| `disclose --version` (reference, {base:g}× loop) | | | | {ref * 1000:.1f} ms | {ref_p90 * 1000:.1f} ms "
          f"| | | 1.0 | {megabytes(ref_peak, 1)} | | | |")
    for k, n_man, n_pol, disk, content, timed, peaks, size, labels in rows:
        lines = [(label, timed[i], peaks[i]) for i, label in enumerate(labels) if label]
        for label, (med, p90), peak in lines:
            if k == 1 and label == "1×":
                ok = med <= SCALE_TARGET[0] and (peak or 0) <= SCALE_TARGET[1]
                target = f"≤ {SCALE_TARGET[0]:g} s, ≤ {SCALE_TARGET[1] // 1024} MB: {'ok' if ok else 'OVER'}"
            elif label.endswith("`--jobs 1`"):
                target = "same output as the default; slower"
            elif "human" in label:
                target = "the default output"
            elif k == base:
                target = ""
            else:
                target = f"≈ {k / base:g}× the {base:g}× median (linear); RSS ≤ 2× the input"
            json_size = "" if "human" in label else (f"{size / 1e6:.0f} MB" if size >= 1e6 else f"{size / 1e3:.0f} KB")
            ratio = f"{peak * 1024 / content:.1f}" if peak else ""
            print(f"| {label} | {n_man:,} | {n_pol} | {disk / 1e6:.0f} MB | {seconds(med)} | {seconds(p90)} "
                  f"| {med / unit:.2f} | {seconds(med / (n_man / 1000))} | {med / timed[0][0]:.0f} "
                  f"| {megabytes(peak)} | {ratio} | {json_size} | {target} |")
    print()
    if not jobs:
        notes.append("--jobs: `disclose check --help` does not list it; the `--jobs 1` row and run are skipped")
    for line in notes:
        print(line)
    print(f"(scale part: {time.perf_counter() - started:.0f}s; × {base:g}× ≈ the scale factor is linear)")
    return identical


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("part", nargs="?", choices=["all", "check", "diff", "scale"], default="all",
                    help="which benchmarks to run (default: all)")
    ap.add_argument("--runs", type=int, default=30, help="runs per `check` case")
    ap.add_argument("--diff-runs", type=int, default=20, help="interleaved rounds of the `diff` cases")
    ap.add_argument("--diff-sizes", default="0.25,0.5,1", metavar="MB,MB,...",
                    help="sizes of the fully rewritten pair timed for scaling (default: 0.25,0.5,1)")
    ap.add_argument("--scales", default="1,2,4,8", metavar="K,K,...",
                    help="scales of the `scale` monorepo: K x 1,000 manifests and K x 50 policies (default: "
                         "1,2,4,8; fractions such as 0.1 work)")
    ap.add_argument("--scale-runs", type=int, default=5,
                    help=f"interleaved rounds per scale (default: 5; at most {SCALE_BIG_RUNS} at 8x and above)")
    ap.add_argument("--keep", help="generate the inputs here and keep them")
    args = ap.parse_args()
    scales = sorted({float(k) for k in args.scales.split(",")})
    if not scales or min(scales) <= 0:
        ap.error("--scales: positive numbers, such as 1,2,4,8")
    subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
    tmp = args.keep or tempfile.mkdtemp(prefix="disclose-bench-")
    identical = True
    try:
        if args.part in ("all", "check"):
            bench_check(tmp, args.runs)
        if args.part == "all":
            print()
        if args.part in ("all", "diff"):
            sizes = sorted({round(float(mb) * 1_000_000) for mb in args.diff_sizes.split(",")})
            bench_diff(tmp, args.diff_runs, sizes)
        if args.part == "all":
            print()
        if args.part in ("all", "scale"):
            identical = bench_scale(tmp, scales, args.scale_runs, min(args.scale_runs, SCALE_BIG_RUNS), args.keep)
    finally:
        if not args.keep:
            shutil.rmtree(tmp)
    if not identical:
        sys.exit("bench: disclose check wrote different JSON for the same input (see DETERMINISM FAILURE above)")


if __name__ == "__main__":
    main()
