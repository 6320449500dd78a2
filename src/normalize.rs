//! Unicode normalisation for `predict`: text in decomposed form
//! (`Ine\u{301}s`, as some scrapers and macOS file names give it) splits
//! a name at the combining accent, so the finder saw two actors where the
//! composed text has one. Articles are put into NFC before sentence
//! splitting and actor finding, and what is reported (sentences, spans,
//! mentions) is mapped back to the caller's own text.

use unicode_normalization_alignments::char::canonical_combining_class;
use unicode_normalization_alignments::{is_nfc_quick, IsNormalized, UnicodeNormalization};

/// An article in NFC, with the way back to the caller's text.
pub struct Nfc {
    pub text: String,
    /// For each character of `text`: the range of the caller's characters
    /// it came from (one character, or a whole recomposed cluster).
    from: Vec<(usize, usize)>,
    /// Byte offset of each of the caller's characters, and of the end.
    bytes: Vec<usize>,
}

impl Nfc {
    /// `None` when `text` is in NFC already (nearly always: checked fast).
    pub fn new(text: &str) -> Option<Nfc> {
        if is_nfc_quick(text.chars()) == IsNormalized::Yes {
            return None;
        }
        let chars: Vec<(usize, char)> = text.char_indices().collect();
        let mut bytes: Vec<usize> = chars.iter().map(|&(b, _)| b).collect();
        bytes.push(text.len());
        let (mut out, mut from) = (String::with_capacity(text.len()), Vec::with_capacity(chars.len()));
        // Normalise cluster by cluster: a cluster starts at a character
        // that nothing before it can combine with, so each normalises on
        // its own and its characters map back to the cluster as a whole.
        let mut start = 0;
        while start < chars.len() {
            let mut end = start + 1;
            while end < chars.len() && !starts_cluster(chars[end].1) {
                end += 1;
            }
            let original = &text[bytes[start]..bytes[end]];
            let before = out.len();
            out.extend(original.nfc().map(|(c, _)| c));
            if out[before..] == *original {
                from.extend((start..end).map(|i| (i, i + 1)));
            } else {
                from.extend(std::iter::repeat_n((start, end), out[before..].chars().count()));
            }
            start = end;
        }
        Some(Nfc { text: out, from, bytes })
    }

    /// The caller's character range for the normalised range `start..end`.
    pub fn original_chars(&self, start: usize, end: usize) -> (usize, usize) {
        let total = self.bytes.len() - 1;
        let s = self.from.get(start).map_or(total, |r| r.0);
        let e = if end > start { self.from.get(end - 1).map_or(total, |r| r.1) } else { s };
        (s, e)
    }

    /// The caller's byte range for the normalised character range `start..end`.
    pub fn original_bytes(&self, start: usize, end: usize) -> (usize, usize) {
        let (s, e) = self.original_chars(start, end);
        (self.bytes[s], self.bytes[e])
    }
}

/// Whether `c` begins a cluster that normalises independently: a starter
/// that NFC keeps as it is.
fn starts_cluster(c: char) -> bool {
    canonical_combining_class(c) == 0 && is_nfc_quick(std::iter::once(c)) == IsNormalized::Yes
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn composes_and_maps_back() {
        assert!(Nfc::new("Inés Kowalski").is_none());
        let text = "Mayor Ine\u{301}s Kowalski, x\u{301}\u{301}y.";
        let n = Nfc::new(text).unwrap();
        assert_eq!(n.text, "Mayor Inés Kowalski, x\u{301}\u{301}y.");
        // "Inés" is 6..10 in the normal form, 6..11 in the caller's text.
        assert_eq!(n.original_chars(6, 10), (6, 11));
        let (s, e) = n.original_bytes(6, 19);
        assert_eq!(&text[s..e], "Ine\u{301}s Kowalski");
        // An accent with no composed form stays, one to one.
        assert_eq!(n.original_chars(21, 22), (22, 23));
        let (s, e) = n.original_bytes(0, n.text.chars().count());
        assert_eq!(&text[s..e], text);
    }
}
