//! The command line: `serve` (default), `migrate`, `seed-demo`, `reindex`, `relevance`,
//! `explain-search`, `facet-costs`, `config-reference`, `create-admin`, `delete-demo-accounts`, `backup`, `restore`, `checksums`.

use crate::config::{AppEnv, Config};
use crate::http::{HttpSettings, ServerState};
use crate::{db, seed, telemetry};

mod export;
mod search;
mod upkeep;
use anyhow::Context;
use app::catalog::cache::CatalogCache;
use app::state::{AppState, SiteSettings};
use clap::{Parser, Subcommand};
use leptos::prelude::LeptosOptions;
use search::{explain_search, facet_costs, reindex, relevance};
use sqlx::PgPool;
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "server",
    version,
    about = "The marketplace server",
    args_override_self = true
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    #[command(flatten)]
    config: Config,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the marketplace over HTTP (the default).
    Serve,
    /// Apply pending database migrations.
    Migrate,
    /// Fill the database with a deterministic demo marketplace.
    SeedDemo(seed::SeedArgs),
    /// Rebuild the search index (documents, vocabulary, and Meilisearch when configured).
    Reindex,
    /// Print precision@5 of the committed relevance set on the configured engine.
    Relevance,
    /// Print how the PostgreSQL engine reads a search: each word as known, corrected or
    /// unknown, and the full-text query it runs.
    ExplainSearch {
        /// What a shopper typed.
        text: String,
    },
    /// Time the configured engine's search for the given queries with no facet counted, each
    /// facet alone and all five, one search at a time (a Markdown table).
    FacetCosts {
        /// Rounds over the queries per variant (after one round of warm-up).
        #[arg(long, default_value_t = 10)]
        rounds: u32,
        /// What shoppers typed, one argument each.
        #[arg(required = true)]
        queries: Vec<String>,
    },
    /// Print the configuration reference (every variable, its default and meaning) as Markdown.
    ConfigReference,
    /// Back up the database and the media files into a new dated directory, keeping the
    /// newest few.
    Backup(crate::backup::BackupArgs),
    /// Restore a backup into an empty database and media directory, and check every table
    /// against the backup's manifest.
    Restore(crate::backup::RestoreArgs),
    /// Write an operators' report (`orders.csv`, `sales-by-day.csv`, ...) for a range of days
    /// (UTC, inclusive) to standard output as CSV, streamed as its download is.
    Export {
        /// The report's file name.
        file: String,
        #[arg(long)]
        from: String,
        #[arg(long)]
        to: String,
    },
    /// Print every table's row count and checksum, to compare a restored or recovered
    /// database with its source.
    Checksums,
    /// Close the demo accounts (their password is published), as `production` requires.
    DeleteDemoAccounts,
    /// Make an account a platform admin, creating it if needed. The password is read from
    /// `ADMIN_PASSWORD` or, when that is unset, from the first line of standard input.
    CreateAdmin {
        #[arg(long)]
        email: String,
        #[arg(long, default_value = "")]
        name: String,
    },
}

