//! The crate's top-level modules form no dependency cycle: no module uses
//! one that (directly or through others) uses it back. Edges are read from
//! the source: every `crate::NAME` outside comments in `src/NAME.rs` or
//! `src/NAME/**` is an edge to `NAME`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

type Graph = BTreeMap<String, BTreeSet<String>>;

fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// `crate::NAME` references in `code`, comment lines left out.
fn references(code: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for line in code.lines().filter(|l| !l.trim_start().starts_with("//")) {
        let line = line.split(" // ").next().unwrap_or(line);
        for (at, _) in line.match_indices("crate::") {
            // `stance::crate::` does not occur; a preceding identifier
            // character would make it a different word (`xcrate::`).
            if line[..at].chars().last().is_some_and(|c| c.is_alphanumeric() || c == '_') {
                continue;
            }
            let name: String = line[at + 7..].chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect();
            if !name.is_empty() {
                out.insert(name);
            }
        }
    }
    out
}

fn graph(src: &Path) -> Graph {
    let mut files = Vec::new();
    rust_files(src, &mut files);
    let mut g = Graph::new();
    for f in files {
        let rel = f.strip_prefix(src).unwrap();
        let top = rel.components().next().unwrap().as_os_str().to_string_lossy();
        let top = top.strip_suffix(".rs").unwrap_or(&top).to_string();
        if top == "lib" || top == "main" {
            continue;
        }
        let refs = references(&std::fs::read_to_string(&f).unwrap());
        let edges = g.entry(top.clone()).or_default();
        edges.extend(refs.into_iter().filter(|r| *r != top));
    }
    g
}

/// One cycle of `g`, as the list of its modules, if there is any.
fn find_cycle(g: &Graph) -> Option<Vec<String>> {
    fn visit(g: &Graph, n: &str, path: &mut Vec<String>, done: &mut BTreeSet<String>) -> Option<Vec<String>> {
        if let Some(i) = path.iter().position(|p| p == n) {
            let mut c = path[i..].to_vec();
            c.push(n.to_string());
            return Some(c);
        }
        if done.contains(n) {
            return None;
        }
        path.push(n.to_string());
        for m in g.get(n).into_iter().flatten() {
            if let Some(c) = visit(g, m, path, done) {
                return Some(c);
            }
        }
        path.pop();
        done.insert(n.to_string());
        None
    }
    let mut done = BTreeSet::new();
    g.keys().find_map(|n| visit(g, n, &mut Vec::new(), &mut done))
}

#[test]
fn no_module_uses_one_that_uses_it_back() {
    let g = graph(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src"));
    assert!(g.len() > 10 && g["predict"].contains("article"), "the source graph was not read: {g:?}");
    if let Some(c) = find_cycle(&g) {
        panic!("module dependency cycle: {}", c.join(" -> "));
    }
}

#[test]
fn the_cycle_finder_finds_cycles() {
    let g = |edges: &[(&str, &str)]| {
        let mut g = Graph::new();
        for (a, b) in edges {
            g.entry(a.to_string()).or_default().insert(b.to_string());
        }
        g
    };
    assert_eq!(find_cycle(&g(&[("predict", "output"), ("output", "predict")])).unwrap().len(), 3);
    assert!(find_cycle(&g(&[("a", "b"), ("b", "c"), ("c", "a")])).is_some());
    assert!(find_cycle(&g(&[("a", "b"), ("b", "c"), ("a", "c")])).is_none());
    assert_eq!(references("use crate::predict::Article; // crate::output\n// crate::input\nlet x = crate::text::Span;"), ["predict", "text"].map(String::from).into());
}
