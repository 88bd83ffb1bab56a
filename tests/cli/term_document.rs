//! A term's `$EDITOR` document lists its variants and the relations
//! written from it: a person adds, changes, reorders and cuts items there,
//! in one change that undoes whole, with what they did not touch left as
//! others made it, and on the pending version too.

use std::fs;
use std::os::unix::fs::PermissionsExt;

use crate::history::export;
use crate::util::{stderr, stdout, Env};

const EP: &str = "Executive Producer";

/// An $EDITOR that runs a Python script on the document (`s` is its
/// text; the script's `s` is written back).
fn editor(env: &Env, name: &str, python: &str) -> String {
    let script = env.dir.path().join(format!("{name}.py"));
    fs::write(
        &script,
        format!(
            "import sys\np = sys.argv[1]\ns = open(p).read()\n{python}\nopen(p, 'w').write(s)\n"
        ),
    )
    .unwrap();
    let path = env.dir.path().join(name);
    fs::write(
        &path,
        format!("#!/bin/sh\nexec python3 {} \"$1\"\n", script.display()),
    )
    .unwrap();
    fs::set_permissions(&path, fs::Permissions::from_mode(0o755)).unwrap();
    path.display().to_string()
}

fn edit_with(env: &Env, ed: &str, args: &[&str]) -> std::process::Output {
    env.cmd()
        .env("EDITOR", ed)
        .env_remove("VISUAL")
        .arg("edit")
        .args(args)
        .output()
        .unwrap()
}

/// The seeds with Director (one sense) and Executive Producer broader
/// than Producer, written from Executive Producer.
fn seeded() -> Env {
    let env = Env::new();
    env.import_seeds();
    env.add_term("Director", false, &["One who directs a film."]);
    env.run_all(&[&["add-relation", EP, "narrower", "Producer"]]);
    env
}

