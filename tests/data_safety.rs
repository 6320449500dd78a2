//! Nothing the user owns is ever lost, and no model is silently wrong
//! (issue 12): `train --out` never deletes a file it did not write, output
//! files never replace an input, a model or a symbolic link, every part of a
//! bundle is covered by its checksum, and out-of-range numbers in a bundle
//! are errors. Each case checks the exit code, the one error line, an empty
//! standard output and, where data could be lost, that every file that was
//! there before is byte-identical afterwards.

mod common;
use common::clear_errors::{assert_clear_errors, s, Case};
use common::*;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use stance::bundle::{FileSum, Meta};

/// Every file, folder and link under `dir`: contents, `dir/`, or `-> target`.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            let t = fs::symlink_metadata(&p).unwrap().file_type();
            let v = if t.is_symlink() {
                format!("-> {}", fs::read_link(&p).unwrap().display()).into_bytes()
            } else if t.is_dir() {
                stack.push(p.clone());
                b"dir/".to_vec()
            } else if t.is_file() {
                fs::read(&p).unwrap()
            } else {
                b"special".to_vec()
            };
            out.insert(p, v);
        }
    }
    out
}

/// Exit 1, one `stance: error:` line holding every fragment (after any
/// warnings), nothing on stdout: the shared runner's check.
fn refused(args: &[&str], want: &[&str]) {
    assert_clear_errors(&[Case { name: "refused", args: s(args), stdin: None, want: s(want) }]);
}

fn ok(args: &[&str]) -> Run {
    let r = run(args);
    assert_eq!(r.code, 0, "{args:?}: {}", r.stderr);
    r
}

fn p(x: &Path) -> &str {
    x.to_str().unwrap()
}

