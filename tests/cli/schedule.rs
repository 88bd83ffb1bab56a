//! Publishing on a schedule (migration V15): `publish --at`, `unpublish
//! --at`, `schedule`, `schedule cancel`, and `publish-due`, which does each
//! item once, as one change filed under whoever scheduled it.

use pretty_assertions::assert_eq;

use crate::util::{seed_status, stderr, stdout, Env, SLUG};

#[test]
fn a_scheduled_unpublish_is_done_once_when_due_and_filed_under_who_planned_it() {
    let env = Env::new();
    env.import_seeds();
    let out = env.output(&[
        "--author",
        "pia",
        "unpublish",
        SLUG,
        "--at",
        "2020-01-05T09:00:00+01:00",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("will be taken down at 2020-01-05T08:00:00Z"),
        "{}",
        stdout(&out)
    );
    let listed = env.json(&["schedule", "--format", "json"]);
    assert_eq!(listed[0]["action"], "unpublish");
    assert_eq!(listed[0]["due_at"], "2020-01-05T08:00:00Z");
    assert_eq!(listed[0]["requested_by"], "pia");
    // Planning is not content: no change, the article still live.
    assert_eq!(seed_status(&env), "published");
    assert_eq!(env.count("SELECT count(*) FROM changes"), 1);
    let out = env.output(&["--author", "cron", "publish-due"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).starts_with(&format!(
            "unpublished comparison {SLUG} (change 2, scheduled by pia)"
        )),
        "{}",
        stdout(&out)
    );
    assert_eq!(seed_status(&env), "draft");
    let (author, command): (String, String) = env
        .conn()
        .query_row(
            "SELECT author, command FROM changes WHERE id = 2",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!(author, "pia");
    assert!(
        command.starts_with("publish-due: unpublish comparison"),
        "{command}"
    );
    // Done once: a second run finds nothing.
    env.cmd()
        .arg("publish-due")
        .assert()
        .success()
        .stdout("nothing is due\n");
    assert_eq!(env.count("SELECT count(*) FROM changes"), 2);
    // And it is undone like any change.
    env.cmd().args(["revert", "2"]).assert().success();
    assert_eq!(seed_status(&env), "published");
}

#[test]
fn runs_side_by_side_do_each_item_exactly_once() {
    let env = Env::new();
    env.import_seeds();
    // Eight draft terms, each scheduled to be published in the past.
    for i in 0..8 {
        env.cmd()
            .args(["add-term", &format!("Other {i}")])
            .assert()
            .success();
        env.cmd()
            .args([
                "publish",
                "--term",
                &format!("Other {i}"),
                "--at",
                "2020-01-01T00:00:00Z",
            ])
            .assert()
            .success();
    }
    let runs: Vec<_> = (0..4)
        .map(|_| {
            std::process::Command::new(assert_cmd::cargo::cargo_bin!("glossary"))
                .arg("--db")
                .arg(env.db())
                .arg("publish-due")
                .stdout(std::process::Stdio::null())
                .spawn()
                .unwrap()
        })
        .collect();
    for mut run in runs {
        assert!(run.wait().unwrap().success());
    }
    assert_eq!(
        env.count("SELECT count(*) FROM terms WHERE term LIKE 'Other %' AND status = 'published'"),
        8
    );
    assert_eq!(
        env.count("SELECT count(*) FROM changes WHERE command LIKE 'publish-due:%'"),
        8
    );
    assert_eq!(env.count("SELECT count(*) FROM schedules"), 0);
}

#[test]
fn a_future_plan_waits_can_be_cancelled_and_bad_times_are_refused() {
    let env = Env::new();
    env.import_seeds();
    env.cmd()
        .args(["unpublish", SLUG, "--at", "2999-01-01 10:00"])
        .assert()
        .success();
    env.cmd()
        .arg("publish-due")
        .assert()
        .success()
        .stdout("nothing is due\n");
    assert_eq!(seed_status(&env), "published");
    assert!(stdout(&env.output(&["schedule"])).starts_with("2999-01-01"));
    // A local time is read in the machine's time zone.
    let out = env
        .cmd()
        .env("TZ", "CET-1")
        .args([
            "unpublish",
            "--term",
            "Producer",
            "--at",
            "2999-06-01 10:00",
            "--with-comparisons",
        ])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("2999-06-01T09:00:00Z"),
        "{}",
        stdout(&out)
    );
    env.cmd()
        .args(["schedule", "cancel", SLUG])
        .assert()
        .success();
    env.cmd()
        .args(["schedule", "cancel", "--term", "Producer"])
        .assert()
        .success();
    env.cmd()
        .arg("schedule")
        .assert()
        .success()
        .stdout("nothing is scheduled (plan with `glossary publish SLUG --at TIME`)\n");
    // Nothing to cancel; an unknown entry; times that are not times.
    let out = env.output(&["schedule", "cancel", SLUG]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("nothing is scheduled for it"),
        "{}",
        stderr(&out)
    );
    let out = env.output(&[
        "publish",
        "producer-vs-executive-prodcer",
        "--at",
        "2999-01-01 10:00",
    ]);
    assert!(
        stderr(&out).contains(&format!("did you mean \"{SLUG}\"")),
        "{}",
        stderr(&out)
    );
    for (bad, says) in [
        ("tomorrow", "is not a time"),
        ("2999-02-30 10:00", "2999-02-30"),
        ("2999-01-01T10:00", "has no time zone"),
        ("2999-01-01 25:00", "is not a time"),
    ] {
        let out = env.output(&["unpublish", SLUG, "--at", bad]);
        assert_eq!(out.status.code(), Some(1), "{bad}");
        assert!(stderr(&out).contains(says), "{bad}: {}", stderr(&out));
    }
    // Already in that state.
    let out = env.output(&["publish", SLUG, "--at", "2999-01-01 10:00"]);
    assert!(
        stderr(&out).contains("it is published already"),
        "{}",
        stderr(&out)
    );
    assert_eq!(env.count("SELECT count(*) FROM schedules"), 0);
}

#[test]
fn an_item_that_cannot_be_done_stays_with_its_reason_and_check_warns_when_late() {
    let env = Env::new();
    env.import_seeds();
    // A draft comparison of a draft term: publishing it is refused.
    env.run_all(&[
        &["add-term", "Director"],
        &[
            "add-comparison",
            "producer-vs-director",
            "--left",
            "Producer",
            "--right",
            "Director",
            "--summary",
            "S.",
            "--published",
            "2024-01-01",
        ],
        &["add-difference", "producer-vs-director", "A difference."],
    ]);
    env.cmd()
        .args([
            "publish",
            "producer-vs-director",
            "--at",
            "2020-01-01 00:00",
        ])
        .assert()
        .success();
    let out = env.output(&["publish-due"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stdout(&out).contains("could not publish comparison producer-vs-director"),
        "{}",
        stdout(&out)
    );
    assert!(
        stderr(&out).contains("1 scheduled item could not be done"),
        "{}",
        stderr(&out)
    );
    let listed = env.json(&["schedule", "--format", "json"]);
    assert!(
        listed[0]["failure"].as_str().unwrap().contains("Director"),
        "{listed}"
    );
    let check = env.output(&["check"]);
    assert!(stdout(&check).contains("W205"), "{}", stdout(&check));
    // Planned again with --with-terms, it goes through.
    env.cmd()
        .args([
            "publish",
            "producer-vs-director",
            "--with-terms",
            "--force",
            "--at",
            "2020-01-01 00:00",
        ])
        .assert()
        .success();
    env.cmd().arg("publish-due").assert().success();
    assert_eq!(env.count("SELECT count(*) FROM comparisons WHERE slug = 'producer-vs-director' AND status = 'published'"), 1);
}

/// The answer of the seeds' first FAQ, live.
fn first_answer(env: &Env) -> String {
    env.conn()
        .query_row(
            "SELECT f.answer FROM faqs AS f JOIN comparisons AS c ON c.id = f.comparison_id
             WHERE c.slug = ?1 AND f.position = 1",
            [SLUG],
            |r| r.get(0),
        )
        .unwrap()
}

#[test]
fn a_pending_version_goes_live_at_its_time_as_planned_and_not_as_saved_after() {
    let env = Env::new();
    env.import_seeds();
    let live = first_answer(&env);
    let plan = |at: &str| {
        env.output(&[
            "--author",
            "pia",
            "pending",
            "publish",
            "comparison",
            SLUG,
            "--at",
            at,
        ])
    };

    // Nothing to plan yet.
    let out = plan("2020-01-05 09:00");
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("it has no pending version"),
        "{}",
        stderr(&out)
    );

    env.pending_answer("ana", 1, "Planned.");
    let out = plan("2020-01-05T09:00:00+01:00");
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).contains(&format!(
            "the pending version of comparison {SLUG} will be published as it is now at 2020-01-05T08:00:00Z"
        )),
        "{}",
        stdout(&out)
    );
    let listed = env.json(&["schedule", "--format", "json"]);
    assert_eq!(listed[0]["action"], "publish-pending");
    assert_eq!(listed[0]["pending_revision"], 1);
    assert!(stdout(&env.output(&["schedule"])).contains("publish-pending comparison"));

    // Saved again after it was planned: not published unseen.
    env.pending_answer("ben", 1, "Saved after.");
    let out = env.output(&["publish-due"]);
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    assert!(
        stdout(&out).contains(&format!(
            "could not publish the pending version of comparison {SLUG}"
        )) && stdout(&out).contains("saved again after it was planned (by ben"),
        "{}",
        stdout(&out)
    );
    assert_eq!(first_answer(&env), live);
    let listed = env.json(&["schedule", "--format", "json"]);
    assert!(
        listed[0]["failure"]
            .as_str()
            .unwrap()
            .contains("revision 2 now, 1 planned"),
        "{listed}"
    );

    // Planned again, as it is now: done once, filed under the planner,
    // naming who wrote what goes live; the version and its plan are gone.
    assert!(plan("2020-01-05 09:00").status.success());
    let out = env.output(&["publish-due"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).starts_with(&format!(
            "published the pending version of comparison {SLUG} (change 2, scheduled by pia)"
        )),
        "{}",
        stdout(&out)
    );
    assert_eq!(first_answer(&env), "Saved after.");
    assert_eq!(env.count("SELECT count(*) FROM pending_versions"), 0);
    assert_eq!(env.count("SELECT count(*) FROM schedules"), 0);
    let history = env.json(&["history", "--format", "json", "--limit", "1"]);
    assert_eq!(history[0]["author"], "pia");
    // ben's answer replaced ana's: what goes live is his.
    assert_eq!(history[0]["written_by"], "ben");
    env.cmd()
        .arg("publish-due")
        .assert()
        .success()
        .stdout("nothing is due\n");
    env.cmd().args(["revert", "2"]).assert().success();
    assert_eq!(first_answer(&env), live);
}

#[test]
fn a_pending_plan_ends_with_its_version_and_a_conflict_cannot_be_planned() {
    let env = Env::new();
    env.import_seeds();
    env.pending_answer("ana", 1, "Pending.");
    env.run_all(&[
        &[
            "pending",
            "publish",
            "comparison",
            SLUG,
            "--at",
            "2999-01-01 10:00",
        ],
        &["pending", "discard", "comparison", SLUG],
    ]);
    assert_eq!(env.count("SELECT count(*) FROM schedules"), 0);

    // Changed live as well: publishing would be refused, so is the plan.
    env.pending_answer("ana", 1, "Pending.");
    env.run_all(&[&["edit", "faq", SLUG, "1", "--set", "answer=Live."]]);
    let err = env.fails(&[
        "pending".as_ref(),
        "publish".as_ref(),
        "comparison".as_ref(),
        SLUG.as_ref(),
        "--at".as_ref(),
        "2999-01-01 10:00".as_ref(),
    ]);
    assert!(
        err.contains(&format!("faq {SLUG} 1: answer was changed live as well"))
            && err.contains("pending show"),
        "{err}"
    );
    assert_eq!(env.count("SELECT count(*) FROM schedules"), 0);
}
