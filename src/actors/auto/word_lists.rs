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
    "democratic", "republican", "democrat", "late", "chief", "chief executive officer", "chief executive",
    "chief financial officer", "chief operating officer", "competition commissioner", "commissioner", "executive",
    "chancellor", "premier", "coach", "manager", "striker", "midfielder", "goalkeeper", "captain", "founder",
    "co-founder", "chairperson", "president and chief executive", "cfo", "coo", "economist", "analyst", "gen", "rep",
    "gov", "lt", "col", "sgt", "capt", "adm",
];

/// Title words that name one office, so that "the Chancellor" alone is the
/// one person the article gives that title.
pub(super) const OFFICES: &[&str] = &[
    "president", "chancellor", "prime minister", "minister", "secretary", "governor", "mayor", "senator", "king",
    "queen", "pope", "commissioner", "chairman", "chairwoman", "ceo", "chief executive", "coach", "manager",
    "premier", "speaker", "ambassador", "judge", "general",
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
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "image", "et",
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
    "several", "whether", "once", "unlike", "among", "beyond", "within", "through", "throughout", "following",
    "given", "amid", "earlier", "sometimes", "often", "later", "first", "second", "third", "another", "other",
    "neither", "either", "rather", "thus", "hence", "otherwise", "unless", "whatever", "whoever", "whenever",
    "nearly", "almost", "just", "even", "much", "few", "less", "more", "enough", "anyway", "look", "inside", "new",
    "head", "prior", "four", "five", "six", "seven", "eight", "nine", "ten", "right", "left", "media", "things",
    "ladies", "gentlemen", "meet", "photos", "here", "watch", "see", "get", "make", "take", "imagine",
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
    "ag", "gmbh", "plc", "llc", "ltd.", "co.", "s.a.", "n.v.", "se", "sa", "nv", "holdings", "industries", "fc",
    "united", "partners", "motors", "airways", "systems", "technologies", "pharmaceuticals", "telecom", "media",
    "studios", "capital", "ventures", "labs", "energy", "rovers", "athletic", "wanderers", "hotspur", "reserve",
    "institution", "academy", "society", "alliance", "unions", "conference", "tribunal", "council", "assembly",
];

/// First words that make an organisation of a name going on with "of"
/// ("Bank of America", "University of Chicago", "Ministry of Defence").
pub(super) const ORG_HEADS: &[&str] = &[
    "bank", "university", "ministry", "department", "council", "commission", "court", "league", "union", "church",
    "office", "institute", "federation", "association", "board", "bureau", "college", "school", "party",
    "government", "congress", "parliament", "assembly", "organization", "organisation", "committee", "agency",
    "academy", "museum", "society", "house", "chamber", "federal", "national", "royal",
];

/// Plural groups of people ("the Greens", "Democrats", "Tories").
pub(super) const GROUPS: &[&str] = &[
    "democrats", "republicans", "tories", "greens", "conservatives", "liberals", "socialists", "communists",
    "labourites", "brexiteers", "remainers", "sandinistas", "chavistas", "islamists", "jihadists", "evangelicals",
    "catholics", "muslims", "christians", "jews", "kurds", "palestinians", "israelis", "taliban", "houthis",
    "libertarians", "progressives", "populists", "nationalists", "unionists", "separatists", "loyalists",
    "bolsheviks", "whigs", "social democrats", "free democrats", "christian democrats", "liberal democrats",
];

/// Last words of an organisation's name that go on with "for" ("Club for
/// Growth", "Center for American Progress", "Americans for Prosperity").
pub(super) const FOR_HEADS: &[&str] = &[
    "center", "centre", "institute", "committee", "council", "campaign", "coalition", "alliance", "club",
    "foundation", "fund", "society", "association", "league", "union", "party", "office", "agency", "commission",
    "network", "project", "partnership", "americans", "citizens", "doctors", "students", "families", "parents",
    "people", "women", "scientists", "veterans", "lawyers",
];

/// US states' abbreviations as news writes them, with a full stop ("Fla.",
/// "N.Y."; lower case, without the final stop).
pub(super) const STATE_ABBREVIATIONS: &[&str] = &[
    "ala", "ariz", "ark", "calif", "colo", "conn", "del", "fla", "ga", "ill", "ind", "kan", "kans", "ky", "la", "md",
    "mass", "mich", "minn", "miss", "mo", "mont", "neb", "nev", "n.h", "n.j", "n.m", "n.y", "n.c", "n.d", "okla",
    "ore", "pa", "r.i", "s.c", "s.d", "tenn", "tex", "vt", "va", "wash", "w.va", "wis", "wyo",
];

