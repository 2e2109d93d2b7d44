// SPDX-License-Identifier: MPL-2.0
//! The rate budget that the processes of one account share: concurrent Terraform runs (and
//! the several provider processes of one run) calling one endpoint with one AccessKey.
//!
//! Each process alone learns a throttle only from its own throttled answers, so six processes
//! each overshoot before they slow down. Here the first process that meets a throttle writes
//! a small file (in the user's cache directory, named by a hash of the AccessKey id and the
//! endpoint: no secret, nothing else) and from then on every process of that account paces
//! its calls from it: each call reserves the next free slot of one account-wide token
//! schedule (at most [`HORIZON_MS`] ahead), a retry hint holds every process, and the
//! account's rate is cut (once per overshoot) on a throttle and grows back along CUBIC's curve
//! as time passes. A cut or a hold voids the slots reserved before it: their callers reserve
//! again, at the new rate. A process that meets the throttle on its own budget first, before
//! it saw the file, joins it without cutting (its answer told of its first burst). A file not
//! written for [`STALE_MS`] is ignored, so the next run starts free again.
//!
//! The file is advisory: a missing, unreadable, corrupt or foreign one is ignored (with a
//! debug log) and the process falls back to its own budget; it never fails a call. Writers
//! take an exclusive lock on a sibling lock file and replace the file by an atomic rename, so
//! readers never see half a file.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::OnceLock;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};
use sha1::{Digest, Sha1};

use super::{BETA, MAX_HOLD, MIN_RATE, SCALE};

/// The file's format; a file of another format is ignored (and replaced at the next write).
const FORMAT: u32 = 1;
/// A file not written for this long says nothing about the service now, in milliseconds.
pub(super) const STALE_MS: f64 = 5.0 * 60.0 * 1000.0;
/// A file written further in the future than this (a clock step, garbage) is ignored.
const FUTURE_MS: f64 = 60.0 * 1000.0;
/// Attempts to take the lock before this call goes without the shared budget (about 50 ms
/// in all, see `lock::Exclusive::take`).
const LOCK_ATTEMPTS: u32 = 32;
/// How far ahead slots are reserved, in milliseconds.
const HORIZON_MS: f64 = 1000.0;
/// After finding no fresh budget (no file, or a stale or unusable one), a process looks again
/// only this much later, in milliseconds: an unthrottled apply makes hundreds of calls a
/// second, and a `stat` each was 3 % of the provider's CPU (a stale file's lock and read, more).
/// Another process's throttle is learned this much later at most.
pub(super) const RECHECK_UNUSED_MS: f64 = 50.0;
/// Set to `0`, `false` or `off` to keep every process's budget to itself.
pub const SHARED_BUDGET_ENV: &str = "EHPC_SHARED_RATE_LIMIT";

/// The account's budget as the file holds it. Times are milliseconds since the Unix epoch
/// (processes share the wall clock, not a monotonic one).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub(super) struct Budget {
    format: u32,
    updated_ms: f64,
    /// The account's rate (all processes together) when it was last cut, and when.
    max_rate: f64,
    cut_ms: f64,
    /// The earliest time the next reserved call may leave.
    next_slot_ms: f64,
    /// No call leaves before this time (a retry hint).
    hold_until_ms: f64,
    /// Counts the cuts and holds: a slot reserved before one is reserved again.
    epoch: u64,
}

impl Budget {
    /// The budget after the first throttle, `met` being the rate the throttled process met.
    pub(super) fn first(now_ms: f64, met: f64, hold_ms: f64) -> Budget {
        let mut budget = Budget {
            format: FORMAT,
            updated_ms: now_ms,
            max_rate: met.max(MIN_RATE),
            cut_ms: now_ms,
            next_slot_ms: now_ms,
            hold_until_ms: now_ms,
            epoch: 0,
        };
        budget.hold(now_ms, hold_ms);
        budget
    }

    /// Whether the file still speaks for the service at `now_ms`.
    pub(super) fn fresh(&self, now_ms: f64) -> bool {
        self.format == FORMAT
            && [
                self.max_rate,
                self.cut_ms,
                self.next_slot_ms,
                self.hold_until_ms,
            ]
            .iter()
            .all(|v| v.is_finite())
            && self.max_rate >= MIN_RATE
            && now_ms - self.updated_ms <= STALE_MS
            && self.updated_ms - now_ms <= FUTURE_MS
    }

    /// The account's allowed rate at `now_ms`: cut to `BETA` of `max_rate` at `cut_ms`, then
    /// back to it along CUBIC's curve, and beyond it ever faster until the next throttle
    /// (an idle budget soon paces nothing, and is forgotten when stale).
    pub(super) fn rate(&self, now_ms: f64) -> f64 {
        let since = ((now_ms - self.cut_ms) / 1000.0).max(0.0);
        let k = (self.max_rate * (1.0 - BETA) / SCALE).cbrt();
        (SCALE * (since - k).powi(3) + self.max_rate).max(MIN_RATE)
    }

