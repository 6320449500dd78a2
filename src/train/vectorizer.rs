//! The vectorizer, fastText's "dictionary": what training learns from the
//! training texts before any weight. The word tokenizer, the features kept
//! (seen in at least `min_count` training targets), their column order and
//! their IDF; it turns examples into the rows of the training matrix and
//! the solver's weights back into a model.

use std::collections::HashMap;

use rayon::prelude::*;

use crate::corpus::Example;
use crate::error::{Error, Result};
use crate::features::{to_merged_row, CheckedFeatureParams, Feature};
use crate::hash::IdentityBuild;
use crate::model::LinearModel;
use crate::pipeline::{Featurizer, PerThread};
use crate::solver::Csr;
use crate::tokenize::{self, WordTokenizer};

use super::Progress;

pub struct Vectorizer {
    pub tokenizer: WordTokenizer,
    /// The tokenizer as saved in a bundle.
    pub tokenizer_json: String,
    /// Feature hash of every column, in training order: most frequent
    /// first, so the hot weights share cache lines, which makes a solver
    /// pass about twice as fast. The saved model is re-sorted by hash.
    hashes: Vec<u64>,
    idf: Vec<f32>,
    column: HashMap<u64, u32, IdentityBuild>,
}

impl Vectorizer {
    /// Learn the tokenizer, then count the features of `train` and keep
    /// those seen in at least `min_count` targets.
    pub fn fit(train: &[Example], features: &CheckedFeatureParams, min_count: u32, progress: &dyn Progress) -> Result<Vectorizer> {
        progress.stage("training tokenizer");
        let texts: Vec<&str> = train.iter().map(|e| e.text.as_str()).collect();
        let tk = tokenize::build(&texts, 1).map_err(Error::Train)?;
        let tokenizer_json = tk.to_string(false).map_err(|e| Error::Train(e.to_string()))?;
        let tokenizer = WordTokenizer::from_tokenizer(&tk).map_err(Error::Train)?;

        progress.stage("counting document frequencies");
        let df = document_frequencies(train, &PerThread::new(|| Featurizer::new(features, &tokenizer)));
        let mut by_freq: Vec<(u32, u64)> = df.into_iter().filter(|&(_, c)| c >= min_count).map(|(h, c)| (c, h)).collect();
        let n_docs = train.iter().map(|e| e.targets.len()).sum::<usize>();
        if by_freq.is_empty() {
            return Err(Error::Params(format!(
                "--min-count {min_count}: no feature occurs in that many of the {n_docs} training targets, so the model would have no features; lower --min-count"
            )));
        }
        by_freq.sort_unstable_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        let hashes: Vec<u64> = by_freq.iter().map(|&(_, h)| h).collect();
        // Smoothed IDF, as scikit-learn's TfidfVectorizer: ln((1+n)/(1+df)) + 1.
        let n_docs = n_docs as f64;
        let idf: Vec<f32> = by_freq
            .iter()
            .map(|&(df, _)| if features.idf { (((1.0 + n_docs) / (1.0 + df as f64)).ln() + 1.0) as f32 } else { 1.0 })
            .collect();
        let column = hashes.iter().enumerate().map(|(i, &h)| (h, i as u32)).collect();
        Ok(Vectorizer { tokenizer, tokenizer_json, hashes, idf, column })
    }

    pub fn n_cols(&self) -> usize {
        self.hashes.len()
    }

    /// One featurizer per thread, on this vectorizer's tokenizer.
    pub(crate) fn featurizers<'v>(&'v self, features: &CheckedFeatureParams) -> PerThread<Featurizer<'v>> {
        PerThread::new(|| Featurizer::new(features, &self.tokenizer))
    }

    /// The training matrix: every target's features extracted, weighted
    /// and normalised (`to_merged_row`), one wave of examples at a time on all
    /// cores, appended in order.
    pub(crate) fn rows(&self, examples: &[Example], featurizers: &PerThread<Featurizer>) -> Csr {
        let lookup = |h: u64| self.column.get(&h).map(|&c| (c, self.idf[c as usize]));
        let mut x = Csr::new(self.n_cols());
        for wave in examples.chunks(WAVE) {
            let built: Vec<Vec<(Vec<u32>, Vec<f32>)>> = wave
                .par_iter()
                .map(|ex| {
                    let feats = featurizers.with(|fz| fz.example(ex));
                    feats
                        .into_iter()
                        .map(|mut f| {
                            // A feature that occurs several times (a character
                            // n-gram in several words) becomes one entry holding
                            // the sum: the same products, and a third fewer
                            // non-zeros for the solver to visit.
                            let (mut c, mut v) = (Vec::new(), Vec::new());
                            to_merged_row(&mut f, lookup, &mut c, &mut v);
                            (c, v)
                        })
                        .collect()
                })
                .collect();
            for (c, v) in built.iter().flatten() {
                x.push(c, v);
            }
        }
        x
    }

    /// The model of a fit: `weights` (k per column, training order) and
    /// `bias`, with the columns re-sorted by hash as a model keeps them.
    pub fn model(&self, labels: &[String], weights: &[f64], bias: &[f64]) -> LinearModel {
        let k = labels.len();
        let mut order: Vec<usize> = (0..self.hashes.len()).collect();
        order.sort_unstable_by_key(|&i| self.hashes[i]);
        let hashes = order.iter().map(|&i| self.hashes[i]).collect();
        let idf = order.iter().map(|&i| self.idf[i]).collect();
        let weights = order.iter().flat_map(|&i| &weights[i * k..(i + 1) * k]).map(|&w| w as f32).collect();
        LinearModel::new(labels.to_vec(), hashes, idf, weights, bias.iter().map(|&w| w as f32).collect())
    }
}

/// Features of every target of every example, in order, on all cores.
pub(crate) fn featurize(examples: &[Example], featurizers: &PerThread<Featurizer>) -> Vec<Vec<Feature>> {
    let per: Vec<Vec<Vec<Feature>>> = examples.par_iter().map(|ex| featurizers.with(|fz| fz.example(ex))).collect();
    per.into_iter().flatten().collect()
}

/// Examples per wave of the row-building pass: enough to keep every core
/// busy, few enough that one wave's unmerged rows stay small.
const WAVE: usize = 4096;

/// Document frequency of every feature of `examples` (a feature counts
/// once per target even when it occurs several times, as character
/// n-grams do). The features are extracted and dropped block by block: kept
/// for the row pass, they were the largest thing training held (16 bytes an
/// occurrence, 1.5 GB for 140,000 targets); extracting them twice was no
/// slower than allocating and keeping them.
fn document_frequencies(examples: &[Example], featurizers: &PerThread<Featurizer>) -> HashMap<u64, u32, IdentityBuild> {
    crate::count::in_blocks(examples, |exs, df: &mut HashMap<u64, u32, IdentityBuild>| {
        for ex in exs {
            for mut f in featurizers.with(|fz| fz.example(ex)) {
                // In place: a copy of a huge sentence's features was 134 MB.
                f.sort_unstable_by_key(|e| e.0);
                f.dedup_by_key(|e| e.0);
                for &(h, _) in &f {
                    *df.entry(h).or_insert(0) += 1;
                }
            }
        }
    })
}
