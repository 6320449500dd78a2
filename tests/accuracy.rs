//! Accuracy regression on the public corpora, when `../shared/datasets`
//! is there (it is in CI): train on NewsMTSC train (dev-mt for selection),
//! then check the bars on test-mt and dev-rw, and actor finding on dev-mt;
//! train on TweetEval stance with the README's commands and check test F_avg
//! and the cross-validation F_avg. Without the corpora they are skipped,
//! or fail when `STANCE_REQUIRE_DATASETS=1` (as in `.ci/run`).

mod common;
use common::*;

use stance::actors::{auto::AutoFinder, measure};
use stance::corpus::{self, Format, ReadOptions};

fn macro_f1(model: &str, data: &str) -> f64 {
    let r = run(&["eval", "--model", model, "--format", "newsmtsc", "--data", data, "--json"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v: serde_json::Value = serde_json::from_str(r.stdout.trim()).unwrap();
    v["macro_f1"].as_f64().unwrap()
}

#[test]
fn newsmtsc_bars() {
    let Some(d) = shared_datasets() else { return };
    let n = d.join("newsmtsc");
    let out = tempfile::tempdir().unwrap();
    let m = out.path().join("m");
    // On one thread: the shipped model was trained on two, and must come
    // out the same byte for byte whatever the thread count.
    let r = run_env(
        &[
            "train", "--format", "newsmtsc",
            "--train", n.join("train.jsonl").to_str().unwrap(),
            "--dev", n.join("dev-mt.jsonl").to_str().unwrap(),
            "--out", m.to_str().unwrap(), "--quiet",
        ],
        None,
        &[("RAYON_NUM_THREADS", "1")],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    for f in ["weights.bin", "tokenizer.json"] {
        assert!(
            std::fs::read(m.join(f)).unwrap() == std::fs::read(root().join("models/newsmtsc").join(f)).unwrap(),
            "{f} of a one-thread training run differs from the shipped model's"
        );
    }
    let m = m.to_str().unwrap();
    let test_mt = macro_f1(m, n.join("test-mt.jsonl").to_str().unwrap());
    let dev_rw = macro_f1(m, n.join("dev-rw.jsonl").to_str().unwrap());
    eprintln!("NewsMTSC test-mt macro-F1 {test_mt:.4}, dev-rw {dev_rw:.4}");
    // scikit-learn's best linear peer: 0.600 and 0.683.
    assert!(test_mt >= 0.62, "test-mt macro-F1 {test_mt}");
    assert!(dev_rw >= 0.69, "dev-rw macro-F1 {dev_rw}");
    // The shipped model is this same training run.
    let shipped = macro_f1(root().join("models/newsmtsc").to_str().unwrap(), n.join("test-mt.jsonl").to_str().unwrap());
    assert!((shipped - test_mt).abs() < 1e-9, "shipped model {shipped} differs from a fresh training run {test_mt}");
}

/// The bars of issue 13 for a shipped encoder model, measured on splits its
/// training never saw (test-mt; dev-rw was used by no selection either).
fn encoder_model_bars(model: &str, test_mt_bar: f64, dev_rw_bar: f64) {
    let Some(d) = shared_datasets() else { return };
    let n = d.join("newsmtsc");
    let m = root().join("models").join(model);
    let r = run(&["eval", "--model", m.to_str().unwrap(), "--format", "newsmtsc", "--data", n.join("dev-rw.jsonl").to_str().unwrap(), "--json"]);
    if r.code != 0 && r.stderr.contains("fetch-encoder.sh") && std::env::var("STANCE_REQUIRE_ENCODERS").as_deref() != Ok("1") {
        eprintln!("skipped: {model} needs its encoder ({})", r.stderr.trim());
        return;
    }
    let m = m.to_str().unwrap();
    let dev_rw = macro_f1(m, n.join("dev-rw.jsonl").to_str().unwrap());
    let test_mt = macro_f1(m, n.join("test-mt.jsonl").to_str().unwrap());
    eprintln!("{model}: NewsMTSC test-mt macro-F1 {test_mt:.4}, dev-rw {dev_rw:.4}");
    assert!(test_mt >= test_mt_bar, "{model}: test-mt macro-F1 {test_mt} < {test_mt_bar}");
    assert!(dev_rw >= dev_rw_bar, "{model}: dev-rw macro-F1 {dev_rw} < {dev_rw_bar}");
}

#[test]
fn newsmtsc_minilm_model_bars() {
    encoder_model_bars("newsmtsc-minilm", 0.69, 0.75);
}

#[test]
fn newsmtsc_mpnet_model_bars() {
    encoder_model_bars("newsmtsc-mpnet", 0.75, 0.80);
}

/// One split's text files of the five TweetEval stance targets.
fn tweeteval_split(d: &std::path::Path, name: &str) -> Vec<String> {
    ["abortion", "atheism", "climate", "feminist", "hillary"]
        .iter()
        .map(|t| d.join("tweeteval/stance").join(t).join(format!("{name}_text.txt")).to_str().unwrap().to_string())
        .collect()
}

/// `stance train` on TweetEval train with val as dev, plus `options`.
fn train_tweeteval(d: &std::path::Path, options: &[&str]) {
    let mut args: Vec<String> = ["train", "--format", "tweeteval", "--train"].iter().map(|s| s.to_string()).collect();
    args.extend(tweeteval_split(d, "train"));
    args.push("--dev".into());
    args.extend(tweeteval_split(d, "val"));
    args.extend(options.iter().map(|s| s.to_string()));
    let r = run(&args.iter().map(|s| s.as_str()).collect::<Vec<_>>());
    assert_eq!(r.code, 0, "{}", r.stderr);
}

#[test]
fn tweeteval_stance_above_the_best_semeval_team() {
    let Some(d) = shared_datasets() else { return };
    let out = tempfile::tempdir().unwrap();
    let m = out.path().join("m");
    // The README's command: --l2 and the feature options chosen on val,
    // then refitted on train + val.
    train_tweeteval(&d, &["--l2", "0.01,0.03,0.1", "--word-ngrams", "3", "--min-count", "1", "--refit", "--quiet", "--out", m.to_str().unwrap()]);
    let mut eval: Vec<String> = ["eval", "--model", m.to_str().unwrap(), "--format", "tweeteval", "--json", "--data"].iter().map(|s| s.to_string()).collect();
    eval.extend(tweeteval_split(&d, "test"));
    let r = run(&eval.iter().map(|s| s.as_str()).collect::<Vec<_>>());
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v: serde_json::Value = serde_json::from_str(r.stdout.trim()).unwrap();
    let f_avg = v["f_avg"].as_f64().unwrap();
    eprintln!("TweetEval stance test F_avg {f_avg:.4}");
    // Majority per target 0.652; best SemEval-2016 team 0.678; the
    // per-target scikit-learn peer 0.690 (not reached: see the README).
    assert!(f_avg >= 0.678, "TweetEval test F_avg {f_avg}");
}

#[test]
fn tweeteval_plain_command_uses_the_formats_defaults() {
    let Some(d) = shared_datasets() else { return };
    let out = tempfile::tempdir().unwrap();
    let m = out.path().join("m");
    // No tuning flags: TweetEval's own defaults (Format::training_defaults).
    train_tweeteval(&d, &["--quiet", "--out", m.to_str().unwrap()]);
    let meta: serde_json::Value = serde_json::from_slice(&std::fs::read(m.join("bundle.json")).unwrap()).unwrap();
    assert_eq!(meta["training"]["min_count"], 1, "{}", meta["training"]);
    let mut eval: Vec<String> = ["eval", "--model", m.to_str().unwrap(), "--format", "tweeteval", "--json", "--data"].iter().map(|s| s.to_string()).collect();
    eval.extend(tweeteval_split(&d, "test"));
    let r = run(&eval.iter().map(|s| s.as_str()).collect::<Vec<_>>());
    assert_eq!(r.code, 0, "{}", r.stderr);
    let f_avg = serde_json::from_str::<serde_json::Value>(r.stdout.trim()).unwrap()["f_avg"].as_f64().unwrap();
    eprintln!("TweetEval plain command: test F_avg {f_avg:.4}");
    // 0.647 with NewsMTSC's settings (--min-count 2, --l2 1); 0.668 with these.
    assert!(f_avg >= 0.66, "TweetEval test F_avg {f_avg}");
}

#[test]
fn tweeteval_cross_validation_stays_above_the_peer_on_the_same_folds() {
    let Some(d) = shared_datasets() else { return };
    let out = tempfile::tempdir().unwrap();
    let (m, oof) = (out.path().join("m"), out.path().join("oof.csv"));
    // The README's cross-validation command (seed 0).
    train_tweeteval(&d, &["--l2", "0.03", "--word-ngrams", "3", "--min-count", "1", "--cv", "5", "--seed", "0", "--predictions", oof.to_str().unwrap(), "--quiet", "--out", m.to_str().unwrap()]);
    let meta: serde_json::Value = serde_json::from_slice(&std::fs::read(m.join("bundle.json")).unwrap()).unwrap();
    let f_avg = meta["training"]["dev"]["f_avg"].as_f64().unwrap();
    assert_eq!(meta["training"]["dev"]["n"], 2914);
    assert_eq!(std::fs::read_to_string(&oof).unwrap().lines().count(), 2915, "a header and a row per tweet");
    eprintln!("TweetEval 5-fold cross-validation F_avg {f_avg:.4}");
    // `python3 benches/cv_peer.py oof.csv` puts the peers.py peer at 0.668
    // on these folds and stance at 0.686, paired 95% +0.005 to +0.031.
    assert!(f_avg >= 0.680, "TweetEval cross-validation F_avg {f_avg}");
}

#[test]
fn actor_finding_recall_on_dev_mt() {
    let Some(d) = shared_datasets() else { return };
    let path = d.join("newsmtsc/dev-mt.jsonl");
    let examples = corpus::read_all(Format::Newsmtsc, &[&path], ReadOptions::default()).unwrap();
    let ids = corpus::newsmtsc::ids(&path).unwrap();
    let s = measure::measure(&AutoFinder::new(), &measure::newsmtsc_articles(&examples, &ids));
    eprintln!("{s:?}");
    assert!(s.recall_overlap >= 0.85, "{s:?}");
}

#[test]
fn seed_article_names_the_main_actors() {
    let seed = root().join("../shared/seed/venezuela-article.txt");
    if !seed.is_file() {
        eprintln!("skipped: seed article not present");
        return;
    }
    let r = run(&["predict", "--format", "jsonl", seed.to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let rows: Vec<serde_json::Value> = r.stdout.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    let ms: Vec<&serde_json::Value> = rows.iter().filter(|v| v["type"] == "mention").collect();
    let sentences_of = |actor: &str| -> std::collections::BTreeSet<u64> {
        ms.iter().filter(|m| m["actor"] == actor).map(|m| m["sentence_index"].as_u64().unwrap()).collect()
    };
    let text = std::fs::read_to_string(&seed).unwrap();
    let n_naming = |words: &[&str]| {
        let sents = stance::sentences::SentenceSplitter::split(&stance::sentences::NewsSplitter, &text);
        sents.iter().filter(|s| words.iter().any(|w| text[s.byte_start..s.byte_end].contains(w))).count()
    };
    for (actor, words) in [
        ("Juan Guaido", &["Guaido"][..]),
        ("Nicolas Maduro", &["Maduro"][..]),
        ("United States", &["United States", "US ", "Washington"][..]),
    ] {
        let got = sentences_of(actor).len();
        let want = n_naming(words);
        assert!(got * 2 > want, "{actor}: rows on {got} of {want} sentences naming it");
    }
    for m in &ms {
        let p: f64 = m["probabilities"].as_object().unwrap().values().map(|v| v.as_f64().unwrap()).sum();
        assert!((p - 1.0).abs() < 1e-5);
        assert!((-1.0..=1.0).contains(&m["score"].as_f64().unwrap()));
    }
}

/// This test binary run again on the one test `newsmtsc_bars`, with the
/// corpora looked for in an empty folder.
fn accuracy_test_without_datasets(required: bool) -> std::process::Output {
    let empty = tempfile::tempdir().unwrap();
    let mut cmd = std::process::Command::new(std::env::current_exe().unwrap());
    cmd.args(["newsmtsc_bars", "--exact", "--nocapture"]).env(DATASETS, empty.path());
    if required {
        cmd.env(REQUIRE_DATASETS, "1");
    } else {
        cmd.env_remove(REQUIRE_DATASETS);
    }
    cmd.output().unwrap()
}

#[test]
fn missing_datasets_fail_when_required_and_show_as_skipped_otherwise() {
    let out = accuracy_test_without_datasets(true);
    let err = String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "passed without datasets: {err}");
    assert!(err.contains("STANCE_REQUIRE_DATASETS=1 but") && err.contains("newsmtsc/train.jsonl"), "{err}");
    let out = accuracy_test_without_datasets(false);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    assert!(err.contains("skipped:") && err.contains("not present"), "{err}");
}

#[test]
fn the_dataset_decision() {
    let bogus = std::path::Path::new("/nonexistent/stance-datasets");
    assert!(datasets_at(bogus, true).unwrap_err().contains("STANCE_REQUIRE_DATASETS=1"));
    assert_eq!(datasets_at(bogus, false), Ok(None));
}

/// Issue 14's bars, each sentence on its own: recall of target mentions
/// (overlap) at least 0.88 on dev-mt and 0.85 on dev-rw.
#[test]
fn actor_finding_recall_of_sentences_alone() {
    let Some(d) = shared_datasets() else { return };
    for (file, bar) in [("dev-mt.jsonl", 0.88), ("dev-rw.jsonl", 0.85)] {
        let path = d.join("newsmtsc").join(file);
        let examples = corpus::read_all(Format::Newsmtsc, &[&path], ReadOptions::default()).unwrap();
        let s = measure::measure(&AutoFinder::new(), &measure::alone(&examples));
        eprintln!("{file}: {s:?}");
        assert!(s.recall_overlap >= bar, "{file}: {s:?}");
        assert!((s.found as f64) < 2.9 * s.gold as f64, "{file}: {s:?}");
    }
}

/// Issue 14: corpus-wide grouping applies the per-article rule, so on
/// every NewsMTSC train article (sentences regrouped) the actors `predict`
/// gives the article alone are kept by grouping them again as a corpus,
/// and a corpus of the article twice gives them both times.
#[test]
fn grouping_an_article_as_a_corpus_keeps_its_actors() {
    use stance::actors::corpus::Registry;
    let Some(d) = shared_datasets() else { return };
    let path = d.join("newsmtsc").join("train.jsonl");
    let examples = corpus::read_all(Format::Newsmtsc, &[&path], ReadOptions::default()).unwrap();
    let ids = corpus::newsmtsc::ids(&path).unwrap();
    let articles = measure::newsmtsc_articles(&examples, &ids);
    assert!(articles.len() > 1000);
    let finder = AutoFinder::new();
    let mut changed = Vec::new();
    for art in &articles {
        let sents: Vec<&str> = art.iter().map(|e| e.text.as_str()).collect();
        let (alone, alone_ids) = stance::actors::find_article(&finder, &sents);
        let mut r = Registry::default();
        r.add(&alone.actors);
        r.add(&alone.actors);
        let groups = r.finish();
        let mut twice = alone.clone();
        let twice_ids = groups.apply(&mut twice);
        if twice != alone || twice_ids != alone_ids {
            changed.push((alone.actors.clone(), twice.actors.clone()));
        }
    }
    assert!(changed.is_empty(), "{} of {} articles regrouped, e.g. {:?}", changed.len(), articles.len(), &changed[..changed.len().min(3)]);
}
