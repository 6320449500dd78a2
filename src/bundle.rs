//! Model bundles: a directory holding `bundle.json` (format version, labels,
//! feature settings, training record, checksums), `weights.bin` and
//! `tokenizer.json`. Loading checks version and checksums, so a truncated,
//! edited or foreign bundle is an error, never a silently wrong model.
//! Saving is atomic ([`crate::atomic::replace_dir`]): the new bundle is
//! written beside the old one and swapped in with one rename; a folder
//! that is not a model, or a model folder that also holds other files, is
//! refused rather than replaced.

use std::fs;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::corpus::Format;
use crate::dir_handle::DirHandle;
use crate::error::{Error, Result};
use crate::features::CheckedFeatureParams;
use crate::encoder::Encoder;
use crate::model::{DenseBlock, LinearModel};
use crate::solver::SolverParams;
use crate::tokenize::WordTokenizer;
use crate::topics::Topics;

pub const FORMAT_NAME: &str = "stance-model";
/// Version 2 added `bundle_sha256`, which covers `bundle.json` itself.
pub const FORMAT_VERSION: u32 = 2;
const WEIGHTS: &str = "weights.bin";
const TOKENIZER: &str = "tokenizer.json";
const META: &str = "bundle.json";
const MAGIC: &[u8; 8] = b"STNCW\x00\x02\x00";

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct FileSum {
    pub sha256: String,
    pub bytes: u64,
}

/// How the model was trained; stored for the record and the model card.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct TrainingRecord {
    pub corpus_format: Format,
    pub train_files: Vec<String>,
    pub dev_files: Vec<String>,
    pub n_train_targets: usize,
    pub min_count: u32,
    pub solver: SolverParams,
    pub iterations: u64,
    pub objective: f64,
    /// Dev metrics (the JSON of `stance eval --json`) when `--dev` was given.
    pub dev: Option<serde_json::Value>,
    /// Every L2 strength tried on dev and its headline score.
    pub l2_search: Vec<(f64, f64)>,
    /// Whether the final model was refitted on train + dev (the dev
    /// scores above are then those of the model fitted on train alone).
    pub refit_on_dev: bool,
    /// With `--cv K`: the L2 strength was chosen by K-fold cross-validation
    /// over train + dev, `dev` above holds the pooled held-out scores of
    /// the chosen strength, and the model was fitted on train + dev.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cv_folds: Option<usize>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Meta {
    pub format: String,
    pub version: u32,
    pub labels: Vec<String>,
    pub features: CheckedFeatureParams,
    pub training: TrainingRecord,
    pub weights: FileSum,
    pub tokenizer: FileSum,
    /// The `encoder` family's standardisation and weights (models trained
    /// with `--encoder` only; covered by `bundle_sha256`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dense: Option<DenseBlock>,
    /// The stance topics the model was trained with, which `predict`
    /// scores in every sentence (see [`crate::topics`]). Absent from the
    /// bundles of models without topics, which keeps their bytes, and
    /// empty when a bundle from before topics were recorded is loaded.
    #[serde(default, skip_serializing_if = "Topics::is_empty")]
    pub topics: Topics,
    /// SHA-256 of every field above in canonical (compact) JSON. With the
    /// sums of the weights and the tokenizer among those fields, it ties
    /// labels, feature settings, tokenizer and weights together: reordering
    /// the labels or changing a setting is a checksum error, not a model
    /// that silently predicts something else.
    #[serde(default)]
    pub bundle_sha256: String,
}

impl Meta {
    /// The checksum `bundle_sha256` must hold.
    pub fn checksum(&self) -> String {
        let mut m = self.clone();
        m.bundle_sha256.clear();
        FileSum::of(&serde_json::to_vec(&m).expect("meta serialises")).sha256
    }

    /// Set `bundle_sha256` (after every other field is final).
    pub fn seal(&mut self) {
        self.bundle_sha256 = self.checksum();
    }
}

