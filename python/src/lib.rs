//! `stance._stance`: the library ([`stance::Model`]) for Python. Scoring
//! runs with the GIL released, on stance's own worker threads, batch by
//! batch; the rows (`predict`'s dicts, `predict_columns`' lists) are built
//! straight from each scored batch while the next is scored, with the
//! fields and values `stance predict --format jsonl` writes. The friendlier
//! layer (pandas, keyword options for train and evaluate) is
//! `stance/__init__.py`.

mod columns;
mod rows;
mod strings;

use std::path::PathBuf;

use pyo3::create_exception;
use pyo3::exceptions::PyException;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};

use stance::actors::list::ListFinder;
use stance::actors::corpus::Groups;
use stance::actors::{Actor, ActorFinder, ActorKind};
use stance::article::{Article, ScoredArticle};
use stance::text::Span;

create_exception!(_stance, StanceError, PyException, "An error of stance, with the one-line message the command line prints.");

fn err(e: stance::Error) -> PyErr {
    StanceError::new_err(e.to_string())
}

/// Articles named `docs` (default: their index).
fn articles(texts: Vec<String>, docs: Option<Vec<String>>) -> Vec<Article> {
    let docs = docs.unwrap_or_else(|| (0..texts.len()).map(|i| i.to_string()).collect());
    docs.into_iter().zip(texts).map(|(doc, text)| Article { doc, text, keep: Vec::new() }).collect()
}

/// Score `articles` as `stance predict --input jsonl` does, on a thread of
/// its own with the GIL released, and hand each batch of scored articles,
/// in input order, to `build` on this thread with the GIL held: Python
/// objects are built from one batch while the next is scored. Ctrl-C (or
/// an error of `build`) stops the scoring after the batch in hand.
#[allow(clippy::too_many_arguments)]
fn scored_batches(
    py: Python<'_>,
    model: &stance::Model,
    articles: Vec<Article>,
    actors: Option<Actors>,
    only_listed: bool,
    threads: Option<usize>,
    groups: Option<&Groups>,
    mut build: impl FnMut(Vec<ScoredArticle>) -> PyResult<()>,
) -> PyResult<()> {
    if only_listed && actors.is_none() {
        return Err(err(stance::Error::Params("only_listed=True needs actors (as --only-listed needs --actors FILE)".into())));
    }
    std::thread::scope(|scope| {
        // Two batches may wait: scoring need not stop while one is built.
        let (tx, rx) = std::sync::mpsc::sync_channel::<Vec<ScoredArticle>>(2);
        let scoring = scope.spawn(move || -> Result<(), stance::Error> {
            let finder = finder(actors, only_listed || model.bundle().meta.topics.only)?;
            let listed = finder.as_deref().map(|finder| stance::Listed { finder, only: only_listed });
            let send = |batch| tx.send(batch).is_ok();
            match groups {
                Some(g) => model.predict_batches_grouped(&articles, listed, threads, g, send),
                None => model.predict_batches(&articles, listed, threads, send),
            }
        });
        let mut rx = Some(rx);
        let mut built = Ok(());
        while let Some(r) = rx.take() {
            // Wait with the GIL released; the receiver goes along and back.
            let (r, batch) = py.detach(move || {
                let batch = r.recv();
                (r, batch)
            });
            let Ok(batch) = batch else { break };
            built = py.check_signals().and_then(|()| build(batch));
            if built.is_err() {
                break;
            }
            rx = Some(r);
        }
        // A dropped receiver stops the scoring thread at its next batch.
        drop(rx);
        let scored = py.detach(move || scoring.join()).unwrap_or_else(|p| std::panic::resume_unwind(p));
        built?;
        scored.map_err(err)
    })
}

