//! A binary that works anywhere: copied away from the source tree, with
//! an empty home and data directory, `stance predict` scores with the
//! built-in model exactly as `--model models/newsmtsc` does; named models
//! are found in the data directory after `stance models install`, which
//! never replaces anything; a missing model says how to give one.

mod common;
use common::*;

use std::path::{Path, PathBuf};
use std::process::Command;

/// The built binary, copied into a scratch folder with nothing beside it,
/// and a home and data directory of its own.
struct Away {
    _dir: tempfile::TempDir,
    bin: PathBuf,
    work: PathBuf,
    data: PathBuf,
    home: PathBuf,
}

impl Away {
    fn new() -> Away {
        let dir = tempfile::tempdir().unwrap();
        let (bin_dir, work, data, home) = (dir.path().join("bin"), dir.path().join("work"), dir.path().join("data"), dir.path().join("home"));
        for d in [&bin_dir, &work, &data, &home] {
            std::fs::create_dir(d).unwrap();
        }
        let copy = bin_dir.join("stance");
        std::fs::copy(bin(), &copy).unwrap();
        std::fs::copy(root().join("examples/harbour-dispute.txt"), work.join("article.txt")).unwrap();
        Away { _dir: dir, bin: copy, work, data, home }
    }

    fn run(&self, args: &[&str], env: &[(&str, &Path)]) -> Run {
        let mut cmd = Command::new(&self.bin);
        cmd.args(args).current_dir(&self.work).env_remove("STANCE_MODEL").env("HOME", &self.home).env("XDG_DATA_HOME", &self.data);
        for (k, v) in env {
            cmd.env(k, v);
        }
        // A binary copied a moment ago may still be open for writing in a
        // child forked meanwhile by a parallel test: retry while "busy".
        let mut tries = 0;
        let o = loop {
            match cmd.output() {
                Err(e) if e.kind() == std::io::ErrorKind::ExecutableFileBusy && tries < 100 => {
                    tries += 1;
                    std::thread::sleep(std::time::Duration::from_millis(20));
                }
                r => break r.unwrap(),
            }
        };
        Run { code: o.status.code().unwrap_or(-1), stdout: String::from_utf8_lossy(&o.stdout).into_owned(), stderr: String::from_utf8_lossy(&o.stderr).into_owned() }
    }
}

