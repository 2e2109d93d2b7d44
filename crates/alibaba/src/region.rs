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

#[cfg(test)]
mod tests;
