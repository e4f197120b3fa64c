//! `/admin/settings`: the general settings (commission, reservation, payout delay), the tax
//! rates by country and region, and the shipping methods new shops start with — each a plain
//! form, every problem shown at once — and the history of changes.

use super::api;
use super::model::{PlatformSettings, SettingsChange, ShippingDefault};
use crate::audit::AuditPanel;
use crate::error::AppResult;
use crate::money::commission::percent_label;
use crate::ui::{
    AdminFrame, Confirm, Field, FormAction, FormError, FormState, Notice, TableScroll, act, input_id,
    page_body,
};
use leptos::prelude::*;

#[component]
pub fn SettingsPage() -> impl IntoView {
    page_body(
        async move {
            let settings = api::read_settings().await?;
            let state = act(|change: SettingsChange| async move {
                api::change_settings(change).await?;
                Ok(Notice::SettingsSaved.on("/admin/settings"))
            })
            .await;
            AppResult::Ok((settings, state))
        },
        |(settings, state): (PlatformSettings, FormState)| {
            view! {
                <AdminFrame title="Settings">
                    <p class="muted">{format!("Last changed {}. Secrets and infrastructure (database, mail, payment keys) stay in the server's environment.", settings.updated)}</p>
                    <General settings=settings.clone() state=state.clone()/>
                    <TaxRates settings=settings.clone() state=state.clone()/>
                    <Shipping settings=settings.clone() state=state.clone()/>
                    <AuditPanel title="History" rows=settings.history.clone() empty="No setting has been changed yet."/>
                </AdminFrame>
            }
        },
    )
}

#[component]
fn General(settings: PlatformSettings, state: FormState) -> impl IntoView {
    view! {
        <section class="panel stack" aria-labelledby="general-title">
            <h2 id="general-title">"Commission, reservations and payouts"</h2>
            <form method="post" class="stack narrow">
                <FormAction name="general"/>
                <FormError form="general" state=state.clone()/>
                <Field form="general" name="commission" label="Default commission (%)" state=state.clone()
                    value=percent_label(settings.commission_bp) maxlength=8
                    hint="What the marketplace keeps of each sale, unless a shop has its own rate (Shops). Fixed on an order when it is paid."/>
                <Field form="general" name="reservation_minutes" label="Minutes an unpaid order holds its stock" state=state.clone()
                    value=settings.reservation_minutes.to_string() maxlength=4 kind="number"/>
                <Field form="general" name="payout_delay_days" label="Days a sale waits before it is paid out" state=state.clone()
                    value=settings.payout_delay_days.to_string() maxlength=3 kind="number"
                    hint="Returns and refunds come first; a shorter delay pays what is already old enough at the next payout."/>
                <button type="submit" class="button">"Save settings"</button>
            </form>
        </section>
    }
}

