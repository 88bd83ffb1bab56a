//! Relations between meanings: a sense (or a whole term) and another,
//! stored once per pair, shown from both ends with the inverse; no end
//! related to itself, no second relation between the same two, no cycle
//! of broader ones, in glossary and (where SQLite can) in the schema;
//! imported, exported, undone, and shown on the site.

use crate::util::{shell, stderr, stdout, Env, SLUG};

/// The seeds and a third term with two senses: Showrunner.
fn env() -> Env {
    let env = Env::new();
    env.import_seeds();
    env.add_term(
        "Showrunner",
        true,
        &[
            "The head writer of a series.",
            "The person running a show day to day.",
        ],
    );
    env
}

#[test]
fn a_relation_is_shown_from_both_ends_with_its_inverse() {
    let env = env();
    let out = env.output(&[
        "add-relation",
        "Showrunner",
        "--sense",
        "1",
        "broader",
        "Executive Producer",
        "--format",
        "json",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let added: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(added["entry"], "relation \"Showrunner\" 1");
    env.run_all(&[&[
        "add-relation",
        "Producer",
        "related",
        "Showrunner",
        "--target-sense",
        "2",
    ]]);

    let showrunner = env.json(&["query", "--term", "showrunner", "--format", "json"]);
    assert_eq!(
        showrunner["relations"],
        serde_json::json!([
            {"relation": "broader", "sense": 1, "term": "Executive Producer"},
            {"relation": "related", "sense": 2, "term": "Producer"}
        ])
    );
    let ep = env.json(&["query", "--term", "EP", "--format", "json"]);
    assert_eq!(
        ep["relations"],
        serde_json::json!([{"relation": "narrower", "term": "Showrunner", "term_sense": 1}])
    );
    let text = stdout(&env.output(&["query", "--term", "Executive Producer"]));
    assert!(
        text.contains("Relations\n  narrower: Showrunner 1\n"),
        "{text}"
    );
}

#[test]
fn what_cannot_be_is_refused_by_glossary_and_the_schema() {
    let env = env();
    env.run_all(&[
        &[
            "add-relation",
            "Showrunner",
            "broader",
            "Executive Producer",
        ],
        &["add-relation", "Executive Producer", "broader", "Producer"],
    ]);
    for (args, said) in [
        (
            vec!["add-relation", "Producer", "broader", "Showrunner"],
            "would close a cycle of broader relations",
        ),
        (
            vec!["add-relation", "Producer", "narrower", "Showrunner", "--format", "json"],
            "",
        ),
        (
            vec!["add-relation", "Producer", "synonym", "Executive Producer"],
            "are related already (narrower): change it with `glossary edit relation \"Executive Producer\" 1`",
        ),
        (
            vec!["add-relation", "Producer", "--sense", "2", "synonym", "Producer", "--target-sense", "2"],
            "cannot be related to itself",
        ),
        (
            vec!["add-relation", "Producer", "--sense", "9", "synonym", "Showrunner"],
            "sense 9",
        ),
        (vec!["add-relation", "Prodcer", "synonym", "Showrunner"], "did you mean \"Producer\"?"),
        (
            vec!["edit", "relation", "Showrunner", "1", "--set", "relation=narrower"],
            "",
        ),
    ] {
        let out = env.output(&args);
        if said.is_empty() {
            // Allowed: Producer narrower Showrunner agrees with the chain;
            // then undone, so the file is as before.
            assert!(out.status.success(), "{args:?}: {}", stderr(&out));
            let change = env.json(&["history", "--format", "json", "--limit", "1"])[0]["change"]
                .as_i64()
                .unwrap()
                .to_string();
            env.run_all(&[&["revert", &change]]);
            continue;
        }
        assert_eq!(out.status.code(), Some(1), "{args:?}: {}", stderr(&out));
        assert!(stderr(&out).contains(said), "{args:?}: {}", stderr(&out));
    }
    // An edit that would close a cycle is refused too: Producer related
    // Showrunner, made broader, would put Showrunner above itself.
    env.run_all(&[&["add-relation", "Producer", "related", "Showrunner"]]);
    let err = env.fails(&[
        "edit".as_ref(),
        "relation".as_ref(),
        "Producer".as_ref(),
        "1".as_ref(),
        "--set".as_ref(),
        "relation=broader".as_ref(),
    ]);
    assert!(err.contains("cycle of broader relations"), "{err}");

    // The sqlite3 shell: the schema refuses a relation to itself, a second
    // one between the same two, and a sense of another term.
    let conn = shell(&env);
    for (sql, said) in [
        (
            "INSERT INTO relations (term_id, position, relation, target_term_id)
             SELECT id, 9, 'related', id FROM terms WHERE term = 'Producer'",
            "CHECK",
        ),
        (
            "INSERT INTO relations (term_id, position, relation, target_term_id)
             SELECT p.id, 9, 'synonym', e.id FROM terms p, terms e
             WHERE p.term = 'Executive Producer' AND e.term = 'Showrunner'",
            "related already",
        ),
        (
            "INSERT INTO relations (term_id, position, sense_id, relation, target_term_id)
             SELECT p.id, 9, (SELECT min(id) FROM senses WHERE term_id <> p.id), 'related', e.id
             FROM terms p, terms e WHERE p.term = 'Producer' AND e.term = 'Showrunner'",
            "a sense of its term",
        ),
    ] {
        let err = conn.execute(sql, []).unwrap_err().to_string();
        assert!(err.contains(said), "{sql}: {err}");
    }
    // A cycle the schema cannot see is check's E115.
    conn.execute(
        "UPDATE relations SET relation = 'broader' WHERE relation = 'related'",
        [],
    )
    .unwrap();
    let out = env.output(&["check", "--format", "json"]);
    assert_eq!(out.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let cycles: Vec<&serde_json::Value> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["code"] == "E115")
        .collect();
    assert_eq!(cycles.len(), 3, "every relation of the cycle: {v}");
}

#[test]
fn relations_csv_round_trips_and_refuses_with_positions() {
    let env = env();
    let dir = env.write(
        "in",
        "relations.csv",
        "term,sense,relation,target,target_sense\n\
         Showrunner,1,broader,Executive Producer,\n\
         Producer,2,related,Showrunner,2\n\
         Showrunner,,synonym,Showrunner,\n\
         Producr,,synonym,Showrunner,\n\
         Producer,,antonym,Showrunner,7\n\
         Producer,,cousin,Showrunner,\n\
         Executive Producer,,broader,Showrunner,1\n",
    );
    let before = env.db_bytes();
    let out = env.cmd().arg("import").arg(&dir).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    for said in [
        "relations.csv:4: Showrunner cannot be related to itself",
        "relations.csv:5: unknown term \"Producr\" (did you mean \"Producer\"?)",
        "relations.csv:6: ",
        "relations.csv:7: relation: \"cousin\" is not a relation",
        "relations.csv:8: ",
    ] {
        assert!(err.contains(said), "{said}\n{err}");
    }
    assert!(err.contains("sense 7"), "{err}");
    assert_eq!(env.db_bytes(), before, "nothing written");

    // The good rows; written from the other end, a pair is the same pair.
    let dir = env.write(
        "good",
        "relations.csv",
        "term,sense,relation,target,target_sense\n\
         Showrunner,1,broader,Executive Producer,\n\
         Producer,2,related,Showrunner,2\n",
    );
    env.run_all(&[&["import", dir.to_str().unwrap()]]);
    let again = env.write(
        "again",
        "relations.csv",
        "term,sense,relation,target,target_sense\nExecutive Producer,,narrower,Showrunner,1\n",
    );
    let json = env.json(&["import", again.to_str().unwrap(), "--format", "json"]);
    assert_eq!(json["files"][0]["unchanged"], 1, "{json}");

    // Export, import into a new file, export again: the same bytes.
    let first = env.dir.path().join("first");
    env.run_all(&[&["export", first.to_str().unwrap()]]);
    let exported = std::fs::read_to_string(first.join("relations.csv")).unwrap();
    assert_eq!(
        exported,
        "term,sense,relation,target,target_sense\n\
         Producer,2,related,Showrunner,2\n\
         Showrunner,1,broader,Executive Producer,\n"
    );
    let other = env.dir.path().join("other.db");
    let out = env
        .cmd_at(&other)
        .arg("import")
        .arg(&first)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let second = env.dir.path().join("second");
    let out = env
        .cmd_at(&other)
        .arg("export")
        .arg(&second)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        std::fs::read_to_string(second.join("relations.csv")).unwrap(),
        exported
    );
}

#[test]
fn removing_a_sense_takes_its_relations_and_undo_brings_them_back() {
    let env = env();
    env.run_all(&[
        &[
            "add-relation",
            "Showrunner",
            "--sense",
            "1",
            "broader",
            "Executive Producer",
        ],
        &[
            "add-relation",
            "Showrunner",
            "--sense",
            "2",
            "related",
            "Producer",
        ],
    ]);
    let out = env.output(&["remove", "sense", "Showrunner", "1", "--yes"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("1 relation"), "{}", stdout(&out));
    let left = env.json(&["query", "--term", "Showrunner", "--format", "json"]);
    assert_eq!(
        left["relations"],
        serde_json::json!([{"relation": "related", "sense": 1, "term": "Producer"}]),
        "the other follows its sense to number 1"
    );
    let change = env.json(&["history", "--format", "json", "--limit", "1"])[0]["change"]
        .as_i64()
        .unwrap()
        .to_string();
    env.run_all(&[&["revert", &change]]);
    let back = env.json(&["query", "--term", "Showrunner", "--format", "json"]);
    assert_eq!(back["relations"].as_array().unwrap().len(), 2, "{back}");
    assert_eq!(back["relations"][0]["sense"], 1);
}

#[test]
fn a_terms_page_lists_its_relations_linked() {
    let env = env();
    env.run_all(&[
        &[
            "add-relation",
            "Showrunner",
            "--sense",
            "1",
            "broader",
            "Executive Producer",
        ],
        &["add-term", "Writer"],
        &["add-relation", "Showrunner", "related", "Writer"],
    ]);
    let site = env.dir.path().join("site");
    let out = env.output(&["render", "--all", "--out", site.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let page = std::fs::read_to_string(site.join("terms/executive-producer.html")).unwrap();
    assert!(page.contains("<dt>Narrower terms</dt>"), "{page}");
    assert!(
        page.contains("<a href=\"showrunner.html#sense-1\">Showrunner</a>"),
        "{page}"
    );
    // A draft has no page: named, not linked.
    let page = std::fs::read_to_string(site.join("terms/showrunner.html")).unwrap();
    assert!(page.contains("<dd>Writer</dd>"), "{page}");
    assert!(page.contains("id=\"sense-1\""), "{page}");
    // A relation added later rebuilds both ends' pages.
    env.run_all(&[&[
        "add-relation",
        "Producer",
        "antonym",
        "Showrunner",
        "--target-sense",
        "2",
    ]]);
    env.run_all(&[&["render", "--all", "--out", site.to_str().unwrap()]]);
    let page = std::fs::read_to_string(site.join("terms/showrunner.html")).unwrap();
    assert!(page.contains("<dt>Antonyms</dt>"), "{page}");
    let page = std::fs::read_to_string(site.join("terms/producer.html")).unwrap();
    assert!(page.contains("showrunner.html#sense-2"), "{page}");
}

#[test]
fn a_generated_dictionary_imports_whole_checks_clean_and_exports_as_read() {
    let env = Env::new();
    let dir = env.dir.path().join("dict");
    crate::generator::generate_dictionary(400, &dir, 7).unwrap();
    let out = env
        .cmd()
        .arg("import")
        .arg(&dir)
        .arg("--quiet")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let lines = |name: &str| {
        std::fs::read_to_string(dir.join(name))
            .unwrap()
            .lines()
            .count() as i64
            - 1
    };
    assert_eq!(
        env.count("SELECT count(*) FROM variants"),
        lines("variants.csv")
    );
    assert_eq!(
        env.count("SELECT count(*) FROM relations"),
        lines("relations.csv")
    );
    let out = env.output(&["check", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["errors"], 0, "{v}");
    let exported = env.dir.path().join("out");
    env.run_all(&[&["export", exported.to_str().unwrap()]]);
    for name in ["variants.csv", "relations.csv"] {
        let mut written: Vec<String> = std::fs::read_to_string(exported.join(name))
            .unwrap()
            .lines()
            .map(str::to_string)
            .collect();
        let mut read: Vec<String> = std::fs::read_to_string(dir.join(name))
            .unwrap()
            .lines()
            .map(str::to_string)
            .collect();
        // Export orders by term key; the generator by term number.
        written.sort();
        read.sort();
        assert_eq!(written, read, "{name}");
    }
}

#[test]
fn suggest_lists_related_terms_without_an_article_best_first() {
    let env = env();
    let out = env.output(&["suggest", "comparisons"]);
    assert!(
        stdout(&out).contains("(none: relate terms"),
        "{}",
        stdout(&out)
    );
    env.run_all(&[
        &["add-term", "Writer"],
        &["add-term", "Crew"],
        &["add-relation", "Showrunner", "antonym", "Writer"],
        &["add-relation", "Showrunner", "broader", "Crew"],
        &["add-relation", "Crew", "narrower", "Writer"],
        &[
            "add-relation",
            "Showrunner",
            "--sense",
            "2",
            "related",
            "Producer",
        ],
        // A pair with an article already is no idea.
        &[
            "add-relation",
            "Producer",
            "related",
            "Executive Producer",
            "--target-sense",
            "3",
        ],
    ]);
    let json = env.json(&["suggest", "comparisons", "--format", "json"]);
    assert_eq!(
        json,
        serde_json::json!([
            {"left": "Showrunner", "right": "Writer", "score": 4, "reasons": ["antonym", "sibling"]},
            {"left": "Producer", "right": "Showrunner", "score": 2, "reasons": ["related"]}
        ])
    );
    let text = stdout(&env.output(&["suggest", "comparisons", "--limit", "1"]));
    assert_eq!(text.lines().count(), 2, "{text}");
    let out = env.output(&["suggest", "comparisons", "--limit", "0"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn relations_wait_in_a_pending_version_and_round_trip_through_export() {
    let env = env();
    let relations = |pending: bool| -> serde_json::Value {
        let mut args = vec!["query", "--term", "Showrunner", "--format", "json"];
        if pending {
            args.push("--pending");
        }
        env.json(&args)["relations"].clone()
    };
    env.run_all(&[
        &["add-relation", "Showrunner", "related", "Producer"],
        &[
            "add-relation",
            "Showrunner",
            "--sense",
            "2",
            "broader",
            "Executive Producer",
            "--pending",
        ],
        &[
            "edit",
            "relation",
            "Showrunner",
            "1",
            "--set",
            "relation=synonym",
            "--pending",
        ],
    ]);
    // Readers see the live relation only, as it was.
    let live = relations(false);
    assert_eq!(live.as_array().unwrap().len(), 1, "{live}");
    assert_eq!(live[0]["relation"], "related");
    let pending = relations(true);
    assert_eq!(pending[0]["relation"], "synonym", "{pending}");
    assert_eq!(pending[1]["relation"], "broader", "{pending}");
    assert_eq!(pending[1]["sense"], 2, "{pending}");
    let shown = stdout(&env.output(&["pending", "show", "term", "Showrunner"]));
    assert!(shown.contains("relation"), "{shown}");

    // An export keeps the pending version; imported into a new file, it
    // comes back the same, byte for byte.
    let out = env.dir.path().join("out");
    env.run_all(&[&["export", out.to_str().unwrap()]]);
    let again = env.dir.path().join("again.db");
    let out2 = env.dir.path().join("out2");
    env.cmd_at(&again)
        .args(["import", out.to_str().unwrap()])
        .assert()
        .success();
    env.cmd_at(&again)
        .args(["export", out2.to_str().unwrap()])
        .assert()
        .success();
    for file in ["relations.csv", "pending_versions.csv"] {
        assert_eq!(
            std::fs::read(out.join(file)).unwrap(),
            std::fs::read(out2.join(file)).unwrap(),
            "{file}"
        );
    }

    // A pending removal, then publishing: both edits land as one change.
    env.run_all(&[
        &[
            "remove",
            "relation",
            "Showrunner",
            "1",
            "--pending",
            "--yes",
        ],
        &["pending", "publish", "term", "Showrunner"],
    ]);
    let live = relations(false);
    assert_eq!(live.as_array().unwrap().len(), 1, "{live}");
    assert_eq!(live[0]["relation"], "broader", "{live}");
    let json = env.json(&["query", "--term", "Executive Producer", "--format", "json"]);
    assert!(
        json["relations"].to_string().contains("Showrunner"),
        "{json}"
    );
    // Undone whole: the live relation as it was before publishing.
    let history = env.json(&["history", "--format", "json", "--limit", "1"]);
    let change = history[0]["change"].as_i64().unwrap().to_string();
    env.run_all(&[&["revert", &change]]);
    let live = relations(false);
    assert_eq!(live[0]["relation"], "related", "{live}");
    assert_eq!(live.as_array().unwrap().len(), 1, "{live}");
}

#[test]
fn a_terms_structured_data_links_the_related_terms_pages() {
    let env = env();
    env.run_all(&[
        &["site", "set", "base_url", "https://example.org/g/"],
        &[
            "add-relation",
            "Showrunner",
            "--sense",
            "1",
            "broader",
            "Executive Producer",
        ],
        &[
            "add-relation",
            "Showrunner",
            "--sense",
            "2",
            "broader",
            "Executive Producer",
        ],
        &["add-relation", "Producer", "synonym", "Showrunner"],
        &["add-term", "Writer"],
        &["add-relation", "Showrunner", "related", "Writer"],
    ]);
    let site = env.dir.path().join("site");
    env.run_all(&[&["render", "--all", "--out", site.to_str().unwrap()]]);
    let page = std::fs::read_to_string(site.join("terms/showrunner.html")).unwrap();
    let ld = crate::render::json_ld_blocks(&page).remove(0);
    assert_eq!(ld["@type"], "DefinedTerm");
    assert_eq!(ld["@id"], "https://example.org/g/terms/showrunner.html");
    assert_eq!(
        ld["@context"][1]["skos"],
        "http://www.w3.org/2004/02/skos/core#"
    );
    // Two senses broader than one term: one link to the term's page.
    assert_eq!(
        ld["skos:broader"],
        serde_json::json!([{ "@id": "https://example.org/g/terms/executive-producer.html" }])
    );
    // A synonym written from the other end; a draft (Writer) has no page
    // to link.
    assert_eq!(
        ld["skos:closeMatch"],
        serde_json::json!([{ "@id": "https://example.org/g/terms/producer.html" }])
    );
    assert!(ld.get("skos:related").is_none(), "{ld}");
    // The inverse from the other end.
    let page = std::fs::read_to_string(site.join("terms/executive-producer.html")).unwrap();
    let ld = crate::render::json_ld_blocks(&page).remove(0);
    assert_eq!(
        ld["skos:narrower"],
        serde_json::json!([{ "@id": "https://example.org/g/terms/showrunner.html" }])
    );
    // Published, the draft's page is linked as related.
    env.run_all(&[
        &["publish", "--term", "Writer"],
        &["render", "--all", "--out", site.to_str().unwrap()],
    ]);
    let page = std::fs::read_to_string(site.join("terms/showrunner.html")).unwrap();
    let ld = crate::render::json_ld_blocks(&page).remove(0);
    assert_eq!(
        ld["skos:related"],
        serde_json::json!([{ "@id": "https://example.org/g/terms/writer.html" }])
    );
}

#[test]
fn suggest_counts_terms_the_texts_name_together() {
    let env = env();
    env.run_all(&[
        &["add-term", "Writer"],
        &["add-sense", "Writer", "--definition", "One who writes."],
        // Showrunner's own texts name Writer twice: a sense and an example.
        &[
            "edit",
            "sense",
            "Showrunner",
            "1",
            "--set",
            "definition=The head writer of a series.",
        ],
        &[
            "add-example",
            "Showrunner",
            "2",
            "Every writer answers to the showrunner.",
        ],
    ]);
    let json = env.json(&["suggest", "comparisons", "--format", "json"]);
    assert_eq!(
        json,
        serde_json::json!([
            {"left": "Showrunner", "right": "Writer", "score": 1, "reasons": ["together"]}
        ])
    );
    // Named together in five texts or more: 2; added to a relation's.
    for n in 1..=3 {
        env.run_all(&[&[
            "add-faq",
            SLUG,
            "--question",
            &format!("Question {n}?"),
            "--answer",
            "The showrunner and the writer agree.",
        ]]);
    }
    env.run_all(&[&["add-relation", "Writer", "related", "Showrunner"]]);
    let json = env.json(&["suggest", "comparisons", "--format", "json"]);
    assert_eq!(
        json,
        serde_json::json!([
            {"left": "Showrunner", "right": "Writer", "score": 4, "reasons": ["related", "together"]}
        ])
    );
    // Once written, no longer an idea.
    env.run_all(&[&[
        "add-comparison",
        "--left",
        "Writer",
        "--right",
        "Showrunner",
    ]]);
    let out = env.output(&["suggest", "comparisons"]);
    assert!(stdout(&out).contains("(none"), "{}", stdout(&out));
}
