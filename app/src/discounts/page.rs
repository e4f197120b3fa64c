//! The discount pages: `/admin/discounts` (the marketplace's codes, and every shop's to
//! disable) and `/vendor/:vendor/discounts` (a shop's own). One list and one form for both;
//! plain forms, so they work without JavaScript.

use super::api;
use super::model::{CodeAction, CodeRow, Codes};
use crate::error::AppResult;
use crate::ui::{AdminFrame, Field, FormAction, FormError, FormState, Notice, TableScroll, act, page_body};
use crate::vendors::{PortalFrame, shop_param};
use leptos::prelude::*;

/// The notice after `action`, on page `path`.
fn done(action: &CodeAction, path: &str) -> String {
    match action {
        CodeAction::Create(_) => Notice::DiscountCreated.on(path),
        CodeAction::Disable { .. } => Notice::DiscountDisabled.on(path),
        CodeAction::Enable { .. } => Notice::DiscountEnabled.on(path),
    }
}

/// `/admin/discounts`.
#[component]
pub fn MarketplaceCodesPage() -> impl IntoView {
    page_body(
        async move {
            let state = act(|action: CodeAction| async move {
                let path = done(&action, "/admin/discounts");
                api::act_on_marketplace_codes(action).await?;
                Ok(path)
            })
            .await;
            let codes = api::marketplace_codes().await?;
            AppResult::Ok((codes, state))
        },
        |(codes, state): (Codes, FormState)| {
            view! {
                <AdminFrame title="Discounts">
                    <CodesPanel codes state shops=true/>
                </AdminFrame>
            }
        },
    )
}

/// `/vendor/:vendor/discounts` (owners).
#[component]
pub fn ShopCodesPage() -> impl IntoView {
    let vendor = shop_param();
    page_body(
        async move {
            let state = act(|action: CodeAction| {
                let vendor = vendor.clone();
                async move {
                    let path = done(&action, &format!("/vendor/{vendor}/discounts"));
                    api::act_on_shop_codes(vendor, action).await?;
                    Ok(path)
                }
            })
            .await;
            let codes = api::shop_codes(vendor.clone()).await?;
            AppResult::Ok((codes, state))
        },
        |(codes, state): (Codes, FormState)| {
            codes.membership.clone().map(|membership| {
                view! {
                    <PortalFrame membership title="Discounts">
                        <CodesPanel codes state shops=false/>
                    </PortalFrame>
                }
            })
        },
    )
}

/// The list of codes and the form for a new one.
#[component]
fn CodesPanel(codes: Codes, state: FormState, shops: bool) -> impl IntoView {
    let rows = codes.codes.iter().map(|c| code_row(c, shops)).collect_view();
    let empty = codes.codes.is_empty();
    view! {
        <p class="muted">{codes.funded_by.clone()}</p>
        <section class="panel stack" aria-labelledby="codes-title">
            <h2 id="codes-title">"Codes"</h2>
            <FormError form="disable" state=state.clone()/>
            <FormError form="enable" state=state.clone()/>
            {if empty {
                view! { <p class="muted">"No codes yet."</p> }.into_any()
            } else {
                view! {
                    <TableScroll label="Codes"><table class="data-table">
                        <thead><tr>
                            <th>"Code"</th>{shops.then(|| view! { <th>"Shop"</th> })}<th>"Takes off"</th><th>"Conditions"</th>
                            <th>"Days"</th><th>"Used"</th><th>"Status"</th><th>"Actions"</th>
                        </tr></thead>
                        <tbody>{rows}</tbody>
                    </table></TableScroll>
                }.into_any()
            }}
        </section>
        <NewCode state/>
    }
}

fn code_row(c: &CodeRow, shops: bool) -> impl IntoView + use<> {
    let mut conditions: Vec<String> = Vec::new();
    if let Some(min) = c.min_subtotal {
        conditions.push(format!("From {min} of goods"));
    }
    if let Some(n) = c.per_customer_limit {
        conditions.push(format!("{n} per customer"));
    }
    if c.first_order_only {
        conditions.push("First order only".into());
    }
    let days = match (&c.starts, &c.ends) {
        (None, None) => "Any day".to_string(),
        (Some(s), None) => format!("From {s}"),
        (None, Some(e)) => format!("Until {e}"),
        (Some(s), Some(e)) => format!("{s} to {e}"),
    };
    let used = match c.usage_limit {
        Some(limit) => format!("{} of {limit}", c.uses),
        None => c.uses.to_string(),
    };
    let disabled = c.state == super::model::CodeState::Disabled;
    let (action, label) = if disabled {
        ("enable", "Enable")
    } else {
        ("disable", "Disable")
    };
    let badge = if c.state.muted() {
        "badge badge-muted"
    } else {
        "badge"
    };
    let shop = c.shop.clone().unwrap_or_else(|| "The marketplace".into());
    view! {
        <tr>
            <td><code>{c.code.clone()}</code></td>
            {shops.then(|| view! { <td>{shop}</td> })}
            <td>{c.amount.clone()}</td>
            <td>{if conditions.is_empty() { "None".to_string() } else { conditions.join(" · ") }}</td>
            <td>{days}</td>
            <td class="amount">{used}</td>
            <td><span class=badge>{c.state.label()}</span></td>
            <td>
                <form method="post" class="inline">
                    <FormAction name=action/>
                    <input type="hidden" name="id" value=c.id.clone()/>
                    <button type="submit" class="link-button" aria-label=format!("{label} {}", c.code)>{label}</button>
                </form>
            </td>
        </tr>
    }
}

#[component]
fn NewCode(state: FormState) -> impl IntoView {
    view! {
        <section class="panel stack" aria-labelledby="new-code-title">
            <h2 id="new-code-title">"New code"</h2>
            <form method="post" class="stack narrow">
                <FormAction name="create"/>
                <FormError form="create" state=state.clone()/>
                <Field form="create" name="code" label="Code shoppers type" state=state.clone() maxlength=32
                    hint="3 to 32 letters, digits, - or _; stored in capitals, unique in the marketplace."/>
                <div class="field">
                    <label for="create-kind">"Kind"</label>
                    <select id="create-kind" name="kind">
                        <option value="percent">"A percentage of the goods"</option>
                        <option value="fixed">"A fixed amount off the goods"</option>
                    </select>
                </div>
                <Field form="create" name="value" label="Percentage or amount" state=state.clone() maxlength=12
                    hint="10 or 12.5 for a percentage; 5.00 for an amount."/>
                <Field form="create" name="min_subtotal" label="Minimum order (goods, before shipping and tax)" state=state.clone()
                    required=false maxlength=12/>
                <Field form="create" name="starts" label="First day" kind="date" state=state.clone() required=false maxlength=10/>
                <Field form="create" name="ends" label="Last day" kind="date" state=state.clone() required=false maxlength=10
                    hint="Days are in UTC; leave both empty for any day."/>
                <Field form="create" name="usage_limit" label="Uses in total" kind="number" state=state.clone() required=false maxlength=7
                    hint="Empty for no limit."/>
                <Field form="create" name="per_customer_limit" label="Uses per customer" kind="number" state=state.clone() required=false maxlength=7
                    hint="Counted by email address and account."/>
                <div class="field checkbox-field">
                    <input type="checkbox" id="create-first_order_only" name="first_order_only" value="on"/>
                    <label for="create-first_order_only">"First order only"</label>
                </div>
                <button type="submit" class="button">"Create the code"</button>
            </form>
        </section>
    }
}
