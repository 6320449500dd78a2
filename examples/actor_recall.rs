//! Precision and recall of automatic actor finding against the target
//! mentions of NewsMTSC files.
//!
//!     cargo run --release --example actor_recall -- ../shared/datasets/newsmtsc/dev-mt.jsonl

use stance::actors::{auto::AutoFinder, measure};
use stance::corpus::{self, Format, ReadOptions};

fn main() {
    for path in std::env::args().skip(1) {
        let examples = corpus::read_all(Format::Newsmtsc, &[&path], ReadOptions::default()).unwrap_or_else(|e| {
            eprintln!("actor_recall: {e}");
            std::process::exit(1)
        });
        let ids = stance::corpus::newsmtsc::ids(path.as_ref()).unwrap_or_else(|e| {
            eprintln!("actor_recall: {e}");
            std::process::exit(1)
        });
        let arts = measure::newsmtsc_articles(&examples, &ids);
        let s = measure::measure(&AutoFinder::new(), &arts);
        println!(
            "{path}: {} gold mentions, {} found; recall exact {:.3} overlap {:.3}; precision exact {:.3} overlap {:.3}",
            s.gold, s.found, s.recall_exact, s.recall_overlap, s.precision_exact, s.precision_overlap
        );
    }
}

