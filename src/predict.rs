//! `stance predict`: article text in, one scored row per (sentence, actor
//! mention) out, and per (sentence, topic) for a model trained with topics
//! ([`crate::topics`]). The stages: sentence splitting, actor finding, pronoun
//! linking, features (the same [`Featurizer`] as `train` and `eval`), model.

use std::io::Write;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::actors::corpus::{Groups, Registry};
use crate::actors::{Actor, ActorFinder, ActorKind, Found, Mention};
use crate::features::encoder::PoolRequest;
use crate::article::{Article, MentionAt, ScoredArticle, ScoredMention};
use crate::bundle::Bundle;
use crate::error::{Error, Result};
use crate::model::{argmax, score};
use crate::corpus::ReadOptions;
use crate::input::InputFormat;
use crate::output::{OutputFormat, Sink, SinkOptions, SummaryFormat};
use crate::pipeline::{Featurizer, PerThread, Scorer, TargetSpans};
use crate::kept::Kept;
use crate::read_ahead::read_ahead;
use crate::normalize::Nfc;
use crate::sentences::{NewsSplitter, Sentence, SentenceSplitter};
use crate::text::{slice_chars, Span};

pub struct Predictor<'b> {
    pub bundle: &'b Bundle,
    pub finder: &'b dyn ActorFinder,
    pub splitter: NewsSplitter,
    pub explain: usize,
    /// The topics every sentence is scored for (see [`crate::topics`]).
    pub topics: &'b [String],
    /// Whether `finder` runs: not for a model trained on topics alone,
    /// which never saw an actor mention.
    pub find_actors: bool,
}

impl<'b> Predictor<'b> {
    /// A predictor that scores the actors `finder` finds and the model's
    /// topics, if it has any (a model trained on topics alone: its topics
    /// only).
    pub fn new(bundle: &'b Bundle, finder: &'b dyn ActorFinder, explain: usize) -> Self {
        let topics = &bundle.meta.topics;
        Predictor { bundle, finder, splitter: NewsSplitter, explain, topics: &topics.names, find_actors: !topics.only }
    }

    /// Score the actors `finder` lists and nothing else, the model's
    /// topics included (`predict --actors FILE --only-listed`).
    pub fn listed_only(self) -> Self {
        Predictor { topics: &[], find_actors: true, ..self }
    }

    /// Run `finder`, which finds listed actors (`predict --actors FILE`),
    /// whatever the model; its topics are scored too.
    pub fn with_listed(self) -> Self {
        Predictor { find_actors: true, ..self }
    }

