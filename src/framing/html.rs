//! The report page: one self-contained HTML file (inline CSS and SVG, no
//! scripts, fonts or links to fetch) holding the charts and, per actor,
//! the sentences behind its bar in an expandable table.

use std::fmt::Write;

use super::aggregate::ActorStats;
use super::rows::Row;
use super::svg::escape;

const STYLE: &str = "body{font-family:sans-serif;margin:2em auto;max-width:1100px;color:#222;padding:0 1em}\
h1{font-size:1.5em}h2{font-size:1.2em;margin-top:2em}.meta{color:#555}\
figure{margin:1em 0}svg{max-width:100%;height:auto}.panels{display:flex;flex-wrap:wrap;gap:1em}.panels figure{flex:1 1 480px}\
details{margin:.4em 0;border:1px solid #ddd;border-radius:4px;padding:.3em .6em}summary{cursor:pointer}\
table{border-collapse:collapse;margin:.5em 0;width:100%}caption{text-align:left;font-weight:bold;padding:.3em 0}\
td,th{border-top:1px solid #eee;padding:.25em .5em;vertical-align:top;text-align:left}td.num{text-align:right;white-space:nowrap}";

/// The page: `title`, a line of `meta`, then `sections` (heading, HTML).
pub fn page(title: &str, meta: &str, sections: &[(String, String)]) -> String {
    let mut s = format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>{t}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<h1>{t}</h1>\n<p class=\"meta\">{meta}</p>\n",
        t = escape(title)
    );
    for (heading, body) in sections {
        let _ = writeln!(s, "<h2>{}</h2>\n{body}", escape(heading));
    }
    s.push_str("</body>\n</html>\n");
    s
}

/// `svg` as a figure with a caption.
pub fn figure(svg: &str, caption: &str) -> String {
    format!("<figure>\n{svg}<figcaption class=\"meta\">{}</figcaption>\n</figure>\n", escape(caption))
}

fn rows_table(caption: &str, rows: &[&Row]) -> String {
    let mut s = format!("<table><caption>{}</caption><tr><th>score</th><th>label</th><th>article</th><th>sentence</th></tr>\n", escape(caption));
    for r in rows {
        let _ = writeln!(
            s,
            "<tr><td class=\"num\">{:+.2}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            r.score,
            escape(&r.label),
            escape(&r.doc),
            escape(&r.sentence)
        );
    }
    s.push_str("</table>\n");
    s
}

/// Per actor shown, its mentions' sentences: the `n` most negative and
/// the `n` most positive (all of them, most negative first, when there
/// are at most `2 n`).
pub fn sentences(stats: &[ActorStats], rows: &[Row], n: usize) -> String {
    let mut s = String::new();
    for a in stats {
        let mut mine: Vec<&Row> = rows.iter().filter(|r| r.actor == a.actor).collect();
        mine.sort_by(|x, y| x.score.total_cmp(&y.score).then(x.doc.cmp(&y.doc)));
        let _ = writeln!(
            s,
            "<details><summary><b>{}</b>: {} mention{}, mean {:+.2} (95% {:+.2} to {:+.2})</summary>",
            escape(&a.actor),
            a.mentions,
            if a.mentions == 1 { "" } else { "s" },
            a.mean,
            a.low,
            a.high
        );
        if mine.len() <= 2 * n {
            s.push_str(&rows_table("All mentions, most negative first", &mine));
        } else {
            s.push_str(&rows_table(&format!("The {n} most negative"), &mine[..n]));
            let top: Vec<&Row> = mine.iter().rev().take(n).copied().collect();
            s.push_str(&rows_table(&format!("The {n} most positive"), &top));
        }
        s.push_str("</details>\n");
    }
    s
}
