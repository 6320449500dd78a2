//! Automatic actor finding: capitalised name sequences with titles kept
//! out, gazetteer countries and organisations, and grouping of the
//! mentions of one actor ("Nicolas Maduro", later "Maduro").

// Maps and sets of short strings with a fast fixed hasher: SipHash showed
// up in profiles of `predict`, and none of these is exposed to untrusted
// keys chosen to collide (an article can only slow its own scoring).
type HashMap<K, V> = std::collections::HashMap<K, V, crate::hash::FastBuild>;
type HashSet<T> = std::collections::HashSet<T, crate::hash::FastBuild>;

use super::gazetteer::{self, Entry, STATE_NOUNS};
use super::{fold, strip_possessive, words, ActorFinder, ActorKind, Found, Mention, MentionKind, Word};
use crate::text::Span;

/// Titles and descriptors kept out of names (matched case-insensitively,
/// longest first, at the start of a capitalised run).
const TITLES: &[&str] = &[
    "national security adviser", "national security advisor", "secretary of state", "secretary of defense",
    "attorney general", "chief justice", "vice president", "president-elect", "prime minister", "foreign minister",
    "defense minister", "defence minister", "finance minister", "house speaker", "supreme leader", "opposition leader",
    "first lady", "press secretary", "chief of staff", "special envoy", "special counsel", "president", "minister",
    "secretary", "adviser", "advisor", "senator", "sen.", "sen", "rep.", "representative", "congressman",
    "congresswoman", "gov.", "governor", "mayor", "chancellor", "king", "queen", "prince", "princess", "pope",
    "judge", "justice", "general", "gen.", "ambassador", "envoy", "chairman", "chairwoman", "ceo", "director",
    "spokesman", "spokeswoman", "speaker", "leader", "commander", "mr.", "mrs.", "ms.", "dr.", "mr", "mrs", "ms",
    "dr", "prof.", "sir", "dame", "lord", "lady", "former", "interim", "acting", "incumbent", "self-proclaimed",
    "deputy", "sheikh", "ayatollah", "col.", "lt.", "sgt.", "capt.", "adm.", "st.", "saint", "then-president",
    "democratic", "republican", "democrat", "late", "chief",
];

/// Capitalised words that are not names: sentence openers, pronouns, days,
/// months, and the furniture of news pages.
const NOT_NAMES: &[&str] = &[
    "the", "a", "an", "he", "she", "it", "they", "we", "i", "you", "his", "her", "their", "its", "our", "my", "your",
    "this", "that", "these", "those", "there", "here", "but", "and", "or", "so", "yet", "in", "on", "at", "of", "for",
    "with", "without", "after", "before", "when", "while", "as", "if", "because", "although", "though", "since",
    "until", "meanwhile", "however", "also", "still", "now", "then", "today", "yesterday", "tomorrow", "currently",
    "earlier", "later", "last", "next", "some", "many", "most", "all", "both", "each", "every", "no", "not", "one",
    "two", "three", "according", "besides", "despite", "during", "under", "over", "what", "who", "why", "how",
    "where", "which", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "january",
    "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december",
    "read", "more", "watch", "update", "updated", "photo", "video", "related", "breaking", "exclusive", "opinion",
    "analysis", "live", "editor", "note", "advertisement", "getty", "images", "ap", "file", "us", "am", "pm", "is",
    "was", "are", "be", "do", "did", "does", "has", "have", "had", "will", "would", "can", "could", "should", "must",
    "let", "just", "even", "only", "again", "instead", "indeed", "perhaps", "maybe", "yes", "oh", "well", "please",
    "thanks", "thank", "dear", "hi", "hello", "like", "about", "by", "from", "to", "into", "than", "such",
];

/// Words after a sentence-initial capitalised word that make it a likely
/// subject name ("Barr said", "Obama can").
const SUBJECT_NEXT: &[&str] = &[
    "said", "says", "told", "has", "had", "is", "was", "will", "would", "can", "could", "did", "does", "also",
    "added", "wrote", "argued", "noted", "claimed", "insisted", "warned", "tweeted", "announced", "responded",
    "replied", "denied", "called", "asked", "met", "spoke", "made", "became", "who", "and", "should", "may",
    "might", "must", "then", "later", "never", "later", "remains", "remained", "signed", "won", "lost", "took",
    "urged", "vowed", "praised", "criticized", "criticised", "accused", "attacked", "defended", "blamed", "faces",
    "faced", "wants", "wanted", "believes", "thinks", "knows", "stated", "explained", "suggested", "admitted",
];

