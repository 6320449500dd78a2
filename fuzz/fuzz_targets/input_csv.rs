#![no_main]
//! Arbitrary bytes as `predict --input csv` articles: an error or articles
//! whose text passed the checks, never a panic.
use libfuzzer_sys::fuzz_target;
use stance::corpus::ReadOptions;
use stance::input::{articles, InputFormat};

fuzz_target!(|data: &[u8]| {
    let mut f = tempfile::NamedTempFile::new().unwrap();
    std::io::Write::write_all(&mut f, data).unwrap();
    let opts = ReadOptions { max_line_bytes: 1 << 12, lossy: data.first() == Some(&b'L'), ..ReadOptions::default() };
    let mut n = 0;
    let _ = articles(&[f.path().to_path_buf()], InputFormat::Csv, opts, &mut |a| {
        assert!(!a.text.contains('\0') && a.text.len() <= 1 << 12);
        assert!(!a.doc.is_empty());
        n += 1;
        n < 1000
    });
});
