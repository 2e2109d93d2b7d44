// SPDX-License-Identifier: MPL-2.0
//! Tests of the wording helpers of diagnostics.

use super::*;

#[test]
fn quoted_lists() {
    assert_eq!(quoted_list::<&str>(&[]), "");
    assert_eq!(quoted_list(&["a"]), "\"a\"");
    assert_eq!(quoted_list(&["a", "b", "c"]), "\"a\", \"b\" and \"c\"");
}
