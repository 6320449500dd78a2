//! Where encoder weights live, and how we know they are the ones we tested.
//!
//! Every encoder `stance` knows is pinned here: its files and their sha256.
//! A folder is looked up, in order, in
//!
//! 1. `$STANCE_ENCODERS/NAME/`;
//! 2. `${XDG_DATA_HOME:-$HOME/.local/share}/stance/encoders/NAME/` (where
//!    `scripts/fetch-encoder.sh NAME` stores what it fetches);
//! 3. `models/encoders/NAME/` in the source tree this binary was built from
//!    (all-MiniLM-L6-v2 is committed there, so a fresh clone works offline);
//! 4. `models/encoders/NAME/` beside the executable.
//!
//! The first folder that holds the encoder's `config.json` is used, and every
//! pinned file in it must match its sha256, or loading fails.

use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::error::{Error, Result};

/// The network families we implement.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Arch {
    /// BERT (`BertModel`): absolute positions, token types, LayerNorm eps 1e-12.
    Bert,
    /// MPNet (`MPNetModel`): a relative-position attention bias shared by all layers.
    MPNet,
}

/// A file and its sha256 (lowercase hex).
#[derive(Debug, Clone, Copy)]
pub struct Pinned {
    pub file: &'static str,
    pub sha256: &'static str,
}

/// One encoder we know how to run, with everything needed to trust its files.
#[derive(Debug)]
pub struct Known {
    /// The name users type (`--encoder NAME`) and the folder name.
    pub name: &'static str,
    pub arch: Arch,
    /// sha256 of the published `model.safetensors`: the encoder's identity,
    /// which bundles pin (the same whether we store it whole or in shards).
    pub sha256: &'static str,
    /// The weight files we read, in order; together they hold every tensor.
    pub weights: &'static [Pinned],
    pub config: Pinned,
    pub tokenizer: Pinned,
    /// The most tokens per sequence, special tokens included: the
    /// `max_seq_length` the sentence-transformers model was published with.
    pub max_tokens: usize,
    /// How to get the encoder when it is not found (`None`: it ships in git).
    pub fetch: Option<&'static str>,
}

pub const KNOWN: &[Known] = &[
    Known {
        name: "all-minilm-l6-v2",
        arch: Arch::Bert,
        sha256: "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db",
        // Split by scripts/split-safetensors.py (tensors byte-identical): see PROVENANCE.md.
        weights: &[
            Pinned {
                file: "model-00001-of-00002.safetensors",
                sha256: "dffc9905c421bfcfd93fad0a4ce3fe783e70912b0a2b59e294be256af2a0a175",
            },
            Pinned {
                file: "model-00002-of-00002.safetensors",
                sha256: "6bb13dfb521faf2be595a0ac9c9c32eafbeb40189c85330d2f58a5b0b740d8d7",
            },
        ],
        config: Pinned { file: "config.json", sha256: "953f9c0d463486b10a6871cc2fd59f223b2c70184f49815e7efbcab5d8908b41" },
        tokenizer: Pinned {
            file: "tokenizer.json",
            sha256: "be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037",
        },
        max_tokens: 256,
        fetch: None,
    },
    Known {
        name: "all-mpnet-base-v2",
        arch: Arch::MPNet,
        sha256: "78c0197b6159d92658e319bc1d72e4c73a9a03dd03815e70e555c5ef05615658",
        weights: &[Pinned {
            file: "model.safetensors",
            sha256: "78c0197b6159d92658e319bc1d72e4c73a9a03dd03815e70e555c5ef05615658",
        }],
        config: Pinned { file: "config.json", sha256: "d46a3e04ded82bba22528424480697d394eeda6a27484e08c5bb2bdf5906cfa0" },
        tokenizer: Pinned {
            file: "tokenizer.json",
            sha256: "b8be2c30ba5dd723a6d5ee26d013da103d5408d92ddcb23747622f9e48f1d842",
        },
        max_tokens: 384,
        fetch: Some("scripts/fetch-encoder.sh all-mpnet-base-v2"),
    },
];

/// The pinned entry for `name`, or an error listing the names we know.
pub fn known(name: &str) -> Result<&'static Known> {
    KNOWN.iter().find(|k| k.name == name).ok_or_else(|| {
        let names: Vec<&str> = KNOWN.iter().map(|k| k.name).collect();
        Error::encoder(name, format!("unknown encoder; known: {}", names.join(", ")))
    })
}

/// The folders searched for encoders, in order (see the module docs).
pub fn search_dirs() -> Vec<PathBuf> {
    let mut dirs = Vec::new();
    if let Some(d) = std::env::var_os("STANCE_ENCODERS").filter(|d| !d.is_empty()) {
        dirs.push(PathBuf::from(d));
    }
    if let Some(d) = data_dir() {
        dirs.push(d);
    }
    dirs.push(Path::new(env!("CARGO_MANIFEST_DIR")).join("models/encoders"));
    if let Some(exe_dir) = std::env::current_exe().ok().and_then(|e| e.parent().map(Path::to_path_buf)) {
        dirs.push(exe_dir.join("models/encoders"));
    }
    dirs
}

/// `${XDG_DATA_HOME:-$HOME/.local/share}/stance/encoders`: where fetched encoders go.
pub fn data_dir() -> Option<PathBuf> {
    crate::data_dir::data_home().map(|d| d.join("encoders"))
}

/// The first folder holding `known`'s config.json, or one line saying where
/// we looked and how to get it.
pub fn find(known: &Known) -> Result<PathBuf> {
    let dirs = search_dirs();
    for d in &dirs {
        let dir = d.join(known.name);
        if dir.join(known.config.file).is_file() {
            return Ok(dir);
        }
    }
    let looked: Vec<String> = dirs.iter().map(|d| d.display().to_string()).collect();
    let how = match known.fetch {
        Some(cmd) => format!("fetch it with `{cmd}`"),
        None => "it ships in the repository's models/encoders/; is the checkout complete?".to_string(),
    };
    Err(Error::encoder(known.name, format!("not found in {}; {how}", looked.join(", "))))
}

/// Read `dir/pin.file` and check its sha256.
pub fn read_verified(name: &str, dir: &Path, pin: &Pinned) -> Result<Vec<u8>> {
    let bytes = read_unverified(dir, pin)?;
    verify(name, dir, pin, &bytes)?;
    Ok(bytes)
}

/// Read `dir/pin.file`; the caller must [`verify`] it before trusting what it read.
pub fn read_unverified(dir: &Path, pin: &Pinned) -> Result<Vec<u8>> {
    let path = dir.join(pin.file);
    std::fs::read(&path).map_err(|e| Error::io(&path, "reading encoder file", e))
}

/// Check the sha256 of `bytes`, read from `dir/pin.file`.
pub fn verify(name: &str, dir: &Path, pin: &Pinned, bytes: &[u8]) -> Result<()> {
    let got = sha256_hex(bytes);
    if got != pin.sha256 {
        return Err(Error::encoder(
            name,
            format!("{}: sha256 {got}, expected {}; the file is damaged or another version", dir.join(pin.file).display(), pin.sha256),
        ));
    }
    Ok(())
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}
