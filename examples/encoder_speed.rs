//! Encoder speed on NewsMTSC sentences: tokenize, sort by length, run
//! batches of similar length, and print sentences/s and tokens/s (median of
//! 3 runs, after one warm-up run).
//!
//!     cargo run --release --example encoder_speed -- all-minilm-l6-v2 \
//!         ../shared/datasets/newsmtsc/test-mt.jsonl [--sentences 500] [--batch 32] [--threads 2]
//!
//! The threads are candle's matrix-product threads (it reads
//! RAYON_NUM_THREADS, which this sets). Bars (issue 13, whole feature
//! pipeline on this 2-core machine): MiniLM >= 150 sentences/s, mpnet >= 30.

use std::time::Instant;

use stance::encoder::{self, Encoder};

struct Options {
    encoder: String,
    file: String,
    sentences: usize,
    batch: usize,
    threads: usize,
}

fn parse() -> Result<Options, String> {
    let mut o = Options {
        encoder: "all-minilm-l6-v2".into(),
        file: "../shared/datasets/newsmtsc/test-mt.jsonl".into(),
        sentences: 500,
        batch: 32,
        threads: 2,
    };
    let mut positional = 0;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let mut number = |name: &str| -> Result<usize, String> {
            let v = args.next().ok_or(format!("{name} needs a value"))?;
            v.parse().ok().filter(|&n| n > 0).ok_or(format!("{name}: not a positive number: {v}"))
        };
        match a.as_str() {
            "--sentences" => o.sentences = number("--sentences")?,
            "--batch" => o.batch = number("--batch")?,
            "--threads" => o.threads = number("--threads")?,
            _ if a.starts_with("--") => return Err(format!("unknown option {a}")),
            _ => {
                match positional {
                    0 => o.encoder = a,
                    1 => o.file = a,
                    _ => return Err(format!("unexpected argument {a}")),
                }
                positional += 1;
            }
        }
    }
    Ok(o)
}

fn sentences(path: &str, n: usize) -> Result<Vec<String>, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{path}: {e}"))?;
    let mut out = Vec::new();
    for (i, line) in text.lines().filter(|l| !l.trim().is_empty()).take(n).enumerate() {
        let v: serde_json::Value = serde_json::from_str(line).map_err(|e| format!("{path}:{}: {e}", i + 1))?;
        let s = v["sentence_normalized"].as_str().ok_or(format!("{path}:{}: no sentence_normalized", i + 1))?;
        out.push(s.to_string());
    }
    Ok(out)
}

/// Tokenize, sort by length, run in batches; returns the tokens encoded.
fn encode_all(enc: &dyn Encoder, texts: &[String], batch: usize) -> Result<usize, stance::Error> {
    let mut ids: Vec<Vec<u32>> = texts.iter().map(|t| enc.encode_text(t).map(|t| t.ids)).collect::<Result<_, _>>()?;
    ids.sort_by_key(Vec::len);
    let mut tokens = 0;
    for chunk in ids.chunks(batch) {
        let states = enc.forward(chunk)?;
        tokens += states.iter().map(|s| s[0].nrows()).sum::<usize>();
    }
    Ok(tokens)
}

fn main() {
    let o = parse().unwrap_or_else(|e| {
        eprintln!("encoder_speed: {e}");
        std::process::exit(2)
    });
    // SAFETY: set before any other thread exists.
    unsafe { std::env::set_var("RAYON_NUM_THREADS", o.threads.to_string()) };
    let texts = sentences(&o.file, o.sentences).unwrap_or_else(|e| {
        eprintln!("encoder_speed: {e}");
        std::process::exit(1)
    });
    let start = Instant::now();
    let enc = encoder::load(&o.encoder).unwrap_or_else(|e| {
        eprintln!("encoder_speed: {e}");
        std::process::exit(1)
    });
    let load = start.elapsed().as_secs_f64();
    let run = || {
        let t = Instant::now();
        let tokens = encode_all(enc.as_ref(), &texts, o.batch).unwrap_or_else(|e| {
            eprintln!("encoder_speed: {e}");
            std::process::exit(1)
        });
        (t.elapsed().as_secs_f64(), tokens)
    };
    run(); // warm-up: page in the weights, size the allocator
    let mut times: Vec<(f64, usize)> = (0..3).map(|_| run()).collect();
    times.sort_by(|a, b| a.0.total_cmp(&b.0));
    let (secs, tokens) = times[1];
    println!(
        "{}: {} sentences ({} tokens, {:.1} per sentence), batch {}, {} threads: {:.1} sentences/s, {:.0} tokens/s \
         (median of 3: {:.2}s; runs {:.2}s..{:.2}s; load {:.2}s)",
        enc.name(),
        texts.len(),
        tokens,
        tokens as f64 / texts.len() as f64,
        o.batch,
        o.threads,
        texts.len() as f64 / secs,
        tokens as f64 / secs,
        secs,
        times[0].0,
        times[2].0,
        load
    );
}
