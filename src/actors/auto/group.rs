//! Grouping names into actors ("Nicolas Maduro", later "Maduro"): the
//! coreference step of automatic finding, and the one rule ([`roots`])
//! that both one article's mentions and a run's articles are grouped by,
//! so that an article reads the same alone or as a corpus of one.

use super::super::{fold, ActorKind};
use super::{Cand, HashMap};

/// A name to group: its folded words, its kind, and whether it is fixed —
/// given whole by the gazetteer, a pattern ("the Maduro regime") or the
/// user's list, so that it never joins a longer name nor hosts a shorter
/// one ("Union" in "Union leader Marta Lind" is not the European Union).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Name<'a> {
    pub words: &'a [String],
    pub kind: ActorKind,
    pub fixed: bool,
}

/// The names of one article's candidates grouped into actors: each
/// candidate's actor name and whether that name is fixed.
pub(super) fn group(cands: &[Cand]) -> Vec<(String, bool)> {
    let shown = |c: &Cand| c.canonical.clone().unwrap_or_else(|| c.text.clone());
    // Distinct names (folded words, kind, fixed) and the first candidate of
    // each, so the work grows with the number of different names, not of
    // mentions.
    let mut index: HashMap<(Vec<String>, ActorKind, bool), usize> = HashMap::default();
    let mut distinct: Vec<(Vec<String>, ActorKind, bool, usize)> = Vec::new();
    let mut of_cand: Vec<usize> = Vec::with_capacity(cands.len());
    for (i, c) in cands.iter().enumerate() {
        let fixed = c.canonical.is_some();
        let key = (shown(c).split_whitespace().map(fold).collect::<Vec<_>>(), c.kind, fixed);
        let d = *index.entry(key.clone()).or_insert_with(|| {
            distinct.push((key.0, key.1, key.2, i));
            distinct.len() - 1
        });
        of_cand.push(d);
    }
    let names: Vec<Name> = distinct.iter().map(|(words, kind, fixed, _)| Name { words, kind: *kind, fixed: *fixed }).collect();
    let root = roots(&names);
    let mut out: Vec<(String, bool)> = of_cand.iter().map(|&d| (shown(&cands[distinct[root[d]].3]), distinct[root[d]].2)).collect();
    // Identical names (up to accents and case) share the first spelling.
    let mut first: HashMap<String, String> = HashMap::default();
    for (o, _) in out.iter_mut() {
        let f = fold(o);
        o.clone_from(first.entry(f).or_insert_with(|| o.clone()));
    }
    out
}

/// For each name, the name whose actor it is (itself when none):
/// - a fixed name is its own;
/// - a name with the same words as a fixed name of its kind (or of no
///   stated kind), or one of unknown kind with the same words as a name of
///   known kind, is that name's, when all such names are one actor;
/// - else a name whose words occur, in order, inside longer names that
///   are not fixed (of its kind, or of any kind for an unknown name) is
///   the actor of the longest of them, when those are all one actor.
///
/// Hosts are followed to the end, so the result is the same whether the
/// names come from one article's mentions or from the actors of several:
/// grouping the actors of grouped names again changes nothing.
pub(crate) fn roots(names: &[Name]) -> Vec<usize> {
    // Which names hold each word, so the work grows with the names that
    // share a word, not with all pairs.
    let mut by_word: HashMap<&str, Vec<usize>> = HashMap::default();
    for (d, n) in names.iter().enumerate() {
        for w in n.words.iter() {
            let v = by_word.entry(w.as_str()).or_default();
            if v.last() != Some(&d) {
                v.push(d);
            }
        }
    }
    let contains = |long: &[String], short: &[String]| long.len() > short.len() && long.windows(short.len()).any(|w| w == short);
    // Hosts before their guests: longer names first, and among names of
    // the same words fixed ones, then known kinds, then unknown.
    let rank = |n: &Name| if n.fixed { 0 } else if n.kind != ActorKind::Unknown { 1 } else { 2 };
    let mut order: Vec<usize> = (0..names.len()).collect();
    order.sort_by_key(|&d| (std::cmp::Reverse(names[d].words.len()), rank(&names[d]), d));
    let mut root: Vec<usize> = (0..names.len()).collect();
    // The one actor of `hosts`, if they are one.
    let one = |hosts: &mut dyn Iterator<Item = usize>, root: &[usize]| -> Option<usize> {
        let mut actor = None;
        for h in hosts {
            match actor {
                None => actor = Some(root[h]),
                Some(a) if a != root[h] => return None,
                _ => {}
            }
        }
        actor
    };
    for d in order {
        let n = names[d];
        let Some(first) = n.words.first() else { continue };
        if n.fixed {
            continue;
        }
        let unknown = n.kind == ActorKind::Unknown;
        let sharing = &by_word[first.as_str()];
        let same = |h: &usize| {
            let o = &names[*h];
            let kinds_fit = o.kind == n.kind || o.kind == ActorKind::Other || (unknown && o.kind != ActorKind::Unknown);
            *h != d && o.words == n.words && kinds_fit && (o.fixed || unknown)
        };
        if let Some(a) = one(&mut sharing.iter().copied().filter(same), &root) {
            root[d] = a;
            continue;
        }
        let hosts: Vec<usize> = sharing
            .iter()
            .copied()
            .filter(|&h| !names[h].fixed && (names[h].kind == n.kind || unknown) && contains(names[h].words, n.words))
            .collect();
        let maximal = hosts.iter().copied().filter(|&h| !hosts.iter().any(|&g| contains(names[g].words, names[h].words)));
        if let Some(a) = one(&mut { maximal }, &root) {
            root[d] = a;
        }
    }
    root
}
