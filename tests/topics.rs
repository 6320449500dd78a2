//! A model trained with topics (targets its texts never name) scores every
//! sentence for each topic in `predict`, in every output format, unless
//! `--actors FILE --only-listed` lists all that is to be scored.

mod common;

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use common::*;
use serde_json::Value;

const WIND: &str = "wind power";
const UNIFORMS: &str = "school uniforms";

/// A small stance corpus written for this test: two topics, never named in
/// their texts, each with favour-, against- and neither-worded sentences.
fn corpus() -> String {
    let wind = [
        ("favor", ["The new turbines are wonderful and clean", "We need many more turbines on the hills", "Turbines give the valley cheap clean energy", "I love watching the turbines turn", "The turbines are a brilliant investment", "More turbines mean cleaner air for our children"]),
        ("against", ["The turbines are ugly and noisy", "Those turbines kill birds and ruin the view", "The turbines are a terrible waste of money", "Nobody wants noisy turbines near their homes", "The turbines wreck the landscape", "Turbines are an expensive blight on the hills"]),
        ("none", ["The valley road was closed on Monday", "The farmers met in the village hall", "It rained on the hills all week", "The bus to the coast leaves at noon", "A new bakery opened near the station", "The valley fair drew a large crowd"]),
    ];
    let uniforms = [
        ("favor", ["Pupils look smart in their blazers", "Blazers stop pupils competing over clothes", "A tidy blazer gives pupils pride in their school", "Blazers make mornings easier for parents", "Smart blazers help pupils focus on lessons", "I am glad pupils wear blazers again"]),
        ("against", ["Blazers are expensive and stifle pupils", "Forcing pupils into blazers is pointless", "Blazers cost parents far too much", "Pupils hate the itchy blazers", "Blazers crush the pupils' self expression", "Scrap the costly blazers now"]),
        ("none", ["The school term starts in September", "Pupils sat their exams in the hall", "The school bus was late again", "Teachers met to plan the trip", "The library opens at eight", "Pupils planted trees by the gate"]),
    ];
    let mut csv = String::from("text,target,label\n");
    for (topic, groups) in [(WIND, wind), (UNIFORMS, uniforms)] {
        for (label, texts) in groups {
            for t in texts {
                csv.push_str(&format!("{t}.,{topic},{label}\n"));
            }
        }
    }
    csv
}

fn scratch() -> PathBuf {
    let d = std::env::temp_dir().join(format!("stance-topics-{}", std::process::id()));
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// The topic model, trained once per test binary; and `train`'s output.
fn topic_model() -> &'static (PathBuf, String) {
    static MODEL: OnceLock<(PathBuf, String)> = OnceLock::new();
    MODEL.get_or_init(|| {
        let d = scratch();
        let data = d.join("topics.csv");
        std::fs::write(&data, corpus()).unwrap();
        let out = d.join("topic-model");
        let r = run(&["train", "--format", "csv", "--train", data.to_str().unwrap(), "--conjoin-target", "on", "--out", out.to_str().unwrap(), "--quiet"]);
        assert_eq!(r.code, 0, "{}", r.stderr);
        (out, r.stdout)
    })
}

/// An article that never names either topic: one sentence for wind power,
/// one against it, one about neither.
/// Written once: tests run in parallel, and rewriting it under another
/// test's `predict` let that one read it empty.
fn article() -> PathBuf {
    static ARTICLE: OnceLock<PathBuf> = OnceLock::new();
    ARTICLE
        .get_or_init(|| {
            let p = scratch().join("article.txt");
            std::fs::write(&p, "The turbines on the ridge are wonderful and clean. Those noisy turbines ruin the view and kill birds. The council met on Tuesday.").unwrap();
            p
        })
        .clone()
}

fn predict(model: &Path, extra: &[&str]) -> Run {
    let mut args = vec!["predict", "--model", model.to_str().unwrap()];
    args.extend_from_slice(extra);
    let a = article();
    args.push(a.to_str().unwrap());
    let r = run(&args);
    assert_eq!(r.code, 0, "{}", r.stderr);
    r
}

fn rows(jsonl: &str, kind: &str) -> Vec<Value> {
    jsonl.lines().map(|l| serde_json::from_str::<Value>(l).unwrap()).filter(|v| v["type"] == kind).collect()
}

#[test]
fn the_bundle_records_its_topics_and_train_says_what_predict_will_score() {
    let (model, stdout) = topic_model();
    let meta: Value = serde_json::from_slice(&std::fs::read(model.join("bundle.json")).unwrap()).unwrap();
    assert_eq!(meta["topics"]["names"], serde_json::json!([UNIFORMS, WIND]));
    assert_eq!(meta["topics"]["only"], true);
    assert!(stdout.contains("predict scores every sentence for the model's 2 topics (\"school uniforms\", \"wind power\") and no actors"), "{stdout}");
    // A model trained on mentions records none, so its bundle keeps the
    // bytes it had before topics were recorded.
    let toy: Value = serde_json::from_slice(&std::fs::read(toy_model().join("bundle.json")).unwrap()).unwrap();
    assert!(toy.get("topics").is_none());
}

