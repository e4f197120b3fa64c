//! `/vendor/:vendor/money`: balance, what goes out with the next payout, payouts, the ledger,
//! and (with Stripe) connecting the shop's Stripe account.

use super::api;
use super::model::MoneyOverview;
use super::portal_pages::{PortalFrame, shop_param};
use crate::accounts::model::VendorRole;
use crate::error::AppResult;
use crate::money::commission::percent_label;
use crate::ui::{FormAction, FormError, FormState, TableScroll, act, page_body};
use leptos::prelude::*;
use serde::Deserialize;

/// The "Connect with Stripe" button.
#[derive(Deserialize)]
struct Connect {}

/// `/vendor/:vendor/money`: balance, payouts and the ledger.
#[component]
pub fn MoneyPage() -> impl IntoView {
    let vendor = shop_param();
    page_body(
        async move {
            let money = api::shop_money(vendor.clone()).await?;
            let state = act(|_: Connect| async move { api::connect_stripe(vendor).await }).await;
            AppResult::Ok((money, state))
        },
        |(m, state): (MoneyOverview, FormState)| {
            let owner = m.membership.role == VendorRole::Owner && m.membership.can_edit();
            let connect = m.stripe_connected.map(|connected| {
            let (text, button) = if connected {
                ("Payouts go to your Stripe account. Update its details on Stripe.", "Open Stripe")
            } else {
                ("Connect a Stripe account to be paid: your balance waits here until you do.", "Connect with Stripe")
            };
            view! {
                <section class="panel" aria-labelledby="stripe-title">
                    <h2 id="stripe-title">"Stripe account"</h2>
                    <p>{text}</p>
                    <FormError form="connect" state=state.clone()/>
                    {owner.then(|| view! {
                        <form method="post"><FormAction name="connect"/><button type="submit">{button}</button></form>
                    })}
                </section>
            }
        });
            let entries = m
                .entries
                .iter()
                .map(|e| {
                    view! {
                        <tr>
                            <td>{e.at.clone()}</td>
                            <td>{e.label.clone()}</td>
                            <td>{e.order_number.map(|n| format!("#{n}"))}</td>
                            <td class="amount">{e.amount.to_string()}</td>
                        </tr>
                    }
                })
                .collect_view();
            let payouts = m
                .payouts
                .iter()
                .map(|p| {
                    view! {
                        <tr><td>{p.at.clone()}</td><td class="amount">{p.amount.to_string()}</td>
                            <td>{p.status.clone()} {p.simulated.then_some(" (simulated)")}</td></tr>
                    }
                })
                .collect_view();
            view! {
                <PortalFrame membership=m.membership.clone() title="Money">
                    <p><a href=format!("/vendor/{}/activity", m.membership.vendor_slug)>"Commission and standing decisions: the shop's activity log"</a></p>
                    {m.simulated.then(|| view! {
                        <p class="notice" role="note">"Payments run on the test provider: payouts are simulated in the ledger and no money moves."</p>
                    })}
                    {m.payouts_held.clone().map(|reason| view! {
                        <p class="notice problem" role="note">{format!("The marketplace team holds your payouts (“{reason}”). Your balance is paid out once the hold is lifted.")}</p>
                    })}
                    {connect}
                    <dl class="figures">
                        <div><dt>"Balance"</dt><dd data-testid="balance">{m.balance.to_string()}</dd></div>
                        <div><dt>"In the next payout"</dt><dd>{m.available.to_string()}</dd></div>
                        <div><dt>{format!("On hold ({} days after the sale)", m.payout_delay_days)}</dt><dd>{m.on_hold.to_string()}</dd></div>
                        <div><dt>"Commission"</dt><dd>{percent_label(m.commission_bp)}</dd></div>
                    </dl>
                    <section class="panel" aria-labelledby="payouts-title">
                        <h2 id="payouts-title">"Payouts"</h2>
                        {if m.payouts.is_empty() { view! { <p class="muted">"No payouts yet."</p> }.into_any() } else { view! {
                            <TableScroll label="Payouts"><table class="data-table"><thead><tr><th>"Date"</th><th>"Amount"</th><th>"Status"</th></tr></thead><tbody>{payouts}</tbody></table></TableScroll>
                        }.into_any() }}
                    </section>
                    <section class="panel" aria-labelledby="ledger-title">
                        <h2 id="ledger-title">"Ledger"</h2>
                        {if m.entries.is_empty() { view! { <p class="muted">"Nothing booked yet: sales appear here when orders are paid."</p> }.into_any() } else { view! {
                            <TableScroll label="Ledger"><table class="data-table"><thead><tr><th>"When (UTC)"</th><th>"What"</th><th>"Order"</th><th>"Amount"</th></tr></thead><tbody>{entries}</tbody></table></TableScroll>
                        }.into_any() }}
                    </section>
                </PortalFrame>
            }
        },
    )
}
