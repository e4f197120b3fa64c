//! Typed configuration, read once at start from the environment (and `.env`, if present).
//! Every variable the server reads is declared here; `server --help` lists them all.

use app::accounts::sealed::SecretKey;
use app::money::Currency;
use clap::{Args, ValueEnum};
use std::path::PathBuf;
use std::time::Duration;

pub mod reference;
mod search;
pub use search::SearchConfig;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    /// Human-readable lines.
    Text,
    /// One JSON object per line, for log collectors.
    Json,
}

/// The cores of this machine (one when the system cannot say), which the defaults of the pool,
/// the image decodes and the search turns are worked out from.
fn cores() -> u32 {
    std::thread::available_parallelism().map_or(1, |n| n.get() as u32)
}

/// Four connections per core of this machine, between 4 and 32: the embedded default runs
/// PostgreSQL beside the server.
fn default_pool_size() -> u32 {
    (cores() * 4).clamp(4, 32)
}

/// What the process is for: trying the marketplace, or running it for real.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum AppEnv {
    /// Demo accounts, the test payment provider, a key kept in `DATA_DIR`, a ribbon on every page.
    Demo,
    /// Refuses demo accounts, the test payment provider and a missing `SECRET_KEY`.
    Production,
}

/// One image decoded at a time per core of this machine.
fn default_image_decodes() -> u16 {
    u16::try_from(cores()).unwrap_or(u16::MAX)
}

#[derive(Clone, Args)]
pub struct Config {
    /// `demo` (what `make run` starts) or `production` (the default: refuses to start with demo
    /// accounts in the database or without a real payment provider).
    #[arg(long, env = "APP_ENV", value_enum, default_value_t = AppEnv::Production)]
    pub app_env: AppEnv,

    /// Lets `production` start with the test payment provider. Shoppers still cannot mark their
    /// own orders paid (the test provider's pay buttons exist only in `demo`), so orders wait
    /// unpaid and expire: for rehearsing a launch, never for selling.
    #[arg(long, env = "DANGEROUSLY_ALLOW_TEST_PAYMENTS", default_value_t = false, action = clap::ArgAction::Set)]
    pub dangerously_allow_test_payments: bool,

    /// Bearer token `/metrics` asks for. Without it `/metrics` is open in `demo` and not served
    /// in `production`.
    #[arg(long, env = "METRICS_TOKEN", hide_env_values = true)]
    pub metrics_token: Option<String>,

    /// PostgreSQL connection URL. `make run` starts an embedded cluster and sets it when unset.
    #[arg(long, env = "DATABASE_URL", hide_env_values = true)]
    pub database_url: Option<String>,

    /// A streaming replica of the database (`pg_basebackup -R`) for the storefront's catalogue
    /// and search reads; writes, and reads that must see them, stay on `DATABASE_URL`. While
    /// it does not answer or lags (more than about a second) its reads go to the primary.
    #[arg(long, env = "DATABASE_REPLICA_URL", hide_env_values = true)]
    pub database_replica_url: Option<String>,

    /// Largest number of pooled database connections (default: four per core, 4 to 32). Size
    /// it to PostgreSQL's cores, not to the traffic: more connections than the database can
    /// run at once only queue in its scheduler instead of in the pool, holding row locks while
    /// they wait (docs/PERFORMANCE.md).
    #[arg(long, env = "DATABASE_MAX_CONNECTIONS", default_value_t = default_pool_size())]
    pub database_max_connections: u32,

    /// The address shoppers reach the site at, used for canonical links, sitemaps and emails.
    #[arg(long, env = "PUBLIC_URL", default_value = "http://127.0.0.1:3000")]
    pub public_url: String,

    /// The marketplace's name, shown in the header and page titles.
    #[arg(long, env = "SHOP_NAME", default_value = "Marketplace")]
    pub shop_name: String,

    /// The one currency prices are in (USD, EUR, GBP, CHF or JPY).
    #[arg(long, env = "SHOP_CURRENCY", default_value = "USD")]
    pub currency: Currency,

    /// Where the server keeps files: media, mail outbox. Created if missing.
    #[arg(long, env = "DATA_DIR", default_value = ".data")]
    pub data_dir: PathBuf,

