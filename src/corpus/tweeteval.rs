//! TweetEval stance: `<dir>/<target>/<split>_text.txt`, one tweet a line, with
//! `<split>_labels.txt` beside it (one label id a line) and `mapping.txt` one
//! folder up (`id<TAB>name`). The target is the folder's name.

use std::path::{Path, PathBuf};

use super::lines::Lines;
use super::{Example, Examples, ReadOptions, Target};
use crate::error::{Error, Location, Result};

/// Labels of TweetEval stance in the order of its `mapping.txt`.
pub const LABELS: [&str; 3] = ["none", "against", "favor"];

struct Files {
    labels: PathBuf,
    mapping: PathBuf,
    target: String,
}

fn companion_files(text: &Path) -> Result<Files> {
    let name = text.file_name().and_then(|n| n.to_str()).unwrap_or("");
    let split = name.strip_suffix("_text.txt").ok_or_else(|| {
        Error::input(Location::file(text), "tweeteval files must be named <split>_text.txt")
    })?;
    let dir = text.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let dir = dir.canonicalize().map_err(|e| Error::io(dir, "resolve folder", e))?;
    let target = dir
        .file_name()
        .and_then(|n| n.to_str())
        .ok_or_else(|| Error::input(Location::file(text), "cannot tell the target from the folder name"))?
        .to_string();
    let mapping = dir.parent().map(|p| p.join("mapping.txt")).unwrap_or_else(|| PathBuf::from("mapping.txt"));
    Ok(Files { labels: dir.join(format!("{split}_labels.txt")), mapping, target })
}

/// The other files read with a `<split>_text.txt`: its labels file and
/// `mapping.txt` (none when the name is not a TweetEval one).
pub fn companions(text: &Path) -> Vec<PathBuf> {
    companion_files(text).map(|f| vec![f.labels, f.mapping]).unwrap_or_default()
}

/// Read `mapping.txt`: label id to name.
pub fn read_mapping(path: &Path, opts: ReadOptions) -> Result<Vec<(String, String)>> {
    let mut lines = Lines::new(super::open(path)?, path, opts.max_line_bytes);
    let mut out = Vec::new();
    while let Some(l) = lines.next_line()? {
        if l.trim().is_empty() {
            continue;
        }
        let mut parts = l.split('\t');
        let (id, name) = match (parts.next(), parts.next(), parts.next()) {
            (Some(id), Some(name), None) if !id.trim().is_empty() && !name.trim().is_empty() => (id.trim().to_string(), name.trim().to_string()),
            _ => return Err(Error::input(lines.location(), "expected `id<TAB>label`")),
        };
        // Checked here, where the file and line are known: an unknown name
        // used to fail only at training, as a label "the model" did not know.
        if !LABELS.contains(&name.as_str()) {
            return Err(Error::input(lines.location(), format!("label {name:?} is not a TweetEval stance label (expected {})", LABELS.join(", "))));
        }
        if let Some((_, other)) = out.iter().find(|(i, _)| *i == id) {
            return Err(Error::input(lines.location(), format!("label id {id:?} given twice (as {other:?} and as {name:?})")));
        }
        if let Some((other, _)) = out.iter().find(|(_, n)| *n == name) {
            return Err(Error::input(lines.location(), format!("label {name:?} given twice (ids {other:?} and {id:?})")));
        }
        out.push((id, name));
    }
    if out.is_empty() {
        return Err(Error::input(Location::file(path), "no labels in mapping file"));
    }
    Ok(out)
}

pub fn read(path: &Path, opts: ReadOptions) -> Result<Examples> {
    let files = companion_files(path)?;
    let mapping = read_mapping(&files.mapping, opts)?;
    let mut texts = Lines::new(super::open(path)?, path, opts.max_line_bytes).lossy(opts.lossy);
    let mut labels = Lines::new(super::open(&files.labels)?, &files.labels, opts.max_line_bytes);
    let target = files.target;
    let mut done = false;
    Ok(Box::new(std::iter::from_fn(move || {
        if done {
            return None;
        }
        let r = next(&mut texts, &mut labels, &mapping, &target);
        if !matches!(r, Ok(Some(_))) {
            done = true;
        }
        r.transpose()
    })))
}

fn next<R: std::io::BufRead>(
    texts: &mut Lines<R>,
    labels: &mut Lines<R>,
    mapping: &[(String, String)],
    target: &str,
) -> Result<Option<Example>> {
    let text = texts.next_line()?;
    let label = labels.next_line()?;
    let (text, label) = match (text, label) {
        (None, None) => return Ok(None),
        (Some(_), None) | (None, Some(_)) => {
            let (t, l) = (texts.line_no(), labels.line_no());
            return Err(Error::input(
                Location::file(texts.path()),
                format!("has {t}+ lines but {} has {l}+: text and label files differ in length", labels.path().display()),
            ));
        }
        (Some(t), Some(l)) => (t, l),
    };
    let at = texts.location();
    let id = label.trim();
    let name = mapping
        .iter()
        .find(|(k, _)| k == id)
        .map(|(_, v)| v.clone())
        .ok_or_else(|| Error::input(labels.location(), format!("unknown label id {id:?}")))?;
    if text.trim().is_empty() {
        return Err(Error::input(at, "empty text"));
    }
    let line = at.line.unwrap_or(0);
    Ok(Some(Example {
        at,
        text,
        targets: vec![Target { name: target.to_string(), span: None, further: vec![], label: name, line }],
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    fn corpus(text: &str, labels: &str) -> tempfile::TempDir {
        let d = tempfile::tempdir().unwrap();
        fs::create_dir(d.path().join("hillary")).unwrap();
        fs::write(d.path().join("mapping.txt"), "0\tnone\n1\tagainst\n2\tfavor\n").unwrap();
        fs::write(d.path().join("hillary/train_text.txt"), text).unwrap();
        fs::write(d.path().join("hillary/train_labels.txt"), labels).unwrap();
        d
    }

    #[test]
    fn reads_target_from_folder_and_labels_from_mapping() {
        let d = corpus("I like her\nNo way\n", "2\n1\n");
        let ex: Vec<_> = read(&d.path().join("hillary/train_text.txt"), ReadOptions::default())
            .unwrap()
            .collect::<Result<_>>()
            .unwrap();
        assert_eq!(ex.len(), 2);
        assert_eq!(ex[0].targets[0].name, "hillary");
        assert_eq!(ex[0].targets[0].label, "favor");
        assert_eq!(ex[1].targets[0].label, "against");
        assert_eq!(ex[0].targets[0].span, None);
    }

    #[test]
    fn rejects_length_mismatch_and_unknown_ids() {
        let d = corpus("a\nb\nc\n", "0\n1\n");
        let e = read(&d.path().join("hillary/train_text.txt"), ReadOptions::default())
            .unwrap()
            .collect::<Result<Vec<_>>>()
            .unwrap_err()
            .to_string();
        assert!(e.contains("differ in length"), "{e}");
        let d = corpus("a\nb\n", "0\n7\n");
        let e = read(&d.path().join("hillary/train_text.txt"), ReadOptions::default())
            .unwrap()
            .collect::<Result<Vec<_>>>()
            .unwrap_err()
            .to_string();
        assert!(e.contains("train_labels.txt:2") && e.contains("unknown label id"), "{e}");
    }
}
