// SPDX-License-Identifier: MPL-2.0
//! Running an `External` profile's credentials helper, bounded in every way it could go wrong:
//! - its stdout is read up to [`STDOUT_CAP`] (64 KiB; credentials JSON is a few hundred
//!   bytes): more is an error and the helper is killed;
//! - its stderr is read to its end, keeping only the last [`STDERR_KEEP`] bytes (64 KiB), so
//!   that a chatty helper cannot exhaust memory nor block on a full pipe;
//! - it runs in a process group of its own, killed as a group (`SIGKILL`) when it overruns
//!   its timeout, when the caller gives up (Terraform cancels), and at provider exit
//!   ([`kill_running_helpers`]): a helper's children do not outlive it.
//!
//! A group is killed only while its leader is not yet reaped, so its id cannot have been
//! reused by an unrelated group.

use std::collections::BTreeSet;
use std::process::{ExitStatus, Stdio};
use std::sync::Mutex;
use std::time::Duration;

use tokio::io::{AsyncRead, AsyncReadExt as _};
use tokio::process::{Child, Command};

/// Most bytes of stdout read; more is an error.
pub(crate) const STDOUT_CAP: usize = 64 * 1024;
/// Bytes kept from the end of stderr.
pub(crate) const STDERR_KEEP: usize = 64 * 1024;

/// Process groups of helpers started and not yet reaped.
static RUNNING: Mutex<BTreeSet<i32>> = Mutex::new(BTreeSet::new());

/// Kills every running helper's process group. The provider calls it on its way out, where
/// dropping the tasks that own the helpers is not guaranteed to happen.
pub fn kill_running_helpers() {
    let groups = match RUNNING.lock() {
        Ok(g) => g.clone(),
        Err(poisoned) => poisoned.into_inner().clone(),
    };
    for group in groups {
        kill_group(group);
    }
}

fn kill_group(group: i32) {
    if let Some(pid) = rustix::process::Pid::from_raw(group) {
        // ESRCH (already gone) is the expected outcome of a race with its exit.
        let _ = rustix::process::kill_process_group(pid, rustix::process::Signal::KILL);
    }
}

/// How a run ended when it did not end by itself.
#[derive(Debug)]
pub(crate) enum RunError {
    Start(std::io::Error),
    Read(std::io::Error),
    TimedOut,
    StdoutTooLarge,
}

/// A finished run: exit status, stdout, and the end of stderr.
pub(crate) struct Finished {
    pub(crate) status: ExitStatus,
    pub(crate) stdout: Vec<u8>,
    pub(crate) stderr_tail: Vec<u8>,
}

/// A registered, not yet reaped, process group; killed when dropped armed.
struct Group {
    id: i32,
    armed: bool,
}

impl Group {
    fn register(id: i32) -> Self {
        if let Ok(mut g) = RUNNING.lock() {
            g.insert(id);
        }
        Group { id, armed: true }
    }

    /// Kills the group now (the leader must not be reaped yet).
    fn kill(&mut self) {
        kill_group(self.id);
    }

    /// The leader is about to be reaped: the id must not be used any more.
    fn forget(&mut self) {
        self.armed = false;
        if let Ok(mut g) = RUNNING.lock() {
            g.remove(&self.id);
        }
    }
}

impl Drop for Group {
    fn drop(&mut self) {
        if self.armed {
            // The caller gave up mid-run: the leader is unreaped (tokio's kill_on_drop reaps
            // it afterwards), so the id is still ours.
            self.kill();
            self.forget();
        }
    }
}

/// Runs `program args` with a null stdin, within `timeout` (see the module's bounds).
pub(crate) async fn run(
    program: &str,
    args: &[String],
    timeout: Duration,
) -> Result<Finished, RunError> {
    let deadline = tokio::time::Instant::now() + timeout;
    let mut child = Command::new(program)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .process_group(0)
        .kill_on_drop(true)
        .spawn()
        .map_err(RunError::Start)?;
    let Some(id) = child.id().and_then(|id| i32::try_from(id).ok()) else {
        // Already reaped: nothing left to bound.
        return Err(RunError::Read(std::io::Error::other(
            "the helper vanished at start",
        )));
    };
    let mut group = Group::register(id);
    let (stdout, stderr) = (child.stdout.take(), child.stderr.take());
    let reads = async { tokio::try_join!(read_capped(stdout), read_tail(stderr)) };
    let outcome = match tokio::time::timeout_at(deadline, reads).await {
        Ok(Ok((stdout, stderr_tail))) => {
            match tokio::time::timeout_at(deadline, child.wait()).await {
                Ok(status) => {
                    // Reaped by `wait`: the group id is no longer ours to kill.
                    group.forget();
                    let status = status.map_err(RunError::Read)?;
                    return Ok(Finished {
                        status,
                        stdout,
                        stderr_tail,
                    });
                }
                Err(_) => RunError::TimedOut,
            }
        }
        Ok(Err(e)) => e,
        Err(_) => RunError::TimedOut,
    };
    stop(&mut child, &mut group).await;
    Err(outcome)
}

/// Kills the group while the leader is unreaped, then reaps the leader.
async fn stop(child: &mut Child, group: &mut Group) {
    group.kill();
    if let Err(e) = child.kill().await {
        tracing::warn!(error = %e, "reaping the killed credentials helper failed");
    }
    group.forget();
}

async fn read_capped(pipe: Option<impl AsyncRead + Unpin>) -> Result<Vec<u8>, RunError> {
    let mut out = Vec::new();
    let Some(pipe) = pipe else {
        return Ok(out);
    };
    // One byte more than the cap tells "exactly the cap" from "more".
    let limit = u64::try_from(STDOUT_CAP + 1).unwrap_or(u64::MAX);
    pipe.take(limit)
        .read_to_end(&mut out)
        .await
        .map_err(RunError::Read)?;
    if out.len() > STDOUT_CAP {
        return Err(RunError::StdoutTooLarge);
    }
    Ok(out)
}

async fn read_tail(pipe: Option<impl AsyncRead + Unpin>) -> Result<Vec<u8>, RunError> {
    let mut tail = Vec::new();
    let Some(mut pipe) = pipe else {
        return Ok(tail);
    };
    let mut buf = [0u8; 8192];
    loop {
        let n = pipe.read(&mut buf).await.map_err(RunError::Read)?;
        if n == 0 {
            let excess = tail.len().saturating_sub(STDERR_KEEP);
            tail.drain(..excess);
            return Ok(tail);
        }
        tail.extend_from_slice(&buf[..n]);
        if tail.len() > 2 * STDERR_KEEP {
            tail.drain(..tail.len() - STDERR_KEEP);
        }
    }
}

#[cfg(test)]
mod tests;
