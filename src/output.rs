//! Output of `predict`: a readable table, JSON Lines or CSV. Each format is
//! a [`Sink`] that renders one scored article into bytes. Rendering needs
//! no state shared between articles (the CSV header is separate), so the
//! scoring threads render their own articles and the writer thread only
//! copies bytes out, in input order.

use std::io::{self, Write};

use serde_json::{json, Value};

use crate::article::ScoredArticle;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum OutputFormat {
    /// For people: sentences with their actors' labels, then a summary.
    Table,
    /// One JSON object a line: a `mention` row per mention, a `summary`
    /// row per actor and article.
    Jsonl,
    /// One row per mention, the same fields as JSON Lines.
    Csv,
}

/// The format of a separate summary file (`predict --summary FILE`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SummaryFormat {
    Jsonl,
    Csv,
}

impl SummaryFormat {
    /// By the file's extension (`.csv`, `.jsonl`, `.ndjson`, `.json`);
    /// otherwise that of the main output (CSV beside a table).
    pub fn for_file(path: &std::path::Path, main: OutputFormat) -> SummaryFormat {
        match path.extension().and_then(|e| e.to_str()).map(|e| e.to_ascii_lowercase()).as_deref() {
            Some("csv") => SummaryFormat::Csv,
            Some("jsonl" | "ndjson" | "json") => SummaryFormat::Jsonl,
            _ if main == OutputFormat::Jsonl => SummaryFormat::Jsonl,
            _ => SummaryFormat::Csv,
        }
    }
}

/// What every format needs besides the labels.
#[derive(Debug, Clone, Default)]
pub struct SinkOptions {
    /// The model that scored, as [`crate::bundle::Bundle::id`] names it:
    /// every row carries it.
    pub model: String,
    /// `--explain` is on: CSV gets an `explain` column.
    pub explain: bool,
    /// Table: sentences on one line each instead of wrapped.
    pub wide: bool,
    /// Summary rows go to a file of their own, in this format, instead of
    /// the main output.
    pub summary: Option<SummaryFormat>,
    /// The input fields each article carries into its rows (`predict --keep`).
    pub keep: Vec<String>,
}

pub trait Sink: Sync {
    /// What goes before the first article, if anything (CSV's header).
    fn header(&self) -> Option<Vec<u8>> {
        None
    }
    /// Append one article's rows to `out` (without its summary rows when
    /// they go to a file of their own).
    fn article(&self, a: &ScoredArticle, out: &mut Vec<u8>) -> io::Result<()>;
}

/// A sink for `format`; `opts.keep` names the input fields each article
/// carries into its rows (`predict --keep`).
pub fn sink(format: OutputFormat, labels: &[String], opts: &SinkOptions) -> Box<dyn Sink> {
    let (labels, opts) = (labels.to_vec(), opts.clone());
    match format {
        OutputFormat::Table => Box::new(Table { labels, opts }),
        OutputFormat::Jsonl => Box::new(Jsonl { labels, opts }),
        OutputFormat::Csv => Box::new(Csv { labels, opts }),
    }
}

/// The summary file's renderer: per-article actor totals only.
pub fn summary_sink(format: SummaryFormat, labels: &[String], opts: &SinkOptions) -> Box<dyn Sink> {
    Box::new(Summaries { format, labels: labels.to_vec(), model: opts.model.clone(), keep: opts.keep.clone() })
}

/// The fields every row has, which `--keep` may not name.
pub const ROW_FIELDS: &[&str] = &[
    "type", "doc", "sentence_index", "sentence", "actor", "actor_id", "actor_kind", "mention", "mention_kind", "start", "end",
    "label", "probabilities", "score", "explain", "mentions", "mean_score", "labels", "model",
];

/// The `--keep` fields of an article, serialised into its rows' objects.
struct Kept<'a>(&'a [String], &'a [Value]);

impl serde::Serialize for Kept<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut m = s.serialize_map(Some(self.0.len()))?;
        for (k, v) in self.0.iter().zip(self.1) {
            m.serialize_entry(k, v)?;
        }
        m.end()
    }
}

/// A kept value as one CSV field or table cell: strings as they are,
/// anything else as JSON.
fn kept_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        v => v.to_string(),
    }
}

/// Six decimals: enough for any analysis, and stable text across runs.
/// Public so that rows built elsewhere (the Python package's dicts) carry
/// the same values as the rendered ones.
pub fn round(v: f64) -> f64 {
    (v * 1e6).round() / 1e6
}

struct Jsonl {
    labels: Vec<String>,
    opts: SinkOptions,
}

