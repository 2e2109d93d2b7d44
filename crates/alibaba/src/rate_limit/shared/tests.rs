// SPDX-License-Identifier: MPL-2.0
use super::*;
use crate::credentials::Environment;
use crate::rate_limit::RateLimiter;

const KEY: &str = "LTAI5tTestKeyId0000";
const ENDPOINT: &str = "http://127.0.0.1:8080/";
const T0: f64 = 1.8e12;

fn gaps(budget: &mut Budget, now: f64, n: usize) -> Vec<f64> {
    (0..n)
        .map(|_| budget.reserve(now).expect("within the horizon"))
        .collect()
}

#[test]
fn the_first_throttle_starts_the_account_below_the_rate_met() {
    let mut budget = Budget::first(T0, 20.0, 0.0);
    assert!((budget.rate(T0) - 20.0 * BETA).abs() < 1e-9);
    // Calls reserved at one instant leave one slot apart, at the account's rate.
    let waits = gaps(&mut budget, T0, 4);
    let slot = 1000.0 / (20.0 * BETA);
    for (i, wait) in waits.iter().enumerate() {
        // The rate grows back along CUBIC's curve meanwhile: the slots come a little sooner.
        assert!(
            (wait - slot * i as f64).abs() <= 0.01 * slot * i as f64,
            "{waits:?}"
        );
    }
    // Only a queue of HORIZON_MS is reserved; the call after it asks again when its slot
    // comes near.
    let mut queued = 4;
    let later = loop {
        match budget.reserve(T0) {
            Ok(_) => queued += 1,
            Err(later) => break later,
        }
    };
    assert!(queued as f64 * slot > HORIZON_MS * 0.95, "{queued}");
    assert!(later >= 0.0 && later < slot, "{later}");
}

#[test]
fn a_cut_voids_the_reserved_slots_and_spaces_the_next_at_the_new_rate() {
    let mut budget = Budget::first(T0, 20.0, 0.0);
    let epoch = budget.epoch;
    gaps(&mut budget, T0, 10);
    budget.on_throttle(T0 + 10.0, T0 + 5.0, true);
    assert_ne!(budget.epoch, epoch, "the waiting calls reserve again");
    let waits = gaps(&mut budget, T0 + 10.0, 2);
    let slot = 1000.0 / budget.rate(T0 + 10.0);
    assert!(
        waits[0] == 0.0 && (waits[1] - slot).abs() < 0.5,
        "{waits:?} {slot}"
    );
    // A hold beyond the queue voids it too; a throttle that cuts nothing and holds nothing
    // does not.
    let epoch = budget.epoch;
    budget.hold(T0 + 20.0, 2000.0);
    assert_ne!(budget.epoch, epoch);
    let epoch = budget.epoch;
    budget.on_throttle(T0 + 30.0, T0 + 1.0, true);
    assert_eq!(budget.epoch, epoch);
}

#[test]
fn a_retry_hint_holds_every_call_of_the_account() {
    let mut budget = Budget::first(T0, 10.0, 300.0);
    assert_eq!(budget.reserve(T0 + 100.0), Ok(200.0));
    // An absurd hint holds at most MAX_HOLD.
    budget.hold(T0 + 200.0, 3.6e6);
    let wait = budget.reserve(T0 + 200.0);
    assert_eq!(wait, Err(MAX_HOLD * 1000.0 - HORIZON_MS));
}

#[test]
fn one_overshoot_cuts_once() {
    let mut budget = Budget::first(T0, 20.0, 0.0);
    let cut = budget.rate(T0);
    // Answers to calls sent before the cut tell of the same overshoot.
    budget.on_throttle(T0 + 5.0, T0 - 1.0, true);
    assert!((budget.rate(T0 + 5.0) - cut).abs() < 0.01);
    // A call sent after it does cut again.
    budget.on_throttle(T0 + 10.0, T0 + 6.0, true);
    assert!(budget.rate(T0 + 10.0) < cut * 0.9);
    // A process that was sending on its own budget cuts nothing.
    let before = budget.rate(T0 + 20.0);
    budget.on_throttle(T0 + 20.0, T0 + 19.0, false);
    assert!((budget.rate(T0 + 20.0) - before).abs() < 1e-9);
}

