//! Automatic actor finding: capitalised name sequences with titles kept
//! out, gazetteer countries and organisations, and grouping of the
//! mentions of one actor ("Nicolas Maduro", later "Maduro"). The word
//! lists are in [`word_lists`], the grouping in [`group`].

mod group;
mod word_lists;

// Maps and sets of short strings with a fast fixed hasher: SipHash showed
// up in profiles of `predict`, and none of these is exposed to untrusted
// keys chosen to collide (an article can only slow its own scoring).
type HashMap<K, V> = std::collections::HashMap<K, V, crate::hash::FastBuild>;
type HashSet<T> = std::collections::HashSet<T, crate::hash::FastBuild>;

use super::gazetteer::{self, Entry, STATE_NOUNS};
use super::{fold, strip_possessive, words, ActorFinder, ActorKind, Found, Mention, MentionKind, Word};
use crate::text::Span;
use group::group;
pub(crate) use group::{roots, Name};
use word_lists::{eq_lower, in_set, is_cap, not_name, CONNECTORS, DEMONYM_TITLES, ORG_BEFORE, PARTICLES, REGIME_WORDS, SETS, SUBJECT_NEXT};
mod offices;
mod typing;

pub struct AutoFinder {
    /// Gazetteer aliases (words joined by one space): their entry, and
    /// whether the alias is a place (a capital); and their first words.
    aliases: HashMap<String, (usize, bool)>,
    alias_first: HashSet<String>,
    demonyms: HashMap<String, usize>,
    entries: Vec<Entry>,
    max_alias_words: usize,
}

impl Default for AutoFinder {
    fn default() -> Self {
        Self::new()
    }
}

/// One sentence being scanned for names: its index, text and words,
/// whether it is a title-case line (a headline), and the name words known
/// from ordinary sentences, which are the only names such a line can hold.
struct Scan<'a> {
    si: usize,
    s: &'a str,
    ws: &'a [Word],
    title_case: bool,
    known: Option<&'a HashSet<String>>,
}

/// A candidate name found in one sentence.
#[derive(Debug, Clone)]
struct Cand {
    sentence: usize,
    span: Span,
    /// Words of the name, as written.
    text: String,
    kind: ActorKind,
    /// Fixed canonical name (gazetteer, regime pattern), else grouped later.
    canonical: Option<String>,
    /// The office of a title written before the name ("chancellor").
    office: Option<&'static str>,
}

impl AutoFinder {
    pub fn new() -> Self {
        let entries = gazetteer::entries();
        let mut aliases = HashMap::default();
        let mut alias_first = HashSet::default();
        let mut demonyms = HashMap::default();
        let mut max_alias_words = 1;
        for (i, e) in entries.iter().enumerate() {
            for a in &e.aliases {
                max_alias_words = max_alias_words.max(a.split(' ').count());
                alias_first.insert(a.split(' ').next().unwrap_or("").to_string());
                aliases.insert(a.to_string(), (i, e.is_place(a)));
            }
            for d in &e.demonyms {
                demonyms.insert(d.to_string(), i);
            }
        }
        AutoFinder { aliases, alias_first, demonyms, entries, max_alias_words }
    }

    /// Longest gazetteer alias starting at word `i`; (entry, words used,
    /// whether the alias is a place).
    fn alias_at(&self, s: &str, ws: &[Word], i: usize) -> Option<(usize, usize, bool)> {
        let first = ws[i].text(s);
        let known_first = |w: &str| self.alias_first.contains(w) || self.alias_first.contains(&w[..strip_possessive(w)]);
        // Words in capitals ("TRUMP") are looked up as written, then as "Trump".
        let shouted = first.chars().count() > 2 && !first.contains(char::is_lowercase);
        let as_written = known_first(first);
        if !(as_written || shouted && known_first(&crate::actors::title_case(first))) {
            return None;
        }
        let mut key = String::new();
        for n in (1..=self.max_alias_words.min(ws.len() - i)).rev() {
            key.clear();
            for k in 0..n {
                let t = ws[i + k].text(s);
                if k > 0 {
                    key.push(' ');
                }
                let t = if k == n - 1 { &t[..strip_possessive(t)] } else { t };
                if as_written {
                    key.push_str(t);
                } else {
                    key.push_str(&crate::actors::title_case(t));
                }
            }
            if let Some(&(e, place)) = self.aliases.get(&key) {
                return Some((e, n, place));
            }
        }
        None
    }

