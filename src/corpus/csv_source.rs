//! CSV from untrusted files, read exactly once: the bytes pass through
//! [`Lines`] (byte-order mark, binary data, invalid UTF-8, line length)
//! on their way into the `csv` crate, so a pipe or FIFO works like a file,
//! and a quote left open is reported where it starts instead of swallowing
//! the rest of the file into one field. [`Header`] finds columns and says
//! what is wrong with a header that has none of them.

use std::io::{self, BufRead, Read};
use std::path::{Path, PathBuf};

use super::lines::Lines;
use super::ReadOptions;
use crate::error::{Error, Location, Result};

/// A CSV reader over a checked byte stream.
pub type Reader<R> = csv::Reader<Source<R>>;

/// A CSV reader for `input`, named `path` in errors.
pub fn reader<R: BufRead>(input: R, path: &Path, opts: ReadOptions) -> Reader<R> {
    let lines = Lines::new(input, path, opts.max_line_bytes).lossy(opts.lossy);
    let source = Source { lines, pending: Vec::new(), pos: 0, quotes: Quotes::new(opts.delimiter), done: false };
    csv::ReaderBuilder::new().has_headers(true).flexible(false).delimiter(opts.delimiter).from_reader(source)
}

/// The checked lines of a file as bytes, each ending in `\n`.
pub struct Source<R> {
    lines: Lines<R>,
    pending: Vec<u8>,
    pos: usize,
    quotes: Quotes,
    done: bool,
}

impl<R: BufRead> Read for Source<R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        while self.pos == self.pending.len() {
            if self.done {
                return Ok(0);
            }
            // Our errors travel through the csv crate inside an io::Error;
            // `csv_error` takes them out again.
            match self.lines.next_line().map_err(io::Error::other)? {
                Some(line) => {
                    self.pending.clear();
                    self.pending.extend_from_slice(line.as_bytes());
                    self.pending.push(b'\n');
                    self.pos = 0;
                    self.quotes.feed(&self.pending, self.lines.line_no());
                }
                None => {
                    self.done = true;
                    if let Some(start) = self.quotes.open_since() {
                        let problem = format!("unterminated quote starting at line {start} (a field that opens with `\"` must close with `\"`)");
                        return Err(io::Error::other(Error::input(Location::line(self.lines.path(), start), problem)));
                    }
                }
            }
        }
        let n = out.len().min(self.pending.len() - self.pos);
        out[..n].copy_from_slice(&self.pending[self.pos..self.pos + n]);
        self.pos += n;
        Ok(n)
    }
}

/// Where a CSV parser would be inside quotes: RFC 4180 with `""` as an
/// escaped quote, and quotes inside unquoted fields taken literally, as
/// the `csv` crate reads them.
struct Quotes {
    delimiter: u8,
    state: State,
    /// Line of the quote that opened the current quoted field.
    opened: usize,
}

#[derive(Clone, Copy, PartialEq)]
enum State {
    FieldStart,
    Unquoted,
    Quoted,
    /// A quote inside a quoted field: an escaped quote or the closing one.
    QuoteInQuoted,
}

impl Quotes {
    fn new(delimiter: u8) -> Self {
        Quotes { delimiter, state: State::FieldStart, opened: 0 }
    }

    fn feed(&mut self, bytes: &[u8], line: usize) {
        for &b in bytes {
            let ends_field = b == self.delimiter || b == b'\n' || b == b'\r';
            self.state = match (self.state, b) {
                (State::Quoted, b'"') => State::QuoteInQuoted,
                (State::Quoted, _) => State::Quoted,
                (State::QuoteInQuoted, b'"') => State::Quoted,
                (State::FieldStart, b'"') => {
                    self.opened = line;
                    State::Quoted
                }
                (_, _) if ends_field => State::FieldStart,
                _ => State::Unquoted,
            };
        }
    }

    fn open_since(&self) -> Option<usize> {
        (self.state == State::Quoted).then_some(self.opened)
    }
}

/// A CSV header: column names, found ignoring case and surrounding spaces.
/// Every CSV `stance` reads (corpora, articles, actor lists) finds its
/// columns this way.
pub struct Header {
    path: PathBuf,
    names: Vec<String>,
    /// The header line as read, to guess another delimiter from.
    raw: String,
    delimiter: u8,
}

impl Header {
    /// Read the header of `rdr`; an empty file is an error.
    pub fn read<R: BufRead>(rdr: &mut Reader<R>, path: &Path, opts: ReadOptions) -> Result<Header> {
        let record = rdr.headers().map_err(|e| csv_error(path, e))?;
        let names: Vec<String> = record.iter().map(|h| h.trim().to_lowercase()).collect();
        if names.iter().all(|n| n.is_empty()) {
            return Err(Error::input(Location::file(path), "empty file (expected a header line naming the columns)"));
        }
        let raw = record.iter().collect::<Vec<_>>().join(&(opts.delimiter as char).to_string());
        Ok(Header { path: path.to_path_buf(), names, raw, delimiter: opts.delimiter })
    }

