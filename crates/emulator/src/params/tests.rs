// SPDX-License-Identifier: MPL-2.0
use super::*;

/// (case name, input, expected pairs)
type Case = (
    &'static str,
    &'static str,
    Vec<(&'static str, &'static str)>,
);

#[test]
fn urlencoded_cases() {
    let cases: Vec<Case> = vec![
        ("empty", "", vec![]),
        ("plain", "a=1&b=2", vec![("a", "1"), ("b", "2")]),
        ("plus is space", "a=x+y", vec![("a", "x y")]),
        (
            "escapes",
            "a=%5B%22r%22%5D&b=%2B%2F%3D",
            vec![("a", "[\"r\"]"), ("b", "+/=")],
        ),
        ("utf8", "a=h%E4%B8%AD", vec![("a", "h中")]),
        (
            "empty value kept",
            "SignatureType=&x",
            vec![("SignatureType", ""), ("x", "")],
        ),
        ("bad escape literal", "a=%zz%4", vec![("a", "%zz%4")]),
        ("last wins", "a=1&a=2", vec![("a", "2")]),
    ];
    for (name, input, want) in cases {
        let want: BTreeMap<String, String> = want
            .into_iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        assert_eq!(parse_urlencoded(input), want, "{name}");
    }
}