    /// Reserves the next slot when it comes within [`HORIZON_MS`]: how long the caller waits
    /// for it, in milliseconds. `Err`: how long until it may ask again (a long queue is not
    /// reserved: its callers would all wake to reserve again after a cut).
    pub(super) fn reserve(&mut self, now_ms: f64) -> Result<f64, f64> {
        let slot = now_ms.max(self.next_slot_ms).max(self.hold_until_ms);
        if slot - now_ms > HORIZON_MS {
            return Err(slot - now_ms - HORIZON_MS);
        }
        self.next_slot_ms = slot + 1000.0 / self.rate(slot);
        self.updated_ms = now_ms;
        Ok(slot - now_ms)
    }

    /// A throttled answer to a call that reserved its slot at `sent_ms`. Only a call
    /// reserved after the last cut cuts again: the calls scheduled before it tell of the same
    /// overshoot. A call that left on its process's own budget (`paced` false) cuts nothing:
    /// it tells of the burst before that process knew of the budget, not of its rate.
    pub(super) fn on_throttle(&mut self, now_ms: f64, sent_ms: f64, paced: bool) {
        if paced && sent_ms >= self.cut_ms {
            self.max_rate = self.rate(now_ms);
            self.cut_ms = now_ms;
            // The calls waiting for slots of the old rate take new ones at the new rate.
            self.next_slot_ms = now_ms;
            self.epoch += 1;
        }
        self.updated_ms = now_ms;
    }

    pub(super) fn hold(&mut self, now_ms: f64, hold_ms: f64) {
        let until = now_ms + hold_ms.clamp(0.0, MAX_HOLD * 1000.0);
        if until > self.hold_until_ms.max(self.next_slot_ms) {
            // Slots reserved before the hold ends are reserved again after it.
            self.epoch += 1;
        }
        self.hold_until_ms = self.hold_until_ms.max(until);
    }
}

/// Now, in milliseconds since the Unix epoch: the wall clock read once, then advanced by
/// tokio's monotonic clock (a step of the wall clock does not reorder this process's times,
/// and tests pause it).
pub(super) fn now_ms() -> f64 {
    static START: OnceLock<(f64, tokio::time::Instant)> = OnceLock::new();
    let (wall, start) = START.get_or_init(|| {
        let wall = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0.0, |d| d.as_secs_f64() * 1000.0);
        (wall, tokio::time::Instant::now())
    });
    wall + start.elapsed().as_secs_f64() * 1000.0
}

/// The directory for budget files: `$XDG_CACHE_HOME/<app>` (or `~/.cache/<app>`), `None` when
/// sharing is turned off with [`SHARED_BUDGET_ENV`] or no such directory can be named.
pub fn shared_budget_dir(env: &crate::credentials::Environment, app: &str) -> Option<PathBuf> {
    if env
        .get(SHARED_BUDGET_ENV)
        .is_some_and(|v| ["0", "false", "off"].contains(&v.trim().to_ascii_lowercase().as_str()))
    {
        return None;
    }
    let cache = env
        .get("XDG_CACHE_HOME")
        .map(PathBuf::from)
        .filter(|p| p.is_absolute())
        .or_else(|| {
            let home = PathBuf::from(env.get("HOME")?);
            home.is_absolute().then(|| home.join(".cache"))
        })?;
    Some(cache.join(app))
}

/// What a caller of [`SharedFile::reserve`] does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Reservation {
    /// A slot of this epoch is reserved: leave after this wait, if the budget is still in
    /// that epoch then ([`SharedFile::epoch`]).
    Leave(Duration, u64),
    /// No slot near enough: ask again after this wait.
    AskAgain(Duration),
}

/// The budget file of one account (AccessKey id) and endpoint.
#[derive(Debug)]
pub(crate) struct SharedFile {
    path: PathBuf,
    lock: PathBuf,
    /// Until when (`f64` bits of milliseconds since the epoch) the file is taken to hold no
    /// fresh budget without looking: set when a look found none, cleared when this process
    /// writes.
    unused_until_ms: AtomicU64,
}

impl SharedFile {
    /// The file in `dir` for `key_id` at `endpoint`; its name is a hash of both.
    pub(crate) fn new(dir: &Path, key_id: &str, endpoint: &str) -> SharedFile {
        let mut hash = Sha1::new();
        hash.update(key_id.as_bytes());
        hash.update(b"\n");
        hash.update(endpoint.as_bytes());
        let name: String = hash.finalize()[..12]
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        SharedFile {
            path: dir.join(format!("budget-{name}.json")),
            lock: dir.join(format!("budget-{name}.lock")),
            unused_until_ms: AtomicU64::new(0.0_f64.to_bits()),
        }
    }

