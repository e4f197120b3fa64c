//! The embedded engine: PostgreSQL full-text search over `products.search_document` (GIN),
//! typo correction from `search_terms` (pg_trgm), facets counted in SQL.

use super::request::{FEW_RESULTS, Hits, ProductSuggestion, Request};
use super::terms::{self, Combine, Term};
use crate::error::AppResult;
use sqlx::PgPool;
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
        Ok(scan(pool, request, tsquery, words).await?)
    }

    pub async fn suggest(
        &self,
        pool: &PgPool,
        text: &str,
        limit: usize,
    ) -> AppResult<Vec<ProductSuggestion>> {
        let terms: Vec<Term> = terms::analyse(pool, text).await?;
        if let [word] = terms.as_slice()
            && word.typed.len() >= terms::PREFIX_MIN
        {
            let found = completions(pool, word, limit).await?;
            // Fewer than asked: a rare prefix (cheap to scan for below) or products newer than
            // the last vocabulary refresh.
            if found.len() >= limit {
                return Ok(found);
            }
        }
        let Some(query) = terms::tsquery(&terms, Combine::All, "") else {
            return Ok(Vec::new());
        };
        let found = sqlx::query_as!(
            ProductSuggestion,
            r#"select c.slug as "slug!", c.title as "title!"
                 from (select p.slug, p.title, p.vendor_id, p.review_count, p.rating_avg from products p
                        where p.title_document @@ to_tsquery('marketplace', $1)
                          and p.status = 'active' and p.price_min is not null
                        limit $2) c
                 join vendors v on v.id = c.vendor_id and v.status = 'approved'
                order by c.review_count desc, c.rating_avg desc nulls last, c.title, c.slug
                limit $3"#,
            query,
            SUGGESTION_CANDIDATES,
            limit as i64
        )
        .fetch_all(pool)
        .await?;
        Ok(found)
    }
}

/// Suggestions for one word being typed: the most reviewed products among those the vocabulary
/// lists for the words it begins (its twenty most frequent completions) and for its
/// correction. Looks up a few hundred rows, where scanning the titles for the prefix would
/// gather every product with a word beginning with it.
async fn completions(pool: &PgPool, word: &Term, limit: usize) -> sqlx::Result<Vec<ProductSuggestion>> {
    sqlx::query_as!(
        ProductSuggestion,
        r#"with completions as (
               select term from search_terms
                where term like replace($1, '-', '') || '%' or term = replace($2, '-', '')
                order by frequency desc, term
                limit 20
           ), candidates as (
               select product_id from (select distinct on (s.product_id) s.product_id, s.review_count
                                         from completions c join search_term_products s on s.term = c.term
                                        order by s.product_id) d
                order by review_count desc
                limit $3
           )
           select p.slug, p.title
             from candidates c
             join products p on p.id = c.product_id and p.status = 'active' and p.price_min is not null
             join vendors v on v.id = p.vendor_id and v.status = 'approved'
            order by p.review_count desc, p.rating_avg desc nulls last, p.title, p.slug
            limit $4"#,
        word.typed,
        word.correction,
        (limit * 6) as i64,
        limit as i64
    )
    .fetch_all(pool)
    .await
}

