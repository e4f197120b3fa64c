//! What Meilisearch stores per product on sale, read from PostgreSQL: the text it searches, the
//! values it filters, sorts and counts facets by, in the forms that make each cheap.

use crate::text::fold;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// One product on sale, as indexed.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Document {
    pub id: Uuid,
    pub slug: String,
    pub title: String,
    /// Hyphenated words of the title written together ("t-shirt" → "tshirt"): Meilisearch
    /// splits "T-Shirt" into "t" and "shirt", so "tshrit" would be one typo away from nothing.
    /// Searched right after the title, so a T-shirt outranks a tee in the "T-Shirts" category.
    pub title_joined: Vec<String>,
    /// The same for options and categories, searched after them.
    pub joined: Vec<String>,
    /// Singulars of the plural words of the title and categories ("boots" → "boot"):
    /// Meilisearch does not stem, and "boot" would otherwise match "Boots" only as a prefix, no
    /// better than "Bootcut".
    pub stems: Vec<String>,
    pub description: String,
    /// Category names from the root down.
    pub categories: Vec<String>,
    pub category_id: Uuid,
    pub vendor: String,
    pub vendor_slug: String,
    pub vendor_id: Uuid,
    pub options: Vec<String>,
    pub price_min: i64,
    /// The price facet's buckets this price falls in (their positions; bounds are inclusive, so
    /// a price on a boundary is in both), counted as one facet instead of a search per bucket.
    pub price_bands: Vec<u8>,
    pub in_stock: bool,
    /// Average rating; 0 when unrated.
    pub rating: f64,
    /// The star levels this rating reaches (4.3 → 1, 2, 3, 4): "N stars & up" is `stars = N`,
    /// and counting the facet's four values gives every level's count at once.
    pub stars: Vec<u8>,
    pub review_count: i32,
    /// Microseconds since 1970, as precise as PostgreSQL's ordering of equal-second products.
    pub created_at: i64,
}

/// A product on sale as PostgreSQL has it, before the derived fields.
pub(super) struct Row {
    pub id: Uuid,
    pub slug: String,
    pub title: String,
    pub description: String,
    pub categories: Vec<String>,
    pub category_id: Uuid,
    pub vendor: String,
    pub vendor_slug: String,
    pub vendor_id: Uuid,
    pub options: Vec<String>,
    pub price_min: i64,
    pub in_stock: bool,
    pub rating: f64,
    pub review_count: i32,
    pub created_at: i64,
}

impl Row {
    pub(super) fn into_document(self, buckets: &[(i64, Option<i64>)]) -> Document {
        let title_joined = hyphenated(&self.title);
        let mut joined: Vec<String> = self
            .options
            .iter()
            .chain(&self.categories)
            .flat_map(|text| hyphenated(text))
            .filter(|word| !title_joined.contains(word))
            .collect();
        joined.sort();
        joined.dedup();
        let mut stems: Vec<String> = std::iter::once(&self.title)
            .chain(&self.categories)
            .flat_map(|text| {
                fold(text)
                    .split(|c: char| !c.is_ascii_alphanumeric())
                    .filter_map(singular)
                    .collect::<Vec<_>>()
            })
            .collect();
        stems.sort();
        stems.dedup();
        Document {
            stems,
            title_joined,
            joined,
            price_bands: bands(self.price_min, buckets),
            stars: (1..=4).filter(|s| self.rating >= f64::from(*s)).collect(),
            id: self.id,
            slug: self.slug,
            title: self.title,
            description: self.description,
            categories: self.categories,
            category_id: self.category_id,
            vendor: self.vendor,
            vendor_slug: self.vendor_slug,
            vendor_id: self.vendor_id,
            options: self.options,
            price_min: self.price_min,
            in_stock: self.in_stock,
            rating: self.rating,
            review_count: self.review_count,
            created_at: self.created_at,
        }
    }
}

/// The words of `text` written with hyphens, without them: "Hi-Fi Over-Ear" → hifi, overear.
fn hyphenated(text: &str) -> Vec<String> {
    fold(text)
        .split(|c: char| !(c.is_alphanumeric() || c == '-'))
        .map(|w| w.trim_matches('-'))
        .filter(|w| w.contains('-'))
        .map(|w| w.replace('-', ""))
        .collect()
}

