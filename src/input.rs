//! Reading articles for `predict`: whole text files (or standard input),
//! JSON Lines with one `{"id": ..., "text": ...}` article per line, or CSV
//! with a `text` column, one article a row; the last two are streamed so
//! that millions of articles never sit in memory at once.

use std::io::{BufRead, Read};
use std::path::{Path, PathBuf};

use crate::corpus::lines::Lines;
use crate::error::{Error, Location, Result};
use crate::article::Article;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum InputFormat {
    /// Each file is one article of plain UTF-8 text.
    Text,
    /// One JSON object a line: {"id": ..., "text": ...}.
    Jsonl,
    /// CSV with a header naming a `text` column and optionally an `id`
    /// column; one article a row (quoted newlines are fine).
    Csv,
}

/// Read one whole article, refusing binary data, invalid UTF-8 (unless
/// `lossy`) and anything longer than `max_bytes`.
pub fn read_article(mut r: impl Read, name: &Path, max_bytes: usize, lossy: bool) -> Result<String> {
    let mut buf = Vec::new();
    (&mut r).take((max_bytes as u64).saturating_add(1)).read_to_end(&mut buf).map_err(|e| Error::io(name, "read", e))?;
    let at = Location::file(name);
    // A byte-order mark left in would shift every offset by one.
    if buf.starts_with(crate::corpus::lines::BOM) {
        buf.drain(..crate::corpus::lines::BOM.len());
    }
    let text = article_text(buf, &at, None, max_bytes, lossy)?;
    if text.trim().is_empty() {
        return Err(Error::input(at, "empty article (no text)"));
    }
    Ok(text)
}

/// An article's bytes as text: at most `max_bytes`, no NUL byte, valid
/// UTF-8 (or decoded lossily). `field` names the CSV field they came from.
fn article_text(bytes: Vec<u8>, at: &Location, field: Option<usize>, max_bytes: usize, lossy: bool) -> Result<String> {
    let of_field = field.map(|n| format!(" of field {n}")).unwrap_or_default();
    if bytes.len() > max_bytes {
        return Err(Error::input(at.clone(), format!("article longer than {max_bytes} bytes (raise the limit with --max-line-bytes)")));
    }
    if let Some(i) = bytes.iter().position(|&b| b == 0) {
        return Err(Error::input(at.clone(), format!("binary data (NUL byte) at byte offset {i}{of_field}; expected UTF-8 text")));
    }
    match String::from_utf8(bytes) {
        Ok(s) => Ok(s),
        Err(e) if lossy => Ok(String::from_utf8_lossy(e.as_bytes()).into_owned()),
        Err(e) => Err(Error::input(
            at.clone(),
            format!("invalid UTF-8 at byte offset {}{of_field} (use --lossy to replace bad bytes)", e.utf8_error().valid_up_to()),
        )),
    }
}

#[derive(serde::Deserialize)]
struct JsonArticle {
    #[serde(default)]
    id: Option<serde_json::Value>,
    text: String,
}

/// The fields named by `keep` of one JSON object (null where absent).
fn kept_fields(line: &str, keep: &[String]) -> Vec<serde_json::Value> {
    if keep.is_empty() {
        return Vec::new();
    }
    let mut obj = match serde_json::from_str::<serde_json::Value>(line) {
        Ok(serde_json::Value::Object(m)) => m,
        _ => return vec![serde_json::Value::Null; keep.len()],
    };
    keep.iter().map(|k| obj.remove(k).unwrap_or(serde_json::Value::Null)).collect()
}