    /// A scorer for this predictor; keep one per thread.
    pub fn scorer(&self) -> Scorer<'b> {
        let f = Featurizer::new(&self.bundle.meta.features, &self.bundle.tokenizer);
        Scorer::new(&self.bundle.model, if self.explain > 0 { f.explaining() } else { f })
    }

    pub fn score(&self, article: &Article, fz: &mut Scorer) -> Result<ScoredArticle> {
        let located = self.locate(article);
        let dense = self.dense(std::slice::from_ref(&located))?;
        Ok(self.score_located(&located, dense.as_ref().map(|d| d[0].as_slice()), fz))
    }

    /// Split an article into sentences and find its actors: everything
    /// scoring needs but the model. Sentences, actors and features work on
    /// the text in NFC; what is reported is mapped back to the caller's text.
    pub fn locate<'a>(&self, article: &'a Article) -> Located<'a> {
        let nfc = Nfc::new(&article.text);
        let text = nfc.as_ref().map_or(article.text.as_str(), |n| n.text.as_str());
        let split = self.splitter.split(text);
        let sents: Vec<&str> = split.iter().map(|s| &text[s.byte_start..s.byte_end]).collect();
        let (found, actor_ids) = if self.find_actors {
            crate::actors::find_article(self.finder, &sents)
        } else {
            (Found { actors: vec![], mentions: vec![vec![]; sents.len()] }, Vec::new())
        };
        Located { article, nfc, split, found, actor_ids }
    }

    /// [`Self::locate`] with what the first pass of the run found in it.
    fn relocate<'a>(&self, article: &'a Article, kept: &Kept) -> Located<'a> {
        let (split, found) = kept.unpack();
        Located { article, nfc: Nfc::new(&article.text), split, found, actor_ids: Vec::new() }
    }

    /// For a model with the `encoder` family: the raw block of every
    /// mention, `[article][sentence][mention]`, all sentences of all
    /// `articles` through the encoder together (sorted by length into
    /// batches). `None` for a sparse model.
    pub fn dense(&self, articles: &[Located]) -> Result<Option<Vec<ArticleBlocks>>> {
        if self.bundle.encoder.is_none() {
            return Ok(None);
        }
        let sents: Vec<Vec<&str>> = articles.iter().map(|loc| loc.sentences()).collect();
        let requests: Vec<PoolRequest> = articles
            .iter()
            .zip(&sents)
            .flat_map(|(loc, ss)| ss.iter().enumerate().map(|(si, s)| PoolRequest { text: s, targets: self.target_spans(&loc.found.mentions[si]) }))
            .collect();
        Ok(self.bundle.pool(&requests)?.map(|pooled| {
            let mut pooled = pooled.into_iter();
            sents.iter().map(|ss| pooled.by_ref().take(ss.len()).collect()).collect()
        }))
    }

    /// Score a located article; `dense` is its part of [`Self::dense`].
    pub fn score_located(&self, located: &Located, dense: Option<&[Vec<Vec<f32>>]>, fz: &mut Scorer) -> ScoredArticle {
        let Located { article, nfc, split, found, actor_ids } = located;
        let sents = located.sentences();
        let model = &self.bundle.model;
        let (mut feats, mut cols, mut vals) = (Vec::new(), Vec::new(), Vec::new());
        let mut mentions = Vec::new();
        // The topics are actors after the found ones, without mentions.
        let mut actors = found.actors.clone();
        let mut ids = actor_ids.clone();
        actors.extend(self.topics.iter().map(|t| Actor { name: t.clone(), kind: ActorKind::Topic, fixed: true }));
        ids.extend(self.topics.iter().map(|t| topic_id(t)));
        for (si, s) in sents.iter().enumerate() {
            let ms = &found.mentions[si];
            if ms.is_empty() && self.topics.is_empty() {
                continue;
            }
            fz.set_text(s);
            // Each mention is a target; the same actor's other mentions in
            // the sentence are its further mentions, as in NewsMTSC. Then
            // each topic, a target with no span, as in training.
            let names = ms.iter().map(|m| found.actors[m.actor].name.as_str()).chain(self.topics.iter().map(String::as_str));
            let targets: Vec<TargetSpans> = names.zip(self.target_spans(ms)).map(|(name, spans)| TargetSpans { name, spans }).collect();
            let rows = ms.iter().map(|m| (m.actor, Some(m))).chain((0..self.topics.len()).map(|t| (found.actors.len() + t, None)));
            for (i, (actor, m)) in rows.enumerate() {
                let probs = fz.score_dense(s, &targets, i, &mut feats, dense.map(|d| d[si][i].as_slice()));
                let label = argmax(&probs);
                let explain = if self.explain > 0 {
                    fz.featurizer().features(s, &targets, i, &mut feats);
                    model.row(&feats, &mut cols, &mut vals);
                    model
                        .contributions(&cols, &vals, label)
                        .into_iter()
                        .take(self.explain)
                        .map(|(h, w)| (fz.featurizer().name_of(h).unwrap_or("?").to_string(), w))
                        .collect()
                } else {
                    Vec::new()
                };
                mentions.push(ScoredMention {
                    sentence_index: si,
                    actor,
                    mention: m.map(|m| MentionAt { text: slice_chars(s, m.span).unwrap_or("").to_string(), kind: m.kind, span: m.span }),
                    score: score(&model.labels, &probs),
                    probs,
                    label,
                    explain,
                });
            }
        }
        let sentences = match nfc {
            None => sents.iter().map(|s| s.to_string()).collect(),
            Some(n) => to_original(n, &article.text, split, &sents, &mut mentions),
        };
        ScoredArticle {
            doc: article.doc.clone(),
            keep: article.keep.clone(),
            sentences,
            actors,
            actor_ids: ids,
            mentions,
        }
    }

    /// The targets of a sentence as spans: each mention's (see
    /// [`mention_spans`]), then an empty list per topic.
    fn target_spans(&self, ms: &[Mention]) -> Vec<Vec<Span>> {
        let mut spans = mention_spans(ms);
        spans.extend(self.topics.iter().map(|_| Vec::new()));
        spans
    }
}

