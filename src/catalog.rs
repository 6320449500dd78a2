//! Where models are found, so that an installed binary works anywhere.
//!
//! The default model, `newsmtsc` (sparse and fast, 2.8 MB), is compiled
//! into the binary and loaded through [`Bundle::from_memory`], with the same
//! checks as from disk. Other models are bundle folders, chosen by
//!
//! 1. `--model DIR|NAME` (the library's and Python's `path`);
//! 2. else `$STANCE_MODEL` (a folder or a name);
//! 3. else the built-in `newsmtsc`.
//!
//! A value that names an existing path is that folder. A bare NAME (no
//! `/`) that is not a path is looked up, in order, in
//!
//! 1. `${XDG_DATA_HOME:-$HOME/.local/share}/stance/models/NAME` (where
//!    `stance models install DIR` puts bundles);
//! 2. `models/NAME` beside the executable;
//! 3. `newsmtsc`: the built-in model.
//!
//! `stance models` lists what these places hold and which is the default.
//! Encoder models also need their encoder, found as
//! [`crate::encoder::store`] says.

use std::path::{Path, PathBuf};

use crate::bundle::{Bundle, Meta};
use crate::error::{Error, Result};

/// The name of the model compiled into the binary.
pub const BUILTIN: &str = "newsmtsc";
/// The environment variable that overrides the default model.
pub const ENV: &str = "STANCE_MODEL";

/// `models/newsmtsc`, as it was when this binary was built.
const BUILTIN_FILES: [(&str, &[u8]); 3] = [
    ("bundle.json", include_bytes!("../models/newsmtsc/bundle.json")),
    ("weights.bin", include_bytes!("../models/newsmtsc/weights.bin")),
    ("tokenizer.json", include_bytes!("../models/newsmtsc/tokenizer.json")),
];

/// Where a model comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// Compiled into the binary.
    BuiltIn,
    /// A bundle folder.
    Dir(PathBuf),
}

/// How the built-in model is named in messages and in `Bundle::path`.
pub fn builtin_label() -> PathBuf {
    PathBuf::from(format!("{BUILTIN} (built in)"))
}

/// Load the built-in model, checked like any bundle.
pub fn load_builtin() -> Result<Bundle> {
    Bundle::from_memory(&builtin_label(), &BUILTIN_FILES)
}

/// Load the model `model` names (`--model`), else `$STANCE_MODEL`'s, else
/// the built-in one.
pub fn load(model: Option<&Path>) -> Result<Bundle> {
    match resolve(model)? {
        Source::BuiltIn => load_builtin(),
        Source::Dir(d) => Bundle::load(&d),
    }
}

/// Which model `model` (`--model`), else `$STANCE_MODEL`, else the
/// default names; an error that says where we looked when none is found.
pub fn resolve(model: Option<&Path>) -> Result<Source> {
    let env = std::env::var_os(ENV).filter(|v| !v.is_empty()).map(PathBuf::from);
    match (model, env) {
        (Some(m), _) => find(m, "--model"),
        (None, Some(e)) => find(&e, &format!("${ENV}")),
        (None, None) => Ok(Source::BuiltIn),
    }
}

/// Where `stance models install` puts bundles.
pub fn install_dir() -> Option<PathBuf> {
    crate::data_dir::data_home().map(|d| d.join("models"))
}

/// The folders searched for a model NAME, in order (see the module docs).
pub fn search_dirs() -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = install_dir().into_iter().collect();
    if let Some(exe_dir) = std::env::current_exe().ok().and_then(|e| e.parent().map(Path::to_path_buf)) {
        dirs.push(exe_dir.join("models"));
    }
    dirs
}

fn is_bundle_dir(d: &Path) -> bool {
    d.join("bundle.json").is_file()
}

/// A bare name: one normal path component, nothing to resolve against the
/// working directory.
fn bare_name(spec: &Path) -> Option<&str> {
    let s = spec.to_str()?;
    (!s.is_empty() && !s.contains('/') && s != "." && s != "..").then_some(s)
}

