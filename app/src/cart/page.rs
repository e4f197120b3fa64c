//! The cart page: lines grouped by vendor with subtotal, shipping and tax per vendor, the
//! total, and what changed since an item was added. Every control is a form: it works without
//! JavaScript. The product page's "Add to cart" form posts here too.

use super::api;
use super::model::{CartLine, CartView, Quote, VendorQuote};
use crate::checkout::QuoteTotals;
use crate::error::AppResult;
use crate::ui::{
    FormAction, FormError, FormState, IMAGE_WIDTHS, Notice, PageNotice, act, image_src, page_body,
};
use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::use_query_map;
use serde::Deserialize;

/// A quantity as typed into a form: a whole number (the cart checks its range).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(try_from = "String")]
struct Quantity(u32);

impl TryFrom<String> for Quantity {
    type Error = &'static str;

    fn try_from(text: String) -> Result<Self, Self::Error> {
        text.trim()
            .parse()
            .map(Quantity)
            .map_err(|_| "Enter a quantity as a whole number.")
    }
}

/// The cart's forms (the product page's "Add to cart" posts `add` here too).
#[derive(Deserialize)]
#[serde(rename_all = "kebab-case")]
enum CartAction {
    Add { sku: String, quantity: Quantity },
    Update { sku: String, quantity: Quantity },
    Remove { sku: String },
}

#[component]
pub fn CartPage() -> impl IntoView {
    let query = use_query_map().read_untracked();
    let country = query.get("country").unwrap_or_default();
    let region = query.get("region").unwrap_or_default();
    page_body(
        async move {
            let state = act(|action| async move {
                let notice = match action {
                    CartAction::Add { sku, quantity } => {
                        api::add_to_cart(sku, quantity.0).await?;
                        Notice::Added
                    }
                    CartAction::Update { sku, quantity } => {
                        api::update_cart(sku, quantity.0).await?;
                        Notice::CartUpdated
                    }
                    CartAction::Remove { sku } => {
                        api::update_cart(sku, 0).await?;
                        Notice::Removed
                    }
                };
                Ok(notice.on("/cart"))
            })
            .await;
            let cart = api::view_cart(country, region).await?;
            AppResult::Ok((cart, state))
        },
        |(cart, state): (CartView, FormState)| view! { <CartView cart state/> },
    )
}

#[component]
fn CartView(cart: CartView, state: FormState) -> impl IntoView {
    let quote = cart.quote;
    let form = state.action.clone();
    let error = view! {
        <FormError form="add" state=state.clone()/>
        <FormError form="update" state=state.clone()/>
        <FormError form="remove" state=state.clone()/>
        {state.field_error(&form, "quantity").or_else(|| state.field_error(&form, "sku"))
            .map(|e| view! { <p class="form-error" role="alert">{e}</p> })}
    };
    let body = if quote.is_empty() {
        view! {
            <div class="empty-state panel">
                <p>"Your cart is empty."</p>
                <p><a class="button" href="/">"Discover the shops"</a></p>
            </div>
        }
        .into_any()
    } else {
        let blocked = !quote.problems().is_empty();
        let tax_known = !quote.tax_lines.is_empty();
        view! {
            <div class="cart-layout">
                <div class="cart-vendors">
                    {quote.vendors.iter().cloned().map(|v| view! { <VendorSection vendor=v tax_known/> }).collect_view()}
                </div>
                <CartSummary quote=quote.clone() blocked/>
            </div>
        }
        .into_any()
    };
    view! {
        <Title text="Your cart"/>
        <Meta name="robots" content="noindex"/>
        <h1>"Your cart"</h1>
        <PageNotice/>
        {cart.notice.map(|n| view! { <p class="notice" role="status">{n}</p> })}
        {error}
        {body}
    }
}