/// One JSON Lines row, serialised straight from borrowed data.
#[derive(serde::Serialize)]
struct MentionRow<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    model: &'a str,
    doc: &'a str,
    sentence_index: usize,
    sentence: &'a str,
    actor: &'a str,
    actor_id: &'a str,
    actor_kind: crate::actors::ActorKind,
    /// `null` (as are `mention_kind`, `start` and `end`) for a topic's row.
    mention: Option<&'a str>,
    mention_kind: Option<crate::actors::MentionKind>,
    start: Option<usize>,
    end: Option<usize>,
    label: &'a str,
    probabilities: ByLabel<'a, f64>,
    score: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    explain: Option<Vec<Value>>,
    #[serde(flatten)]
    kept: Kept<'a>,
}

/// `{"label": value, ...}` in the model's label order: a mention's
/// probabilities, an actor's label counts.
struct ByLabel<'a, T>(&'a [String], &'a [T]);

impl<T: serde::Serialize> serde::Serialize for ByLabel<'_, T> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut m = s.serialize_map(Some(self.0.len()))?;
        for (l, v) in self.0.iter().zip(self.1) {
            m.serialize_entry(l, v)?;
        }
        m.end()
    }
}

/// One summary row per actor, serialised like [`MentionRow`].
#[derive(serde::Serialize)]
struct SummaryRow<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    model: &'a str,
    doc: &'a str,
    actor: &'a str,
    actor_id: &'a str,
    actor_kind: crate::actors::ActorKind,
    mentions: usize,
    mean_score: Option<f64>,
    labels: ByLabel<'a, usize>,
    #[serde(flatten)]
    kept: Kept<'a>,
}

fn jsonl_summaries(labels: &[String], model: &str, keep: &[String], a: &ScoredArticle, out: &mut Vec<u8>) -> io::Result<()> {
    for s in a.summaries(labels.len()) {
        let v = SummaryRow {
            kind: "summary",
            model,
            doc: &a.doc,
            actor: &a.actors[s.actor].name,
            actor_id: &a.actor_ids[s.actor],
            actor_kind: a.actors[s.actor].kind,
            mentions: s.mentions,
            mean_score: s.mean_score.map(round),
            labels: ByLabel(labels, &s.label_counts),
            kept: Kept(keep, &a.keep),
        };
        serde_json::to_writer(&mut *out, &v)?;
        out.push(b'\n');
    }
    Ok(())
}

impl Sink for Jsonl {
    fn article(&self, a: &ScoredArticle, out: &mut Vec<u8>) -> io::Result<()> {
        for m in &a.mentions {
            // Rounded on the stack: a model has at most MAX_CLASSES labels.
            let mut probs = [0f64; crate::model::LinearModel::MAX_CLASSES];
            for (r, &p) in probs.iter_mut().zip(&m.probs) {
                *r = round(p);
            }
            let row = MentionRow {
                kind: "mention",
                model: &self.opts.model,
                doc: &a.doc,
                sentence_index: m.sentence_index,
                sentence: &a.sentences[m.sentence_index],
                actor: &a.actors[m.actor].name,
                actor_id: &a.actor_ids[m.actor],
                actor_kind: a.actors[m.actor].kind,
                mention: m.mention.as_ref().map(|at| at.text.as_str()),
                mention_kind: m.mention.as_ref().map(|at| at.kind),
                start: m.mention.as_ref().map(|at| at.span.start),
                end: m.mention.as_ref().map(|at| at.span.end),
                label: &self.labels[m.label],
                probabilities: ByLabel(&self.labels, &probs[..m.probs.len()]),
                score: m.score.map(round),
                explain: (!m.explain.is_empty())
                    .then(|| m.explain.iter().map(|(n, w)| json!({"feature": n, "weight": round(*w as f64)})).collect()),
                kept: Kept(&self.opts.keep, &a.keep),
            };
            serde_json::to_writer(&mut *out, &row)?;
            out.push(b'\n');
        }
        if self.opts.summary.is_none() {
            jsonl_summaries(&self.labels, &self.opts.model, &self.opts.keep, a, out)?;
        }
        Ok(())
    }
}

/// A lower-case name of a serde enum (`person`, `pronoun`).
fn name_of<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_value(v).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default()
}

fn csv_bytes(record: &[String]) -> Option<Vec<u8>> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(record).ok()?;
    w.into_inner().ok()
}

struct Csv {
    labels: Vec<String>,
    opts: SinkOptions,
}

