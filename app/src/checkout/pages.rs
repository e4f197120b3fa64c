//! The checkout pages: details, review, pay. Forms post to their own page and redirect on
//! success, so the checkout works the same with and without JavaScript.

use super::api;
use super::discount_code::DiscountCode;
use super::model::{CheckoutDetails, CheckoutView};
use super::totals::QuoteTotals;
use crate::accounts::address_fields::AddressFields;
use crate::accounts::model::AddressInput;
use crate::accounts::postal_address::PostalAddress;
use crate::cart::model::{CartLine, VendorQuote};
use crate::error::AppResult;
use crate::orders::api::get_order;
use crate::orders::model::OrderDetail;
use crate::ui::{Field, FormAction, FormError, FormState, Notice, PageNotice, act, page_body, redirect};
use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::use_params_map;
use serde::Deserialize;
use std::collections::HashMap;

/// The details form: contact, address (its fields are the form's own) and a shipping method
/// per shop (`method_{shop}`).
#[derive(Deserialize)]
struct DetailsForm {
    email: String,
    /// A saved address's id, or "new" for the fields below.
    address_id: String,
    #[serde(rename = "")]
    address: AddressInput,
    #[serde(rename = "method_")]
    methods: HashMap<String, String>,
}

impl From<DetailsForm> for CheckoutDetails {
    fn from(form: DetailsForm) -> Self {
        CheckoutDetails {
            email: form.email,
            address_id: form.address_id.trim_start_matches("new").into(),
            address: form.address,
            methods: form.methods,
        }
    }
}

/// The review page's forms: place the order under its idempotency key, or apply a discount
/// code (an empty one removes it).
#[derive(Deserialize)]
#[serde(rename_all = "kebab-case")]
enum ReviewForm {
    Place {
        key: String,
    },
    Code {
        #[serde(default)]
        code: String,
    },
}

/// The test provider's buttons: the payment succeeds, or anything else declines it.
#[derive(Deserialize)]
struct TestPayment {
    outcome: String,
}

#[component]
fn CheckoutFrame(title: &'static str, step: u8, children: Children) -> impl IntoView {
    let steps = ["Details", "Review", "Pay"];
    view! {
        <Title text=title/>
        <Meta name="robots" content="noindex"/>
        <ol class="checkout-steps" aria-label="Checkout steps">
            {steps.iter().enumerate().map(|(i, s)| {
                let current = i as u8 + 1 == step;
                view! { <li aria-current=current.then_some("step") class:current=current>{*s}</li> }
            }).collect_view()}
        </ol>
        <h1>{title}</h1>
        <PageNotice/>
        {children()}
    }
}

#[component]
pub fn CheckoutPage() -> impl IntoView {
    page_body(
        async move {
            let state = act(|form: DetailsForm| async move {
                api::save_checkout_details(form.into()).await?;
                Ok("/checkout/review".into())
            })
            .await;
            let view = api::get_checkout().await?;
            if view.quote.is_empty() {
                redirect("/cart");
            }
            AppResult::Ok((view, state))
        },
        |(view, state): (CheckoutView, FormState)| view! { <Details view state/> },
    )
}

#[component]
fn Details(view: CheckoutView, state: FormState) -> impl IntoView {
    let draft = view.draft.clone();
    let contact = match view.account_email.clone() {
        Some(email) => view! { <p>"Ordering as " <strong>{email}</strong></p> }.into_any(),
        None => view! {
            <Field form="details" name="email" label="Email" kind="email" state=state.clone()
                value=draft.email.clone() autocomplete="email" maxlength=254
                hint="For the confirmation and to find your order again."/>
            <p class="muted">"Have an account? " <a href="/account/login?next=/checkout">"Sign in"</a> " to use your saved addresses."</p>
        }
        .into_any(),
    };
    let chosen_saved = view
        .addresses
        .iter()
        .find(|a| a.same_place_as(&draft.address))
        .map(|a| a.id.clone());
    let saved = (!view.addresses.is_empty()).then(|| {
        let items = view
            .addresses
            .iter()
            .map(|a| {
                let checked = chosen_saved.as_deref() == Some(a.id.as_str());
                view! {
                    <label class="choice">
                        <input type="radio" name="address_id" value=a.id.clone() checked=checked/>
                        <span>{a.as_input().one_line()}</span>
                    </label>
                }
            })
            .collect_view();
        view! {
            <fieldset class="choices">
                <legend>"Ship to"</legend>
                {items}
                <label class="choice">
                    <input type="radio" name="address_id" value="new" checked=chosen_saved.is_none()/>
                    <span>"A new address"</span>
                </label>
            </fieldset>
        }
    });
    let a = if chosen_saved.is_some() {
        AddressInput::default()
    } else {
        draft.address.clone()
    };
    let s = state.clone();
    view! {
        <CheckoutFrame title="Checkout" step=1>
            <div class="cart-layout">
                <form method="post" action="/checkout" class="stack checkout-form" novalidate>
                    <FormAction name="details"/>
                    <FormError form="details" state=state.clone()/>
                    <section class="panel stack" aria-labelledby="contact-title">
                        <h2 id="contact-title">"Contact"</h2>
                        {contact}
                    </section>
                    <section class="panel stack" aria-labelledby="address-title">
                        <h2 id="address-title">"Shipping address"</h2>
                        {saved}
                        <div class="new-address stack">
                            <AddressFields form="details" state=s.clone() address=a required=false/>
                        </div>
                    </section>
                    <section class="panel stack" aria-labelledby="shipping-title">
                        <h2 id="shipping-title">"Shipping"</h2>
                        {view.quote.vendors.iter().map(|v| view! { <ShippingChoices vendor=v.clone()/> }).collect_view()}
                    </section>
                    <button type="submit" class="button">"Review order"</button>
                </form>
                <OrderSummary view=view.clone()/>
            </div>
        </CheckoutFrame>
    }
}