/// A bundle's files: (name, bytes).
pub type BundleFiles = Vec<(&'static str, Vec<u8>)>;

/// A loaded model: everything needed to score.
pub struct Bundle {
    pub path: PathBuf,
    pub meta: Meta,
    pub model: LinearModel,
    pub tokenizer: WordTokenizer,
    /// The frozen encoder of a model with the `encoder` family.
    pub encoder: Option<Box<dyn Encoder>>,
}

impl FileSum {
    pub fn of(bytes: &[u8]) -> FileSum {
        let d = Sha256::digest(bytes);
        let hex: String = d.iter().map(|b| format!("{b:02x}")).collect();
        FileSum { sha256: hex, bytes: bytes.len() as u64 }
    }
}

/// Open a bundle folder, saying clearly what is wrong when `dir` is not one.
fn open_bundle_dir(dir: &Path) -> Result<DirHandle> {
    DirHandle::open(dir).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => Error::model(dir, "not found (expected a model directory)"),
        std::io::ErrorKind::NotADirectory => {
            let hint = match (dir.file_name().and_then(|n| n.to_str()), dir.parent()) {
                (Some(META | WEIGHTS | TOKENIZER), Some(parent)) if !parent.as_os_str().is_empty() => {
                    format!("; give its folder, {}", parent.display())
                }
                _ => String::new(),
            };
            Error::model(dir, format!("is a file; a model is a folder holding {META}, {WEIGHTS} and {TOKENIZER}{hint}"))
        }
        _ => Error::model(dir, format!("cannot open: {e}")),
    })
}

pub fn encode_weights(m: &LinearModel) -> Vec<u8> {
    let (n, k) = (m.n_features(), m.n_classes());
    let mut out = Vec::with_capacity(24 + n * 12 + (n + 1) * k * 4);
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&(k as u64).to_le_bytes());
    out.extend_from_slice(&(n as u64).to_le_bytes());
    for h in &m.hashes {
        out.extend_from_slice(&h.to_le_bytes());
    }
    for w in m.idf.iter().chain(&m.weights).chain(&m.bias) {
        out.extend_from_slice(&w.to_le_bytes());
    }
    out
}

fn decode_weights(path: &Path, b: &[u8], labels: Vec<String>) -> Result<LinearModel> {
    let bad = |p: &str| Error::model(path, format!("{WEIGHTS}: {p}"));
    if b.len() < 24 || &b[..8] != MAGIC {
        return Err(bad("not a stance weights file (bad header)"));
    }
    let k = u64::from_le_bytes(b[8..16].try_into().unwrap()) as usize;
    let n = u64::from_le_bytes(b[16..24].try_into().unwrap()) as usize;
    if k != labels.len() {
        return Err(bad(&format!("has {k} classes but bundle.json lists {} labels", labels.len())));
    }
    let want = n.checked_mul(12 + 4 * k).and_then(|x| x.checked_add(24 + 4 * k));
    if want != Some(b.len()) {
        return Err(bad("truncated or padded (size does not match its header)"));
    }
    let mut hashes = Vec::with_capacity(n);
    let mut at = 24;
    for _ in 0..n {
        hashes.push(u64::from_le_bytes(b[at..at + 8].try_into().unwrap()));
        at += 8;
    }
    if hashes.windows(2).any(|w| w[0] >= w[1]) {
        return Err(bad("feature hashes are not sorted"));
    }
    let floats: Vec<f32> = b[at..].chunks_exact(4).map(|c| f32::from_le_bytes(c.try_into().unwrap())).collect();
    let (idf, rest) = floats.split_at(n);
    let (w, bias) = rest.split_at(n * k);
    let model = LinearModel::new(labels, hashes, idf.to_vec(), w.to_vec(), bias.to_vec());
    // Bounded weights keep every score finite: no NaN probabilities.
    model.check_range().map_err(|e| bad(&e))?;
    Ok(model)
}

