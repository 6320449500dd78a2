//! Helpers shared by the integration tests: run the built binary, make
//! scratch files, train the toy model once.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::OnceLock;

pub mod clear_errors;

pub fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_stance")
}

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

pub fn run(args: &[&str]) -> Run {
    run_stdin(args, None)
}

pub fn run_stdin(args: &[&str], stdin: Option<&[u8]>) -> Run {
    run_env(args, stdin, &[])
}

/// `run` with extra environment variables (e.g. `RAYON_NUM_THREADS`).
pub fn run_env(args: &[&str], stdin: Option<&[u8]>, env: &[(&str, &str)]) -> Run {
    let mut cmd = Command::new(bin());
    cmd.envs(env.iter().copied());
    cmd.args(args).current_dir(root()).stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped());
    let mut child = cmd.spawn().expect("spawn stance");
    {
        use std::io::Write;
        let mut input = child.stdin.take().unwrap();
        if let Some(b) = stdin {
            let _ = input.write_all(b);
        }
    }
    let Output { status, stdout, stderr } = child.wait_with_output().unwrap();
    Run {
        code: status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&stdout).into_owned(),
        stderr: String::from_utf8_lossy(&stderr).into_owned(),
    }
}

/// Train on the toy corpus with `extra` options into a temporary folder
/// named `name`, once per test binary.
fn toy_model_once(cell: &'static OnceLock<PathBuf>, name: &str, extra: &[&str]) -> &'static Path {
    cell.get_or_init(|| {
        let d = std::env::temp_dir().join(format!("stance-{name}-{}", std::process::id()));
        let mut args = vec!["train", "--format", "csv", "--train", "datasets/toy/train.csv", "--out", d.to_str().unwrap(), "--quiet"];
        args.extend_from_slice(extra);
        let r = run(&args);
        assert_eq!(r.code, 0, "{}", r.stderr);
        d
    })
}

/// A bundle trained once on the toy corpus, shared by tests.
pub fn toy_model() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    toy_model_once(&DIR, "toy-model", &[])
}

/// A deliberately weak toy model (strong L2, the lexicon and character
/// families off) that errs on the toy test, so intervals and paired
/// differences have something to measure.
pub fn weak_toy_model() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    toy_model_once(&DIR, "weak-toy-model", &["--l2", "30", "--no-feature", "lexicon", "--no-feature", "chars"])
}

/// Set to `1`, a missing dataset fails the accuracy tests instead of
/// skipping them (`.ci/run` sets it), so they cannot pass vacuously.
pub const REQUIRE_DATASETS: &str = "STANCE_REQUIRE_DATASETS";
/// Where the public corpora are, when not at `../shared/datasets`.
pub const DATASETS: &str = "STANCE_DATASETS";

/// `../shared/datasets` (or `$STANCE_DATASETS`) where the public corpora
/// are there. Where they are not: a panic when `STANCE_REQUIRE_DATASETS=1`,
/// else `None` and a skip note that shows in `cargo test`'s output.
pub fn shared_datasets() -> Option<PathBuf> {
    let dir = std::env::var_os(DATASETS).map(PathBuf::from).unwrap_or_else(|| root().join("../shared/datasets"));
    let required = std::env::var(REQUIRE_DATASETS).is_ok_and(|v| v == "1");
    match datasets_at(&dir, required) {
        Ok(found) => found,
        Err(message) => panic!("{message}"),
    }
}

/// The decision of [`shared_datasets`]: `Ok(Some(dir))` with the corpora
/// present; else `Err` when `required`, `Ok(None)` (and a note) when not.
pub fn datasets_at(dir: &Path, required: bool) -> Result<Option<PathBuf>, String> {
    let missing: Vec<&str> = ["newsmtsc/train.jsonl", "tweeteval/stance"].into_iter().filter(|f| !dir.join(f).exists()).collect();
    if missing.is_empty() {
        return Ok(Some(dir.to_path_buf()));
    }
    let what = format!("{}: {} not present", dir.display(), missing.join(", "));
    if required {
        return Err(format!("{REQUIRE_DATASETS}=1 but {what}; the accuracy tests need the public corpora there (or at ${DATASETS})"));
    }
    // Straight to the process's stderr: the test harness captures
    // `eprintln!` of passing tests, and a skip should be seen.
    use std::io::Write;
    let _ = writeln!(std::io::stderr(), "skipped: {what} (set {REQUIRE_DATASETS}=1 to fail instead)");
    Ok(None)
}
