//! Input a hostile (or careless) user would feed us, beyond
//! `tests/bad_input.rs`: ambiguous records that used to be taken silently,
//! byte-order marks, decomposed Unicode, pipes, odd delimiters, closed or
//! full standard streams, absurd options, terminal escapes. Every bad case
//! must fail with exit code 1, one error line naming the file (and line)
//! and the problem, and nothing on standard output; every good case must
//! give the same result as its plain twin.

mod common;
use common::clear_errors::{assert_clear_errors, s, write, Case, GOOD_NEWSMTSC as GOOD};
use common::*;

use std::fs;
use std::path::Path;
use std::process::{Command, Stdio};

fn train_args(format: &str, file: &str, out: &Path, extra: &[&str]) -> Vec<String> {
    let mut v = s(&["train", "--format", format, "--train", file, "--out", out.to_str().unwrap(), "--quiet"]);
    v.extend(s(extra));
    v
}

fn eval_args(format: &str, file: &str, extra: &[&str]) -> Vec<String> {
    let mut v = s(&["eval", "--model", toy_model().to_str().unwrap(), "--format", format, "--data", file]);
    v.extend(s(extra));
    v
}

fn predict_args(extra: &[&str]) -> Vec<String> {
    let mut v = s(&["predict", "--model", toy_model().to_str().unwrap(), "--format", "jsonl"]);
    v.extend(s(extra));
    v
}

/// A TweetEval folder `<dir>/<name>/` with `mapping.txt` one level up.
fn tweeteval(dir: &Path, name: &str, mapping: &[u8], text: &[u8], labels: &[u8]) -> String {
    let root = dir.join(name);
    write(&root, "mapping.txt", mapping);
    write(&root, "climate/train_labels.txt", labels);
    write(&root, "climate/train_text.txt", text)
}

const MAPPING: &[u8] = b"0\tnone\n1\tagainst\n2\tfavor\n";

