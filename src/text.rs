//! Code-point offsets. Corpora give spans in Unicode code points (Python
//! slicing), while Rust strings index bytes; these helpers convert safely.

/// Call `f` with `w` lower-cased in a stack buffer, for short ASCII words
/// (most words, on hot paths that would otherwise allocate a `String` per
/// word); `None` for other words, which callers lower-case the general way.
pub fn with_ascii_lowercase<R>(w: &str, f: impl FnOnce(&str) -> R) -> Option<R> {
    const MAX: usize = 32;
    if w.len() > MAX || !w.is_ascii() {
        return None;
    }
    let mut buf = [0u8; MAX];
    let b = &mut buf[..w.len()];
    b.copy_from_slice(w.as_bytes());
    b.make_ascii_lowercase();
    // ASCII in, ASCII out.
    Some(f(std::str::from_utf8(b).unwrap_or_default()))
}

/// A half-open span `[start, end)` in code points.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Self {
        Span { start, end }
    }
    pub fn overlaps(&self, other: &Span) -> bool {
        self.start < other.end && other.start < self.end
    }
    pub fn len(&self) -> usize {
        self.end - self.start
    }
    pub fn is_empty(&self) -> bool {
        self.end <= self.start
    }
}

/// Number of code points in `s`.
pub fn char_len(s: &str) -> usize {
    s.chars().count()
}

/// The substring for a code-point span, or `None` when it falls outside `s`.
pub fn slice_chars(s: &str, span: Span) -> Option<&str> {
    if span.start > span.end {
        return None;
    }
    let mut it = s.char_indices().map(|(b, _)| b).chain(std::iter::once(s.len()));
    let start = it.nth(span.start)?;
    let end = if span.end == span.start { start } else { it.nth(span.end - span.start - 1)? };
    Some(&s[start..end])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slices_by_code_points_not_bytes() {
        let s = "“Quote” Maduro’s men";
        assert_eq!(slice_chars(s, Span::new(8, 14)), Some("Maduro"));
        assert_eq!(slice_chars(s, Span::new(0, 1)), Some("“"));
        assert_eq!(slice_chars(s, Span::new(17, 20)), Some("men"));
        assert_eq!(slice_chars(s, Span::new(17, 21)), None);
        assert_eq!(slice_chars(s, Span::new(20, 20)), Some(""));
        assert_eq!(slice_chars(s, Span::new(5, 3)), None);
    }

    #[test]
    fn char_len_counts_code_points() {
        assert_eq!(char_len("añb€"), 4);
    }
}
