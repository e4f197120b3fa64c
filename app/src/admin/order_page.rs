//! `/admin/orders/:number`: one order as operators see it — its shops' parts, totals and
//! address, the payment at the provider, the refunds and who made them, the order's history and
//! the log of operators' actions — with the refund of a part, the cancellation of an unpaid
//! order and the confirmation sent again, each behind its own form.

use super::api;
use super::order_model::{ConsoleOrder, ConsolePart, OrderAction};
use crate::accounts::postal_address::PostalAddress;
use crate::audit::AuditPanel;
use crate::error::AppResult;
use crate::money::Money;
use crate::ui::{
    AdminFrame, Confirm, Field, FormAction, FormError, FormState, Notice, TableScroll, act, input_id,
    page_body,
};
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use serde::Deserialize;

/// The page's forms, one per action (`_action`).
#[derive(Deserialize)]
#[serde(rename_all = "kebab-case")]
enum OrderForm {
    Refund {
        part: String,
        /// In major units, as typed ("12.50").
        amount: String,
        #[serde(default)]
        reason: String,
        key: String,
    },
    Cancel {
        #[serde(default)]
        reason: String,
    },
    Resend,
}

#[component]
pub fn ConsoleOrderPage() -> impl IntoView {
    let number = use_params_map()
        .read_untracked()
        .get("number")
        .unwrap_or_default();
    page_body(
        async move {
            let order = api::order_for_console(number.clone()).await?;
            let currency = order.order.total.currency;
            let here = format!("/admin/orders/{}", order.order.number);
            let n = order.order.number;
            let state = act(|form: OrderForm| async move {
                let (action, notice) = match form {
                    OrderForm::Refund {
                        part,
                        amount,
                        reason,
                        key,
                    } => {
                        let amount = Money::refund_amount(&amount, currency, "amount")?;
                        let action = OrderAction::Refund {
                            part,
                            amount: amount.minor,
                            reason,
                            key,
                        };
                        (action, Notice::Refunded)
                    }
                    OrderForm::Cancel { reason } => (OrderAction::Cancel { reason }, Notice::OrderCancelled),
                    OrderForm::Resend => (OrderAction::ResendConfirmation, Notice::ConfirmationResent),
                };
                api::act_on_order(number.clone(), action).await?;
                Ok(notice.on_order(&here, n))
            })
            .await;
            AppResult::Ok((order, state))
        },
        |(order, state): (ConsoleOrder, FormState)| view! { <OrderConsole order state/> },
    )
}

#[component]
fn OrderConsole(order: ConsoleOrder, state: FormState) -> impl IntoView {
    let o = order.order.clone();
    let customer = if order.customer.is_empty() {
        view! { {o.email.clone()} " (guest)" }.into_any()
    } else {
        view! { <a href=format!("/admin/users/{}", order.customer)>{o.email.clone()}</a> }.into_any()
    };
    let parts = o
        .vendors
        .iter()
        .map(|v| {
            let lines = v
                .items
                .iter()
                .map(|i| {
                    let options = (!i.options.is_empty()).then(|| format!(" ({})", i.options));
                    let cancelled = (i.cancelled > 0).then(|| format!(" · {} cancelled", i.cancelled));
                    view! { <li>{i.quantity} " × " {i.title.clone()} {options} " · " {i.sku.clone()} " · " {i.line_total.to_string()} {cancelled}</li> }
                })
                .collect_view();
            let tracking = v
                .tracking_number
                .clone()
                .map(|t| format!(" · {} {t}", v.carrier.clone().unwrap_or_default()));
            let refunded = (v.refunded.minor > 0).then(|| format!(" · refunded {}", v.refunded));
            let discount = (v.discount.minor > 0).then(|| format!(" after a {} discount", v.discount));
            view! {
                <article class="panel stack">
                    <h3>{v.vendor.name.clone()} " " <span class="badge">{v.status.label()}</span></h3>
                    <p class="muted">{v.shipping_method.clone()} " · total " {v.total.to_string()} {discount} {refunded} {tracking}</p>
                    <ul class="plain-list">{lines}</ul>
                </article>
            }
        })
        .collect_view();
    let payment = match order.payment.clone() {
        None => view! { <p class="muted">"No payment was started."</p> }.into_any(),
        Some(p) => {
            let failure = (!p.failure.is_empty())
                .then(|| view! { <div><dt>"Failure"</dt><dd>{p.failure.clone()}</dd></div> });
            view! {
            <dl class="facts">
                <div><dt>"Provider"</dt><dd>{p.provider.clone()}</dd></div>
                <div><dt>"Reference"</dt><dd>{if p.reference.is_empty() { "None yet".to_string() } else { p.reference.clone() }}</dd></div>
                <div><dt>"Status"</dt><dd>{p.status.clone()}</dd></div>
                <div><dt>"Amount"</dt><dd>{p.amount.to_string()}</dd></div>
                {failure}
            </dl>
        }
        .into_any()
        }
    };
    let events = o
        .events
        .iter()
        .map(|e| view! { <li><time>{e.at.clone()}</time> " " {e.vendor.clone().map(|v| format!("{v}: "))} {e.label.clone()}</li> })
        .collect_view();
    view! {
        <AdminFrame title=format!("Order #{}", o.number)>
            <p><a href="/admin/orders">"← All orders"</a></p>
            <dl class="facts">
                <div><dt>"Status"</dt><dd>{o.status.label()}</dd></div>
                <div><dt>"Placed"</dt><dd>{o.placed.clone()}</dd></div>
                <div><dt>"Customer"</dt><dd>{customer}</dd></div>
                {o.discount.clone().map(|(code, off)| view! { <div><dt>"Discount code"</dt><dd>{code} " · " {off.to_string()} " off"</dd></div> })}
                <div><dt>"Total"</dt><dd>{o.total.to_string()}</dd></div>
                <div><dt>"Refunded"</dt><dd>{o.refunded.to_string()}</dd></div>
            </dl>
            {["refund", "cancel", "resend"].map(|form| view! { <FormError form state=state.clone()/> }).collect_view()}
            <Actions order=order.clone() state=state.clone()/>
            <section class="stack" aria-labelledby="parts-title">
                <h2 id="parts-title">"Shops' parts"</h2>
                {parts}
            </section>
            <section class="panel stack" aria-labelledby="payment-title">
                <h2 id="payment-title">"Payment"</h2>
                {payment}
                <h3>"Shipping to"</h3>
                <PostalAddress address=o.address.clone()/>
            </section>
            <Refunds order=order.clone()/>
            <section class="panel stack" aria-labelledby="history-title">
                <h2 id="history-title">"History"</h2>
                <ol class="order-events">{events}</ol>
            </section>
            <AuditPanel title="The log about this order" rows=order.audit.clone() empty="Nobody has acted on this order."/>
        </AdminFrame>
    }
}