fn train_toy<'a>(out: &'a str, extra: &[&'a str]) -> Vec<&'a str> {
    let mut v = vec!["train", "--format", "csv", "--train", "datasets/toy/train.csv", "--out", out, "--quiet"];
    v.extend_from_slice(extra);
    v
}

fn copy_bundle(src: &Path, dst: &Path) {
    fs::create_dir_all(dst).unwrap();
    for f in ["bundle.json", "weights.bin", "tokenizer.json"] {
        fs::copy(src.join(f), dst.join(f)).unwrap();
    }
}

/// A model folder that also holds the user's notes, data and runs.
fn model_with_foreign_files(dir: &Path) -> PathBuf {
    let m = dir.join("model");
    copy_bundle(toy_model(), &m);
    fs::write(m.join("NOTES.md"), "how this model was made\n").unwrap();
    fs::copy(root().join("datasets/toy/train.csv"), m.join("train.csv")).unwrap();
    fs::create_dir_all(m.join("runs/1")).unwrap();
    fs::write(m.join("runs/1/log.txt"), "run 1\n").unwrap();
    m
}

#[test]
fn train_refuses_to_replace_a_model_folder_holding_other_files() {
    let d = tempfile::tempdir().unwrap();
    let m = model_with_foreign_files(d.path());
    let before = snapshot(d.path());
    refused(&train_toy(p(&m), &[]), &[p(&m), "NOTES.md", "not part of a model"]);
    assert_eq!(snapshot(d.path()), before);
    // The training file inside the model folder is read, and still refused.
    let inside = m.join("train.csv");
    refused(&["train", "--format", "csv", "--train", p(&inside), "--out", p(&m), "--quiet"], &[p(&m), "not part of a model"]);
    assert_eq!(snapshot(d.path()), before);
}

#[test]
fn train_refuses_a_non_empty_folder_that_is_not_a_model() {
    let d = tempfile::tempdir().unwrap();
    let f = d.path().join("papers");
    fs::create_dir_all(f.join("drafts")).unwrap();
    fs::write(f.join("draft.txt"), "x").unwrap();
    let before = snapshot(d.path());
    refused(&train_toy(p(&f), &[]), &[p(&f), "not a stance model"]);
    assert_eq!(snapshot(d.path()), before);
    // A folder with a file named bundle.json that is not ours.
    fs::write(f.join("bundle.json"), "{}").unwrap();
    let before = snapshot(d.path());
    refused(&train_toy(p(&f), &[]), &[p(&f)]);
    assert_eq!(snapshot(d.path()), before);
}

#[test]
fn train_replaces_a_bundle_and_leaves_nothing_behind() {
    let d = tempfile::tempdir().unwrap();
    let m = d.path().join("model");
    ok(&train_toy(p(&m), &["--seed", "1"]));
    let first = fs::read(m.join("weights.bin")).unwrap();
    ok(&train_toy(p(&m), &["--seed", "2"]));
    assert_ne!(fs::read(m.join("weights.bin")).unwrap(), first);
    let names: Vec<String> = fs::read_dir(d.path()).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    assert_eq!(names, ["model"]);
    let mut inside: Vec<String> = fs::read_dir(&m).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    inside.sort();
    assert_eq!(inside, ["bundle.json", "tokenizer.json", "weights.bin"]);
}

#[test]
fn train_out_through_a_symlink_writes_to_its_target_and_keeps_the_link() {
    let d = tempfile::tempdir().unwrap();
    let real = d.path().join("v1");
    ok(&train_toy(p(&real), &["--seed", "1"]));
    let first = fs::read(real.join("weights.bin")).unwrap();
    let link = d.path().join("current");
    std::os::unix::fs::symlink("v1", &link).unwrap();
    ok(&train_toy(p(&link), &["--seed", "2"]));
    let meta = fs::symlink_metadata(&link).unwrap();
    assert!(meta.file_type().is_symlink(), "the link was replaced");
    assert_eq!(fs::read_link(&link).unwrap(), Path::new("v1"));
    assert_ne!(fs::read(real.join("weights.bin")).unwrap(), first, "the target was not retrained");
    ok(&["eval", "--model", p(&link), "--format", "csv", "--data", "datasets/toy/test.csv"]);
    let mut names: Vec<String> = fs::read_dir(d.path()).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    names.sort();
    assert_eq!(names, ["current", "v1"]);

    // A link to a folder of other things is refused like the folder.
    let docs = d.path().join("docs");
    fs::create_dir(&docs).unwrap();
    fs::write(docs.join("a.txt"), "a").unwrap();
    let to_docs = d.path().join("to-docs");
    std::os::unix::fs::symlink(&docs, &to_docs).unwrap();
    let before = snapshot(d.path());
    refused(&train_toy(p(&to_docs), &[]), &["not a stance model"]);
    assert_eq!(snapshot(d.path()), before);
    // A dangling link is refused, not replaced.
    let dangling = d.path().join("dangling");
    std::os::unix::fs::symlink("nowhere", &dangling).unwrap();
    let before = snapshot(d.path());
    refused(&train_toy(p(&dangling), &[]), &[p(&dangling), "symbolic link"]);
    assert_eq!(snapshot(d.path()), before);
}

/// A scratch folder with a copy of the toy test data and of the toy model.
fn eval_scene() -> (tempfile::TempDir, PathBuf, PathBuf) {
    let d = tempfile::tempdir().unwrap();
    let data = d.path().join("data/test.csv");
    fs::create_dir_all(data.parent().unwrap()).unwrap();
    fs::copy(root().join("datasets/toy/test.csv"), &data).unwrap();
    let model = d.path().join("model");
    copy_bundle(toy_model(), &model);
    (d, data, model)
}

fn eval_to<'a>(model: &'a str, data: &'a str, predictions: &'a str) -> Vec<&'a str> {
    vec!["eval", "--model", model, "--format", "csv", "--data", data, "--predictions", predictions]
}

