//! The shared path from a text and its target spans to hashed features.
//! `train`, `eval` and `predict` all go through [`Featurizer`], which is
//! what guarantees that a sentence scored by `predict` and the same sentence
//! with the same spans scored by `eval` get the same probabilities.
//! [`Scorer`] adds the model, and the fast path `eval` and `predict` take.

use std::collections::HashMap;

use crate::bundle::Bundle;
use crate::corpus::Example;
use crate::features::{CheckedFeatureParams, Extractor, Family, Feature, Query};
use crate::hash::IdentityBuild;
use crate::model::{DenseInput, LinearModel};
use crate::text::Span;
use crate::tokenize::{Token, WordTokenizer};

/// Tokenizes texts and extracts the features of their targets.
pub struct Featurizer<'t> {
    extractor: Extractor<'t>,
    tokens: Vec<Token>,
    target: Vec<Span>,
    others: Vec<Span>,
}

/// One target of a text, as spans: the main mention first, then the
/// further mentions of the same actor.
#[derive(Debug, Clone, PartialEq)]
pub struct TargetSpans<'a> {
    pub name: &'a str,
    pub spans: Vec<Span>,
}

impl<'t> Featurizer<'t> {
    pub fn new(params: &CheckedFeatureParams, tokenizer: &'t WordTokenizer) -> Self {
        Featurizer { extractor: Extractor::new(params, tokenizer), tokens: Vec::new(), target: Vec::new(), others: Vec::new() }
    }

    /// Keep readable feature names, for `--explain`.
    pub fn explaining(mut self) -> Self {
        self.extractor = self.extractor.explaining();
        self
    }

    /// The readable name of a feature of the current text (when explaining).
    pub fn name_of(&self, h: u64) -> Option<&str> {
        self.extractor.name_of(h)
    }

    /// Tokenize a text; the following `features` calls refer to it.
    pub fn set_text(&mut self, text: &str) {
        self.extractor.clear_names();
        self.extractor.tokenizer().tokenize(text, &mut self.tokens);
        self.extractor.prepare(text, &self.tokens);
    }

    /// Features of target `i` among `targets` of the text last set: the
    /// other targets' spans are marked as others.
    pub fn features(&mut self, text: &str, targets: &[TargetSpans], i: usize, out: &mut Vec<Feature>) {
        self.extract(text, targets, i, out, None);
    }

    fn extract(&mut self, text: &str, targets: &[TargetSpans], i: usize, out: &mut Vec<Feature>, skip: Option<Family>) {
        self.target.clear();
        self.target.extend_from_slice(&targets[i].spans);
        self.others.clear();
        for (j, t) in targets.iter().enumerate() {
            if j != i {
                let mine = &self.target;
                self.others.extend(t.spans.iter().filter(|s| !mine.iter().any(|m| m.overlaps(s))));
            }
        }
        let q = Query { text, tokens: &self.tokens, target: &self.target, others: &self.others, name: targets[i].name, prepared: true, skip };
        self.extractor.extract(&q, out);
    }

    /// Features of every target of a labelled example, in order.
    pub fn example(&mut self, ex: &Example) -> Vec<Vec<Feature>> {
        self.set_text(&ex.text);
        let targets = example_targets(ex);
        let feats = (0..targets.len())
            .map(|i| {
                let mut out = Vec::new();
                self.features(&ex.text, &targets, i, &mut out);
                out
            })
            .collect();
        self.extractor.shrink_scratch();
        feats
    }
}

pub fn example_targets(ex: &Example) -> Vec<TargetSpans<'_>> {
    ex.targets
        .iter()
        .map(|t| TargetSpans {
            name: &t.name,
            spans: t.spans(),
        })
        .collect()
}

