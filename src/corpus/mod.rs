//! Corpus reading: the first stage of the pipeline. Each format has a reader
//! that streams [`Example`]s (one text with its labelled targets) and turns
//! every bad record into an error naming file, line and problem.

pub mod csv;
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
}

/// Options every reader honours.
#[derive(Debug, Clone, Copy)]
pub struct ReadOptions {
    pub max_line_bytes: usize,
    pub lossy: bool,
}

impl Default for ReadOptions {
    fn default() -> Self {
        ReadOptions { max_line_bytes: lines::DEFAULT_MAX_LINE_BYTES, lossy: false }
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

/// Checks that a span lies inside `text` and is not reversed or empty.
pub(crate) fn check_span(at: &Location, text_chars: usize, span: Span, what: &str) -> Result<()> {
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
    Ok(())
}
