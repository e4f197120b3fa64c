//! Shoppers reporting products: signed in, one open report per shopper and product, and at
//! most `PER_DAY` reports a day per shopper, counted in the database (so the limit holds
//! however many servers answer).

use super::model::{ReportReason, ReportTarget};
use crate::accounts::validate;
use crate::error::{AppError, AppResult, Problems};
use crate::state::AppState;
use uuid::Uuid;

/// Reports one shopper may file in 24 hours.
pub const PER_DAY: i64 = 10;

/// The product on sale at `slug`, for the report page of `user`.
pub async fn target(state: &AppState, user: Uuid, slug: &str) -> AppResult<ReportTarget> {
    let row = sqlx::query!(
        r#"select p.slug, p.title, v.name,
                  exists (select 1 from product_reports r
                          where r.product_id = p.id and r.reporter_id = $2 and r.closed_at is null) as "reported!"
           from products p join vendors v on v.id = p.vendor_id
           where p.slug = $1 and p.status = 'active' and v.status = 'approved'"#,
        slug,
        user
    )
    .fetch_optional(&state.pool)
    .await?
    .ok_or(AppError::NotFound)?;
    Ok(ReportTarget {
        slug: row.slug,
        title: row.title,
        vendor: row.name,
        already_reported: row.reported,
    })
}

/// Files `user`'s report of the product at `slug`: every field checked at once.
pub async fn file(state: &AppState, user: Uuid, slug: &str, reason: &str, note: &str) -> AppResult<()> {
    let mut problems = Problems::default();
    let reason = ReportReason::from_key(reason);
    if reason.is_none() {
        problems.add("reason", "Choose what is wrong with the product.");
    }
    let note = problems.take(validate::text("note", note, 0, 1_000, "The note"));
    if reason == Some(ReportReason::Other) && note.is_empty() {
        problems.add("note", "Say what is wrong: the team reads every note.");
    }
    problems.finish()?;
    let reason = reason.expect("checked above");
    let mut tx = state.pool.begin().await?;
    // The shopper's reports are counted under a lock on their account row, so that parallel
    // requests can't all pass the count.
    sqlx::query!("select id from users where id = $1 for update", user)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(AppError::Unauthorized)?;
    let today = sqlx::query_scalar!(
        r#"select count(*) as "n!" from product_reports
           where reporter_id = $1 and created_at > now() - interval '24 hours'"#,
        user
    )
    .fetch_one(&mut *tx)
    .await?;
    if today >= PER_DAY {
        return Err(AppError::RateLimited);
    }
    let product = sqlx::query_scalar!(
        "select p.id from products p join vendors v on v.id = p.vendor_id
         where p.slug = $1 and p.status = 'active' and v.status = 'approved'",
        slug
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(AppError::NotFound)?;
    let filed = sqlx::query!(
        "insert into product_reports (product_id, reporter_id, reason, note) values ($1, $2, $3, $4)
         on conflict (product_id, reporter_id) where closed_at is null do nothing",
        product,
        user,
        reason.key(),
        note
    )
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if filed == 0 {
        return Err(AppError::Conflict(
            "You have reported this product already: the marketplace team will look at it.".into(),
        ));
    }
    tx.commit().await?;
    tracing::info!(%product, reason = reason.key(), "product reported");
    Ok(())
}
