//! The parts of a server-rendered form: labelled fields with their errors, the form's error,
//! and the hidden field naming which form of the page it is.

use super::FormState;
use leptos::prelude::*;

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
    view! { <input type="hidden" name=super::ACTION_FIELD value=name/> }
}
