//! `stance report`: `predict`'s JSON Lines in, one self-contained HTML page
//! out, with the picture researchers want first: each actor, how
//! negatively or positively it is framed, and how certain that is; by
//! group (`--group-by`) and over time (`--by-date`), with the sentences
//! behind each bar.
//!
//! The figures (mentions, mean score, 95% bootstrap interval over articles,
//! label shares) are computed in [`aggregate`], apart from the drawing, so
//! that other summaries can share them.

pub mod aggregate;
pub mod html;
pub mod period;
pub mod rows;
pub mod svg;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::error::{Error, Location, Result};
use aggregate::{for_actors, labels, top_actors, ActorStats, RESAMPLES};
use period::Period;
use rows::Row;
use svg::Series;

/// What the report shows.
#[derive(Debug, Clone)]
pub struct ReportParams {
    /// Actors shown: the most mentioned.
    pub top: usize,
    /// Groups shown with `group_by`: the most mentioned.
    pub top_groups: usize,
    /// Actors drawn over time.
    pub top_lines: usize,
    pub group_by: Option<String>,
    pub by_date: Option<String>,
    pub period: Period,
    /// Seed of the bootstrap intervals.
    pub seed: u64,
    /// Sentences listed at each end of an actor's table.
    pub sentences: usize,
}

/// A built report: the page and each chart as a standalone SVG.
pub struct Report {
    pub html: String,
    /// File name and SVG of each chart.
    pub charts: Vec<(String, String)>,
    /// The actors of the main chart.
    pub actors: Vec<ActorStats>,
}

/// A file name made of `s`: letters, digits and `-` only.
fn slug(s: &str) -> String {
    let s: String = s.chars().map(|c| if c.is_alphanumeric() { c.to_ascii_lowercase() } else { '-' }).collect();
    let s = s.split('-').filter(|p| !p.is_empty()).collect::<Vec<_>>().join("-");
    if s.is_empty() { "group".to_string() } else { s.chars().take(40).collect() }
}