    /// Log line format: `text`, or `json` (one object per line, each request's with its id, path, status and time; docs/DEPLOY.md).
    #[arg(long, env = "LOG_FORMAT", value_enum, default_value_t = LogFormat::Text)]
    pub log_format: LogFormat,

    /// Requests taking longer are answered 408.
    #[arg(long, env = "REQUEST_TIMEOUT_SECS", default_value_t = 30)]
    pub request_timeout_secs: u64,

    /// Largest request body accepted, in bytes.
    #[arg(long, env = "REQUEST_BODY_LIMIT", default_value_t = 2 * 1024 * 1024)]
    pub request_body_limit: usize,

    /// Uploaded images decoded and resized at once (default: one per core); each takes at
    /// most `images::upload::RENDER_MEMORY`, and further uploads wait their turn holding only their file.
    #[arg(long, env = "IMAGE_DECODES", default_value_t = default_image_decodes(),
          value_parser = clap::value_parser!(u16).range(1..))]
    pub image_decodes: u16,

    #[command(flatten)]
    pub search: SearchConfig,

    /// Run background jobs (search sync...) in this process; instances that only serve
    /// pages can turn them off.
    #[arg(long, env = "RUN_JOBS", default_value_t = true, action = clap::ArgAction::Set)]
    pub run_jobs: bool,

    /// How long catalog pages' data (products, listings, the category tree) are cached in
    /// memory; a change made through any instance invalidates them on every instance at once
    /// (PostgreSQL LISTEN/NOTIFY). 0 disables.
    #[arg(long, env = "CATALOG_CACHE_TTL_SECS", default_value_t = 30)]
    pub catalog_cache_ttl_secs: u64,

    /// How long storefront pages (home, categories, products, shops) are kept as rendered
    /// bytes for visitors without a session; a catalog change forgets them at once on every
    /// instance. At most `CATALOG_CACHE_TTL_SECS`; 0 renders every page.
    #[arg(long, env = "PAGE_CACHE_TTL_SECS", default_value_t = 30)]
    pub page_cache_ttl_secs: u64,

    /// How long search results and suggestions are cached; defaults to the catalog's time.
    /// 0 runs the search engine for every request while the rest of the catalog stays cached.
    #[arg(long, env = "SEARCH_CACHE_TTL_SECS")]
    pub search_cache_ttl_secs: Option<u64>,

    /// SMTP server for mail (`smtp://user:password@host:587`, `smtps://…`; see lettre's
    /// `from_url`). Without it, mail is written as `.eml` files to `DATA_DIR/mail`.
    #[arg(long, env = "SMTP_URL", hide_env_values = true)]
    pub smtp_url: Option<String>,

    /// The sender of the marketplace's mail.
    #[arg(
        long,
        env = "MAIL_FROM",
        default_value = "Marketplace <no-reply@marketplace.localhost>"
    )]
    pub mail_from: String,

    /// The country prices are estimated for before a shopper gives an address (ISO code).
    #[arg(long, env = "SHOP_COUNTRY", default_value = "US")]
    pub shop_country: String,

    /// Stripe secret key (`sk_…`). With the publishable key and the webhook secret, payments
    /// go through Stripe; without them, through the test provider (no money moves).
    #[arg(long, env = "STRIPE_SECRET_KEY", hide_env_values = true)]
    pub stripe_secret_key: Option<String>,

    /// Stripe publishable key (`pk_…`), given to Stripe.js in the browser.
    #[arg(long, env = "STRIPE_PUBLISHABLE_KEY")]
    pub stripe_publishable_key: Option<String>,

    /// Signing secret of the `/webhooks/stripe` endpoint (`whsec_…`).
    #[arg(long, env = "STRIPE_WEBHOOK_SECRET", hide_env_values = true)]
    pub stripe_webhook_secret: Option<String>,

    /// Proxies in front of the server (comma-separated addresses or CIDR ranges, such as
    /// `10.0.0.0/8,::1`). Only from these is the client's address read from `Forwarded` or
    /// `X-Forwarded-For`, for rate limits and the sessions list; unset, the peer is the client.
    #[arg(long, env = "TRUSTED_PROXIES", default_value = "")]
    pub trusted_proxies: String,

    /// The server's key (32 bytes as base64 or 64 hex digits) that two-factor secrets are
    /// sealed with. Unset, a key is kept in `DATA_DIR/secret-key` (made on first start). Keep
    /// it: without it the stored secrets can't be opened.
    #[arg(long, env = "SECRET_KEY", hide_env_values = true)]
    pub secret_key: Option<String>,

    /// Base URL of Stripe's API; only for pointing tests at a local stand-in.
    #[arg(long, env = "STRIPE_API_BASE", hide = true)]
    pub stripe_api_base: Option<String>,

    /// Milliseconds one request to Stripe may take; an unanswered payout, refund or reversal
    /// stays pending and is retried with the same idempotency key.
    #[arg(long, env = "STRIPE_TIMEOUT_MS", default_value_t = 20_000)]
    pub stripe_timeout_ms: u64,
}

