//! Output hygiene: every string that comes from an input (a policy sentence, a purpose
//! string, a permission name, a file path, a config value, an error that quotes one of them)
//! passes through one function here before it is printed or written, chosen by the output it
//! goes to. Nothing an input says can then drive the terminal, read differently from what it
//! says, or run a GitHub Actions workflow command. The tool's own text (labels, colours,
//! layout) is never escaped: the renderers escape the pieces, then style and join them.
//!
//! | output | function | controls | bidi, invisible |
//! |---|---|---|---|
//! | terminal: `check`, `diff` and `scan` for people, `config`, `categories`, errors and notes on stderr; GitHub annotation text and file; the lines of Markdown's redline block | [`terminal`] | `\t` `\n` `\r`, others `\xHH` | `<U+202E>` |
//! | display text in a format that escapes tab and line breaks itself: JSON, SARIF and GitLab messages, quotes and reasons; Markdown; HTML and JUnit (before their entities) | [`visible`] | tab, LF, CR left to the format; others `\xHH` | `<U+202E>` |
//! | the bytes of every JSON output (`check`, `diff`, `scan`, `config`, `categories`; SARIF, GitLab) | [`to_json`], [`write_json`] | `\u001b`, `\u007f`, `\u009b` | `\u202e`; the value is unchanged |
//! | YAML that `disclose init` writes | [`yaml`] | `\n`, `\x1b` (YAML escapes) | `\u202E`; the value is unchanged |
//! | finished text the GitHub runner may read as a log: human output of every command, stderr, Markdown, HTML, JUnit | [`workflow_safe`] | | |
//!
//! **Which characters.** Controls are C0 (U+0000–U+001F, all of them: ESC, BEL, CR, LF and
//! tab included), DEL (U+007F) and C1 (U+0080–U+009F; U+009B is CSI, U+009D OSC, U+0085 NEL
//! to terminals that honour 8-bit controls). Bidirectional controls are the embeddings and
//! overrides U+202A–U+202E, the isolates U+2066–U+2069 and the marks U+200E, U+200F and
//! U+061C. Invisible characters are those that draw nothing yet split, join or hide text: the
//! zero-width space, non-joiner and joiner (U+200B–U+200D), the word joiner and invisible
//! operators (U+2060–U+2064), the deprecated format characters (U+206A–U+206F), U+FEFF, the
//! soft hyphen U+00AD, the combining grapheme joiner U+034F, the Hangul fillers (U+115F,
//! U+1160, U+3164, U+FFA0), the Khmer inherent vowels U+17B4 and U+17B5, the Mongolian
//! variation selectors and vowel separator (U+180B–U+180F), the line and paragraph separators
//! U+2028 and U+2029, the interlinear annotation characters (U+FFF9–U+FFFB), the musical
//! format characters (U+1D173–U+1D17A) and the tag characters (U+E0000–U+E007F, which can
//! carry a whole hidden ASCII message). Emoji variation selectors (U+FE0E, U+FE0F) stay: they
//! only choose how an emoji is drawn.
//!
//! **The visible forms.** A control is written as a C escape, as git quotes a path: `\t`,
//! `\n`, `\r`, and `\xHH` for the rest (two lower-case hex digits giving the code point: ESC
//! is `\x1b`, BEL `\x07`, DEL `\x7f`, CSI `\x9b`; git writes octal, `\033`, hex reads more
//! easily and matches the JSON and YAML escapes). A bidi or invisible character is written
//! `<U+202E>` (upper-case hex, at least four digits), as Unicode names it. A backslash or `<`
//! already in the text is not escaped: the forms are for reading, not for decoding, and
//! escaping every backslash would change ordinary text. Human snippets expand a tab to four
//! spaces first (the caret underline stays aligned), and count each escape's width.
//!
//! **Display text and identities.** Machine-readable identities are never rewritten: rule
//! ids and fingerprints are the tool's own ASCII; fingerprints are hashed from the raw inputs
//! before any rendering. Fields that name something a program looks up (JSON `path`,
//! `subject`, `category`, `via`, config keys and values, the taxonomy export) keep their exact
//! value; the JSON writer spells the dangerous characters as `\u` escapes, so the bytes hold
//! none and a parser gets the original string back. SARIF artifact URIs are percent-encoded
//! already. Display text (messages, help, policy quotes, snippets, reasons, labels, headings,
//! redline pieces) is made visible, so a program that shows a JSON `message` as it is shows
//! `<U+202E>`, not an override. Formats for reading only (Markdown, HTML, JUnit, GitHub
//! annotations) make everything visible, paths included: there the annotation or the link
//! matters less than what the reader sees.
//!
//! **Workflow commands.** The GitHub runner reads a step's standard output and standard error
//! line by line (.NET `ReadLine`: a line ends at LF, CR or CR LF) and parses a line as a
//! command when, after `TrimStart()` (Unicode white space), it starts with `::` (`::warning
//! ...::`, `::add-mask::`, `::stop-commands::`, `::add-matcher::`), or when it contains
//! `##[` anywhere (the older `##[command]` form), command names compared ignoring case. Colour
//! codes are not removed first. See actions/runner, `src/Runner.Common/ActionCommand.cs`
//! (`TryParseV2`, `TryParse`) and `src/Runner.Worker/Handlers/OutputManager.cs`. [`terminal`]
//! leaves no line break in an input, so an input can only start a line where a renderer puts
//! it first; [`workflow_safe`] then writes a `:` that would start a line as `\x3a` and the `[`
//! of every `##[` as `\x5b`, in the finished text, so it holds for every line whatever put it
//! there; colour codes at the start of a line are skipped like white space, so the rule also
//! holds for a reader that strips them. The JSON writer spells that `[` as `\u005b` instead
//! (same value), and a pretty-printed JSON line never starts with `::`. `--format github` is
//! workflow commands by design: its values use the runner's own `%0A`/`%3A` escapes, so each
//! line is one command, and a line that parses as its intended `::error` command is never
//! tried as the older form.

