//! The shared path from a text and its target spans to hashed features.
//! `train`, `eval` and `predict` all go through [`Featurizer`], which is
//! what guarantees that a sentence scored by `predict` and the same sentence
//! with the same spans scored by `eval` get the same probabilities.

use crate::corpus::Example;
use crate::features::{Extractor, Feature, FeatureParams, Query};
use crate::model::LinearModel;
use crate::text::Span;
use crate::tokenize::{Token, WordTokenizer};

pub struct Featurizer<'t> {
    extractor: Extractor<'t>,
    tokens: Vec<Token>,
    target: Vec<Span>,
    others: Vec<Span>,
    /// Scoring table slots of the text's character n-grams, looked up once
    /// per text (`None` until the first `score` of a text).
    char_slots: Option<Vec<Option<u32>>>,
    scratch_hashes: Vec<u64>,
    kept: Vec<bool>,
}

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
            char_slots: None,
            scratch_hashes: Vec::new(),
            kept: Vec::new(),
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
        self.char_slots = None;
    }

    pub fn tokens(&self) -> &[Token] {
        &self.tokens
    }

    /// Features of target `i` among `targets` of the text last set: the
    /// other targets' spans are marked as others.
    pub fn features(&mut self, text: &str, targets: &[TargetSpans], i: usize, out: &mut Vec<Feature>) {
        self.extract(text, targets, i, out, false);
    }

    /// Class probabilities of target `i`: the same as `model.predict` on
    /// [`Self::features`], but the text's character n-grams (most of the
    /// features) are looked up in the model once per text, not per target.
    pub fn score(&mut self, model: &LinearModel, text: &str, targets: &[TargetSpans], i: usize, feats: &mut Vec<Feature>) -> Vec<f64> {
        let family = match self.extractor.chars_family() {
            Some(f) if !self.extractor.conjoins() => f,
            _ => {
                self.extract(text, targets, i, feats, false);
                return model.score_features(feats);
            }
        };
        self.extract(text, targets, i, feats, true);
        if self.char_slots.is_none() {
            self.extractor.char_group_hashes(&mut self.scratch_hashes);
            self.char_slots = Some(self.scratch_hashes.iter().map(|&h| model.slot(h)).collect());
        }
        self.extractor.char_groups_kept(&mut self.kept);
        let slots = self.char_slots.as_ref().expect("filled above");
        let kept = &self.kept;
        model.score_split(feats, family, slots.iter().zip(kept).filter_map(|(s, &k)| if k { *s } else { None }))
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
