//! The overview's server function, for admins whose session passed two-factor authentication.

use super::model::Overview;
use crate::error::AppError;
use leptos::prelude::*;

/// The marketplace's figures for `period` ("today", "7", "30", "90"; "range" with `from` and
/// `to` as `YYYY-MM-DD`), compared with as many days before.
#[server(prefix = "/api", endpoint = "admin/analytics", input = server_fn::codec::Json)]
pub async fn analytics(
    #[server(default)] period: String,
    #[server(default)] from: String,
    #[server(default)] to: String,
) -> Result<Overview, AppError> {
    crate::accounts::viewer::Viewer::of_request().admin()?;
    let state = crate::state::app_state()?;
    let today = chrono::Utc::now().date_naive();
    let (key, span) = super::period::Span::parse(&period, &from, &to, today)?;
    super::overview::load(&state, key, span).await
}

/// The days the reports page offers its files for: `from` and `to` (`YYYY-MM-DD`), or the
/// last 30 days when both are empty.
#[server(prefix = "/api", endpoint = "admin/reports", input = server_fn::codec::Json)]
pub async fn report_days(
    #[server(default)] from: String,
    #[server(default)] to: String,
) -> Result<(String, String), AppError> {
    crate::accounts::viewer::Viewer::of_request().admin()?;
    let today = chrono::Utc::now().date_naive();
    let span = if from.is_empty() && to.is_empty() {
        super::period::Span::parse("30", "", "", today)?.1
    } else {
        super::period::Span::range(&from, &to)?
    };
    Ok((span.from.to_string(), span.to.to_string()))
}