/// The singular of an English plural ("candles" → "candle", "dresses" → "dress", "accessories"
/// → "accessory"), or `None` for a word that does not look like one.
fn singular(word: &str) -> Option<String> {
    if word.len() > 4 && word.ends_with("ies") {
        return Some(format!("{}y", &word[..word.len() - 3]));
    }
    if ["sses", "shes", "ches", "xes"]
        .iter()
        .any(|end| word.ends_with(end))
    {
        return Some(word[..word.len() - 2].to_string());
    }
    let plural = word.len() > 3
        && word.ends_with('s')
        && !["ss", "us", "is", "as"].iter().any(|end| word.ends_with(end));
    plural.then(|| word[..word.len() - 1].to_string())
}

/// Positions (from 1) of the buckets `price` falls in, bounds included.
pub(super) fn bands(price: i64, buckets: &[(i64, Option<i64>)]) -> Vec<u8> {
    buckets
        .iter()
        .zip(1u8..)
        .filter(|((low, high), _)| price >= *low && high.is_none_or(|h| price <= h))
        .map(|(_, n)| n)
        .collect()
}

/// Documents of products on sale: those in `ids`, or a batch of all of them after `after`.
pub(super) async fn documents(
    db: impl sqlx::PgExecutor<'_>,
    ids: Option<&[Uuid]>,
    after: Option<Uuid>,
    limit: i64,
    buckets: &[(i64, Option<i64>)],
) -> sqlx::Result<Vec<Document>> {
    let rows = sqlx::query_as!(
        Row,
        r#"select p.id, p.slug, p.title, p.description,
                  coalesce((with recursive up (id, parent_id, name, depth) as (
                               select id, parent_id, name, 0 from categories where id = p.category_id
                               union all
                               select c.id, c.parent_id, c.name, up.depth + 1
                                 from categories c join up on c.id = up.parent_id where up.depth < 8)
                            select array_agg(name order by depth desc) from up), '{}') as "categories!",
                  p.category_id, v.name as vendor, v.slug as vendor_slug, v.id as vendor_id,
                  coalesce((select array_agg(distinct value) from variants x cross join unnest(x.option_values) value
                             where x.product_id = p.id), '{}') as "options!",
                  p.price_min as "price_min!", p.in_stock,
                  coalesce(p.rating_avg, 0)::float8 as "rating!", p.review_count,
                  (extract(epoch from p.created_at) * 1000000)::bigint as "created_at!"
             from products p join vendors v on v.id = p.vendor_id
            where p.status = 'active' and v.status = 'approved' and p.price_min is not null
              and ($1::uuid[] is null or p.id = any($1))
              and ($2::uuid is null or p.id > $2)
            order by p.id
            limit $3"#,
        ids,
        after,
        limit
    )
    .fetch_all(db)
    .await?;
    Ok(rows.into_iter().map(|r| r.into_document(buckets)).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hyphenated_words_are_also_written_together() {
        assert_eq!(
            hyphenated("Aurora Hi-Fi Over-Ear T-Shirt -x- crème-brûlée"),
            ["hifi", "overear", "tshirt", "cremebrulee"]
        );
        assert!(hyphenated("Plain words only").is_empty());
    }

    #[test]
    fn plurals_have_their_singulars() {
        let singulars: Vec<Option<String>> = [
            "boots",
            "dresses",
            "accessories",
            "watches",
            "glass",
            "canvas",
            "tee",
            "jeans",
        ]
        .into_iter()
        .map(singular)
        .collect();
        let expected = [
            Some("boot"),
            Some("dress"),
            Some("accessory"),
            Some("watch"),
            None,
            None,
            None,
            Some("jean"),
        ];
        assert_eq!(singulars, expected.map(|s| s.map(String::from)));
    }

    #[test]
    fn a_price_on_a_boundary_is_in_both_buckets() {
        let buckets = [(0, Some(2500)), (2500, Some(5000)), (5000, None)];
        assert_eq!(bands(1999, &buckets), [1]);
        assert_eq!(bands(2500, &buckets), [1, 2]);
        assert_eq!(bands(900_000, &buckets), [3]);
    }
}
