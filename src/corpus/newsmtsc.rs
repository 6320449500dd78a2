//! NewsMTSC JSON Lines: `{"sentence_normalized": ..., "targets": [{"from",
//! "to", "mention", "polarity", "further_mentions"}]}`; spans are code points.

use std::path::Path;

use serde::Deserialize;

use super::lines::Lines;
use super::{check_one_label, check_span, Example, Examples, ReadOptions, Target};
use crate::error::{Error, Location, Result};
use crate::text::{char_len, slice_chars, Span};

/// NewsMTSC polarity codes in label order.
pub const LABELS: [&str; 3] = ["negative", "neutral", "positive"];

#[derive(Deserialize)]
struct Line {
    sentence_normalized: String,
    targets: Vec<RawTarget>,
}

#[derive(Deserialize)]
struct RawTarget {
    from: usize,
    to: usize,
    mention: String,
    polarity: f64,
    #[serde(default)]
    further_mentions: Vec<RawMention>,
}

#[derive(Deserialize)]
struct RawMention {
    from: usize,
    to: usize,
    mention: String,
}

pub fn label_of_polarity(p: f64) -> Option<&'static str> {
    match p {
        2.0 => Some(LABELS[0]),
        4.0 => Some(LABELS[1]),
        6.0 => Some(LABELS[2]),
        _ => None,
    }
}

/// The `primary_gid` of every line of a NewsMTSC file, in order (blank
/// lines skipped, as the reader skips them): the article each sentence
/// comes from, for regrouping sentences into articles.
pub fn ids(path: &Path) -> Result<Vec<String>> {
    use std::io::BufRead;
    let f = super::open(path)?;
    let mut out = Vec::new();
    for (i, line) in f.lines().enumerate() {
        let line = line.map_err(|e| Error::io(path, "read", e))?;
        if line.trim().is_empty() {
            continue;
        }
        let v: serde_json::Value = serde_json::from_str(&line)
            .map_err(|e| Error::input(Location::line(path, i + 1), format!("invalid JSON: {e}")))?;
        out.push(v["primary_gid"].as_str().unwrap_or_default().to_string());
    }
    Ok(out)
}

pub fn read(path: &Path, opts: ReadOptions) -> Result<Examples> {
    let mut lines = Lines::new(super::open(path)?, path, opts.max_line_bytes).lossy(opts.lossy);
    Ok(Box::new(std::iter::from_fn(move || loop {
        match lines.next_line() {
            Err(e) => return Some(Err(e)),
            Ok(None) => return None,
            Ok(Some(l)) if l.trim().is_empty() => continue,
            Ok(Some(l)) => return Some(parse_line(&l, &lines)),
        }
    })))
}

fn parse_line<R: std::io::BufRead>(line: &str, lines: &Lines<R>) -> Result<Example> {
    let at = lines.location();
    let raw: Line = serde_json::from_str(line).map_err(|e| Error::input(at.clone(), format!("invalid JSON: {e}")))?;
    let text = raw.sentence_normalized;
    if text.trim().is_empty() {
        return Err(Error::input(at, "empty sentence_normalized"));
    }
    if raw.targets.is_empty() {
        return Err(Error::input(at, "no targets"));
    }
    let n = char_len(&text);
    let mut targets = Vec::with_capacity(raw.targets.len());
    for (i, t) in raw.targets.into_iter().enumerate() {
        let what = format!("target {}", i + 1);
        let span = Span::new(t.from, t.to);
        check_span(&at, &text, n, span, &what)?;
        check_mention(&at, &text, span, &t.mention, &what)?;
        let label = label_of_polarity(t.polarity).ok_or_else(|| {
            Error::input(at.clone(), format!("{what}: unknown polarity {} (expected 2, 4 or 6)", t.polarity))
        })?;
        let mut further = Vec::with_capacity(t.further_mentions.len());
        for m in t.further_mentions {
            let s = Span::new(m.from, m.to);
            let what = format!("{what} further mention");
            check_span(&at, &text, n, s, &what)?;
            check_mention(&at, &text, s, &m.mention, &what)?;
            further.push(s);
        }
        further.sort();
        targets.push(Target { name: t.mention, span: Some(span), further, label: label.to_string(), line: at.line.unwrap_or(0) });
        check_one_label(&at, &targets)?;
    }
    Ok(Example { at, text, targets })
}