    /// Number of title words at the start of `ws[i..end]`.
    fn title_len(s: &str, ws: &[Word], i: usize, end: usize) -> usize {
        if !in_set(&SETS.title_first, ws[i].text(s)) {
            return 0;
        }
        for parts in &SETS.titles {
            if i + parts.len() <= end && parts.iter().enumerate().all(|(k, p)| eq_lower(ws[i + k].text(s), p)) {
                return parts.len();
            }
        }
        0
    }

    fn is_title_case(s: &str, ws: &[Word]) -> bool {
        // Headlines carry no full stop; a sentence that ends like one is
        // prose, however many names it holds.
        if s.trim_end().ends_with(['.', '!', '?', '"', '”', '\'', '’']) {
            return false;
        }
        let content: Vec<&Word> = ws
            .iter()
            .filter(|w| w.text(s).chars().count() >= 3 && !not_name(w.text(s)))
            .collect();
        content.len() >= 4 && content.iter().filter(|w| is_cap(w.text(s))).count() * 10 >= content.len() * 8
    }

    /// A word that belongs to markup, not prose: a handle, hashtag or URL
    /// part ("@CNNSitRoom", "#MeToo", "pic.twitter.com/Oxb7A7buRW") or a
    /// code mixing digits and lower case ("NewsNet5.com", "ZkaG1lZToB2").
    /// Also a US party-and-state tag or a state's abbreviation ("R-Ky.",
    /// "D-Minn", "Tampa, Fla."): places in a byline or after a politician's
    /// name, not actors.
    fn not_prose(s: &str, w: &Word) -> bool {
        let glued = s[..w.byte_start].ends_with(['@', '#', '/', '=']);
        let t = w.text(s);
        let party_tag = ["R-", "D-", "I-"].iter().any(|p| t.strip_prefix(p).is_some_and(|state| state.starts_with(|c: char| c.is_ascii_uppercase())));
        let abbreviated = s[w.byte_end..].starts_with('.') || t.ends_with('.');
        let state = abbreviated && in_set(&SETS.state_abbreviations, t.trim_end_matches('.'));
        glued || party_tag || state || (t.contains(|c: char| c.is_ascii_digit()) && t.contains(char::is_lowercase))
    }

    /// An all-capitals run of several words with a function word in it is a
    /// shouted headline ("FAIRFAX LAST YEAR", "INFIGHT ON SHUTDOWN"), not a
    /// name; a speaker's name in capitals ("KEVIN CIRILLI:") has none.
    fn shouted(s: &str, run: &[Word]) -> bool {
        let caps = |t: &str| t.chars().any(char::is_alphabetic) && !t.contains(char::is_lowercase);
        run.len() >= 2
            && run.iter().all(|w| caps(w.text(s)))
            && run.iter().any(|w| {
                let t = w.text(s);
                t.len() > 1 && not_name(t) && !matches!(t, "US" | "AP" | "AM" | "PM" | "IT")
            })
    }

    /// Whether `ws[i]` opens the sentence (or a quote) as a common noun that
    /// a connector ties to the name after it, not into it: "Shares of Ford",
    /// "Critics of Maduro" (the name is Ford, Maduro).
    fn opens_with_common_noun(s: &str, ws: &[Word], i: usize) -> bool {
        let initial = i == 0 || s[ws[i - 1].byte_end..ws[i].byte_start].contains(['"', '“', ':']);
        let w = ws[i].text(s);
        initial && (in_set(&SETS.openers, w) || ORG_BEFORE.iter().any(|(head, _)| eq_lower(w, head)))
    }

