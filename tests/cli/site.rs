//! `render --all --out DIR`: the static site, exactly what is published,
//! built incrementally, through no link, from one snapshot.

use std::fs;

use pretty_assertions::assert_eq;

use crate::util::{stderr, stdout, Env, SLUG};

#[test]
fn render_all_writes_a_linked_site_without_drafts() {
    let env = Env::new();
    env.import_seeds();
    env.cmd().args(["add-term", "Director"]).assert().success();
    let site = env.dir.path().join("site");
    env.cmd()
        .args(["render", "--all", "--out"])
        .arg(&site)
        .assert()
        .success()
        .stdout(
            "wrote 1 comparison page, 2 term pages, the listings, the front page and the search index to ".to_string()
                + &site.display().to_string()
                + "\n",
        );
    let index = fs::read_to_string(site.join("index.html")).unwrap();
    assert!(index.contains("<a href=\"compare/producer-vs-executive-producer.html\">Producer vs. Executive Producer: What&#39;s the Difference?</a>"));
    assert!(index.contains("<a href=\"terms-p.html\">P</a>"));
    assert!(!index.contains("terms-d.html"), "a draft term is listed");
    let letter = fs::read_to_string(site.join("terms-p.html")).unwrap();
    assert!(letter.contains("<a href=\"terms/producer.html\">Producer</a>"));
    assert!(!letter.contains("Director"));
    let article =
        fs::read_to_string(site.join("compare/producer-vs-executive-producer.html")).unwrap();
    assert!(article
        .contains("<h3><a href=\"../terms/executive-producer.html\">Executive Producer</a></h3>"));
    assert!(article.contains("href=\"../style.css\""));
    let term = fs::read_to_string(site.join("terms/producer.html")).unwrap();
    assert!(term.contains("<a href=\"../compare/producer-vs-executive-producer.html\">"));
    assert!(site.join("style.css").exists());
    assert!(!fs::read_to_string(site.join("style.css"))
        .unwrap()
        .is_empty());
}

#[test]
fn listings_are_paged_and_a_rebuild_leaves_unchanged_pages_alone() {
    let env = Env::new();
    let mut terms = String::from("term,part_of_speech,note,status\n");
    let mut comparisons = String::from("comparison,left,right,title,summary,published,status\n");
    for i in 0..1101 {
        terms.push_str(&format!("Word {i:04},noun,,published\n"));
    }
    for i in 0..1100 {
        comparisons.push_str(&format!(
            "word-{i:04}-vs-word-{:04},Word {i:04},Word {:04},,A summary {i}.,2024-01-01,published\n",
            i + 1,
            i + 1
        ));
    }
    env.write("many", "terms.csv", &terms);
    let dir = env.write("many", "comparisons.csv", &comparisons);
    let out = env.cmd().arg("import").arg(&dir).output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let site = env.dir.path().join("site");
    env.cmd()
        .args(["render", "--all", "--out"])
        .arg(&site)
        .assert()
        .success();
    for page in [
        "comparisons/1.html",
        "comparisons/2.html",
        "comparisons/3.html",
        "terms-w.html",
        "terms-w-2.html",
        "terms-w-3.html",
    ] {
        assert!(site.join(page).exists(), "{page}");
    }
    assert!(!site.join("comparisons/4.html").exists());
    let second = fs::read_to_string(site.join("comparisons/2.html")).unwrap();
    assert!(second.contains("rel=\"prev\"") && second.contains("rel=\"next\""));
    assert!(second.contains("word-0500-vs-word-0501.html"));
    // No page near the size of the one-page index of before.
    for entry in walk(&site) {
        let len = fs::metadata(&entry).unwrap().len();
        assert!(len < 200_000, "{} is {len} bytes", entry.display());
    }
    // A rebuild after no change renders no page; after one edit, only the
    // pages that show it (the article, its two terms' pages), the
    // listings, which are written only where they differ, and the search
    // index's segment of what changed (its meta, words, records, domain).
    let again = env
        .cmd()
        .args(["render", "--all", "--out"])
        .arg(&site)
        .output()
        .unwrap();
    assert!(
        stdout(&again)
            .contains("wrote 0 comparison pages, 0 term pages, the listings, the front page and the search index")
            && stdout(&again).contains("(14 of 14 files unchanged)"),
        "{}",
        stdout(&again)
    );
    env.cmd()
        .args([
            "edit",
            "comparison",
            "word-0700-vs-word-0701",
            "--set",
            "summary=Changed.",
        ])
        .assert()
        .success();
    let after = env
        .cmd()
        .args(["render", "--all", "--out"])
        .arg(&site)
        .output()
        .unwrap();
    assert!(
        stdout(&after).contains("wrote 1 comparison page, 2 term pages,"),
        "{}",
        stdout(&after)
    );
    assert!(
        stdout(&after).contains("(15 of 20 files unchanged)"),
        "{}",
        stdout(&after)
    );
    let page = fs::read_to_string(site.join("compare/word-0700-vs-word-0701.html")).unwrap();
    assert!(page.contains("Changed."));
    // A sense added: its term's page is built again (an insert's revision
    // names no owner; the build reads it from the row).
    env.cmd()
        .args([
            "add-sense",
            "Word 0700",
            "--definition",
            "A sense added later.",
        ])
        .assert()
        .success();
    let after = env
        .cmd()
        .args(["render", "--all", "--out"])
        .arg(&site)
        .output()
        .unwrap();
    assert!(after.status.success());
    let term = fs::read_to_string(site.join("terms/word-0700.html")).unwrap();
    assert!(term.contains("A sense added later."), "{term}");
    // A renamed term: its new page, the articles that show it; the old
    // page goes; and the result equals a build from scratch.
    env.cmd()
        .args(["edit", "term", "Word 0005", "--set", "term=Vocable 0005"])
        .assert()
        .success();
    env.cmd()
        .args(["remove", "comparison", "word-0010-vs-word-0011", "--yes"])
        .assert()
        .success();
    let after = env
        .cmd()
        .args(["render", "--all", "--out"])
        .arg(&site)
        .output()
        .unwrap();
    // (The renamed term's two articles, and the four that list them or
    // the removed one under More Comparisons.)
    assert!(
        stdout(&after).contains("wrote 6 comparison pages, 5 term pages,"),
        "{}",
        stdout(&after)
    );
    // The renamed term's old address sends readers on (migration V14).
    assert!(fs::read_to_string(site.join("terms/word-0005.html"))
        .unwrap()
        .contains("url=vocable-0005.html"));
    assert!(!site.join("compare/word-0010-vs-word-0011.html").exists());
    let scratch = env.dir.path().join("scratch");
    env.cmd()
        .args(["render", "--all", "--out"])
        .arg(&scratch)
        .assert()
        .success();
    // The search index is kept in segments (see site_search.rs): it
    // answers as a fresh one does, file for file it need not be.
    assert_eq!(
        crate::site_search::index(&site),
        crate::site_search::index(&scratch)
    );
    let pages = |dir: &std::path::Path| -> Vec<std::path::PathBuf> {
        walk(dir)
            .into_iter()
            .map(|p| p.strip_prefix(dir).unwrap().to_path_buf())
            .filter(|p| !p.starts_with("search"))
            .collect()
    };
    let mut built = pages(&site);
    let mut fresh = pages(&scratch);
    built.sort();
    fresh.sort();
    assert_eq!(built, fresh);
    for rel in &fresh {
        if rel.ends_with(".glossary-manifest") {
            continue;
        }
        assert_eq!(
            fs::read(site.join(rel)).unwrap(),
            fs::read(scratch.join(rel)).unwrap(),
            "{}",
            rel.display()
        );
    }
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for e in fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}

