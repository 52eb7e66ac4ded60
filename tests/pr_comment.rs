//! The Action's pull-request comment (`scripts/pr_comment.py`), against a stand-in for GitHub's
//! comments API (`tests/tools/fake-github.py`): one comment per pull request, found again by its
//! marker across pages and edited in place, marked resolved when the check passes, never posted
//! for a passing check that had none, and a warning (not a failure) without write access.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Child, Command};

struct Server {
    child: Child,
    port: u16,
    state: PathBuf,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn python() -> Option<&'static str> {
    if Command::new("python3").arg("--version").output().is_ok_and(|o| o.status.success()) {
        Some("python3")
    } else if std::env::var_os("CI").is_some() {
        panic!("python3 is not installed; with CI set a missing tool is a failure");
    } else {
        eprintln!("skipping: python3 not installed");
        None
    }
}

fn serve(dir: &Path, deny: bool, seed: &str) -> Server {
    let state = dir.join("state.json");
    std::fs::write(&state, seed).unwrap();
    let port_file = dir.join("port");
    let _ = std::fs::remove_file(&port_file);
    let mut cmd = Command::new("python3");
    cmd.arg(common::root().join("tests/tools/fake-github.py")).arg(&state).arg(&port_file);
    if deny {
        cmd.arg("--deny");
    }
    // Dropping the server kills and waits for the process, whatever happens next.
    let mut server = Server { child: cmd.spawn().expect("the fake API starts"), port: 0, state };
    for _ in 0..200 {
        if let Some(port) = std::fs::read_to_string(&port_file).ok().and_then(|p| p.trim().parse().ok()) {
            server.port = port;
            return server;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    panic!("the fake API did not start");
}

fn comment(dir: &Path, server: &Server, event: &str, markdown: &str, code: &str) -> String {
    let md = dir.join("disclose.md");
    std::fs::write(&md, markdown).unwrap();
    let event_path = dir.join("event.json");
    std::fs::write(&event_path, "{\"pull_request\": {\"number\": 7}}").unwrap();
    let o = Command::new("python3")
        .arg(common::root().join("scripts/pr_comment.py"))
        .arg(&md)
        .arg(code)
        .env("GITHUB_API_URL", format!("http://127.0.0.1:{}", server.port))
        .env("GITHUB_REPOSITORY", "acme/receipts")
        .env("GITHUB_EVENT_NAME", event)
        .env("GITHUB_EVENT_PATH", &event_path)
        .env("GITHUB_TOKEN", "test-token")
        .output()
        .expect("the script runs");
    assert!(o.status.success(), "the comment never fails the job: {}", String::from_utf8_lossy(&o.stderr));
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn ours(server: &Server) -> Vec<serde_json::Value> {
    let state: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&server.state).unwrap()).unwrap();
    state["comments"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["body"].as_str().unwrap().contains("<!-- disclose:pr-comment -->"))
        .cloned()
        .collect()
}

#[test]
fn one_comment_per_pull_request_updated_in_place_and_resolved() {
    if python().is_none() {
        return;
    }
    let dir = common::scratch("pr-comment");
    // Three comments by people come first, so ours is found on the second page.
    let seed = r#"{"next_id": 10, "comments": [
        {"id": 1, "issue": 7, "body": "LGTM"}, {"id": 2, "issue": 7, "body": "nit"},
        {"id": 3, "issue": 7, "body": "see disclose"}, {"id": 4, "issue": 8, "body": "other PR"}]}"#;
    let server = serve(&dir, false, seed);

    let out = comment(&dir, &server, "push", "## disclose\n\n1 error\n", "1");
    assert!(out.contains("not a pull request"), "{out}");
    assert!(ours(&server).is_empty());

    let out = comment(&dir, &server, "pull_request", "## disclose\n\n1 error: microphone\n", "1");
    assert!(out.contains("posted comment 10"), "{out}");
    let out = comment(&dir, &server, "pull_request", "## disclose\n\n2 errors: microphone, location\n", "1");
    assert!(out.contains("updated comment 10"), "{out}");
    let mine = ours(&server);
    assert_eq!(mine.len(), 1, "{mine:#?}");
    assert!(mine[0]["body"].as_str().unwrap().contains("2 errors: microphone, location"));

    let out = comment(&dir, &server, "pull_request", "## disclose\n\nno findings\n", "0");
    assert!(out.contains("updated comment 10"), "{out}");
    let body = ours(&server)[0]["body"].as_str().unwrap().to_string();
    assert!(body.contains("**Resolved:**") && body.contains("no findings"), "{body}");
    // A run that could not finish says so in the comment.
    comment(&dir, &server, "pull_request", "", "2");
    assert!(ours(&server)[0]["body"].as_str().unwrap().contains("disclose could not run (exit code 2)"));
}

#[test]
fn a_passing_check_posts_nothing_and_a_read_only_token_only_warns() {
    if python().is_none() {
        return;
    }
    let dir = common::scratch("pr-comment-quiet");
    let server = serve(&dir, false, r#"{"next_id": 1, "comments": []}"#);
    let out = comment(&dir, &server, "pull_request", "## disclose\n\nno findings\n", "0");
    assert!(out.contains("nothing to post"), "{out}");
    assert!(ours(&server).is_empty());
    drop(server);
    let denied = serve(&dir, true, r#"{"next_id": 1, "comments": []}"#);
    let out = comment(&dir, &denied, "pull_request_target", "## disclose\n\n1 error\n", "1");
    assert!(out.starts_with("::warning title=disclose::could not write the pull-request comment: HTTP 403"), "{out}");
    assert!(out.contains("pull-requests: write"), "{out}");
}