impl Sink for Csv {
    /// JSON Lines' fields, in its order: `probabilities` as one `p_LABEL`
    /// column per label, `explain` (with `--explain`) as one
    /// `feature=weight` pair a line (feature names hold spaces and `=`;
    /// the weight follows the last `=`).
    fn header(&self) -> Option<Vec<u8>> {
        let mut h: Vec<String> = ["model", "doc", "sentence_index", "sentence", "actor", "actor_id", "actor_kind", "mention", "mention_kind", "start", "end", "label"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        h.extend(self.labels.iter().map(|l| format!("p_{l}")));
        h.push("score".into());
        if self.opts.explain {
            h.push("explain".into());
        }
        h.extend(self.opts.keep.iter().cloned());
        csv_bytes(&h)
    }

    fn article(&self, a: &ScoredArticle, out: &mut Vec<u8>) -> io::Result<()> {
        let mut w = csv::WriterBuilder::new().buffer_capacity(1024).from_writer(out);
        for m in &a.mentions {
            let mut r = vec![
                self.opts.model.clone(),
                a.doc.clone(),
                m.sentence_index.to_string(),
                a.sentences[m.sentence_index].clone(),
                a.actors[m.actor].name.clone(),
                a.actor_ids[m.actor].clone(),
                name_of(&a.actors[m.actor].kind),
            ];
            // A topic's row leaves mention, kind and offsets empty.
            match &m.mention {
                Some(at) => r.extend([at.text.clone(), name_of(&at.kind), at.span.start.to_string(), at.span.end.to_string()]),
                None => r.extend(std::iter::repeat_n(String::new(), 4)),
            }
            r.push(self.labels[m.label].clone());
            r.extend(m.probs.iter().map(|p| format!("{p:.6}")));
            r.push(m.score.map(|s| format!("{:.6}", s)).unwrap_or_default());
            if self.opts.explain {
                r.push(m.explain.iter().map(|(n, w)| format!("{n}={w:+.6}")).collect::<Vec<_>>().join("\n"));
            }
            r.extend(a.keep.iter().map(kept_text));
            w.write_record(&r)?;
        }
        w.flush()
    }
}

/// The summary file of `predict --summary FILE`: one row per actor and
/// article, the fields of JSON Lines' `summary` rows.
struct Summaries {
    format: SummaryFormat,
    labels: Vec<String>,
    model: String,
    keep: Vec<String>,
}

impl Sink for Summaries {
    fn header(&self) -> Option<Vec<u8>> {
        if self.format == SummaryFormat::Jsonl {
            return None;
        }
        let mut h: Vec<String> = ["model", "doc", "actor", "actor_id", "actor_kind", "mentions", "mean_score"].iter().map(|s| s.to_string()).collect();
        h.extend(self.labels.iter().map(|l| format!("n_{l}")));
        h.extend(self.keep.iter().cloned());
        csv_bytes(&h)
    }

    fn article(&self, a: &ScoredArticle, out: &mut Vec<u8>) -> io::Result<()> {
        if self.format == SummaryFormat::Jsonl {
            return jsonl_summaries(&self.labels, &self.model, &self.keep, a, out);
        }
        let mut w = csv::WriterBuilder::new().buffer_capacity(1024).from_writer(out);
        for s in a.summaries(self.labels.len()) {
            let mut r = vec![
                self.model.clone(),
                a.doc.clone(),
                a.actors[s.actor].name.clone(),
                a.actor_ids[s.actor].clone(),
                name_of(&a.actors[s.actor].kind),
                s.mentions.to_string(),
                s.mean_score.map(|v| format!("{:.6}", v)).unwrap_or_default(),
            ];
            r.extend(s.label_counts.iter().map(|c| c.to_string()));
            r.extend(a.keep.iter().map(kept_text));
            w.write_record(&r)?;
        }
        w.flush()
    }
}

struct Table {
    labels: Vec<String>,
    opts: SinkOptions,
}

/// `s` safe to show on a terminal: control characters (escape sequences
/// that could clear the screen or retitle the window, carriage returns)
/// and bidirectional overrides written as `\u{..}`.
fn printable(s: &str) -> String {
    let unsafe_char = |c: char| c.is_control() || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}');
    if !s.chars().any(unsafe_char) {
        return s.to_string();
    }
    s.chars().map(|c| if unsafe_char(c) { c.escape_unicode().to_string() } else { c.to_string() }).collect()
}

/// `s` on one line, printable, at most `n` characters (for metadata such
/// as kept fields; sentences and names are wrapped or shown whole).
pub(crate) fn clip(s: &str, n: usize) -> String {
    let one_line = one_line(s);
    if one_line.chars().count() <= n {
        return one_line;
    }
    let mut t: String = one_line.chars().take(n - 1).collect();
    t.push('…');
    t
}

/// `s` on one line (runs of white space as one space), printable.
fn one_line(s: &str) -> String {
    printable(&s.split_whitespace().collect::<Vec<_>>().join(" "))
}

/// Width of the table's sentence text before it wraps.
const WRAP: usize = 96;

/// `s` on lines of at most `width` characters, broken between words only
/// (a longer word gets a line of its own, whole).
fn wrap(s: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    let mut len = 0;
    for word in one_line(s).split(' ') {
        let n = word.chars().count();
        if len > 0 && len + 1 + n > width {
            lines.push(std::mem::take(&mut line));
            len = 0;
        }
        if len > 0 {
            line.push(' ');
            len += 1;
        }
        line.push_str(word);
        len += n;
    }
    lines.push(line);
    lines
}

