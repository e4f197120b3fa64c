//! The category tree as the console edits it, and the changes an operator can make.

use serde::{Deserialize, Serialize};

/// How deep the tree may go: departments and four levels below them.
pub const MAX_DEPTH: usize = 5;

/// One category, in the tree's order (each after its parent, siblings by position).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CategoryRow {
    pub id: String,
    pub slug: String,
    pub name: String,
    pub description: String,
    /// 0 for a department.
    pub depth: u32,
    /// The parent's slug ("" for a department).
    pub parent: String,
    /// Products filed right here, and here or anywhere below.
    pub products: i64,
    pub products_below: i64,
    pub has_children: bool,
    /// First or last among its siblings (it can't move up or down past the end).
    pub first: bool,
    pub last: bool,
}

/// `/admin/categories`: the whole tree.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CategoryAdmin {
    pub rows: Vec<CategoryRow>,
}

/// A change to the tree. Categories are named by id; a parent by its slug ("" for the top).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "kebab-case")]
pub enum CategoryChange {
    /// A new category at the end of its parent's list; the handle is made from the name when
    /// empty.
    Create {
        name: String,
        slug: String,
        parent: String,
    },
    /// A new name and description (the handle, and so every link to it, stays).
    Edit {
        id: String,
        name: String,
        description: String,
    },
    /// Under another parent (never under itself or its own subcategories).
    Move { id: String, parent: String },
    /// One place earlier (`up`) or later (`down`) among its siblings.
    Shift { id: String, to: String },
    /// Only when it has no subcategories and no products.
    Delete { id: String },
}
