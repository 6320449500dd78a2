//! The command line as a user meets it: help for every option, shell
//! completions and a man page from the same definitions, the shipped model
//! as every command's default, and the shapes of predict's outputs.

mod common;
use common::*;

use clap::CommandFactory;
use stance::cli::Cli;

const ARTICLE: &str = "examples/harbour-dispute.txt";

/// Every argument of `cmd` and its subcommands, with the command's path.
fn arguments(cmd: &clap::Command, path: &str, out: &mut Vec<(String, clap::Arg)>) {
    for a in cmd.get_arguments() {
        out.push((path.to_string(), a.clone()));
    }
    for sub in cmd.get_subcommands() {
        arguments(sub, &format!("{path} {}", sub.get_name()), out);
    }
}

#[test]
fn every_option_of_every_subcommand_has_help() {
    let mut all = Vec::new();
    arguments(&Cli::command(), "stance", &mut all);
    assert!(all.len() > 40, "walked only {} arguments", all.len());
    let missing: Vec<String> = all
        .iter()
        .filter(|(_, a)| a.get_help().is_none_or(|h| h.to_string().trim().is_empty()))
        .map(|(p, a)| format!("{p} {}", a.get_long().map(|l| format!("--{l}")).unwrap_or_else(|| a.get_id().to_string())))
        .collect();
    assert!(missing.is_empty(), "options without help: {missing:?}");
}

#[test]
fn help_names_the_model_variable_and_no_internals() {
    let top = run(&["--help"]);
    assert_eq!(top.code, 0);
    assert!(top.stdout.contains("STANCE_MODEL"), "{}", top.stdout);
    for sub in ["train", "eval", "predict", "completions", "man"] {
        let r = run(&[sub, "--help"]);
        assert_eq!(r.code, 0, "{sub}: {}", r.stderr);
        // Source-code references belong in the code, not in the help.
        for internal in ["crate::", "`Featurizer", "::score", "[`", "STANCE_TIMING"] {
            assert!(!r.stdout.contains(internal), "{sub} --help shows {internal:?}:\n{}", r.stdout);
        }
    }
}

#[test]
fn completions_and_man_page_come_from_the_definitions() {
    for shell in ["bash", "zsh", "fish"] {
        let r = run(&["completions", shell]);
        assert_eq!(r.code, 0, "{shell}: {}", r.stderr);
        assert!(r.stdout.contains("explain-top") && r.stdout.contains("predict"), "{shell}");
    }
    assert_ne!(run(&["completions", "tcsh-nope"]).code, 0);
    let man = run(&["man"]);
    assert_eq!(man.code, 0, "{}", man.stderr);
    assert!(man.stdout.starts_with(".ie") || man.stdout.contains(".TH stance"), "{}", &man.stdout[..200.min(man.stdout.len())]);
    assert!(man.stdout.contains("stance\\-predict") && man.stdout.contains("STANCE_MODEL"));
}

