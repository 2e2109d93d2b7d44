// SPDX-License-Identifier: MPL-2.0
//! The adapter: one decode per call, a bug diagnostic for a value of another type, and the
//! read's result written into the state beside the configured values.

use std::collections::BTreeMap;

use super::*;
use crate::engine::DataSource;
use crate::protocol::Block;
use crate::value::{Attr, Type};

/// `data "thing" { name = … }`, whose read computes `id`.
struct Thing;

struct ThingConfig {
    name: Attr<String>,
}

impl Model for ThingConfig {
    fn from_value(v: &Value) -> Result<Self, DecodeError> {
        Ok(ThingConfig {
            name: v.get("name")?,
        })
    }
}

struct ThingRead {
    id: String,
}

impl WriteComputed for ThingRead {
    fn write(self, object: &mut Value) {
        object.set_attrs([("id", Value::string(self.id))]);
    }
}

#[async_trait::async_trait]
impl TypedDataSource<()> for Thing {
    type Config = ThingConfig;
    type Read = ThingRead;

    fn type_name(&self) -> &'static str {
        "thing"
    }

    fn schema(&self) -> Schema {
        Schema {
            version: 0,
            block: Block::default(),
        }
    }

    fn validate(&self, config: &ThingConfig) -> Diagnostics {
        let mut diags = Diagnostics::default();
        if config.name == Attr::Known(String::new()) {
            diags.error("Empty name", "name must not be empty");
        }
        diags
    }

    async fn read(
        &self,
        config: ThingConfig,
        _data: Arc<()>,
        _cancel: CancellationToken,
    ) -> Result<ThingRead, Diagnostics> {
        match config.name {
            Attr::Known(name) if name != "missing" => Ok(ThingRead {
                id: format!("id-{name}"),
            }),
            _ => Err(Diagnostic::error("Not found", "no such thing").into()),
        }
    }
}

fn object(name: &str, id: Value) -> Value {
    Value::object(BTreeMap::from([
        ("name".to_string(), Value::string(name)),
        ("id".to_string(), id),
    ]))
}

async fn read(config: Value) -> ReadDataResponse {
    let state = object(
        config
            .attr("name")
            .and_then(Value::as_str)
            .unwrap_or_default(),
        Value::unknown(Type::String),
    );
    let mut resp = ReadDataResponse {
        state,
        diagnostics: Diagnostics::default(),
    };
    let req = ReadDataRequest {
        config,
        data: Arc::new(()),
        cancel: CancellationToken::new(),
    };
    DataSource::read(&Thing, req, &mut resp).await;
    resp
}

#[tokio::test]
async fn a_read_writes_what_it_computed_beside_the_configuration() {
    let resp = read(object("a", Value::null(Type::String))).await;
    assert_eq!(resp.diagnostics, Diagnostics::default());
    assert_eq!(resp.state, object("a", Value::string("id-a")));
}

#[tokio::test]
async fn a_failed_read_returns_its_diagnostics_and_writes_nothing() {
    let resp = read(object("missing", Value::null(Type::String))).await;
    let summaries: Vec<&str> = resp
        .diagnostics
        .iter()
        .map(|d| d.summary.as_str())
        .collect();
    assert_eq!(summaries, ["Not found"]);
    assert_eq!(resp.state, object("missing", Value::unknown(Type::String)));
}

#[tokio::test]
async fn a_value_of_another_type_is_a_bug_diagnostic_and_validation_sees_the_model() {
    let wrong = Value::object(BTreeMap::from([("name".to_string(), Value::bool(true))]));
    let mut resp = ValidateResponse::default();
    let req = ValidateRequest { config: wrong };
    DataSource::validate_config(&Thing, req, &mut resp).await;
    let got: Vec<(String, bool)> = resp
        .diagnostics
        .iter()
        .map(|d| (d.summary.clone(), d.detail.contains("bug in the provider")))
        .collect();
    assert_eq!(got, [("Invalid thing value".to_string(), true)]);

    let mut resp = ValidateResponse::default();
    let req = ValidateRequest {
        config: object("", Value::null(Type::String)),
    };
    DataSource::validate_config(&Thing, req, &mut resp).await;
    assert!(resp.diagnostics.has_errors(), "{:?}", resp.diagnostics);
    assert_eq!(DataSource::<()>::type_name(&Thing), "thing");
}
