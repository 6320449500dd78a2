//! The library's front door, `stance::Model`: it agrees with the command
//! line and with the plain scoring path, two models loaded in turn in one
//! process each give their own probabilities, and invalid feature settings
//! are errors.

mod common;
use common::*;

use std::collections::HashMap;

use stance::actors::{list::ListFinder, ActorKind};
use stance::pipeline::TargetSpans;
use stance::text::Span;
use stance::Model;

/// Sentences with one target each (code-point spans).
const CASES: [(&str, &str, (usize, usize)); 4] = [
    ("Mayor Ines Kowalski praised the workers, while Piet Vos attacked the plan.", "Ines Kowalski", (6, 19)),
    ("Critics accused Piet Vos of lying about the harbour budget.", "Piet Vos", (16, 24)),
    ("Ines Kowalski visited the harbour on Tuesday.", "Ines Kowalski", (0, 13)),
    ("The union hailed Piet Vos for brave work during the floods.", "Piet Vos", (17, 25)),
];

fn article() -> String {
    CASES.iter().map(|c| c.0).collect::<Vec<_>>().join(" ")
}

fn finder() -> ListFinder {
    ListFinder::new(vec![("Ines Kowalski".into(), String::new(), ActorKind::Person), ("Piet Vos".into(), String::new(), ActorKind::Person)])
}

/// What a fresh `stance predict` process gives: (sentence, start, end) -> probabilities.
fn fresh_process(model: &std::path::Path, dir: &std::path::Path) -> HashMap<(String, u64, u64), Vec<f64>> {
    let (art, actors) = (dir.join("article.txt"), dir.join("actors.csv"));
    std::fs::write(&art, article()).unwrap();
    std::fs::write(&actors, "actor,kind\nInes Kowalski,person\nPiet Vos,person\n").unwrap();
    let r = run(&["predict", "--format", "jsonl", "--model", model.to_str().unwrap(), "--actors", actors.to_str().unwrap(), "--only-listed", art.to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    r.stdout
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .filter(|v| v["type"] == "mention")
        .map(|v| {
            let p = v["probabilities"].as_object().unwrap();
            let key = (v["sentence"].as_str().unwrap().to_string(), v["start"].as_u64().unwrap(), v["end"].as_u64().unwrap());
            (key, p.values().map(|x| x.as_f64().unwrap()).collect())
        })
        .collect()
}

fn close(a: &[f64], b: &[f64], tol: f64) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| (x - y).abs() <= tol)
}

