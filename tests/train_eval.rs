//! End to end: train on the toy corpus, evaluate, and check determinism
//! and the bundle's integrity checks.

mod common;
use common::*;

use std::fs;

#[test]
fn train_then_eval_on_the_toy_corpus() {
    let model = toy_model();
    let r = run(&["eval", "--model", model.to_str().unwrap(), "--format", "csv", "--data", "datasets/toy/test.csv", "--json"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v: serde_json::Value = serde_json::from_str(r.stdout.trim()).unwrap();
    assert_eq!(v["n"], 12);
    for k in ["accuracy", "macro_f1", "per_class", "confusion"] {
        assert!(v.get(k).is_some(), "{k}");
    }
    assert!(v.get("f_avg").is_none(), "sentiment labels have no F_avg");
    // Majority class scores 1/3 here; the cue words make the toy test easy.
    assert!(v["accuracy"].as_f64().unwrap() >= 0.75, "{v}");
    let text = run(&["eval", "--model", model.to_str().unwrap(), "--format", "csv", "--data", "datasets/toy/test.csv"]);
    assert!(text.stdout.contains("confusion (rows: true, columns: predicted)"), "{}", text.stdout);
}

#[test]
fn eval_bootstrap_gives_intervals_around_the_figures() {
    // A model that errs on the toy test, so the intervals have a width.
    let model = weak_toy_model();
    let args = ["eval", "--model", model.to_str().unwrap(), "--format", "csv", "--data", "datasets/toy/test.csv", "--bootstrap", "300", "--json"];
    let r = run(&args);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v: serde_json::Value = serde_json::from_str(r.stdout.trim()).unwrap();
    let ci = &v["ci95"];
    assert_eq!(ci["resamples"], 300);
    for k in ["accuracy", "macro_f1"] {
        let (lo, hi) = (ci[k][0].as_f64().unwrap(), ci[k][1].as_f64().unwrap());
        let point = v[k].as_f64().unwrap();
        assert!(lo <= point && point <= hi && lo < hi, "{k}: {lo} {point} {hi}");
    }
    assert_eq!(run(&args).stdout, r.stdout, "seeded: the same intervals every run");
    let mut text_args = args.to_vec();
    text_args.pop();
    let t = run(&text_args);
    assert!(t.stdout.contains("95% bootstrap intervals (300 resamples): accuracy "), "{}", t.stdout);
    assert_eq!(run(&["eval", "--model", model.to_str().unwrap(), "--format", "csv", "--data", "datasets/toy/test.csv", "--bootstrap", "5"]).code, 2);
}

#[test]
fn training_is_deterministic_byte_for_byte() {
    let d = tempfile::tempdir().unwrap();
    let train = |name: &str, seed: &str| {
        let out = d.path().join(name);
        let r = run(&["train", "--format", "csv", "--train", "datasets/toy/train.csv", "--dev", "datasets/toy/test.csv", "--l2", "0.3,1", "--out", out.to_str().unwrap(), "--seed", seed, "--quiet"]);
        assert_eq!(r.code, 0, "{}", r.stderr);
        out
    };
    let (a, b, c) = (train("a", "7"), train("b", "7"), train("c", "8"));
    for f in ["bundle.json", "weights.bin", "tokenizer.json"] {
        assert_eq!(fs::read(a.join(f)).unwrap(), fs::read(b.join(f)).unwrap(), "{f} differs between identical runs");
    }
    assert_ne!(fs::read(a.join("weights.bin")).unwrap(), fs::read(c.join("weights.bin")).unwrap(), "the seed must matter");
}

#[test]
fn stance_labels_get_f_avg() {
    let d = tempfile::tempdir().unwrap();
    let csv = d.path().join("s.csv");
    fs::write(
        &csv,
        "text,target,label\nI love this plan,climate,favor\nThis plan is terrible,climate,against\nThe plan was announced,climate,none\nWe love clean air,climate,favor\nClean air is a hoax,climate,against\nThe meeting is on Monday,climate,none\n",
    )
    .unwrap();
    let m = d.path().join("m");
    let r = run(&["train", "--format", "csv", "--train", csv.to_str().unwrap(), "--out", m.to_str().unwrap(), "--quiet"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let r = run(&["eval", "--model", m.to_str().unwrap(), "--format", "csv", "--data", csv.to_str().unwrap(), "--json"]);
    let v: serde_json::Value = serde_json::from_str(r.stdout.trim()).unwrap();
    // Models with other labels cannot be compared item by item.
    let toy = toy_model();
    let r2 = run(&["eval", "--model", m.to_str().unwrap(), "--compare", toy.to_str().unwrap(), "--format", "csv", "--data", csv.to_str().unwrap()]);
    assert_eq!(r2.code, 1);
    assert!(r2.stderr.contains("labels (negative, neutral, positive) differ"), "{}", r2.stderr);
    let f = v["f_avg"].as_f64().expect("f_avg present for favor/against");
    let pc = &v["per_class"];
    let want = (pc["favor"]["f1"].as_f64().unwrap() + pc["against"]["f1"].as_f64().unwrap()) / 2.0;
    assert!((f - want).abs() < 1e-12);
}

#[test]
fn linfa_solver_trains_a_usable_model() {
    let d = tempfile::tempdir().unwrap();
    let m = d.path().join("m");
    let r = run(&["train", "--format", "csv", "--train", "datasets/toy/train.csv", "--out", m.to_str().unwrap(), "--solver", "linfa", "--class-weight", "none", "--quiet"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let r = run(&["eval", "--model", m.to_str().unwrap(), "--format", "csv", "--data", "datasets/toy/test.csv", "--json"]);
    let v: serde_json::Value = serde_json::from_str(r.stdout.trim()).unwrap();
    assert!(v["accuracy"].as_f64().unwrap() >= 0.75, "{v}");
}

#[test]
fn a_failed_train_leaves_the_old_bundle_in_place() {
    let d = tempfile::tempdir().unwrap();
    let m = d.path().join("m");
    let ok = run(&["train", "--format", "csv", "--train", "datasets/toy/train.csv", "--out", m.to_str().unwrap(), "--quiet"]);
    assert_eq!(ok.code, 0);
    let before = fs::read(m.join("weights.bin")).unwrap();
    let bad = d.path().join("bad.csv");
    fs::write(&bad, "text,target,label\nfine,x,positive\nbroken,x\n").unwrap();
    let r = run(&["train", "--format", "csv", "--train", bad.to_str().unwrap(), "--out", m.to_str().unwrap(), "--quiet"]);
    assert_eq!(r.code, 1);
    assert_eq!(fs::read(m.join("weights.bin")).unwrap(), before);
    let r = run(&["eval", "--model", m.to_str().unwrap(), "--format", "csv", "--data", "datasets/toy/test.csv"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    // No temporary directories are left beside it.
    let left: Vec<_> = fs::read_dir(d.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(left.len(), 2, "{left:?}");
}

/// A bad --out is reported before anything is read or fitted: with a
/// broken training file beside it, the error is still about --out.
#[test]
fn a_bad_out_fails_before_training() {
    let d = tempfile::tempdir().unwrap();
    let bad = d.path().join("bad.csv");
    fs::write(&bad, "text,target,label\nfine,x,positive\nbroken,x\n").unwrap();
    let file = d.path().join("notes.txt");
    fs::write(&file, "mine").unwrap();
    let foreign = d.path().join("papers");
    fs::create_dir(&foreign).unwrap();
    fs::write(foreign.join("draft.tex"), "mine").unwrap();
    let missing = d.path().join("no-such-folder").join("m");
    for (out, says) in [(&file, "not a directory"), (&foreign, "not a stance model"), (&missing, "not an existing folder")] {
        let r = run(&["train", "--format", "csv", "--train", bad.to_str().unwrap(), "--out", out.to_str().unwrap(), "--quiet"]);
        assert_eq!(r.code, 1, "{out:?}: {}", r.stderr);
        assert!(r.stderr.contains(says) && !r.stderr.contains("bad.csv"), "{out:?}: {}", r.stderr);
    }
    assert_eq!(fs::read_to_string(&file).unwrap(), "mine");
    assert_eq!(fs::read_to_string(foreign.join("draft.tex")).unwrap(), "mine");
    assert!(!missing.parent().unwrap().exists());
}

fn training_record(dir: &std::path::Path) -> serde_json::Value {
    let meta: serde_json::Value = serde_json::from_slice(&fs::read(dir.join("bundle.json")).unwrap()).unwrap();
    meta["training"].clone()
}

#[test]
fn cross_validation_chooses_l2_and_fits_on_train_and_dev() {
    let d = tempfile::tempdir().unwrap();
    let m = d.path().join("m");
    let r = run(&["train", "--format", "csv", "--train", "datasets/toy/train.csv", "--dev", "datasets/toy/test.csv", "--l2", "0.1,1,10", "--cv", "3", "--out", m.to_str().unwrap(), "--quiet"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("3-fold cross-validation macro-F1 at l2 10:"), "{}", r.stdout);
    let t = training_record(&m);
    assert_eq!(t["cv_folds"], 3);
    assert_eq!(t["n_train_targets"], 36 + 12, "the final fit uses train and dev");
    let search: Vec<(f64, f64)> = serde_json::from_value(t["l2_search"].clone()).unwrap();
    assert_eq!(search.iter().map(|s| s.0).collect::<Vec<_>>(), vec![0.1, 1.0, 10.0]);
    let best = search.iter().fold(search[0], |b, s| if s.1 > b.1 { *s } else { b });
    assert_eq!(t["solver"]["alpha"].as_f64().unwrap(), best.0, "{search:?}");
    assert!(search.iter().all(|s| s.1 > 0.0 && s.1 <= 1.0), "{search:?}");
    // The pooled held-out predictions cover every example once.
    assert_eq!(t["dev"]["n"], 48);
}

#[test]
fn cross_validation_writes_every_examples_held_out_prediction() {
    let d = tempfile::tempdir().unwrap();
    let (m, p) = (d.path().join("m"), d.path().join("oof.csv"));
    let r = run(&["train", "--format", "csv", "--train", "datasets/toy/train.csv", "--dev", "datasets/toy/test.csv", "--l2", "0.1,1,10", "--cv", "3", "--predictions", p.to_str().unwrap(), "--out", m.to_str().unwrap(), "--quiet"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let mut rd = csv::Reader::from_path(&p).unwrap();
    let header: Vec<String> = rd.headers().unwrap().iter().map(|s| s.to_string()).collect();
    assert_eq!(header, ["file", "line", "target", "label", "fold", "predicted", "p_negative", "p_neutral", "p_positive", "text"]);
    let rows: Vec<csv::StringRecord> = rd.records().map(|r| r.unwrap()).collect();
    // Train then dev, in file order, one row per target.
    let lines: Vec<(String, usize)> = rows.iter().map(|r| (r[0].to_string(), r[1].parse().unwrap())).collect();
    let want: Vec<(String, usize)> = (2..38).map(|l| ("datasets/toy/train.csv".to_string(), l)).chain((2..14).map(|l| ("datasets/toy/test.csv".to_string(), l))).collect();
    assert_eq!(lines, want);
    // Folds are dealt per example (consecutive rows of one text are one
    // example with several targets): sizes differ by at most one.
    let mut per_fold = [0; 3];
    let mut right = 0;
    for (i, row) in rows.iter().enumerate() {
        if i > 0 && rows[i - 1][9] == row[9] {
            assert_eq!(rows[i - 1][4], row[4], "one example, one fold");
        } else {
            per_fold[row[4].parse::<usize>().unwrap()] += 1;
        }
        let p: Vec<f64> = (6..9).map(|c| row[c].parse().unwrap()).collect();
        assert!((p.iter().sum::<f64>() - 1.0).abs() < 1e-5, "{row:?}");
        let best = (0..3).max_by(|&a, &b| p[a].total_cmp(&p[b])).unwrap();
        assert_eq!(&row[5], ["negative", "neutral", "positive"][best]);
        right += (row[3] == row[5]) as usize;
    }
    assert_eq!(per_fold.iter().sum::<usize>(), 46, "48 targets, one text with three");
    assert!(per_fold.iter().max().unwrap() - per_fold.iter().min().unwrap() <= 1, "{per_fold:?}");
    // The rows give back the pooled cross-validation accuracy of the
    // chosen l2, which training counts separately, fold by fold.
    let t = training_record(&m);
    assert_eq!(right as f64 / rows.len() as f64, t["dev"]["accuracy"].as_f64().unwrap());
    // Each row is its own example's prediction by a model that never saw
    // it: training on the other folds' rows alone, at the chosen l2, and
    // scoring this fold gives the same probabilities.
    let l2 = t["solver"]["alpha"].as_f64().unwrap().to_string();
    for f in 0..3 {
        let write = |name: &str, keep: &dyn Fn(&csv::StringRecord) -> bool| {
            let path = d.path().join(name);
            let mut w = csv::Writer::from_path(&path).unwrap();
            w.write_record(["text", "target", "label"]).unwrap();
            for row in rows.iter().filter(|r| keep(r)) {
                w.write_record([&row[9], &row[2], &row[3]]).unwrap();
            }
            w.flush().unwrap();
            path
        };
        let fold = f.to_string();
        let rest = write("rest.csv", &|r| r[4] != *fold);
        let held = write("held.csv", &|r| r[4] == *fold);
        let (fm, fp) = (d.path().join("fold-model"), d.path().join("fold.csv"));
        let r = run(&["train", "--format", "csv", "--train", rest.to_str().unwrap(), "--l2", &l2, "--out", fm.to_str().unwrap(), "--quiet"]);
        assert_eq!(r.code, 0, "{}", r.stderr);
        let r = run(&["eval", "--model", fm.to_str().unwrap(), "--format", "csv", "--data", held.to_str().unwrap(), "--predictions", fp.to_str().unwrap()]);
        assert_eq!(r.code, 0, "{}", r.stderr);
        let got: Vec<Vec<String>> = csv::Reader::from_path(&fp).unwrap().records().map(|r| r.unwrap().iter().skip(5).take(3).map(String::from).collect()).collect();
        let want: Vec<Vec<String>> = rows.iter().filter(|r| r[4] == *fold).map(|r| r.iter().skip(6).take(3).map(String::from).collect()).collect();
        assert_eq!(got, want, "fold {f}");
    }
}

#[test]
fn predictions_at_training_need_cross_validation() {
    let d = tempfile::tempdir().unwrap();
    let (m, p) = (d.path().join("m"), d.path().join("oof.csv"));
    let r = run(&["train", "--format", "csv", "--train", "datasets/toy/train.csv", "--predictions", p.to_str().unwrap(), "--out", m.to_str().unwrap(), "--quiet"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("--cv"), "{}", r.stderr);
    // An unwritable path fails before training, leaving nothing behind.
    let bad = d.path().join("missing").join("oof.csv");
    let r = run(&["train", "--format", "csv", "--train", "datasets/toy/train.csv", "--cv", "3", "--predictions", bad.to_str().unwrap(), "--out", m.to_str().unwrap(), "--quiet"]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("missing") && r.stderr.contains("No such file"), "{}", r.stderr);
    assert!(!m.exists());
}

#[test]
fn refit_keeps_the_scores_of_the_dev_search() {
    let d = tempfile::tempdir().unwrap();
    let train = |name: &str, extra: &[&str]| {
        let out = d.path().join(name);
        let mut args = vec!["train", "--format", "csv", "--train", "datasets/toy/train.csv", "--dev", "datasets/toy/test.csv", "--l2", "0.3,1", "--out", out.to_str().unwrap(), "--quiet"];
        args.extend_from_slice(extra);
        let r = run(&args);
        assert_eq!(r.code, 0, "{}", r.stderr);
        training_record(&out)
    };
    let (plain, refit) = (train("plain", &[]), train("refit", &["--refit"]));
    assert_eq!(refit["refit_on_dev"], true);
    assert_eq!(plain["l2_search"], refit["l2_search"]);
    assert!(refit["l2_search"][0][1].as_f64().unwrap() > 0.0, "{refit}");
}

#[test]
fn eval_predictions_file_has_a_row_per_target_and_survives_a_failed_run() {
    let model = toy_model();
    let d = tempfile::tempdir().unwrap();
    let out = d.path().join("pred.csv");
    let args = |data: &str| -> Vec<String> {
        ["eval", "--model", model.to_str().unwrap(), "--format", "csv", "--data", data, "--predictions", out.to_str().unwrap(), "--json"].iter().map(|s| s.to_string()).collect()
    };
    let a = args("datasets/toy/test.csv");
    let r = run(&a.iter().map(|s| s.as_str()).collect::<Vec<_>>());
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v: serde_json::Value = serde_json::from_str(r.stdout.trim()).unwrap();
    let mut rd = csv::Reader::from_path(&out).unwrap();
    let header: Vec<String> = rd.headers().unwrap().iter().map(|s| s.to_string()).collect();
    assert_eq!(header, ["file", "line", "target", "label", "predicted", "p_negative", "p_neutral", "p_positive", "text"]);
    let rows: Vec<csv::StringRecord> = rd.records().map(|r| r.unwrap()).collect();
    assert_eq!(rows.len() as u64, v["n"].as_u64().unwrap());
    let mut right = 0;
    for (i, row) in rows.iter().enumerate() {
        assert_eq!(&row[0], "datasets/toy/test.csv");
        assert_eq!(row[1].parse::<usize>().unwrap(), i + 2, "one target a line after the header");
        let p: Vec<f64> = (5..8).map(|c| row[c].parse().unwrap()).collect();
        assert!((p.iter().sum::<f64>() - 1.0).abs() < 1e-5, "{row:?}");
        let best = (0..3).max_by(|&a, &b| p[a].total_cmp(&p[b])).unwrap();
        assert_eq!(&row[4], ["negative", "neutral", "positive"][best]);
        right += (row[3] == row[4]) as u64;
        assert!(!row[8].is_empty());
    }
    assert_eq!(right as f64 / rows.len() as f64, v["accuracy"].as_f64().unwrap());
    // A run that fails part-way leaves the earlier file as it was and no temporary file.
    let before = fs::read(&out).unwrap();
    let bad = d.path().join("bad.csv");
    fs::write(&bad, "text,target,label\nThe mayor spoke,mayor,neutral\nThe mayor lied,mayor,furious\n").unwrap();
    let b = args(bad.to_str().unwrap());
    let r = run(&b.iter().map(|s| s.as_str()).collect::<Vec<_>>());
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("bad.csv:3"), "{}", r.stderr);
    assert_eq!(fs::read(&out).unwrap(), before);
    assert_eq!(fs::read_dir(d.path()).unwrap().count(), 2, "pred.csv and bad.csv only");
}

#[test]
fn eval_compare_gives_paired_differences() {
    let weak = weak_toy_model();
    let toy = toy_model();
    let eval = |model: &str, other: &str| -> serde_json::Value {
        let r = run(&["eval", "--model", model, "--compare", other, "--format", "csv", "--data", "datasets/toy/test.csv", "--bootstrap", "400", "--json"]);
        assert_eq!(r.code, 0, "{}", r.stderr);
        serde_json::from_str(r.stdout.trim()).unwrap()
    };
    let v = eval(toy.to_str().unwrap(), weak.to_str().unwrap());
    let theirs = &v["compare"]["metrics"];
    assert_ne!(theirs["accuracy"], v["accuracy"], "the two models should differ for this test to mean anything");
    assert_eq!(theirs["n"], v["n"]);
    for k in ["accuracy", "macro_f1"] {
        let diff = &v["compare"]["difference"][k];
        let (a, b) = (v[k].as_f64().unwrap(), theirs[k].as_f64().unwrap());
        assert_eq!(diff["model"].as_f64().unwrap(), a);
        assert_eq!(diff["compare"].as_f64().unwrap(), b);
        let (lo, hi) = (diff["ci95"][0].as_f64().unwrap(), diff["ci95"][1].as_f64().unwrap());
        assert!(lo <= a - b && a - b <= hi, "{k}: {lo} {} {hi}", a - b);
        assert!((0.0..=1.0).contains(&diff["model_ahead"].as_f64().unwrap()));
    }
    // The same model on both sides: nothing to tell apart.
    let same = eval(toy.to_str().unwrap(), toy.to_str().unwrap());
    let acc = &same["compare"]["difference"]["accuracy"];
    assert_eq!((acc["difference"].as_f64().unwrap(), acc["model_ahead"].as_f64().unwrap()), (0.0, 0.0));
    assert_eq!(acc["ci95"], serde_json::json!([0.0, 0.0]));
    let text = run(&["eval", "--model", toy.to_str().unwrap(), "--compare", weak.to_str().unwrap(), "--format", "csv", "--data", "datasets/toy/test.csv"]);
    assert!(text.stdout.contains("model - compare, paired bootstrap (1000 resamples):"), "{}", text.stdout);
}
