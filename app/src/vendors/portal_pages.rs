//! The vendor portal's pages: the shops of the signed-in user, applying, the dashboard with
//! its sales chart, staff, money, and accepting an invitation.

use super::api;
use super::commission::percent_label;
use super::model::{Dashboard, DaySales, MoneyOverview, StaffOverview, VendorStatus};
use crate::accounts::forms::{Notice, act};
use crate::accounts::model::{Membership, VendorRole};
use crate::error::{AppError, AppResult};
use crate::ui::{Field, FormAction, FormError, FormState, page_body};
use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::{use_params_map, use_query_map};

/// The shop named in the path.
pub(super) fn shop_param() -> String {
    use_params_map()
        .read_untracked()
        .get("vendor")
        .unwrap_or_default()
}

/// The portal's frame: the shop's navigation beside the page, and its standing when it is
/// not approved.
#[component]
pub fn PortalFrame(membership: Membership, #[prop(into)] title: String, children: Children) -> impl IntoView {
    let base = format!("/vendor/{}", membership.vendor_slug);
    let links = [
        ("", "Dashboard"),
        ("/products", "Products"),
        ("/inventory", "Inventory"),
        ("/orders", "Orders"),
        ("/money", "Money"),
        ("/staff", "Staff"),
    ];
    let standing = VendorStatus::parse(&membership.vendor_status)
        .filter(|s| *s != VendorStatus::Approved)
        .map(|s| {
            let text = match s {
                VendorStatus::Pending => "Your application is waiting for the marketplace's decision. You can prepare products meanwhile; they go on sale once the shop is approved.",
                VendorStatus::Rejected => "Your application was not approved. The email we sent says why.",
                _ => "This shop is suspended: its products are off the storefront and nothing can be changed. Orders, balance and data stay.",
            };
            view! { <p class="notice warning" role="status"><strong>{s.label()}". "</strong>{text}</p> }
        });
    view! {
        <Title text=format!("{title} · {}", membership.vendor_name)/>
        <Meta name="robots" content="noindex"/>
        <div class="account portal">
            <nav class="account-nav" aria-label="Shop">
                <strong>{membership.vendor_name.clone()}</strong>
                {links.map(|(path, label)| view! { <a href=format!("{base}{path}")>{label}</a> }).collect_view()}
                <a href=format!("/v/{}", membership.vendor_slug)>"View the shop"</a>
            </nav>
            <section class="account-main">
                <h1>{title}</h1>
                {standing}
                <Notice/>
                {children()}
            </section>
        </div>
    }
}

/// `/vendor`: the signed-in user's shops, and applying for one.
#[component]
pub fn VendorHome() -> impl IntoView {
    page_body(api::my_shops(), |shops: Vec<Membership>| {
        let list = shops
            .iter()
            .map(|m| {
                let status = VendorStatus::parse(&m.vendor_status)
                    .map(VendorStatus::label)
                    .unwrap_or_default();
                view! {
                    <li>
                        <a href=format!("/vendor/{}", m.vendor_slug)>{m.vendor_name.clone()}</a>
                        " · " {m.role.label()} " · " {status}
                    </li>
                }
            })
            .collect_view();
        view! {
            <Title text="Vendor portal"/>
            <Meta name="robots" content="noindex"/>
            <section class="narrow stack">
                <h1>"Vendor portal"</h1>
                <Notice/>
                {(!shops.is_empty()).then(|| view! { <ul class="plain-list" aria-label="Your shops">{list}</ul> })}
                <div class="panel">
                    <h2>"Sell on the marketplace"</h2>
                    <p>"Open your own shop: apply with its name and what you sell. Our team reviews applications within a few days."</p>
                    <p><a class="button" href="/vendor/apply">"Apply to sell"</a></p>
                </div>
            </section>
        }
    })
}

