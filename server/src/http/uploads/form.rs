//! Reading a shop's upload form: its files, refused past the route's limits, and its text
//! fields, which must be text (UTF-8 without NUL), as must the files' names.

use app::vendors::images::upload;
use axum::extract::Multipart;
use axum::extract::multipart::MultipartError;
use axum::response::{IntoResponse, Response};
use http::{Method, StatusCode, header};
use http_body_util::LengthLimitError;

/// How large an upload's files may be, how many it may hold, how long its text fields may
/// be, and what a larger one is told.
pub struct Limit {
    file: usize,
    files: usize,
    /// Characters kept of each text field.
    text: usize,
    /// Room in the request for the form around its files: boundaries, part headers, fields.
    room: usize,
    too_large: &'static str,
}

/// Room for the short fields of an upload: the image's description, the import's progress
/// token.
const SHORT_FIELDS: usize = 64 * 1024;

/// Product images and logos.
pub const IMAGE: Limit = Limit {
    file: upload::MAX_BYTES,
    files: 1,
    text: 1_000,
    room: SHORT_FIELDS,
    too_large: "The image is larger than 10 MB: nothing was stored. Use a smaller image.",
};

/// CSV imports.
pub const CSV: Limit = Limit {
    file: 20 * 1024 * 1024,
    files: 1,
    text: 1_000,
    room: SHORT_FIELDS,
    too_large: "The file is larger than 20 MB: nothing was imported. Split it into several files.",
};

/// The new-product form: the product's fields (a description of up to 20,000 characters,
/// options, variants) and the images chosen with it.
pub const NEW_PRODUCT: Limit = Limit {
    file: upload::MAX_BYTES,
    files: NEW_PRODUCT_IMAGES,
    text: 20_000,
    room: 256 * 1024,
    too_large: "The form is too large: at most 5 images of 10 MB each. Nothing was saved; \
                add the other images after saving.",
};

/// How many images the new-product form takes; more are added in the editor.
pub const NEW_PRODUCT_IMAGES: usize = 5;

impl Limit {
    /// The largest request body: the files and the form around them.
    pub const fn body(&self) -> usize {
        self.file * self.files + self.room
    }

    pub fn too_large(&self) -> &'static str {
        self.too_large
    }
}

/// The limit of the upload a request is, if it is one (`POST
/// /vendor/{vendor}/upload/image/{product}`, `…/upload/logo`, `…/upload/csv`, and the
/// new-product page `…/products/new`). The middleware asks before routing, so that these
/// requests are held to their own limit, not the general one.
pub fn limit_for(method: &Method, path: &str) -> Option<&'static Limit> {
    if method != Method::POST {
        return None;
    }
    match path.split('/').collect::<Vec<_>>().as_slice() {
        ["", "vendor", _, "upload", "image", _] | ["", "vendor", _, "upload", "logo"] => Some(&IMAGE),
        ["", "vendor", _, "upload", "csv"] => Some(&CSV),
        ["", "vendor", _, "products", "new"] => Some(&NEW_PRODUCT),
        _ => None,
    }
}

/// An uploaded file: its bytes and the name it had on the sender's machine.
pub struct File {
    pub bytes: Vec<u8>,
    pub name: String,
}

/// An upload form as read: its files (in the order sent) and its other fields.
pub struct Form {
    pub files: Vec<File>,
    fields: Vec<(String, String)>,
}

impl Form {
    /// The first file (an empty one when none was sent): the file of a one-file form.
    pub fn first_file(&mut self) -> File {
        if self.files.is_empty() {
            File {
                bytes: Vec::new(),
                name: String::new(),
            }
        } else {
            self.files.remove(0)
        }
    }

    /// Every field but the files, in the order sent.
    pub fn into_fields(self) -> Vec<(String, String)> {
        self.fields
    }

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
    /// More files than the form takes.
    TooManyFiles(usize),
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
            Self::TooManyFiles(most) => (
                StatusCode::BAD_REQUEST,
                format!("The form sends more files than it takes (at most {most}). Nothing was saved."),
            ),
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

/// Reads the file fields `name` of a multipart form (at most `limit`'s count of files, each
/// at most its size; a part with no file chosen is left out) and
/// the text fields (each cut to `limit`'s length).
pub async fn read(mut form: Multipart, name: &str, limit: &Limit) -> Result<Form, Refusal> {
    let (mut files, mut fields): (Vec<File>, _) = (Vec::new(), Vec::new());
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
            let name: String = field.file_name().unwrap_or_default().chars().take(200).collect();
            let mut bytes = Vec::new();
            while let Some(chunk) = field.chunk().await.map_err(|e| unreadable(e, limit))? {
                if bytes.len() + chunk.len() > limit.file {
                    return Err(Refusal::TooLarge(limit.too_large));
                }
                bytes.extend_from_slice(&chunk);
            }
            if !(bytes.is_empty() && name.is_empty()) {
                if files.len() == limit.files {
                    return Err(Refusal::TooManyFiles(limit.files));
                }
                files.push(File { bytes, name });
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
            fields.push((field_name, text.chars().take(limit.text).collect()));
        }
    }
    Ok(Form { files, fields })
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
        assert_eq!(
            limit_for(&post, "/vendor/mugs/products/new").map(Limit::body),
            Some(NEW_PRODUCT.body())
        );
        for (method, path) in [
            (Method::GET, "/vendor/mugs/upload/csv"),
            (Method::POST, "/vendor/mugs/upload/csv/x"),
            (Method::POST, "/vendor/mugs/products/upload/csv"),
            (Method::POST, "/p/upload/logo"),
            (Method::POST, "/api/vendor/upload/logo"),
            (Method::POST, "/vendor/mugs/products/0193"),
            (Method::GET, "/vendor/mugs/products/new"),
        ] {
            assert!(limit_for(&method, path).is_none(), "{method} {path}");
        }
    }
}
