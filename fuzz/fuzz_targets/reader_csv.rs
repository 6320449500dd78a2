#![no_main]
//! Arbitrary bytes as a CSV corpus.
use libfuzzer_sys::fuzz_target;
use stance::corpus::{self, Format, ReadOptions};

fuzz_target!(|data: &[u8]| {
    let mut f = tempfile::NamedTempFile::new().unwrap();
    std::io::Write::write_all(&mut f, data).unwrap();
    if let Ok(it) = corpus::read(Format::Csv, f.path(), ReadOptions { max_line_bytes: 1 << 16, lossy: false, ..ReadOptions::default() }) {
        for ex in it.flatten() {
            for t in &ex.targets {
                if let Some(s) = t.span {
                    assert!(s.start < s.end && s.end <= ex.text.chars().count());
                }
            }
        }
    }
});
