// SPDX-License-Identifier: MPL-2.0
//! Registry-style documentation (docs/index.md, docs/resources/*.md, docs/data-sources/*.md)
//! rendered from the provider's own schema and the files under examples/, so descriptions live
//! in one place.
//!
//! `cargo test --test docs` fails when docs/ is stale; `UPDATE_DOCS=1 cargo test --test docs`
//! (or `make docs`) rewrites it.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use ehpc::engine::Provider;
use ehpc::protocol::{Attribute, Block, NestingMode};
use ehpc::value::Type;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn example(rel: &str) -> String {
    let path = root().join("examples").join(rel);
    std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{} is needed for the docs: {e}", path.display()))
}

/// The example at `rel` under examples/, if there is one.
fn optional_example(rel: &str) -> Option<String> {
    std::fs::read_to_string(root().join("examples").join(rel)).ok()
}

fn type_name(ty: &Type) -> String {
    match ty {
        Type::String => "String".into(),
        Type::Number => "Number".into(),
        Type::Bool => "Boolean".into(),
        Type::Dynamic => "Dynamic".into(),
        Type::List(t) => format!("List of {}", type_name(t)),
        Type::Set(t) => format!("Set of {}", type_name(t)),
        Type::Map(t) => format!("Map of {}", type_name(t)),
        Type::Object(_) => "Object".into(),
        Type::Tuple(_) => "Tuple".into(),
    }
}

fn attribute_line(a: &Attribute) -> String {
    let mut kind =
        a.ty.as_ref()
            .map(type_name)
            .unwrap_or_else(|| "Dynamic".into());
    if a.sensitive {
        kind.push_str(", Sensitive");
    }
    if a.write_only {
        kind.push_str(", Write-only");
    }
    if a.deprecated {
        kind.push_str(", Deprecated");
    }
    format!("- `{}` ({kind}) {}\n", a.name, a.description.trim())
}

