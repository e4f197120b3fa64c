//! The shape of the code: no two files of `app` or `server` import each other, directly or round
//! a circle (docs/ARCHITECTURE.md). Read from the sources the way a reader follows them: every
//! `crate::a::b` and `super::c` path names the deepest file module it reaches.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

type Module = Vec<String>;

/// Every file module under `root`, by its path (`catalog/cache` for `catalog/cache.rs`).
fn modules(root: &Path) -> BTreeMap<Module, PathBuf> {
    let mut found = BTreeMap::new();
    let mut pending = vec![root.to_path_buf()];
    while let Some(dir) = pending.pop() {
        for entry in std::fs::read_dir(&dir).expect("the source folder is readable") {
            let path = entry.expect("a directory entry").path();
            if path.is_dir() {
                pending.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let relative = path
                    .strip_prefix(root)
                    .expect("under the root")
                    .with_extension("");
                let mut name: Module = relative
                    .iter()
                    .map(|p| p.to_string_lossy().into_owned())
                    .collect();
                if name.last().is_some_and(|n| n == "mod") || name == ["lib"] || name == ["main"] {
                    name.pop();
                }
                found.insert(name, path);
            }
        }
    }
    found
}

/// The code of a file without its comments and its unit tests.
fn code(path: &Path) -> String {
    let text = std::fs::read_to_string(path).expect("a source file is readable");
    let text = text.split("#[cfg(test)]\nmod tests").next().unwrap_or_default();
    text.lines()
        .filter(|line| !line.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The paths a file names after `crate::` and `super::`, made absolute, with one entry per
/// item of a `{...}` group.
fn named_paths(module: &Module, text: &str) -> Vec<Module> {
    let mut paths = Vec::new();
    for (prefix, base) in [
        ("crate::", Vec::new()),
        ("super::", module[..module.len().saturating_sub(1)].to_vec()),
    ] {
        for (at, _) in text.match_indices(prefix) {
            let before = text[..at].chars().next_back();
            if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == ':') {
                continue;
            }
            let rest = &text[at + prefix.len()..];
            let mut path = base.clone();
            let mut chars = rest;
            loop {
                let word: String = chars
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                if word.is_empty() {
                    break;
                }
                path.push(word.clone());
                chars = &chars[word.len()..];
                if let Some(next) = chars.strip_prefix("::") {
                    chars = next;
                } else {
                    break;
                }
            }
            if let Some(group) = chars.strip_prefix('{') {
                let group = group.split('}').next().unwrap_or_default();
                for item in group.split(',') {
                    let first = item
                        .trim()
                        .split("::")
                        .next()
                        .unwrap_or_default()
                        .trim()
                        .to_string();
                    if !first.is_empty() && first != "self" {
                        let mut each = path.clone();
                        each.push(first);
                        paths.push(each);
                    }
                }
            }
            paths.push(path);
        }
    }
    paths
}

/// The import graph between the file modules under `root`.
fn graph(root: &Path) -> BTreeMap<Module, BTreeSet<Module>> {
    let all = modules(root);
    let mut edges: BTreeMap<Module, BTreeSet<Module>> = BTreeMap::new();
    for (module, path) in &all {
        let targets = edges.entry(module.clone()).or_default();
        for mut named in named_paths(module, &code(path)) {
            while !named.is_empty() && !all.contains_key(&named) {
                named.pop();
            }
            // A file naming its own ancestors (`super::Thing` in a child) is not a circle.
            if !named.is_empty() && !module.starts_with(&named) {
                targets.insert(named);
            }
        }
    }
    edges
}

/// The circles of `edges`, each as the files on it (strongly connected components > 1).
fn circles(edges: &BTreeMap<Module, BTreeSet<Module>>) -> Vec<Vec<String>> {
    fn reach(edges: &BTreeMap<Module, BTreeSet<Module>>, from: &Module) -> BTreeSet<Module> {
        let mut seen = BTreeSet::new();
        let mut pending = vec![from.clone()];
        while let Some(next) = pending.pop() {
            for to in edges.get(&next).into_iter().flatten() {
                if seen.insert(to.clone()) {
                    pending.push(to.clone());
                }
            }
        }
        seen
    }
    let reached: BTreeMap<&Module, BTreeSet<Module>> = edges.keys().map(|m| (m, reach(edges, m))).collect();
    let mut found: BTreeSet<Vec<String>> = BTreeSet::new();
    for (module, from_here) in &reached {
        let circle: Vec<String> = from_here
            .iter()
            .filter(|other| reached.get(other).is_some_and(|back| back.contains(*module)))
            .map(|m| m.join("/"))
            .collect();
        if !circle.is_empty() {
            found.insert(circle);
        }
    }
    found.into_iter().collect()
}

fn crate_source(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join(name)
        .join("src")
}

#[test]
fn no_two_files_import_each_other() {
    for name in ["app", "server"] {
        let edges = graph(&crate_source(name));
        assert!(edges.len() > 20, "{name}: the sources were not found");
        assert_eq!(
            circles(&edges),
            Vec::<Vec<String>>::new(),
            "{name}: files importing each other"
        );
    }
}

#[test]
fn a_circle_is_found() {
    let module = |p: &str| -> Module { p.split('/').map(String::from).collect() };
    let mut edges = BTreeMap::new();
    edges.insert(
        module("cart/owner"),
        BTreeSet::from([module("accounts/identity")]),
    );
    edges.insert(
        module("accounts/identity"),
        BTreeSet::from([module("cart/owner")]),
    );
    edges.insert(module("catalog/tree"), BTreeSet::from([module("cart/owner")]));
    assert_eq!(
        circles(&edges),
        vec![vec!["accounts/identity".to_string(), "cart/owner".to_string()]]
    );
    let named = named_paths(
        &module("orders/payment"),
        "use super::transitions::{lock, move_stock};\nuse crate::money::refunds::refund;",
    );
    assert!(named.contains(&module("orders/transitions/lock")), "{named:?}");
    assert!(named.contains(&module("money/refunds/refund")), "{named:?}");
}
