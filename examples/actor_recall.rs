//! Precision and recall of automatic actor finding against the target
//! mentions of NewsMTSC files.
//!
//!     cargo run --release --example actor_recall -- [--alone] [--dump FILE] ../shared/datasets/newsmtsc/dev-mt.jsonl
//!
//! `--alone` finds the actors of each sentence on its own (as a peer that
//! sees one sentence at a time would), else sentences are regrouped into
//! their articles. `--dump FILE` writes, per sentence, its text, the gold
//! spans and the mentions found with their actor's kind, as JSON Lines
//! (what `benches/spacy_peer.py` compares with spaCy).

use std::io::Write;

use stance::actors::{auto::AutoFinder, measure};
use stance::corpus::{self, Format, ReadOptions};

fn main() {
    let mut alone = false;
    let mut dump: Option<std::io::BufWriter<std::fs::File>> = None;
    let mut files = Vec::new();
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--alone" => alone = true,
            "--dump" => {
                let p = args.next().expect("--dump FILE");
                dump = Some(std::io::BufWriter::new(std::fs::File::create(&p).unwrap_or_else(|e| {
                    eprintln!("actor_recall: {p}: {e}");
                    std::process::exit(1)
                })));
            }
            _ => files.push(a),
        }
    }
    let finder = AutoFinder::new();
    for path in files {
        let examples = corpus::read_all(Format::Newsmtsc, &[&path], ReadOptions::default()).unwrap_or_else(|e| {
            eprintln!("actor_recall: {e}");
            std::process::exit(1)
        });
        let ids = stance::corpus::newsmtsc::ids(path.as_ref()).unwrap_or_else(|e| {
            eprintln!("actor_recall: {e}");
            std::process::exit(1)
        });
        let arts = if alone { measure::alone(&examples) } else { measure::newsmtsc_articles(&examples, &ids) };
        let s = measure::measure_with(&finder, &arts, |sf| {
            if let Some(out) = dump.as_mut() {
                let found: Vec<serde_json::Value> = sf
                    .found
                    .iter()
                    .map(|(span, kind, mk)| serde_json::json!({"start": span.start, "end": span.end, "kind": kind, "mention_kind": mk}))
                    .collect();
                let gold: Vec<serde_json::Value> =
                    sf.example.targets.iter().filter_map(|t| t.span).map(|g| serde_json::json!({"start": g.start, "end": g.end})).collect();
                let row = serde_json::json!({"file": path, "text": sf.example.text, "gold": gold, "found": found});
                writeln!(out, "{row}").expect("write --dump");
            }
        });
        println!(
            "{path}: {} gold mentions, {} found ({:.2} per gold); recall exact {:.3} overlap {:.3}; precision exact {:.3} overlap {:.3}",
            s.gold,
            s.found,
            s.found as f64 / s.gold.max(1) as f64,
            s.recall_exact,
            s.recall_overlap,
            s.precision_exact,
            s.precision_overlap
        );
    }
}