fn find(spec: &Path, from: &str) -> Result<Source> {
    if std::fs::symlink_metadata(spec).is_ok() {
        return Ok(Source::Dir(spec.to_path_buf()));
    }
    let dirs = search_dirs();
    if let Some(name) = bare_name(spec) {
        if let Some(d) = dirs.iter().map(|d| d.join(name)).find(|d| is_bundle_dir(d)) {
            return Ok(Source::Dir(d));
        }
        if name == BUILTIN {
            return Ok(Source::BuiltIn);
        }
    }
    let looked: Vec<String> = dirs.iter().map(|d| d.display().to_string()).collect();
    Err(Error::model(
        spec,
        format!(
            "not found (from {from}): no such folder, nor a model of that name in {}; give a bundle folder with --model DIR or set ${ENV}, install one with `stance models install DIR`, or leave both unset for the built-in {BUILTIN}",
            looked.join(", ")
        ),
    ))
}

/// One model `stance models` lists.
#[derive(Debug, Clone)]
pub struct Listed {
    pub name: String,
    pub source: Source,
    /// Whether it is the model used without `--model`.
    pub default: bool,
    /// An earlier folder of the search order holds a model of this name.
    pub shadowed: bool,
    /// The encoder it needs, with where it was found or why not.
    pub encoder: Option<(String, std::result::Result<PathBuf, String>)>,
    /// Why the bundle cannot be loaded, when its files fail their checks.
    pub damaged: Option<String>,
}

/// Every model in the search folders, then the built-in one.
pub fn list() -> Vec<Listed> {
    let default = resolve(None).ok();
    let mut out: Vec<Listed> = Vec::new();
    let mut seen: Vec<String> = Vec::new();
    for dir in search_dirs() {
        let Ok(entries) = std::fs::read_dir(&dir) else { continue };
        let mut found: Vec<(String, PathBuf)> = entries
            .flatten()
            .map(|e| (e.file_name().to_string_lossy().into_owned(), e.path()))
            .filter(|(n, p)| !n.starts_with('.') && is_bundle_dir(p))
            .collect();
        found.sort();
        for (name, path) in found {
            let (encoder, damaged) = match Bundle::verify_dir(&path) {
                Ok((meta, _)) => (encoder_of(&meta), None),
                Err(e) => (None, Some(e.to_string())),
            };
            let source = Source::Dir(path);
            out.push(Listed { default: default.as_ref() == Some(&source), shadowed: seen.contains(&name), name: name.clone(), source, encoder, damaged });
            seen.push(name);
        }
    }
    out.push(Listed {
        name: BUILTIN.into(),
        default: default == Some(Source::BuiltIn),
        shadowed: seen.iter().any(|n| n == BUILTIN),
        source: Source::BuiltIn,
        encoder: None,
        damaged: load_builtin().err().map(|e| e.to_string()),
    });
    out
}

fn encoder_of(meta: &Meta) -> Option<(String, std::result::Result<PathBuf, String>)> {
    let name = &meta.features.encoder.as_ref()?.name;
    let found = crate::encoder::store::known(name).and_then(crate::encoder::store::find).map_err(|e| e.to_string());
    Some((name.clone(), found))
}

