#![no_main]
//! `predict` end to end on arbitrary bytes, with the shipped model.
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;
use stance::actors::auto::AutoFinder;
use stance::bundle::Bundle;
use stance::article::Article;
use stance::predict::Predictor;

static MODEL: OnceLock<Bundle> = OnceLock::new();
static FINDER: OnceLock<AutoFinder> = OnceLock::new();

fuzz_target!(|data: &[u8]| {
    let bundle = MODEL.get_or_init(|| Bundle::load(&std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../models/newsmtsc")).unwrap());
    let Ok(text) = stance::input::read_article(data, std::path::Path::new("fuzz"), 1 << 20, true) else { return };
    let finder = FINDER.get_or_init(AutoFinder::new);
    let p = Predictor::new(bundle, finder, 1);
    let scored = p.score(&Article { doc: "fuzz".into(), text, ..Default::default() }, &mut p.scorer()).expect("a sparse model scores without an encoder");
    for m in &scored.mentions {
        let sum: f64 = m.probs.iter().sum();
        assert!((sum - 1.0).abs() < 1e-6 && m.probs.iter().all(|p| p.is_finite()));
        assert!(m.score.is_none_or(|s| (-1.0..=1.0).contains(&s)));
    }
});