fn cases(dir: &Path) -> Vec<Case> {
    let out = dir.join("out-model");
    let mut c: Vec<Case> = Vec::new();
    let mut push = |name: &'static str, args: Vec<String>, want: &[&str]| c.push(Case { name, args, stdin: None, want: s(want) });
    let csv = |file: &str, body: &str| write(dir, file, body.as_bytes());
    let nm = |file: &str, bad: &str| write(dir, file, format!("{GOOD}\n{bad}\n").as_bytes());

    // Silent wrong results, now errors.
    let f = csv("case.csv", "text,target,label\nAlma spoke.,Alma,positive\nTom lied.,Tom,Positive\nAnn sat.,Ann,negative\n");
    push("labels differing in case", train_args("csv", &f, &out, &[]), &["case.csv:3", "\"Positive\"", "\"positive\"", "line 2"]);
    let f = csv("spaces.csv", "text,target,label\nAlma spoke.,Alma,positive\nTom lied.,Tom,\" Positive \"\nAnn sat.,Ann,negative\n");
    push("labels differing in case and spaces", train_args("csv", &f, &out, &[]), &["spaces.csv:3", "\"Positive\"", "\"positive\""]);
    let f = csv("dev-case.csv", "text,target,label\nAlma spoke.,Alma,NEGATIVE\n");
    push("dev label differing in case", s(&["train", "--format", "csv", "--train", "datasets/toy/train.csv", "--dev", &f, "--out", out.to_str().unwrap(), "--quiet"]), &["dev-case.csv:2", "\"NEGATIVE\"", "\"negative\""]);
    let f = csv("dup-header.csv", "text,target,label,text\nAlma spoke.,Alma,positive,other\n");
    push("duplicate column in a training header", train_args("csv", &f, &out, &[]), &["dup-header.csv:1", "column `text`", "twice"]);
    let f = csv("dup-label.csv", "text,target,Label,label\nAlma spoke.,Alma,positive,negative\n");
    push("duplicate column differing in case", eval_args("csv", &f, &[]), &["dup-label.csv:1", "column `label`", "twice"]);
    let f = csv("dup-articles.csv", "id,text,TEXT\n1,Alma spoke.,Tom lied.\n");
    push("duplicate column in an articles header", predict_args(&["--input", "csv", &f]), &["dup-articles.csv:1", "column `text`", "twice"]);
    let f = csv("dup-actors.csv", "actor,alias,actor\nAlma Reyes,Alma,Tom\n");
    push("duplicate column in an actors header", predict_args(&["--actors", &f, "examples/harbour-dispute.txt"]), &["dup-actors.csv:1", "column `actor`", "twice"]);
    let f = tweeteval(dir, "tw-twice", b"0\tnone\n1\tagainst\n1\tfavor\n", b"a\nb\n", b"0\n1\n");
    push("tweeteval id with two names", train_args("tweeteval", &f, &out, &[]), &["mapping.txt:3", "\"1\"", "twice"]);
    let f = tweeteval(dir, "tw-names", b"0\tneutral\n1\tagainst\n2\tfavor\n", b"a\nb\n", b"0\n1\n");
    push("tweeteval label names unknown", train_args("tweeteval", &f, &out, &[]), &["mapping.txt:1", "\"neutral\"", "none, against, favor"]);
    let f = tweeteval(dir, "tw-name-twice", b"0\tnone\n1\tagainst\n2\tagainst\n", b"a\nb\n", b"0\n1\n");
    push("tweeteval one name for two ids", train_args("tweeteval", &f, &out, &[]), &["mapping.txt:3", "\"against\"", "twice"]);
    let f = csv("blank-span.csv", "text,target,label,start,end\nAlma   spoke.,Alma,positive,4,6\n");
    push("csv span covering only whitespace", train_args("csv", &f, &out, &[]), &["blank-span.csv:2", "4..6", "only whitespace"]);
    let f = nm("blank-span.jsonl", r#"{"sentence_normalized": "Maduro   spoke.", "targets": [{"from": 6, "to": 8, "mention": "  ", "polarity": 4.0}]}"#);
    push("newsmtsc span covering only whitespace", train_args("newsmtsc", &f, &out, &[]), &["blank-span.jsonl:2", "6..8", "only whitespace"]);
    let f = nm("two-labels.jsonl", r#"{"sentence_normalized": "Maduro spoke.", "targets": [{"from": 0, "to": 6, "mention": "Maduro", "polarity": 4.0}, {"from": 0, "to": 6, "mention": "Maduro", "polarity": 6.0}]}"#);
    push("newsmtsc span with two labels", train_args("newsmtsc", &f, &out, &[]), &["two-labels.jsonl:2", "0..6", "\"neutral\"", "\"positive\""]);
    let f = csv("two-labels.csv", "text,target,label\nAlma spoke.,Alma,positive\nAlma spoke.,alma,negative\n");
    push("csv target with two labels", train_args("csv", &f, &out, &[]), &["two-labels.csv:3", "\"positive\"", "\"negative\"", "line 2"]);
    let f = csv("two-labels-span.csv", "text,target,label,start,end\nAlma met Alma.,Alma,positive,9,13\nAlma met Alma.,Alma,neutral,9,13\n");
    push("csv span with two labels", eval_args("csv", &f, &[]), &["two-labels-span.csv:3", "9..13", "\"positive\"", "\"neutral\""]);

    // Clearer CSV errors, in every command that reads CSV.
    let empty = csv("empty.csv", "");
    push("train on an empty CSV", train_args("csv", &empty, &out, &[]), &["empty.csv", "empty file"]);
    push("eval on an empty CSV", eval_args("csv", &empty, &[]), &["empty.csv", "empty file"]);
    let semi = csv("semi.csv", "text;target;label\nAlma spoke.;Alma;positive\n");
    push("train on a ;-separated CSV", train_args("csv", &semi, &out, &[]), &["semi.csv:1", "`;`-separated", "--delimiter ';'"]);
    push("eval on a ;-separated CSV", eval_args("csv", &semi, &[]), &["semi.csv:1", "`;`-separated", "--delimiter ';'"]);
    let semi_art = csv("semi-articles.csv", "id;text\n1;Alma spoke.\n");
    push("predict on a ;-separated CSV", predict_args(&["--input", "csv", &semi_art]), &["semi-articles.csv:1", "`;`-separated", "--delimiter ';'"]);
    let tabs = csv("tabs.csv", "text\ttarget\tlabel\nAlma spoke.\tAlma\tpositive\n");
    push("train on a tab-separated CSV", train_args("csv", &tabs, &out, &[]), &["tabs.csv:1", "tab-separated", "--delimiter '\\t'"]);
    let quote = csv("quote.csv", "text,target,label\nAlma spoke.,Alma,positive\n\"Tom lied.,Tom,negative\nAnn sat.,Ann,neutral\n");
    push("train on an unterminated quote", train_args("csv", &quote, &out, &[]), &["quote.csv:3", "unterminated quote starting at line 3"]);
    let quote_art = csv("quote-articles.csv", "id,text\n1,Alma spoke.\n2,\"Tom lied.\n3,Ann sat.\n");
    push("predict on an unterminated quote", predict_args(&["--input", "csv", &quote_art]), &["quote-articles.csv:3", "unterminated quote starting at line 3"]);
    push("eval on an unterminated quote", eval_args("csv", &quote, &[]), &["quote.csv:3", "unterminated quote"]);
    let f = csv("delim-bad.csv", "text,target,label\n");
    push("a delimiter of two characters", train_args("csv", &f, &out, &["--delimiter", ";;"]), &["--delimiter", "one"]);
    push("a delimiter that is a quote", train_args("csv", &f, &out, &["--delimiter", "\""]), &["--delimiter"]);

    // Options that used to overflow, starve the machine, or mean something else.
    push("absurd thread count", predict_args(&["--threads", "100000", "examples/harbour-dispute.txt"]), &["--threads 100000", "at most"]);
    push("zero-byte line limit", predict_args(&["--max-line-bytes", "0", "examples/harbour-dispute.txt"]), &["--max-line-bytes"]);
    push("explain no features", predict_args(&["--explain", "--explain-top", "0", "examples/harbour-dispute.txt"]), &["--explain-top 0"]);

    // Every reader against binary data, invalid UTF-8, overlong lines and emptiness.
    let png = [0x89, b'P', b'N', b'G', b'\r', b'\n', 0x1a, b'\n', 0, 0, 0, 13];
    let f = write(dir, "image.csv", &png);
    push("train csv on a binary file", train_args("csv", &f, &out, &[]), &["image.csv:1", "invalid UTF-8 at byte offset 0"]);
    let f = write(dir, "elf.csv", b"\x7fELF\x02\x01\x01\x00\x00\x00");
    push("train csv on an executable", train_args("csv", &f, &out, &[]), &["elf.csv:1", "NUL", "byte offset 7"]);
    let f = write(dir, "latin.csv", b"text,target,label\nCaf\xe9 owners praised Alma.,Alma,positive\n");
    push("train csv with invalid UTF-8", train_args("csv", &f, &out, &[]), &["latin.csv:2", "invalid UTF-8", "--lossy"]);
    let f = csv("long-train.csv", &format!("text,target,label\n{} Alma,Alma,positive\n", "word ".repeat(400)));
    push("train csv line over the limit", train_args("csv", &f, &out, &["--max-line-bytes", "1000"]), &["long-train.csv:2", "longer than 1000 bytes"]);
    let f = write(dir, "arts-latin.jsonl", b"{\"id\": 1, \"text\": \"Alma spoke.\"}\n{\"id\": 2, \"text\": \"caf\xe9\"}\n");
    push("predict jsonl with invalid UTF-8", predict_args(&["--input", "jsonl", &f]), &["arts-latin.jsonl:2", "invalid UTF-8"]);
    let f = write(dir, "arts-bin.jsonl", &png);
    push("predict jsonl on a binary file", predict_args(&["--input", "jsonl", &f]), &["arts-bin.jsonl:1", "invalid UTF-8 at byte offset 0"]);
    let f = write(dir, "arts-empty.jsonl", b"");
    push("predict jsonl on an empty file", predict_args(&["--input", "jsonl", &f]), &["arts-empty.jsonl", "no articles"]);
    let f = write(dir, "arts-long.jsonl", format!("{{\"text\": \"{}\"}}\n", "Alma spoke. ".repeat(200)).as_bytes());
    push("predict jsonl line over the limit", predict_args(&["--input", "jsonl", "--max-line-bytes", "1000", &f]), &["arts-long.jsonl:1", "longer than 1000 bytes"]);
    let f = write(dir, "arts-array.jsonl", b"[\"Alma spoke.\"]\n");
    push("predict jsonl with an array for an article", predict_args(&["--input", "jsonl", &f]), &["arts-array.jsonl:1", "invalid article JSON"]);
    let f = write(dir, "cut.txt", b"Alma Reyes praised the caf\xc3");
    push("predict text cut inside a character", predict_args(&[&f]), &["cut.txt", "invalid UTF-8", "byte offset 26"]);
    let f = write(dir, "blank.txt", b"\xef\xbb\xbf \n\t\n");
    push("predict text of a BOM and blanks", predict_args(&[&f]), &["blank.txt", "empty article"]);
    let no_articles = dir.join("no-articles");
    fs::create_dir_all(&no_articles).unwrap();
    push("predict on a folder without articles", predict_args(&[no_articles.to_str().unwrap()]), &["no-articles", "no .txt files"]);
    push("train on a directory", train_args("csv", dir.to_str().unwrap(), &out, &[]), &["is a directory"]);
    let f = tweeteval(dir, "tw-latin", MAPPING, b"caf\xe9\nb\n", b"0\n1\n");
    push("tweeteval text with invalid UTF-8", train_args("tweeteval", &f, &out, &[]), &["train_text.txt:1", "invalid UTF-8"]);
    let f = tweeteval(dir, "tw-binlabels", MAPPING, b"a\nb\n", b"0\n\x00\n");
    push("tweeteval labels with a NUL", train_args("tweeteval", &f, &out, &[]), &["train_labels.txt:2", "NUL"]);
    let f = tweeteval(dir, "tw-emptymap", b"", b"a\nb\n", b"0\n1\n");
    push("tweeteval empty mapping", train_args("tweeteval", &f, &out, &[]), &["mapping.txt", "no labels"]);
    let f = tweeteval(dir, "tw-nolabels", MAPPING, b"a\nb\n", b"0\n1\n");
    fs::remove_file(dir.join("tw-nolabels/climate/train_labels.txt")).unwrap();
    push("tweeteval labels file missing", train_args("tweeteval", &f, &out, &[]), &["train_labels.txt", "No such file"]);
    let f = tweeteval(dir, "tw-blank", MAPPING, b"a\n   \n", b"0\n1\n");
    push("tweeteval blank tweet", train_args("tweeteval", &f, &out, &[]), &["train_text.txt:2", "empty text"]);

    // Offsets and fields a scraper could get wrong.
    let f = csv("neg-start.csv", "text,target,label,start,end\nAlma spoke.,Alma,positive,-1,4\n");
    push("csv negative start", train_args("csv", &f, &out, &[]), &["neg-start.csv:2", "`start` is \"-1\""]);
    let f = csv("huge-start.csv", "text,target,label,start,end\nAlma spoke.,Alma,positive,0,99999999999999999999999\n");
    push("csv end beyond any integer", train_args("csv", &f, &out, &[]), &["huge-start.csv:2", "`end`"]);
    let f = csv("empty-span.csv", "text,target,label,start,end\nAlma spoke.,Alma,positive,2,2\n");
    push("csv empty span", train_args("csv", &f, &out, &[]), &["empty-span.csv:2", "empty or reversed"]);
    let f = csv("empty-text.csv", "text,target,label\n,Alma,positive\n");
    push("csv empty text", train_args("csv", &f, &out, &[]), &["empty-text.csv:2", "empty `text`"]);
    let f = csv("empty-target.csv", "text,target,label\nAlma spoke.,  ,positive\n");
    push("csv blank target", train_args("csv", &f, &out, &[]), &["empty-target.csv:2", "empty `target`"]);
    let f = nm("float-offset.jsonl", r#"{"sentence_normalized": "Maduro spoke.", "targets": [{"from": 0.5, "to": 6, "mention": "Maduro", "polarity": 4.0}]}"#);
    push("newsmtsc fractional offset", train_args("newsmtsc", &f, &out, &[]), &["float-offset.jsonl:2", "invalid JSON"]);
    let f = nm("huge-offset.jsonl", r#"{"sentence_normalized": "Maduro spoke.", "targets": [{"from": 0, "to": 1e30, "mention": "Maduro", "polarity": 4.0}]}"#);
    push("newsmtsc offset beyond any integer", train_args("newsmtsc", &f, &out, &[]), &["huge-offset.jsonl:2", "invalid JSON"]);
    let f = nm("string-polarity.jsonl", r#"{"sentence_normalized": "Maduro spoke.", "targets": [{"from": 0, "to": 6, "mention": "Maduro", "polarity": "4"}]}"#);
    push("newsmtsc polarity as a string", train_args("newsmtsc", &f, &out, &[]), &["string-polarity.jsonl:2", "invalid JSON"]);
    let f = nm("array-line.jsonl", "[1, 2, 3]");
    push("newsmtsc line that is an array", train_args("newsmtsc", &f, &out, &[]), &["array-line.jsonl:2", "invalid JSON"]);
    let f = csv("unknown-label.csv", "text,target,label\nAlma spoke.,Alma,Positive\n");
    push("eval label differing from the model's in case", eval_args("csv", &f, &[]), &["unknown-label.csv:2", "\"Positive\""]);
    let f = csv("actors-kind.csv", "actor,alias,kind\nAlma Reyes,Alma,alien\n");
    push("actors file with an unknown kind", predict_args(&["--actors", &f, "examples/harbour-dispute.txt"]), &["actors-kind.csv:2", "unknown kind"]);
    let f = csv("actors-empty.csv", "");
    push("empty actors file", predict_args(&["--actors", &f, "examples/harbour-dispute.txt"]), &["actors-empty.csv", "empty file"]);
    let f = csv("actors-semi.csv", "actor;alias\nAlma Reyes;Alma\n");
    push("actors file separated by ;", predict_args(&["--actors", &f, "examples/harbour-dispute.txt"]), &["actors-semi.csv:1", "`;`-separated"]);
    let f = write(dir, "actors-bin.csv", &png);
    push("binary actors file", predict_args(&["--actors", &f, "examples/harbour-dispute.txt"]), &["actors-bin.csv:1", "invalid UTF-8 at byte offset 0"]);
    c.push(Case { name: "predict empty standard input", args: predict_args(&[]), stdin: Some(Vec::new()), want: s(&["<stdin>", "empty article"]) });
    c.push(Case {
        name: "train on an unterminated quote from a pipe",
        args: train_args("csv", "/dev/stdin", &out, &[]),
        stdin: Some(b"text,target,label\n\"Alma spoke.,Alma,positive\n".to_vec()),
        want: s(&["/dev/stdin:2", "unterminated quote starting at line 2"]),
    });
    c
}

#[test]
fn every_hostile_input_gets_a_clear_error() {
    let d = tempfile::tempdir().unwrap();
    let cases = cases(d.path());
    assert!(cases.len() >= 60, "only {} cases", cases.len());
    assert_clear_errors(&cases);
    // No case may have created the model it was refused.
    assert!(!d.path().join("out-model").exists());
}

/// A command's standard output, which must succeed.
fn ok(args: &[&str], stdin: Option<&[u8]>) -> String {
    let r = run_stdin(args, stdin);
    assert_eq!(r.code, 0, "{args:?}: {}", r.stderr);
    r.stdout
}

fn train_ok(format: &str, file: &str, out: &Path, extra: &[&str]) -> Vec<u8> {
    let args = train_args(format, file, out, extra);
    ok(&args.iter().map(|s| s.as_str()).collect::<Vec<_>>(), None);
    fs::read(out.join("weights.bin")).unwrap()
}

const BOM: &[u8] = b"\xef\xbb\xbf";

fn with_bom(bytes: &[u8]) -> Vec<u8> {
    [BOM, bytes].concat()
}

/// Drop the `doc` fields (they name the file) from JSON Lines output.
fn without_docs(out: &str) -> Vec<serde_json::Value> {
    out.lines()
        .map(|l| {
            let mut v: serde_json::Value = serde_json::from_str(l).unwrap();
            v.as_object_mut().unwrap().remove("doc");
            v
        })
        .collect()
}

#[test]
fn a_byte_order_mark_is_ignored_by_every_reader() {
    let d = tempfile::tempdir().unwrap();
    let dir = d.path();
    // Training: CSV, NewsMTSC, TweetEval (text, labels and mapping).
    let toy = fs::read(root().join("datasets/toy/train.csv")).unwrap();
    let plain = train_ok("csv", &write(dir, "plain.csv", &toy), &dir.join("m1"), &[]);
    let marked = train_ok("csv", &write(dir, "bom.csv", &with_bom(&toy)), &dir.join("m2"), &[]);
    assert_eq!(plain, marked, "CSV");
    let nm = format!("{GOOD}\n{}\n", GOOD.replace("4.0", "6.0").replace("spoke", "won"));
    let plain = train_ok("newsmtsc", &write(dir, "plain.jsonl", nm.as_bytes()), &dir.join("m3"), &["--min-count", "1"]);
    let marked = train_ok("newsmtsc", &write(dir, "bom.jsonl", &with_bom(nm.as_bytes())), &dir.join("m4"), &["--min-count", "1"]);
    assert_eq!(plain, marked, "NewsMTSC");
    let (text, labels) = (b"I like it\nNo way\nMaybe\n", b"2\n1\n0\n");
    let plain = train_ok("tweeteval", &tweeteval(dir, "tw-plain", MAPPING, text, labels), &dir.join("m5"), &["--min-count", "1"]);
    let marked = train_ok("tweeteval", &tweeteval(dir, "tw-bom", &with_bom(MAPPING), &with_bom(text), &with_bom(labels)), &dir.join("m6"), &["--min-count", "1"]);
    assert_eq!(plain, marked, "TweetEval");

    // Prediction: a text article, JSON Lines, CSV articles, an actors file.
    let model = toy_model().to_str().unwrap();
    let article = fs::read(root().join("examples/harbour-dispute.txt")).unwrap();
    let predict = |extra: &[&str]| {
        let mut args = vec!["predict", "--model", model, "--format", "jsonl"];
        args.extend_from_slice(extra);
        without_docs(&ok(&args, None))
    };
    let plain = predict(&[&write(dir, "plain.txt", &article)]);
    assert!(!plain.is_empty());
    assert_eq!(plain, predict(&[&write(dir, "bom.txt", &with_bom(&article))]), "text article: offsets must not shift");
    let jl = b"{\"id\": \"a\", \"text\": \"Mayor Ines Kowalski praised the workers.\"}\n";
    assert_eq!(predict(&["--input", "jsonl", &write(dir, "plain-a.jsonl", jl)]), predict(&["--input", "jsonl", &write(dir, "bom-a.jsonl", &with_bom(jl))]), "jsonl");
    let cs = b"id,text\na,Mayor Ines Kowalski praised the workers.\n";
    assert_eq!(predict(&["--input", "csv", &write(dir, "plain-a.csv", cs)]), predict(&["--input", "csv", &write(dir, "bom-a.csv", &with_bom(cs))]), "csv articles");
    let actors = b"actor,alias\nInes Kowalski,Kowalski\n";
    let with = |f: &str| predict(&["--actors", f, "examples/harbour-dispute.txt"]);
    assert_eq!(with(&write(dir, "actors.csv", actors)), with(&write(dir, "bom-actors.csv", &with_bom(actors))), "actors file");
}

#[test]
fn decomposed_and_composed_text_find_the_same_actors_at_the_callers_offsets() {
    let composed = "Mayor Inés Kowalski praised the dockworkers. Critics said Inés Kowalski was wrong.";
    let decomposed = composed.replace('é', "e\u{301}");
    assert_ne!(composed, decomposed);
    let model = toy_model().to_str().unwrap();
    let rows = |text: &str| -> Vec<serde_json::Value> {
        let out = ok(&["predict", "--model", model, "--format", "jsonl", "--input", "jsonl"], Some(format!("{}\n", serde_json::json!({"id": "a", "text": text})).as_bytes()));
        out.lines().map(|l| serde_json::from_str(l).unwrap()).collect()
    };
    let (c, d) = (rows(composed), rows(&decomposed));
    let actors = |rows: &[serde_json::Value]| -> Vec<String> { rows.iter().filter(|r| r["type"] == "summary").map(|r| r["actor"].as_str().unwrap().to_string()).collect() };
    assert_eq!(actors(&c), ["Inés Kowalski"], "{c:?}");
    assert_eq!(actors(&c), actors(&d));
    for (rows, text) in [(&c, composed), (&d, decomposed.as_str())] {
        let mentions: Vec<_> = rows.iter().filter(|r| r["type"] == "mention").collect();
        assert_eq!(mentions.len(), 2);
        for m in mentions {
            // The sentence is the caller's own text, and the span slices it.
            let sentence = m["sentence"].as_str().unwrap();
            assert!(text.contains(sentence), "{sentence:?}");
            let (start, end) = (m["start"].as_u64().unwrap() as usize, m["end"].as_u64().unwrap() as usize);
            let got: String = sentence.chars().skip(start).take(end - start).collect();
            assert_eq!(got, m["mention"].as_str().unwrap());
            assert!(text.contains(&got) && got.contains("Kowalski") && got.starts_with("In"), "{got:?}");
        }
    }
    // Same probabilities: the model saw the same (normalised) text.
    let probs = |rows: &[serde_json::Value]| -> Vec<serde_json::Value> { rows.iter().map(|r| r["probabilities"].clone()).collect() };
    assert_eq!(probs(&c), probs(&d));
}

#[test]
fn csv_is_read_once_so_pipes_work() {
    let toy = fs::read(root().join("datasets/toy/train.csv")).unwrap();
    let test = fs::read(root().join("datasets/toy/test.csv")).unwrap();
    let d = tempfile::tempdir().unwrap();
    let from_file = train_ok("csv", "datasets/toy/train.csv", &d.path().join("m1"), &[]);
    let args = train_args("csv", "/dev/stdin", &d.path().join("m2"), &[]);
    ok(&args.iter().map(|s| s.as_str()).collect::<Vec<_>>(), Some(&toy));
    assert_eq!(from_file, fs::read(d.path().join("m2/weights.bin")).unwrap());
    let model = toy_model().to_str().unwrap();
    let eval_file = ok(&["eval", "--model", model, "--format", "csv", "--data", "datasets/toy/test.csv"], None);
    assert_eq!(eval_file, ok(&["eval", "--model", model, "--format", "csv", "--data", "/dev/stdin"], Some(&test)));
    // With --compare too: both models score one reading of the data.
    let weak = weak_toy_model().to_str().unwrap();
    let compare = |data: &str, stdin: Option<&[u8]>| ok(&["eval", "--model", model, "--compare", weak, "--format", "csv", "--data", data], stdin);
    assert_eq!(compare("datasets/toy/test.csv", None), compare("/dev/stdin", Some(&test)));
    let arts = b"id,text\na,Mayor Ines Kowalski praised the workers.\n";
    assert!(ok(&["predict", "--model", model, "--format", "jsonl", "--input", "csv", "/dev/stdin"], Some(arts)).contains("Ines Kowalski"));

    // A named pipe, written once by another process.
    let fifo = d.path().join("train.fifo");
    let made = Command::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(made.success());
    let writer = {
        let fifo = fifo.clone();
        std::thread::spawn(move || fs::write(fifo, toy).unwrap())
    };
    let args = train_args("csv", fifo.to_str().unwrap(), &d.path().join("m3"), &[]);
    ok(&args.iter().map(|s| s.as_str()).collect::<Vec<_>>(), None);
    writer.join().unwrap();
    assert_eq!(from_file, fs::read(d.path().join("m3/weights.bin")).unwrap());
}

#[test]
fn other_delimiters_are_read_with_delimiter() {
    let d = tempfile::tempdir().unwrap();
    let toy = fs::read_to_string(root().join("datasets/toy/train.csv")).unwrap();
    let plain = train_ok("csv", "datasets/toy/train.csv", &d.path().join("m1"), &[]);
    // Re-written with `;` and tabs by the csv crate, quoting as needed.
    for (delim, arg) in [(b';', ";"), (b'\t', "\\t"), (b'\t', "tab")] {
        let mut r = csv::Reader::from_reader(toy.as_bytes());
        let mut w = csv::WriterBuilder::new().delimiter(delim).from_writer(Vec::new());
        w.write_record(r.headers().unwrap()).unwrap();
        for rec in r.records() {
            w.write_record(&rec.unwrap()).unwrap();
        }
        let f = write(d.path(), &format!("toy-{}.csv", delim), &w.into_inner().unwrap());
        let out = d.path().join(format!("m-{arg}"));
        assert_eq!(plain, train_ok("csv", &f, &out, &["--delimiter", arg]), "{arg}");
    }
    let model = toy_model().to_str().unwrap();
    let f = write(d.path(), "arts.csv", b"id;text\na;Mayor Ines Kowalski praised the workers, the union and the city.\n");
    let out = ok(&["predict", "--model", model, "--format", "jsonl", "--input", "csv", "--delimiter", ";", &f], None);
    assert!(out.contains("\"doc\":\"a\"") && out.contains("the union and the city"), "{out}");
}

/// Run stance under `sh` with its standard streams redirected as `redirect` says.
fn run_sh(args: &[&str], redirect: &str) -> std::process::Output {
    let script = format!("exec \"$0\" \"$@\" {redirect}");
    Command::new("sh").arg("-c").arg(script).arg(bin()).args(args).current_dir(root()).stdin(Stdio::null()).output().unwrap()
}

#[test]
fn closed_or_full_standard_streams_fail_cleanly() {
    let model = toy_model().to_str().unwrap();
    let args = ["predict", "--model", model, "--format", "jsonl", "examples/harbour-dispute.txt"];
    // Closed standard output: the rows cannot go anywhere, so that is an error.
    let r = run_sh(&args, ">&-");
    assert_eq!(r.status.code(), Some(1), "{}", String::from_utf8_lossy(&r.stderr));
    let err = String::from_utf8_lossy(&r.stderr);
    assert!(err.starts_with("stance: error: ") && err.contains("standard output") && err.lines().count() == 1, "{err}");
    // ... while /dev/null is a fine place for them.
    assert_eq!(run_sh(&args, ">/dev/null").status.code(), Some(0));
    // A full standard output, and an error that cannot be printed: exit 1, no panic.
    let r = run_sh(&args, ">/dev/full");
    assert_eq!(r.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&r.stderr).contains("No space left"), "{}", String::from_utf8_lossy(&r.stderr));
    let r = run_sh(&["predict", "--model", model, "/nonexistent.txt"], "2>/dev/full");
    assert_eq!(r.status.code(), Some(1));
    let r = run_sh(&["eval", "--model", model, "--format", "csv", "--data", "datasets/toy/test.csv"], ">&-");
    assert_eq!(r.status.code(), Some(1));
}

#[test]
fn huge_line_limit_means_no_limit() {
    let model = toy_model().to_str().unwrap();
    let out = ok(&["predict", "--model", model, "--format", "jsonl", "--max-line-bytes", "18446744073709551615", "examples/harbour-dispute.txt"], None);
    assert!(out.contains("Kowalski"));
    let d = tempfile::tempdir().unwrap();
    let args = train_args("csv", "datasets/toy/train.csv", &d.path().join("m"), &["--max-line-bytes", "18446744073709551615"]);
    ok(&args.iter().map(|s| s.as_str()).collect::<Vec<_>>(), None);
}

#[test]
fn the_table_escapes_terminal_control_sequences() {
    let d = tempfile::tempdir().unwrap();
    let f = write(d.path(), "arts.csv", b"id,text\n\"evil\x1b]0;pwned\x07\",\"Mayor Ines \x1b[2JKowalski praised the workers.\x1b[31m Ines Kowalski\rsmiled.\"\n");
    let model = toy_model().to_str().unwrap();
    let out = ok(&["predict", "--model", model, "--format", "table", "--input", "csv", &f], None);
    assert!(!out.bytes().any(|b| b == 0x1b || b == 0x07 || b == b'\r'), "{out:?}");
    assert!(out.contains("evil\\u{1b}]0;pwned\\u{7}"), "{out}");
    assert!(out.contains("Kowalski"), "{out}");
}

#[test]
fn explain_top_is_honoured() {
    let model = toy_model().to_str().unwrap();
    let out = ok(&["predict", "--model", model, "--format", "jsonl", "--explain", "--explain-top", "2", "examples/harbour-dispute.txt"], None);
    for l in out.lines().filter(|l| l.contains("\"type\":\"mention\"")) {
        let v: serde_json::Value = serde_json::from_str(l).unwrap();
        assert!(v["explain"].as_array().unwrap().len() <= 2, "{l}");
    }
}
