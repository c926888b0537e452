//! A small fixed-window rate limiter in Redis, shared by sign-in, SCIM and the API.
//!
//! One counter per key and window (`INCR` + `EXPIRE … NX` in one pipeline), so every instance
//! behind a load balancer sees the same count. Fixed windows allow a burst of up to twice the
//! limit across a window boundary; that is acceptable for slowing down guessing and floods.
//! Without Redis (development only) every request is allowed and a warning is logged once.

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use axum::response::{IntoResponse, Response};
use fred::clients::Pool;
use fred::interfaces::KeysInterface;
use fred::types::ExpireOptions;
use http::StatusCode;

use crate::status_page;

/// The caller exceeded the limit; retry after this long.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("too many requests; retry after {} s", .0.as_secs())]
pub struct RetryAfter(pub Duration);

impl RetryAfter {
    /// Whole seconds for the `Retry-After` header (at least 1).
    pub fn seconds(&self) -> u64 {
        self.0.as_secs().max(1)
    }
}

impl IntoResponse for RetryAfter {
    fn into_response(self) -> Response {
        (
            StatusCode::TOO_MANY_REQUESTS,
            [(http::header::RETRY_AFTER, self.seconds().to_string())],
            status_page::render(
                "Too many attempts",
                &format!(
                    "There were too many requests from your network. Please wait {} seconds and try again.",
                    self.seconds()
                ),
            ),
        )
            .into_response()
    }
}

static WARNED_NO_REDIS: AtomicBool = AtomicBool::new(false);

/// Counts one request for `key` and refuses it when more than `limit` arrived in the current
/// `window`. Redis errors fail open (logged): an unreachable Redis must not lock everyone out.
pub async fn check(
    redis: Option<&Pool>,
    key: &str,
    limit: u32,
    window: Duration,
) -> Result<(), RetryAfter> {
    let Some(pool) = redis else {
        if !WARNED_NO_REDIS.swap(true, Ordering::Relaxed) {
            tracing::warn!("rate limiting is off: REDIS_URL is not set (development only)");
        }
        return Ok(());
    };
    let key = format!("rl:{key}");
    let seconds = window.as_secs().max(1) as i64;
    let pipeline = pool.next().pipeline();
    let queued: Result<(), fred::error::Error> = async {
        let () = pipeline.incr(&key).await?;
        let () = pipeline
            .expire(&key, seconds, Some(ExpireOptions::NX))
            .await?;
        let () = pipeline.pttl(&key).await?;
        Ok(())
    }
    .await;
    let answer: Result<(i64, i64, i64), _> = match queued {
        Ok(()) => pipeline.all().await,
        Err(e) => Err(e),
    };
    match answer {
        Ok((count, _, pttl)) if count > i64::from(limit) => {
            let wait = if pttl > 0 {
                Duration::from_millis(pttl as u64)
            } else {
                window
            };
            tracing::warn!(key = %key, count, limit, "rate limit exceeded");
            Err(RetryAfter(wait))
        }
        Ok(_) => Ok(()),
        Err(e) => {
            tracing::warn!(error = %e, key = %key, "rate limiter unavailable; allowing the request");
            Ok(())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn without_redis_everything_is_allowed() {
        for _ in 0..10 {
            assert!(check(None, "t", 1, Duration::from_secs(60)).await.is_ok());
        }
    }

    #[test]
    fn retry_after_is_at_least_one_second() {
        assert_eq!(RetryAfter(Duration::from_millis(10)).seconds(), 1);
        assert_eq!(RetryAfter(Duration::from_secs(42)).seconds(), 42);
    }
}
