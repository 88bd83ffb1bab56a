//! Every route of the editor: its path, its method, its handler, the
//! rights it needs, and the layers that stand before it. Every route needs
//! someone signed in (the gate; on loopback without accounts, the owner),
//! which is an editor at least; those that need more say so here. The
//! write path refuses a read-only copy and an editor's change to what is
//! published, whatever the route ([`crate::app::write`]).

use axum::extract::Request;
use axum::middleware::{FromFnLayer, Next};
use axum::response::Response;
use axum::routing::{get, post};
use axum::Router;

use glossary_core::accounts::users::Role;

use crate::app::Shared;

/// What a rights layer answers: the handler's response, or the refusal.
type Answer = std::pin::Pin<Box<dyn std::future::Future<Output = Response> + Send>>;

/// The layer that gives a route its rights: `role` at least, for `action`
/// (said in the refusal).
fn needs(
    role: Role,
    action: &'static str,
) -> FromFnLayer<impl Fn(Request, Next) -> Answer + Clone, (), (Request,)> {
    axum::middleware::from_fn(move |req: Request, next: Next| {
        Box::pin(crate::auth::gate::needs(role, action, req, next)) as Answer
    })
}

/// Every route of the editor.
pub(crate) fn router(app: Shared) -> Router {
    Router::new()
        .route("/", get(crate::pages::dashboard::dashboard))
        .route("/ideas", get(crate::pages::dashboard::ideas))
        .route(
            "/login",
            get(crate::auth::login::login_page).post(crate::auth::login::login),
        )
        .route("/logout", post(crate::auth::login::logout))
        .route(
            "/account",
            get(crate::pages::accounts::account_page).post(crate::pages::accounts::change_password),
        )
        .route(
            "/accounts",
            get(crate::pages::accounts::accounts)
                .post(crate::pages::accounts::change)
                .route_layer(needs(Role::Admin, "managing accounts")),
        )
        .route("/review", get(crate::pages::review::queue))
        .route("/review/ready", post(crate::pages::review::ready))
        .route(
            "/review/decide",
            post(crate::pages::review::decide)
                .route_layer(needs(Role::Publisher, "deciding on a review")),
        )
        .route("/terms", get(crate::pages::lists::terms))
        .route("/comparisons", get(crate::pages::lists::comparisons))
        .route("/search", get(crate::pages::lists::search))
        .route("/term/{name}", get(crate::pages::entry::term))
        .route("/compare/{slug}", get(crate::pages::entry::comparison))
        .route("/compare/{slug}/preview", get(crate::pages::entry::preview))
        .route("/new", get(crate::pages::entry::new))
        .route("/new/term", post(crate::pages::save::new_term))
        .route("/new/comparison", post(crate::pages::save::new_comparison))
        .route("/save", post(crate::pages::save::save))
        .route("/add", post(crate::pages::save::add))
        .route("/remove", post(crate::pages::save::remove))
        .route("/move", post(crate::pages::save::move_entry))
        .route("/status", post(crate::pages::save::status))
        .route(
            "/schedule",
            post(crate::pages::schedule::plan)
                .route_layer(needs(Role::Publisher, "scheduling a publish")),
        )
        .route(
            "/schedule/cancel",
            post(crate::pages::schedule::cancel)
                .route_layer(needs(Role::Publisher, "cancelling a schedule")),
        )
        .route(
            "/pending/publish",
            post(crate::pages::pending::publish)
                .route_layer(needs(Role::Publisher, "publishing a pending version")),
        )
        .route(
            "/pending/discard",
            post(crate::pages::pending::discard)
                .route_layer(needs(Role::Publisher, "discarding a pending version")),
        )
        .route("/history", get(crate::pages::history::history))
        .route("/history/{id}", get(crate::pages::history::change))
        .route("/history/{id}/undo", post(crate::pages::save::undo))
        .route(
            "/import",
            get(crate::pages::transfer::import_page).merge(
                post(crate::pages::transfer::upload)
                    .layer(axum::extract::DefaultBodyLimit::max(
                        crate::forms::UPLOAD_LIMIT,
                    ))
                    .route_layer(needs(Role::Admin, "importing")),
            ),
        )
        .route(
            "/import/apply",
            post(crate::pages::transfer::apply).route_layer(needs(Role::Admin, "importing")),
        )
        .route("/export.zip", get(crate::pages::transfer::export))
        .route("/static/{file}", get(crate::guard::assets::asset))
        .route("/site/style.css", get(crate::guard::assets::site_style))
        .fallback(crate::error::not_found)
        .layer(axum::middleware::from_fn_with_state(
            app.clone(),
            crate::auth::gate::identify,
        ))
        .layer(axum::middleware::from_fn_with_state(
            app.clone(),
            crate::guard::headers::headers,
        ))
        .layer(axum::extract::DefaultBodyLimit::max(
            crate::forms::FORM_LIMIT,
        ))
        .with_state(app)
}