    /// Candidates of one sentence. `known` holds folded name words seen in
    /// ordinary sentences; in title-case lines only those count as names.
    fn sentence(&self, si: usize, s: &str, ws: &[Word], known: Option<&HashSet<String>>, out: &mut Vec<Cand>) {
        let scan = Scan { si, s, ws, title_case: Self::is_title_case(s, ws), known };
        let nothing_known = HashSet::default();
        let mut i = 0;
        while i < ws.len() {
            let w = ws[i].text(s);
            // Demonym before a word for the state: "Cuban officials".
            if let Some(&e) = self.demonyms.get(w) {
                let next = ws.get(i + 1).map(|n| n.text(s).to_lowercase());
                // "Russian President Vladimir Putin" names Putin, not Russia.
                let titled_name = next.as_deref().is_some_and(|n| DEMONYM_TITLES.contains(&n)) && ws.get(i + 2).is_some_and(|n| is_cap(n.text(s)));
                if next.is_some_and(|n| STATE_NOUNS.contains(&n.as_str())) && !titled_name {
                    out.push(self.gazetteer_cand(si, e, ws[i].start, ws[i].end));
                }
                i += 1;
                continue;
            }
            // A name opening with particles mid-sentence ("said von der Leyen").
            let particle_start = PARTICLES.contains(&w)
                && i > 0
                && !is_cap(ws[i - 1].text(s))
                && (i + 1..ws.len().min(i + 4)).find(|&k| !PARTICLES.contains(&ws[k].text(s))).is_some_and(|k| is_cap(ws[k].text(s)));
            if (!is_cap(w) && !particle_start) || Self::not_prose(s, &ws[i]) {
                i += 1;
                continue;
            }
            // A capitalised run, possibly joined by connectors, ended by a possessive.
            let mut end = i;
            while end < ws.len() {
                let t = ws[end].text(s);
                if (is_cap(t) || (end == i && particle_start)) && !(end > i && not_name(t) && t.len() > 1 && !t.chars().all(|c| c.is_uppercase())) {
                    end += 1;
                    if strip_possessive(t) < t.len() {
                        break;
                    }
                    // Punctuation between words ends the run ("Maduro, Guaido").
                    if end < ws.len() && s[ws[end - 1].byte_end..ws[end].byte_start].trim() != "" {
                        break;
                    }
                } else if end > i
                    && CONNECTORS.contains(&t)
                    && !(end == i + 1 && Self::opens_with_common_noun(s, ws, i))
                    && s[ws[end - 1].byte_end..ws[end].byte_start].trim().is_empty()
                    && let Some(k) = (end + 1..ws.len().min(end + 3)).find(|&k| !PARTICLES.contains(&ws[k].text(s)))
                    && is_cap(ws[k].text(s))
                    && (k == end + 1 || PARTICLES.contains(&t))
                {
                    // "Bank of America"; particles may be two ("von der Leyen").
                    end = k;
                } else if end > i
                    && t == "for"
                    && in_set(&SETS.for_heads, ws[end - 1].text(s))
                    && ws.get(end + 1).is_some_and(|n| is_cap(n.text(s)) && !not_name(n.text(s)))
                    && s[ws[end - 1].byte_end..ws[end + 1].byte_start].trim() == "for"
                {
                    // "Club for Growth", "Americans for Prosperity".
                    end += 1;
                } else {
                    break;
                }
            }
            if end == i {
                i += 1;
                continue;
            }
            if Self::shouted(s, &ws[i..end]) {
                // Only what a headline is read for: known aliases and a
                // first name with the word after it ("TRUMP FIRES BROADSIDE
                // AT MICHAEL COHEN").
                let headline = Scan { title_case: true, known: Some(&nothing_known), ..scan };
                self.run(&headline, i, end, out);
                i = end;
                continue;
            }
            self.run(&scan, i, end, out);
            i = end;
        }
    }

    fn gazetteer_cand(&self, si: usize, e: usize, start: usize, end: usize) -> Cand {
        let entry = &self.entries[e];
        Cand {
            sentence: si,
            span: Span::new(start, end),
            text: entry.canonical.to_string(),
            kind: entry.kind,
            canonical: Some(entry.canonical.to_string()),
            office: None,
        }
    }

    /// The gazetteer candidate of entry `e` named by words `ws[i..i + n]`,
    /// a possessive on the last word kept out of the span; none for a
    /// capital where it is only a place ("a prison in Kampala"), as for
    /// any city (see [`typing::kind`]).
    fn alias_cand(&self, scan: &Scan, i: usize, (e, n, place): (usize, usize, bool)) -> Option<Cand> {
        let Scan { si, s, ws, .. } = *scan;
        let last = &ws[i + n - 1];
        let stop = last.byte_start + strip_possessive(last.text(s));
        let possessive = stop < last.byte_start + last.text(s).len();
        let located = i > 0 && ["in", "near", "outside"].iter().any(|p| eq_lower(ws[i - 1].text(s), p));
        if place && located && !possessive {
            return None;
        }
        let span_end = last.start + s[last.byte_start..stop].chars().count();
        Some(self.gazetteer_cand(si, e, ws[i].start, span_end))
    }

