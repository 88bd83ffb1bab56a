//! Facts about the client at the network level: its address (through a
//! trusted proxy, the one the proxy names) and whether it came over HTTPS.

use std::net::{IpAddr, SocketAddr};

use axum::body::Body;
use axum::extract::{ConnectInfo, Request};
use axum::http::HeaderMap;

use crate::app::Shared;

/// Whether the request came over HTTPS: only a trusted proxy can say so
/// (`X-Forwarded-Proto`), since glossary itself serves plain HTTP.
pub(crate) fn https(app: &Shared, headers: &HeaderMap, peer: Option<IpAddr>) -> bool {
    trusted(app, peer)
        && headers
            .get("x-forwarded-proto")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.trim().eq_ignore_ascii_case("https"))
}

pub(crate) fn trusted(app: &Shared, peer: Option<IpAddr>) -> bool {
    app.trusted_proxy.is_some() && peer == app.trusted_proxy
}

/// The client's address: the peer, or what a trusted proxy says it is
/// (the last address of `X-Forwarded-For`, the one the proxy added).
pub(crate) fn client(app: &Shared, headers: &HeaderMap, peer: Option<IpAddr>) -> Option<IpAddr> {
    if trusted(app, peer) {
        let forwarded = headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .filter_map(|a| a.trim().parse().ok())
            .next_back();
        if forwarded.is_some() {
            return forwarded;
        }
    }
    peer
}

/// The address the request came from (what the connection says).
pub(crate) fn peer(req: &Request<Body>) -> Option<IpAddr> {
    req.extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip())
}