/// One line of the cart as the checkout lists it: quantity, title, options, amount.
fn line_item(l: &CartLine) -> impl IntoView + use<> {
    view! {
        <li>
            <span>{l.quantity} " × " {l.title.clone()}
                {(!l.options.is_empty()).then(|| format!(" ({})", l.options))}</span>
            <span>{l.line_total.to_string()}</span>
        </li>
    }
}

/// What is being bought, beside the details: each line, and the totals so far (tax once the
/// address is known).
#[component]
fn OrderSummary(view: CheckoutView) -> impl IntoView {
    view! {
        <aside class="panel cart-summary" aria-label="Order summary">
            <h2>"Order summary"</h2>
            <ul class="review-lines">
                {view.quote.vendors.iter().flat_map(|v| v.lines.iter()).map(line_item).collect_view()}
            </ul>
            <QuoteTotals quote=view.quote.clone() estimate=!view.ready/>
            <p><a href="/cart">"Edit cart"</a></p>
        </aside>
    }
}

#[component]
fn ShippingChoices(vendor: VendorQuote) -> impl IntoView {
    let name = format!("method_{}", vendor.vendor.slug);
    view! {
        <fieldset class="choices">
            <legend>{vendor.vendor.name.clone()} " (" {crate::text::counted(vendor.lines.iter().map(|l| l.quantity as u64).sum(), "item", "items")} ", " {vendor.subtotal.to_string()} ")"</legend>
            {vendor.methods.iter().map(|m| {
                let price = if m.price.minor == 0 { "Free".to_string() } else { m.price.to_string() };
                view! {
                    <label class="choice">
                        <input type="radio" name=name.clone() value=m.id.clone() checked=m.id == vendor.method_id/>
                        <span>{m.name.clone()} " · " {price} " · " {m.days.clone()}</span>
                    </label>
                }
            }).collect_view()}
        </fieldset>
    }
}

#[component]
pub fn ReviewPage() -> impl IntoView {
    page_body(
        async move {
            let state = act(|form: ReviewForm| async move {
                match form {
                    ReviewForm::Place { key } => {
                        let placed = api::place_order(key).await?;
                        Ok(format!("/checkout/pay/{}", placed.number))
                    }
                    ReviewForm::Code { code } => {
                        let notice = if code.trim().is_empty() {
                            Notice::CodeRemoved
                        } else {
                            Notice::CodeApplied
                        };
                        api::apply_discount_code(code).await?;
                        Ok(notice.on("/checkout/review"))
                    }
                }
            })
            .await;
            let view = api::get_checkout().await?;
            if view.quote.is_empty() {
                redirect("/cart");
            } else if !view.ready {
                redirect("/checkout");
            }
            AppResult::Ok((view, state))
        },
        |(view, state): (CheckoutView, FormState)| view! { <Review view state/> },
    )
}

