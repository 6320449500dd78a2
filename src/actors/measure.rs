//! Measuring actor finding against labelled target mentions (NewsMTSC):
//! precision and recall of found mentions, by exact span and by overlap.
//! Sentences are regrouped into their articles (NewsMTSC ids carry the
//! article) so pronoun linking has its context.

use super::{ActorFinder, ActorKind, MentionKind};
use crate::corpus::Example;
use crate::text::Span;

#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct MentionScores {
    pub gold: usize,
    pub found: usize,
    pub recall_exact: f64,
    pub recall_overlap: f64,
    pub precision_exact: f64,
    pub precision_overlap: f64,
}

/// What was found in one labelled sentence: each mention's span and its
/// actor's kind, for comparisons with other tools.
#[derive(Debug, Clone, PartialEq)]
pub struct SentenceFound<'a> {
    pub example: &'a Example,
    pub found: Vec<(Span, ActorKind, MentionKind)>,
}

/// `articles`: each a list of labelled sentences, in order. `each` sees
/// every sentence's mentions.
pub fn measure_with<'a>(finder: &dyn ActorFinder, articles: &[Vec<&'a Example>], mut each: impl FnMut(SentenceFound<'a>)) -> MentionScores {
    let (mut gold_n, mut found_n) = (0usize, 0usize);
    let (mut rec_ex, mut rec_ov, mut pre_ex, mut pre_ov) = (0usize, 0usize, 0usize, 0usize);
    for art in articles {
        let sents: Vec<&str> = art.iter().map(|e| e.text.as_str()).collect();
        let (found, _) = super::find_article(finder, &sents);
        for (ex, ms) in art.iter().zip(&found.mentions) {
            each(SentenceFound { example: ex, found: ms.iter().map(|m| (m.span, found.actors[m.actor].kind, m.kind)).collect() });
            let gold: Vec<Span> = ex.targets.iter().filter_map(|t| t.span).collect();
            gold_n += gold.len();
            found_n += ms.len();
            for g in &gold {
                rec_ex += ms.iter().any(|m| m.span == *g) as usize;
                rec_ov += ms.iter().any(|m| m.span.overlaps(g)) as usize;
            }
            for m in ms {
                pre_ex += gold.contains(&m.span) as usize;
                pre_ov += gold.iter().any(|g| m.span.overlaps(g)) as usize;
            }
        }
    }
    let r = |a: usize, b: usize| if b == 0 { 0.0 } else { a as f64 / b as f64 };
    MentionScores {
        gold: gold_n,
        found: found_n,
        recall_exact: r(rec_ex, gold_n),
        recall_overlap: r(rec_ov, gold_n),
        precision_exact: r(pre_ex, found_n),
        precision_overlap: r(pre_ov, found_n),
    }
}

/// [`measure_with`], seeing nothing.
pub fn measure(finder: &dyn ActorFinder, articles: &[Vec<&Example>]) -> MentionScores {
    measure_with(finder, articles, |_| {})
}

/// Every sentence an article of its own (no context across sentences).
pub fn alone(examples: &[Example]) -> Vec<Vec<&Example>> {
    examples.iter().map(|e| vec![e]).collect()
}

/// Group NewsMTSC sentences by article: the id before the sentence number
/// (`allsides_1000_401_25_...` -> `allsides_1000_401`), in sentence order.
pub fn newsmtsc_articles<'a>(examples: &'a [Example], ids: &[String]) -> Vec<Vec<&'a Example>> {
    let mut keys: Vec<(String, i64, usize)> = ids
        .iter()
        .enumerate()
        .map(|(i, id)| {
            let parts: Vec<&str> = id.split('_').collect();
            // source_article_..._sentence: find the sentence index as the 4th field.
            let (art, sent) = if parts.len() >= 4 { (parts[..3].join("_"), parts[3].parse().unwrap_or(0)) } else { (id.clone(), 0) };
            (art, sent, i)
        })
        .collect();
    keys.sort();
    let mut out: Vec<Vec<&Example>> = Vec::new();
    let mut last: Option<String> = None;
    for (art, _, i) in keys {
        if last.as_ref() != Some(&art) {
            out.push(Vec::new());
            last = Some(art);
        }
        out.last_mut().unwrap().push(&examples[i]);
    }
    out
}
