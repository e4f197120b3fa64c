//! Reading a shop's upload form: its file field, refused past the route's limit, and its
//! short text fields, which must be text (UTF-8 without NUL), as must the file's name.

use app::vendors::images::upload;
use axum::extract::Multipart;
use axum::extract::multipart::MultipartError;
use axum::response::{IntoResponse, Response};
use http::{Method, StatusCode, header};
use http_body_util::LengthLimitError;

/// How large an upload's file may be, and what a larger one is told.
pub struct Limit {
    file: usize,
    too_large: &'static str,
}

/// Room in a request for the form around its file: boundaries, part headers, the image's
/// description and the import's progress token.
const FORM_ROOM: usize = 64 * 1024;

/// Product images and logos.
pub const IMAGE: Limit = Limit {
    file: upload::MAX_BYTES,
    too_large: "The image is larger than 10 MB: nothing was stored. Use a smaller image.",
};

/// CSV imports.
pub const CSV: Limit = Limit {
    file: 20 * 1024 * 1024,
    too_large: "The file is larger than 20 MB: nothing was imported. Split it into several files.",
};

impl Limit {
    /// The largest request body: the file and the form around it.
    pub const fn body(&self) -> usize {
        self.file + FORM_ROOM
    }

    pub fn too_large(&self) -> &'static str {
        self.too_large
    }
}

/// The limit of the upload route a request is for, if it is one (`POST
/// /vendor/{vendor}/upload/image/{product}`, `…/upload/logo`, `…/upload/csv`). The middleware
/// asks before routing, so that these requests are held to their own limit, not the general one.
pub fn limit_for(method: &Method, path: &str) -> Option<&'static Limit> {
    if method != Method::POST {
        return None;
    }
    match path.split('/').collect::<Vec<_>>().as_slice() {
        ["", "vendor", _, "upload", "image", _] | ["", "vendor", _, "upload", "logo"] => Some(&IMAGE),
        ["", "vendor", _, "upload", "csv"] => Some(&CSV),
        _ => None,
    }
}

/// An upload form as read: the file, its name, and the other fields.
pub struct Form {
    pub file: Vec<u8>,
    pub file_name: String,
    fields: Vec<(String, String)>,
}

impl Form {
    /// The text field `name` (empty when the form has none).
    pub fn field(&self, name: &str) -> &str {
        self.fields
            .iter()
            .find(|(field, _)| field == name)
            .map_or("", |(_, value)| value.as_str())
    }
}

/// Why an upload form was refused before its file was looked at.
#[derive(Debug)]
pub enum Refusal {
    TooLarge(&'static str),
    /// Not a multipart form, or one cut short; also what a part header with a NUL byte or
    /// another control character in a name becomes (the parser refuses it).
    Unreadable,
    /// A field or a file name that is not text.
    NotText(String),
}

impl IntoResponse for Refusal {
    fn into_response(self) -> Response {
        let (status, message) = match self {
            Self::TooLarge(message) => (StatusCode::PAYLOAD_TOO_LARGE, message.to_string()),
            Self::Unreadable => (
                StatusCode::BAD_REQUEST,
                "The upload could not be read as a form: a file or field name holds characters that \
                 are not text (such as a NUL byte), or the upload was cut short. Nothing was saved."
                    .to_string(),
            ),
            Self::NotText(message) => (StatusCode::BAD_REQUEST, message),
        };
        (status, message).into_response()
    }
}

/// A form that could not be read: too large when a body limit stopped it (the limit's error
/// may sit several wrappers deep), unreadable otherwise.
fn unreadable(error: MultipartError, limit: &Limit) -> Refusal {
    let mut cause: Option<&(dyn std::error::Error + 'static)> = Some(&error);
    while let Some(error) = cause {
        if error.is::<LengthLimitError>() {
            return Refusal::TooLarge(limit.too_large);
        }
        cause = error.source();
    }
    if error.status() == StatusCode::PAYLOAD_TOO_LARGE {
        Refusal::TooLarge(limit.too_large)
    } else {
        Refusal::Unreadable
    }
}

/// Reads the file field `name` of a multipart form, at most `limit`'s file, and the text
/// fields (each at most 1,000 characters kept).
pub async fn read(mut form: Multipart, name: &str, limit: &Limit) -> Result<Form, Refusal> {
    let (mut file, mut file_name, mut fields) = (Vec::new(), String::new(), Vec::new());
    while let Some(mut field) = form.next_field().await.map_err(|e| unreadable(e, limit))? {
        let field_name = field.name().unwrap_or_default().to_string();
        let is_file = field_name == name;
        // A name that is not UTF-8 comes out of the parser as no name at all: look at the header.
        let disposition = field
            .headers()
            .get(header::CONTENT_DISPOSITION)
            .map_or(&b""[..], |value| value.as_bytes());
        if std::str::from_utf8(disposition).is_err() {
            return Err(Refusal::NotText(if is_file {
                "The file's name is not UTF-8 text: rename the file and try again. Nothing was saved.".into()
            } else {
                "A field's name in the form is not UTF-8 text. Nothing was saved.".into()
            }));
        }
        if is_file {
            file_name = field.file_name().unwrap_or_default().chars().take(200).collect();
            while let Some(chunk) = field.chunk().await.map_err(|e| unreadable(e, limit))? {
                if file.len() + chunk.len() > limit.file {
                    return Err(Refusal::TooLarge(limit.too_large));
                }
                file.extend_from_slice(&chunk);
            }
        } else {
            // Not `text()`, which would put U+FFFD in place of what is not UTF-8.
            let bytes = field.bytes().await.map_err(|e| unreadable(e, limit))?;
            let text = String::from_utf8(bytes.to_vec()).map_err(|_| {
                Refusal::NotText(format!(
                    "The form's “{field_name}” field is not UTF-8 text. Nothing was saved."
                ))
            })?;
            if text.contains('\0') {
                return Err(Refusal::NotText(format!(
                    "The form's “{field_name}” field holds a NUL character, which is not text. \
                     Nothing was saved."
                )));
            }
            fields.push((field_name, text.chars().take(1_000).collect()));
        }
    }
    Ok(Form {
        file,
        file_name,
        fields,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn upload_routes_have_their_own_limits() {
        let post = Method::POST;
        assert_eq!(
            limit_for(&post, "/vendor/mugs/upload/image/0193").map(Limit::body),
            Some(IMAGE.body())
        );
        assert_eq!(
            limit_for(&post, "/vendor/mugs/upload/logo").map(Limit::body),
            Some(IMAGE.body())
        );
        assert_eq!(
            limit_for(&post, "/vendor/mugs/upload/csv").map(Limit::body),
            Some(CSV.body())
        );
        for (method, path) in [
            (Method::GET, "/vendor/mugs/upload/csv"),
            (Method::POST, "/vendor/mugs/upload/csv/x"),
            (Method::POST, "/vendor/mugs/products/upload/csv"),
            (Method::POST, "/p/upload/logo"),
            (Method::POST, "/api/vendor/upload/logo"),
        ] {
            assert!(limit_for(&method, path).is_none(), "{method} {path}");
        }
    }
}
