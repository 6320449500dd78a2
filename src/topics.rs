//! Stance topics: training targets that their text does not name
//! (TweetEval's targets, a CSV target not found in its text). A model
//! trained with them records them in its bundle ([`Topics`]), and
//! `predict` scores every sentence for each of them, since an article
//! takes a stance towards a topic without naming it ("the turbines are a
//! blight" is against wind power).

use serde::{Deserialize, Serialize};

use crate::corpus::Example;

/// Fewest training targets a topic needs to be recorded. A name given once
/// or twice and never found in its text is more likely an actor its text
/// spells differently (a typo, a possessive) than a topic worth scoring in
/// every sentence of every article.
pub const MIN_TARGETS: usize = 3;

/// The topics a model was trained with, as its bundle records them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Topics {
    /// One per lower-cased name (conjoined features and the encoder block
    /// see targets lower-cased), spelled as the training data first did,
    /// sorted by the lower-cased name.
    pub names: Vec<String>,
    /// Every training target was a topic: the model never saw an actor
    /// mention, so `predict` finds no actors for it and scores its topics
    /// only.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub only: bool,
}

impl Topics {
    /// The topics of the examples a model learned from: targets without a
    /// span, each with at least [`MIN_TARGETS`] targets.
    pub fn of_training<'a>(examples: impl IntoIterator<Item = &'a Example>) -> Topics {
        let mut counts: Vec<(String, String, usize)> = Vec::new();
        let mut any_mention = false;
        for t in examples.into_iter().flat_map(|e| &e.targets) {
            if t.span.is_some() {
                any_mention = true;
                continue;
            }
            let key = t.name.to_lowercase();
            match counts.binary_search_by(|(k, _, _)| k.as_str().cmp(&key)) {
                Ok(i) => counts[i].2 += 1,
                Err(i) => counts.insert(i, (key, t.name.clone(), 1)),
            }
        }
        let only = !any_mention && !counts.is_empty();
        let names: Vec<String> = counts.into_iter().filter(|c| c.2 >= MIN_TARGETS).map(|c| c.1).collect();
        Topics { only: only && !names.is_empty(), names }
    }

    pub fn is_empty(&self) -> bool {
        self.names.is_empty() && !self.only
    }

    /// What a loaded bundle's topics must satisfy: names not blank, one per
    /// lower-cased name, sorted by it; `only` with at least one name.
    pub fn check(&self) -> Result<(), String> {
        if let Some(n) = self.names.iter().find(|n| n.trim().is_empty()) {
            return Err(format!("topic {n:?} is blank"));
        }
        let lower: Vec<String> = self.names.iter().map(|n| n.to_lowercase()).collect();
        if lower.windows(2).any(|w| w[0] >= w[1]) {
            return Err("topics are not sorted by their lower-cased names, or one is listed twice".into());
        }
        if self.only && self.names.is_empty() {
            return Err("topics: `only` without any topic".into());
        }
        Ok(())
    }

    /// The line `train` prints about the topics `predict` will score.
    pub fn describe(&self) -> Option<String> {
        if self.names.is_empty() {
            return None;
        }
        let n = self.names.len();
        let list = self.names.iter().take(10).map(|t| format!("{t:?}")).collect::<Vec<_>>().join(", ");
        let more = if n > 10 { format!(" and {} more", n - 10) } else { String::new() };
        let actors = if self.only { "and no actors but those --actors lists" } else { "as well as the actors it finds" };
        Some(format!("predict scores every sentence for the model's {n} topic{} ({list}{more}) {actors}; with --only-listed, the listed actors alone\n", if n == 1 { "" } else { "s" }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::Target;
    use crate::error::Location;
    use crate::text::Span;

    fn ex(targets: &[(&str, bool)]) -> Example {
        Example {
            at: Location::line("t.csv".as_ref(), 1),
            text: "some text".into(),
            targets: targets.iter().map(|&(name, named)| Target { name: name.into(), span: named.then(|| Span::new(0, 4)), further: vec![], label: "favor".into(), line: 1 }).collect(),
        }
    }

    #[test]
    fn topics_are_unnamed_targets_given_often_enough_one_per_lower_cased_name() {
        let data: Vec<Example> = [
            ex(&[("Wind power", false)]),
            ex(&[("wind POWER", false)]),
            ex(&[("wind power", false)]),
            ex(&[("Abortion", false)]),
            ex(&[("abortion", false)]),
            ex(&[("abortion", false)]),
            ex(&[("Typo", false)]),
        ]
        .into();
        let t = Topics::of_training(&data);
        assert_eq!(t.names, ["Abortion", "Wind power"], "first spelling kept, sorted, the rare name left out");
        assert!(t.only);
        t.check().unwrap();
        assert!(t.describe().unwrap().contains("2 topics (\"Abortion\", \"Wind power\") and no actors"));
    }

    #[test]
    fn a_model_that_saw_mentions_keeps_finding_actors() {
        let mut data: Vec<Example> = (0..3).map(|_| ex(&[("economy", false)])).collect();
        data.push(ex(&[("Kowalski", true)]));
        let t = Topics::of_training(&data);
        assert_eq!((t.names.as_slice(), t.only), (&["economy".to_string()][..], false));
        let none = Topics::of_training(&data[3..]);
        assert!(none.is_empty() && none.describe().is_none());
    }

    #[test]
    fn a_bundle_with_unsorted_or_repeated_topics_is_refused() {
        let t = |names: &[&str], only| Topics { names: names.iter().map(|s| s.to_string()).collect(), only };
        assert!(t(&["b", "a"], false).check().is_err());
        assert!(t(&["a", "A"], false).check().is_err());
        assert!(t(&[" "], false).check().is_err());
        assert!(t(&[], true).check().is_err());
        assert!(t(&["a", "b"], true).check().is_ok());
    }
}
