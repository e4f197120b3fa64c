//! `/vendor/:shop/activity`: the shop's own part of the audit log, for its owners: decisions
//! on its standing, commission and payouts, products the marketplace hid or reinstated,
//! refunds it made, and the changes of the shop's own people. Operators are named as the
//! marketplace team, and no address is shown.

use super::api;
use super::model::ShopActivity;
use super::portal_pages::PortalFrame;
use crate::audit::AuditTable;
use crate::ui::{page_body, pager};
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

#[component]
pub fn ActivityPage() -> impl IntoView {
    let vendor = use_params_map()
        .read_untracked()
        .get("vendor")
        .unwrap_or_default();
    let page = use_query_map()
        .read_untracked()
        .get("page")
        .and_then(|p| p.parse().ok())
        .unwrap_or(1);
    page_body(api::activity_log(vendor, page), |a: ShopActivity| {
        let base = format!("/vendor/{}/activity", a.membership.vendor_slug);
        view! {
            <PortalFrame membership=a.membership.clone() title="Activity">
                <p class="muted">"Who changed what in your shop: your team's changes to products, stock, people and orders, and the marketplace team's decisions on its standing, commission, payouts and products."</p>
                <AuditTable rows=a.log.rows.clone() empty="Nothing has been changed in your shop yet."/>
                {pager(a.log.page, a.log.pages, &|p| format!("{base}?page={p}"))}
            </PortalFrame>
        }
    })
}
