//! `/admin`: the marketplace at a glance, and what an operator must act on: applications
//! waiting, products reported, payments held for review, payouts that failed, background jobs
//! failing, mail that is not delivering and catalogue changes the search engine has not taken
//! yet.

use crate::analytics::{self, Analytics, model::Overview};
use crate::error::AppError;
use crate::ui::{AdminFrame, TableScroll, page_body};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// The marketplace's figures on the admin dashboard, and the counts of what needs acting on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdminFigures {
    pub users: i64,
    pub vendors_approved: i64,
    pub products_active: i64,
    #[serde(flatten)]
    pub attention: Attention,
    /// The latest runs of background jobs that failed in the last 24 hours.
    pub failed_jobs: Vec<FailedJob>,
}

/// What needs an operator, counted (also exported to `/metrics` for alerting).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attention {
    pub vendors_pending: i64,
    /// Products with open reports from shoppers.
    pub products_reported: i64,
    pub payments_to_review: i64,
    pub payouts_failed: i64,
    pub mail_failing: i64,
    /// Catalogue changes waiting over five minutes for the search sync.
    pub search_behind: i64,
    /// Runs of background jobs that failed in the last 24 hours.
    pub jobs_failing: i64,
}

/// A run of a background job that failed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FailedJob {
    pub job: String,
    /// When (UTC).
    pub at: String,
    pub error: String,
}

#[server(prefix = "/api", endpoint = "admin/overview", input = server_fn::codec::Json)]
pub async fn admin_overview() -> Result<AdminFigures, AppError> {
    crate::accounts::viewer::Viewer::of_request().admin()?;
    counts(&crate::state::app_state()?.pool).await
}

/// The counts of the overview, what needs acting on, and the latest failed job runs.
#[cfg(feature = "ssr")]
async fn counts(pool: &sqlx::PgPool) -> Result<AdminFigures, AppError> {
    let row = sqlx::query!(
        r#"select (select count(*) from users where deleted_at is null) as "users!",
                  (select count(*) from vendors where status = 'approved') as "approved!",
                  (select count(*) from products where status = 'active') as "products!""#
    )
    .fetch_one(pool)
    .await?;
    Ok(AdminFigures {
        users: row.users,
        vendors_approved: row.approved,
        products_active: row.products,
        attention: attention(pool).await?,
        failed_jobs: latest_failed_jobs(pool).await?,
    })
}

/// What needs acting on, counted: small tables and partial conditions only, cheap enough for
/// every scrape of `/metrics`.
#[cfg(feature = "ssr")]
pub async fn attention(pool: &sqlx::PgPool) -> Result<Attention, AppError> {
    let row = sqlx::query!(
        r#"select (select count(*) from vendors where status = 'pending') as "pending!",
                  (select count(distinct product_id) from product_reports where closed_at is null) as "reported!",
                  (select count(*) from payments where review_reason is not null) as "review!",
                  (select count(*) from payouts f where f.status = 'failed' and not exists (
                      select 1 from payouts p where p.vendor_id = f.vendor_id and p.status = 'paid' and p.created_at > f.created_at)) as "payouts_failed!",
                  (select count(*) from mail_outbox where sent_at is null and attempts > 0) as "mail_failing!",
                  (select count(*) from search_outbox where changed_at < now() - interval '5 minutes') as "search_behind!""#
    )
    .fetch_one(pool)
    .await?;
    let jobs_failing = if job_queue_known(pool).await? {
        sqlx::query_scalar!(
            r#"select count(*) as "count!" from underway.task_attempt
               where state = 'failed' and updated_at > now() - interval '24 hours'"#
        )
        .fetch_one(pool)
        .await?
    } else {
        0
    };
    Ok(Attention {
        vendors_pending: row.pending,
        products_reported: row.reported,
        payments_to_review: row.review,
        payouts_failed: row.payouts_failed,
        mail_failing: row.mail_failing,
        search_behind: row.search_behind,
        jobs_failing,
    })
}

/// Whether the job queue's tables are there (not in a database only our migrations made).
#[cfg(feature = "ssr")]
async fn job_queue_known(pool: &sqlx::PgPool) -> Result<bool, AppError> {
    Ok(
        sqlx::query_scalar!(r#"select to_regclass('underway.task_attempt') is not null as "known!""#)
            .fetch_one(pool)
            .await?,
    )
}

/// The latest five runs of background jobs that failed in the last 24 hours.
#[cfg(feature = "ssr")]
async fn latest_failed_jobs(pool: &sqlx::PgPool) -> Result<Vec<FailedJob>, AppError> {
    if !job_queue_known(pool).await? {
        return Ok(Vec::new());
    }
    let rows = sqlx::query!(
        r#"select task_queue_name as job, to_char(updated_at at time zone 'UTC', 'YYYY-MM-DD HH24:MI') as "at!",
                  left(coalesce(error_message, ''), 300) as "error!"
           from underway.task_attempt
           where state = 'failed' and updated_at > now() - interval '24 hours'
           order by updated_at desc limit 5"#
    )
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| FailedJob {
            job: r.job,
            at: r.at,
            error: r.error,
        })
        .collect())
}

