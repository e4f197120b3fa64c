//! `/admin/payouts/:shop`: one shop's balances and payouts, its ledger with the balance after
//! each entry, and the hold, release and pay-now forms.

use super::api;
use super::model::{PayoutAction, ShopPayouts};
use super::page::PayoutTable;
use crate::audit::AuditPanel;
use crate::error::AppResult;
use crate::ui::{
    AdminFrame, Confirm, Field, FormAction, FormError, FormState, Notice, TableScroll, act, page_body, pager,
};
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};
use serde::Deserialize;

/// The page's forms, one per action (`_action`).
#[derive(Deserialize)]
#[serde(rename_all = "kebab-case")]
enum PayoutForm {
    Hold {
        #[serde(default)]
        reason: String,
    },
    Release,
    PayNow,
}

#[component]
pub fn ShopPayoutsPage() -> impl IntoView {
    let shop = use_params_map().read_untracked().get("shop").unwrap_or_default();
    let page = use_query_map()
        .read_untracked()
        .get("page")
        .and_then(|p| p.parse().ok())
        .unwrap_or(1);
    page_body(
        async move {
            let payouts = api::payouts_of_shop(shop.clone(), page).await?;
            let state = act(|form: PayoutForm| async move {
                let (action, notice) = match form {
                    PayoutForm::Hold { reason } => (PayoutAction::Hold { reason }, Notice::PayoutsHeld),
                    PayoutForm::Release => (PayoutAction::Release, Notice::PayoutsReleased),
                    PayoutForm::PayNow => (PayoutAction::PayNow, Notice::PaidOutNow),
                };
                api::act_on_payouts(shop.clone(), action).await?;
                Ok(notice.on(&format!("/admin/payouts/{shop}")))
            })
            .await;
            AppResult::Ok((payouts, state))
        },
        |(payouts, state): (ShopPayouts, FormState)| view! { <ShopPayoutsView payouts state/> },
    )
}

#[component]
fn ShopPayoutsView(payouts: ShopPayouts, state: FormState) -> impl IntoView {
    let s = payouts.shop.clone();
    let held = s.held.clone().map(|(at, reason)| {
        view! { <p class="notice problem" role="note">{format!("Payouts held since {at}: {reason}")}</p> }
    });
    let lines = payouts
        .ledger
        .iter()
        .map(|l| {
            view! {
                <tr>
                    <td>{l.at.clone()}</td>
                    <td>{l.label.clone()}</td>
                    <td>{l.order_number.map(|n| view! { <a href=format!("/admin/orders/{n}")>{format!("#{n}")}</a> })}</td>
                    <td class="amount">{l.amount.to_string()}</td>
                    <td class="amount">{l.balance.to_string()}</td>
                </tr>
            }
        })
        .collect_view();
    let base = format!("/admin/payouts/{}", s.slug);
    view! {
        <AdminFrame title=format!("Payouts of {}", s.name)>
            <p><a href="/admin/payouts">"← All payouts"</a> " · " <a href=format!("/v/{}", s.slug)>"The shop's storefront"</a></p>
            {held}
            <dl class="figures">
                <div><dt>"Balance"</dt><dd data-testid="balance">{s.balance.to_string()}</dd></div>
                <div><dt>"Available now"</dt><dd>{s.available.to_string()}</dd></div>
            </dl>
            {["hold", "release", "pay-now"].map(|form| view! { <FormError form state=state.clone()/> }).collect_view()}
            <Actions payouts=payouts.clone() state=state.clone()/>
            <section class="panel stack" aria-labelledby="payouts-title">
                <h2 id="payouts-title">"Payouts"</h2>
                <PayoutTable rows=payouts.payouts.clone() with_shop=false/>
            </section>
            <section class="panel stack" aria-labelledby="ledger-title">
                <h2 id="ledger-title">"Ledger"</h2>
                {if payouts.ledger.is_empty() {
                    view! { <p class="muted">"Nothing booked yet."</p> }.into_any()
                } else {
                    view! {
                        <TableScroll label="Ledger"><table class="data-table">
                            <thead><tr><th>"When"</th><th>"What"</th><th>"Order"</th><th>"Amount"</th><th>"Balance after"</th></tr></thead>
                            <tbody>{lines}</tbody>
                        </table></TableScroll>
                    }.into_any()
                }}
                {pager(payouts.page, payouts.pages, &|p| format!("{base}?page={p}"))}
            </section>
            <AuditPanel title="The log about this shop" rows=payouts.audit.clone() empty="Nobody has changed this shop."/>
        </AdminFrame>
    }
}

#[component]
fn Actions(payouts: ShopPayouts, state: FormState) -> impl IntoView {
    let s = payouts.shop;
    let name = s.name.clone();
    let hold_or_release = if s.held.is_some() {
        view! {
            <form method="post" class="inline">
                <FormAction name="release"/>
                <button type="submit" class="secondary">"Release the payouts"</button>
            </form>
        }
        .into_any()
    } else {
        view! {
            <Confirm
                label="Hold the payouts…".to_string()
                question=format!("Hold the payouts of {name}? Its sales stay in its balance and nothing is paid out until you release them; the shop reads your reason in its portal and by mail.")
                confirm="Yes, hold them".to_string()
                open=state.field_error("hold", "reason").is_some()
            >
                <FormAction name="hold"/>
                <Field form="hold" name="reason" label="Why (the shop reads it)" state=state.clone() maxlength=1000 rows=3/>
            </Confirm>
        }
        .into_any()
    };
    let failed = payouts.payouts.first().is_some_and(|p| p.status == "failed");
    let pay = (s.held.is_none() && s.available.minor > 0).then(|| {
        let label = if failed {
            "Retry the payout now"
        } else {
            "Pay out now"
        };
        view! {
            <Confirm
                label=format!("{label}…")
                question=format!("Pay {} to {name} now, instead of with the next hourly run?", s.available)
                confirm=label.to_string()
            >
                <FormAction name="pay-now"/>
            </Confirm>
        }
    });
    view! {
        <section class="panel stack" aria-labelledby="actions-title">
            <h2 id="actions-title">"Actions"</h2>
            <div class="image-actions">{hold_or_release}{pay}</div>
        </section>
    }
}