#[component]
fn VendorSection(
    vendor: VendorQuote,
    /// Whether the destination has a tax rate; without one the checkout works the tax out.
    tax_known: bool,
) -> impl IntoView {
    let shipping = vendor.methods.iter().find(|m| m.id == vendor.method_id).map(|m| {
        if m.free {
            format!("{}: free", m.name)
        } else {
            format!("{}: {}", m.name, m.price)
        }
    });
    view! {
        <section class="panel cart-vendor" aria-label=format!("From {}", vendor.vendor.name)>
            <h2>"From " <a href=format!("/v/{}", vendor.vendor.slug)>{vendor.vendor.name.clone()}</a></h2>
            <ul class="cart-lines">
                {vendor.lines.into_iter().map(|line| view! { <CartLineView line/> }).collect_view()}
            </ul>
            <dl class="totals">
                <dt>"Subtotal"</dt><dd>{vendor.subtotal.to_string()}</dd>
                <dt>"Shipping"</dt><dd>{shipping.unwrap_or_else(|| "free".into())}</dd>
                {if tax_known {
                    view! { <dt>"Tax"</dt><dd>{vendor.tax.to_string()}</dd> }.into_any()
                } else {
                    view! { <dt>"Tax"</dt><dd class="muted">"Calculated at checkout"</dd> }.into_any()
                }}
                <dt>{if tax_known { "Total from this shop" } else { "Subtotal with shipping" }}</dt>
                <dd>{vendor.total.to_string()}</dd>
            </dl>
        </section>
    }
}

#[component]
fn CartLineView(line: CartLine) -> impl IntoView {
    let problem = line.problem();
    let has_problem = problem.is_some();
    let label = if line.options.is_empty() {
        line.title.clone()
    } else {
        format!("{} ({})", line.title, line.options)
    };
    let max = line.available.clamp(1, super::MAX_QUANTITY);
    view! {
        <li class="cart-line" class:has-problem=has_problem>
            {line.image.as_ref().map(|image| view! {
                <img src=image_src(&image.key, IMAGE_WIDTHS[0]) width="80" height="80" alt="" loading="lazy"/>
            })}
            <div class="cart-line-info">
                <a href=format!("/p/{}?variant={}", line.product_slug, crate::text::encode_component(&line.sku))>{line.title.clone()}</a>
                {(!line.options.is_empty()).then(|| view! { <p class="muted">{line.options.clone()}</p> })}
                <p>
                    {line.unit_price.to_string()}
                    {line.price_was.map(|was| view! {
                        <span class="price-changed">" (was " {was.to_string()} " when you added it)"</span>
                    })}
                </p>
                {problem.map(|p| view! { <p class="field-error">{p}</p> })}
            </div>
            <form method="post" action="/cart" class="cart-quantity">
                <FormAction name="update"/>
                <input type="hidden" name="sku" value=line.sku.clone()/>
                <label for=format!("qty-{}", line.sku)>"Quantity"</label>
                <input id=format!("qty-{}", line.sku) type="number" name="quantity" min="1" max=max
                    value=line.quantity inputmode="numeric"/>
                <button type="submit" class="button secondary" aria-label=format!("Update the quantity of {label}")>"Update"</button>
            </form>
            <form method="post" action="/cart">
                <FormAction name="remove"/>
                <input type="hidden" name="sku" value=line.sku.clone()/>
                <button type="submit" class="link-button" aria-label=format!("Remove {label}")>"Remove"</button>
            </form>
            <p class="line-total">{line.line_total.to_string()}</p>
        </li>
    }
}

#[component]
fn CartSummary(quote: Quote, blocked: bool) -> impl IntoView {
    let destination = if quote.destination.region.is_empty() {
        quote.destination.country.clone()
    } else {
        format!("{}, {}", quote.destination.region, quote.destination.country)
    };
    view! {
        <aside class="panel cart-summary" aria-label="Order summary">
            <h2>"Summary"</h2>
            <QuoteTotals quote=quote.clone() estimate=true/>
            <form method="get" action="/cart" class="estimate">
                <p class="muted">"Shipping and tax estimated for " {destination.clone()} "."</p>
                <label for="est-country">"Country"</label>
                <input id="est-country" name="country" maxlength="2" size="3" value=quote.destination.country.clone()/>
                <label for="est-region">"State / region"</label>
                <input id="est-region" name="region" maxlength="40" size="6" value=quote.destination.region.clone()/>
                <button type="submit" class="button secondary">"Estimate"</button>
            </form>
            {if blocked {
                view! { <p class="field-error">"Fix the items marked above to check out."</p> }.into_any()
            } else {
                view! { <a class="button" href="/checkout">"Check out"</a> }.into_any()
            }}
        </aside>
    }
}
