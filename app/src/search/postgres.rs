//! The embedded engine: PostgreSQL full-text search over `products.search_document` (GIN),
//! typo correction from `search_terms` (pg_trgm), facets counted in SQL.

use super::request::{FEW_RESULTS, Hits, ProductSuggestion, Request};
use super::terms::{self, Combine, Term};
use crate::error::AppResult;
use scan::scan;
use sqlx::PgPool;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

mod scan;

/// Candidate products considered for suggestions; bounds the work of a one-letter prefix.
const SUGGESTION_CANDIDATES: i64 = 300;

/// The engine, and the turns its searches take: at most `turns` run at once and the rest wait in
/// line. A search is the heaviest statement the storefront runs. With every connection of the
/// pool searching, PostgreSQL shared its cores among them all, so the searches that read the
/// most matches took several times their own time, and checkout waited for a connection behind
/// them.
#[derive(Clone, Debug)]
pub struct Postgres {
    turns: Arc<Semaphore>,
    waiting: Arc<AtomicUsize>,
}

impl Postgres {
    /// An engine running at most `turns` searches at once (at least one).
    pub fn new(turns: usize) -> Self {
        Self {
            turns: Arc::new(Semaphore::new(turns.max(1))),
            waiting: Arc::default(),
        }
    }

    /// Waits for a turn to search; the turn ends when the permit is dropped.
    pub async fn turn(&self) -> OwnedSemaphorePermit {
        let _waiting = Waiting::start(&self.waiting);
        Arc::clone(&self.turns)
            .acquire_owned()
            .await
            .expect("the turns are never closed")
    }

    /// Searches waiting for a turn now (`search_postgres_waiting` in `/metrics`).
    pub fn waiting(&self) -> usize {
        self.waiting.load(Ordering::Relaxed)
    }

    pub async fn search(&self, pool: &PgPool, request: &Request) -> AppResult<Hits> {
        let _turn = self.turn().await;
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

/// One search in line for a turn, counted until it has one or is abandoned.
struct Waiting<'a>(&'a AtomicUsize);

impl<'a> Waiting<'a> {
    fn start(count: &'a AtomicUsize) -> Self {
        count.fetch_add(1, Ordering::Relaxed);
        Self(count)
    }
}

impl Drop for Waiting<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::Relaxed);
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

#[cfg(test)]
mod tests {
    use super::Postgres;
    use std::time::Duration;

    #[tokio::test]
    async fn a_search_that_gives_up_waiting_leaves_the_line() {
        let engine = Postgres::new(1);
        let held = engine.turn().await;
        let gave_up = tokio::time::timeout(Duration::from_millis(50), engine.turn()).await;
        assert!(
            gave_up.is_err(),
            "a second turn was given while the only one was taken"
        );
        assert_eq!(engine.waiting(), 0, "an abandoned wait is still counted");
        drop(held);
        let _turn = tokio::time::timeout(Duration::from_secs(1), engine.turn())
            .await
            .expect("the turn is free again");
    }
}