/// `stance models`: the search order, then one line per model found.
pub fn render_list(models: &[Listed]) -> String {
    let mut s = String::from("Models, in the order a name is looked up (--model NAME or $STANCE_MODEL=NAME):\n");
    for d in search_dirs() {
        s.push_str(&format!("  {}\n", d.display()));
    }
    s.push_str(&format!("  built in: {BUILTIN}\n"));
    match std::env::var_os(ENV).filter(|v| !v.is_empty()) {
        Some(v) => s.push_str(&format!("Default (${ENV}): {}\n\n", v.to_string_lossy())),
        None => s.push_str(&format!("Default: the built-in {BUILTIN} (set ${ENV} or give --model to change)\n\n")),
    }
    let width = models.iter().map(|m| m.name.len()).max().unwrap_or(0);
    for m in models {
        let at = match &m.source {
            Source::BuiltIn => "built into this binary".to_string(),
            Source::Dir(d) => d.display().to_string(),
        };
        let mut notes: Vec<String> = Vec::new();
        if m.default {
            notes.push("default".into());
        }
        if m.shadowed {
            notes.push("shadowed by an earlier folder".into());
        }
        match &m.encoder {
            Some((name, Ok(_))) => notes.push(format!("needs encoder {name} (found)")),
            Some((name, Err(why))) => notes.push(format!("needs encoder {name}, which is missing: {why}")),
            None => {}
        }
        if let Some(why) = &m.damaged {
            notes.push(format!("DAMAGED: {why}"));
        }
        let notes = if notes.is_empty() { String::new() } else { format!("  [{}]", notes.join("; ")) };
        s.push_str(&format!("{:width$}  {at}{notes}\n", m.name));
    }
    s
}

/// `stance models install DIR [--name NAME]`: verify the bundle at `src`,
/// then copy it into [`install_dir`] as one new folder. Never replaces
/// anything: an existing folder of that name is refused.
pub fn install(src: &Path, name: Option<&str>) -> Result<PathBuf> {
    let name = match name {
        Some(n) => n.to_string(),
        None => src
            .canonicalize()
            .ok()
            .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
            .ok_or_else(|| Error::model(src, "has no folder name; give one with --name"))?,
    };
    if bare_name(Path::new(&name)).is_none() || name.starts_with('.') {
        return Err(Error::Params(format!("--name {name:?}: a model name is one folder name, without '/' and not starting with '.'")));
    }
    let (_, files) = Bundle::verify_dir(src)?;
    let root = install_dir().ok_or_else(|| Error::Params("neither $XDG_DATA_HOME nor $HOME is set: nowhere to install models".into()))?;
    std::fs::create_dir_all(&root).map_err(|e| Error::io(&root, "create directory", e))?;
    let dest = root.join(&name);
    let files: Vec<(&str, &[u8])> = files.iter().map(|(n, b)| (*n, b.as_slice())).collect();
    let exists = "already exists; `stance models install` never replaces a folder: remove it yourself, or install under another --name";
    crate::atomic::create_dir_new(&dest, &files, exists)?;
    Ok(dest)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_builtin_model_is_the_shipped_folder_and_passes_its_checks() {
        let shipped = Path::new(env!("CARGO_MANIFEST_DIR")).join("models").join(BUILTIN);
        for (name, bytes) in BUILTIN_FILES {
            assert_eq!(std::fs::read(shipped.join(name)).unwrap(), bytes, "{name}");
        }
        let b = load_builtin().unwrap();
        assert_eq!(b.path, builtin_label());
        assert_eq!(b.meta, Bundle::load(&shipped).unwrap().meta);
    }

    #[test]
    fn a_damaged_builtin_is_refused_by_the_same_checks() {
        let mut weights = BUILTIN_FILES[1].1.to_vec();
        weights[100] ^= 1;
        let files = [BUILTIN_FILES[0], ("weights.bin", &weights[..]), BUILTIN_FILES[2]];
        let e = Bundle::from_memory(&builtin_label(), &files).err().unwrap().to_string();
        assert!(e.contains("weights.bin: checksum mismatch"), "{e}");
        let e = Bundle::from_memory(&builtin_label(), &files[..1]).err().unwrap().to_string();
        assert!(e.contains("weights.bin"), "{e}");
    }

    #[test]
    fn bare_names_are_single_components() {
        assert_eq!(bare_name(Path::new("newsmtsc-minilm")), Some("newsmtsc-minilm"));
        for p in ["models/newsmtsc", "/abs", ".", "..", ""] {
            assert_eq!(bare_name(Path::new(p)), None, "{p}");
        }
    }
}
