//! Corpus reading: the first stage of the pipeline. Each format has a reader
//! that streams [`Example`]s (one text with its labelled targets) and turns
//! every bad record into an error naming file, line and problem.

pub mod csv;
pub mod csv_source;
pub mod lines;
pub mod newsmtsc;
pub mod tweeteval;

use std::fs::File;
use std::io::BufReader;
use std::path::Path;

use crate::error::{Error, Location, Result};
use crate::text::Span;

/// One text (a sentence or a tweet) with the targets labelled in it.
#[derive(Debug, Clone, PartialEq)]
pub struct Example {
    pub at: Location,
    pub text: String,
    pub targets: Vec<Target>,
}

/// A labelled target: an actor mentioned at `span`, or, for stance corpora,
/// a topic (`span` is `None`) that the text may not name at all.
#[derive(Debug, Clone, PartialEq)]
pub struct Target {
    /// The target's name (the mention, a canonical actor, or a stance topic).
    pub name: String,
    pub span: Option<Span>,
    /// Other mentions of the same target in the text (pronouns, short names).
    pub further: Vec<Span>,
    pub label: String,
    /// Line of the record that labelled this target.
    pub line: usize,
}

impl Target {
    /// Its mentions as the scorer sees them: the main one first, then the
    /// further ones (none for a topic the text does not name).
    pub fn spans(&self) -> Vec<Span> {
        self.span.iter().copied().chain(self.further.iter().copied()).collect()
    }
}

/// The corpus formats `stance` reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// NewsMTSC JSON Lines: one sentence per line with targets and polarity 2/4/6.
    Newsmtsc,
    /// TweetEval stance: `<target>/<split>_text.txt` with `_labels.txt` beside it.
    Tweeteval,
    /// CSV with a `text,target,label` header and optional `start,end`.
    Csv,
}

impl Format {
    /// The labels of the format in their conventional order, where the
    /// format fixes them (empty for CSV, whose labels are the data's).
    pub fn labels(self) -> &'static [&'static str] {
        match self {
            Format::Newsmtsc => &newsmtsc::LABELS,
            Format::Tweeteval => &tweeteval::LABELS,
            Format::Csv => &[],
        }
    }

    /// Whether features should be conjoined with the target's name by default:
    /// stance corpora share one model across topics the text may not name.
    pub fn default_conjoin_target(self) -> bool {
        matches!(self, Format::Tweeteval)
    }

    /// The L2 strengths a plain `stance train` chooses between on `--dev`,
    /// and the fewest training targets a kept feature needs, where the
    /// command line gives none. NewsMTSC (and CSV): the shipped model's
    /// settings, chosen on dev-mt. TweetEval: 5-fold cross-validation over
    /// train + val preferred keeping every feature (`--min-count 1`, F_avg
    /// 0.697 against 0.684 at 2 and 0.684 at 3, word bigrams; trigrams
    /// 0.695) and a grid around its best strength, 1 (used alone without dev data); the tweets are short
    /// and the five topics' vocabularies apart, so a rare word is often
    /// the telling one.
    pub fn training_defaults(self) -> TrainingDefaults {
        match self {
            Format::Newsmtsc | Format::Csv => TrainingDefaults { l2: &[1.0], l2_alone: 1.0, min_count: 2, encoder_scale: 4.0 },
            Format::Tweeteval => TrainingDefaults { l2: &[0.03, 0.1, 0.3, 1.0, 3.0], l2_alone: 1.0, min_count: 1, encoder_scale: 0.5 },
        }
    }
}

/// See [`Format::training_defaults`].
#[derive(Debug, Clone, Copy)]
pub struct TrainingDefaults {
    /// Chosen between on `--dev` (or by `--cv`).
    pub l2: &'static [f64],
    /// With nothing to choose on: the cross-validated best.
    pub l2_alone: f64,
    pub min_count: u32,
    /// The `encoder` block's scale without `--encoder-scale`. NewsMTSC:
    /// 4, best on dev-mt for both encoders (grid 0.5-16). TweetEval: 0.5,
    /// chosen on val with MiniLM (grid 0.25, 0.5, 1 by l2 0.3-10: F_avg
    /// 0.752 at l2 1, against 0.694 at NewsMTSC's 4); a tweet's block is
    /// pooled from the whole text, so it weighs more against the sparse
    /// families than a mention's.
    pub encoder_scale: f32,
}

/// Options every reader honours.
#[derive(Debug, Clone, Copy)]
pub struct ReadOptions {
    pub max_line_bytes: usize,
    pub lossy: bool,
    /// Field delimiter of CSV files.
    pub delimiter: u8,
}

impl Default for ReadOptions {
    fn default() -> Self {
        ReadOptions { max_line_bytes: lines::DEFAULT_MAX_LINE_BYTES, lossy: false, delimiter: b',' }
    }
}

impl ReadOptions {
    pub fn check(&self) -> Result<()> {
        if self.max_line_bytes == 0 {
            return Err(Error::Params("--max-line-bytes must be at least 1".into()));
        }
        if matches!(self.delimiter, b'"' | b'\n' | b'\r') || !self.delimiter.is_ascii() {
            return Err(Error::Params(format!("--delimiter {:?} cannot separate fields", self.delimiter as char)));
        }
        Ok(())
    }
}

