//! Search on a real Meilisearch (see `meili`): the shared suite and relevance set, the same
//! listings and counts as PostgreSQL, settings applied once, failed tasks retried, and a
//! rebuild that swaps in a whole index.

use super::meili::server;
use super::search_suite::{relevance_set_holds, search, slugs_for, suite};
use app::catalog::query::{ListingQuery, Sort};
use app::search::engine::{INDEX_LOCK, SearchEngine};
use app::search::request::{Counted, Filters, Request, price_buckets};
use meilisearch_sdk::tasks::TasksSearchQuery;
use sqlx::PgPool;

#[sqlx::test(migrations = "../migrations")]
async fn the_meilisearch_engine_passes_the_suite(pool: PgPool) {
    let Some(meili) = server("the_meilisearch_engine_passes_the_suite") else {
        return;
    };
    let app = meili.app(pool, 600).await;
    suite(&app).await;
    let ready = app.get("/readyz").await;
    assert_eq!(ready.status, 200);
    assert!(
        ready.body.contains(
            r#""search":{"engine":"meilisearch","fallbacks":0,"serving":"meilisearch","status":"ok"}"#
        ),
        "{}",
        ready.body
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn the_relevance_set_holds_on_meilisearch(pool: PgPool) {
    let Some(meili) = server("the_relevance_set_holds_on_meilisearch") else {
        return;
    };
    let app = meili.app(pool, 2000).await;
    relevance_set_holds(&app).await;
}

/// Without text nothing is left to either engine's judgement: both list the same products in
/// the same order (the same tie-breakers: newest, then id) with the same total and facet counts.
#[sqlx::test(migrations = "../migrations")]
async fn without_text_both_engines_list_and_count_alike(pool: PgPool) {
    let Some(meili) = server("without_text_both_engines_list_and_count_alike") else {
        return;
    };
    let app = meili.app(pool.clone(), 600).await;
    let state = &app.state.app;
    let tree = state.catalog.tree(&pool).await.unwrap();
    let clothing = tree.by_slug("clothing").unwrap().id;
    let shops: Vec<String> =
        sqlx::query_scalar("select slug from vendors where status = 'approved' order by slug limit 2")
            .fetch_all(&pool)
            .await
            .unwrap();
    let unit = 100;
    let cases = [
        Filters::default(),
        Filters {
            category: Some(tree.subtree_ids(clothing)),
            ..Filters::default()
        },
        Filters {
            scope: Some(tree.subtree_ids(clothing)),
            in_stock: true,
            min_rating: Some(3),
            ..Filters::default()
        },
        Filters {
            vendors: shops.clone(),
            min_price: Some(25 * unit),
            max_price: Some(100 * unit),
            ..Filters::default()
        },
        Filters {
            vendors: shops[..1].to_vec(),
            min_rating: Some(4),
            ..Filters::default()
        },
    ];
    let postgres = SearchEngine::postgres(2);
    for filters in cases {
        for sort in [
            Sort::Relevance,
            Sort::Newest,
            Sort::PriceAsc,
            Sort::PriceDesc,
            Sort::Rating,
        ] {
            let some = Counted {
                categories: false,
                in_stock: false,
                ..Counted::ALL
            };
            for (offset, facets) in [(0, Counted::ALL), (24, Counted::ALL), (0, some)] {
                let request = Request {
                    filters: filters.clone(),
                    sort,
                    offset,
                    limit: 24,
                    price_buckets: price_buckets(state.site.currency),
                    facets,
                };
                let on_meili = state.search.search(&pool, &request).await.unwrap();
                let on_postgres = postgres.search(&pool, &request).await.unwrap();
                let case = format!("{filters:?} by {sort:?} from {offset}");
                assert!(on_postgres.total > 0, "{case}: a case that lists nothing");
                assert_eq!(on_meili.total, on_postgres.total, "{case}");
                assert_eq!(on_meili.ids, on_postgres.ids, "{case}");
                assert_eq!(on_meili.facets, on_postgres.facets, "{case}");
            }
        }
    }
}

#[sqlx::test(migrations = "../migrations")]
async fn settings_are_applied_once_and_put_back_when_changed(pool: PgPool) {
    let Some(meili) = server("settings_are_applied_once_and_put_back_when_changed") else {
        return;
    };
    let app = meili.app(pool, 20).await;
    let SearchEngine::Meilisearch(engine, ..) = &app.state.app.search else {
        unreachable!("a Meilisearch app")
    };
    let client = meili.client();
    let tasks = || async {
        let mut query = TasksSearchQuery::new(&client);
        query.with_index_uids([app.index.as_str()]);
        client.get_tasks_with(&query).await.unwrap().total
    };
    let before = tasks().await;
    // A server starting again against its index changes nothing: no task, no re-indexing.
    assert!(!engine.configure().await.unwrap());
    assert!(!engine.configure().await.unwrap());
    assert_eq!(tasks().await, before);

    // Changed by hand, a setting is put back at the next start.
    let index = client.index(&app.index);
    let changed = index.set_ranking_rules(["words", "sort"]).await.unwrap();
    client.wait_for_task(changed, None, None).await.unwrap();
    assert!(engine.configure().await.unwrap());
    let rules = index.get_ranking_rules().await.unwrap();
    assert_eq!(rules.first().map(String::as_str), Some("sort"));
    assert_eq!(rules.last().map(String::as_str), Some("id:asc"));
    assert!(!engine.configure().await.unwrap());
    assert!(!slugs_for(&app, "headphones").await.is_empty());
}

/// A write Meilisearch accepts and then fails leaves its products in the outbox: the next
/// sync tries them again, and they are indexed once the index is usable.
#[sqlx::test(migrations = "../migrations")]
async fn a_failed_task_keeps_its_outbox_rows_for_the_next_sync(pool: PgPool) {
    let Some(meili) = server("a_failed_task_keeps_its_outbox_rows_for_the_next_sync") else {
        return;
    };
    let app = meili.app(pool.clone(), 60).await;
    let engine = &app.state.app.search;
    engine.sync_outbox(&pool, 100).await.unwrap();
    // The index replaced by one keyed by slug: writes keyed by id are accepted, then fail.
    let client = meili.client();
    let deleted = client.delete_index(&app.index).await.unwrap();
    client.wait_for_task(deleted, None, None).await.unwrap();
    let created = client.create_index(&app.index, Some("slug")).await.unwrap();
    client.wait_for_task(created, None, None).await.unwrap();
    sqlx::query("update products set title = 'Quetzalcoatl Lantern' where slug = (select min(slug) from products where status = 'active')")
        .execute(&pool)
        .await
        .unwrap();
    let error = engine.sync_outbox(&pool, 100).await.unwrap_err();
    assert!(
        format!("{error:#}").contains("primary key"),
        "Meilisearch's reason is told: {error:#}"
    );
    let pending: i64 = sqlx::query_scalar("select count(*) from search_outbox")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(pending, 1, "the change waits for the next sync");

    let deleted = client.delete_index(&app.index).await.unwrap();
    client.wait_for_task(deleted, None, None).await.unwrap();
    engine.configure().await.unwrap();
    assert_eq!(engine.sync_outbox(&pool, 100).await.unwrap(), 1);
    assert_eq!(slugs_for(&app, "quetzalcoatl").await.len(), 1);
}

/// While an index is rebuilt (the rebuild holds `INDEX_LOCK`), syncs leave the outbox alone:
/// what changed meanwhile reaches the new index after the swap instead of the old one.
#[sqlx::test(migrations = "../migrations")]
async fn syncs_wait_while_the_index_is_rebuilt(pool: PgPool) {
    let Some(meili) = server("syncs_wait_while_the_index_is_rebuilt") else {
        return;
    };
    let app = meili.app(pool.clone(), 40).await;
    let engine = &app.state.app.search;
    engine.sync_outbox(&pool, 100).await.unwrap();
    let mut rebuild = pool.acquire().await.unwrap();
    sqlx::query("select pg_advisory_lock($1)")
        .bind(INDEX_LOCK)
        .execute(&mut *rebuild)
        .await
        .unwrap();
    sqlx::query("update products set title = 'Quetzalcoatl Lantern' where slug = (select min(slug) from products where status = 'active')")
        .execute(&pool)
        .await
        .unwrap();
    assert_eq!(engine.sync_outbox(&pool, 100).await.unwrap(), 0);
    sqlx::query("select pg_advisory_unlock($1)")
        .bind(INDEX_LOCK)
        .execute(&mut *rebuild)
        .await
        .unwrap();
    assert_eq!(engine.sync_outbox(&pool, 100).await.unwrap(), 1);
    assert_eq!(slugs_for(&app, "quetzalcoatl").await.len(), 1);
}

/// A rebuild fills a second index and swaps it in: searches meanwhile see the old index whole,
/// never a half-built one, and afterwards the new one; the second index is gone.
#[sqlx::test(migrations = "../migrations")]
async fn a_rebuild_swaps_in_a_whole_index(pool: PgPool) {
    let Some(meili) = server("a_rebuild_swaps_in_a_whole_index") else {
        return;
    };
    let app = meili.app(pool.clone(), 1500).await;
    let everything = ListingQuery {
        sort: Sort::Newest,
        page: 1,
        per_page: 1,
        ..ListingQuery::default()
    };
    let total = search(&app, &everything).await.listing.total;
    // Changed behind the outbox's back: only a rebuild shows it.
    sqlx::query("update products set title = title || ' Quetzalcoatl' where status = 'active'")
        .execute(&pool)
        .await
        .unwrap();
    sqlx::query("delete from search_outbox")
        .execute(&pool)
        .await
        .unwrap();
    let renamed = || async {
        search(&app, &super::search_suite::query("quetzalcoatl"))
            .await
            .listing
            .total
    };
    assert_eq!(renamed().await, 0);

    let engine = app.state.app.search.clone();
    let rebuilding = tokio::spawn({
        let pool = pool.clone();
        // Many small batches, each a moment a half-built index could show.
        async move { engine.reindex_in_batches(&pool, 100).await.unwrap() }
    });
    let mut seen = 0;
    while !rebuilding.is_finished() {
        let (listed, found) = (search(&app, &everything).await.listing.total, renamed().await);
        assert_eq!(listed, total, "a search during the rebuild saw a partial index");
        assert!(
            found == 0 || found == total,
            "{found} of {total} renamed: a partial index"
        );
        seen += 1;
    }
    assert_eq!(rebuilding.await.unwrap() as u64, total);
    assert!(seen > 0, "searched while rebuilding");
    assert_eq!(renamed().await, total);
    let indexes = meili.client().list_all_indexes().await.unwrap();
    assert!(
        !indexes
            .results
            .iter()
            .any(|i| i.uid.starts_with(&app.index) && i.uid != app.index),
        "the second index was deleted"
    );
}
