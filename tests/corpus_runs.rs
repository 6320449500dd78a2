//! Runs over many articles: `predict DIR`, `-o`, `--keep`, one actor id
//! across articles, and `summarize` on known input.

mod common;

use common::*;
use serde_json::{json, Value};
use std::path::Path;

fn rows(jsonl: &str) -> Vec<Value> {
    jsonl.lines().map(|l| serde_json::from_str(l).unwrap()).collect()
}

fn p(x: &Path) -> &str {
    x.to_str().unwrap()
}

#[test]
fn a_folder_is_read_in_sorted_order_txt_files_only() {
    let d = tempfile::tempdir().unwrap();
    std::fs::create_dir(d.path().join("sub")).unwrap();
    for (name, text) in [("b.txt", "Angela Merkel spoke."), ("a.txt", "Juan Guaido spoke."), ("sub/c.txt", "Nicolas Maduro spoke."), (".hidden.txt", "Boris Johnson spoke."), ("notes.md", "Joe Biden spoke.")] {
        std::fs::write(d.path().join(name), text).unwrap();
    }
    let r = run(&["predict", "--format", "jsonl", p(d.path())]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let mut docs: Vec<String> = rows(&r.stdout).iter().filter(|v| v["type"] == "mention").map(|v| v["doc"].as_str().unwrap().to_string()).collect();
    docs.dedup();
    let want: Vec<String> = ["a.txt", "b.txt", "sub/c.txt"].iter().map(|n| d.path().join(n).display().to_string()).collect();
    assert_eq!(docs, want);
    let empty = tempfile::tempdir().unwrap();
    let r = run(&["predict", p(empty.path())]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("no .txt files"), "{}", r.stderr);
}

#[test]
fn output_file_is_written_whole_and_never_over_an_input() {
    let d = tempfile::tempdir().unwrap();
    let art = d.path().join("a.txt");
    std::fs::write(&art, "Juan Guaido criticised Nicolas Maduro.").unwrap();
    let out = d.path().join("rows.jsonl");
    let r = run(&["predict", "-o", p(&out), p(&art)]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.is_empty());
    let written = std::fs::read_to_string(&out).unwrap();
    let to_stdout = run(&["predict", "--format", "jsonl", p(&art)]);
    assert_eq!(written, to_stdout.stdout);
    // The user named it: replaced. An input: refused, untouched.
    std::fs::write(&out, "old").unwrap();
    assert_eq!(run(&["predict", "--output", p(&out), p(&art)]).code, 0);
    assert_eq!(std::fs::read_to_string(&out).unwrap(), written);
    let r = run(&["predict", "-o", p(&art), p(&art)]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("input"), "{}", r.stderr);
    assert_eq!(std::fs::read_to_string(&art).unwrap(), "Juan Guaido criticised Nicolas Maduro.");
    let left: Vec<String> = std::fs::read_dir(d.path()).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    assert!(left.iter().all(|n| !n.contains(".tmp-")), "{left:?}");
}

const ARTICLES: &[(&str, &str, &str)] = &[
    ("1", "Daily Planet", "Opposition leader Juan Guaidó met supporters in Caracas. Guaidó said the vote was stolen."),
    ("2", "Morning Star", "On Tuesday, Guaido again attacked the government, and Nicolas Maduro dismissed him."),
    ("3", "Daily Planet", "Juan Guaido praised the protesters. Maduro called the protest illegal."),
];

fn jsonl_input() -> String {
    ARTICLES.iter().map(|(id, outlet, text)| json!({"id": id, "outlet": outlet, "date": 20190100 + id.parse::<u32>().unwrap(), "text": text}).to_string() + "\n").collect()
}

#[test]
fn one_person_spelled_three_ways_in_three_articles_is_one_actor() {
    let r = run_stdin(&["predict", "--input", "jsonl", "--format", "jsonl"], Some(jsonl_input().as_bytes()));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let rows = rows(&r.stdout);
    let guaido: Vec<&Value> = rows.iter().filter(|v| v["type"] == "mention" && v["mention"].as_str().is_some_and(|m| m.contains("Guaid"))).collect();
    let docs: std::collections::BTreeSet<&str> = guaido.iter().map(|v| v["doc"].as_str().unwrap()).collect();
    assert_eq!(docs.len(), 3, "{guaido:?}");
    for v in &guaido {
        assert_eq!((v["actor"].as_str().unwrap(), v["actor_id"].as_str().unwrap()), ("Juan Guaidó", "juan-guaido"), "{v}");
    }
    let maduro: std::collections::BTreeSet<(&str, &str)> =
        rows.iter().filter(|v| v["type"] == "mention" && v["mention"].as_str().is_some_and(|m| m.contains("Maduro"))).map(|v| (v["actor"].as_str().unwrap(), v["actor_id"].as_str().unwrap())).collect();
    assert_eq!(maduro.into_iter().collect::<Vec<_>>(), vec![("Nicolas Maduro", "nicolas-maduro")]);
}

#[test]
fn keep_fields_reach_every_row_of_every_format() {
    let input = jsonl_input();
    let r = run_stdin(&["predict", "--input", "jsonl", "--format", "jsonl", "--keep", "outlet,date"], Some(input.as_bytes()));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let rows = rows(&r.stdout);
    assert!(rows.len() > 6);
    for v in &rows {
        let (_, outlet, _) = ARTICLES.iter().find(|(id, _, _)| v["doc"] == *id).unwrap();
        assert_eq!(v["outlet"], *outlet, "{v}");
        assert_eq!(v["date"], json!(20190100 + v["doc"].as_str().unwrap().parse::<u32>().unwrap()), "{v}");
    }
    // CSV in, CSV out: a column per kept field.
    let d = tempfile::tempdir().unwrap();
    let csv_in = d.path().join("in.csv");
    let mut w = csv::Writer::from_path(&csv_in).unwrap();
    w.write_record(["id", "outlet", "text"]).unwrap();
    for (id, outlet, text) in ARTICLES {
        w.write_record([id, outlet, text]).unwrap();
    }
    w.flush().unwrap();
    let r = run(&["predict", "--input", "csv", "--format", "csv", "--keep", "outlet", p(&csv_in)]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let mut rd = csv::Reader::from_reader(r.stdout.as_bytes());
    let h = rd.headers().unwrap().clone();
    let (doc, outlet) = (h.iter().position(|c| c == "doc").unwrap(), h.iter().position(|c| c == "outlet").unwrap());
    let mut n = 0;
    for rec in rd.records() {
        let rec = rec.unwrap();
        let (_, want, _) = ARTICLES.iter().find(|(id, _, _)| *id == &rec[doc]).unwrap();
        assert_eq!(&rec[outlet], *want);
        n += 1;
    }
    assert!(n > 3);
    let r = run(&["predict", "--input", "csv", "--keep", "source", p(&csv_in)]);
    assert!(r.code == 1 && r.stderr.contains("missing column `source`"), "{}", r.stderr);
    let r = run(&["predict", "--keep", "outlet", "examples/harbour-dispute.txt"]);
    assert!(r.code == 1 && r.stderr.contains("--keep"), "{}", r.stderr);
    let r = run_stdin(&["predict", "--input", "jsonl", "--keep", "actor"], Some(input.as_bytes()));
    assert!(r.code == 1 && r.stderr.contains("--keep actor"), "{}", r.stderr);
}

fn mention(doc: &str, outlet: &str, actor: &str, score: f64, label: &str) -> String {
    json!({"type": "mention", "doc": doc, "outlet": outlet, "actor": actor, "actor_id": actor.to_lowercase(), "actor_kind": "person", "label": label, "score": score}).to_string() + "\n"
}

fn summarize(input: &str, args: &[&str]) -> Vec<Value> {
    let mut a = vec!["summarize", "--format", "jsonl"];
    a.extend_from_slice(args);
    let r = run_stdin(&a, Some(input.as_bytes()));
    assert_eq!(r.code, 0, "{}", r.stderr);
    rows(&r.stdout)
}

#[test]
fn summarize_gives_counts_means_shares_and_article_intervals() {
    let mut input = String::new();
    // Ann: 3 articles in outlet A, every article's mean 0.5 (so the interval is the point);
    // the middle one has two mentions.
    input += &mention("a1", "A", "Ann", 0.5, "positive");
    input += &mention("a2", "A", "Ann", 0.2, "neutral");
    input += &mention("a2", "A", "Ann", 0.8, "positive");
    input += &mention("a3", "A", "Ann", 0.5, "positive");
    // A summary row of predict is skipped.
    input += &(json!({"type": "summary", "doc": "a3", "actor": "Ann"}).to_string() + "\n");
    // Bob in outlet B: two articles, means -1 and +1: resampled means are -1, 0 or +1.
    input += &mention("b1", "B", "Bob", -1.0, "negative");
    input += &mention("b2", "B", "Bob", 1.0, "positive");
    // Ann once in B.
    input += &mention("b1", "B", "Ann", 0.0, "neutral");
    let rows = summarize(&input, &["--group-by", "outlet"]);
    let got: Vec<(String, String, u64, u64)> = rows
        .iter()
        .map(|v| (v["outlet"].as_str().unwrap().into(), v["actor"].as_str().unwrap().into(), v["mentions"].as_u64().unwrap(), v["articles"].as_u64().unwrap()))
        .collect();
    let row = |o: &str, a: &str, m: u64, n: u64| (o.to_string(), a.to_string(), m, n);
    assert_eq!(got, vec![row("A", "Ann", 4, 3), row("B", "Bob", 2, 2), row("B", "Ann", 1, 1)]);
    let ann = &rows[0];
    assert!((ann["mean_score"].as_f64().unwrap() - 0.5).abs() < 1e-9);
    assert!((ann["ci_low"].as_f64().unwrap() - 0.5).abs() < 1e-9 && (ann["ci_high"].as_f64().unwrap() - 0.5).abs() < 1e-9, "{ann}");
    assert_eq!(ann["shares"]["positive"], json!(0.75));
    assert_eq!(ann["shares"]["neutral"], json!(0.25));
    assert_eq!(ann["shares"]["negative"], json!(0.0));
    let bob = &rows[1];
    assert_eq!(bob["mean_score"], json!(0.0));
    // P(all draws are b1) = 1/4 each way: the 2.5th and 97.5th percentiles are the extremes.
    assert_eq!((bob["ci_low"].as_f64().unwrap(), bob["ci_high"].as_f64().unwrap()), (-1.0, 1.0));
    // Without grouping Ann is one row over 4 articles; --min-mentions drops Bob.
    let rows = summarize(&input, &["--min-mentions", "3"]);
    assert_eq!(rows.len(), 1);
    assert_eq!((rows[0]["mentions"].as_u64(), rows[0]["articles"].as_u64()), (Some(5), Some(4)));
    assert!((rows[0]["mean_score"].as_f64().unwrap() - 0.4).abs() < 1e-9);
}

#[test]
fn summarize_interval_matches_the_normal_approximation_on_many_articles() {
    // 400 articles, one mention each, scores spread over [-0.5, 0.5].
    let scores: Vec<f64> = (0..400).map(|i| ((i * 37) % 101) as f64 / 100.0 - 0.5).collect();
    let input: String = scores.iter().enumerate().map(|(i, s)| mention(&format!("d{i}"), "A", "Ann", *s, "neutral")).collect();
    let n = scores.len() as f64;
    let mean = scores.iter().sum::<f64>() / n;
    let sd = (scores.iter().map(|s| (s - mean).powi(2)).sum::<f64>() / n).sqrt();
    let se = sd / n.sqrt();
    let rows = summarize(&input, &["--resamples", "4000"]);
    let (lo, hi) = (rows[0]["ci_low"].as_f64().unwrap(), rows[0]["ci_high"].as_f64().unwrap());
    assert!((lo - (mean - 1.96 * se)).abs() < 0.2 * se, "low {lo} vs {}", mean - 1.96 * se);
    assert!((hi - (mean + 1.96 * se)).abs() < 0.2 * se, "high {hi} vs {}", mean + 1.96 * se);
    // Seeded: the same again; another seed moves it a little.
    assert_eq!(summarize(&input, &["--resamples", "4000"]), rows);
}

#[test]
fn summarize_names_the_file_and_line_of_a_bad_row() {
    let d = tempfile::tempdir().unwrap();
    let f = d.path().join("rows.jsonl");
    std::fs::write(&f, mention("a", "A", "Ann", 0.1, "neutral") + "{\"type\": \"mention\", \"doc\": \"a\"\n").unwrap();
    let r = run(&["summarize", p(&f)]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains(&format!("{}:2", f.display())) && r.stderr.contains("invalid JSON"), "{}", r.stderr);
    std::fs::write(&f, mention("a", "A", "Ann", 0.1, "neutral")).unwrap();
    let r = run(&["summarize", "--group-by", "date", p(&f)]);
    assert!(r.code == 1 && r.stderr.contains(":1") && r.stderr.contains("no field `date`"), "{}", r.stderr);
}

#[test]
fn predict_then_summarize_end_to_end() {
    let r = run_stdin(&["predict", "--input", "jsonl", "--format", "jsonl", "--keep", "outlet"], Some(jsonl_input().as_bytes()));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let rows = summarize(&r.stdout, &["--group-by", "outlet"]);
    let guaido: Vec<&Value> = rows.iter().filter(|v| v["actor_id"] == "juan-guaido").collect();
    assert_eq!(guaido.len(), 2, "{rows:?}");
    let planet = guaido.iter().find(|v| v["outlet"] == "Daily Planet").unwrap();
    assert_eq!(planet["articles"], json!(2));
    let lo = planet["ci_low"].as_f64().unwrap();
    let hi = planet["ci_high"].as_f64().unwrap();
    let m = planet["mean_score"].as_f64().unwrap();
    assert!(lo <= m + 1e-4 && m <= hi + 1e-4, "{planet}");
}

/// Issue 14's defect: the same single article grouped its actors one way
/// read as a `.txt` file ("Union" in "Union leader Marta Lind" its own
/// actor) and another through `--input jsonl` (the European Union). Every
/// way of reading one article gives the same rows, and so does a corpus of
/// that article twice.
#[test]
fn one_article_gives_the_same_actors_however_it_is_read() {
    let seed = root().join("../shared/seed/venezuela-article.txt");
    let mut files = vec![root().join("examples/harbour-dispute.txt")];
    files.extend(seed.exists().then_some(seed));
    let d = tempfile::tempdir().unwrap();
    for file in &files {
        let text = std::fs::read_to_string(file).unwrap();
        // Rows without their doc, which names the input.
        let strip = |out: &str| -> Vec<Value> {
            rows(out).into_iter().filter(|v| v["type"] == "mention").map(|mut v| { v.as_object_mut().unwrap().remove("doc"); v }).collect()
        };
        let ok = |r: Run| { assert_eq!(r.code, 0, "{}", r.stderr); strip(&r.stdout) };
        let as_txt = ok(run(&["predict", "--format", "jsonl", p(file)]));
        let from_stdin = ok(run_stdin(&["predict", "--format", "jsonl", "-"], Some(text.as_bytes())));
        let line = json!({"id": "a", "text": text}).to_string() + "\n";
        let as_jsonl = ok(run_stdin(&["predict", "--input", "jsonl", "--format", "jsonl"], Some(line.as_bytes())));
        let csv = d.path().join("a.csv");
        let mut w = csv::Writer::from_path(&csv).unwrap();
        w.write_record(["id", "text"]).unwrap();
        w.write_record(["a", text.as_str()]).unwrap();
        w.flush().unwrap();
        let as_csv = ok(run(&["predict", "--input", "csv", "--format", "jsonl", p(&csv)]));
        let twice = ok(run_stdin(&["predict", "--input", "jsonl", "--format", "jsonl"], Some(line.repeat(2).as_bytes())));
        assert!(as_txt.len() > 10, "{file:?}");
        assert_eq!(from_stdin, as_txt, "{file:?}: stdin");
        assert_eq!(as_jsonl, as_txt, "{file:?}: --input jsonl");
        assert_eq!(as_csv, as_txt, "{file:?}: --input csv");
        assert_eq!(twice.len(), 2 * as_txt.len());
        assert_eq!(&twice[..as_txt.len()], &as_txt[..], "{file:?}: twice");
        assert_eq!(&twice[as_txt.len()..], &as_txt[..], "{file:?}: twice");
    }
    // The union is not the European Union, whichever way it is read.
    let r = run(&["predict", "--input", "jsonl", "--format", "jsonl", "examples/corpus.jsonl"]);
    let union: Vec<Value> = rows(&r.stdout).into_iter().filter(|v| v["type"] == "mention" && v["mention"] == "Union").collect();
    let harbour = run(&["predict", "--format", "jsonl", "examples/harbour-dispute.txt"]);
    let union_alone: Vec<Value> = rows(&harbour.stdout).into_iter().filter(|v| v["type"] == "mention" && v["mention"] == "Union").collect();
    assert_eq!(union_alone.len(), 1);
    assert_eq!(union_alone[0]["actor"], "Union");
    assert!(union.iter().all(|v| v["actor"] != "European Union"), "{union:?}");
}

#[test]
fn a_corpus_scored_in_parts_with_its_actor_names_gives_one_runs_bytes() {
    // What examples/spark/pipe_binary.py does on a cluster: --actor-names
    // over every part, the lines in corpus order as --groups for each part.
    let d = tempfile::tempdir().unwrap();
    let parts = [
        d.path().join("p1.jsonl"),
        d.path().join("p2.jsonl"),
    ];
    std::fs::write(&parts[0], "{\"id\":\"a0\",\"text\":\"Opposition leader Juan Guaidó called for new elections.\"}\n{\"id\":\"a1\",\"text\":\"Guaido said the army would not stop the march.\"}\n").unwrap();
    std::fs::write(&parts[1], "{\"id\":\"a2\",\"text\":\"Juan Guaido accused Nicolas Maduro of rigging the vote.\"}\n{\"id\":\"a3\",\"text\":\"Maduro said Guaido lied.\"}\n").unwrap();
    let mut names = String::new();
    for part in &parts {
        let r = run(&["predict", "--input", "jsonl", "--actor-names", p(part)]);
        assert_eq!(r.code, 0, "{}", r.stderr);
        names.push_str(&r.stdout);
    }
    let lines = rows(&names);
    assert_eq!(lines[0], json!({"doc": "a0", "name": "Juan Guaidó", "kind": "person", "fixed": false}));
    assert_eq!(lines.len(), 6, "{names}");
    let groups = d.path().join("names.jsonl");
    std::fs::write(&groups, &names).unwrap();
    let mut in_parts = String::new();
    for part in &parts {
        let r = run(&["predict", "--input", "jsonl", "--format", "jsonl", "--groups", p(&groups), p(part)]);
        assert_eq!(r.code, 0, "{}", r.stderr);
        in_parts.push_str(&r.stdout);
    }
    let whole = run(&["predict", "--input", "jsonl", "--format", "jsonl", p(&parts[0]), p(&parts[1])]);
    assert_eq!(in_parts, whole.stdout);
    let actors = |out: &str| rows(out).iter().filter(|v| v["type"] == "mention" && v["mention"].as_str().unwrap().contains("Guaid")).map(|v| v["actor_id"].as_str().unwrap().to_string()).collect::<std::collections::BTreeSet<_>>();
    assert_eq!(actors(&in_parts), ["juan-guaido".to_string()].into());
    // The second part alone names him its own way.
    let alone = run(&["predict", "--input", "jsonl", "--format", "jsonl", p(&parts[1])]);
    assert_eq!(rows(&alone.stdout).iter().find(|v| v["type"] == "mention").unwrap()["actor"], "Juan Guaido");
}

#[test]
fn an_empty_groups_file_is_a_corpus_without_actors() {
    // A corpus in which --actor-names found nobody writes an empty file;
    // its parts are still scored, each actor found then on its own.
    let d = tempfile::tempdir().unwrap();
    let art = d.path().join("a.txt");
    std::fs::write(&art, "Juan Guaido spoke.").unwrap();
    let alone = run(&["predict", "--format", "jsonl", p(&art)]);
    for content in ["", "\n\n"] {
        let groups = d.path().join("groups.jsonl");
        std::fs::write(&groups, content).unwrap();
        let r = run(&["predict", "--format", "jsonl", "--groups", p(&groups), p(&art)]);
        assert_eq!(r.code, 0, "{content:?}: {}", r.stderr);
        assert_eq!(r.stdout, alone.stdout);
    }
}

#[test]
fn the_groups_and_actors_files_are_never_written_over() {
    let d = tempfile::tempdir().unwrap();
    let art = d.path().join("a.txt");
    std::fs::write(&art, "Juan Guaido spoke.").unwrap();
    let groups = d.path().join("names.jsonl");
    let r = run(&["predict", "--actor-names", p(&art)]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let names = r.stdout.into_bytes();
    std::fs::write(&groups, &names).unwrap();
    let actors = d.path().join("actors.csv");
    std::fs::write(&actors, "actor,alias\nJuan Guaido,Guaido\n").unwrap();
    for (opt, file) in [("-o", &groups), ("--summary", &groups), ("-o", &actors), ("--summary", &actors)] {
        let r = run(&["predict", "--groups", p(&groups), "--actors", p(&actors), opt, p(file), p(&art)]);
        assert_eq!(r.code, 1, "{opt} {file:?}: {}", r.stderr);
        assert!(r.stderr.contains("refusing to overwrite"), "{}", r.stderr);
    }
    assert_eq!(std::fs::read(&groups).unwrap(), names);
    assert_eq!(std::fs::read_to_string(&actors).unwrap(), "actor,alias\nJuan Guaido,Guaido\n");
}

#[test]
fn a_bad_groups_file_is_refused_with_its_line() {
    let d = tempfile::tempdir().unwrap();
    let art = d.path().join("a.txt");
    std::fs::write(&art, "Juan Guaido spoke.").unwrap();
    for (content, want) in [
        (&b"{\"name\":\"Juan Guaido\",\"kind\":\"person\",\"fixed\":false}\nnot json\n"[..], "groups.jsonl:2: not an --actor-names line"),
        (b"{\"name\":\"Juan Guaido\",\"kind\":\"human\",\"fixed\":false}\n", "unknown kind \"human\""),
        (b"{\"name\":\"Juan Guaido\",\"kind\":\"person\"}\n", "missing field `fixed`"),
        (b"\n\xff\xfe\n", "groups.jsonl:2: not UTF-8"),
        (b"\x00\x01\n", "groups.jsonl:1: not an --actor-names line"),
    ] {
        let groups = d.path().join("groups.jsonl");
        std::fs::write(&groups, content).unwrap();
        let r = run(&["predict", "--groups", p(&groups), p(&art)]);
        assert_eq!(r.code, 1, "{content:?}: {}", r.stderr);
        assert!(r.stderr.contains("groups.jsonl") && r.stderr.contains(want), "{content:?}: {}", r.stderr);
        assert!(!r.stderr.contains("panicked"), "{}", r.stderr);
    }
    let r = run(&["predict", "--groups", p(&d.path().join("missing.jsonl")), p(&art)]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("missing.jsonl"), "{}", r.stderr);
    // --actor-names writes names, not rows: it does not mix with row options.
    let r = run(&["predict", "--actor-names", "--format", "csv", p(&art)]);
    assert_eq!(r.code, 2, "{}", r.stderr);
}