    /// The names of the capitalised run `ws[i..end]`: titles and words
    /// that are not names dropped, gazetteer aliases taken whole.
    fn run(&self, scan: &Scan, mut i: usize, end: usize, out: &mut Vec<Cand>) {
        let Scan { s, ws, title_case, known, .. } = *scan;
        while i < end && not_name(ws[i].text(s)) && self.alias_at(s, ws, i).is_none() {
            i += 1;
        }
        // A title written before the run in lower case ("interim president Juan Guaidó").
        let mut office = typing::office_before(s, ws, i);
        while i < end {
            let t = Self::title_len(s, ws, i, end);
            if t > 0 {
                office = typing::office_of(s, &ws[i..i + t]).or(office);
                i += t;
                continue;
            }
            if let Some(m @ (_, n, _)) = self.alias_at(s, ws, i)
                && i + n <= end {
                    out.extend(self.alias_cand(scan, i, m));
                    i += n;
                    continue;
                }
            break;
        }
        if i >= end {
            return;
        }
        // A title inside the run ("Transport Minister Piet Vos"): the name
        // starts after the last one.
        if let Some(k) = (i..end.saturating_sub(1)).rev().find(|&k| {
            in_set(&SETS.single_titles, ws[k].text(s))
        }) {
            office = typing::office_of(s, &ws[k..k + 1]).or(office);
            i = k + 1;
        }
        // Drop leading words that are not names ("The", "READ MORE").
        while i < end && not_name(ws[i].text(s)) {
            i += 1;
        }
        // Drop trailing connectors / not-names.
        let mut e = end;
        while e > i && (CONNECTORS.contains(&ws[e - 1].text(s)) || not_name(ws[e - 1].text(s))) {
            e -= 1;
        }
        if i >= e {
            return;
        }
        // Title-case lines: keep only the stretches made of known name words.
        if title_case {
            let Some(known) = known else { return };
            let mut k = i;
            while k < e {
                if let Some(m @ (_, n, _)) = self.alias_at(s, ws, k).filter(|&(_, n, _)| k + n <= e) {
                    out.extend(self.alias_cand(scan, k, m));
                    k += n;
                    continue;
                }
                if !known.contains(&fold(&ws[k].text(s)[..strip_possessive(ws[k].text(s))])) {
                    // A first name and the word after it are a person's name
                    // even in a headline ("Paul Ryan Asks ...").
                    let full = k + 1 < e
                        && crate::actors::first_names::gender(ws[k].text(s)).is_some()
                        && strip_possessive(ws[k].text(s)) == ws[k].text(s).len()
                        && !not_name(ws[k + 1].text(s));
                    if full {
                        self.name(scan, k, k + 2, office, out);
                        k += 2;
                        continue;
                    }
                    k += 1;
                    continue;
                }
                let mut j = k;
                while j < e && known.contains(&fold(&ws[j].text(s)[..strip_possessive(ws[j].text(s))])) {
                    j += 1;
                }
                self.name(scan, k, j, office, out);
                k = j;
            }
            return;
        }
        self.name(scan, i, e, office, out);
    }

    /// The name `ws[i..e]`, typed (see [`typing`]); `office`: the title
    /// written before it, if any.
    fn name(&self, scan: &Scan, i: usize, e: usize, office: Option<&'static str>, out: &mut Vec<Cand>) {
        let Scan { si, s, ws, .. } = *scan;
        let last = &ws[e - 1];
        let keep = strip_possessive(last.text(s));
        let byte_end = last.byte_start + keep;
        let span_end = last.start + s[last.byte_start..byte_end].chars().count();
        let text = s[ws[i].byte_start..byte_end].to_string();
        if text.chars().count() < 2 {
            return;
        }
        // "South American", "Latin American": adjectives, not actors.
        if self.demonyms.contains_key(&s[last.byte_start..byte_end]) {
            return;
        }
        let mut kind = match typing::kind(s, ws, i, e, office.is_some()) {
            Some(k) => k,
            None => return, // a place that does not act
        };
        // A people or a faith: "Russians", "South Koreans", "Muslims", "Jewish".
        if kind == ActorKind::Unknown {
            let last_word = &s[last.byte_start..byte_end];
            let people = [last_word, text.as_str()].iter().any(|w| w.strip_suffix('s').is_some_and(|one| self.demonyms.contains_key(one)));
            if people || in_set(&SETS.faiths, last_word) {
                kind = ActorKind::Group;
            }
        }
        let mut span = Span::new(ws[i].start, span_end);
        let mut canonical = None;
        // "the Trump administration", "the Maduro regime".
        if matches!(kind, ActorKind::Person | ActorKind::Unknown) && keep == last.text(s).len()
            && let Some(next) = ws.get(e) {
                let n = next.text(s).to_lowercase();
                if let Some((_, what)) = REGIME_WORDS.iter().find(|(w, _)| *w == n) {
                    kind = ActorKind::Organization;
                    span = Span::new(ws[i].start, next.end);
                    canonical = Some(format!("{text} {what}"));
                }
            }
        let office = office.filter(|_| kind == ActorKind::Person);
        out.push(Cand { sentence: si, span, text, kind, canonical, office });
    }
}