#[component]
fn Actions(order: ConsoleOrder, state: FormState) -> impl IntoView {
    let number = order.order.number;
    let refunds = order
        .parts
        .iter()
        .filter(|p| p.refundable.minor > 0)
        .map(|p| view! { <RefundForm part=p.clone() key=order.form_key.clone() state=state.clone()/> })
        .collect_view();
    let cancel = order.cancellable.then(|| {
        view! {
            <Confirm
                label="Cancel the order…".to_string()
                question=format!("Cancel order #{number}? It has not been paid: its stock goes back on sale and the payment is cancelled at the provider.")
                confirm="Yes, cancel it".to_string()
                open=state.field_error("cancel", "reason").is_some()
            >
                <FormAction name="cancel"/>
                <Field form="cancel" name="reason" label="Why (kept in the order's history)" state=state.clone() maxlength=300/>
            </Confirm>
        }
    });
    let resend = order.confirmed.then(|| {
        view! {
            <form method="post" class="inline">
                <FormAction name="resend"/>
                <button type="submit" class="secondary">"Send the confirmation again"</button>
            </form>
        }
    });
    let nothing =
        order.parts.iter().all(|p| p.refundable.minor == 0) && !order.cancellable && !order.confirmed;
    view! {
        <section class="panel stack" aria-labelledby="actions-title">
            <h2 id="actions-title">"Actions"</h2>
            {nothing.then(|| view! { <p class="muted">"Nothing can be done to this order any more."</p> })}
            <div class="image-actions">{resend}{cancel}</div>
            {refunds}
        </section>
    }
}

/// Refunds part of one shop's share, with a reason the shop reads in its activity.
#[component]
fn RefundForm(part: ConsolePart, key: String, state: FormState) -> impl IntoView {
    let mine = state.value("refund", "part") == part.id;
    let error = |field| mine.then(|| state.field_error("refund", field)).flatten();
    let (amount_error, reason_error) = (error("amount"), error("reason"));
    let (amount_invalid, reason_invalid) = (amount_error.is_some(), reason_error.is_some());
    let open = amount_invalid || reason_invalid;
    // The form that failed has the ids its error summary links to; the others their own.
    let id = |field: &str| {
        let id = input_id("refund", field);
        if mine { id } else { format!("{id}-{}", part.id) }
    };
    let (amount_id, reason_id) = (id("amount"), id("reason"));
    view! {
        <Confirm
            label=format!("Refund from {}…", part.shop)
            question=format!("Refund the shopper from {}'s part (up to {})? The money comes back from the shop's balance; the shop reads your reason.", part.shop, part.refundable)
            confirm="Refund".to_string()
            open=open
        >
            <FormAction name="refund"/>
            <input type="hidden" name="part" value=part.id.clone()/>
            <input type="hidden" name="key" value=key/>
            <div class="field" class:has-error=amount_invalid>
                <label for=amount_id.clone()>"Amount"</label>
                <input id=amount_id name="amount" inputmode="decimal" size="8" required placeholder=part.refundable.decimal()/>
                {amount_error.map(|e| view! { <p class="field-error" role="alert">{e}</p> })}
            </div>
            <div class="field" class:has-error=reason_invalid>
                <label for=reason_id.clone()>"Why"</label>
                <input id=reason_id name="reason" required maxlength="300"/>
                {reason_error.map(|e| view! { <p class="field-error" role="alert">{e}</p> })}
            </div>
        </Confirm>
    }
}

#[component]
fn Refunds(order: ConsoleOrder) -> impl IntoView {
    let rows = order
        .refunds
        .iter()
        .map(|r| {
            view! {
                <tr>
                    <td>{r.at.clone()}</td>
                    <td>{r.shop.clone()}</td>
                    <td class="amount">{r.amount.to_string()}</td>
                    <td>{r.reason.clone()}</td>
                    <td>{r.by.clone()}</td>
                    <td>{if r.restocked { "Yes" } else { "No" }}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <section class="panel stack" aria-labelledby="refunds-title">
            <h2 id="refunds-title">"Refunds"</h2>
            {if order.refunds.is_empty() {
                view! { <p class="muted">"Nothing refunded."</p> }.into_any()
            } else {
                view! {
                    <TableScroll label="Refunds"><table class="data-table">
                        <thead><tr><th>"When"</th><th>"Shop"</th><th>"Amount"</th><th>"Why"</th><th>"By"</th><th>"Restocked"</th></tr></thead>
                        <tbody>{rows}</tbody>
                    </table></TableScroll>
                }.into_any()
            }}
        </section>
    }
}
