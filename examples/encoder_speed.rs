//! Encoder speed on NewsMTSC sentences: the `encoder` family's own path
//! (`features::encoder::pool_all`: tokenize, cut batches by length, run them
//! side by side on a pool of `--threads`, pool one target per sentence), and
//! print sentences/s and word pieces/s (median of 3 runs, after one warm-up).
//!
//!     cargo run --release --example encoder_speed -- all-minilm-l6-v2 \
//!         ../shared/datasets/newsmtsc/test-mt.jsonl [--sentences 500] [--threads 2]
//!
//! `benches/encoders.sh` runs this beside whole-process `stance predict`, so
//! the encoder's share of the time can be read off.

use std::time::Instant;

use stance::encoder::{self, Encoder};
use stance::features::encoder::{pool_all, EncoderParams, PoolRequest};
use stance::text::Span;

struct Options {
    encoder: String,
    file: String,
    sentences: usize,
    threads: usize,
}

fn parse() -> Result<Options, String> {
    let mut o = Options {
        encoder: "all-minilm-l6-v2".into(),
        file: "../shared/datasets/newsmtsc/test-mt.jsonl".into(),
        sentences: 500,
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

/// Pool one target (the first word or so) per sentence, as the product does.
fn encode_all(enc: &dyn Encoder, texts: &[String]) -> Result<(), stance::Error> {
    let name = enc.name().to_string();
    let params = EncoderParams { layers: EncoderParams::default_layers(&name), name, sha256: enc.sha256().into(), scale: 1.0 };
    let requests: Vec<PoolRequest> =
        texts.iter().map(|t| PoolRequest { text: t, targets: vec![vec![Span::new(0, t.chars().count().min(8))]] }).collect();
    pool_all(enc, &params, &requests, &|_| {}).map(|_| ())
}

fn main() {
    let o = parse().unwrap_or_else(|e| {
        eprintln!("encoder_speed: {e}");
        std::process::exit(2)
    });
    let pool = rayon::ThreadPoolBuilder::new().num_threads(o.threads).build().expect("a thread pool");
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
        pool.install(|| encode_all(enc.as_ref(), &texts)).unwrap_or_else(|e| {
            eprintln!("encoder_speed: {e}");
            std::process::exit(1)
        });
        t.elapsed().as_secs_f64()
    };
    run(); // warm-up: page in the weights, size the allocator
    let mut times: Vec<f64> = (0..3).map(|_| run()).collect();
    times.sort_by(f64::total_cmp);
    let secs = times[1];
    let tokens: usize = texts.iter().map(|t| enc.encode_text(t).map_or(0, |t| t.ids.len())).sum();
    println!(
        "{}: {} sentences ({} tokens, {:.1} per sentence), {} threads: {:.1} sentences/s, {:.0} tokens/s \
         (median of 3: {:.2}s; runs {:.2}s..{:.2}s; load {:.2}s)",
        enc.name(),
        texts.len(),
        tokens,
        tokens as f64 / texts.len() as f64,
        o.threads,
        texts.len() as f64 / secs,
        tokens as f64 / secs,
        secs,
        times[0],
        times[2],
        load
    );
}
