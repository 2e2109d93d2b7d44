// SPDX-License-Identifier: MPL-2.0
use super::*;
use crate::resources::app_sync::schema::app_sync_schema;

fn full() -> AppSyncModel {
    AppSyncModel {
        app_id: Attr::Known("ci-vm-rYfypJKwlN9Y".into()),
        target_region_ids: Attr::Known(["cn-shanghai".to_string(), "all".to_string()].into()),
        region: Attr::Known("cn-hangzhou".into()),
        request_id: Attr::Known("04F0F334-1335-436C-A1D7-6C044FE73368".into()),
        id: Attr::Known("ci-vm-rYfypJKwlN9Y".into()),
        wait_for_copies: Attr::Known(false),
        image_id: Attr::Known("m-bp181x855551ww5yq".into()),
        copies: Attr::Known(crate::copies::Copies::from([(
            "cn-shanghai".to_string(),
            crate::copies::CopyModel {
                image_id: "m-sh".into(),
                status: "Creating".into(),
            },
        )])),
        copies_ready: Attr::Known(false),
        timeouts: Attr::Known(TimeoutsModel {
            create: Attr::Known("1h".into()),
            update: Attr::Null,
        }),
    }
}

#[test]
fn round_trips_through_the_schema_type() {
    let ty = app_sync_schema().block.implied_type();
    let cases = [
        ("full", full()),
        (
            "nulls",
            AppSyncModel {
                app_id: Attr::Known("a".into()),
                ..AppSyncModel::default()
            },
        ),
        (
            "unknowns",
            AppSyncModel {
                target_region_ids: Attr::Unknown,
                request_id: Attr::Unknown,
                copies: Attr::Unknown,
                copies_ready: Attr::Unknown,
                timeouts: Attr::Unknown,
                ..full()
            },
        ),
    ];
    for (name, model) in cases {
        let value = model.to_value();
        assert_eq!(value.conforms(&ty), Ok(()), "{name}");
        assert_eq!(value.ty(), &ty, "{name}");
        assert_eq!(<AppSyncModel>::from_value(&value), Ok(model), "{name}");
    }
}

#[test]
fn partly_unknown_set_is_unknown_but_keeps_known_elements_for_validation() {
    let mut value = full().to_value();
    value.set_attr(
        "target_region_ids",
        Value::set(
            Type::String,
            vec![Value::string("cn-beijing"), Value::unknown(Type::String)],
        ),
    );
    let model = <AppSyncModel>::from_value(&value);
    assert_eq!(model.map(|m| m.target_region_ids), Ok(Attr::Unknown));
    assert_eq!(known_targets(&value), ["cn-beijing"]);
}
