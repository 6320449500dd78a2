//! A title used alone ("the Chancellor", "the president") as a mention of
//! the one actor the article gives that title ("Chancellor Angela
//! Merkel"); with two holders, or none, it is left alone.

use super::super::{Found, Mention, MentionKind, Word};
use super::word_lists::eq_lower;
use crate::text::Span;

/// Add the title mentions: `offices` holds (office, actor) as the article
/// wrote them before names.
pub(super) fn link(found: &mut Found, offices: &[(&'static str, usize)], sentences: &[&str], sentence_words: &[Vec<Word>]) {
    for &(office, actor) in offices {
        if offices.iter().any(|&(o, a)| o == office && a != actor) {
            continue;
        }
        let parts: Vec<&str> = office.split(' ').collect();
        for (si, s) in sentences.iter().enumerate() {
            let ws = &sentence_words[si];
            for k in 1..ws.len() {
                if k + parts.len() > ws.len() || !eq_lower(ws[k - 1].text(s), "the") {
                    continue;
                }
                if !parts.iter().enumerate().all(|(j, p)| eq_lower(ws[k + j].text(s), p)) {
                    continue;
                }
                let end = &ws[k + parts.len() - 1];
                // "the president's" counts; "the president of France" names another office.
                let next = ws.get(k + parts.len()).map(|w| w.text(s)).unwrap_or("");
                if next == "of" || next.starts_with(char::is_uppercase) {
                    continue;
                }
                let stop = end.byte_start + super::super::strip_possessive(end.text(s));
                let span = Span::new(ws[k].start, end.start + s[end.byte_start..stop].chars().count());
                let ms = &mut found.mentions[si];
                if ms.iter().any(|m| m.span.overlaps(&span)) {
                    continue;
                }
                ms.push(Mention { actor, span, kind: MentionKind::Title });
                ms.sort_by_key(|m| m.span.start);
            }
        }
    }
}
