//! One error type for the library. Every variant says *what* went wrong and
//! *where* (file, line, offset), because our users feed us whatever their
//! scrapers produce and need to find the bad record fast.

use std::fmt;
use std::path::{Path, PathBuf};

/// Where in the input a problem sits: a file and, when known, a 1-based line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    pub file: PathBuf,
    pub line: Option<usize>,
}

impl Location {
    pub fn file(file: &Path) -> Self {
        Location { file: file.to_path_buf(), line: None }
    }
    pub fn line(file: &Path, line: usize) -> Self {
        Location { file: file.to_path_buf(), line: Some(line) }
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(l) => write!(f, "{}:{}", self.file.display(), l),
            None => write!(f, "{}", self.file.display()),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A file could not be opened, read or written.
    #[error("{path}: {action}: {source}")]
    Io { path: PathBuf, action: &'static str, source: std::io::Error },

    /// A record in a corpus or article is malformed.
    #[error("{at}: {problem}")]
    Input { at: Location, problem: String },

    /// A model bundle is missing, corrupt, or of another version.
    #[error("model {path}: {problem}")]
    Model { path: PathBuf, problem: String },

    /// Options that do not make sense together, or out of range.
    #[error("invalid option: {0}")]
    Params(String),

    /// Training could not produce a model.
    #[error("training failed: {0}")]
    Train(String),

    /// A pretrained encoder is unknown, missing, damaged, or failed to run.
    #[error("encoder {name}: {problem}")]
    Encoder { name: String, problem: String },
}

pub type Result<T> = std::result::Result<T, Error>;

impl Error {
    pub fn io(path: &Path, action: &'static str, source: std::io::Error) -> Self {
        Error::Io { path: path.to_path_buf(), action, source }
    }
    pub fn input(at: Location, problem: impl Into<String>) -> Self {
        Error::Input { at, problem: problem.into() }
    }
    pub fn model(path: &Path, problem: impl Into<String>) -> Self {
        Error::Model { path: path.to_path_buf(), problem: problem.into() }
    }
    pub fn encoder(name: &str, problem: impl Into<String>) -> Self {
        Error::Encoder { name: name.to_string(), problem: problem.into() }
    }
}
