//! `glossary serve` publishes what is scheduled at its time, by itself
//! (it runs `publish-due` as it starts and every minute); a read-only
//! server leaves it to the writable one.

use std::time::{Duration, Instant};

use crate::util::{seed_status, stderr, Env, SLUG};
use crate::webclient::Server;

fn scheduled_in_the_past(env: &Env) {
    let out = env.output(&[
        "--author",
        "pia",
        "unpublish",
        SLUG,
        "--at",
        "2020-01-01T00:00:00Z",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
}

#[test]
fn the_server_does_what_is_due_without_anyone_at_a_keyboard() {
    let env = Env::new();
    env.import_seeds();
    scheduled_in_the_past(&env);
    let _server = Server::start(&env);
    let started = Instant::now();
    while seed_status(&env) != "draft" {
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "the server did not take the article down"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    let author: String = env
        .conn()
        .query_row(
            "SELECT author FROM changes ORDER BY id DESC LIMIT 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(author, "pia");
    assert_eq!(env.count("SELECT count(*) FROM schedules"), 0);
}

#[test]
fn a_read_only_server_leaves_the_schedule_alone() {
    let env = Env::new();
    env.import_seeds();
    scheduled_in_the_past(&env);
    let before = env.db_bytes();
    let server = Server::start_args(&env, &["--listen", "127.0.0.1:0", "--read-only"], &[]);
    // It has started (and so has run what it would run) once it answers.
    assert_eq!(server.browser().get("/").status, 200);
    std::thread::sleep(Duration::from_millis(500));
    assert_eq!(seed_status(&env), "published");
    assert!(
        env.db_bytes() == before,
        "the read-only server wrote to the file"
    );
}

#[test]
fn a_publisher_schedules_and_cancels_on_the_entry_page() {
    let env = crate::setup::team_env();
    let server = Server::start(&env);
    let mut b = crate::setup::sign_in(&server, "pia");
    let id = crate::setup::comparison(&env, SLUG);
    let page = format!("/compare/{SLUG}");
    let form = b.get(&page).text();
    assert!(form.contains("Unpublish at (UTC)"), "{form}");
    let r = crate::setup::post(
        &mut b,
        "/schedule",
        &[
            ("kind", "comparison"),
            ("id", &id),
            ("action", "unpublish"),
            ("at", "2999-01-05T09:30"),
        ],
    );
    assert_eq!(r.status, 303, "{}", r.text());
    let shown = b.get(&page).text();
    assert!(
        shown.contains("Scheduled: taken down at <time datetime=\"2999-01-05T09:30:00Z\">2999-01-05 09:30 UTC</time>, planned by pia."),
        "{shown}"
    );
    // Not content: no change in the history.
    assert_eq!(
        env.count("SELECT count(*) FROM changes WHERE command LIKE '%unpublish%'"),
        0
    );
    // A time that is no time comes back with the reason.
    let r = crate::setup::post(
        &mut b,
        "/schedule",
        &[
            ("kind", "comparison"),
            ("id", &id),
            ("action", "unpublish"),
            ("at", "2999-02-30T09:30"),
        ],
    );
    assert_eq!(r.status, 422, "{}", r.text());
    assert!(r.text().contains("2999-02-30"), "{}", r.text());
    let r = crate::setup::post(
        &mut b,
        "/schedule/cancel",
        &[("kind", "comparison"), ("id", &id)],
    );
    assert_eq!(r.status, 303, "{}", r.text());
    assert!(!b.get(&page).text().contains("Scheduled:"));
    assert_eq!(env.count("SELECT count(*) FROM schedules"), 0);
}

#[test]
fn a_publisher_plans_a_pending_version_from_its_page_and_an_editor_cannot() {
    let env = crate::setup::team_env();
    env.pending_answer("ana", 1, "Pending.");
    let server = Server::start(&env);
    let id = crate::setup::comparison(&env, SLUG);
    let fields = [
        ("kind", "comparison"),
        ("id", id.as_str()),
        ("action", "publish-pending"),
        ("at", "2999-01-05T09:30"),
    ];
    let mut ana = crate::setup::sign_in(&server, "ana");
    let r = crate::setup::post(&mut ana, "/schedule", &fields);
    assert_eq!(r.status, 403, "{}", r.text());

    let mut pia = crate::setup::sign_in(&server, "pia");
    let page = format!("/compare/{SLUG}?version=pending");
    let form = pia.get(&page).text();
    assert!(
        form.contains("Publish the pending changes, as they are now, at (UTC)"),
        "{form}"
    );
    let r = crate::setup::post(&mut pia, "/schedule", &fields);
    assert_eq!(r.status, 303, "{}", r.text());
    let shown = pia.get(&page).text();
    assert!(
        shown.contains("Scheduled: its pending changes published (as they were when planned) at <time datetime=\"2999-01-05T09:30:00Z\">"),
        "{shown}"
    );
    let revision: i64 = env
        .conn()
        .query_row("SELECT pending_revision FROM schedules", [], |r| r.get(0))
        .unwrap();
    assert_eq!(revision, 1);
}
