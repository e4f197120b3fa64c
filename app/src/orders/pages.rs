//! The shopper's order pages: one order (also the confirmation after paying), the history in
//! the account, and the lookup of a guest's order by number and email.

use super::api;
use super::model::{OrderDetail, OrderSummary, VendorOrder};
use crate::accounts::account_pages::AccountFrame;
use crate::accounts::postal_address::PostalAddress;
use crate::checkout::Totals;
use crate::error::AppResult;
use crate::money::Money;
use crate::ui::{Field, FormAction, FormError, FormState, PageNotice, act, page_body};
use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::{use_params_map, use_query_map};
use serde::Deserialize;

/// A guest's order, found by its number and the email it was placed with.
#[derive(Deserialize)]
struct Lookup {
    number: String,
    email: String,
}

#[component]
pub fn OrderPage() -> impl IntoView {
    let number = use_params_map()
        .read_untracked()
        .get("number")
        .unwrap_or_default();
    // Stripe sends the shopper back with `redirect_status` after 3-D Secure or a wallet.
    let returned = use_query_map().read_untracked().get("redirect_status").is_some();
    page_body(
        api::get_order(number, returned),
        |order| view! { <OrderView order/> },
    )
}

#[component]
fn OrderView(order: OrderDetail) -> impl IntoView {
    let a = order.address.clone();
    let title = format!("Order #{}", order.number);
    let pay = order.payable.then(|| {
        view! { <p><a class="button" href=format!("/checkout/pay/{}", order.number)>"Pay for this order"</a></p> }
    });
    view! {
        <Title text=title.clone()/>
        <Meta name="robots" content="noindex"/>
        <h1>{title}</h1>
        <PageNotice/>
        <p class="order-status">"Status: " <strong>{order.status.label()}</strong> " · placed " {order.placed.clone()}</p>
        {pay}
        <div class="cart-layout">
            <div class="stack">
                {order.vendors.iter().cloned().map(|v| view! { <VendorPart part=v/> }).collect_view()}
            </div>
            <aside class="panel cart-summary" aria-label="Order total">
                <h2>"Total"</h2>
                <Totals subtotal=order.subtotal shipping=order.shipping tax=order.tax total=order.total
                    tax_lines=order.tax_lines.clone() refunded=order.refunded discount=order.discount.clone()/>
                <h2>"Shipping to"</h2>
                <PostalAddress address=a/>
                <p class="muted">"Confirmation sent to " {order.email.clone()}</p>
            </aside>
        </div>
        <section class="panel" aria-labelledby="history-title">
            <h2 id="history-title">"History"</h2>
            <ol class="order-events">
                {order.events.iter().map(|e| view! {
                    <li><time>{e.at.clone()}</time> " " {e.vendor.clone().map(|v| format!("{v}: "))} {e.label.clone()}</li>
                }).collect_view()}
            </ol>
        </section>
    }
}

#[component]
fn VendorPart(part: VendorOrder) -> impl IntoView {
    let tracking = part.tracking_number.clone().map(|number| {
        view! {
            <p class="tracking">"Tracking: " {part.carrier.clone().unwrap_or_default()} " " <strong>{number}</strong></p>
        }
    });
    view! {
        <section class="panel" aria-label=format!("From {}", part.vendor.name)>
            <h2>"From " <a href=format!("/v/{}", part.vendor.slug)>{part.vendor.name.clone()}</a></h2>
            <p>"Status: " <strong>{part.status.label()}</strong> " · " {part.shipping_method.clone()}</p>
            {tracking}
            <ul class="review-lines">
                {part.items.iter().map(|i| view! {
                    <li>
                        <span>{i.quantity} " × " <a href=format!("/p/{}", i.product_slug)>{i.title.clone()}</a>
                            {(!i.options.is_empty()).then(|| format!(" ({})", i.options))}
                            {(i.cancelled > 0).then(|| view! { " " <span class="badge">{format!("{} cancelled", i.cancelled)}</span> })}</span>
                        <span>{i.line_total.to_string()}</span>
                    </li>
                }).collect_view()}
            </ul>
            <dl class="totals">
                {(part.discount.minor > 0).then(|| view! {
                    <dt>"Discount"</dt><dd class="discount">{Money::new(-part.discount.minor, part.discount.currency).to_string()}</dd>
                })}
                <dt>"Shipping"</dt><dd>{part.shipping.to_string()}</dd>
                <dt>"Tax"</dt><dd>{part.tax.to_string()}</dd>
                <dt>"Total"</dt><dd>{part.total.to_string()}</dd>
                {(part.refunded.minor > 0).then(|| view! { <dt>"Refunded"</dt><dd>{part.refunded.to_string()}</dd> })}
            </dl>
        </section>
    }
}

#[component]
pub fn AccountOrdersPage() -> impl IntoView {
    page_body(api::order_history(), |orders: Vec<OrderSummary>| {
        let body = if orders.is_empty() {
            view! { <p>"No orders yet. " <a href="/">"Start shopping"</a></p> }.into_any()
        } else {
            view! {
                <table class="orders-table">
                    <thead><tr><th scope="col">"Order"</th><th scope="col">"Placed"</th><th scope="col">"Items"</th><th scope="col">"Status"</th><th scope="col">"Total"</th></tr></thead>
                    <tbody>
                        {orders.into_iter().map(|o| view! {
                            <tr>
                                <td><a href=format!("/orders/{}", o.number)>"#" {o.number}</a></td>
                                <td>{o.placed}</td>
                                <td>{crate::text::counted(o.item_count as u64, "item", "items")} " from " {crate::text::counted(o.vendor_count as u64, "shop", "shops")}</td>
                                <td>{o.status.label()}</td>
                                <td>{o.total.to_string()}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            }
            .into_any()
        };
        view! { <AccountFrame title="Orders">{body}</AccountFrame> }
    })
}

#[component]
pub fn LookupPage() -> impl IntoView {
    let number = use_query_map().read_untracked().get("number").unwrap_or_default();
    page_body(
        async move {
            let state = act(|form: Lookup| async move {
                let number = api::lookup_order(form.number, form.email).await?;
                Ok(format!("/orders/{number}"))
            })
            .await;
            AppResult::Ok(state)
        },
        move |state: FormState| {
            view! {
                <Title text="Find your order"/>
                <Meta name="robots" content="noindex"/>
                <h1>"Find your order"</h1>
                <form method="post" action="/orders/lookup" class="stack panel narrow">
                    <FormAction name="lookup"/>
                    <FormError form="lookup" state=state.clone()/>
                    <Field form="lookup" name="number" label="Order number" state=state.clone() value=number.clone() maxlength=20 hint="In your confirmation email, e.g. 4821907365."/>
                    <Field form="lookup" name="email" label="Email used for the order" kind="email" state=state.clone() autocomplete="email" maxlength=254/>
                    <button type="submit" class="button">"Find order"</button>
                </form>
            }
        },
    )
}
