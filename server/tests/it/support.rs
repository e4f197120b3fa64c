//! A running app over a test database, and requests through its router.

use axum::Router;
use axum::body::Body;
use http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use leptos::prelude::LeptosOptions;
use server::ServerState;
use sqlx::PgPool;
use tower::ServiceExt;

/// The public URL the test app runs under.
pub const SITE: &str = "https://shop.example";

/// Held by tests that measure the process's memory, so two of them never overlap.
pub static HEAVY: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

pub struct TestApp {
    pub router: Router,
    pub state: ServerState,
    /// Kept alive until the app is dropped.
    _site_root: tempdir::Dir,
}

/// What came back from a request.
pub struct TestResponse {
    pub status: StatusCode,
    pub headers: http::HeaderMap,
    pub body: String,
}

impl TestResponse {
    pub fn header(&self, name: &str) -> &str {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
    }
}

/// A throwaway directory standing in for the built site (`target/site`).
pub mod tempdir {
    use std::path::PathBuf;

    pub struct Dir(pub PathBuf);

    impl Dir {
        pub fn new() -> Self {
            let path = std::env::temp_dir().join(format!("marketplace-site-{}", uuid::Uuid::new_v4()));
            std::fs::create_dir_all(path.join("pkg")).unwrap();
            Self(path)
        }
    }

    impl Drop for Dir {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }
}

impl TestApp {
    /// The app over `pool`, with a small demo catalog of `products` products.
    pub async fn with_catalog(pool: PgPool, products: usize) -> Self {
        Self::seeded(pool, products, &[]).await
    }

    /// Seeds `products` products, then starts the app with extra configuration `args`.
    pub async fn seeded(pool: PgPool, products: usize, args: &[&str]) -> Self {
        let mut tx = pool.begin().await.unwrap();
        server::seed::insert_catalog(&mut tx, products).await.unwrap();
        tx.commit().await.unwrap();
        Self::configured(pool, args).await
    }

    /// Sets the platform's default commission, in basis points (kept in the database, as
    /// operators set it in the console).
    pub async fn set_commission_bp(&self, bp: i32) {
        sqlx::query("update platform_settings set commission_bp = $1")
            .bind(bp)
            .execute(&self.state.app.pool)
            .await
            .unwrap();
    }

    /// Sets how many days a sale waits before it is paid out.
    pub async fn set_payout_delay_days(&self, days: i32) {
        sqlx::query("update platform_settings set payout_delay_days = $1")
            .bind(days)
            .execute(&self.state.app.pool)
            .await
            .unwrap();
    }

    pub async fn new(pool: PgPool) -> Self {
        Self::configured(pool, &[]).await
    }

    pub async fn configured(pool: PgPool, args: &[&str]) -> Self {
        // Server-side errors are logged; shown with a failing test's output.
        let _ = tracing_subscriber::fmt()
            .with_env_filter("warn,server=info,app=info")
            .with_test_writer()
            .try_init();
        let site_root = tempdir::Dir::new();
        std::fs::write(site_root.0.join("pkg/marketplace.css"), "body{}").unwrap();
        std::fs::write(site_root.0.join("robots-static.txt"), "static file").unwrap();
        let leptos = LeptosOptions::builder()
            .output_name("marketplace")
            .site_root(site_root.0.to_string_lossy().to_string())
            .build();
        // Demo mode unless a test says otherwise (a later `--app-env` wins); search on
        // PostgreSQL whatever MEILISEARCH_URL the environment has (the Meilisearch tests name
        // their own server and index).
        let mut all = vec![
            "server",
            "--app-env",
            "demo",
            "--meilisearch-url",
            "",
            "--public-url",
            SITE,
            "--catalog-cache-ttl-secs",
            "0",
            "--data-dir",
            site_root.0.to_str().unwrap(),
        ];
        all.extend_from_slice(args);
        let config = server::cli::config_from_args(all).unwrap();
        let state = server::cli::server_state(&config, pool, leptos).unwrap();
        server::http::install_recorder();
        Self {
            router: server::router(state.clone()),
            state,
            _site_root: site_root,
        }
    }

    pub async fn request(&self, request: Request<Body>) -> TestResponse {
        let response = self.router.clone().oneshot(request).await.unwrap();
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = response.into_body().collect().await.unwrap().to_bytes();
        TestResponse {
            status,
            headers,
            body: String::from_utf8_lossy(&bytes).into_owned(),
        }
    }

