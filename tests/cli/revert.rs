//! `revert`: a change undone whole, byte for byte, imports included; a
//! revert in the way of a later change refused.

use std::fs;

use crate::history::{export, last_change};
use crate::util::{stderr, Env, SLUG};

#[test]
fn removals_reverted_bring_everything_back_byte_for_byte() {
    let env = Env::new();
    env.import_seeds();
    let before = export(&env, "before");
    for (n, args) in [
        &["remove", "term", "Producer", "--yes"][..],
        &["remove", "comparison", SLUG, "--yes"],
        &["remove", "sense", "Producer", "2", "--yes"],
        &["remove", "faq", SLUG, "3", "--yes"],
        &["remove", "row", SLUG, "Creative Involvement", "--yes"],
    ]
    .iter()
    .enumerate()
    {
        env.cmd().args(*args).assert().success();
        let change = last_change(&env);
        let out = env.cmd().args(["revert", &change]).output().unwrap();
        assert!(out.status.success(), "{args:?}: {}", stderr(&out));
        assert_eq!(export(&env, &format!("after{n}")), before, "{args:?}");
    }
    env.cmd().arg("check").assert().success();
}

#[test]
fn an_import_can_be_reverted() {
    let env = Env::new();
    env.import_seeds();
    let before = export(&env, "before");
    let dir = env.seeds_copy();
    crate::util::edit(
        &dir.join("differences.csv"),
        "day-to-day management",
        "daily management",
    );
    fs::write(dir.join("terms.csv"), "term,status\nGaffer,published\n").unwrap();
    env.cmd().arg("import").arg(&dir).assert().success();
    let v = env.json(&["history", "--limit", "1", "--format", "json"]);
    assert_eq!(v[0]["summary"], "+1 term, ~1 difference");
    env.cmd()
        .args(["revert", &last_change(&env)])
        .assert()
        .success();
    assert_eq!(export(&env, "after"), before);
}

#[test]
fn a_revert_in_the_way_of_a_later_change_is_refused_and_writes_nothing() {
    let env = Env::new();
    env.import_seeds();
    env.cmd()
        .args(["edit", "faq", SLUG, "2", "--set", "answer=A."])
        .assert()
        .success();
    let first = last_change(&env);
    env.cmd()
        .args(["edit", "faq", SLUG, "2", "--set", "answer=B."])
        .assert()
        .success();
    let second = last_change(&env);
    let bytes = env.db_bytes();
    let out = env.cmd().args(["revert", &first]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains(&format!("change {second}")), "{err}");
    assert!(err.contains(&format!("glossary revert {second}")), "{err}");
    assert_eq!(env.db_bytes(), bytes, "a refused revert wrote");
    // Newest first works, and a change and its revert do not stand in the way.
    env.cmd().args(["revert", &second]).assert().success();
    env.cmd().args(["revert", &first]).assert().success();
    assert_eq!(
        env.count(
            "SELECT count(*) FROM faqs WHERE position = 2 AND answer LIKE 'Producers often%'"
        ),
        1
    );
}

#[test]
fn a_sequence_of_commands_reverted_newest_first_returns_to_the_start() {
    let env = Env::new();
    env.import_seeds();
    let start = export(&env, "start");
    let first = last_change(&env).parse::<i64>().unwrap();
    for args in [
        &["add-term", "Director"][..],
        &[
            "add-sense",
            "Director",
            "--definition",
            "Directs.",
            "--example",
            "She directs.",
        ],
        &[
            "add-comparison",
            "--left",
            "Director",
            "--right",
            "Producer",
            "--summary",
            "S.",
            "--published",
            "2024-01-01",
        ],
        &[
            "add-faq",
            SLUG,
            "--question",
            "New?",
            "--answer",
            "Yes.",
            "--position",
            "1",
        ],
        &["edit", "faq", SLUG, "5", "--set", "position=2"],
        &["edit", "sense", "Producer", "7", "--set", "sense=1"],
        &["remove", "row", SLUG, "Project Influence", "--yes"],
        &["edit", "term", "Producer", "--set", "term=Maker"],
        &["publish", "director-vs-producer", "--with-terms", "--force"],
        &["remove", "term", "Executive Producer", "--yes"],
    ] {
        let out = env.cmd().args(args).output().unwrap();
        assert!(out.status.success(), "{args:?}: {}", stderr(&out));
    }
    let last = last_change(&env).parse::<i64>().unwrap();
    for change in (first + 1..=last).rev() {
        let out = env
            .cmd()
            .args(["revert", &change.to_string()])
            .output()
            .unwrap();
        assert!(out.status.success(), "revert {change}: {}", stderr(&out));
    }
    assert_eq!(export(&env, "end"), start);
    env.cmd().arg("check").assert().success();
}

