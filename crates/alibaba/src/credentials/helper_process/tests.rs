// SPDX-License-Identifier: MPL-2.0
//! The helper's bounds with real processes (`/bin/sh`): output caps, the group kill on
//! timeout, on cancellation and at provider exit.

use super::*;

/// `kill_running_helpers` kills every helper of the process: these tests take turns.
static TURNS: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

fn sh(script: &str) -> (String, Vec<String>) {
    (
        "/bin/sh".to_string(),
        vec!["-c".to_string(), script.to_string()],
    )
}

/// Whether a process with this pid exists (zombies excluded: `kill -0` sees them, so ask ps).
fn alive(pid: &str) -> bool {
    let out = std::process::Command::new("ps")
        .args(["-o", "stat=", "-p", pid])
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .unwrap_or_default();
    !out.is_empty() && !out.starts_with('Z')
}

/// A FIFO the script writes its pids to, and the task reading them (an event, not a poll:
/// the read ends when the script has written and closed it).
fn pid_fifo(dir: &std::path::Path, name: &str) -> (String, tokio::task::JoinHandle<Vec<String>>) {
    let path = dir.join(name);
    let made = std::process::Command::new("mkfifo")
        .arg(&path)
        .status()
        .unwrap();
    assert!(made.success());
    let reader = path.clone();
    let task = tokio::spawn(async move {
        let text = tokio::fs::read_to_string(&reader).await.unwrap();
        text.split_whitespace().map(str::to_string).collect()
    });
    (path.display().to_string(), task)
}

/// Waits until `pid` is gone, boundedly (a killed process is torn down asynchronously).
async fn wait_gone(pid: &str) {
    for _ in 0..200 {
        if !alive(pid) {
            return;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

#[tokio::test]
async fn a_runaway_helper_is_killed_with_its_children_on_timeout() {
    let _turn = TURNS.lock().await;
    let dir = tempfile::tempdir().unwrap();
    let (fifo, pids) = pid_fifo(dir.path(), "pids");
    let (program, args) = sh(&format!("sleep 600 & echo $! $$ > '{fifo}'; wait"));
    let err = run(&program, &args, Duration::from_secs(2)).await.err();
    assert!(matches!(err, Some(RunError::TimedOut)), "{err:?}");
    let pids = pids.await.unwrap();
    assert_eq!(pids.len(), 2, "{pids:?}");
    for pid in &pids {
        wait_gone(pid).await;
        assert!(!alive(pid), "process {pid} survived the timeout");
    }
    let leader: i32 = pids[1].parse().unwrap();
    assert!(
        !RUNNING.lock().unwrap().contains(&leader),
        "unregistered once reaped"
    );
}

#[tokio::test]
async fn stdout_beyond_the_cap_is_an_error_and_stderr_keeps_its_end() {
    let _turn = TURNS.lock().await;
    let (program, args) = sh("exec yes flooding");
    let err = run(&program, &args, Duration::from_secs(30)).await.err();
    assert!(matches!(err, Some(RunError::StdoutTooLarge)), "{err:?}");

    let (program, args) = sh("head -c 300000 /dev/zero | tr '\\0' x >&2; echo END >&2; echo ok");
    let done = run(&program, &args, Duration::from_secs(30))
        .await
        .expect("finishes");
    assert_eq!(done.stdout, b"ok\n");
    assert_eq!(done.stderr_tail.len(), STDERR_KEEP);
    assert!(done.stderr_tail.ends_with(b"xEND\n"));
}

#[tokio::test]
async fn provider_exit_and_cancellation_kill_the_group() {
    let _turn = TURNS.lock().await;
    let dir = tempfile::tempdir().unwrap();
    for cancel in [false, true] {
        let (fifo, pids) = pid_fifo(dir.path(), &format!("pids-{cancel}"));
        let (program, args) = sh(&format!("sleep 600 & echo $! $$ > '{fifo}'; wait"));
        let task =
            tokio::spawn(async move { run(&program, &args, Duration::from_secs(600)).await });
        let listed = pids.await.unwrap();
        assert_eq!(listed.len(), 2, "{listed:?}");
        if cancel {
            task.abort();
            let _ = task.await;
        } else {
            kill_running_helpers();
            let done = task.await.unwrap().expect("ended by the kill");
            assert!(!done.status.success());
        }
        for pid in &listed {
            // SIGKILL is delivered before kill(2) returns, but the kernel tears a process down
            // asynchronously: wait for the reaped child's exit via `ps`, boundedly.
            wait_gone(pid).await;
            assert!(!alive(pid), "cancel={cancel}: process {pid} survived");
        }
    }
}