/// Renders one block the way tfplugindocs does: Required / Optional / Read-Only sections,
/// then one "Nested Schema" section per nested block.
/// A docs section title and which attributes it lists.
type Section = (&'static str, fn(&Attribute) -> bool);

fn render_block(out: &mut String, block: &Block, anchor_prefix: &str) {
    let sections: [Section; 3] = [
        ("Required", |a| a.required),
        ("Optional", |a| a.optional),
        ("Read-Only", |a| a.computed && !a.optional),
    ];
    for (title, pick) in sections {
        let attrs: Vec<&Attribute> = block.attributes.iter().filter(|a| pick(a)).collect();
        let blocks: Vec<_> = block
            .block_types
            .iter()
            .filter(|nb| (title == "Required") == (nb.min_items > 0) && title != "Read-Only")
            .collect();
        if attrs.is_empty() && blocks.is_empty() {
            continue;
        }
        // Top-level sections are headings; nested ones are labels, as tfplugindocs renders them.
        if anchor_prefix.is_empty() {
            let _ = writeln!(out, "### {title}\n");
        } else {
            let _ = writeln!(out, "{title}:\n");
        }
        for a in attrs {
            out.push_str(&attribute_line(a));
        }
        for nb in blocks {
            let nesting = match nb.nesting {
                NestingMode::Single | NestingMode::Group => "Block".to_string(),
                NestingMode::List if nb.max_items > 0 => {
                    format!("Block List, Max: {}", nb.max_items)
                }
                NestingMode::List => "Block List".to_string(),
                NestingMode::Set => "Block Set".to_string(),
                NestingMode::Map => "Block Map".to_string(),
            };
            let anchor = format!("{anchor_prefix}{}", nb.type_name);
            let _ = writeln!(
                out,
                "- `{}` ({nesting}) {} (see [below for nested schema](#nestedblock--{anchor}))",
                nb.type_name,
                nb.block.description.trim()
            );
        }
        out.push('\n');
    }
    for nb in &block.block_types {
        let anchor = format!("{anchor_prefix}{}", nb.type_name);
        let _ = writeln!(out, "<a id=\"nestedblock--{anchor}\"></a>");
        let _ = writeln!(
            out,
            "### Nested Schema for `{}`\n",
            anchor.replace("--", ".")
        );
        render_block(out, &nb.block, &format!("{anchor}--"));
    }
}

fn frontmatter(title: &str, description: &str) -> String {
    let first_line = description.lines().next().unwrap_or_default();
    format!("---\npage_title: \"{title}\"\ndescription: |-\n  {first_line}\n---\n\n")
}

fn render_provider(provider: &ehpc::provider::EhpcProvider) -> String {
    let schema = provider.schema();
    let mut out = frontmatter("Provider: ehpc", &schema.block.description);
    let _ = writeln!(
        out,
        "# ehpc Provider\n\n{}\n",
        schema.block.description.trim()
    );
    let _ = writeln!(
        out,
        "## Example Usage\n\n```terraform\n{}```\n",
        example("provider/provider.tf")
    );
    out.push_str("## Schema\n\n");
    render_block(&mut out, &schema.block, "");
    out
}

fn render_resource(r: &dyn ehpc::engine::Resource<ehpc::provider::ProviderData>) -> String {
    let schema = r.schema();
    let name = r.type_name();
    let mut out = frontmatter(
        &format!("{name} Resource - ehpc"),
        &schema.block.description,
    );
    let _ = writeln!(
        out,
        "# {name} (Resource)\n\n{}\n",
        schema.block.description.trim()
    );
    let dir = format!("resources/{name}");
    let _ = writeln!(
        out,
        "## Example Usage\n\n```terraform\n{}```\n",
        example(&format!("{dir}/resource.tf"))
    );
    out.push_str("## Schema\n\n");
    render_block(&mut out, &schema.block, "");
    let _ = writeln!(
        out,
        "## Import\n\nImport is supported using the following syntax:\n"
    );
    let _ = writeln!(
        out,
        "```shell\n{}```\n",
        example(&format!("{dir}/import.sh"))
    );
    let _ = writeln!(
        out,
        "Or with an `import` block:\n\n```terraform\n{}```",
        example(&format!("{dir}/import.tf"))
    );
    out
}

/// A data source page, as tfplugindocs renders one: no import section, and the example from
/// examples/data-sources/<type>/data-source.tf when there is one.
fn render_data_source(d: &dyn ehpc::engine::DataSource<ehpc::provider::ProviderData>) -> String {
    let schema = d.schema();
    let name = d.type_name();
    let mut out = frontmatter(
        &format!("{name} Data Source - ehpc"),
        &schema.block.description,
    );
    let _ = writeln!(
        out,
        "# {name} (Data Source)\n\n{}\n",
        schema.block.description.trim()
    );
    if let Some(example) = optional_example(&format!("data-sources/{name}/data-source.tf")) {
        let _ = writeln!(out, "## Example Usage\n\n```terraform\n{example}```\n");
    }
    out.push_str("## Schema\n\n");
    render_block(&mut out, &schema.block, "");
    out
}

fn rendered() -> Vec<(PathBuf, String)> {
    let provider = ehpc::provider::EhpcProvider::new();
    let mut files = vec![(PathBuf::from("docs/index.md"), render_provider(&provider))];
    for r in ehpc::registry::resources() {
        let short = r.type_name().trim_start_matches("ehpc_").to_string();
        files.push((
            PathBuf::from(format!("docs/resources/{short}.md")),
            render_resource(r.as_ref()),
        ));
    }
    for d in ehpc::registry::data_sources() {
        let short = d.type_name().trim_start_matches("ehpc_").to_string();
        files.push((
            PathBuf::from(format!("docs/data-sources/{short}.md")),
            render_data_source(d.as_ref()),
        ));
    }
    files
}

fn check_or_update(path: &Path, want: &str) -> Option<String> {
    let full = root().join(path);
    if std::env::var_os("UPDATE_DOCS").is_some() {
        if let Some(dir) = full.parent() {
            std::fs::create_dir_all(dir).expect("create docs dir");
        }
        std::fs::write(&full, want).expect("write docs");
        return None;
    }
    match std::fs::read_to_string(&full) {
        Ok(have) if have == want => None,
        _ => Some(path.display().to_string()),
    }
}

#[test]
fn docs_are_generated_from_the_schema_and_up_to_date() {
    let stale: Vec<String> = rendered()
        .iter()
        .filter_map(|(path, want)| check_or_update(path, want))
        .collect();
    assert!(
        stale.is_empty(),
        "docs are stale: {stale:?}; run `make docs` (UPDATE_DOCS=1 cargo test --test docs)"
    );
}

#[test]
fn every_attribute_is_documented() {
    fn walk(block: &Block, at: &str, missing: &mut Vec<String>) {
        for a in &block.attributes {
            if a.description.trim().is_empty() {
                missing.push(format!("{at}{}", a.name));
            }
        }
        for nb in &block.block_types {
            walk(&nb.block, &format!("{at}{}.", nb.type_name), missing);
        }
    }
    let provider = ehpc::provider::EhpcProvider::new();
    let mut missing = Vec::new();
    walk(&provider.schema().block, "provider.", &mut missing);
    for r in ehpc::registry::resources() {
        walk(
            &r.schema().block,
            &format!("{}.", r.type_name()),
            &mut missing,
        );
    }
    for d in ehpc::registry::data_sources() {
        walk(
            &d.schema().block,
            &format!("data.{}.", d.type_name()),
            &mut missing,
        );
    }
    assert!(
        missing.is_empty(),
        "attributes without a description: {missing:?}"
    );
}

/// No data source is registered yet, so this renders a stand-in to pin the page's shape.
#[test]
fn data_source_pages_have_schema_sections_and_no_import() {
    use ehpc::engine::{DataSource, ReadDataRequest, ReadDataResponse};
    use ehpc::protocol::Schema;

    struct Lookup;
    #[async_trait::async_trait]
    impl DataSource<ehpc::provider::ProviderData> for Lookup {
        fn type_name(&self) -> &'static str {
            "ehpc_docs_lookup"
        }
        fn schema(&self) -> Schema {
            let block = Block {
                description: "Looks an app up.".into(),
                attributes: vec![
                    Attribute::new("name", Type::String, "The app name.").required(),
                    Attribute::new("id", Type::String, "The app ID.").computed(),
                ],
                ..Block::default()
            };
            Schema { version: 0, block }
        }
        async fn read(
            &self,
            _req: ReadDataRequest<ehpc::provider::ProviderData>,
            _resp: &mut ReadDataResponse,
        ) {
        }
    }

    let page = render_data_source(&Lookup);
    let want = "---\npage_title: \"ehpc_docs_lookup Data Source - ehpc\"\ndescription: |-\n  \
                Looks an app up.\n---\n\n# ehpc_docs_lookup (Data Source)\n\nLooks an app up.\n\n\
                ## Schema\n\n### Required\n\n- `name` (String) The app name.\n\n\
                ### Read-Only\n\n- `id` (String) The app ID.\n\n";
    assert_eq!(page, want);
}