impl ActorFinder for AutoFinder {
    fn find(&self, sentences: &[&str]) -> Found {
        // Pass 1: ordinary sentences; their name words make the `known`
        // set for title-case lines (headlines), and mid-sentence capitals
        // confirm sentence-initial single words.
        let sentence_words: Vec<Vec<Word>> = sentences.iter().map(|s| words(s)).collect();
        let mut cands = Vec::new();
        let mut title_lines = Vec::new();
        for (si, s) in sentences.iter().enumerate() {
            if Self::is_title_case(s, &sentence_words[si]) {
                title_lines.push(si);
            } else {
                self.sentence(si, s, &sentence_words[si], None, &mut cands);
            }
        }
        let mut mid_caps: HashSet<String> = HashSet::default();
        for (si, s) in sentences.iter().enumerate() {
            if title_lines.contains(&si) {
                continue;
            }
            let ws = &sentence_words[si];
            for (k, w) in ws.iter().enumerate() {
                let t = w.text(s);
                let after_quote = k > 0 && s[ws[k - 1].byte_end..w.byte_start].contains(['"', '“', ':']);
                // Only standalone capitals: "Union" in "European Union" does
                // not make a sentence-initial "Union" a name.
                let cap_before = k > 0 && is_cap(ws[k - 1].text(s));
                let cap_after = ws.get(k + 1).is_some_and(|n| is_cap(n.text(s)));
                let standalone = !cap_before && !cap_after;
                if k > 0 && !after_quote && is_cap(t) && standalone {
                    mid_caps.insert(fold(&t[..strip_possessive(t)]));
                }
            }
        }
        // A single word at the start of a sentence (or quote) is only a name
        // if it also appears capitalised mid-sentence, or is in the gazetteer.
        let surnames: HashSet<String> = cands
            .iter()
            .filter(|c| c.canonical.is_none() && matches!(c.kind, ActorKind::Person | ActorKind::Unknown) && c.text.contains(' '))
            .filter_map(|c| c.text.split_whitespace().last().map(fold))
            .collect();
        cands.retain(|c| {
            if c.canonical.is_some() || c.text.contains(' ') {
                return true;
            }
            let s = sentences[c.sentence];
            let ws = &sentence_words[c.sentence];
            let k = ws.iter().position(|w| w.start == c.span.start).unwrap_or(0);
            let initial = k == 0 || s[ws[k - 1].byte_end..ws[k].byte_start].contains(['"', '“', ':']);
            let word = ws[k].text(s);
            let possessive = strip_possessive(word) < word.len();
            let subject = ws.get(k + 1).is_some_and(|n| SUBJECT_NEXT.contains(&n.text(s)));
            let common = in_set(&SETS.openers, &c.text);
            // "Kasich, meanwhile, ...", "Kushner used ...": a subject too.
            let comma = !possessive && ws.get(k + 1).is_some_and(|n| s[ws[k].byte_end..n.byte_start].trim() == ",");
            // "Hollande hit out", "Pence isn't": a lower-case word after a
            // singular word (plurals open sentences as nouns: "Workers say").
            let word_like = !c.text.ends_with('s') && !c.text.ends_with("ed") && !c.text.contains(['\'', '’', '-']);
            // Not before a title and a name: "Opposition leader Juan Guaidó"
            // is a modifier of the title (a word typed by its form stays:
            // "Army chief Gen. Zia").
            let titles_a_name = c.kind == ActorKind::Unknown
                && ws.get(k + 1).is_some_and(|n| in_set(&SETS.single_titles, n.text(s))) && ws.get(k + 2).is_some_and(|n| is_cap(n.text(s)));
            let verb_next = ws.get(k + 1).is_some_and(|n| !is_cap(n.text(s))) && word_like && !titles_a_name;
            // "CORNISH: That's ...": a speaker.
            let speaker = ws.get(k + 1).is_some_and(|n| s[ws[k].byte_end..n.byte_start].trim() == ":");
            let adverb = c.text.ends_with("ly") || c.text.ends_with("ing") || c.text.chars().count() < 3;
            !initial
                || mid_caps.contains(&fold(&c.text))
                || surnames.contains(&fold(&c.text))
                || ((possessive || subject || ((comma || verb_next || speaker) && !adverb)) && !common)
        });
        let known: HashSet<String> = cands.iter().filter(|c| c.canonical.is_none()).flat_map(|c| c.text.split_whitespace().map(fold).collect::<Vec<_>>()).collect();
        for &si in &title_lines {
            self.sentence(si, sentences[si], &sentence_words[si], Some(&known), &mut cands);
        }
        cands.sort_by_key(|c| (c.sentence, c.span.start));
        let names = group(&cands);
        let mut found = Found { actors: vec![], mentions: vec![Vec::new(); sentences.len()] };
        let mut offices: Vec<(&'static str, usize)> = Vec::new();
        for (c, (name, fixed)) in cands.iter().zip(names) {
            let a = found.actor_index(&name, c.kind, fixed);
            // An actor's kind: the first one its names show (a surname of
            // unknown kind grouped with a person's full name is a person).
            if found.actors[a].kind == ActorKind::Unknown {
                found.actors[a].kind = c.kind;
            }
            if let Some(o) = c.office
                && !offices.contains(&(o, a))
            {
                offices.push((o, a));
            }
            let ms = &mut found.mentions[c.sentence];
            if ms.iter().any(|m: &Mention| m.span.overlaps(&c.span)) {
                continue;
            }
            ms.push(Mention { actor: a, span: c.span, kind: MentionKind::Name });
        }
        offices::link(&mut found, &offices, sentences, &sentence_words);
        found
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(found: &Found, s: &[&str]) -> Vec<Vec<(String, String)>> {
        found
            .mentions
            .iter()
            .zip(s)
            .map(|(ms, s)| {
                ms.iter()
                    .map(|m| (found.actors[m.actor].name.clone(), s.chars().skip(m.span.start).take(m.span.len()).collect()))
                    .collect()
            })
            .collect()
    }

    #[test]
    fn finds_and_groups_people_countries_and_organisations() {
        let s = [
            "Venezuela's self-proclaimed interim president Juan Guaidó met US National Security Adviser John Bolton.",
            "The country's incumbent President Nicolas Maduro called Guaido a puppet of Washington.",
            "Maduro's allies said the Trump administration and Cuban officials disagree.",
        ];
        let f = AutoFinder::new().find(&s);
        let n = names(&f, &s);
        let pair = |a: &str, b: &str| (a.to_string(), b.to_string());
        assert_eq!(n[0], vec![pair("Venezuela", "Venezuela"), pair("Juan Guaidó", "Juan Guaidó"), pair("United States", "US"), pair("John Bolton", "John Bolton")]);
        assert_eq!(n[1], vec![pair("Nicolas Maduro", "Nicolas Maduro"), pair("Juan Guaidó", "Guaido"), pair("United States", "Washington")]);
        assert_eq!(n[2], vec![pair("Nicolas Maduro", "Maduro"), pair("Trump administration", "Trump administration"), pair("Cuba", "Cuban")]);
    }

    #[test]
    fn news_outlets_are_organisations_even_as_sentence_openers() {
        let s = ["CNN reported that the senator lied.", "In an interview with Sputnik, Maduro spoke to the Wall Street Journal's reporter and Bloomberg."];
        let f = AutoFinder::new().find(&s);
        let n = names(&f, &s);
        let pair = |a: &str, b: &str| (a.to_string(), b.to_string());
        assert_eq!(n[0], vec![pair("CNN", "CNN")]);
        assert_eq!(n[1], vec![pair("Sputnik", "Sputnik"), pair("Maduro", "Maduro"), pair("Wall Street Journal", "Wall Street Journal"), pair("Bloomberg News", "Bloomberg")]);
        for name in ["CNN", "Sputnik", "Wall Street Journal", "Bloomberg News"] {
            let a = f.actors.iter().find(|a| a.name == name).unwrap();
            assert_eq!(a.kind, ActorKind::Organization, "{name}");
        }
    }

    fn kinds(f: &Found) -> Vec<(String, ActorKind)> {
        f.actors.iter().map(|a| (a.name.clone(), a.kind)).collect()
    }

    #[test]
    fn companies_unions_parties_clubs_and_acting_cities_are_typed() {
        let s = [
            "Siemens AG cut 500 jobs in Munich, the IG Metall union said.",
            "The Labour Party and Manchester United FC criticised the plan, and shares of Bayer fell.",
            "Chicago said it would sue, and workers in Boston protested, while the Greens stayed silent.",
        ];
        let f = AutoFinder::new().find(&s);
        let k = kinds(&f);
        let want = [
            ("Siemens AG", ActorKind::Organization),
            ("IG Metall", ActorKind::Organization),
            ("Labour Party", ActorKind::Organization),
            ("Manchester United FC", ActorKind::Organization),
            ("Bayer", ActorKind::Organization),
            ("Chicago", ActorKind::Country),
            ("Greens", ActorKind::Group),
        ];
        for (n, kind) in want {
            assert!(k.contains(&(n.to_string(), kind)), "{n}: {k:?}");
        }
        // Places that do not act are not actors.
        assert!(!k.iter().any(|(n, _)| n == "Munich" || n == "Boston"), "{k:?}");
    }

    #[test]
    fn a_capital_stands_for_its_country_except_where_it_is_only_a_place() {
        let s = [
            "Kigula was held in Luzira Women's Prison in Kampala.",
            "Kampala said it would respond, and officials near Caracas were silent.",
            "In Washington, lawmakers met; in Moscow's view the talks failed.",
            "Talks were held in Buenos  Aires and in New\u{a0}Delhi.",
        ];
        let f = AutoFinder::new().find(&s);
        let n = names(&f, &s);
        let mentioned = |i: usize| n[i].iter().map(|(a, m)| format!("{a}={m}")).collect::<Vec<_>>();
        assert!(!mentioned(0).iter().any(|m| m.starts_with("Uganda")), "{:?}", mentioned(0));
        assert_eq!(mentioned(1), vec!["Uganda=Kampala"]);
        // A possessive is the country's view: an actor.
        assert_eq!(mentioned(2), vec!["Russia=Moscow"]);
        // However the words of a capital are spaced.
        assert_eq!(mentioned(3), Vec::<String>::new());
    }

    #[test]
    fn a_word_opening_a_sentence_before_a_title_and_a_name_is_not_a_name() {
        let s = ["Opposition leader Juan Guaidó called for new elections.", "Kowalski leads; Tusk leader Piet Vos said no."];
        let f = AutoFinder::new().find(&s);
        assert_eq!(kinds(&f).iter().map(|(n, _)| n.as_str()).collect::<Vec<_>>(), vec!["Juan Guaidó", "Kowalski", "Tusk", "Piet Vos"]);
    }

    #[test]
    fn unknown_names_stay_unknown_and_first_names_make_persons() {
        let s = ["Angela Merkel met Kowalczyk Holdings and Zandvoort."];
        let k = kinds(&AutoFinder::new().find(&s));
        assert!(k.contains(&("Angela Merkel".to_string(), ActorKind::Person)), "{k:?}");
        assert!(k.contains(&("Kowalczyk Holdings".to_string(), ActorKind::Organization)), "{k:?}");
        assert!(k.contains(&("Zandvoort".to_string(), ActorKind::Unknown)), "{k:?}");
    }

    #[test]
    fn peoples_and_faiths_are_groups_and_international_first_names_persons() {
        let s = ["Russians and South Koreans voted, Jewish and Muslim leaders said, and Pervez Musharraf agreed."];
        let k = kinds(&AutoFinder::new().find(&s));
        for n in ["Russians", "South Koreans", "Jewish", "Muslim"] {
            assert!(k.contains(&(n.to_string(), ActorKind::Group)), "{n}: {k:?}");
        }
        assert!(k.contains(&("Pervez Musharraf".to_string(), ActorKind::Person)), "{k:?}");
        let s = ["He attacked the Club for Growth and Americans for Prosperity, as did Jake Tapper for CNN."];
        let k = kinds(&AutoFinder::new().find(&s));
        let names: Vec<&str> = k.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, vec!["Club for Growth", "Americans for Prosperity", "Jake Tapper", "CNN"], "{k:?}");
        assert_eq!(k[0].1, ActorKind::Organization);
        // Smaller countries are in the gazetteer; a first name that is also a capital is not.
        let s = ["Malta and Bangladesh protested, Dhaka said, and Sofia Coppola agreed (R-Ky.) in Tampa, Fla. I’ll see."];
        let k = kinds(&AutoFinder::new().find(&s));
        assert_eq!(k, vec![("Malta".into(), ActorKind::Country), ("Bangladesh".into(), ActorKind::Country), ("Sofia Coppola".into(), ActorKind::Person)]);
    }

    #[test]
    fn known_surnames_and_lone_first_names_make_persons() {
        let s = ["Talks stalled, Merkel said, and Netanyahu agreed with Megyn Kelly and Hillary.", "Investors sold shares of Ford as Zandvoort waited."];
        let k = kinds(&AutoFinder::new().find(&s));
        for n in ["Merkel", "Netanyahu", "Megyn Kelly", "Hillary"] {
            assert!(k.contains(&(n.to_string(), ActorKind::Person)), "{n}: {k:?}");
        }
        // A company known by a surname, and a name no list knows.
        assert!(k.contains(&("Ford".to_string(), ActorKind::Organization)), "{k:?}");
        assert!(k.contains(&("Zandvoort".to_string(), ActorKind::Unknown)), "{k:?}");
    }

    #[test]
    fn a_title_alone_refers_to_its_one_holder_and_stays_out_of_names() {
        let s = ["German Chancellor Angela Merkel met Competition Commissioner Margrethe Vestager.", "The Chancellor said talks would go on."];
        let f = AutoFinder::new().find(&s);
        let n = names(&f, &s);
        let pair = |a: &str, b: &str| (a.to_string(), b.to_string());
        assert_eq!(n[0], vec![pair("Angela Merkel", "Angela Merkel"), pair("Margrethe Vestager", "Margrethe Vestager")]);
        assert_eq!(n[1], vec![pair("Angela Merkel", "Chancellor")]);
        assert_eq!(f.mentions[1][0].kind, MentionKind::Title);
        // Two presidents: "the president" is left alone.
        let s = ["President Joe Biden met President Emmanuel Macron.", "The president left."];
        assert!(AutoFinder::new().find(&s).mentions[1].is_empty());
    }

    #[test]
    fn a_common_noun_opening_the_sentence_stays_out_of_the_name_after_of() {
        let s = ["Shares of Ford fell sharply.", "Critics of Nicolas Maduro protested.", "Bank of America said it agreed."];
        let k = kinds(&AutoFinder::new().find(&s));
        let names: Vec<&str> = k.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, vec!["Ford", "Nicolas Maduro", "Bank of America"], "{k:?}");
        assert_eq!(k[0].1, ActorKind::Organization);
    }

