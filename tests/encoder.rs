//! The encoders against fp32 reference outputs (`../shared/encoders/*.json`):
//! token ids and offsets, 8 values of tokens 0 and 2 after every layer, the
//! mean-pooled L2-normalised sentence vectors and their cosines. Plus what
//! needs no reference: padding invariance, truncation, damaged files.
//!
//! all-MiniLM-L6-v2 ships in the repository, so its tests always run.
//! all-mpnet-base-v2 is tested when fetched (`scripts/fetch-encoder.sh
//! all-mpnet-base-v2`); with `STANCE_REQUIRE_ENCODERS=1` a missing one fails.

use std::path::PathBuf;

use ndarray::{Array1, Array2, Axis};
use serde_json::Value;
use stance::encoder::{self, Encoder, store};

/// Agreement with the references, absolute, in f32 (values are stored with
/// 6 decimals, so 5e-7 of it is rounding).
const TOLERANCE: f32 = 1e-4;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn reference(file: &str) -> Option<Value> {
    let p = root().join("../shared/encoders").join(file);
    match std::fs::read(&p) {
        Ok(b) => Some(serde_json::from_slice(&b).expect("reference JSON")),
        Err(_) if std::env::var("STANCE_REQUIRE_ENCODERS").as_deref() == Ok("1") => panic!("{} missing", p.display()),
        Err(_) => {
            eprintln!("skipped: {} not present", p.display());
            None
        }
    }
}

/// The encoder, or `None` (skipped) when it is not installed and not required.
fn installed(name: &str) -> Option<Box<dyn Encoder>> {
    let known = store::known(name).unwrap();
    match store::find(known) {
        Ok(dir) => Some(encoder::load_from(known, &dir).unwrap_or_else(|e| panic!("{e}"))),
        Err(e) if std::env::var("STANCE_REQUIRE_ENCODERS").as_deref() == Ok("1") => panic!("{e}"),
        Err(e) => {
            eprintln!("skipped: {e}");
            None
        }
    }
}

fn minilm() -> Box<dyn Encoder> {
    encoder::load("all-minilm-l6-v2").unwrap_or_else(|e| panic!("{e}"))
}

fn floats(v: &Value) -> Vec<f32> {
    v.as_array().unwrap().iter().map(|x| x.as_f64().unwrap() as f32).collect()
}

/// Mean over all tokens (special ones included), L2-normalised.
fn mean_pooled(last: &Array2<f32>) -> Array1<f32> {
    let m = last.mean_axis(Axis(0)).unwrap();
    let norm = m.dot(&m).sqrt();
    m / norm
}

struct Diff {
    worst: f32,
    at: String,
}

impl Diff {
    fn see(&mut self, got: f32, want: f32, at: impl FnOnce() -> String) {
        let d = (got - want).abs();
        if d > self.worst || d.is_nan() {
            self.worst = if d.is_nan() { f32::INFINITY } else { d };
            self.at = format!("{} (got {got}, want {want})", at());
        }
    }
}

