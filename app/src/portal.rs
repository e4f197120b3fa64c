//! The entrances of the vendor portal (`/vendor/*`) and the admin area (`/admin/*`), with their
//! guards. What is behind them grows in the vendor and admin issues; the guards are final.

use crate::accounts::model::{CurrentUser, Membership};
use crate::error::AppError;
use crate::ui::page_body;
use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::use_params_map;
use serde::{Deserialize, Serialize};

/// A shop's figures on its dashboard.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VendorFigures {
    pub membership: Membership,
    pub products_active: i64,
    pub products_draft: i64,
    pub low_stock_variants: i64,
}

/// The marketplace's figures on the admin dashboard.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdminFigures {
    pub users: i64,
    pub vendors_pending: i64,
    pub vendors_approved: i64,
    pub products_active: i64,
}

/// The shops the signed-in user works in.
#[server(prefix = "/api", endpoint = "vendor/shops", input = server_fn::codec::Json)]
pub async fn my_shops() -> Result<Vec<Membership>, AppError> {
    Ok(crate::accounts::identity::require_user()?.memberships.clone())
}

#[server(prefix = "/api", endpoint = "vendor/overview", input = server_fn::codec::Json)]
pub async fn vendor_overview(vendor: String) -> Result<VendorFigures, AppError> {
    let (_, membership) = crate::accounts::identity::require_vendor(&vendor)?;
    let state = crate::state::app_state()?;
    let vendor_id: uuid::Uuid = membership.vendor_id.parse().map_err(|_| AppError::Internal)?;
    let row = sqlx::query!(
        r#"select count(*) filter (where p.status = 'active') as "active!",
                  count(*) filter (where p.status = 'draft') as "draft!",
                  (select count(*) from variants v join products q on q.id = v.product_id
                   where q.vendor_id = $1 and v.stock_on_hand - v.stock_reserved < 5) as "low!"
           from products p where p.vendor_id = $1"#,
        vendor_id
    )
    .fetch_one(&state.pool)
    .await?;
    Ok(VendorFigures {
        membership,
        products_active: row.active,
        products_draft: row.draft,
        low_stock_variants: row.low,
    })
}

#[server(prefix = "/api", endpoint = "admin/overview", input = server_fn::codec::Json)]
pub async fn admin_overview() -> Result<AdminFigures, AppError> {
    crate::accounts::identity::require_admin()?;
    let state = crate::state::app_state()?;
    let row = sqlx::query!(
        r#"select (select count(*) from users where deleted_at is null) as "users!",
                  (select count(*) from vendors where status = 'pending') as "pending!",
                  (select count(*) from vendors where status = 'approved') as "approved!",
                  (select count(*) from products where status = 'active') as "products!""#
    )
    .fetch_one(&state.pool)
    .await?;
    Ok(AdminFigures {
        users: row.users,
        vendors_pending: row.pending,
        vendors_approved: row.approved,
        products_active: row.products,
    })
}

/// `/vendor`: the shops of the signed-in user.
#[component]
pub fn VendorHome() -> impl IntoView {
    page_body(my_shops(), |shops: Vec<Membership>| {
        if shops.is_empty() {
            return view! { <crate::ui::Forbidden/> }.into_any();
        }
        let list = shops
            .into_iter()
            .map(|m| {
                view! {
                    <li><a href=format!("/vendor/{}", m.vendor_slug)>{m.vendor_name}</a>" · "{m.role.label()}</li>
                }
            })
            .collect_view();
        view! {
            <Title text="Vendor portal"/>
            <Meta name="robots" content="noindex"/>
            <section class="narrow">
                <h1>"Vendor portal"</h1>
                <ul class="plain-list" aria-label="Your shops">{list}</ul>
            </section>
        }
        .into_any()
    })
}

/// `/vendor/:vendor`: a shop's dashboard, for its members only.
#[component]
pub fn VendorDashboard() -> impl IntoView {
    let vendor = use_params_map()
        .read_untracked()
        .get("vendor")
        .unwrap_or_default();
    page_body(vendor_overview(vendor), |o: VendorFigures| {
        view! {
            <Title text=format!("{} · Vendor portal", o.membership.vendor_name)/>
            <Meta name="robots" content="noindex"/>
            <section>
                <h1>{o.membership.vendor_name.clone()}</h1>
                <p>"You are " {o.membership.role.label().to_lowercase()} " of this shop."</p>
                <dl class="figures">
                    <div><dt>"Active products"</dt><dd>{o.products_active}</dd></div>
                    <div><dt>"Drafts"</dt><dd>{o.products_draft}</dd></div>
                    <div><dt>"Variants low on stock"</dt><dd>{o.low_stock_variants}</dd></div>
                </dl>
            </section>
        }
    })
}

/// `/admin`: the marketplace at a glance, for admins with 2FA on.
#[component]
pub fn AdminHome() -> impl IntoView {
    page_body(admin_overview(), |o: AdminFigures| {
        view! {
            <Title text="Admin"/>
            <Meta name="robots" content="noindex"/>
            <section>
                <h1>"Marketplace admin"</h1>
                <dl class="figures">
                    <div><dt>"Customers and staff"</dt><dd>{o.users}</dd></div>
                    <div><dt>"Shops waiting for approval"</dt><dd>{o.vendors_pending}</dd></div>
                    <div><dt>"Approved shops"</dt><dd>{o.vendors_approved}</dd></div>
                    <div><dt>"Active products"</dt><dd>{o.products_active}</dd></div>
                </dl>
            </section>
        }
    })
}

/// The signed-in user's links for the header.
pub fn account_links(user: Option<&CurrentUser>) -> impl IntoView + use<> {
    match user {
        None => view! { <a class="account-link" href="/account/login">"Sign in"</a> }.into_any(),
        Some(user) => {
            let vendor = (!user.memberships.is_empty())
                .then(|| view! { <a class="account-link" href="/vendor">"Vendor portal"</a> });
            let admin = user
                .is_admin
                .then(|| view! { <a class="account-link" href="/admin">"Admin"</a> });
            view! {
                {vendor}
                {admin}
                <a class="account-link" href="/account">{user.display_name().to_string()}</a>
            }
            .into_any()
        }
    }
}