#[test]
fn eval_defaults_to_the_shipped_model_like_predict() {
    let r = run(&["eval", "--format", "csv", "--data", "datasets/toy/test.csv", "--json", "--quiet"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v: serde_json::Value = serde_json::from_str(r.stdout.trim()).unwrap();
    assert!(v["macro_f1"].as_f64().is_some() || v.get("accuracy").is_some(), "{v}");
}

fn model_id() -> String {
    let j = run(&["predict", "--format", "jsonl", ARTICLE]);
    let first: serde_json::Value = serde_json::from_str(j.stdout.lines().next().unwrap()).unwrap();
    first["model"].as_str().unwrap().to_string()
}

#[test]
fn every_output_names_its_model() {
    let id = model_id();
    let sha = serde_json::from_slice::<serde_json::Value>(&std::fs::read(root().join("models/newsmtsc/bundle.json")).unwrap()).unwrap()["bundle_sha256"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(id, format!("newsmtsc@{}", &sha[..12]));
    let j = run(&["predict", "--format", "jsonl", ARTICLE]);
    assert!(j.stdout.lines().all(|l| l.contains(&format!("\"model\":\"{id}\""))), "{}", j.stdout);
    let c = run(&["predict", "--format", "csv", ARTICLE]);
    let mut rdr = csv::Reader::from_reader(c.stdout.as_bytes());
    let at = rdr.headers().unwrap().iter().position(|h| h == "model").expect("model column");
    assert!(rdr.records().all(|r| r.unwrap()[at] == id));
    let t = run(&["predict", "--format", "table", ARTICLE]);
    assert!(t.stdout.lines().next().unwrap().contains(&id), "{}", t.stdout);
}

#[test]
fn csv_has_the_fields_of_json_lines() {
    let j = run(&["predict", "--format", "jsonl", "--explain", "--explain-top", "2", ARTICLE]);
    let first: serde_json::Map<String, serde_json::Value> = serde_json::from_str(j.stdout.lines().next().unwrap()).unwrap();
    let c = run(&["predict", "--format", "csv", "--explain", "--explain-top", "2", ARTICLE]);
    assert_eq!(c.code, 0, "{}", c.stderr);
    let mut rdr = csv::Reader::from_reader(c.stdout.as_bytes());
    let header: Vec<String> = rdr.headers().unwrap().iter().map(str::to_string).collect();
    for k in first.keys().filter(|k| *k != "type" && *k != "probabilities") {
        assert!(header.contains(k), "CSV lacks {k}: {header:?}");
    }
    for l in first["probabilities"].as_object().unwrap().keys() {
        assert!(header.contains(&format!("p_{l}")), "{header:?}");
    }
    let explain = header.iter().position(|h| h == "explain").unwrap();
    let kind = header.iter().position(|h| h == "actor_kind").unwrap();
    for r in rdr.records() {
        let r = r.unwrap();
        let pairs: Vec<&str> = r[explain].split('\n').collect();
        assert_eq!(pairs.len(), 2, "{:?}", &r[explain]);
        assert!(pairs.iter().all(|p| p.rsplit_once('=').is_some_and(|(_, w)| w.parse::<f64>().is_ok())), "{pairs:?}");
        assert!(["person", "country", "organization", "other"].contains(&&r[kind]));
    }
}

#[test]
fn summary_file_holds_the_summary_rows() {
    let d = tempfile::tempdir().unwrap();
    let sum = d.path().join("summary.csv");
    let c = run(&["predict", "--format", "csv", "--summary", sum.to_str().unwrap(), ARTICLE]);
    assert_eq!(c.code, 0, "{}", c.stderr);
    let j = run(&["predict", "--format", "jsonl", ARTICLE]);
    let summaries: Vec<serde_json::Value> =
        j.stdout.lines().map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap()).filter(|v| v["type"] == "summary").collect();
    let mut rdr = csv::Reader::from_path(&sum).unwrap();
    let h = rdr.headers().unwrap().clone();
    let rows: Vec<csv::StringRecord> = rdr.records().map(|r| r.unwrap()).collect();
    assert_eq!(rows.len(), summaries.len());
    let (actor, mentions) = (h.iter().position(|x| x == "actor").unwrap(), h.iter().position(|x| x == "mentions").unwrap());
    for (r, s) in rows.iter().zip(&summaries) {
        assert_eq!(&r[actor], s["actor"].as_str().unwrap());
        assert_eq!(r[mentions].parse::<u64>().unwrap(), s["mentions"].as_u64().unwrap());
    }
    // JSON Lines with --summary: the main output keeps mentions only.
    let sj = d.path().join("summary.jsonl");
    let j2 = run(&["predict", "--format", "jsonl", "--summary", sj.to_str().unwrap(), ARTICLE]);
    assert!(j2.stdout.lines().all(|l| l.contains("\"type\":\"mention\"")));
    assert_eq!(std::fs::read_to_string(&sj).unwrap().lines().count(), summaries.len());
    // Never over an input, never into a model.
    let input = d.path().join("a.txt");
    std::fs::copy(root().join(ARTICLE), &input).unwrap();
    let before = std::fs::read(&input).unwrap();
    let r = run(&["predict", "--format", "csv", "--summary", input.to_str().unwrap(), input.to_str().unwrap()]);
    assert_ne!(r.code, 0);
    assert!(r.stderr.contains("--summary") && r.stderr.contains("input"), "{}", r.stderr);
    assert_eq!(std::fs::read(&input).unwrap(), before);
    let r = run(&["predict", "--model", "models/newsmtsc", "--format", "csv", "--summary", "models/newsmtsc/summary.csv", ARTICLE]);
    assert_ne!(r.code, 0);
    assert!(!root().join("models/newsmtsc/summary.csv").exists());
}

#[test]
fn table_wraps_whole_words_sorts_the_summary_and_counts_sentences_right() {
    let t = run(&["predict", "--format", "table", ARTICLE]);
    assert_eq!(t.code, 0, "{}", t.stderr);
    assert!(!t.stdout.contains('…'), "something was cut:\n{}", t.stdout);
    // Every word of every scored sentence is in the table whole.
    let shown: std::collections::HashSet<&str> = t.stdout.split_whitespace().collect();
    let j = run(&["predict", "--format", "jsonl", ARTICLE]);
    for m in j.stdout.lines().map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap()).filter(|v| v["type"] == "mention") {
        for w in m["sentence"].as_str().unwrap().split_whitespace() {
            assert!(shown.contains(w), "{w:?} is not shown whole:\n{}", t.stdout);
        }
    }
    // The summary, most mentioned first.
    let summary: Vec<&str> = t.stdout.lines().skip_while(|l| !l.starts_with("Summary")).skip(2).take_while(|l| !l.is_empty()).collect();
    let counts: Vec<u64> = summary.iter().map(|l| l.split_whitespace().rev().nth(4).unwrap().parse().unwrap()).collect();
    assert!(counts.len() >= 3 && counts.windows(2).all(|w| w[0] >= w[1]), "{summary:?}");
    // One sentence is "1 sentence".
    let one = run_stdin(&["predict", "--format", "table"], Some(b"Mayor Ines Kowalski praised the dock workers."));
    assert!(one.stdout.contains("Summary (1 sentence,"), "{}", one.stdout);
    // Sentence [N] is sentence_index N - 1, as the header says.
    let first: serde_json::Value = serde_json::from_str(j.stdout.lines().next().unwrap()).unwrap();
    let n = first["sentence_index"].as_u64().unwrap() + 1;
    assert!(t.stdout.contains(&format!("\n[{n}] ")), "{}", t.stdout);
    assert!(t.stdout.lines().next().unwrap().contains("sentence_index N-1"));
}

#[test]
fn training_warns_about_thin_data_and_reports_training_accuracy() {
    let d = tempfile::tempdir().unwrap();
    let train = d.path().join("train.csv");
    let mut csv = String::from("text,target,label\n");
    for i in 0..8 {
        csv.push_str(&format!("\"Critics attacked Anna Berg over the fraud {i}.\",Anna Berg,negative\n"));
        csv.push_str(&format!("\"Voters praised Piet Vos for the new bridge {i}.\",Piet Vos,positive\n"));
    }
    csv.push_str("\"The weather was mild.\",climate policy,neutral\n");
    csv.push_str("\"Nobody mentioned it.\",the budget,neutral\n");
    std::fs::write(&train, csv).unwrap();
    let out = d.path().join("m");
    let r = run(&["train", "--format", "csv", "--train", train.to_str().unwrap(), "--dev", train.to_str().unwrap(), "--out", out.to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stderr.contains("label \"neutral\" has only 2 training example(s)"), "{}", r.stderr);
    assert!(r.stderr.contains("only 18 training targets"), "{}", r.stderr);
    assert!(r.stderr.contains("2 of 18 targets (first: \"climate policy\", line 18) do not occur in their text; they are trained as topics"), "{}", r.stderr);
    // Training accuracy beside the dev score, the metric named, then where it went.
    let acc = r.stdout.find("training accuracy (train): ").expect(&r.stdout);
    let dev = r.stdout.find("; dev macro-F1 at l2 1: ").expect(&r.stdout);
    let wrote = r.stdout.find("wrote ").expect(&r.stdout);
    assert!(acc < dev && dev < wrote, "{}", r.stdout);
    assert!(!r.stdout.contains("evaluations"));
    // --quiet silences progress only: the warnings about the data stay,
    // word for word, and nothing else is added.
    let args = ["train", "--format", "csv", "--train", train.to_str().unwrap(), "--out", out.to_str().unwrap()];
    let loud = run(&args);
    let q = run(&[&args[..], &["--quiet"]].concat());
    assert_eq!(q.code, 0, "{}", q.stderr);
    assert!(q.stderr.contains("only 18 training targets"), "{}", q.stderr);
    assert_eq!(q.stderr, loud.stderr);
    assert!(q.stderr.lines().all(|l| l.starts_with("stance: warning: ")), "{}", q.stderr);
}
