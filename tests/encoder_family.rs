//! The `encoder` feature family end to end, with the MiniLM encoder that
//! ships in the repository: train on the toy corpus, eval, predict, the
//! library front door, determinism, and a bundle that names another
//! encoder's weights.

mod common;

use std::path::PathBuf;
use std::sync::OnceLock;

use common::run;

fn scratch(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("stance-encfam-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    d
}

fn train_toy(out: &std::path::Path) -> common::Run {
    run(&[
        "train", "--format", "csv", "--train", "datasets/toy/train.csv", "--dev", "datasets/toy/test.csv",
        "--encoder", "all-minilm-l6-v2", "--encoder-scale", "1,4", "--out", out.to_str().unwrap(), "--quiet",
    ])
}

fn toy_encoder_model() -> &'static PathBuf {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let d = scratch("model");
        let r = train_toy(&d);
        assert_eq!(r.code, 0, "{}", r.stderr);
        d
    })
}

#[test]
fn the_bundle_names_its_encoder_and_keeps_the_block() {
    let meta: serde_json::Value = serde_json::from_slice(&std::fs::read(toy_encoder_model().join("bundle.json")).unwrap()).unwrap();
    let enc = &meta["features"]["encoder"];
    assert_eq!(enc["name"], "all-minilm-l6-v2");
    assert_eq!(enc["sha256"], "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db");
    assert_eq!(enc["layers"], serde_json::json!([3, 6]));
    let scale = enc["scale"].as_f64().unwrap();
    assert!(scale == 1.0 || scale == 4.0, "the scale is one of the grid's: {scale}");
    // 4 pooled vectors x 384 dimensions; weights for 3 classes.
    let dense = &meta["dense"];
    assert_eq!(dense["standardizer"]["mean"].as_array().unwrap().len(), 4 * 384);
    assert_eq!(dense["weights"].as_array().unwrap().len(), 4 * 384 * 3);
}

#[test]
fn training_twice_gives_the_same_bytes() {
    let again = scratch("again");
    let r = train_toy(&again);
    assert_eq!(r.code, 0, "{}", r.stderr);
    for f in ["bundle.json", "weights.bin", "tokenizer.json"] {
        assert!(std::fs::read(toy_encoder_model().join(f)).unwrap() == std::fs::read(again.join(f)).unwrap(), "{f} differs between two runs");
    }
    let _ = std::fs::remove_dir_all(&again);
}

