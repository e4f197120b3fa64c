//! The checkout review's discount code field.

use super::model::CheckoutView;
use crate::ui::{Field, FormAction, FormState};
use leptos::prelude::*;

/// The review's discount code: the one applied (and a button to remove it), or a form to
/// apply one. A code that stopped applying says why, and the totals are without it.
#[component]
pub fn DiscountCode(view: CheckoutView, state: FormState) -> impl IntoView {
    let remove = || {
        view! {
            <form method="post" action="/checkout/review" class="inline">
                <FormAction name="code"/>
                <input type="hidden" name="code" value=""/>
                <button type="submit" class="link-button">"Remove the code"</button>
            </form>
        }
    };
    let shown = match (&view.quote.discount, &view.code_problem) {
        (Some(d), _) => view! {
            <p class="code-applied" role="status">
                <span class="code-name">{d.code.clone()}</span> ": " {d.label.clone()} " " {remove()}
            </p>
        }.into_any(),
        (None, Some(problem)) => view! {
            <p class="field-error" role="alert">{problem.clone()} " " {remove()}</p>
        }.into_any(),
        (None, None) => view! {
            <form method="post" action="/checkout/review" class="stack code-form">
                <FormAction name="code"/>
                <Field form="code" name="code" label="Discount code" state=state maxlength=32 autocomplete="off"/>
                <button type="submit" class="button secondary">"Apply"</button>
            </form>
        }.into_any(),
    };
    view! { <section class="discount-code" aria-label="Discount">{shown}</section> }
}
