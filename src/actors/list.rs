//! Actors named by the user: a CSV file with a header `actor,alias`, one
//! row per alias (the actor's own name is always an alias too; `kind` is an
//! optional third column: person, country, organization).

use std::collections::{HashMap, HashSet};
use std::path::Path;

use super::{fold, strip_possessive, words, ActorFinder, ActorKind, Found, Mention, MentionKind};
use crate::corpus::csv_source::{self, csv_error, Header};
use crate::corpus::ReadOptions;
use crate::error::{Error, Location, Result};
use crate::text::Span;

pub struct ListFinder {
    actors: Vec<(String, ActorKind)>,
    /// (actor index, alias words) sorted longest first.
    aliases: Vec<(usize, Vec<String>)>,
    /// Aliases by their first word's key: a look-up per word of the text,
    /// where trying every alias at every word took 24 s for one article
    /// against 100,000 aliases.
    by_first: HashMap<String, Vec<usize>>,
}

/// Compare words: exact for all-caps ("US" is not "us"), else ignoring case and accents.
fn key(w: &str) -> String {
    if w.chars().filter(|c| c.is_alphabetic()).all(|c| c.is_uppercase()) { w.to_string() } else { fold(w) }
}

impl ListFinder {
    pub fn new(rows: Vec<(String, String, ActorKind)>) -> Self {
        let mut actors: Vec<(String, ActorKind)> = Vec::new();
        let mut index: HashMap<String, usize> = HashMap::new();
        let mut aliases = Vec::new();
        for (actor, alias, kind) in rows {
            let a = match index.get(&actor) {
                Some(&a) => a,
                None => {
                    index.insert(actor.clone(), actors.len());
                    actors.push((actor.clone(), kind));
                    let ws = words(&actor).iter().map(|w| key(w.text(&actor))).collect();
                    aliases.push((actors.len() - 1, ws));
                    actors.len() - 1
                }
            };
            if !alias.is_empty() {
                let ws: Vec<String> = words(&alias).iter().map(|w| key(w.text(&alias))).collect();
                if !ws.is_empty() {
                    aliases.push((a, ws));
                }
            }
        }
        aliases.sort_by(|a, b| b.1.len().cmp(&a.1.len()).then(a.0.cmp(&b.0)));
        let mut seen = HashSet::new();
        aliases.retain(|a| seen.insert(a.clone()));
        let mut by_first: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, (_, ws)) in aliases.iter().enumerate() {
            // An actor named by punctuation alone has no words to find.
            if let Some(first) = ws.first() {
                by_first.entry(first.clone()).or_default().push(i);
            }
        }
        ListFinder { actors, aliases, by_first }
    }

    /// The listed actor (name and kind) one of whose aliases is `name` as a
    /// whole, if any.
    pub fn listed(&self, name: &str) -> Option<(&str, ActorKind)> {
        let ws: Vec<String> = words(name).iter().map(|w| key(w.text(name))).collect();
        let first = ws.first()?;
        self.by_first.get(first)?.iter().map(|&ai| &self.aliases[ai]).find(|(_, alias)| *alias == ws).map(|(a, _)| (self.actors[*a].0.as_str(), self.actors[*a].1))
    }

    /// Read `actor,alias[,kind]` rows, with the checks of every CSV reader.
    pub fn from_csv(path: &Path, opts: ReadOptions) -> Result<Self> {
        let mut rdr = csv_source::reader(crate::corpus::open(path)?, path, opts);
        let header = Header::read(&mut rdr, path, opts)?;
        let actor = header.require("actor")?;
        let alias = header.find("alias")?;
        let kind = header.find("kind")?;
        let mut rows = Vec::new();
        for rec in rdr.records() {
            let rec = rec.map_err(|e| csv_error(path, e))?;
            let line = rec.position().map(|p| p.line() as usize).unwrap_or(0);
            let at = Location::line(path, line);
            let name = rec.get(actor).unwrap_or("").trim().to_string();
            if name.is_empty() {
                return Err(Error::input(at, "empty `actor`"));
            }
            let k = match kind.map(|k| rec.get(k).unwrap_or("").trim().to_lowercase()) {
                None => ActorKind::Other,
                Some(k) => match k.as_str() {
                    "" | "other" => ActorKind::Other,
                    "person" => ActorKind::Person,
                    "country" => ActorKind::Country,
                    "organization" | "organisation" => ActorKind::Organization,
                    "group" => ActorKind::Group,
                    _ => return Err(Error::input(at, format!("unknown kind {k:?} (person, country, organization, group, other)"))),
                },
            };
            rows.push((name, alias.map(|a| rec.get(a).unwrap_or("").trim().to_string()).unwrap_or_default(), k));
        }
        if rows.is_empty() {
            return Err(Error::input(Location::file(path), "no actors in file"));
        }
        Ok(ListFinder::new(rows))
    }
}

