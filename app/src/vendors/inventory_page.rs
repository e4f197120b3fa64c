//! `/vendor/:vendor/inventory`: the stock of every variant, edited in place (all or nothing),
//! and the threshold below which a variant counts as low.

use super::api;
use super::model::Inventory;
use super::portal_pages::{PortalFrame, shop_param};
use super::product_pages::{page_number, query};
use crate::error::AppResult;
use crate::ui::form::input_id;
use crate::ui::{FormAction, FormError, FormState, Keyed, Notice, act, page_body, pager};
use leptos::prelude::*;
use serde::Deserialize;

/// The inventory page's forms: every variant's stock at once (`stock.{sku}`), the threshold.
#[derive(Deserialize)]
#[serde(rename_all = "kebab-case")]
enum InventoryAction {
    Stock {
        #[serde(rename = "stock.")]
        stock: Keyed<String>,
    },
    Threshold {
        threshold: String,
    },
}

/// `/vendor/:vendor/inventory`: stock of every variant, edited in place, and the threshold.
#[component]
pub fn InventoryPage() -> impl IntoView {
    let vendor = shop_param();
    let low_only = query("low") == "1";
    let search = query("q");
    let page = page_number();
    page_body(
        async move {
            let here = format!(
                "/vendor/{vendor}/inventory?low={}&q={}&page={page}",
                u8::from(low_only),
                crate::text::encode_component(&search)
            );
            let inventory = api::stock_list(vendor.clone(), low_only, page, search).await?;
            let state = act(|action| async move {
                match action {
                    InventoryAction::Stock { stock } => {
                        api::save_stock(vendor.clone(), stock.0).await?;
                    }
                    InventoryAction::Threshold { threshold } => {
                        api::save_threshold(vendor.clone(), threshold).await?
                    }
                }
                Ok(Notice::StockSaved.on(&here))
            })
            .await;
            AppResult::Ok((inventory, state))
        },
        |(inv, state): (Inventory, FormState)| {
            let base = format!("/vendor/{}", inv.membership.vendor_slug);
            let rows = inv
                .rows
                .iter()
                .map(|r| {
                    let field = format!("stock.{}", r.sku);
                    let entered = state.value("stock", &field);
                    let value = if entered.is_empty() { r.on_hand.to_string() } else { entered };
                    let problem = state.field_error("stock", &field);
                    let low = r.on_hand - r.reserved <= inv.threshold;
                    view! {
                        <tr class:low=low>
                            <td><a href=format!("{base}/products/{}", r.product_id)>{r.title.clone()}</a> " " <span class="muted">{r.options.clone()}</span>
                                {low.then(|| view! { " " <span class="badge low-badge">"Low"</span> })}</td>
                            <td>{r.sku.clone()}</td>
                            <td><input id=input_id("stock", &field) name=field.clone() value=value inputmode="numeric" size="6"
                                aria-label=format!("Stock of {}", r.sku) aria-invalid=problem.is_some().then_some("true")/>
                                {problem.map(|e| view! { <span class="field-error">{e}</span> })}</td>
                            <td>{r.reserved}</td>
                            <td>{r.on_hand - r.reserved}</td>
                        </tr>
                    }
                })
                .collect_view();
            let q = crate::text::encode_component(&inv.search);
            let toggle = if inv.low_only {
                view! { <a href=format!("{base}/inventory?q={q}")>"Show every variant"</a> }
            } else {
                view! { <a href=format!("{base}/inventory?low=1&q={q}")>"Show only low stock"</a> }
            };
            let empty = inv.rows.is_empty();
            view! {
                <PortalFrame membership=inv.membership.clone() title="Inventory">
                    <form method="post" class="row-form">
                        <FormAction name="threshold"/>
                        <label>"Low-stock threshold (available units) "
                            <input name="threshold" value=inv.threshold.to_string() inputmode="numeric" size="6"/></label>
                        <button type="submit">"Save threshold"</button>
                        {state.field_error("threshold", "threshold").map(|e| view! { <p class="field-error">{e}</p> })}
                    </form>
                    <form method="get" class="row-form" role="search" aria-label="Inventory">
                        {inv.low_only.then(|| view! { <input type="hidden" name="low" value="1"/> })}
                        <label>"Find a SKU or product " <input type="search" name="q" value=inv.search.clone() maxlength="64"/></label>
                        <button type="submit" class="secondary">"Search"</button>
                    </form>
                    <p>{toggle}</p>
                    {empty.then(|| view! { <p class="empty-state">"No variant matches. Clear the search or show every variant."</p> })}
                    <form method="post" data-unsaved-warning="">
                        <FormAction name="stock"/>
                        <FormError form="stock" state=state.clone()/>
                        <table class="data-table">
                            <thead><tr><th>"Product"</th><th>"SKU"</th><th>"On hand"</th><th>"Reserved"</th><th>"Available"</th></tr></thead>
                            <tbody>{rows}</tbody>
                        </table>
                        <div class="save-bar">
                            <span class="muted">"Changes are saved together: a bad value saves nothing."</span>
                            <button type="submit">"Save stock"</button>
                        </div>
                    </form>
                    <script src="/unsaved.js" defer></script>
                    {pager(inv.page, inv.pages, &|p| format!("{base}/inventory?low={}&q={q}&page={p}", u8::from(inv.low_only)))}
                </PortalFrame>
            }
        },
    )
}
