//! Where an output file may go. `stance` never overwrites a file it reads
//! or a model: an output path is compared with every input and model folder
//! by device and inode (so another spelling, a symbolic link on the way or
//! a hard link is caught), and a symbolic link or special file at the
//! output path is refused rather than replaced.

use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};

use crate::corpus::Format;
use crate::error::{Error, Location, Result};

/// Device and inode: one file, however it is spelled.
#[derive(Clone, Copy, PartialEq, Eq)]
struct FileId(u64, u64);

fn id_of(p: &Path) -> Option<FileId> {
    std::fs::metadata(p).ok().map(|m| FileId(m.dev(), m.ino()))
}

/// Every file a corpus reader opens for `path`: the file, and for
/// TweetEval its labels file and `mapping.txt`.
pub fn corpus_inputs(format: Format, path: &Path) -> Vec<PathBuf> {
    let mut out = vec![path.to_path_buf()];
    if format == Format::Tweeteval {
        out.extend(crate::corpus::tweeteval::companions(path));
    }
    out
}

/// Refuse `out` (named by option `option`) as an output when it is a
/// symbolic link or not a regular file, is one of `inputs`, or lies inside
/// one of the model folders `models`.
pub fn check_output_file(option: &str, out: &Path, inputs: &[PathBuf], models: &[&Path]) -> Result<()> {
    let refuse = |why: String| Err(Error::input(Location::file(out), format!("{option}: {why}")));
    match std::fs::symlink_metadata(out) {
        Ok(m) if m.file_type().is_symlink() => {
            return refuse("is a symbolic link; refusing to replace it (name the file it points to, or another file)".into());
        }
        Ok(m) if !m.is_file() => return refuse("exists and is not a regular file; refusing to replace it".into()),
        _ => {}
    }
    if let Some(mine) = id_of(out) {
        for input in inputs {
            if id_of(input) == Some(mine) {
                return refuse(format!("is the input file {}; refusing to overwrite it", input.display()));
            }
        }
    }
    // The folder the file would be written in, and every folder above it.
    let parent = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let Ok(parent) = parent.canonicalize() else { return Ok(()) };
    for model in models {
        let Some(model_id) = id_of(model) else { continue };
        if parent.ancestors().any(|a| id_of(a) == Some(model_id)) {
            return refuse(format!("is inside the model folder {}; refusing to write into a model", model.display()));
        }
    }
    Ok(())
}
