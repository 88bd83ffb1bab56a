//! Serving connections: the accept loop, with the limits that keep slow
//! or idle clients from holding the server (axum's own `serve` sets none
//! of them).
//!
//! The limits are [`Limits`]; the defaults in brackets.
//!
//! - A request's head must arrive within `header_timeout` (10 s), on a new
//!   connection and on one kept alive alike: a client that opens
//!   connections and sends nothing, or a header a byte at a time, is cut off.
//! - A body must keep up `body_rate` (32 KiB/s) on average after
//!   `body_start` (20 s):
//!   an upload over a slow line goes through, one that trickles does not.
//! - At most `max_connections` (256) at once; past that a client
//!   is answered 503 at once and closed, so open files never run out
//!   (the usual limit is 1,024) and those already in keep being served.
//! - On SIGTERM or Ctrl-C no new request is read: idle connections close
//!   at once, requests in flight get `grace` (10 s) to finish.

use std::convert::Infallible;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use axum::extract::ConnectInfo;
use axum::Router;
use hyper::body::{Frame, Incoming, SizeHint};
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::io::AsyncWriteExt;
use tokio::net::TcpListener;
use tokio::sync::Semaphore;
use tokio::time::{Instant, Sleep};
use tower::ServiceExt;

/// The limits of the accept loop. Every one is explicit; [`Limits::default`]
/// is what `glossary serve` runs with.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// How long a client has to send a request's head (line and headers).
    pub header_timeout: Duration,
    /// How long any body may take, however small.
    pub body_start: Duration,
    /// The slowest average a body may arrive at after `body_start`, in
    /// bytes a second: with the defaults a 64 MB upload has 20 s + 32 min.
    pub body_rate: u64,
    /// Connections served at once.
    pub max_connections: usize,
    /// How long requests in flight may go on after SIGTERM.
    pub grace: Duration,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            header_timeout: Duration::from_secs(10),
            body_start: Duration::from_secs(20),
            body_rate: 32 << 10,
            max_connections: 256,
            grace: Duration::from_secs(10),
        }
    }
}

/// Serves `router` on `listener` until `stop` completes, then lets the
/// requests in flight finish (for `limits.grace` at most).
pub(crate) async fn serve(
    listener: TcpListener,
    router: Router,
    stop: impl Future<Output = ()>,
    limits: Limits,
) -> std::io::Result<()> {
    let slots = Arc::new(Semaphore::new(limits.max_connections));
    let graceful = hyper_util::server::graceful::GracefulShutdown::new();
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(limits.header_timeout)
        .keep_alive(true);
    let mut stop = std::pin::pin!(stop);
    loop {
        let (mut stream, peer) = tokio::select! {
            () = &mut stop => break,
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(_) => {
                    // Out of open files, or a connection reset before it
                    // was taken: wait a moment rather than spin.
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
        };
        let Ok(slot) = slots.clone().try_acquire_owned() else {
            tokio::spawn(async move {
                let _ = stream.write_all(full().as_bytes()).await;
                let _ = stream.shutdown().await;
            });
            continue;
        };
        let _ = stream.set_nodelay(true);
        let router = router.clone();
        let service = hyper::service::service_fn(move |mut req: hyper::Request<Incoming>| {
            req.extensions_mut().insert(ConnectInfo(peer));
            let req = req.map(|body| axum::body::Body::new(Deadline::new(body, limits)));
            let router = router.clone();
            async move {
                Ok::<_, Infallible>(
                    router
                        .oneshot(req)
                        .await
                        .unwrap_or_else(|never| match never {}),
                )
            }
        });
        let conn = http.serve_connection(TokioIo::new(stream), service);
        let conn = graceful.watch(conn);
        tokio::spawn(async move {
            let _ = conn.await;
            drop(slot);
        });
    }
    drop(listener);
    tokio::select! {
        () = graceful.shutdown() => {}
        () = tokio::time::sleep(limits.grace) => {}
    }
    Ok(())
}

/// What a client beyond `max_connections` is told.
fn full() -> String {
    let body = "The editor has too many connections open: try again in a few seconds.\n";
    format!(
        "HTTP/1.1 503 Service Unavailable\r\nRetry-After: 5\r\nConnection: close\r\n\
         Content-Type: text/plain; charset=utf-8\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    )
}

/// A request body that must keep up `body_rate` after `body_start`.
struct Deadline {
    inner: Incoming,
    started: Instant,
    received: u64,
    timer: Pin<Box<Sleep>>,
    limits: Limits,
}

impl Deadline {
    fn new(inner: Incoming, limits: Limits) -> Deadline {
        let started = Instant::now();
        Deadline {
            inner,
            started,
            received: 0,
            timer: Box::pin(tokio::time::sleep_until(started + limits.body_start)),
            limits,
        }
    }

    fn due(&self) -> Instant {
        self.started
            + self.limits.body_start
            + Duration::from_millis(
                self.received.saturating_mul(1000) / self.limits.body_rate.max(1),
            )
    }
}

/// The error a body that came too slowly ends with (the handler's
/// extractor answers it as a bad request, and the connection closes).
#[derive(Debug)]
struct TooSlow;

impl std::fmt::Display for TooSlow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "the request's body came too slowly")
    }
}

impl std::error::Error for TooSlow {}

impl hyper::body::Body for Deadline {
    type Data = hyper::body::Bytes;
    type Error = axum::BoxError;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Self::Data>, Self::Error>>> {
        let this = &mut *self;
        match Pin::new(&mut this.inner).poll_frame(cx) {
            Poll::Ready(Some(Ok(frame))) => {
                if let Some(data) = frame.data_ref() {
                    this.received += data.len() as u64;
                    let due = this.due();
                    this.timer.as_mut().reset(due);
                }
                Poll::Ready(Some(Ok(frame)))
            }
            Poll::Ready(Some(Err(e))) => Poll::Ready(Some(Err(e.into()))),
            Poll::Ready(None) => Poll::Ready(None),
            Poll::Pending => match this.timer.as_mut().poll(cx) {
                Poll::Ready(()) => Poll::Ready(Some(Err(TooSlow.into()))),
                Poll::Pending => Poll::Pending,
            },
        }
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.inner.size_hint()
    }
}
