//! `${XDG_DATA_HOME:-$HOME/.local/share}/stance`: where installed models
//! (`models/`) and fetched encoders (`encoders/`) live, shared by
//! [`crate::catalog`] and [`crate::encoder::store`].

use std::path::PathBuf;

/// The folder, or `None` when neither variable is set.
pub fn data_home() -> Option<PathBuf> {
    let base = match std::env::var_os("XDG_DATA_HOME").filter(|d| !d.is_empty()) {
        Some(d) => PathBuf::from(d),
        None => PathBuf::from(std::env::var_os("HOME").filter(|d| !d.is_empty())?).join(".local/share"),
    };
    Some(base.join("stance"))
}
