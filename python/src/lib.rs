//! `stance._stance`: the library ([`stance::Model`]) for Python. Scoring
//! runs with the GIL released, on stance's own worker threads; rows are the
//! JSON Lines rows `stance predict` writes, rendered by the same code and
//! turned into Python dicts. The friendlier layer (pandas, keyword options
//! for train and evaluate) is `stance/__init__.py`.

use std::collections::HashMap;
use std::path::PathBuf;

use rayon::prelude::*;

use pyo3::create_exception;
use pyo3::exceptions::PyException;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PyString};

use stance::actors::list::ListFinder;
use stance::actors::{ActorFinder, ActorKind};
use stance::article::Article;
use stance::output::OutputFormat;
use stance::text::Span;

create_exception!(_stance, StanceError, PyException, "An error of stance, with the one-line message the command line prints.");

fn err(e: stance::Error) -> PyErr {
    StanceError::new_err(e.to_string())
}

/// A loaded model bundle.
#[pyclass(frozen, module = "stance._stance")]
struct Model {
    inner: stance::Model,
}

/// Actors given to `predict`: a CSV path (`actor,alias[,kind]`, as
/// `--actors`) or a list of names.
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

fn finder(actors: Option<Actors>) -> Result<Option<Box<dyn ActorFinder>>, stance::Error> {
    Ok(match actors {
        None => None,
        Some(Actors::Csv(p)) => Some(stance::actors::finder(Some(&p), Default::default())?),
        Some(Actors::Names(names)) => Some(Box::new(ListFinder::new(names.into_iter().map(|n| (n, String::new(), ActorKind::Other)).collect()))),
    })
}

/// Python strings made once per call: the rows repeat their keys, labels,
/// kinds and actor names, and consecutive mentions their sentence.
#[derive(Default)]
struct Strings<'py> {
    short: HashMap<String, Bound<'py, PyString>>,
    last_long: Option<(String, Bound<'py, PyString>)>,
}

impl<'py> Strings<'py> {
    fn get(&mut self, py: Python<'py>, s: &str) -> Bound<'py, PyString> {
        if s.len() <= 64 {
            if let Some(p) = self.short.get(s) {
                return p.clone();
            }
            let p = PyString::new(py, s);
            self.short.insert(s.to_string(), p.clone());
            return p;
        }
        match &self.last_long {
            Some((t, p)) if t == s => p.clone(),
            _ => {
                let p = PyString::new(py, s);
                self.last_long = Some((s.to_string(), p.clone()));
                p
            }
        }
    }
}

/// A JSON value as the Python object `json.loads` would give.
fn to_py<'py>(py: Python<'py>, v: &serde_json::Value, strings: &mut Strings<'py>) -> PyResult<Bound<'py, PyAny>> {
    use serde_json::Value;
    Ok(match v {
        Value::Null => py.None().into_bound(py),
        Value::Bool(b) => b.into_pyobject(py)?.to_owned().into_any(),
        Value::Number(n) => match n.as_i64() {
            Some(i) => i.into_pyobject(py)?.into_any(),
            None => n.as_f64().unwrap_or(f64::NAN).into_pyobject(py)?.into_any(),
        },
        Value::String(s) => strings.get(py, s).into_any(),
        Value::Array(a) => PyList::new(py, a.iter().map(|x| to_py(py, x, strings)).collect::<PyResult<Vec<_>>>()?)?.into_any(),
        Value::Object(o) => {
            let d = PyDict::new(py);
            for (k, x) in o {
                d.set_item(strings.get(py, k), to_py(py, x, strings)?)?;
            }
            d.into_any()
        }
    })
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
    /// (the rows' `doc`; default their index).
    #[pyo3(signature = (texts, actors=None, threads=None, docs=None))]
    fn predict<'py>(
        &self,
        py: Python<'py>,
        texts: Vec<String>,
        actors: Option<Bound<'py, PyAny>>,
        threads: Option<usize>,
        docs: Option<Vec<String>>,
    ) -> PyResult<Bound<'py, PyList>> {
        if let Some(d) = &docs
            && d.len() != texts.len()
        {
            return Err(err(stance::Error::Params(format!("{} docs for {} texts", d.len(), texts.len()))));
        }
        let actors = actors.map(|a| Actors::extract(&a)).transpose()?;
        let rows = py
            .detach(|| -> Result<Vec<serde_json::Value>, stance::Error> {
                let finder = finder(actors)?;
                let docs = docs.unwrap_or_else(|| (0..texts.len()).map(|i| i.to_string()).collect());
                let articles: Vec<Article> = docs.into_iter().zip(texts).map(|(doc, text)| Article { doc, text, keep: Vec::new() }).collect();
                let bytes = self.inner.predict_rendered(articles, finder.as_deref(), threads, OutputFormat::Jsonl)?;
                let lines: Vec<&[u8]> = bytes.split(|&b| b == b'\n').filter(|l| l.starts_with(br#"{"type":"mention""#)).collect();
                let parse = |l: &&[u8]| serde_json::from_slice(l).expect("stance renders valid JSON");
                Ok(stance::predict::thread_pool(threads)?.install(|| lines.par_iter().map(parse).collect()))
            })
            .map_err(err)?;
        let mut strings = Strings::default();
        let rows = rows.iter().map(|r| to_py(py, r, &mut strings)).collect::<PyResult<Vec<_>>>()?;
        PyList::new(py, rows)
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
    m.add_function(wrap_pyfunction!(run_cli, m)?)?;
    m.add("StanceError", m.py().get_type::<StanceError>())?;
    Ok(())
}