/// An actor as `find_actors` gives it: name, kind, named whole.
type FoundActor = (String, &'static str, bool);

/// A loaded model bundle.
#[pyclass(frozen, module = "stance._stance")]
struct Model {
    inner: stance::Model,
}

/// Actors given to `predict`: a CSV path (`actor,alias[,kind]`, as
/// `--actors`) or a list of names. As with the command, they are found on
/// top of the actors found automatically, or alone with `only_listed`.
enum Actors {
    Csv(PathBuf),
    Names(Vec<String>),
}

impl Actors {
    fn extract(ob: &Bound<'_, PyAny>) -> PyResult<Self> {
        match ob.extract::<Vec<String>>() {
            Ok(names) => Ok(Actors::Names(names)),
            Err(_) => Ok(Actors::Csv(ob.extract()?)),
        }
    }
}

/// The finder `predict --actors FILE [--only-listed]` uses; `alone`: the
/// listed actors without automatic finding (`only_listed`, or a model
/// trained on topics alone, which finds none).
fn finder(actors: Option<Actors>, alone: bool) -> Result<Option<Box<dyn ActorFinder>>, stance::Error> {
    let list = match actors {
        None => return Ok(None),
        Some(Actors::Csv(p)) => ListFinder::from_csv(&p, Default::default())?,
        Some(Actors::Names(names)) => ListFinder::new(names.into_iter().map(|n| (n, String::new(), ActorKind::Other)).collect()),
    };
    stance::actors::finder_of(Some(list), alone).map(Some)
}

#[pymethods]
impl Model {
    /// Load a model: a bundle folder or an installed model's name; None
    /// for the default ($STANCE_MODEL, else the built-in newsmtsc).
    #[staticmethod]
    #[pyo3(signature = (path=None))]
    fn load(py: Python<'_>, path: Option<PathBuf>) -> PyResult<Model> {
        let inner = py.detach(|| stance::Model::open(path.as_deref())).map_err(err)?;
        Ok(Model { inner })
    }

    /// The model's labels, in the order of its probabilities.
    #[getter]
    fn labels(&self) -> Vec<String> {
        self.inner.labels().to_vec()
    }

    /// Where the model came from (a folder, or "newsmtsc (built in)").
    #[getter]
    fn path(&self) -> String {
        self.inner.bundle().path.display().to_string()
    }

    /// Score articles: one dict per actor mention, the fields of `stance
    /// predict --format jsonl`'s mention rows. `docs` names the articles
    /// (the rows' `doc`; default their index). `actors` are found on top of
    /// the automatic ones (as `--actors`), or alone with `only_listed` (as
    /// `--only-listed`).
    /// `groups`: the actors grouped across a corpus larger than `texts`
    /// (see `find_actors`); default: across `texts`.
    #[pyo3(signature = (texts, actors=None, threads=None, docs=None, only_listed=false, groups=None))]
    #[allow(clippy::too_many_arguments)]
    fn predict<'py>(
        &self,
        py: Python<'py>,
        texts: Vec<String>,
        actors: Option<Bound<'py, PyAny>>,
        threads: Option<usize>,
        docs: Option<Vec<String>>,
        only_listed: bool,
        groups: Option<Bound<'py, ActorGroups>>,
    ) -> PyResult<Bound<'py, PyList>> {
        if let Some(d) = &docs
            && d.len() != texts.len()
        {
            return Err(err(stance::Error::Params(format!("{} docs for {} texts", d.len(), texts.len()))));
        }
        let actors = actors.map(|a| Actors::extract(&a)).transpose()?;
        let rows = PyList::empty(py);
        let mut build = rows::Rows::new(py, &self.inner);
        let groups = groups.as_ref().map(|g| &g.get().inner);
        scored_batches(py, &self.inner, articles(texts, docs), actors, only_listed, threads, groups, |batch| {
            for a in &batch {
                build.article(a, &rows)?;
            }
            Ok(())
        })?;
        Ok(rows)
    }

    /// `predict`'s rows as columns, for `predict_df`: a dict of lists with
    /// the CSV's columns (model, sentence_index, ..., label, p_<label>...,
    /// score; no doc) and `article`, each row's index in `texts`.
    #[pyo3(signature = (texts, actors=None, threads=None, only_listed=false, groups=None))]
    fn predict_columns<'py>(
        &self,
        py: Python<'py>,
        texts: Vec<String>,
        actors: Option<Bound<'py, PyAny>>,
        threads: Option<usize>,
        only_listed: bool,
        groups: Option<Bound<'py, ActorGroups>>,
    ) -> PyResult<Bound<'py, PyDict>> {
        let actors = actors.map(|a| Actors::extract(&a)).transpose()?;
        let mut columns = columns::Columns::new(py, &self.inner);
        let mut at = 0;
        let groups = groups.as_ref().map(|g| &g.get().inner);
        scored_batches(py, &self.inner, articles(texts, None), actors, only_listed, threads, groups, |batch| {
            for a in &batch {
                columns.article(at, a)?;
                at += 1;
            }
            Ok(())
        })?;
        columns.into_dict()
    }

    /// Each text's actors before they are grouped across texts, as
    /// (name, kind, fixed) tuples (`fixed`: named whole, by the gazetteer,
    /// a pattern or the list, never grouped with part of its name): the
    /// first pass of `predict`. For a corpus scored in parts (Spark):
    /// collect every part's actors in corpus order, build `ActorGroups`
    /// from them, and pass it to `predict` as `groups`; the rows are then
    /// those of one `predict` over the whole corpus. `actors` and
    /// `only_listed` as for `predict`.
    #[pyo3(signature = (texts, actors=None, threads=None, only_listed=false))]
    fn find_actors<'py>(
        &self,
        py: Python<'py>,
        texts: Vec<String>,
        actors: Option<Bound<'py, PyAny>>,
        threads: Option<usize>,
        only_listed: bool,
    ) -> PyResult<Vec<Vec<FoundActor>>> {
        if only_listed && actors.is_none() {
            return Err(err(stance::Error::Params("only_listed=True needs actors (as --only-listed needs --actors FILE)".into())));
        }
        let actors = actors.map(|a| Actors::extract(&a)).transpose()?;
        let model = &self.inner;
        let finder = finder(actors, only_listed || model.bundle().meta.topics.only).map_err(err)?;
        let finder = finder.as_deref();
        let articles = articles(texts, None);
        let mut out = Vec::with_capacity(articles.len());
        // A chunk at a time, so that Ctrl-C stops it between chunks.
        for chunk in articles.chunks(4096) {
            let found = py.detach(|| {
                let listed = finder.map(|finder| stance::Listed { finder, only: only_listed });
                model.find_actors(chunk, listed, threads)
            });
            out.extend(found.map_err(err)?.into_iter().map(|acts| acts.into_iter().map(|a| (a.name, a.kind.as_str(), a.fixed)).collect::<Vec<_>>()));
            py.check_signals()?;
        }
        Ok(out)
    }

    /// How `text` frames the target whose mentions are `spans` ((start,
    /// end) code-point offsets, end exclusive; the main mention first):
    /// a dict label -> probability, unrounded.
    fn score<'py>(&self, py: Python<'py>, text: String, spans: Vec<(usize, usize)>) -> PyResult<Bound<'py, PyDict>> {
        let spans: Vec<Span> = spans.into_iter().map(|(s, e)| Span::new(s, e)).collect();
        let probs = py.detach(|| self.inner.score(&text, &spans).map(|s| s.probs)).map_err(err)?;
        let d = PyDict::new(py);
        for (l, p) in self.inner.labels().iter().zip(probs) {
            d.set_item(l, p)?;
        }
        Ok(d)
    }

    fn __repr__(&self) -> String {
        format!("stance.Model({:?})", self.path())
    }
}

