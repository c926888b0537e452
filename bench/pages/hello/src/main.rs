//! `hello-axum <addr>`: answers every request with a short text, with the same runtime, axum
//! version and TCP_NODELAY as Badge Engine, so the page benchmark can say how far each page is
//! from what the stack itself can do on this machine.

use axum::Router;
use axum::routing::get;

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let addr = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "127.0.0.1:3999".to_owned());
    let listener = tokio::net::TcpListener::bind(&addr).await?;
    let listener = axum::serve::ListenerExt::tap_io(listener, |tcp| {
        let _ = tcp.set_nodelay(true);
    });
    let app = Router::new().route("/", get(|| async { "Hello, world!" }));
    axum::serve(listener, app).await
}