#[test]
fn eval_predictions_never_overwrite_an_input_or_the_model() {
    let (d, data, model) = eval_scene();
    let before = snapshot(d.path());
    // The data file itself, and the same file by another spelling.
    refused(&eval_to(p(&model), p(&data), p(&data)), &[p(&data), "--predictions", "input"]);
    let spelled = d.path().join("data/./../data/test.csv");
    refused(&eval_to(p(&model), p(&data), p(&spelled)), &["--predictions", "input"]);
    // A hard link to the data file (same device and inode).
    let hard = d.path().join("hard.csv");
    fs::hard_link(&data, &hard).unwrap();
    let before_hard = snapshot(d.path());
    refused(&eval_to(p(&model), p(&data), p(&hard)), &[p(&hard), "input"]);
    assert_eq!(snapshot(d.path()), before_hard);
    fs::remove_file(&hard).unwrap();
    // A file of the model, or a new file inside the model folder.
    let weights = model.join("weights.bin");
    refused(&eval_to(p(&model), p(&data), p(&weights)), &[p(&weights), "model"]);
    let new_inside = model.join("predictions.csv");
    refused(&eval_to(p(&model), p(&data), p(&new_inside)), &[p(&new_inside), "model"]);
    let mut via_link = d.path().join("model-link");
    std::os::unix::fs::symlink(&model, &via_link).unwrap();
    via_link.push("preds.csv");
    let before_link = snapshot(d.path());
    refused(&eval_to(p(&model), p(&data), p(&via_link)), &["model"]);
    assert_eq!(snapshot(d.path()), before_link);
    fs::remove_file(d.path().join("model-link")).unwrap();
    assert_eq!(snapshot(d.path()), before);
    // The same runs work when the output goes elsewhere.
    let elsewhere = d.path().join("out.csv");
    ok(&eval_to(p(&model), p(&data), p(&elsewhere)));
    assert!(fs::read_to_string(&elsewhere).unwrap().starts_with("file,line,target,label,predicted"));
}

#[test]
fn eval_predictions_inside_the_compared_model_are_refused() {
    let (d, data, model) = eval_scene();
    let other = d.path().join("other");
    copy_bundle(toy_model(), &other);
    let before = snapshot(d.path());
    let inside = other.join("tokenizer.json");
    let mut args = eval_to(p(&model), p(&data), p(&inside));
    args.extend(["--compare", p(&other)]);
    refused(&args, &[p(&inside), "model"]);
    assert_eq!(snapshot(d.path()), before);
}

#[test]
fn eval_predictions_refuse_links_and_special_files() {
    let (d, data, model) = eval_scene();
    let target = d.path().join("notes.txt");
    fs::write(&target, "my notes\n").unwrap();
    let link = d.path().join("preds.csv");
    std::os::unix::fs::symlink("notes.txt", &link).unwrap();
    let fifo = d.path().join("pipe");
    assert!(std::process::Command::new("mkfifo").arg(&fifo).status().unwrap().success());
    let folder = d.path().join("folder");
    fs::create_dir(&folder).unwrap();
    let before = snapshot(d.path());
    refused(&eval_to(p(&model), p(&data), p(&link)), &[p(&link), "symbolic link"]);
    refused(&eval_to(p(&model), p(&data), p(&fifo)), &[p(&fifo), "not a regular file"]);
    refused(&eval_to(p(&model), p(&data), p(&folder)), &[p(&folder), "not a regular file"]);
    assert_eq!(snapshot(d.path()), before);
}

#[test]
fn cross_validation_predictions_never_overwrite_training_data_or_the_new_model() {
    let d = tempfile::tempdir().unwrap();
    let train = d.path().join("train.csv");
    let dev = d.path().join("dev.csv");
    fs::copy(root().join("datasets/toy/train.csv"), &train).unwrap();
    fs::copy(root().join("datasets/toy/test.csv"), &dev).unwrap();
    let out = d.path().join("model");
    ok(&["train", "--format", "csv", "--train", p(&train), "--out", p(&out), "--quiet"]);
    let before = snapshot(d.path());
    let cv = |preds: &Path| {
        let v: Vec<String> = ["train", "--format", "csv", "--train", p(&train), "--dev", p(&dev), "--out", p(&out), "--cv", "2", "--quiet", "--predictions", p(preds)]
            .iter()
            .map(|s| s.to_string())
            .collect();
        v
    };
    for (preds, want) in [(&train, "input"), (&dev, "input"), (&out.join("weights.bin"), "model"), (&out.join("cv.csv"), "model")] {
        let args = cv(preds);
        let args: Vec<&str> = args.iter().map(|s| s.as_str()).collect();
        refused(&args, &[p(preds), want]);
        assert_eq!(snapshot(d.path()), before, "{preds:?}");
    }
}