/// `/vendor/apply`: the application form.
#[component]
pub fn ApplyPage() -> impl IntoView {
    page_body(
        async move {
            let me = crate::accounts::api::me().await?;
            let state = act(|form| async move {
                let slug = api::apply_vendor(
                    form.get("name").into(),
                    form.get("slug").into(),
                    form.get("description").into(),
                    form.get("contact_email").into(),
                    form.get("country").into(),
                )
                .await?;
                Ok(format!("/vendor/{slug}?notice=applied"))
            })
            .await;
            AppResult::Ok((me.email, state))
        },
        |(email, state): (String, FormState)| {
            let description = state.value("apply", "description");
            view! {
                <Title text="Apply to sell"/>
                <Meta name="robots" content="noindex"/>
                <section class="narrow">
                    <h1>"Apply to sell"</h1>
                    <form method="post" class="stack panel">
                        <FormAction name="apply"/>
                        <FormError form="apply" state=state.clone()/>
                        <Field form="apply" name="name" label="Shop name" state=state.clone() maxlength=120/>
                        <Field form="apply" name="slug" label="Shop address" state=state.clone() maxlength=60
                            hint="Lower-case letters, digits and dashes: your shop will be at /v/your-address."/>
                        <div class="field">
                            <label for="apply-description">"What you sell"</label>
                            <textarea id="apply-description" name="description" rows="4" maxlength="2000">{description}</textarea>
                        </div>
                        <Field form="apply" name="contact_email" label="Contact email" kind="email" state=state.clone() value=email/>
                        <Field form="apply" name="country" label="Country (two letters, e.g. US)" state=state.clone() maxlength=2/>
                        <button type="submit">"Send the application"</button>
                    </form>
                </section>
            }
        },
    )
}

/// `/vendor/:vendor`: the shop's dashboard.
#[component]
pub fn VendorDashboard() -> impl IntoView {
    page_body(api::vendor_dashboard(shop_param()), |d: Dashboard| {
        let base = format!("/vendor/{}", d.membership.vendor_slug);
        let low = d
            .low_stock
            .iter()
            .map(|l| view! { <li>{l.title.clone()} " " <span class="muted">{l.options.clone()} " · " {l.sku.clone()}</span> ": " <strong>{l.available}</strong> " left"</li> })
            .collect_view();
        let top = d
            .top
            .iter()
            .map(|t| view! { <li>{t.title.clone()} " · " {t.units} " sold · " {t.revenue.to_string()}</li> })
            .collect_view();
        view! {
            <PortalFrame membership=d.membership.clone() title="Dashboard">
                <dl class="figures">
                    <div><dt>"Sales today"</dt><dd>{d.sales_today.to_string()}</dd></div>
                    <div><dt>"Last 7 days"</dt><dd>{d.sales_week.to_string()}</dd></div>
                    <div><dt>"Last 30 days"</dt><dd>{d.sales_month.to_string()}</dd></div>
                    <div><dt>"Orders to ship"</dt><dd><a href=format!("{base}/orders?filter=to-ship")>{d.to_ship}</a></dd></div>
                    <div><dt>"Active products"</dt><dd>{d.products_active}</dd></div>
                    <div><dt>"Drafts"</dt><dd>{d.products_draft}</dd></div>
                </dl>
                <section class="panel" aria-labelledby="chart-title">
                    <h2 id="chart-title">"Sales, last 30 days"</h2>
                    <SalesChart days=d.chart.clone() currency=d.sales_month.currency/>
                </section>
                <div class="columns">
                    <section class="panel" aria-labelledby="low-title">
                        <h2 id="low-title">"Low on stock"</h2>
                        {if d.low_stock.is_empty() { view! { <p class="muted">"Nothing is running low."</p> }.into_any() }
                         else { view! { <ul class="plain-list">{low}</ul> }.into_any() }}
                    </section>
                    <section class="panel" aria-labelledby="top-title">
                        <h2 id="top-title">"Top products"</h2>
                        {if d.top.is_empty() { view! { <p class="muted">"No sales in the last 30 days yet."</p> }.into_any() }
                         else { view! { <ol>{top}</ol> }.into_any() }}
                    </section>
                </div>
            </PortalFrame>
        }
    })
}