#[test]
fn eval_and_predict_use_the_encoder_and_agree() {
    let model = toy_encoder_model().to_str().unwrap().to_string();
    let r = run(&["eval", "--model", &model, "--format", "csv", "--data", "datasets/toy/test.csv", "--json"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert!(v["accuracy"].as_f64().is_some() || v["n"].as_u64().is_some(), "{}", r.stdout);

    let r = run(&["predict", "--model", &model, "--format", "jsonl", "examples/harbour-dispute.txt"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let rows: Vec<serde_json::Value> = r.stdout.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    let mentions: Vec<&serde_json::Value> = rows.iter().filter(|r| r["type"] == "mention").collect();
    assert!(mentions.len() >= 5, "{}", r.stdout);
    for m in &mentions {
        let p = m["probabilities"].as_object().unwrap();
        let sum: f64 = p.values().map(|x| x.as_f64().unwrap()).sum();
        assert!((sum - 1.0).abs() < 1e-4, "{m}");
    }

    // The library's front door gives the same probabilities as predict for
    // the same sentence and span (one sentence alone in both).
    let text = "Critics accused Mayor Ines Kowalski of lying.";
    let lib = stance::Model::load(toy_encoder_model()).unwrap();
    let scores = lib.score(text, &[stance::text::Span::new(22, 35)]).unwrap();
    let actors = scratch("actors.csv");
    std::fs::write(&actors, "actor,alias\nInes Kowalski,Ines Kowalski\n").unwrap();
    let r = common::run_stdin(&["predict", "--model", &model, "--format", "jsonl", "--actors", actors.to_str().unwrap()], Some(text.as_bytes()));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let row: serde_json::Value = serde_json::from_str(r.stdout.lines().next().unwrap()).unwrap();
    for (i, label) in scores.labels.iter().enumerate() {
        let cli = row["probabilities"][label].as_f64().unwrap();
        assert!((cli - scores.probs[i]).abs() < 1e-5, "{label}: library {} vs predict {cli}", scores.probs[i]);
    }
    let _ = std::fs::remove_file(&actors);
}

#[test]
fn a_bundle_pinned_to_other_weights_is_refused() {
    let copy = scratch("tampered");
    std::fs::create_dir_all(&copy).unwrap();
    for f in ["bundle.json", "weights.bin", "tokenizer.json"] {
        std::fs::copy(toy_encoder_model().join(f), copy.join(f)).unwrap();
    }
    let meta = std::fs::read_to_string(copy.join("bundle.json")).unwrap();
    let tampered = meta.replace("53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db", &"0".repeat(64));
    assert_ne!(meta, tampered);
    std::fs::write(copy.join("bundle.json"), tampered).unwrap();
    let r = run(&["predict", "--model", copy.to_str().unwrap(), "examples/harbour-dispute.txt"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stdout.is_empty());
    assert!(r.stderr.contains("sha256") || r.stderr.contains("checksum"), "{}", r.stderr);
    let _ = std::fs::remove_dir_all(&copy);
}

#[test]
fn bad_encoder_options_are_clear_errors() {
    let out = scratch("bad");
    let o = out.to_str().unwrap();
    let base = ["train", "--format", "csv", "--train", "datasets/toy/train.csv", "--out", o, "--quiet"];
    let with = |extra: &[&str]| {
        let mut a: Vec<&str> = base.to_vec();
        a.extend_from_slice(extra);
        run(&a)
    };
    let r = with(&["--encoder", "bert-large"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    let r = with(&["--encoder", "all-minilm-l6-v2", "--encoder-layers", "3-9"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stderr.contains("layers 1 to 6"), "{}", r.stderr);
    let r = with(&["--encoder", "all-minilm-l6-v2", "--encoder-layers", "5-2"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    let r = with(&["--encoder", "all-minilm-l6-v2", "--encoder-scale", "1,2"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stderr.contains("--dev"), "{}", r.stderr);
    let r = with(&["--encoder-scale", "2"]);
    assert_eq!(r.code, 2, "--encoder-scale needs --encoder: {}", r.stderr);
    assert!(!out.exists(), "no model is written by a failed train");
}

#[test]
fn with_conjoined_targets_each_training_target_gets_its_own_block() {
    let d = scratch("conjoined");
    let r = run(&[
        "train", "--format", "csv", "--train", "datasets/toy/train.csv", "--dev", "datasets/toy/test.csv",
        "--encoder", "all-minilm-l6-v2", "--conjoin-target", "on", "--out", d.to_str().unwrap(), "--quiet",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let meta: serde_json::Value = serde_json::from_slice(&std::fs::read(d.join("bundle.json")).unwrap()).unwrap();
    // The training file's targets, lower-cased, sorted, once each.
    let mut want: Vec<String> = csv::Reader::from_path("datasets/toy/train.csv")
        .unwrap()
        .records()
        .map(|r| r.unwrap()[1].to_lowercase())
        .collect();
    want.sort();
    want.dedup();
    let got: Vec<String> = meta["dense"]["targets"].as_array().unwrap().iter().map(|t| t.as_str().unwrap().to_string()).collect();
    assert_eq!(got, want);
    assert_eq!(meta["dense"]["weights"].as_array().unwrap().len(), (1 + want.len()) * 4 * 384 * 3);
    // Without --encoder-scale, CSV takes NewsMTSC's scale.
    assert_eq!(meta["features"]["encoder"]["scale"], 4.0);
    // The model scores targets it knows and targets it does not.
    let r = run(&["eval", "--model", d.to_str().unwrap(), "--format", "csv", "--data", "datasets/toy/test.csv"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let r = run(&["predict", "--model", d.to_str().unwrap(), "examples/harbour-dispute.txt", "--format", "jsonl"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.lines().count() > 3, "{}", r.stdout);
    let _ = std::fs::remove_dir_all(&d);
}

#[test]
fn predict_gives_the_same_bytes_on_one_thread_and_on_several() {
    // Sentences of many lengths, so that the encoder cuts several batches
    // and runs them side by side on the threads of the pool.
    let model = toy_encoder_model().to_str().unwrap().to_string();
    let mut text = String::new();
    for i in 0..40 {
        let tail = " and the harbour board".repeat(i % 9);
        text.push_str(&format!("Mayor Ines Kowalski praised the union{tail} on day {i}.\n"));
    }
    let rows = |threads: &str| {
        let r = common::run_stdin(&["predict", "--model", &model, "--format", "jsonl", "--threads", threads], Some(text.as_bytes()));
        assert_eq!(r.code, 0, "{}", r.stderr);
        r.stdout
    };
    let one = rows("1");
    assert!(one.lines().count() >= 40, "{one}");
    assert_eq!(one, rows("2"));
    assert_eq!(one, rows("4"));
}

#[test]
fn tweeteval_takes_its_own_encoder_scale_by_default() {
    // A tiny TweetEval-shaped corpus: <topic>/train_{text,labels}.txt and
    // mapping.txt one folder up.
    let d = scratch("tweeteval");
    let topic = d.join("corpus/abortion");
    std::fs::create_dir_all(&topic).unwrap();
    std::fs::write(d.join("corpus/mapping.txt"), "0\tnone\n1\tagainst\n2\tfavor\n").unwrap();
    let tweets = [
        ("Every life is precious, protect the unborn", 1), ("My body, my choice, always", 2), ("Lunch was great today", 0),
        ("Abortion is murder and must end", 1), ("Women deserve safe and legal care", 2), ("Watching the game tonight", 0),
    ];
    let text: String = tweets.iter().map(|(t, _)| format!("{t}\n")).collect();
    let labels: String = tweets.iter().map(|(_, l)| format!("{l}\n")).collect();
    std::fs::write(topic.join("train_text.txt"), text).unwrap();
    std::fs::write(topic.join("train_labels.txt"), labels).unwrap();
    let model = d.join("m");
    let train = topic.join("train_text.txt");
    let r = run(&["train", "--format", "tweeteval", "--train", train.to_str().unwrap(), "--encoder", "all-minilm-l6-v2", "--out", model.to_str().unwrap(), "--quiet"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let meta: serde_json::Value = serde_json::from_slice(&std::fs::read(model.join("bundle.json")).unwrap()).unwrap();
    // Format::training_defaults: 0.5 for TweetEval, chosen on its val split.
    assert_eq!(meta["features"]["encoder"]["scale"], 0.5);
    // A scale given on the command line still wins.
    let r = run(&["train", "--format", "tweeteval", "--train", train.to_str().unwrap(), "--encoder", "all-minilm-l6-v2", "--encoder-scale", "2", "--out", model.to_str().unwrap(), "--quiet"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let meta: serde_json::Value = serde_json::from_slice(&std::fs::read(model.join("bundle.json")).unwrap()).unwrap();
    assert_eq!(meta["features"]["encoder"]["scale"], 2.0);
    let _ = std::fs::remove_dir_all(&d);
}