/// Build the page and charts from `rows`.
pub fn build(rows: &[Row], p: &ReportParams) -> Result<Report> {
    let labels = labels(rows);
    let actors = top_actors(rows, &labels, p.top, p.seed);
    let docs: std::collections::BTreeSet<&str> = rows.iter().map(|r| r.doc.as_str()).collect();
    let all_actors: std::collections::BTreeSet<&str> = rows.iter().map(|r| r.actor.as_str()).collect();
    let mut models: Vec<&str> = rows.iter().filter_map(|r| r.model.as_deref()).collect();
    models.sort();
    models.dedup();
    let mut charts = Vec::new();
    let mut sections = Vec::new();

    let title = format!("The {} most mentioned actors", actors.len());
    let main = svg::diverging_bars(&title, &actors, &labels);
    sections.push((
        "Actors by mean score".to_string(),
        html::figure(&main, "Bars: mean score of the actor's mentions (-1 negative, +1 positive) with its 95% interval; right: share of each label, and the number of mentions."),
    ));
    charts.push(("actors.svg".to_string(), main));

    if let Some(field) = &p.group_by {
        let mut by_group: BTreeMap<&str, Vec<&Row>> = BTreeMap::new();
        for r in rows {
            by_group.entry(r.group.as_deref().unwrap_or("(none)")).or_default().push(r);
        }
        let mut groups: Vec<(&str, Vec<&Row>)> = by_group.into_iter().collect();
        groups.sort_by(|a, b| b.1.len().cmp(&a.1.len()).then(a.0.cmp(b.0)));
        let names: Vec<String> = actors.iter().map(|a| a.actor.clone()).collect();
        let mut panels = String::from("<div class=\"panels\">\n");
        for (g, grows) in groups.iter().take(p.top_groups) {
            let stats: Vec<ActorStats> = for_actors(grows, &names, &labels, p.seed).into_iter().flatten().collect();
            let chart = svg::diverging_bars(&format!("{field} = {g}"), &stats, &labels);
            panels.push_str(&html::figure(&chart, &format!("{} mentions", grows.len())));
            charts.push((format!("group-{}.svg", slug(g)), chart));
        }
        panels.push_str("</div>\n");
        let more = groups.len().saturating_sub(p.top_groups);
        if more > 0 {
            panels.push_str(&format!("<p class=\"meta\">{more} smaller group(s) not drawn.</p>\n"));
        }
        sections.push((format!("By {field}"), panels));
    }

    if let Some(field) = &p.by_date {
        let dated: Vec<(String, &Row)> = rows.iter().filter_map(|r| p.period.of(r.date.as_deref()?).map(|d| (d, r))).collect();
        if dated.is_empty() {
            return Err(Error::Params(format!("--by-date {field}: no row has a date (YYYY-MM-DD) in field {field:?}")));
        }
        let mut periods: Vec<String> = dated.iter().map(|(d, _)| d.clone()).collect();
        periods.sort();
        periods.dedup();
        let lines: Vec<&ActorStats> = actors.iter().take(p.top_lines).collect();
        let names: Vec<String> = lines.iter().map(|a| a.actor.clone()).collect();
        let per_period: Vec<Vec<Option<ActorStats>>> = periods
            .iter()
            .map(|d| {
                let in_period: Vec<&Row> = dated.iter().filter(|(x, _)| x == d).map(|(_, r)| *r).collect();
                for_actors(&in_period, &names, &labels, p.seed)
            })
            .collect();
        let series: Vec<Series> = names
            .iter()
            .enumerate()
            .map(|(k, a)| Series { actor: a.clone(), points: per_period.iter().map(|ps| ps[k].as_ref().map(|s| (s.mean, s.low, s.high))).collect() })
            .collect();
        let chart = svg::over_time(&format!("Mean score per {:?}", p.period).to_lowercase(), &periods, &series);
        let undated = rows.len() - dated.len();
        let mut caption = "Lines: mean score of each actor's mentions per period; bands: 95% intervals.".to_string();
        if undated > 0 {
            caption.push_str(&format!(" {undated} mention(s) without a date in {field:?} left out."));
        }
        sections.push((format!("Over time (by {field})"), html::figure(&chart, &caption)));
        charts.push(("over-time.svg".to_string(), chart));
    }

    sections.push(("The sentences behind each bar".to_string(), html::sentences(&actors, rows, p.sentences)));
    let meta = format!(
        "{} mentions of {} actors in {} articles; model: {}. Intervals: 95% percentile bootstrap over articles ({RESAMPLES} resamples, seed {}).",
        rows.len(),
        all_actors.len(),
        docs.len(),
        if models.is_empty() { "not named in the input".to_string() } else { models.join(", ") },
        p.seed
    );
    let html = html::page("How the articles frame their actors", &svg::escape(&meta), &sections);
    Ok(Report { html, charts, actors })
}

/// `path` holds something this command did not write (no [`svg::MARK`]):
/// it may be replaced only when the user named it.
fn written_by_us(path: &Path) -> bool {
    std::fs::read(path).is_ok_and(|b| b.windows(svg::MARK.len()).any(|w| w == svg::MARK.as_bytes()))
}

fn write_file(path: &Path, bytes: &[u8], named: bool, option: &str, inputs: &[PathBuf]) -> Result<()> {
    crate::safety::check_output_file(option, path, inputs, &[])?;
    if !named && path.exists() && !written_by_us(path) {
        return Err(Error::input(Location::file(path), format!("{option}: exists and was not written by stance report; refusing to replace it (name it, or another file)")));
    }
    let mut f = crate::atomic::AtomicFile::create(path)?;
    std::io::Write::write_all(&mut f, bytes).map_err(|e| Error::io(path, "write", e))?;
    f.commit()
}

/// Write the page to `out` (replacing a file the user named, or one an
/// earlier report wrote) and, with `svg_dir`, each chart beside it.
pub fn write(report: &Report, out: &Path, out_named: bool, svg_dir: Option<&Path>, inputs: &[PathBuf]) -> Result<()> {
    // The page carries the mark too, in a comment.
    let html = report.html.replacen("<html lang=\"en\">", &format!("<html lang=\"en\">\n{}", svg::MARK), 1);
    if let Some(dir) = svg_dir {
        if !dir.exists() {
            std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, "create directory", e))?;
        }
        for (name, chart) in &report.charts {
            write_file(&dir.join(name), chart.as_bytes(), false, "--svg-dir", inputs)?;
        }
    }
    write_file(out, html.as_bytes(), out_named, "-o", inputs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_plain_file_names() {
        assert_eq!(slug("The Guardian (UK)"), "the-guardian-uk");
        assert_eq!(slug("../../etc"), "etc");
        assert_eq!(slug("///"), "group");
    }
}
