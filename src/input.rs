//! Reading articles for `predict`: whole text files (or standard input),
//! or JSON Lines with one `{"id": ..., "text": ...}` article per line,
//! streamed so that millions of articles never sit in memory at once.

use std::io::{BufRead, Read};
use std::path::Path;

use crate::corpus::lines::Lines;
use crate::error::{Error, Location, Result};
use crate::predict::Article;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum InputFormat {
    /// Each file is one article of plain UTF-8 text.
    Text,
    /// One JSON object a line: {"id": ..., "text": ...}.
    Jsonl,
}

/// Read one whole article, refusing binary data, invalid UTF-8 (unless
/// `lossy`) and anything longer than `max_bytes`.
pub fn read_article(mut r: impl Read, name: &Path, max_bytes: usize, lossy: bool) -> Result<String> {
    let mut buf = Vec::new();
    (&mut r).take(max_bytes as u64 + 1).read_to_end(&mut buf).map_err(|e| Error::io(name, "read", e))?;
    if buf.len() > max_bytes {
        return Err(Error::input(
            Location::file(name),
            format!("article longer than {max_bytes} bytes (raise the limit with --max-line-bytes)"),
        ));
    }
    if let Some(i) = buf.iter().position(|&b| b == 0) {
        return Err(Error::input(Location::file(name), format!("binary data (NUL byte) at byte offset {i}; expected UTF-8 text")));
    }
    let text = match String::from_utf8(buf) {
        Ok(s) => s,
        Err(e) if lossy => String::from_utf8_lossy(e.as_bytes()).into_owned(),
        Err(e) => {
            return Err(Error::input(
                Location::file(name),
                format!("invalid UTF-8 at byte offset {} (use --lossy to replace bad bytes)", e.utf8_error().valid_up_to()),
            ))
        }
    };
    if text.trim().is_empty() {
        return Err(Error::input(Location::file(name), "empty article (no text)"));
    }
    Ok(text)
}

#[derive(serde::Deserialize)]
struct JsonArticle {
    #[serde(default)]
    id: Option<serde_json::Value>,
    text: String,
}

/// Stream the articles of a JSON Lines file.
pub fn jsonl_articles<R: BufRead>(lines: Lines<R>) -> impl Iterator<Item = Result<Article>> {
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
                        Ok(Article { doc, text: a.text })
                    }
                });
            }
        }
    })
}

/// Hand every article of `files` (`-` is standard input) to `push`, in
/// order; stop early, without error, when `push` returns false.
pub fn articles(files: &[std::path::PathBuf], format: InputFormat, opts: crate::corpus::ReadOptions, push: &mut dyn FnMut(Article) -> bool) -> Result<()> {
    for f in files {
        let is_stdin = f.as_os_str() == "-";
        let name = if is_stdin { std::path::PathBuf::from("<stdin>") } else { f.clone() };
        match format {
            InputFormat::Text => {
                let text = if is_stdin {
                    read_article(std::io::stdin().lock(), &name, opts.max_line_bytes, opts.lossy)?
                } else {
                    let file = std::fs::File::open(f).map_err(|e| Error::io(f, "open", e))?;
                    read_article(file, &name, opts.max_line_bytes, opts.lossy)?
                };
                if !push(Article { doc: name.display().to_string(), text }) {
                    return Ok(());
                }
            }
            InputFormat::Jsonl => {
                let reader: Box<dyn BufRead> =
                    if is_stdin { Box::new(std::io::BufReader::new(std::io::stdin())) } else { Box::new(crate::corpus::open(f)?) };
                let lines = Lines::new(reader, &name, opts.max_line_bytes).lossy(opts.lossy);
                for art in jsonl_articles(lines) {
                    if !push(art?) {
                        return Ok(());
                    }
                }
            }
        }
    }
    Ok(())
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
        let got: Vec<Result<Article>> = jsonl_articles(Lines::new(&data[..], Path::new("in.jsonl"), 1000)).collect();
        assert_eq!(got[0].as_ref().unwrap().doc, "7");
        assert_eq!(got[1].as_ref().unwrap().doc, "b");
        let e = got[2].as_ref().unwrap_err().to_string();
        assert!(e.contains("in.jsonl:4") && e.contains("invalid article JSON"), "{e}");
        assert_eq!(got.len(), 3);
    }
}

