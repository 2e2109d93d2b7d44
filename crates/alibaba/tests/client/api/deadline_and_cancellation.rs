// SPDX-License-Identifier: MPL-2.0
//! Giving up at the call's deadline (a retry-after beyond it, a service that does not answer)
//! and cancelling a call in flight.

use std::sync::Arc;
use std::time::Duration;

use ehpc_alibaba::{CallOptions, Error};
use tokio::time::Instant;

use crate::api::scripted_server::{bounded, call, start, Reply};

#[tokio::test]
async fn retry_after_beyond_the_deadline_gives_up_at_once() {
    let throttled = Reply::Json(
        400,
        serde_json::json!({"Code": "Throttling.Api", "Message": "flow control", "RequestId": "REQ-T"}),
        vec![("x-acs-retry-after", "600000")],
    );
    let (server, client) = start(vec![], throttled, None).await;
    let opts = CallOptions {
        deadline: Some(Instant::now() + Duration::from_secs(30)),
        ..CallOptions::default()
    };
    match bounded(call(&client, &opts)).await {
        Err(
            err @ Error::RetryAfterPastDeadline {
                attempts: 1,
                retry_after,
                left,
                ..
            },
        ) => {
            assert_eq!(retry_after, Duration::from_secs(600));
            assert!(left <= Duration::from_secs(30), "{left:?}");
            // The error names the server's wait and the time that was left.
            let text = err.to_string();
            assert!(
                text.starts_with(&format!(
                    "gave up after 1 attempt(s): the server asked to wait 600000 ms before \
                     retrying (x-acs-retry-after) but only {} ms were left before the deadline; \
                     last error: Throttling.Api (HTTP 400): flow control.",
                    left.as_millis()
                )),
                "{text}"
            );
            assert_eq!(err.code(), Some("Throttling.Api"));
            // The advice in the client's terms; the provider names the flag (-parallelism).
            assert!(text.contains("make fewer calls at once"), "{text}");
        }
        other => panic!("expected RetryAfterPastDeadline after 1 attempt, got {other:?}"),
    }
    assert_eq!(server.seen(|s| s.len()), 1);
}

/// On tokio's paused clock. reqwest's timeouts are tokio timers, and auto-advance would jump
/// to the nearest one whenever the runtime waits on the socket; tokio does not auto-advance
/// while a blocking task runs, so one holds the clock still until the server has the request.
/// From then on the only things left to happen are timers, and the deadline comes first.
#[tokio::test(start_paused = true)]
async fn deadline_reached_while_the_service_does_not_answer() {
    let (server, client) = start(vec![], Reply::Hang, None).await;
    let (release, held) = std::sync::mpsc::channel::<()>();
    // The real-time limit only keeps a broken client from hanging the test.
    let hold = tokio::task::spawn_blocking(move || held.recv_timeout(Duration::from_secs(60)));
    let start = Instant::now();
    let opts = CallOptions {
        deadline: Some(start + Duration::from_millis(300)),
        ..CallOptions::default()
    };
    let mut pending = tokio::spawn(async move { call(&client, &opts).await });
    tokio::select! {
        () = server.arrived.notified() => {}
        done = &mut pending => panic!("call ended before the request arrived: {done:?}"),
    }
    assert_eq!(start.elapsed(), Duration::ZERO, "clock held while sending");
    release.send(()).unwrap();
    assert_eq!(hold.await.unwrap(), Ok(()));

    let err = pending.await.unwrap().unwrap_err();
    assert!(
        matches!(err, Error::DeadlineExceeded { attempts: 1, .. }),
        "{err:?}"
    );
    assert!(err.to_string().contains("deadline"), "{err}");
    assert_eq!(server.seen(|s| s.len()), 1);
    // Given up at the deadline (the timer rounds up to whole milliseconds), not at the 60 s
    // read timeout.
    let waited = start.elapsed();
    assert!(
        (Duration::from_millis(300)..=Duration::from_millis(301)).contains(&waited),
        "{waited:?}"
    );
}

#[tokio::test]
async fn cancellation_stops_a_call_in_flight() {
    let (server, client) = start(vec![], Reply::Hang, None).await;
    let opts = CallOptions::default();
    let cancel = opts.cancel.clone();
    let server2 = Arc::clone(&server);
    tokio::spawn(async move {
        server2.arrived.notified().await;
        cancel.cancel();
    });
    let err = bounded(call(&client, &opts)).await.unwrap_err();
    match &err {
        Error::Cancelled { during } => assert!(during.contains("ci-vm-rYfypJKwlN9Y"), "{during}"),
        other => panic!("expected Cancelled, got {other:?}"),
    }
    assert_eq!(server.seen(|s| s.len()), 1);
}
