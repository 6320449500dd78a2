//! `stance report`: predict's JSON Lines of a few articles become one
//! self-contained HTML page whose main chart has one bar per actor shown,
//! and which a real browser (headless Chromium) renders to a non-blank
//! picture.

mod common;
use common::*;

use std::path::Path;

/// predict's rows for the example articles, each given an outlet and a
/// date as `predict --keep` would carry them over.
fn rows(dir: &Path) -> std::path::PathBuf {
    let harbour = std::fs::read_to_string(root().join("examples/harbour-dispute.txt")).unwrap();
    let articles = [
        ("harbour", harbour.as_str()),
        ("budget", "Finance Minister Lena Berg praised the new budget as a victory for families. Critics accused Berg of hiding the deficit. \
            Opposition leader Tomas Reed attacked the plan as reckless. Reed said the government had lied to voters. \
            The European Union welcomed the budget and said it met every rule."),
        ("strike", "Mayor Ines Kowalski thanked the striking nurses for their courage. The hospital board rejected their demands. \
            Transport Minister Piet Vos blamed the union for the chaos. Vos was booed by protesters outside the ministry. \
            Kowalski promised to mediate."),
        ("summit", "Tomas Reed won praise for his calm speech at the summit. Lena Berg was criticised for missing the vote. \
            The European Union warned that talks could fail. Piet Vos called the summit a success."),
    ];
    let input: String = articles.iter().map(|(id, text)| serde_json::json!({"id": id, "text": text}).to_string() + "\n").collect();
    let r = run_stdin(&["predict", "--format", "jsonl", "--input", "jsonl"], Some(input.as_bytes()));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let docs: Vec<String> = {
        let mut d: Vec<String> = r.stdout.lines().map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap()["doc"].as_str().unwrap().to_string()).collect();
        d.dedup();
        d
    };
    let mut out = String::new();
    for (i, line) in r.stdout.lines().enumerate() {
        let mut v: serde_json::Value = serde_json::from_str(line).unwrap();
        let k = docs.iter().position(|d| d == v["doc"].as_str().unwrap()).unwrap();
        v["outlet"] = serde_json::json!(["Daily Post", "Evening Star"][(i + k) % 2]);
        v["date"] = serde_json::json!(format!("2024-0{}-1{}T08:00:00Z", 1 + (i + k) % 3, k % 10));
        out.push_str(&v.to_string());
        out.push('\n');
    }
    let p = dir.join("rows.jsonl");
    std::fs::write(&p, out).unwrap();
    p
}

fn distinct_actors(jsonl: &Path) -> usize {
    let text = std::fs::read_to_string(jsonl).unwrap();
    let actors: std::collections::BTreeSet<String> = text
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .filter(|v| v["type"] == "mention")
        .map(|v| v["actor"].as_str().unwrap().to_string())
        .collect();
    actors.len()
}