/// The `actor_id` of a topic's rows: `topic:` and its slug, which no
/// found actor's id can be (those are letters, digits and `-`).
pub fn topic_id(topic: &str) -> String {
    format!("topic:{}", crate::actors::corpus::slug(topic))
}

/// An article split into sentences, with its actors found.
pub struct Located<'a> {
    pub article: &'a Article,
    /// The article in NFC, when that differs from its text.
    nfc: Option<Nfc>,
    split: Vec<Sentence>,
    pub found: Found,
    /// `actor_ids[a]`: the id of `found.actors[a]` in the run.
    pub actor_ids: Vec<String>,
}

impl Located<'_> {
    /// The sentences as scored (in NFC).
    pub fn sentences(&self) -> Vec<&str> {
        let text = self.nfc.as_ref().map_or(self.article.text.as_str(), |n| n.text.as_str());
        self.split.iter().map(|s| &text[s.byte_start..s.byte_end]).collect()
    }
}

/// The raw `encoder` blocks of an article: `[sentence][mention]`.
pub type ArticleBlocks = Vec<Vec<Vec<f32>>>;

/// Each mention's spans as the scorer sees them: its own first, then the
/// same actor's other mentions in the sentence (NewsMTSC's further mentions).
fn mention_spans(ms: &[Mention]) -> Vec<Vec<Span>> {
    ms.iter()
        .map(|m| std::iter::once(m.span).chain(ms.iter().filter(|o| o.actor == m.actor && o.span != m.span).map(|o| o.span)).collect())
        .collect()
}

/// What `stance predict` reads and how it writes.
pub struct Job<'a> {
    /// Article files, `-` for standard input (folders already expanded).
    pub files: &'a [PathBuf],
    pub input: InputFormat,
    pub read: ReadOptions,
    pub format: OutputFormat,
    /// Worker threads (all cores when not given).
    pub threads: Option<usize>,
    /// Input fields copied into every row (`--keep`).
    pub keep: &'a [String],
    /// Table: one line per sentence, however long, instead of wrapped.
    pub wide: bool,
    /// Write the per-article actor summaries to this file (CSV or JSON
    /// Lines by its extension) instead of the main output; written
    /// atomically, never over an input or into a model.
    pub summary: Option<&'a Path>,
    /// Told the bytes of each article's text as it is read, in every pass
    /// (a progress bar; see [`Job::passes`]).
    pub progress: Option<&'a (dyn Fn(usize) + Sync)>,
    /// What the run does: score, or write each article's actors.
    pub task: Task,
    /// Files the run reads besides the articles (`--actors`, `--groups`):
    /// like the articles, never written over by `-o` or `--summary`.
    pub also_read: &'a [PathBuf],
}

/// What a `predict` run does with its articles.
#[derive(Clone, Default)]
pub enum Task {
    /// Score them, the actors grouped across the run (`predict`).
    #[default]
    Score,
    /// Score them, the actors grouped as given: a whole corpus's groups,
    /// read from the names `--actor-names` wrote for it (`--groups FILE`).
    ScoreGrouped(std::sync::Arc<Groups>),
    /// Write each article's actors, before grouping (`--actor-names`).
    ActorNames,
}

impl Job<'_> {
    /// How often the input is read: twice for a run of several articles.
    pub fn passes(&self) -> u64 {
        if self.corpus() { 2 } else { 1 }
    }

    /// Every file the run reads: what `-o` and `--summary` may not be.
    fn inputs(&self) -> Vec<PathBuf> {
        self.files.iter().filter(|f| f.as_os_str() != "-").chain(self.also_read).cloned().collect()
    }

    /// Whether the run may hold more than one article whose actors it
    /// groups itself, across articles, first (a pass of its own over the
    /// input).
    fn corpus(&self) -> bool {
        matches!(self.task, Task::Score) && (self.files.len() > 1 || self.input != InputFormat::Text)
    }
}

