//! Prior sentiment of English words: the VADER lexicon (Hutto & Gilbert,
//! ICWSM 2014; MIT licence, `VADER-LICENSE.txt`), single lower-case words
//! only (our tokens never hold an apostrophe or hyphen), mean human rating
//! from -4 to +4. The `lexicon` feature family reads it so that a model
//! knows "condemned" is negative even when training never saw the word
//! beside a target.

use std::collections::HashMap;
use std::sync::OnceLock;

static VADER: &str = include_str!("vader.tsv");

fn table() -> &'static HashMap<&'static str, f32> {
    static TABLE: OnceLock<HashMap<&'static str, f32>> = OnceLock::new();
    TABLE.get_or_init(|| {
        VADER
            .lines()
            .filter_map(|l| {
                let (w, s) = l.split_once('\t')?;
                Some((w, s.trim().parse().ok()?))
            })
            .collect()
    })
}

/// The word's polarity class: -2 strongly negative (rating <= -2), -1
/// negative, 0 not in the lexicon, 1 positive, 2 strongly positive (>= 2).
/// `word` must be lower case.
pub fn polarity(word: &str) -> i8 {
    match table().get(word) {
        None => 0,
        Some(&s) if s <= -2.0 => -2,
        Some(&s) if s < 0.0 => -1,
        Some(&s) if s >= 2.0 => 2,
        Some(&s) if s > 0.0 => 1,
        Some(_) => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lexicon_loads_with_polarities() {
        assert!(table().len() > 7000, "{}", table().len());
        assert_eq!(polarity("praised"), 2);
        assert_eq!(polarity("good"), 1);
        assert_eq!(polarity("accused"), -1);
        assert_eq!(polarity("bad"), -2);
        assert_eq!(polarity("table"), 0);
    }
}
