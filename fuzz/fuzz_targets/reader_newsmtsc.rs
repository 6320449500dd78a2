#![no_main]
//! Arbitrary bytes as a NewsMTSC file: every outcome is examples or an error.
use libfuzzer_sys::fuzz_target;
use stance::corpus::{self, Format, ReadOptions};

fuzz_target!(|data: &[u8]| {
    let mut f = tempfile::NamedTempFile::new().unwrap();
    std::io::Write::write_all(&mut f, data).unwrap();
    let opts = ReadOptions { max_line_bytes: 1 << 16, lossy: data.first() == Some(&b'L'), ..ReadOptions::default() };
    if let Ok(it) = corpus::read(Format::Newsmtsc, f.path(), opts) {
        for ex in it {
            if let Ok(ex) = ex {
                for t in &ex.targets {
                    let s = t.span.unwrap();
                    assert!(s.start < s.end && s.end <= ex.text.chars().count());
                }
            }
        }
    }
});