#[test]
fn two_models_loaded_in_turn_each_give_their_own_probabilities() {
    let d = tempfile::tempdir().unwrap();
    // A second model: the toy corpus, with other options than the shipped one.
    let toy = d.path().join("toy");
    let r = run(&["train", "--format", "csv", "--train", "datasets/toy/train.csv", "--out", toy.to_str().unwrap(), "--quiet", "--seed", "5", "--l2", "0.3", "--no-feature", "lexicon"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let dirs = [root().join("models/newsmtsc"), toy];
    let expected: Vec<_> = dirs.iter().map(|m| fresh_process(m, d.path())).collect();
    assert!(expected.iter().all(|e| e.len() >= CASES.len()), "{expected:?}");
    // The two models disagree, so one's probabilities cannot pass for the other's.
    let differ = expected[0].iter().any(|(k, p)| !close(p, &expected[1][k], 0.01));
    assert!(differ, "{expected:?}");

    let finder = finder();
    let mut first: Vec<Option<Vec<Vec<f64>>>> = vec![None, None];
    // Each model is dropped before the next loads, which may reuse its memory.
    for round in 0..3 {
        for (m, dir) in dirs.iter().enumerate() {
            let model = Model::load(dir).unwrap();
            let mut scorer = model.scorer();
            let (mut feats, mut cols, mut vals) = (Vec::new(), Vec::new(), Vec::new());
            let mut got = Vec::new();
            for (text, name, (a, b)) in CASES {
                let targets = [TargetSpans { name, spans: vec![Span::new(a, b)] }];
                scorer.set_text(text);
                let cached = scorer.score(text, &targets, 0, &mut feats);
                // The plain path: features, sparse row, weights.
                scorer.featurizer().features(text, &targets, 0, &mut feats);
                let lm = &model.bundle().model;
                lm.row(&feats, &mut cols, &mut vals);
                let plain = lm.predict_row(&cols, &vals);
                assert!(close(&cached, &plain, 1e-5), "model {m} round {round}: {text}: {cached:?} vs {plain:?}");
                // The front door, and a fresh process.
                let front = model.score(text, &[Span::new(a, b)]).unwrap();
                assert!(close(&front.probs, &cached, 1e-12), "{front:?} vs {cached:?}");
                let key = (text.to_string(), a as u64, b as u64);
                assert!(close(&cached, &expected[m][&key], 2e-6), "model {m} round {round}: {text}: {cached:?} vs {:?}", expected[m][&key]);
                got.push(cached);
            }
            // Whole articles through the front door, against the fresh process.
            let scored = model.predict_with(&article(), &finder).unwrap();
            assert_eq!(scored.mentions.len(), expected[m].len());
            for mention in &scored.mentions {
                let span = mention.mention.as_ref().expect("listed actors have mentions").span;
                let key = (scored.sentences[mention.sentence_index].clone(), span.start as u64, span.end as u64);
                assert!(close(&mention.probs, &expected[m][&key], 2e-6), "model {m}: {key:?}");
            }
            match &first[m] {
                None => first[m] = Some(got),
                Some(f) => assert_eq!(f, &got, "model {m} changed between rounds"),
            }
        }
    }
}

#[test]
fn the_front_door_refuses_bad_spans() {
    let model = Model::load(root().join("models/newsmtsc")).unwrap();
    let text = "Piet Vos spoke.";
    for bad in [vec![], vec![Span::new(3, 3)], vec![Span::new(0, 99)], vec![Span::new(0, 8), Span::new(9, 16)]] {
        let e = model.score(text, &bad).unwrap_err().to_string();
        assert!(e.contains("span"), "{e}");
    }
    // Spans count characters, not bytes.
    let p = model.score("Über Piet Vos: «Nein».", &[Span::new(5, 13)]).unwrap();
    assert_eq!(p.probs.len(), 3);
}

#[test]
fn invalid_feature_settings_in_a_bundle_are_errors() {
    let d = tempfile::tempdir().unwrap();
    let src = root().join("models/newsmtsc");
    for (field, value) in [
        ("char_min", "0"),
        ("char_max", "17"),
        ("word_ngrams", "1"),
        ("word_ngrams", "4"),
        ("context_window", "0"),
        ("context_window", "51"),
        ("families", "[]"),
    ] {
        let dir = d.path().join(format!("{field}-{value}"));
        std::fs::create_dir(&dir).unwrap();
        for f in ["weights.bin", "tokenizer.json"] {
            std::fs::copy(src.join(f), dir.join(f)).unwrap();
        }
        let mut meta: serde_json::Value = serde_json::from_slice(&std::fs::read(src.join("bundle.json")).unwrap()).unwrap();
        meta["features"][field] = serde_json::from_str(value).unwrap();
        std::fs::write(dir.join("bundle.json"), serde_json::to_vec(&meta).unwrap()).unwrap();
        let e = Model::load(&dir).err().unwrap_or_else(|| panic!("{field} = {value} was accepted")).to_string();
        assert!(e.contains("bundle.json") && e.contains("invalid option"), "{field} = {value}: {e}");
    }
    // And straight through the library: only checked settings reach the extractor.
    let zero = stance::features::FeatureParams { char_min: 0, ..Default::default() };
    assert!(matches!(zero.check(), Err(stance::Error::Params(_))));
}

#[test]
fn predict_batches_gives_the_rendered_rows_in_order_and_stops_when_told() {
    use stance::article::{Article, ScoredArticle};
    use stance::output::{round, OutputFormat};
    let model = Model::builtin().unwrap();
    let harbour = std::fs::read_to_string(root().join("examples/harbour-dispute.txt")).unwrap();
    // More articles than one batch, so that order across batches counts.
    let articles: Vec<Article> = (0..1100)
        .map(|i| Article { doc: format!("a{i}"), text: if i % 3 == 0 { harbour.clone() } else { CASES[i % 4].0.to_string() }, keep: Vec::new() })
        .collect();
    let scored = |threads| {
        let mut all: Vec<ScoredArticle> = Vec::new();
        model.predict_batches(&articles, None, Some(threads), |batch| {
            all.extend(batch);
            true
        })
        .unwrap();
        all
    };
    let one = scored(1);
    assert_eq!(one, scored(2), "the thread count changed the scored articles");
    assert_eq!(one.iter().map(|a| a.doc.as_str()).collect::<Vec<_>>(), articles.iter().map(|a| a.doc.as_str()).collect::<Vec<_>>());
    // The same mentions, in the same order, as the rendered rows.
    let rendered = model.predict_rendered(articles.clone(), None, Some(2), OutputFormat::Jsonl).unwrap();
    let rows: Vec<serde_json::Value> =
        String::from_utf8(rendered).unwrap().lines().map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap()).filter(|v| v["type"] == "mention").collect();
    let mentions: Vec<(&ScoredArticle, &stance::article::ScoredMention)> = one.iter().flat_map(|a| a.mentions.iter().map(move |m| (a, m))).collect();
    assert!(mentions.len() > 1000, "{}", mentions.len());
    assert_eq!(rows.len(), mentions.len());
    for (row, (a, m)) in rows.iter().zip(&mentions) {
        assert_eq!(row["doc"], a.doc.as_str());
        assert_eq!(row["sentence"], a.sentences[m.sentence_index].as_str());
        assert_eq!(row["actor_id"], a.actor_ids[m.actor].as_str());
        let at = m.mention.as_ref().unwrap();
        assert_eq!((row["start"].as_u64(), row["end"].as_u64()), (Some(at.span.start as u64), Some(at.span.end as u64)));
        let probs: Vec<f64> = row["probabilities"].as_object().unwrap().values().map(|p| p.as_f64().unwrap()).collect();
        assert_eq!(probs, m.probs.iter().map(|&p| round(p)).collect::<Vec<_>>());
    }
    // Told to stop after the first batch, it scores no more.
    let mut calls = 0;
    model
        .predict_batches(&articles, None, Some(2), |batch| {
            calls += 1;
            assert!(!batch.is_empty() && batch.len() < articles.len());
            false
        })
        .unwrap();
    assert_eq!(calls, 1);
}

#[test]
fn a_corpus_found_in_parts_and_grouped_as_one_scores_as_one_run() {
    // The Spark recipe's way: find each part's actors, group the names of
    // all parts in corpus order, score each part with those groups.
    use stance::actors::corpus::Groups;
    use stance::article::{Article, ScoredArticle};
    let model = Model::builtin().unwrap();
    let harbour = std::fs::read_to_string(root().join("examples/harbour-dispute.txt")).unwrap();
    let texts = [
        "Opposition leader Juan Guaidó called for new elections.",
        harbour.as_str(),
        "Guaido said the army would not stop the march.",
        "Juan Guaido accused Nicolas Maduro of rigging the vote.",
    ];
    let articles: Vec<Article> = texts.iter().enumerate().map(|(i, t)| Article { doc: format!("a{i}"), text: t.to_string(), keep: Vec::new() }).collect();
    let parts = [&articles[..2], &articles[2..]];
    let run = |arts: &[Article], groups: Option<&Groups>| {
        let mut all: Vec<ScoredArticle> = Vec::new();
        let keep = |batch: Vec<ScoredArticle>| {
            all.extend(batch);
            true
        };
        match groups {
            Some(g) => model.predict_batches_grouped(arts, None, Some(2), g, keep).unwrap(),
            None => model.predict_batches(arts, None, Some(2), keep).unwrap(),
        }
        all
    };
    let whole = run(&articles, None);
    // Each part's names, the parts in corpus order.
    let names: Vec<stance::actors::Actor> = parts.iter().flat_map(|p| model.find_actors(p, None, Some(2)).unwrap().into_iter().flatten()).collect();
    let groups = Groups::of_names(&names);
    let in_parts: Vec<ScoredArticle> = parts.iter().flat_map(|p| run(p, Some(&groups))).collect();
    assert_eq!(in_parts, whole);
    let guaido = |a: &ScoredArticle| a.actors.iter().position(|x| x.name.starts_with("Juan Guaid")).map(|i| (a.actors[i].name.clone(), a.actor_ids[i].clone()));
    for i in [0, 2, 3] {
        assert_eq!(guaido(&whole[i]), Some(("Juan Guaidó".to_string(), "juan-guaido".to_string())), "article {i}");
    }
    // The second part scored alone names him as it alone spells him.
    let alone = run(parts[1], None);
    assert_eq!(guaido(&alone[0]).unwrap().0, "Juan Guaido");
}