#[test]
fn the_rate_grows_back_then_beyond_ever_faster() {
    let budget = Budget::first(T0, 20.0, 0.0);
    let k = (20.0 * (1.0 - BETA) / SCALE).cbrt();
    let back = budget.rate(T0 + k * 1000.0);
    assert!((back - 20.0).abs() < 1e-6, "{back}");
    assert!(budget.rate(T0 + 0.5 * k * 1000.0) < back);
    let (one, two) = (
        budget.rate(T0 + (k + 1.0) * 1000.0),
        budget.rate(T0 + (k + 2.0) * 1000.0),
    );
    assert!(one > back && two - one > one - back, "{back} {one} {two}");
}

#[test]
fn stale_future_and_foreign_budgets_are_not_fresh() {
    let budget = Budget::first(T0, 20.0, 0.0);
    assert!(budget.fresh(T0 + STALE_MS));
    assert!(!budget.fresh(T0 + STALE_MS + 1.0));
    assert!(!budget.fresh(T0 - FUTURE_MS - 1.0));
    let foreign = Budget {
        format: FORMAT + 1,
        ..budget.clone()
    };
    assert!(!foreign.fresh(T0));
    let broken = Budget {
        max_rate: f64::NAN,
        ..budget
    };
    assert!(!broken.fresh(T0));
}

#[test]
fn processes_of_one_account_share_the_file_and_others_do_not() {
    let dir = tempfile::tempdir().expect("tempdir");
    let first = SharedFile::new(dir.path(), KEY, ENDPOINT);
    assert_eq!(first.reserve(T0), None, "no throttle met: free");
    first.on_throttle(T0, (T0 - 10.0, false), 10.0, Duration::ZERO);

    // Another process of the account: the same file, paced from the first slot on.
    let second = SharedFile::new(dir.path(), KEY, ENDPOINT);
    assert_eq!(second.path(), first.path());
    let waits: Vec<_> = (0..3)
        .map(|_| second.reserve(T0).expect("shared"))
        .collect();
    assert_eq!(waits[0], Reservation::Leave(Duration::ZERO, 0));
    assert!(
        matches!(waits[1], Reservation::Leave(w, 0) if w > Duration::from_millis(120)),
        "{waits:?}"
    );
    assert!(matches!(waits[2], Reservation::Leave(w, 0) if w > Duration::from_millis(240)));
    assert_eq!(second.epoch(T0), Some(0));

    // Another key, another endpoint: their own files, still free.
    assert_eq!(
        SharedFile::new(dir.path(), "LTAI-other", ENDPOINT).reserve(T0),
        None
    );
    assert_eq!(
        SharedFile::new(dir.path(), KEY, "https://x/").reserve(T0),
        None
    );
    // Stale: free again.
    assert_eq!(second.reserve(T0 + STALE_MS + 10.0), None);
}

/// `quiet`, which found no fresh budget at `looked_ms`, does not look again before
/// [`RECHECK_UNUSED_MS`] has passed, and then finds the fresh budget written since.
fn learns_the_budget_only_after_the_pause(quiet: &SharedFile, looked_ms: f64) {
    assert_eq!(
        quiet.reserve(looked_ms + RECHECK_UNUSED_MS - 1.0),
        None,
        "not looked at again yet"
    );
    assert!(
        matches!(
            quiet.reserve(looked_ms + RECHECK_UNUSED_MS),
            Some(Reservation::Leave(..))
        ),
        "looked at again and found the fresh budget"
    );
}

