//! A destructive action behind a confirmation, without JavaScript: a secondary control opens
//! (a `<details>`) a sentence saying what will happen and the one button that does it.

use leptos::prelude::*;

/// The form of a destructive action, folded behind `label`. `children` are the form's fields
/// (its `FormAction`, hidden ids, a reason); `question` says what will happen, `confirm` is the
/// button that does it.
#[component]
pub fn Confirm(
    /// What the folded control says ("Remove").
    label: String,
    /// What will happen, in a sentence that names the thing ("Remove Jane from the staff?").
    question: String,
    /// The button that acts ("Yes, remove Jane").
    confirm: String,
    /// Open from the start (the form came back with an error).
    #[prop(optional)]
    open: bool,
    children: Children,
) -> impl IntoView {
    view! {
        <details class="confirm" open=open>
            <summary class="button secondary">{label}</summary>
            <form method="post" class="stack confirm-body">
                <p>{question}</p>
                {children()}
                <button type="submit" class="button danger">{confirm}</button>
            </form>
        </details>
    }
}