fn check_against_reference(enc: &dyn Encoder, r: &Value) {
    let sentences = r["sentences"].as_array().unwrap();
    let mut diff = Diff { worst: 0.0, at: String::new() };
    let mut pooled = Vec::new();
    let mut all_ids = Vec::new();
    let mut single = Vec::new();
    for (s, sent) in sentences.iter().enumerate() {
        let text = sent["text"].as_str().unwrap();
        let t = enc.encode_text(text).unwrap();
        let ids: Vec<u32> = sent["ids"].as_array().unwrap().iter().map(|x| x.as_u64().unwrap() as u32).collect();
        assert_eq!(t.ids, ids, "ids of {text:?}");
        let offsets: Vec<(usize, usize)> = sent["offsets"]
            .as_array()
            .unwrap()
            .iter()
            .map(|o| (o[0].as_u64().unwrap() as usize, o[1].as_u64().unwrap() as usize))
            .collect();
        assert_eq!(t.offsets, offsets, "offsets of {text:?}");
        let states = enc.forward(std::slice::from_ref(&t.ids)).unwrap().remove(0);
        assert_eq!(states.len(), enc.num_layers() + 1);
        for (token, key) in [(0, "layers_token0_first8"), (2, "layers_token2_first8")] {
            let layers = sent[key].as_array().unwrap();
            assert_eq!(layers.len(), enc.num_layers() + 1, "{key} layers");
            for (l, want) in layers.iter().enumerate() {
                for (j, w) in floats(want).into_iter().enumerate() {
                    diff.see(states[l][[token, j]], w, || format!("sentence {s} token {token} layer {l} dim {j}"));
                }
            }
        }
        let v = mean_pooled(&states[enc.num_layers()]);
        for (j, w) in floats(&sent["last_layer_mean_pooled_l2_normalised"]).into_iter().enumerate() {
            diff.see(v[j], w, || format!("sentence {s} pooled dim {j}"));
        }
        pooled.push(v);
        all_ids.push(t.ids);
        single.push(states);
    }
    for (pair, want) in r["cosines"].as_object().unwrap() {
        let (a, b) = pair.split_once('~').unwrap();
        let (a, b): (usize, usize) = (a.parse().unwrap(), b.parse().unwrap());
        diff.see(pooled[a].dot(&pooled[b]), want.as_f64().unwrap() as f32, || format!("cosine {pair}"));
    }
    eprintln!("{}: max abs difference from the reference {:.2e} at {}", enc.name(), diff.worst, diff.at);
    assert!(diff.worst <= TOLERANCE, "{}: {:.2e} at {}", enc.name(), diff.worst, diff.at);

    // The same sentences as one padded batch give the same states.
    let batched = enc.forward(&all_ids).unwrap();
    let worst = max_difference(&single, &batched);
    eprintln!("{}: batched vs alone max abs difference {worst:.2e}", enc.name());
    assert!(worst <= 1e-5, "{}: padding changed the states by {worst}", enc.name());
}

fn max_difference(a: &[Vec<Array2<f32>>], b: &[Vec<Array2<f32>>]) -> f32 {
    assert_eq!(a.len(), b.len());
    let mut worst = 0f32;
    for (x, y) in a.iter().zip(b) {
        assert_eq!(x.len(), y.len());
        for (p, q) in x.iter().zip(y) {
            assert_eq!(p.dim(), q.dim());
            worst = p.iter().zip(q).fold(worst, |w, (u, v)| w.max((u - v).abs()));
        }
    }
    worst
}

#[test]
fn minilm_matches_reference() {
    let enc = minilm();
    assert_eq!((enc.name(), enc.hidden_size(), enc.num_layers(), enc.max_tokens()), ("all-minilm-l6-v2", 384, 6, 256));
    if let Some(r) = reference("minilm-l6-reference.json") {
        check_against_reference(enc.as_ref(), &r);
    }
}

#[test]
fn mpnet_matches_reference() {
    let Some(enc) = installed("all-mpnet-base-v2") else { return };
    assert_eq!((enc.hidden_size(), enc.num_layers(), enc.max_tokens()), (768, 12, 384));
    if let Some(r) = reference("mpnet-base-reference.json") {
        check_against_reference(enc.as_ref(), &r);
    }
}

/// A sentence alone and beside a longer one (so it gets padded) gives the
/// same states, and the paraphrase is nearer than the unrelated sentence.
fn padding_invariance_and_meaning(enc: &dyn Encoder) {
    let texts = [
        "The minister rejected the criticism.",
        "The minister dismissed the criticism.",
        "Heavy rain is expected in the north on Tuesday, forecasters said, after a week of record heat.",
    ];
    let ids: Vec<Vec<u32>> = texts.iter().map(|t| enc.encode_text(t).unwrap().ids).collect();
    let alone: Vec<_> = ids.iter().map(|i| enc.forward(std::slice::from_ref(i)).unwrap().remove(0)).collect();
    let batched = enc.forward(&ids).unwrap();
    let worst = max_difference(&alone, &batched);
    assert!(worst <= 1e-5, "{}: padding changed the states by {worst}", enc.name());
    let v: Vec<_> = alone.iter().map(|s| mean_pooled(&s[enc.num_layers()])).collect();
    let (para, unrelated) = (v[0].dot(&v[1]), v[0].dot(&v[2]));
    assert!(para > 0.7 && unrelated < 0.3, "{}: paraphrase {para}, unrelated {unrelated}", enc.name());
}