/// Rewrite a bundle's `bundle.json` with `edit` applied to its metadata,
/// with the sums of the weights and tokenizer as they are now, sealed as a
/// real `train` seals it: only the checks after the checksum can object.
fn reseal(dir: &Path, edit: impl Fn(&mut Meta)) {
    let mut meta: Meta = serde_json::from_slice(&fs::read(dir.join("bundle.json")).unwrap()).unwrap();
    meta.weights = FileSum::of(&fs::read(dir.join("weights.bin")).unwrap());
    meta.tokenizer = FileSum::of(&fs::read(dir.join("tokenizer.json")).unwrap());
    edit(&mut meta);
    meta.seal();
    fs::write(dir.join("bundle.json"), serde_json::to_vec_pretty(&meta).unwrap()).unwrap();
}

fn eval_model(m: &Path) -> Vec<&str> {
    vec!["eval", "--model", p(m), "--format", "csv", "--data", "datasets/toy/test.csv"]
}

#[test]
fn every_part_of_bundle_json_is_covered_by_the_checksum() {
    let d = tempfile::tempdir().unwrap();
    let edits: [(&str, &str, &str); 4] = [
        ("labels", "\"negative\",\n    \"neutral\"", "\"neutral\",\n    \"negative\""),
        ("context window", "\"context_window\": 6", "\"context_window\": 5"),
        ("feature seed", "\"seed\": 0", "\"seed\": 7"),
        ("idf switch", "\"idf\": true", "\"idf\": false"),
    ];
    for (name, from, to) in edits {
        let m = d.path().join(name.replace(' ', "-"));
        copy_bundle(toy_model(), &m);
        let j = fs::read_to_string(m.join("bundle.json")).unwrap();
        assert!(j.contains(from), "{name}: {from:?} not in bundle.json");
        fs::write(m.join("bundle.json"), j.replacen(from, to, 1)).unwrap();
        refused(&eval_model(&m), &[p(&m), "bundle.json", "checksum mismatch"]);
        let mut predict = vec!["predict", "--model", p(&m), "--format", "jsonl"];
        predict.push("examples/harbour-dispute.txt");
        refused(&predict, &[p(&m), "bundle.json", "checksum mismatch"]);
    }
    // Layout alone (re-indenting) is not an edit of meaning.
    let m = d.path().join("compact");
    copy_bundle(toy_model(), &m);
    let v: serde_json::Value = serde_json::from_slice(&fs::read(m.join("bundle.json")).unwrap()).unwrap();
    fs::write(m.join("bundle.json"), serde_json::to_vec(&v).unwrap()).unwrap();
    ok(&eval_model(&m));
}

#[test]
fn the_shipped_model_is_sealed() {
    let meta: Meta = serde_json::from_slice(&fs::read(root().join("models/newsmtsc/bundle.json")).unwrap()).unwrap();
    assert_eq!(meta.bundle_sha256, meta.checksum());
    ok(&["predict", "--format", "jsonl", "examples/harbour-dispute.txt"]);
}

/// Overwrite the `i`-th float of weights.bin (idf, then weights, then bias).
fn set_float(dir: &Path, from_end: usize, v: f32) {
    let mut b = fs::read(dir.join("weights.bin")).unwrap();
    let at = b.len() - 4 * from_end;
    b[at..at + 4].copy_from_slice(&v.to_le_bytes());
    fs::write(dir.join("weights.bin"), b).unwrap();
}

#[test]
fn huge_finite_weights_are_refused_on_load() {
    let d = tempfile::tempdir().unwrap();
    for (name, from_end, v) in [("bias", 1, 3.0e38f32), ("weight", 5, -1.0e30), ("small-bias", 2, 2.0e7)] {
        let m = d.path().join(name);
        copy_bundle(toy_model(), &m);
        set_float(&m, from_end, v);
        reseal(&m, |_| {});
        refused(&eval_model(&m), &[p(&m), "weights.bin", "out of range"]);
        refused(&["predict", "--model", p(&m), "--format", "jsonl", "examples/harbour-dispute.txt"], &[p(&m), "weights.bin", "out of range"]);
    }
}