/// Parse `--delimiter`: one ASCII character; `\t` or `tab` for a tab.
pub fn parse_delimiter(s: &str) -> Result<u8> {
    match s {
        "\\t" | "tab" | "\t" => Ok(b'\t'),
        _ if s.len() == 1 && s.is_ascii() => Ok(s.as_bytes()[0]),
        _ => Err(Error::Params(format!("--delimiter {s:?}: give one ASCII character (or '\\t' for a tab)"))),
    }
}

pub type Examples = Box<dyn Iterator<Item = Result<Example>>>;

/// Stream the examples of one file.
pub fn read(format: Format, path: &Path, opts: ReadOptions) -> Result<Examples> {
    match format {
        Format::Newsmtsc => newsmtsc::read(path, opts),
        Format::Tweeteval => tweeteval::read(path, opts),
        Format::Csv => csv::read(path, opts),
    }
}

/// Read every example of several files into memory, failing on the first bad
/// record, and on a file that holds no example at all.
pub fn read_all(format: Format, paths: &[impl AsRef<Path>], opts: ReadOptions) -> Result<Vec<Example>> {
    let mut out = Vec::new();
    for p in paths {
        let p = p.as_ref();
        let before = out.len();
        for ex in read(format, p, opts)? {
            out.push(ex?);
        }
        if out.len() == before {
            return Err(Error::input(Location::file(p), "no examples in file (empty or blank)"));
        }
    }
    Ok(out)
}

pub fn open(path: &Path) -> Result<BufReader<File>> {
    let f = File::open(path).map_err(|e| Error::io(path, "open", e))?;
    if f.metadata().map(|m| m.is_dir()).unwrap_or(false) {
        return Err(Error::input(Location::file(path), "is a directory, expected a file"));
    }
    Ok(BufReader::with_capacity(1 << 16, f))
}

/// Checks that a span lies inside `text` (of `text_chars` code points), is
/// not reversed or empty, and covers more than whitespace.
pub(crate) fn check_span(at: &Location, text: &str, text_chars: usize, span: Span, what: &str) -> Result<()> {
    if span.start >= span.end {
        return Err(Error::input(
            at.clone(),
            format!("{what} span {}..{} is empty or reversed", span.start, span.end),
        ));
    }
    if span.end > text_chars {
        return Err(Error::input(
            at.clone(),
            format!("{what} span {}..{} is outside the text ({} characters)", span.start, span.end, text_chars),
        ));
    }
    if crate::text::slice_chars(text, span).is_some_and(|s| s.trim().is_empty()) {
        return Err(Error::input(at.clone(), format!("{what} span {}..{} covers only whitespace", span.start, span.end)));
    }
    Ok(())
}

/// Checks that the last of `targets` does not give a target that an
/// earlier one labels (same span, or same name where there is no span)
/// another label: which of the two is right cannot be told.
pub(crate) fn check_one_label(at: &Location, targets: &[Target]) -> Result<()> {
    let Some((new, earlier)) = targets.split_last() else { return Ok(()) };
    let same = |t: &Target| match (t.span, new.span) {
        (Some(a), Some(b)) => a == b,
        (None, None) => t.name.to_lowercase() == new.name.to_lowercase(),
        _ => false,
    };
    let Some(old) = earlier.iter().find(|t| same(t) && t.label != new.label) else { return Ok(()) };
    let place = new.span.map(|s| format!(" at {}..{}", s.start, s.end)).unwrap_or_default();
    let other = if old.line != new.line { format!("on line {}", old.line) } else { "by an earlier target of this record".to_string() };
    Err(Error::input(
        at.clone(),
        format!("target {:?}{place} is labelled {:?} here and {:?} {other}", new.name, new.label, old.label),
    ))
}

/// Labels that differ only in case or surrounding spaces (`Positive`,
/// `positive`) are one label spelt two ways; taken as they are they became
/// two classes. An error names both spellings and where each was seen.
pub fn check_label_spellings<'a>(examples: impl IntoIterator<Item = &'a Example>) -> Result<()> {
    let mut first: std::collections::HashMap<String, (&str, Location)> = std::collections::HashMap::new();
    for ex in examples {
        for t in &ex.targets {
            let at = Location::line(&ex.at.file, t.line);
            match first.get(&t.label.trim().to_lowercase()) {
                Some((label, _)) if *label == t.label => {}
                Some((label, seen)) => {
                    let place = if seen.file == at.file {
                        format!("line {}", seen.line.unwrap_or(0))
                    } else {
                        format!("line {} of {}", seen.line.unwrap_or(0), seen.file.display())
                    };
                    return Err(Error::input(
                        at,
                        format!("label {:?} differs from {label:?} ({place}) only in case or spaces: spell each label one way", t.label),
                    ));
                }
                None => {
                    first.insert(t.label.trim().to_lowercase(), (&t.label, at));
                }
            }
        }
    }
    Ok(())
}