/// One thing to act on: how many, what, and where to go (if the console has a page for it).
fn alert(count: i64, (one, many): (&str, &str), href: Option<&str>) -> Option<impl IntoView + use<>> {
    (count > 0).then(|| {
        let text = crate::text::counted(count as u64, one, many);
        let line = match href {
            Some(href) => view! { <a href=href.to_string()>{text}</a> }.into_any(),
            None => view! { <span>{text}</span> }.into_any(),
        };
        view! { <li>{line}</li> }
    })
}

/// `/admin`: the marketplace at a glance, for admins with 2FA on: what needs acting on, then
/// the figures of the chosen period (`?period=`, or `range` with `from` and `to`).
#[component]
pub fn AdminHome() -> impl IntoView {
    let query = leptos_router::hooks::use_query_map().read_untracked().clone();
    let get = move |name: &str| query.get(name).unwrap_or_default();
    let (period, from, to) = (get("period"), get("from"), get("to"));
    let load = async move {
        let counts = admin_overview().await?;
        // A range that doesn't read shows the last 30 days, with what was wrong with it.
        let (figures, problem) = match analytics::api::analytics(period, from, to).await {
            Err(error) if error.is_about_fields() => {
                let problem = error.field_messages();
                (
                    analytics::api::analytics(String::new(), String::new(), String::new()).await?,
                    Some(problem),
                )
            }
            other => (other?, None),
        };
        Ok::<_, AppError>((counts, figures, problem))
    };
    page_body(
        load,
        |(o, figures, problem): (AdminFigures, Overview, Option<String>)| {
            let alerts = [
                alert(
                    o.attention.vendors_pending,
                    ("shop application waiting", "shop applications waiting"),
                    Some("/admin/vendors?status=pending"),
                ),
                alert(
                    o.attention.products_reported,
                    ("product reported by shoppers", "products reported by shoppers"),
                    Some("/admin/products?reported=1"),
                ),
                alert(
                    o.attention.payments_to_review,
                    (
                        "payment held for review (amount or currency not as asked)",
                        "payments held for review (amount or currency not as asked)",
                    ),
                    Some("/admin/orders?status=pending_payment"),
                ),
                alert(
                    o.attention.payouts_failed,
                    (
                        "payout failed (not paid since)",
                        "payouts failed (not paid since)",
                    ),
                    Some("/admin/payouts?status=failed"),
                ),
                alert(
                    o.attention.mail_failing,
                    (
                        "mail not delivering (the server keeps retrying)",
                        "mails not delivering (the server keeps retrying)",
                    ),
                    None,
                ),
                alert(
                    o.attention.jobs_failing,
                    (
                        "background job run failed in the last 24 hours",
                        "background job runs failed in the last 24 hours",
                    ),
                    Some("#failed-jobs"),
                ),
                alert(
                    o.attention.search_behind,
                    (
                        "catalogue change waiting over five minutes for the search engine",
                        "catalogue changes waiting over five minutes for the search engine",
                    ),
                    None,
                ),
            ];
            let quiet = alerts.iter().all(Option::is_none);
            view! {
                <AdminFrame title="Overview">
                    <section class="panel stack" aria-labelledby="act-title">
                        <h2 id="act-title">"To act on"</h2>
                        {if quiet {
                            view! { <p class="muted">"Nothing waits for an operator."</p> }.into_any()
                        } else {
                            view! { <ul class="alerts">{alerts.into_iter().flatten().collect_view()}</ul> }.into_any()
                        }}
                    </section>
                    <FailedJobs jobs=o.failed_jobs.clone()/>
                    {problem.map(|p| view! { <p class="form-error" role="alert">{p}</p> })}
                    <Analytics overview=figures/>
                    <dl class="figures">
                        <div><dt>"Customers and staff"</dt><dd>{o.users}</dd></div>
                        <div><dt>"Shops waiting for approval"</dt><dd>{o.attention.vendors_pending}</dd></div>
                        <div><dt>"Approved shops"</dt><dd>{o.vendors_approved}</dd></div>
                        <div><dt>"Active products"</dt><dd>{o.products_active}</dd></div>
                    </dl>
                </AdminFrame>
            }
        },
    )
}

/// The latest failed runs of background jobs, with their errors (jobs are retried by
/// themselves; a run that keeps failing needs a look at its cause).
#[component]
fn FailedJobs(jobs: Vec<FailedJob>) -> impl IntoView {
    (!jobs.is_empty()).then(|| {
        let rows = jobs
            .into_iter()
            .map(|j| view! { <tr><td>{j.job}</td><td>{j.at}</td><td>{j.error}</td></tr> })
            .collect_view();
        view! {
            <section class="panel stack" id="failed-jobs" aria-labelledby="failed-jobs-title">
                <h2 id="failed-jobs-title">"Background jobs that failed"</h2>
                <p class="muted">"Each job is tried again by itself; one that keeps failing needs its cause fixed (the server's log has the rest)."</p>
                <TableScroll label="Failed job runs"><table class="data-table">
                    <thead><tr><th>"Job"</th><th>"When (UTC)"</th><th>"Error"</th></tr></thead>
                    <tbody>{rows}</tbody>
                </table></TableScroll>
            </section>
        }
    })
}
