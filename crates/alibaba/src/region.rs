// SPDX-License-Identifier: MPL-2.0
//! What a region id looks like. One rule for everyone: the provider validates `region` and
//! `target_region_ids` with it, and the client checks it again before a region id becomes
//! part of a host name.

/// The longest region id accepted (real ones are under 20 characters; a host label allows 63).
const MAX_LEN: usize = 63;

/// True for region ids such as `cn-hangzhou`, `ap-southeast-1` or `cn-wulanchabu`:
/// `^[a-z]{2,}(-[a-z0-9]+)+$`, at most 63 characters. Anything else could not be a region,
/// and could not be put into a host name safely.
pub fn is_region_id(s: &str) -> bool {
    let mut parts = s.split('-');
    let head_ok = parts
        .next()
        .is_some_and(|p| p.len() >= 2 && p.bytes().all(|b| b.is_ascii_lowercase()));
    let mut rest = parts.peekable();
    s.len() <= MAX_LEN
        && head_ok
        && rest.peek().is_some()
        && rest.all(|p| {
            !p.is_empty()
                && p.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        })
}

/// The regions the EhpcInstant endpoint page lists (docs §2). Not a limit: new regions
/// appear, so an id outside it earns a warning with [`nearest_known`], never an error.
pub const KNOWN_REGIONS: &[&str] = &[
    "cn-beijing",
    "cn-wulanchabu",
    "cn-hangzhou",
    "cn-shanghai",
    "cn-shenzhen",
    "cn-heyuan",
    "cn-guangzhou",
    "cn-chengdu",
    "cn-hongkong",
    "ap-southeast-1",
    "ap-northeast-1",
    "ap-southeast-5",
    "ap-northeast-2",
    "ap-southeast-3",
];

/// Whether `id` is in [`KNOWN_REGIONS`].
pub fn is_known(id: &str) -> bool {
    KNOWN_REGIONS.contains(&id)
}

/// The known region closest to `id` by edit distance, when it is close enough to be a typo
/// (at most a third of the id's length, and at least 1): `cn-shangai` -> `cn-shanghai`.
/// `None` for a known id or one that resembles none (a new region, most likely).
pub fn nearest_known(id: &str) -> Option<&'static str> {
    if is_known(id) {
        return None;
    }
    let limit = (id.chars().count() / 3).max(1);
    KNOWN_REGIONS
        .iter()
        .map(|known| (edit_distance(id, known), *known))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, _)| *d)
        .map(|(_, known)| known)
}

/// Levenshtein distance (insertions, deletions and substitutions of one character each).
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut current = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let substitution = previous[j] + usize::from(ca != *cb);
            current[j + 1] = substitution.min(previous[j + 1] + 1).min(current[j] + 1);
        }
        previous = current;
    }
    previous[b.len()]
}

#[cfg(test)]
mod tests;