impl Config {
    /// The database URL, or a message saying how to get one.
    pub fn database_url(&self) -> anyhow::Result<&str> {
        self.database_url
            .as_deref()
            .filter(|u| !u.trim().is_empty())
            .ok_or_else(|| {
                anyhow::anyhow!(
                    "DATABASE_URL is not set. Run `make run`, which starts an embedded PostgreSQL, \
                 or set DATABASE_URL=postgres://user:password@host:port/database"
                )
            })
    }

    pub fn media_dir(&self) -> PathBuf {
        self.data_dir.join("media")
    }

    pub fn request_timeout(&self) -> Duration {
        Duration::from_secs(self.request_timeout_secs.max(1))
    }

    pub fn catalog_cache_ttl(&self) -> Duration {
        Duration::from_secs(self.catalog_cache_ttl_secs)
    }

    /// Never longer than the catalog data the pages are rendered from is kept.
    pub fn page_cache_ttl(&self) -> Duration {
        Duration::from_secs(self.page_cache_ttl_secs.min(self.catalog_cache_ttl_secs))
    }

    pub fn search_cache_ttl(&self) -> Duration {
        Duration::from_secs(self.search_cache_ttl_secs.unwrap_or(self.catalog_cache_ttl_secs))
    }

    /// The public URL without a trailing slash; refuses what is not an http(s) URL.
    pub fn public_url(&self) -> anyhow::Result<String> {
        let url = self.public_url.trim().trim_end_matches('/');
        anyhow::ensure!(
            url.starts_with("http://") || url.starts_with("https://"),
            "PUBLIC_URL must start with http:// or https:// (got {url:?})"
        );
        Ok(url.to_string())
    }

    /// The search engine this configuration asks for.
    pub fn search_engine(&self) -> anyhow::Result<app::search::engine::SearchEngine> {
        self.search.engine(self.currency)
    }

    /// SMTP when configured, otherwise files in `DATA_DIR/mail`.
    pub fn mailer(&self) -> anyhow::Result<app::accounts::mail::Mailer> {
        use app::accounts::mail::Mailer;
        match self.smtp_url.as_deref().filter(|u| !u.trim().is_empty()) {
            Some(url) => Mailer::smtp(url, &self.mail_from),
            None => Mailer::files(self.data_dir.join("mail"), &self.mail_from),
        }
    }

