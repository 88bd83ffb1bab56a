//! `edit` in `$EDITOR` and the prompts on a terminal: the document round
//! trip, what is kept when an editor fails or a document is invalid, and
//! questions asked before any lock is taken.

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use predicates::prelude::*;

use crate::util::{stderr, stdout, Env, SLUG};

/// An $EDITOR that runs `script` on the file it is given.
fn editor(env: &Env, script: &str) -> String {
    let path = env.dir.path().join("fake-editor");
    fs::write(&path, format!("#!/bin/sh\nset -e\nf=\"$1\"\n{script}\n")).unwrap();
    fs::set_permissions(&path, fs::Permissions::from_mode(0o755)).unwrap();
    path.display().to_string()
}

#[test]
fn editor_round_trip_applies_a_valid_document() {
    let env = Env::new();
    env.import_seeds();
    let ed = editor(
        &env,
        "sed -i 's/^answer = .*/answer = \"\"\"\\nYes.\\nOften.\"\"\"/' \"$f\"",
    );
    let out = env
        .cmd()
        .env("EDITOR", &ed)
        .env_remove("VISUAL")
        .args(["edit", "faq", SLUG, "4"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("answer:"), "{}", stdout(&out));
    assert_eq!(env.count("SELECT count(*) FROM faqs WHERE position = 4 AND answer = 'Yes.' || char(10) || 'Often.'"), 1);
}

#[test]
fn editor_unchanged_or_emptied_document_changes_nothing() {
    let env = Env::new();
    env.import_seeds();
    let before = env.db_bytes();
    for (script, says) in [
        ("true", "no change to"),
        (": > \"$f\"", "empty document: no change to"),
    ] {
        let ed = editor(&env, script);
        env.cmd()
            .env("VISUAL", &ed)
            .args(["edit", "comparison", SLUG])
            .assert()
            .success()
            .stdout(predicate::str::starts_with(says));
    }
    assert_eq!(env.db_bytes(), before);
}

#[test]
fn editor_invalid_document_is_kept_and_nothing_changes() {
    let env = Env::new();
    env.import_seeds();
    let before = env.db_bytes();
    let ed = editor(&env, "echo 'answr = \"typo\"' >> \"$f\"");
    let out = env
        .cmd()
        .env("EDITOR", &ed)
        .env_remove("VISUAL")
        .args(["edit", "faq", SLUG, "2"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("unknown field \"answr\" (did you mean \"answer\"?)"),
        "{err}"
    );
    let kept = err
        .split("your text is kept in ")
        .nth(1)
        .expect("a kept file")
        .split(';')
        .next()
        .unwrap()
        .trim();
    let text = fs::read_to_string(kept).unwrap();
    assert!(text.contains("answr = \"typo\""), "{text}");
    fs::remove_file(kept).unwrap();
    assert_eq!(env.db_bytes(), before);
}

#[test]
fn a_failing_editor_keeps_the_text() {
    let env = Env::new();
    env.import_seeds();
    let ed = editor(&env, "echo 'half-typed' >> \"$f\"; exit 3");
    let out = env
        .cmd()
        .env("EDITOR", &ed)
        .env_remove("VISUAL")
        .args(["edit", "term", "Producer"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains("failed"), "{err}");
    let kept = err
        .split("your text is kept in ")
        .nth(1)
        .expect("kept")
        .split(';')
        .next()
        .unwrap()
        .trim();
    assert!(fs::read_to_string(kept).unwrap().contains("half-typed"));
    fs::remove_file(kept).unwrap();
}

/// Runs `glossary ARGS` on a pseudo-terminal (util-linux `script`), as an
/// editor at a terminal would, feeding `input` to it.
fn on_terminal(env: &Env, editor_path: &str, args: &str, input: &str) -> std::process::Output {
    let bin = assert_cmd::cargo::cargo_bin("glossary");
    let command = format!("{} --db {} {args}", bin.display(), env.db().display());
    // timeout(1) keeps a regression (an editor loop) from hanging the suite.
    let mut child = std::process::Command::new("timeout")
        .args(["60", "script", "-qec", &command, "/dev/null"])
        .env("EDITOR", editor_path)
        .env_remove("VISUAL")
        .env("NO_COLOR", "1")
        .current_dir(env.dir.path())
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("script(1) from util-linux");
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

#[test]
fn on_a_terminal_an_invalid_document_reopens_with_the_error_on_top() {
    let env = Env::new();
    env.import_seeds();
    // First round: a typo. Second round: the error must be on top; fix it.
    let ed = editor(
        &env,
        "if grep -q '^# ERROR: unknown field \"answr\"' \"$f\"; then \
           sed -i '/^answr = /d; s/^answer = .*/answer = \"Fixed.\"/' \"$f\"; \
         else echo 'answr = \"typo\"' >> \"$f\"; fi",
    );
    let out = on_terminal(&env, &ed, &format!("edit faq {SLUG} 2"), "");
    assert!(out.status.success(), "{}{}", stdout(&out), stderr(&out));
    assert_eq!(
        env.count("SELECT count(*) FROM faqs WHERE position = 2 AND answer = 'Fixed.'"),
        1
    );
}

#[test]
fn on_a_terminal_add_faq_asks_and_remove_confirms() {
    let env = Env::new();
    env.import_seeds();
    let out = on_terminal(
        &env,
        "true",
        &format!("add-faq {SLUG}"),
        "Asked?\nAnswered.\n",
    );
    assert!(out.status.success(), "{}", stdout(&out));
    assert_eq!(
        env.count("SELECT position FROM faqs WHERE question = 'Asked?' AND answer = 'Answered.'"),
        21
    );
    let out = on_terminal(&env, "true", &format!("remove faq {SLUG} 21"), "n\n");
    assert!(stdout(&out).contains("nothing removed"), "{}", stdout(&out));
    assert_eq!(env.count("SELECT count(*) FROM faqs"), 21);
    let out = on_terminal(&env, "true", &format!("remove faq {SLUG} 21"), "y\n");
    assert!(stdout(&out).contains("removed faq"), "{}", stdout(&out));
    assert_eq!(env.count("SELECT count(*) FROM faqs"), 20);
}

/// `glossary ARGS` started on a pseudo-terminal (util-linux `script`),
/// returned once it shows `prompt`, with its stdin to answer on and its
/// output so far.
fn waiting_at_prompt(
    env: &Env,
    args: &str,
    prompt: &str,
) -> (
    std::process::Child,
    std::sync::Arc<std::sync::Mutex<String>>,
) {
    use std::io::Read;
    let bin = assert_cmd::cargo::cargo_bin("glossary");
    let command = format!("{} --db {} {args}", bin.display(), env.db().display());
    let mut child = std::process::Command::new("timeout")
        .args(["60", "script", "-qec", &command, "/dev/null"])
        .env("NO_COLOR", "1")
        .current_dir(env.dir.path())
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("script(1) from util-linux");
    let seen = std::sync::Arc::new(std::sync::Mutex::new(String::new()));
    let mut pipe = child.stdout.take().unwrap();
    let sink = seen.clone();
    std::thread::spawn(move || {
        let mut buf = [0u8; 1024];
        while let Ok(n) = pipe.read(&mut buf) {
            if n == 0 {
                break;
            }
            sink.lock()
                .unwrap()
                .push_str(&String::from_utf8_lossy(&buf[..n]));
        }
    });
    let started = std::time::Instant::now();
    while !seen.lock().unwrap().contains(prompt) {
        assert!(
            started.elapsed().as_secs() < 20,
            "no prompt: {}",
            seen.lock().unwrap()
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    (child, seen)
}

fn answer(mut child: std::process::Child, seen: &std::sync::Mutex<String>, text: &str) -> String {
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(text.as_bytes())
        .unwrap();
    child.wait().unwrap();
    std::thread::sleep(std::time::Duration::from_millis(50));
    seen.lock().unwrap().clone()
}

#[test]
fn remove_asks_before_it_takes_the_write_lock() {
    let env = Env::new();
    env.import_seeds();
    let (child, seen) = waiting_at_prompt(&env, &format!("remove faq {SLUG} 20"), "[y/N]");
    // The question shows what will go, not just its key.
    let question = "Remove faq producer-vs-executive-producer 20 (\"What’s a common misconception about producers?\")? [y/N]";
    assert!(
        seen.lock().unwrap().contains(question),
        "{}",
        seen.lock().unwrap()
    );
    // While the person reads, others write.
    let out = env
        .cmd()
        .env("GLOSSARY_BUSY_TIMEOUT", "200")
        .args(["add-term", "Gaffer"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "blocked by a question: {}",
        stderr(&out)
    );
    let text = answer(child, &seen, "y\n");
    assert!(
        text.contains("removed faq producer-vs-executive-producer 20"),
        "{text}"
    );
    assert_eq!(env.count("SELECT count(*) FROM faqs"), 19);

    // Someone changes the entry while the question is open: nothing goes.
    let (child, seen) = waiting_at_prompt(&env, &format!("remove faq {SLUG} 19"), "[y/N]");
    env.cmd()
        .args(["edit", "faq", SLUG, "19", "--set", "position=1"])
        .assert()
        .success();
    let text = answer(child, &seen, "y\n");
    assert!(text.contains("changed while you were asked"), "{text}");
    assert_eq!(env.count("SELECT count(*) FROM faqs"), 19);
}

/// An $EDITOR that runs `script` on the file it is given ($f).
fn editor_script(env: &Env, name: &str, script: &str) -> String {
    let path = env.dir.path().join(name);
    fs::write(&path, format!("#!/bin/sh\nf=\"$1\"\n{script}\n")).unwrap();
    use std::os::unix::fs::PermissionsExt;
    fs::set_permissions(&path, fs::Permissions::from_mode(0o755)).unwrap();
    path.display().to_string()
}

/// The files glossary left in `tmp`.
fn left_in(tmp: &Path) -> Vec<std::path::PathBuf> {
    fs::read_dir(tmp)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect()
}

/// The kept file's path from a message "...kept in PATH; apply it...".
fn kept_path(err: &str) -> std::path::PathBuf {
    let rest = err
        .split("kept in ")
        .nth(1)
        .unwrap_or_else(|| panic!("{err}"));
    std::path::PathBuf::from(rest.split(';').next().unwrap().trim())
}

#[test]
fn the_editor_leaves_a_file_only_when_it_holds_what_was_typed() {
    let env = Env::new();
    env.import_seeds();
    let tmp = env.dir.path().join("tmp");
    fs::create_dir_all(&tmp).unwrap();
    let run = |editor: &str, args: &[&str]| {
        env.cmd()
            .env("TMPDIR", &tmp)
            .env("EDITOR", editor)
            .env_remove("VISUAL")
            .args(args)
            .output()
            .unwrap()
    };
    let faq2 = ["edit", "faq", SLUG, "2"];
    // An editor that fails at once, or is not there: nothing typed, no file.
    for editor in ["false", "/nonexistent/editor"] {
        let out = run(editor, &faq2);
        assert_eq!(out.status.code(), Some(1), "{editor}");
        assert!(stderr(&out).contains("editor"), "{}", stderr(&out));
        assert!(
            left_in(&tmp).is_empty(),
            "{editor} left {:?}",
            left_in(&tmp)
        );
    }
    // An editor that saved a change, then failed: the text is kept...
    let crashy = editor_script(
        &env,
        "crashy",
        "sed -i 's/^answer = .*/answer = \"Typed, then the editor crashed.\"/' \"$f\"; exit 1",
    );
    let out = run(&crashy, &faq2);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    let kept = kept_path(&err);
    assert!(kept.starts_with(&tmp), "{err}");
    assert!(
        err.contains(&format!("glossary edit faq {SLUG} 2 --file ")),
        "{err}"
    );
    assert_eq!(left_in(&tmp), vec![kept.clone()]);
    // ... someone else changes the question meanwhile ...
    env.cmd()
        .args([
            "edit",
            "faq",
            SLUG,
            "2",
            "--set",
            "question=Changed by another?",
        ])
        .assert()
        .success();
    // ... and the kept file applies what was typed, and only that.
    let out = env
        .cmd()
        .args(["edit", "faq", SLUG, "2", "--file"])
        .arg(&kept)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        env.count(
            "SELECT count(*) FROM faqs WHERE position = 2 AND question = 'Changed by another?' \
             AND answer = 'Typed, then the editor crashed.'"
        ),
        1
    );

    // Off a terminal, a document that cannot be applied is kept too.
    fs::remove_file(&kept).unwrap();
    let typo = editor_script(&env, "typo", "echo 'answr = \"typo\"' >> \"$f\"");
    let out = run(&typo, &["edit", "faq", SLUG, "3"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains("unknown field \"answr\""), "{err}");
    let kept = kept_path(&err);
    let fixed = fs::read_to_string(&kept)
        .unwrap()
        .replace("answr = \"typo\"", "")
        .replace("answer = \"", "answer = \"Fixed: ");
    fs::write(&kept, fixed).unwrap();
    let out = env
        .cmd()
        .args(["edit", "faq", SLUG, "3", "--file"])
        .arg(&kept)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        env.count("SELECT count(*) FROM faqs WHERE position = 3 AND answer LIKE 'Fixed: %'"),
        1
    );
    // A file that is not there is a clear error.
    let out = env
        .cmd()
        .args(["edit", "faq", SLUG, "3", "--file", "missing.toml"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("missing.toml"), "{}", stderr(&out));
}

/// `edit --pending` in `$EDITOR` shows the entry as its pending version
/// has it and saves there; a kept document says to apply it with
/// `--pending`; a draft is refused before the editor opens.
#[test]
fn editor_opens_and_saves_a_pending_version() {
    let env = Env::new();
    env.import_seeds();
    env.pending_answer("ana", 1, "Pending first.");
    let live = env.conn().query_row(
        "SELECT question || answer FROM faqs WHERE position = 1",
        [],
        |r| r.get::<_, String>(0),
    );
    let ed = editor(
        &env,
        "grep -q 'Pending first.' \"$f\"\nsed -i 's/^question = .*/question = \"Asked in the editor?\"/' \"$f\"",
    );
    let out = env
        .cmd()
        .env("EDITOR", &ed)
        .env_remove("VISUAL")
        .args(["edit", "faq", SLUG, "1", "--pending"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).starts_with(&format!("updated faq {SLUG} 1 in its pending version")),
        "{}",
        stdout(&out)
    );
    let will_be = env.json(&[
        "query",
        "--comparison",
        SLUG,
        "--pending",
        "--format",
        "json",
    ]);
    assert_eq!(will_be["faqs"][0]["question"], "Asked in the editor?");
    assert_eq!(will_be["faqs"][0]["answer"], "Pending first.");
    let now = env.conn().query_row(
        "SELECT question || answer FROM faqs WHERE position = 1",
        [],
        |r| r.get::<_, String>(0),
    );
    assert_eq!(now.unwrap(), live.unwrap(), "live is untouched");

    // A document the editor could not apply is kept, to apply to the
    // pending version again.
    let ed = editor(&env, "echo 'answr = \"typo\"' >> \"$f\"");
    let out = env
        .cmd()
        .env("EDITOR", &ed)
        .env_remove("VISUAL")
        .args(["edit", "faq", SLUG, "1", "--pending"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains(&format!("`glossary edit faq {SLUG} 1 --pending --file ")),
        "{}",
        stderr(&out)
    );
    let doc = env.dir.path().join("by-hand.toml");
    fs::write(&doc, "answer = \"From a file.\"\n").unwrap();
    env.cmd()
        .args(["edit", "faq", SLUG, "1", "--pending", "--file"])
        .arg(&doc)
        .assert()
        .success();
    let will_be = env.json(&[
        "query",
        "--comparison",
        SLUG,
        "--pending",
        "--format",
        "json",
    ]);
    assert_eq!(will_be["faqs"][0]["answer"], "From a file.");

    // A draft has no pending version: said before anything is typed.
    env.run_all(&[&["add-term", "Director"]]);
    let marker = env.dir.path().join("editor-ran");
    let ed = editor(&env, &format!("touch {}", marker.display()));
    let out = env
        .cmd()
        .env("EDITOR", &ed)
        .env_remove("VISUAL")
        .args(["edit", "term", "Director", "--pending"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("is a draft"), "{}", stderr(&out));
    assert!(
        !marker.exists(),
        "the editor opened for a version that cannot be saved"
    );
}
