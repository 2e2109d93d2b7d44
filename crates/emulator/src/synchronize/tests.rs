// SPDX-License-Identifier: MPL-2.0
use super::*;

fn strings(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}

/// (case name, regions holding the app, requested regions, expected additions or code)
type Case = (
    &'static str,
    &'static [&'static str],
    &'static [&'static str],
    Result<Vec<String>, &'static str>,
);

#[test]
fn plan_cases() {
    let known = strings(&["cn-beijing", "cn-hangzhou", "cn-shanghai"]);
    let cases: Vec<Case> = vec![
        (
            "new regions",
            &[],
            &["cn-shanghai", "cn-beijing"],
            Ok(strings(&["cn-shanghai", "cn-beijing"])),
        ),
        (
            "duplicates collapse",
            &[],
            &["cn-beijing", "cn-beijing"],
            Ok(strings(&["cn-beijing"])),
        ),
        (
            "all",
            &["cn-hangzhou"],
            &["all"],
            Ok(strings(&["cn-beijing", "cn-shanghai"])),
        ),
        (
            "all plus named",
            &[],
            &["cn-shanghai", "all"],
            Ok(strings(&["cn-shanghai", "cn-beijing"])),
        ),
        (
            "all never copies into the app's own region",
            &["cn-beijing", "cn-shanghai"],
            &["all"],
            Err("ImageAlreadyExists"),
        ),
        (
            "the app's own region already holds it",
            &[],
            &["cn-hangzhou"],
            Err("ImageAlreadyExists"),
        ),
        (
            "all when complete",
            &["cn-beijing", "cn-hangzhou", "cn-shanghai"],
            &["all"],
            Err("ImageAlreadyExists"),
        ),
        (
            "already there",
            &["cn-beijing"],
            &["cn-shanghai", "cn-beijing"],
            Err("ImageAlreadyExists"),
        ),
        ("unknown region", &[], &["mars-1"], Err("InvalidParams")),
        ("empty", &[], &[], Ok(Vec::new())),
    ];
    for (name, holding, requested, want) in cases {
        let holding: BTreeSet<String> = strings(holding).into_iter().collect();
        let got = plan(&known, "cn-hangzhou", &holding, &strings(requested)).map_err(|e| e.code());
        assert_eq!(got, want.map_err(str::to_string), "{name}");
    }
}
