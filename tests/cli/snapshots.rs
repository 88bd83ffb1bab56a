//! Snapshots of what people read: every command's `--help`, text output
//! of `query`, and rendered articles. A change of wording shows up in
//! review as a diff of `tests/snapshots/`; accept it on purpose with
//! `INSTA_UPDATE=always cargo test snapshots` (or `cargo insta review`).

use crate::util::{stdout, Env};

fn snapshot(name: &str, text: &str) {
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path("snapshots");
    settings.set_prepend_module_to_snapshot(false);
    // The day of the last change is the day the test runs.
    settings.add_filter(
        r#""dateModified":"\d{4}-\d{2}-\d{2}""#,
        r#""dateModified":"[day of the last change]""#,
    );
    settings.bind(|| insta::assert_snapshot!(name, text));
}

#[test]
fn help_of_every_command() {
    let env = Env::new();
    let out = env.cmd().arg("--help").output().unwrap();
    snapshot("help", &stdout(&out));
    // The commands as `--help` lists them: two spaces, the name, its line.
    let help = stdout(&out);
    let commands = help.split("Commands:").nth(1).expect("a list of commands");
    let commands = commands.split("\n\n").next().unwrap();
    let mut names: Vec<String> = commands
        .lines()
        .filter(|l| l.starts_with("  ") && !l.starts_with("   "))
        .filter_map(|l| l.split_whitespace().next())
        .map(str::to_string)
        .filter(|n| n != "help")
        .collect();
    names.sort();
    assert!(names.len() >= 24, "{names:?}");
    for name in names {
        let out = env.cmd().args([name.as_str(), "--help"]).output().unwrap();
        assert!(out.status.success(), "{name}");
        snapshot(&format!("help-{name}"), &stdout(&out));
    }
}

#[test]
fn query_text_reads_like_a_dictionary() {
    let env = Env::new();
    env.import_seeds();
    for (name, args) in [
        ("query-term-producer", &["query", "--term", "producer"][..]),
        (
            "query-comparison",
            &["query", "--comparison", "producer-vs-executive-producer"],
        ),
        (
            "query-search-budget",
            &["query", "--search", "budget", "--limit", "5"],
        ),
        ("list-faqs", &["list", "faqs", "--limit", "5"]),
    ] {
        let out = env.cmd().args(args).output().unwrap();
        assert!(out.status.success(), "{name}");
        snapshot(name, &stdout(&out));
    }
}

#[test]
fn rendered_articles() {
    let env = Env::new();
    env.import_seeds();
    for (name, format) in [("render-markdown", "markdown"), ("render-html", "html")] {
        let out = env
            .cmd()
            .args([
                "render",
                "producer-vs-executive-producer",
                "--format",
                format,
            ])
            .output()
            .unwrap();
        assert!(out.status.success(), "{name}");
        snapshot(name, &stdout(&out));
    }
}
