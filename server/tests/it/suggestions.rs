//! Autocomplete on the embedded engine: a word being typed suggests the most reviewed
//! products of the words it begins, whatever the catalog's size.

use super::support::TestApp;
use sqlx::PgPool;

/// The slugs the engine suggests for `text`.
async fn suggested(app: &TestApp, text: &str) -> Vec<String> {
    let state = &app.state.app;
    let found = state.search.suggest(&state.pool, text, 5).await.unwrap();
    found.into_iter().map(|s| s.slug).collect()
}

/// The five most reviewed products with a title word beginning with `prefix`, found by
/// scanning every title: what suggestions must equal.
async fn most_reviewed(pool: &PgPool, prefix: &str) -> Vec<String> {
    sqlx::query_scalar(
        "select p.slug from products p join vendors v on v.id = p.vendor_id and v.status = 'approved'
          where p.title_document @@ to_tsquery('marketplace', $1 || ':*')
            and p.status = 'active' and p.price_min is not null
          order by p.review_count desc, p.rating_avg desc nulls last, p.title, p.slug limit 5",
    )
    .bind(prefix)
    .fetch_all(pool)
    .await
    .unwrap()
}

#[sqlx::test(migrations = "../migrations")]
async fn suggestions_are_the_most_reviewed_products_for_the_word_being_typed(pool: PgPool) {
    let app = TestApp::with_catalog(pool.clone(), 300).await;
    // The title word found in most products, typed half-way.
    let word: String = sqlx::query_scalar(
        "select t.word from search_terms t where t.word ~ '^[a-z]{6,}$'
          order by (select count(*) from products p
                     where p.title_document @@ plainto_tsquery('marketplace', t.word)) desc, t.word
          limit 1",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    let prefix = &word[..4];
    let expected = most_reviewed(&pool, prefix).await;
    assert_eq!(expected.len(), 5, "{word} is in more than five titles");
    assert_eq!(suggested(&app, prefix).await, expected, "typing {prefix}");

    // Popularity changes reach the candidates when the vocabulary is refreshed.
    let last: String = sqlx::query_scalar(
        "select p.slug from products p where p.title_document @@ plainto_tsquery('marketplace', $1)
          order by p.review_count, p.slug limit 1",
    )
    .bind(&word)
    .fetch_one(&pool)
    .await
    .unwrap();
    sqlx::query("update products set review_count = 1000000 where slug = $1")
        .bind(&last)
        .execute(&pool)
        .await
        .unwrap();
    let before = suggested(&app, prefix).await;
    assert!(
        !before.contains(&last),
        "candidates come from the last refresh: {before:?}"
    );
    app::search::terms::refresh(&pool).await.unwrap();
    let now = suggested(&app, prefix).await;
    assert_eq!(now[0], last, "the newly most reviewed comes first");
    assert_eq!(now, most_reviewed(&pool, prefix).await);

    // A product taken off sale is gone at once, before any refresh.
    sqlx::query("update products set status = 'draft' where slug = $1")
        .bind(&last)
        .execute(&pool)
        .await
        .unwrap();
    let after = suggested(&app, prefix).await;
    assert!(!after.contains(&last), "{after:?}");
    assert_eq!(after, most_reviewed(&pool, prefix).await);

    // A misspelt whole word suggests the products of the word it was corrected to.
    let typo = format!("{}{}{}", &word[..2], &word[3..4], &word[2..3]) + &word[4..];
    let corrected = suggested(&app, &typo).await;
    assert_eq!(corrected, most_reviewed(&pool, &word).await, "typing {typo}");
}
