//! The search commands: `reindex`, `relevance`, `facet-costs`, `explain-search`.

use super::{leptos_options, server_state};
use crate::config::Config;
use crate::db;

pub(super) async fn reindex(config: Config) -> anyhow::Result<()> {
    let pool = db::connect(config.database_url()?, 4).await?;
    db::ensure_migrated(&pool).await?;
    let engine = config.search_engine()?;
    let started = std::time::Instant::now();
    engine.configure().await?;
    let count = engine.reindex(&pool).await?;
    println!(
        "Reindexed {count} products in {} in {:.1}s.",
        engine.name(),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

pub(super) async fn relevance(config: Config) -> anyhow::Result<()> {
    let pool = db::connect(config.database_url()?, 4).await?;
    db::ensure_migrated(&pool).await?;
    let state = server_state(&config, pool, leptos_options()?)?;
    println!("engine: {}", state.app.search.name());
    println!("{}", crate::search_eval::evaluate(&state.app).await?);
    Ok(())
}

pub(super) async fn facet_costs(config: Config, rounds: u32, queries: &[String]) -> anyhow::Result<()> {
    let pool = db::connect(config.database_url()?, 4).await?;
    db::ensure_migrated(&pool).await?;
    let state = server_state(&config, pool, leptos_options()?)?;
    print!(
        "{}",
        crate::search_eval::facet_costs::measure(&state.app, queries, rounds).await?
    );
    Ok(())
}

pub(super) async fn explain_search(config: Config, text: &str) -> anyhow::Result<()> {
    let pool = db::connect(config.database_url()?, 1).await?;
    db::ensure_migrated(&pool).await?;
    print!("{}", app::search::terms::explain(&pool, text).await?);
    Ok(())
}
