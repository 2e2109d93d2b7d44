// SPDX-License-Identifier: MPL-2.0
//! What a copy's `Status` word means. No SDK model or document lists the words EhpcInstant
//! uses, so this table is seeded from the nearest documented model, ECS image status (which
//! alicloud's `alicloud_image_copy` waits on), plus clear synonyms. A word not in the table is
//! [`CopyStatus::Unknown`], kept verbatim: callers decide what it means for them, and nothing
//! here ever treats it as failed or as something to wait for.

/// The class of a copy's status.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CopyStatus {
    /// The copy can be used.
    Ready,
    /// The copy is being made.
    Pending,
    /// Making the copy failed, or the copy is unusable.
    Failed,
    /// A word this table does not know, as the service sent it.
    Unknown(String),
}

/// Lower-case status words and their class. ECS: `Available`; `Creating`, `Waiting`;
/// `CreateFailed`, `UnAvailable`. The rest are synonyms a service could plausibly use.
const TABLE: &[(&str, CopyStatus)] = &[
    ("available", CopyStatus::Ready),
    ("creating", CopyStatus::Pending),
    ("waiting", CopyStatus::Pending),
    ("copying", CopyStatus::Pending),
    ("synchronizing", CopyStatus::Pending),
    ("pending", CopyStatus::Pending),
    ("createfailed", CopyStatus::Failed),
    ("unavailable", CopyStatus::Failed),
    ("failed", CopyStatus::Failed),
];

impl CopyStatus {
    /// Classifies a status word, ignoring case and surrounding white space.
    pub fn classify(status: &str) -> CopyStatus {
        let word = status.trim().to_ascii_lowercase();
        TABLE.iter().find(|(known, _)| *known == word).map_or_else(
            || CopyStatus::Unknown(status.to_string()),
            |(_, class)| class.clone(),
        )
    }

    /// True for a copy that exists or is on its way (ready or pending): synchronizing that
    /// region again would answer `ImageAlreadyExists`.
    pub fn is_live(&self) -> bool {
        matches!(self, CopyStatus::Ready | CopyStatus::Pending)
    }
}

#[cfg(test)]
mod tests;
