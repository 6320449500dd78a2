//! The word lists of automatic actor finding: titles kept out of names,
//! capitalised words that are not names, words that mark a subject or an
//! organisation, and the sets built from them once.

use super::HashSet;

/// Titles and descriptors kept out of names (matched case-insensitively,
/// longest first, at the start of a capitalised run).
pub(super) const TITLES: &[&str] = &[
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
pub(super) const NOT_NAMES: &[&str] = &[
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
pub(super) const SUBJECT_NEXT: &[&str] = &[
    "said", "says", "told", "has", "had", "is", "was", "will", "would", "can", "could", "did", "does", "also",
    "added", "wrote", "argued", "noted", "claimed", "insisted", "warned", "tweeted", "announced", "responded",
    "replied", "denied", "called", "asked", "met", "spoke", "made", "became", "who", "and", "should", "may",
    "might", "must", "then", "later", "never", "later", "remains", "remained", "signed", "won", "lost", "took",
    "urged", "vowed", "praised", "criticized", "criticised", "accused", "attacked", "defended", "blamed", "faces",
    "faced", "wants", "wanted", "believes", "thinks", "knows", "stated", "explained", "suggested", "admitted",
];

/// Capitalised sentence openers that are not names, beyond `NOT_NAMES`.
pub(super) const COMMON_OPENERS: &[&str] = &[
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
pub(super) const ORG_WORDS: &[&str] = &[
    "assembly", "party", "group", "congress", "senate", "council", "court", "committee", "ministry", "department",
    "agency", "bank", "fund", "union", "organization", "organisation", "association", "foundation", "institute",
    "university", "times", "post", "news", "network", "corporation", "company", "inc", "inc.", "corp", "corp.",
    "ltd", "forces", "army", "navy", "guard", "commission", "parliament", "government", "administration", "office",
    "service", "police", "church", "club", "league", "federation", "coalition", "movement", "front", "journal",
    "tribune", "herald", "magazine", "channel", "press", "board", "bureau", "authority", "regime", "campaign",
    "cartel", "brigade", "caucus", "house", "center", "centre", "school", "college", "hospital", "airlines",
];

/// Words that may join a name's capitalised words ("Bank of America").
pub(super) const CONNECTORS: &[&str] = &["of", "de", "da", "del", "della", "van", "von", "der", "bin", "al", "el", "la", "le", "du", "dos", "do"];

/// Words after a person's name that make an organisation of it.
pub(super) const REGIME_WORDS: &[(&str, &str)] =
    &[("administration", "administration"), ("government", "government"), ("regime", "government"), ("campaign", "campaign")];

pub(super) fn is_cap(w: &str) -> bool {
    w.chars().next().is_some_and(|c| c.is_uppercase())
}

/// Word lists as sets, built once.
pub(super) static SETS: std::sync::LazyLock<Sets> = std::sync::LazyLock::new(|| Sets {
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

pub(super) struct Sets {
    pub not_names: HashSet<&'static str>,
    pub org_words: HashSet<&'static str>,
    pub openers: HashSet<&'static str>,
    pub titles: Vec<Vec<&'static str>>,
    pub title_first: HashSet<&'static str>,
    pub single_titles: HashSet<&'static str>,
}

/// Whether the lower-cased `w` is in `set`, without allocating for short ASCII words.
pub(super) fn in_set(set: &HashSet<&'static str>, w: &str) -> bool {
    crate::text::with_ascii_lowercase(w, |l| set.contains(l)).unwrap_or_else(|| set.contains(lower_key(w).as_str()))
}

/// `w` lower-cased equals `lower`.
pub(super) fn eq_lower(w: &str, lower: &str) -> bool {
    if w.is_ascii() { w.eq_ignore_ascii_case(lower) } else { lower_key(w) == lower }
}

pub(super) fn not_name(w: &str) -> bool {
    in_set(&SETS.not_names, w)
}

pub(super) fn lower_key(w: &str) -> String {
    w.to_lowercase().replace('’', "'")
}

