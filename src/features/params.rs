//! Feature settings: the raw, serialisable [`FeatureParams`], and the
//! [`CheckedFeatureParams`] that the extractor takes, which can only be
//! had through [`FeatureParams::check`] (linfa's `ParamGuard` pattern):
//! an invalid setting is an error before any work, never a panic later.

use std::ops::Deref;

use serde::{Deserialize, Serialize};

use super::encoder::EncoderParams;
use super::{Family, FAMILIES};
use crate::error::{Error, Result};

/// Feature settings, stored in the model bundle.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FeatureParams {
    pub families: Vec<Family>,
    /// Replace the target by `<T>` (off: its words stay as they are).
    pub mask_target: bool,
    /// Show other targets of the same text to the context and clause
    /// families as `<O>`. Off by default: chosen on NewsMTSC dev-mt + dev-rw
    /// (macro-F1 0.705 without, 0.701 with, 0.685 when `<O>` also replaced
    /// their words in the n-gram and character families).
    pub mark_others: bool,
    /// Words on each side used as context.
    pub context_window: usize,
    /// Longest word n-gram (2 or 3).
    #[serde(default = "two")]
    pub word_ngrams: usize,
    pub char_min: usize,
    pub char_max: usize,
    /// Add a copy of every feature conjoined with the target's name, so one
    /// model can serve several stance topics.
    pub conjoin_target: bool,
    /// Weight features by inverse document frequency (as TF-IDF does).
    pub idf: bool,
    /// Seed of the feature hash.
    pub seed: u64,
    /// The dense `encoder` family (see [`super::encoder`]): off unless
    /// `train --encoder` names one. Absent from the bundles of sparse models,
    /// which keeps their bytes as they were.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub encoder: Option<EncoderParams>,
}

impl Default for FeatureParams {
    fn default() -> Self {
        FeatureParams {
            families: FAMILIES.to_vec(),
            mask_target: true,
            mark_others: false,
            context_window: 6,
            word_ngrams: 2,
            char_min: 2,
            char_max: 5,
            conjoin_target: false,
            idf: true,
            seed: 0,
            encoder: None,
        }
    }
}

fn two() -> usize {
    2
}

impl FeatureParams {
    /// Validate every setting; the result is what the extractor accepts.
    pub fn check(&self) -> Result<CheckedFeatureParams> {
        if self.families.is_empty() {
            return Err(Error::Params("every feature family is switched off".into()));
        }
        if self.char_min == 0 || self.char_min > self.char_max || self.char_max > 16 {
            return Err(Error::Params(format!(
                "character n-gram range {}..{} must satisfy 1 <= min <= max <= 16",
                self.char_min, self.char_max
            )));
        }
        if !(2..=3).contains(&self.word_ngrams) {
            return Err(Error::Params("--word-ngrams must be 2 or 3".into()));
        }
        if self.context_window == 0 || self.context_window > 50 {
            return Err(Error::Params("context window must be 1..=50".into()));
        }
        if let Some(e) = &self.encoder {
            // The encoder's own layer count is checked when it is loaded.
            e.check(usize::MAX)?;
        }
        Ok(CheckedFeatureParams(self.clone()))
    }

    pub fn has(&self, f: Family) -> bool {
        self.families.contains(&f)
    }
}

/// Feature settings that passed [`FeatureParams::check`]. Read through
/// `Deref`; deserialising one (from a bundle) checks it too.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "FeatureParams", into = "FeatureParams")]
pub struct CheckedFeatureParams(FeatureParams);

impl Default for CheckedFeatureParams {
    fn default() -> Self {
        FeatureParams::default().check().expect("the default feature settings are valid")
    }
}

impl Deref for CheckedFeatureParams {
    type Target = FeatureParams;
    fn deref(&self) -> &FeatureParams {
        &self.0
    }
}

impl TryFrom<FeatureParams> for CheckedFeatureParams {
    type Error = Error;
    fn try_from(p: FeatureParams) -> Result<Self> {
        p.check()
    }
}

impl From<CheckedFeatureParams> for FeatureParams {
    fn from(p: CheckedFeatureParams) -> Self {
        p.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_invalid_setting_is_an_error() {
        let ok = FeatureParams::default();
        assert!(ok.check().is_ok());
        let bad = [
            FeatureParams { families: vec![], ..ok.clone() },
            FeatureParams { char_min: 0, ..ok.clone() },
            FeatureParams { char_min: 4, char_max: 3, ..ok.clone() },
            FeatureParams { char_max: 17, ..ok.clone() },
            FeatureParams { word_ngrams: 1, ..ok.clone() },
            FeatureParams { word_ngrams: 4, ..ok.clone() },
            FeatureParams { context_window: 0, ..ok.clone() },
            FeatureParams { context_window: 51, ..ok.clone() },
        ];
        for p in bad {
            assert!(matches!(p.check(), Err(Error::Params(_))), "{p:?}");
        }
    }

    #[test]
    fn checked_params_serialise_as_the_raw_ones_and_check_on_reading() {
        let p = FeatureParams { seed: 9, ..Default::default() };
        let checked = p.check().unwrap();
        assert_eq!(serde_json::to_string(&checked).unwrap(), serde_json::to_string(&p).unwrap());
        let back: CheckedFeatureParams = serde_json::from_str(&serde_json::to_string(&p).unwrap()).unwrap();
        assert_eq!(*back, p);
        let zero = serde_json::to_string(&FeatureParams { char_min: 0, ..p }).unwrap();
        let err = serde_json::from_str::<CheckedFeatureParams>(&zero).unwrap_err().to_string();
        assert!(err.contains("character n-gram range 0..5"), "{err}");
    }
}
