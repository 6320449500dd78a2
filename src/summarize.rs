//! `stance summarize`: the mention rows of `predict` JSON Lines in, one row
//! per (group, actor) out: mentions, articles, mean score with a 95 %
//! bootstrap interval over articles, and the share of each label.
//!
//! Articles are the resampling unit, since the mentions of one article are
//! not independent of each other. Rows are read as a stream and folded
//! into per-(group, actor, article) sums at once, so memory grows with
//! those, never with the rows.

use std::collections::HashMap;
use std::io::{BufRead, Write};
use std::path::PathBuf;

use serde_json::{Map, Value};

use crate::corpus::lines::Lines;
use crate::error::{Error, Location, Result};
use crate::output::OutputFormat;

/// What `summarize` reads and how it groups and writes.
pub struct Plan<'a> {
    /// `predict` JSON Lines files; `-` is standard input.
    pub files: &'a [PathBuf],
    pub group_by: &'a [String],
    pub min_mentions: usize,
    pub resamples: usize,
    pub seed: u64,
    pub max_line_bytes: usize,
}

/// The running totals of one (group, actor).
#[derive(Debug, Default)]
struct Totals {
    actor: String,
    actor_kind: String,
    mentions: usize,
    /// Per label (the order of [`Summary::labels`]): mentions given it.
    label_counts: Vec<usize>,
    /// Per article met: (sum of scores, scored mentions).
    articles: Vec<(f64, usize)>,
    /// Article id → index into `articles`.
    article_index: HashMap<usize, usize>,
}

/// One output row.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub group: Vec<Value>,
    pub actor: String,
    pub actor_id: String,
    pub actor_kind: String,
    pub mentions: usize,
    pub articles: usize,
    pub mean_score: Option<f64>,
    /// 95 % percentile bootstrap interval of the mean score, articles resampled.
    pub interval: Option<(f64, f64)>,
    /// Share of the mentions per label, in [`Summary::labels`] order.
    pub shares: Vec<f64>,
}

/// The rows of a summary, sorted by mentions (most first).
#[derive(Debug, Clone, PartialEq)]
pub struct Summary {
    pub group_by: Vec<String>,
    pub labels: Vec<String>,
    pub rows: Vec<Row>,
}

#[derive(Default)]
struct Accumulator {
    labels: Vec<String>,
    docs: HashMap<String, usize>,
    groups: HashMap<(Vec<String>, String), Totals>,
    /// Each key's group values as read (JSON), for the output.
    group_values: HashMap<Vec<String>, Vec<Value>>,
}

fn field<'a>(row: &'a Map<String, Value>, name: &str, at: &Location) -> Result<&'a Value> {
    row.get(name).ok_or_else(|| {
        Error::input(at.clone(), format!("no field `{name}` in this row (is it a `stance predict` JSON Lines row, made with --keep {name} if it is an input field?)"))
    })
}

fn text<'a>(row: &'a Map<String, Value>, name: &str, at: &Location) -> Result<&'a str> {
    field(row, name, at)?.as_str().ok_or_else(|| Error::input(at.clone(), format!("field `{name}` is not a string")))
}

