//! `GET /admin/reports/{file}?from=YYYY-MM-DD&to=YYYY-MM-DD`: an operators' report as CSV
//! (see `app::analytics::reports`), streamed: a task reads the rows one by one and sends the
//! file in chunks, at the pace the client takes them, so no report is held in memory whole.

use super::ServerState;
use app::accounts::viewer::{ClientInfo, Identity, Viewer};
use app::analytics::period::Span;
use app::analytics::reports::{Report, cells};
use app::error::AppError;
use app::money::Currency;
use app::text::encode_component;
use axum::Extension;
use axum::body::{Body, Bytes};
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use sqlx::{PgPool, Row};
use tokio::sync::mpsc::Sender;

/// Bytes of CSV sent at a time.
const CHUNK: usize = 64 * 1024;

#[derive(Deserialize)]
pub struct Range {
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
}

/// Where a refused browser goes, or what it is told.
fn refuse(error: AppError, here: &str) -> Response {
    let next = encode_component(here);
    match error {
        AppError::Unauthorized => Redirect::to(&format!("/account/login?next={next}")).into_response(),
        AppError::ConfirmIdentity => Redirect::to(&format!("/account/confirm?next={next}")).into_response(),
        AppError::TwoFactorRequired => Redirect::to("/account/security").into_response(),
        error => {
            let status = StatusCode::from_u16(error.status()).unwrap_or(StatusCode::FORBIDDEN);
            (status, error.to_string()).into_response()
        }
    }
}

pub async fn download(
    State(state): State<ServerState>,
    Extension(identity): Extension<Identity>,
    Path(file): Path<String>,
    Query(range): Query<Range>,
) -> Response {
    let here = format!("/admin/reports/{file}");
    if let Err(error) = Viewer::new(identity.0.clone(), None, ClientInfo::default()).admin() {
        return refuse(error, &here);
    }
    let Some(report) = Report::from_file(&file) else {
        return (StatusCode::NOT_FOUND, "There is no such report.").into_response();
    };
    let span = match Span::range(&range.from, &range.to) {
        Ok(span) => span,
        Err(error) => {
            return (StatusCode::BAD_REQUEST, error.field_messages()).into_response();
        }
    };
    let (tx, rx) = tokio::sync::mpsc::channel::<Result<Bytes, std::io::Error>>(4);
    let (pool, currency) = (state.app.pool.clone(), state.app.site.currency);
    tokio::spawn(async move {
        if let Err(error) = write(&pool, report, span, currency, &tx).await {
            tracing::warn!(error = %format!("{error:#}"), report = report.file(), "a report stopped part-way");
            let _ = tx
                .send(Err(std::io::Error::other("the report stopped part-way")))
                .await;
        }
    });
    // Fused: a compressing layer polls the body once more after its end.
    let chunks = futures::stream::unfold(
        rx,
        |mut rx| async move { rx.recv().await.map(|chunk| (chunk, rx)) },
    );
    let body = Body::from_stream(futures::StreamExt::fuse(chunks));
    let file = format!("{}-{}-{}", span.from, span.to, report.file());
    (csv_headers(&file), body).into_response()
}

/// The headers of a CSV file the browser saves as `file`, kept by no cache.
pub fn csv_headers(file: &str) -> [(header::HeaderName, HeaderValue); 3] {
    let disposition = format!("attachment; filename=\"{file}\"");
    [
        (
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/csv; charset=utf-8"),
        ),
        (
            header::CONTENT_DISPOSITION,
            HeaderValue::from_str(&disposition).unwrap_or(HeaderValue::from_static("attachment")),
        ),
        (
            header::CACHE_CONTROL,
            HeaderValue::from_static("private, no-store"),
        ),
    ]
}

/// Writes the report's rows to `tx` in chunks; stops quietly when the client has gone.
pub(crate) async fn write(
    pool: &PgPool,
    report: Report,
    span: Span,
    currency: Currency,
    tx: &Sender<Result<Bytes, std::io::Error>>,
) -> anyhow::Result<()> {
    use futures::TryStreamExt;
    let writer = || csv::Writer::from_writer(Vec::with_capacity(CHUNK + 1024));
    let mut out = writer();
    out.write_record(report.columns().iter().map(|(heading, _)| *heading))?;
    let mut rows = sqlx::query(report.sql())
        .bind(span.from)
        .bind(span.to)
        .fetch(pool);
    while let Some(row) = rows.try_next().await? {
        let values = (0..row.len())
            .map(|i| row.try_get::<Option<String>, _>(i).map(Option::unwrap_or_default))
            .collect::<Result<Vec<_>, _>>()?;
        out.write_record(cells(report, &values, currency))?;
        if out.get_ref().len() >= CHUNK {
            let chunk = std::mem::replace(&mut out, writer()).into_inner()?;
            if tx.send(Ok(chunk.into())).await.is_err() {
                return Ok(());
            }
        }
    }
    let _ = tx.send(Ok(out.into_inner()?.into())).await;
    Ok(())
}
