// SPDX-License-Identifier: MPL-2.0
use super::*;

fn client(user_agent: &str) -> HttpClient {
    HttpClient::new(Duration::from_secs(1), Duration::from_secs(2), user_agent)
}

/// Whether `http`'s pool has been built.
fn is_built(http: &HttpClient) -> bool {
    http.shared.pool.get().is_some()
}

/// Whether `a` and `b` share one pool.
fn share_a_pool(a: &HttpClient, b: &HttpClient) -> bool {
    Arc::ptr_eq(&a.shared, &b.shared)
}

#[test]
fn nothing_is_built_before_the_first_request_and_clones_share_one_pool() {
    let first = client("");
    let clone = first.clone();
    assert!(!is_built(&first) && !is_built(&clone));
    assert!(format!("{first:?}").contains("built: false"));
    assert!(share_a_pool(&first, &clone));
    assert!(!share_a_pool(&first, &client("")));

    let from_clone = clone.pool().map(|p| p as *const reqwest::Client);
    assert!(is_built(&first), "building through a clone builds for all");
    let from_first = first.pool().map(|p| p as *const reqwest::Client);
    assert!(from_clone.is_ok());
    assert_eq!(from_clone.ok(), from_first.ok(), "one reqwest::Client");
}

#[test]
fn proxy_settings_read_the_environment_and_hide_the_password() {
    use crate::credentials::Environment;
    let env = Environment::from_pairs([
        ("https_proxy", "http://user:proxy-pw@proxy.example:3128"),
        ("NO_PROXY", "internal.example"),
    ]);
    let settings = ProxySettings::from_env(&env);
    let shown = format!("{settings:?}");
    assert!(
        shown.contains("proxy.example:3128") && !shown.contains("proxy-pw"),
        "{shown}"
    );
    assert!(matches!(settings.proxy(), Ok(Some(_))));
    assert!(matches!(ProxySettings::direct().proxy(), Ok(None)));
    let bad = ProxySettings::from_env(&Environment::from_pairs([("ALL_PROXY", "::bad pw::")]));
    let err = bad.proxy().expect_err("not a URL");
    assert!(
        err.contains("HTTPS_PROXY") && !err.contains("bad pw"),
        "{err}"
    );
}

#[test]
fn an_unusable_proxy_fails_the_build_without_its_password() {
    use crate::credentials::Environment;
    for url in [
        "socks5://u:proxy-pw@proxy.example:1080",
        "ftp://u:proxy-pw@proxy.example",
    ] {
        let env = Environment::from_pairs([("HTTPS_PROXY", url)]);
        let client = HttpClient::with_proxies(
            Duration::from_secs(1),
            Duration::from_secs(1),
            "",
            ProxySettings::from_env(&env),
        );
        let err = client
            .pool()
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(
            err.contains("not an http:// or https:// proxy URL"),
            "{url}: {err}"
        );
        assert!(!err.contains("proxy-pw"), "{url}: {err}");
    }
}