/// Faiths and their followers, typed as groups when a name ends with one
/// ("Muslims", "Jewish", "Sunni").
pub(super) const FAITHS: &[&str] = &[
    "muslim", "muslims", "jewish", "jews", "christian", "christians", "catholic", "catholics", "protestant",
    "protestants", "evangelical", "evangelicals", "islamist", "islamists", "hindu", "hindus", "sikh", "sikhs",
    "buddhist", "buddhists", "sunni", "sunnis", "shia", "shiite", "shiites", "mormon", "mormons",
];

/// Lower-case words after a name ("the Unite union", "the Tesla board")
/// that make an organisation of it.
pub(super) const ORG_AFTER: &[&str] = &[
    "union", "party", "club", "company", "firm", "group", "bank", "board", "shares", "stock", "shareholders",
    "executives", "employees", "workers", "headquarters", "team", "squad", "fans", "brand", "subsidiary",
    "conglomerate", "carmaker", "automaker", "retailer", "airline", "lender", "insurer", "network", "newspaper",
    "spokesman", "spokeswoman", "spokesperson",
];

/// Words after a name's possessive ("Tesla's chief executive") that make an
/// organisation of it.
pub(super) const ORG_POSSESSIONS: &[&str] = &[
    "chief", "ceo", "chairman", "board", "shares", "shareholders", "stock", "profits", "profit", "revenue",
    "revenues", "headquarters", "employees", "workers", "subsidiary", "products", "executives", "share", "earnings",
    "sales", "customers", "factory", "factories", "plant", "plants", "stake", "manager", "coach", "players",
    "fans", "squad", "members", "leadership", "spokesman", "spokeswoman", "spokesperson", "website", "stores",
];

/// Lower-case words before a name ("shares of Tesla", "a stake in Bayer").
pub(super) const ORG_BEFORE: &[(&str, &str)] = &[("shares", "of"), ("shares", "in"), ("stake", "in"), ("stock", "of"), ("subsidiary", "of"), ("unit", "of")];

/// Verbs right after a place that make it an actor ("Washington said",
/// "Beijing warned"); elsewhere a place is not one.
pub(super) const ACTS: &[&str] = &[
    "said", "says", "announced", "announces", "warned", "warns", "accused", "accuses", "urged", "urges", "demanded",
    "demands", "rejected", "rejects", "condemned", "condemns", "denied", "denies", "insisted", "insists",
    "responded", "threatened", "threatens", "agreed", "agrees", "signed", "imposed", "imposes", "sanctioned",
    "vowed", "refused", "refuses", "wants", "wanted", "has", "had", "will", "would", "argued", "claimed", "backed",
    "supported", "opposed", "criticized", "criticised", "blamed", "retaliated", "protested", "sued", "expelled",
];

/// Cities that are not capitals (capitals are the gazetteer's metonyms for
/// their country) and US states: a place is an actor only when it acts.
/// Hand-made from general knowledge, no third-party list.
pub(super) const CITIES: &[&str] = &[
    "New York", "Los Angeles", "Chicago", "Houston", "Phoenix", "Philadelphia", "San Antonio", "San Diego",
    "Dallas", "San Francisco", "Seattle", "Boston", "Miami", "Atlanta", "Detroit", "Denver", "Las Vegas",
    "Baltimore", "Pittsburgh", "Cleveland", "New Orleans", "Minneapolis", "St. Louis", "Portland", "Austin",
    "Nashville", "Charlotte", "Orlando", "Sacramento", "Kansas City", "Milwaukee", "Cincinnati", "Tampa",
    "Honolulu", "Anchorage", "Salt Lake City", "Indianapolis", "Columbus", "Memphis", "Louisville", "Richmond",
    "Manchester", "Birmingham", "Liverpool", "Leeds", "Glasgow", "Edinburgh", "Bristol", "Cardiff", "Belfast",
    "Munich", "Hamburg", "Frankfurt", "Cologne", "Stuttgart", "Düsseldorf", "Dusseldorf", "Leipzig", "Dresden",
    "Milan", "Naples", "Turin", "Florence", "Venice", "Barcelona", "Valencia", "Seville", "Bilbao", "Marseille",
    "Lyon", "Toulouse", "Nice", "Strasbourg", "Rotterdam", "Geneva", "Zurich", "Davos", "Toronto", "Montreal",
    "Vancouver", "Sydney", "Melbourne", "Brisbane", "Perth", "Auckland", "Mumbai", "Bangalore", "Kolkata",
    "Chennai", "Karachi", "Lahore", "Shanghai", "Hong Kong", "Shenzhen", "Guangzhou", "Wuhan", "Osaka", "Kyoto",
    "Istanbul", "St. Petersburg", "Sao Paulo", "São Paulo", "Rio de Janeiro", "Maracaibo", "Guadalajara",
    "Monterrey", "Tijuana", "Medellin", "Medellín", "Johannesburg", "Cape Town", "Lagos", "Dubai", "Gaza",
    "Aleppo", "Mosul", "Benghazi", "Basra", "Homs", "Idlib", "Raqqa", "Kandahar", "Hollywood", "Brooklyn",
    "Manhattan", "Queens", "Harlem", "Charlottesville", "Ferguson", "Alabama", "Alaska", "Arizona", "Arkansas",
    "California", "Colorado", "Connecticut", "Delaware", "Florida", "Hawaii", "Idaho", "Illinois", "Indiana", "Iowa",
    "Kansas", "Kentucky", "Louisiana", "Maine", "Maryland", "Massachusetts", "Michigan", "Minnesota", "Mississippi",
    "Missouri", "Montana", "Nebraska", "Nevada", "New Hampshire", "New Jersey", "New Mexico", "North Carolina",
    "North Dakota", "Ohio", "Oklahoma", "Oregon", "Pennsylvania", "Rhode Island", "South Carolina", "South Dakota",
    "Tennessee", "Texas", "Utah", "Vermont", "Virginia", "West Virginia", "Wisconsin", "Wyoming", "Puerto Rico",
];

