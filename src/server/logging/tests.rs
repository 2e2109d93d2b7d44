// SPDX-License-Identifier: MPL-2.0
use super::*;

#[test]
fn levels_from_env() {
    let cases = [
        ("unset", None, None, None),
        ("empty", Some(""), Some(""), None),
        (
            "tf_log debug",
            None,
            Some("DEBUG"),
            Some(LevelFilter::DEBUG),
        ),
        (
            "provider wins",
            Some("warn"),
            Some("TRACE"),
            Some(LevelFilter::WARN),
        ),
        ("provider off wins", Some("OFF"), Some("DEBUG"), None),
        (
            "empty provider falls back",
            Some(""),
            Some("info"),
            Some(LevelFilter::INFO),
        ),
        (
            "json is trace",
            None,
            Some("JSON"),
            Some(LevelFilter::TRACE),
        ),
        (
            "invalid is trace",
            Some("warning"),
            None,
            Some(LevelFilter::TRACE),
        ),
        ("error", Some("ERROR"), None, Some(LevelFilter::ERROR)),
    ];
    for (name, provider, core, want) in cases {
        assert_eq!(level_from_env(provider, core), want, "{name}");
    }
}

#[test]
fn line_format() {
    let at = OffsetDateTime::from_unix_timestamp_nanos(1_735_787_045_123_456_789)
        .unwrap_or(OffsetDateTime::UNIX_EPOCH);
    let mut fields = Map::new();
    fields.insert("rpc".into(), "PlanResourceChange".into());
    fields.insert("count".into(), 3.into());
    fields.insert("@level".into(), "spoofed".into());
    let cases = [
        (
            "ours",
            Level::WARN,
            "ehpc::server::conn",
            "warn",
            "provider.ehpc.server.conn",
        ),
        ("no target", Level::TRACE, "", "trace", "provider"),
        ("error", Level::ERROR, "h2", "error", "provider.h2"),
    ];
    for (name, level, target, want_level, want_module) in cases {
        let line = format_line(level, "say \"hi\"\n", target, at, fields.clone());
        assert!(
            line.ends_with('\n') && line.matches('\n').count() == 1,
            "{name}: one line"
        );
        let v: Json = serde_json::from_str(&line).unwrap_or_default();
        assert_eq!(v["@level"], want_level, "{name}");
        assert_eq!(v["@message"], "say \"hi\"\n", "{name}");
        assert_eq!(v["@module"], want_module, "{name}");
        assert_eq!(v["@timestamp"], "2025-01-02T03:04:05.123456Z", "{name}");
        assert_eq!(v["rpc"], "PlanResourceChange", "{name}");
        assert_eq!(v["count"], 3, "{name}");
    }
}

#[test]
fn timestamp_always_has_six_digits() {
    let cases = [
        (
            "whole second",
            1_735_787_045_000_000_000i128,
            "2025-01-02T03:04:05.000000Z",
        ),
        (
            "sub-micro dropped",
            1_735_787_045_000_000_999,
            "2025-01-02T03:04:05.000000Z",
        ),
        (
            "micro",
            1_735_787_045_000_001_000,
            "2025-01-02T03:04:05.000001Z",
        ),
    ];
    for (name, nanos, want) in cases {
        let at =
            OffsetDateTime::from_unix_timestamp_nanos(nanos).unwrap_or(OffsetDateTime::UNIX_EPOCH);
        let line = format_line(Level::INFO, "m", "ehpc", at, Map::new());
        let v: Json = serde_json::from_str(&line).unwrap_or_default();
        assert_eq!(v["@timestamp"], want, "{name}");
    }
}

#[test]
fn layer_filters_and_carries_span_fields() {
    use std::sync::{Arc, Mutex};
    let lines = Arc::new(Mutex::new(Vec::<String>::new()));
    let out = Arc::clone(&lines);
    let sink: Sink = Box::new(move |l| out.lock().map(|mut v| v.push(l.to_string())).unwrap_or(()));
    let layer = HclogLayer {
        level: LevelFilter::DEBUG,
        sink,
    };
    tracing::subscriber::with_default(tracing_subscriber::registry().with(layer), || {
        let span = tracing::debug_span!("rpc", rpc = "ReadResource", type_name = "ehpc_app_sync");
        let _g = span.enter();
        tracing::debug!(attempt = 2, "kept");
        tracing::trace!("below the level");
        tracing::info!(target: "h2::codec", "dependency chatter");
        tracing::warn!(target: "h2::codec", "dependency warning");
    });
    let lines = lines.lock().map(|v| v.clone()).unwrap_or_default();
    let parsed: Vec<Json> = lines
        .iter()
        .map(|l| serde_json::from_str(l).unwrap_or_default())
        .collect();
    let messages: Vec<&str> = parsed
        .iter()
        .map(|v| v["@message"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(messages, ["kept", "dependency warning"]);
    assert_eq!(parsed[0]["rpc"], "ReadResource");
    assert_eq!(parsed[0]["type_name"], "ehpc_app_sync");
    assert_eq!(parsed[0]["attempt"], 2);
    assert_eq!(parsed[0]["@level"], "debug");
    assert_eq!(parsed[1]["@module"], "provider.h2.codec");
}
