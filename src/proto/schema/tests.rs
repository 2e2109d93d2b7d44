// SPDX-License-Identifier: MPL-2.0
use super::*;

#[test]
fn attribute_flags_and_kinds() {
    struct Case {
        name: &'static str,
        input: Attribute,
        want: (bool, bool, bool, bool),
    }
    let cases = [
        Case {
            name: "required",
            input: Attribute::new("a", Type::String, "d").required(),
            want: (true, false, false, false),
        },
        Case {
            name: "optional computed sensitive",
            input: Attribute::new("b", Type::Bool, "d")
                .optional()
                .computed()
                .sensitive(),
            want: (false, true, true, true),
        },
        Case {
            name: "requires_replace is not a wire flag",
            input: Attribute::new("c", Type::Number, "d")
                .required()
                .requires_replace(),
            want: (true, false, false, false),
        },
    ];
    for case in cases {
        let name = case.input.name.clone();
        let got = pb::schema::Attribute::from(case.input);
        assert_eq!(got.name, name, "{}", case.name);
        assert_eq!(
            (got.required, got.optional, got.computed, got.sensitive),
            case.want,
            "{}",
            case.name
        );
        assert!(
            got.nested_type.is_none() && !got.write_only,
            "{}",
            case.name
        );
        assert_eq!(
            got.description_kind,
            pb::StringKind::Markdown as i32,
            "{}",
            case.name
        );
    }
}

#[test]
fn nested_block_modes() {
    use pb::schema::nested_block::NestingMode as Pb;
    let cases = [
        (NestingMode::Single, Pb::Single),
        (NestingMode::List, Pb::List),
        (NestingMode::Set, Pb::Set),
        (NestingMode::Map, Pb::Map),
        (NestingMode::Group, Pb::Group),
    ];
    for (mode, want) in cases {
        let nb = NestedBlock {
            type_name: "timeouts".into(),
            block: Block::default(),
            nesting: mode,
            min_items: 0,
            max_items: 1,
        };
        let got = pb::schema::NestedBlock::from(nb);
        assert_eq!(got.nesting, want as i32, "{mode:?}");
        assert_eq!(
            (got.type_name.as_str(), got.max_items),
            ("timeouts", 1),
            "{mode:?}"
        );
        assert!(got.block.is_some(), "{mode:?}");
    }
}