/// Stream the articles of a JSON Lines file; `keep` names the fields
/// copied into [`Article::keep`].
pub fn jsonl_articles<'k, R: BufRead + 'k>(lines: Lines<R>, keep: &'k [String]) -> impl Iterator<Item = Result<Article>> + 'k {
    let mut lines = lines;
    let mut any = false;
    let mut done = false;
    std::iter::from_fn(move || loop {
        if done {
            return None;
        }
        match lines.next_line() {
            Err(e) => {
                done = true;
                return Some(Err(e));
            }
            Ok(None) => {
                done = true;
                if !any {
                    return Some(Err(Error::input(Location::file(lines.path()), "no articles (empty input)")));
                }
                return None;
            }
            Ok(Some(l)) if l.trim().is_empty() => continue,
            Ok(Some(l)) => {
                any = true;
                let at = lines.location();
                let parsed: std::result::Result<JsonArticle, _> = serde_json::from_str(&l);
                return Some(match parsed {
                    Err(e) => {
                        done = true;
                        Err(Error::input(at, format!("invalid article JSON: {e}")))
                    }
                    Ok(a) => {
                        let doc = match a.id {
                            Some(serde_json::Value::String(s)) => s,
                            Some(serde_json::Value::Null) | None => at.to_string(),
                            Some(v) => v.to_string(),
                        };
                        Ok(Article { doc, text: a.text, keep: kept_fields(&l, keep) })
                    }
                });
            }
        }
    })
}

/// Where `predict` reads its articles: files (`-` is standard input), the
/// input format, the reading limits, and the fields `--keep` copies into
/// every row.
#[derive(Clone, Copy)]
pub struct Sources<'a> {
    pub files: &'a [PathBuf],
    pub format: InputFormat,
    pub opts: crate::corpus::ReadOptions,
    pub keep: &'a [String],
    /// Inputs already read into memory, by name as in `files` (standard
    /// input and pipes, when the articles are read twice).
    pub buffered: &'a [(PathBuf, Vec<u8>)],
}

/// Hand every article of `src.files` (`-` is standard input) to `push`, in
/// order; stop early, without error, when `push` returns false.
pub fn articles(src: Sources, push: &mut dyn FnMut(Article) -> bool) -> Result<()> {
    let Sources { files, format, opts, keep, buffered } = src;
    opts.check()?;
    for f in files {
        let is_stdin = f.as_os_str() == "-";
        let name = if is_stdin { PathBuf::from("<stdin>") } else { f.clone() };
        let open = || -> Result<Box<dyn BufRead + '_>> {
            if let Some((_, bytes)) = buffered.iter().find(|(p, _)| p == f) {
                return Ok(Box::new(&bytes[..]));
            }
            Ok(if is_stdin { Box::new(std::io::BufReader::new(std::io::stdin())) } else { Box::new(crate::corpus::open(f)?) })
        };
        match format {
            InputFormat::Text => {
                let text = read_article(open()?, &name, opts.max_line_bytes, opts.lossy)?;
                if !push(Article { doc: name.display().to_string(), text, keep: Vec::new() }) {
                    return Ok(());
                }
            }
            InputFormat::Jsonl => {
                let lines = Lines::new(open()?, &name, opts.max_line_bytes).lossy(opts.lossy);
                for art in jsonl_articles(lines, keep) {
                    if !push(art?) {
                        return Ok(());
                    }
                }
            }
            InputFormat::Csv => {
                if !csv_articles(open()?, &name, opts, keep, push)? {
                    return Ok(());
                }
            }
        }
    }
    Ok(())
}

impl InputFormat {
    /// The file name ending read from a folder in this format.
    pub fn extension(self) -> &'static str {
        match self {
            InputFormat::Text => "txt",
            InputFormat::Jsonl => "jsonl",
            InputFormat::Csv => "csv",
        }
    }
}

/// `files` with every folder replaced by the files under it (at any depth)
/// that end in the format's extension (`.txt` for text), in byte order of
/// their paths, so a run reads them in the same order on any machine.
/// Hidden entries (a leading dot, such as an output being written) and
/// linked folders are skipped.
pub fn expand_folders(files: &[PathBuf], format: InputFormat) -> Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    for f in files {
        if f.as_os_str() == "-" || !f.is_dir() {
            out.push(f.clone());
            continue;
        }
        let mut found = Vec::new();
        walk(f, format.extension(), &mut found)?;
        if found.is_empty() {
            return Err(Error::input(Location::file(f), format!("folder holds no .{} files", format.extension())));
        }
        found.sort_by(|a, b| a.as_os_str().as_encoded_bytes().cmp(b.as_os_str().as_encoded_bytes()));
        out.extend(found);
    }
    Ok(out)
}

