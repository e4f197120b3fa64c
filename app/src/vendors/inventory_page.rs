//! `/vendor/:vendor/inventory`: the stock of every variant, edited in place (all or nothing),
//! and the threshold below which a variant counts as low.

use super::api;
use super::model::Inventory;
use super::portal_pages::{PortalFrame, shop_param};
use super::product_pages::{page_number, pager, query};
use crate::accounts::forms::act;
use crate::error::{AppError, AppResult};
use crate::ui::{FormAction, FormError, FormState, page_body};
use leptos::prelude::*;

/// `/vendor/:vendor/inventory`: stock of every variant, edited in place, and the threshold.
#[component]
pub fn InventoryPage() -> impl IntoView {
    let vendor = shop_param();
    let low_only = query("low") == "1";
    let page = page_number();
    page_body(
        async move {
            let inventory = api::stock_list(vendor.clone(), low_only, page).await?;
            let state = act(|form| async move {
                match form.action() {
                    "stock" => {
                        let changes = form
                            .0
                            .iter()
                            .filter_map(|(k, v)| {
                                k.strip_prefix("stock.").map(|sku| (sku.to_string(), v.clone()))
                            })
                            .collect();
                        api::save_stock(vendor.clone(), changes).await?;
                    }
                    "threshold" => api::save_threshold(vendor.clone(), form.get("threshold").into()).await?,
                    _ => return Err(AppError::BadRequest("Unknown form.".into())),
                }
                Ok(format!(
                    "/vendor/{vendor}/inventory?low={}&page={page}&notice=stock-saved",
                    u8::from(low_only)
                ))
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
                            <td><input name=field value=value inputmode="numeric" size="6" aria-label=format!("Stock of {}", r.sku)/>
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