impl Bundle {
    /// What every `predict` output names as its model: the bundle's folder
    /// name and the first 12 hex digits of its `bundle_sha256`, e.g.
    /// `newsmtsc@3f2a9c1d0b7e`, so each result traces to one exact model.
    pub fn id(&self) -> String {
        let name = self
            .path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .or_else(|| self.path.canonicalize().ok().and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned())))
            .unwrap_or_else(|| "model".to_string());
        // The built-in model's label (`catalog::builtin_label`) names it too.
        let name = name.strip_suffix(" (built in)").unwrap_or(&name);
        let sha = &self.meta.bundle_sha256;
        format!("{name}@{}", &sha[..sha.len().min(12)])
    }

    /// For a model with the `encoder` family, the raw block of every target
    /// of every request (see [`crate::features::encoder::pool_all`]); `None`
    /// for a sparse model, which needs none. The one place scoring paths
    /// (eval, predict, the library) run the encoder.
    pub fn pool(&self, requests: &[crate::features::encoder::PoolRequest]) -> Result<Option<Vec<Vec<Vec<f32>>>>> {
        match (&self.encoder, &self.meta.features.encoder) {
            (Some(enc), Some(ep)) => Ok(Some(crate::features::encoder::pool_all(enc.as_ref(), ep, requests, &|_| {})?)),
            _ => Ok(None),
        }
    }

    /// [`Self::pool`] for labelled examples: `[example][target]`.
    pub fn dense_blocks(&self, examples: &[&crate::corpus::Example]) -> Result<Option<Vec<Vec<Vec<f32>>>>> {
        if self.encoder.is_none() {
            return Ok(None);
        }
        let requests: Vec<_> = examples.iter().map(|ex| crate::features::encoder::PoolRequest::of(ex)).collect();
        self.pool(&requests)
    }

    /// Load and verify a bundle directory. The folder is opened once and
    /// its files read through that handle, so they all come from one
    /// bundle even while `train` swaps another in at the same path; when
    /// the opened bundle was swapped out and deleted under the reader, the
    /// new one is read instead.
    pub fn load(dir: &Path) -> Result<Bundle> {
        let mut tries = 0;
        loop {
            let handle = open_bundle_dir(dir)?;
            let read = |name: &str| handle.read(name);
            match Bundle::from_files(dir, read) {
                Err(e) if tries < 8 && !handle.is_still_at(dir) => {
                    tries += 1;
                    drop(e);
                }
                r => return r,
            }
        }
    }

    /// An error unless every probability of one scored target is finite:
    /// a model that gives NaN says so instead of printing `null` and a label.
    pub fn check_probabilities(&self, p: &[f64], at: &dyn std::fmt::Display) -> Result<()> {
        if p.iter().all(|v| v.is_finite()) {
            return Ok(());
        }
        Err(Error::model(&self.path, format!("gave a non-finite probability at {at}; the model is broken: retrain it")))
    }

    /// Load and verify a bundle held in memory, e.g. the one compiled into
    /// the binary ([`crate::catalog`]): `files` are (name, bytes) of the
    /// bundle's files, `label` names it in messages. The checks are those
    /// of [`Bundle::load`], made by the same code.
    pub fn from_memory(label: &Path, files: &[(&str, &[u8])]) -> Result<Bundle> {
        Bundle::from_files(label, |name| {
            files.iter().find(|(n, _)| *n == name).map(|(_, b)| b.to_vec()).ok_or_else(|| std::io::Error::from(std::io::ErrorKind::NotFound))
        })
    }

    /// Check a bundle folder's files (format, version, every checksum)
    /// without building the model or loading its encoder: the verified
    /// metadata and the files (name, bytes) as read, e.g. for copying.
    pub fn verify_dir(dir: &Path) -> Result<(Meta, BundleFiles)> {
        let handle = open_bundle_dir(dir)?;
        let v = verified_files(dir, |name: &str| handle.read(name))?;
        Ok((v.meta, vec![(META, v.meta_bytes), (WEIGHTS, v.weights), (TOKENIZER, v.tokenizer)]))
    }

    /// Parse and verify a bundle from its three files.
    fn from_files(dir: &Path, read: impl Fn(&str) -> std::io::Result<Vec<u8>>) -> Result<Bundle> {
        let VerifiedFiles { meta, weights: wb, tokenizer: tb, .. } = verified_files(dir, read)?;
        let mut model = decode_weights(dir, &wb, meta.labels.clone())?;
        let encoder = match (&meta.features.encoder, &meta.dense) {
            (None, None) => None,
            (Some(ep), Some(block)) => {
                let enc = crate::encoder::load(&ep.name).map_err(|e| Error::model(dir, format!("this model needs its encoder: {e}")))?;
                if enc.sha256() != ep.sha256 {
                    return Err(Error::model(
                        dir,
                        format!("{META}: trained with {} whose weights have sha256 {}, but the one found has {}", ep.name, ep.sha256, enc.sha256()),
                    ));
                }
                ep.check(enc.num_layers()).map_err(|e| Error::model(dir, format!("{META}: {e}")))?;
                let width = crate::features::encoder::BLOCKS * enc.hidden_size();
                let st = &block.standardizer;
                let finite = st.mean.iter().chain(&st.mul).chain(&block.weights).all(|x| x.is_finite() && x.abs() < 1e6);
                let sorted = block.targets.windows(2).all(|w| w[0] < w[1]);
                let blocks = 1 + block.targets.len();
                if st.mean.len() != width || st.mul.len() != width || block.weights.len() != blocks * width * meta.labels.len() || !finite || !sorted {
                    return Err(Error::model(dir, format!("{META}: the encoder block does not fit {} ({blocks} x {width} columns x {} labels, targets sorted)", ep.name, meta.labels.len())));
                }
                model.dense = Some(block.clone());
                Some(enc)
            }
            _ => return Err(Error::model(dir, format!("{META}: encoder settings and encoder weights must come together"))),
        };
        let tk: tokenizers::Tokenizer = std::str::from_utf8(&tb)
            .map_err(|_| Error::model(dir, format!("{TOKENIZER}: not UTF-8")))?
            .parse()
            .map_err(|e| Error::model(dir, format!("{TOKENIZER}: {e}")))?;
        let tokenizer = WordTokenizer::from_tokenizer(&tk).map_err(|e| Error::model(dir, e))?;
        Ok(Bundle { path: dir.to_path_buf(), meta, model, tokenizer, encoder })
    }

    /// Write a bundle to `dir` atomically, replacing any bundle there: the
    /// metadata (labels from the model, checksums of the files) is made here.
    pub fn save(dir: &Path, features: &CheckedFeatureParams, training: &TrainingRecord, topics: &Topics, model: &LinearModel, tokenizer_json: &str) -> Result<()> {
        let weights = encode_weights(model);
        model.check_range().map_err(|e| Error::Train(format!("the fitted model cannot be saved: {e}")))?;
        let mut meta = Meta {
            format: FORMAT_NAME.into(),
            version: FORMAT_VERSION,
            labels: model.labels.clone(),
            features: features.clone(),
            training: training.clone(),
            weights: FileSum::of(&weights),
            tokenizer: FileSum::of(tokenizer_json.as_bytes()),
            dense: model.dense.clone(),
            topics: topics.clone(),
            bundle_sha256: String::new(),
        };
        meta.seal();
        let mut meta_json = serde_json::to_vec_pretty(&meta).expect("meta serialises");
        meta_json.push(b'\n');
        write_dir_atomic(dir, &[(META, &meta_json), (WEIGHTS, &weights), (TOKENIZER, tokenizer_json.as_bytes())])
    }
}

