//! Host names and origins: which names this editor answers to, and
//! whether a form came from its own pages.

use axum::http::header;

/// The host of a `Host` header or of an origin's authority: lower case,
/// without the port (`[::1]:8080` is `[::1]`).
pub(crate) fn host_name(authority: &str) -> String {
    let a = authority.trim().to_ascii_lowercase();
    if a.starts_with('[') {
        return a
            .split_once(']')
            .map_or(a.clone(), |(h, _)| format!("{h}]"));
    }
    match a.rsplit_once(':') {
        Some((h, port)) if port.bytes().all(|b| b.is_ascii_digit()) => h.to_string(),
        _ => a,
    }
    .trim_end_matches('.')
    .to_string()
}

/// Whether the editor answers to `host` (a request's `Host`): an address
/// (a rebound name is never one), `localhost`, or a name given with
/// `--host`. Through the trusted proxy, any: the proxy chose what to pass.
pub(crate) fn host_allowed(app: &crate::app::App, host: &str, via_proxy: bool) -> bool {
    let name = host_name(host);
    via_proxy
        || name == "localhost"
        || name
            .trim_matches(['[', ']'])
            .parse::<std::net::IpAddr>()
            .is_ok()
        || app.hosts.contains(&name)
}

/// The scheme and authority of an `Origin` or `Referer` value
/// (`https://example.org:8443`), lower case.
pub(crate) fn origin_of(url: &str) -> Option<(String, String)> {
    let (scheme, rest) = url.trim().split_once("://")?;
    let authority = rest.split(['/', '?', '#']).next()?;
    Some((scheme.to_ascii_lowercase(), authority.to_ascii_lowercase()))
}

/// Whether a request that changes something came from this editor's own
/// pages, as far as the browser says: its `Origin` (else its `Referer`)
/// names the host it was sent to (through the trusted proxy, the host the
/// proxy says it was: `X-Forwarded-Host`, else `Host`, which Caddy and the
/// README's nginx pass on). A request that says neither is not a
/// browser's (they send `Origin` with every POST): its CSRF token decides.
pub(crate) fn same_origin(headers: &axum::http::HeaderMap, via_proxy: bool) -> bool {
    let forwarded = via_proxy
        .then(|| headers.get("x-forwarded-host"))
        .flatten()
        .and_then(|h| h.to_str().ok())
        .and_then(|h| h.split(',').next());
    let Some(host) = forwarded.or_else(|| headers.get(header::HOST).and_then(|h| h.to_str().ok()))
    else {
        return false;
    };
    let said = headers
        .get(header::ORIGIN)
        .or_else(|| headers.get(header::REFERER))
        .map(|v| v.to_str().unwrap_or(""));
    match said {
        None => true,
        Some(url) => origin_of(url).is_some_and(|(scheme, authority)| {
            matches!(scheme.as_str(), "http" | "https")
                && authority == host.trim().to_ascii_lowercase()
        }),
    }
}
