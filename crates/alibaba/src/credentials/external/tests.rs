// SPDX-License-Identifier: MPL-2.0
//! Tests of `process_command` splitting and of the command's output.

use super::*;

#[test]
fn split_cases() {
    let cases: &[(&str, &str, &[&str])] = &[
        (
            "words",
            "tool --profile work",
            &["tool", "--profile", "work"],
        ),
        (
            "runs of whitespace",
            " \ttool \n a  b ",
            &["tool", "a", "b"],
        ),
        ("double quotes", r#"tool "a b" c"#, &["tool", "a b", "c"]),
        ("single quotes", "tool 'a b' c", &["tool", "a b", "c"]),
        (
            "single quotes are literal",
            r#"tool '$HOME \ "x"'"#,
            &["tool", r#"$HOME \ "x""#],
        ),
        (
            "escapes in double quotes",
            r#"tool "\" \\ \$ \` \a""#,
            &["tool", r#"" \ $ ` \a"#],
        ),
        (
            "escaped newline in double quotes",
            "tool \"a\\\nb\"",
            &["tool", "a\nb"],
        ),
        (
            "escaped newline outside quotes",
            "tool a\\\nb",
            &["tool", "a\nb"],
        ),
        (
            "escapes outside quotes",
            r#"tool a\ b \'c\' \"d\" \\"#,
            &["tool", "a b", "'c'", "\"d\"", "\\"],
        ),
        (
            "quotes join a word",
            r#"tool pre"mid dle"'post'"#,
            &["tool", "premid dlepost"],
        ),
        (
            "empty quotes are a word",
            r#"tool '' """#,
            &["tool", "", ""],
        ),
        (
            "windows-like path quoted",
            r#""C:\Program Files\tool.exe" x"#,
            &[r"C:\Program Files\tool.exe", "x"],
        ),
        (
            "nothing expanded",
            "tool $HOME ~ *",
            &["tool", "$HOME", "~", "*"],
        ),
        ("unicode", "outil «é» 中文", &["outil", "«é»", "中文"]),
    ];
    for (name, input, want) in cases {
        let want: Vec<String> = want.iter().map(|w| w.to_string()).collect();
        assert_eq!(split(input), Ok(want), "{name}");
    }
}

#[test]
fn split_error_cases() {
    let cases = [
        ("empty", "", "no words"),
        ("blank", " \t\n", "no words"),
        (
            "open single quote",
            "tool 'a b",
            "single quote is not closed",
        ),
        (
            "open double quote",
            r#"tool "a b"#,
            "double quote is not closed",
        ),
        (
            "backslash ends a double quote",
            r#"tool "a\"#,
            "double quote is not closed",
        ),
        (
            "trailing backslash",
            r"tool a\",
            "ends with a backslash that escapes nothing",
        ),
    ];
    for (name, input, want) in cases {
        let err = split(input).unwrap_err();
        assert!(err.contains(want), "{name}: {err}");
    }
}

#[test]
fn command_keeps_arguments_out_of_debug() {
    let c = ExternalCommand::parse("/bin/tool --token SECRET-arg 'x y'").unwrap();
    assert_eq!(c.program, "/bin/tool");
    assert_eq!(c.args, ["--token", "SECRET-arg", "x y"]);
    assert_eq!(
        format!("{c:?}"),
        r#"ExternalCommand { program: "/bin/tool", args: <3 redacted> }"#
    );
    assert_eq!(
        ExternalCommand::parse("'' x"),
        Err("the program name is empty")
    );
}

fn at(secs: u64) -> SystemTime {
    SystemTime::UNIX_EPOCH + Duration::from_secs(secs)
}

#[test]
fn output_ok_cases() {
    type Case<'a> = (&'a str, &'a str, Option<&'a str>, Option<SystemTime>);
    let cases: Vec<Case> = vec![
        (
            "AK",
            r#"{"mode": "AK", "access_key_id": "id", "access_key_secret": "SECRET"}"#,
            None,
            None,
        ),
        (
            "StsToken with expiration",
            r#"{"mode": "StsToken", "access_key_id": "id", "access_key_secret": "SECRET",
                "sts_token": "tok", "expiration": "2024-05-01T08:00:00Z"}"#,
            Some("tok"),
            Some(at(1_714_550_400)),
        ),
        (
            "no mode, a token: used",
            r#"{"access_key_id": "id", "access_key_secret": "SECRET", "sts_token": "tok"}"#,
            Some("tok"),
            None,
        ),
        (
            "empty token and expiration, nulls, unknown fields",
            r#"{"mode": "AK", "access_key_id": "id", "access_key_secret": "SECRET",
                "sts_token": "", "expiration": null, "extra": 1}"#,
            None,
            None,
        ),
        (
            "unparsable expiration counts as none",
            r#"{"mode": "AK", "access_key_id": "id", "access_key_secret": "SECRET",
                "expiration": "tomorrow"}"#,
            None,
            None,
        ),
    ];
    for (name, out, want_token, want_expiration) in cases {
        let c = credentials_from_output(out.as_bytes()).expect(name);
        assert_eq!(
            (c.access_key_id.as_str(), c.access_key_secret.as_str()),
            ("id", "SECRET"),
            "{name}"
        );
        assert_eq!(c.security_token.as_deref(), want_token, "{name}");
        assert_eq!(c.expiration, want_expiration, "{name}");
    }
}

