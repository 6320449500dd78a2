//! `predict_columns`: the mention rows as columns (a dict of lists), the
//! CSV's columns in its order, for `predict_df` to hand to pandas without
//! a dict per row. Values as in [`crate::rows`].

use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PyString};

use stance::article::ScoredArticle;
use stance::output::round;

use crate::strings::{ArticleStrings, Shared};

pub struct Columns<'py> {
    py: Python<'py>,
    shared: Shared<'py>,
    /// Each row's article: its index in the call's texts.
    article: Vec<usize>,
    sentence_index: Vec<usize>,
    sentence: Vec<Bound<'py, PyString>>,
    actor: Vec<Bound<'py, PyString>>,
    actor_id: Vec<Bound<'py, PyString>>,
    actor_kind: Vec<Bound<'py, PyString>>,
    /// None in a topic's rows, as the CSV's empty fields.
    mention: Vec<Option<Bound<'py, PyString>>>,
    mention_kind: Vec<Option<Bound<'py, PyString>>>,
    start: Vec<Option<usize>>,
    end: Vec<Option<usize>>,
    label: Vec<Bound<'py, PyString>>,
    /// `probs[l]`: every row's rounded probability of label l.
    probs: Vec<Vec<f64>>,
    score: Vec<Option<f64>>,
}

impl<'py> Columns<'py> {
    pub fn new(py: Python<'py>, model: &stance::Model) -> Self {
        let shared = Shared::new(py, model);
        let probs = vec![Vec::new(); shared.labels.len()];
        Columns {
            py,
            shared,
            article: Vec::new(),
            sentence_index: Vec::new(),
            sentence: Vec::new(),
            actor: Vec::new(),
            actor_id: Vec::new(),
            actor_kind: Vec::new(),
            mention: Vec::new(),
            mention_kind: Vec::new(),
            start: Vec::new(),
            end: Vec::new(),
            label: Vec::new(),
            probs,
            score: Vec::new(),
        }
    }

    /// Add the rows of article number `at`.
    pub fn article(&mut self, at: usize, a: &ScoredArticle) -> PyResult<()> {
        let py = self.py;
        let mut strings = ArticleStrings::new(py, a);
        for m in &a.mentions {
            let (actor, actor_id) = strings.actor(py, a, m.actor);
            self.article.push(at);
            self.sentence_index.push(m.sentence_index);
            self.sentence.push(strings.sentence(py, a, m.sentence_index));
            self.actor.push(actor);
            self.actor_id.push(actor_id);
            self.actor_kind.push(self.shared.actor_kind(py, a.actors[m.actor].kind));
            let at = m.mention.as_ref();
            self.mention.push(at.map(|at| PyString::new(py, &at.text)));
            self.mention_kind.push(at.map(|at| self.shared.mention_kind(py, at.kind)));
            self.start.push(at.map(|at| at.span.start));
            self.end.push(at.map(|at| at.span.end));
            self.label.push(self.shared.labels[m.label].clone());
            for (column, &p) in self.probs.iter_mut().zip(&m.probs) {
                column.push(round(p));
            }
            self.score.push(m.score.map(round));
        }
        Ok(())
    }

    /// `{"model": [...], "sentence_index": [...], ..., "score": [...],
    /// "article": [...]}`: the CSV's columns but doc, in its order.
    pub fn into_dict(self) -> PyResult<Bound<'py, PyDict>> {
        let py = self.py;
        let d = PyDict::new(py);
        d.set_item("model", PyList::new(py, std::iter::repeat_n(&self.shared.model, self.article.len()))?)?;
        d.set_item("sentence_index", PyList::new(py, self.sentence_index)?)?;
        d.set_item("sentence", PyList::new(py, self.sentence)?)?;
        d.set_item("actor", PyList::new(py, self.actor)?)?;
        d.set_item("actor_id", PyList::new(py, self.actor_id)?)?;
        d.set_item("actor_kind", PyList::new(py, self.actor_kind)?)?;
        d.set_item("mention", PyList::new(py, self.mention)?)?;
        d.set_item("mention_kind", PyList::new(py, self.mention_kind)?)?;
        d.set_item("start", PyList::new(py, self.start)?)?;
        d.set_item("end", PyList::new(py, self.end)?)?;
        d.set_item("label", PyList::new(py, self.label)?)?;
        for (l, column) in self.shared.labels.iter().zip(self.probs) {
            d.set_item(format!("p_{l}"), PyList::new(py, column)?)?;
        }
        d.set_item("score", PyList::new(py, self.score)?)?;
        d.set_item("article", PyList::new(py, self.article)?)?;
        Ok(d)
    }
}