/// Score every article of `job.files` and write the rows to `out`. A run of
/// several articles reads its input twice: once to find and group the
/// actors of all articles (standard input and pipes are then held in
/// memory), once
/// to score and write.
pub fn run(predictor: &Predictor, job: &Job, out: impl Write + Send, out_name: &Path) -> Result<()> {
    let pool = thread_pool(job.threads)?;
    let labels = &predictor.bundle.model.labels;
    let opts = SinkOptions {
        model: predictor.bundle.id(),
        explain: predictor.explain > 0,
        wide: job.wide,
        summary: job.summary.map(|p| SummaryFormat::for_file(p, job.format)),
        keep: job.keep.to_vec(),
    };
    let sink = crate::output::sink(job.format, labels, &opts);
    let mut summary = match (job.summary, opts.summary) {
        (Some(path), Some(format)) => {
            crate::safety::check_output_file("--summary", path, &job.inputs(), &[predictor.bundle.path.as_path()])?;
            Some((crate::output::summary_sink(format, labels, &opts), crate::atomic::AtomicFile::create(path)?, path))
        }
        _ => None,
    };
    // What cannot be read twice (standard input, pipes) is held in memory.
    let mut buffered: Vec<(PathBuf, Vec<u8>)> = Vec::new();
    if job.corpus() {
        for f in job.files {
            let once = f.as_os_str() == "-" || std::fs::metadata(f).is_ok_and(|m| !m.is_file() && !m.is_dir());
            if once && !buffered.iter().any(|(p, _)| p == f) {
                let name: &Path = if f.as_os_str() == "-" { "<stdin>".as_ref() } else { f };
                let mut buf = Vec::new();
                let read = if f.as_os_str() == "-" {
                    std::io::Read::read_to_end(&mut std::io::stdin().lock(), &mut buf)
                } else {
                    std::fs::File::open(f).and_then(|mut r| std::io::Read::read_to_end(&mut r, &mut buf))
                };
                read.map_err(|e| Error::io(name, "read", e))?;
                buffered.push((f.clone(), buf));
            }
        }
    }
    let sources = crate::input::Sources { files: job.files, format: job.input, opts: job.read, keep: job.keep, buffered: &buffered };
    let read = |push: &mut dyn FnMut(Article) -> bool| {
        crate::input::articles(sources, &mut |a: Article| {
            if let Some(tell) = job.progress {
                tell(a.text.len());
            }
            push(a)
        })
    };
    let groups = match &job.task {
        Task::ActorNames => return write_actor_names(predictor, &pool, read, out, out_name),
        Task::ScoreGrouped(g) => Some(RunActors { groups: g.clone(), kept: Default::default() }),
        Task::Score if job.corpus() => Some(corpus_actors(predictor, &pool, read)?),
        Task::Score => None,
    };
    let side = summary.as_mut().map(|(s, file, path)| Side { sink: &**s, out: file as &mut (dyn Write + Send), name: path });
    stream(predictor, &pool, sink.as_ref(), groups, read, out, out_name, side)?;
    if let Some((_, file, _)) = summary {
        file.commit()?;
    }
    Ok(())
}

/// A second output beside the main one: the summary file.
pub struct Side<'s> {
    pub sink: &'s dyn Sink,
    pub out: &'s mut (dyn Write + Send),
    pub name: &'s Path,
}

/// [`run`] into the file `out`, written atomically: complete or not at all.
/// It may not be an input, a link or special file, or inside the model.
pub fn run_to_file(predictor: &Predictor, job: &Job, out: &Path, model: &Path) -> Result<()> {
    crate::safety::check_output_file("--output", out, &job.inputs(), &[model])?;
    let mut file = crate::atomic::AtomicFile::create(out)?;
    let tmp = file.temp_path().to_path_buf();
    run(predictor, job, &mut file, &tmp)?;
    file.commit()
}

/// `--keep` names fields of JSON Lines or CSV input, none twice and none
/// that every row has already.
pub fn check_keep(keep: &[String], input: InputFormat) -> Result<()> {
    if keep.is_empty() {
        return Ok(());
    }
    if input == InputFormat::Text {
        return Err(Error::Params("--keep: text input has no fields; use it with --input jsonl or --input csv".into()));
    }
    for (i, k) in keep.iter().enumerate() {
        if k.is_empty() {
            return Err(Error::Params("--keep: an empty field name".into()));
        }
        if crate::output::ROW_FIELDS.contains(&k.as_str()) || k == "id" || k == "text" {
            return Err(Error::Params(format!("--keep {k}: every row already has a field of that name (or it is the article itself)")));
        }
        if keep[..i].contains(k) {
            return Err(Error::Params(format!("--keep {k}: named twice")));
        }
    }
    Ok(())
}