/// Scores targets with one model: a [`Featurizer`] plus a per-word cache
/// of the model's character n-gram sums. The cache is only valid for the
/// model it was filled from, so the scorer borrows that model for its
/// whole life: another model needs another scorer, and the model cannot
/// be dropped (and another loaded in its place) while the scorer lives:
///
/// ```compile_fail
/// let scorer = {
///     let model = stance::Model::load("models/newsmtsc").unwrap();
///     model.scorer() // error: `model` does not live long enough
/// };
/// ```
pub struct Scorer<'m> {
    model: &'m LinearModel,
    featurizer: Featurizer<'m>,
    chars: CharScores,
}

/// The cache behind [`Scorer`]: the character family of a target is a
/// sum over its unmasked words (see `Family::Chars`), so each distinct
/// word's sums are computed once, looked up in the model, and reused
/// across texts.
struct CharScores {
    /// Per word: `k` sums of `idf * weight`, then the sum of `idf^2`.
    values: Vec<f32>,
    /// Known words by vocabulary id -> entry in `values` (u32::MAX: not yet).
    by_id: Vec<u32>,
    /// Unknown words by their lower-cased text's hash -> entry.
    by_text: HashMap<u64, u32, IdentityBuild>,
    /// Per token of the current text: its entry.
    token_entry: Vec<u32>,
    ready: bool,
    scratch: Vec<u64>,
    /// The model's class count, plus one.
    stride: usize,
}

/// Hash of a word's lower-cased text (the unknown-word cache's key),
/// without allocating for ordinary ASCII words.
fn lower_hash(w: &str) -> u64 {
    crate::text::with_ascii_lowercase(w, |l| crate::hash::str(0x5EED, l)).unwrap_or_else(|| crate::hash::str(0x5EED, &w.to_lowercase()))
}

/// Unknown words cached per thread before the cache starts over.
const WORD_CACHE: usize = 200_000;

impl<'m> Scorer<'m> {
    /// A scorer for `model`, whose features `featurizer` extracts (the
    /// two come from the same bundle).
    pub fn new(model: &'m LinearModel, featurizer: Featurizer<'m>) -> Self {
        let chars = CharScores {
            values: Vec::new(),
            by_id: vec![u32::MAX; featurizer.extractor.tokenizer().words().len()],
            by_text: HashMap::default(),
            token_entry: Vec::new(),
            ready: false,
            scratch: Vec::new(),
            stride: model.n_classes() + 1,
        };
        Scorer { model, featurizer, chars }
    }

    /// A scorer for a loaded bundle's model.
    pub fn for_bundle(bundle: &'m Bundle) -> Self {
        Self::new(&bundle.model, Featurizer::new(&bundle.meta.features, &bundle.tokenizer))
    }