/// Words that may join a name's capitalised words ("Bank of America").
pub(super) const CONNECTORS: &[&str] =
    &["of", "de", "da", "del", "della", "van", "von", "der", "den", "ten", "ter", "bin", "al", "el", "la", "le", "du", "dos", "do", "di"];

/// Name particles: a name joined by them is a person's ("Ursula von der
/// Leyen", "Mohammed bin Salman"), and a name may start with them mid-sentence
/// ("said von der Leyen").
pub(super) const PARTICLES: &[&str] = &["de", "da", "del", "della", "van", "von", "der", "den", "ten", "ter", "bin", "al", "el", "du", "dos", "di"];

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
    offices: OFFICES.iter().map(|o| (*o, o.split(' ').collect())).collect(),
    org_heads: ORG_HEADS.iter().copied().collect(),
    groups: GROUPS.iter().copied().collect(),
    faiths: FAITHS.iter().copied().collect(),
    for_heads: FOR_HEADS.iter().copied().collect(),
    state_abbreviations: STATE_ABBREVIATIONS.iter().copied().collect(),
    cities: CITIES.iter().map(|c| c.to_lowercase()).collect(),
});

pub(super) struct Sets {
    pub not_names: HashSet<&'static str>,
    pub org_words: HashSet<&'static str>,
    pub openers: HashSet<&'static str>,
    pub titles: Vec<Vec<&'static str>>,
    pub title_first: HashSet<&'static str>,
    pub single_titles: HashSet<&'static str>,
    /// Each office with its words.
    pub offices: Vec<(&'static str, Vec<&'static str>)>,
    pub org_heads: HashSet<&'static str>,
    pub groups: HashSet<&'static str>,
    pub faiths: HashSet<&'static str>,
    pub for_heads: HashSet<&'static str>,
    pub state_abbreviations: HashSet<&'static str>,
    pub cities: HashSet<String>,
}

/// Whether the lower-cased `w` is in `set`, without allocating for short ASCII words.
pub(super) fn in_set(set: &HashSet<&'static str>, w: &str) -> bool {
    crate::text::with_ascii_lowercase(w, |l| set.contains(l)).unwrap_or_else(|| set.contains(lower_key(w).as_str()))
}

/// `w` lower-cased equals `lower`.
pub(super) fn eq_lower(w: &str, lower: &str) -> bool {
    if w.is_ascii() { w.eq_ignore_ascii_case(lower) } else { lower_key(w) == lower }
}

/// Whether `w` is a word that is not a name, a clitic after it included:
/// "He's", "I'm", "We've", "Let's", "Saturday's".
pub(super) fn not_name(w: &str) -> bool {
    in_set(&SETS.not_names, w) || crate::actors::strip_clitic(w).is_some_and(|stem| in_set(&SETS.not_names, stem))
}

/// Words after a demonym that make it a title of the name after them
/// ("Russian President Vladimir Putin"), not a mention of the state.
pub(super) const DEMONYM_TITLES: &[&str] = &["president", "leader", "ambassador", "envoy", "official", "diplomat"];

pub(super) fn lower_key(w: &str) -> String {
    w.to_lowercase().replace('’', "'")
}

