//! The vendor portal's frame and its first pages: the shops of the signed-in user, applying,
//! and a shop's dashboard with its sales chart.

use super::api;
use super::model::{Dashboard, DaySales, VendorStatus};
use crate::accounts::model::{Membership, VendorRole};
use crate::error::AppResult;
use crate::ui::{Field, FormAction, FormError, FormState, Notice, PageNotice, act, page_body};
use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::use_params_map;
use serde::Deserialize;

/// The application to sell.
#[derive(Deserialize)]
struct Application {
    name: String,
    slug: String,
    description: String,
    contact_email: String,
    country: String,
}

/// The shop named in the path.
pub fn shop_param() -> String {
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
    let here = leptos_router::hooks::use_location().pathname.get_untracked();
    // Each role sees only what it may open (money and the shop's people are the owners').
    let links = super::sections::for_role(membership.role);
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
                {links
                    .map(|s| {
                        let href = format!("{base}{}", s.path);
                        let current = crate::ui::is_current(&here, &base, s.path).then_some("page");
                        view! { <a href=href aria-current=current>{s.name}</a> }
                    })
                    .collect_view()}
                <a href=format!("/v/{}", membership.vendor_slug)>"View the shop"</a>
            </nav>
            <section class="account-main">
                <h1>{title}</h1>
                {standing}
                <PageNotice/>
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
                    <li class="panel shop-card">
                        <h2>{m.vendor_name.clone()}</h2>
                        <p class="muted">{m.role.label()} " · " {status}</p>
                        <a class="button" href=format!("/vendor/{}", m.vendor_slug)>"Open the dashboard"</a>
                    </li>
                }
            })
            .collect_view();
        view! {
            <Title text="Vendor portal"/>
            <Meta name="robots" content="noindex"/>
            <section class="narrow stack">
                <h1>"Vendor portal"</h1>
                <PageNotice/>
                {if shops.is_empty() {
                    view! {
                        <div class="panel">
                            <h2>"Sell on the marketplace"</h2>
                            <p>"Open your own shop: apply with its name and what you sell. Our team reviews applications within a few days."</p>
                            <p><a class="button" href="/vendor/apply">"Apply to sell"</a></p>
                        </div>
                    }
                    .into_any()
                } else {
                    // Someone who already sells comes here for their shops; another shop is
                    // the exception, offered quietly.
                    view! {
                        <ul class="plain-list shop-cards" aria-label="Your shops">{list}</ul>
                        <p class="muted">"Starting another shop? " <a href="/vendor/apply">"Apply for a new shop"</a></p>
                    }
                    .into_any()
                }}
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
            let state = act(|form: Application| async move {
                let slug = api::apply_vendor(
                    form.name,
                    form.slug,
                    form.description,
                    form.contact_email,
                    form.country,
                )
                .await?;
                Ok(Notice::Applied.on(&format!("/vendor/{slug}")))
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
                        <p class="muted">"Next, on your shop's page, add its logo: the team sees it with your application."</p>
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
            .map(|t| view! { <li>{t.title.clone()} " · " {t.units} " sold" {t.revenue.map(|r| format!(" · {r}"))}</li> })
            .collect_view();
        // A shop still applying shows the logo step first: the team sees it with the application.
        let applying = d.logo_key.is_none() && d.membership.vendor_status == VendorStatus::Pending.as_str();
        view! {
            <PortalFrame membership=d.membership.clone() title="Dashboard">
                {applying.then(|| view! { <Logo dashboard=d.clone()/> })}
                <dl class="figures">
                    {d.sales.clone().map(|s| view! {
                        <div><dt>"Sales today"</dt><dd>{s.today.to_string()}</dd></div>
                        <div><dt>"Last 7 days"</dt><dd>{s.week.to_string()}</dd></div>
                        <div><dt>"Last 30 days"</dt><dd>{s.month.to_string()}</dd></div>
                    })}
                    <div><dt>"Orders to ship"</dt><dd><a href=format!("{base}/orders?filter=to-ship")>{d.to_ship}</a></dd></div>
                    <div><dt>"Active products"</dt><dd>{d.products_active}</dd></div>
                    <div><dt>"Drafts"</dt><dd>{d.products_draft}</dd></div>
                </dl>
                {d.sales.clone().map(|s| view! {
                    <section class="panel" aria-labelledby="chart-title">
                        <h2 id="chart-title">"Sales, last 30 days"</h2>
                        <SalesChart days=s.chart currency=s.month.currency/>
                    </section>
                })}
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
                {(!applying).then(|| view! { <Logo dashboard=d.clone()/> })}
            </PortalFrame>
        }
    })
}

/// The shop's logo as the storefront shows it, and (for owners) a new one to upload.
#[component]
fn Logo(dashboard: Dashboard) -> impl IntoView {
    let owner = dashboard.membership.role == VendorRole::Owner && dashboard.membership.can_edit();
    let current = match dashboard.logo_key.clone() {
        Some(key) => {
            view! { <img src=crate::ui::image_src(&key, 320) width="96" height="96" alt="Your shop's logo"/> }
                .into_any()
        }
        None => view! { <p class="muted">"No logo yet."</p> }.into_any(),
    };
    let action = format!("/vendor/{}/upload/logo", dashboard.membership.vendor_slug);
    view! {
        <section class="panel" aria-labelledby="logo-title">
            <h2 id="logo-title">"Shop logo"</h2>
            {current}
            {owner.then(|| view! {
                <form method="post" action=action enctype="multipart/form-data" class="stack upload-form" data-upload="logo">
                    <div class="field drop-zone">
                        <label for="logo-file">"Logo (square JPEG, PNG or WebP, up to 10 MB)"</label>
                        <input id="logo-file" type="file" name="logo" accept="image/jpeg,image/png,image/webp" required/>
                        <img class="upload-preview" alt="" hidden/>
                    </div>
                    <progress class="upload-progress" max="100" value="0" hidden></progress>
                    <button type="submit">"Upload logo"</button>
                </form>
                <script src="/upload.js" defer></script>
            })}
        </section>
    }
}

/// The last 30 days' sales, a bar per day.
#[component]
fn SalesChart(days: Vec<DaySales>, currency: crate::money::Currency) -> impl IntoView {
    let bars = days
        .into_iter()
        .map(|d| crate::ui::Bar {
            shown: crate::money::Money::new(d.amount, currency).to_string(),
            day: d.day,
            value: d.amount,
        })
        .collect();
    view! { <crate::ui::BarChart id="chart" what="Sales" bars empty="No sales in these 30 days"/> }
}