#[test]
fn an_import_records_its_new_rows_as_ranges_and_reverts_whole() {
    let env = Env::new();
    env.import_seeds();
    let before = export(&env, "before");
    let dir = env.dir.path().join("generated");
    crate::generator::generate(40, &dir, 11).unwrap();
    env.cmd().arg("import").arg(&dir).assert().success();
    let change = last_change(&env);
    // Thousands of new rows, recorded as one range per table.
    let revisions = env.count(&format!(
        "SELECT count(*) FROM revisions WHERE change_id = {change}"
    ));
    let ranges = env.count(&format!(
        "SELECT count(*) FROM change_ranges WHERE change_id = {change}"
    ));
    let added = env.count(&format!(
        "SELECT sum(last_id - first_id + 1) FROM change_ranges WHERE change_id = {change}"
    ));
    assert_eq!(ranges, 7);
    assert!(added > 1000, "{added}");
    assert!(
        revisions < 10,
        "{revisions} revisions for an import of new rows"
    );
    let detail = env.json(&["history", &change, "--format", "json"]);
    assert!(
        detail["added"][0].as_str().unwrap().contains("terms (ids"),
        "{detail}"
    );
    // history of one of the new entries finds the import.
    let slug: String = env
        .conn()
        .query_row(
            "SELECT slug FROM comparisons ORDER BY id DESC LIMIT 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let v = env.json(&["history", "comparison", &slug, "--format", "json"]);
    assert_eq!(v[0]["change"].to_string(), change);
    // A later edit of an imported row stands in the way of the revert.
    env.cmd()
        .args(["edit", "comparison", &slug, "--set", "title=Edited"])
        .assert()
        .success();
    let out = env.cmd().args(["revert", &change]).output().unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    env.cmd()
        .args(["revert", &last_change(&env)])
        .assert()
        .success();
    env.cmd().args(["revert", &change]).assert().success();
    assert_eq!(export(&env, "after"), before);
    env.cmd().arg("check").assert().success();
}

#[test]
fn a_change_that_removes_a_last_row_and_adds_one_under_its_id_reverts() {
    // SQLite gives a new row the highest id plus one: removing the row
    // with the highest id and adding one in the same change reuses the
    // id. Here a term's document swaps Producer's only variant, the last
    // one in the table.
    let env = Env::new();
    env.import_seeds();
    let before = export(&env, "before");
    let max = || env.count("SELECT max(id) FROM variants");
    let last = max();
    assert_eq!(
        env.count("SELECT id FROM variants WHERE variant = 'producers'"),
        last
    );
    let doc = env
        .write(
            "docs",
            "p.toml",
            "variants = [ { variant = \"prods\", type = \"abbreviation\" } ]\n",
        )
        .join("p.toml");
    env.cmd()
        .args(["edit", "term", "Producer", "--file", doc.to_str().unwrap()])
        .assert()
        .success();
    assert_eq!(
        env.count("SELECT id FROM variants WHERE variant = 'prods'"),
        last,
        "the id is reused"
    );
    let change = last_change(&env);
    let out = env.cmd().args(["revert", &change]).output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(export(&env, "after"), before);
    env.cmd().arg("check").assert().success();
    // And the revert itself reverts: the swap is back.
    let undo = last_change(&env);
    env.cmd().args(["revert", &undo]).assert().success();
    assert_eq!(
        env.count("SELECT count(*) FROM variants WHERE variant = 'prods'"),
        1
    );
}
