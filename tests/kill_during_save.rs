//! Atomic saving, proven: `stance train` is killed (SIGKILL) at many points
//! while it writes over an existing bundle; every time, the bundle there
//! still loads and scores exactly as the old one or as a complete new one.

mod common;
use common::*;

use std::fs;
use std::process::{Command, Stdio};
use std::time::Instant;

/// A corpus big enough that training takes a noticeable time.
fn big_corpus(path: &std::path::Path) {
    let base = fs::read_to_string(root().join("datasets/toy/train.csv")).unwrap();
    let rows: Vec<&str> = base.lines().skip(1).collect();
    let mut out = String::from("text,target,label\n");
    for i in 0..150 {
        for r in &rows {
            // Vary the words so the feature space grows with the copies.
            out.push_str(&r.replacen(" the ", &format!(" the w{i} "), 1));
            out.push('\n');
        }
    }
    fs::write(path, out).unwrap();
}

fn scores(model: &std::path::Path) -> String {
    let r = run(&["eval", "--model", model.to_str().unwrap(), "--format", "csv", "--data", "datasets/toy/test.csv", "--json"]);
    assert_eq!(r.code, 0, "bundle no longer loads: {}", r.stderr);
    r.stdout
}

#[test]
fn killing_train_never_breaks_the_bundle() {
    let d = tempfile::tempdir().unwrap();
    let corpus = d.path().join("big.csv");
    big_corpus(&corpus);
    let model = d.path().join("model");
    let train = |seed: &str| {
        Command::new(bin())
            .args(["train", "--format", "csv", "--train", corpus.to_str().unwrap(), "--out", model.to_str().unwrap(), "--quiet", "--seed", seed])
            .current_dir(root())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap()
    };
    // The old bundle, and how long a full run takes.
    let t = Instant::now();
    assert!(train("1").wait().unwrap().success());
    let full = t.elapsed();
    let old = scores(&model);
    let old_weights = fs::read(model.join("weights.bin")).unwrap();
    // The new bundle a complete run with seed 2 writes.
    let other = d.path().join("other");
    let r = run(&["train", "--format", "csv", "--train", corpus.to_str().unwrap(), "--out", other.to_str().unwrap(), "--quiet", "--seed", "2"]);
    assert_eq!(r.code, 0);
    let new_weights = fs::read(other.join("weights.bin")).unwrap();
    assert_ne!(old_weights, new_weights);

    let (mut saw_old, mut saw_new) = (0, 0);
    for i in 0..20 {
        // Kill points spread over the whole run, the final writes included.
        let at = full.mul_f64(0.3 + 0.9 * i as f64 / 20.0);
        let mut child = train("2");
        std::thread::sleep(at);
        let _ = child.kill(); // SIGKILL
        let _ = child.wait();
        let w = fs::read(model.join("weights.bin")).expect("weights.bin is there");
        if w == old_weights {
            saw_old += 1;
            assert_eq!(scores(&model), old);
        } else {
            assert_eq!(w, new_weights, "kill {i} left a bundle that is neither old nor new");
            saw_new += 1;
            scores(&model);
            // Put the old one back for the next round.
            assert!(train("1").wait().unwrap().success());
        }
    }
    eprintln!("killed 20 times: old bundle intact {saw_old}, new bundle complete {saw_new}; full run {full:?}");
    // Stale temporary folders of killed runs are cleaned by the next train.
    assert!(train("1").wait().unwrap().success());
    let left: Vec<String> = fs::read_dir(d.path()).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    assert!(left.iter().all(|f| !f.contains(".tmp-")), "{left:?}");
}
