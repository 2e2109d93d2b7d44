// SPDX-License-Identifier: MPL-2.0
//! Attribute paths: where in a configuration or state a value (or a problem) lives.

/// One step of an [`AttributePath`].
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PathStep {
    /// An object attribute or nested block name.
    Attribute(String),
    /// A map key.
    ElementKeyString(String),
    /// A list or tuple index.
    ElementKeyInt(i64),
}

/// A path from the root object to a nested value, e.g. `timeouts.create`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct AttributePath {
    pub steps: Vec<PathStep>,
}

impl AttributePath {
    /// The empty path (the root object itself).
    pub fn root() -> Self {
        Self::default()
    }

    /// A path of a single top-level attribute.
    pub fn attribute(name: &str) -> Self {
        Self::root().attr(name)
    }

    /// This path extended by an attribute step.
    pub fn attr(&self, name: &str) -> Self {
        let mut p = self.clone();
        p.steps.push(PathStep::Attribute(name.to_string()));
        p
    }

    /// This path extended by a list/tuple index step.
    pub fn index(&self, i: i64) -> Self {
        let mut p = self.clone();
        p.steps.push(PathStep::ElementKeyInt(i));
        p
    }

    /// This path extended by a map key step.
    pub fn key(&self, k: &str) -> Self {
        let mut p = self.clone();
        p.steps.push(PathStep::ElementKeyString(k.to_string()));
        p
    }
}

impl std::fmt::Display for AttributePath {
    /// Renders `a.b[0]["k"]`; the root renders as `(root)`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.steps.is_empty() {
            return f.write_str("(root)");
        }
        for (i, step) in self.steps.iter().enumerate() {
            match step {
                PathStep::Attribute(name) if i == 0 => write!(f, "{name}")?,
                PathStep::Attribute(name) => write!(f, ".{name}")?,
                PathStep::ElementKeyString(k) => write!(f, "[{k:?}]")?,
                PathStep::ElementKeyInt(n) => write!(f, "[{n}]")?,
            }
        }
        Ok(())
    }
}
