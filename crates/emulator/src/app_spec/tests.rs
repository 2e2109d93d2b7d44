// SPDX-License-Identifier: MPL-2.0
use super::*;

#[test]
fn flag_syntax_cases() {
    let full = AppSpec {
        app_id: "ci-vm-a".into(),
        image_id: Some("m-abc".into()),
        name: Some("solver".into()),
        version: Some("v2".into()),
        image_type: Some("Container".into()),
    };
    let cases: Vec<(&str, Result<AppSpec, ()>)> = vec![
        ("ci-vm-a", Ok(AppSpec::new("ci-vm-a"))),
        (
            "ci-vm-a=m-abc,name=solver,version=v2,type=Container",
            Ok(full.clone()),
        ),
        ("ci-vm-a,type=Docker", Err(())),
        (
            "ci-vm-a,version=v2",
            Ok(AppSpec {
                version: Some("v2".into()),
                ..AppSpec::new("ci-vm-a")
            }),
        ),
        ("", Err(())),
        ("ci-vm-a=", Err(())),
        ("ci-vm-a=x-abc", Err(())),
        ("ci-vm-a,colour=red", Err(())),
        ("ci-vm-a,name=", Err(())),
        ("ci-vm-a,name", Err(())),
    ];
    for (text, want) in cases {
        assert_eq!(text.parse::<AppSpec>().map_err(|_| ()), want, "{text:?}");
    }
    assert_eq!(full.to_string().parse::<AppSpec>(), Ok(full));
}

#[test]
fn config_entries_are_strings_or_objects() {
    let specs: Vec<AppSpec> = serde_json::from_str(
        r#"["ci-vm-a", "ci-vm-b=m-bbb,name=b", {"app_id": "ci-vm-c", "version": "v3"}]"#,
    )
    .expect("valid entries");
    assert_eq!(specs[0], AppSpec::new("ci-vm-a"));
    assert_eq!(specs[1].image_id.as_deref(), Some("m-bbb"));
    assert_eq!(specs[1].name.as_deref(), Some("b"));
    assert_eq!(specs[2].version.as_deref(), Some("v3"));
    for bad in [
        r#"["a,colour=red"]"#,
        r#"[{"app_id": "a", "colour": "red"}]"#,
        "[1]",
    ] {
        assert!(serde_json::from_str::<Vec<AppSpec>>(bad).is_err(), "{bad}");
    }
}
