//! Actor finding: which actors each sentence of an article mentions, and
//! where. Two finders implement [`ActorFinder`]: [`list::ListFinder`] for a
//! user's `--actors` file and [`auto::AutoFinder`] for proper names,
//! countries and organisations found automatically. Pronoun linking
//! ([`pronouns`]) then runs on the result of either.

pub mod auto;
pub mod combined;
pub mod corpus;
pub mod first_names;
pub mod gazetteer;
pub mod list;
pub mod measure;
pub mod pronouns;
pub mod surnames;

use crate::text::Span;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ActorKind {
    Person,
    Country,
    Organization,
    /// A plural group of people: "the Greens", "Democrats", "Tories".
    Group,
    /// A user's listed actor of no stated kind.
    Other,
    /// A stance topic of the model (see [`crate::topics`]): scored in
    /// every sentence, never found in the text.
    Topic,
    /// A name found automatically whose kind nothing in the text showed.
    Unknown,
}

impl ActorKind {
    /// Every kind, in declaration order.
    pub const ALL: [ActorKind; 7] =
        [ActorKind::Person, ActorKind::Country, ActorKind::Organization, ActorKind::Group, ActorKind::Other, ActorKind::Topic, ActorKind::Unknown];

    /// The kind's name as the output rows write it (`person`, `organization`).
    pub fn as_str(self) -> &'static str {
        match self {
            ActorKind::Person => "person",
            ActorKind::Country => "country",
            ActorKind::Organization => "organization",
            ActorKind::Group => "group",
            ActorKind::Other => "other",
            ActorKind::Topic => "topic",
            ActorKind::Unknown => "unknown",
        }
    }

    /// The kind named `name` as [`Self::as_str`] writes it.
    pub fn parse(name: &str) -> Option<ActorKind> {
        ActorKind::ALL.into_iter().find(|k| k.as_str() == name)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    /// Canonical name, e.g. "Nicolas Maduro" for "Maduro" and "Maduro's".
    pub name: String,
    pub kind: ActorKind,
    /// Named whole — by the gazetteer, a pattern ("the Maduro regime") or
    /// the user's list — rather than put together from a name's words:
    /// never grouped with a part of its name or a name it is part of.
    pub fixed: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum MentionKind {
    Name,
    Pronoun,
    /// A title used alone ("the Chancellor") for its one holder in the article.
    Title,
}

/// One mention: actor index, code-point span in its sentence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mention {
    pub actor: usize,
    pub span: Span,
    pub kind: MentionKind,
}

/// All actors of an article and the mentions of each sentence.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Found {
    pub actors: Vec<Actor>,
    /// `mentions[s]`: the mentions in sentence `s`, sorted by position.
    pub mentions: Vec<Vec<Mention>>,
}

impl Found {
    pub fn actor_index(&mut self, name: &str, kind: ActorKind, fixed: bool) -> usize {
        if let Some(i) = self.actors.iter().position(|a| a.name == name) {
            self.actors[i].fixed |= fixed;
            return i;
        }
        self.actors.push(Actor { name: name.to_string(), kind, fixed });
        self.actors.len() - 1
    }
}

/// The finder `predict` uses: automatic finding, plus the actors listed
/// in a CSV file (`actor,alias[,kind]`) when one is given (its aliases win
/// where they overlap a name found automatically), or only those with
/// `only_listed`.
pub fn finder(list: Option<&std::path::Path>, only_listed: bool, read: crate::corpus::ReadOptions) -> crate::Result<Box<dyn ActorFinder>> {
    finder_of(list.map(|p| list::ListFinder::from_csv(p, read)).transpose()?, only_listed)
}

/// [`finder`] for a list already read (the Python package's list of names).
pub fn finder_of(list: Option<list::ListFinder>, only_listed: bool) -> crate::Result<Box<dyn ActorFinder>> {
    Ok(match (list, only_listed) {
        (Some(list), true) => Box::new(list),
        (Some(list), false) => Box::new(combined::Combined { list, auto: auto::AutoFinder::new() }),
        (None, true) => return Err(crate::Error::Params("--only-listed needs --actors FILE".into())),
        (None, false) => Box::new(auto::AutoFinder::new()),
    })
}

/// An article's actors as `predict` reports them: found, pronouns linked,
/// then grouped as a run of one article is ([`corpus::Groups::of_article`]:
/// the rule a run of many uses, so an article gives the same actors read
/// alone or as a corpus of one). Returns each actor's id too.
pub fn find_article(finder: &dyn ActorFinder, sentences: &[&str]) -> (Found, Vec<String>) {
    let mut found = finder.find(sentences);
    pronouns::link(&mut found, sentences);
    let ids = corpus::Groups::of_article(&found.actors).apply(&mut found);
    (found, ids)
}

/// The actor-finding stage: sentences of one article in, actors out.
pub trait ActorFinder: Sync {
    fn find(&self, sentences: &[&str]) -> Found;
}

/// A word of a sentence, with both kinds of offsets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Word {
    pub start: usize,
    pub end: usize,
    pub byte_start: usize,
    pub byte_end: usize,
}

impl Word {
    pub fn text<'a>(&self, s: &'a str) -> &'a str {
        &s[self.byte_start..self.byte_end]
    }
}