/// A bundle's files, read and checked against each other: format and
/// version, `bundle_sha256`, label count, feature settings, and the sums of
/// the weights and the tokenizer. What every way of loading shares.
struct VerifiedFiles {
    meta: Meta,
    meta_bytes: Vec<u8>,
    weights: Vec<u8>,
    tokenizer: Vec<u8>,
}

fn verified_files(dir: &Path, read: impl Fn(&str) -> std::io::Result<Vec<u8>>) -> Result<VerifiedFiles> {
    let read = |name: &str| read(name).map_err(|e| Error::model(dir, format!("{name}: {e}")));
    let meta_bytes = read(META)?;
    let v: serde_json::Value = serde_json::from_slice(&meta_bytes)
        .map_err(|e| Error::model(dir, format!("{META}: invalid JSON: {e}")))?;
    if v.get("format").and_then(|f| f.as_str()) != Some(FORMAT_NAME) {
        return Err(Error::model(dir, format!("{META}: not a stance model bundle")));
    }
    let version = v.get("version").and_then(|f| f.as_u64());
    if version != Some(FORMAT_VERSION as u64) {
        return Err(Error::model(
            dir,
            format!(
                "bundle format version {} is not supported by this stance (reads version {FORMAT_VERSION}); retrain or use a matching release",
                version.map(|x| x.to_string()).unwrap_or_else(|| "missing".into())
            ),
        ));
    }
    let meta: Meta =
        serde_json::from_value(v).map_err(|e| Error::model(dir, format!("{META}: {e}")))?;
    if meta.bundle_sha256 != meta.checksum() {
        return Err(Error::model(dir, format!("{META}: checksum mismatch (labels, settings or sums edited, or file corrupt)")));
    }
    if meta.labels.len() < 2 || meta.labels.len() > LinearModel::MAX_CLASSES {
        return Err(Error::model(dir, format!("{META}: {} labels (2 to {} supported)", meta.labels.len(), LinearModel::MAX_CLASSES)));
    }
    meta.features.check().map_err(|e| Error::model(dir, format!("{META}: {e}")))?;
    meta.topics.check().map_err(|e| Error::model(dir, format!("{META}: {e}")))?;
    let wb = read(WEIGHTS)?;
    if FileSum::of(&wb) != meta.weights {
        return Err(Error::model(dir, format!("{WEIGHTS}: checksum mismatch (file truncated, edited or corrupt)")));
    }
    let tb = read(TOKENIZER)?;
    if FileSum::of(&tb) != meta.tokenizer {
        return Err(Error::model(dir, format!("{TOKENIZER}: checksum mismatch (file truncated, edited or corrupt)")));
    }
    Ok(VerifiedFiles { meta, meta_bytes, weights: wb, tokenizer: tb })
}

