//! Surnames, for typing a lone name ("Merkel said") or a name's last word
//! ("Megyn Kelly") as a person.
//!
//! `surnames.txt` is made by `scripts/make-surnames.py` (its header says
//! how): the 1990 US Census surnames up to rank 40,000 (public domain, as
//! shipped in the MIT-licensed `names` 0.3.0 package on PyPI) and the last
//! words of names typed as persons in the NewsMTSC train split (MIT), less
//! the words that news text mostly writes in lower case ("young", "king"),
//! places, organisations and companies known by a surname ("Ford").

use std::collections::HashSet;
use std::sync::LazyLock;

static SURNAMES: LazyLock<HashSet<&'static str, crate::hash::FastBuild>> = LazyLock::new(|| include_str!("surnames.txt").lines().collect());

/// Whether `word`, written as a name (a capital, then not all capitals:
/// "TRUMP" in a shouted headline is not looked up), is a known surname.
pub fn is_surname(word: &str) -> bool {
    if !word.chars().next().is_some_and(char::is_uppercase) || !word.chars().any(char::is_lowercase) {
        return false;
    }
    let known = |w: &str| crate::text::with_ascii_lowercase(w, |l| SURNAMES.contains(l)).unwrap_or_else(|| SURNAMES.contains(w.to_lowercase().as_str()));
    // The census writes "O'Malley" as OMALLEY.
    if word.contains(['\'', '’']) {
        return known(&word.replace(['\'', '’'], ""));
    }
    known(word)
}

#[cfg(test)]
mod tests {
    use super::is_surname;

    #[test]
    fn knows_surnames_in_news_and_not_common_words_or_companies() {
        for w in ["Trump", "Merkel", "McCain", "Netanyahu", "Sharif", "Comey", "O'Malley", "O’Malley"] {
            assert!(is_surname(w), "{w}");
        }
        for w in ["Young", "King", "Ford", "Apple", "Washington", "trump", "TRUMP", "The"] {
            assert!(!is_surname(w), "{w}");
        }
    }
}