    /// Stripe when all three keys are set, the test provider when none is; a partial set is a
    /// configuration error rather than a silent fallback.
    pub fn payments(&self) -> anyhow::Result<app::payments::Payments> {
        use app::payments::{Payments, stripe};
        let set = |v: &Option<String>| {
            v.as_deref()
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_string)
        };
        let keys = (
            set(&self.stripe_secret_key),
            set(&self.stripe_publishable_key),
            set(&self.stripe_webhook_secret),
        );
        match keys {
            (None, None, None) => Ok(Payments::Test),
            (Some(secret_key), Some(publishable_key), Some(webhook_secret)) => Ok(Payments::Stripe(
                std::sync::Arc::new(stripe::Stripe::new(stripe::StripeKeys {
                    secret_key,
                    publishable_key,
                    webhook_secret,
                    api_base: set(&self.stripe_api_base),
                    timeout: std::time::Duration::from_millis(self.stripe_timeout_ms.max(1)),
                })?),
            )),
            _ => anyhow::bail!(
                "set all of STRIPE_SECRET_KEY, STRIPE_PUBLISHABLE_KEY and STRIPE_WEBHOOK_SECRET to use Stripe, \
                 or none of them to use the test payment provider"
            ),
        }
    }

    /// The mode the app runs in, as the app sees it.
    pub fn mode(&self) -> app::state::Mode {
        match self.app_env {
            AppEnv::Demo => app::state::Mode::Demo,
            AppEnv::Production => app::state::Mode::Production,
        }
    }

    /// What `production` refuses in the configuration alone (the database is checked at
    /// start by `cli::refuse_demo_accounts`).
    pub fn check_production(&self, payments: &app::payments::Payments) -> anyhow::Result<()> {
        if self.app_env != AppEnv::Production {
            return Ok(());
        }
        if matches!(payments, app::payments::Payments::Test) {
            anyhow::ensure!(
                self.dangerously_allow_test_payments,
                "APP_ENV=production needs a real payment provider: set STRIPE_SECRET_KEY, \
                 STRIPE_PUBLISHABLE_KEY and STRIPE_WEBHOOK_SECRET (or APP_ENV=demo to try the \
                 marketplace with test payments)"
            );
            tracing::warn!(
                "DANGEROUSLY_ALLOW_TEST_PAYMENTS: production runs without a payment provider; \
                 no order can be paid"
            );
        }
        Ok(())
    }

    /// The token `/metrics` asks for, if any.
    pub fn metrics_token(&self) -> Option<String> {
        self.metrics_token
            .as_deref()
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .map(str::to_string)
    }

    /// `TRUSTED_PROXIES` as networks.
    pub fn trusted_proxies(&self) -> anyhow::Result<Vec<ipnet::IpNet>> {
        crate::http::client_ip::parse_trusted(&self.trusted_proxies)
            .map_err(|error| anyhow::anyhow!("TRUSTED_PROXIES: {error}"))
    }

    /// The server key: `SECRET_KEY`, or (when `allow_generated`) the one in
    /// `DATA_DIR/secret-key`, made there on first use with mode 0600.
    pub fn secret_key(&self, allow_generated: bool) -> anyhow::Result<SecretKey> {
        use anyhow::Context;
        if let Some(text) = self.secret_key.as_deref().filter(|k| !k.trim().is_empty()) {
            return SecretKey::parse(text).context(
                "SECRET_KEY must be 32 bytes as base64 or 64 hex digits (make one with `openssl rand -base64 32`)",
            );
        }
        anyhow::ensure!(
            allow_generated,
            "SECRET_KEY is not set; it is required here (make one with `openssl rand -base64 32`)"
        );
        let path = self.data_dir.join("secret-key");
        match std::fs::read_to_string(&path) {
            Ok(text) => SecretKey::parse(&text)
                .with_context(|| format!("{} does not hold a valid key", path.display())),
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
                std::fs::create_dir_all(&self.data_dir)
                    .with_context(|| format!("cannot create {}", self.data_dir.display()))?;
                let key = SecretKey::generate();
                write_private(&path, &key.to_text())?;
                tracing::info!("made a new server key in {}", path.display());
                // Another instance may have made one at the same time: the file decides.
                self.secret_key(allow_generated)
            }
            Err(error) => Err(error).with_context(|| format!("cannot read {}", path.display())),
        }
    }

    pub fn serves_tls(&self) -> bool {
        self.public_url.starts_with("https://")
    }
}

/// Writes a new file only its owner can read; an existing file is left as it is.
fn write_private(path: &std::path::Path, text: &str) -> anyhow::Result<()> {
    use anyhow::Context;
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    match options.open(path) {
        Ok(mut file) => file
            .write_all(text.as_bytes())
            .with_context(|| format!("cannot write {}", path.display())),
        Err(error) if error.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(error) => Err(error).with_context(|| format!("cannot create {}", path.display())),
    }
}

impl std::fmt::Debug for Config {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Config")
            .field("app_env", &self.app_env)
            .field("database_url", &self.database_url.as_ref().map(|_| "<set>"))
            .field("public_url", &self.public_url)
            .field("data_dir", &self.data_dir)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests;
