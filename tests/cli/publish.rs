//! What readers may see: publishing refused while a term is a draft, a
//! published article whose term went back to draft hidden everywhere,
//! drafts shown as drafts.

use std::fs;

use crate::util::{stderr, stdout, Env};

/// The new article of the issue: Director (a draft term, one sense) vs.
/// the seeded Producer, with a summary, a date and one key difference.
fn director_vs_producer(env: &Env) {
    env.import_seeds();
    for args in [
        &["add-term", "Director", "--part-of-speech", "noun"][..],
        &[
            "add-sense",
            "Director",
            "--definition",
            "A person who directs a film.",
        ],
        &[
            "add-comparison",
            "--left",
            "Director",
            "--right",
            "Producer",
            "--summary",
            "A director directs; a producer produces.",
            "--published",
            "2024-03-10",
        ],
        &[
            "add-difference",
            "director-vs-producer",
            "Directors direct.",
        ],
    ] {
        let out = env.cmd().args(args).output().unwrap();
        assert!(out.status.success(), "{args:?}: {}", stderr(&out));
    }
}

fn status_of(env: &Env, sql: &str) -> String {
    env.conn().query_row(sql, [], |r| r.get(0)).unwrap()
}

#[test]
fn publishing_an_article_whose_term_is_a_draft_is_refused() {
    let env = Env::new();
    director_vs_producer(&env);
    let out = env
        .cmd()
        .args(["publish", "director-vs-producer"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains("its term \"Director\" is a draft"), "{err}");
    assert!(err.contains("glossary publish --term Director"), "{err}");
    assert!(err.contains("--with-terms"), "{err}");
    let comparison = "SELECT status FROM comparisons WHERE slug = 'director-vs-producer'";
    assert_eq!(status_of(&env, comparison), "draft");
    // `edit --set status=published` follows the same rule.
    let out = env
        .cmd()
        .args([
            "edit",
            "comparison",
            "director-vs-producer",
            "--set",
            "status=published",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("its term \"Director\" is a draft"));
    assert_eq!(status_of(&env, comparison), "draft");

    // --with-terms publishes the term in the same change.
    let out = env
        .cmd()
        .args(["publish", "director-vs-producer", "--with-terms"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(status_of(&env, comparison), "published");
    assert_eq!(
        status_of(&env, "SELECT status FROM terms WHERE term = 'Director'"),
        "published"
    );
    let site = env.dir.path().join("site");
    env.cmd()
        .args(["render", "--all", "--out"])
        .arg(&site)
        .assert()
        .success();
    assert!(site.join("compare/director-vs-producer.html").exists());
    assert!(site.join("terms/director.html").exists());

    // Taking the term down under a published article is refused too...
    let out = env
        .cmd()
        .args(["unpublish", "--term", "director"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("the published comparison director-vs-producer shows it"),
        "{err}"
    );
    assert!(err.contains("--with-comparisons"), "{err}");
    // ... unless the articles go with it.
    env.cmd()
        .args(["unpublish", "--term", "director", "--with-comparisons"])
        .assert()
        .success();
    assert_eq!(status_of(&env, comparison), "draft");
}

#[test]
fn a_published_article_with_a_draft_term_is_hidden_everywhere() {
    let env = Env::new();
    director_vs_producer(&env);
    env.cmd()
        .args(["publish", "director-vs-producer", "--with-terms"])
        .assert()
        .success();
    // Someone sets the term back to draft in the sqlite3 shell.
    env.conn()
        .execute(
            "UPDATE terms SET status = 'draft' WHERE term = 'Director'",
            [],
        )
        .unwrap();

    let site = env.dir.path().join("site");
    env.cmd()
        .args(["render", "--all", "--out"])
        .arg(&site)
        .assert()
        .success();
    assert!(!site.join("compare/director-vs-producer.html").exists());
    assert!(!site.join("terms/director.html").exists());
    let index = fs::read_to_string(site.join("index.html")).unwrap();
    assert!(!index.contains("Director"), "{index}");

    let out = env
        .cmd()
        .args(["render", "director-vs-producer"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("its term \"Director\" is a draft"),
        "{}",
        stderr(&out)
    );

    let export = env.dir.path().join("export");
    env.cmd()
        .args(["export", "--published-only"])
        .arg(&export)
        .assert()
        .success();
    let comparisons = fs::read_to_string(export.join("comparisons.csv")).unwrap();
    assert!(!comparisons.contains("director-vs-producer"));

    let v = env.json(&[
        "query",
        "--comparison",
        "director-vs-producer",
        "--format",
        "json",
    ]);
    assert_eq!(v["status"], "published");
    assert_eq!(v["public"], false);
    assert_eq!(v["draft_terms"][0], "Director");
    let out = env
        .cmd()
        .args(["query", "--comparison", "director-vs-producer"])
        .output()
        .unwrap();
    assert!(
        stdout(&out)
            .replace('\n', " ")
            .contains("not public: its term \"Director\" is a draft"),
        "{}",
        stdout(&out)
    );

    let out = env.cmd().arg("check").output().unwrap();
    assert!(out.status.success(), "a warning does not fail check");
    assert!(stdout(&out).contains("W204"), "{}", stdout(&out));
}

#[test]
fn publishing_an_empty_article_needs_force() {
    let env = Env::new();
    env.import_seeds();
    env.cmd()
        .args([
            "add-comparison",
            "--left",
            "Executive Producer",
            "--right",
            "Producer",
        ])
        .assert()
        .success();
    let out = env
        .cmd()
        .args(["publish", "executive-producer-vs-producer"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    for reason in [
        "it has no summary",
        "it has no published date",
        "it has no key differences, chart rows or FAQs",
        "--force",
    ] {
        assert!(err.contains(reason), "{reason}: {err}");
    }
    env.cmd()
        .args(["publish", "executive-producer-vs-producer", "--force"])
        .assert()
        .success();
    assert_eq!(
        status_of(
            &env,
            "SELECT status FROM comparisons WHERE slug = 'executive-producer-vs-producer'"
        ),
        "published"
    );
}

#[test]
fn drafts_read_as_drafts() {
    let env = Env::new();
    director_vs_producer(&env);
    let out = env
        .cmd()
        .args(["query", "--comparison", "director-vs-producer"])
        .output()
        .unwrap();
    let text = stdout(&out);
    assert!(
        text.contains("director-vs-producer · draft · dated 2024-03-10"),
        "{text}"
    );
    assert!(!text.contains("published"), "{text}");
    let out = env
        .cmd()
        .args(["query", "--term", "director"])
        .output()
        .unwrap();
    assert!(
        stdout(&out).starts_with("Director (noun) · draft\n"),
        "{}",
        stdout(&out)
    );
    let v = env.json(&["query", "--term", "director", "--format", "json"]);
    assert_eq!(v["status"], "draft");
    assert_eq!(v["comparisons"][0]["status"], "draft");
    let v = env.json(&[
        "query",
        "--comparison",
        "director-vs-producer",
        "--format",
        "json",
    ]);
    assert_eq!(v["status"], "draft");
    assert_eq!(v["public"], false);
}
