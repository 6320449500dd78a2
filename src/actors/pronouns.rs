//! Pronoun linking. "he"/"him"/"his" and "she"/"her" link only to persons
//! of a fitting gender (from the first name, or from pronouns linked to
//! them before); "it"/"its" to organisations and countries; "they"/"their"
//! to organisations, countries and groups. The antecedent is the one
//! fitting actor mentioned earlier in the same sentence, else in the
//! sentence before (where several fit, its subject: the first of them,
//! opening the sentence and not joined by "and"); what stays ambiguous is
//! left unlinked. A name of unknown kind that a "he" or "she" is the only
//! fit for becomes a person: the pronoun is the evidence.

use super::{first_names, words, ActorKind, Found, Mention, MentionKind};
use crate::text::Span;

const HE: &[&str] = &["he", "him", "his", "himself"];
const SHE: &[&str] = &["she", "her", "hers", "herself"];
const IT: &[&str] = &["it", "its", "itself"];
const THEY: &[&str] = &["they", "them", "their", "themselves"];

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Pronoun {
    He,
    She,
    It,
    They,
}

fn pronoun(w: &str) -> Option<Pronoun> {
    // The lists are ASCII: compare without lower-casing.
    let is = |l: &[&str]| l.iter().any(|q| q.eq_ignore_ascii_case(w));
    if is(HE) {
        Some(Pronoun::He)
    } else if is(SHE) {
        Some(Pronoun::She)
    } else if is(IT) {
        Some(Pronoun::It)
    } else if is(THEY) {
        Some(Pronoun::They)
    } else {
        None
    }
}

/// What is known of an actor's gender.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Gender {
    Male,
    Female,
    Unsure,
}

fn fits(kind: ActorKind, gender: Gender, p: Pronoun) -> bool {
    match (p, kind) {
        (Pronoun::He, ActorKind::Person | ActorKind::Unknown) => gender != Gender::Female,
        (Pronoun::She, ActorKind::Person | ActorKind::Unknown) => gender != Gender::Male,
        (Pronoun::It, ActorKind::Country | ActorKind::Organization) => true,
        (Pronoun::They, ActorKind::Country | ActorKind::Organization | ActorKind::Group) => true,
        _ => false,
    }
}

/// Words that, right after a sentence's first mention, make it one of
/// several subjects rather than the subject.
const JOINED: &[&str] = &["and", "or", "nor"];

/// Add pronoun mentions to `found`.
pub fn link(found: &mut Found, sentences: &[&str]) {
    let mut gender: Vec<Gender> = found
        .actors
        .iter()
        .map(|a| match a.name.split_whitespace().next().and_then(first_names::gender) {
            Some('m') => Gender::Male,
            Some('f') => Gender::Female,
            _ => Gender::Unsure,
        })
        .collect();
    for (si, &s) in sentences.iter().enumerate() {
        let ws = words(s);
        let mut added: Vec<Mention> = Vec::new();
        for w in &ws {
            // "he's", "they’re": the pronoun before the clitic ("it's" is
            // mostly "it is raining", not an organisation, so stays out).
            let (text, clitic) = match super::strip_clitic(w.text(s)) {
                Some(stem) => (stem, true),
                None => (w.text(s), false),
            };
            let Some(p) = pronoun(text).filter(|&p| !(clitic && p == Pronoun::It)) else { continue };
            let span = Span::new(w.start, w.start + text.chars().count());
            if found.mentions[si].iter().any(|m| m.span.overlaps(&span)) {
                continue;
            }
            let kinds: Vec<ActorKind> = found.actors.iter().map(|a| a.kind).collect();
            let ok = |a: usize| fits(kinds[a], gender[a], p);
            // Same sentence, before the pronoun (names and pronouns linked so far).
            let before: Vec<&Mention> =
                found.mentions[si].iter().chain(&added).filter(|m| m.span.end <= span.start && ok(m.actor)).collect();
            let mut cands = distinct(&before);
            if cands.is_empty() && si > 0 {
                let prev: Vec<&Mention> = found.mentions[si - 1].iter().filter(|m| ok(m.actor)).collect();
                cands = distinct(&prev);
                if cands.len() > 1 {
                    cands = subject(&prev, sentences[si - 1]).into_iter().collect();
                }
            }
            if let [a] = cands[..] {
                if kinds[a] == ActorKind::Unknown {
                    found.actors[a].kind = ActorKind::Person;
                }
                match (p, gender[a]) {
                    (Pronoun::He, Gender::Unsure) => gender[a] = Gender::Male,
                    (Pronoun::She, Gender::Unsure) => gender[a] = Gender::Female,
                    _ => {}
                }
                added.push(Mention { actor: a, span, kind: MentionKind::Pronoun });
            }
        }
        let ms = &mut found.mentions[si];
        ms.extend(added);
        ms.sort_by_key(|m| m.span.start);
    }
}