/// `stance predict` in the repository with the shipped folder, `doc` renamed.
fn in_repo(model: &str) -> String {
    let r = run(&["predict", "--format", "jsonl", "--model", model, "examples/harbour-dispute.txt"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    r.stdout.replace("examples/harbour-dispute.txt", "article.txt")
}

#[test]
fn predict_works_far_from_the_source_tree_with_the_built_in_model() {
    let a = Away::new();
    let r = a.run(&["predict", "--format", "jsonl", "article.txt"], &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.lines().count() > 10);
    assert_eq!(r.stdout, in_repo("models/newsmtsc"));
    // The built-in model also answers to its name.
    let r = a.run(&["predict", "--format", "jsonl", "--model", "newsmtsc", "article.txt"], &[]);
    assert_eq!(r.stdout, in_repo("models/newsmtsc"), "{}", r.stderr);
    let r = a.run(&["models"], &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("newsmtsc  built into this binary  [default]"), "{}", r.stdout);
}

#[test]
fn a_missing_model_names_both_ways_to_give_one() {
    let a = Away::new();
    let nosuch = a.work.join("nosuch");
    for (args, env) in [(vec!["predict", "--model", "nosuch", "article.txt"], vec![]), (vec!["predict", "article.txt"], vec![("STANCE_MODEL", nosuch.as_path())])] {
        let r = a.run(&args, &env);
        assert_eq!(r.code, 1);
        assert_eq!(r.stderr.lines().count(), 1, "{}", r.stderr);
        assert!(r.stderr.contains("nosuch: not found") && r.stderr.contains("--model") && r.stderr.contains("$STANCE_MODEL"), "{}", r.stderr);
    }
}

#[test]
fn installed_models_are_found_by_name_and_never_replaced() {
    let a = Away::new();
    let toy = toy_model();
    let r = a.run(&["models", "install", toy.to_str().unwrap(), "--name", "toy"], &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let installed = a.data.join("stance/models/toy");
    for f in ["bundle.json", "weights.bin", "tokenizer.json"] {
        assert_eq!(std::fs::read(installed.join(f)).unwrap(), std::fs::read(toy.join(f)).unwrap(), "{f}");
    }
    // Found by name, from the data directory, as by its path.
    let by_name = a.run(&["predict", "--format", "jsonl", "--model", "toy", "article.txt"], &[]);
    let by_path = a.run(&["predict", "--format", "jsonl", "--model", toy.to_str().unwrap(), "article.txt"], &[]);
    assert_eq!(by_name.code, 0, "{}", by_name.stderr);
    // The rows name the model by its folder (`toy@…` here, the temporary
    // folder's name there) and the same checksum.
    let by_path_named = by_path.stdout.replace(&format!("\"model\":\"{}@", toy.file_name().unwrap().to_str().unwrap()), "\"model\":\"toy@");
    assert!(by_name.stdout.contains("\"model\":\"toy@"), "{}", by_name.stdout);
    assert_eq!(by_name.stdout, by_path_named);
    let env = a.run(&["predict", "--format", "jsonl", "article.txt"], &[("STANCE_MODEL", Path::new("toy"))]);
    assert_eq!(env.stdout, by_path_named, "{}", env.stderr);
    let listed = a.run(&["models"], &[("STANCE_MODEL", Path::new("toy"))]).stdout;
    assert!(listed.contains(&format!("toy       {}  [default]", installed.display())), "{listed}");
    assert!(listed.contains("newsmtsc  built into this binary\n"), "{listed}");

    // A second install of the same name is refused and the first kept;
    // so is a folder the user made there.
    std::fs::write(installed.join("bundle.json"), b"mine").unwrap();
    let r = a.run(&["models", "install", root().join("models/newsmtsc").to_str().unwrap(), "--name", "toy"], &[]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("already exists") && r.stderr.contains("never replaces"), "{}", r.stderr);
    assert_eq!(std::fs::read(installed.join("bundle.json")).unwrap(), b"mine");
    let mine = a.data.join("stance/models/newsmtsc");
    std::fs::create_dir(&mine).unwrap();
    let r = a.run(&["models", "install", root().join("models/newsmtsc").to_str().unwrap()], &[]);
    assert_eq!(r.code, 1, "{}", r.stdout);
    assert!(std::fs::read_dir(&mine).unwrap().next().is_none());
    // No temporary folders left behind.
    let left: Vec<_> = std::fs::read_dir(a.data.join("stance/models")).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(left.len(), 2, "{left:?}");

    // A damaged bundle is refused before anything is copied.
    let r = a.run(&["models", "install", a.work.to_str().unwrap()], &[]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("bundle.json"), "{}", r.stderr);
    assert!(!a.data.join("stance/models/work").exists());
}

#[test]
fn encoder_models_still_load_by_path() {
    // models/newsmtsc-minilm needs all-minilm-l6-v2, found in the source
    // tree's models/encoders/ (the built-in path does not touch it).
    let a = Away::new();
    let src = root().join("models/newsmtsc-minilm");
    let r = a.run(&["models", "install", src.to_str().unwrap()], &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let listed = a.run(&["models"], &[]).stdout;
    assert!(listed.contains("newsmtsc-minilm") && listed.contains("needs encoder all-minilm-l6-v2 (found)"), "{listed}");
    let text = "Critics accused Mayor Ines Kowalski of lying.";
    let r = run_stdin(&["predict", "--format", "jsonl", "--model", "models/newsmtsc-minilm"], Some(text.as_bytes()));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let sparse = run_stdin(&["predict", "--format", "jsonl"], Some(text.as_bytes()));
    assert_ne!(r.stdout, sparse.stdout, "the encoder model scored like the sparse one");
}
