//! The shared path from a text and its target spans to hashed features.
//! `train`, `eval` and `predict` all go through [`Featurizer`], which is
//! what guarantees that a sentence scored by `predict` and the same sentence
//! with the same spans scored by `eval` get the same probabilities.

use crate::corpus::Example;
use std::collections::HashMap;

use crate::features::{Extractor, Feature, FeatureParams, Query};
use crate::hash::IdentityBuild;
use crate::model::LinearModel;
use crate::text::Span;
use crate::tokenize::{Token, WordTokenizer};

pub struct Featurizer<'t> {
    extractor: Extractor<'t>,
    tokens: Vec<Token>,
    target: Vec<Span>,
    others: Vec<Span>,
    chars: CharScores,
}

/// Per-thread state for scoring character n-grams without extracting them
/// per target: each distinct word's n-gram slots in the model (cached
/// across texts), how many of the text's words hold each slot, and the
/// text's sums. A target's character family is the text's sums minus the
/// slots found only in its masked words.
#[derive(Default)]
struct CharScores {
    /// Word (lower-cased text hash) -> range in `arena` of its distinct slots.
    words: HashMap<u64, (u32, u32), IdentityBuild>,
    arena: Vec<u32>,
    /// Per token of the current text: its range in `arena`.
    token_slots: Vec<(u32, u32)>,
    /// Per model slot: tokens of the text holding it.
    count: Vec<u32>,
    touched: Vec<u32>,
    sums: [f32; LinearModel::MAX_CLASSES],
    norm: f32,
    ready: bool,
    scratch: Vec<u64>,
    masked: Vec<(u32, u32)>,
    /// The model the cached slots belong to (its address).
    model: usize,
}

/// Hash of a word's lower-cased text (the word cache's key), without
/// allocating for ordinary ASCII words.
fn lower_hash(w: &str) -> u64 {
    if w.len() <= 64 && w.is_ascii() {
        let mut b = [0u8; 64];
        b[..w.len()].copy_from_slice(w.as_bytes());
        b[..w.len()].make_ascii_lowercase();
        return crate::hash::bytes(0x5EED, &b[..w.len()]);
    }
    crate::hash::str(0x5EED, &w.to_lowercase())
}

/// Words cached per thread before the cache starts over.
const WORD_CACHE: usize = 200_000;

/// One target of a text, as spans: the main mention first, then the
/// further mentions of the same actor.
#[derive(Debug, Clone, PartialEq)]
pub struct TargetSpans<'a> {
    pub name: &'a str,
    pub spans: Vec<Span>,
}

impl<'t> Featurizer<'t> {
    pub fn new(params: &FeatureParams, tokenizer: &'t WordTokenizer) -> Self {
        Featurizer {
            extractor: Extractor::new(params, tokenizer),
            tokens: Vec::new(),
            target: Vec::new(),
            others: Vec::new(),
            chars: CharScores::default(),
        }
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
        for &slot in &self.chars.touched {
            self.chars.count[slot as usize] = 0;
        }
        self.chars.touched.clear();
        self.chars.ready = false;
    }

    /// Features of target `i` among `targets` of the text last set: the
    /// other targets' spans are marked as others.
    pub fn features(&mut self, text: &str, targets: &[TargetSpans], i: usize, out: &mut Vec<Feature>) {
        self.extract(text, targets, i, out, false);
    }

    /// Class probabilities of target `i`: the same as `model.predict` on
    /// [`Self::features`] (to rounding), but the character n-grams, most of
    /// the features, are looked up once per distinct word and summed once
    /// per text rather than per target.
    pub fn score(&mut self, model: &LinearModel, text: &str, targets: &[TargetSpans], i: usize, feats: &mut Vec<Feature>) -> Vec<f64> {
        let family = match self.extractor.chars_family() {
            Some(f) if !self.extractor.conjoins() => f,
            _ => {
                self.extract(text, targets, i, feats, false);
                return model.score_features(feats);
            }
        };
        self.extract(text, targets, i, feats, true);
        if !self.chars.ready {
            self.text_chars(model, text);
        }
        let k = model.n_classes();
        let c = &mut self.chars;
        let (mut sums, mut norm) = (c.sums, c.norm);
        // Slots held only by masked words drop out for this target.
        c.masked.clear();
        for (t, &kept) in self.extractor.kept_tokens().iter().enumerate() {
            if !kept {
                let (a, b) = c.token_slots[t];
                c.masked.extend(c.arena[a as usize..b as usize].iter().map(|&s| (s, 1)));
            }
        }
        c.masked.sort_unstable();
        crate::model::merge_runs(&mut c.masked);
        for &(slot, n) in &c.masked {
            if n == c.count[slot as usize] {
                model.accumulate(slot, &mut sums[..k], &mut norm, -1.0);
            }
        }
        model.score_with_family(feats, family, &sums[..k], norm)
    }

