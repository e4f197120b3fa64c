//! What each facet costs: the configured engine's search timed for the same queries with no
//! facet counted, with each facet alone, and with all five, one search at a time, interleaved
//! round by round so that drift in the machine's load falls on every variant alike.

use app::catalog::query::Sort;
use app::search::request::{Counted, Filters, Request, price_buckets};
use app::state::AppState;
use std::fmt;
use std::time::{Duration, Instant};

/// The variants timed: a name and the facets counted.
fn variants() -> [(&'static str, Counted); 7] {
    let only = |set: fn(&mut Counted)| {
        let mut counted = Counted::NONE;
        set(&mut counted);
        counted
    };
    [
        ("none (page and total only)", Counted::NONE),
        ("category", only(|c| c.categories = true)),
        ("vendor", only(|c| c.vendors = true)),
        ("price bands", only(|c| c.prices = true)),
        ("in stock", only(|c| c.in_stock = true)),
        ("rating", only(|c| c.ratings = true)),
        ("all five", Counted::ALL),
    ]
}

/// Searches of one variant: every query, every round.
struct Timings {
    name: &'static str,
    each: Vec<Duration>,
}

impl Timings {
    fn mean_ms(&self) -> f64 {
        self.each.iter().map(Duration::as_secs_f64).sum::<f64>() * 1000.0 / self.each.len().max(1) as f64
    }

    fn percentile_ms(&self, p: f64) -> f64 {
        let mut sorted = self.each.clone();
        sorted.sort();
        let at = ((sorted.len() as f64 - 1.0) * p).round() as usize;
        sorted.get(at).map_or(0.0, |d| d.as_secs_f64() * 1000.0)
    }
}

pub struct Report {
    engine: &'static str,
    queries: usize,
    rounds: u32,
    timings: Vec<Timings>,
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "{} engine; {} queries × {} rounds per variant, one search at a time, 24 hits.",
            self.engine, self.queries, self.rounds
        )?;
        writeln!(f)?;
        writeln!(f, "| facets counted | mean | p50 | p99 | added to none |")?;
        writeln!(f, "|---|---:|---:|---:|---:|")?;
        let none = self.timings.first().map_or(0.0, Timings::mean_ms);
        for timing in &self.timings {
            writeln!(
                f,
                "| {} | {:.2} ms | {:.2} ms | {:.2} ms | {:+.2} ms |",
                timing.name,
                timing.mean_ms(),
                timing.percentile_ms(0.5),
                timing.percentile_ms(0.99),
                timing.mean_ms() - none
            )?;
        }
        Ok(())
    }
}

/// Times every variant over `queries` for `rounds` rounds, after one round left out as warm-up.
pub async fn measure(state: &AppState, queries: &[String], rounds: u32) -> anyhow::Result<Report> {
    anyhow::ensure!(!queries.is_empty(), "give at least one query");
    let mut timings: Vec<Timings> = variants()
        .iter()
        .map(|(name, _)| Timings {
            name,
            each: Vec::new(),
        })
        .collect();
    for round in 0..=rounds {
        for (timing, (_, counted)) in timings.iter_mut().zip(variants()) {
            for text in queries {
                let request = Request {
                    filters: Filters {
                        text: text.clone(),
                        ..Filters::default()
                    },
                    sort: Sort::Relevance,
                    offset: 0,
                    limit: 24,
                    price_buckets: price_buckets(state.site.currency),
                    facets: counted,
                };
                let started = Instant::now();
                state.search.search(&state.pool, &request).await?;
                if round > 0 {
                    timing.each.push(started.elapsed());
                }
            }
        }
    }
    Ok(Report {
        engine: state.search.name(),
        queries: queries.len(),
        rounds,
        timings,
    })
}