#[test]
fn a_missing_file_is_looked_for_again_only_after_a_while() {
    let dir = tempfile::tempdir().expect("tempdir");
    let quiet = SharedFile::new(dir.path(), KEY, ENDPOINT);
    assert_eq!(quiet.reserve(T0), None, "no file: free");

    // Another process meets the throttle: this one learns it at its next look.
    let throttled = SharedFile::new(dir.path(), KEY, ENDPOINT);
    throttled.on_throttle(T0, (T0 - 10.0, false), 10.0, Duration::ZERO);
    assert!(throttled.reserve(T0).is_some(), "the writer paces at once");
    learns_the_budget_only_after_the_pause(&quiet, T0);

    // A process that meets the throttle itself paces from its own file at once.
    let other_dir = tempfile::tempdir().expect("tempdir");
    let own = SharedFile::new(other_dir.path(), KEY, ENDPOINT);
    assert_eq!(own.reserve(T0), None);
    own.on_throttle(T0 + 1.0, (T0, false), 10.0, Duration::ZERO);
    assert!(own.reserve(T0 + 2.0).is_some());
}

/// A stale budget is, like a missing one, looked at again only after a while: a file left by
/// an earlier run would otherwise cost every call a lock and a read for `STALE_MS`.
#[test]
fn a_stale_file_is_looked_at_again_only_after_a_while() {
    let dir = tempfile::tempdir().expect("tempdir");
    let earlier = SharedFile::new(dir.path(), KEY, ENDPOINT);
    earlier.on_throttle(T0, (T0 - 10.0, false), 10.0, Duration::ZERO);
    let later = T0 + STALE_MS + 1.0;
    let quiet = SharedFile::new(dir.path(), KEY, ENDPOINT);
    assert_eq!(quiet.reserve(later), None, "stale: free");

    // The file is fresh again (another process met a throttle): learned at the next look.
    let throttled = SharedFile::new(dir.path(), KEY, ENDPOINT);
    throttled.on_throttle(later, (later - 10.0, false), 10.0, Duration::ZERO);
    learns_the_budget_only_after_the_pause(&quiet, later);
}

#[cfg(unix)]
#[test]
fn the_file_is_private_and_names_no_key() {
    use std::os::unix::fs::PermissionsExt;
    let root = tempfile::tempdir().expect("tempdir");
    let dir = root.path().join("cache").join("app");
    let file = SharedFile::new(&dir, KEY, ENDPOINT);
    file.on_throttle(T0, (T0, false), 10.0, Duration::ZERO);
    let mode = |p: &Path| std::fs::metadata(p).expect("stat").permissions().mode() & 0o777;
    assert_eq!(mode(file.path()), 0o600);
    assert_eq!(mode(&dir), 0o700);
    for entry in std::fs::read_dir(&dir).expect("list") {
        let entry = entry.expect("entry");
        let name = entry.file_name().to_string_lossy().into_owned();
        let text = std::fs::read_to_string(entry.path()).expect("read");
        assert!(!name.contains(KEY) && !text.contains(KEY), "{name}: {text}");
    }
}

#[test]
fn a_corrupt_or_unreadable_file_is_ignored_then_replaced() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = SharedFile::new(dir.path(), KEY, ENDPOINT);
    for junk in [
        &b"{not json"[..],
        b"",
        b"{\"format\":1}",
        &[0xff, 0xfe, 0x00],
    ] {
        std::fs::write(file.path(), junk).expect("write");
        assert_eq!(file.reserve(T0), None, "{junk:?}");
    }
    file.on_throttle(T0, (T0, false), 10.0, Duration::ZERO);
    assert_eq!(
        file.reserve(T0),
        Some(Reservation::Leave(Duration::ZERO, 0))
    );
    // A directory where the file should be: unusable, so the process keeps its own budget.
    let blocked = SharedFile::new(&dir.path().join("f"), KEY, ENDPOINT);
    std::fs::write(dir.path().join("f"), b"a file, not a directory").expect("write");
    blocked.on_throttle(T0, (T0, false), 10.0, Duration::ZERO);
    assert_eq!(blocked.reserve(T0), None);
}

