// SPDX-License-Identifier: MPL-2.0
//! StopProvider's cancellation: one parent token per "generation" of requests.
//!
//! Every request that can wait on the API gets a child of the current parent token.
//! StopProvider cancels the parent (so every in-flight request sees it) and installs a fresh
//! one, so requests that arrive afterwards run normally. It never waits for anything.

use std::sync::{Mutex, PoisonError};

use tokio_util::sync::CancellationToken;

/// The engine's stop token, replaceable by [`StopSignal::stop`].
#[derive(Debug, Default)]
pub(super) struct StopSignal {
    current: Mutex<CancellationToken>,
}

impl StopSignal {
    /// A token for one request: cancelled by the next `stop`, never by a later one.
    pub(super) fn child(&self) -> CancellationToken {
        // A poisoned lock only means another thread panicked while swapping a token; the token
        // inside is still valid, so keep serving rather than propagate the panic.
        self.current
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .child_token()
    }

    /// Cancels every token handed out so far and starts a new generation.
    pub(super) fn stop(&self) {
        let old = {
            let mut current = self.current.lock().unwrap_or_else(PoisonError::into_inner);
            std::mem::take(&mut *current)
        };
        old.cancel();
    }
}

#[cfg(test)]
mod tests;