impl ActorFinder for ListFinder {
    fn find(&self, sentences: &[&str]) -> Found {
        let mut mentions = vec![Vec::new(); sentences.len()];
        let mut mentioned = vec![false; self.actors.len()];
        for (si, s) in sentences.iter().enumerate() {
            let ws = words(s);
            let keys: Vec<String> = ws.iter().map(|w| key(w.text(s))).collect();
            let stripped: Vec<String> = ws.iter().map(|w| { let t = w.text(s); key(&t[..strip_possessive(t)]) }).collect();
            // Every alias that matches somewhere, as (alias, first word).
            let mut hits: Vec<(usize, usize)> = Vec::new();
            for i in 0..ws.len() {
                let firsts = [Some(&keys[i]), (stripped[i] != keys[i]).then_some(&stripped[i])];
                for first in firsts.into_iter().flatten() {
                    for &ai in self.by_first.get(first).map(Vec::as_slice).unwrap_or_default() {
                        let alias = &self.aliases[ai].1;
                        let n = alias.len();
                        // The last word may carry a possessive; the others may not.
                        let ok = i + n <= ws.len()
                            && (0..n).all(|k| keys[i + k] == alias[k] || (k == n - 1 && stripped[i + k] == alias[k]));
                        if ok {
                            hits.push((ai, i));
                        }
                    }
                }
            }
            // Longest aliases first, then left to right; a mention never
            // overlaps an earlier one.
            hits.sort_unstable();
            hits.dedup();
            let mut ms: Vec<Mention> = Vec::new();
            for (ai, i) in hits {
                let (a, alias) = &self.aliases[ai];
                let n = alias.len();
                let last = &ws[i + n - 1];
                let t = last.text(s);
                let keep = if keys[i + n - 1] == alias[n - 1] { t.len() } else { strip_possessive(t) };
                let end = last.start + t[..keep].chars().count();
                let span = Span::new(ws[i].start, end);
                if !ms.iter().any(|m| m.span.overlaps(&span)) {
                    ms.push(Mention { actor: *a, span, kind: MentionKind::Name });
                    mentioned[*a] = true;
                }
            }
            ms.sort_by_key(|m| m.span.start);
            mentions[si] = ms;
        }
        // Only the actors mentioned, in list order: copying every actor of
        // a long list for every article cost more than finding them.
        let mut found = Found { actors: vec![], mentions };
        let mut renumber = vec![usize::MAX; self.actors.len()];
        for (a, (n, k)) in self.actors.iter().enumerate().filter(|(a, _)| mentioned[*a]) {
            renumber[a] = found.actor_index(n, *k, true);
        }
        for m in found.mentions.iter_mut().flatten() {
            m.actor = renumber[m.actor];
        }
        found
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_aliases_longest_first_with_possessives() {
        let f = ListFinder::new(vec![
            ("Nicolas Maduro".into(), "Maduro".into(), ActorKind::Person),
            ("Nicolas Maduro".into(), "Maduro's government".into(), ActorKind::Person),
            ("United States".into(), "US".into(), ActorKind::Country),
        ]);
        let s = ["Maduro’s allies and Maduro's government told us the US and Nicolás Maduro agree."];
        let found = f.find(&s);
        let got: Vec<(usize, String)> =
            found.mentions[0].iter().map(|m| (m.actor, s[0].chars().skip(m.span.start).take(m.span.len()).collect())).collect();
        assert_eq!(got, vec![(0, "Maduro".into()), (0, "Maduro's government".into()), (1, "US".into()), (0, "Nicolás Maduro".into())]);
    }

    #[test]
    fn a_long_list_finds_the_same_mentions() {
        let mut rows: Vec<(String, String, ActorKind)> =
            (0..20_000).map(|i| (format!("Actor{}", i / 2), format!("Alias{i} Word{i}"), ActorKind::Other)).collect();
        rows.push(("Ines Kowalski".into(), "Kowalski".into(), ActorKind::Person));
        rows.push(("Alias7 Word7 Extra".into(), String::new(), ActorKind::Other));
        let f = ListFinder::new(rows);
        let s = ["Kowalski's aide met Alias7 Word7 Extra and Alias8 Word8, then Ines Kowalski left."];
        let found = f.find(&s);
        let got: Vec<(&str, String)> = found.mentions[0]
            .iter()
            .map(|m| (found.actors[m.actor].name.as_str(), s[0].chars().skip(m.span.start).take(m.span.len()).collect()))
            .collect();
        assert_eq!(
            got,
            vec![
                ("Ines Kowalski", "Kowalski".into()),
                ("Alias7 Word7 Extra", "Alias7 Word7 Extra".into()),
                ("Actor4", "Alias8 Word8".into()),
                ("Ines Kowalski", "Ines Kowalski".into()),
            ]
        );
        // Only the actors mentioned are carried.
        assert_eq!(found.actors.len(), 3);
    }
}
