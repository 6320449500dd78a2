//! CSV corpora: a header with `text,target,label` and optional `start,end`
//! (code-point span of the target in `text`). Other columns are ignored.
//! Consecutive rows with the same text are one example with several
//! targets, so each target's features can mark the others.

use std::path::Path;

use super::csv_source::{self, csv_error, Header};
use super::{check_one_label, check_span, Example, Examples, ReadOptions, Target};
use crate::error::{Error, Location, Result};
use crate::text::{char_len, Span};

struct Columns {
    text: usize,
    target: usize,
    label: Option<usize>,
    span: Option<(usize, usize)>,
}

fn columns(path: &Path, header: &Header, need_label: bool) -> Result<Columns> {
    let text = header.require("text")?;
    let target = header.require("target")?;
    let label = if need_label { Some(header.require("label")?) } else { header.find("label")? };
    let span = match (header.find("start")?, header.find("end")?) {
        (Some(s), Some(e)) => Some((s, e)),
        (None, None) => None,
        _ => return Err(Error::input(Location::line(path, 1), "columns `start` and `end` must come together")),
    };
    Ok(Columns { text, target, label, span })
}

/// Find `needle` in `hay` ignoring ASCII case; code-point span of the first hit.
pub fn find_ci(hay: &str, needle: &str) -> Option<Span> {
    if needle.is_empty() {
        return None;
    }
    let lower_h = hay.to_lowercase();
    let lower_n = needle.to_lowercase();
    // Lowercasing can change lengths for a few scripts; only trust a hit when it did not.
    if lower_h.len() != hay.len() {
        let b = hay.find(needle)?;
        let start = hay[..b].chars().count();
        return Some(Span::new(start, start + needle.chars().count()));
    }
    let b = lower_h.find(&lower_n)?;
    let start = hay[..b].chars().count();
    Some(Span::new(start, start + needle.chars().count()))
}

pub fn read(path: &Path, opts: ReadOptions) -> Result<Examples> {
    read_with(path, opts, true)
}

pub fn read_with(path: &Path, opts: ReadOptions, need_label: bool) -> Result<Examples> {
    // One pass over the file: a pipe cannot be read twice.
    let mut rdr = csv_source::reader(super::open(path)?, path, opts);
    let header = Header::read(&mut rdr, path, opts)?;
    let cols = columns(path, &header, need_label)?;
    let path = path.to_path_buf();
    let mut records = rdr.into_records();
    let mut pending: Option<Example> = None;
    let mut done = false;
    Ok(Box::new(std::iter::from_fn(move || {
        while !done {
            let rec = match records.next() {
                None => {
                    done = true;
                    break;
                }
                Some(Err(e)) => {
                    done = true;
                    return Some(Err(csv_error(&path, e)));
                }
                Some(Ok(r)) => r,
            };
            let (ex, target) = match row(&path, &cols, &rec) {
                Ok(x) => x,
                Err(e) => {
                    done = true;
                    return Some(Err(e));
                }
            };
            match pending.as_mut() {
                Some(p) if p.text == ex => {
                    p.targets.push(target);
                    if let Err(e) = check_one_label(&Location::line(&path, line_of_last(p)), &p.targets) {
                        done = true;
                        return Some(Err(e));
                    }
                }
                _ => {
                    let line = target.line;
                    let next = Example { at: Location::line(&path, line), text: ex, targets: vec![target] };
                    if let Some(prev) = pending.replace(next) {
                        return Some(Ok(prev));
                    }
                }
            }
        }
        pending.take().map(Ok)
    })))
}

fn row(path: &Path, cols: &Columns, rec: &csv::StringRecord) -> Result<(String, Target)> {
    let line = rec.position().map(|p| p.line() as usize).unwrap_or(0);
    let at = Location::line(path, line);
    let field = |i: usize| rec.get(i).unwrap_or("");
    let text = field(cols.text).to_string();
    if text.trim().is_empty() {
        return Err(Error::input(at, "empty `text`"));
    }
    let name = field(cols.target).trim().to_string();
    if name.is_empty() {
        return Err(Error::input(at, "empty `target`"));
    }
    let label = cols.label.map(|i| field(i).trim().to_string()).unwrap_or_default();
    if cols.label.is_some() && label.is_empty() {
        return Err(Error::input(at, "empty `label`"));
    }
    let span = match cols.span {
        Some((s, e)) => {
            let parse = |i: usize, what: &str| -> Result<usize> {
                field(i).trim().parse().map_err(|_| {
                    Error::input(at.clone(), format!("`{what}` is {:?}, expected a non-negative integer", field(i)))
                })
            };
            let span = Span::new(parse(s, "start")?, parse(e, "end")?);
            check_span(&at, &text, char_len(&text), span, "target")?;
            Some(span)
        }
        None => find_ci(&text, &name),
    };
    Ok((text, Target { name, span, further: vec![], label, line }))
}

/// The line of an example's last target.
fn line_of_last(ex: &Example) -> usize {
    ex.targets.last().map_or(0, |t| t.line)
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
    fn groups_rows_of_one_text_and_finds_spans() {
        let ex = read_str(
            "id,text,target,label\n1,\"Maduro said, \"\"Guaidó lies\"\"\",Maduro,negative\n2,\"Maduro said, \"\"Guaidó lies\"\"\",guaidó,negative\n3,Hello world,climate,none\n",
        )
        .unwrap();
        assert_eq!(ex.len(), 2);
        assert_eq!(ex[0].targets.len(), 2);
        assert_eq!(ex[0].targets[0].span, Some(Span::new(0, 6)));
        assert_eq!(ex[0].targets[1].span, Some(Span::new(14, 20)));
        assert_eq!(ex[1].targets[0].span, None);
        assert_eq!(ex[1].targets[0].line, 4);
    }

    #[test]
    fn quoted_newlines_and_explicit_spans() {
        let ex = read_str("text,target,label,start,end\n\"Line one\nMaduro two\",Maduro,neutral,9,15\n").unwrap();
        assert_eq!(ex[0].targets[0].span, Some(Span::new(9, 15)));
    }

    #[test]
    fn rejects_bad_rows() {
        let cases = [
            ("text,label\nhi,pos\n", ":1: missing column `target`"),
            ("text,target\nhi,x\n", "missing column `label`"),
            ("text,target,label\nhi,x,pos,extra\n", ":2: row has 4 fields, header has 3"),
            ("text,target,label,start,end\nhi,x,pos,0,9\n", ":2: target span 0..9 is outside"),
            ("text,target,label,start,end\nhi,x,pos,a,1\n", "`start` is \"a\""),
            ("text,target,label,start\nhi,x,pos,0\n", "must come together"),
            ("text,target,label\nhi,x,\n", ":2: empty `label`"),
        ];
        for (csv, want) in cases {
            let e = read_str(csv).unwrap_err().to_string();
            assert!(e.contains(want), "{csv:?}: {e}");
        }
    }
}
