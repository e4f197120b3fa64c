//! `/vendor/:vendor/inventory`: the stock of every variant, edited in place (all or nothing),
//! and the threshold below which a variant counts as low.

use super::api;
use super::model::Inventory;
use super::portal_pages::{PortalFrame, shop_param};
use super::product_pages::{page_number, pager, query};
use crate::error::AppResult;
use crate::ui::form::input_id;
use crate::ui::{FormAction, FormError, FormState, Keyed, Notice, act, page_body};
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
    let page = page_number();
    page_body(
        async move {
            let inventory = api::stock_list(vendor.clone(), low_only, page).await?;
            let state = act(|action| async move {
                match action {
                    InventoryAction::Stock { stock } => {
                        api::save_stock(vendor.clone(), stock.0).await?;
                    }
                    InventoryAction::Threshold { threshold } => {
                        api::save_threshold(vendor.clone(), threshold).await?
                    }
                }
                let here = format!(
                    "/vendor/{vendor}/inventory?low={}&page={page}",
                    u8::from(low_only)
                );
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
                            <td><a href=format!("{base}/products/{}", r.product_id)>{r.title.clone()}</a> " " <span class="muted">{r.options.clone()}</span></td>
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
            let toggle = if inv.low_only {
                view! { <a href=format!("{base}/inventory")>"Show every variant"</a> }
            } else {
                view! { <a href=format!("{base}/inventory?low=1")>"Show only low stock"</a> }
            };
            view! {
                <PortalFrame membership=inv.membership.clone() title="Inventory">
                    <form method="post" class="row-form">
                        <FormAction name="threshold"/>
                        <label>"Low-stock threshold (available units) "
                            <input name="threshold" value=inv.threshold.to_string() inputmode="numeric" size="6"/></label>
                        <button type="submit">"Save threshold"</button>
                        {state.field_error("threshold", "threshold").map(|e| view! { <p class="field-error">{e}</p> })}
                    </form>
                    <p>{toggle}</p>
                    <form method="post">
                        <FormAction name="stock"/>
                        <FormError form="stock" state=state.clone()/>
                        <table class="data-table">
                            <thead><tr><th>"Product"</th><th>"SKU"</th><th>"On hand"</th><th>"Reserved"</th><th>"Available"</th></tr></thead>
                            <tbody>{rows}</tbody>
                        </table>
                        <p><button type="submit">"Save stock"</button></p>
                    </form>
                    {pager(format!("{base}/inventory?low={}", u8::from(inv.low_only)), inv.page, inv.pages)}
                </PortalFrame>
            }
        },
    )
}
