//! Actors named by the user: a CSV file with a header `actor,alias`, one
//! row per alias (the actor's own name is always an alias too; `kind` is an
//! optional third column: person, country, organization).

use std::path::Path;

use super::{fold, strip_possessive, words, ActorFinder, ActorKind, Found, Mention, MentionKind};
use crate::error::{Error, Location, Result};
use crate::text::Span;

pub struct ListFinder {
    actors: Vec<(String, ActorKind)>,
    /// (actor index, alias words) sorted longest first.
    aliases: Vec<(usize, Vec<String>)>,
}

/// Compare words: exact for all-caps ("US" is not "us"), else ignoring case and accents.
fn key(w: &str) -> String {
    if w.chars().filter(|c| c.is_alphabetic()).all(|c| c.is_uppercase()) { w.to_string() } else { fold(w) }
}

impl ListFinder {
    pub fn new(rows: Vec<(String, String, ActorKind)>) -> Self {
        let mut actors: Vec<(String, ActorKind)> = Vec::new();
        let mut aliases = Vec::new();
        for (actor, alias, kind) in rows {
            let a = match actors.iter().position(|(n, _)| *n == actor) {
                Some(a) => a,
                None => {
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
        aliases.dedup();
        ListFinder { actors, aliases }
    }

    /// Read `actor,alias[,kind]` rows.
    pub fn from_csv(path: &Path) -> Result<Self> {
        let mut rdr = csv::ReaderBuilder::new().flexible(false).from_path(path).map_err(|e| Error::io(path, "open", std::io::Error::other(e.to_string())))?;
        let header = rdr.headers().map_err(|e| Error::input(Location::line(path, 1), e.to_string()))?.clone();
        let col = |n: &str| crate::corpus::csv::header_column(&header, n);
        let actor = col("actor").ok_or_else(|| Error::input(Location::line(path, 1), "missing column `actor` in header"))?;
        let alias = col("alias");
        let kind = col("kind");
        let mut rows = Vec::new();
        for rec in rdr.records() {
            let rec = rec.map_err(|e| {
                let line = e.position().map(|p| p.line() as usize).unwrap_or(0);
                Error::input(Location::line(path, line), e.to_string())
            })?;
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
                    _ => return Err(Error::input(at, format!("unknown kind {k:?} (person, country, organization, other)"))),
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
        let mut found = Found { actors: vec![], mentions: vec![Vec::new(); sentences.len()] };
        for (n, k) in &self.actors {
            found.actor_index(n, *k);
        }
        for (si, s) in sentences.iter().enumerate() {
            let ws = words(s);
            let keys: Vec<String> = ws.iter().map(|w| key(w.text(s))).collect();
            let stripped: Vec<String> = ws.iter().map(|w| { let t = w.text(s); key(&t[..strip_possessive(t)]) }).collect();
            let mut ms: Vec<Mention> = Vec::new();
            for (a, alias) in &self.aliases {
                let n = alias.len();
                for i in 0..ws.len().saturating_sub(n - 1) {
                    let ok = (0..n).all(|k| if k == n - 1 { stripped[i + k] == alias[k] || keys[i + k] == alias[k] } else { keys[i + k] == alias[k] });
                    if !ok {
                        continue;
                    }
                    let last = &ws[i + n - 1];
                    let t = last.text(s);
                    let keep = if keys[i + n - 1] == alias[n - 1] { t.len() } else { strip_possessive(t) };
                    let end = last.start + t[..keep].chars().count();
                    let span = Span::new(ws[i].start, end);
                    if !ms.iter().any(|m| m.span.overlaps(&span)) {
                        ms.push(Mention { actor: *a, span, kind: MentionKind::Name });
                    }
                }
            }
            ms.sort_by_key(|m| m.span.start);
            found.mentions[si] = ms;
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
}
