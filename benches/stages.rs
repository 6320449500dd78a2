//! Per-stage microbenchmarks, per sentence: tokenization, feature
//! extraction, model scoring; and per article: sentence splitting and
//! actor finding. Uses the shipped model and the example article.
//!
//!     cargo bench --bench stages

use criterion::{criterion_group, criterion_main, Criterion};
use std::hint::black_box;
use std::path::PathBuf;

use stance::actors::{auto::AutoFinder, ActorFinder};
use stance::bundle::Bundle;
use stance::pipeline::{Featurizer, Scorer, TargetSpans};
use stance::article::Article;
use stance::predict::Predictor;
use stance::sentences::{NewsSplitter, SentenceSplitter};
use stance::text::Span;

fn stages(c: &mut Criterion) {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let bundle = Bundle::load(&std::env::var_os("STANCE_MODEL").map_or_else(|| root.join("models/newsmtsc"), std::path::PathBuf::from)).expect("model");
    let article = std::fs::read_to_string(root.join("examples/harbour-dispute.txt")).unwrap();
    let sentence = "Transport Minister Piet Vos rejected the criticism and accused the mayor of blocking investment that the region badly needs.";
    let target = [TargetSpans { name: "Piet Vos", spans: vec![Span::new(19, 27)] }];

    let mut toks = Vec::new();
    c.bench_function("tokenize/sentence", |b| b.iter(|| bundle.tokenizer.tokenize(black_box(sentence), &mut toks)));

    let mut fz = Featurizer::new(&bundle.meta.features, &bundle.tokenizer);
    let mut feats = Vec::new();
    c.bench_function("features/sentence (tokenize + extract)", |b| {
        b.iter(|| {
            fz.set_text(black_box(sentence));
            fz.features(sentence, &target, 0, &mut feats);
        })
    });
    fz.set_text(sentence);
    fz.features(sentence, &target, 0, &mut feats);
    c.bench_function("model/score one mention", |b| b.iter(|| bundle.model.score_features(black_box(&feats))));
    // What eval and predict run: tokenize, word-level features, cached
    // per-word character sums, model.
    let mut scorer = Scorer::for_bundle(&bundle);
    c.bench_function("score/sentence fast path (tokenize + features + model)", |b| {
        b.iter(|| {
            scorer.set_text(black_box(sentence));
            scorer.score(sentence, &target, 0, &mut feats)
        })
    });

    c.bench_function("sentences/article", |b| b.iter(|| NewsSplitter.split(black_box(&article))));
    let sents: Vec<&str> = NewsSplitter.split(&article).iter().map(|s| &article[s.byte_start..s.byte_end]).collect();
    let finder = AutoFinder::new();
    c.bench_function("actors/article", |b| b.iter(|| finder.find(black_box(&sents))));

    let p = Predictor::new(&bundle, &finder, 0);
    let art = Article { doc: "x".into(), text: article.clone(), ..Default::default() };
    let mut pfz = p.scorer();
    c.bench_function("predict/article end to end", |b| b.iter(|| p.score(black_box(&art), &mut pfz).unwrap()));
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(30).measurement_time(std::time::Duration::from_secs(3));
    targets = stages
}
criterion_main!(benches);