#[component]
fn TaxRates(settings: PlatformSettings, state: FormState) -> impl IntoView {
    let rows = settings
        .tax_rates
        .iter()
        .map(|t| {
            let place = if t.region.is_empty() { t.country.clone() } else { format!("{}-{}", t.country, t.region) };
            let question = format!("Delete the rate “{}” ({place})? Orders placed from now on are not taxed there.", t.name);
            let (country, region) = (t.country.clone(), t.region.clone());
            view! {
                <tr>
                    <td>{t.country.clone()}</td>
                    <td>{if t.region.is_empty() { "Whole country".to_string() } else { t.region.clone() }}</td>
                    <td>{t.name.clone()}</td>
                    <td class="amount">{percent_label(t.rate_bp)}</td>
                    <td>
                        <Confirm label="Delete…".to_string() question confirm="Yes, delete it".to_string()>
                            <FormAction name="delete-tax"/>
                            <input type="hidden" name="country" value=country/>
                            <input type="hidden" name="region" value=region/>
                        </Confirm>
                    </td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <section class="panel stack" aria-labelledby="tax-title">
            <h2 id="tax-title">"Tax rates"</h2>
            <p class="muted">"Charged on goods and shipping by the address shipped to. A region's rate applies instead of its country's."</p>
            <FormError form="delete-tax" state=state.clone()/>
            <TableScroll label="Tax rates"><table class="data-table">
                <thead><tr><th>"Country"</th><th>"Region"</th><th>"Name"</th><th>"Rate"</th><th>"Actions"</th></tr></thead>
                <tbody>{rows}</tbody>
            </table></TableScroll>
            <h3>"Add or change a rate"</h3>
            <form method="post" class="stack narrow">
                <FormAction name="save-tax"/>
                <FormError form="save-tax" state=state.clone()/>
                <Field form="save-tax" name="country" label="Country code" state=state.clone() maxlength=2 hint="Two letters: US, DE, GB."/>
                <Field form="save-tax" name="region" label="Region code" state=state.clone() required=false maxlength=10 hint="Empty for the whole country; CA, NY, ON for a region. The same country and region replace the rate."/>
                <Field form="save-tax" name="name" label="Name shoppers see" state=state.clone() maxlength=60/>
                <Field form="save-tax" name="rate" label="Rate (%)" state=state.clone() maxlength=8/>
                <button type="submit" class="button">"Save rate"</button>
            </form>
        </section>
    }
}

#[component]
fn Shipping(settings: PlatformSettings, state: FormState) -> impl IntoView {
    let rows = settings
        .shipping
        .iter()
        .map(|m| view! { <ShippingRow method=m.clone() state=state.clone() last=settings.shipping.len() == 1/> })
        .collect_view();
    view! {
        <section class="panel stack" aria-labelledby="shipping-title">
            <h2 id="shipping-title">"Shipping methods for new shops"</h2>
            <p class="muted">"A shop that applies starts with these; each shop then keeps its own."</p>
            <FormError form="save-shipping" state=state.clone()/>
            <FormError form="delete-shipping" state=state.clone()/>
            <div class="stack">{rows}</div>
            <details open=!state.field_problems("save-shipping").is_empty() && state.value("save-shipping", "id").is_empty()>
                <summary>"Add a method"</summary>
                <ShippingForm method=None state=state.clone()/>
            </details>
        </section>
    }
}

#[component]
fn ShippingRow(method: ShippingDefault, state: FormState, last: bool) -> impl IntoView {
    let id = method.id.clone();
    let question = format!(
        "Delete “{}” from the methods new shops start with? Shops that have it keep it.",
        method.name
    );
    let delete = (!last).then(move || {
        view! {
            <Confirm label="Delete…".to_string()
                question
                confirm="Yes, delete it".to_string()>
                <FormAction name="delete-shipping"/>
                <input type="hidden" name="id" value=id/>
            </Confirm>
        }
    });
    view! {
        <article class="stack">
            <ShippingForm method=Some(method.clone()) state=state/>
            {delete}
        </article>
    }
}

/// The form of one method (`None`: a new one). Its fields show this method's errors only.
#[component]
fn ShippingForm(method: Option<ShippingDefault>, state: FormState) -> impl IntoView {
    let id = method.as_ref().map(|m| m.id.clone()).unwrap_or_default();
    let mine = state.value("save-shipping", "id") == id && !state.field_problems("save-shipping").is_empty();
    let value = |field: &str, saved: String| {
        if mine {
            state.value("save-shipping", field)
        } else {
            saved
        }
    };
    let error = |field: &str| mine.then(|| state.field_error("save-shipping", field)).flatten();
    let m = method.clone();
    let saved = move |f: fn(&ShippingDefault) -> String| m.as_ref().map(f).unwrap_or_default();
    let fields = [
        ("name", "Name", saved(|m| m.name.clone())),
        ("price", "Price", saved(|m| m.price.decimal())),
        ("free_over", "Free from (empty: never)", saved(|m| m.free_over.map(|f| f.decimal()).unwrap_or_default())),
        ("min_days", "Earliest day", saved(|m| m.min_days.to_string())),
        ("max_days", "Latest day", saved(|m| m.max_days.to_string())),
    ]
    .map(|(field, label, saved)| {
        // The form that failed has the ids its error summary links to; the others their own.
        let input = if mine {
            input_id("save-shipping", field)
        } else {
            format!("shipping-{field}-{}", if id.is_empty() { "new" } else { &id })
        };
        let (error, value) = (error(field), value(field, saved));
        let invalid = error.is_some();
        view! {
            <div class="field" class:has-error=invalid>
                <label for=input.clone()>{label}</label>
                <input id=input name=field value=value maxlength="60" size="10" required={field != "free_over"}/>
                {error.map(|e| view! { <p class="field-error" role="alert">{e}</p> })}
            </div>
        }
    })
    .collect_view();
    view! {
        <form method="post" class="row-form">
            <FormAction name="save-shipping"/>
            <input type="hidden" name="id" value=id.clone()/>
            {fields}
            <button type="submit">{if method.is_some() { "Save" } else { "Add method" }}</button>
        </form>
    }
}