    /// A slot of the fresh shared budget, or `None` when there is none (no throttle met
    /// lately: the caller uses its own budget).
    pub(crate) fn reserve(&self, now_ms: f64) -> Option<Reservation> {
        // The common cases, no file or a stale one, cost one look now and then, and no lock.
        if now_ms < f64::from_bits(self.unused_until_ms.load(Ordering::Relaxed)) {
            return None;
        }
        let unused = || {
            let until = now_ms + RECHECK_UNUSED_MS;
            self.unused_until_ms
                .store(until.to_bits(), Ordering::Relaxed);
            None
        };
        if !self.path.exists() {
            return unused();
        }
        let ms = |ms: f64| Duration::from_secs_f64(ms.max(0.0) / 1000.0);
        let reservation = self.update(|budget| match budget.filter(|b| b.fresh(now_ms)) {
            None => (None, None),
            Some(mut budget) => match budget.reserve(now_ms) {
                Ok(wait) => {
                    let epoch = budget.epoch;
                    (Some(budget), Some(Reservation::Leave(ms(wait), epoch)))
                }
                // Waiters of every process would wake together: spread them a little.
                Err(wait) => {
                    let spread = rand::random::<f64>() * HORIZON_MS / 4.0;
                    (None, Some(Reservation::AskAgain(ms(wait + spread))))
                }
            },
        });
        reservation.flatten().or_else(unused)
    }

    /// The epoch of the budget now (read without the lock), `None` when there is no fresh
    /// one: a reservation of another epoch is void.
    pub(crate) fn epoch(&self, now_ms: f64) -> Option<u64> {
        self.read().filter(|b| b.fresh(now_ms)).map(|b| b.epoch)
    }

    /// Records a throttled answer to a call `sent` at a time, paced by the shared budget or
    /// not; `met` is the rate this process met (it seeds a new budget), `hold` the
    /// service's retry hint.
    pub(crate) fn on_throttle(&self, now_ms: f64, sent: (f64, bool), met: f64, hold: Duration) {
        let (sent_ms, paced) = sent;
        let hold_ms = hold.as_secs_f64() * 1000.0;
        // This process's next call paces from the file it writes now.
        self.unused_until_ms
            .store(0.0_f64.to_bits(), Ordering::Relaxed);
        self.update(|budget| {
            let budget = match budget.filter(|b| b.fresh(now_ms)) {
                Some(mut budget) => {
                    budget.on_throttle(now_ms, sent_ms, paced);
                    budget.hold(now_ms, hold_ms);
                    budget
                }
                None => Budget::first(now_ms, met, hold_ms),
            };
            (Some(budget), ())
        });
    }

    /// Under the lock: reads the budget (`None` if absent or unusable), lets `change` decide,
    /// and writes the budget it returns, if any. `None` when anything failed (logged).
    fn update<R>(&self, change: impl FnOnce(Option<Budget>) -> (Option<Budget>, R)) -> Option<R> {
        let result = (|| {
            let _lock = lock::Exclusive::take(&self.lock, LOCK_ATTEMPTS)?;
            let (budget, out) = change(self.read());
            if let Some(budget) = budget {
                self.write(&budget)?;
            }
            Ok(out)
        })();
        result
            .inspect_err(|err: &std::io::Error| {
                tracing::debug!(file = %self.path.display(), error = %err,
                    "shared rate budget unusable; this process keeps its own");
            })
            .ok()
    }

    /// The budget in the file; absent, unreadable or foreign is `None` (logged).
    pub(super) fn read(&self) -> Option<Budget> {
        let text = match std::fs::read(&self.path) {
            Ok(text) => text,
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => return None,
            Err(err) => {
                tracing::debug!(file = %self.path.display(), error = %err,
                    "shared rate budget unreadable; ignored");
                return None;
            }
        };
        serde_json::from_slice::<Budget>(&text)
            .inspect_err(|err| {
                tracing::debug!(file = %self.path.display(), error = %err,
                    "shared rate budget is not ours or is corrupt; ignored");
            })
            .ok()
    }

    /// Replaces the file atomically: a sibling temporary file (0600), then a rename.
    fn write(&self, budget: &Budget) -> std::io::Result<()> {
        use std::io::Write;
        let tmp = self
            .path
            .with_extension(format!("{}.tmp", std::process::id()));
        let mut file = lock::create_private(&tmp, true)?;
        file.write_all(&serde_json::to_vec(budget).map_err(std::io::Error::other)?)?;
        drop(file);
        std::fs::rename(&tmp, &self.path).inspect_err(|_| {
            let _ = std::fs::remove_file(&tmp);
        })
    }

    /// The path of the budget file (tests).
    #[cfg(test)]
    pub(super) fn path(&self) -> &Path {
        &self.path
    }
}

mod lock;

#[cfg(test)]
mod tests;
