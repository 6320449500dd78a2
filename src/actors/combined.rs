//! `--actors FILE` without `--only-listed`: the listed actors and the
//! actors found automatically together. A listed alias wins where it
//! overlaps a name found automatically, and an automatic name that is a
//! listed alias as a whole is that listed actor.

use super::{auto::AutoFinder, list::ListFinder, ActorFinder, Found};

pub struct Combined {
    pub list: ListFinder,
    pub auto: AutoFinder,
}

impl ActorFinder for Combined {
    fn find(&self, sentences: &[&str]) -> Found {
        let mut found = self.list.find(sentences);
        let auto = self.auto.find(sentences);
        for (si, ms) in auto.mentions.iter().enumerate() {
            for m in ms {
                if found.mentions[si].iter().any(|l| l.span.overlaps(&m.span)) {
                    continue;
                }
                let a = &auto.actors[m.actor];
                let actor = match self.list.listed(&a.name) {
                    Some((name, kind)) => found.actor_index(name, kind, true),
                    None => found.actor_index(&a.name, a.kind, a.fixed),
                };
                found.mentions[si].push(super::Mention { actor, ..m.clone() });
            }
            found.mentions[si].sort_by_key(|m| m.span.start);
        }
        found
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::actors::ActorKind;

    #[test]
    fn listed_aliases_win_and_other_names_are_still_found() {
        let list = ListFinder::new(vec![("European Commission".into(), "Brussels".into(), ActorKind::Organization)]);
        let s = ["Brussels fined Siemens AG, and Angela Merkel objected."];
        let f = Combined { list, auto: AutoFinder::new() }.find(&s);
        let names: Vec<(&str, ActorKind)> = f.mentions[0].iter().map(|m| (f.actors[m.actor].name.as_str(), f.actors[m.actor].kind)).collect();
        assert_eq!(names, vec![("European Commission", ActorKind::Organization), ("Siemens AG", ActorKind::Organization), ("Angela Merkel", ActorKind::Person)]);
    }
}