/// Capitalised sentence openers that are not names, beyond `NOT_NAMES`.
const COMMON_OPENERS: &[&str] = &[
    "analysts", "critics", "officials", "experts", "residents", "protesters", "supporters", "opponents",
    "lawmakers", "investigators", "prosecutors", "police", "authorities", "observers", "voters", "witnesses",
    "scientists", "researchers", "sources", "others", "leaders", "members", "people", "democrats", "republicans",
    "currently", "finally", "recently", "additionally", "ultimately", "separately", "similarly", "clearly",
    "obviously", "fortunately", "unfortunately", "importantly", "notably", "previously", "initially", "eventually",
    "apparently", "actually", "basically", "certainly", "surely", "likewise", "nevertheless", "nonetheless",
    "moreover", "furthermore", "overall", "together", "asked", "speaking", "writing", "everyone", "nobody",
    "someone", "anyone", "everything", "nothing", "something", "trade", "markets", "prices", "sales", "data",
];

/// Final words that make a name an organisation.
const ORG_WORDS: &[&str] = &[
    "assembly", "party", "group", "congress", "senate", "council", "court", "committee", "ministry", "department",
    "agency", "bank", "fund", "union", "organization", "organisation", "association", "foundation", "institute",
    "university", "times", "post", "news", "network", "corporation", "company", "inc", "inc.", "corp", "corp.",
    "ltd", "forces", "army", "navy", "guard", "commission", "parliament", "government", "administration", "office",
    "service", "police", "church", "club", "league", "federation", "coalition", "movement", "front", "journal",
    "tribune", "herald", "magazine", "channel", "press", "board", "bureau", "authority", "regime", "campaign",
    "cartel", "brigade", "caucus", "house", "center", "centre", "school", "college", "hospital", "airlines",
];

/// Words that may join a name's capitalised words ("Bank of America").
const CONNECTORS: &[&str] = &["of", "de", "da", "del", "della", "van", "von", "der", "bin", "al", "el", "la", "le", "du", "dos", "do"];

/// Words after a person's name that make an organisation of it.
const REGIME_WORDS: &[(&str, &str)] =
    &[("administration", "administration"), ("government", "government"), ("regime", "government"), ("campaign", "campaign")];

pub struct AutoFinder {
    /// Gazetteer aliases (words joined by one space) and their first words.
    aliases: HashMap<String, usize>,
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
}

fn is_cap(w: &str) -> bool {
    w.chars().next().is_some_and(|c| c.is_uppercase())
}

/// Word lists as sets, built once.
static SETS: std::sync::LazyLock<Sets> = std::sync::LazyLock::new(|| Sets {
    not_names: NOT_NAMES.iter().copied().collect(),
    org_words: ORG_WORDS.iter().copied().collect(),
    openers: COMMON_OPENERS.iter().copied().collect(),
    titles: {
        let mut t: Vec<Vec<&'static str>> = TITLES.iter().map(|t| t.split(' ').collect()).collect();
        t.sort_by_key(|x| std::cmp::Reverse(x.len()));
        t
    },
    title_first: TITLES.iter().map(|t| t.split(' ').next().unwrap()).collect(),
    single_titles: TITLES.iter().copied().filter(|t| !t.contains(' ')).collect(),
});

struct Sets {
    not_names: HashSet<&'static str>,
    org_words: HashSet<&'static str>,
    openers: HashSet<&'static str>,
    titles: Vec<Vec<&'static str>>,
    title_first: HashSet<&'static str>,
    single_titles: HashSet<&'static str>,
}

/// Whether the lower-cased `w` is in `set`, without allocating for short ASCII words.
fn in_set(set: &HashSet<&'static str>, w: &str) -> bool {
    crate::text::with_ascii_lowercase(w, |l| set.contains(l)).unwrap_or_else(|| set.contains(lower_key(w).as_str()))
}

/// `w` lower-cased equals `lower`.
fn eq_lower(w: &str, lower: &str) -> bool {
    if w.is_ascii() { w.eq_ignore_ascii_case(lower) } else { lower_key(w) == lower }
}

fn not_name(w: &str) -> bool {
    in_set(&SETS.not_names, w)
}

