//! Target-aware features: the stage between tokens and the model.
//!
//! For one target in one text we build a [`Masked`] view: the target's
//! tokens become `<T>`, other targets' tokens `<O>` (see [`masked`]). Each
//! feature *family* reads that view and emits hashed features through an
//! [`Emitter`]; each family is L2-normalised on its own (as scikit-learn's
//! stacked TF-IDF blocks are, see [`to_row`]), so that the hundreds of
//! character n-grams do not drown the few context words.
//!
//! # Adding a family
//!
//! One new file implementing [`FeatureFamily`], and one line: its name in
//! [`Family`] (the name `--no-feature` and `bundle.json` use, and the
//! family's normalisation slot) together with its constructor in
//! [`REGISTRY`]. The registry's order is the order features are emitted,
//! which fixes the order of a row's entries and so the model bytes: new
//! families go last. The unit test `a_new_family_needs_one_file_and_one_line`
//! adds a toy family that way.
//!
//! # Where a dense family goes (the planned `encoder` family)
//!
//! A frozen transformer runs once per sentence, batched across sentences
//! *before* extraction, and yields per target a fixed-size `f32` block
//! (span mean over some layers, sentence mean, `[CLS]`), standardised and
//! scaled. The places for it:
//! - per-text input: the batch pass fills a per-sentence context that
//!   [`TextView`] carries to [`FeatureFamily::prepare`] (as the lexicon
//!   family's polarities are computed there today); the family keeps the
//!   sentence's token states and reads them in `emit` through the target's
//!   tokens in [`Masked`] (`query.target`, `slot_of`);
//! - output: [`Emitter`] gets a dense channel (`dense(&[f32])`) beside
//!   `emit`, written to a per-target block rather than to the hashed list;
//! - rows: [`to_row`] (training) and `LinearModel::score_features`
//!   (scoring) append that block as fixed columns after the sparse
//!   vocabulary columns, already scaled, so it takes no part in the
//!   per-family hash normalisation.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::tokenize::{Token, WordTokenizer};

mod chars;
mod clause;
mod context;
pub mod encoder;
mod lexicon;
pub mod masked;
mod mention;
mod ngrams;
mod params;

pub use masked::Masked;
pub use params::{CheckedFeatureParams, FeatureParams};

use masked::{Marks, MaskedBuf};

/// The feature families; each can be switched off for ablations. The
/// number is the family's normalisation slot (stored with every feature).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
#[repr(u8)]
pub enum Family {
    /// Word unigrams and bigrams of the masked sentence.
    Ngrams = 0,
    /// Words left and right of the target, with side and distance.
    Context = 1,
    /// Character 2-5-grams of the masked sentence's words, counted per
    /// occurrence (term frequency, as scikit-learn's `char_wb`). The
    /// family's norm is the sum over occurrences of idf^2, so a text's
    /// value is a sum of per-word values, which the scoring path caches
    /// per word (`pipeline::Scorer`).
    Chars = 2,
    /// The words of the target mention itself (an actor's prior).
    Mention = 3,
    /// Words of the target's own clause (up to punctuation or another
    /// target), with side: which sentiment words belong to this target.
    Clause = 4,
    /// Prior sentiment of the words around the target (the VADER lexicon,
    /// see [`crate::lexicon`]) by side, distance and clause: generalises to
    /// sentiment words that training never saw next to a target. Chosen on
    /// NewsMTSC dev-mt + dev-rw (macro-F1 sum 1.406 -> 1.430); a
    /// sentence-wide count and turning polarity around after "not"/"no"
    /// both scored lower there.
    Lexicon = 5,
    /// A family that only the unit tests register.
    #[cfg(test)]
    #[value(skip)]
    Toy = 6,
}

/// The families in slot order (the default: all of them).
pub const FAMILIES: [Family; 6] = [Family::Ngrams, Family::Context, Family::Chars, Family::Mention, Family::Clause, Family::Lexicon];

/// Number of normalisation slots (every family's number is below it).
#[cfg(not(test))]
pub const N_FAMILIES: usize = FAMILIES.len();
#[cfg(test)]
pub const N_FAMILIES: usize = FAMILIES.len() + 1;

/// How to build a family's extractor from the settings and the tokenizer.
pub type Build = fn(&FeatureParams, &WordTokenizer) -> Box<dyn FeatureFamily>;

