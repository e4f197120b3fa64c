//! The Meilisearch the engine's tests run against: `MEILISEARCH_TEST_URL` (and
//! `MEILISEARCH_TEST_API_KEY`), which `scripts/with-meilisearch.sh` sets when `make test` starts
//! a private server. Without it a test says SKIPPED and passes, unless `MEILISEARCH_REQUIRED`
//! is set (CI), where it fails. Each test gets an index of its own (`test_…`).

use super::support::TestApp;
use meilisearch_sdk::client::Client;
use sqlx::PgPool;
use std::ops::Deref;

pub struct Meili {
    pub url: String,
    pub key: Option<String>,
}

/// The test server, or `None` (after saying so) when there is none and none is required.
pub fn server(test: &str) -> Option<Meili> {
    match std::env::var("MEILISEARCH_TEST_URL") {
        Ok(url) if !url.trim().is_empty() => Some(Meili {
            url,
            key: std::env::var("MEILISEARCH_TEST_API_KEY")
                .ok()
                .filter(|k| !k.is_empty()),
        }),
        _ if std::env::var_os("MEILISEARCH_REQUIRED").is_some() => panic!(
            "{test}: MEILISEARCH_REQUIRED is set but MEILISEARCH_TEST_URL is not \
             (run the tests through scripts/with-meilisearch.sh)"
        ),
        _ => {
            eprintln!("SKIPPED: {test} (no MEILISEARCH_TEST_URL; see scripts/with-meilisearch.sh)");
            None
        }
    }
}

impl Meili {
    /// A client with the test server's key.
    pub fn client(&self) -> Client {
        Client::new(&self.url, self.key.as_deref()).unwrap()
    }

    /// Server arguments for the Meilisearch engine on `index`.
    pub fn args(&self, index: &str) -> Vec<String> {
        let mut args = vec![
            "--meilisearch-url".to_string(),
            self.url.clone(),
            "--meilisearch-index".to_string(),
            index.to_string(),
        ];
        if let Some(key) = &self.key {
            args.extend(["--meilisearch-api-key".to_string(), key.clone()]);
        }
        args
    }

    /// The app searching a fresh index of its own, configured and holding the `products`
    /// seeded products.
    pub async fn app(&self, pool: PgPool, products: usize) -> MeiliApp {
        let index = format!("test_{}", uuid::Uuid::new_v4().simple());
        let args = self.args(&index);
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let app = TestApp::seeded(pool, products, &args).await;
        let engine = &app.state.app.search;
        assert_eq!(engine.name(), "meilisearch");
        engine.configure().await.unwrap();
        engine.reindex(&app.state.app.pool).await.unwrap();
        MeiliApp { app, index }
    }
}

/// An app on Meilisearch whose searches must all be Meilisearch's: one answered by PostgreSQL
/// instead (the fallback) fails the test when the app is dropped.
pub struct MeiliApp {
    pub app: TestApp,
    pub index: String,
}

impl Deref for MeiliApp {
    type Target = TestApp;

    fn deref(&self) -> &TestApp {
        &self.app
    }
}

impl Drop for MeiliApp {
    fn drop(&mut self) {
        let fallbacks = self.app.state.app.search.fallbacks();
        if !std::thread::panicking() {
            assert_eq!(
                fallbacks, 0,
                "searches were answered by PostgreSQL, not Meilisearch"
            );
        }
    }
}
