//! Inputs that could hurt the machine: a 100 MB line must be refused
//! without reading it into memory, and a 1 MB sentence must be scored in
//! linear time (a quadratic stage would take hours on it).

mod common;
use common::*;

use std::io::Write;
use std::time::Instant;

fn children_max_rss_mb() -> i64 {
    // SAFETY: getrusage fills the struct we pass; nothing else is touched.
    let mut u: libc::rusage = unsafe { std::mem::zeroed() };
    unsafe { libc::getrusage(libc::RUSAGE_CHILDREN, &mut u) };
    u.ru_maxrss / 1024
}

#[test]
fn long_lines_and_sentences_stay_bounded() {
    let d = tempfile::tempdir().unwrap();
    // 1. One 100 MB JSON Lines line: an error, and memory far below its size.
    let big = d.path().join("big.jsonl");
    {
        let mut f = std::io::BufWriter::new(std::fs::File::create(&big).unwrap());
        f.write_all(b"{\"id\": 1, \"text\": \"").unwrap();
        let chunk = "Maduro spoke. ".repeat(1000);
        for _ in 0..(100 * 1024 * 1024 / chunk.len()) {
            f.write_all(chunk.as_bytes()).unwrap();
        }
        f.write_all(b"\"}\n").unwrap();
    }
    for args in [
        vec!["predict", "--input", "jsonl", "--format", "jsonl", big.to_str().unwrap()],
        vec!["eval", "--model", "models/newsmtsc", "--format", "newsmtsc", "--data", big.to_str().unwrap()],
    ] {
        let r = run(&args);
        assert_eq!(r.code, 1, "{}", r.stderr);
        assert!(r.stderr.contains("big.jsonl:1") && r.stderr.contains("longer than"), "{}", r.stderr);
        assert!(r.stdout.is_empty());
    }
    let rss = children_max_rss_mb();
    assert!(rss < 64, "peak RSS {rss} MB while refusing a 100 MB line");

    // 2. A 1 MB sentence full of names, no full stop anywhere.
    let names = ["Juan Guaido", "Nicolas Maduro", "the United States", "Piet Vos", "he"];
    let mut text = String::new();
    let mut i = 0;
    while text.len() < 1024 * 1024 {
        text.push_str(names[i % names.len()]);
        text.push_str(" and then criticised the plan while ");
        i += 1;
    }
    let f = d.path().join("runon.txt");
    std::fs::write(&f, &text).unwrap();
    let t = Instant::now();
    let r = run(&["predict", "--format", "jsonl", f.to_str().unwrap()]);
    let took = t.elapsed();
    assert_eq!(r.code, 0, "{}", r.stderr);
    let rows = r.stdout.lines().filter(|l| l.contains("\"type\":\"mention\"")).count();
    assert!(rows > 10_000, "{rows}");
    // Linear work is a few seconds even in a slow CI; quadratic would be hours.
    assert!(took.as_secs() < 120, "1 MB sentence took {took:?}");

    // 3. Training on one 5 MB sentence: memory in proportion to its
    //    features' occurrences, not copies of them (peaked at 1.03 GB,
    //    0.54 GB after). In this test, not one of its own: the peak is
    //    over every child of the test process.
    let f = d.path().join("huge.csv");
    let toy = std::fs::read_to_string(root().join("datasets/toy/train.csv")).unwrap();
    let words = ["the", "minister", "said", "budget", "plan", "critics", "workers", "harbour", "strike", "council"];
    let mut big = String::from("Alma Reyes");
    let mut i = 0;
    while big.len() < 5_000_000 {
        big.push(' ');
        big.push_str(words[(i * 7 + i / 3) % words.len()]);
        i += 1;
    }
    std::fs::write(&f, format!("{toy}\"{big}\",Alma Reyes,positive\n")).unwrap();
    let out = d.path().join("m");
    let r = run(&["train", "--format", "csv", "--train", f.to_str().unwrap(), "--out", out.to_str().unwrap(), "--quiet", "--max-line-bytes", "10000000"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let rss = children_max_rss_mb();
    assert!(rss < 750, "peak RSS {rss} MB training on a 5 MB sentence");
}