    #[test]
    fn contractions_markup_and_shouted_headlines_are_not_names() {
        let s = [
            "He's tired, and Saturday's vote, Let's see, I'm told, said Maria Lopez.",
            "TRUMP FIRES BROADSIDE AT MICHAEL COHEN, DENIES CLAIM ON MEETING WITH RUSSIAN LAWYER Over the weekend, Davis spoke.",
            "— Dylan Farrow (@RealDylanFarrow) pic.twitter.com/Oxb7A7buRW via NewsNet5.com",
            "Russian President Vladimir Putin met Russian officials.",
        ];
        let f = AutoFinder::new().find(&s);
        let n = names(&f, &s);
        let got = |i: usize| n[i].iter().map(|(_, m)| m.as_str()).collect::<Vec<_>>();
        assert_eq!(got(0), vec!["Maria Lopez"]);
        assert_eq!(got(1), vec!["MICHAEL COHEN", "Davis"]);
        assert_eq!(got(2), vec!["Dylan Farrow"]);
        // The state is named by "Russian officials", not by the title of Putin.
        assert_eq!(n[3].iter().map(|(a, m)| (a.as_str(), m.as_str())).collect::<Vec<_>>(), vec![("Vladimir Putin", "Vladimir Putin"), ("Russia", "Russian")]);
    }

