//! `/admin`: the marketplace at a glance, for admins with 2FA on.

use crate::error::AppError;
use crate::ui::{AdminFrame, page_body};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// The marketplace's figures on the admin dashboard.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdminFigures {
    pub users: i64,
    pub vendors_pending: i64,
    pub vendors_approved: i64,
    pub products_active: i64,
}

#[server(prefix = "/api", endpoint = "admin/overview", input = server_fn::codec::Json)]
pub async fn admin_overview() -> Result<AdminFigures, AppError> {
    crate::accounts::viewer::Viewer::of_request().admin()?;
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

/// `/admin`: the marketplace at a glance, for admins with 2FA on.
#[component]
pub fn AdminHome() -> impl IntoView {
    page_body(admin_overview(), |o: AdminFigures| {
        view! {
            <AdminFrame title="Overview">
                <dl class="figures">
                    <div><dt>"Customers and staff"</dt><dd>{o.users}</dd></div>
                    <div><dt>"Shops waiting for approval"</dt><dd>{o.vendors_pending}</dd></div>
                    <div><dt>"Approved shops"</dt><dd>{o.vendors_approved}</dd></div>
                    <div><dt>"Active products"</dt><dd>{o.products_active}</dd></div>
                </dl>
                <p><a class="button" href="/admin/vendors?status=pending">"Review vendors"</a></p>
            </AdminFrame>
        }
    })
}
