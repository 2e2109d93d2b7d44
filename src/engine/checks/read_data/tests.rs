// SPDX-License-Identifier: MPL-2.0

use super::*;
use crate::engine::tests::object_of;
use crate::protocol::NestedBlock;
use crate::value::Type;

/// `name` required, `filter` optional, `mode` optional+computed, `id` computed, `tags`
/// computed list; a SINGLE block `selector { key, resolved(computed) }` and a LIST block
/// `rule { value }`.
fn block() -> Block {
    let string = |name: &str| Attribute::new(name, Type::String, "");
    let nested = |name: &str, nesting, attributes| NestedBlock {
        type_name: name.to_string(),
        block: Block {
            attributes,
            ..Block::default()
        },
        nesting,
        min_items: 0,
        max_items: 0,
    };
    Block {
        attributes: vec![
            string("name").required(),
            string("filter").optional(),
            string("mode").optional().computed(),
            string("id").computed(),
            Attribute::new("tags", Type::List(Box::new(Type::String)), "").computed(),
        ],
        block_types: vec![
            nested(
                "selector",
                NestingMode::Single,
                vec![string("key").required(), string("resolved").computed()],
            ),
            nested("rule", NestingMode::List, vec![string("value").optional()]),
        ],
        ..Block::default()
    }
}

fn s(v: &str) -> Value {
    Value::string(v)
}

fn nested_ty(name: &str) -> Type {
    let b = block();
    let nb = b.block_types.iter().find(|nb| nb.type_name == name);
    nb.map(|nb| nb.block.implied_type())
        .unwrap_or(Type::Dynamic)
}

fn rules(values: &[&str]) -> Value {
    let items = values
        .iter()
        .map(|v| object_of(nested_ty("rule"), &[("value", s(v))]))
        .collect();
    Value::list(nested_ty("rule"), items)
}

/// A data source object: `name = "n"`, no rules, every other attribute null except `fields`.
fn obj(fields: &[(&str, Value)]) -> Value {
    let mut all = vec![("name", s("n")), ("rule", rules(&[]))];
    all.extend(fields.iter().cloned());
    object_of(block().implied_type(), &all)
}

fn selector(key: &str, resolved: Option<Value>) -> Value {
    let resolved = resolved.unwrap_or_else(|| Value::null(Type::String));
    object_of(
        nested_ty("selector"),
        &[("key", s(key)), ("resolved", resolved)],
    )
}

fn tags(items: Vec<Value>) -> Value {
    Value::list(Type::String, items)
}

#[test]
fn read_result_cases() {
    let unknown = || Value::unknown(Type::String);
    let null = || Value::null(Type::String);
    let root = AttributePath::root();
    let filled = [("id", s("i")), ("mode", s("m")), ("tags", tags(vec![]))];
    #[rustfmt::skip]
    let cases: Vec<(&str, Value, Value, Vec<AttributePath>)> = vec![
        ("computed filled, config echoed", obj(&[]), obj(&filled), vec![]),
        ("computed may be read as null", obj(&[]), obj(&[("id", null())]), vec![]),
        ("computed left unknown", obj(&[]), obj(&[("id", unknown())]), vec![root.attr("id")]),
        ("unknown inside a computed list", obj(&[]), obj(&[("tags", tags(vec![s("a"), unknown()]))]), vec![root.attr("tags").index(1)]),
        ("required value changed", obj(&[]), obj(&[("name", s("N"))]), vec![root.attr("name")]),
        ("configured value made unknown", obj(&[]), obj(&[("name", unknown())]), vec![root.attr("name")]),
        ("optional value dropped", obj(&[("filter", s("f"))]), obj(&[]), vec![root.attr("filter")]),
        ("optional value invented", obj(&[]), obj(&[("filter", s("f"))]), vec![root.attr("filter")]),
        ("optional+computed configured, kept", obj(&[("mode", s("m"))]), obj(&[("mode", s("m"))]), vec![]),
        ("optional+computed configured, changed", obj(&[("mode", s("m"))]), obj(&[("mode", s("M"))]), vec![root.attr("mode")]),
        ("null result", obj(&[]), Value::null(block().implied_type()), vec![root.clone()]),
        ("unknown result", obj(&[]), Value::unknown(block().implied_type()), vec![root.clone()]),
        ("wrong type", obj(&[]), s("x"), vec![root.clone()]),
        ("nested computed filled", obj(&[("selector", selector("k", None))]), obj(&[("selector", selector("k", Some(s("r"))))]), vec![]),
        ("nested computed left unknown", obj(&[("selector", selector("k", None))]), obj(&[("selector", selector("k", Some(unknown())))]), vec![root.attr("selector").attr("resolved")]),
        ("nested configured value changed", obj(&[("selector", selector("k", None))]), obj(&[("selector", selector("K", None))]), vec![root.attr("selector").attr("key")]),
        ("configured block dropped", obj(&[("selector", selector("k", None))]), obj(&[]), vec![root.attr("selector")]),
        ("block invented", obj(&[]), obj(&[("selector", selector("k", None))]), vec![root.attr("selector")]),
        ("block list kept", obj(&[("rule", rules(&["a", "b"]))]), obj(&[("rule", rules(&["a", "b"]))]), vec![]),
        ("block list count changed", obj(&[("rule", rules(&["a", "b"]))]), obj(&[("rule", rules(&["a"]))]), vec![root.attr("rule")]),
        ("block list value changed", obj(&[("rule", rules(&["a", "b"]))]), obj(&[("rule", rules(&["a", "c"]))]), vec![root.attr("rule").index(1).attr("value")]),
    ];
    for (name, config, result, want) in cases {
        let got: Vec<AttributePath> = read_violations(&block(), &config, &result)
            .into_iter()
            .map(|v| v.path)
            .collect();
        assert_eq!(got, want, "{name}");
    }
}

#[test]
fn messages_tell_an_unset_computed_value_from_an_unknown_one() {
    let messages = |result: Value| -> Vec<String> {
        read_violations(&block(), &obj(&[]), &result)
            .into_iter()
            .map(|v| v.message)
            .collect()
    };
    let unset = messages(obj(&[("id", Value::unknown(Type::String))]));
    assert_eq!(
        unset,
        ["is computed, but the read did not set it (a read sets null when there is no value)"]
    );
    let unknown = messages(obj(&[("name", Value::unknown(Type::String))]));
    assert_eq!(unknown, ["is unknown after the read"]);
    let changed = messages(obj(&[("name", s("N"))]));
    assert_eq!(changed, ["the read changed the configured value"]);
}
