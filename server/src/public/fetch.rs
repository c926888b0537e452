//! Fetching other issuers' documents (did:web DID documents, status lists) for verification:
//! HTTPS only (plain http only to loopback in development), five seconds, 512 KiB, three
//! redirects at most — a hostile credential cannot make the server wait or fill memory.

use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

use serde_json::Value;

/// Largest document read.
pub const MAX_BYTES: usize = 512 * 1024;

/// The deployment's fetcher.
pub struct HttpsFetch {
    client: reqwest::Client,
    allow_loopback_http: bool,
}

impl HttpsFetch {
    /// `allow_loopback_http` lets development fetch `http://127.0.0.1:…` documents.
    pub fn new(allow_loopback_http: bool) -> HttpsFetch {
        let client = reqwest::Client::builder()
            .timeout(Duration::from_secs(5))
            .connect_timeout(Duration::from_secs(3))
            .redirect(reqwest::redirect::Policy::limited(3))
            .user_agent("badge-engine verifier")
            .build()
            .unwrap_or_default();
        HttpsFetch {
            client,
            allow_loopback_http,
        }
    }

    async fn get(&self, url: &str) -> Result<Value, String> {
        let parsed = url::Url::parse(url).map_err(|_| format!("{url} is not a web address"))?;
        let loopback = matches!(parsed.host_str(), Some("127.0.0.1" | "localhost" | "[::1]"));
        match parsed.scheme() {
            "https" => {}
            "http" if loopback && self.allow_loopback_http => {}
            _ => return Err(format!("{url} is not an https address")),
        }
        let mut response = self
            .client
            .get(parsed)
            .header(
                "accept",
                "application/ld+json, application/json, application/did+ld+json",
            )
            .send()
            .await
            .map_err(|e| {
                if e.is_timeout() {
                    "no answer within 5 seconds".to_owned()
                } else {
                    format!("cannot reach it ({e})")
                }
            })?;
        if !response.status().is_success() {
            return Err(format!("it answered {}", response.status()));
        }
        let mut body = Vec::new();
        while let Some(chunk) = response
            .chunk()
            .await
            .map_err(|e| format!("the answer was cut off ({e})"))?
        {
            body.extend_from_slice(&chunk);
            if body.len() > MAX_BYTES {
                return Err(format!(
                    "the document is larger than {} KiB",
                    MAX_BYTES / 1024
                ));
            }
        }
        serde_json::from_slice(&body).map_err(|e| format!("the answer is not JSON ({e})"))
    }
}

impl engine::verification::Fetch for HttpsFetch {
    fn fetch_json<'a>(
        &'a self,
        url: &'a str,
    ) -> Pin<Box<dyn Future<Output = Result<Value, String>> + Send + 'a>> {
        Box::pin(self.get(url))
    }
}
