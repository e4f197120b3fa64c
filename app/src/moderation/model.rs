//! What moderation sends between the server and the pages: why a shopper reports a product,
//! the console's list of products and one product with its reports, and what an operator
//! may do to it.

use crate::audit::AuditRow;
use serde::{Deserialize, Serialize};

/// Why a shopper reports a product. The key is what the database stores.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ReportReason {
    Counterfeit,
    Prohibited,
    Misleading,
    Offensive,
    Other,
}

impl ReportReason {
    pub const ALL: [ReportReason; 5] = [
        ReportReason::Counterfeit,
        ReportReason::Prohibited,
        ReportReason::Misleading,
        ReportReason::Offensive,
        ReportReason::Other,
    ];

    pub fn key(self) -> &'static str {
        match self {
            ReportReason::Counterfeit => "counterfeit",
            ReportReason::Prohibited => "prohibited",
            ReportReason::Misleading => "misleading",
            ReportReason::Offensive => "offensive",
            ReportReason::Other => "other",
        }
    }

    /// In the shopper's words.
    pub fn label(self) -> &'static str {
        match self {
            ReportReason::Counterfeit => "It looks counterfeit or infringes someone's rights",
            ReportReason::Prohibited => "It is not allowed to be sold (unsafe, illegal, recalled)",
            ReportReason::Misleading => "The listing is misleading or wrong",
            ReportReason::Offensive => "It is offensive or hateful",
            ReportReason::Other => "Something else",
        }
    }

    pub fn from_key(key: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.key() == key)
    }
}

/// The product a shopper is about to report, as the report page shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportTarget {
    pub slug: String,
    pub title: String,
    pub vendor: String,
    /// Whether this shopper has a report of it still open.
    pub already_reported: bool,
}

/// A product's standing in the console's list filter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum StatusFilter {
    #[default]
    Any,
    Draft,
    Active,
    Archived,
    Hidden,
}

impl StatusFilter {
    pub const ALL: [(StatusFilter, &'static str, &'static str); 5] = [
        (StatusFilter::Any, "", "Any status"),
        (StatusFilter::Draft, "draft", "Draft"),
        (StatusFilter::Active, "active", "Active"),
        (StatusFilter::Archived, "archived", "Archived"),
        (StatusFilter::Hidden, "hidden", "Hidden by an operator"),
    ];

    /// What anything but a known key means: any status.
    pub fn parse(key: &str) -> Self {
        Self::ALL
            .iter()
            .find(|(_, k, _)| *k == key)
            .map_or(Self::Any, |(f, _, _)| *f)
    }

    pub fn key(self) -> &'static str {
        Self::ALL
            .iter()
            .find(|(f, _, _)| *f == self)
            .map_or("", |(_, k, _)| k)
    }
}

/// One product in the console's list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ModeratedRow {
    pub id: String,
    pub slug: String,
    pub title: String,
    pub shop: String,
    pub category: String,
    pub status: String,
    pub price: String,
    pub in_stock: bool,
    pub open_reports: i64,
    pub created: String,
}

/// `/admin/products`: a page of products and the search that chose it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ModeratedList {
    pub rows: Vec<ModeratedRow>,
    pub total: i64,
    /// Part of the title, the handle or a SKU.
    pub q: String,
    /// Part of the shop's name.
    pub shop: String,
    /// A category's slug ("" for any); with its descendants.
    pub category: String,
    pub status: StatusFilter,
    /// Only products with open reports.
    pub reported: bool,
    pub page: u32,
    pub pages: u32,
    /// (slug, "Parent › Child") of every category.
    pub categories: Vec<(String, String)>,
}

/// A shopper's report as the console shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportRow {
    pub at: String,
    /// The reporter's email ("" when their account is gone).
    pub reporter: String,
    pub reason: String,
    pub note: String,
    /// "" while open; else "Hidden" or "Dismissed", with when and by whom.
    pub closed: String,
}

/// `/admin/products/:id`: one product, its standing, its reports and the log about it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ModeratedProduct {
    pub row: ModeratedRow,
    pub vendor_slug: String,
    /// (when, reason) while hidden.
    pub hidden: Option<(String, String)>,
    /// The status the shop chose, which comes back on reinstatement.
    pub listed_status: String,
    pub reports: Vec<ReportRow>,
    pub audit: Vec<AuditRow>,
}

/// What an operator may do to a product.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "kebab-case")]
pub enum Moderation {
    /// Off the storefront and out of search, with the reason the shop reads.
    Hide { reason: String },
    /// Back as the shop listed it.
    Reinstate,
    /// Close the open reports without acting on the product.
    Dismiss,
}
