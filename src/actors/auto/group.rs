//! Grouping the name mentions of one article into actors ("Nicolas
//! Maduro", later "Maduro"): the coreference step of automatic finding.

use super::super::{fold, ActorKind};
use super::{Cand, HashMap};

/// The person names' grouping: a name whose words occur, in order, inside
/// exactly one longer name of the article is that longer name's mention.
pub(super) fn group(cands: &[Cand]) -> Vec<String> {
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
    let names: Vec<(&[String], ActorKind)> = distinct.iter().map(|(ws, k, _)| (ws.as_slice(), *k)).collect();
    let host_of = unique_hosts(&names);
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


/// For each distinct name (folded words, kind): the one longest name of the
/// same kind holding its words in order, if exactly one does.
pub(crate) fn unique_hosts(names: &[(&[String], ActorKind)]) -> Vec<Option<usize>> {
    // Which names hold each word, so the work grows with the names that
    // share a word, not with all pairs.
    let mut by_word: HashMap<&str, Vec<usize>> = HashMap::default();
    for (d, (ws, _)) in names.iter().enumerate() {
        for w in ws.iter() {
            let v = by_word.entry(w.as_str()).or_default();
            if v.last() != Some(&d) {
                v.push(d);
            }
        }
    }
    let contains = |long: &[String], short: &[String]| long.len() > short.len() && long.windows(short.len()).any(|w| w == short);
    let mut host_of: Vec<Option<usize>> = vec![None; names.len()];
    for (d, (ws, kind)) in names.iter().enumerate() {
        let Some(first) = ws.first() else { continue };
        // A name of unknown kind may join a name of any kind, and one of
        // known kind with the same words.
        let unknown = *kind == ActorKind::Unknown;
        let same = |h: usize| names[h].1 != ActorKind::Unknown && names[h].0 == *ws;
        if unknown {
            let known: Vec<usize> = by_word[first.as_str()].iter().copied().filter(|&h| same(h)).collect();
            if let [h] = known[..] {
                host_of[d] = Some(h);
                continue;
            }
        }
        let hosts: Vec<usize> = by_word[first.as_str()]
            .iter()
            .copied()
            .filter(|&h| (names[h].1 == *kind || unknown) && contains(names[h].0, ws))
            .collect();
        let maximal: Vec<usize> = hosts.iter().copied().filter(|&h| !hosts.iter().any(|&g| contains(names[g].0, names[h].0))).collect();
        if maximal.len() == 1 {
            host_of[d] = Some(maximal[0]);
        }
    }
    host_of
}
