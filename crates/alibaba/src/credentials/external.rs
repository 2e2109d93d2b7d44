// SPDX-License-Identifier: MPL-2.0
//! Mode `External` of an aliyun CLI profile: `process_command` is a program that prints
//! credentials as JSON on stdout, `{"mode": "AK"|"StsToken", "access_key_id",
//! "access_key_secret", "sts_token", "expiration"}` (`expiration` optional, e.g.
//! `2024-05-01T08:00:00Z`).
//!
//! The command is split into arguments like a POSIX shell would ([`split`]) but runs without one,
//! at the first `credentials()` call, never at configure time (a plan that refreshes or reads a
//! data source makes that call). It gets a null stdin, its own process group and capped output, and
//! is killed with its children after a timeout (see [`helper_process`]). With an `expiration` the
//! answer is cached by [`Cached`](super::cached::Cached) and the command runs again within its
//! refresh window (5 minutes; the SDK's is 3); without one (or with an unparsable one) it runs at
//! every use, as in Alibaba's SDK (such tools may rotate keys).
//!
//! Its stdout holds secrets and is never shown, in errors or logs; its stderr is the tool's
//! diagnostics and its tail goes into errors. Arguments may hold secrets too: only the program
//! is shown.
//!
//! NOTE(protocol): Alibaba's SDK writes the credentials it gets back into the aliyun CLI file.
//! We deliberately never modify the user's config file: they are kept in memory only.

use std::time::{Duration, SystemTime};

use serde::Deserialize;

use super::cached::{parse_expiration, Fetch};
use super::helper_process::{self, Finished, RunError};
use super::Credentials;
use crate::error::{sanitize, sanitize_tail, ID_CHARS};
use crate::Error;

/// How long the command may run when the caller sets no other limit.
pub(crate) const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);

/// How much of the end of stderr an error quotes, in characters.
const STDERR_TAIL: usize = 1024;

/// A split `process_command`. `Debug` shows the program only: arguments may hold secrets.
#[derive(Clone, PartialEq, Eq)]
pub(crate) struct ExternalCommand {
    program: String,
    args: Vec<String>,
}

impl ExternalCommand {
    /// Splits `command` (see [`split`]); the error says why it cannot be, without quoting it.
    pub(crate) fn parse(command: &str) -> Result<Self, &'static str> {
        let mut words = split(command)?.into_iter();
        match words.next() {
            Some(program) if !program.is_empty() => Ok(Self {
                program,
                args: words.collect(),
            }),
            Some(_) => Err("the program name is empty"),
            None => Err("it has no words"),
        }
    }
}

impl std::fmt::Debug for ExternalCommand {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ExternalCommand")
            .field("program", &self.program)
            .field("args", &format_args!("<{} redacted>", self.args.len()))
            .finish()
    }
}

/// Splits a command line into words as a POSIX shell would, without expanding anything:
/// whitespace outside quotes separates words; single quotes keep everything literally; inside
/// double quotes a backslash escapes only `"`, `\`, `$`, `` ` `` and a newline (elsewhere it is
/// kept); outside quotes it escapes any character. An escaped newline stays in the word (as in
/// Alibaba's SDK; `sh` would join the lines). An empty pair of quotes is an empty word (as in
/// `sh`; the SDK drops it). Errors: an unclosed quote, a trailing backslash, no words at all.
pub(crate) fn split(command: &str) -> Result<Vec<String>, &'static str> {
    enum In {
        Plain,
        Single,
        Double,
    }
    let mut words = Vec::new();
    // `Some` once a word has started, even an empty quoted one.
    let mut word: Option<String> = None;
    let mut state = In::Plain;
    let mut chars = command.chars();
    while let Some(c) = chars.next() {
        match state {
            In::Single if c == '\'' => state = In::Plain,
            In::Double if c == '"' => state = In::Plain,
            In::Double if c == '\\' => {
                let w = word.get_or_insert_with(String::new);
                match chars.next() {
                    Some(n @ ('"' | '\\' | '$' | '`' | '\n')) => w.push(n),
                    Some(n) => {
                        w.push('\\');
                        w.push(n);
                    }
                    None => return Err("a double quote is not closed"),
                }
            }
            In::Single | In::Double => word.get_or_insert_with(String::new).push(c),
            In::Plain => match c {
                '\'' => {
                    word.get_or_insert_with(String::new);
                    state = In::Single;
                }
                '"' => {
                    word.get_or_insert_with(String::new);
                    state = In::Double;
                }
                '\\' => match chars.next() {
                    Some(n) => word.get_or_insert_with(String::new).push(n),
                    None => return Err("it ends with a backslash that escapes nothing"),
                },
                c if c.is_whitespace() => words.extend(word.take()),
                c => word.get_or_insert_with(String::new).push(c),
            },
        }
    }
    match state {
        In::Single => return Err("a single quote is not closed"),
        In::Double => return Err("a double quote is not closed"),
        In::Plain => words.extend(word),
    }
    if words.is_empty() {
        return Err("it has no words");
    }
    Ok(words)
}

