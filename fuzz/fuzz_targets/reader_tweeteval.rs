#![no_main]
//! Arbitrary bytes split into a TweetEval text file, label file and mapping.
use libfuzzer_sys::fuzz_target;
use stance::corpus::{self, Format, ReadOptions};

fuzz_target!(|data: &[u8]| {
    let mut parts = data.splitn(3, |&b| b == 0xFE);
    let (text, labels, mapping) = (parts.next().unwrap_or(b""), parts.next().unwrap_or(b""), parts.next().unwrap_or(b"0\tnone\n1\tagainst\n2\tfavor\n"));
    let d = tempfile::tempdir().unwrap();
    std::fs::create_dir(d.path().join("topic")).unwrap();
    std::fs::write(d.path().join("mapping.txt"), mapping).unwrap();
    std::fs::write(d.path().join("topic/train_text.txt"), text).unwrap();
    std::fs::write(d.path().join("topic/train_labels.txt"), labels).unwrap();
    if let Ok(it) = corpus::read(Format::Tweeteval, &d.path().join("topic/train_text.txt"), ReadOptions { max_line_bytes: 1 << 16, lossy: true, ..ReadOptions::default() }) {
        for ex in it.flatten() {
            assert_eq!(ex.targets.len(), 1);
        }
    }
});
