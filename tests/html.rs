//! The HTML report as a reader uses it, without a browser (`tests/browser.rs` lays it out):
//! links land on an id in the page, the rule documentation is in the page instead of a
//! command, code spans are `<code>`, redline line numbers say which version they are in, and
//! a removed control is shown at the section that lost it rather than at the date line.

mod common;

use common::{disclose, stdout};

fn html(args: &[&str]) -> String {
    let mut all = args.to_vec();
    all.extend(["--format", "html"]);
    stdout(&disclose(&all))
}

/// Every `href="#x"` has an `id="x"`, and no id is used twice.
fn links_land(page: &str) {
    let values = |attr: &str| -> Vec<String> {
        page.split(attr).skip(1).filter_map(|rest| rest.split_once('"')).map(|(v, _)| v.to_string()).collect()
    };
    let ids = values(" id=\"");
    let mut seen = std::collections::BTreeSet::new();
    for id in &ids {
        assert!(seen.insert(id), "id {id} is used twice");
    }
    for href in values("href=\"#") {
        assert!(seen.contains(&href), "a link to #{href}, which is no id in the page");
    }
    for label in values("aria-labelledby=\"") {
        assert!(seen.contains(&label), "aria-labelledby={label}, which is no id in the page");
    }
}

#[test]
fn check_links_its_rules_and_shows_code() {
    let page = html(&["check", "--old", "examples/streaming-app/v1", "--new", "examples/streaming-app/v2"]);
    links_land(&page);
    assert!(!page.contains("disclose explain"), "a command line in the page");
    assert!(page.contains("<code>ACCESS_FINE_LOCATION</code> newly gives the app access"), "{page}");
    assert!(page.contains("or remove <code>READ_CONTACTS</code>"), "{page}");
    assert!(!page.contains("`ACCESS_FINE_LOCATION`") && !page.contains("`READ_CONTACTS`"), "literal backticks");
    for rule in ["undisclosed-collection", "contradicts-policy"] {
        assert!(page.contains(&format!("<a href=\"#rule-{rule}\">")), "a finding links to {rule}'s documentation");
        assert!(page.contains(&format!("<section class=\"rule\" id=\"rule-{rule}\"")), "{rule} is documented");
    }
    let docs = &page[page.find("id=\"rule-undisclosed-collection\"").expect("documented")..];
    for part in ["<h4>What it finds</h4>", "<h4>Why it matters</h4>", "<h4>How to fix</h4>", "href=\"#finding-1\""] {
        assert!(docs.contains(part), "the rule's section lacks {part}");
    }
    assert!(!page.contains("id=\"rule-user-control-removed\""), "only the rules with a finding are documented");
    assert!(page.contains("<strong>Added</strong> <span>new line 20</span>"), "{page}");
    assert!(page.contains("<strong>Reworded</strong> <span>old line 4</span> <span>new line 4</span>"), "{page}");
}

#[test]
fn a_removed_control_is_shown_at_the_section_that_lost_it() {
    let dir = "tests/fixtures/diff/control-removed";
    let page = html(&["diff", &format!("{dir}/old.md"), &format!("{dir}/new.md")]);
    links_land(&page);
    let finding = &page[page.find("data-rule=\"user-control-removed\"").expect("the finding")..];
    let finding = &finding[..finding.find("</li>").expect("its end")];
    // The rule points at the new date line (the sentence has no place in the new file); the
    // page shows the redline entry instead.
    assert!(!finding.contains("Last updated"), "the finding shows the date line: {finding}");
    let section = "tests-fixtures-diff-control-removed-new-md-section-";
    let entry = "tests-fixtures-diff-control-removed-new-md-old-28-1";
    assert!(finding.contains(&format!("<a href=\"#{section}")), "{finding}");
    assert!(finding.contains("“Your choices and rights”</a>"), "{finding}");
    assert!(finding.contains(&format!("<a href=\"#{entry}\">old line 28</a>")), "{finding}");
    let heading = page.find("<h3>Your choices and rights</h3>").expect("the section in the redline");
    let at = page.find(&format!("<li class=\"removed\" id=\"{entry}\">")).expect("the removed sentence's entry");
    assert!(at > heading, "the entry is in that section");
    // The change list names the old line and links to the same entry.
    assert!(
        page.contains(&format!(
            "<a class=\"where\" href=\"#{entry}\">{dir}/old.md, old line 28, in “Your choices and rights”</a>"
        )),
        "{page}"
    );
}
