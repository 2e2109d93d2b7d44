// SPDX-License-Identifier: MPL-2.0
use std::collections::BTreeSet;

use super::*;
use crate::value::Attr;

fn config() -> AppsConfig {
    AppsConfig::default()
}

fn known(s: &str) -> Attr<String> {
    Attr::Known(s.to_string())
}

fn image(app_id: &str, name: Option<&str>) -> ImageSummary {
    ImageSummary {
        app_id: app_id.into(),
        image_id: format!("m-{app_id}"),
        image_type: "VM".into(),
        name: name.map(str::to_string),
        ..ImageSummary::default()
    }
}

fn filter(config: &AppsConfig) -> Filter {
    Filter::from_config(config).expect("valid filter")
}

fn ids(entries: &[AppEntry]) -> Vec<&str> {
    entries.iter().map(|e| e.app_id.as_str()).collect()
}

#[test]
fn an_invalid_regex_is_an_error_at_name_regex() {
    let diags = validate(&AppsConfig {
        name_regex: known("gromacs-(2024"),
        ..config()
    });
    assert_eq!(diags.0.len(), 1, "{diags:?}");
    let d = &diags.0[0];
    assert_eq!(d.summary, "Invalid name_regex");
    assert_eq!(d.attribute, Some(AttributePath::attribute("name_regex")));
    assert!(
        d.detail
            .contains("\"gromacs-(2024\" is not a valid regular expression"),
        "{}",
        d.detail
    );
    assert!(Filter::from_config(&AppsConfig {
        name_regex: known("("),
        ..config()
    })
    .is_err());
}

#[test]
fn image_type_and_category_take_the_documented_words_only() {
    let diags = validate(&AppsConfig {
        image_type: known("vm"),
        image_category: known("Private"),
        ..config()
    });
    let paths: Vec<_> = diags
        .0
        .iter()
        .map(|d| d.attribute.clone().unwrap())
        .collect();
    assert_eq!(
        paths,
        [
            AttributePath::attribute("image_type"),
            AttributePath::attribute("image_category")
        ]
    );
    assert!(
        diags.0[0].detail.contains("\"VM\" or \"Container\""),
        "{}",
        diags.0[0].detail
    );
    assert!(
        diags.0[1].detail.contains("\"Public\" or \"Custom\""),
        "{}",
        diags.0[1].detail
    );
    let ok = AppsConfig {
        image_type: known("Container"),
        image_category: known("Custom"),
        name_regex: Attr::Unknown,
        region: Attr::Unknown,
        ..config()
    };
    assert!(validate(&ok).0.is_empty());
}

#[test]
fn the_request_carries_names_type_and_category() {
    let f = filter(&AppsConfig {
        names: Attr::Known(BTreeSet::from(["b".to_string(), "a".to_string()])),
        image_category: known("Public"),
        ..config()
    });
    let req = f.request();
    assert_eq!(req.image_names, ["a", "b"]);
    assert_eq!(req.image_type.as_deref(), Some("VM"), "the default type");
    assert_eq!(req.image_category.as_deref(), Some("Public"));
    assert_eq!(req.page_number, None, "the client walks the pages");
    let any = filter(&config()).request();
    assert!(any.image_names.is_empty() && any.image_category.is_none());
}

#[test]
fn select_sorts_by_app_id_and_drops_repeated_images() {
    let images = vec![
        image("ci-vm-c", Some("c")),
        image("ci-vm-a", Some("a")),
        image("ci-vm-b", Some("b")),
        image("ci-vm-a", Some("a")),
    ];
    let all = select(&images, &filter(&config()));
    assert_eq!(ids(&all), ["ci-vm-a", "ci-vm-b", "ci-vm-c"]);
}

#[test]
fn the_name_pattern_is_unanchored_and_skips_unnamed_apps() {
    let images = vec![
        image("ci-vm-1", Some("gromacs-2024")),
        image("ci-vm-2", Some("lammps")),
        image("ci-vm-3", None),
        image("ci-vm-4", Some("my-gromacs")),
    ];
    let f = filter(&AppsConfig {
        name_regex: known("gromacs"),
        ..config()
    });
    assert_eq!(ids(&select(&images, &f)), ["ci-vm-1", "ci-vm-4"]);
    let anchored = filter(&AppsConfig {
        name_regex: known("^gromacs"),
        ..config()
    });
    assert_eq!(ids(&select(&images, &anchored)), ["ci-vm-1"]);
    let anything = filter(&AppsConfig {
        name_regex: known(".*"),
        ..config()
    });
    assert_eq!(
        ids(&select(&images, &anything)).len(),
        3,
        "the unnamed app never matches"
    );
}

#[test]
fn names_are_matched_exactly_even_if_the_service_matches_loosely() {
    let images = vec![
        image("ci-vm-1", Some("lammps")),
        image("ci-vm-2", Some("lammps-gpu")),
    ];
    let f = filter(&AppsConfig {
        names: Attr::Known(BTreeSet::from(["lammps".to_string()])),
        ..config()
    });
    assert_eq!(ids(&select(&images, &f)), ["ci-vm-1"]);
}

#[test]
fn entries_hold_sanitised_text_and_become_objects_of_the_entry_type() {
    let mut img = image("ci-vm-x\u{7}", Some("na\u{1b}me"));
    img.description = Some("line1\nline2".into());
    img.os_tag = Some("CentOS 7".into());
    let e = AppEntry::from_summary(&img);
    assert_eq!(e.app_id, "ci-vm-x\u{FFFD}");
    assert_eq!(e.name.as_deref(), Some("na\u{FFFD}me"));
    assert_eq!(e.description.as_deref(), Some("line1\nline2"));
    let v = e.into_value();
    v.conforms(&entry_type()).unwrap();
    assert_eq!(v.attr("os_tag").unwrap().as_str(), Some("CentOS 7"));
    assert!(v.attr("version").unwrap().is_null());
}
