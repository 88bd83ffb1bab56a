//! The editor's router in process (`tower::ServiceExt::oneshot`): the
//! rights each route needs, for each role, without a server or a socket.
//! The process-level tests (`tests/web/` at the root) drive `glossary
//! serve` over HTTP, every route for every role among them.

use std::net::SocketAddr;
use std::path::Path;

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{header, Method, Request, StatusCode};
use tower::ServiceExt;

use glossary_core::accounts::{sessions, users};
use glossary_web::Limits;

mod support;
use support::database;

const HOST: &str = "127.0.0.1:8080";

fn router(db: &Path) -> axum::Router {
    glossary_web::router_for(db, support::options(HOST, Limits::default())).unwrap()
}

/// A signed-in session for `name`: its cookie and its forms' token.
fn session(db: &Path, name: &str) -> (String, String) {
    let conn = glossary_core::db::open(db, glossary_core::db::Mode::Existing).unwrap();
    let token = sessions::start(&conn, name, 3600).unwrap();
    (
        format!("glossary_session={token}"),
        sessions::csrf_token(&token),
    )
}

/// `method path` as the browser of `session` sends it (a form with its
/// token for a POST), from loopback; the status and the page.
async fn send(
    router: &axum::Router,
    method: Method,
    path: &str,
    session: Option<&(String, String)>,
    form: &str,
) -> (StatusCode, String) {
    let mut req = Request::builder()
        .method(method.clone())
        .uri(path)
        .header(header::HOST, HOST);
    if let Some((cookie, _)) = session {
        req = req.header(header::COOKIE, cookie);
    }
    let body = if method == Method::POST {
        req = req
            .header(header::ORIGIN, format!("http://{HOST}"))
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
        let csrf = session.map_or("", |(_, csrf)| csrf.as_str());
        Body::from(format!("csrf={csrf}&{form}"))
    } else {
        Body::empty()
    };
    let mut req = req.body(body).unwrap();
    req.extensions_mut().insert(ConnectInfo(
        "127.0.0.1:50000".parse::<SocketAddr>().unwrap(),
    ));
    let res = router.clone().oneshot(req).await.unwrap();
    let status = res.status();
    let bytes = axum::body::to_bytes(res.into_body(), 1 << 20)
        .await
        .unwrap();
    (status, String::from_utf8_lossy(&bytes).into_owned())
}

#[tokio::test]
async fn the_owner_of_a_server_without_accounts_sees_every_page() {
    let dir = tempfile::tempdir().unwrap();
    let db = database(dir.path(), &[]);
    let app = router(&db);
    for path in [
        "/",
        "/terms",
        "/comparisons",
        "/search?q=budget",
        "/term/Producer",
        "/compare/producer-vs-executive-producer",
        "/compare/producer-vs-executive-producer/preview",
        "/history",
        "/review",
        "/accounts",
        "/import",
    ] {
        let (status, page) = send(&app, Method::GET, path, None, "").await;
        assert_eq!(status, StatusCode::OK, "{path}: {page}");
    }
    let (status, _) = send(&app, Method::GET, "/no-such-page", None, "").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn each_route_asks_for_the_role_it_needs() {
    use users::Role::{Admin, Editor, Publisher};
    let dir = tempfile::tempdir().unwrap();
    let db = database(
        dir.path(),
        &[("ana", Editor), ("pia", Publisher), ("ada", Admin)],
    );
    let app = router(&db);
    // Nobody signed in: pages send to the sign-in form.
    let (status, _) = send(&app, Method::GET, "/accounts", None, "").await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let ana = session(&db, "ana");
    let pia = session(&db, "pia");
    let ada = session(&db, "ada");
    // Accounts: an admin's.
    for (who, expected) in [
        (&ana, StatusCode::FORBIDDEN),
        (&pia, StatusCode::FORBIDDEN),
        (&ada, StatusCode::OK),
    ] {
        let (status, page) = send(&app, Method::GET, "/accounts", Some(who), "").await;
        assert_eq!(status, expected, "{page}");
    }
    let (status, page) = send(&app, Method::GET, "/accounts", Some(&ana), "").await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(
        page.contains("managing accounts") && page.contains("ana"),
        "{page}"
    );
    // A review decision: a publisher's (the entry named here does not
    // exist, so a publisher gets past the route and is told that).
    let decide = "kind=comparison&id=999999&decision=approve&version=0";
    let (status, _) = send(&app, Method::POST, "/review/decide", Some(&ana), decide).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, page) = send(&app, Method::POST, "/review/decide", Some(&pia), decide).await;
    assert_ne!(status, StatusCode::FORBIDDEN, "{page}");
    // Scheduling: a publisher's (the entry does not exist: a publisher is
    // told that, past the route).
    for path in ["/schedule", "/schedule/cancel"] {
        let form = "kind=comparison&id=999999&action=publish&at=2999-01-01T10:00";
        let (status, _) = send(&app, Method::POST, path, Some(&ana), form).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{path}");
        let (status, page) = send(&app, Method::POST, path, Some(&pia), form).await;
        assert_ne!(status, StatusCode::FORBIDDEN, "{path}: {page}");
    }
    // Applying an import: an admin's.
    let apply = "token=none";
    for (who, forbidden) in [(&ana, true), (&pia, true), (&ada, false)] {
        let (status, page) = send(&app, Method::POST, "/import/apply", Some(who), apply).await;
        assert_eq!(
            status == StatusCode::FORBIDDEN,
            forbidden,
            "{status}: {page}"
        );
    }
}
