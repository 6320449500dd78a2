//! Per-actor figures of a framing report: mentions, mean score with a 95%
//! bootstrap interval over articles (mentions of one article are not
//! independent, so articles, not mentions, are resampled; the interval is
//! [`crate::bootstrap::article_mean`]'s, the one `summarize` gives for the
//! same rows and seed), label shares.

use std::collections::BTreeMap;

use super::rows::Row;

/// Resamples of the bootstrap intervals.
pub const RESAMPLES: usize = 1000;

#[derive(Debug, Clone, PartialEq)]
pub struct ActorStats {
    pub actor: String,
    pub mentions: usize,
    pub articles: usize,
    pub mean: f64,
    /// 95% percentile bootstrap interval of the mean, articles resampled.
    pub low: f64,
    pub high: f64,
    /// Share of the mentions with each label, in `labels` order.
    pub shares: Vec<f64>,
}

/// The labels of `rows`: negative, neutral, positive first where present,
/// then any other in order of appearance.
pub fn labels(rows: &[Row]) -> Vec<String> {
    let mut out: Vec<String> = ["negative", "neutral", "positive"].iter().filter(|l| rows.iter().any(|r| r.label == **l)).map(|l| l.to_string()).collect();
    for r in rows {
        if !out.contains(&r.label) {
            out.push(r.label.clone());
        }
    }
    out
}

/// The figures of one actor's rows.
pub fn stats(actor: &str, rows: &[&Row], labels: &[String], seed: u64) -> ActorStats {
    // Per article: sum and count of scores.
    let mut per_doc: BTreeMap<&str, (f64, usize)> = BTreeMap::new();
    for r in rows {
        let e = per_doc.entry(&r.doc).or_default();
        e.0 += r.score;
        e.1 += 1;
    }
    let docs: Vec<(f64, usize)> = per_doc.into_values().collect();
    let n = rows.len();
    // Every row of a report is scored, so an actor with rows has a mean.
    // Seeded as `summarize` seeds it: the same rows and seed give the
    // same interval in both.
    let (mean, (low, high)) = crate::bootstrap::article_mean(&docs, RESAMPLES, seed).unwrap_or((0.0, (0.0, 0.0)));
    let shares = labels.iter().map(|l| rows.iter().filter(|r| &r.label == l).count() as f64 / n.max(1) as f64).collect();
    ActorStats { actor: actor.to_string(), mentions: n, articles: docs.len(), mean, low, high, shares }
}

/// The `top` actors of `rows` by mentions (ties: by name), with figures.
pub fn top_actors(rows: &[Row], labels: &[String], top: usize, seed: u64) -> Vec<ActorStats> {
    let mut by_actor: BTreeMap<&str, Vec<&Row>> = BTreeMap::new();
    for r in rows {
        by_actor.entry(&r.actor).or_default().push(r);
    }
    let mut order: Vec<(&str, Vec<&Row>)> = by_actor.into_iter().collect();
    order.sort_by(|a, b| b.1.len().cmp(&a.1.len()).then(a.0.cmp(b.0)));
    order.into_iter().take(top).map(|(a, rs)| stats(a, &rs, labels, seed)).collect()
}

/// The figures of each of `actors` among `rows` (none where it has no rows).
pub fn for_actors(rows: &[&Row], actors: &[String], labels: &[String], seed: u64) -> Vec<Option<ActorStats>> {
    actors
        .iter()
        .map(|a| {
            let mine: Vec<&Row> = rows.iter().copied().filter(|r| &r.actor == a).collect();
            (!mine.is_empty()).then(|| stats(a, &mine, labels, seed))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(doc: &str, actor: &str, score: f64) -> Row {
        let label = if score < -0.3 { "negative" } else if score > 0.3 { "positive" } else { "neutral" };
        Row { doc: doc.into(), sentence: "s".into(), actor: actor.into(), label: label.into(), score, group: None, date: None, model: None }
    }

    #[test]
    fn intervals_hold_the_mean_narrow_with_articles_and_repeat_by_seed() {
        let few: Vec<Row> = (0..4).map(|i| row(&format!("d{i}"), "A", if i % 2 == 0 { -0.8 } else { 0.6 })).collect();
        let many: Vec<Row> = (0..200).map(|i| row(&format!("d{i}"), "A", if i % 2 == 0 { -0.8 } else { 0.6 })).collect();
        let l = labels(&many);
        let a = top_actors(&few, &l, 5, 1)[0].clone();
        let b = top_actors(&many, &l, 5, 1)[0].clone();
        assert!(a.low <= a.mean && a.mean <= a.high, "{a:?}");
        assert!(b.low <= b.mean && b.mean <= b.high, "{b:?}");
        assert!(b.high - b.low < a.high - a.low, "{a:?} {b:?}");
        assert_eq!(top_actors(&many, &l, 5, 1), top_actors(&many, &l, 5, 1));
        assert_eq!(l, ["negative", "positive"]);
        assert_eq!(b.shares, [0.5, 0.5]);
    }

    #[test]
    fn one_article_resampled_is_one_article() {
        // Mentions of one article move together: no spread from within it.
        let rows: Vec<Row> = (0..50).map(|i| row("only", "A", if i % 2 == 0 { -1.0 } else { 1.0 })).collect();
        let s = top_actors(&rows, &labels(&rows), 1, 0)[0].clone();
        assert_eq!((s.low, s.high), (s.mean, s.mean));
        assert_eq!(s.articles, 1);
    }

    #[test]
    fn top_actors_are_the_most_mentioned() {
        let mut rows = vec![row("d", "Rare", 0.0)];
        rows.extend((0..3).map(|_| row("d", "Often", 0.5)));
        rows.extend((0..2).map(|_| row("d", "Middle", -0.5)));
        let names: Vec<String> = top_actors(&rows, &labels(&rows), 2, 0).into_iter().map(|s| s.actor).collect();
        assert_eq!(names, ["Often", "Middle"]);
    }
}
