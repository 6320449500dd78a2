//! The articles `predict` reads and the scored articles it writes: the
//! types shared by the input readers, the scorer and the output sinks, in a
//! module of their own so that none of those imports another.

use crate::actors::{Actor, MentionKind};
use crate::text::Span;

/// One article to score.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Article {
    /// The file path, or the `id` of a JSON Lines article.
    pub doc: String,
    pub text: String,
    /// The values of the input fields named by `predict --keep`, in that
    /// order (null where an article lacks one), copied into every row.
    pub keep: Vec<serde_json::Value>,
}

/// Where a sentence names the actor of a row.
#[derive(Debug, Clone, PartialEq)]
pub struct MentionAt {
    /// The words as the sentence has them ("Maduro's", "he").
    pub text: String,
    pub kind: MentionKind,
    /// Code-point span in the sentence.
    pub span: Span,
}

/// One scored row: an actor's mention in a sentence, or a sentence scored
/// for one of the model's topics.
#[derive(Debug, Clone, PartialEq)]
pub struct ScoredMention {
    pub sentence_index: usize,
    pub actor: usize,
    /// `None` for a topic (an actor of kind `Topic`), which the sentence
    /// need not name: its rows have no mention, kind or offsets.
    pub mention: Option<MentionAt>,
    pub probs: Vec<f64>,
    pub label: usize,
    pub score: Option<f64>,
    /// With `--explain`: the features that moved the predicted label most.
    pub explain: Vec<(String, f32)>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ScoredArticle {
    pub doc: String,
    /// The article's `--keep` values (see [`Article::keep`]).
    pub keep: Vec<serde_json::Value>,
    pub sentences: Vec<String>,
    pub actors: Vec<Actor>,
    /// `actor_ids[a]`: the stable id of `actors[a]`, the same in every
    /// article of one run (see [`crate::actors::corpus`]).
    pub actor_ids: Vec<String>,
    pub mentions: Vec<ScoredMention>,
}

/// Per-actor totals of one article.
#[derive(Debug, Clone, PartialEq)]
pub struct Summary {
    pub actor: usize,
    pub mentions: usize,
    pub mean_score: Option<f64>,
    pub label_counts: Vec<usize>,
}

impl ScoredArticle {
    /// One summary per actor with mentions, in order of first mention.
    pub fn summaries(&self, n_labels: usize) -> Vec<Summary> {
        let mut order: Vec<usize> = Vec::new();
        for m in &self.mentions {
            if !order.contains(&m.actor) {
                order.push(m.actor);
            }
        }
        order
            .into_iter()
            .map(|a| {
                let ms: Vec<&ScoredMention> = self.mentions.iter().filter(|m| m.actor == a).collect();
                let mut label_counts = vec![0; n_labels];
                for m in &ms {
                    label_counts[m.label] += 1;
                }
                let scores: Vec<f64> = ms.iter().filter_map(|m| m.score).collect();
                let mean_score = (!scores.is_empty()).then(|| scores.iter().sum::<f64>() / scores.len() as f64);
                Summary { actor: a, mentions: ms.len(), mean_score, label_counts }
            })
            .collect()
    }
}