/// Every family, in emission order (see the module docs): the one place a
/// family is registered.
pub const REGISTRY: &[(Family, Build)] = &[
    (Family::Ngrams, |_, _| Box::new(ngrams::Ngrams)),
    (Family::Context, |_, _| Box::new(context::Context)),
    (Family::Clause, |_, _| Box::new(clause::Clause)),
    (Family::Lexicon, |_, tk| Box::new(lexicon::Lexicon::new(tk.words().len()))),
    (Family::Mention, |_, _| Box::new(mention::Mention)),
    (Family::Chars, |p, _| Box::new(chars::Chars::new(p))),
];

/// One feature family: reads the masked view of a target and emits
/// hashed features.
pub trait FeatureFamily: Send {
    /// Called once per text, before its targets: work that does not
    /// depend on the target (a text with several targets pays it once).
    fn prepare(&mut self, _text: &TextView) {}

    /// The features of one target.
    fn emit(&mut self, view: &Masked, out: &mut Emitter);

    /// Whether a feature counts once per occurrence (term frequency)
    /// rather than once per target (binary, the default). Such families
    /// emit after the binary ones are de-duplicated.
    fn counts_repeats(&self) -> bool {
        false
    }

    /// Drop per-text scratch a huge text grew, so that each thread does
    /// not keep it for good.
    fn shrink_scratch(&mut self) {}
}

/// Scratch vectors longer than this are dropped after a text.
pub(crate) const KEEP_SCRATCH: usize = 1 << 20;

/// The per-text input of [`FeatureFamily::prepare`].
pub struct TextView<'a> {
    pub text: &'a str,
    pub tokens: &'a [Token],
    /// Each token's word hash.
    pub word_hashes: &'a [u64],
    pub tokenizer: &'a WordTokenizer,
}

/// Where a family's features go, tagged with its family number; keeps
/// each feature's readable name when explaining.
pub struct Emitter<'a> {
    out: &'a mut Vec<Feature>,
    names: Option<&'a mut HashMap<u64, String>>,
    family: u8,
    /// Record names but leave the features out (the caller scores this
    /// family itself).
    names_only: bool,
}

impl Emitter<'_> {
    /// Emit feature `h`; `name` is called only when explaining, and only
    /// for the first feature with that hash.
    #[inline]
    pub fn emit(&mut self, h: u64, name: impl FnOnce() -> String) {
        if !self.names_only {
            self.out.push((h, self.family));
        }
        if let Some(n) = self.names.as_deref_mut() {
            n.entry(h).or_insert_with(name);
        }
    }

    /// Whether names are kept: a family may skip work needed only for them.
    pub fn explaining(&self) -> bool {
        self.names.is_some()
    }
}

/// What to extract features for: one target in one tokenized text.
#[derive(Debug, Clone, Copy)]
pub struct Query<'a> {
    pub text: &'a str,
    pub tokens: &'a [Token],
    /// The target's mention (first) and its further mentions.
    pub target: &'a [crate::text::Span],
    /// Mentions of other targets in the same text.
    pub others: &'a [crate::text::Span],
    /// The target's name, for conjoined features.
    pub name: &'a str,
    /// Whether [`Extractor::prepare`] already ran on this text and tokens.
    pub prepared: bool,
    /// Leave this family's features out of `out`: the caller scores it
    /// itself (the character n-grams, from [`Extractor::token_chars`]; see
    /// `pipeline::Scorer`).
    pub skip: Option<Family>,
}

/// A hashed feature and its family's number.
pub type Feature = (u64, u8);

/// Turns queries into hashed features: the registered families of the
/// settings, run in order. Holds per-text caches and scratch buffers, so
/// keep one per thread and reuse it.
pub struct Extractor<'t> {
    params: CheckedFeatureParams,
    tokenizer: &'t WordTokenizer,
    marks: Marks,
    families: Vec<(Family, Box<dyn FeatureFamily>)>,
    /// Word hash of each vocabulary id, computed once.
    vocab_hash: Vec<u64>,
    /// Per text (see [`Extractor::prepare`]): each token's word hash.
    word_hashes: Vec<u64>,
    masked: MaskedBuf,
    /// After `extract`: whether each token is one of the n-gram words.
    kept: Vec<bool>,
    /// Feature names by hash, kept only when explaining.
    names: Option<HashMap<u64, String>>,
    chars: chars::CharGrams,
    char_buf: Vec<char>,
    lower: String,
    /// Scratch hash set for `dedup_in_order`.
    seen: Vec<u64>,
}