/// Runs the command line and turns any failure into one clear message and exit code 1.
pub async fn run() -> ExitCode {
    if let Err(error) = dotenvy::dotenv()
        && !error.not_found()
    {
        eprintln!("warning: .env could not be read: {error}");
    }
    let cli = Cli::parse();
    let serving = matches!(cli.command, None | Some(Command::Serve));
    telemetry::init(cli.config.log_format, !serving);
    let result = match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => serve(cli.config).await,
        Command::Migrate => migrate(cli.config).await,
        Command::SeedDemo(args) => seed_demo(cli.config, args).await,
        Command::Reindex => reindex(cli.config).await,
        Command::Relevance => relevance(cli.config).await,
        Command::ExplainSearch { text } => explain_search(cli.config, &text).await,
        Command::FacetCosts { rounds, queries } => facet_costs(cli.config, rounds, &queries).await,
        Command::CreateAdmin { email, name } => create_admin(cli.config, &email, &name).await,
        Command::DeleteDemoAccounts => delete_demo_accounts(cli.config).await,
        Command::Backup(args) => backup(cli.config, args).await,
        Command::Restore(args) => restore(cli.config, args).await,
        Command::Checksums => checksums(cli.config).await,
        Command::Export { file, from, to } => export::export(cli.config, &file, &from, &to).await,
        Command::ConfigReference => {
            print!("{}", crate::config::reference::markdown());
            Ok(())
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}

async fn migrate(config: Config) -> anyhow::Result<()> {
    let pool = db::connect(config.database_url()?, 2).await?;
    db::migrate(&pool).await?;
    println!("Database migrations applied.");
    Ok(())
}

async fn create_admin(config: Config, email: &str, name: &str) -> anyhow::Result<()> {
    let pool = db::connect(config.database_url()?, 2).await?;
    db::ensure_migrated(&pool).await?;
    let password = match std::env::var("ADMIN_PASSWORD") {
        Ok(password) => password,
        Err(_) => {
            eprintln!("Password for {email} (one line on standard input):");
            let mut line = String::new();
            std::io::stdin().read_line(&mut line)?;
            line.trim_end_matches(['\r', '\n']).to_string()
        }
    };
    let created = crate::accounts::create_admin(&pool, email, name, &password).await?;
    println!(
        "{email} is {} admin. Sign in, then turn on two-factor authentication at /account/security: \
         the admin area opens only after that.",
        if created { "a new" } else { "now an" }
    );
    Ok(())
}

async fn backup(config: Config, args: crate::backup::BackupArgs) -> anyhow::Result<()> {
    let written =
        crate::backup::backup(config.database_url()?, &config.media_dir(), &args.to, args.keep).await?;
    let rows: i64 = written.manifest.tables.values().map(|t| t.rows).sum();
    println!(
        "Backed up {} tables ({rows} rows) and {} media files to {}.",
        written.manifest.tables.len(),
        written.manifest.media_files,
        written.dir.display()
    );
    for old in written.removed {
        println!("Deleted the older backup {}.", old.display());
    }
    Ok(())
}

async fn restore(config: Config, args: crate::backup::RestoreArgs) -> anyhow::Result<()> {
    let manifest = crate::backup::restore(
        config.database_url()?,
        &config.media_dir(),
        &args.from,
        args.force,
    )
    .await?;
    println!(
        "Restored the backup of {} ({} tables, every one equal to the backup, {} media files). \
         Run `server reindex` if search runs on Meilisearch.",
        manifest.created_at.to_rfc3339(),
        manifest.tables.len(),
        manifest.media_files
    );
    Ok(())
}

async fn checksums(config: Config) -> anyhow::Result<()> {
    let pool = db::connect(config.database_url()?, 1).await?;
    let mut conn = pool.acquire().await?;
    for (table, sum) in crate::backup::tables::checksums(&mut conn).await? {
        println!("{table} {} {}", sum.rows, sum.checksum);
    }
    Ok(())
}

async fn delete_demo_accounts(config: Config) -> anyhow::Result<()> {
    let pool = db::connect(config.database_url()?, 2).await?;
    db::ensure_migrated(&pool).await?;
    let closed = crate::accounts::delete_demo_accounts(&pool).await?;
    println!("Closed {closed} demo accounts.");
    Ok(())
}

/// In production, refuses a database holding demo accounts: anyone who read the README could
/// sign in to them, one of them as a platform admin.
pub async fn refuse_demo_accounts(config: &Config, pool: &PgPool) -> anyhow::Result<()> {
    if config.app_env != AppEnv::Production {
        return Ok(());
    }
    let demo = crate::accounts::demo_accounts(pool).await?;
    anyhow::ensure!(
        demo.is_empty(),
        "APP_ENV=production refuses to start: the database has demo accounts with a published \
         password ({}). Close them with `server delete-demo-accounts`, or run with APP_ENV=demo.",
        demo.join(", ")
    );
    Ok(())
}

async fn seed_demo(config: Config, args: seed::SeedArgs) -> anyhow::Result<()> {
    anyhow::ensure!(
        config.app_env == AppEnv::Demo,
        "seed-demo creates accounts with a published password: it runs only with APP_ENV=demo"
    );
    let pool = db::connect(config.database_url()?, 4).await?;
    db::ensure_migrated(&pool).await?;
    let report = seed::run(&pool, &config.media_dir(), &args).await?;
    println!("{report}");
    Ok(())
}

async fn serve(config: Config) -> anyhow::Result<()> {
    let pool = db::connect(config.database_url()?, config.database_max_connections).await?;
    db::ensure_migrated(&pool).await?;
    refuse_demo_accounts(&config, &pool).await?;
    let leptos = leptos_options()?;
    let address = leptos.site_addr;
    let state = server_state(&config, pool.clone(), leptos)?;
    let sealed = app::accounts::sealed::seal_stored_secrets(&pool, &state.app.secret_key).await?;
    if sealed > 0 {
        tracing::info!(sealed, "two-factor secrets kept in the clear were sealed");
    }
    std::fs::create_dir_all(config.media_dir()).with_context(|| {
        format!(
            "cannot create the media directory {}",
            config.media_dir().display()
        )
    })?;
    crate::http::install_recorder();
    let engine = state.app.search.clone();
    if let Err(error) = engine.configure().await {
        // Serve anyway: /readyz reports the engine until it answers.
        tracing::error!("search engine {} is not ready: {error:#}", engine.name());
    }
    let jobs = config.run_jobs.then(|| crate::jobs::supervise(state.app.clone()));
    let upkeep = upkeep::start(&state.app);

    let listener = tokio::net::TcpListener::bind(address)
        .await
        .with_context(|| format!("cannot listen on {address} (is another server running there?)"))?;
    tracing::info!("serving on http://{address}");
    axum::serve(
        listener,
        crate::router(state).into_make_service_with_connect_info::<std::net::SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown_signal())
    .await
    .context("the HTTP server failed")?;
    upkeep.stop().await;
    if let Some(jobs) = jobs {
        jobs.shutdown().await;
    }
    pool.close().await;
    tracing::info!("stopped");
    Ok(())
}

/// Leptos' own settings (`LEPTOS_*` variables); hashed asset names are used when the build
/// wrote its hash file beside the binary.
pub fn leptos_options() -> anyhow::Result<LeptosOptions> {
    let mut options = leptos::prelude::get_configuration(None)
        .context("reading the LEPTOS_* configuration failed")?
        .leptos_options;
    // Built with the site inside: pages name its bundle by one build id, and no file beside
    // the binary is read (`http::site`).
    #[cfg(feature = "embed-site")]
    {
        let bundle = crate::http::site::embedded::bundle(&options.output_name)?;
        options.output_name = bundle.output_name.clone().into();
        options.hash_files = false;
    }
    #[cfg(not(feature = "embed-site"))]
    if std::env::var_os("LEPTOS_HASH_FILES").is_none() {
        let beside_binary = std::env::current_exe()
            .ok()
            .and_then(|exe| exe.parent().map(|dir| dir.join(&*options.hash_file)));
        options.hash_files = beside_binary.is_some_and(|path| path.exists());
    }
    Ok(options)
}

/// The router's state for `config`, used by `serve` and by the tests.
pub fn server_state(config: &Config, pool: PgPool, leptos: LeptosOptions) -> anyhow::Result<ServerState> {
    let site = SiteSettings {
        mode: config.mode(),
        name: config.shop_name.clone(),
        public_url: config.public_url()?,
        currency: config.currency,
        country: config.shop_country.trim().to_uppercase(),
    };
    let replica = match &config.database_replica_url {
        Some(url) => Some(app::state::replica::Replica::new(crate::db::connect_lazy(
            url,
            config.database_max_connections,
        )?)),
        None => None,
    };
    let mut catalog = CatalogCache::new(config.catalog_cache_ttl(), app::catalog::server::tree_loader)
        .with_search_ttl(config.search_cache_ttl())
        .with_change_feed(pool.clone());
    if let Some(replica) = &replica {
        catalog = catalog.with_replica(replica.clone());
    }
    let mut app = AppState::new(pool, site, catalog, config.search_engine()?, config.mailer()?);
    app.replica = replica;
    app.payments = config.payments()?;
    config.check_production(&app.payments)?;
    // Production needs SECRET_KEY; the demo keeps a key of its own in DATA_DIR.
    app.secret_key = config.secret_key(config.app_env == AppEnv::Demo)?;
    app.media = app::vendors::images::upload::local_store(&config.media_dir())?;
    app.renderer = app::vendors::images::upload::Renderer::new(config.image_decodes.into());
    Ok(ServerState {
        http: HttpSettings::new(config, &leptos)?.into(),
        app,
        leptos,
    })
}

/// Configuration from explicit arguments (environment variables still apply), for tests.
pub fn config_from_args<I, T>(args: I) -> anyhow::Result<Config>
where
    I: IntoIterator<Item = T>,
    T: Into<std::ffi::OsString> + Clone,
{
    Ok(Cli::try_parse_from(args)?.config)
}

async fn shutdown_signal() {
    let interrupt = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = interrupt => {},
        () = terminate => {},
    }
    tracing::info!("shutting down: finishing requests in flight");
}
