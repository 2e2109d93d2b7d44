// SPDX-License-Identifier: MPL-2.0
use super::*;

#[test]
fn parse_and_display() {
    let cases = [
        ("zero", "0", "0"),
        ("negative zero", "-0.000", "0"),
        ("int", "-12", "-12"),
        ("fraction", "3.25", "3.25"),
        ("half", "-0.5", "-0.5"),
        ("trailing zeros", "100.00", "100"),
        ("exp form", "1.5e3", "1500"),
        ("exp plus", "1E+2", "100"),
        ("leading zeros", "007", "7"),
        ("bare fraction", ".5", "0.5"),
        ("small", "0.000001", "0.000001"),
        ("huge", "1e400", "1e400"),
        ("tiny", "-2.5e-400", "-2.5e-400"),
        (
            "30 digits",
            "123456789012345678901234567890",
            "123456789012345678901234567890",
        ),
        (
            "long fraction",
            "0.1000000000000000000000000001",
            "0.1000000000000000000000000001",
        ),
        ("i64 max", "9223372036854775807", "9223372036854775807"),
        ("1e21", "1000000000000000000000", "1e21"),
    ];
    for (name, input, want) in cases {
        let n = Number::parse(input).unwrap_or_else(|| panic!("{name}: parse failed"));
        assert_eq!(n.to_string(), want, "{name}");
        assert_eq!(Number::parse(want), Some(n), "{name}: display round-trip");
    }
}

#[test]
fn parse_rejects() {
    for (name, input) in [
        ("empty", ""),
        ("sign only", "-"),
        ("dot only", "."),
        ("nan", "NaN"),
        ("inf", "Infinity"),
        ("bad exp", "1e"),
        ("exp overflow", "1e99999999999999999999"),
        ("exp too large", "1e2000000000"),
        ("trailing", "12abc"),
        ("space", " 1"),
        ("double dot", "1.2.3"),
    ] {
        assert_eq!(Number::parse(input), None, "{name}");
    }
}

#[test]
fn numeric_equality_and_order() {
    let n = |s: &str| Number::parse(s).unwrap_or_else(|| panic!("parse {s}"));
    assert_eq!(n("1"), n("1.0"));
    assert_eq!(n("1"), n("1e0"));
    assert_eq!(n("0.10"), n("1e-1"));
    assert_ne!(n("1"), n("1.0000000000000000000000001"));
    let mut sorted = [
        n("10"),
        n("-1"),
        n("0"),
        n("9.99"),
        n("-10"),
        n("0.5"),
        n("1e400"),
    ];
    sorted.sort();
    let got: Vec<String> = sorted.iter().map(Number::to_string).collect();
    assert_eq!(got, ["-10", "-1", "0", "0.5", "9.99", "10", "1e400"]);
}

#[test]
fn integer_conversions() {
    let cases = [
        ("small", "42", Some(42)),
        ("negative", "-7", Some(-7)),
        ("max", "9223372036854775807", Some(i64::MAX)),
        ("min", "-9223372036854775808", Some(i64::MIN)),
        ("over max", "9223372036854775808", None),
        ("fraction", "1.5", None),
        ("big", "1e30", None),
        ("integral exp", "2e3", Some(2000)),
    ];
    for (name, input, want) in cases {
        assert_eq!(
            Number::parse(input).and_then(|n| n.to_i64()),
            want,
            "{name}"
        );
    }
    assert_eq!(
        Number::from_i64(i64::MIN).to_string(),
        "-9223372036854775808"
    );
    assert_eq!(
        Number::from_u64(u64::MAX).to_string(),
        "18446744073709551615"
    );
}

#[test]
fn float_conversions() {
    let exact_tenth = "0.1000000000000000055511151231257827021181583404541015625";
    assert_eq!(
        Number::from_f64(0.1).map(|n| n.to_string()),
        Some(exact_tenth.into())
    );
    assert_eq!(Number::from_f64(-0.5), Number::parse("-0.5"));
    assert_eq!(Number::from_f64(-0.0), Number::parse("0"));
    assert_eq!(Number::from_f64(f64::NAN), None);
    assert_eq!(Number::from_f64(f64::INFINITY), None);
    let cases = [
        ("half", "0.5", Some(0.5)),
        ("exact tenth", exact_tenth, Some(0.1)),
        ("decimal tenth", "0.1", None),
        ("huge", "1e400", None),
        ("tiny", "1e-400", None),
        ("2^60", "1152921504606846976", Some(1152921504606846976.0)),
        ("smallest subnormal", "5e-324", None),
        ("max", &format!("{:.0}", f64::MAX), Some(f64::MAX)),
    ];
    for (name, input, want) in cases {
        let got = Number::parse(input).and_then(|n| n.to_f64_exact());
        assert_eq!(got, want, "{name}");
    }
    let sub = Number::from_f64(f64::from_bits(1)).and_then(|n| n.to_f64_exact());
    assert_eq!(sub, Some(f64::from_bits(1)), "subnormal round-trip");
}
