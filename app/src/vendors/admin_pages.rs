//! `/admin/vendors`: applications to decide, every shop with its standing and commission.

use super::api;
use super::model::{AdminVendors, VendorRow, VendorStatus};
use crate::error::AppResult;
use crate::money::commission::percent_label;
use crate::ui::{AdminFrame, FormAction, FormError, FormState, Notice, act, page_body};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use serde::Deserialize;

/// The forms of a shop's card: a decision on its standing (the button's `decision`), and
/// its commission.
#[derive(Deserialize)]
#[serde(rename_all = "kebab-case")]
enum VendorAction {
    Decide {
        vendor_id: String,
        decision: String,
        reason: String,
    },
    Commission {
        vendor_id: String,
        commission: String,
    },
}

#[component]
pub fn AdminVendorsPage() -> impl IntoView {
    let filter = use_query_map().read_untracked().get("status").unwrap_or_default();
    page_body(
        async move {
            let list = api::list_vendors(filter.clone()).await?;
            let state = act(|action| async move {
                match action {
                    VendorAction::Decide {
                        vendor_id,
                        decision,
                        reason,
                    } => api::decide_vendor(vendor_id, decision, reason).await?,
                    VendorAction::Commission {
                        vendor_id,
                        commission,
                    } => api::set_vendor_commission(vendor_id, commission).await?,
                }
                Ok(Notice::VendorSaved.on(&format!("/admin/vendors?status={filter}")))
            })
            .await;
            AppResult::Ok((list, state))
        },
        |(list, state): (AdminVendors, FormState)| {
            let default = percent_label(list.default_commission_bp);
            let tabs = [
                ("", "All"),
                ("pending", "Waiting"),
                ("approved", "Approved"),
                ("suspended", "Suspended"),
                ("rejected", "Rejected"),
            ]
            .map(|(s, label)| view! { <a href=format!("/admin/vendors?status={s}")>{label}</a> })
            .collect_view();
            let rows = list
                .vendors
                .into_iter()
                .map(|v| view! { <VendorCard vendor=v state=state.clone() default=default.clone()/> })
                .collect_view();
            view! {
                <AdminFrame title="Shops">
                    <nav class="tabs" aria-label="Filter by status">{tabs}</nav>
                    <FormError form="decide" state=state.clone()/>
                    <FormError form="commission" state=state.clone()/>
                    <div class="stack">{rows}</div>
                </AdminFrame>
            }
        },
    )
}

#[component]
fn VendorCard(vendor: VendorRow, state: FormState, default: String) -> impl IntoView {
    use VendorStatus::*;
    let decisions: &[(&str, &str)] = match vendor.status {
        Pending => &[("approve", "Approve"), ("reject", "Reject")],
        Approved => &[("suspend", "Suspend")],
        Suspended => &[("reinstate", "Reinstate")],
        Rejected => &[("approve", "Approve after all")],
    };
    let heading = format!("vendor-{}", vendor.slug);
    let rate = vendor.commission_bp.map(percent_label).unwrap_or_default();
    let reason_error = (state.value("decide", "vendor_id") == vendor.id)
        .then(|| state.field_error("decide", "reason"))
        .flatten();
    let commission_error = (state.value("commission", "vendor_id") == vendor.id)
        .then(|| state.field_error("commission", "commission"))
        .flatten();
    view! {
        <article class="panel vendor-card" aria-labelledby=heading.clone()>
            <h2 id=heading.clone()>
                {vendor.logo_key.clone().map(|key| view! { <img class="shop-logo" src=crate::ui::image_src(&key, 320) width="48" height="48" alt=""/> " " })}
                {vendor.name.clone()} " " <span class="badge">{vendor.status.label()}</span>
            </h2>
            <p class="muted">"/v/" {vendor.slug.clone()} " · " {vendor.country.clone()} " · applied " {vendor.applied.clone()}
               " by " {vendor.applicant.clone()} " · contact " {vendor.contact_email.clone()} " · " {crate::text::counted(vendor.products.max(0) as u64, "product", "products")}</p>
            {(!vendor.description.is_empty()).then(|| view! { <p>{vendor.description.clone()}</p> })}
            {(!vendor.reason.is_empty()).then(|| view! { <p>"Reason given: " {vendor.reason.clone()}</p> })}
            <form method="post" class="row-form">
                <FormAction name="decide"/>
                <input type="hidden" name="vendor_id" value=vendor.id.clone()/>
                <label>"Reason (sent to the shop; needed to reject or suspend) "
                    <input name="reason" maxlength="1000" aria-invalid=reason_error.is_some().then_some("true")/></label>
                {decisions.iter().map(|(value, label)| view! {
                    <button type="submit" name="decision" value=*value>{*label}</button>
                }).collect_view()}
                {reason_error.map(|e| view! { <p class="field-error">{e}</p> })}
            </form>
            <form method="post" class="row-form">
                <FormAction name="commission"/>
                <input type="hidden" name="vendor_id" value=vendor.id.clone()/>
                <label>"Commission % (empty: platform default, " {default} ") "
                    <input name="commission" value=rate inputmode="decimal" size="6"/></label>
                <button type="submit">"Save commission"</button>
                {commission_error.map(|e| view! { <p class="field-error">{e}</p> })}
            </form>
        </article>
    }
}
