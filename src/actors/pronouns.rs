//! Pronoun linking: "he", "his", "she", "her" link to the person, and
//! "they", "their", "its" to the country or organisation, mentioned most
//! recently, when that is unambiguous: exactly one actor of a fitting kind
//! in the same sentence before the pronoun or else in the sentence before.

use super::{words, ActorKind, Found, Mention, MentionKind};
use crate::text::Span;

const PERSON: &[&str] = &["he", "him", "his", "himself", "she", "her", "hers", "herself"];
const GROUP: &[&str] = &["they", "them", "their", "themselves", "its"];

fn fits(kind: ActorKind, pronoun: &str) -> bool {
    match kind {
        ActorKind::Person => PERSON.contains(&pronoun),
        ActorKind::Country | ActorKind::Organization => GROUP.contains(&pronoun),
        ActorKind::Other | ActorKind::Topic => false,
    }
}

/// Add pronoun mentions to `found`.
pub fn link(found: &mut Found, sentences: &[&str]) {
    for (si, &s) in sentences.iter().enumerate() {
        let mut added = Vec::new();
        for w in words(s) {
            // The pronoun lists are ASCII: compare without lower-casing.
            let t = w.text(s);
            let Some(&p) = PERSON.iter().chain(GROUP).find(|q| q.eq_ignore_ascii_case(t)) else {
                continue;
            };
            let span = Span::new(w.start, w.end);
            if found.mentions[si].iter().any(|m| m.span.overlaps(&span)) {
                continue;
            }
            let fitting = |ms: &[Mention], before: Option<usize>| -> Vec<usize> {
                let mut v: Vec<usize> = ms
                    .iter()
                    .filter(|m| m.kind == MentionKind::Name && before.is_none_or(|b| m.span.end <= b))
                    .filter(|m| fits(found.actors[m.actor].kind, p))
                    .map(|m| m.actor)
                    .collect();
                v.sort();
                v.dedup();
                v
            };
            let mut cands = fitting(&found.mentions[si], Some(span.start));
            if cands.is_empty() && si > 0 {
                cands = fitting(&found.mentions[si - 1], None);
            }
            if cands.len() == 1 {
                added.push(Mention { actor: cands[0], span, kind: MentionKind::Pronoun });
            }
        }
        let ms = &mut found.mentions[si];
        ms.extend(added);
        ms.sort_by_key(|m| m.span.start);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::actors::{auto::AutoFinder, ActorFinder};

    #[test]
    fn links_unambiguous_pronouns_only() {
        let s = [
            "Juan Guaido spoke in Caracas on Monday.",
            "He said his allies in Venezuela would not give up, and they cheered.",
            "Nicolas Maduro and Juan Guaido met. He left.",
        ];
        let mut f = AutoFinder::new().find(&s);
        link(&mut f, &s);
        let pron: Vec<Vec<(String, String)>> = f
            .mentions
            .iter()
            .zip(&s)
            .map(|(ms, s)| {
                ms.iter()
                    .filter(|m| m.kind == MentionKind::Pronoun)
                    .map(|m| (f.actors[m.actor].name.clone(), s.chars().skip(m.span.start).take(m.span.len()).collect()))
                    .collect()
            })
            .collect();
        let p = |a: &str, b: &str| (a.to_string(), b.to_string());
        assert_eq!(pron[1], vec![p("Juan Guaido", "He"), p("Juan Guaido", "his"), p("Venezuela", "they")]);
        // Two people before "He": ambiguous, not linked.
        assert!(pron[2].is_empty());
    }
}