#[test]
fn report_draws_one_bar_per_actor_and_needs_nothing_from_the_network() {
    let d = tempfile::tempdir().unwrap();
    let jsonl = rows(d.path());
    let html = d.path().join("r.html");
    let svgs = d.path().join("svg");
    let r = run(&[
        "report", "-o", html.to_str().unwrap(), "--svg-dir", svgs.to_str().unwrap(), "--group-by", "outlet", "--by-date", "date", "--period", "month",
        "--top", "6", jsonl.to_str().unwrap(),
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let shown = distinct_actors(&jsonl).min(6);
    assert!(shown >= 4, "{shown}");
    assert!(r.stdout.contains(&format!("({shown} actors,")), "{}", r.stdout);
    let page = std::fs::read_to_string(&html).unwrap();
    let main = std::fs::read_to_string(svgs.join("actors.svg")).unwrap();
    assert_eq!(main.matches("class=\"bar\"").count(), shown);
    assert!(page.contains(main.trim_end()), "the page holds the chart as written");
    // Small multiples per outlet, a line chart, a table per actor.
    for f in ["group-daily-post.svg", "group-evening-star.svg", "over-time.svg"] {
        assert!(svgs.join(f).is_file(), "{f}");
    }
    assert!(std::fs::read_to_string(svgs.join("over-time.svg")).unwrap().contains("class=\"line\""));
    assert_eq!(page.matches("<details>").count(), shown);
    // Self-contained: nothing to fetch.
    for needle in ["<script", "src=", "href=", "@import", "url(", "<link"] {
        assert!(!page.contains(needle), "page has {needle}");
    }
    // Run again: the page and charts it wrote are replaced; a file it did
    // not write, at the default name, is not.
    let again = run(&["report", "-o", html.to_str().unwrap(), "--svg-dir", svgs.to_str().unwrap(), jsonl.to_str().unwrap()]);
    assert_eq!(again.code, 0, "{}", again.stderr);
    std::fs::write(svgs.join("actors.svg"), "mine").unwrap();
    let refused = run(&["report", "-o", html.to_str().unwrap(), "--svg-dir", svgs.to_str().unwrap(), jsonl.to_str().unwrap()]);
    assert_ne!(refused.code, 0);
    assert!(refused.stderr.contains("not written by stance report"), "{}", refused.stderr);
    assert_eq!(std::fs::read_to_string(svgs.join("actors.svg")).unwrap(), "mine");
    // Never over its own input.
    let own = run(&["report", "-o", jsonl.to_str().unwrap(), jsonl.to_str().unwrap()]);
    assert_ne!(own.code, 0);
    assert!(distinct_actors(&jsonl) > 0);
}

#[test]
fn report_and_summarize_give_the_same_interval_for_the_same_rows_and_seed() {
    let d = tempfile::tempdir().unwrap();
    let jsonl = rows(d.path());
    let html = d.path().join("r.html");
    let r = run(&["report", "-o", html.to_str().unwrap(), "--seed", "4", jsonl.to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let page = std::fs::read_to_string(&html).unwrap();
    let s = run(&["summarize", "--format", "jsonl", "--seed", "4", jsonl.to_str().unwrap()]);
    assert_eq!(s.code, 0, "{}", s.stderr);
    let mut compared = 0;
    for row in s.stdout.lines().map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap()) {
        // The page gives two decimals: `<b>Lena Berg</b>: 5 mentions, mean -0.24 (95% -0.54 to -0.06)`;
        // summarize four.
        let Some(at) = page.find(&format!("<b>{}</b>: ", row["actor"].as_str().unwrap())) else { continue };
        let line = &page[at..page[at..].find('\n').map_or(page.len(), |e| at + e)];
        let shown: Vec<f64> = line.split([' ', '(', ')']).filter_map(|w| w.parse().ok()).collect();
        let want = [row["mentions"].as_f64().unwrap(), row["mean_score"].as_f64().unwrap(), row["ci_low"].as_f64().unwrap(), row["ci_high"].as_f64().unwrap()];
        assert_eq!(shown.len(), 4, "{line}");
        assert!(shown.iter().zip(want).all(|(a, b)| (a - b).abs() <= 0.0051), "{line} against summarize's {want:?}");
        compared += 1;
    }
    assert!(compared >= 4, "{compared} actors compared");
}

#[test]
fn report_refuses_input_that_is_not_predict_output() {
    let d = tempfile::tempdir().unwrap();
    let bad = d.path().join("bad.jsonl");
    std::fs::write(&bad, "{\"type\":\"mention\",\"actor\":\"A\",\"score\":0.5}\nnot json\n").unwrap();
    let r = run(&["report", "-o", d.path().join("r.html").to_str().unwrap(), bad.to_str().unwrap()]);
    assert_ne!(r.code, 0);
    assert!(r.stderr.contains("bad.jsonl:1") && r.stderr.contains("sentence"), "{}", r.stderr);
    assert_eq!(r.stderr.lines().count(), 1, "{}", r.stderr);
    assert!(!d.path().join("r.html").exists());
}

/// Chromium, where installed (`.ci/run` installs it and sets
/// `STANCE_REQUIRE_CHROMIUM=1`, so CI cannot skip this).
fn chromium() -> Option<String> {
    for c in ["chromium", "chromium-browser", "google-chrome"] {
        if std::process::Command::new(c).arg("--version").output().is_ok_and(|o| o.status.success()) {
            return Some(c.to_string());
        }
    }
    assert!(std::env::var("STANCE_REQUIRE_CHROMIUM").is_err(), "STANCE_REQUIRE_CHROMIUM is set but chromium is not installed");
    None
}

/// Luminance variance and the share of non-white pixels of a PNG.
fn picture_stats(png_path: &Path) -> (f64, f64, u32, u32) {
    let decoder = png::Decoder::new(std::io::BufReader::new(std::fs::File::open(png_path).unwrap()));
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).unwrap();
    let channels = info.color_type.samples();
    let px: Vec<f64> = buf[..info.buffer_size()]
        .chunks(channels)
        .map(|c| if channels >= 3 { 0.299 * c[0] as f64 + 0.587 * c[1] as f64 + 0.114 * c[2] as f64 } else { c[0] as f64 })
        .collect();
    let mean = px.iter().sum::<f64>() / px.len() as f64;
    let var = px.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / px.len() as f64;
    let inked = px.iter().filter(|&&v| v < 200.0).count() as f64 / px.len() as f64;
    (var, inked, info.width, info.height)
}

#[test]
fn chromium_renders_the_report_to_a_picture_that_is_not_blank() {
    let Some(browser) = chromium() else {
        eprintln!("chromium not installed: skipping the browser test");
        return;
    };
    let d = tempfile::tempdir().unwrap();
    let jsonl = rows(d.path());
    let html = d.path().join("r.html");
    let r = run(&["report", "-o", html.to_str().unwrap(), "--top", "8", jsonl.to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let shot = d.path().join("shot.png");
    let out = std::process::Command::new(&browser)
        .args(["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--window-size=1000,800"])
        .arg(format!("--user-data-dir={}", d.path().join("profile").display()))
        .arg(format!("--screenshot={}", shot.display()))
        .arg(format!("file://{}", html.display()))
        .output()
        .unwrap();
    assert!(shot.is_file(), "no screenshot: {}", String::from_utf8_lossy(&out.stderr));
    let (variance, inked, w, h) = picture_stats(&shot);
    assert_eq!((w, h), (1000, 800));
    // A blank page is one colour (variance 0); the chart's bars and text
    // cover a visible part of it.
    assert!(variance > 100.0, "variance {variance}");
    assert!(inked > 0.01, "only {:.2}% of pixels drawn", inked * 100.0);
    if let Ok(keep) = std::env::var("STANCE_KEEP_SCREENSHOT") {
        std::fs::copy(&shot, keep).unwrap();
    }
}
