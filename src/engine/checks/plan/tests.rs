// SPDX-License-Identifier: MPL-2.0
use super::*;

#[test]
fn path_exists_cases() {
    let ty = Type::object([
        ("name", Type::String),
        ("tags", Type::Set(Box::new(Type::String))),
        ("labels", Type::Map(Box::new(Type::String))),
        (
            "rules",
            Type::List(Box::new(Type::object([("port", Type::Number)]))),
        ),
        ("pair", Type::Tuple(vec![Type::String, Type::Bool])),
        ("any", Type::Dynamic),
    ]);
    let root = AttributePath::root();
    let cases = [
        ("top-level attribute", root.attr("name"), true),
        ("missing attribute", root.attr("nope"), false),
        ("map key", root.attr("labels").key("k"), true),
        (
            "list element attribute",
            root.attr("rules").index(3).attr("port"),
            true,
        ),
        (
            "list element missing attribute",
            root.attr("rules").index(0).attr("nope"),
            false,
        ),
        (
            "set elements are not addressable",
            root.attr("tags").index(0),
            false,
        ),
        ("tuple index in range", root.attr("pair").index(1), true),
        (
            "tuple index out of range",
            root.attr("pair").index(2),
            false,
        ),
        ("negative tuple index", root.attr("pair").index(-1), false),
        ("string key on a list", root.attr("rules").key("x"), false),
        (
            "anything inside dynamic",
            root.attr("any").key("x").index(1),
            true,
        ),
        ("root", root.clone(), true),
    ];
    for (name, path, want) in cases {
        assert_eq!(path_exists(&ty, &path), want, "{name}");
    }
}
