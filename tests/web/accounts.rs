//! Accounts: admins manage them (the last admin stays), people change
//! their own password and their other sessions end.

use crate::setup::{csrf, post, sign_in, team_env, text, try_sign_in};
use crate::util::{stderr, PASSWORD};
use crate::webclient::{Browser, Server};

#[test]
fn admins_manage_accounts_on_the_web_and_the_last_admin_stays() {
    let env = team_env();
    let server = Server::start(&env);
    let mut ada = sign_in(&server, "ada");
    let accounts = ada.get("/accounts");
    assert_eq!(accounts.status, 200);
    assert!(accounts
        .text()
        .contains("name=\"name\" value=\"\" autocomplete=\"off\""));
    assert!(accounts.text().contains(">ana</a>") && accounts.text().contains("href=\"/accounts\""));
    let post = |ada: &mut Browser, fields: &[(&str, &str)]| {
        let token = csrf(ada);
        let mut all = vec![("csrf", token.as_str())];
        all.extend_from_slice(fields);
        ada.post("/accounts", &all)
    };
    // Added; the two passwords must match and be long enough.
    let r = post(
        &mut ada,
        &[
            ("action", "add"),
            ("name", "eve"),
            ("role", "publisher"),
            ("password", PASSWORD),
            ("again", "something else"),
        ],
    );
    assert_eq!(r.status, 422);
    assert!(r.text().contains("the two passwords differ") && r.text().contains("value=\"eve\""));
    let r = post(
        &mut ada,
        &[
            ("action", "add"),
            ("name", "eve"),
            ("role", "publisher"),
            ("password", "short"),
            ("again", "short"),
        ],
    );
    assert!(r.text().contains("at least 10 characters"), "{}", r.text());
    let r = post(
        &mut ada,
        &[
            ("action", "add"),
            ("name", "eve"),
            ("role", "publisher"),
            ("password", PASSWORD),
            ("again", PASSWORD),
        ],
    );
    assert_eq!(r.status, 303, "{}", r.text());
    assert!(ada
        .get(r.header("location").unwrap())
        .text()
        .contains("Added eve, publisher."));
    let mut eve = sign_in(&server, "eve");
    assert_eq!(eve.get("/review").status, 200);
    // A new password ends eve's session; a role change applies at once.
    let r = post(
        &mut ada,
        &[
            ("action", "password"),
            ("name", "eve"),
            ("password", "another long password"),
            ("again", "another long password"),
        ],
    );
    assert_eq!(r.status, 303);
    assert_eq!(eve.get("/").status, 303);
    post(
        &mut ada,
        &[("action", "role"), ("name", "ana"), ("role", "admin")],
    );
    assert_eq!(
        text(&env, "SELECT role FROM users WHERE name = 'ana'"),
        "admin"
    );
    post(&mut ada, &[("action", "remove"), ("name", "eve")]);
    assert_eq!(
        env.count("SELECT count(*) FROM users WHERE name = 'eve'"),
        0
    );
    // The last admin can be neither demoted nor removed, on the web or the CLI.
    post(
        &mut ada,
        &[("action", "role"), ("name", "ana"), ("role", "editor")],
    );
    let r = post(
        &mut ada,
        &[("action", "role"), ("name", "ada"), ("role", "editor")],
    );
    assert_eq!(r.status, 422, "{}", r.text());
    assert!(r.text().contains("it is the last admin account"));
    let out = env.output(&["user", "remove", "ada"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("glossary user role NAME admin"),
        "{}",
        stderr(&out)
    );
    assert_eq!(
        text(&env, "SELECT role FROM users WHERE name = 'ada'"),
        "admin"
    );
}

#[test]
fn people_change_their_own_password_and_their_other_sessions_end() {
    let env = team_env();
    let server = Server::start(&env);
    let mut here = sign_in(&server, "ana");
    let mut elsewhere = sign_in(&server, "ana");
    let page = here.get("/account");
    assert_eq!(page.status, 200);
    assert!(page
        .text()
        .contains("Signed in as <strong>ana</strong>, editor"));
    let new = "a password of her own";
    let change = |b: &mut Browser, current: &str, again: &str| {
        post(
            b,
            "/account",
            &[("current", current), ("password", new), ("again", again)],
        )
    };
    let r = change(&mut here, "not her password", new);
    assert_eq!(r.status, 422);
    assert!(r.text().contains("The current password is wrong"));
    let r = change(&mut here, PASSWORD, "a typo in the second one");
    assert!(r.text().contains("The two new passwords differ"));
    assert_eq!(env.count("SELECT count(*) FROM sessions"), 2);
    let r = change(&mut here, PASSWORD, new);
    assert_eq!(r.status, 303, "{}", r.text());
    assert!(here
        .get(r.header("location").unwrap())
        .text()
        .contains("Your password is changed"));
    // This browser goes on with a new session; the other is signed out.
    assert_eq!(here.get("/").status, 200);
    assert_eq!(elsewhere.get("/").status, 303);
    assert_eq!(env.count("SELECT count(*) FROM sessions"), 1);
    let mut b = server.browser();
    assert_eq!(try_sign_in(&mut b, "ana", PASSWORD).status, 401);
    assert_eq!(try_sign_in(&mut b, "ana", new).status, 303);
}
