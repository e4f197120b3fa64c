//! The embedded engine: PostgreSQL full-text search over `products.search_document` (GIN),
//! typo correction from `search_terms` (pg_trgm), facets counted in SQL.

use super::engine::{FEW_RESULTS, Filters, Hits, ProductSuggestion, RawFacets, Request};
use super::terms::{self, Combine, Term};
use crate::error::AppResult;
use sqlx::PgPool;
use std::collections::HashMap;
use uuid::Uuid;

/// Candidate products considered for suggestions; bounds the work of a one-letter prefix.
const SUGGESTION_CANDIDATES: i64 = 300;

#[derive(Clone, Copy, Debug, Default)]
pub struct Postgres;

impl Postgres {
    pub async fn search(&self, pool: &PgPool, request: &Request) -> AppResult<Hits> {
        let terms = terms::analyse(pool, &request.filters.text).await?;
        let all = terms::tsquery(&terms, Combine::All, "");
        let any = terms::tsquery(&terms, Combine::Any, "");
        let mut hits = self.run(pool, request, all.as_deref(), any.as_deref()).await?;
        if hits.total < FEW_RESULTS && terms.len() > 1 {
            // Products with more of the words still rank first (see `page`).
            let broader = self.run(pool, request, any.as_deref(), any.as_deref()).await?;
            if broader.total > hits.total {
                hits = Hits {
                    any_word: true,
                    ..broader
                };
            }
        }
        hits.corrected = terms::corrected(&terms);
        Ok(hits)
    }

    async fn run(
        &self,
        pool: &PgPool,
        request: &Request,
        tsquery: Option<&str>,
        words: Option<&str>,
    ) -> AppResult<Hits> {
        let (page, facets) = tokio::try_join!(
            page(pool, request, tsquery, words),
            facets(pool, &request.filters, &request.price_buckets, tsquery)
        )?;
        Ok(Hits {
            total: page.1,
            ids: page.0,
            facets,
            ..Hits::default()
        })
    }

    pub async fn suggest(
        &self,
        pool: &PgPool,
        text: &str,
        limit: usize,
    ) -> AppResult<Vec<ProductSuggestion>> {
        let terms: Vec<Term> = terms::analyse(pool, text).await?;
        let Some(query) = terms::tsquery(&terms, Combine::All, "A") else {
            return Ok(Vec::new());
        };
        let rows = sqlx::query!(
            r#"select p.slug, p.title
                 from (select p.id from products p
                        where p.search_document @@ to_tsquery('marketplace', $1)
                          and p.status = 'active' and p.price_min is not null
                        limit $2) c
                 join products p on p.id = c.id
                 join vendors v on v.id = p.vendor_id and v.status = 'approved'
                order by p.review_count desc, p.rating_avg desc nulls last, p.title
                limit $3"#,
            query,
            SUGGESTION_CANDIDATES,
            limit as i64
        )
        .fetch_all(pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(|r| ProductSuggestion {
                slug: r.slug,
                title: r.title,
            })
            .collect())
    }
}

/// The ids of one page of results, in order, and how many there are in all. Relevance is
/// cover density over the whole document (title weighs most), plus how many of the `words`
/// the title has, plus the category the text names, if any.
async fn page(
    pool: &PgPool,
    request: &Request,
    tsquery: Option<&str>,
    words: Option<&str>,
) -> sqlx::Result<(Vec<Uuid>, u64)> {
    let f = &request.filters;
    let rows = sqlx::query!(
        r#"with q as (select case when $1::text is null then null
                                  else to_tsquery('marketplace', $1) end as tsq,
                             case when $13::text is null then null
                                  else to_tsquery('marketplace', $13) end as words)
           select p.id, count(*) over () as "total!"
             from products p
             join vendors v on v.id = p.vendor_id
            cross join q
            where p.status = 'active' and v.status = 'approved' and p.price_min is not null
              and (q.tsq is null or p.search_document @@ q.tsq)
              and ($2::uuid[] is null or p.category_id = any($2))
              and ($3::uuid[] is null or p.category_id = any($3))
              and ($4::uuid is null or p.vendor_id = $4)
              and (cardinality($5::text[]) = 0 or v.slug = any($5))
              and ($6::bigint is null or p.price_min >= $6)
              and ($7::bigint is null or p.price_min <= $7)
              and (not $8 or p.in_stock)
              and ($9::integer is null or p.rating_avg >= $9)
            order by case when $10 = 'relevance' and q.tsq is not null
                          then ts_rank_cd('{0.1, 0.2, 0.4, 1.0}', p.search_document, q.tsq, 1)
                               + ts_rank('{0, 0, 0, 1.0}', p.search_document, q.words)
                               + case when p.category_id = any($14) then 1 else 0 end
                     end desc nulls last,
                     case when $10 = 'price-asc' then p.price_min end asc,
                     case when $10 = 'price-desc' then p.price_min end desc,
                     case when $10 = 'rating' then p.rating_avg end desc nulls last,
                     case when $10 in ('rating', 'relevance') then p.review_count end desc,
                     p.created_at desc, p.id
            limit $11 offset $12"#,
        tsquery,
        f.scope.as_deref(),
        f.category.as_deref(),
        f.vendor,
        &f.vendors,
        f.min_price,
        f.max_price,
        f.in_stock,
        f.min_rating.map(i32::from),
        request.sort.param(),
        request.limit as i64,
        request.offset as i64,
        words,
        &f.named_categories,
    )
    .fetch_all(pool)
    .await?;
    let total = rows.first().map(|r| r.total as u64);
    let ids: Vec<Uuid> = rows.into_iter().map(|r| r.id).collect();
    let total = match total {
        Some(total) => total,
        // Past the last page the window has no row to carry the total: count once.
        None if request.offset > 0 => {
            Box::pin(page(
                pool,
                &Request {
                    offset: 0,
                    limit: 1,
                    ..request.clone()
                },
                tsquery,
                words,
            ))
            .await?
            .1
        }
        None => 0,
    };
    Ok((ids, total))
}

