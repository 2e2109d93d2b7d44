// SPDX-License-Identifier: MPL-2.0
use super::*;
use std::sync::atomic::{AtomicU32, AtomicU64, Ordering};

fn at(secs: u64) -> SystemTime {
    SystemTime::UNIX_EPOCH + Duration::from_secs(secs)
}

#[test]
fn needs_refresh_cases() {
    let cases = [
        ("no expiration", 1_000, None, false),
        ("far away", 1_000, Some(1_000 + 3600), false),
        ("just outside window", 1_000, Some(1_000 + 301), false),
        ("at window edge", 1_000, Some(1_000 + 300), true),
        ("inside window", 1_000, Some(1_000 + 60), true),
        ("expired", 1_000, Some(900), true),
    ];
    for (name, now, exp, want) in cases {
        assert_eq!(needs_refresh(at(now), exp.map(at)), want, "{name}");
    }
}

#[test]
fn parse_expiration_cases() {
    let cases = [
        ("utc", "2024-05-01T08:00:00Z", Some(1_714_550_400)),
        ("epoch", "1970-01-01T00:00:00Z", Some(0)),
        ("millis not accepted", "2024-05-01T08:00:00.000Z", None),
        ("offset not accepted", "2024-05-01T08:00:00+08:00", None),
        ("garbage", "tomorrow", None),
    ];
    for (name, input, want) in cases {
        assert_eq!(parse_expiration(input), want.map(at), "{name}");
    }
}

#[test]
fn temporary_from_json_cases() {
    let ok = serde_json::json!({"AccessKeyId": "STS.id", "AccessKeySecret": "s",
        "SecurityToken": "t", "Expiration": "2024-05-01T08:00:00Z"});
    let c = temporary_from_json(&ok, "x").unwrap();
    assert_eq!(c.security_token.as_deref(), Some("t"));
    assert_eq!(c.expiration, Some(at(1_714_550_400)));
    let cases = [
        (
            "no id",
            serde_json::json!({"AccessKeySecret": "SECRETX"}),
            "AccessKeyId",
        ),
        (
            "no secret",
            serde_json::json!({"AccessKeyId": "a"}),
            "AccessKeySecret",
        ),
        (
            "bad expiration",
            serde_json::json!({"AccessKeyId": "a", "AccessKeySecret": "SECRETX", "Expiration": "soon"}),
            "not of the form",
        ),
    ];
    // A hostile Expiration: controls replaced, bounded, and the answer's own secret removed.
    let evil = serde_json::json!({"AccessKeyId": "a", "AccessKeySecret": "SECRETX",
        "Expiration": format!("\u{1b}[2J\u{7}SECRETX{}", "x".repeat(200))});
    let msg = temporary_from_json(&evil, "URI").unwrap_err().to_string();
    let shown = sanitize_expected(&format!("\u{fffd}[2J\u{fffd}<redacted>{}", "x".repeat(200)));
    assert_eq!(
        msg,
        format!("URI: Expiration {shown:?} is not of the form 2024-05-01T08:00:00Z")
    );
    for (name, body, want) in cases {
        let msg = temporary_from_json(&body, "ECS").unwrap_err().to_string();
        assert!(
            msg.contains(want) && !msg.contains("SECRETX"),
            "{name}: {msg}"
        );
    }
}

/// Counts fetches; each answer expires `ttl` seconds after the injected clock's now, or
/// never.
struct Counting {
    calls: Arc<AtomicU32>,
    now: Arc<AtomicU64>,
    ttl: Option<u64>,
    fail: bool,
    keeps: bool,
    /// Whether answers carry a SecurityToken (temporary) or not (a plain AccessKey).
    token: bool,
}

#[async_trait::async_trait]
impl Fetch for Counting {
    async fn fetch(&self) -> Result<Credentials, Error> {
        let n = self.calls.fetch_add(1, Ordering::SeqCst) + 1;
        if self.fail && n > 1 {
            return Err(Error::Credentials("down".into()));
        }
        Ok(Credentials {
            access_key_id: format!("id-{n}"),
            access_key_secret: "s".into(),
            security_token: self.token.then(|| "t".into()),
            expiration: self
                .ttl
                .map(|ttl| at(self.now.load(Ordering::SeqCst) + ttl)),
        })
    }
    fn source(&self) -> String {
        "test".into()
    }
    fn keeps_unexpiring(&self) -> bool {
        self.keeps
    }
}