/// A bar per day, drawn on the server: readable without JavaScript, each bar titled with its
/// day and amount, the figures also in a table for screen readers.
#[component]
fn SalesChart(days: Vec<DaySales>, currency: crate::money::Currency) -> impl IntoView {
    const WIDTH: f64 = 600.0;
    const HEIGHT: f64 = 160.0;
    let max = days.iter().map(|d| d.amount).max().unwrap_or(0).max(1) as f64;
    let step = WIDTH / days.len().max(1) as f64;
    let money = move |minor| crate::money::Money::new(minor, currency).to_string();
    let bars = days
        .iter()
        .enumerate()
        .map(|(i, d)| {
            let h = (d.amount as f64 / max * (HEIGHT - 20.0)).max(if d.amount > 0 { 2.0 } else { 0.0 });
            view! {
                <rect x=format!("{:.1}", i as f64 * step + 1.0) y=format!("{:.1}", HEIGHT - h)
                      width=format!("{:.1}", step - 2.0) height=format!("{h:.1}")>
                    <title>{format!("{}: {}", d.day, money(d.amount))}</title>
                </rect>
            }
        })
        .collect_view();
    let first = days.first().map(|d| d.day.clone()).unwrap_or_default();
    let last = days.last().map(|d| d.day.clone()).unwrap_or_default();
    let rows = days
        .iter()
        .map(|d| view! { <tr><td>{d.day.clone()}</td><td>{money(d.amount)}</td></tr> })
        .collect_view();
    view! {
        <figure class="sales-chart">
            <svg viewBox=format!("0 0 {WIDTH} {HEIGHT}") role="img" aria-labelledby="chart-caption" preserveAspectRatio="none">
                {bars}
            </svg>
            <figcaption id="chart-caption">
                <span>{first}</span>
                <span>"Highest day: " {money(max as i64)}</span>
                <span>{last}</span>
            </figcaption>
            <details>
                <summary>"The figures"</summary>
                <table><thead><tr><th>"Day"</th><th>"Sales"</th></tr></thead><tbody>{rows}</tbody></table>
            </details>
        </figure>
    }
}

/// `/vendor/:vendor/staff`: who works in the shop; owners invite and remove.
#[component]
pub fn StaffPage() -> impl IntoView {
    let vendor = shop_param();
    page_body(
        async move {
            let staff = api::shop_staff(vendor.clone()).await?;
            let state = act(|form| async move {
                let notice = match form.action() {
                    "invite" => {
                        api::invite_staff(vendor.clone(), form.get("email").into(), form.get("role").into())
                            .await?;
                        "invited"
                    }
                    "remove" => {
                        api::remove_staff(vendor.clone(), form.get("user_id").into()).await?;
                        "staff-removed"
                    }
                    "revoke" => {
                        api::revoke_invite(vendor.clone(), form.get("invite_id").into()).await?;
                        "invite-revoked"
                    }
                    _ => return Err(AppError::BadRequest("Unknown form.".into())),
                };
                Ok(format!("/vendor/{vendor}/staff?notice={notice}"))
            })
            .await;
            AppResult::Ok((staff, state))
        },
        |(staff, state): (StaffOverview, FormState)| {
            let owner = staff.membership.role == VendorRole::Owner && staff.membership.can_edit();
            let members = staff
                .members
                .iter()
                .map(|m| {
                    let remove = (owner && !(m.is_me && m.role == VendorRole::Owner)).then(|| view! {
                        <form method="post" class="inline">
                            <FormAction name="remove"/>
                            <input type="hidden" name="user_id" value=m.user_id.clone()/>
                            <button type="submit" class="link-button">"Remove"</button>
                        </form>
                    });
                    view! { <tr><td>{m.name.clone()}</td><td>{m.email.clone()}</td><td>{m.role.label()}</td><td>{remove}</td></tr> }
                })
                .collect_view();
            let invites = staff
                .invites
                .iter()
                .map(|i| {
                    let revoke = owner.then(|| view! {
                        <form method="post" class="inline">
                            <FormAction name="revoke"/>
                            <input type="hidden" name="invite_id" value=i.id.clone()/>
                            <button type="submit" class="link-button">"Withdraw"</button>
                        </form>
                    });
                    view! { <li>{i.email.clone()} " · " {i.role.label()} " · until " {i.expires.clone()} " " {revoke}</li> }
                })
                .collect_view();
            view! {
                <PortalFrame membership=staff.membership.clone() title="Staff">
                    <FormError form="remove" state=state.clone()/>
                    <table class="data-table">
                        <thead><tr><th>"Name"</th><th>"Email"</th><th>"Role"</th><th><span class="visually-hidden">"Actions"</span></th></tr></thead>
                        <tbody>{members}</tbody>
                    </table>
                    {(!staff.invites.is_empty()).then(|| view! { <h2>"Invitations sent"</h2><ul class="plain-list">{invites}</ul> })}
                    {owner.then(|| view! {
                        <form method="post" class="stack panel">
                            <h2>"Invite someone"</h2>
                            <FormAction name="invite"/>
                            <FormError form="invite" state=state.clone()/>
                            <Field form="invite" name="email" label="Their email" kind="email" state=state.clone()/>
                            <div class="field">
                                <label for="invite-role">"Role"</label>
                                <select id="invite-role" name="role">
                                    <option value="staff">"Staff: products, stock and shipping"</option>
                                    <option value="owner">"Owner: also staff, money and refunds"</option>
                                </select>
                            </div>
                            <button type="submit">"Send the invitation"</button>
                        </form>
                    })}
                </PortalFrame>
            }
        },
    )
}

