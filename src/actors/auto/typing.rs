//! What kind of actor a name found automatically is, from its form and the
//! words around it; `None` for a place that does not act. Nothing is
//! guessed: a name with no sign of its kind (a title, a known first name
//! or surname, an organisation's form or context) stays [`ActorKind::Unknown`]
//! (grouping with a longer name or a "he"/"she" may settle it later).

use super::super::{first_names, strip_possessive, surnames, ActorKind, Word};
use super::word_lists::{eq_lower, is_cap, lower_key, ACTS, ORG_AFTER, ORG_BEFORE, ORG_POSSESSIONS, PARTICLES, SETS};

/// The office ("prime minister") a title phrase ends with, if any: the
/// longest whose words end the phrase ("German Chancellor": "chancellor").
/// Compared word by word, without building the phrase: this runs before
/// every capitalised run of every sentence.
pub(super) fn office_of(s: &str, title: &[Word]) -> Option<&'static str> {
    SETS.offices
        .iter()
        .filter(|(_, parts)| parts.len() <= title.len() && parts.iter().zip(&title[title.len() - parts.len()..]).all(|(p, w)| eq_lower(w.text(s), p)))
        .map(|(o, _)| *o)
        .max_by_key(|o| o.len())
}

/// A lower-case title right before word `i` ("interim president Juan Guaidó").
pub(super) fn office_before(s: &str, ws: &[Word], i: usize) -> Option<&'static str> {
    if i == 0 || is_cap(ws[i - 1].text(s)) {
        return None;
    }
    (1..=2.min(i)).rev().find_map(|n| office_of(s, &ws[i - n..i]).filter(|o| o.split(' ').count() == n))
}

fn lower(s: &str, ws: &[Word], k: usize) -> String {
    ws.get(k).map(|w| lower_key(w.text(s))).unwrap_or_default()
}

/// The kind of the name `ws[i..e]`; `titled`: a title stands before it.
pub(super) fn kind(s: &str, ws: &[Word], i: usize, e: usize, titled: bool) -> Option<ActorKind> {
    let last = ws[e - 1].text(s);
    let bare_last = &last[..strip_possessive(last)];
    let possessive = bare_last.len() < last.len();
    let text = s[ws[i].byte_start..ws[e - 1].byte_start + bare_last.len()].to_string();
    let lower_text = lower_key(&text);
    let last_lower = lower_key(bare_last);
    let first = ws[i].text(s);
    // Form: "Siemens AG", "Bank of America", "PDVSA".
    let acronym = e - i == 1 && text.chars().count() >= 2 && text.chars().filter(|c| c.is_alphabetic()).all(|c| c.is_uppercase());
    // "Bank of America"; "Club for Growth" (a name joined by "for" is one only after an organisation's word).
    let org_head = e - i >= 3
        && ((SETS.org_heads.contains(lower_key(first).as_str()) && lower(s, ws, i + 1) == "of") || (i + 1..e).any(|k| ws[k].text(s) == "for"));
    if SETS.org_words.contains(last_lower.as_str()) || acronym || org_head {
        return Some(ActorKind::Organization);
    }
    if SETS.groups.contains(lower_text.as_str()) {
        return Some(ActorKind::Group);
    }
    // The words around the name, lower-cased once.
    let next = lower(s, ws, e);
    let (before1, before2) = (if i >= 1 { lower(s, ws, i - 1) } else { String::new() }, if i >= 2 { lower(s, ws, i - 2) } else { String::new() });
    let located = matches!(before1.as_str(), "in" | "near" | "from" | "at" | "across" | "outside");
    let acts = !possessive && !located && ACTS.contains(&next.as_str());
    // Places act or are not actors: "Chicago said" is its government,
    // "in Chicago" and "Berlin-based" are not actors.
    if SETS.cities.contains(&lower_text) {
        return acts.then_some(ActorKind::Country);
    }
    if last_lower.ends_with("-based") {
        return None;
    }
    // Context: "the Unite union", "Tesla's chief executive", "shares of Bayer".
    let article_before = matches!(before1.as_str(), "the" | "a" | "an");
    if (article_before && !possessive && ORG_AFTER.contains(&next.as_str()))
        || (possessive && ORG_POSSESSIONS.contains(&next.as_str()))
        || ORG_BEFORE.iter().any(|(a, b)| before2 == *a && before1 == *b)
    {
        return Some(ActorKind::Organization);
    }
    // Persons: a title, a known first name, a name particle inside.
    let first_name = e - i >= 2 && first_names::gender(first).is_some();
    let particle = (i + 1..e).any(|k| PARTICLES.contains(&ws[k].text(s))) || PARTICLES.contains(&first);
    // A known surname alone ("Merkel said") or last ("Megyn Kelly"), or a
    // first name alone ("Hillary").
    let surname = surnames::is_surname(bare_last) || (e - i == 1 && first_names::gender(bare_last).is_some());
    if titled || first_name || particle || surname {
        return Some(ActorKind::Person);
    }
    // A lone word after "in"/"near" that does not act is a place.
    if e - i == 1 && !possessive && !acts && matches!(before1.as_str(), "in" | "near") {
        return None;
    }
    Some(ActorKind::Unknown)
}
