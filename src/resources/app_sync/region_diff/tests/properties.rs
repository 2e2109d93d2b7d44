// SPDX-License-Identifier: MPL-2.0
//! Properties of [`added`] and [`removed`] over random region sets (issue 8).

use crate::resources::app_sync::region_diff::*;
use proptest::collection::{btree_set, vec};
use proptest::prelude::*;

/// A small alphabet so that random sets overlap often, plus "all".
fn region() -> impl Strategy<Value = String> {
    prop_oneof![Just("all".to_string()), "(cn|ap|us)-[a-c]{1,2}(-[1-3])?",]
}

fn regions() -> impl Strategy<Value = BTreeSet<String>> {
    btree_set(region(), 0..8)
}

/// Known, null or unknown, weighted towards known.
fn attr() -> impl Strategy<Value = Attr<BTreeSet<String>>> {
    prop_oneof![
        6 => regions().prop_map(Attr::Known),
        1 => Just(Attr::Null),
        1 => Just(Attr::Unknown),
    ]
}

/// The regions `added` reports, with Nothing as the empty set (None for Unknown).
fn added_set(a: &Added) -> Option<BTreeSet<String>> {
    match a {
        Added::Nothing => Some(BTreeSet::new()),
        Added::Regions(r) => Some(r.clone()),
        Added::Unknown => None,
    }
}

proptest! {
    #[test]
    fn added_and_kept_make_up_planned(prior in regions(), planned in regions()) {
        let got = added_set(&added(&Attr::Known(prior.clone()), &Attr::Known(planned.clone())))
            .unwrap_or_default();
        let kept: BTreeSet<String> = planned.intersection(&prior).cloned().collect();
        let union: BTreeSet<String> = got.union(&kept).cloned().collect();
        prop_assert_eq!(&union, &planned);
        prop_assert!(got.is_disjoint(&prior), "added {:?} overlaps prior {:?}", got, prior);
    }

    #[test]
    fn removed_is_prior_minus_planned(prior in regions(), planned in regions()) {
        let want: BTreeSet<String> = prior.difference(&planned).cloned().collect();
        prop_assert_eq!(removed(&Attr::Known(prior), &Attr::Known(planned)), want);
    }

    #[test]
    fn no_change_means_no_diff(x in attr()) {
        let is_unknown = matches!(x, Attr::Unknown);
        let a = added(&x, &x);
        if is_unknown {
            prop_assert_eq!(a, Added::Unknown);
        } else {
            prop_assert_eq!(a, Added::Nothing);
        }
        prop_assert!(removed(&x, &x).is_empty());
    }

    #[test]
    fn insensitive_to_the_order_regions_were_written(
        prior in vec(region(), 0..8),
        planned in vec(region(), 0..8),
    ) {
        let set = |v: &[String]| Attr::Known(v.iter().cloned().collect::<BTreeSet<_>>());
        let mut prior_rev = prior.clone();
        prior_rev.reverse();
        let mut planned_rev = planned.clone();
        planned_rev.reverse();
        prop_assert_eq!(
            added(&set(&prior), &set(&planned)),
            added(&set(&prior_rev), &set(&planned_rev))
        );
        prop_assert_eq!(
            removed(&set(&prior), &set(&planned)),
            removed(&set(&prior_rev), &set(&planned_rev))
        );
    }

    #[test]
    fn nulls_and_unknowns(prior in attr(), planned in regions()) {
        // A null plan adds nothing; an unknown plan may add anything but warns of nothing.
        prop_assert_eq!(added(&prior, &Attr::Null), Added::Nothing);
        prop_assert_eq!(added(&prior, &Attr::Unknown), Added::Unknown);
        prop_assert!(removed(&prior, &Attr::Unknown).is_empty());
        // A prior that is not known (null: nothing synchronized) warns of no removal.
        if !matches!(prior, Attr::Known(_)) {
            prop_assert!(removed(&prior, &Attr::Known(planned.clone())).is_empty());
            let want = if planned.is_empty() { Added::Nothing } else { Added::Regions(planned.clone()) };
            prop_assert_eq!(added(&prior, &Attr::Known(planned)), want);
        }
    }

    #[test]
    fn added_regions_are_never_empty(prior in attr(), planned in attr()) {
        // `Regions` always means "call the API", so it never carries an empty set.
        if let Added::Regions(r) = added(&prior, &planned) {
            prop_assert!(!r.is_empty());
        }
    }
}