#[test]
fn concurrent_writers_lose_no_reservation() {
    let dir = tempfile::tempdir().expect("tempdir");
    SharedFile::new(dir.path(), KEY, ENDPOINT).on_throttle(T0, (T0, false), 5000.0, Duration::ZERO);
    let waits: Vec<Option<Duration>> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..4)
            .map(|_| {
                scope.spawn(|| {
                    let file = SharedFile::new(dir.path(), KEY, ENDPOINT);
                    let leave = |r| match r {
                        Some(Reservation::Leave(wait, _)) => Some(wait),
                        _ => None,
                    };
                    (0..40).map(|_| leave(file.reserve(T0))).collect::<Vec<_>>()
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|w| w.join().expect("worker"))
            .collect()
    });
    // Each reservation got a slot of its own: none lost or doubled. A call that waited too
    // long for the lock (four threads spinning on a loaded machine) goes with its own budget
    // instead, so only most calls are required to have reserved.
    let granted: Vec<u128> = waits.iter().flatten().map(Duration::as_micros).collect();
    let mut slots = granted.clone();
    slots.sort_unstable();
    slots.dedup();
    assert_eq!(slots.len(), granted.len(), "doubled reservations");
    assert!(
        granted.len() * 2 >= waits.len(),
        "{} of {}",
        granted.len(),
        waits.len()
    );
    let last = Duration::from_micros(*slots.last().expect("slots") as u64);
    let spacing = Duration::from_secs_f64(1.0 / (5000.0 * BETA));
    assert!(
        last >= spacing * (slots.len() as u32 - 1) * 99 / 100,
        "lost reservations"
    );
    assert!(
        SharedFile::new(dir.path(), KEY, ENDPOINT).read().is_some(),
        "still parses"
    );
}

#[test]
fn the_directory_follows_xdg_then_home_and_can_be_turned_off() {
    let dir =
        |pairs: &[(&str, &str)]| shared_budget_dir(&Environment::from_pairs(pairs.to_vec()), "app");
    assert_eq!(
        dir(&[("XDG_CACHE_HOME", "/x"), ("HOME", "/h")]),
        Some("/x/app".into())
    );
    assert_eq!(
        dir(&[("XDG_CACHE_HOME", "rel"), ("HOME", "/h")]),
        Some("/h/.cache/app".into())
    );
    assert_eq!(dir(&[("HOME", "/h")]), Some("/h/.cache/app".into()));
    assert_eq!(dir(&[]), None);
    for off in ["0", "false", "OFF"] {
        assert_eq!(
            dir(&[("HOME", "/h"), (SHARED_BUDGET_ENV, off)]),
            None,
            "{off}"
        );
    }
    assert_eq!(
        dir(&[("HOME", "/h"), (SHARED_BUDGET_ENV, "1")]),
        Some("/h/.cache/app".into())
    );
}

/// Two processes' limiters on one directory (tokio's paused clock measures the waits): the
/// throttle one meets, with its retry hint, holds the other's next call.
#[tokio::test(start_paused = true)]
async fn a_throttle_met_by_one_process_paces_the_other() {
    let dir = tempfile::tempdir().expect("tempdir");
    let one = RateLimiter::new(Some(dir.path().to_owned()));
    let other = RateLimiter::new(Some(dir.path().to_owned()));
    let own = RateLimiter::new(None);
    let start = tokio::time::Instant::now();
    for limiter in [&one, &other, &own] {
        let ticket = limiter.acquire(KEY, ENDPOINT).await;
        limiter.record(&ticket, false, None);
    }
    assert_eq!(start.elapsed(), Duration::ZERO, "free before any throttle");
    let ticket = one.acquire(KEY, ENDPOINT).await;
    one.record(&ticket, true, Some(Duration::from_millis(400)));

    // The other process looked for the file at its first call and looks again only after
    // RECHECK_UNUSED_MS: it hears of the hold then.
    tokio::time::advance(Duration::from_secs_f64(RECHECK_UNUSED_MS / 1000.0)).await;
    other.acquire(KEY, ENDPOINT).await;
    let waited = start.elapsed();
    // tokio's timer rounds a deadline up to its next millisecond, so a hold of 400 ms that
    // began between two ticks ends at 401 ms of the paused clock.
    assert!(
        waited > Duration::from_millis(300) && waited <= Duration::from_millis(401),
        "{waited:?}"
    );
    // A limiter that shares nothing did not hear of it.
    let before = tokio::time::Instant::now();
    own.acquire(KEY, ENDPOINT).await;
    assert_eq!(before.elapsed(), Duration::ZERO);
}
