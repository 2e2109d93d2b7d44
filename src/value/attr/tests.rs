// SPDX-License-Identifier: MPL-2.0
use super::*;

fn round_trip<T: FromValue + IntoValue + Clone + PartialEq + std::fmt::Debug>(name: &str, x: T) {
    let v = Attr::Known(x.clone()).into_value();
    assert_eq!(v.ty(), &T::value_type(), "{name}: type");
    assert_eq!(
        Attr::<T>::from_value(&v, &AttributePath::root()),
        Ok(Attr::Known(x)),
        "{name}"
    );
    for a in [Attr::<T>::Null, Attr::Unknown] {
        let v = a.clone().into_value();
        assert_eq!(v.ty(), &T::value_type(), "{name}: null/unknown type");
        assert_eq!(
            Attr::<T>::from_value(&v, &AttributePath::root()),
            Ok(a),
            "{name}"
        );
    }
}

#[test]
fn conversions_round_trip() {
    round_trip("string", "x".to_string());
    round_trip("bool", true);
    round_trip("i64", i64::MIN);
    round_trip(
        "number",
        Number::parse("1e400").unwrap_or_else(|| Number::from_i64(0)),
    );
    round_trip("set", BTreeSet::from(["b".to_string(), "a".to_string()]));
    round_trip("list", vec![3_i64, 1, 2]);
    round_trip("map", BTreeMap::from([("k".to_string(), vec![true])]));
}

#[test]
fn wrong_types_are_errors_with_paths() {
    let root = AttributePath::attribute("x");
    let strings = Value::list(
        Type::String,
        vec![Value::string("a"), Value::null(Type::String)],
    );
    let map = Value::map(
        Type::Number,
        [("k".to_string(), Value::number(Number::from_i64(1)))].into(),
    );
    let frac = Value::number(Number::parse("1.5").unwrap_or_else(|| Number::from_i64(0)));
    let mismatch = |e: &str, f: &str| DecodeErrorKind::TypeMismatch {
        expected: e.into(),
        found: f.into(),
    };
    let cases = [
        (
            "string from bool",
            String::from_value(&Value::bool(true), &root).err(),
            "x",
            mismatch("string", "bool"),
        ),
        (
            "i64 from fraction",
            i64::from_value(&frac, &root).err(),
            "x",
            DecodeErrorKind::InvalidNumber("1.5".into()),
        ),
        (
            "null element",
            Vec::<String>::from_value(&strings, &root).err(),
            "x[1]",
            mismatch("string", "null"),
        ),
        (
            "set from list",
            BTreeSet::<String>::from_value(&strings, &root).err(),
            "x",
            mismatch("set", "list of string"),
        ),
        (
            "map element",
            BTreeMap::<String, String>::from_value(&map, &root).err(),
            "x[\"k\"]",
            mismatch("string", "number"),
        ),
        (
            "list from map",
            Vec::<i64>::from_value(&map, &root).err(),
            "x",
            mismatch("list", "map of number"),
        ),
        (
            "unknown element",
            Vec::<String>::from_value(
                &Value::list(Type::String, vec![Value::unknown(Type::String)]),
                &root,
            )
            .err(),
            "x[0]",
            DecodeErrorKind::UnexpectedUnknown,
        ),
    ];
    for (name, err, path, kind) in cases {
        let err = err.unwrap_or_else(|| panic!("{name}: expected an error"));
        assert_eq!(
            (err.path.to_string(), err.kind),
            (path.to_string(), kind),
            "{name}"
        );
    }
}
