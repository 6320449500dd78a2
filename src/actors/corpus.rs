//! One actor across the articles of a run: "Juan Guaidó" in one article,
//! "Guaido" in the next and "Juan Guaido" in a third are one actor, with
//! one canonical name and one `actor_id` in every row.
//!
//! `predict` first finds the actors of every article ([`Registry::add`]),
//! then groups their names corpus-wide ([`Registry::finish`]) with the rule
//! each article uses on its own mentions ([`super::auto::roots`]):
//! spellings equal up to accents and case are one actor, a name whose
//! words occur, in order, inside longer names of the corpus that are all
//! one actor is that actor, and names given whole (gazetteer, list) are
//! never grouped with a part of them. The canonical spelling is the first
//! one the run met. A run of one article is grouped the same way, by the
//! same code, so an article gives the same actors whichever way it is read.
//! Memory grows with the number of distinct names, not of articles.

// A fast fixed hasher, as in actor finding: these maps are filled for
// every article of a run, and a corpus chosen to collide can only slow
// its own run.
type HashMap<K, V> = std::collections::HashMap<K, V, crate::hash::FastBuild>;

use super::auto::Name;
use super::{fold, Actor, ActorKind, Found};

/// A name as grouped: its folded words, its kind, whether it is fixed.
type Key = (Vec<String>, ActorKind, bool);

fn key(a: &Actor) -> Key {
    (a.name.split_whitespace().map(fold).collect(), a.kind, a.fixed)
}

/// The distinct names of a run, in order of first appearance.
#[derive(Debug, Default)]
pub struct Registry {
    index: HashMap<Key, usize>,
    /// Each distinct name: its key and its first spelling.
    names: Vec<(Key, String)>,
}

/// What a name of the run resolves to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resolved {
    pub name: String,
    pub kind: ActorKind,
    pub fixed: bool,
    pub id: String,
}

/// The grouped names of a run: the canonical actor of every name.
#[derive(Debug, Default)]
pub struct Groups {
    index: HashMap<Key, usize>,
    /// `of_name[d]`: the actor of distinct name `d`.
    of_name: Vec<usize>,
    actors: Vec<Resolved>,
}

impl Registry {
    /// Record the actors of one article (call in input order).
    pub fn add(&mut self, actors: &[Actor]) {
        for a in actors {
            let k = key(a);
            if !self.index.contains_key(&k) {
                self.index.insert(k.clone(), self.names.len());
                self.names.push((k, a.name.clone()));
            }
        }
    }

    /// Group the names recorded.
    pub fn finish(self) -> Groups {
        let names: Vec<Name> = self.names.iter().map(|((words, kind, fixed), _)| Name { words, kind: *kind, fixed: *fixed }).collect();
        let root = super::auto::roots(&names);
        // Actors in order of their first name's appearance.
        let mut actor_of_host: HashMap<usize, usize> = HashMap::default();
        let mut of_name = Vec::with_capacity(self.names.len());
        let mut actors: Vec<Resolved> = Vec::new();
        let mut ids: HashMap<String, usize> = HashMap::default();
        for &h in &root {
            let next = actors.len();
            let a = *actor_of_host.entry(h).or_insert(next);
            if a == next {
                let (k, name) = &self.names[h];
                actors.push(Resolved { name: name.clone(), kind: k.1, fixed: k.2, id: unique_id(&slug(name), &mut ids) });
            }
            of_name.push(a);
        }
        Groups { index: self.index, of_name, actors }
    }
}

impl Groups {
    /// The groups of one article's actors alone: a run of one article,
    /// grouped as a run of many is (mostly a no-op, as the finder grouped
    /// the article's names already by the same rule; not quite when
    /// pronouns showed an unknown name to be a person).
    pub fn of_article(actors: &[Actor]) -> Groups {
        Groups::of_names(actors)
    }

    /// The groups of a run whose distinct names, in order of first
    /// appearance, are `names`: what [`Registry::finish`] gives for a run
    /// whose articles' actors, added in turn, first named them in this
    /// order. For a caller that collects the names itself, e.g. from
    /// machines that each found the actors of part of a corpus.
    pub fn of_names(names: &[Actor]) -> Groups {
        let mut r = Registry::default();
        r.add(names);
        r.finish()
    }

    /// How many distinct names were grouped.
    pub fn names(&self) -> usize {
        self.of_name.len()
    }

    /// The corpus actor of `a` (recorded by [`Registry::add`]).
    pub fn resolve(&self, a: &Actor) -> Option<&Resolved> {
        self.index.get(&key(a)).map(|&d| &self.actors[self.of_name[d]])
    }

    /// Rename the actors of `found` to their corpus actors, merging those
    /// that became one; returns each actor's id.
    pub fn apply(&self, found: &mut Found) -> Vec<String> {
        let mut actors: Vec<Actor> = Vec::new();
        let mut ids: Vec<String> = Vec::new();
        let mut new_index = Vec::with_capacity(found.actors.len());
        for a in &found.actors {
            let (name, kind, fixed, id) = match self.resolve(a) {
                Some(r) => (r.name.clone(), r.kind, r.fixed, r.id.clone()),
                None => (a.name.clone(), a.kind, a.fixed, slug(&a.name)),
            };
            let i = match ids.iter().position(|x| *x == id) {
                Some(i) => i,
                None => {
                    actors.push(Actor { name, kind, fixed });
                    ids.push(id);
                    actors.len() - 1
                }
            };
            new_index.push(i);
        }
        for ms in &mut found.mentions {
            for m in ms.iter_mut() {
                m.actor = new_index[m.actor];
            }
        }
        found.actors = actors;
        ids
    }
}

