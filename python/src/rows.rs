//! `predict`'s rows: one dict per mention, built from the scored article
//! with the keys, order and values of `stance predict --format jsonl`'s
//! mention rows (probabilities and score rounded as there, by the same
//! function), so that the package's rows equal the parsed CLI rows.

use pyo3::intern;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PyString};

use stance::article::ScoredArticle;
use stance::output::round;

use crate::strings::{ArticleStrings, Shared};

pub struct Rows<'py> {
    py: Python<'py>,
    shared: Shared<'py>,
}

impl<'py> Rows<'py> {
    pub fn new(py: Python<'py>, model: &stance::Model) -> Self {
        Rows { py, shared: Shared::new(py, model) }
    }

    /// Append the article's mention rows to `out`.
    pub fn article(&mut self, a: &ScoredArticle, out: &Bound<'py, PyList>) -> PyResult<()> {
        let py = self.py;
        let mut strings = ArticleStrings::new(py, a);
        for m in &a.mentions {
            let (actor, actor_id) = strings.actor(py, a, m.actor);
            let row = PyDict::new(py);
            row.set_item(intern!(py, "type"), intern!(py, "mention"))?;
            row.set_item(intern!(py, "model"), &self.shared.model)?;
            row.set_item(intern!(py, "doc"), &strings.doc)?;
            row.set_item(intern!(py, "sentence_index"), m.sentence_index)?;
            row.set_item(intern!(py, "sentence"), strings.sentence(py, a, m.sentence_index))?;
            row.set_item(intern!(py, "actor"), actor)?;
            row.set_item(intern!(py, "actor_id"), actor_id)?;
            row.set_item(intern!(py, "actor_kind"), self.shared.actor_kind(py, a.actors[m.actor].kind))?;
            // A topic's row has no mention: None for all four, as null there.
            let at = m.mention.as_ref();
            row.set_item(intern!(py, "mention"), at.map(|at| PyString::new(py, &at.text)))?;
            row.set_item(intern!(py, "mention_kind"), at.map(|at| self.shared.mention_kind(py, at.kind)))?;
            row.set_item(intern!(py, "start"), at.map(|at| at.span.start))?;
            row.set_item(intern!(py, "end"), at.map(|at| at.span.end))?;
            row.set_item(intern!(py, "label"), &self.shared.labels[m.label])?;
            let probs = PyDict::new(py);
            for (l, &p) in self.shared.labels.iter().zip(&m.probs) {
                probs.set_item(l, round(p))?;
            }
            row.set_item(intern!(py, "probabilities"), probs)?;
            row.set_item(intern!(py, "score"), m.score.map(round))?;
            out.append(row)?;
        }
        Ok(())
    }
}