#[test]
fn output_error_cases() {
    let cases = [
        ("empty", "", "not valid credentials JSON (Eof error"),
        (
            "not JSON",
            "SECRET-x\n",
            "not valid credentials JSON (Syntax error at line 1",
        ),
        (
            "not an object",
            r#"["SECRET-x"]"#,
            "not valid credentials JSON (Data error",
        ),
        (
            "a field of the wrong type",
            r#"{"access_key_id": "SECRET-x", "access_key_secret": 5}"#,
            "not valid credentials JSON (Data error",
        ),
        (
            "no id",
            r#"{"mode": "AK", "access_key_secret": "SECRET-x"}"#,
            "its output has no access_key_id",
        ),
        (
            "empty secret",
            r#"{"mode": "AK", "access_key_id": "SECRET-x", "access_key_secret": ""}"#,
            "its output has no access_key_secret",
        ),
        (
            "StsToken without token",
            r#"{"mode": "StsToken", "access_key_id": "a", "access_key_secret": "SECRET-x"}"#,
            "mode StsToken but no sts_token",
        ),
    ];
    for (name, out, want) in cases {
        let err = credentials_from_output(out.as_bytes()).unwrap_err();
        assert!(err.contains(want), "{name}: {err}");
        assert!(!err.contains("SECRET"), "{name}: {err}");
    }
}

#[test]
fn stderr_tail_cases() {
    let long = format!("{}é{}", "x".repeat(2000), "y".repeat(STDERR_TAIL - 1));
    let printed = br#"{"access_key_secret": "SECRET-printed-before-failing"}"#;
    let cases = [
        ("empty", String::new(), "nothing on stderr".to_string()),
        ("blank", " \n".to_string(), "nothing on stderr".to_string()),
        ("short", "boom\n".to_string(), "stderr: boom".to_string()),
        (
            // Characters, not bytes: "é" is the first one kept.
            "long",
            long,
            format!("stderr: …[cut]é{}", "y".repeat(STDERR_TAIL - 1)),
        ),
        (
            "terminal controls",
            "\x1b]0;title\x07bad\r\x1b[2Kline\u{9b}31m\nnext\u{202e}".to_string(),
            "stderr: \u{fffd}]0;title\u{fffd}bad \u{fffd}[2Kline\u{fffd}31m\nnext\u{fffd}"
                .to_string(),
        ),
        (
            "echoes a secret it printed",
            "bad answer SECRET-printed-before-failing".to_string(),
            "stderr: bad answer <redacted>".to_string(),
        ),
    ];
    for (name, stderr, want) in cases {
        assert_eq!(stderr_tail(stderr.as_bytes(), printed), want, "{name}");
    }
}