fn variants(env: &Env, term: &str) -> Vec<(String, String)> {
    let json = env.json(&["query", "--term", term, "--format", "json"]);
    json["variants"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| {
            (
                v["variant"].as_str().unwrap().to_string(),
                v["type"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn the_document_lists_variants_and_relations_and_applies_them_as_one_change() {
    let env = seeded();
    let before = export(&env, "before");
    // What it shows: the lists as TOML, one item a line, with the fields'
    // meanings.
    let look = env.dir.path().join("seen.toml");
    let ed = editor(
        &env,
        "look",
        &format!("open({:?}, 'w').write(s)", look.display().to_string()),
    );
    let out = edit_with(&env, &ed, &["term", EP]);
    assert!(out.status.success(), "{}", stderr(&out));
    let seen = fs::read_to_string(&look).unwrap();
    assert!(
        seen.contains(
            "variants = [\n    { variant = \"EP\", type = \"abbreviation\" },\n    { variant = \"executive producers\", type = \"plural\" },\n]"
        ),
        "{seen}"
    );
    assert!(
        seen.contains("relations = [\n    { relation = \"narrower\", target = \"Producer\" },\n]"),
        "{seen}"
    );
    assert!(
        seen.contains("#   type: plural, abbreviation, spelling or form"),
        "{seen}"
    );

    // Cut one, add one at the top, change a type, change a relation's
    // kind and add one from a sense to a sense.
    let ed = editor(
        &env,
        "change",
        r#"s = s.replace('    { variant = "EP", type = "abbreviation" },\n', '    { variant = "E.P.", type = "abbreviation" },\n')
s = s.replace('type = "plural"', 'type = "form"')
s = s.replace('{ relation = "narrower", target = "Producer" },', '{ relation = "related", target = "Producer" },\n    { sense = 2, relation = "synonym", target = "director", target_sense = 1 },')"#,
    );
    let out = edit_with(&env, &ed, &["term", EP]);
    assert!(out.status.success(), "{}", stderr(&out));
    let said = stdout(&out);
    assert!(
        said.contains(
            "variants: \"EP (abbreviation); executive producers (plural)\" → \"E.P. (abbreviation); executive producers (form)\""
        ),
        "{said}"
    );
    assert!(
        said.contains(
            "relations: \"narrower Producer\" → \"related Producer; sense 2 synonym director 1\""
        ),
        "{said}"
    );
    assert_eq!(
        variants(&env, EP),
        [
            ("E.P.".to_string(), "abbreviation".to_string()),
            ("executive producers".to_string(), "form".to_string())
        ]
    );
    let json = env.json(&["query", "--term", "director", "--format", "json"]);
    let relations = json["relations"].to_string();
    assert!(relations.contains("\"Executive Producer\""), "{json}");
    // The old name leads nowhere now.
    assert!(!env.output(&["query", "--term", "EP"]).status.success());

    // One change, undone whole: the export is as it was, byte for byte.
    let history = env.json(&["history", "--format", "json", "--limit", "1"]);
    let change = history[0]["change"].as_i64().unwrap().to_string();
    env.run_all(&[&["revert", &change]]);
    assert_eq!(export(&env, "after"), before);
}

#[test]
fn reordering_moves_only_and_a_hand_written_list_replaces() {
    let env = seeded();
    let ed = editor(
        &env,
        "swap",
        r#"a = '    { variant = "EP", type = "abbreviation" },\n'
b = '    { variant = "executive producers", type = "plural" },\n'
s = s.replace(a + b, b + a)"#,
    );
    let out = edit_with(&env, &ed, &["term", EP]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(variants(&env, EP)[0].0, "executive producers");
    let history = env.json(&["history", "--format", "json", "--limit", "1"]);
    assert_eq!(history[0]["summary"], "2 variants moved", "{history}");

    // A document written by hand with a list replaces that list; the one
    // it leaves out (relations) stays as it is.
    let file = env
        .write(
            "docs",
            "ep.toml",
            "variants = [ { variant = \"XP\", type = \"abbreviation\" } ]\n",
        )
        .join("ep.toml");
    env.run_all(&[&["edit", "term", EP, "--file", file.to_str().unwrap()]]);
    assert_eq!(
        variants(&env, EP),
        [("XP".to_string(), "abbreviation".to_string())]
    );
    let json = env.json(&["query", "--term", EP, "--format", "json"]);
    assert_eq!(json["relations"].as_array().unwrap().len(), 1, "{json}");
    // An empty list empties it.
    let file = env
        .write("docs", "none.toml", "variants = []\n")
        .join("none.toml");
    env.run_all(&[&["edit", "term", EP, "--file", file.to_str().unwrap()]]);
    assert!(variants(&env, EP).is_empty());
}

#[test]
fn a_bad_list_says_which_item_and_keeps_the_text_with_nothing_written() {
    let env = seeded();
    let before = env.db_bytes();
    for (python, says) in [
        (
            r#"s = s.replace('type = "plural"', 'typ = "plural"')"#,
            "variants 2: unknown field \"typ\" (did you mean \"type\"?); a variant has variant, type",
        ),
        (
            r#"s = s.replace('target = "Producer"', 'target = "Prodcer"')"#,
            "relations 1: unknown term \"Prodcer\" (did you mean \"Producer\"?)",
        ),
        (
            r#"s = s.replace('"executive producers", type = "plural"', '"ep", type = "plural"')"#,
            "variants 1 and 2 are the same variant: list it once",
        ),
        (
            r#"s = s.replace('type = "plural"', 'type = "plurals"')"#,
            "variants 2: ",
        ),
        (
            r#"s = s.replace('{ relation = "narrower", target = "Producer" },', '{ relation = "broader", target = "Executive Producer" },')"#,
            "relations 1: \"Executive Producer\" cannot be related to itself",
        ),
        (
            "s = s.replace('variants = [', 'variants = 3 #')",
            "the document is not valid TOML",
        ),
    ] {
        let ed = editor(&env, "bad", python);
        let out = edit_with(&env, &ed, &["term", EP]);
        assert_eq!(out.status.code(), Some(1), "{python}");
        let err = stderr(&out);
        assert!(err.contains(says), "{python}: {err}");
        assert!(err.contains("your text is kept in"), "{err}");
        assert_eq!(env.db_bytes(), before, "{python}");
    }
}

#[test]
fn a_kept_document_leaves_what_others_changed_meanwhile() {
    let env = seeded();
    // A document kept after a mistake, fixed later...
    let ed = editor(
        &env,
        "typo",
        r#"s = s.replace('type = "plural"', 'type = "plurl"').replace('    { variant = "EP", type = "abbreviation" },\n', '')"#,
    );
    let out = edit_with(&env, &ed, &["term", EP]);
    assert!(!out.status.success());
    let err = stderr(&out);
    let kept = err
        .split("your text is kept in ")
        .nth(1)
        .and_then(|r| r.split(';').next())
        .unwrap()
        .to_string();
    let text = fs::read_to_string(&kept)
        .unwrap()
        .replace("plurl", "plural");
    fs::write(&kept, text).unwrap();
    // ...while someone adds a variant and changes the relation.
    env.run_all(&[
        &["add-variant", EP, "exec. prod.", "--type", "abbreviation"],
        &["edit", "relation", EP, "1", "--set", "relation=related"],
    ]);
    env.run_all(&[&["edit", "term", EP, "--file", &kept]]);
    // What the person did (EP cut) is done; what the other did stays.
    assert_eq!(
        variants(&env, EP),
        [
            ("executive producers".to_string(), "plural".to_string()),
            ("exec. prod.".to_string(), "abbreviation".to_string())
        ]
    );
    let json = env.json(&["query", "--term", EP, "--format", "json"]);
    assert_eq!(json["relations"][0]["relation"], "related", "{json}");
}

#[test]
fn the_pending_document_changes_lists_readers_do_not_see_yet() {
    let env = seeded();
    env.run_all(&[&["publish", "--term", "Director"]]);
    let ed = editor(
        &env,
        "pending",
        r#"s = s.replace('relations = [\n', 'relations = [\n    { relation = "related", target = "Director" },\n')
s = s.replace('type = "plural"', 'type = "form"')"#,
    );
    let out = edit_with(&env, &ed, &["term", EP, "--pending"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("in its pending version"),
        "{}",
        stdout(&out)
    );
    // Live is as it was...
    assert_eq!(variants(&env, EP)[1].1, "plural");
    let live = env.json(&["query", "--term", EP, "--format", "json"]);
    assert_eq!(live["relations"].as_array().unwrap().len(), 1, "{live}");
    // ...the pending version has both, first the new relation.
    let pending = env.json(&["query", "--term", EP, "--pending", "--format", "json"]);
    assert_eq!(pending["variants"][1]["type"], "form", "{pending}");
    assert_eq!(pending["relations"][0]["term"], "Director", "{pending}");
    assert_eq!(pending["relations"][1]["term"], "Producer", "{pending}");
    // Published, readers see them.
    env.run_all(&[&["pending", "publish", "term", EP]]);
    let live = env.json(&["query", "--term", EP, "--format", "json"]);
    assert_eq!(live["relations"][0]["term"], "Director", "{live}");
    assert_eq!(variants(&env, EP)[1].1, "form");
}
