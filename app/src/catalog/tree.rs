//! The category tree, loaded whole (it is small) and walked in memory.

use super::model::{CategoryLink, CategoryNode};
use std::collections::HashMap;
use std::sync::Arc;
use uuid::Uuid;

#[derive(Debug, Clone)]
pub struct Category {
    pub id: Uuid,
    pub parent_id: Option<Uuid>,
    pub slug: String,
    pub name: String,
    pub description: String,
    pub featured: bool,
}

impl Category {
    pub fn link(&self) -> CategoryLink {
        CategoryLink {
            slug: self.slug.clone(),
            name: self.name.clone(),
        }
    }
}

/// All categories, with indexes by id, slug and parent.
#[derive(Debug, Default)]
pub struct CategoryTree {
    categories: Vec<Category>,
    by_id: HashMap<Uuid, usize>,
    by_slug: HashMap<String, usize>,
    children: HashMap<Option<Uuid>, Vec<usize>>,
    /// Categories by the words of their name (see `named`).
    by_name: HashMap<Vec<String>, Vec<usize>>,
    menu: Arc<Vec<CategoryNode>>,
    menu_html: std::sync::OnceLock<Arc<str>>,
}

impl CategoryTree {
    /// Builds the tree from rows already ordered by position then name.
    pub fn new(categories: Vec<Category>) -> Self {
        let mut tree = Self::default();
        for (i, c) in categories.iter().enumerate() {
            tree.by_id.insert(c.id, i);
            tree.by_slug.insert(c.slug.clone(), i);
            tree.children.entry(c.parent_id).or_default().push(i);
            tree.by_name.entry(name_words(&c.name)).or_default().push(i);
        }
        tree.categories = categories;
        tree.menu = Arc::new(tree.menu_below(None, 0));
        tree
    }

    pub fn get(&self, id: Uuid) -> Option<&Category> {
        self.by_id.get(&id).map(|&i| &self.categories[i])
    }

    pub fn by_slug(&self, slug: &str) -> Option<&Category> {
        self.by_slug.get(slug).map(|&i| &self.categories[i])
    }

    pub fn children(&self, id: Option<Uuid>) -> impl Iterator<Item = &Category> {
        self.children
            .get(&id)
            .into_iter()
            .flatten()
            .map(|&i| &self.categories[i])
    }

    /// The path from the root down to `id`, `id` included.
    pub fn path_to(&self, id: Uuid) -> Vec<&Category> {
        let mut path = Vec::new();
        let mut current = self.get(id);
        // The depth bound guards against a cycle that the schema does not forbid outright.
        while let Some(c) = current.filter(|_| path.len() < 32) {
            path.push(c);
            current = c.parent_id.and_then(|p| self.get(p));
        }
        path.reverse();
        path
    }

    /// `id` and every category below it.
    pub fn subtree_ids(&self, id: Uuid) -> Vec<Uuid> {
        let mut ids = vec![id];
        let mut next = 0;
        while next < ids.len() && ids.len() <= self.categories.len() {
            let parent = ids[next];
            ids.extend(self.children(Some(parent)).map(|c| c.id));
            next += 1;
        }
        ids
    }

    /// Categories whose name is `text` word for word ("kitchen", "Garden tools"), with their
    /// subtrees.
    pub fn named(&self, text: &str) -> Vec<Uuid> {
        let wanted = name_words(text);
        if wanted.is_empty() {
            return Vec::new();
        }
        self.by_name
            .get(&wanted)
            .into_iter()
            .flatten()
            .flat_map(|&i| self.subtree_ids(self.categories[i].id))
            .collect()
    }

    pub fn featured(&self) -> impl Iterator<Item = &Category> {
        self.categories.iter().filter(|c| c.featured)
    }

    /// The menu: roots with their descendants, built once with the tree.
    pub fn menu(&self) -> Arc<Vec<CategoryNode>> {
        self.menu.clone()
    }