impl Accumulator {
    fn add(&mut self, line: &str, at: &Location, group_by: &[String]) -> Result<()> {
        let row: Map<String, Value> = match serde_json::from_str::<Value>(line) {
            Ok(Value::Object(m)) => m,
            Ok(_) => return Err(Error::input(at.clone(), "expected a JSON object (a `stance predict` row)")),
            Err(e) => return Err(Error::input(at.clone(), format!("invalid JSON: {e}"))),
        };
        match text(&row, "type", at)? {
            "mention" => {}
            "summary" => return Ok(()),
            other => return Err(Error::input(at.clone(), format!("unknown row type {other:?} (expected mention or summary)"))),
        }
        let doc = text(&row, "doc", at)?;
        let actor = text(&row, "actor", at)?;
        let actor_id = match row.get("actor_id") {
            Some(Value::String(s)) => s.as_str(),
            _ => actor,
        };
        let label = text(&row, "label", at)?;
        let score = match field(&row, "score", at)? {
            Value::Null => None,
            Value::Number(n) => n.as_f64(),
            _ => return Err(Error::input(at.clone(), "field `score` is not a number")),
        };
        let mut key = Vec::with_capacity(group_by.len());
        let mut values = Vec::with_capacity(group_by.len());
        for g in group_by {
            let v = field(&row, g, at)?;
            key.push(match v {
                Value::String(s) => s.clone(),
                v => v.to_string(),
            });
            values.push(v.clone());
        }
        let l = match self.labels.iter().position(|x| x == label) {
            Some(l) => l,
            None => {
                self.labels.push(label.to_string());
                self.labels.len() - 1
            }
        };
        let next_doc = self.docs.len();
        let d = *self.docs.entry(doc.to_string()).or_insert(next_doc);
        if !self.group_values.contains_key(&key) {
            self.group_values.insert(key.clone(), values);
        }
        let t = self.groups.entry((key, actor_id.to_string())).or_insert_with(|| Totals {
            actor: actor.to_string(),
            actor_kind: row.get("actor_kind").and_then(Value::as_str).unwrap_or("").to_string(),
            ..Totals::default()
        });
        t.mentions += 1;
        if t.label_counts.len() <= l {
            t.label_counts.resize(l + 1, 0);
        }
        t.label_counts[l] += 1;
        let next = t.articles.len();
        let a = *t.article_index.entry(d).or_insert(next);
        if a == next {
            t.articles.push((0.0, 0));
        }
        if let Some(s) = score {
            t.articles[a].0 += s;
            t.articles[a].1 += 1;
        }
        Ok(())
    }
}

/// Read every file of the plan and summarise.
pub fn summarize(plan: &Plan) -> Result<Summary> {
    let mut acc = Accumulator::default();
    for f in plan.files {
        let is_stdin = f.as_os_str() == "-";
        let name = if is_stdin { PathBuf::from("<stdin>") } else { f.clone() };
        let reader: Box<dyn BufRead> = if is_stdin { Box::new(std::io::BufReader::new(std::io::stdin())) } else { Box::new(crate::corpus::open(f)?) };
        let mut lines = Lines::new(reader, &name, plan.max_line_bytes);
        while let Some(l) = lines.next_line()? {
            if l.trim().is_empty() {
                continue;
            }
            let at = lines.location();
            acc.add(&l, &at, plan.group_by)?;
        }
    }
    let n_labels = acc.labels.len();
    let mut rows: Vec<Row> = acc
        .groups
        .into_iter()
        .filter(|(_, t)| t.mentions >= plan.min_mentions)
        .map(|((key, actor_id), t)| {
            let mean = crate::bootstrap::article_mean(&t.articles, plan.resamples, plan.seed);
            let (mean_score, interval) = (mean.map(|m| m.0), mean.map(|m| m.1));
            let mut counts = t.label_counts.clone();
            counts.resize(n_labels, 0);
            Row {
                group: acc.group_values[&key].clone(),
                actor: t.actor,
                actor_id,
                actor_kind: t.actor_kind,
                mentions: t.mentions,
                articles: t.articles.len(),
                mean_score,
                interval,
                shares: counts.iter().map(|&c| c as f64 / t.mentions as f64).collect(),
            }
        })
        .collect();
    let group_text = |r: &Row| r.group.iter().map(|v| v.to_string()).collect::<Vec<_>>();
    rows.sort_by(|a, b| b.mentions.cmp(&a.mentions).then_with(|| group_text(a).cmp(&group_text(b))).then_with(|| a.actor_id.cmp(&b.actor_id)));
    Ok(Summary { group_by: plan.group_by.to_vec(), labels: acc.labels, rows })
}

/// Four decimals: summaries are read by people and spreadsheets.
fn round(v: f64) -> f64 {
    (v * 1e4).round() / 1e4
}

fn value_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        v => v.to_string(),
    }
}