/// The first pass of a run of several articles: every article's actors,
/// grouped across the run, and what the pass found in the first articles,
/// kept for the second pass (see [`RunActors`]).
pub fn corpus_actors(
    predictor: &Predictor,
    pool: &rayon::ThreadPool,
    read: impl FnOnce(&mut dyn FnMut(Article) -> bool) -> Result<()> + Send,
) -> Result<RunActors> {
    corpus_actors_keeping(predictor, pool, read, KEEP_BYTES)
}

/// [`corpus_actors`], keeping at most `budget` bytes for the second pass.
fn corpus_actors_keeping(
    predictor: &Predictor,
    pool: &rayon::ThreadPool,
    read: impl FnOnce(&mut dyn FnMut(Article) -> bool) -> Result<()> + Send,
    mut budget: usize,
) -> Result<RunActors> {
    let mut registry = Registry::default();
    let mut kept = std::collections::VecDeque::new();
    let mut keeping = true;
    read_ahead(BATCH, read, |batch: Vec<Article>| {
        // Packed only while the budget may take them: once it is spent,
        // later articles are not packed at all.
        let pack = keeping;
        let found: Vec<(Option<Kept>, Vec<Actor>)> = pool.install(|| {
            batch
                .par_iter()
                .map(|art| {
                    let Located { split, found, .. } = predictor.locate(art);
                    (pack.then(|| Kept::pack(&art.doc, art.text.len(), &split, &found)), found.actors)
                })
                .collect()
        });
        for (k, actors) in found {
            registry.add(&actors);
            // Kept while the budget lasts, and only as a run from the first
            // article: the second pass takes them in order.
            match k {
                Some(k) if keeping && k.size() <= budget => {
                    budget -= k.size();
                    kept.push_back(k);
                }
                _ => keeping = false,
            }
        }
        Ok(true)
    })?;
    Ok(RunActors { groups: std::sync::Arc::new(registry.finish()), kept })
}

/// One line of `--actor-names`: an actor of an article as found, before
/// grouping.
#[derive(serde::Serialize, serde::Deserialize)]
struct ActorName {
    #[serde(default, skip_deserializing)]
    doc: String,
    name: String,
    kind: String,
    fixed: bool,
}

/// `--actor-names`: each article's actors as found, in input order, one
/// JSON line each (the first pass of a run, alone).
fn write_actor_names(
    predictor: &Predictor,
    pool: &rayon::ThreadPool,
    read: impl FnOnce(&mut dyn FnMut(Article) -> bool) -> Result<()> + Send,
    out: impl Write + Send,
    out_name: &Path,
) -> Result<()> {
    let mut out = std::io::BufWriter::new(out);
    let mut failed = None;
    read_ahead(BATCH, read, |batch: Vec<Article>| {
        let lines: Vec<Vec<u8>> = pool.install(|| {
            batch
                .par_iter()
                .map(|art| {
                    let mut b = Vec::new();
                    for a in predictor.locate(art).found.actors {
                        let line = ActorName { doc: art.doc.clone(), name: a.name, kind: a.kind.as_str().to_string(), fixed: a.fixed };
                        // Serialising strings and a bool into memory cannot fail.
                        let _ = serde_json::to_writer(&mut b, &line);
                        b.push(b'\n');
                    }
                    b
                })
                .collect()
        });
        for l in lines {
            if let Err(e) = out.write_all(&l) {
                failed = Some(e);
                return Ok(false);
            }
        }
        Ok(true)
    })?;
    match failed {
        Some(e) => Err(Error::io(out_name, "write", e)),
        None => out.flush().map_err(|e| Error::io(out_name, "write", e)),
    }
}

