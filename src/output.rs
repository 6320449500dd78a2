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
    Table,
    Jsonl,
    Csv,
}

pub trait Sink: Sync {
    /// What goes before the first article, if anything (CSV's header).
    fn header(&self) -> Option<Vec<u8>> {
        None
    }
    /// Append one article's rows to `out`.
    fn article(&self, a: &ScoredArticle, out: &mut Vec<u8>) -> io::Result<()>;
}

/// A sink for `format`; `keep` names the input fields each article
/// carries into its rows (`predict --keep`).
pub fn sink(format: OutputFormat, labels: &[String], keep: &[String]) -> Box<dyn Sink> {
    let (labels, keep) = (labels.to_vec(), keep.to_vec());
    match format {
        OutputFormat::Table => Box::new(Table { labels, keep }),
        OutputFormat::Jsonl => Box::new(Jsonl { labels, keep }),
        OutputFormat::Csv => Box::new(Csv { labels, keep }),
    }
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
fn round(v: f64) -> f64 {
    (v * 1e6).round() / 1e6
}

struct Jsonl {
    labels: Vec<String>,
    keep: Vec<String>,
}

/// One JSON Lines row, serialised straight from borrowed data.
#[derive(serde::Serialize)]
struct MentionRow<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    doc: &'a str,
    sentence_index: usize,
    sentence: &'a str,
    actor: &'a str,
    actor_id: &'a str,
    actor_kind: crate::actors::ActorKind,
    mention: &'a str,
    mention_kind: crate::actors::MentionKind,
    start: usize,
    end: usize,
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
                doc: &a.doc,
                sentence_index: m.sentence_index,
                sentence: &a.sentences[m.sentence_index],
                actor: &a.actors[m.actor].name,
                actor_id: &a.actor_ids[m.actor],
                actor_kind: a.actors[m.actor].kind,
                mention: &m.mention,
                mention_kind: m.kind,
                start: m.span.start,
                end: m.span.end,
                label: &self.labels[m.label],
                probabilities: ByLabel(&self.labels, &probs[..m.probs.len()]),
                score: m.score.map(round),
                explain: (!m.explain.is_empty())
                    .then(|| m.explain.iter().map(|(n, w)| json!({"feature": n, "weight": round(*w as f64)})).collect()),
                kept: Kept(&self.keep, &a.keep),
            };
            serde_json::to_writer(&mut *out, &row)?;
            out.push(b'\n');
        }
        for s in a.summaries(self.labels.len()) {
            let v = SummaryRow {
                kind: "summary",
                doc: &a.doc,
                actor: &a.actors[s.actor].name,
                actor_id: &a.actor_ids[s.actor],
                actor_kind: a.actors[s.actor].kind,
                mentions: s.mentions,
                mean_score: s.mean_score.map(round),
                labels: ByLabel(&self.labels, &s.label_counts),
                kept: Kept(&self.keep, &a.keep),
            };
            serde_json::to_writer(&mut *out, &v)?;
            out.push(b'\n');
        }
        Ok(())
    }
}

struct Csv {
    labels: Vec<String>,
    keep: Vec<String>,
}

impl Sink for Csv {
    fn header(&self) -> Option<Vec<u8>> {
        let mut h: Vec<String> =
            ["doc", "sentence_index", "actor", "mention", "mention_kind", "start", "end", "label", "score"].iter().map(|s| s.to_string()).collect();
        h.extend(self.labels.iter().map(|l| format!("p_{l}")));
        h.push("actor_id".into());
        h.extend(self.keep.iter().cloned());
        h.push("sentence".into());
        let mut w = csv::Writer::from_writer(Vec::new());
        w.write_record(&h).ok()?;
        w.into_inner().ok()
    }

    fn article(&self, a: &ScoredArticle, out: &mut Vec<u8>) -> io::Result<()> {
        let mut w = csv::WriterBuilder::new().buffer_capacity(1024).from_writer(out);
        for m in &a.mentions {
            let mut r = vec![
                a.doc.clone(),
                m.sentence_index.to_string(),
                a.actors[m.actor].name.clone(),
                m.mention.clone(),
                match m.kind {
                    crate::actors::MentionKind::Name => "name".into(),
                    crate::actors::MentionKind::Pronoun => "pronoun".into(),
                },
                m.span.start.to_string(),
                m.span.end.to_string(),
                self.labels[m.label].clone(),
                m.score.map(|s| format!("{:.6}", s)).unwrap_or_default(),
            ];
            r.extend(m.probs.iter().map(|p| format!("{p:.6}")));
            r.push(a.actor_ids[m.actor].clone());
            r.extend(a.keep.iter().map(kept_text));
            r.push(a.sentences[m.sentence_index].clone());
            w.write_record(&r)?;
        }
        w.flush()
    }
}

struct Table {
    labels: Vec<String>,
    keep: Vec<String>,
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

/// `s` on one line, printable, at most `n` characters.
pub(crate) fn clip(s: &str, n: usize) -> String {
    let one_line = printable(&s.split_whitespace().collect::<Vec<_>>().join(" "));
    if one_line.chars().count() <= n {
        return one_line;
    }
    let mut t: String = one_line.chars().take(n - 1).collect();
    t.push('…');
    t
}

impl Sink for Table {
    fn article(&self, a: &ScoredArticle, o: &mut Vec<u8>) -> io::Result<()> {
        let kept: Vec<String> = self.keep.iter().zip(&a.keep).map(|(k, v)| format!("{k}={}", kept_text(v))).collect();
        if kept.is_empty() {
            writeln!(o, "== {} ==", printable(&a.doc))?;
        } else {
            writeln!(o, "== {} ({}) ==", printable(&a.doc), clip(&kept.join(", "), 120))?;
        }
        if a.mentions.is_empty() {
            writeln!(o, "(no actors found)\n")?;
            return Ok(());
        }
        let mut last = usize::MAX;
        for m in &a.mentions {
            if m.sentence_index != last {
                last = m.sentence_index;
                writeln!(o, "\n[{}] {}", m.sentence_index + 1, clip(&a.sentences[last], 100))?;
            }
            let score = m.score.map(|s| format!("{s:+.2}")).unwrap_or_default();
            let p = m.probs[m.label];
            let mention = if m.mention == a.actors[m.actor].name { String::new() } else { format!("({})", clip(&m.mention, 24)) };
            writeln!(o, "    {:<24} {:<26} {:<9} {:>6}  p={:.2}", clip(&a.actors[m.actor].name, 24), mention, self.labels[m.label], score, p)?;
            for (n, w) in &m.explain {
                writeln!(o, "        {w:+.3}  {}", printable(n))?;
            }
        }
        writeln!(o, "\nSummary ({} sentences)", a.sentences.len())?;
        write!(o, "    {:<24} {:>8} {:>10}", "actor", "mentions", "mean score")?;
        for l in &self.labels {
            write!(o, " {:>9}", clip(l, 9))?;
        }
        writeln!(o)?;
        for s in a.summaries(self.labels.len()) {
            let mean = s.mean_score.map(|v| format!("{v:+.2}")).unwrap_or_default();
            write!(o, "    {:<24} {:>8} {:>10}", clip(&a.actors[s.actor].name, 24), s.mentions, mean)?;
            for c in &s.label_counts {
                write!(o, " {c:>9}")?;
            }
            writeln!(o)?;
        }
        writeln!(o)?;
        Ok(())
    }
}
