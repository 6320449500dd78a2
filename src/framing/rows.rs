//! The rows a framing report is drawn from: `predict`'s JSON Lines mention
//! rows (summary rows are skipped), with the fields `--group-by` and
//! `--by-date` name taken from each row as text.

use std::io::BufRead;
use std::path::{Path, PathBuf};

use crate::error::{Error, Location, Result};

/// One scored mention.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub doc: String,
    pub sentence: String,
    pub actor: String,
    pub label: String,
    pub score: f64,
    /// The `--group-by` field's value (`(none)` where a row lacks it).
    pub group: Option<String>,
    /// The `--by-date` field's value, as written.
    pub date: Option<String>,
    /// The model that scored the row, where the row names it.
    pub model: Option<String>,
}

/// What a row's field holds, as text (`(none)` for a missing or null one).
fn field_text(v: Option<&serde_json::Value>) -> String {
    match v {
        None | Some(serde_json::Value::Null) => "(none)".to_string(),
        Some(serde_json::Value::String(s)) => s.clone(),
        Some(other) => other.to_string(),
    }
}

/// The mention rows of `files` (`-`, or none at all: standard input).
pub fn read(files: &[PathBuf], group_by: Option<&str>, by_date: Option<&str>) -> Result<Vec<Row>> {
    let stdin = [PathBuf::from("-")];
    let files = if files.is_empty() { &stdin[..] } else { files };
    let mut rows = Vec::new();
    for f in files {
        let (name, reader): (PathBuf, Box<dyn BufRead>) = if f.as_os_str() == "-" {
            (PathBuf::from("<stdin>"), Box::new(std::io::BufReader::new(std::io::stdin())))
        } else {
            (f.clone(), Box::new(crate::corpus::open(f)?))
        };
        read_one(&name, reader, group_by, by_date, &mut rows)?;
    }
    if rows.is_empty() {
        let names: Vec<String> = files.iter().map(|f| f.display().to_string()).collect();
        return Err(Error::Params(format!("{}: no scored mentions (expected the JSON Lines of `stance predict`)", names.join(", "))));
    }
    Ok(rows)
}

fn read_one(name: &Path, reader: impl BufRead, group_by: Option<&str>, by_date: Option<&str>, rows: &mut Vec<Row>) -> Result<()> {
    for (i, line) in reader.lines().enumerate() {
        let at = || Location::line(name, i + 1);
        let line = line.map_err(|e| Error::io(name, "read", e))?;
        if line.trim().is_empty() {
            continue;
        }
        let v: serde_json::Value =
            serde_json::from_str(&line).map_err(|e| Error::input(at(), format!("not a JSON object ({e}); expected the JSON Lines of `stance predict`")))?;
        if v.get("type").and_then(|t| t.as_str()) == Some("summary") {
            continue;
        }
        let text = |k: &str| -> Result<String> {
            v.get(k).and_then(|x| x.as_str()).map(str::to_string).ok_or_else(|| Error::input(at(), format!("no text field {k:?}; expected the JSON Lines of `stance predict`")))
        };
        // A model without a score (no negative/positive labels) has nothing to draw.
        let Some(score) = v.get("score").and_then(|s| s.as_f64()) else { continue };
        if !(-1.0..=1.0).contains(&score) {
            return Err(Error::input(at(), format!("score {score} is outside -1..1")));
        }
        rows.push(Row {
            doc: field_text(v.get("doc")),
            sentence: text("sentence")?,
            actor: text("actor")?,
            label: text("label")?,
            score,
            group: group_by.map(|g| field_text(v.get(g))),
            date: by_date.map(|d| field_text(v.get(d))),
            model: v.get("model").and_then(|m| m.as_str()).map(str::to_string),
        });
    }
    Ok(())
}
