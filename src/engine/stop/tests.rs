// SPDX-License-Identifier: MPL-2.0
use super::*;

#[test]
fn stop_cancels_earlier_children_only() {
    let signal = StopSignal::default();
    let before = signal.child();
    signal.stop();
    let after = signal.child();
    assert!(
        before.is_cancelled(),
        "a token handed out before stop must be cancelled"
    );
    assert!(
        !after.is_cancelled(),
        "a token handed out after stop must be fresh"
    );
    signal.stop();
    assert!(
        after.is_cancelled(),
        "the second stop cancels the second generation"
    );
}