#[test]
fn the_site_holds_exactly_what_is_published_after_a_rebuild() {
    let env = Env::new();
    env.import_seeds();
    let dir = env.write(
        "more",
        "terms.csv",
        "term,status\nDirector,published\nWriter,published\n",
    );
    env.write(
        "more",
        "senses.csv",
        "term,sense,definition\nDirector,1,Directs.\nWriter,1,Writes.\n",
    );
    env.write(
        "more",
        "comparisons.csv",
        "comparison,left,right,summary,published,status\n\
         director-vs-producer,Director,Producer,S.,2024-01-01,published\n\
         director-vs-writer,Director,Writer,S.,2024-01-02,published\n\
         producer-vs-writer,Producer,Writer,S.,2024-01-03,published\n",
    );
    env.write(
        "more",
        "differences.csv",
        "comparison,position,text\n\
         director-vs-producer,1,D.\ndirector-vs-writer,1,D.\nproducer-vs-writer,1,D.\n",
    );
    env.cmd().arg("import").arg(&dir).assert().success();
    let site = env.dir.path().join("site");
    fs::create_dir_all(site.join("compare")).unwrap();
    fs::write(site.join("notes.txt"), "mine").unwrap();
    fs::write(site.join("compare/extra.html"), "mine too").unwrap();
    env.cmd()
        .args(["render", "--all", "--out"])
        .arg(&site)
        .assert()
        .success();
    for page in [
        "compare/director-vs-producer.html",
        "compare/director-vs-writer.html",
        "compare/producer-vs-writer.html",
        "terms/writer.html",
    ] {
        assert!(site.join(page).exists(), "{page}");
    }

    for args in [
        &["unpublish", "director-vs-producer"][..],
        &[
            "edit",
            "comparison",
            "director-vs-writer",
            "--set",
            "slug=director-and-writer",
        ],
        &["remove", "comparison", "producer-vs-writer", "--yes"],
        &["edit", "term", "Writer", "--set", "term=Screenwriter"],
    ] {
        let out = env.cmd().args(args).output().unwrap();
        assert!(out.status.success(), "{args:?}: {}", stderr(&out));
    }
    let out = env
        .cmd()
        .args(["render", "--all", "--out"])
        .arg(&site)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("deleted 3 files no longer published"),
        "{}",
        stdout(&out)
    );
    for gone in [
        "compare/director-vs-producer.html",
        "compare/producer-vs-writer.html",
        // Writer was the only term under W.
        "terms-w.html",
    ] {
        assert!(!site.join(gone).exists(), "{gone} is still on the site");
    }
    // Renamed, not gone: the old addresses send readers to the new ones.
    for (old, new) in [
        (
            "compare/director-vs-writer.html",
            "director-and-writer.html",
        ),
        ("terms/writer.html", "screenwriter.html"),
    ] {
        let page = fs::read_to_string(site.join(old)).unwrap();
        assert!(page.contains(&format!("url={new}")), "{old}: {page}");
    }
    for there in [
        "compare/director-and-writer.html",
        "compare/producer-vs-executive-producer.html",
        "terms/screenwriter.html",
        "index.html",
    ] {
        assert!(site.join(there).exists(), "{there}");
    }
    // The user's own files are left alone.
    assert_eq!(fs::read_to_string(site.join("notes.txt")).unwrap(), "mine");
    assert!(site.join("compare/extra.html").exists());
    let index = fs::read_to_string(site.join("index.html")).unwrap();
    assert!(!index.contains("director-vs-producer"), "{index}");
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
