// SPDX-License-Identifier: MPL-2.0
use super::*;

#[test]
fn cookie() {
    let cases = [
        ("exact", Some(MAGIC_COOKIE_VALUE), true),
        ("missing", None, false),
        ("empty", Some(""), false),
        ("wrong", Some("d602bf8f"), false),
    ];
    for (name, input, ok) in cases {
        assert_eq!(check_cookie(input).is_ok(), ok, "{name}");
    }
}

#[test]
fn protocol_negotiation() {
    let cases = [
        ("terraform order", Some("5,6"), Some(6)),
        ("reversed order", Some("6,5"), Some(6)),
        ("spaces", Some(" 5 , 6 "), Some(6)),
        ("only six", Some("6"), Some(6)),
        ("junk entries skipped", Some("x,6"), Some(6)),
        ("unset", None, Some(6)),
        ("empty", Some(""), Some(6)),
        ("only five", Some("5"), None),
        ("only seven", Some("7"), None),
        ("junk only", Some("six"), None),
    ];
    for (name, input, want) in cases {
        let got = negotiate_protocol(input).ok();
        assert_eq!(got, want, "{name}");
    }
}

#[test]
fn unsupported_protocol_message_names_the_offer() {
    let msg = negotiate_protocol(Some("5"))
        .map_err(|e| e.to_string())
        .err();
    let msg = msg.unwrap_or_default();
    assert!(msg.contains("\"5\"") && msg.contains("protocol 6"), "{msg}");
}

#[test]
fn handshake_lines() {
    let path = Path::new("/tmp/plugin1/plugin.sock");
    // 4 bytes of DER encode to 6 base64 chars; padded it would be "AQIDBA==".
    let cases = [
        (
            "tls",
            Some(&[1u8, 2, 3, 4][..]),
            "1|6|unix|/tmp/plugin1/plugin.sock|grpc|AQIDBA",
        ),
        ("plaintext", None, "1|6|unix|/tmp/plugin1/plugin.sock|grpc|"),
    ];
    for (name, der, want) in cases {
        let got = handshake_line(path, der);
        assert_eq!(got, want, "{name}");
        assert_eq!(got.split('|').count(), 6, "{name}");
        assert!(!got.contains('='), "{name}: no padding");
    }
}

#[test]
fn reattach_message_layout() {
    let msg = reattach_message(4242, Path::new("/tmp/it's/plugin.sock"));
    let lines: Vec<&str> = msg.split('\n').collect();
    assert!(lines[0].starts_with("Provider started. To attach Terraform CLI"));
    assert_eq!(lines[1], "");
    assert!(
        lines[2].starts_with("\tTF_REATTACH_PROVIDERS='"),
        "{}",
        lines[2]
    );
    assert!(msg.ends_with("'\n\n"));
    // Undo the sh quoting and check the JSON.
    let quoted = lines[2].trim_start_matches("\tTF_REATTACH_PROVIDERS='");
    let json = quoted.trim_end_matches('\'').replace(r"'\''", "'");
    let v: serde_json::Value = serde_json::from_str(&json).unwrap_or_default();
    let p = &v[PROVIDER_ADDRESS];
    assert_eq!(p["Protocol"], "grpc");
    assert_eq!(p["ProtocolVersion"], 6);
    assert_eq!(p["Pid"], 4242);
    assert_eq!(p["Test"], true);
    assert_eq!(p["Addr"]["Network"], "unix");
    assert_eq!(p["Addr"]["String"], "/tmp/it's/plugin.sock");
}
