//! The library's front door: load a model, then score one target in a
//! sentence ([`Model::score`]) or every actor mention of an article
//! ([`Model::predict`]). The stages behind it (tokenizer, features,
//! model, actor finding) stay reachable through their modules.

use std::path::Path;
use std::sync::OnceLock;

use crate::actors::auto::AutoFinder;
use crate::actors::corpus::Groups;
use crate::actors::{Actor, ActorFinder};
use crate::bundle::Bundle;
use crate::error::{Error, Result};
use crate::features::encoder::PoolRequest;
use crate::pipeline::{Scorer, TargetSpans};
use crate::article::{Article, ScoredArticle};
use crate::output::OutputFormat;
use crate::predict::Predictor;
use crate::text::{char_len, slice_chars, Span};

/// A loaded model bundle, ready to score.
pub struct Model {
    bundle: Bundle,
    /// Built on first [`Model::predict`]: scoring spans does not need it.
    finder: OnceLock<AutoFinder>,
}

/// Class probabilities of one target, in the model's label order.
#[derive(Debug, Clone, PartialEq)]
pub struct Scores<'m> {
    pub labels: &'m [String],
    pub probs: Vec<f64>,
}

impl Scores<'_> {
    /// The most probable label (the first on ties).
    pub fn label(&self) -> &str {
        &self.labels[crate::model::argmax(&self.probs)]
    }

    pub fn probability(&self, label: &str) -> Option<f64> {
        self.labels.iter().position(|l| l == label).map(|i| self.probs[i])
    }

    /// P(positive) - P(negative) (or P(favor) - P(against)), in -1..=1.
    pub fn score(&self) -> Option<f64> {
        crate::model::score(self.labels, &self.probs)
    }
}

/// Actors a caller lists, as `predict --actors FILE [--only-listed]`:
/// `finder` finds them — with automatic finding too, unless `only` or the
/// model was trained on topics alone (see [`crate::actors::finder`]) — and
/// with `only` nothing else is scored, the model's topics neither.
#[derive(Clone, Copy)]
pub struct Listed<'a> {
    pub finder: &'a dyn ActorFinder,
    pub only: bool,
}

impl Model {
    /// Load and verify a bundle directory (e.g. the shipped `models/newsmtsc`).
    pub fn load(dir: impl AsRef<Path>) -> Result<Model> {
        Ok(Model::from_bundle(Bundle::load(dir.as_ref())?))
    }

    /// The model the command line would use: `model` (a bundle folder or
    /// an installed model's name), else `$STANCE_MODEL`, else the built-in
    /// default; see [`crate::catalog`] for the search order.
    pub fn open(model: Option<&Path>) -> Result<Model> {
        Ok(Model::from_bundle(crate::catalog::load(model)?))
    }

    /// The default model compiled into the library (`newsmtsc`).
    pub fn builtin() -> Result<Model> {
        Ok(Model::from_bundle(crate::catalog::load_builtin()?))
    }

    pub fn from_bundle(bundle: Bundle) -> Model {
        Model { bundle, finder: OnceLock::new() }
    }

    pub fn bundle(&self) -> &Bundle {
        &self.bundle
    }

    pub fn labels(&self) -> &[String] {
        &self.bundle.model.labels
    }

