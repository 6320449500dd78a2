//! First names and their usual gender, for typing a name as a person
//! ("Angela Merkel") and for linking "he" and "she".
//!
//! `first_names.tsv` holds the 700 most frequent male and 700 most frequent
//! female first names of the 1990 US Census (public domain, as shipped in
//! the MIT-licensed `names` 0.3.0 package on PyPI), `m`, `f`, or `?` where
//! both genders are common, plus a hand-made list of first names frequent
//! in international news (Arabic, South Asian, East Asian, Latin American,
//! European and African politics: "Mohammad", "Pervez", "Benazir",
//! "Recep", "Narendra", "Volodymyr"; about 160 of them added on
//! 2026-12-03, from general knowledge; some, like the Pakistani leaders'
//! names, also occur in NewsMTSC dev). Names that are mostly ordinary words
//! or places in news text ("May", "Will", "Virginia") are left out.

use std::collections::HashMap;
use std::sync::LazyLock;

static NAMES: LazyLock<HashMap<&'static str, char>> = LazyLock::new(|| {
    include_str!("first_names.tsv")
        .lines()
        .filter_map(|l| {
            let (name, g) = l.split_once('\t')?;
            Some((name, g.chars().next()?))
        })
        .collect()
});

/// `m`, `f` or `?` for a known first name (as written: "Angela", or in
/// capitals: "ANGELA"), else None.
pub fn gender(word: &str) -> Option<char> {
    NAMES.get(word).copied().or_else(|| {
        let shouted = word.chars().count() > 1 && !word.contains(char::is_lowercase);
        shouted.then(|| NAMES.get(crate::actors::title_case(word).as_str()).copied()).flatten()
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn knows_common_first_names_and_not_common_words() {
        assert_eq!(super::gender("Angela"), Some('f'));
        assert_eq!(super::gender("John"), Some('m'));
        assert_eq!(super::gender("Vladimir"), Some('m'));
        assert_eq!(super::gender("MICHAEL"), Some('m'));
        assert_eq!(super::gender("May"), None);
        assert_eq!(super::gender("Washington"), None);
    }
}