fn distinct(ms: &[&Mention]) -> Vec<usize> {
    let mut v: Vec<usize> = ms.iter().map(|m| m.actor).collect();
    v.sort();
    v.dedup();
    v
}

/// The subject of a sentence among the fitting mentions `ms`: the first,
/// when it opens the sentence (at most three words before it) and is not
/// joined to another by "and".
fn subject(ms: &[&Mention], s: &str) -> Option<usize> {
    let first = ms.iter().min_by_key(|m| m.span.start)?;
    let ws = words(s);
    let before = ws.iter().filter(|w| w.end <= first.span.start).count();
    let next = ws.iter().find(|w| w.start >= first.span.end).map(|w| w.text(s).to_ascii_lowercase());
    let joined = next.is_some_and(|n| JOINED.contains(&n.as_str()));
    let comma = s.chars().skip(first.span.end).take_while(|c| !c.is_alphanumeric()).any(|c| c == ',');
    (before <= 3 && !joined && !comma).then_some(first.actor)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::actors::{auto::AutoFinder, ActorFinder};

    fn pronouns(s: &[&str]) -> Vec<Vec<(String, String)>> {
        let mut f = AutoFinder::new().find(s);
        link(&mut f, s);
        f.mentions
            .iter()
            .zip(s)
            .map(|(ms, s)| {
                ms.iter()
                    .filter(|m| m.kind == MentionKind::Pronoun)
                    .map(|m| (f.actors[m.actor].name.clone(), s.chars().skip(m.span.start).take(m.span.len()).collect()))
                    .collect()
            })
            .collect()
    }

    fn p(a: &str, b: &str) -> (String, String) {
        (a.to_string(), b.to_string())
    }

    #[test]
    fn links_unambiguous_pronouns_only() {
        let pron = pronouns(&[
            "Juan Guaido spoke in Caracas on Monday.",
            "He said his allies in Venezuela would not give up, and they cheered.",
            "Nicolas Maduro and Juan Guaido met. He left.",
        ]);
        assert_eq!(pron[1], vec![p("Juan Guaido", "He"), p("Juan Guaido", "his"), p("Venezuela", "they")]);
        // Two men joined by "and" before "He": ambiguous, not linked.
        assert!(pron[2].is_empty());
    }

    #[test]
    fn he_she_and_they_link_by_kind_and_gender() {
        let pron = pronouns(&[
            "Angela Merkel met John Kerry and the Siemens AG board.",
            "She praised him, and they announced new investment.",
            "Siemens AG said it would hire.",
        ]);
        // "She": the only woman; "him": the only man; "they": the only organisation.
        assert_eq!(pron[1], vec![p("Angela Merkel", "She"), p("John Kerry", "him"), p("Siemens AG", "they")]);
        assert_eq!(pron[2], vec![p("Siemens AG", "it")]);
    }

    #[test]
    fn pronouns_with_a_clitic_link_but_its_does_not() {
        let pron = pronouns(&["Angela Merkel met the Siemens AG board.", "She's sure they're right, and it's late."]);
        // The pronoun itself is the mention, without the clitic.
        assert_eq!(pron[1], vec![p("Angela Merkel", "She"), p("Siemens AG", "they")]);
    }

    #[test]
    fn the_subject_of_the_previous_sentence_is_preferred() {
        let pron = pronouns(&["John Kerry criticised Boris Johnson on Monday.", "He said the deal was dead.", "He added that talks would go on."]);
        assert_eq!(pron[1], vec![p("John Kerry", "He")]);
        // A chain of pronouns keeps the same person.
        assert_eq!(pron[2], vec![p("John Kerry", "He")]);
    }
}