pub(crate) fn check_mention(at: &crate::error::Location, text: &str, span: Span, mention: &str, what: &str) -> Result<()> {
    let got = slice_chars(text, span).unwrap_or("");
    if got != mention {
        return Err(Error::input(
            at.clone(),
            format!("{what}: mention {mention:?} does not match the text at {}..{} ({got:?})", span.start, span.end),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn read_str(s: &str) -> Result<Vec<Example>> {
        let mut f = tempfile::NamedTempFile::new().unwrap();
        f.write_all(s.as_bytes()).unwrap();
        read(f.path(), ReadOptions::default())?.collect()
    }

    #[test]
    fn ids_follow_the_lines_the_reader_reads() {
        let mut f = tempfile::NamedTempFile::new().unwrap();
        f.write_all(b"{\"primary_gid\": \"a_1_2_3\"}\n\n{\"x\": 1}\nnot json\n").unwrap();
        let e = ids(f.path()).unwrap_err().to_string();
        assert!(e.contains(":4") && e.contains("invalid JSON"), "{e}");
        let mut f = tempfile::NamedTempFile::new().unwrap();
        f.write_all(b"{\"primary_gid\": \"a_1_2_3\"}\n\n{\"x\": 1}\n").unwrap();
        assert_eq!(ids(f.path()).unwrap(), vec!["a_1_2_3".to_string(), String::new()]);
    }

    #[test]
    fn reads_non_ascii_before_target() {
        let ex = read_str(
            r#"{"sentence_normalized": "“Yes,” said Maduro’s aide.", "targets": [{"from": 12, "to": 18, "mention": "Maduro", "polarity": 2.0, "further_mentions": [{"from": 12, "to": 20, "mention": "Maduro’s"}]}]}"#,
        )
        .unwrap();
        assert_eq!(ex.len(), 1);
        let t = &ex[0].targets[0];
        assert_eq!(t.span, Some(Span::new(12, 18)));
        assert_eq!(t.label, "negative");
        assert_eq!(t.further, vec![Span::new(12, 20)]);
    }

    #[test]
    fn rejects_bad_records_with_line_numbers() {
        let good = r#"{"sentence_normalized": "Maduro spoke.", "targets": [{"from": 0, "to": 6, "mention": "Maduro", "polarity": 4.0}]}"#;
        let cases = [
            (r#"{"sentence_normalized": "Maduro spoke.", "targets": [{"from": 0, "to": 60, "mention": "Maduro", "polarity": 4.0}]}"#, "outside the text"),
            (r#"{"sentence_normalized": "Maduro spoke.", "targets": [{"from": 6, "to": 0, "mention": "Maduro", "polarity": 4.0}]}"#, "reversed"),
            (r#"{"sentence_normalized": "Maduro spoke.", "targets": [{"from": 1, "to": 7, "mention": "Maduro", "polarity": 4.0}]}"#, "does not match"),
            (r#"{"sentence_normalized": "Maduro spoke.", "targets": [{"from": 0, "to": 6, "mention": "Maduro", "polarity": 5.0}]}"#, "unknown polarity"),
            (r#"{"sentence_normalized": "Maduro spoke.", "targets": []}"#, "no targets"),
            (r#"{"sentence_normalized": "Maduro spoke.""#, "invalid JSON"),
            (r#"{"targets": []}"#, "missing field"),
        ];
        for (bad, want) in cases {
            let err = read_str(&format!("{good}\n{bad}\n")).unwrap_err().to_string();
            assert!(err.contains(":2: ") && err.contains(want), "{bad}: {err}");
        }
    }
}