fn is_apostrophe(c: char) -> bool {
    c == '\'' || c == '’'
}

/// Split a sentence into words: letters and digits, with inner apostrophes,
/// hyphens and dots ("O'Brien", "al-Assad", "U.S.") kept inside.
pub fn words(s: &str) -> Vec<Word> {
    // Walks the text once, decoding characters in place (this runs on
    // every sentence of every article, twice).
    let at = |p: usize| -> Option<char> { s.get(p..).and_then(|t| t.chars().next()) };
    let mut out = Vec::new();
    let (mut p, mut ci) = (0usize, 0usize);
    while let Some(c) = at(p) {
        if !c.is_alphanumeric() {
            p += c.len_utf8();
            ci += 1;
            continue;
        }
        let (start_b, start_c, first) = (p, ci, c);
        p += c.len_utf8();
        ci += 1;
        while let Some(c) = at(p) {
            let after = at(p + c.len_utf8());
            if c.is_alphanumeric() {
                p += c.len_utf8();
                ci += 1;
            } else if (is_apostrophe(c) || c == '-' || c == '.') && let Some(a) = after.filter(|a| a.is_alphanumeric()) {
                p += c.len_utf8() + a.len_utf8();
                ci += 2;
            } else if c == '.' && s[start_b..p].contains('.') {
                // The final dot of an acronym ("U.S.").
                p += 1;
                ci += 1;
                break;
            } else if c == '.' && ci - start_c == 1 && first.is_uppercase() && after.is_some_and(|a| a.is_uppercase()) {
                p += 1; // "U.S." continues: U . S .
                ci += 1;
            } else {
                break;
            }
        }
        out.push(Word { start: start_c, end: ci, byte_start: start_b, byte_end: p });
    }
    out
}

/// Lower-case and strip the common Latin accents, for matching "Guaidó"
/// with "Guaido".
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        let base = match c {
            'á' | 'à' | 'â' | 'ä' | 'ã' | 'å' | 'Á' | 'À' | 'Â' | 'Ä' | 'Ã' | 'Å' => 'a',
            'é' | 'è' | 'ê' | 'ë' | 'É' | 'È' | 'Ê' | 'Ë' => 'e',
            'í' | 'ì' | 'î' | 'ï' | 'Í' | 'Ì' | 'Î' | 'Ï' => 'i',
            'ó' | 'ò' | 'ô' | 'ö' | 'õ' | 'Ó' | 'Ò' | 'Ô' | 'Ö' | 'Õ' => 'o',
            'ú' | 'ù' | 'û' | 'ü' | 'Ú' | 'Ù' | 'Û' | 'Ü' => 'u',
            'ñ' | 'Ñ' => 'n',
            'ç' | 'Ç' => 'c',
            '’' => '\'',
            c => {
                out.extend(c.to_lowercase());
                continue;
            }
        };
        out.push(base);
    }
    out
}

/// Strip a trailing possessive ("Maduro's", "Maduro’s", "Davis'") from a
/// word; returns the byte length kept.
/// `w` without a trailing clitic ('s, 'm, 've, 're, 'll, 'd, straight or
/// curly apostrophe): "He" of "He's", "they" of "they’re"; `None` without one.
pub fn strip_clitic(w: &str) -> Option<&str> {
    let (stem, tail) = w.rsplit_once(['\'', '’'])?;
    let clitic = matches!(tail, "s" | "S" | "m" | "M" | "ve" | "VE" | "re" | "RE" | "ll" | "LL" | "d" | "D");
    (clitic && !stem.is_empty()).then_some(stem)
}

/// "TRUMP" as "Trump": the first letter kept, the rest lower-cased.
pub fn title_case(w: &str) -> String {
    let mut cs = w.chars();
    cs.next().map(|c| c.to_string() + &cs.as_str().to_lowercase()).unwrap_or_default()
}

pub fn strip_possessive(w: &str) -> usize {
    for suf in ["'s", "’s", "'S", "’S"] {
        if let Some(x) = w.strip_suffix(suf) {
            return x.len();
        }
    }
    if (w.ends_with('\'') || w.ends_with('’')) && w.len() > 1 {
        return w.len() - w.chars().last().unwrap().len_utf8();
    }
    w.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kind_names_are_the_output_rows_names_and_read_back() {
        for k in ActorKind::ALL {
            assert_eq!(serde_json::to_value(k).unwrap(), serde_json::Value::String(k.as_str().into()));
            assert_eq!(ActorKind::parse(k.as_str()), Some(k));
        }
        assert_eq!(ActorKind::parse("Person"), None);
    }

    #[test]
    fn words_keep_acronyms_and_possessives_together() {
        let s = "The U.S. and Maduro’s al-Assad-style regime, O'Brien said.";
        let w: Vec<&str> = words(s).iter().map(|w| w.text(s)).collect();
        assert_eq!(w, vec!["The", "U.S.", "and", "Maduro’s", "al-Assad-style", "regime", "O'Brien", "said"]);
        assert_eq!(strip_possessive("Maduro’s"), "Maduro".len());
        assert_eq!(fold("Guaidó"), "guaido");
    }
}