    pub async fn get(&self, uri: &str) -> TestResponse {
        self.request(Request::get(uri).body(Body::empty()).unwrap()).await
    }

    /// Calls a server function the way the browser does (JSON in, JSON out).
    pub async fn call(&self, endpoint: &str, json: serde_json::Value) -> TestResponse {
        self.request(server_fn_request(endpoint, &json)).await
    }

    /// A product slug matching `condition` (SQL over `products p` and `vendors v`).
    pub async fn product_slug(&self, condition: &str) -> String {
        sqlx::query_scalar(&format!(
            "select p.slug from products p join vendors v on v.id = p.vendor_id where {condition} order by p.slug limit 1"
        ))
        .fetch_one(&self.state.app.pool)
        .await
        .unwrap()
    }
}

/// A JSON call of server function `endpoint` from this site.
fn server_fn_request(endpoint: &str, json: &serde_json::Value) -> Request<Body> {
    Request::post(format!("/api/{endpoint}"))
        .header(header::ORIGIN, SITE)
        .header(header::CONTENT_TYPE, "application/json")
        .header(header::ACCEPT, "application/json")
        .body(Body::from(json.to_string()))
        .unwrap()
}

/// A browser: keeps the session cookie between requests, sends this site's Origin.
pub struct Browser<'a> {
    pub app: &'a TestApp,
    pub cookie: Option<String>,
}

impl<'a> Browser<'a> {
    pub fn new(app: &'a TestApp) -> Self {
        Self { app, cookie: None }
    }

    pub async fn send(&mut self, mut request: Request<Body>) -> TestResponse {
        if let Some(cookie) = &self.cookie {
            request
                .headers_mut()
                .insert(header::COOKIE, cookie.parse().unwrap());
        }
        let response = self.app.request(request).await;
        if let Some(set) = response.headers.get(header::SET_COOKIE) {
            let pair = set.to_str().unwrap().split(';').next().unwrap().to_string();
            // An expired cookie (logout, deleted account) is dropped.
            let removed = set.to_str().unwrap().contains("Max-Age=0");
            self.cookie = (!removed).then_some(pair);
        }
        response
    }

    pub async fn get(&mut self, uri: &str) -> TestResponse {
        self.send(Request::get(uri).body(Body::empty()).unwrap()).await
    }

    /// Posts a form to a page, as a browser without JavaScript does.
    pub async fn post_form(&mut self, uri: &str, fields: &[(&str, &str)]) -> TestResponse {
        let body = serde_urlencoded::to_string(fields).unwrap();
        self.send(
            Request::post(uri)
                .header(header::ORIGIN, SITE)
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body(Body::from(body))
                .unwrap(),
        )
        .await
    }

    /// Posts a multipart form: text `fields` and one file `(field, file name, content type, bytes)`.
    pub async fn post_multipart(
        &mut self,
        uri: &str,
        fields: &[(&str, &str)],
        file: (&str, &str, &str, &[u8]),
    ) -> TestResponse {
        self.post_files(uri, fields, &[file]).await
    }

    /// Posts a `multipart/form-data` form: its fields, then its files (field, file name,
    /// content type, bytes).
    pub async fn post_files(
        &mut self,
        uri: &str,
        fields: &[(&str, &str)],
        files: &[(&str, &str, &str, &[u8])],
    ) -> TestResponse {
        let boundary = "----marketplace-test-boundary";
        let mut body = Vec::new();
        for (name, value) in fields {
            body.extend_from_slice(
                format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n")
                    .as_bytes(),
            );
        }
        for (field, file_name, content_type, bytes) in files {
            body.extend_from_slice(
                format!(
                    "--{boundary}\r\nContent-Disposition: form-data; name=\"{field}\"; filename=\"{file_name}\"\r\nContent-Type: {content_type}\r\n\r\n"
                )
                .as_bytes(),
            );
            body.extend_from_slice(bytes);
            body.extend_from_slice(b"\r\n");
        }
        body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
        self.send(
            Request::post(uri)
                .header(header::ORIGIN, SITE)
                .header(
                    header::CONTENT_TYPE,
                    format!("multipart/form-data; boundary={boundary}"),
                )
                .header(header::CONTENT_LENGTH, body.len())
                .body(Body::from(body))
                .unwrap(),
        )
        .await
    }

    /// Calls a server function with JSON.
    pub async fn call(&mut self, endpoint: &str, json: serde_json::Value) -> TestResponse {
        self.send(server_fn_request(endpoint, &json)).await
    }
}
