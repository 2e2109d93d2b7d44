// SPDX-License-Identifier: MPL-2.0
//! Logging for Terraform: a `tracing` layer that writes one hclog JSON object per line to
//! stderr, which Terraform parses and re-emits at each line's own level. Never stdout.
//!
//! NOTE(protocol): Terraform parses `@timestamp` with Go's layout
//! `2006-01-02T15:04:05.000000Z07:00`: exactly 6 fractional digits, or the whole line is
//! demoted to a raw DEBUG message. `@level`/`@message` must be strings.

use std::io::Write as _;

use serde_json::{Map, Value as Json};
use time::format_description::FormatItem;
use time::macros::format_description;
use time::OffsetDateTime;
use tracing::field::{Field, Visit};
use tracing::level_filters::LevelFilter;
use tracing::{Event, Level, Metadata, Subscriber};
use tracing_subscriber::layer::{Context, SubscriberExt as _};
use tracing_subscriber::registry::LookupSpan;
use tracing_subscriber::Layer;

const TIMESTAMP: &[FormatItem<'static>] =
    format_description!("[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:6]Z");

/// Installs the hclog layer as the global subscriber, at the level Terraform asks for via
/// `TF_LOG_PROVIDER` (falling back to `TF_LOG`). With neither set, nothing is logged and
/// nothing is installed.
pub fn init_from_env() {
    let provider = std::env::var("TF_LOG_PROVIDER").ok();
    let core = std::env::var("TF_LOG").ok();
    let Some(level) = level_from_env(provider.as_deref(), core.as_deref()) else {
        return;
    };
    let sink: Sink = Box::new(|line| {
        // One write per line so concurrent handlers never interleave inside a line.
        let _ = std::io::stderr().lock().write_all(line.as_bytes());
    });
    let subscriber = tracing_subscriber::registry().with(HclogLayer { level, sink });
    // Only fails if a subscriber is already installed, and then that one wins.
    let _ = tracing::subscriber::set_global_default(subscriber);
}

/// Terraform's level rules: the provider variable wins over `TF_LOG`; TRACE, DEBUG, INFO,
/// WARN, ERROR (any case) are levels, OFF is off, JSON and anything invalid mean TRACE,
/// unset or empty means off (`None`).
pub fn level_from_env(tf_log_provider: Option<&str>, tf_log: Option<&str>) -> Option<LevelFilter> {
    let value = [tf_log_provider, tf_log]
        .into_iter()
        .flatten()
        .map(str::trim)
        .find(|v| !v.is_empty())?;
    let level = match value.to_ascii_uppercase().as_str() {
        "OFF" => return None,
        "ERROR" => Level::ERROR,
        "WARN" => Level::WARN,
        "INFO" => Level::INFO,
        "DEBUG" => Level::DEBUG,
        _ => Level::TRACE,
    };
    Some(LevelFilter::from_level(level))
}

/// Where finished lines go: stderr in the binary, a buffer in tests.
type Sink = Box<dyn Fn(&str) + Send + Sync>;

/// Writes events as hclog JSON lines to its sink.
struct HclogLayer {
    level: LevelFilter,
    sink: Sink,
}

/// Fields recorded on a span, stored in its extensions and copied into every event inside.
struct SpanFields(Map<String, Json>);

impl HclogLayer {
    fn wants(&self, meta: &Metadata<'_>) -> bool {
        // Our own spans are always recorded so events keep their `rpc`/`type_name` context.
        if meta.is_span() {
            return is_ours(meta.target());
        }
        // Dependencies (h2, hyper, tonic, rustls) are very chatty below WARN.
        let ceiling = if is_ours(meta.target()) {
            self.level
        } else {
            self.level.min(LevelFilter::WARN)
        };
        meta.level() <= &ceiling
    }
}

fn is_ours(target: &str) -> bool {
    target.starts_with("ehpc") || target.starts_with("terraform_provider_ehpc")
}

impl<S> Layer<S> for HclogLayer
where
    S: Subscriber + for<'a> LookupSpan<'a>,
{
    fn enabled(&self, meta: &Metadata<'_>, _ctx: Context<'_, S>) -> bool {
        self.wants(meta)
    }

    fn on_new_span(
        &self,
        attrs: &tracing::span::Attributes<'_>,
        id: &tracing::span::Id,
        ctx: Context<'_, S>,
    ) {
        let mut fields = JsonVisitor::default();
        attrs.record(&mut fields);
        if let Some(span) = ctx.span(id) {
            span.extensions_mut().insert(SpanFields(fields.fields));
        }
    }

    fn on_record(
        &self,
        id: &tracing::span::Id,
        values: &tracing::span::Record<'_>,
        ctx: Context<'_, S>,
    ) {
        let Some(span) = ctx.span(id) else { return };
        let mut ext = span.extensions_mut();
        if let Some(SpanFields(map)) = ext.get_mut::<SpanFields>() {
            let mut fields = JsonVisitor {
                fields: std::mem::take(map),
                message: None,
            };
            values.record(&mut fields);
            *map = fields.fields;
        }
    }

    fn on_event(&self, event: &Event<'_>, ctx: Context<'_, S>) {
        let mut fields = Map::new();
        if let Some(scope) = ctx.event_scope(event) {
            for span in scope.from_root() {
                if let Some(SpanFields(map)) = span.extensions().get::<SpanFields>() {
                    fields.extend(map.iter().map(|(k, v)| (k.clone(), v.clone())));
                }
            }
        }
        let mut visitor = JsonVisitor {
            fields,
            message: None,
        };
        event.record(&mut visitor);
        let meta = event.metadata();
        let line = format_line(
            *meta.level(),
            visitor.message.as_deref().unwrap_or_default(),
            meta.target(),
            OffsetDateTime::now_utc(),
            visitor.fields,
        );
        (self.sink)(&line);
    }
}

/// One hclog JSON line (with its newline). Extra fields never override the `@` keys.
fn format_line(
    level: Level,
    message: &str,
    target: &str,
    at: OffsetDateTime,
    fields: Map<String, Json>,
) -> String {
    let level = match level {
        Level::TRACE => "trace",
        Level::DEBUG => "debug",
        Level::INFO => "info",
        Level::WARN => "warn",
        Level::ERROR => "error",
    };
    let module = if target.is_empty() {
        "provider".to_string()
    } else {
        format!("provider.{}", target.replace("::", "."))
    };
    let timestamp = at
        .to_offset(time::UtcOffset::UTC)
        .format(TIMESTAMP)
        .unwrap_or_default();
    let mut obj = Map::new();
    obj.insert("@level".into(), level.into());
    obj.insert("@message".into(), message.into());
    obj.insert("@module".into(), module.into());
    if !timestamp.is_empty() {
        obj.insert("@timestamp".into(), timestamp.into());
    }
    for (k, v) in fields {
        if !k.starts_with('@') {
            obj.insert(k, v);
        }
    }
    let mut line = Json::Object(obj).to_string();
    line.push('\n');
    line
}

/// Collects tracing fields as JSON values; the `message` field becomes `@message`.
#[derive(Default)]
struct JsonVisitor {
    fields: Map<String, Json>,
    message: Option<String>,
}

impl JsonVisitor {
    fn put(&mut self, field: &Field, value: Json) {
        if field.name() == "message" {
            self.message = Some(match value {
                Json::String(s) => s,
                other => other.to_string(),
            });
        } else {
            self.fields.insert(field.name().to_string(), value);
        }
    }
}

impl Visit for JsonVisitor {
    fn record_str(&mut self, field: &Field, value: &str) {
        self.put(field, value.into());
    }
    fn record_bool(&mut self, field: &Field, value: bool) {
        self.put(field, value.into());
    }
    fn record_i64(&mut self, field: &Field, value: i64) {
        self.put(field, value.into());
    }
    fn record_u64(&mut self, field: &Field, value: u64) {
        self.put(field, value.into());
    }
    fn record_f64(&mut self, field: &Field, value: f64) {
        // NaN and infinities have no JSON number form.
        let v = serde_json::Number::from_f64(value)
            .map_or_else(|| value.to_string().into(), Json::Number);
        self.put(field, v);
    }
    fn record_error(&mut self, field: &Field, value: &(dyn std::error::Error + 'static)) {
        self.put(field, value.to_string().into());
    }
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        self.put(field, format!("{value:?}").into());
    }
}

#[cfg(test)]
mod tests;