    #[test]
    fn name_particles_join_a_name() {
        let s = ["Ursula von der Leyen met Mohammed bin Salman.", "The plan, said von der Leyen, is ready."];
        let f = AutoFinder::new().find(&s);
        let n = names(&f, &s);
        let pair = |a: &str, b: &str| (a.to_string(), b.to_string());
        assert_eq!(n[0], vec![pair("Ursula von der Leyen", "Ursula von der Leyen"), pair("Mohammed bin Salman", "Mohammed bin Salman")]);
        assert_eq!(n[1], vec![pair("Ursula von der Leyen", "von der Leyen")]);
        assert_eq!(f.actors[0].kind, ActorKind::Person);
    }

    #[test]
    fn headlines_and_sentence_openers_are_not_names() {
        let s = [
            "READ MORE: Montevideo Calls Venezuela's Guaido 'More Non-Legitimate' Than Maduro's Gov't",
            "Currently, Juan Guaido leads. Besides, Nicolas Maduro waits.",
        ];
        let f = AutoFinder::new().find(&s);
        let n = names(&f, &s);
        let got: Vec<&str> = n[0].iter().map(|(a, _)| a.as_str()).collect();
        assert_eq!(got, vec!["Uruguay", "Venezuela", "Juan Guaido", "Nicolas Maduro"]);
        let got: Vec<&str> = n[1].iter().map(|(a, _)| a.as_str()).collect();
        assert_eq!(got, vec!["Juan Guaido", "Nicolas Maduro"]);
    }
}