fn lower_key(w: &str) -> String {
    w.to_lowercase().replace('’', "'")
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
                aliases.insert(a.to_string(), i);
            }
            for d in &e.demonyms {
                demonyms.insert(d.to_string(), i);
            }
        }
        AutoFinder { aliases, alias_first, demonyms, entries, max_alias_words }
    }

    /// Longest gazetteer alias starting at word `i`; (entry, words used).
    fn alias_at(&self, s: &str, ws: &[Word], i: usize) -> Option<(usize, usize)> {
        let first = ws[i].text(s);
        if !self.alias_first.contains(first) && !self.alias_first.contains(&first[..strip_possessive(first)]) {
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
                key.push_str(if k == n - 1 { &t[..strip_possessive(t)] } else { t });
            }
            if let Some(&e) = self.aliases.get(&key) {
                return Some((e, n));
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

    /// Candidates of one sentence. `known` holds folded name words seen in
    /// ordinary sentences; in title-case lines only those count as names.
    fn sentence(&self, si: usize, s: &str, ws: &[Word], known: Option<&HashSet<String>>, out: &mut Vec<Cand>) {
        let title_case = Self::is_title_case(s, ws);
        let mut i = 0;
        while i < ws.len() {
            let w = ws[i].text(s);
            // Demonym before a word for the state: "Cuban officials".
            if let Some(&e) = self.demonyms.get(w) {
                let next = ws.get(i + 1).map(|n| n.text(s).to_lowercase());
                if next.is_some_and(|n| STATE_NOUNS.contains(&n.as_str())) {
                    out.push(self.gazetteer_cand(si, e, ws[i].start, ws[i].end));
                }
                i += 1;
                continue;
            }
            if !is_cap(w) {
                i += 1;
                continue;
            }
            // A capitalised run, possibly joined by connectors, ended by a possessive.
            let mut end = i;
            while end < ws.len() {
                let t = ws[end].text(s);
                if is_cap(t) && !(end > i && not_name(t) && t.len() > 1 && !t.chars().all(|c| c.is_uppercase())) {
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
                    && ws.get(end + 1).is_some_and(|n| is_cap(n.text(s)))
                    && s[ws[end - 1].byte_end..ws[end].byte_start].trim().is_empty()
                {
                    end += 1;
                } else {
                    break;
                }
            }
            if end == i {
                i += 1;
                continue;
            }
            self.run(si, s, ws, i, end, title_case, known, out);
            i = end;
        }
    }

    fn gazetteer_cand(&self, si: usize, e: usize, start: usize, end: usize) -> Cand {
        let entry = &self.entries[e];
        Cand { sentence: si, span: Span::new(start, end), text: entry.canonical.to_string(), kind: entry.kind, canonical: Some(entry.canonical.to_string()) }
    }

    /// The gazetteer candidate of entry `e` named by words `ws[i..i + n]`,
    /// a possessive on the last word kept out of the span.
    fn alias_cand(&self, si: usize, s: &str, ws: &[Word], i: usize, n: usize, e: usize) -> Cand {
        let last = &ws[i + n - 1];
        let stop = last.byte_start + strip_possessive(last.text(s));
        let span_end = last.start + s[last.byte_start..stop].chars().count();
        self.gazetteer_cand(si, e, ws[i].start, span_end)
    }

    #[allow(clippy::too_many_arguments)]
    fn run(&self, si: usize, s: &str, ws: &[Word], mut i: usize, end: usize, title_case: bool, known: Option<&HashSet<String>>, out: &mut Vec<Cand>) {
        while i < end && not_name(ws[i].text(s)) && self.alias_at(s, ws, i).is_none() {
            i += 1;
        }
        while i < end {
            let t = Self::title_len(s, ws, i, end);
            if t > 0 {
                i += t;
                continue;
            }
            if let Some((e, n)) = self.alias_at(s, ws, i)
                && i + n <= end {
                    out.push(self.alias_cand(si, s, ws, i, n, e));
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
                if let Some((g, n)) = self.alias_at(s, ws, k).filter(|(_, n)| k + n <= e) {
                    out.push(self.alias_cand(si, s, ws, k, n, g));
                    k += n;
                    continue;
                }
                if !known.contains(&fold(&ws[k].text(s)[..strip_possessive(ws[k].text(s))])) {
                    k += 1;
                    continue;
                }
                let mut j = k;
                while j < e && known.contains(&fold(&ws[j].text(s)[..strip_possessive(ws[j].text(s))])) {
                    j += 1;
                }
                self.name(si, s, ws, k, j, out);
                k = j;
            }
            return;
        }
        self.name(si, s, ws, i, e, out);
    }

    fn name(&self, si: usize, s: &str, ws: &[Word], i: usize, e: usize, out: &mut Vec<Cand>) {
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
        let last_lower = lower_key(&s[last.byte_start..byte_end]);
        // Organisation words end it ("National Assembly"); acronyms are one (PDVSA, OPEC).
        let acronym = e - i == 1 && text.chars().filter(|c| c.is_alphabetic()).all(|c| c.is_uppercase());
        let mut kind = if SETS.org_words.contains(last_lower.as_str()) || acronym {
            ActorKind::Organization
        } else {
            ActorKind::Person
        };
        let mut span = Span::new(ws[i].start, span_end);
        let mut canonical = None;
        // "the Trump administration", "the Maduro regime".
        if kind == ActorKind::Person && keep == last.text(s).len()
            && let Some(next) = ws.get(e) {
                let n = next.text(s).to_lowercase();
                if let Some((_, what)) = REGIME_WORDS.iter().find(|(w, _)| *w == n) {
                    kind = ActorKind::Organization;
                    span = Span::new(ws[i].start, next.end);
                    canonical = Some(format!("{text} {what}"));
                }
            }
        out.push(Cand { sentence: si, span, text, kind, canonical });
    }
}

/// The person names' grouping: a name whose words occur, in order, inside
/// exactly one longer name of the article is that longer name's mention.
fn group(cands: &[Cand]) -> Vec<String> {
    let mut out: Vec<String> = cands.iter().map(|c| c.canonical.clone().unwrap_or_else(|| c.text.clone())).collect();
    // Distinct names (folded words, kind) and the candidates of each, so the
    // work grows with the number of different names, not of mentions.
    let mut index: HashMap<(Vec<String>, ActorKind), usize> = HashMap::default();
    let mut distinct: Vec<(Vec<String>, ActorKind, usize)> = Vec::new(); // words, kind, first candidate
    let mut of_cand: Vec<Option<usize>> = vec![None; cands.len()];
    for (i, c) in cands.iter().enumerate() {
        if c.canonical.is_some() {
            continue;
        }
        let key = (c.text.split_whitespace().map(fold).collect::<Vec<_>>(), c.kind);
        let d = *index.entry(key.clone()).or_insert_with(|| {
            distinct.push((key.0, key.1, i));
            distinct.len() - 1
        });
        of_cand[i] = Some(d);
    }
    // Which distinct names hold each word.
    let mut by_word: HashMap<&str, Vec<usize>> = HashMap::default();
    for (d, (ws, _, _)) in distinct.iter().enumerate() {
        for w in ws {
            let v = by_word.entry(w.as_str()).or_default();
            if v.last() != Some(&d) {
                v.push(d);
            }
        }
    }
    let contains = |long: &[String], short: &[String]| long.len() > short.len() && long.windows(short.len()).any(|w| w == short);
    let mut host_of: Vec<Option<usize>> = vec![None; distinct.len()];
    for (d, (ws, kind, _)) in distinct.iter().enumerate() {
        let Some(first) = ws.first() else { continue };
        let hosts: Vec<usize> = by_word[first.as_str()]
            .iter()
            .copied()
            .filter(|&h| distinct[h].1 == *kind && contains(&distinct[h].0, ws))
            .collect();
        let maximal: Vec<usize> = hosts.iter().copied().filter(|&h| !hosts.iter().any(|&g| contains(&distinct[g].0, &distinct[h].0))).collect();
        if maximal.len() == 1 {
            host_of[d] = Some(maximal[0]);
        }
    }
    for (i, d) in of_cand.iter().enumerate() {
        if let Some(d) = d {
            let target = host_of[*d].unwrap_or(*d);
            out[i] = cands[distinct[target].2].text.clone();
        }
    }
    // Identical names (up to accents and case) share the first spelling.
    let mut first: HashMap<String, String> = HashMap::default();
    for o in out.iter_mut() {
        let f = fold(o);
        o.clone_from(first.entry(f).or_insert_with(|| o.clone()));
    }
    out
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
            .filter(|c| c.canonical.is_none() && c.kind == ActorKind::Person && c.text.contains(' '))
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
            !initial
                || mid_caps.contains(&fold(&c.text))
                || surnames.contains(&fold(&c.text))
                || ((possessive || subject) && !common)
        });
        let known: HashSet<String> = cands.iter().filter(|c| c.canonical.is_none()).flat_map(|c| c.text.split_whitespace().map(fold).collect::<Vec<_>>()).collect();
        for &si in &title_lines {
            self.sentence(si, sentences[si], &sentence_words[si], Some(&known), &mut cands);
        }
        cands.sort_by_key(|c| (c.sentence, c.span.start));
        let names = group(&cands);
        let mut found = Found { actors: vec![], mentions: vec![Vec::new(); sentences.len()] };
        for (c, name) in cands.iter().zip(names) {
            let a = found.actor_index(&name, c.kind);
            let ms = &mut found.mentions[c.sentence];
            if ms.iter().any(|m: &Mention| m.span.overlaps(&c.span)) {
                continue;
            }
            ms.push(Mention { actor: a, span: c.span, kind: MentionKind::Name });
        }
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
