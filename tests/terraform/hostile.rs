// SPDX-License-Identifier: MPL-2.0
//! A hostile EhpcInstant endpoint through the real `terraform` CLI (issue #19, SECURITY.md
//! "What the provider does with server-supplied text and time"): a small HTTP server on
//! 127.0.0.1:0, set as `endpoints { ehpcinstant }`, answers every Action with (a) an error
//! whose Code, Message and RequestId carry ESC sequences, BEL, a C1 control and the
//! configured secret key and security token where a cut falls, or (b) a 2xx carrying an error
//! Code. `terraform apply` under TF_LOG=TRACE must fail with the classified error showing
//! exactly the sanitised text, and no control byte from the server nor any 8-character piece
//! of a secret may reach stdout, stderr, the log or the state.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::sync::{Arc, Mutex};

use crate::support::{hcl, TfDir, TfOutput, ACCESS_KEY, REGION};

const SECRET: &str = "Zq7xK2mWp9Lr4Tn8/Vb3Yc6Hd+0";
const TOKEN: &str = "CAISj5Fg8Rk2Qw7Ez4Ux9Pa3/Hs1=";
/// A Code with an OSC title sequence, BEL and a C1 CSI, and how it must be shown.
const EVIL: &str = "Evil\u{1b}]0;pwned\u{7}\u{9b}2J";
const EVIL_SHOWN: &str = "Evil\u{fffd}]0;pwned\u{fffd}\u{fffd}2J";

/// Answers every request with `status` and `body`; returns its URL and the Actions asked.
fn hostile_server(status: u16, body: String) -> (String, Arc<Mutex<Vec<String>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let url = format!("http://{}", listener.local_addr().expect("address"));
    let actions = Arc::new(Mutex::new(Vec::new()));
    let seen = Arc::clone(&actions);
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut reader = BufReader::new(stream.try_clone().expect("clone"));
            let mut head = String::new();
            while reader.read_line(&mut head).is_ok_and(|n| n > 2) {}
            let action = head
                .split(['?', '&', ' '])
                .find_map(|p| p.strip_prefix("Action="))
                .unwrap_or("?")
                .to_string();
            seen.lock().unwrap().push(action);
            let answer = format!(
                "HTTP/1.1 {status} X\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\
                 Connection: close\r\n\r\n{body}",
                body.len()
            );
            let _ = stream.write_all(answer.as_bytes());
        }
    });
    (url, actions)
}

/// `terraform apply` of one `ehpc_app_sync` against `url` under TF_LOG=TRACE, with the
/// secrets in the environment (kept out of the configuration, which Terraform may print).
/// Asserts that it fails and that output (`-no-color`: Terraform adds no control byte of its
/// own), log and state are clean; returns the output and its collapsed text.
fn apply(url: &str) -> (TfOutput, String) {
    let mut tf = TfDir::new();
    let provider = format!(
        "{}\nprovider \"ehpc\" {{\n  region      = \"{REGION}\"\n  max_retries = 0\n  \
         endpoints {{\n    ehpcinstant = \"{url}\"\n  }}\n}}\n",
        hcl::terraform_block()
    );
    let app = hcl::app_sync("hostile", "ci-vm-hostile0001", Some(&["cn-shanghai"]));
    tf.main_tf(&format!("{provider}{app}"));
    let log = tf.dir().join("trace.log");
    tf.env("TF_LOG", "TRACE")
        .env("TF_LOG_PATH", &log.display().to_string())
        .env("ALIBABA_CLOUD_ACCESS_KEY_ID", ACCESS_KEY)
        .env("ALIBABA_CLOUD_ACCESS_KEY_SECRET", SECRET)
        .env("ALIBABA_CLOUD_SECURITY_TOKEN", TOKEN);
    let (status, stdout, stderr) =
        tf.tf_raw(&["apply", "-auto-approve", "-input=false", "-no-color"]);
    let log = std::fs::read(&log).unwrap_or_default();
    let state = std::fs::read(tf.dir().join("terraform.tfstate")).unwrap_or_default();
    let mut raw = stdout.clone();
    raw.extend_from_slice(&stderr);
    let out = TfOutput {
        cmdline: "terraform apply -auto-approve -input=false -no-color".into(),
        status,
        stdout: String::from_utf8_lossy(&stdout).into_owned(),
        stderr: String::from_utf8_lossy(&stderr).into_owned(),
    };
    let out = out.failure();
    let text = out.text();
    // The scan below covers the provider's own trace lines, not an empty file.
    let logged = String::from_utf8_lossy(&log);
    // An apply reads first: ListImages is the first call, and the one the server spoils.
    assert!(
        logged.contains("ListImages"),
        "no provider trace in the log"
    );
    for (what, bytes) in [("output", &raw), ("log", &log), ("state", &state)] {
        assert_clean(what, bytes);
    }
    (out, text)
}

/// No ESC, BEL or C1 control from the server, and no 8-character piece of a secret.
fn assert_clean(what: &str, bytes: &[u8]) {
    let text = String::from_utf8_lossy(bytes);
    for c in ['\u{1b}', '\u{7}', '\u{9b}'] {
        assert!(!text.contains(c), "{what}: {c:?} reached it");
    }
    for secret in [SECRET, TOKEN] {
        let encoded = ehpc_alibaba::signer::percent_encode(secret);
        for form in [secret, encoded.as_str()] {
            for start in 0..=form.len() - 8 {
                let piece = &form[start..start + 8];
                assert!(!text.contains(piece), "{what}: {piece:?} of a secret in it");
            }
        }
    }
}

#[test]
fn hostile_error_text_is_shown_sanitised_without_secrets() {
    if !crate::support::terraform_available() {
        return;
    }
    // The token sits where the Code's 128-character bound cuts (17 + 105 + 10 > 128), the
    // secret where the Message's 512 does: redacting after the cut would leave a fragment.
    let body = serde_json::json!({
        "Code": format!("{EVIL}{}{TOKEN}", "c".repeat(105)),
        "Message": format!("{}{SECRET} and {TOKEN}", "m".repeat(505)),
        "RequestId": "R\u{1b}[2J\u{7}",
    });
    let (url, actions) = hostile_server(400, body.to_string());
    let (out, text) = apply(&url);
    let code = format!("{EVIL_SHOWN}{}<redac…[cut]", "c".repeat(105));
    let detail = format!(
        "{code} (HTTP 400): {}<redact…[cut]. RequestId: R\u{fffd}[2J\u{fffd}.",
        "m".repeat(505)
    );
    out.assert_contains(&format!("Error: ListImages failed: {code}"))
        .assert_contains(&detail);
    assert!(
        actions.lock().unwrap().iter().any(|a| a == "ListImages"),
        "{text}"
    );
}

#[test]
fn hostile_2xx_with_an_error_code_fails_the_apply() {
    if !crate::support::terraform_available() {
        return;
    }
    let body = serde_json::json!({
        "Code": "Forbidden.RAM",
        "Message": format!("denied\u{1b}[2J\u{7} for {SECRET}"),
        "RequestId": "R-2xx",
    });
    let (url, actions) = hostile_server(200, body.to_string());
    let (out, text) = apply(&url);
    out.assert_contains("Error: ListImages failed: Forbidden.RAM")
        .assert_contains(
            "Forbidden.RAM (HTTP 200): denied\u{fffd}[2J\u{fffd} for <redacted>. RequestId: R-2xx. \
             The RAM user or role is not allowed to call this API: grant it a RAM policy that \
             allows `ehpc:ListImages`.",
        );
    assert!(
        actions.lock().unwrap().iter().any(|a| a == "ListImages"),
        "{text}"
    );
}
