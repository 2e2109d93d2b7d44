// SPDX-License-Identifier: MPL-2.0
use super::*;

fn client(user_agent: &str) -> HttpClient {
    HttpClient::new(Duration::from_secs(1), Duration::from_secs(2), user_agent)
}

/// Whether `http`'s pools have been built: (the https one, the plaintext one).
fn built(http: &HttpClient) -> (bool, bool) {
    let s = &http.shared;
    (s.tls.get().is_some(), s.plaintext.get().is_some())
}

/// Whether `a` and `b` share their pools.
fn share_pools(a: &HttpClient, b: &HttpClient) -> bool {
    Arc::ptr_eq(&a.shared, &b.shared)
}

/// The address of the pool `http` gives for `url`, `None` if it failed to build.
fn pool_address(http: &HttpClient, url: &str) -> Option<*const reqwest::Client> {
    http.pool_for(url).ok().map(|p| p as *const reqwest::Client)
}

#[test]
fn nothing_is_built_before_the_first_request_and_clones_share_the_pools() {
    let first = client("");
    let clone = first.clone();
    assert_eq!(built(&first), (false, false));
    assert!(format!("{first:?}").contains("tls_built: false"));
    assert!(share_pools(&first, &clone));
    assert!(!share_pools(&first, &client("")));

    let url = "https://ehpcinstant.cn-hangzhou.aliyuncs.com";
    let from_clone = pool_address(&clone, url);
    assert_eq!(
        built(&first),
        (true, false),
        "building through a clone builds for all"
    );
    assert!(from_clone.is_some());
    assert_eq!(from_clone, pool_address(&first, url), "one reqwest::Client");
}

#[test]
fn only_http_urls_use_the_pool_without_root_certificates() {
    let http = client("");
    let plaintext = pool_address(&http, "http://127.0.0.1:8080");
    assert_eq!(
        built(&http),
        (false, true),
        "no system roots loaded for http://"
    );
    assert!(plaintext.is_some());
    assert_eq!(plaintext, pool_address(&http, "HTTP://100.100.100.200"));

    let tls = pool_address(&http, "https://sts.aliyuncs.com");
    assert_eq!(built(&http), (true, true));
    assert!(tls.is_some() && tls != plaintext);
    // Anything not written http:// gets the verifying pool, as every URL did before.
    for url in ["httpx://host", "http:/host", "", "h"] {
        assert_eq!(pool_address(&http, url), tls, "{url:?}");
    }
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
            .pool_for("https://ehpcinstant.cn-hangzhou.aliyuncs.com")
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