    /// The menu as HTML, rendered by `render` the first time it is asked for.
    pub fn menu_html(&self, render: impl FnOnce(Arc<Vec<CategoryNode>>) -> String) -> Arc<str> {
        self.menu_html.get_or_init(|| render(self.menu()).into()).clone()
    }

    fn menu_below(&self, parent: Option<Uuid>, depth: usize) -> Vec<CategoryNode> {
        if depth >= 8 {
            return Vec::new();
        }
        self.children(parent)
            .map(|c| CategoryNode {
                slug: c.slug.clone(),
                name: c.name.clone(),
                children: self.menu_below(Some(c.id), depth + 1),
            })
            .collect()
    }

    pub fn all(&self) -> &[Category] {
        &self.categories
    }

    /// Every category as (slug, "Parent › Child"), in the order of those labels: what a
    /// form's category list offers.
    pub fn labelled(&self) -> Vec<(String, String)> {
        let mut all: Vec<(String, String)> = self
            .categories
            .iter()
            .map(|c| {
                let path: Vec<&str> = self.path_to(c.id).iter().map(|p| p.name.as_str()).collect();
                (c.slug.clone(), path.join(" › "))
            })
            .collect();
        all.sort_by(|a, b| a.1.cmp(&b.1));
        all
    }
}

/// The words of a category's name as a search reads them: folded, "s" on its own (of "Men's")
/// dropped.
fn name_words(text: &str) -> Vec<String> {
    crate::text::fold(text)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty() && *w != "s")
        .map(str::to_string)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn category(id: u128, parent: Option<u128>, slug: &str) -> Category {
        Category {
            id: Uuid::from_u128(id),
            parent_id: parent.map(Uuid::from_u128),
            slug: slug.into(),
            name: slug.to_uppercase(),
            description: String::new(),
            featured: id == 2,
        }
    }

    fn tree() -> CategoryTree {
        CategoryTree::new(vec![
            category(1, None, "clothing"),
            category(2, Some(1), "men"),
            category(3, Some(2), "t-shirts"),
            category(4, Some(1), "women"),
            category(5, None, "electronics"),
        ])
    }

    #[test]
    fn paths_and_subtrees() {
        let tree = tree();
        let path: Vec<_> = tree
            .path_to(Uuid::from_u128(3))
            .iter()
            .map(|c| c.slug.as_str())
            .collect();
        assert_eq!(path, ["clothing", "men", "t-shirts"]);
        let mut sub = tree.subtree_ids(Uuid::from_u128(1));
        sub.sort();
        assert_eq!(sub, [1, 2, 3, 4].map(Uuid::from_u128));
        assert_eq!(tree.subtree_ids(Uuid::from_u128(5)), [Uuid::from_u128(5)]);
    }

    #[test]
    fn menu_nests_children() {
        let menu = tree().menu();
        assert_eq!(menu.len(), 2);
        assert_eq!(menu[0].children[0].children[0].slug, "t-shirts");
        assert_eq!(
            tree().featured().map(|c| c.slug.as_str()).collect::<Vec<_>>(),
            ["men"]
        );
    }

    #[test]
    fn a_search_naming_a_category_finds_it_with_its_subtree() {
        let tree = tree();
        let ids = |text: &str| {
            tree.named(text)
                .into_iter()
                .map(|id| id.as_u128())
                .collect::<Vec<_>>()
        };
        assert_eq!(ids("men"), [2, 3]);
        assert_eq!(
            ids("  MEN'S "),
            [2, 3],
            "case, punctuation and the s of a possessive"
        );
        assert_eq!(ids("t-shirts"), [3]);
        assert!(ids("clothing men").is_empty(), "the whole name, word for word");
        assert!(ids("").is_empty() && ids("'s").is_empty());
    }

    #[test]
    fn a_cycle_does_not_hang() {
        let tree = CategoryTree::new(vec![category(1, Some(2), "a"), category(2, Some(1), "b")]);
        assert!(tree.path_to(Uuid::from_u128(1)).len() <= 32);
        assert!(tree.subtree_ids(Uuid::from_u128(1)).len() <= 3);
    }
}