#[test]
fn a_vocabulary_id_beyond_the_vocabulary_is_refused_without_allocating() {
    let d = tempfile::tempdir().unwrap();
    let m = d.path().join("model");
    copy_bundle(toy_model(), &m);
    let mut tk: serde_json::Value = serde_json::from_slice(&fs::read(m.join("tokenizer.json")).unwrap()).unwrap();
    let vocab = tk["model"]["vocab"].as_object_mut().unwrap();
    let word = vocab.keys().find(|w| w.as_str() != "[UNK]").unwrap().clone();
    vocab.insert(word, 400_000_000.into());
    fs::write(m.join("tokenizer.json"), serde_json::to_vec(&tk).unwrap()).unwrap();
    reseal(&m, |_| {});
    let t = std::time::Instant::now();
    refused(&eval_model(&m), &[p(&m), "tokenizer.json", "400000000"]);
    assert!(t.elapsed().as_secs() < 10, "took {:?}", t.elapsed());
}

#[test]
fn a_min_count_that_keeps_no_feature_is_an_error() {
    let d = tempfile::tempdir().unwrap();
    let out = d.path().join("model");
    refused(&train_toy(p(&out), &["--min-count", "100000"]), &["--min-count 100000", "no feature"]);
    assert!(!out.exists());
    assert_eq!(fs::read_dir(d.path()).unwrap().count(), 0, "left something behind");
}

#[test]
fn a_model_given_as_its_bundle_json_file_says_a_model_is_a_folder() {
    let f = toy_model().join("bundle.json");
    refused(&eval_model(&f), &[p(&f), "is a file", "folder"]);
    refused(&["predict", "--model", p(&f), "--format", "jsonl", "examples/harbour-dispute.txt"], &[p(&f), "is a file", "folder"]);
}

/// Two `train` runs racing to create, then to replace, the same `--out`:
/// both succeed every time, and what is left is one whole bundle.
#[test]
fn concurrent_trainers_on_one_out_never_fail() {
    use std::process::{Command, Stdio};
    let d = tempfile::tempdir().unwrap();
    let spawn = |out: &Path, seed: &str| {
        Command::new(bin())
            .args(["train", "--format", "csv", "--train", "datasets/toy/train.csv", "--out", p(out), "--quiet", "--seed", seed])
            .current_dir(root())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap()
    };
    for round in 0..50 {
        let out = d.path().join(format!("m{round}"));
        // Round 1: both create it; round 2: both replace what is there.
        for pass in 0..2 {
            let (a, b) = (spawn(&out, "1"), spawn(&out, "2"));
            for c in [a, b] {
                let o = c.wait_with_output().unwrap();
                assert!(o.status.success(), "round {round} pass {pass}: {}", String::from_utf8_lossy(&o.stderr));
            }
        }
        let mut names: Vec<String> = fs::read_dir(&out).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
        names.sort();
        assert_eq!(names, ["bundle.json", "tokenizer.json", "weights.bin"], "round {round}");
        stance::bundle::Bundle::load(&out).unwrap();
    }
    let left: Vec<String> = fs::read_dir(d.path()).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).filter(|n| !n.starts_with('m')).collect();
    assert!(left.is_empty(), "temporary folders left: {left:?}");
}

/// Readers loading a model while `train` keeps replacing it see the old
/// bundle or the new one, never a mix (no false checksum mismatch).
#[test]
fn loading_while_train_replaces_the_model_never_fails() {
    use std::process::{Command, Stdio};
    use std::sync::atomic::{AtomicBool, Ordering};
    let d = tempfile::tempdir().unwrap();
    let m = d.path().join("model");
    ok(&train_toy(p(&m), &["--seed", "1"]));
    let done = AtomicBool::new(false);
    let (loads, failures) = std::thread::scope(|s| {
        // 4 readers load in the library (fast, so many fall inside a swap),
        // every 25th through the command line, until training stops.
        let readers: Vec<_> = (0..4)
            .map(|_| {
                s.spawn(|| {
                    let (mut n, mut bad) = (0, Vec::new());
                    while !done.load(Ordering::Relaxed) || n < 50 {
                        if n % 25 == 0 {
                            let out = run(&["predict", "--model", p(&m), "--format", "jsonl", "examples/harbour-dispute.txt"]);
                            if out.code != 0 {
                                bad.push(out.stderr);
                            }
                        } else if let Err(e) = stance::bundle::Bundle::load(&m) {
                            bad.push(e.to_string());
                        }
                        n += 1;
                    }
                    (n, bad)
                })
            })
            .collect();
        for n in 0..30 {
            let seed = (n % 2 + 2).to_string();
            let st = Command::new(bin())
                .args(["train", "--format", "csv", "--train", "datasets/toy/train.csv", "--out", p(&m), "--quiet", "--seed", &seed])
                .current_dir(root())
                .stdout(Stdio::null())
                .status()
                .unwrap();
            assert!(st.success(), "retraining {n} failed");
        }
        done.store(true, Ordering::Relaxed);
        let mut all = (0, Vec::new());
        for h in readers {
            let (n, bad) = h.join().unwrap();
            all.0 += n;
            all.1.extend(bad);
        }
        all
    });
    assert!(failures.is_empty(), "{} of {loads} loads failed: {:?}", failures.len(), &failures[..failures.len().min(5)]);
    assert!(loads >= 200, "only {loads} loads during 30 retrainings");
}

