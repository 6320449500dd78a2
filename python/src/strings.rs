//! Python strings made once and shared between rows: every row of a call
//! repeats the model and a label and kind, every row of an article its doc,
//! and the rows of one sentence or actor that sentence or actor's name.

use pyo3::prelude::*;
use pyo3::types::PyString;

use stance::actors::{ActorKind, MentionKind};
use stance::article::ScoredArticle;

/// The strings of a whole call.
pub struct Shared<'py> {
    pub model: Bound<'py, PyString>,
    /// In the model's label order.
    pub labels: Vec<Bound<'py, PyString>>,
    actor_kinds: Vec<(ActorKind, Bound<'py, PyString>)>,
    mention_kinds: Vec<(MentionKind, Bound<'py, PyString>)>,
}

/// A kind's name as the JSON Lines rows write it (`person`, `pronoun`):
/// its serde name, so the two cannot differ.
fn serde_name(kind: impl serde::Serialize) -> String {
    serde_json::to_value(kind).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default()
}

impl<'py> Shared<'py> {
    pub fn new(py: Python<'py>, model: &stance::Model) -> Self {
        Shared {
            model: PyString::new(py, &model.bundle().id()),
            labels: model.labels().iter().map(|l| PyString::new(py, l)).collect(),
            actor_kinds: Vec::new(),
            mention_kinds: Vec::new(),
        }
    }

    pub fn actor_kind(&mut self, py: Python<'py>, kind: ActorKind) -> Bound<'py, PyString> {
        cached(&mut self.actor_kinds, py, kind)
    }

    pub fn mention_kind(&mut self, py: Python<'py>, kind: MentionKind) -> Bound<'py, PyString> {
        cached(&mut self.mention_kinds, py, kind)
    }
}

/// A kind's name from `cache` (a handful of kinds: a list beats a map).
fn cached<'py, K: Copy + PartialEq + serde::Serialize>(cache: &mut Vec<(K, Bound<'py, PyString>)>, py: Python<'py>, kind: K) -> Bound<'py, PyString> {
    if let Some((_, s)) = cache.iter().find(|(k, _)| *k == kind) {
        return s.clone();
    }
    let s = PyString::new(py, &serde_name(kind));
    cache.push((kind, s.clone()));
    s
}

/// The strings of one article, each made on first use.
pub struct ArticleStrings<'py> {
    pub doc: Bound<'py, PyString>,
    sentences: Vec<Option<Bound<'py, PyString>>>,
    /// `actors[a]`: actor a's name and id.
    actors: Vec<Option<(Bound<'py, PyString>, Bound<'py, PyString>)>>,
}

impl<'py> ArticleStrings<'py> {
    pub fn new(py: Python<'py>, a: &ScoredArticle) -> Self {
        ArticleStrings { doc: PyString::new(py, &a.doc), sentences: vec![None; a.sentences.len()], actors: vec![None; a.actors.len()] }
    }

    pub fn sentence(&mut self, py: Python<'py>, a: &ScoredArticle, i: usize) -> Bound<'py, PyString> {
        self.sentences[i].get_or_insert_with(|| PyString::new(py, &a.sentences[i])).clone()
    }

    pub fn actor(&mut self, py: Python<'py>, a: &ScoredArticle, i: usize) -> (Bound<'py, PyString>, Bound<'py, PyString>) {
        self.actors[i].get_or_insert_with(|| (PyString::new(py, &a.actors[i].name), PyString::new(py, &a.actor_ids[i]))).clone()
    }
}
