// SPDX-License-Identifier: MPL-2.0
//! Retry accounting over the emulator's SynchronizeApp call log: which calls the provider made
//! for each (app, region), and whether each one is explained by the provider's rules — one
//! success per region (an applied call whose answer was lost counts as that success),
//! retries only after retryable failures, ImageAlreadyExists only where a region in the call
//! was already held (through a success whose answer the provider never saw, since re-sending
//! a seen success is itself a problem, or in the one-region-at-a-time fallback).

use std::collections::{BTreeMap, BTreeSet};

use crate::support::Call;

/// Error codes after which another attempt is expected (the emulator's fault knobs).
pub(crate) const RETRYABLE: &[&str] =
    &["ServiceUnavailable", "Throttling.User", "ConnectionDropped"];
pub(crate) const ALREADY: &str = "ImageAlreadyExists";
/// The emulator's code for a call that was applied (status 200) but whose answer was lost
/// (`--drop-after-apply-rate`): the provider sees a dropped connection and retries.
pub(crate) const LOST_ANSWER: &str = "ConnectionDroppedAfterApply";

/// Checks `calls` (in the order answered) against `expected` (app -> regions it must hold),
/// and returns every problem found (empty: all explained). With `unseen_success` an app may
/// have one successful call whose answer the provider never saw (it was killed while the call
/// was in flight): later ImageAlreadyExists calls for those regions are then explained.
pub(crate) fn problems(
    calls: &[Call],
    expected: &BTreeMap<String, BTreeSet<String>>,
    unseen_success: &BTreeSet<String>,
) -> Vec<String> {
    let mut found = Vec::new();
    // Regions each app held when a call was answered, replayed from the log.
    let mut held: BTreeMap<&str, BTreeSet<String>> = BTreeMap::new();
    // Successful calls per (app, region), whether or not the provider saw the answer.
    let mut successes: BTreeMap<(String, String), usize> = BTreeMap::new();
    for (i, call) in calls.iter().enumerate() {
        let regions = call.region_list();
        let app_held = held.entry(call.app_id.as_str()).or_default();
        // Re-sending a region whose success the provider saw is a duplicate request, except
        // for the one-region-at-a-time retries after a multi-region ImageAlreadyExists.
        let fallback = regions.len() == 1
            && calls[..i].iter().any(|c| {
                c.app_id == call.app_id
                    && c.code.as_deref() == Some(ALREADY)
                    && c.region_list().len() > 1
                    && c.region_list().contains(&regions[0])
            });
        if !fallback && !unseen_success.contains(&call.app_id) {
            let seen: Vec<&String> = regions
                .iter()
                .filter(|r| {
                    calls[..i]
                        .iter()
                        .any(|c| c.app_id == call.app_id && c.ok() && c.region_list().contains(*r))
                })
                .collect();
            if !seen.is_empty() {
                found.push(format!(
                    "call #{i} {call:?}: re-sent {seen:?}, whose success the provider had seen"
                ));
            }
        }
        let applied =
            call.status == 200 && matches!(call.code.as_deref(), None | Some(LOST_ANSWER));
        if applied {
            for r in &regions {
                *successes
                    .entry((call.app_id.clone(), r.clone()))
                    .or_default() += 1;
                app_held.insert(r.clone());
            }
            continue;
        }
        match call.code.as_deref() {
            Some(code) if RETRYABLE.contains(&code) => {}
            Some(ALREADY) if regions.iter().any(|r| app_held.contains(r)) => {}
            other => found.push(format!(
                "call #{i} {call:?}: unexpected outcome {other:?} (status {})",
                call.status
            )),
        }
    }
    for (app, regions) in expected {
        for r in regions {
            let n = successes
                .get(&(app.clone(), r.clone()))
                .copied()
                .unwrap_or(0);
            if n != 1 {
                found.push(format!(
                    "{app} {r}: {n} successful SynchronizeApp calls, want exactly 1"
                ));
            }
        }
    }
    found
}

/// SynchronizeApp calls per app, for failure messages.
pub(crate) fn summary(calls: &[Call]) -> String {
    let mut by_app: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    for c in calls {
        by_app.entry(c.app_id.as_str()).or_default().push(format!(
            "{:?}->{}",
            c.region_list(),
            c.code.as_deref().unwrap_or("OK")
        ));
    }
    by_app
        .iter()
        .map(|(app, cs)| format!("{app}: {}", cs.join(", ")))
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn call(app: &str, regions: &[&str], code: Option<&str>) -> Call {
        Call {
            app_id: app.into(),
            regions: Some(regions.iter().map(|r| r.to_string()).collect()),
            request_id: "R".into(),
            status: if code.is_none() || code == Some(LOST_ANSWER) {
                200
            } else {
                400
            },
            code: code.map(str::to_string),
        }
    }

    #[test]
    fn accounting_cases() {
        let want: BTreeMap<String, BTreeSet<String>> =
            [("a".to_string(), ["x".to_string(), "y".to_string()].into())].into();
        let none = BTreeSet::new();
        let unseen_a: BTreeSet<String> = ["a".to_string()].into();
        let drop = Some("ConnectionDropped");
        let iae = Some(ALREADY);
        let lost = Some(LOST_ANSWER);
        // (name, calls, unseen, problems expected)
        let cases: Vec<(&str, Vec<Call>, &BTreeSet<String>, bool)> = vec![
            (
                "one success",
                vec![call("a", &["x", "y"], None)],
                &none,
                false,
            ),
            (
                "retried after a drop",
                vec![call("a", &["x", "y"], drop), call("a", &["x", "y"], None)],
                &none,
                false,
            ),
            ("region missing", vec![call("a", &["x"], None)], &none, true),
            (
                "seen success re-sent",
                vec![call("a", &["x", "y"], None), call("a", &["x", "y"], iae)],
                &none,
                true,
            ),
            (
                "unseen success, then fallback",
                vec![
                    call("a", &["x", "y"], None),
                    call("a", &["x", "y"], iae),
                    call("a", &["x"], iae),
                    call("a", &["y"], iae),
                ],
                &unseen_a,
                false,
            ),
            (
                "seen region re-sent in a larger call",
                vec![
                    call("a", &["x"], None),
                    call("a", &["x", "y"], iae),
                    call("a", &["x"], iae),
                    call("a", &["y"], None),
                ],
                &none,
                true,
            ),
            (
                "lost answer, retry answers ImageAlreadyExists, then fallback",
                vec![
                    call("a", &["x", "y"], lost),
                    call("a", &["x", "y"], drop),
                    call("a", &["x", "y"], iae),
                    call("a", &["x"], iae),
                    call("a", &["y"], iae),
                ],
                &none,
                false,
            ),
            (
                "a lost answer is the region's one success",
                vec![call("a", &["x", "y"], lost), call("a", &["x", "y"], None)],
                &none,
                true,
            ),
            (
                "seen success re-sent next to a lost answer",
                vec![
                    call("a", &["x"], None),
                    call("a", &["y"], lost),
                    call("a", &["x"], iae),
                ],
                &none,
                true,
            ),
            (
                "already exists, nothing held",
                vec![call("a", &["x", "y"], iae)],
                &none,
                true,
            ),
            (
                "fatal error",
                vec![
                    call("a", &["x", "y"], Some("InvalidParams")),
                    call("a", &["x", "y"], None),
                ],
                &none,
                true,
            ),
        ];
        for (name, calls, unseen, bad) in cases {
            let found = problems(&calls, &want, unseen);
            assert_eq!(!found.is_empty(), bad, "{name}: {found:?}");
        }
    }
}
