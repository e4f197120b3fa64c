//! `/p/:slug/report`: a signed-in shopper tells the marketplace what is wrong with a product
//! (a reason and a note). Works without JavaScript; the product page links here.

use super::api;
use super::model::{ReportReason, ReportTarget};
use crate::error::AppResult;
use crate::ui::{FormAction, FormError, FormState, Notice, PageNotice, act, page_body};
use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::use_params_map;
use serde::Deserialize;

#[derive(Deserialize)]
struct ReportForm {
    #[serde(default)]
    reason: String,
    #[serde(default)]
    note: String,
}

#[component]
pub fn ReportPage() -> impl IntoView {
    let slug = use_params_map().read_untracked().get("slug").unwrap_or_default();
    page_body(
        async move {
            let target = api::product_to_report(slug.clone()).await?;
            let state = act(|form: ReportForm| async move {
                api::report_product(slug.clone(), form.reason, form.note).await?;
                Ok(Notice::ProductReported.on(&format!("/p/{slug}/report")))
            })
            .await;
            AppResult::Ok((target, state))
        },
        |(target, state): (ReportTarget, FormState)| view! { <Report target state/> },
    )
}

#[component]
fn Report(target: ReportTarget, state: FormState) -> impl IntoView {
    let product = format!("/p/{}", target.slug);
    let head = view! {
        <Title text=format!("Report {}", target.title)/>
        <Meta name="robots" content="noindex"/>
        <h1>"Report a product"</h1>
        <PageNotice/>
        <p>{target.title.clone()} " · sold by " {target.vendor.clone()}</p>
    };
    if target.already_reported {
        return view! {
            {head}
            <p>"You have reported this product. The marketplace team looks at every report and acts on it; the shop is not told who reported it."</p>
            <p><a href=product>"Back to the product"</a></p>
        }
        .into_any();
    }
    let chosen = state.value("report", "reason");
    let reasons = ReportReason::ALL
        .map(|r| view! { <option value=r.key() selected=chosen == r.key()>{r.label()}</option> })
        .collect_view();
    let reason_error = state.field_error("report", "reason");
    let note_error = state.field_error("report", "note");
    let (reason_wrong, note_wrong) = (reason_error.is_some(), note_error.is_some());
    view! {
        {head}
        <form method="post" class="stack panel narrow">
            <FormAction name="report"/>
            <FormError form="report" state=state.clone()/>
            <div class="field" class:has-error=reason_wrong>
                <label for="report-reason">"What is wrong"</label>
                <select id="report-reason" name="reason" required aria-invalid=reason_wrong.then_some("true")>
                    <option value="">"Choose…"</option>
                    {reasons}
                </select>
                {reason_error.map(|e| view! { <p class="field-error">{e}</p> })}
            </div>
            <div class="field" class:has-error=note_wrong>
                <label for="report-note">"Details (optional, up to 1,000 characters)"</label>
                <textarea id="report-note" name="note" rows="5" maxlength="1000" aria-invalid=note_wrong.then_some("true")>
                    {state.value("report", "note")}
                </textarea>
                {note_error.map(|e| view! { <p class="field-error">{e}</p> })}
            </div>
            <p class="muted">"The shop is not told who reported it."</p>
            <button type="submit" class="button">"Send the report"</button>
            <p><a href=product>"Back to the product"</a></p>
        </form>
    }
    .into_any()
}
