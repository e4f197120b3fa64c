//! `/admin/payouts`: every shop's balance and last payout (found by name), and the payouts
//! that are pending or failed (or any). Each shop opens its own page.

use super::api;
use super::model::{PayoutFilter, PayoutRow, PayoutsOverview};
use crate::text::encode_component;
use crate::ui::{AdminFrame, TableScroll, page_body, pager};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub fn PayoutsPage() -> impl IntoView {
    let query = use_query_map().read_untracked().clone();
    let get = |name: &str| query.get(name).unwrap_or_default();
    let page = get("page").parse().unwrap_or(1);
    page_body(
        api::list_payouts(get("q"), get("status"), page),
        |o: PayoutsOverview| {
            let base = format!(
                "/admin/payouts?q={}&status={}",
                encode_component(&o.q),
                o.filter.key()
            );
            let shops = o
            .shops
            .iter()
            .map(|s| {
                let standing = match &s.held {
                    Some((at, _)) => format!("Held since {at}"),
                    None => "Paid out".to_string(),
                };
                let last = s
                    .last_payout
                    .clone()
                    .map_or("None yet".to_string(), |(at, status)| format!("{at}, {status}"));
                view! {
                    <tr>
                        <td><a href=format!("/admin/payouts/{}", s.slug)>{s.name.clone()}</a></td>
                        <td class="amount">{s.balance.to_string()}</td>
                        <td class="amount">{s.available.to_string()}</td>
                        <td>{last}</td>
                        <td>{if s.held.is_some() { view! { <span class="badge">{standing}</span> }.into_any() } else { standing.into_any() }}</td>
                    </tr>
                }
            })
            .collect_view();
            let filters = PayoutFilter::ALL
                .map(|(f, key, label)| view! { <option value=key selected=o.filter == f>{label}</option> })
                .collect_view();
            view! {
                <AdminFrame title="Payouts">
                    {o.simulated.then(|| view! {
                        <p class="notice" role="note">"Payments run on the test provider: payouts are simulated in the ledger and no money moves."</p>
                    })}
                    <p class="muted">{format!("Sales are paid out {} days after the sale, by the hourly payout job.", o.payout_delay_days)}</p>
                    <form method="get" class="row-form" role="search" aria-label="Shops">
                        <label>"Shop " <input type="search" name="q" value=o.q.clone() maxlength="100"/></label>
                        <label>"Payouts " <select name="status">{filters}</select></label>
                        <button type="submit">"Show"</button>
                    </form>
                    <section class="panel stack" aria-labelledby="shops-title">
                        <h2 id="shops-title">"Balances"</h2>
                        {if o.shops.is_empty() {
                            view! { <p class="muted">"No shop matches."</p> }.into_any()
                        } else {
                            view! {
                                <TableScroll label="Balances"><table class="data-table">
                                    <thead><tr><th>"Shop"</th><th>"Balance"</th><th>"Available now"</th><th>"Last payout"</th><th>"Payouts"</th></tr></thead>
                                    <tbody>{shops}</tbody>
                                </table></TableScroll>
                            }.into_any()
                        }}
                        {pager(o.page, o.pages, &|p| format!("{base}&page={p}"))}
                    </section>
                    <section class="panel stack" aria-labelledby="payouts-title">
                        <h2 id="payouts-title">{PayoutFilter::ALL.iter().find(|(f, _, _)| *f == o.filter).map(|(_, _, l)| *l)}</h2>
                        <PayoutTable rows=o.payouts.clone() with_shop=true/>
                    </section>
                </AdminFrame>
            }
        },
    )
}

/// Payouts as a table, newest first; `with_shop` adds the shop's column.
#[component]
pub(super) fn PayoutTable(rows: Vec<PayoutRow>, with_shop: bool) -> impl IntoView {
    if rows.is_empty() {
        return view! { <p class="muted">"No payouts."</p> }.into_any();
    }
    let body = rows
        .iter()
        .map(|p| {
            let shop = with_shop.then(
                || view! { <td><a href=format!("/admin/payouts/{}", p.shop_slug)>{p.shop.clone()}</a></td> },
            );
            let status = if p.simulated {
                format!("{} (simulated)", p.status)
            } else {
                p.status.clone()
            };
            view! {
                <tr>
                    <td>{p.at.clone()}</td>
                    {shop}
                    <td class="amount">{p.amount.to_string()}</td>
                    <td>{status}</td>
                    <td>{p.failure.clone()}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <TableScroll label="Payouts"><table class="data-table">
            <thead><tr><th>"When"</th>{with_shop.then(|| view! { <th>"Shop"</th> })}<th>"Amount"</th><th>"Status"</th><th>"Provider's answer"</th></tr></thead>
            <tbody>{body}</tbody>
        </table></TableScroll>
    }
    .into_any()
}
