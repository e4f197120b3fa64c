//! `seed-demo`: a deterministic demo marketplace. The same arguments always produce the same
//! vendors, categories, products, variants, images and reviews.

mod data;
mod describe;
mod generate;
mod images;
mod insert;
mod people;
mod rows;

use anyhow::Context;
use sqlx::PgPool;
use std::fmt;
use std::path::Path;
use std::time::{Duration, Instant};

#[derive(Debug, Clone, clap::Args)]
pub struct SeedArgs {
    /// How many products to create (2,000 for the demo, 100,000 for benchmarks).
    #[arg(long, default_value_t = 2000, value_parser = clap::value_parser!(u32).range(1..=1_000_000))]
    pub products: u32,
    /// Leave a database that already has vendors as it is (what `make run` uses).
    #[arg(long, conflicts_with = "replace")]
    pub if_empty: bool,
    /// Delete the whole catalog (vendors, categories, products) first. Destroys data.
    #[arg(long)]
    pub replace: bool,
}

#[derive(Debug, Default)]
pub struct Report {
    pub skipped: bool,
    pub vendors: usize,
    pub categories: usize,
    pub products: usize,
    pub variants: usize,
    pub reviews: usize,
    pub images: usize,
    pub elapsed: Duration,
    /// Demo accounts: (role, email); the password is `accounts::DEMO_PASSWORD`.
    pub accounts: Vec<(&'static str, String)>,
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.skipped {
            write!(f, "The database already has a marketplace; demo seed skipped.")?;
        } else {
            write!(
                f,
                "Seeded {} vendors, {} categories, {} products, {} variants, {} reviews ({} demo pictures) in {:.1}s.",
                self.vendors,
                self.categories,
                self.products,
                self.variants,
                self.reviews,
                self.images,
                self.elapsed.as_secs_f64()
            )?;
        }
        for (role, email) in &self.accounts {
            write!(
                f,
                "\n  {role:<13} {email}  password: {}",
                crate::accounts::DEMO_PASSWORD
            )?;
        }
        Ok(())
    }
}

/// Draws the demo pictures into `media_dir` (if missing) and fills the database.
pub async fn run(pool: &PgPool, media_dir: &Path, args: &SeedArgs) -> anyhow::Result<Report> {
    let started = Instant::now();
    let dir = media_dir.to_owned();
    let images = tokio::task::spawn_blocking(move || images::pictures(&dir))
        .await
        .context("drawing the demo pictures panicked")??;

    let mut tx = pool.begin().await?;
    // Two seeders at once would collide on slugs; the second waits and then sees data.
    sqlx::query!("select pg_advisory_xact_lock(hashtext('marketplace-demo-seed'))")
        .execute(&mut *tx)
        .await?;
    let has_vendors = sqlx::query_scalar!(r#"select exists(select 1 from vendors) as "exists!""#)
        .fetch_one(&mut *tx)
        .await?;
    if has_vendors {
        if args.if_empty {
            // A marketplace seeded before accounts existed gets its demo people.
            let has_users = sqlx::query_scalar!(r#"select exists(select 1 from users) as "exists!""#)
                .fetch_one(&mut *tx)
                .await?;
            let accounts = if has_users {
                Vec::new()
            } else {
                crate::accounts::seed_demo_accounts(&mut tx).await?
            };
            tx.commit().await?;
            return Ok(Report {
                skipped: true,
                accounts,
                ..Report::default()
            });
        }
        anyhow::ensure!(
            args.replace,
            "the database already has a marketplace; use --replace to delete it and seed again"
        );
        insert::clear(&mut tx).await?;
    }
    let mut report = insert_catalog(&mut tx, args.products as usize).await?;
    report.accounts = crate::accounts::seed_demo_accounts(&mut tx).await?;
    tx.commit().await.context("committing the demo seed failed")?;
    report.images = images;
    report.elapsed = started.elapsed();
    Ok(report)
}

/// Generates and inserts the demo catalog (no pictures are drawn); tests use it directly.
pub async fn insert_catalog(
    tx: &mut sqlx::Transaction<'_, sqlx::Postgres>,
    products: usize,
) -> anyhow::Result<Report> {
    let catalog = generate::catalog(products);
    insert::all(tx, &catalog)
        .await
        .context("inserting the demo catalog failed")?;
    app::search::terms::refresh_in(tx)
        .await
        .context("building the search vocabulary failed")?;
    Ok(Report {
        vendors: catalog.vendors.len(),
        categories: catalog.categories.len(),
        products: catalog.products.len(),
        variants: catalog.products.iter().map(|p| p.variants.len()).sum(),
        reviews: catalog.products.iter().map(|p| p.reviews.len()).sum(),
        ..Report::default()
    })
}
