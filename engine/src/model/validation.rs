//! The API server's checks on the model's quantities: a negative request or
//! usage is refused, located at its path.

use alloc::collections::BTreeMap;
use alloc::string::String;

use crate::error::{Error, ErrorKind, Path};
use crate::quantity::Quantity;

/// `validation.IsNegativeErrorMsg` (apimachinery), the API server's words
/// for a negative quantity.
pub const IS_NEGATIVE: &str = "must be greater than or equal to 0";

/// `ValidateNonnegativeQuantity` (`pkg/apis/core/validation`): a problem at
/// `at.<resource>` for each negative quantity of `list`, added to `errs`.
pub(crate) fn negative_quantities(
    list: &BTreeMap<String, Quantity>,
    at: &Path,
    errs: &mut Option<Error>,
) {
    for (resource, q) in list {
        if q.signum() < 0 {
            add(
                errs,
                Error::new(
                    ErrorKind::Invalid,
                    at.child(resource),
                    alloc::format!("Invalid value: \"{q}\": {IS_NEGATIVE}"),
                ),
            );
        }
    }
}

/// Adds `e`'s problems to `errs`.
pub(crate) fn add(errs: &mut Option<Error>, e: Error) {
    *errs = Some(match errs.take() {
        Some(all) => all.join(e),
        None => e,
    });
}
