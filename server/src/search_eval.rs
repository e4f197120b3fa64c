//! Search relevance, measured: a committed set of queries over the demo catalog, each with what
//! a shopper would accept in the top results, scored as precision@5 for any engine.

pub mod facet_costs;

use anyhow::Context;
use app::catalog::listing::{Scope, find};
use app::catalog::query::{ListingQuery, Sort};
use app::state::AppState;
use app::text::fold;
use serde::Deserialize;
use std::fmt;
use uuid::Uuid;

/// Results judged per query.
pub const TOP: u32 = 5;
/// Precision a case must reach unless it says otherwise.
pub const DEFAULT_MIN: f64 = 0.8;

#[derive(Debug, Clone, Deserialize)]
pub struct Case {
    pub query: String,
    /// What the query tests: exact, typo, plural, accent, multi-word, vendor, category, option.
    pub kind: String,
    pub relevant: Criteria,
    /// Precision this case must reach (default `DEFAULT_MIN`).
    pub min: Option<f64>,
}

/// What makes a result relevant; every criterion given must hold.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct Criteria {
    /// Phrases that must all appear in the title (case and accents ignored).
    #[serde(default)]
    pub title: Vec<String>,
    /// A category the product is in (at any depth).
    pub category: Option<String>,
    pub vendor: Option<String>,
    /// An option value one of its variants has.
    pub option: Option<String>,
}

/// The committed set.
pub fn cases() -> anyhow::Result<Vec<Case>> {
    serde_json::from_str(include_str!("search_eval/relevance.json")).context("relevance.json is malformed")
}

#[derive(Debug, Clone)]
pub struct Score {
    pub case: Case,
    pub precision: f64,
    /// Titles of the top results, for reading a miss.
    pub top: Vec<String>,
}

impl Score {
    pub fn passes(&self) -> bool {
        self.precision + 1e-9 >= self.case.min.unwrap_or(DEFAULT_MIN)
    }
}

pub struct Report(pub Vec<Score>);

impl Report {
    pub fn mean(&self) -> f64 {
        self.0.iter().map(|s| s.precision).sum::<f64>() / self.0.len().max(1) as f64
    }

    pub fn failures(&self) -> Vec<&Score> {
        self.0.iter().filter(|s| !s.passes()).collect()
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "{:<32} {:<11} {:>5}  top results", "query", "kind", "p@5")?;
        for s in &self.0 {
            let mark = if s.passes() { ' ' } else { '!' };
            writeln!(
                f,
                "{mark}{:<31} {:<11} {:>5.2}  {}",
                s.case.query,
                s.case.kind,
                s.precision,
                s.top.join(" | ")
            )?;
        }
        write!(
            f,
            "mean precision@{TOP}: {:.3} over {} queries",
            self.mean(),
            self.0.len()
        )
    }
}

/// Runs every case through the engine configured in `state`.
pub async fn evaluate(state: &AppState) -> anyhow::Result<Report> {
    let tree = state.catalog.tree(&state.pool).await?;
    let mut scores = Vec::new();
    for case in cases()? {
        let query = ListingQuery {
            q: case.query.clone(),
            sort: Sort::Relevance,
            page: 1,
            per_page: TOP,
            ..ListingQuery::default()
        };
        let found = find(state, &tree, &Scope::default(), &query).await?;
        let slugs: Vec<String> = found.listing.items.iter().map(|c| c.slug.clone()).collect();
        let facts = facts(state, &slugs).await?;
        let relevant = facts.iter().filter(|p| matches(p, &case.relevant)).count();
        scores.push(Score {
            precision: relevant as f64 / TOP as f64,
            top: facts.iter().map(|p| p.title.clone()).collect(),
            case,
        });
    }
    Ok(Report(scores))
}

struct Facts {
    title: String,
    vendor: String,
    categories: Vec<String>,
    options: Vec<String>,
}

/// What the criteria look at, for the products listed (in order).
async fn facts(state: &AppState, slugs: &[String]) -> anyhow::Result<Vec<Facts>> {
    let rows = sqlx::query!(
        r#"select p.title, v.slug as vendor, p.category_id,
                  coalesce((select array_agg(distinct value) from variants x cross join unnest(x.option_values) value
                             where x.product_id = p.id), '{}') as "options!"
             from unnest($1::text[]) with ordinality as s (slug, ord)
             join products p on p.slug = s.slug
             join vendors v on v.id = p.vendor_id
            order by s.ord"#,
        slugs
    )
    .fetch_all(&state.pool)
    .await?;
    let tree = state.catalog.tree(&state.pool).await?;
    Ok(rows
        .into_iter()
        .map(|r| Facts {
            title: r.title,
            vendor: r.vendor,
            categories: category_path(&tree, r.category_id),
            options: r.options,
        })
        .collect())
}

fn category_path(tree: &app::catalog::tree::CategoryTree, id: Uuid) -> Vec<String> {
    tree.path_to(id).into_iter().map(|c| c.slug.clone()).collect()
}

fn matches(product: &Facts, criteria: &Criteria) -> bool {
    let title = fold(&product.title);
    criteria.title.iter().all(|phrase| title.contains(&fold(phrase)))
        && criteria
            .category
            .as_ref()
            .is_none_or(|c| product.categories.contains(c))
        && criteria.vendor.as_ref().is_none_or(|v| &product.vendor == v)
        && criteria
            .option
            .as_ref()
            .is_none_or(|o| product.options.contains(o))
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_set_has_at_least_forty_queries_of_every_kind() {
        let cases = super::cases().unwrap();
        assert!(cases.len() >= 40);
        for kind in [
            "exact",
            "typo",
            "plural",
            "accent",
            "multi-word",
            "vendor",
            "category",
            "option",
        ] {
            assert!(cases.iter().any(|c| c.kind == kind), "no {kind} query");
        }
    }
}