impl Summary {
    pub fn write(&self, format: OutputFormat, out: &mut dyn Write) -> std::io::Result<()> {
        match format {
            OutputFormat::Jsonl => self.write_jsonl(out),
            OutputFormat::Csv => self.write_csv(out),
            OutputFormat::Table => self.write_table(out),
        }
    }

    fn write_jsonl(&self, out: &mut dyn Write) -> std::io::Result<()> {
        for r in &self.rows {
            let mut m = Map::new();
            for (g, v) in self.group_by.iter().zip(&r.group) {
                m.insert(g.clone(), v.clone());
            }
            m.insert("actor".into(), r.actor.clone().into());
            m.insert("actor_id".into(), r.actor_id.clone().into());
            m.insert("actor_kind".into(), r.actor_kind.clone().into());
            m.insert("mentions".into(), r.mentions.into());
            m.insert("articles".into(), r.articles.into());
            m.insert("mean_score".into(), r.mean_score.map(round).into());
            m.insert("ci_low".into(), r.interval.map(|i| round(i.0)).into());
            m.insert("ci_high".into(), r.interval.map(|i| round(i.1)).into());
            let shares: Map<String, Value> = self.labels.iter().zip(&r.shares).map(|(l, s)| (l.clone(), round(*s).into())).collect();
            m.insert("shares".into(), shares.into());
            serde_json::to_writer(&mut *out, &m)?;
            out.write_all(b"\n")?;
        }
        Ok(())
    }

    fn header(&self) -> Vec<String> {
        let mut h: Vec<String> = self.group_by.clone();
        h.extend(["actor", "actor_id", "actor_kind", "mentions", "articles", "mean_score", "ci_low", "ci_high"].map(String::from));
        h.extend(self.labels.iter().map(|l| format!("share_{l}")));
        h
    }

    fn cells(&self, r: &Row) -> Vec<String> {
        let num = |v: Option<f64>| v.map(|v| format!("{v:.4}")).unwrap_or_default();
        let mut c: Vec<String> = r.group.iter().map(value_text).collect();
        c.extend([r.actor.clone(), r.actor_id.clone(), r.actor_kind.clone(), r.mentions.to_string(), r.articles.to_string()]);
        c.extend([num(r.mean_score), num(r.interval.map(|i| i.0)), num(r.interval.map(|i| i.1))]);
        c.extend(r.shares.iter().map(|s| format!("{s:.4}")));
        c
    }

    fn write_csv(&self, out: &mut dyn Write) -> std::io::Result<()> {
        let mut w = csv::Writer::from_writer(out);
        w.write_record(self.header())?;
        for r in &self.rows {
            w.write_record(self.cells(r))?;
        }
        w.flush()
    }

    fn write_table(&self, out: &mut dyn Write) -> std::io::Result<()> {
        let header = self.header();
        let rows: Vec<Vec<String>> = self.rows.iter().map(|r| self.cells(r).iter().map(|c| crate::output::clip(c, 32)).collect()).collect();
        let width: Vec<usize> = (0..header.len()).map(|i| rows.iter().map(|r| r[i].chars().count()).chain([header[i].len()]).max().unwrap_or(0)).collect();
        let line = |cells: &[String]| -> String {
            cells.iter().zip(&width).map(|(c, w)| format!("{c:<w$}")).collect::<Vec<_>>().join("  ").trim_end().to_string()
        };
        writeln!(out, "{}", line(&header))?;
        for r in &rows {
            writeln!(out, "{}", line(r))?;
        }
        if rows.is_empty() {
            writeln!(out, "(no actors)")?;
        }
        Ok(())
    }
}

/// Refuse a `--group-by` naming a field twice or an empty field.
pub fn check_group_by(fields: &[String]) -> Result<()> {
    for (i, f) in fields.iter().enumerate() {
        if f.is_empty() {
            return Err(Error::Params("--group-by: an empty field name".into()));
        }
        if fields[..i].contains(f) {
            return Err(Error::Params(format!("--group-by {f}: named twice")));
        }
    }
    Ok(())
}