/// Pad `s` with spaces to `n` characters (never cut).
fn pad(s: &str, n: usize) -> String {
    format!("{s}{}", " ".repeat(n.saturating_sub(s.chars().count())))
}

impl Sink for Table {
    fn header(&self) -> Option<Vec<u8>> {
        Some(format!("model {}; sentence [N] is sentence_index N-1 of JSON Lines and CSV\n\n", self.opts.model).into_bytes())
    }

    fn article(&self, a: &ScoredArticle, o: &mut Vec<u8>) -> io::Result<()> {
        let kept: Vec<String> = self.opts.keep.iter().zip(&a.keep).map(|(k, v)| format!("{k}={}", kept_text(v))).collect();
        if kept.is_empty() {
            writeln!(o, "== {} ==", printable(&a.doc))?;
        } else {
            writeln!(o, "== {} ({}) ==", printable(&a.doc), clip(&kept.join(", "), 120))?;
        }
        if a.mentions.is_empty() {
            writeln!(o, "(no actors found)\n")?;
            return Ok(());
        }
        // Columns as wide as this article's longest name: nothing is cut.
        let names: Vec<String> = a.actors.iter().map(|x| one_line(&x.name)).collect();
        let forms: Vec<String> = a
            .mentions
            .iter()
            .map(|m| match &m.mention {
                None => "(topic)".to_string(),
                Some(at) if at.text == a.actors[m.actor].name => String::new(),
                Some(at) => format!("({})", one_line(&at.text)),
            })
            .collect();
        let name_w = a.mentions.iter().map(|m| names[m.actor].chars().count()).max().unwrap_or(0).max(5);
        let form_w = forms.iter().map(|f| f.chars().count()).max().unwrap_or(0);
        let label_w = self.labels.iter().map(|l| l.chars().count()).max().unwrap_or(0).max(5);
        let mut last = usize::MAX;
        for (m, form) in a.mentions.iter().zip(&forms) {
            if m.sentence_index != last {
                last = m.sentence_index;
                let number = format!("[{}]", m.sentence_index + 1);
                let lines = if self.opts.wide { vec![one_line(&a.sentences[last])] } else { wrap(&a.sentences[last], WRAP) };
                for (i, line) in lines.iter().enumerate() {
                    let lead = if i == 0 { number.clone() } else { " ".repeat(number.len()) };
                    writeln!(o, "{}{lead} {line}", if i == 0 { "\n" } else { "" })?;
                }
            }
            let score = m.score.map(|s| format!("{s:+.2}")).unwrap_or_default();
            let p = m.probs[m.label];
            let form = if form_w > 0 { format!(" {}", pad(form, form_w)) } else { String::new() };
            writeln!(o, "    {}{form} {} {:>6}  p={:.2}", pad(&names[m.actor], name_w), pad(&printable(&self.labels[m.label]), label_w), score, p)?;
            for (n, w) in &m.explain {
                writeln!(o, "        {w:+.3}  {}", printable(n))?;
            }
        }
        if self.opts.summary.is_some() {
            writeln!(o)?;
            return Ok(());
        }
        let n = a.sentences.len();
        writeln!(o, "\nSummary ({n} sentence{}, most mentioned first)", if n == 1 { "" } else { "s" })?;
        write!(o, "    {} {:>8} {:>10}", pad("actor", name_w), "mentions", "mean score")?;
        for l in &self.labels {
            write!(o, " {:>w$}", printable(l), w = label_w.max(9))?;
        }
        writeln!(o)?;
        let mut summaries = a.summaries(self.labels.len());
        // Stable: equal counts keep the order of first mention.
        summaries.sort_by_key(|x| std::cmp::Reverse(x.mentions));
        for s in summaries {
            let mean = s.mean_score.map(|v| format!("{v:+.2}")).unwrap_or_default();
            write!(o, "    {} {:>8} {:>10}", pad(&names[s.actor], name_w), s.mentions, mean)?;
            for c in &s.label_counts {
                write!(o, " {c:>w$}", w = label_w.max(9))?;
            }
            writeln!(o)?;
        }
        writeln!(o)?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrap_breaks_between_words_only() {
        let s = "The harbour authority rejected the   plan\nof Mayor Ines Kowalski on Tuesday.";
        let lines = wrap(s, 20);
        assert!(lines.iter().all(|l| l.chars().count() <= 20), "{lines:?}");
        assert_eq!(lines.join(" "), one_line(s));
        // A word longer than the width stands whole on its own line.
        assert_eq!(wrap("a Donaudampfschifffahrtsgesellschaft b", 10), ["a", "Donaudampfschifffahrtsgesellschaft", "b"]);
    }
}
