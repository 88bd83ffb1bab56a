//! What the web tests start from: a seeded editor, a team's accounts,
//! signing in, and the forms every test sends.

use crate::util::{Env, DRAFT, PASSWORD};
use crate::webclient::{Browser, Response, Server};

/// The seeds, and the editor serving them.
pub(crate) fn seeded() -> (Env, Server) {
    let env = Env::new();
    env.import_seeds();
    let server = Server::start(&env);
    (env, server)
}

pub(crate) fn id(env: &Env, sql: &str) -> i64 {
    env.conn().query_row(sql, [], |r| r.get(0)).unwrap()
}

pub(crate) fn text(env: &Env, sql: &str) -> String {
    env.conn().query_row(sql, [], |r| r.get(0)).unwrap()
}

pub(crate) fn sense_2(env: &Env) -> i64 {
    id(
        env,
        "SELECT s.id FROM senses s JOIN terms t ON t.id = s.term_id
         WHERE t.term = 'Producer' AND s.sense_number = 2",
    )
}

/// Opens `path` in `browser` and returns the page (which must be there).
pub(crate) fn open(browser: &mut Browser, path: &str) -> Response {
    let page = browser.get(path);
    assert_eq!(page.status, 200, "{path}: {}", page.text());
    page
}

/// POSTs `page`'s form for one field of entry `id` of `kind`: the text
/// typed, and the text the form was opened with.
pub(crate) fn save_field(
    b: &mut Browser,
    page: &Response,
    kind: &str,
    id: i64,
    field: &str,
    text: &str,
    was: &str,
) -> Response {
    let was_field = format!("was.{field}");
    b.post(
        "/save",
        &[
            ("csrf", &page.csrf()),
            ("kind", kind),
            ("id", &id.to_string()),
            (field, text),
            (&was_field, was),
        ],
    )
}

pub(crate) fn location(r: &Response) -> &str {
    assert_eq!(r.status, 303, "not a redirect: {}", r.text());
    r.header("location").unwrap()
}

/// [`Env::team`], with a FAQ in the draft article.
pub(crate) fn team_env() -> Env {
    let env = Env::new();
    env.team();
    env.run_all(&[&[
        "add-faq",
        DRAFT,
        "--question",
        "Who hires whom?",
        "--answer",
        "It depends.",
    ]]);
    env
}

/// [`team_env`] with the draft article complete (a summary, a key
/// difference) and put up for review by ana.
pub(crate) fn ready_for_review() -> Env {
    let env = team_env();
    env.run_all(&[
        &[
            "edit",
            "comparison",
            DRAFT,
            "--set",
            "summary=One directs, one produces.",
        ],
        &["add-difference", DRAFT, "One directs; one produces."],
        &["--author", "ana", "review", "ready", DRAFT],
    ]);
    env
}

/// Signs `name` in with the right password: a browser with its session.
pub(crate) fn sign_in(server: &Server, name: &str) -> Browser {
    let mut b = server.browser();
    let r = try_sign_in(&mut b, name, PASSWORD);
    assert_eq!(r.status, 303, "{name}: {}", r.text());
    b
}

pub(crate) fn try_sign_in(b: &mut Browser, name: &str, password: &str) -> Response {
    let page = b.get("/login");
    assert_eq!(page.status, 200, "{}", page.text());
    b.post(
        "/login",
        &[
            ("csrf", &page.csrf()),
            ("name", name),
            ("password", password),
            ("next", "/terms"),
        ],
    )
}

/// The token the browser's pages carry: signed in, derived from the
/// session (checked against a page in `with_accounts_every_page_...`);
/// before, the CSRF cookie's.
pub(crate) fn csrf(b: &Browser) -> String {
    match b.cookie("glossary_session") {
        Some(session) => glossary_core::accounts::sessions::csrf_token(&session),
        None => b.cookie("glossary_csrf").expect("a CSRF cookie"),
    }
}

/// POSTs `fields` to `path` with the browser's CSRF token, as its pages do.
pub(crate) fn post(b: &mut Browser, path: &str, fields: &[(&str, &str)]) -> Response {
    let token = csrf(b);
    let mut all = vec![("csrf", token.as_str())];
    all.extend_from_slice(fields);
    b.post(path, &all)
}

pub(crate) fn comparison(env: &Env, slug: &str) -> String {
    id(
        env,
        &format!("SELECT id FROM comparisons WHERE slug = '{slug}'"),
    )
    .to_string()
}

pub(crate) fn faq(env: &Env, slug: &str, position: i64) -> i64 {
    id(
        env,
        &format!(
            "SELECT f.id FROM faqs f JOIN comparisons c ON c.id = f.comparison_id
             WHERE c.slug = '{slug}' AND f.position = {position}"
        ),
    )
}

pub(crate) fn save(b: &mut Browser, id: i64, field: &str, value: &str, was: &str) -> Response {
    let (id, was_field) = (id.to_string(), format!("was.{field}"));
    post(
        b,
        "/save",
        &[
            ("kind", "faq"),
            ("id", &id),
            (field, value),
            (&was_field, was),
        ],
    )
}

/// A save of the draft's FAQ as another site's form sends it: no token.
pub(crate) fn tokenless_save(b: &mut Browser, id: i64, answer: &str) -> Response {
    let id = id.to_string();
    let fields = [
        ("kind", "faq"),
        ("id", &id),
        ("answer", answer),
        ("was.answer", "It depends."),
    ];
    b.post("/save", &fields)
}