type Parts = (Cached<Counting>, Arc<AtomicU32>, Arc<AtomicU64>);

fn cached_with(ttl: Option<u64>, fail: bool, keeps: bool) -> Parts {
    cached_token(ttl, fail, keeps, true)
}

fn cached_token(ttl: Option<u64>, fail: bool, keeps: bool, token: bool) -> Parts {
    let calls = Arc::new(AtomicU32::new(0));
    let now = Arc::new(AtomicU64::new(10_000));
    let clock_now = now.clone();
    let clock: Clock = Arc::new(move || at(clock_now.load(Ordering::SeqCst)));
    let f = Counting {
        calls: calls.clone(),
        now: now.clone(),
        ttl,
        fail,
        keeps,
        token,
    };
    (Cached::new(f, clock), calls, now)
}

fn cached(ttl: u64, fail: bool) -> Parts {
    cached_with(Some(ttl), fail, true)
}

#[tokio::test]
async fn refreshes_only_near_expiry() {
    let (c, calls, now) = cached(3600, false);
    assert_eq!(c.credentials().await.unwrap().access_key_id, "id-1");
    now.fetch_add(3600 - 301, Ordering::SeqCst);
    assert_eq!(c.credentials().await.unwrap().access_key_id, "id-1");
    now.fetch_add(1, Ordering::SeqCst);
    assert_eq!(c.credentials().await.unwrap().access_key_id, "id-2");
    assert_eq!(calls.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn failed_refresh_keeps_unexpired_credentials_then_fails() {
    let (c, _calls, now) = cached(3600, true);
    c.credentials().await.unwrap();
    now.fetch_add(3500, Ordering::SeqCst);
    assert_eq!(c.credentials().await.unwrap().access_key_id, "id-1");
    now.fetch_add(200, Ordering::SeqCst);
    assert!(c.credentials().await.is_err());
}

#[tokio::test]
async fn concurrent_callers_share_one_fetch() {
    let (c, calls, _now) = cached(3600, false);
    let c = Arc::new(c);
    let tasks: Vec<_> = (0..8)
        .map(|_| {
            let c = c.clone();
            tokio::spawn(async move { c.credentials().await })
        })
        .collect();
    for t in tasks {
        assert_eq!(t.await.unwrap().unwrap().access_key_id, "id-1");
    }
    assert_eq!(calls.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn a_token_without_expiration_is_reused_for_a_bounded_time_only() {
    let bound = UNEXPIRING_TOKEN_REUSE.as_secs();
    let (c, calls, now) = cached_token(None, false, true, true);
    assert_eq!(c.credentials().await.unwrap().access_key_id, "id-1");
    now.fetch_add(bound - 1, Ordering::SeqCst);
    assert_eq!(c.credentials().await.unwrap().access_key_id, "id-1");
    now.fetch_add(1, Ordering::SeqCst);
    assert_eq!(
        c.credentials().await.unwrap().access_key_id,
        "id-2",
        "refreshed before use"
    );
    assert_eq!(calls.load(Ordering::SeqCst), 2);
    // A plain AccessKey (no token) without an expiration does not expire: kept.
    let (c, calls, now) = cached_token(None, false, true, false);
    c.credentials().await.unwrap();
    now.fetch_add(100 * bound, Ordering::SeqCst);
    assert_eq!(c.credentials().await.unwrap().access_key_id, "id-1");
    assert_eq!(calls.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn unexpiring_answers_are_kept_unless_the_fetcher_says_otherwise() {
    for (keeps, want_calls) in [(true, 1), (false, 3)] {
        let (c, calls, _now) = cached_with(None, false, keeps);
        for _ in 0..3 {
            c.credentials().await.unwrap();
        }
        assert_eq!(calls.load(Ordering::SeqCst), want_calls, "keeps: {keeps}");
    }
    // Fetched at every use, so a failure is an error: there is nothing to fall back on.
    let (c, _calls, _now) = cached_with(None, true, false);
    c.credentials().await.unwrap();
    assert!(c.credentials().await.is_err());
}

/// `text` cut to the 128 characters of an identifier, with the cut marker.
fn sanitize_expected(text: &str) -> String {
    let kept: String = text.chars().take(128).collect();
    format!("{kept}…[cut]")
}