impl<'t> Extractor<'t> {
    pub fn new(params: &CheckedFeatureParams, tokenizer: &'t WordTokenizer) -> Self {
        Self::with_registry(params, tokenizer, REGISTRY)
    }

    /// An extractor over the families of `registry` that `params` switches on.
    pub fn with_registry(params: &CheckedFeatureParams, tokenizer: &'t WordTokenizer, registry: &[(Family, Build)]) -> Self {
        let s = params.seed;
        Extractor {
            params: params.clone(),
            tokenizer,
            marks: Marks::new(s),
            families: registry.iter().filter(|(f, _)| params.has(*f)).map(|(f, build)| (*f, build(params, tokenizer))).collect(),
            vocab_hash: tokenizer.words().iter().map(|w| crate::hash::str(s, w)).collect(),
            word_hashes: Vec::new(),
            masked: MaskedBuf::default(),
            kept: Vec::new(),
            names: None,
            chars: chars::CharGrams::new(params),
            char_buf: Vec::with_capacity(32),
            lower: String::new(),
            seen: Vec::new(),
        }
    }

    /// Drop scratch space a huge text grew (character n-grams of a 5 MB
    /// sentence: 134 MB), so that each thread does not keep it for good.
    pub fn shrink_scratch(&mut self) {
        if self.seen.capacity() > KEEP_SCRATCH {
            self.seen = Vec::new();
        }
        for (_, f) in &mut self.families {
            f.shrink_scratch();
        }
    }

    /// Compute what does not depend on the target: each token's word hash,
    /// then each family's per-text work.
    pub fn prepare(&mut self, text: &str, tokens: &[Token]) {
        self.word_hashes.clear();
        let unk = self.tokenizer.unk();
        for t in tokens {
            // A known word's lower-cased text is its vocabulary entry.
            // Hashes go through the lower-cased text rather than the
            // vocabulary id: ids are tokenizer-specific, words are not.
            let h = match self.vocab_hash.get(t.id as usize) {
                _ if t.id == unk => self.marks.unk,
                Some(&h) => h,
                None => {
                    crate::tokenize::lower_into(&text[t.byte_start as usize..t.byte_end as usize], &mut self.lower);
                    crate::hash::str(self.params.seed, &self.lower)
                }
            };
            self.word_hashes.push(h);
        }
        let view = TextView { text, tokens, word_hashes: &self.word_hashes, tokenizer: self.tokenizer };
        for (_, f) in &mut self.families {
            f.prepare(&view);
        }
    }

    /// The character n-gram hashes of one token, appended to `out`.
    pub fn token_chars(&mut self, text: &str, t: &Token, out: &mut Vec<u64>) {
        self.chars.each(text, t, &mut self.char_buf, |h, _| out.push(h));
    }

    /// Each token's word hash, from the last `prepare`.
    pub fn word_hashes(&self) -> &[u64] {
        &self.word_hashes
    }

    /// After `extract`: whether each token counted for the target's
    /// character n-grams (false for the masked target words).
    pub fn kept_tokens(&self) -> &[bool] {
        &self.kept
    }

    /// The character family's number, when it is switched on.
    pub fn chars_family(&self) -> Option<u8> {
        self.params.has(Family::Chars).then_some(Family::Chars as u8)
    }

    pub fn conjoins(&self) -> bool {
        self.params.conjoin_target
    }

    /// Keep readable names of the features extracted, for `--explain`.
    pub fn explaining(mut self) -> Self {
        self.names = Some(HashMap::new());
        self
    }

    /// The readable name of a feature extracted since the last `clear_names`.
    pub fn name_of(&self, h: u64) -> Option<&str> {
        self.names.as_ref().and_then(|n| n.get(&h)).map(|s| s.as_str())
    }

    pub fn clear_names(&mut self) {
        if let Some(n) = self.names.as_mut() {
            n.clear();
        }
    }

    pub fn tokenizer(&self) -> &WordTokenizer {
        self.tokenizer
    }