/// Runs an `External` profile's command for each fetch.
pub(crate) struct ExternalFetcher {
    pub(crate) command: ExternalCommand,
    /// The profile, e.g. `profile "x" in /home/u/.aliyun/config.json`.
    pub(crate) profile: String,
    pub(crate) timeout: Duration,
}

impl ExternalFetcher {
    fn fail(&self, detail: impl std::fmt::Display) -> Error {
        Error::Credentials(format!(
            "{}: {detail}; check the profile's process_command",
            self.source()
        ))
    }

    /// Runs the command to its end (see [`helper_process`] for its bounds).
    async fn run(&self) -> Result<Finished, Error> {
        let timeout = self.timeout;
        helper_process::run(&self.command.program, &self.command.args, timeout)
            .await
            .map_err(|e| match e {
                RunError::Start(e) => self.fail(format_args!("cannot be started: {e}")),
                RunError::Read(e) => self.fail(format_args!("reading its output: {e}")),
                RunError::TimedOut => self.fail(format_args!(
                    "did not finish within {timeout:?} and was killed with its process group"
                )),
                RunError::StdoutTooLarge => self.fail(format_args!(
                    "printed more than {} KiB on stdout (credentials JSON is a few hundred \
                     bytes) and was killed with its process group",
                    helper_process::STDOUT_CAP / 1024
                )),
            })
    }
}

/// The end of stderr, at most [`STDERR_TAIL`] characters, sanitised, for an error. Secrets
/// the tool printed on stdout before failing are removed from it, in case it echoes them.
fn stderr_tail(stderr: &[u8], stdout: &[u8]) -> String {
    let text = String::from_utf8_lossy(stderr);
    let text = text.trim();
    if text.is_empty() {
        return "nothing on stderr".to_string();
    }
    let printed: serde_json::Value = serde_json::from_slice(stdout).unwrap_or_default();
    let secrets: Vec<&str> = ["access_key_secret", "sts_token"]
        .iter()
        .filter_map(|k| printed.get(*k).and_then(|v| v.as_str()))
        .collect();
    format!("stderr: {}", sanitize_tail(text, &secrets, STDERR_TAIL))
}

#[async_trait::async_trait]
impl Fetch for ExternalFetcher {
    async fn fetch(&self) -> Result<Credentials, Error> {
        let Finished {
            status,
            stdout,
            stderr_tail: stderr,
        } = self.run().await?;
        if !status.success() {
            // Never stdout: a tool may have printed credentials before failing.
            return Err(self.fail(format_args!(
                "failed ({status}); {}",
                stderr_tail(&stderr, &stdout)
            )));
        }
        credentials_from_output(&stdout).map_err(|detail| self.fail(detail))
    }

    fn source(&self) -> String {
        format!(
            "process_command {:?} of {}",
            self.command.program, self.profile
        )
    }

    fn keeps_unexpiring(&self) -> bool {
        false
    }
}

#[derive(Deserialize)]
struct Output {
    mode: Option<String>,
    access_key_id: Option<String>,
    access_key_secret: Option<String>,
    sts_token: Option<String>,
    expiration: Option<String>,
}

/// Reads the command's stdout. The error (a detail for [`ExternalFetcher::fail`]) never
/// quotes it: it holds secrets.
pub(crate) fn credentials_from_output(stdout: &[u8]) -> Result<Credentials, String> {
    let out: Output = serde_json::from_slice(stdout).map_err(|e| {
        format!(
            "its output is not valid credentials JSON ({:?} error at line {} column {}; expected \
             {{\"mode\": \"AK\" or \"StsToken\", \"access_key_id\": ..., \"access_key_secret\": \
             ..., \"sts_token\": ..., \"expiration\": ...}})",
            e.classify(),
            e.line(),
            e.column()
        )
    })?;
    let text = |v: Option<String>| v.filter(|s| !s.is_empty());
    let missing = |key: &str| format!("its output has no {key}");
    let access_key_id = text(out.access_key_id).ok_or_else(|| missing("access_key_id"))?;
    let access_key_secret =
        text(out.access_key_secret).ok_or_else(|| missing("access_key_secret"))?;
    let security_token = text(out.sts_token);
    if out.mode.as_deref() == Some("StsToken") && security_token.is_none() {
        return Err("its output has mode StsToken but no sts_token".to_string());
    }
    let mut secrets = vec![access_key_secret.as_str()];
    secrets.extend(security_token.as_deref());
    let expiration = text(out.expiration).and_then(|s| expiration(&s, &secrets));
    Ok(Credentials {
        access_key_id,
        access_key_secret,
        security_token,
        expiration,
    })
}

/// An unparsable expiration counts as none (the command then runs at every use), as in the SDK.
/// The value is the helper's text: logged sanitised, without the credentials it printed.
fn expiration(s: &str, secrets: &[&str]) -> Option<SystemTime> {
    let parsed = parse_expiration(s);
    if parsed.is_none() {
        tracing::debug!(
            expiration = %sanitize(s, secrets, ID_CHARS),
            "the credentials command's expiration is not of the form 2024-05-01T08:00:00Z; \
             it will run again at the next use"
        );
    }
    parsed
}

#[cfg(test)]
mod tests;