/// The groups of a corpus from the `--actor-names` lines written for all
/// of it, in corpus order, read from `path` (`--groups FILE`).
pub fn read_groups(path: &Path) -> Result<Groups> {
    use std::io::BufRead;
    let file = std::fs::File::open(path).map_err(|e| Error::io(path, "read", e))?;
    let mut names = Vec::new();
    for (i, line) in std::io::BufReader::new(file).split(b'\n').enumerate() {
        let at = || crate::error::Location::line(path, i + 1);
        let line = line.map_err(|e| Error::io(path, "read", e))?;
        let line = std::str::from_utf8(&line).map_err(|_| Error::input(at(), "not UTF-8"))?;
        if line.trim().is_empty() {
            continue;
        }
        let n: ActorName = serde_json::from_str(line).map_err(|e| Error::input(at(), format!("not an --actor-names line ({{\"name\", \"kind\", \"fixed\"}}): {e}")))?;
        let Some(kind) = ActorKind::parse(&n.kind) else {
            let kinds: Vec<&str> = ActorKind::ALL.iter().map(|k| k.as_str()).collect();
            return Err(Error::input(at(), format!("unknown kind {:?} ({})", n.kind, kinds.join(", "))));
        };
        names.push(Actor { name: n.name, kind, fixed: n.fixed });
    }
    // An empty file is a corpus in which no actor was found: nothing to
    // group, not an error (a Spark job over such a corpus writes one).
    Ok(Groups::of_names(&names))
}

/// The first pass alone, for a caller that groups the actors itself (the
/// Spark recipe, over a corpus spread over machines): each article's
/// actors, in input order, as the first pass records them with
/// [`Registry::add`].
pub fn article_actors(predictor: &Predictor, pool: &rayon::ThreadPool, articles: &[Article]) -> Vec<Vec<Actor>> {
    pool.install(|| articles.par_iter().map(|art| predictor.locate(art).found.actors).collect())
}

/// Memory the first pass may spend on keeping what it found: finding
/// actors is most of the fast model's `predict` time, and the second pass
/// would otherwise do it all again. Beyond this the second pass finds the
/// rest anew, so memory stays bounded whatever the input's size. 40 MB
/// keeps a streaming run under the 100 MB aimed at: 104 MB peak at 48 MB
/// (NewsMTSC articles repeated to 400 MB; the rest of the process is about
/// 50 MB), at the cost of finding again the articles beyond it.
const KEEP_BYTES: usize = 40 << 20;

/// The actors of a run of several articles: their grouping across the run,
/// and the sentences and actors the first pass found in its first
/// articles, in input order.
pub struct RunActors {
    pub groups: std::sync::Arc<Groups>,
    kept: std::collections::VecDeque<Kept>,
}

/// The caller's own sentences, and the mentions' spans and text in them,
/// for an article that was scored in NFC.
fn to_original(n: &Nfc, original: &str, split: &[Sentence], sents: &[&str], mentions: &mut [ScoredMention]) -> Vec<String> {
    let ranges: Vec<(usize, usize)> = split.iter().zip(sents).map(|(s, t)| (s.char_start, s.char_start + t.chars().count())).collect();
    let sentences: Vec<String> = ranges.iter().map(|&(s, e)| {
        let (bs, be) = n.original_bytes(s, e);
        original[bs..be].to_string()
    }).collect();
    for m in mentions {
        let Some(at) = &mut m.mention else { continue };
        let (start, _) = ranges[m.sentence_index];
        let (sentence_start, _) = n.original_chars(start, start);
        let (s, e) = n.original_chars(start + at.span.start, start + at.span.end);
        at.span = Span::new(s - sentence_start, e - sentence_start);
        at.text = slice_chars(&sentences[m.sentence_index], at.span).unwrap_or("").to_string();
    }
    sentences
}

/// Most worker threads per core `--threads` may ask for: more only adds
/// switching, and 100,000 of them starved the machine.
pub const MAX_THREADS_PER_CORE: usize = 8;

/// The worker pool for `--threads` (default: one per core).
pub fn thread_pool(threads: Option<usize>) -> Result<rayon::ThreadPool> {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let most = cores * MAX_THREADS_PER_CORE;
    if let Some(t) = threads
        && t > most
    {
        return Err(Error::Params(format!("--threads {t}: at most {most} ({MAX_THREADS_PER_CORE} per core, {cores} cores)")));
    }
    rayon::ThreadPoolBuilder::new().num_threads(threads.unwrap_or(0)).build().map_err(|e| Error::Params(format!("--threads: {e}")))
}