use std::borrow::Cow;
use std::fmt::Write as _;

/// Text for a terminal, or for any plain-text line a person reads: every control character
/// (C0 including tab, CR and LF; DEL; C1) as `\t`, `\n`, `\r` or `\xHH`, and every bidi or
/// invisible character as its code point in angle brackets (`<U+202E>`). The result has no line break, so an input stays on its
/// line. Borrowed when there is nothing to escape (nearly always).
pub fn terminal(text: &str) -> Cow<'_, str> {
    escape(text, true)
}

/// Display text inside a format that escapes tab, CR and LF itself (JSON, Markdown, HTML,
/// XML): like [`terminal`], but those three are left as they are for the format.
pub fn visible(text: &str) -> Cow<'_, str> {
    escape(text, false)
}

/// How many characters `text` takes once escaped by [`terminal`].
pub fn terminal_width(text: &str) -> usize {
    text.chars().map(|c| shown(c, true).map_or(1, |s| s.chars().count())).sum()
}

fn escape(text: &str, lines: bool) -> Cow<'_, str> {
    // Printable ASCII (and, for display text, tab and line breaks), nearly always: as it is.
    let plain = |b: u8| (0x20..0x7f).contains(&b) || (!lines && matches!(b, b'\t' | b'\n' | b'\r'));
    if text.bytes().all(plain) {
        return Cow::Borrowed(text);
    }
    let Some(first) = text.char_indices().find(|&(_, c)| shown(c, lines).is_some()).map(|(i, _)| i) else {
        return Cow::Borrowed(text);
    };
    let mut out = String::with_capacity(text.len() + 16);
    out.push_str(&text[..first]);
    for c in text[first..].chars() {
        match shown(c, lines) {
            Some(s) => out.push_str(&s),
            None => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// The visible form of `c`, or `None` when it is printed as it is. `lines`: tab, CR and LF
/// are escaped too.
fn shown(c: char, lines: bool) -> Option<Cow<'static, str>> {
    match c {
        '\t' | '\n' | '\r' if !lines => None,
        '\t' => Some(Cow::Borrowed("\\t")),
        '\n' => Some(Cow::Borrowed("\\n")),
        '\r' => Some(Cow::Borrowed("\\r")),
        c if c.is_control() => Some(Cow::Owned(format!("\\x{:02x}", u32::from(c)))),
        c if hidden(c) => Some(Cow::Owned(format!("<U+{:04X}>", u32::from(c)))),
        _ => None,
    }
}

/// Whether `c` is a bidirectional control or an invisible character (see the module docs).
pub fn hidden(c: char) -> bool {
    bidi(c) || invisible(c)
}

/// The bidirectional formatting characters: embeddings, overrides, isolates and marks.
fn bidi(c: char) -> bool {
    matches!(c, '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Characters that draw nothing, yet split, join or hide text. The policy reader leaves
/// them out before judging a sentence, so that the tool reads what a person sees.
pub fn invisible(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}'
            | '\u{034F}'
            | '\u{115F}'
            | '\u{1160}'
            | '\u{17B4}'
            | '\u{17B5}'
            | '\u{180B}'..='\u{180F}'
            | '\u{200B}'..='\u{200D}'
            | '\u{2028}'
            | '\u{2029}'
            | '\u{2060}'..='\u{2064}'
            | '\u{206A}'..='\u{206F}'
            | '\u{3164}'
            | '\u{FEFF}'
            | '\u{FFA0}'
            | '\u{FFF9}'..='\u{FFFB}'
            | '\u{1D173}'..='\u{1D17A}'
            | '\u{E0000}'..='\u{E007F}'
    )
}

/// Makes finished text safe for the GitHub runner to read as a log (see the module docs): on
/// each line, a `:` that starts it after white space becomes `\x3a`, and the `[` of every
/// `##[` becomes `\x5b`. The tool's own text never does either, so this only ever changes
/// what an input put there. Run it on the whole output, after [`terminal`] or [`visible`]
/// escaped the pieces.
///
/// The runner does not strip colour codes before it looks for a command, so a coloured line
/// that starts with one is no command; colour codes at the start of a line are skipped here
/// all the same, so the rule also holds for a reader that strips them first.
pub fn workflow_safe(text: &str) -> Cow<'_, str> {
    // The runner's lines end at LF, CR or CR LF.
    let lines = || text.split_inclusive(['\n', '\r']);
    if !lines().any(|line| line[lead(line)..].starts_with("::") || line.contains("##[")) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for line in lines() {
        let (head, body) = line.split_at(lead(line));
        out.push_str(head);
        let body = match body.strip_prefix("::") {
            Some(rest) => {
                out.push_str("\\x3a:");
                rest
            }
            None => body,
        };
        out.push_str(&body.replace("##[", "##\\x5b"));
    }
    Cow::Owned(out)
}

