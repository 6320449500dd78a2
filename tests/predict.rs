//! `stance predict` with the shipped model: every output format, standard
//! input, thread-count independence, and agreement with `eval`.

mod common;
use common::*;

use stance::actors::{list::ListFinder, ActorKind};
use stance::bundle::Bundle;
use stance::corpus::{self, Format, ReadOptions};
use stance::pipeline::{Featurizer, Scorer};
use stance::article::Article;
use stance::predict::Predictor;

const ARTICLE: &str = "examples/harbour-dispute.txt";

fn mentions(jsonl: &str) -> Vec<serde_json::Value> {
    jsonl.lines().map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap()).filter(|v| v["type"] == "mention").collect()
}

#[test]
fn jsonl_rows_are_complete_and_probabilities_sum_to_one() {
    let r = run(&["predict", "--format", "jsonl", ARTICLE]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let rows: Vec<serde_json::Value> = r.stdout.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    let ms: Vec<&serde_json::Value> = rows.iter().filter(|v| v["type"] == "mention").collect();
    assert!(ms.len() >= 15, "{}", ms.len());
    for m in &ms {
        for k in ["doc", "sentence_index", "sentence", "actor", "mention", "start", "end", "label", "probabilities", "score"] {
            assert!(m.get(k).is_some(), "missing {k} in {m}");
        }
        let p: f64 = m["probabilities"].as_object().unwrap().values().map(|v| v.as_f64().unwrap()).sum();
        assert!((p - 1.0).abs() < 1e-5, "{p}");
        let s = m["score"].as_f64().unwrap();
        assert!((-1.0..=1.0).contains(&s));
        // Offsets point at the mention inside its sentence.
        let sent: Vec<char> = m["sentence"].as_str().unwrap().chars().collect();
        let (a, b) = (m["start"].as_u64().unwrap() as usize, m["end"].as_u64().unwrap() as usize);
        assert_eq!(sent[a..b].iter().collect::<String>(), m["mention"].as_str().unwrap());
    }
    // One actor, several surface forms, one canonical name.
    let kowalski: Vec<&str> = ms.iter().filter(|m| m["actor"] == "Ines Kowalski").map(|m| m["mention"].as_str().unwrap()).collect();
    assert!(kowalski.contains(&"Kowalski") && kowalski.contains(&"Ines Kowalski"), "{kowalski:?}");
    let vos: Vec<&serde_json::Value> = ms.iter().filter(|m| m["actor"] == "Piet Vos").copied().collect();
    assert!(vos.len() >= 3);
    let summaries: Vec<&serde_json::Value> = rows.iter().filter(|v| v["type"] == "summary").collect();
    let s = summaries.iter().find(|s| s["actor"] == "Ines Kowalski").unwrap();
    assert_eq!(s["mentions"].as_u64().unwrap() as usize, kowalski.len());
}

#[test]
fn csv_input_gives_the_same_rows_as_jsonl_input() {
    let d = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(ARTICLE).unwrap();
    let second = "Mayor Ines Kowalski praised the dock workers.\nShe thanked them, \"warmly\", for their patience.";
    let jsonl = d.path().join("a.jsonl");
    let jl = [serde_json::json!({"id": "harbour", "text": text}), serde_json::json!({"id": "short", "text": second})];
    std::fs::write(&jsonl, jl.iter().map(|v| v.to_string() + "\n").collect::<String>()).unwrap();
    // Excel's byte-order mark, extra columns, quoted newlines and quotes.
    let csv_path = d.path().join("a.csv");
    let mut w = csv::Writer::from_writer(vec![0xEF, 0xBB, 0xBF]);
    w.write_record(["source", "id", "text"]).unwrap();
    w.write_record(["x", "harbour", text.as_str()]).unwrap();
    w.write_record(["y", "short", second]).unwrap();
    std::fs::write(&csv_path, w.into_inner().unwrap()).unwrap();
    let j = run(&["predict", "--format", "jsonl", "--input", "jsonl", jsonl.to_str().unwrap()]);
    let c = run(&["predict", "--format", "jsonl", "--input", "csv", csv_path.to_str().unwrap()]);
    assert_eq!(c.code, 0, "{}", c.stderr);
    assert!(mentions(&c.stdout).iter().any(|m| m["doc"] == "short"), "{}", c.stdout);
    assert_eq!(c.stdout, j.stdout);
    // Without an id column, a row is named by file and line; standard input works too.
    let plain = b"text\n\"Critics accused Anna Berg of fraud.\"\nAnna Berg denied it.\n";
    let r = run_stdin(&["predict", "--format", "jsonl", "--input", "csv"], Some(plain));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let docs: std::collections::BTreeSet<String> = mentions(&r.stdout).iter().map(|m| m["doc"].as_str().unwrap().to_string()).collect();
    assert_eq!(docs.into_iter().collect::<Vec<_>>(), ["<stdin>:2", "<stdin>:3"]);
}

#[test]
fn csv_and_table_carry_the_same_mentions() {
    let j = run(&["predict", "--format", "jsonl", ARTICLE]);
    let c = run(&["predict", "--format", "csv", ARTICLE]);
    assert_eq!(c.code, 0, "{}", c.stderr);
    let mut rdr = csv::Reader::from_reader(c.stdout.as_bytes());
    let header = rdr.headers().unwrap().clone();
    assert!(header.iter().any(|h| h == "p_positive"));
    let rows: Vec<csv::StringRecord> = rdr.records().map(|r| r.unwrap()).collect();
    assert_eq!(rows.len(), mentions(&j.stdout).len());
    let t = run(&["predict", "--format", "table", ARTICLE]);
    assert_eq!(t.code, 0);
    assert!(t.stdout.contains("Summary") && t.stdout.contains("Ines Kowalski"), "{}", t.stdout);
}

#[test]
fn standard_input_and_thread_counts_give_the_same_rows() {
    let text = std::fs::read(root().join(ARTICLE)).unwrap();
    let file = run(&["predict", "--format", "jsonl", ARTICLE]);
    let stdin = run_stdin(&["predict", "--format", "jsonl"], Some(&text));
    assert_eq!(stdin.code, 0, "{}", stdin.stderr);
    let strip = |s: &str| s.replace(&format!("\"doc\":\"{ARTICLE}\""), "").replace("\"doc\":\"<stdin>\"", "");
    assert_eq!(strip(&file.stdout), strip(&stdin.stdout));
    // Many articles through JSON Lines: one thread and four give identical bytes.
    let body = String::from_utf8(text).unwrap();
    let mut input = String::new();
    for i in 0..40 {
        let t = body.replace("Kowalski", if i % 2 == 0 { "Kowalski" } else { "Novak" });
        input.push_str(&serde_json::json!({"id": format!("a{i}"), "text": t}).to_string());
        input.push('\n');
    }
    let one = run_stdin(&["predict", "--input", "jsonl", "--format", "jsonl", "--threads", "1"], Some(input.as_bytes()));
    let four = run_stdin(&["predict", "--input", "jsonl", "--format", "jsonl", "--threads", "4"], Some(input.as_bytes()));
    assert_eq!(one.code, 0, "{}", one.stderr);
    assert_eq!(one.stdout, four.stdout);
    assert!(one.stdout.contains("\"doc\":\"a39\""));
}

#[test]
fn explain_lists_features_with_weights() {
    let r = run(&["predict", "--format", "jsonl", "--explain", "--explain-top", "3", ARTICLE]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    for m in mentions(&r.stdout) {
        let e = m["explain"].as_array().expect("explain array");
        assert_eq!(e.len(), 3);
        assert!(e.iter().all(|f| f["feature"].as_str().is_some_and(|s| !s.is_empty() && s != "?")), "{e:?}");
    }
}

#[test]
fn actors_file_names_the_actors() {
    let d = tempfile::tempdir().unwrap();
    let a = d.path().join("actors.csv");
    std::fs::write(&a, "actor,alias\nPiet Vos,Vos\nPiet Vos,the minister\nHarbour,the old harbour\n").unwrap();
    let r = run(&["predict", "--format", "jsonl", "--only-listed", "--actors", a.to_str().unwrap(), ARTICLE]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let ms = mentions(&r.stdout);
    let actors: std::collections::BTreeSet<&str> = ms.iter().map(|m| m["actor"].as_str().unwrap()).collect();
    assert_eq!(actors.into_iter().collect::<Vec<_>>(), vec!["Harbour", "Piet Vos"]);
    // Without --only-listed the listed actors come on top of those found automatically.
    let auto = run(&["predict", "--format", "jsonl", ARTICLE]);
    let both = run(&["predict", "--format", "jsonl", "--actors", a.to_str().unwrap(), ARTICLE]);
    let names = |out: &str| -> std::collections::BTreeSet<String> { mentions(out).iter().map(|m| m["actor"].as_str().unwrap().to_string()).collect() };
    let (auto, both) = (names(&auto.stdout), names(&both.stdout));
    assert!(both.contains("Harbour") && both.contains("Piet Vos"), "{both:?}");
    assert!(auto.iter().filter(|n| n.as_str() != "Piet Vos").all(|n| both.contains(n)), "{auto:?} vs {both:?}");
    assert!(both.len() > 2);
}

/// `predict` and `eval` score the same sentence with the same spans alike.
#[test]
fn predict_and_eval_give_the_same_probabilities() {
    let bundle = Bundle::load(&root().join("models/newsmtsc")).unwrap();
    let d = tempfile::tempdir().unwrap();
    let f = d.path().join("one.jsonl");
    let sentence = "Mayor Ines Kowalski praised the workers, while Piet Vos attacked the plan.";
    std::fs::write(&f, format!(r#"{{"sentence_normalized": "{sentence}", "targets": [{{"from": 6, "to": 19, "mention": "Ines Kowalski", "polarity": 6.0}}, {{"from": 47, "to": 55, "mention": "Piet Vos", "polarity": 2.0}}]}}"#)).unwrap();
    let ex = corpus::read_all(Format::Newsmtsc, &[&f], ReadOptions::default()).unwrap();
    let mut scorer = Scorer::for_bundle(&bundle);
    let via_eval = stance::evaluate::score_example(&mut scorer, &ex[0]);
    let mut fz = Featurizer::new(&bundle.meta.features, &bundle.tokenizer);
    // And the path training uses (sparse row, then the weights) agrees to rounding.
    let (mut c, mut v) = (Vec::new(), Vec::new());
    let plain: Vec<Vec<f64>> = fz
        .example(&ex[0])
        .iter()
        .map(|feats| {
            bundle.model.row(feats, &mut c, &mut v);
            bundle.model.predict_row(&c, &v)
        })
        .collect();
    for (a, b) in plain.iter().zip(&via_eval) {
        for (x, y) in a.iter().zip(b) {
            assert!((x - y).abs() < 1e-5, "{a:?} vs {b:?}");
        }
    }

    let finder = ListFinder::new(vec![
        ("Ines Kowalski".into(), String::new(), ActorKind::Person),
        ("Piet Vos".into(), String::new(), ActorKind::Person),
    ]);
    let p = Predictor::new(&bundle, &finder, 0);
    let scored = p.score(&Article { doc: "x".into(), text: sentence.into(), ..Default::default() }, &mut p.scorer()).unwrap();
    let via_predict: Vec<Vec<f64>> = scored.mentions.iter().map(|m| m.probs.clone()).collect();
    assert_eq!(via_predict.len(), 2);
    for (a, b) in via_eval.iter().zip(&via_predict) {
        for (x, y) in a.iter().zip(b) {
            assert!((x - y).abs() < 1e-12, "{a:?} vs {b:?}");
        }
    }
}

/// The per-word character sums leave out exactly the masked occurrences:
/// the same word unmasked elsewhere still counts, and unknown words (cached
/// by their text rather than a vocabulary id) score as on the plain path.
#[test]
fn fast_scoring_matches_the_plain_path_with_repeated_words() {
    use stance::pipeline::TargetSpans;
    use stance::text::Span;
    let bundle = Bundle::load(&root().join("models/newsmtsc")).unwrap();
    let mut scorer = Scorer::for_bundle(&bundle);
    let cases = [
        ("Maduro said Maduro would never resign, Kowalski said.", vec![Span::new(0, 6)]),
        ("Maduro said Maduro would never resign, Kowalski said.", vec![Span::new(0, 6), Span::new(12, 18)]),
        ("Kowalski praised Kowalski's own plan.", vec![Span::new(0, 8)]),
        ("Mayor Ines Kowalski won.", vec![Span::new(6, 19)]),
        ("Qzxvbn met Qzxvbn and Wqpfhg, Qzxvbn said.", vec![Span::new(0, 6)]),
        ("Qzxvbn met Qzxvbn and Wqpfhg, Qzxvbn said.", vec![Span::new(22, 28)]),
    ];
    let (mut feats, mut c, mut v) = (Vec::new(), Vec::new(), Vec::new());
    for (text, spans) in cases {
        let targets = [TargetSpans { name: "x", spans }];
        scorer.set_text(text);
        let fast = scorer.score(text, &targets, 0, &mut feats);
        scorer.featurizer().features(text, &targets, 0, &mut feats);
        bundle.model.row(&feats, &mut c, &mut v);
        let plain = bundle.model.predict_row(&c, &v);
        for (a, b) in fast.iter().zip(&plain) {
            assert!((a - b).abs() < 1e-5, "{text}: {fast:?} vs {plain:?}");
        }
    }
}