#[test]
fn every_sentence_gets_a_row_per_topic_and_the_wording_moves_the_stance() {
    let (model, _) = topic_model();
    let r = predict(model, &["--format", "jsonl"]);
    let ms = rows(&r.stdout, "mention");
    assert_eq!(ms.len(), 3 * 2, "{}", r.stdout);
    for (i, m) in ms.iter().enumerate() {
        assert_eq!(m["sentence_index"], i / 2);
        assert_eq!(m["actor"], [UNIFORMS, WIND][i % 2]);
        assert_eq!(m["actor_id"], ["topic:school-uniforms", "topic:wind-power"][i % 2]);
        assert_eq!(m["actor_kind"], "topic");
        for k in ["mention", "mention_kind", "start", "end"] {
            assert!(m.get(k).is_some_and(Value::is_null), "{k} of a topic row: {m}");
        }
    }
    let wind = |s: usize| &ms[2 * s + 1];
    let p = |s: usize, l: &str| wind(s)["probabilities"][l].as_f64().unwrap();
    assert!(p(0, "favor") > p(1, "favor") + 0.1, "favour-worded {} vs against-worded {}", wind(0), wind(1));
    assert!(p(1, "against") > p(0, "against") + 0.1, "{} vs {}", wind(0), wind(1));
    assert!(wind(0)["score"].as_f64().unwrap() > wind(1)["score"].as_f64().unwrap());
    assert_eq!((wind(0)["label"].as_str(), wind(1)["label"].as_str()), (Some("favor"), Some("against")));
    // Each topic's summary counts every sentence.
    let sums = rows(&r.stdout, "summary");
    assert_eq!(sums.iter().map(|s| (s["actor"].as_str().unwrap(), s["mentions"].as_u64().unwrap())).collect::<Vec<_>>(), [(UNIFORMS, 3), (WIND, 3)]);
    assert!(sums.iter().all(|s| s["actor_kind"] == "topic"));

    // Rows that summarize and report read like any others.
    let rows_file = scratch().join("topic-rows.jsonl");
    std::fs::write(&rows_file, &r.stdout).unwrap();
    let s = run(&["summarize", "--format", "jsonl", rows_file.to_str().unwrap()]);
    assert_eq!(s.code, 0, "{}", s.stderr);
    assert_eq!(s.stdout.lines().count(), 2, "{}", s.stdout);
    let html = scratch().join("topic-report.html");
    let rep = run(&["report", "-o", html.to_str().unwrap(), rows_file.to_str().unwrap()]);
    assert_eq!(rep.code, 0, "{}", rep.stderr);
}

#[test]
fn csv_and_table_show_topic_rows_without_mentions() {
    let (model, _) = topic_model();
    let csv = predict(model, &["--format", "csv"]).stdout;
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let header = reader.headers().unwrap().clone();
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let records: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(records.len(), 6);
    for r in &records {
        assert_eq!(&r[col("actor_kind")], "topic");
        for k in ["mention", "mention_kind", "start", "end"] {
            assert_eq!(&r[col(k)], "", "{k}: {r:?}");
        }
    }
    let json = rows(&predict(model, &["--format", "jsonl"]).stdout, "mention");
    for (r, j) in records.iter().zip(&json) {
        assert_eq!(&r[col("actor")], j["actor"].as_str().unwrap());
        assert_eq!(&r[col("label")], j["label"].as_str().unwrap());
    }

    let table = predict(model, &["--format", "table"]).stdout;
    assert_eq!(table.matches("(topic)").count(), 6, "{table}");
    assert!(table.contains("wind power") && !table.contains("no actors found"), "{table}");
}

#[test]
fn listed_actors_add_to_the_topics_or_replace_them_with_only_listed() {
    let (model, _) = topic_model();
    let actors = scratch().join("actors.csv");
    std::fs::write(&actors, "actor,alias\nthe council,council\n").unwrap();
    let council = |ms: &[Value]| -> Vec<Value> { ms.iter().filter(|m| m["actor_kind"] != "topic").cloned().collect() };
    let only = rows(&predict(model, &["--format", "jsonl", "--actors", actors.to_str().unwrap(), "--only-listed"]).stdout, "mention");
    assert_eq!(only.len(), 1, "{only:?}");
    assert_eq!((only[0]["actor"].as_str(), only[0]["mention"].as_str(), only[0]["sentence_index"].as_u64()), (Some("the council"), Some("The council"), Some(2)));
    // Without --only-listed the listed actor comes on top of the topics:
    // found although a model trained on topics alone finds nothing itself.
    let both = rows(&predict(model, &["--format", "jsonl", "--actors", actors.to_str().unwrap()]).stdout, "mention");
    assert_eq!(council(&both), only, "{both:?}");
    assert_eq!(both.iter().filter(|m| m["actor_kind"] == "topic").count(), 6, "{both:?}");
}

#[test]
fn a_model_without_topics_scores_no_topic_rows() {
    let ms = rows(&predict(toy_model(), &["--format", "jsonl"]).stdout, "mention");
    assert!(ms.iter().all(|m| m["actor_kind"] != "topic" && m["start"].is_u64()), "{ms:?}");
}