/// `/vendor/:vendor/money`: balance, payouts and the ledger.
#[component]
pub fn MoneyPage() -> impl IntoView {
    let vendor = shop_param();
    page_body(
        async move {
            let money = api::shop_money(vendor.clone()).await?;
            let state = act(|_form| async move { api::connect_stripe(vendor).await }).await;
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
                    {m.simulated.then(|| view! {
                        <p class="notice" role="note">"Payments run on the test provider: payouts are simulated in the ledger and no money moves."</p>
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
                            <table class="data-table"><thead><tr><th>"Date"</th><th>"Amount"</th><th>"Status"</th></tr></thead><tbody>{payouts}</tbody></table>
                        }.into_any() }}
                    </section>
                    <section class="panel" aria-labelledby="ledger-title">
                        <h2 id="ledger-title">"Ledger"</h2>
                        {if m.entries.is_empty() { view! { <p class="muted">"Nothing booked yet: sales appear here when orders are paid."</p> }.into_any() } else { view! {
                            <table class="data-table"><thead><tr><th>"When (UTC)"</th><th>"What"</th><th>"Order"</th><th>"Amount"</th></tr></thead><tbody>{entries}</tbody></table>
                        }.into_any() }}
                    </section>
                </PortalFrame>
            }
        },
    )
}

/// `/vendor/invite?token=…`: accepting an invitation, signed in with the invited address.
#[component]
pub fn InvitePage() -> impl IntoView {
    let token = use_query_map().read_untracked().get("token").unwrap_or_default();
    page_body(
        async move {
            crate::accounts::api::me().await?;
            let state = act(|form| async move {
                let slug = api::accept_invite(form.get("token").into()).await?;
                Ok(format!("/vendor/{slug}?notice=joined"))
            })
            .await;
            AppResult::Ok(state)
        },
        move |state: FormState| {
            view! {
                <Title text="Join a shop"/>
                <Meta name="robots" content="noindex"/>
                <section class="narrow">
                    <h1>"Join a shop"</h1>
                    <form method="post" class="stack panel">
                        <FormAction name="accept"/>
                        <FormError form="accept" state=state.clone()/>
                        <input type="hidden" name="token" value=token.clone()/>
                        <p>"You were invited to work in a shop on this marketplace."</p>
                        <button type="submit">"Accept the invitation"</button>
                    </form>
                </section>
            }
        },
    )
}
