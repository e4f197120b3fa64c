//! Server-rendered forms. A form posts to its own page; the server turns the POST into
//! `FormSubmission` and renders the page again (see `server::http::page_forms`).
//! The page decodes it once into its typed action (`decode`), acts on it (`act`), and either
//! redirects (Post/Redirect/Get) or shows the form with the entered values and the error next
//! to its field. The same with or without JavaScript.

use crate::error::AppError;
use serde::Deserialize;

mod act;
mod confirm;
mod decode;
mod fields;

pub use act::{After, act, act_then};
pub use confirm::Confirm;
pub use decode::{ACTION_FIELD, DecodeError, Keyed, decode};
pub use fields::{Field, FormAction, FormError, input_id};

/// The fields of a submitted `application/x-www-form-urlencoded` form, in order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FormSubmission(pub Vec<(String, String)>);

impl FormSubmission {
    /// The text sent in the field `name`, or "" (to show it back in the form).
    pub fn text(&self, name: &str) -> &str {
        self.0
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
            .unwrap_or_default()
    }

    /// Which of a page's forms was submitted (its `_action` field).
    pub fn action(&self) -> &str {
        self.text(ACTION_FIELD)
    }

    /// The form as the typed value `T` (see `decode` for the rules).
    pub fn decode<'a, T: Deserialize<'a>>(&'a self) -> Result<T, AppError> {
        decode(&self.0).map_err(AppError::from)
    }
}

/// The files sent with a form posted to a page as `multipart/form-data` (the new-product
/// form's images), in the order chosen; the other fields are its `FormSubmission`.
#[derive(Debug, Clone, Default)]
pub struct PostedFiles(pub std::sync::Arc<Vec<Vec<u8>>>);

/// The files posted with this request's form (none for a GET or a plain form).
pub fn posted_files() -> PostedFiles {
    #[cfg(feature = "ssr")]
    {
        leptos::prelude::use_context::<http::request::Parts>()
            .and_then(|parts| parts.extensions.get::<PostedFiles>().cloned())
            .unwrap_or_default()
    }
    #[cfg(not(feature = "ssr"))]
    PostedFiles::default()
}

/// The form submitted with this request, when it is a POST to a page.
pub fn submitted_form() -> Option<FormSubmission> {
    #[cfg(feature = "ssr")]
    {
        leptos::prelude::use_context::<http::request::Parts>()
            .and_then(|parts| parts.extensions.get::<FormSubmission>().cloned())
    }
    #[cfg(not(feature = "ssr"))]
    None
}

/// Sends the browser on to `path` (a path on this site) with 303 See Other: after a
/// successful POST (Post/Redirect/Get) or from a guard. Pages only; not for server functions.
pub fn redirect(path: &str) {
    #[cfg(feature = "ssr")]
    if let (Some(response), Ok(location)) = (
        leptos::prelude::use_context::<leptos_axum::ResponseOptions>(),
        http::HeaderValue::from_str(path),
    ) {
        response.insert_header(http::header::LOCATION, location);
        response.set_status(http::StatusCode::SEE_OTHER);
    }
    #[cfg(not(feature = "ssr"))]
    let _ = path;
}

/// A submitted form's values and, when it failed, why. Rendered back into the form.
#[derive(Debug, Clone, Default)]
pub struct FormState {
    /// Which form on the page this is about (`_action`).
    pub action: String,
    pub values: FormSubmission,
    pub error: Option<AppError>,
}

impl FormState {
    /// The state of the form named `action`, if it was the one submitted and it failed.
    pub fn failed(action: &str, values: FormSubmission, error: AppError) -> Self {
        super::set_status(error.status());
        Self {
            action: action.into(),
            values,
            error: Some(error),
        }
    }

    fn for_action(&self, action: &str) -> Option<&Self> {
        (self.action == action).then_some(self)
    }

    /// The value to show in `field` of form `action`: what was entered, never a password.
    pub fn value(&self, action: &str, field: &str) -> String {
        self.for_action(action)
            .map(|s| s.values.text(field).to_string())
            .unwrap_or_default()
    }

    /// The form `action` as it was sent, decoded again (to show a failed form's entries).
    pub fn decoded<T: serde::de::DeserializeOwned>(&self, action: &str) -> Option<T> {
        self.for_action(action).and_then(|s| s.values.decode().ok())
    }

    /// The error to show next to `field` of form `action`.
    pub fn field_error(&self, action: &str, field: &str) -> Option<String> {
        self.for_action(action)
            .and_then(|s| s.error.as_ref())
            .and_then(|e| e.for_field(field))
            .map(str::to_string)
    }

    /// The error of form `action` that belongs to no field.
    pub fn form_error(&self, action: &str) -> Option<String> {
        self.for_action(action)
            .and_then(|s| s.error.as_ref())
            .filter(|e| !e.is_about_fields())
            .map(|e| e.to_string())
    }

    /// Every field of form `action` that was wrong, with its message, in the form's order.
    pub fn field_problems(&self, action: &str) -> Vec<(String, String)> {
        self.for_action(action)
            .and_then(|s| s.error.as_ref())
            .map(|e| {
                e.field_problems()
                    .map(|(field, message)| (field.to_string(), message.to_string()))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// The error of form `action`, whichever field (or none) it is about.
    pub fn any_error(&self, action: &str) -> Option<String> {
        self.for_action(action)
            .and_then(|s| s.error.as_ref())
            .map(|e| e.to_string())
    }
}