/// An id from a name: folded, letters and digits joined by `-`
/// ("Juan Guaidó" → `juan-guaido`).
pub fn slug(name: &str) -> String {
    let f = fold(name);
    let mut out = String::with_capacity(f.len());
    for part in f.split(|c: char| !c.is_alphanumeric()).filter(|p| !p.is_empty()) {
        if !out.is_empty() {
            out.push('-');
        }
        out.push_str(part);
    }
    if out.is_empty() { "actor".to_string() } else { out }
}

/// `base`, or `base-2`, `base-3`, ... when taken by an earlier actor.
fn unique_id(base: &str, taken: &mut HashMap<String, usize>) -> String {
    let n = taken.entry(base.to_string()).or_insert(0);
    *n += 1;
    if *n == 1 { base.to_string() } else { format!("{base}-{n}") }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn person(n: &str) -> Actor {
        Actor { name: n.into(), kind: ActorKind::Person, fixed: false }
    }

    fn org(n: &str, fixed: bool) -> Actor {
        Actor { name: n.into(), kind: ActorKind::Organization, fixed }
    }

    #[test]
    fn one_person_spelled_three_ways_is_one_actor() {
        let mut r = Registry::default();
        r.add(&[person("Juan Guaidó")]);
        r.add(&[person("Guaido"), person("Nicolas Maduro")]);
        r.add(&[person("Juan Guaido"), person("Maduro")]);
        let g = r.finish();
        for n in ["Juan Guaidó", "Guaido", "Juan Guaido"] {
            let got = g.resolve(&person(n)).unwrap();
            assert_eq!((got.name.as_str(), got.id.as_str()), ("Juan Guaidó", "juan-guaido"), "{n}");
        }
        assert_eq!(g.resolve(&person("Maduro")).unwrap().name, "Nicolas Maduro");
    }

    #[test]
    fn a_surname_shared_by_two_people_stays_apart() {
        let mut r = Registry::default();
        r.add(&[person("George Bush"), person("Jeb Bush")]);
        r.add(&[person("Bush")]);
        let g = r.finish();
        assert_eq!(g.resolve(&person("Bush")).unwrap().name, "Bush");
        let ids: Vec<String> = ["George Bush", "Jeb Bush", "Bush"].iter().map(|n| g.resolve(&person(n)).unwrap().id.clone()).collect();
        assert_eq!(ids, vec!["george-bush", "jeb-bush", "bush"]);
    }

    #[test]
    fn equal_slugs_of_different_kinds_get_distinct_ids() {
        let mut r = Registry::default();
        r.add(&[person("Jordan"), Actor { name: "Jordan".into(), kind: ActorKind::Country, fixed: true }]);
        let g = r.finish();
        assert_eq!(g.resolve(&person("Jordan")).unwrap().id, "jordan");
        assert_eq!(g.resolve(&Actor { name: "Jordan".into(), kind: ActorKind::Country, fixed: true }).unwrap().id, "jordan-2");
    }

    #[test]
    fn a_name_given_whole_neither_hosts_nor_joins() {
        // "Union leader Marta Lind": a union, not the gazetteer's European Union.
        let mut r = Registry::default();
        r.add(&[org("European Union", true), org("Union", false)]);
        r.add(&[org("Union", false), org("Harbour Union", false)]);
        let g = r.finish();
        assert_eq!(g.resolve(&org("European Union", true)).unwrap().name, "European Union");
        // The only longer name that may host it is the Harbour Union.
        assert_eq!(g.resolve(&org("Union", false)).unwrap().name, "Harbour Union");
        // A name found with the words of a fixed one is that one.
        let mut r = Registry::default();
        r.add(&[org("European Union", true)]);
        r.add(&[Actor { name: "european union".into(), kind: ActorKind::Unknown, fixed: false }]);
        let g = r.finish();
        assert_eq!(g.resolve(&Actor { name: "european union".into(), kind: ActorKind::Unknown, fixed: false }).unwrap().id, "european-union");
    }

    #[test]
    fn hosts_are_followed_to_the_end_and_regrouping_changes_nothing() {
        // "Lind" (unknown) has the words of the person "Lind", which is
        // Marta Lind's: all three are one actor, not two.
        let unknown = Actor { name: "Lind".into(), kind: ActorKind::Unknown, fixed: false };
        let mut r = Registry::default();
        r.add(&[unknown.clone(), person("Lind"), person("Marta Lind")]);
        let g = r.finish();
        for a in [&unknown, &person("Lind"), &person("Marta Lind")] {
            assert_eq!(g.resolve(a).unwrap().name, "Marta Lind", "{a:?}");
        }
        // Grouping the grouped actors again is a no-op.
        let mut found = Found { actors: vec![person("George Bush"), person("Jeb Bush"), person("Bush"), org("Bush Industries", false)], mentions: vec![] };
        let before = found.clone();
        Groups::of_article(&found.actors).apply(&mut found);
        assert_eq!(found, before);
    }
}
