//! The command line's corners that an adversarial test and a new editor
//! found (#19): exports that passed for good ones, exit statuses that did
//! not tell the truth, and messages that did not say what a person needed.

use crate::util::{stderr, stdout, Env};

const SLUG: &str = "producer-vs-executive-producer";

use crate::util::shell;

#[test]
fn an_export_of_a_database_check_rejects_is_refused_unless_forced() {
    let env = Env::new();
    env.import_seeds();
    shell(&env)
        .execute("DELETE FROM terms WHERE term = 'Executive Producer'", [])
        .unwrap();
    let out = env.output(&["export", "out"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let said = stderr(&out);
    assert!(
        said.contains("cannot export this database") || said.contains("export this database"),
        "{said}"
    );
    assert!(
        said.contains("E101") && said.contains("check --fix") && said.contains("--force"),
        "{said}"
    );
    assert!(
        !env.dir.path().join("out/terms.csv").exists(),
        "files were written"
    );
    let out = env.output(&["export", "--force", "out"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("left out: 6 orphans"),
        "{}",
        stderr(&out)
    );
    assert!(env.dir.path().join("out/terms.csv").exists());
}

#[test]
fn check_names_orphans_by_what_they_say_and_fix_leaves_their_positions() {
    let env = Env::new();
    env.import_seeds();
    let conn = shell(&env);
    conn.execute_batch(
        "INSERT INTO comparisons (slug, left_term_id, right_term_id) VALUES ('gone-vs-soon', 1, 2);
         INSERT INTO faqs (comparison_id, position, question, answer)
           VALUES ((SELECT id FROM comparisons WHERE slug = 'gone-vs-soon'), 3, 'Where did the article go?', 'Deleted in the shell.');
         DELETE FROM comparisons WHERE slug = 'gone-vs-soon';",
    )
    .unwrap();
    let out = env.output(&["check"]);
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    assert!(text.contains("faq \"Where did the article go?\""), "{text}");
    let out = env.output(&["check", "--fix"]);
    assert!(
        !stdout(&out).contains("renumbered faqs") && !stderr(&out).contains("renumbered faqs"),
        "{}{}",
        stdout(&out),
        stderr(&out)
    );
    assert_eq!(
        env.count("SELECT position FROM faqs WHERE question = 'Where did the article go?'"),
        3
    );
}

/// A directory with `n` terms of 10 senses each.
fn big_import(env: &Env, n: usize) -> std::path::PathBuf {
    use std::fmt::Write;
    let mut terms = String::from("term,part_of_speech,note\n");
    let mut senses = String::from("term,sense,domain,definition\n");
    for i in 0..n {
        writeln!(terms, "Term {i},noun,").unwrap();
        for s in 1..=10 {
            writeln!(
                senses,
                "Term {i},{s},,Sense {s} of term {i}: something to read."
            )
            .unwrap();
        }
    }
    let dir = env.dir.path().join("big");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("terms.csv"), terms).unwrap();
    std::fs::write(dir.join("senses.csv"), senses).unwrap();
    dir
}

#[test]
fn ctrl_c_during_an_import_says_what_was_written_and_the_status_agrees() {
    let env = Env::new();
    env.run_all(&[&["init"]]);
    let dir = big_import(&env, 5_000);
    let pristine = env.dir.path().join("pristine.db");
    std::fs::copy(env.db(), &pristine).unwrap();
    // How long the whole import takes here, to interrupt it all along.
    let started = std::time::Instant::now();
    let out = env.cmd().arg("import").arg(&dir).output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let whole = started.elapsed();
    let mut seen = std::collections::BTreeSet::new();
    for step in 1..=12u32 {
        std::fs::copy(&pristine, env.db()).unwrap();
        let child = std::process::Command::new(assert_cmd::cargo::cargo_bin("glossary"))
            .arg("--db")
            .arg(env.db())
            .arg("import")
            .arg(&dir)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        std::thread::sleep(whole * step / 10);
        let _ = std::process::Command::new("kill")
            .args(["-INT", &child.id().to_string()])
            .status();
        let out = child.wait_with_output().unwrap();
        let senses = env.count("SELECT count(*) FROM senses");
        let said = stderr(&out);
        match out.status.code() {
            Some(130) => {
                assert_eq!(senses, 0, "exit 130 with rows written: {said}");
                assert!(said.contains("interrupted: nothing was written"), "{said}");
                seen.insert(130);
            }
            Some(0) => {
                assert_eq!(senses, 50_000, "exit 0 with a partial import: {said}");
                seen.insert(0);
            }
            other => panic!("exit {other:?} ({:?}): {said}", out.status),
        }
    }
    assert!(
        seen.contains(&130),
        "no interrupt landed during the import: {seen:?}"
    );
}

#[test]
fn an_export_keeps_the_site_settings_and_an_import_brings_them_back() {
    let env = Env::new();
    env.import_seeds();
    env.run_all(&[
        &["site", "set", "title", "Film Words"],
        &["site", "set", "base_url", "https://example.org/words"],
        &["site", "set", "publisher", "Example Press"],
        &["export", "out"],
    ]);
    let site = std::fs::read_to_string(env.dir.path().join("out/site.csv")).unwrap();
    assert_eq!(
        site,
        "key,value\ntitle,Film Words\nbase_url,https://example.org/words/\npublisher,Example Press\n"
    );
    let fresh = env.dir.path().join("fresh.db");
    let out = env
        .cmd_at(&fresh)
        .arg("import")
        .arg(env.dir.path().join("out"))
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let out = env
        .cmd_at(&fresh)
        .args(["site", "--format", "json"])
        .output()
        .unwrap();
    let text = stdout(&out);
    assert!(
        text.contains("Film Words") && text.contains("https://example.org/words/"),
        "{text}"
    );
    // A bad value is a problem with its line, and nothing is written.
    std::fs::write(
        env.dir.path().join("out/site.csv"),
        "key,value\ntitle,Other\nbase_url,not a url\nlanguag,en\n",
    )
    .unwrap();
    let out = env
        .cmd_at(&fresh)
        .arg("import")
        .arg(env.dir.path().join("out"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let said = stderr(&out);
    assert!(
        said.contains("site.csv:3: base_url: must be an http"),
        "{said}"
    );
    assert!(
        said.contains("site.csv:4: there is no site setting \"languag\""),
        "{said}"
    );
    let out = env
        .cmd_at(&fresh)
        .args(["site", "--format", "json"])
        .output()
        .unwrap();
    assert!(stdout(&out).contains("Film Words"), "{}", stdout(&out));
}

#[test]
fn a_row_that_depends_on_a_refused_row_says_so_and_every_problem_comes_in_one_run() {
    let env = Env::new();
    let seeds = env.seeds_copy();
    let append = |file: &str, text: &str| {
        let path = seeds.join(file);
        let mut all = std::fs::read_to_string(&path).unwrap();
        all.push_str(text);
        std::fs::write(path, all).unwrap();
    };
    append("terms.csv", "Effect,noun,,publishd\nAffect,verb,,\n");
    append(
        "senses.csv",
        "Effect,1,,A result.\nAffect,1,,To act on.\nAffect,2,,\n",
    );
    append(
        "examples.csv",
        "Effect,1,The effect was striking.\nAffect,2,It affected her.\n",
    );
    // A second article (refused with its term).
    append(
        "comparisons.csv",
        "affect-vs-effect,Affect,Effect,,One acts; one results.,2024-01-02,draft\n",
    );
    let faqs = std::fs::read_to_string(seeds.join("faqs.csv")).unwrap();
    let faqs = faqs.replace(
        "producer-vs-executive-producer,9,",
        "producer-vs-executive-producer,10,",
    );
    let faqs: Vec<&str> = faqs
        .lines()
        .filter(|l| !l.starts_with("producer-vs-executive-producer,5,"))
        .collect();
    let faqs = faqs.join("\n") + "\n";
    std::fs::write(seeds.join("faqs.csv"), faqs).unwrap();
    let out = env.cmd().arg("import").arg(&seeds).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let said = stderr(&out);
    assert!(said.contains("terms.csv:4: status"), "{said}");
    assert!(
        said.contains("senses.csv:14: term \"Effect\" was refused at")
            && said.contains("terms.csv:4, so this row cannot be applied either"),
        "{said}"
    );
    assert!(
        said.contains("senses.csv:16: the definition cannot be empty")
            || said.contains("senses.csv:16: definition"),
        "{said}"
    );
    assert!(
        said.contains("sense 2 of \"Affect\" was refused at") && !said.contains("has no sense 2"),
        "{said}"
    );
    // In the seeded article, FAQ 10 clashes and 5 is missing: both are
    // said in one run (the clash's own gap is not said twice).
    assert!(
        said.contains(
            "the positions of \"producer-vs-executive-producer\" run up to 20 but there are 18"
        ),
        "{said}"
    );
}

#[test]
fn messages_say_what_happened_once_and_where_to_go() {
    let env = Env::new();
    env.import_seeds();
    // A missing path: said once.
    let out = env.output(&["import", "/nonexistent-glossary-dir"]);
    assert_eq!(out.status.code(), Some(1));
    let said = stderr(&out);
    assert_eq!(
        said.matches("No such file or directory").count(),
        1,
        "{said}"
    );
    // A folder given as the database: said to be a folder.
    let folder = env.dir.path().join("afolder");
    std::fs::create_dir_all(&folder).unwrap();
    let out = env
        .cmd_at(&folder)
        .args(["query", "--term", "producer"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let said = stderr(&out);
    assert!(
        said.matches("it is a folder, not a database file").count() == 1,
        "{said}"
    );
    // `query producer` says how to ask for a term.
    let out = env.output(&["query", "producer"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("glossary query --term producer"),
        "{}",
        stderr(&out)
    );
    // A semicolon-separated file says it looks so.
    let dir = env.write(
        "semi",
        "terms.csv",
        "term;part_of_speech;note\nGaffer;noun;\n",
    );
    let out = env.cmd().arg("import").arg(&dir).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("looks semicolon-separated"),
        "{}",
        stderr(&out)
    );
    // remove names the articles that go, published first.
    env.run_all(&[
        &["add-term", "Director"],
        &[
            "add-comparison",
            "--left",
            "Producer",
            "--right",
            "Director",
        ],
    ]);
    let out = env.output(&["remove", "term", "Producer"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out)
            .contains("(published: producer-vs-executive-producer; drafts: producer-vs-director)"),
        "{}",
        stderr(&out)
    );
    // An empty history says whose.
    let out = env.output(&["history", "--author", "bob"]);
    assert!(out.status.success());
    assert_eq!(stdout(&out), "no changes by bob\n");
}

#[test]
fn an_untitled_article_has_one_title_everywhere() {
    let env = Env::new();
    env.import_seeds();
    env.run_all(&[
        &["add-term", "Director"],
        &[
            "add-comparison",
            "--left",
            "Producer",
            "--right",
            "Director",
            "--summary",
            "One makes it possible, one makes it.",
            "--published",
            "2024-03-10",
        ],
        &[
            "add-difference",
            "producer-vs-director",
            "A director shapes the film.",
        ],
        &["publish", "producer-vs-director", "--with-terms"],
    ]);
    let title = "Producer vs. Director: What&#39;s the Difference?";
    let plain = "Producer vs. Director: What's the Difference?";
    let out = env.output(&["query", "--comparison", "producer-vs-director"]);
    assert!(stdout(&out).contains(plain), "{}", stdout(&out));
    let out = env.output(&["query", "--term", "director"]);
    assert!(stdout(&out).contains(plain), "{}", stdout(&out));
    let out = env.output(&["render", "producer-vs-director", "--format", "html"]);
    assert!(
        stdout(&out).contains(title) || stdout(&out).contains(plain),
        "{}",
        stdout(&out)
    );
    let server = crate::webclient::Server::start(&env);
    let mut b = server.browser();
    for path in [
        "/comparisons",
        "/term/Director",
        "/compare/producer-vs-director",
    ] {
        let page = b.get(path).text();
        assert!(
            page.contains(title) || page.contains(plain),
            "{path}: {page}"
        );
        assert!(
            !page.contains("Producer vs. Director<"),
            "{path}: the short form"
        );
    }
    env.run_all(&[&["render", "--all", "--out", "site"]]);
    let index = std::fs::read_to_string(env.dir.path().join("site/index.html")).unwrap();
    assert!(index.contains(title) || index.contains(plain), "{index}");
}

#[test]
fn reports_read_as_a_person_would_write_them() {
    let env = Env::new();
    env.import_seeds();
    // Numbers as numbers, text in quotes.
    let out = env.output(&["edit", "faq", SLUG, "5", "--set", "position=1"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("position: 5 → 1"), "{}", stdout(&out));
    // After a move or a rename, the entry by the name it has now.
    assert!(
        stdout(&out).contains(&format!("updated faq {SLUG} 1")),
        "{}",
        stdout(&out)
    );
    let out = env.output(&[
        "edit",
        "term",
        "Executive Producer",
        "--set",
        "term=Showrunner",
    ]);
    assert!(
        stdout(&out).contains("updated term \"Showrunner\""),
        "{}",
        stdout(&out)
    );
    assert!(
        stdout(&out).contains("term: \"Executive Producer\" → \"Showrunner\""),
        "{}",
        stdout(&out)
    );
    // Markdown search snippets: bold once, not escaped twice.
    let out = env.output(&["query", "--search", "side", "--format", "markdown"]);
    assert!(
        stdout(&out).contains("**side**") && !stdout(&out).contains("\\*\\*"),
        "{}",
        stdout(&out)
    );
    // A dry run checks against the database and says it wrote nothing.
    let out = env
        .cmd()
        .args(["import", "--dry-run"])
        .arg(crate::util::seeds())
        .output()
        .unwrap();
    assert!(out.status.success());
    let said = stderr(&out);
    assert!(
        said.contains("against")
            && said.contains("nothing was written")
            && !said.contains(" into "),
        "{said}"
    );
    // query --help says which formats each mode takes.
    let out = env.output(&["query", "--help"]);
    assert!(
        stdout(&out).contains("csv too with --search"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn the_review_queue_shows_titles_and_offers_draft_terms_only_when_there_are_some() {
    use crate::team::{post, DRAFT};
    let env = crate::team::ready_for_review();
    let server = crate::webclient::Server::start(&env);
    let mut pia = crate::team::sign_in(&server, "pia");
    let queue = pia.get("/review").text();
    assert!(
        queue.contains("Producer vs. Director: What&#39;s the Difference?"),
        "{queue}"
    );
    assert!(
        queue.contains("and publish its draft term Director"),
        "{queue}"
    );
    let version = pia.get("/review").field("version").unwrap();
    let id = crate::team::comparison(&env, DRAFT);
    let r = post(
        &mut pia,
        "/review/decide",
        &[
            ("kind", "comparison"),
            ("id", &id),
            ("decision", "approve"),
            ("version", &version),
        ],
    );
    assert_eq!(r.status, 409, "{}", r.text());
    assert!(r.text().contains("tick"), "{}", r.text());
    assert!(
        !r.text().contains("glossary publish"),
        "a CLI hint on the web: {}",
        r.text()
    );
    // An editor is "an editor".
    let mut ana = crate::team::sign_in(&server, "ana");
    let r = post(
        &mut ana,
        "/review/decide",
        &[
            ("kind", "comparison"),
            ("id", &id),
            ("decision", "approve"),
            ("version", &version),
        ],
    );
    assert!(r.text().contains("ana, an editor"), "{}", r.text());
    // With the term published, no box is offered.
    env.run_all(&[&["publish", "--term", "Director"]]);
    let queue = pia.get("/review").text();
    assert!(!queue.contains("draft term"), "{queue}");
}

#[test]
fn a_site_build_neither_deletes_nor_writes_through_a_link_and_publishes_no_bookkeeping() {
    let env = Env::new();
    env.import_seeds();
    let site = env.dir.path().join("site");
    let build = || env.output(&["render", "--all", "--out", site.to_str().unwrap()]);
    assert!(build().status.success());
    // The manifest is beside the site, not in it.
    let manifest = env.dir.path().join(".site.glossary-manifest");
    assert!(manifest.is_file());
    let published: Vec<String> = std::fs::read_dir(&site)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        !published.iter().any(|n| n.contains("manifest")),
        "{published:?}"
    );
    // A folder of the site that is a link elsewhere, and a manifest that
    // names a file under it (anyone may edit the manifest).
    let outside = env.dir.path().join("outside");
    std::fs::create_dir_all(&outside).unwrap();
    std::fs::write(outside.join("victim.txt"), "keep me").unwrap();
    std::os::unix::fs::symlink(&outside, site.join("evil")).unwrap();
    let mut text = std::fs::read_to_string(&manifest).unwrap();
    text.push_str("evil/victim.txt\n");
    std::fs::write(&manifest, text).unwrap();
    let out = build();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        outside.join("victim.txt").is_file(),
        "deleted through a link"
    );
    // A folder of pages replaced by a link: refused, nothing written there.
    std::fs::rename(site.join("terms"), env.dir.path().join("terms-moved")).unwrap();
    std::os::unix::fs::symlink(&outside, site.join("terms")).unwrap();
    let out = build();
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stderr(&out).contains("symbolic link"), "{}", stderr(&out));
    assert_eq!(
        std::fs::read_dir(&outside).unwrap().count(),
        1,
        "written through a link"
    );
}

#[test]
fn a_manifest_an_older_build_left_in_the_site_is_read_once_and_removed() {
    let env = Env::new();
    env.import_seeds();
    let site = env.dir.path().join("site");
    env.run_all(&[&["render", "--all", "--out", "site"]]);
    let beside = env.dir.path().join(".site.glossary-manifest");
    std::fs::rename(&beside, site.join(".glossary-manifest")).unwrap();
    // A page the old build wrote, listed in the old manifest only.
    std::fs::write(site.join("compare/gone.html"), "old").unwrap();
    let mut text = std::fs::read_to_string(site.join(".glossary-manifest")).unwrap();
    text.push_str("compare/gone.html\n");
    std::fs::write(site.join(".glossary-manifest"), text).unwrap();
    env.run_all(&[&["render", "--all", "--out", "site"]]);
    assert!(!site.join(".glossary-manifest").exists());
    assert!(!site.join("compare/gone.html").exists());
    assert!(beside.is_file());
}

#[test]
fn an_import_rebuilds_only_the_pages_its_rows_show_and_is_in_their_history() {
    let env = Env::new();
    env.import_seeds();
    env.run_all(&[
        &["add-term", "Gaffer"],
        &["add-term", "Grip"],
        &[
            "add-comparison",
            "--left",
            "Gaffer",
            "--right",
            "Grip",
            "--summary",
            "Light and rigging.",
            "--published",
            "2024-02-02",
        ],
        &[
            "add-difference",
            "gaffer-vs-grip",
            "A gaffer lights; a grip rigs.",
        ],
        &["publish", "gaffer-vs-grip", "--with-terms"],
        &["render", "--all", "--out", "site"],
    ]);
    // An import that adds a FAQ to the seeded article only.
    let dir = env.write(
        "more",
        "faqs.csv",
        &format!("comparison,position,question,answer\n{SLUG},21,Who is credited first?,It depends on the guild.\n"),
    );
    let out = env.cmd().arg("import").arg(&dir).output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let out = env.output(&["render", "--all", "--out", "site"]);
    assert!(out.status.success(), "{}", stderr(&out));
    // The seeded article and its two terms; not the other article.
    assert!(
        stdout(&out).starts_with("wrote 1 comparison page, 2 term pages"),
        "{}",
        stdout(&out)
    );
    let page =
        std::fs::read_to_string(env.dir.path().join(format!("site/compare/{SLUG}.html"))).unwrap();
    assert!(page.contains("Who is credited first?"));
    // And the article's history lists the import that added its FAQ.
    let history = env.json(&["history", "comparison", SLUG, "--format", "json"]);
    let commands: Vec<String> = history
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["command"].as_str().unwrap().to_string())
        .collect();
    assert!(
        commands
            .iter()
            .any(|c| c.starts_with("import") && c.contains("more")),
        "{commands:?}"
    );
}

#[test]
fn a_site_build_shows_one_snapshot_while_another_program_writes() {
    let env = Env::new();
    let dir = env.dir.path().join("gen");
    crate::generator::generate(400, &dir, 3).unwrap();
    let out = env.cmd().arg("import").arg(&dir).output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    // The first and the last published article: rendered by different
    // workers. Each write below sets both in one transaction.
    let slugs: Vec<String> = {
        let conn = env.conn();
        let mut stmt = conn
            .prepare("SELECT slug FROM public_comparisons ORDER BY slug")
            .unwrap();
        stmt.query_map([], |r| r.get(0))
            .unwrap()
            .map(Result::unwrap)
            .collect()
    };
    let (first, last) = (
        slugs.first().unwrap().clone(),
        slugs.last().unwrap().clone(),
    );
    let stop = std::sync::atomic::AtomicBool::new(false);
    std::thread::scope(|s| {
        s.spawn(|| {
            let conn = env.conn();
            conn.busy_timeout(std::time::Duration::from_secs(5)).unwrap();
            let mut n = 0;
            while !stop.load(std::sync::atomic::Ordering::Relaxed) && n < 5_000 {
                n += 1;
                let _ = conn.execute_batch(&format!(
                    "BEGIN IMMEDIATE;
                     UPDATE faqs SET answer = 'marker {n}.' WHERE position = 1 AND comparison_id = (SELECT id FROM comparisons WHERE slug = '{first}');
                     UPDATE faqs SET answer = 'marker {n}.' WHERE position = 1 AND comparison_id = (SELECT id FROM comparisons WHERE slug = '{last}');
                     COMMIT;"
                ));
                std::thread::sleep(std::time::Duration::from_millis(2));
            }
        });
        for round in 0..4 {
            let site = format!("site-{round}");
            let out = env.output(&["render", "--all", "--out", &site]);
            assert!(out.status.success(), "{}", stderr(&out));
            let marker = |slug: &str| {
                let page = std::fs::read_to_string(
                    env.dir.path().join(format!("{site}/compare/{slug}.html")),
                )
                .unwrap();
                page.find("marker ").map(|i| page[i..i + 12].to_string())
            };
            assert_eq!(
                marker(&first),
                marker(&last),
                "round {round}: two snapshots in one build"
            );
        }
        stop.store(true, std::sync::atomic::Ordering::Relaxed);
    });
}