/// How many features `--explain` shows per mention (0 without it);
/// `--explain-top 0` would show nothing, so it is refused.
pub fn explain_count(explain: bool, top: usize) -> Result<usize> {
    if top == 0 {
        return Err(Error::Params("--explain-top 0: show at least 1 feature (or leave out --explain)".into()));
    }
    Ok(if explain { top } else { 0 })
}

/// Articles per batch: scored and rendered on all threads of `pool`.
const BATCH: usize = 512;

/// Score a stream of articles batch by batch, in input order, each actor
/// named as in `run` (the run's actors), else as its article names it.
/// `read` parses articles on a thread of its own (see [`read_ahead`]);
/// each batch is located, scored and passed through `each` on all threads
/// of `pool` (so whatever `each` makes of an article, rendered bytes or
/// the article itself, is made in parallel too), then handed to `consume`
/// on the calling thread while the reader fills the next batch; `consume`
/// returns `Ok(false)` to stop early. The results do not depend on the
/// thread count. [`stream`] and [`crate::Model::predict_batches`] both
/// score this way.
pub fn score_batches<T: Send>(
    predictor: &Predictor,
    pool: &rayon::ThreadPool,
    run: Option<RunActors>,
    read: impl FnOnce(&mut dyn FnMut(Article) -> bool) -> Result<()> + Send,
    each: impl Fn(ScoredArticle) -> T + Sync,
    consume: impl FnMut(Vec<T>) -> Result<bool>,
) -> Result<()> {
    let (groups, kept) = match run {
        Some(r) => (Some(r.groups), r.kept),
        None => (None, Default::default()),
    };
    score_batches_grouped(predictor, pool, groups.as_deref(), kept, read, each, consume)
}

/// [`score_batches`] with the run's actors grouped as `groups` says,
/// however they were grouped (by the first pass, or by a caller that ran
/// its own over a corpus spread over machines), and what the first pass
/// `kept` of the first articles.
pub fn score_batches_grouped<T: Send>(
    predictor: &Predictor,
    pool: &rayon::ThreadPool,
    groups: Option<&Groups>,
    mut kept: std::collections::VecDeque<Kept>,
    read: impl FnOnce(&mut dyn FnMut(Article) -> bool) -> Result<()> + Send,
    each: impl Fn(ScoredArticle) -> T + Sync,
    mut consume: impl FnMut(Vec<T>) -> Result<bool>,
) -> Result<()> {
    let featurizers = pool.install(|| PerThread::new(|| predictor.scorer()));
    read_ahead(BATCH, read, |batch: Vec<Article>| {
        // What the first pass found, for the articles it kept.
        let found: Vec<Option<Kept>> =
            batch.iter().map(|art| if kept.front().is_some_and(|k| k.is_for(&art.doc, art.text.len())) { kept.pop_front() } else { None }).collect();
        let done: Vec<T> = pool.install(|| -> Result<Vec<T>> {
            let mut located: Vec<Located> = batch
                .par_iter()
                .zip(found)
                .map(|(art, k)| match k {
                    Some(k) => predictor.relocate(art, &k),
                    None => predictor.locate(art),
                })
                .collect();
            if let Some(g) = groups {
                for loc in &mut located {
                    loc.actor_ids = g.apply(&mut loc.found);
                }
            }
            // The encoder, when the model has one, sees the whole batch.
            let dense = predictor.dense(&located)?;
            located
                .par_iter()
                .enumerate()
                .map(|(i, loc)| {
                    let scored = featurizers.with(|fz| predictor.score_located(loc, dense.as_ref().map(|d| d[i].as_slice()), fz));
                    for m in &scored.mentions {
                        let at = format_args!("{}, sentence {}", loc.article.doc, m.sentence_index + 1);
                        predictor.bundle.check_probabilities(&m.probs, &at)?;
                    }
                    Ok(each(scored))
                })
                .collect()
        })?;
        consume(done)
    })
}

