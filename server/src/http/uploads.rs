//! A shop's files: product image uploads, CSV import and export. Plain multipart forms (they
//! work without JavaScript); after an upload the browser is sent back to the page with a
//! notice (Post/Redirect/Get). Only members of the shop get through, as everywhere.

use super::ServerState;
use app::accounts::viewer::{ClientInfo, Identity};
use app::error::AppError;
use app::id::ProductId;
use app::text::encode_component;
use app::ui::Notice;
use app::vendors::catalog_csv::{self, progress};
use app::vendors::images::{self, intake::NotTaken, upload};
use app::vendors::model::ImportReport;
use app::vendors::shop::{Need, Shop, shop_of};
use axum::extract::{Multipart, Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Extension, body::Bytes};
use http::StatusCode;
use tower_sessions::Session;
use uuid::Uuid;

pub mod form;

/// Where the last import's report waits for the import page.
pub const REPORT_KEY: &str = "import_report";

/// Who is refused is told the same as on the pages: sign in, or no access.
fn refuse(error: AppError, here: &str) -> Response {
    if error == AppError::Unauthorized {
        return Redirect::to(&format!("/account/login?next={}", encode_component(here))).into_response();
    }
    let status = StatusCode::from_u16(error.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    (status, error.to_string()).into_response()
}

fn member(identity: &Identity, vendor: &str, need: Need, client: &ClientInfo) -> Result<Shop, AppError> {
    shop_of(
        identity.0.clone().ok_or(AppError::Unauthorized)?,
        vendor,
        need,
        &client.ip,
    )
}

/// `POST /vendor/{vendor}/upload/image/{product}`: checks, resizes and stores an image.
pub async fn product_image(
    State(state): State<ServerState>,
    Extension(identity): Extension<Identity>,
    Extension(client): Extension<ClientInfo>,
    Path((vendor, product)): Path<(String, String)>,
    multipart: Multipart,
) -> Response {
    let back = format!("/vendor/{vendor}/products/{product}");
    let shop = match member(&identity, &vendor, Need::Edit, &client) {
        Ok(shop) => shop,
        Err(error) => return refuse(error, &back),
    };
    let Some(product) = ProductId::parse(&product).map(ProductId::uuid) else {
        return refuse(AppError::NotFound, &back);
    };
    if let Err(error) = images::product_slug(&state.app, &shop, product).await {
        return refuse(error, &back);
    }
    let mut form = match form::read(multipart, "image", &form::IMAGE).await {
        Ok(form) => form,
        Err(refusal) => return refusal.into_response(),
    };
    let notice = |notice: Notice| Redirect::to(&notice.on(&back)).into_response();
    let alt = form.field("alt").to_string();
    match images::intake::take(&state.app, &shop, product, form.first_file().bytes, &alt).await {
        Ok(()) => notice(Notice::ImageAdded),
        Err(NotTaken::Refused(refused)) => notice(refused.notice()),
        Err(NotTaken::Failed(error)) => refuse(error, &back),
    }
}

/// `POST /vendor/{vendor}/upload/logo`: the shop's logo (owners), checked and resized like
/// product images.
pub async fn shop_logo(
    State(state): State<ServerState>,
    Extension(identity): Extension<Identity>,
    Extension(client): Extension<ClientInfo>,
    Path(vendor): Path<String>,
    multipart: Multipart,
) -> Response {
    let back = format!("/vendor/{vendor}");
    let shop = match member(&identity, &vendor, Need::Owner, &client) {
        Ok(shop) => shop,
        Err(error) => return refuse(error, &back),
    };
    let mut form = match form::read(multipart, "logo", &form::IMAGE).await {
        Ok(form) => form,
        Err(refusal) => return refusal.into_response(),
    };
    let notice = |notice: Notice| Redirect::to(&notice.on(&back)).into_response();
    let rendered = match state.app.renderer.render(form.first_file().bytes).await {
        Ok(rendered) => rendered,
        Err(refused) => return notice(refused.notice()),
    };
    let key = images::new_logo_key(&shop);
    if let Err(error) = upload::put(&*state.app.media, &key, &rendered).await {
        tracing::error!(%error, "storing a logo failed");
        images::remove_files(&state.app, &key).await;
        return refuse(AppError::Internal, &back);
    }
    if let Err(error) = images::set_logo(&state.app, &shop, &key).await {
        images::remove_files(&state.app, &key).await;
        return refuse(error, &back);
    }
    notice(Notice::LogoSaved)
}

/// `POST /vendor/{vendor}/upload/csv`: imports products, all or nothing; the import page
/// shows the report.
pub async fn import_csv(
    State(state): State<ServerState>,
    Extension(identity): Extension<Identity>,
    Extension(client): Extension<ClientInfo>,
    Extension(session): Extension<Session>,
    Path(vendor): Path<String>,
    multipart: Multipart,
) -> Response {
    let back = format!("/vendor/{vendor}/import");
    let shop = match member(&identity, &vendor, Need::Edit, &client) {
        Ok(shop) => shop,
        Err(error) => return refuse(error, &back),
    };
    let (file, form) = match form::read(multipart, "file", &form::CSV).await {
        Ok(mut form) => (form.first_file(), form),
        Err(refusal) => return refusal.into_response(),
    };
    if let Err(problem) = catalog_csv::check_text(&file.bytes) {
        return (StatusCode::BAD_REQUEST, catalog_csv::describe(&problem)).into_response();
    }
    let tracked = progress::start(&state.app.pool, shop.id, form.field("progress_token"));
    let imported = catalog_csv::import(&state.app, &shop, &file.bytes, &tracked.progress).await;
    tracked.ended().await;
    let mut report = match imported {
        Ok((rows, products)) => ImportReport {
            id: String::new(),
            file_name: file.name.clone(),
            rows,
            products,
            errors: Vec::new(),
        },
        Err(errors) => ImportReport {
            id: String::new(),
            file_name: file.name.clone(),
            rows: 0,
            products: 0,
            errors,
        },
    };
    report.id = Uuid::now_v7().simple().to_string();
    if let Err(error) = session.insert(REPORT_KEY, &report).await {
        tracing::error!(%error, "keeping the import report failed");
    }
    let report_page = format!("{back}?report={}", report.id);
    if report.errors.is_empty() {
        Redirect::to(&Notice::Imported.on(&report_page)).into_response()
    } else {
        Redirect::to(&report_page).into_response()
    }
}

/// `GET /vendor/{vendor}/import/progress/{token}`: how far the shop's import named `token` is,
/// as JSON (`stage`: reading, checking, saving, done or failed; `done` of `total` products).
pub async fn import_progress(
    State(state): State<ServerState>,
    Extension(identity): Extension<Identity>,
    Extension(client): Extension<ClientInfo>,
    Path((vendor, token)): Path<(String, String)>,
) -> Response {
    let here = format!("/vendor/{vendor}/import");
    let shop = match member(&identity, &vendor, Need::Read, &client) {
        Ok(shop) => shop,
        Err(error) => return refuse(error, &here),
    };
    match progress::get(&state.app.pool, shop.id, &token).await {
        Ok(Some(report)) => (
            [(axum::http::header::CACHE_CONTROL, "no-store")],
            axum::Json(report),
        )
            .into_response(),
        Ok(None) => refuse(AppError::NotFound, &here),
        Err(error) => refuse(error.into(), &here),
    }
}

/// `GET /vendor/{vendor}/export/products.csv`.
pub async fn export_csv(
    State(state): State<ServerState>,
    Extension(identity): Extension<Identity>,
    Extension(client): Extension<ClientInfo>,
    Path(vendor): Path<String>,
) -> Response {
    let here = format!("/vendor/{vendor}/export/products.csv");
    let shop = match member(&identity, &vendor, Need::Read, &client) {
        Ok(shop) => shop,
        Err(error) => return refuse(error, &here),
    };
    match catalog_csv::export(&state.app, &shop).await {
        Ok(bytes) => {
            let file = format!("{vendor}-products.csv");
            (super::reports::csv_headers(&file), Bytes::from(bytes)).into_response()
        }
        Err(error) => {
            tracing::error!(%error, "exporting products failed");
            refuse(AppError::Internal, &here)
        }
    }
}