/// The length of a line's lead: white space (Unicode, as .NET's `TrimStart` has it) and SGR
/// colour codes (`ESC [ digits and ; m`).
fn lead(line: &str) -> usize {
    let mut rest = line;
    loop {
        let trimmed = rest.trim_start();
        let Some(code) = trimmed.strip_prefix("\u{1b}[") else {
            return line.len() - trimmed.len();
        };
        let params = code.bytes().take_while(|b| b.is_ascii_digit() || *b == b';').count();
        match code[params..].strip_prefix('m') {
            Some(after) => rest = after,
            None => return line.len() - trimmed.len(),
        }
    }
}

/// A value as a YAML double-quoted scalar when it needs quoting (anything but letters, digits
/// and `/._-`), with YAML's own escapes for `\`, `"`, controls (`\n`, `\t`, `\x1b`) and bidi
/// or invisible characters (`\u202E`): the value reads back unchanged, and no line break or
/// override reaches the file.
pub fn yaml(text: &str) -> String {
    // A plain scalar YAML would read as something else (`null`, `true`, `1.0`) is quoted too.
    let special = text.parse::<f64>().is_ok()
        || ["null", "true", "false", "yes", "no", "on", "off", "y", "n"].iter().any(|w| text.eq_ignore_ascii_case(w));
    if !text.is_empty() && !special && text.chars().all(|c| c.is_ascii_alphanumeric() || "/._-".contains(c)) {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() => {
                let _ = write!(out, "\\x{:02x}", u32::from(c));
            }
            c if hidden(c) && u32::from(c) > 0xFFFF => {
                let _ = write!(out, "\\U{:08X}", u32::from(c));
            }
            c if hidden(c) => {
                let _ = write!(out, "\\u{:04X}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A `serialize_with` for display text: the [`visible`] form.
pub fn serialize_visible<S: serde::Serializer>(text: &str, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&visible(text))
}

/// A `serialize_with` for optional display text: the [`visible`] form.
pub fn serialize_visible_opt<S: serde::Serializer>(text: &Option<String>, s: S) -> Result<S::Ok, S::Error> {
    match text {
        Some(t) => s.serialize_some(&*visible(t)),
        None => s.serialize_none(),
    }
}

/// `value` as pretty-printed JSON (two-space indent, as `serde_json::to_string_pretty`), with
/// bidi, invisible, DEL and C1 characters and the `[` of `##[` written as `\u` escapes. The
/// parsed value is the same; the bytes hold none of them.
pub fn to_json<T: serde::Serialize + ?Sized>(value: &T) -> serde_json::Result<String> {
    let mut out = Vec::with_capacity(4096);
    write_json(value, &mut out).map_err(serde_json::Error::io)?;
    Ok(String::from_utf8(out).expect("serde_json writes UTF-8"))
}

/// Writes `value` as [`to_json`] does, streaming.
pub fn write_json<T: serde::Serialize + ?Sized>(value: &T, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    let mut ser = serde_json::Serializer::with_formatter(out, Json(serde_json::ser::PrettyFormatter::new()));
    value.serialize(&mut ser).map_err(std::io::Error::from)
}

/// serde_json's pretty formatter, with the extra escapes of [`to_json`]. serde_json escapes
/// C0 controls, `"` and `\` itself and hands everything else to `write_string_fragment`.
struct Json<F>(F);

impl<F: serde_json::ser::Formatter> serde_json::ser::Formatter for Json<F> {
    fn write_string_fragment<W: ?Sized + std::io::Write>(&mut self, w: &mut W, fragment: &str) -> std::io::Result<()> {
        // Printable ASCII without `##[`, nearly always: as it is.
        if fragment.bytes().all(|b| b < 0x7f) && !fragment.contains("##[") {
            return w.write_all(fragment.as_bytes());
        }
        let mut start = 0;
        for (i, c) in fragment.char_indices() {
            let bracket = c == '[' && fragment[..i].ends_with("##");
            if !(bracket || c.is_control() || hidden(c)) {
                continue;
            }
            w.write_all(&fragment.as_bytes()[start..i])?;
            let mut units = [0u16; 2];
            for unit in c.encode_utf16(&mut units) {
                write!(w, "\\u{unit:04x}")?;
            }
            start = i + c.len_utf8();
        }
        w.write_all(&fragment.as_bytes()[start..])
    }

    // The pretty formatter's layout, unchanged.
    fn begin_array<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.begin_array(w)
    }
    fn end_array<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.end_array(w)
    }
    fn begin_array_value<W: ?Sized + std::io::Write>(&mut self, w: &mut W, first: bool) -> std::io::Result<()> {
        self.0.begin_array_value(w, first)
    }
    fn end_array_value<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.end_array_value(w)
    }
    fn begin_object<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.begin_object(w)
    }
    fn end_object<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.end_object(w)
    }
    fn begin_object_key<W: ?Sized + std::io::Write>(&mut self, w: &mut W, first: bool) -> std::io::Result<()> {
        self.0.begin_object_key(w, first)
    }
    fn begin_object_value<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.begin_object_value(w)
    }
    fn end_object_value<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.end_object_value(w)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const OSC52: &str = "\u{1b}]52;c;SGVsbG8=\u{7}";

    #[test]
    fn terminal_escapes_every_control_and_shows_bidi_and_invisible_characters() {
        assert_eq!(terminal(OSC52), "\\x1b]52;c;SGVsbG8=\\x07");
        assert_eq!(terminal("a\tb\nc\rd\u{7f}e\u{9b}31m\u{85}"), "a\\tb\\nc\\rd\\x7fe\\x9b31m\\x85");
        assert_eq!(terminal("\u{0}\u{1f}"), "\\x00\\x1f");
        assert_eq!(terminal("abc\u{202E}fed\u{2066}x\u{2069}"), "abc<U+202E>fed<U+2066>x<U+2069>");
        assert_eq!(
            terminal("mi\u{200B}cro\u{200D}\u{FEFF}\u{2060}\u{061C}"),
            "mi<U+200B>cro<U+200D><U+FEFF><U+2060><U+061C>"
        );
        assert_eq!(terminal("tag\u{E0041}"), "tag<U+E0041>");
        // Ordinary text, non-ASCII included, is borrowed as it is.
        for plain in ["We collect your email.", "Política de privacidad – ünïcödé ⚠️ 👍🏽", "a\\x1b <U+202E>", ""]
        {
            assert!(matches!(terminal(plain), Cow::Borrowed(_)), "{plain}");
            assert!(matches!(visible(plain), Cow::Borrowed(_)), "{plain}");
        }
        assert_eq!(terminal_width("a\u{1b}b\u{202E}"), 1 + 4 + 1 + 8);
    }

    #[test]
    fn visible_leaves_tab_and_line_breaks_to_the_format() {
        assert_eq!(visible("a\tb\nc\r\nd"), "a\tb\nc\r\nd");
        assert_eq!(visible(&format!("x{OSC52}\u{202E}\u{9d}")), "x\\x1b]52;c;SGVsbG8=\\x07<U+202E>\\x9d");
    }

    #[test]
    fn no_line_starts_a_workflow_command() {
        let text = "ok\n::warning::x\n  \u{a0}::add-mask::secret\r::stop-commands::t\nsee ##[add-mask]s and ###[x\n";
        let safe = workflow_safe(text);
        assert_eq!(
            safe,
            "ok\n\\x3a:warning::x\n  \u{a0}\\x3a:add-mask::secret\r\\x3a:stop-commands::t\nsee ##\\x5badd-mask]s and ###\\x5bx\n"
        );
        for line in safe.split(['\n', '\r']) {
            assert!(!line.trim_start().starts_with("::") && !line.contains("##["), "{line}");
        }
        // `::` inside a line is not a command; the tool's own text is untouched.
        let own = "error[contradicts-policy]: `RECORD_AUDIO` a::b\n  = note: `disclose explain x`\n";
        assert!(matches!(workflow_safe(own), Cow::Borrowed(_)));
        // A coloured line is no command to the runner, which does not strip colour codes; it is
        // escaped all the same, after the codes, so a reader that strips them sees none either.
        assert_eq!(
            workflow_safe("\u{1b}[1m\u{1b}[33;1m ::warning::x\u{1b}[0m"),
            "\u{1b}[1m\u{1b}[33;1m \\x3a:warning::x\u{1b}[0m"
        );
        assert!(matches!(workflow_safe("\u{1b}[1mok::x\u{1b}[0m\n\u{1b}[2J::x"), Cow::Borrowed(_)));
    }

    #[test]
    fn yaml_scalars_read_back_unchanged() {
        assert_eq!(yaml("apps/mobile/AndroidManifest.xml"), "apps/mobile/AndroidManifest.xml");
        assert_eq!(yaml("legal/privacy policy.md"), "\"legal/privacy policy.md\"");
        assert_eq!(yaml("1.0"), "\"1.0\"");
        assert_eq!(yaml("NULL"), "\"NULL\"");
        for value in ["a\nfail_on: never\n#", "x\"y\\z", "\u{1b}]52;c;SGVsbG8=\u{7}", "r\u{202E}l\u{200B}\u{E0041}", ""]
        {
            let quoted = yaml(value);
            assert!(!quoted.chars().any(|c| c.is_control() || hidden(c)), "{quoted}");
            let back: String = serde_yaml::from_str(&quoted).expect("a YAML scalar");
            assert_eq!(back, value);
        }
    }

    #[test]
    fn json_bytes_hold_no_hidden_characters_and_the_value_is_unchanged() {
        let value = serde_json::json!({
            "path": format!("a\n::warning::x{OSC52}\u{202E}\u{9b}\u{7f}\u{E0041}"),
            "text": "see ##[add-mask]secret; [ok] #[ok]",
            "plain": "é ⚠️",
        });
        let text = to_json(&value).expect("serializes");
        assert!(!text.chars().any(|c| (c.is_control() && c != '\n') || hidden(c)), "{text}");
        assert!(!text.contains("##["), "{text}");
        assert!(text.contains("\\u202e") && text.contains("\\udb40\\udc41") && text.contains("##\\u005badd-mask"));
        assert!(text.contains("\"plain\": \"é ⚠️\""), "{text}");
        let back: serde_json::Value = serde_json::from_str(&text).expect("parses");
        assert_eq!(back, value);
        // The layout is serde_json's pretty one.
        let plain = serde_json::json!({"a": [1, {"b": "c"}], "d": {}});
        assert_eq!(to_json(&plain).unwrap(), serde_json::to_string_pretty(&plain).unwrap());
    }
}
