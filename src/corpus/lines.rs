//! A line reader for untrusted files: bounded line length, byte offsets in
//! errors, binary and invalid UTF-8 detection. Every corpus reader and the
//! article reader go through it, so these checks live in one place.

use std::io::{BufRead, ErrorKind};
use std::path::{Path, PathBuf};

use crate::error::{Error, Location, Result};

/// Default cap on one line: long enough for any real article, short enough
/// that a 100 MB line from a broken scraper cannot take the machine's memory.
pub const DEFAULT_MAX_LINE_BYTES: usize = 8 * 1024 * 1024;

/// The UTF-8 byte-order mark.
pub const BOM: &[u8] = b"\xef\xbb\xbf";

/// `bytes` without a leading byte-order mark.
pub fn strip_bom(bytes: &[u8]) -> &[u8] {
    bytes.strip_prefix(BOM).unwrap_or(bytes)
}

pub struct Lines<R> {
    reader: R,
    path: PathBuf,
    line_no: usize,
    offset: u64,
    max_bytes: usize,
    lossy: bool,
    buf: Vec<u8>,
}

impl<R: BufRead> Lines<R> {
    pub fn new(reader: R, path: &Path, max_bytes: usize) -> Self {
        Lines { reader, path: path.to_path_buf(), line_no: 0, offset: 0, max_bytes, lossy: false, buf: Vec::new() }
    }

    /// Decode invalid UTF-8 with U+FFFD instead of failing.
    pub fn lossy(mut self, lossy: bool) -> Self {
        self.lossy = lossy;
        self
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Number of the line last returned (1-based).
    pub fn line_no(&self) -> usize {
        self.line_no
    }

    pub fn location(&self) -> Location {
        Location::line(&self.path, self.line_no)
    }

    /// The next line without its line ending, or `None` at end of file.
    pub fn next_line(&mut self) -> Result<Option<String>> {
        self.buf.clear();
        let start_offset = self.offset;
        loop {
            let chunk = match self.reader.fill_buf() {
                Ok(c) => c,
                Err(e) if e.kind() == ErrorKind::Interrupted => continue,
                Err(e) => return Err(Error::io(&self.path, "read", e)),
            };
            if chunk.is_empty() {
                break;
            }
            let (take, done) = match memchr(b'\n', chunk) {
                Some(i) => (i + 1, true),
                None => (chunk.len(), false),
            };
            if self.buf.len() + take > self.max_bytes.saturating_add(1) {
                return Err(Error::input(
                    Location::line(&self.path, self.line_no + 1),
                    format!("line longer than {} bytes (raise the limit with --max-line-bytes)", self.max_bytes),
                ));
            }
            self.buf.extend_from_slice(&chunk[..take]);
            self.reader.consume(take);
            self.offset += take as u64;
            if done {
                break;
            }
        }
        if self.buf.is_empty() {
            return Ok(None);
        }
        self.line_no += 1;
        // A byte-order mark is no part of the first line's text (Windows
        // tools write one); left in, it broke JSON and shifted offsets.
        let mut start_offset = start_offset;
        if start_offset == 0 && self.buf.starts_with(BOM) {
            self.buf.drain(..BOM.len());
            start_offset += BOM.len() as u64;
        }
        if self.buf.last() == Some(&b'\n') {
            self.buf.pop();
        }
        if self.buf.last() == Some(&b'\r') {
            self.buf.pop();
        }
        if self.buf.len() > self.max_bytes {
            return Err(Error::input(self.location(), format!("line longer than {} bytes", self.max_bytes)));
        }
        if let Some(i) = memchr(0, &self.buf) {
            return Err(Error::input(
                self.location(),
                format!("binary data (NUL byte) at byte offset {}; expected UTF-8 text", start_offset + i as u64),
            ));
        }
        match std::str::from_utf8(&self.buf) {
            Ok(s) => Ok(Some(s.to_owned())),
            Err(_) if self.lossy => Ok(Some(String::from_utf8_lossy(&self.buf).into_owned())),
            Err(e) => Err(Error::input(
                self.location(),
                format!(
                    "invalid UTF-8 at byte offset {} (use --lossy to replace bad bytes)",
                    start_offset + e.valid_up_to() as u64
                ),
            )),
        }
    }
}

fn memchr(needle: u8, hay: &[u8]) -> Option<usize> {
    hay.iter().position(|&b| b == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(data: &[u8], max: usize) -> Lines<&[u8]> {
        Lines::new(data, Path::new("f.txt"), max)
    }

    #[test]
    fn reads_lines_and_strips_endings() {
        let mut l = lines(b"a\r\nb\n\nc", 100);
        assert_eq!(l.next_line().unwrap().as_deref(), Some("a"));
        assert_eq!(l.next_line().unwrap().as_deref(), Some("b"));
        assert_eq!(l.next_line().unwrap().as_deref(), Some(""));
        assert_eq!(l.next_line().unwrap().as_deref(), Some("c"));
        assert_eq!(l.line_no(), 4);
        assert!(l.next_line().unwrap().is_none());
    }

    #[test]
    fn reports_invalid_utf8_with_byte_offset() {
        let mut l = lines(b"ok\nab\xffc\n", 100);
        l.next_line().unwrap();
        let e = l.next_line().unwrap_err().to_string();
        assert!(e.contains("f.txt:2") && e.contains("byte offset 5"), "{e}");
        let mut l = lines(b"ab\xffc\n", 100).lossy(true);
        assert_eq!(l.next_line().unwrap().unwrap(), "ab\u{fffd}c");
    }

    #[test]
    fn strips_a_byte_order_mark_from_the_first_line_only() {
        let mut l = lines(b"\xef\xbb\xbfa\n\xef\xbb\xbfb\n", 100);
        assert_eq!(l.next_line().unwrap().as_deref(), Some("a"));
        assert_eq!(l.next_line().unwrap().as_deref(), Some("\u{feff}b"));
        let mut l = lines(b"\xef\xbb\xbf", usize::MAX);
        assert_eq!(l.next_line().unwrap().as_deref(), Some(""));
    }

    #[test]
    fn rejects_binary_and_overlong_lines() {
        let e = lines(b"a\0b", 100).next_line().unwrap_err().to_string();
        assert!(e.contains("NUL"), "{e}");
        let long = vec![b'x'; 1000];
        let e = lines(&long, 10).next_line().unwrap_err().to_string();
        assert!(e.contains("longer than 10 bytes"), "{e}");
        let ok = vec![b'x'; 10];
        assert_eq!(lines(&ok, 10).next_line().unwrap().unwrap().len(), 10);
    }
}