    /// The column named `name`, if any; a name given twice is an error,
    /// since which of the two is meant cannot be told.
    pub fn find(&self, name: &str) -> Result<Option<usize>> {
        let at: Vec<usize> = self.names.iter().enumerate().filter(|(_, n)| n.as_str() == name).map(|(i, _)| i).collect();
        match at[..] {
            [] => Ok(None),
            [i] => Ok(Some(i)),
            [a, b, ..] => Err(Error::input(
                Location::line(&self.path, 1),
                format!("column `{name}` appears twice in the header (columns {} and {}); rename or drop one", a + 1, b + 1),
            )),
        }
    }

    /// The column named `name`; missing, an error that guesses why.
    pub fn require(&self, name: &str) -> Result<usize> {
        self.find(name)?.ok_or_else(|| self.missing(name))
    }

    /// "missing column", with a hint when the header looks separated by
    /// another character than the delimiter in use.
    pub fn missing(&self, name: &str) -> Error {
        let mut problem = format!("missing column `{name}` in header");
        let other = [b',', b';', b'\t', b'|'].into_iter().filter(|&d| d != self.delimiter).find(|&d| {
            self.raw.split(d as char).any(|n| n.trim().eq_ignore_ascii_case(name))
        });
        if let Some(d) = other {
            let (what, arg) = match d {
                b'\t' => ("tab".to_string(), "'\\t'".to_string()),
                d => (format!("`{}`", d as char), format!("'{}'", d as char)),
            };
            problem.push_str(&format!(": the header looks {what}-separated: use --delimiter {arg}"));
        }
        Error::input(Location::line(&self.path, 1), problem)
    }
}

/// A CSV error as an input error with file and line; our own errors,
/// raised inside [`Source`], come back out unchanged.
pub fn csv_error(path: &Path, e: csv::Error) -> Error {
    let line = e.position().map(|p| p.line() as usize);
    let at = match line {
        Some(l) => Location::line(path, l),
        None => Location::file(path),
    };
    let problem = match e.kind() {
        csv::ErrorKind::UnequalLengths { expected_len, len, .. } => {
            format!("row has {len} fields, header has {expected_len}")
        }
        csv::ErrorKind::Utf8 { err, .. } => format!("invalid UTF-8 in field {} (use --lossy to replace bad bytes)", err.field() + 1),
        csv::ErrorKind::Io(_) => {
            let csv::ErrorKind::Io(io) = e.into_kind() else { unreachable!("matched above") };
            if io.get_ref().is_some_and(|inner| inner.is::<Error>()) {
                let inner = io.into_inner().expect("checked above");
                return *inner.downcast::<Error>().expect("checked above");
            }
            return Error::io(path, "read", io);
        }
        _ => e.to_string(),
    };
    Error::input(at, problem)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header(data: &str, delimiter: u8) -> Result<Header> {
        let opts = ReadOptions { delimiter, ..ReadOptions::default() };
        Header::read(&mut reader(data.as_bytes(), Path::new("f.csv"), opts), Path::new("f.csv"), opts)
    }

    fn rows(data: &[u8]) -> std::result::Result<Vec<Vec<String>>, String> {
        let mut r = reader(data, Path::new("f.csv"), ReadOptions::default());
        let mut out = Vec::new();
        for rec in r.records() {
            out.push(rec.map_err(|e| csv_error(Path::new("f.csv"), e).to_string())?.iter().map(String::from).collect());
        }
        Ok(out)
    }

    #[test]
    fn header_columns_are_found_trimmed_and_ignoring_case() {
        let h = header("id, Text ,TARGET\n", b',').unwrap();
        assert_eq!(h.find("text").unwrap(), Some(1));
        assert_eq!(h.find("target").unwrap(), Some(2));
        assert_eq!(h.find("label").unwrap(), None);
        assert_eq!(header("a,\tLabel\n", b',').unwrap().find("label").unwrap(), Some(1));
    }

    #[test]
    fn finds_columns_and_explains_missing_ones() {
        let h = header(" Text ,id\n", b',').unwrap();
        assert_eq!(h.require("text").unwrap(), 0);
        assert_eq!(h.find("label").unwrap(), None);
        let e = header("text,ID,id\n", b',').unwrap().find("id").unwrap_err().to_string();
        assert!(e.contains("f.csv:1") && e.contains("columns 2 and 3"), "{e}");
        let e = header("text;target\n", b',').unwrap().require("target").unwrap_err().to_string();
        assert!(e.contains("`;`-separated: use --delimiter ';'"), "{e}");
        let e = header("text,target\n", b';').unwrap().require("target").unwrap_err().to_string();
        assert!(e.contains("`,`-separated"), "{e}");
        let e = header("", b',').err().unwrap().to_string();
        assert!(e.contains("empty file"), "{e}");
    }

    #[test]
    fn reads_once_through_the_line_checks() {
        assert_eq!(rows(b"\xef\xbb\xbfa,b\n1,\"x\ny\"\r\n").unwrap(), vec![vec!["1", "x\ny"]]);
        assert!(rows(b"a,b\n1,\x002\n").unwrap_err().contains("f.csv:2: binary data"));
        let e = rows(b"a,b\n1,2\n\"3,4\n5,6\n").unwrap_err();
        assert!(e.contains("f.csv:3: unterminated quote starting at line 3"), "{e}");
        // Escaped and literal quotes are not open quotes.
        assert_eq!(rows(b"a,b\n\"say \"\"hi\"\"\",x\"y\n").unwrap(), vec![vec!["say \"hi\"", "x\"y"]]);
    }
}
