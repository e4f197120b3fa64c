//! The one check at the edge on everything a request carries as text: path segments, query
//! values, form fields and JSON strings must be UTF-8 without NUL bytes (PostgreSQL refuses
//! NUL in text, and a 500 is no answer to a bad request), and no JSON string may be longer than
//! `TEXT_MAX_BYTES`. Each server function, page and upload still checks its own fields; this
//! makes sure none of them ever sees such input, whatever door it came in by.

use app::error::AppError;
use axum::body::{Body, Bytes};
use axum::extract::Request;
use axum::http::{StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use percent_encoding::percent_decode;

/// Longest JSON string accepted (bytes): above every field's own limit (a product description
/// is at most 20,000 characters), far below what would make a cache entry or a log line heavy.
pub const TEXT_MAX_BYTES: usize = 100 * 1024;

/// What was wrong with the request, for its 400.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Problem {
    Address,
    Form,
    Json,
    TooLong,
    NotJson,
    TooDeep,
}

impl Problem {
    fn message(self) -> &'static str {
        match self {
            Problem::Address => {
                "The address contains a character that is not allowed (a NUL byte or invalid UTF-8)."
            }
            Problem::Form => {
                "The form contains a character that is not allowed (a NUL byte or invalid UTF-8)."
            }
            Problem::Json => {
                "The request contains a character that is not allowed (a NUL byte or invalid UTF-8)."
            }
            Problem::TooLong => "A text value in the request is too long (at most 100 KB).",
            Problem::NotJson => "The request says it is JSON but is not valid JSON.",
            Problem::TooDeep => "The request's JSON is nested too deeply (at most 32 levels).",
        }
    }
}

/// Refuses with 400 any request whose address, form or JSON carries text that is not text.
pub async fn refuse_bad_text(request: Request, next: Next) -> Response {
    let is_api = request.uri().path().starts_with("/api/");
    if let Err(problem) = check_uri(request.uri()) {
        return refuse(problem, is_api);
    }
    let kind = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(|v| {
            v.split(';')
                .next()
                .unwrap_or_default()
                .trim()
                .to_ascii_lowercase()
        });
    let check: fn(&[u8]) -> Result<(), Problem> = match kind.as_deref() {
        Some("application/x-www-form-urlencoded") => check_form,
        Some("application/json") => check_json,
        _ => return next.run(request).await,
    };
    let (parts, body) = request.into_parts();
    // The body limit layer outside this one has already bounded the body.
    let bytes: Bytes = match axum::body::to_bytes(body, usize::MAX).await {
        Ok(bytes) => bytes,
        Err(_) => return (StatusCode::PAYLOAD_TOO_LARGE, "The request is too large.").into_response(),
    };
    if let Err(problem) = check(&bytes) {
        return refuse(problem, is_api);
    }
    next.run(Request::from_parts(parts, Body::from(bytes))).await
}

fn refuse(problem: Problem, is_api: bool) -> Response {
    tracing::info!(?problem, "request with bad text refused");
    if is_api {
        // Server functions' callers read errors as the app's error type.
        let body = serde_json::to_string(&AppError::BadRequest(problem.message().into())).unwrap_or_default();
        return (
            StatusCode::BAD_REQUEST,
            [(header::CONTENT_TYPE, "application/json")],
            body,
        )
            .into_response();
    }
    (StatusCode::BAD_REQUEST, problem.message()).into_response()
}

/// A percent-encoded component decodes to UTF-8 without NUL.
fn is_text(encoded: &[u8]) -> bool {
    let decoded: Vec<u8> = percent_decode(encoded).collect();
    !decoded.contains(&0) && std::str::from_utf8(&decoded).is_ok()
}

pub fn check_uri(uri: &axum::http::Uri) -> Result<(), Problem> {
    let path_ok = uri.path().split('/').all(|segment| is_text(segment.as_bytes()));
    let query_ok = uri
        .query()
        .is_none_or(|query| check_form(query.as_bytes()).is_ok());
    if path_ok && query_ok {
        Ok(())
    } else {
        Err(Problem::Address)
    }
}