#[test]
fn minilm_padding_invariance_and_meaning() {
    padding_invariance_and_meaning(minilm().as_ref());
}

#[test]
fn mpnet_padding_invariance_and_meaning() {
    if let Some(enc) = installed("all-mpnet-base-v2") {
        padding_invariance_and_meaning(enc.as_ref());
    }
}

#[test]
fn spans_map_chars_to_tokens_and_truncation_is_reported() {
    let enc = minilm();
    let short = enc.encode_text("Cruz came in third behind Walker.").unwrap();
    assert!(!short.truncated);
    let walker = short.span(26, 32).unwrap();
    assert!(walker.complete);
    let pieces: Vec<(usize, usize)> = walker.tokens.clone().map(|i| short.offsets[i]).collect();
    assert_eq!((pieces.first().unwrap().0, pieces.last().unwrap().1), (26, 32));
    assert_eq!(short.span(33, 40), None, "beyond the text");

    // 400 words: only the first max_tokens - 2 pieces are encoded.
    let words: Vec<String> = (0..400).map(|i| if i % 2 == 0 { "walker".into() } else { format!("w{i}") }).collect();
    let long = words.join(" ");
    let t = enc.encode_text(&long).unwrap();
    assert!(t.truncated);
    assert_eq!(t.ids.len(), enc.max_tokens());
    assert!(t.special[0] && t.special[t.ids.len() - 1]);
    assert_eq!(t.span(0, 6).map(|s| s.complete), Some(true));
    let tail = long.chars().count();
    assert_eq!(t.span(tail - 6, tail), None, "a target in the cut tail has no tokens");
    let encoded_end = t.offsets[t.ids.len() - 2].1;
    let straddling = t.span(encoded_end - 1, encoded_end + 5).unwrap();
    assert!(!straddling.complete, "a target cut in the middle is marked incomplete");
    enc.forward(std::slice::from_ref(&t.ids)).unwrap();
}

#[test]
fn char_offsets_count_chars_not_bytes() {
    let enc = minilm();
    let text = "“Müller” praised the bank.";
    let t = enc.encode_text(text).unwrap();
    let start = text.chars().position(|c| c == 'p').unwrap();
    let s = t.span(start, start + "praised".len()).unwrap();
    let word: String = text.chars().skip(t.offsets[s.tokens.start].0).take(7).collect();
    assert_eq!(word, "praised");
}

#[test]
fn bad_batches_are_errors_not_panics() {
    let enc = minilm();
    assert!(enc.forward(&[]).unwrap().is_empty());
    let e = enc.forward(&[vec![]]).unwrap_err().to_string();
    assert!(e.contains("empty"), "{e}");
    let e = enc.forward(&[vec![101; enc.max_tokens() + 1]]).unwrap_err().to_string();
    assert!(e.contains("maximum"), "{e}");
    let e = enc.forward(&[vec![101, 999_999, 102]]).unwrap_err().to_string();
    assert!(e.contains("vocabulary"), "{e}");
}

#[test]
fn unknown_and_damaged_encoders_fail_with_one_line() {
    let e = encoder::load("gpt-17").err().unwrap().to_string();
    assert!(e.contains("all-minilm-l6-v2") && !e.contains('\n'), "{e}");

    let known = store::known("all-minilm-l6-v2").unwrap();
    let dir = tempfile::tempdir().unwrap();
    let src = store::find(known).unwrap();
    let mut json = std::fs::read(src.join("tokenizer.json")).unwrap();
    json[100] ^= 1;
    std::fs::write(dir.path().join("tokenizer.json"), json).unwrap();
    let e = encoder::load_from(known, dir.path()).err().unwrap().to_string();
    assert!(e.contains("sha256") && e.contains("tokenizer.json") && !e.contains('\n'), "{e}");
}
