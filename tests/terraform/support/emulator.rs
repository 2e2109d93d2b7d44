// SPDX-License-Identifier: MPL-2.0
//! The `ehpc-emulator` process as the tests use it: started on 127.0.0.1:0 with the test
//! credential and regions, ready once it printed its `listening on` line, inspected through
//! /_emulator/calls and /_emulator/apps, and killed when dropped.

use std::collections::BTreeSet;
use std::io::{BufRead, BufReader};
use std::process::{Child, ChildStdout, Command, Stdio};

use serde_json::Value as Json;

use super::{emulator_bin, ACCESS_KEY, REGIONS, SECRET_KEY};

/// A running `ehpc-emulator`; killed when dropped.
pub(crate) struct Emulator {
    child: Child,
    // Kept open so that the emulator never writes into a closed pipe.
    _stdout: BufReader<ChildStdout>,
    /// `http://127.0.0.1:PORT`, the EhpcInstant (and STS) endpoint.
    pub url: String,
    dir: tempfile::TempDir,
}

impl Emulator {
    /// Starts the emulator with the test credential, the test regions, one `--app` per entry
    /// of `apps`, plus `extra` arguments; returns once it printed its `listening on` line.
    pub(crate) fn start(apps: &[&str], extra: &[&str]) -> Emulator {
        let mut args: Vec<String> = vec![
            "--listen".into(),
            "127.0.0.1:0".into(),
            "--credential".into(),
            format!("{ACCESS_KEY}:{SECRET_KEY}"),
        ];
        for r in REGIONS {
            args.extend(["--region".into(), (*r).into()]);
        }
        for a in apps {
            args.extend(["--app".into(), (*a).into()]);
        }
        args.extend(extra.iter().map(|s| s.to_string()));
        Emulator::start_raw(&args)
    }

    /// Starts the emulator with exactly `args`.
    pub(crate) fn start_raw(args: &[String]) -> Emulator {
        let dir = tempfile::tempdir().expect("temp dir for the emulator log");
        let log = std::fs::File::create(dir.path().join("emulator.log")).expect("emulator log");
        let mut child = Command::new(emulator_bin())
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(log)
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {}: {e}", emulator_bin().display()));
        let mut stdout = BufReader::new(child.stdout.take().expect("piped stdout"));
        let mut line = String::new();
        // Blocks until the emulator is ready (or exits, which yields EOF).
        let read = stdout.read_line(&mut line).unwrap_or(0);
        let url = line
            .trim()
            .strip_prefix("listening on ")
            .map(str::to_string);
        let mut emu = Emulator {
            child,
            _stdout: stdout,
            url: String::new(),
            dir,
        };
        match url {
            Some(u) if read > 0 && u.starts_with("http://") => emu.url = u,
            _ => panic!(
                "ehpc-emulator {args:?} did not print `listening on http://HOST:PORT`; got {line:?}\n\
                 --- emulator log ---\n{}",
                emu.log()
            ),
        }
        emu
    }

