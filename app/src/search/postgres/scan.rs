//! The one-pass search: a page of results, the total and every facet, in one statement.

use super::super::request::{Hits, Request};
use sqlx::PgPool;
use std::ops::Range;
use uuid::Uuid;

/// One row of the scan: a product of the page (`hit`, its place in `count`), the total, or the
/// count of one facet value (for prices, of a pair of bucket numbers: `price_buckets`).
struct Row {
    facet: String,
    value: Option<String>,
    count: i64,
}

/// The scan's statement, with what decides relevance and the matches spliced in, and its
/// arguments: `$1` the categories the text names, `$20` and `$21` for a text search its
/// tsquery and the words that rank.
///
/// A search with text and a listing without are two statements, not one with `$1 is null or
/// …`: each is then one plan that PostgreSQL can keep (a generic plan). With both in one, the
/// only plan that fits every case scans the whole table, so every search was planned anew,
/// a fifth of PostgreSQL's time per search page. The tsqueries are sub-selects so that a kept
/// plan parses them once per search, not once per row.
macro_rules! scan_query {
    ($relevance:literal, $matching:literal, $request:expr, $named:expr, $lows:expr, $highs:expr $(, $text:expr)*) => {{
        let (request, f) = ($request, &$request.filters);
        sqlx::query_as!(
            Row,
            r#"with m as materialized (
               select p.id, p.category_id, p.vendor_id, p.price_min, p.in_stock, p.rating_avg,
                      p.created_at,
                      -- The order's first key, larger first, computed for the chosen sort only:
                      -- relevance, the costliest, only when sorting by it.
                      case $10 when 'relevance' then (
                          -- The whole query names a category: that intent outweighs a title word.
                          case when p.category_id = any($1) then 3 else 0 end + "#
                + $relevance
                + r#")::float8
                        when 'price-asc' then -p.price_min::float8
                        when 'price-desc' then p.price_min::float8
                        when 'rating' then p.rating_avg::float8 end as ranking,
                      case when $10 in ('rating', 'relevance') then p.review_count end as reviews,
                      ($3::uuid[] is null or p.category_id = any($3)) as f_category,
                      (cardinality($5::text[]) = 0
                       or p.vendor_id = any(array(select id from vendors where slug = any($5)))) as f_vendor,
                      (($6::bigint is null or p.price_min >= $6) and ($7::bigint is null or p.price_min <= $7)) as f_price,
                      (not $8 or p.in_stock) as f_stock,
                      ($9::integer is null or p.rating_avg >= $9) as f_rating
                 from products p
                -- Not a join with the vendors: the kept plan, expecting few matches, scanned
                -- them once per match. The shops not approved are a hash looked up per match.
                where p.status = 'active' and p.price_min is not null
                  and p.vendor_id not in (select id from vendors where status <> 'approved')
                  and ($2::uuid[] is null or p.category_id = any($2))
                  and ($4::uuid is null or p.vendor_id = $4)
                  and "#
                + $matching
                + r#"),
           -- Every count in one pass over the matches: a grouping set per facet, and the empty
           -- set for the total, in stock and the star levels. Each facet's counts apply every
           -- filter but its own (disjunctive faceting). A facet not asked for groups into one
           -- row, left out below. `left_out` has a bit for each key a row is not grouped by:
           -- 3 a category's row, 5 a shop's, 6 a price pair's, 7 the whole.
           counted as materialized (
               select grouping(category, vendor, lows) as left_out, category, vendor, lows, highs,
                      count(*) filter (where f_vendor and f_price and f_stock and f_rating) as for_category,
                      count(*) filter (where f_category and f_price and f_stock and f_rating) as for_vendor,
                      count(*) filter (where f_category and f_vendor and f_stock and f_rating) as for_price,
                      count(*) filter (where f_category and f_vendor and f_price and f_stock and f_rating) as total,
                      count(*) filter (where in_stock and f_category and f_vendor and f_price and f_rating) as in_stock,
                      -- A product counts for every star level up to its rating (unrated: none).
                      count(*) filter (where rating_avg >= 1 and f_category and f_vendor and f_price and f_stock) as one,
                      count(*) filter (where rating_avg >= 2 and f_category and f_vendor and f_price and f_stock) as two,
                      count(*) filter (where rating_avg >= 3 and f_category and f_vendor and f_price and f_stock) as three,
                      count(*) filter (where rating_avg >= 4 and f_category and f_vendor and f_price and f_stock) as four
                 from (select m.*,
                              case when $15 then category_id end as category,
                              case when $16 then vendor_id end as vendor,
                              -- Each product counts in every bucket its price falls in (bounds are
                              -- inclusive): those from the last whose low it reaches back to the
                              -- first whose high it is within, counted here as that pair of bucket
                              -- numbers ("lows:highs", see `price_buckets`).
                              case when $17 then width_bucket(price_min, $13) end as lows,
                              case when $17 then width_bucket(price_min - 1, $14) end as highs
                         from m) c
                group by grouping sets ((category), (vendor), (lows, highs), ()))
           -- The page's products: the best matches kept while reading them (a top-N sort),
           -- then numbered in the same order; not every match sorted.
           select 'hit' as "facet!", id::text as value, ord as "count!"
             from (select id, $11 + row_number() over (
                          order by ranking desc nulls last, reviews desc, created_at desc, id) as ord
                     from (select id, ranking, reviews, created_at from m
                            where f_category and f_vendor and f_price and f_stock and f_rating
                            order by ranking desc nulls last, reviews desc, created_at desc, id
                            limit $12 offset $11) page) ranked
           union all
           select 'total', null, total from counted where left_out = 7
           union all
           select 'category', category::text, for_category from counted
            where $15 and left_out = 3 and for_category > 0
           union all
           select 'vendor', v.slug, c.for_vendor from counted c join vendors v on v.id = c.vendor
            where $16 and c.left_out = 5 and c.for_vendor > 0
           union all
           select 'price', lows || ':' || highs, for_price from counted
            where $17 and left_out = 6 and for_price > 0
           union all
           select 'in_stock', null, in_stock from counted where $18 and left_out = 7
           union all
           select 'rating', r.stars::text, r.n
             from counted cross join lateral (values (1, one), (2, two), (3, three), (4, four)) as r (stars, n)
            where $19 and left_out = 7 and r.n > 0"#,
            $named,
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
            $lows,
            $highs,
            request.facets.categories,
            request.facets.vendors,
            request.facets.prices,
            request.facets.in_stock,
            request.facets.ratings,
            $($text),*
        )
    }};
}

/// One page of results, the total and every facet, from a single pass over the matches.
///
/// Relevance: a title with every word first, then how many of the `words` the title has and how
/// close together, the category the text names (if any), then how well reviewed. Matching uses
/// the whole document (categories, vendor, options, description); ranking only the short title
/// vector. Each facet's counts apply every filter except its own, so they are the counts a
/// shopper gets by choosing that value (disjunctive faceting). Facets not asked for
/// (`Request::facets`) are skipped (parameters that are false).
pub async fn scan(
    pool: &PgPool,
    request: &Request,
    tsquery: Option<&str>,
    words: Option<&str>,
) -> sqlx::Result<Hits> {
    let lows: Vec<i64> = request.price_buckets.iter().map(|b| b.0).collect();
    // The open-ended bucket's upper bound as a number no price reaches.
    let highs: Vec<i64> = request
        .price_buckets
        .iter()
        .map(|b| b.1.unwrap_or(i64::MAX))
        .collect();
    let rows = match tsquery {
        Some(tsquery) => {
            let words = words.unwrap_or(tsquery);
            scan_query!(
                // Only a title with one of the words ranks above 0: `ts_rank_cd` is the costliest
                // step per match, and many matches have the words elsewhere (a shop's name). A
                // title with every word (`$20`) has one of them (`$21`, any word), so its bonus
                // stays inside.
                r#"(case when p.title_document @@ (select to_tsquery('marketplace', $21))
                         then ts_rank_cd(p.title_document, (select to_tsquery('marketplace', $21)))
                              + case when p.title_document @@ (select to_tsquery('marketplace', $20)) then 2 else 0 end
                         else 0 end)"#,
                r#"p.search_document @@ (select to_tsquery('marketplace', $20))"#,
                request,
                &request.filters.named_categories,
                &lows,
                &highs,
                tsquery,
                words
            )
            .fetch_all(pool)
            .await?
        }
        // Without words nothing ranks, not even a category the text names (in letters the
        // words' alphabet leaves out).
        None => {
            scan_query!("0", "true", request, &[] as &[Uuid], &lows, &highs)
                .fetch_all(pool)
                .await?
        }
    };

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
                for bucket in price_buckets(&value).unwrap_or_default() {
                    if let Some(slot) = facets.prices.get_mut(bucket) {
                        *slot += count as u64;
                    }
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

/// The price buckets (indexes into `Request::price_buckets`) of a price row's "lows:highs": the
/// number of buckets whose low the prices reach and the number whose high is below them. The
/// buckets' lows and highs both ascend, so a price is in the buckets after the second number up
/// to the first.
fn price_buckets(value: &str) -> Option<Range<usize>> {
    let (lows, highs) = value.split_once(':')?;
    let (lows, highs): (usize, usize) = (lows.parse().ok()?, highs.parse().ok()?);
    Some(highs..lows.max(highs))
}

#[cfg(test)]
mod tests {
    use super::price_buckets;

    #[test]
    fn a_price_row_stands_for_the_buckets_between_its_two_counts() {
        // Buckets 0–25, 25–50, 50–100: 30 reaches two lows and is above one high.
        assert_eq!(price_buckets("2:1"), Some(1..2));
        // 25 itself reaches two lows and is above no high: the first two buckets.
        assert_eq!(price_buckets("2:0"), Some(0..2));
        // Below every bucket, or a row not of this form: no bucket.
        assert_eq!(price_buckets("0:0"), Some(0..0));
        assert_eq!(price_buckets("1:3"), Some(3..3));
        assert_eq!(price_buckets("2"), None);
        assert_eq!(price_buckets("a:1"), None);
    }
}
