//! Forms posted to pages (not to `/api`): read into `FormSubmission` (and, for the one page
//! form that carries files, `PostedFiles`), then the page is rendered for them as for a GET:
//! the page acts on the form, then redirects or shows errors.

use super::uploads::form;
use app::ui::{FormSubmission, PostedFiles};
use axum::extract::{DefaultBodyLimit, FromRequest, Multipart, Request};
use axum::http::{Method, StatusCode, header, request::Parts};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::convert::Infallible;
use std::sync::Arc;
use tower::{Layer, ServiceExt, service_fn};

/// Form posts to pages are small; anything bigger is refused before parsing.
const FORM_LIMIT: usize = 64 * 1024;

/// Whether `path` is a page whose form sends files (`/vendor/{vendor}/products/new`: a new
/// product with its images).
fn takes_files(path: &str) -> bool {
    matches!(
        path.split('/').collect::<Vec<_>>().as_slice(),
        ["", "vendor", _, "products", "new"]
    )
}

pub async fn form_posts(request: Request, next: Next) -> Response {
    let content_type = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    if request.method() != Method::POST || request.uri().path().starts_with("/api/") {
        return next.run(request).await;
    }
    if content_type.starts_with("application/x-www-form-urlencoded") {
        let (parts, body) = request.into_parts();
        let Ok(bytes) = axum::body::to_bytes(body, FORM_LIMIT).await else {
            return (StatusCode::PAYLOAD_TOO_LARGE, "The form is too large.").into_response();
        };
        let Ok(fields) = serde_urlencoded::from_bytes::<Vec<(String, String)>>(&bytes) else {
            return (StatusCode::BAD_REQUEST, "The form could not be read.").into_response();
        };
        return next.run(as_page(parts, fields, None)).await;
    }
    if content_type.starts_with("multipart/form-data") && takes_files(request.uri().path()) {
        let (parts, body) = request.into_parts();
        let Some(multipart) = multipart(&parts, body).await else {
            return (StatusCode::BAD_REQUEST, "The form could not be read.").into_response();
        };
        let form = match form::read(multipart, "images", &form::NEW_PRODUCT).await {
            Ok(form) => form,
            Err(refusal) => return refusal.into_response(),
        };
        let files = form.files.iter().map(|file| file.bytes.clone()).collect();
        return next.run(as_page(parts, form.into_fields(), Some(files))).await;
    }
    next.run(request).await
}

/// The multipart reader of a posted form's body. The body's size is already capped by the
/// body limit middleware (at `form::NEW_PRODUCT`'s size), so the extractor's own default
/// limit (2 MB) is lifted.
async fn multipart(parts: &Parts, body: axum::body::Body) -> Option<Multipart> {
    let mut request = Request::new(body);
    if let Some(content_type) = parts.headers.get(header::CONTENT_TYPE) {
        request
            .headers_mut()
            .insert(header::CONTENT_TYPE, content_type.clone());
    }
    let reader = DefaultBodyLimit::disable().layer(service_fn(|request: Request| async move {
        Ok::<_, Infallible>(Multipart::from_request(request, &()).await.ok())
    }));
    reader.oneshot(request).await.ok().flatten()
}

/// The page request for a posted form: a GET carrying the form's fields and files.
fn as_page(mut parts: Parts, fields: Vec<(String, String)>, files: Option<Vec<Vec<u8>>>) -> Request {
    parts.method = Method::GET;
    parts.extensions.insert(FormSubmission(fields));
    if let Some(files) = files {
        parts.extensions.insert(PostedFiles(Arc::new(files)));
    }
    parts.headers.remove(header::CONTENT_TYPE);
    Request::from_parts(parts, axum::body::Body::empty())
}