/// `a=1&b=2`: every name and value (`+` is a space, which is always fine).
pub fn check_form(body: &[u8]) -> Result<(), Problem> {
    body.split(|&b| b == b'&')
        .flat_map(|pair| pair.splitn(2, |&b| b == b'='))
        .all(is_text)
        .then_some(())
        .ok_or(Problem::Form)
}

/// Deepest JSON accepted: no argument of any server function is nested half as deep.
pub const JSON_DEPTH_MAX: usize = 32;

/// A JSON document, at most `JSON_DEPTH_MAX` deep, whose every string (and key) is text. An
/// empty body is left to the handler (functions without arguments may be called without one).
pub fn check_json(body: &[u8]) -> Result<(), Problem> {
    if std::str::from_utf8(body).is_err() {
        return Err(Problem::Json);
    }
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(());
    }
    // serde_json refuses lone surrogates and nesting past 128 levels itself.
    let value = serde_json::from_slice::<serde_json::Value>(body).map_err(|_| Problem::NotJson)?;
    check_value(&value, 0)
}

fn check_value(value: &serde_json::Value, depth: usize) -> Result<(), Problem> {
    if depth > JSON_DEPTH_MAX {
        return Err(Problem::TooDeep);
    }
    use serde_json::Value;
    let check_str = |text: &str| {
        if text.contains('\0') {
            Err(Problem::Json)
        } else if text.len() > TEXT_MAX_BYTES {
            Err(Problem::TooLong)
        } else {
            Ok(())
        }
    };
    match value {
        Value::String(text) => check_str(text),
        Value::Array(items) => items.iter().try_for_each(|item| check_value(item, depth + 1)),
        Value::Object(fields) => fields.iter().try_for_each(|(key, value)| {
            check_str(key)?;
            check_value(value, depth + 1)
        }),
        Value::Null | Value::Bool(_) | Value::Number(_) => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_with_nul_or_broken_utf8_are_refused() {
        let ok = [
            "/p/t-shirt",
            "/search?q=caf%C3%A9&page=2",
            "/search?q=a+b",
            "/%E2%82%AC",
        ];
        for uri in ok {
            assert_eq!(check_uri(&uri.parse().unwrap()), Ok(()), "{uri}");
        }
        let bad = [
            "/p/%00",
            "/p/a%00b",
            "/search?q=%00",
            "/search?%00=x",
            "/p/%C3%28",
            "/search?q=%FF",
        ];
        for uri in bad {
            assert_eq!(check_uri(&uri.parse().unwrap()), Err(Problem::Address), "{uri}");
        }
    }

    #[test]
    fn forms_and_json_with_nul_or_broken_utf8_are_refused() {
        assert_eq!(check_form(b"email=a%40b.c&name=Zo%C3%AB"), Ok(()));
        assert_eq!(check_form(b"email=a%00b"), Err(Problem::Form));
        assert_eq!(check_form(b"email=%E9t%E9"), Err(Problem::Form));
        assert_eq!(check_json(br#"{"q": "caf\u00e9", "n": [1, {"a": "b"}]}"#), Ok(()));
        assert_eq!(check_json(br#"{"q": "a\u0000b"}"#), Err(Problem::Json));
        assert_eq!(check_json(br#"{"a\u0000": 1}"#), Err(Problem::Json));
        assert_eq!(
            check_json(br#"{"q": ["ok", ["deep\u0000"]]}"#),
            Err(Problem::Json)
        );
        assert_eq!(check_json(b"{\"q\": \"\xff\"}"), Err(Problem::Json));
        assert_eq!(check_json(b"not json at all"), Err(Problem::NotJson));
        assert_eq!(check_json(b""), Ok(()), "no arguments");
        let deep = |n: usize| format!("{}1{}", "[".repeat(n), "]".repeat(n));
        assert_eq!(check_json(deep(JSON_DEPTH_MAX).as_bytes()), Ok(()));
        assert_eq!(
            check_json(deep(JSON_DEPTH_MAX + 2).as_bytes()),
            Err(Problem::TooDeep)
        );
        assert_eq!(check_json(deep(1000).as_bytes()), Err(Problem::NotJson));
        let long = format!(r#"{{"q": "{}"}}"#, "x".repeat(TEXT_MAX_BYTES + 1));
        assert_eq!(check_json(long.as_bytes()), Err(Problem::TooLong));
    }
}