fn walk(dir: &Path, ext: &str, out: &mut Vec<PathBuf>) -> Result<()> {
    let entries = std::fs::read_dir(dir).map_err(|e| Error::io(dir, "read folder", e))?;
    for entry in entries {
        let entry = entry.map_err(|e| Error::io(dir, "read folder", e))?;
        let path = entry.path();
        if entry.file_name().as_encoded_bytes().starts_with(b".") {
            continue;
        }
        let kind = entry.file_type().map_err(|e| Error::io(&path, "read folder", e))?;
        if kind.is_dir() {
            walk(&path, ext, out)?;
        } else if path.extension().is_some_and(|e| e == ext) && (kind.is_file() || path.is_file()) {
            out.push(path);
        }
    }
    Ok(())
}

/// The articles of a CSV file, one a row, handed to `push`; false when
/// `push` asked to stop. Each row's text gets the same checks as a text
/// file's: no NUL bytes, valid UTF-8 (or `--lossy`), at most
/// `max_line_bytes`. A row's `id` names it; without one, `file:line`.
fn csv_articles(reader: impl BufRead, name: &Path, opts: crate::corpus::ReadOptions, keep: &[String], push: &mut dyn FnMut(Article) -> bool) -> Result<bool> {
    use crate::corpus::csv_source::{self, csv_error, Header};
    let mut rdr = csv_source::reader(reader, name, opts);
    let bad = |e: csv::Error| csv_error(name, e);
    let header = Header::read(&mut rdr, name, opts)?;
    let text_col = header.require("text")?;
    let id_col = header.find("id")?;
    let keep_cols: Vec<usize> = keep.iter().map(|k| header.require(k)).collect::<Result<_>>()?;
    let mut record = csv::ByteRecord::new();
    let mut any = false;
    while rdr.read_byte_record(&mut record).map_err(bad)? {
        let line = record.position().map_or(0, |p| p.line() as usize);
        let at = Location::line(name, line);
        let field = |i: usize| article_text(record.get(i).unwrap_or_default().to_vec(), &at, Some(i + 1), opts.max_line_bytes, opts.lossy);
        let text = field(text_col)?;
        let doc = match id_col {
            Some(c) if !record.get(c).unwrap_or_default().is_empty() => field(c)?,
            _ => at.to_string(),
        };
        let kept = keep_cols.iter().map(|&c| field(c).map(serde_json::Value::String)).collect::<Result<_>>()?;
        any = true;
        if !push(Article { doc, text, keep: kept }) {
            return Ok(false);
        }
    }
    if !any {
        return Err(Error::input(Location::file(name), "no articles (the CSV has a header but no rows)"));
    }
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whole_articles_are_checked() {
        let p = Path::new("a.txt");
        assert_eq!(read_article(&b"Hello."[..], p, 100, false).unwrap(), "Hello.");
        let e = read_article(&b"ab\xffcd"[..], p, 100, false).unwrap_err().to_string();
        assert!(e.contains("a.txt") && e.contains("byte offset 2"), "{e}");
        assert!(read_article(&b"  \n"[..], p, 100, false).unwrap_err().to_string().contains("empty"));
        assert!(read_article(&b"x\0y"[..], p, 100, false).unwrap_err().to_string().contains("NUL"));
        assert!(read_article(&[b'x'; 101][..], p, 100, false).unwrap_err().to_string().contains("longer than 100"));
    }

    #[test]
    fn jsonl_articles_stream_with_ids_and_errors() {
        let data = b"{\"id\": 7, \"text\": \"A.\"}\n\n{\"id\": \"b\", \"text\": \"B.\"}\n{\"text\": 5}\n";
        let got: Vec<Result<Article>> = jsonl_articles(Lines::new(&data[..], Path::new("in.jsonl"), 1000), &[]).collect();
        assert_eq!(got[0].as_ref().unwrap().doc, "7");
        assert_eq!(got[1].as_ref().unwrap().doc, "b");
        let e = got[2].as_ref().unwrap_err().to_string();
        assert!(e.contains("in.jsonl:4") && e.contains("invalid article JSON"), "{e}");
        assert_eq!(got.len(), 3);
    }
}
