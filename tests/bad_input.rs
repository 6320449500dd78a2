//! Bad input of every kind: each case must fail with exit code 1, one
//! error line that names the file (and line, where there is one) and the
//! problem, nothing on standard output, and no panic.

mod common;
use common::clear_errors::{assert_clear_errors, s, write, Case, GOOD_NEWSMTSC as GOOD};
use common::*;

use std::fs;
use std::path::{Path, PathBuf};

fn train_args(format: &str, file: &str, out: &Path) -> Vec<String> {
    ["train", "--format", format, "--train", file, "--out", out.to_str().unwrap(), "--quiet"].iter().map(|s| s.to_string()).collect()
}

fn eval_args(model: &Path, format: &str, file: &str) -> Vec<String> {
    ["eval", "--model", model.to_str().unwrap(), "--format", format, "--data", file].iter().map(|s| s.to_string()).collect()
}

fn predict_args(model: &Path, extra: &[&str]) -> Vec<String> {
    let mut v: Vec<String> = ["predict", "--model", model.to_str().unwrap(), "--format", "jsonl"].iter().map(|s| s.to_string()).collect();
    v.extend(extra.iter().map(|s| s.to_string()));
    v
}

fn corrupt_copy(src: &Path, dst: &Path, edit: impl Fn(&Path)) -> PathBuf {
    fs::create_dir_all(dst).unwrap();
    for f in ["bundle.json", "weights.bin", "tokenizer.json"] {
        fs::copy(src.join(f), dst.join(f)).unwrap();
    }
    edit(dst);
    dst.to_path_buf()
}

