//! Server-rendered forms. A form posts to its own page; the server turns the POST into
//! `FormSubmission` and renders the page again (see `server::http::forms`). The page acts on
//! it and either redirects (Post/Redirect/Get) or shows the form with the entered values and
//! the error next to its field. The same with or without JavaScript.

use crate::error::AppError;
use leptos::prelude::*;

/// The fields of a submitted `application/x-www-form-urlencoded` form, in order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FormSubmission(pub Vec<(String, String)>);

impl FormSubmission {
    /// The first value of `name`, or "".
    pub fn get(&self, name: &str) -> &str {
        self.0
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
            .unwrap_or_default()
    }

    /// A checkbox: present and not "false".
    pub fn checked(&self, name: &str) -> bool {
        self.0.iter().any(|(key, value)| key == name && value != "false")
    }

    /// Which of a page's forms was submitted (its `_action` field).
    pub fn action(&self) -> &str {
        self.get("_action")
    }
}

/// The form submitted with this request, when it is a POST to a page.
pub fn submitted_form() -> Option<FormSubmission> {
    #[cfg(feature = "ssr")]
    {
        use_context::<http::request::Parts>()
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
        use_context::<leptos_axum::ResponseOptions>(),
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
            .map(|s| s.values.get(field).to_string())
            .unwrap_or_default()
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
            .filter(|e| !matches!(e, AppError::Invalid { .. }))
            .map(|e| e.to_string())
    }
}

/// A labelled input with its error, linked for screen readers.
#[component]
pub fn Field(
    /// The form's `_action`, to find its values and errors in `state`.
    form: &'static str,
    name: &'static str,
    label: &'static str,
    state: FormState,
    #[prop(default = "text")] kind: &'static str,
    #[prop(optional)] autocomplete: &'static str,
    #[prop(optional)] hint: &'static str,
    #[prop(default = true)] required: bool,
    #[prop(optional)] value: String,
    #[prop(default = 200)] maxlength: usize,
) -> impl IntoView {
    let id = format!("{form}-{name}");
    let error = state.field_error(form, name);
    let has_error = error.is_some();
    let entered = state.value(form, name);
    let value = if kind == "password" {
        String::new()
    } else if entered.is_empty() {
        value
    } else {
        entered
    };
    let error_id = format!("{id}-error");
    let hint_id = format!("{id}-hint");
    let described = [
        error.is_some().then(|| error_id.clone()),
        (!hint.is_empty()).then(|| hint_id.clone()),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(" ");
    view! {
        <div class="field" class:has-error=has_error>
            <label for=id.clone()>{label}</label>
            <input
                id=id
                name=name
                type=kind
                value=value
                required=required
                maxlength=maxlength
                autocomplete=(!autocomplete.is_empty()).then_some(autocomplete)
                aria-invalid=has_error.then_some("true")
                aria-describedby=(!described.is_empty()).then_some(described)
            />
            {(!hint.is_empty()).then(|| view! { <p class="field-hint" id=hint_id>{hint}</p> })}
            {error.map(|e| view! { <p class="field-error" id=error_id>{e}</p> })}
        </div>
    }
}

/// The error of a form that is about no single field.
#[component]
pub fn FormError(form: &'static str, state: FormState) -> impl IntoView {
    state
        .form_error(form)
        .map(|message| view! { <p class="form-error" role="alert">{message}</p> })
}

/// The hidden `_action` field naming which form of the page was submitted.
#[component]
pub fn FormAction(name: &'static str) -> impl IntoView {
    view! { <input type="hidden" name="_action" value=name/> }
}