    /// What the emulator wrote to stderr so far (shown in failure messages).
    pub(crate) fn log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("emulator.log")).unwrap_or_default()
    }

    fn get(&self, path: &str) -> Json {
        self.send(&reqwest::Method::GET, path, None)
    }

    /// One request to an inspection or admin route; its JSON answer (`null` for 204).
    fn send(&self, method: &reqwest::Method, path: &str, body: Option<Json>) -> Json {
        let url = format!("{}{path}", self.url);
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("tokio runtime");
        let answer = rt.block_on(async {
            let mut request = reqwest::Client::new().request(method.clone(), &url);
            if let Some(body) = body {
                request = request
                    .header("content-type", "application/json")
                    .body(body.to_string());
            }
            let resp = request.send().await?;
            let status = resp.status();
            let text = resp.text().await?;
            Ok::<_, reqwest::Error>((status, text))
        });
        match answer {
            Ok((status, text)) if status.is_success() && text.is_empty() => Json::Null,
            Ok((status, text)) if status.is_success() => serde_json::from_str(&text)
                .unwrap_or_else(|e| panic!("{method} {url}: not JSON ({e}): {text}")),
            Ok((status, text)) => panic!("{method} {url}: HTTP {status}: {text}"),
            Err(e) => panic!("{method} {url}: {e}"),
        }
    }

    /// Deletes `app`'s copy in `region`, as if someone removed it in the console.
    pub(crate) fn delete_copy(&self, app: &str, region: &str) {
        let path = format!("/_emulator/apps/{app}/copies/{region}");
        self.send(&reqwest::Method::DELETE, &path, None);
    }

    /// Pins the status word of `app`'s copy in `region`.
    pub(crate) fn pin_status(&self, app: &str, region: &str, status: &str) {
        let path = format!("/_emulator/apps/{app}/copies/{region}");
        let body = serde_json::json!({ "status": status });
        self.send(&reqwest::Method::PUT, &path, Some(body));
    }

    /// Marks `app` as used by jobs (RemoveImage then answers ImageInUse) or not.
    pub(crate) fn set_in_use(&self, app: &str, in_use: bool) {
        let path = format!("/_emulator/apps/{app}/in-use");
        let body = serde_json::json!({ "in_use": in_use });
        self.send(&reqwest::Method::PUT, &path, Some(body));
    }

    /// What AddImage recorded of `app` (`/_emulator/apps/{app}/registration`).
    pub(crate) fn registration(&self, app: &str) -> Json {
        self.get(&format!("/_emulator/apps/{app}/registration"))
    }

    /// Removes `app` outside the API, as if someone removed it in the console.
    pub(crate) fn remove_app(&self, app: &str) {
        self.send(
            &reqwest::Method::DELETE,
            &format!("/_emulator/apps/{app}/image"),
            None,
        );
    }

    /// The actions of every call answered, in order.
    pub(crate) fn actions(&self) -> Vec<String> {
        self.calls()
            .iter()
            .filter_map(|c| c["action"].as_str().map(str::to_string))
            .collect()
    }

    /// How many calls of `action` the emulator answered.
    pub(crate) fn action_count(&self, action: &str) -> usize {
        self.actions().iter().filter(|a| *a == action).count()
    }

    /// Every call the emulator answered (GET /_emulator/calls).
    pub(crate) fn calls(&self) -> Vec<Json> {
        match self.get("/_emulator/calls") {
            Json::Array(calls) => calls,
            other => panic!("/_emulator/calls is not an array: {other}"),
        }
    }

    /// Only the SynchronizeApp calls, in the order the emulator answered them.
    pub(crate) fn sync_calls(&self) -> Vec<Call> {
        self.calls()
            .iter()
            .filter(|c| c["action"] == "SynchronizeApp")
            .map(Call::from_json)
            .collect()
    }

    /// The SynchronizeApp calls answered while `act` ran (a terraform command, say).
    pub(crate) fn sync_calls_during<T>(&self, act: impl FnOnce() -> T) -> Vec<Call> {
        let before = self.sync_calls().len();
        act();
        self.sync_calls().split_off(before)
    }

    /// The regions each app holds (GET /_emulator/apps).
    pub(crate) fn apps(&self) -> Json {
        self.get("/_emulator/apps")
    }

    /// [`Emulator::apps`], asserted to hold exactly `count` applications.
    #[track_caller]
    pub(crate) fn assert_app_count(&self, count: usize) -> Json {
        let apps = self.apps();
        assert_eq!(apps.as_object().map(|a| a.len()), Some(count), "{apps}");
        apps
    }

    /// The regions `app` holds according to the emulator.
    pub(crate) fn regions_of(&self, app: &str) -> BTreeSet<String> {
        strings(&self.apps()[app])
    }
}

impl Drop for Emulator {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// One SynchronizeApp call as recorded by the emulator.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Call {
    pub app_id: String,
    /// The TargetRegionIds sent, in the order sent; `None` when the parameter was omitted.
    pub regions: Option<Vec<String>>,
    pub request_id: String,
    pub status: u64,
    /// The error code, `None` on success.
    pub code: Option<String>,
}

impl Call {
    fn from_json(c: &Json) -> Call {
        let regions = match &c["target_region_ids"] {
            Json::Null => None,
            // Tolerate the raw JSON-array string as sent on the wire.
            Json::String(s) => {
                Some(serde_json::from_str::<Vec<String>>(s).unwrap_or_else(|_| vec![s.clone()]))
            }
            other => Some(
                other
                    .as_array()
                    .map(|a| {
                        a.iter()
                            .map(|v| v.as_str().unwrap_or_default().to_string())
                            .collect()
                    })
                    .unwrap_or_default(),
            ),
        };
        let code = match &c["code"] {
            Json::String(s) if !s.is_empty() => Some(s.clone()),
            _ => None,
        };
        Call {
            app_id: c["app_id"].as_str().unwrap_or_default().to_string(),
            regions,
            request_id: c["request_id"].as_str().unwrap_or_default().to_string(),
            status: c["status"].as_u64().unwrap_or_default(),
            code,
        }
    }

    pub(crate) fn ok(&self) -> bool {
        self.code.is_none() && self.status == 200
    }

    /// The regions sent, or an empty list when TargetRegionIds was omitted.
    pub(crate) fn region_list(&self) -> Vec<String> {
        self.regions.clone().unwrap_or_default()
    }
}

/// A JSON array of strings as a set (null and non-arrays give an empty set).
pub(crate) fn strings(v: &Json) -> BTreeSet<String> {
    v.as_array()
        .map(|a| {
            a.iter()
                .filter_map(|s| s.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

/// `&["a", "b"]` as owned strings, for comparisons with [`Call::regions`].
pub(crate) fn owned(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}