#[test]
fn every_bad_input_gets_a_clear_error() {
    let d = tempfile::tempdir().unwrap();
    let dir = d.path();
    let out = dir.join("out-model");
    let toy = toy_model().to_path_buf();
    let line = |bad: &str| format!("{GOOD}\n{bad}\n");
    let mut cases: Vec<Case> = Vec::new();
    let nm = |name: &'static str, file: &str, contents: &[u8], want: &[&str]| {
        let f = write(dir, file, contents);
        let mut w = s(want);
        w.push(file.rsplit('/').next().unwrap().to_string());
        Case { stdin: None, name, args: train_args("newsmtsc", &f, &out), want: w }
    };
    cases.push(nm("empty file", "empty.jsonl", b"", &["no examples"]));
    cases.push(nm("whitespace only", "blank.jsonl", b"  \n\t\n\n", &["no examples"]));
    cases.push(nm("binary garbage", "garbage.jsonl", &[0x7f, 0x45, 0x4c, 0x46, 0, 1, 2, 3, 0xff], &["NUL", "byte offset 4"]));
    cases.push(nm("invalid UTF-8", "latin1.jsonl", format!("{GOOD}\n{{\"x\": \"caf\u{e9}\"}}").replace('\u{e9}', "\u{1}").replace('\u{1}', "\u{e9}").as_bytes().iter().map(|&b| if b == 0xc3 { 0xe9 } else { b }).filter(|&b| b != 0xa9).collect::<Vec<u8>>().as_slice(), &[":2:", "invalid UTF-8", "byte offset"]));
    cases.push(nm("malformed JSON line", "malformed.jsonl", line("{\"sentence_normalized\": ").as_bytes(), &[":2:", "invalid JSON"]));
    cases.push(nm("span outside the sentence", "outside.jsonl", line(&GOOD.replace("\"to\": 6", "\"to\": 60")).as_bytes(), &[":2:", "outside the text"]));
    cases.push(nm("reversed span", "reversed.jsonl", line(&GOOD.replace("\"from\": 0, \"to\": 6", "\"from\": 6, \"to\": 0")).as_bytes(), &[":2:", "reversed"]));
    cases.push(nm("mention not matching span", "mismatch.jsonl", line(&GOOD.replace("\"from\": 0, \"to\": 6", "\"from\": 1, \"to\": 7")).as_bytes(), &[":2:", "does not match"]));
    cases.push(nm("unknown polarity", "polarity.jsonl", line(&GOOD.replace("4.0", "5.0")).as_bytes(), &[":2:", "unknown polarity"]));
    cases.push(nm("missing field", "nofield.jsonl", line("{\"targets\": []}").as_bytes(), &[":2:", "missing field"]));
    cases.push(nm("no targets", "notargets.jsonl", line("{\"sentence_normalized\": \"x\", \"targets\": []}").as_bytes(), &[":2:", "no targets"]));
    cases.push(nm("one label only", "onelabel.jsonl", format!("{GOOD}\n{GOOD}\n").as_bytes(), &["label"]));
    cases.push(nm("negative offset", "negative.jsonl", line(&GOOD.replace("\"from\": 0", "\"from\": -1")).as_bytes(), &[":2:", "invalid JSON"]));
    cases.push(nm("further mention off", "further.jsonl", line(&GOOD.replace("4.0}", "4.0, \"further_mentions\": [{\"from\": 7, \"to\": 9, \"mention\": \"xx\"}]}")).as_bytes(), &[":2:", "further mention"]));

    let csv = |name: &'static str, file: &str, contents: &str, want: &[&str]| {
        let f = write(dir, file, contents.as_bytes());
        let mut w = s(want);
        w.push(file.to_string());
        Case { stdin: None, name, args: train_args("csv", &f, &out), want: w }
    };
    cases.push(csv("csv missing column", "nocol.csv", "text,label\nhi,positive\n", &[":1:", "missing column `target`"]));
    cases.push(csv("csv extra column in a row", "extra.csv", "text,target,label\nhi,x,positive,surplus\n", &[":2:", "4 fields"]));
    cases.push(csv("csv missing field in a row", "short.csv", "text,target,label\nhi,x,positive\nho,y\n", &[":3:", "2 fields"]));
    cases.push(csv("csv bad start", "badstart.csv", "text,target,label,start,end\nhi there,x,positive,zero,2\n", &[":2:", "`start`"]));
    cases.push(csv("csv span outside", "span.csv", "text,target,label,start,end\nhi,x,positive,0,40\n", &[":2:", "outside"]));
    cases.push(csv("csv quoted newline then bad row", "quoted.csv", "text,target,label\n\"line one\nline two\",x,positive\nbad,y\n", &[":4:"]));
    cases.push(csv("csv empty label", "nolabel.csv", "text,target,label\nhi,x,\n", &[":2:", "empty `label`"]));
    cases.push(csv("csv header only", "header.csv", "text,target,label\n", &["no examples"]));

    // TweetEval: text and labels of different lengths; unknown label id.
    let tw = dir.join("tw");
    fs::create_dir_all(tw.join("climate")).unwrap();
    fs::write(tw.join("mapping.txt"), "0\tnone\n1\tagainst\n2\tfavor\n").unwrap();
    fs::write(tw.join("climate/train_text.txt"), "a\nb\nc\n").unwrap();
    fs::write(tw.join("climate/train_labels.txt"), "0\n1\n").unwrap();
    fs::write(tw.join("climate/val_text.txt"), "a\nb\n").unwrap();
    fs::write(tw.join("climate/val_labels.txt"), "0\n9\n").unwrap();
    let twt = tw.join("climate/train_text.txt");
    cases.push(Case { stdin: None, name: "tweeteval lengths differ", args: train_args("tweeteval", twt.to_str().unwrap(), &out), want: s(&["train_text.txt", "differ in length"]) });
    let twv = tw.join("climate/val_text.txt");
    cases.push(Case { stdin: None, name: "tweeteval unknown label id", args: train_args("tweeteval", twv.to_str().unwrap(), &out), want: s(&["val_labels.txt:2", "unknown label id"]) });
    let misnamed = write(dir, "tw/climate/tweets.txt", b"a\n");
    cases.push(Case { stdin: None, name: "tweeteval file name", args: train_args("tweeteval", &misnamed, &out), want: s(&["tweets.txt", "_text.txt"]) });
    cases.push(Case { stdin: None, name: "missing training file", args: train_args("csv", "/nonexistent/train.csv", &out), want: s(&["/nonexistent/train.csv", "No such file"]) });

    // Labels the model does not know: stance data on a sentiment model.
    let stance_csv = write(dir, "stance.csv", b"text,target,label\nI love it,climate,favor\n");
    cases.push(Case { stdin: None, name: "stance labels on a sentiment model", args: eval_args(&toy, "csv", &stance_csv), want: s(&["stance.csv:2", "\"favor\"", "negative, neutral, positive"]) });
    let sent_tw = dir.join("tw2");
    fs::create_dir_all(sent_tw.join("t")).unwrap();
    fs::write(sent_tw.join("mapping.txt"), "0\tnone\n1\tagainst\n2\tfavor\n").unwrap();
    fs::write(sent_tw.join("t/test_text.txt"), "x\ny\n").unwrap();
    fs::write(sent_tw.join("t/test_labels.txt"), "1\n2\n").unwrap();
    cases.push(Case { stdin: None, name: "tweeteval data on a sentiment model", args: eval_args(&toy, "tweeteval", sent_tw.join("t/test_text.txt").to_str().unwrap()), want: s(&["test_text.txt:1", "\"against\""]) });

    // Broken bundles.
    let broken = |name: &str, edit: &dyn Fn(&Path)| corrupt_copy(&toy, &dir.join(name), edit);
    let m1 = broken("m-missing", &|p| fs::remove_file(p.join("tokenizer.json")).unwrap());
    cases.push(Case { stdin: None, name: "bundle missing a file", args: eval_args(&m1, "csv", "datasets/toy/test.csv"), want: s(&["m-missing", "tokenizer.json"]) });
    let m2 = broken("m-trunc", &|p| {
        let b = fs::read(p.join("weights.bin")).unwrap();
        fs::write(p.join("weights.bin"), &b[..b.len() / 2]).unwrap()
    });
    cases.push(Case { stdin: None, name: "truncated weights", args: eval_args(&m2, "csv", "datasets/toy/test.csv"), want: s(&["m-trunc", "weights.bin", "checksum"]) });
    let m3 = broken("m-edit", &|p| {
        let mut b = fs::read(p.join("weights.bin")).unwrap();
        let n = b.len();
        b[n - 7] ^= 0x40;
        fs::write(p.join("weights.bin"), b).unwrap()
    });
    cases.push(Case { stdin: None, name: "edited weights", args: eval_args(&m3, "csv", "datasets/toy/test.csv"), want: s(&["m-edit", "checksum mismatch"]) });
    let m4 = broken("m-version", &|p| {
        let j = fs::read_to_string(p.join("bundle.json")).unwrap().replace("\"version\": 2", "\"version\": 99");
        fs::write(p.join("bundle.json"), j).unwrap()
    });
    cases.push(Case { stdin: None, name: "other format version", args: eval_args(&m4, "csv", "datasets/toy/test.csv"), want: s(&["m-version", "version 99"]) });
    let m5 = broken("m-json", &|p| fs::write(p.join("bundle.json"), "{not json").unwrap());
    cases.push(Case { stdin: None, name: "corrupt bundle.json", args: eval_args(&m5, "csv", "datasets/toy/test.csv"), want: s(&["m-json", "invalid JSON"]) });
    cases.push(Case { stdin: None, name: "model directory missing", args: eval_args(&dir.join("nope"), "csv", "datasets/toy/test.csv"), want: s(&["nope", "not found"]) });

    // predict inputs.
    let empty = write(dir, "empty.txt", b"");
    cases.push(Case { stdin: None, name: "predict empty article", args: predict_args(&toy, &[&empty]), want: s(&["empty.txt", "empty article"]) });
    let bin = write(dir, "bin.txt", &[b'a', 0, b'b']);
    cases.push(Case { stdin: None, name: "predict binary", args: predict_args(&toy, &[&bin]), want: s(&["bin.txt", "NUL", "byte offset 1"]) });
    let bad8 = write(dir, "bad8.txt", b"Maduro \xff spoke");
    cases.push(Case { stdin: None, name: "predict invalid UTF-8", args: predict_args(&toy, &[&bad8]), want: s(&["bad8.txt", "byte offset 7", "--lossy"]) });
    let jl = write(dir, "arts.jsonl", b"{\"id\": 1, \"text\": \"Maduro spoke.\"}\n{\"id\": 2, \"txt\": \"x\"}\n");
    cases.push(Case { stdin: None, name: "predict malformed jsonl", args: predict_args(&toy, &["--input", "jsonl", &jl]), want: s(&["arts.jsonl:2", "invalid article JSON"]) });
    let csv_cases: [(&str, &str, &[u8], &[&str]); 6] = [
        ("predict csv without text column", "articles-notext.csv", b"id,body\n1,Hello\n", &["articles-notext.csv:1", "`text`"]),
        ("predict ragged csv", "articles-ragged.csv", b"id,text\n1,Hello there\n2,Hi,extra\n", &["articles-ragged.csv:3", "3 fields, header has 2"]),
        ("predict csv with a NUL", "articles-nul.csv", b"id,text\n1,\"Hel\x00lo\"\n", &["articles-nul.csv:2", "NUL"]),
        ("predict csv with invalid UTF-8", "articles-latin.csv", b"id,text\n1,caf\xe9 society\n", &["articles-latin.csv:2", "invalid UTF-8", "--lossy"]),
        ("predict csv header only", "articles-header.csv", b"id,text\n", &["articles-header.csv", "no rows"]),
        ("predict empty csv", "articles-nothing.csv", b"", &["articles-nothing.csv", "empty file"]),
    ];
    for (name, file, bytes, want) in csv_cases {
        let f = write(dir, file, bytes);
        cases.push(Case { stdin: None, name, args: predict_args(&toy, &["--input", "csv", &f]), want: s(want) });
    }
    let long_csv = write(dir, "long.csv", format!("text\n{}\n", "x".repeat(5000)).as_bytes());
    cases.push(Case { stdin: None, name: "predict csv article over the limit", args: predict_args(&toy, &["--input", "csv", "--max-line-bytes", "1000", &long_csv]), want: s(&["long.csv:2", "longer than 1000 bytes"]) });
    let big = write(dir, "big.txt", &vec![b'x'; 5000]);
    cases.push(Case { stdin: None, name: "predict article over the limit", args: predict_args(&toy, &["--max-line-bytes", "1000", &big]), want: s(&["big.txt", "longer than 1000 bytes"]) });
    let actors = write(dir, "actors.csv", b"name,alias\nx,y\n");
    cases.push(Case { stdin: None, name: "predict actors file without actor column", args: predict_args(&toy, &["--actors", &actors, "examples/harbour-dispute.txt"]), want: s(&["actors.csv:1", "`actor`"]) });
    let nofile = dir.join("missing.txt");
    cases.push(Case { stdin: None, name: "predict missing file", args: predict_args(&toy, &[nofile.to_str().unwrap()]), want: s(&["missing.txt", "No such file"]) });

    // Options.
    let bad_l2 = ["train", "--format", "csv", "--train", "datasets/toy/train.csv", "--out", out.to_str().unwrap(), "--l2=-1", "--quiet"];
    cases.push(Case { stdin: None, name: "negative l2", args: s(&bad_l2), want: s(&["--l2"]) });
    let one_fold = ["train", "--format", "csv", "--train", "datasets/toy/train.csv", "--out", out.to_str().unwrap(), "--cv", "1", "--quiet"];
    cases.push(Case { stdin: None, name: "one cross-validation fold", args: s(&one_fold), want: s(&["--cv 1", "2..=20"]) });
    let few = ["train", "--format", "csv", "--train", "datasets/toy/test.csv", "--out", out.to_str().unwrap(), "--cv", "7", "--quiet"];
    cases.push(Case { stdin: None, name: "more folds than the data fills", args: s(&few), want: s(&["--cv 7", "at least 14 examples", "has 12"]) });
    let grid = ["train", "--format", "csv", "--train", "datasets/toy/train.csv", "--out", out.to_str().unwrap(), "--l2", "0.3,1", "--quiet"];
    cases.push(Case { stdin: None, name: "an l2 grid with nothing to choose on", args: s(&grid), want: s(&["--dev or --cv"]) });
    let file_out = write(dir, "plainfile", b"x");
    let to_file = ["train", "--format", "csv", "--train", "datasets/toy/train.csv", "--out", &file_out, "--quiet"];
    cases.push(Case { stdin: None, name: "--out is a file", args: s(&to_file), want: s(&["plainfile", "not a directory"]) });
    let unwritable = ["train", "--format", "csv", "--train", "datasets/toy/train.csv", "--out", "/proc/stance-model", "--quiet"];
    cases.push(Case { stdin: None, name: "--out in a folder that cannot be written", args: s(&unwritable), want: s(&["/proc"]) });

    assert!(cases.len() >= 30, "only {} cases", cases.len());
    assert_clear_errors(&cases);
}

#[test]
fn usage_errors_exit_2() {
    for args in [&["train"][..], &["eval", "--model"], &["predict", "--format", "xml"], &["frobnicate"]] {
        let r = run(args);
        assert_eq!(r.code, 2, "{args:?}: {}", r.stderr);
        assert!(r.stdout.is_empty());
    }
}

#[test]
fn lossy_flag_decodes_invalid_utf8() {
    let d = tempfile::tempdir().unwrap();
    let f = write(d.path(), "bad8.txt", b"Mayor Ines Kowalski \xff praised the workers.");
    let r = run(&["predict", "--model", toy_model().to_str().unwrap(), "--format", "jsonl", "--lossy", &f]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("Ines Kowalski"));
}