#[component]
fn Review(view: CheckoutView, state: FormState) -> impl IntoView {
    let a = view.draft.address.clone();
    let problems = view.quote.problems();
    view! {
        <CheckoutFrame title="Review your order" step=2>
            <div class="cart-layout">
                <div class="stack">
                    <section class="panel" aria-labelledby="ship-title">
                        <h2 id="ship-title">"Shipping to"</h2>
                        <PostalAddress address=a/>
                        <p>"Confirmation to " <strong>{view.draft.email.clone()}</strong> " · " <a href="/checkout">"Change"</a></p>
                    </section>
                    {view.quote.vendors.iter().map(|v| {
                        let method = v.methods.iter().find(|m| m.id == v.method_id).map(|m| format!("{} ({})", m.name, m.days)).unwrap_or_default();
                        view! {
                            <section class="panel" aria-label=format!("From {}", v.vendor.name)>
                                <h2>"From " {v.vendor.name.clone()}</h2>
                                <ul class="review-lines">
                                    {v.lines.iter().map(line_item).collect_view()}
                                </ul>
                                <dl class="totals">
                                    <dt>"Shipping: " {method}</dt><dd>{v.shipping.to_string()}</dd>
                                    <dt>"Tax"</dt><dd>{v.tax.to_string()}</dd>
                                    <dt>"Total from this shop"</dt><dd>{v.total.to_string()}</dd>
                                </dl>
                            </section>
                        }
                    }).collect_view()}
                </div>
                <aside class="panel cart-summary" aria-label="Order total">
                    <h2>"Total"</h2>
                    <QuoteTotals quote=view.quote.clone()/>
                    <DiscountCode view=view.clone() state=state.clone()/>
                    <p class="muted">{view.payment_label.clone()}</p>
                    {problems.into_iter().map(|(t, p)| view! { <p class="field-error">{t} ": " {p}</p> }).collect_view()}
                    <form method="post" action="/checkout/review">
                        <FormAction name="place"/>
                        <FormError form="place" state=state/>
                        <input type="hidden" name="key" value=view.key.clone()/>
                        <button type="submit" class="button">"Place order and pay " {view.quote.total.to_string()}</button>
                    </form>
                </aside>
            </div>
        </CheckoutFrame>
    }
}

#[component]
pub fn PayPage() -> impl IntoView {
    let number = use_params_map()
        .read_untracked()
        .get("number")
        .unwrap_or_default();
    page_body(
        async move {
            let paying = number.clone();
            let state = act(|form: TestPayment| async move {
                let succeed = form.outcome == "succeed";
                let status = api::pay_test(paying.clone(), succeed).await?;
                Ok(if status.is_paid() {
                    Notice::Paid.on(&format!("/orders/{paying}"))
                } else {
                    Notice::Declined.on("/checkout/review")
                })
            })
            .await;
            let order = get_order(number, false).await?;
            let demo = crate::catalog::api::get_site_info().await.is_ok_and(|s| s.demo);
            AppResult::Ok((order, state, demo))
        },
        |(order, state, demo): (OrderDetail, FormState, bool)| view! { <Pay order state demo/> },
    )
}

#[component]
fn Pay(order: OrderDetail, state: FormState, demo: bool) -> impl IntoView {
    let number = order.number;
    let body = if !order.payable {
        view! {
            <p>"This order is " <strong>{order.status.label()}</strong> ". "
               <a href=format!("/orders/{number}")>"See the order"</a></p>
        }
        .into_any()
    } else if order.payment_provider == "test" && demo {
        view! {
            <section class="panel stack test-payment" aria-labelledby="test-pay-title">
                <h2 id="test-pay-title">"Test payment"</h2>
                <p><strong>"This shop runs with the test payment provider: no money moves."</strong>
                   " Choose what the payment does."</p>
                <FormError form="pay" state=state/>
                <form method="post" action=format!("/checkout/pay/{number}")>
                    <FormAction name="pay"/>
                    <input type="hidden" name="outcome" value="succeed"/>
                    <button type="submit" class="button">"Pay " {order.total.to_string()} " (test: succeeds)"</button>
                </form>
                <form method="post" action=format!("/checkout/pay/{number}")>
                    <FormAction name="pay"/>
                    <input type="hidden" name="outcome" value="decline"/>
                    <button type="submit" class="button secondary">"Decline (test: card declined)"</button>
                </form>
            </section>
        }
        .into_any()
    } else if let Some(stripe) = order.stripe.clone() {
        // Stripe's Payment Element (cards, 3-D Secure, wallets) runs in Stripe's frames; the
        // card never reaches this server. It needs JavaScript, and says so without it.
        view! {
            <section class="panel stack" aria-labelledby="card-title">
                <h2 id="card-title">"Payment"</h2>
                <noscript><p class="form-error">"Card payment needs JavaScript. Turn it on to pay for this order."</p></noscript>
                <form id="stripe-payment" class="stack" data-key=stripe.publishable_key
                    data-secret=stripe.client_secret data-return=Notice::Processing.on(&format!("/orders/{number}"))>
                    <div id="stripe-element"></div>
                    <p id="stripe-error" class="form-error" role="alert"></p>
                    <button type="submit" class="button">"Pay " {order.total.to_string()}</button>
                </form>
                <script src="https://js.stripe.com/v3/"></script>
                <script src="/stripe-pay.js" defer></script>
            </section>
        }
        .into_any()
    } else {
        view! { <p class="form-error">"This payment can't be made here. Contact us with the order number."</p> }.into_any()
    };
    view! {
        <CheckoutFrame title="Pay" step=3>
            <p>"Order #" {number} " · " {order.total.to_string()}
               " · stock is held for you while you pay."</p>
            {body}
        </CheckoutFrame>
    }
}
