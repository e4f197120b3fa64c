//! The parts of a server-rendered form: labelled fields with their errors, the form's error,
//! and the hidden field naming which form of the page it is.

use super::FormState;
use leptos::prelude::*;

/// A labelled input (a text area with `rows`) with its error, linked for screen readers.
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
    /// The id of a `<datalist>` of suggestions.
    #[prop(optional)]
    list: &'static str,
    /// Lines of a text area (0: a one-line input).
    #[prop(optional)]
    rows: u32,
) -> impl IntoView {
    let id = input_id(form, name);
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
    let described = (!described.is_empty()).then_some(described);
    let input = if rows > 0 {
        view! {
            <textarea id=id.clone() name=name rows=rows required=required maxlength=maxlength
                aria-invalid=has_error.then_some("true") aria-describedby=described>{value}</textarea>
        }
        .into_any()
    } else {
        view! {
            <input
                id=id.clone()
                name=name
                type=kind
                value=value
                required=required
                maxlength=maxlength
                autocomplete=(!autocomplete.is_empty()).then_some(autocomplete)
                list=(!list.is_empty()).then_some(list)
                aria-invalid=has_error.then_some("true")
                aria-describedby=described
            />
        }
        .into_any()
    };
    view! {
        <div class="field" class:has-error=has_error>
            <label for=id>{label}</label>
            {input}
            {(!hint.is_empty()).then(|| view! { <p class="field-hint" id=hint_id>{hint}</p> })}
            {error.map(|e| view! { <p class="field-error" id=error_id>{e}</p> })}
        </div>
    }
}

/// The top of a form that failed: its error that is about no single field, or a summary of
/// every field that was wrong, each linked to its input (`{form}-{field}`). The summary takes
/// the focus, so a keyboard or screen-reader user starts from the list of what to fix.
#[component]
pub fn FormError(form: &'static str, state: FormState) -> impl IntoView {
    if let Some(message) = state.form_error(form) {
        return Some(view! { <p class="form-error" role="alert">{message}</p> }.into_any());
    }
    let problems = state.field_problems(form);
    if problems.is_empty() {
        return None;
    }
    let title_id = format!("{form}-problems");
    let labelled_by = title_id.clone();
    let title = crate::error::summary_title(problems.len());
    Some(
        view! {
            <div
                class="error-summary"
                role="alert"
                tabindex="-1"
                autofocus=true
                aria-labelledby=labelled_by
            >
                <h2 id=title_id>{title}</h2>
                <ul>
                    {problems
                        .into_iter()
                        .map(|(field, message)| {
                            let href = format!("#{}", input_id(form, &field));
                            view! { <li><a href=href>{message}</a></li> }
                        })
                        .collect_view()}
                </ul>
            </div>
        }
        .into_any(),
    )
}

/// The id of the input for `field` in form `form` (what `Field` gives it, and what the error
/// summary links to). Field names with dots (`variant.0.price`) keep them: ids may.
pub fn input_id(form: &str, field: &str) -> String {
    format!("{form}-{field}")
}

/// The hidden `_action` field naming which form of the page was submitted.
#[component]
pub fn FormAction(name: &'static str) -> impl IntoView {
    view! { <input type="hidden" name=super::ACTION_FIELD value=name/> }
}