    /// A scorer with per-text and per-word caches, for scoring many texts
    /// (keep one per thread); [`Model::score`] builds one per call.
    pub fn scorer(&self) -> Scorer<'_> {
        Scorer::for_bundle(&self.bundle)
    }

    /// How `text` frames the target whose mentions are `target`: the main
    /// mention first, then further mentions of the same actor. Spans count
    /// code points (characters), end exclusive. The main mention's text
    /// serves as the target's name.
    pub fn score(&self, text: &str, target: &[Span]) -> Result<Scores<'_>> {
        let Some(&main) = target.first() else {
            return Err(Error::Params("a target needs at least one span".into()));
        };
        let n = char_len(text);
        if let Some(bad) = target.iter().find(|s| s.start >= s.end || s.end > n) {
            return Err(Error::Params(format!("target span {}..{} is empty or outside the text ({n} characters)", bad.start, bad.end)));
        }
        let name = slice_chars(text, main).unwrap_or("");
        let targets = [TargetSpans { name, spans: target.to_vec() }];
        // A model with the `encoder` family needs the target's block.
        let request = PoolRequest { text, targets: vec![target.to_vec()] };
        let dense = self.bundle.pool(std::slice::from_ref(&request))?.and_then(|mut t| t.pop()).and_then(|mut t| t.pop());
        let mut scorer = self.scorer();
        scorer.set_text(text);
        let probs = scorer.score_dense(text, &targets, 0, &mut Vec::new(), dense.as_deref());
        self.bundle.check_probabilities(&probs, &format!("target {name:?}"))?;
        Ok(Scores { labels: self.labels(), probs })
    }

    /// Split an article into sentences, find its actors (proper names,
    /// linked pronouns) and score every mention; a model trained with
    /// topics also scores every sentence for each topic (one trained on
    /// topics alone: its topics only; see [`crate::topics`]).
    /// Fails only when a model's encoder does (a sparse model never fails).
    pub fn predict(&self, article_text: &str) -> Result<ScoredArticle> {
        let p = Predictor::new(&self.bundle, self.finder.get_or_init(AutoFinder::new), 0);
        Self::score_text(&p, article_text)
    }

    /// Score many articles as `stance predict --input jsonl` does (actors
    /// grouped across them), on `threads` worker
    /// threads (default: all cores), rendered in `format` (the same bytes
    /// the command writes, in input order, for any thread count). Without
    /// `listed`, actors are found automatically and the model's topics
    /// scored, as [`Model::predict`] does; with it, as `--actors FILE
    /// [--only-listed]` (see [`Listed`]). For the scored articles
    /// themselves, see [`Model::predict_batches`].
    pub fn predict_rendered(&self, articles: Vec<Article>, listed: Option<Listed>, threads: Option<usize>, format: OutputFormat) -> Result<Vec<u8>> {
        let predictor = self.run_predictor(listed);
        let pool = crate::predict::thread_pool(threads)?;
        // Rows name their model, as the command's do.
        let opts = crate::output::SinkOptions { model: self.bundle.id(), ..Default::default() };
        let sink = crate::output::sink(format, self.labels(), &opts);
        let read = |push: &mut dyn FnMut(Article) -> bool| {
            for a in &articles {
                if !push(a.clone()) {
                    break;
                }
            }
            Ok(())
        };
        // Several articles, as `predict --input jsonl`: actors grouped across them.
        let groups = crate::predict::corpus_actors(&predictor, &pool, read)?;
        let mut out = Vec::new();
        crate::predict::stream(&predictor, &pool, sink.as_ref(), Some(groups), read, &mut out, "<memory>".as_ref(), None)?;
        Ok(out)
    }

    /// Score many articles as `stance predict --input jsonl` does (actors
    /// grouped across them), on `threads` worker threads (default: all
    /// cores), and hand the scored articles to `consume` a batch at a time,
    /// in input order, while the next batch is scored; `consume` returns
    /// false to stop. The articles are the same for any thread count.
    /// `listed` as for [`Model::predict_rendered`]. The path the Python
    /// package takes: it builds its rows from these, not from text.
    pub fn predict_batches(
        &self,
        articles: &[Article],
        listed: Option<Listed>,
        threads: Option<usize>,
        mut consume: impl FnMut(Vec<ScoredArticle>) -> bool,
    ) -> Result<()> {
        let predictor = self.run_predictor(listed);
        let pool = crate::predict::thread_pool(threads)?;
        let read = |push: &mut dyn FnMut(Article) -> bool| {
            for a in articles {
                if !push(a.clone()) {
                    break;
                }
            }
            Ok(())
        };
        let groups = crate::predict::corpus_actors(&predictor, &pool, read)?;
        crate::predict::score_batches(&predictor, &pool, Some(groups), read, |a| a, |batch| Ok(consume(batch)))
    }

    /// The first pass of [`Model::predict_batches`] alone: each article's
    /// actors (name, kind, whether named whole), in input order, before
    /// they are grouped across the articles. A corpus too large for one
    /// machine is grouped as one run by collecting these names in the
    /// corpus's order (each name where it first appears), building
    /// [`Groups::of_names`] from them, and scoring every part with
    /// [`Model::predict_batches_grouped`]: the rows are those of one run
    /// over the whole corpus. The Spark recipe does this.
    pub fn find_actors(&self, articles: &[Article], listed: Option<Listed>, threads: Option<usize>) -> Result<Vec<Vec<Actor>>> {
        let predictor = self.run_predictor(listed);
        let pool = crate::predict::thread_pool(threads)?;
        Ok(crate::predict::article_actors(&predictor, &pool, articles))
    }

    /// [`Model::predict_batches`] with the actors grouped as `groups`
    /// says (see [`Model::find_actors`]) instead of across `articles`
    /// alone; a name `groups` does not know keeps its article's own name.
    pub fn predict_batches_grouped(
        &self,
        articles: &[Article],
        listed: Option<Listed>,
        threads: Option<usize>,
        groups: &Groups,
        mut consume: impl FnMut(Vec<ScoredArticle>) -> bool,
    ) -> Result<()> {
        let predictor = self.run_predictor(listed);
        let pool = crate::predict::thread_pool(threads)?;
        let read = |push: &mut dyn FnMut(Article) -> bool| {
            for a in articles {
                if !push(a.clone()) {
                    break;
                }
            }
            Ok(())
        };
        crate::predict::score_batches_grouped(&predictor, &pool, Some(groups), Default::default(), read, |a| a, |batch| Ok(consume(batch)))
    }

    /// The predictor of a run of several articles, as `predict` builds it
    /// for `--actors FILE [--only-listed]` or without.
    fn run_predictor<'a>(&'a self, listed: Option<Listed<'a>>) -> Predictor<'a> {
        match listed {
            Some(Listed { finder, only: true }) => Predictor::new(&self.bundle, finder, 0).listed_only(),
            Some(Listed { finder, only: false }) => Predictor::new(&self.bundle, finder, 0).with_listed(),
            None => Predictor::new(&self.bundle, self.finder.get_or_init(AutoFinder::new), 0),
        }
    }

    /// [`Model::predict`] for the actors `finder` finds and nothing else
    /// (no topics), e.g. a [`crate::actors::list::ListFinder`] of known
    /// names, as `predict --actors` does.
    pub fn predict_with(&self, article_text: &str, finder: &dyn ActorFinder) -> Result<ScoredArticle> {
        Self::score_text(&Predictor::new(&self.bundle, finder, 0).listed_only(), article_text)
    }

    fn score_text(p: &Predictor, article_text: &str) -> Result<ScoredArticle> {
        p.score(&Article { doc: String::new(), text: article_text.to_string(), ..Default::default() }, &mut p.scorer())
    }
}
