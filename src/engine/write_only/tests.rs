// SPDX-License-Identifier: MPL-2.0
//! Unit tests of [`super::strip`] and [`super::has_write_only`] over nested blocks.

use super::*;
use crate::engine::tests::object_of;
use crate::protocol::{Attribute, NestedBlock};

fn block() -> Block {
    let secret = Attribute::new("secret_wo", Type::String, "s").optional();
    let inner = Block {
        attributes: vec![
            Attribute::new("user", Type::String, "u").optional(),
            Attribute {
                write_only: true,
                ..secret
            },
        ],
        ..Block::default()
    };
    Block {
        attributes: vec![Attribute::new("name", Type::String, "n").required()],
        block_types: vec![NestedBlock {
            type_name: "credential".into(),
            block: inner,
            nesting: NestingMode::List,
            min_items: 0,
            max_items: 1,
        }],
        ..Block::default()
    }
}

#[test]
fn write_only_values_are_nulled_inside_nested_blocks_and_nothing_else_changes() {
    let b = block();
    let inner_ty = b.block_types[0].block.implied_type();
    let cred = object_of(
        inner_ty.clone(),
        &[
            ("user", Value::string("u")),
            ("secret_wo", Value::string("pw")),
        ],
    );
    let v = object_of(
        b.implied_type(),
        &[
            ("name", Value::string("n")),
            ("credential", Value::list(inner_ty, vec![cred])),
        ],
    );
    let out = strip(&b, v);
    let items = out
        .attr("credential")
        .and_then(Value::elements)
        .unwrap_or_default();
    assert_eq!(items.len(), 1);
    assert!(items[0].attr("secret_wo").is_some_and(Value::is_null));
    assert_eq!(items[0].attr("user"), Some(&Value::string("u")));
    assert_eq!(out.attr("name"), Some(&Value::string("n")));
    assert!(has_write_only(&b));
}
