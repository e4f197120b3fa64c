//! How the checkout and the order pages show money: the totals of a cart or an order.

use crate::cart::model::{Quote, TaxLine};
use crate::money::Money;
use leptos::prelude::*;

/// Subtotal, shipping, tax lines (or the tax) and total of a cart or an order.
#[component]
pub fn Totals(
    subtotal: Money,
    shipping: Money,
    tax: Money,
    total: Money,
    tax_lines: Vec<TaxLine>,
    /// How many items, when known.
    #[prop(optional)]
    items: Option<u32>,
    /// What was refunded, if anything.
    #[prop(optional)]
    refunded: Option<Money>,
    /// A discount code and what it took off, if one was used.
    #[prop(default = None)]
    discount: Option<(String, Money)>,
    /// The tax is not known yet (no rate for the destination the cart guessed): say it comes
    /// at checkout rather than show a nought that changes there.
    #[prop(optional)]
    tax_at_checkout: bool,
) -> impl IntoView {
    let items = match items {
        Some(n) => format!("Items ({n})"),
        None => "Items".into(),
    };
    view! {
        <dl class="totals">
            <dt>{items}</dt><dd>{subtotal.to_string()}</dd>
            {discount.filter(|(_, off)| off.minor > 0).map(|(code, off)| view! {
                <dt>"Discount " <span class="code-name">{code}</span></dt>
                <dd class="discount">{Money::new(-off.minor, off.currency).to_string()}</dd>
            })}
            <dt>"Shipping"</dt><dd>{shipping.to_string()}</dd>
            {tax_lines.iter().map(|t| view! {
                <dt>{t.name.clone()} " " {t.rate_label()}</dt><dd>{t.amount.to_string()}</dd>
            }).collect_view()}
            {(tax_lines.is_empty() && !tax_at_checkout).then(|| view! { <dt>"Tax"</dt><dd>{tax.to_string()}</dd> })}
            {tax_at_checkout.then(|| view! { <dt>"Tax"</dt><dd class="muted">"Calculated at checkout"</dd> })}
            <dt class="grand">{if tax_at_checkout { "Estimated total" } else { "Total" }}</dt>
            <dd class="grand">{total.to_string()}</dd>
            {refunded.filter(|r| r.minor > 0).map(|r| view! { <dt>"Refunded"</dt><dd>{r.to_string()}</dd> })}
        </dl>
    }
}

/// The totals of a priced cart.
#[component]
pub fn QuoteTotals(
    quote: Quote,
    /// An estimate (the cart page): without a tax rate for the destination, the tax is left to
    /// the checkout, which knows the address.
    #[prop(optional)]
    estimate: bool,
) -> impl IntoView {
    let tax_at_checkout = estimate && quote.tax_lines.is_empty();
    let discount = quote.discount.clone().map(|d| (d.code, d.amount));
    view! {
        <Totals subtotal=quote.subtotal shipping=quote.shipping tax=quote.tax total=quote.total
            tax_lines=quote.tax_lines.clone() items=quote.item_count() tax_at_checkout discount=discount/>
    }
}