/// Whether [`Bundle::save`] could write a model to `dir` as it is now: the
/// checks `save` makes before writing, made before training, so that a bad
/// `--out` fails at once rather than after the fit. `save` makes them
/// again (the folder may change meanwhile).
pub fn check_out(dir: &Path) -> Result<()> {
    check_replaceable(dir)?;
    crate::atomic::check_replace_dir(dir, &[META, WEIGHTS, TOKENIZER])
}

/// `dir` is absent, an empty directory or a stance model.
fn check_replaceable(dir: &Path) -> Result<()> {
    if dir.exists() {
        if !dir.is_dir() {
            return Err(Error::model(dir, "exists and is not a directory; refusing to replace it"));
        }
        let empty = fs::read_dir(dir).map(|mut d| d.next().is_none()).unwrap_or(false);
        if !empty && !is_stance_bundle(dir) {
            return Err(Error::model(dir, "exists and is not a stance model; refusing to replace it"));
        }
    }
    Ok(())
}

/// Write `files` into `dir` as one atomic swap, refusing to replace
/// anything but a stance model or an empty directory (and, in
/// [`crate::atomic::replace_dir`], a model folder holding other files).
fn write_dir_atomic(dir: &Path, files: &[(&str, &[u8])]) -> Result<()> {
    check_replaceable(dir)?;
    crate::atomic::replace_dir(dir, files)
}

/// Whether `dir` holds a `bundle.json` of ours (any version).
fn is_stance_bundle(dir: &Path) -> bool {
    let meta = fs::read(dir.join(META)).ok().and_then(|b| serde_json::from_slice::<serde_json::Value>(&b).ok());
    meta.is_some_and(|v| v.get("format").and_then(|f| f.as_str()) == Some(FORMAT_NAME))
}