    /// Extract the features of `q` into `out` (cleared first): the binary
    /// families' features once each, then the counting families', then,
    /// with `conjoin_target`, a copy of each conjoined with the target.
    pub fn extract(&mut self, q: &Query, out: &mut Vec<Feature>) {
        out.clear();
        if !q.prepared {
            self.prepare(q.text, q.tokens);
        }
        let explaining = self.names.is_some();
        let view = self.masked.build(*q, &self.params, &self.marks, &self.word_hashes, explaining);
        self.kept.clear();
        self.kept.resize(q.tokens.len(), false);
        for &i in view.ngram_words {
            self.kept[i] = true;
        }
        for repeats in [false, true] {
            for (family, f) in self.families.iter_mut().filter(|(_, f)| f.counts_repeats() == repeats) {
                let skip = q.skip == Some(*family);
                if skip && !explaining {
                    continue;
                }
                let mut e = Emitter { out: &mut *out, names: self.names.as_mut(), family: *family as u8, names_only: skip };
                f.emit(&view, &mut e);
            }
            if !repeats {
                // Every word-level feature counts once (binary features:
                // counting repeats lost 1.4 points of macro-F1 on NewsMTSC
                // dev-mt).
                dedup_in_order(out, &mut self.seen);
            }
        }
        if self.params.conjoin_target {
            let lower = q.name.to_lowercase();
            let name = crate::hash::str(self.params.seed ^ 0xC0, &lower);
            let n = out.len();
            for k in 0..n {
                let (h, f) = out[k];
                let conj = crate::hash::mix(name, h);
                out.push((conj, f));
                if let Some(names) = self.names.as_mut() {
                    let base = names.get(&h).cloned().unwrap_or_default();
                    names.entry(conj).or_insert_with(|| format!("{lower}|{base}"));
                }
            }
        }
    }
}

/// Drop repeated features, keeping the first of each in place. A small
/// open-addressing set over the hashes: about a hundred features per
/// target, where sorting them took an eighth of all scoring time.
fn dedup_in_order(out: &mut Vec<Feature>, seen: &mut Vec<u64>) {
    let cap = (out.len() * 2).next_power_of_two().max(64);
    seen.clear();
    seen.resize(cap, 0);
    let mask = cap - 1;
    let mut w = 0;
    for r in 0..out.len() {
        let h = out[r].0;
        // 0 marks an empty cell; a feature hashed to 0 is simply kept.
        let mut at = (h as usize) & mask;
        let fresh = loop {
            if h == 0 {
                break true;
            }
            match seen[at] {
                0 => {
                    seen[at] = h;
                    break true;
                }
                x if x == h => break false,
                _ => at = (at + 1) & mask,
            }
        };
        if fresh {
            out[w] = out[r];
            w += 1;
        }
    }
    out.truncate(w);
}

/// Turn hashed features into a sparse row over the model's columns: drop
/// features the model does not know, weight each by its IDF (from
/// `lookup`, with the column), then scale each family by one over the
/// square root of its entries' summed squares: the L2 norm when every
/// feature occurs once; a feature that occurs twice (a character n-gram in
/// two words) is two entries. Training goes through here and the scoring
/// path computes the same sums (a test checks both agree).
pub fn to_row(features: &[Feature], lookup: impl Fn(u64) -> Option<(u32, f32)>, cols: &mut Vec<u32>, vals: &mut Vec<f32>) {
    cols.clear();
    vals.clear();
    let mut norm = [0f32; N_FAMILIES];
    let mut fams: Vec<u8> = Vec::with_capacity(features.len());
    for &(h, f) in features {
        if let Some((c, w)) = lookup(h) {
            cols.push(c);
            vals.push(w);
            fams.push(f);
            norm[f as usize] += w * w;
        }
    }
    let scale: Vec<f32> = norm.iter().map(|&n| if n == 0.0 { 0.0 } else { 1.0 / n.sqrt() }).collect();
    for (v, &f) in vals.iter_mut().zip(&fams) {
        *v *= scale[f as usize];
    }
}

