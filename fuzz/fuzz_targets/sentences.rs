#![no_main]
//! The sentence splitter on arbitrary text: sentences are in order, inside
//! the text, on character boundaries, with correct code-point offsets.
use libfuzzer_sys::fuzz_target;
use stance::sentences::{NewsSplitter, SentenceSplitter};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let mut last = 0;
    for s in NewsSplitter.split(text) {
        assert!(last <= s.byte_start && s.byte_start < s.byte_end && s.byte_end <= text.len());
        assert!(text.is_char_boundary(s.byte_start) && text.is_char_boundary(s.byte_end));
        assert_eq!(s.char_start, text[..s.byte_start].chars().count());
        last = s.byte_end;
    }
});