/// Every facet in one query. Each facet's counts apply every filter except its own, so they
/// are the counts a shopper gets by choosing that value (disjunctive faceting).
async fn facets(
    pool: &PgPool,
    f: &Filters,
    buckets: &[(i64, Option<i64>)],
    tsquery: Option<&str>,
) -> sqlx::Result<RawFacets> {
    let lows: Vec<i64> = buckets.iter().map(|b| b.0).collect();
    // The open-ended bucket's upper bound as a number no price reaches.
    let highs: Vec<i64> = buckets.iter().map(|b| b.1.unwrap_or(i64::MAX)).collect();
    let rows = sqlx::query!(
        r#"with q as (select case when $1::text is null then null
                                  else to_tsquery('marketplace', $1) end as tsq),
           m as materialized (
               select p.category_id, v.slug as vendor, p.price_min, p.in_stock, p.rating_avg,
                      ($3::uuid[] is null or p.category_id = any($3)) as f_category,
                      (cardinality($5::text[]) = 0 or v.slug = any($5)) as f_vendor,
                      (($6::bigint is null or p.price_min >= $6) and ($7::bigint is null or p.price_min <= $7)) as f_price,
                      (not $8 or p.in_stock) as f_stock,
                      ($9::integer is null or p.rating_avg >= $9) as f_rating
                 from products p
                 join vendors v on v.id = p.vendor_id
                cross join q
                where p.status = 'active' and v.status = 'approved' and p.price_min is not null
                  and (q.tsq is null or p.search_document @@ q.tsq)
                  and ($2::uuid[] is null or p.category_id = any($2))
                  and ($4::uuid is null or p.vendor_id = $4))
           select 'category' as "facet!", category_id::text as value, count(*) as "count!"
             from m where f_vendor and f_price and f_stock and f_rating group by category_id
           union all
           select 'vendor', vendor, count(*)
             from m where f_category and f_price and f_stock and f_rating group by vendor
           union all
           select 'price', b.n::text, count(m.*)
             from unnest($10::bigint[], $11::bigint[]) with ordinality as b (low, high, n)
             left join m on m.price_min >= b.low and m.price_min <= b.high
                        and f_category and f_vendor and f_stock and f_rating
            group by b.n
           union all
           select 'in_stock', null, count(*)
             from m where in_stock and f_category and f_vendor and f_price and f_rating
           union all
           select 'rating', r::text, count(m.*)
             from generate_series(1, 4) r
             left join m on m.rating_avg >= r and f_category and f_vendor and f_price and f_stock
            group by r"#,
        tsquery,
        f.scope.as_deref(),
        f.category.as_deref(),
        f.vendor,
        &f.vendors,
        f.min_price,
        f.max_price,
        f.in_stock,
        f.min_rating.map(i32::from),
        &lows,
        &highs,
    )
    .fetch_all(pool)
    .await?;

    let mut facets = RawFacets {
        prices: vec![0; buckets.len()],
        categories: HashMap::new(),
        vendors: HashMap::new(),
        ..RawFacets::default()
    };
    for row in rows {
        let count = row.count as u64;
        let value = row.value.unwrap_or_default();
        match row.facet.as_str() {
            "category" => {
                if let Ok(id) = value.parse() {
                    facets.categories.insert(id, count);
                }
            }
            "vendor" => {
                facets.vendors.insert(value, count);
            }
            "price" => {
                if let Some(slot) = value
                    .parse::<usize>()
                    .ok()
                    .and_then(|n| facets.prices.get_mut(n - 1))
                {
                    *slot = count;
                }
            }
            "in_stock" => facets.in_stock = count,
            "rating" => {
                if let Some(slot) = value
                    .parse::<usize>()
                    .ok()
                    .and_then(|r| facets.ratings.get_mut(r - 1))
                {
                    *slot = count;
                }
            }
            _ => {}
        }
    }
    Ok(facets)
}