/// One page of results, the total and every facet, from a single pass over the matches.
///
/// Relevance: a title with every word first, then how many of the `words` the title has and how
/// close together, the category the text names (if any), then how well reviewed. Matching uses
/// the whole document (categories, vendor, options, description); ranking only the short title
/// vector. Each facet's counts apply every filter except its own, so they are the counts a
/// shopper gets by choosing that value (disjunctive faceting). Facets not asked for
/// (`Request::facets`) are planned away (parameters that are false).
async fn scan(
    pool: &PgPool,
    request: &Request,
    tsquery: Option<&str>,
    words: Option<&str>,
) -> sqlx::Result<Hits> {
    let f = &request.filters;
    let lows: Vec<i64> = request.price_buckets.iter().map(|b| b.0).collect();
    // The open-ended bucket's upper bound as a number no price reaches.
    let highs: Vec<i64> = request
        .price_buckets
        .iter()
        .map(|b| b.1.unwrap_or(i64::MAX))
        .collect();
    let rows = sqlx::query!(
        r#"with q as (select case when $1::text is null then null else to_tsquery('marketplace', $1) end as tsq,
                             case when $2::text is null then null else to_tsquery('marketplace', $2) end as words),
           m as materialized (
               select p.id, p.category_id, v.slug as vendor, p.price_min, p.in_stock, p.rating_avg,
                      p.review_count, p.created_at,
                      case when q.tsq is null then 0
                           else case when p.title_document @@ q.tsq then 2 else 0 end
                                + ts_rank_cd(p.title_document, q.words)
                                -- The whole query names a category: that intent outweighs a title word.
                                + case when p.category_id = any($3) then 3 else 0 end
                      end as relevance,
                      ($5::uuid[] is null or p.category_id = any($5)) as f_category,
                      (cardinality($7::text[]) = 0 or v.slug = any($7)) as f_vendor,
                      (($8::bigint is null or p.price_min >= $8) and ($9::bigint is null or p.price_min <= $9)) as f_price,
                      (not $10 or p.in_stock) as f_stock,
                      ($11::integer is null or p.rating_avg >= $11) as f_rating
                 from products p
                 join vendors v on v.id = p.vendor_id
                cross join q
                where p.status = 'active' and v.status = 'approved' and p.price_min is not null
                  and (q.tsq is null or p.search_document @@ q.tsq)
                  and ($4::uuid[] is null or p.category_id = any($4))
                  and ($6::uuid is null or p.vendor_id = $6)),
           chosen as (select * from m where f_category and f_vendor and f_price and f_stock and f_rating)
           select 'hit' as "facet!", id::text as value, ord as "count!"
             from (select id, row_number() over (
                          order by case when $12 = 'relevance' then relevance end desc nulls last,
                                   case when $12 = 'price-asc' then price_min end asc,
                                   case when $12 = 'price-desc' then price_min end desc,
                                   case when $12 = 'rating' then rating_avg end desc nulls last,
                                   case when $12 in ('rating', 'relevance') then review_count end desc,
                                   created_at desc, id) as ord
                     from chosen) ranked
            where ord > $13 and ord <= $13 + $14
           union all
           select 'total', null, count(*) from chosen
           union all
           select 'category', category_id::text, count(*)
             from m where $17 and f_vendor and f_price and f_stock and f_rating group by category_id
           union all
           select 'vendor', vendor, count(*)
             from m where $18 and f_category and f_price and f_stock and f_rating group by vendor
           union all
           -- One pass: each product counts in every bucket its price falls in (bounds are inclusive).
           select 'price', b.n::text, count(*)
             from m cross join lateral unnest($15::bigint[], $16::bigint[]) with ordinality as b (low, high, n)
            where $19 and m.price_min between b.low and b.high and f_category and f_vendor and f_stock and f_rating
            group by b.n
           union all
           select 'in_stock', null, count(*)
             from m where $20 and in_stock and f_category and f_vendor and f_price and f_rating
           union all
           -- One pass: a product counts for every star level up to its rating (unrated: none).
           select 'rating', r.stars::text, r.n
             from (select count(*) filter (where rating_avg >= 1) as one,
                          count(*) filter (where rating_avg >= 2) as two,
                          count(*) filter (where rating_avg >= 3) as three,
                          count(*) filter (where rating_avg >= 4) as four
                     from m where $21 and f_category and f_vendor and f_price and f_stock) c
            cross join lateral (values (1, c.one), (2, c.two), (3, c.three), (4, c.four)) as r (stars, n)
            where r.n > 0"#,
        tsquery,
        words,
        &f.named_categories,
        f.scope.as_deref(),
        f.category.as_deref(),
        f.vendor,
        &f.vendors,
        f.min_price,
        f.max_price,
        f.in_stock,
        f.min_rating.map(i32::from),
        request.sort.param(),
        request.offset as i64,
        request.limit as i64,
        &lows,
        &highs,
        request.facets.categories,
        request.facets.vendors,
        request.facets.prices,
        request.facets.in_stock,
        request.facets.ratings,
    )
    .fetch_all(pool)
    .await?;

    let mut hits = Hits::default();
    hits.facets.prices = vec![0; request.price_buckets.len()];
    let mut page: Vec<(i64, Uuid)> = Vec::new();
    for row in rows {
        let count = row.count;
        let value = row.value.unwrap_or_default();
        let facets = &mut hits.facets;
        match row.facet.as_str() {
            "hit" => {
                if let Ok(id) = value.parse() {
                    page.push((count, id));
                }
            }
            "total" => hits.total = count as u64,
            "category" => {
                if let Ok(id) = value.parse() {
                    facets.categories.insert(id, count as u64);
                }
            }
            "vendor" => {
                facets.vendors.insert(value, count as u64);
            }
            "price" => {
                if let Some(slot) = value
                    .parse::<usize>()
                    .ok()
                    .and_then(|n| facets.prices.get_mut(n - 1))
                {
                    *slot = count as u64;
                }
            }
            "in_stock" => facets.in_stock = count as u64,
            "rating" => {
                if let Some(slot) = value
                    .parse::<usize>()
                    .ok()
                    .and_then(|r| facets.ratings.get_mut(r - 1))
                {
                    *slot = count as u64;
                }
            }
            _ => {}
        }
    }
    page.sort_unstable_by_key(|(ord, _)| *ord);
    hits.ids = page.into_iter().map(|(_, id)| id).collect();
    Ok(hits)
}