    pub fn model(&self) -> &'m LinearModel {
        self.model
    }

    /// The featurizer, e.g. to extract a target's features for `--explain`.
    pub fn featurizer(&mut self) -> &mut Featurizer<'m> {
        &mut self.featurizer
    }

    /// Tokenize a text; the following `score` calls refer to it.
    pub fn set_text(&mut self, text: &str) {
        self.featurizer.set_text(text);
        self.chars.ready = false;
    }

    /// Class probabilities of target `i` among `targets` of the text last
    /// set: the same as `model.score_features` on [`Featurizer::features`]
    /// (to rounding), but the character n-grams, most of the features,
    /// come from per-word sums cached across texts.
    pub fn score(&mut self, text: &str, targets: &[TargetSpans], i: usize, feats: &mut Vec<Feature>) -> Vec<f64> {
        self.score_dense(text, targets, i, feats, None)
    }

    /// [`Self::score`] with the target's raw `encoder` block, which a model
    /// with that family needs (see [`crate::features::encoder`]).
    pub fn score_dense(&mut self, text: &str, targets: &[TargetSpans], i: usize, feats: &mut Vec<Feature>, dense: Option<&[f32]>) -> Vec<f64> {
        let model = self.model;
        let dense = dense.map(|raw| DenseInput { raw, target: targets[i].name });
        let extractor = &self.featurizer.extractor;
        let family = match extractor.chars_family() {
            Some(f) if !extractor.conjoins() => f,
            _ => {
                self.featurizer.extract(text, targets, i, feats, None);
                return model.score_features_dense(feats, dense);
            }
        };
        self.featurizer.extract(text, targets, i, feats, Some(Family::Chars));
        if !self.chars.ready {
            self.text_chars(text);
        }
        let k = model.n_classes();
        let c = &self.chars;
        let mut sums = [0f32; LinearModel::MAX_CLASSES];
        let mut norm = 0f32;
        // The masked target's words drop out.
        for (&e, &kept) in c.token_entry.iter().zip(self.featurizer.extractor.kept_tokens()) {
            if kept {
                let v = &c.values[e as usize * c.stride..(e as usize + 1) * c.stride];
                for q in 0..k {
                    sums[q] += v[q];
                }
                norm += v[k];
            }
        }
        model.score_with_family(feats, family, &sums[..k], norm, dense)
    }

    /// The cache entry of each token of the current text, computing the
    /// sums of words not seen before.
    fn text_chars(&mut self, text: &str) {
        let (model, c, fz) = (self.model, &mut self.chars, &mut self.featurizer);
        let k = model.n_classes();
        // Streaming fills the cache with unknown words: start over now and then.
        if c.by_text.len() > WORD_CACHE {
            c.values.clear();
            c.by_id.iter_mut().for_each(|e| *e = u32::MAX);
            c.by_text.clear();
        }
        c.token_entry.clear();
        let unk = fz.extractor.tokenizer().unk();
        for t in &fz.tokens {
            let word = &text[t.byte_start as usize..t.byte_end as usize];
            let known = t.id != unk && (t.id as usize) < c.by_id.len();
            let cached = if known { Some(c.by_id[t.id as usize]).filter(|&e| e != u32::MAX) } else { c.by_text.get(&lower_hash(word)).copied() };
            let entry = match cached {
                Some(e) => e,
                None => {
                    c.scratch.clear();
                    fz.extractor.token_chars(text, t, &mut c.scratch);
                    let mut v = [0f32; LinearModel::MAX_CLASSES + 1];
                    let mut norm = 0f32;
                    for &h in &c.scratch {
                        if let Some(slot) = model.slot(h) {
                            model.accumulate(slot, &mut v[..k], &mut norm);
                        }
                    }
                    v[k] = norm;
                    let e = (c.values.len() / c.stride) as u32;
                    c.values.extend_from_slice(&v[..c.stride]);
                    if known {
                        c.by_id[t.id as usize] = e;
                    } else {
                        c.by_text.insert(lower_hash(word), e);
                    }
                    e
                }
            };
            c.token_entry.push(entry);
        }
        c.ready = true;
    }
}

/// One value per rayon worker thread, kept across batches. `map_init`
/// would build a new featurizer for every piece rayon splits a batch into,
/// throwing away its word cache each time (measured: about a fifth of the
/// scoring time went to refilling it).
pub(crate) struct PerThread<T> {
    slots: Vec<std::sync::Mutex<T>>,
}

impl<T> PerThread<T> {
    /// One value for each thread of the current rayon pool (plus one for
    /// callers outside it).
    pub(crate) fn new(make: impl Fn() -> T) -> Self {
        PerThread { slots: (0..rayon::current_num_threads() + 1).map(|_| std::sync::Mutex::new(make())).collect() }
    }

    /// Run `f` with this thread's value. Each worker only ever takes its
    /// own slot, so the lock is never contended.
    pub(crate) fn with<R>(&self, f: impl FnOnce(&mut T) -> R) -> R {
        let i = rayon::current_thread_index().map_or(self.slots.len() - 1, |i| i.min(self.slots.len() - 2));
        let mut guard = self.slots[i].lock().unwrap_or_else(|e| e.into_inner());
        f(&mut guard)
    }
}