/// A model whose weights overflow (only possible in memory: loading
/// refuses them) gives an error naming the model, never a NaN probability.
#[test]
fn non_finite_probabilities_are_an_error_not_null() {
    use stance::bundle::Bundle;
    use stance::model::LinearModel;
    let mut bundle = Bundle::load(toy_model()).unwrap();
    let m = &bundle.model;
    let huge = vec![3.0e38f32; m.weights.len()];
    bundle.model = LinearModel::new(m.labels.clone(), m.hashes.clone(), m.idf.clone(), huge, m.bias.clone());
    let data = [root().join("datasets/toy/test.csv")];
    let Err(e) = stance::evaluate::evaluate(&bundle, stance::corpus::Format::Csv, &data, Default::default(), &mut |_| Ok(())) else {
        panic!("evaluate gave no error")
    };
    let e = e.to_string();
    assert!(e.contains(p(toy_model())) && e.contains("non-finite probability") && e.contains("test.csv:2"), "{e}");

    let finder = stance::actors::auto::AutoFinder::new();
    let predictor = stance::predict::Predictor::new(&bundle, &finder, 0);
    let files = [root().join("examples/harbour-dispute.txt")];
    let job = stance::predict::Job {
        files: &files,
        input: stance::input::InputFormat::Text,
        read: Default::default(),
        format: stance::output::OutputFormat::Jsonl,
        threads: Some(2),
        keep: &[],
        wide: false,
        summary: None,
        progress: None,
        task: Default::default(),
        also_read: &[],
    };
    let mut out = Vec::new();
    let Err(e) = stance::predict::run(&predictor, &job, &mut out, Path::new("<out>")) else {
        panic!("predict gave no error")
    };
    let e = e.to_string();
    assert!(e.contains("non-finite probability") && e.contains("harbour-dispute.txt"), "{e}");
    assert!(out.is_empty(), "wrote {} bytes", out.len());

    // The library's front door says so too.
    let model = stance::Model::from_bundle(bundle);
    let text = "Mayor Ines Kowalski praised the workers.";
    let Err(e) = model.score(text, &[stance::text::Span::new(6, 19)]) else { panic!("score gave no error") };
    assert!(e.to_string().contains("non-finite probability"), "{e}");
}

/// TweetEval reads a labels file and `mapping.txt` beside the text file:
/// they are inputs too.
#[test]
fn eval_predictions_never_overwrite_tweeteval_companion_files() {
    let d = tempfile::tempdir().unwrap();
    let tw = d.path().join("tw");
    fs::create_dir_all(tw.join("climate")).unwrap();
    fs::write(tw.join("mapping.txt"), "0\tnone\n1\tagainst\n2\tfavor\n").unwrap();
    fs::write(tw.join("climate/test_text.txt"), "a\nb\n").unwrap();
    fs::write(tw.join("climate/test_labels.txt"), "0\n1\n").unwrap();
    let text = tw.join("climate/test_text.txt");
    let before = snapshot(d.path());
    for preds in [tw.join("climate/test_labels.txt"), tw.join("mapping.txt")] {
        let args = ["eval", "--model", p(toy_model()), "--format", "tweeteval", "--data", p(&text), "--predictions", p(&preds)];
        refused(&args, &[p(&preds), "input"]);
        assert_eq!(snapshot(d.path()), before);
    }
}