    /// Slots, counts and sums of the current text's character n-grams.
    fn text_chars(&mut self, model: &LinearModel, text: &str) {
        let c = &mut self.chars;
        // Cached slots belong to one model: start over if another is used.
        let id = model as *const LinearModel as usize;
        if c.model != id {
            c.model = id;
            c.words.clear();
            c.arena.clear();
            c.count = vec![0; model.slot_count()];
        }
        if c.words.len() > WORD_CACHE {
            c.words.clear();
            c.arena.clear();
        }
        c.token_slots.clear();
        let unk = self.extractor.tokenizer().unk();
        for (i, t) in self.tokens.iter().enumerate() {
            // A known word's hash is already at hand; unknown words all
            // share one word hash, so they are keyed by their own text.
            let key = if t.id != unk {
                self.extractor.word_hashes()[i]
            } else {
                lower_hash(&text[t.byte_start as usize..t.byte_end as usize])
            };
            let range = match c.words.get(&key) {
                Some(&r) => r,
                None => {
                    c.scratch.clear();
                    self.extractor.token_chars(text, t, &mut c.scratch);
                    let start = c.arena.len() as u32;
                    c.arena.extend(c.scratch.iter().filter_map(|&h| model.slot(h)));
                    let tail = &mut c.arena[start as usize..];
                    tail.sort_unstable();
                    let n = {
                        let mut w = 0;
                        for r in 0..tail.len() {
                            if r == 0 || tail[r] != tail[w - 1] {
                                tail[w] = tail[r];
                                w += 1;
                            }
                        }
                        w
                    };
                    c.arena.truncate(start as usize + n);
                    let r = (start, c.arena.len() as u32);
                    c.words.insert(key, r);
                    r
                }
            };
            c.token_slots.push(range);
        }
        // Tokens per slot, and the text's sums over distinct slots.
        let k = model.n_classes();
        c.sums = [0.0; LinearModel::MAX_CLASSES];
        c.norm = 0.0;
        for &(a, b) in &c.token_slots {
            for &slot in &c.arena[a as usize..b as usize] {
                let n = &mut c.count[slot as usize];
                if *n == 0 {
                    c.touched.push(slot);
                    model.accumulate(slot, &mut c.sums[..k], &mut c.norm, 1.0);
                }
                *n += 1;
            }
        }
        c.ready = true;
    }

    fn extract(&mut self, text: &str, targets: &[TargetSpans], i: usize, out: &mut Vec<Feature>, skip_chars: bool) {
        self.target.clear();
        self.target.extend_from_slice(&targets[i].spans);
        self.others.clear();
        for (j, t) in targets.iter().enumerate() {
            if j != i {
                let mine = &self.target;
                self.others.extend(t.spans.iter().filter(|s| !mine.iter().any(|m| m.overlaps(s))));
            }
        }
        let q = Query { text, tokens: &self.tokens, target: &self.target, others: &self.others, name: targets[i].name, prepared: true, skip_chars };
        self.extractor.extract(&q, out);
    }

    /// Features of every target of a labelled example, in order.
    pub fn example(&mut self, ex: &Example) -> Vec<Vec<Feature>> {
        self.set_text(&ex.text);
        let targets = example_targets(ex);
        (0..targets.len())
            .map(|i| {
                let mut out = Vec::new();
                self.features(&ex.text, &targets, i, &mut out);
                out
            })
            .collect()
    }
}

pub fn example_targets(ex: &Example) -> Vec<TargetSpans<'_>> {
    ex.targets
        .iter()
        .map(|t| TargetSpans {
            name: &t.name,
            spans: t.span.iter().copied().chain(t.further.iter().copied()).collect(),
        })
        .collect()
}

/// One value per rayon worker thread, kept across batches. `map_init`
/// would build a new featurizer for every piece rayon splits a batch into,
/// throwing away its word cache each time (measured: about a fifth of the
/// scoring time went to refilling it).
pub struct PerThread<T> {
    slots: Vec<std::sync::Mutex<T>>,
}

impl<T> PerThread<T> {
    /// One value for each thread of the current rayon pool (plus one for
    /// callers outside it).
    pub fn new(make: impl Fn() -> T) -> Self {
        PerThread { slots: (0..rayon::current_num_threads() + 1).map(|_| std::sync::Mutex::new(make())).collect() }
    }

    /// Run `f` with this thread's value. Each worker only ever takes its
    /// own slot, so the lock is never contended.
    pub fn with<R>(&self, f: impl FnOnce(&mut T) -> R) -> R {
        let i = rayon::current_thread_index().map_or(self.slots.len() - 1, |i| i.min(self.slots.len() - 2));
        let mut guard = self.slots[i].lock().unwrap_or_else(|e| e.into_inner());
        f(&mut guard)
    }
}