/// An actor kind by its name (`person`, ...), or an error naming `actor`.
fn parse_kind(actor: &str, kind: &str) -> PyResult<ActorKind> {
    ActorKind::parse(kind).ok_or_else(|| {
        err(stance::Error::Params(format!("actor {actor:?}: unknown kind {kind:?} ({})", ActorKind::ALL.map(ActorKind::as_str).join(", "))))
    })
}

/// Actors grouped across a corpus: built from the corpus's names, as
/// `Model.find_actors` gives them, in the order the corpus first names
/// them (repeats are ignored); passed to `predict` as `groups`.
#[pyclass(frozen, module = "stance._stance")]
struct ActorGroups {
    inner: Groups,
}

#[pymethods]
impl ActorGroups {
    #[new]
    fn new(names: Vec<(String, String, bool)>) -> PyResult<ActorGroups> {
        let names = names.into_iter().map(|(name, kind, fixed)| Ok(Actor { kind: parse_kind(&name, &kind)?, name, fixed })).collect::<PyResult<Vec<Actor>>>()?;
        Ok(ActorGroups { inner: Groups::of_names(&names) })
    }

    /// The actor a found name belongs to: (name, kind, actor_id), or None
    /// for a name the corpus did not have.
    fn resolve(&self, name: String, kind: String, fixed: bool) -> PyResult<Option<(String, &'static str, String)>> {
        let kind = parse_kind(&name, &kind)?;
        Ok(self.inner.resolve(&Actor { name, kind, fixed }).map(|r| (r.name.clone(), r.kind.as_str(), r.id.clone())))
    }

    /// How many distinct names were grouped.
    fn __len__(&self) -> usize {
        self.inner.names()
    }
}

/// Run `stance ARGS...` (train, eval, models) in this process; returns what
/// it prints. The keyword-argument wrappers are `stance.train` and
/// `stance.evaluate`.
#[pyfunction]
fn run_cli(py: Python<'_>, args: Vec<String>) -> PyResult<String> {
    py.detach(|| stance::cli::run_captured(&args)).map_err(err)
}

#[pymodule]
fn _stance(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<Model>()?;
    m.add_class::<ActorGroups>()?;
    m.add_function(wrap_pyfunction!(run_cli, m)?)?;
    m.add("StanceError", m.py().get_type::<StanceError>())?;
    Ok(())
}