/// [`to_row`] with each column once, its repeats summed, built in place:
/// the same values bit for bit (norms summed in feature order, repeats
/// added one by one) without copying every occurrence into three more
/// vectors. A 5 MB sentence has some 17 million character n-gram
/// occurrences of a few thousand distinct features; the copies took 0.5 GB.
/// Sorts `features`.
pub fn to_merged_row(features: &mut [Feature], lookup: impl Fn(u64) -> Option<(u32, f32)>, cols: &mut Vec<u32>, vals: &mut Vec<f32>) {
    let mut norm = [0f32; N_FAMILIES];
    for &(h, f) in features.iter() {
        if let Some((_, w)) = lookup(h) {
            norm[f as usize] += w * w;
        }
    }
    let scale: Vec<f32> = norm.iter().map(|&n| if n == 0.0 { 0.0 } else { 1.0 / n.sqrt() }).collect();
    features.sort_unstable();
    let mut row: Vec<(u32, f32)> = Vec::new();
    for run in features.chunk_by(|a, b| a == b) {
        let (h, f) = run[0];
        if let Some((c, w)) = lookup(h) {
            let v = w * scale[f as usize];
            let mut sum = v;
            for _ in 1..run.len() {
                sum += v;
            }
            row.push((c, sum));
        }
    }
    row.sort_unstable_by_key(|e| e.0);
    // One hash under two families (a collision) is one column: one entry.
    row.dedup_by(|b, a| {
        let same = a.0 == b.0;
        if same {
            a.1 += b.1;
        }
        same
    });
    cols.clear();
    vals.clear();
    cols.extend(row.iter().map(|e| e.0));
    vals.extend(row.iter().map(|e| e.1));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hash;
    use crate::text::Span;
    use crate::tokenize;

    fn tok() -> WordTokenizer {
        let t = tokenize::train(["maduro blamed guaido for the crisis".to_string()].into_iter(), 1).unwrap();
        WordTokenizer::from_tokenizer(&t).unwrap()
    }

    fn feats(params: &FeatureParams, text: &str, target: Span, others: &[Span]) -> Vec<Feature> {
        let wt = tok();
        let mut toks = Vec::new();
        wt.tokenize(text, &mut toks);
        let mut ex = Extractor::new(&params.check().unwrap(), &wt);
        let mut out = Vec::new();
        ex.extract(&Query { text, tokens: &toks, target: &[target], others, name: "x", prepared: false, skip: None }, &mut out);
        out
    }

    #[test]
    fn lexicon_features_place_sentiment_words_around_the_target() {
        let names = |text: &str, target: Span| -> Vec<String> {
            let wt = tok();
            let mut toks = Vec::new();
            wt.tokenize(text, &mut toks);
            let mut ex = Extractor::new(&CheckedFeatureParams::default(), &wt).explaining();
            let mut out = Vec::new();
            ex.extract(&Query { text, tokens: &toks, target: &[target], others: &[], name: "x", prepared: false, skip: None }, &mut out);
            let mut v: Vec<String> = out.iter().filter(|f| f.1 == Family::Lexicon as u8).map(|f| ex.name_of(f.0).unwrap().to_string()).collect();
            v.sort();
            v
        };
        // "praised" is not in the tokenizer's vocabulary: looked up by its text.
        assert_eq!(
            names("Maduro praised Guaido for the crisis", Span::new(15, 21)),
            ["lexicon:left-near=strongly-positive", "lexicon:own-clause=strongly-positive", "lexicon:right-near=strongly-negative", "lexicon:own-clause=strongly-negative"]
                .iter()
                .map(|s| s.to_string())
                .collect::<std::collections::BTreeSet<_>>()
                .into_iter()
                .collect::<Vec<_>>()
        );
        // A comma ends the target's clause ("sadly" -1.8 is outside it);
        // distance is counted in tokens ("crisis" -3.1 is 11 away).
        let far = names("Maduro, sadly, spoke of one two three four five six crisis", Span::new(0, 6));
        assert!(far.contains(&"lexicon:other-clause=negative".to_string()), "{far:?}");
        assert!(far.contains(&"lexicon:right-near=negative".to_string()), "{far:?}");
        assert!(far.contains(&"lexicon:right-far=strongly-negative".to_string()), "{far:?}");
        assert!(!far.iter().any(|f| f.starts_with("lexicon:own-clause")), "{far:?}");
        assert!(names("Maduro spoke to Guaido", Span::new(0, 6)).is_empty());
    }

    #[test]
    fn target_is_masked_and_side_matters() {
        let p = FeatureParams::default();
        let s = "Maduro blamed Guaido for the crisis";
        let a = feats(&p, s, Span::new(0, 6), &[Span::new(14, 20)]);
        let b = feats(&p, s, Span::new(14, 20), &[Span::new(0, 6)]);
        // Same words, different target: the features must differ (context sides swap).
        assert_ne!(a, b);
        // Masking makes the target's identity invisible outside the Mention family.
        let no_mention = FeatureParams { families: vec![Family::Ngrams, Family::Context], ..p.clone() };
        let x = feats(&no_mention, "Maduro blamed the crisis", Span::new(0, 6), &[]);
        let y = feats(&no_mention, "Guaido blamed the crisis", Span::new(0, 6), &[]);
        assert_eq!(x, y);
        let unmasked = FeatureParams { mask_target: false, ..no_mention };
        let x = feats(&unmasked, "Maduro blamed the crisis", Span::new(0, 6), &[]);
        let y = feats(&unmasked, "Guaido blamed the crisis", Span::new(0, 6), &[]);
        assert_ne!(x, y);
    }

    #[test]
    fn other_targets_are_marked_for_context_only() {
        let s = "Maduro blamed Guaido for the crisis";
        let ctx = FeatureParams { families: vec![Family::Context], ..Default::default() };
        let off = feats(&ctx, s, Span::new(0, 6), &[Span::new(14, 20)]);
        let on = feats(&FeatureParams { mark_others: true, ..ctx }, s, Span::new(0, 6), &[Span::new(14, 20)]);
        assert_ne!(off, on);
        let ng = FeatureParams { families: vec![Family::Ngrams], ..Default::default() };
        let off = feats(&ng, s, Span::new(0, 6), &[Span::new(14, 20)]);
        let on = feats(&FeatureParams { mark_others: true, ..ng }, s, Span::new(0, 6), &[Span::new(14, 20)]);
        assert_eq!(off, on);
    }

    #[test]
    fn families_and_conjunction_add_features() {
        let s = "Maduro blamed Guaido for the crisis";
        let all = feats(&FeatureParams::default(), s, Span::new(0, 6), &[]);
        for f in FAMILIES {
            let without = FeatureParams { families: FAMILIES.iter().copied().filter(|x| *x != f).collect(), ..Default::default() };
            let fewer = feats(&without, s, Span::new(0, 6), &[]);
            assert!(fewer.len() < all.len(), "{f:?}");
        }
        let conj = feats(&FeatureParams { conjoin_target: true, ..Default::default() }, s, Span::new(0, 6), &[]);
        assert_eq!(conj.len(), 2 * all.len());
    }

    #[test]
    fn word_hashes_by_vocabulary_id_equal_hashes_of_the_text() {
        let wt = tok();
        let text = "MADURO Blamed an unseen Word";
        let mut toks = Vec::new();
        wt.tokenize(text, &mut toks);
        let p = FeatureParams { seed: 7, ..Default::default() };
        let mut ex = Extractor::new(&p.check().unwrap(), &wt);
        ex.prepare(text, &toks);
        for (t, &h) in toks.iter().zip(ex.word_hashes()) {
            let lower = text[t.byte_start as usize..t.byte_end as usize].to_lowercase();
            if t.id == wt.unk() {
                assert_eq!(h, hash::str(7, "\u{1}<unk>"), "{lower}");
            } else {
                assert_eq!(h, hash::str(7, &lower), "{lower}");
            }
        }
        assert!(toks.iter().any(|t| t.id == wt.unk()) && toks.iter().any(|t| t.id != wt.unk()));
    }

    #[test]
    fn rows_have_unit_norm_per_family() {
        let f = feats(&FeatureParams::default(), "Maduro blamed Guaido", Span::new(0, 6), &[]);
        let (mut cols, mut vals) = (Vec::new(), Vec::new());
        to_row(&f, |h| Some(((h % 1000) as u32, 1.0 + (h % 3) as f32)), &mut cols, &mut vals);
        let mut norms = [0f32; N_FAMILIES];
        for (k, &(_, fam)) in f.iter().enumerate() {
            norms[fam as usize] += vals[k] * vals[k];
        }
        for f in FAMILIES {
            let n = norms[f as usize];
            assert!((n - 1.0).abs() < 1e-5, "{f:?}: {n}");
        }
    }

    /// The toy family's own file: one feature, the sentence's length.
    mod toy {
        use crate::features::{Emitter, FeatureFamily, Masked};

        pub struct Length;

        impl FeatureFamily for Length {
            fn emit(&mut self, v: &Masked, out: &mut Emitter) {
                let n = v.query.tokens.len();
                out.emit(crate::hash::mix(0x70E, n as u64), || format!("length={n}"));
            }
        }
    }

    #[test]
    fn a_new_family_needs_one_file_and_one_line() {
        // The registration line, here added to a copy of the registry.
        let registry: Vec<(Family, Build)> = REGISTRY.iter().copied().chain([(Family::Toy, (|_, _| Box::new(toy::Length)) as Build)]).collect();
        let p = FeatureParams { families: FAMILIES.iter().copied().chain([Family::Toy]).collect(), ..Default::default() }.check().unwrap();
        let wt = tok();
        let text = "Maduro blamed Guaido for the crisis";
        let mut toks = Vec::new();
        wt.tokenize(text, &mut toks);
        let q = Query { text, tokens: &toks, target: &[Span::new(0, 6)], others: &[], name: "x", prepared: false, skip: None };
        let (mut before, mut after) = (Vec::new(), Vec::new());
        Extractor::new(&p, &wt).extract(&q, &mut before);
        let mut ex = Extractor::with_registry(&p, &wt, &registry).explaining();
        ex.extract(&q, &mut after);
        // The toy's feature comes after the binary families and before the
        // counting ones (the character n-grams), in its own family.
        let toy: Vec<&Feature> = after.iter().filter(|f| f.1 == Family::Toy as u8).collect();
        assert_eq!(toy.len(), 1);
        assert_eq!(ex.name_of(toy[0].0), Some("length=6"));
        let without: Vec<Feature> = after.iter().copied().filter(|f| f.1 != Family::Toy as u8).collect();
        assert_eq!(without, before);
        // It is normalised on its own: its one feature gets value 1.
        let (mut cols, mut vals) = (Vec::new(), Vec::new());
        to_row(&after, |h| Some(((h % 1000) as u32, 2.5)), &mut cols, &mut vals);
        let at = after.iter().position(|f| f.1 == Family::Toy as u8).unwrap();
        assert!((vals[at] - 1.0).abs() < 1e-6, "{}", vals[at]);
    }

    #[test]
    fn explain_names_follow_every_family_and_the_conjunction() {
        let wt = tok();
        let text = "Maduro blamed Guaido for the crisis";
        let mut toks = Vec::new();
        wt.tokenize(text, &mut toks);
        let p = FeatureParams { conjoin_target: true, ..Default::default() }.check().unwrap();
        let mut ex = Extractor::new(&p, &wt).explaining();
        let mut out = Vec::new();
        ex.extract(&Query { text, tokens: &toks, target: &[Span::new(14, 20)], others: &[], name: "Guaido", prepared: false, skip: None }, &mut out);
        let names: std::collections::HashSet<&str> = out.iter().map(|f| ex.name_of(f.0).unwrap()).collect();
        for want in ["blamed <T>", "left1=blamed", "right1=for", "right-context=the", "left2=\"maduro blamed\"", "target-inside", "left-clause=blamed", "mention=guaido", "chars=\"bla\"", "lexicon:right-near=strongly-negative", "guaido|mention=guaido", "guaido|crisis </s>"] {
            assert!(names.contains(want), "{want} not in {names:?}");
        }
        // Features left to the caller still get names, but no entries.
        let mut skipped = Vec::new();
        ex.clear_names();
        ex.extract(&Query { text, tokens: &toks, target: &[Span::new(14, 20)], others: &[], name: "Guaido", prepared: true, skip: Some(Family::Chars) }, &mut skipped);
        assert!(skipped.iter().all(|f| f.1 != Family::Chars as u8));
        // (The first half of `out`: the features before conjunction.)
        let chars: Vec<&Feature> = out[..out.len() / 2].iter().filter(|f| f.1 == Family::Chars as u8).collect();
        assert!(!chars.is_empty() && chars.iter().all(|f| ex.name_of(f.0).is_some_and(|n| n.starts_with("chars="))));
    }
}
