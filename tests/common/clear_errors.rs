//! The runner of `tests/bad_input.rs` and `tests/hostile_input.rs`: each
//! case must fail with exit code 1, one error line that starts with
//! `stance: error: ` and holds the wanted fragments (file, line, problem),
//! nothing on standard output, and no panic. The error line is the last;
//! before it there may only be warnings (`train` warns about thin data
//! before it fails, `--quiet` or not).

use std::fs;
use std::path::Path;

use super::run_stdin;

/// One command that must fail clearly.
pub struct Case {
    pub name: &'static str,
    pub args: Vec<String>,
    /// Fed to standard input (none: an empty one).
    pub stdin: Option<Vec<u8>>,
    /// Fragments the error line must contain.
    pub want: Vec<String>,
}

/// A NewsMTSC line every reader accepts, for building bad ones from.
pub const GOOD_NEWSMTSC: &str = r#"{"sentence_normalized": "Maduro spoke.", "targets": [{"from": 0, "to": 6, "mention": "Maduro", "polarity": 4.0}]}"#;

/// Owned strings, for a case's arguments and wanted fragments.
pub fn s(v: &[&str]) -> Vec<String> {
    v.iter().map(|x| x.to_string()).collect()
}

/// Write `bytes` to `dir/name` (folders made as needed); its path.
pub fn write(dir: &Path, name: &str, bytes: &[u8]) -> String {
    let p = dir.join(name);
    fs::create_dir_all(p.parent().unwrap()).unwrap();
    fs::write(&p, bytes).unwrap();
    p.to_str().unwrap().to_string()
}

/// Run every case; fail with the list of those that did not fail clearly.
pub fn assert_clear_errors(cases: &[Case]) {
    let mut failures = Vec::new();
    for c in cases {
        let args: Vec<&str> = c.args.iter().map(|s| s.as_str()).collect();
        let r = run_stdin(&args, c.stdin.as_deref());
        let lines: Vec<&str> = r.stderr.trim_end().lines().collect();
        let (err, before) = lines.split_last().map_or(("", &[][..]), |(e, b)| (*e, b));
        let ok = r.code == 1
            && r.stdout.is_empty()
            && before.iter().all(|l| l.starts_with("stance: warning: "))
            && err.starts_with("stance: error: ")
            && !err.contains("panicked")
            && c.want.iter().all(|w| err.contains(w.as_str()));
        if !ok {
            failures.push(format!("{} ({}): exit {} stdout {:?} stderr {:?} (wanted {:?})", c.name, c.args.join(" "), r.code, r.stdout, r.stderr, c.want));
        }
    }
    assert!(failures.is_empty(), "{} of {} cases failed:\n{}", failures.len(), cases.len(), failures.join("\n"));
}