/// Score a stream of articles and write the rows to `out`, in input order,
/// each actor named as in `run` (the run's actors), else as its article
/// names it:
/// batches are scored and rendered as [`score_batches`] does, and a writer
/// thread copies the bytes out, so reading, scoring and writing overlap.
/// The output does not depend on the thread count.
#[allow(clippy::too_many_arguments)]
pub fn stream(
    predictor: &Predictor,
    pool: &rayon::ThreadPool,
    sink: &dyn Sink,
    run: Option<RunActors>,
    read: impl FnOnce(&mut dyn FnMut(Article) -> bool) -> Result<()> + Send,
    out: impl Write + Send,
    out_name: &Path,
    side: Option<Side>,
) -> Result<()> {
    let side_sink = side.as_ref().map(|s| s.sink);
    std::thread::scope(|scope| -> Result<()> {
        let (tx, rx) = std::sync::mpsc::sync_channel::<Vec<(Vec<u8>, Vec<u8>)>>(2);
        let writer = scope.spawn(move || -> Result<()> {
            let mut out = std::io::BufWriter::with_capacity(1 << 16, out);
            let mut side = side.map(|s| (s.sink, std::io::BufWriter::new(s.out), s.name));
            let main_err = |e| Error::io(out_name, "write", e);
            let mut first = true;
            for batch in rx {
                for (bytes, side_bytes) in &batch {
                    // Headers (CSV's, the table's) go before the first article.
                    if std::mem::take(&mut first) {
                        if let Some(h) = sink.header() {
                            out.write_all(&h).map_err(main_err)?;
                        }
                        if let Some((s, w, name)) = &mut side
                            && let Some(h) = s.header()
                        {
                            w.write_all(&h).map_err(|e| Error::io(name, "write", e))?;
                        }
                    }
                    out.write_all(bytes).map_err(main_err)?;
                    if let Some((_, w, name)) = &mut side {
                        w.write_all(side_bytes).map_err(|e| Error::io(name, "write", e))?;
                    }
                }
            }
            if let Some((_, w, name)) = &mut side {
                w.flush().map_err(|e| Error::io(name, "write", e))?;
            }
            out.flush().map_err(main_err)
        });
        let render = |scored: ScoredArticle| {
            // About a row per mention, each with its sentence.
            let guess: usize = scored.mentions.iter().map(|m| scored.sentences[m.sentence_index].len() + 320).sum();
            let mut bytes = Vec::with_capacity(guess + 256);
            // Rendering into memory cannot fail.
            let _ = sink.article(&scored, &mut bytes);
            let mut side_bytes = Vec::new();
            if let Some(s) = side_sink {
                let _ = s.article(&scored, &mut side_bytes);
            }
            (bytes, side_bytes)
        };
        // A closed channel means the writer stopped; its error is reported
        // below.
        let scored = score_batches(predictor, pool, run, read, render, |rendered| Ok(tx.send(rendered).is_ok()));
        drop(tx);
        let written = writer.join().unwrap_or_else(|p| std::panic::resume_unwind(p));
        scored?;
        written
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The second pass gives the same articles whether the first kept what
    /// it found for all, some or none of them.
    #[test]
    fn what_the_first_pass_keeps_changes_nothing() {
        let bundle = crate::catalog::load(None).unwrap();
        let finder = crate::actors::auto::AutoFinder::new();
        let predictor = Predictor::new(&bundle, &finder, 0);
        let pool = thread_pool(Some(2)).unwrap();
        let texts = [
            "Juan Guaidó met John Bolton. Maduro called Guaido a puppet.",
            "Nicolas Maduro said the United States wants Venezuela's oil.",
            "Guaido's allies praised Bolton, who criticised Maduro.",
        ];
        let articles: Vec<Article> = (0..1200).map(|i| Article { doc: format!("a{i}"), text: texts[i % 3].to_string(), keep: vec![] }).collect();
        let read = |push: &mut dyn FnMut(Article) -> bool| {
            for a in &articles {
                if !push(a.clone()) {
                    break;
                }
            }
            Ok(())
        };
        let run = |budget: usize| {
            let actors = corpus_actors_keeping(&predictor, &pool, read, budget).unwrap();
            let kept = actors.kept.len();
            let mut out = Vec::new();
            score_batches(&predictor, &pool, Some(actors), read, |a| a, |batch| {
                out.extend(batch);
                Ok(true)
            })
            .unwrap();
            (kept, out)
        };
        let (all, want) = run(usize::MAX);
        assert_eq!(all, articles.len());
        let (some, got) = run(20_000);
        assert!(some > 0 && some < articles.len(), "{some}");
        assert_eq!(got, want);
        let (none, got) = run(0);
        assert_eq!(none, 0);
        assert_eq!(got, want);
        assert!(want.iter().all(|a| !a.mentions.is_empty()));
    }
}
