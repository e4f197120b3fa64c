//! The console's server functions: for admins whose session passed two-factor
//! authentication (`Viewer::admin`), nobody else.

use super::model::{OrderList, People, PersonAction, PersonDetail};
use crate::audit::AuditPage;
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::accounts::viewer::Viewer;
#[cfg(feature = "ssr")]
use crate::state::app_state;

/// People whose email or name contains `q`, by role and standing (their keys), newest first.
#[server(prefix = "/api", endpoint = "admin/people", input = server_fn::codec::Json)]
pub async fn list_people(
    #[server(default)] q: String,
    #[server(default)] role: String,
    #[server(default)] status: String,
    #[server(default)] page: u32,
) -> Result<People, AppError> {
    Viewer::of_request().admin()?;
    use super::model::{RoleFilter, StandingFilter};
    let (role, standing) = (RoleFilter::parse(&role), StandingFilter::parse(&status));
    super::people::list(&app_state()?, &q, role, standing, page).await
}

/// One person: their account, orders, shops, sessions, mail and the log about them.
#[server(prefix = "/api", endpoint = "admin/person", input = server_fn::codec::Json)]
pub async fn person(id: String) -> Result<PersonDetail, AppError> {
    let viewer = Viewer::of_request();
    let me = viewer.admin()?.id.uuid();
    let id = crate::id::UserId::sent(&id)?.uuid();
    super::people::detail(&app_state()?, me, id).await
}

/// Acts on a person's account (see `PersonAction`); returns what the console says about it.
#[server(prefix = "/api", endpoint = "admin/person/act", input = server_fn::codec::Json)]
pub async fn act_on_person(id: String, action: PersonAction) -> Result<String, AppError> {
    let viewer = Viewer::of_request();
    viewer.admin()?;
    let id = crate::id::UserId::sent(&id)?.uuid();
    let actor = crate::audit::Actor::of(&viewer);
    super::person_actions::act(&app_state()?, &actor, id, action).await
}

/// The audit log, newest first: entries with action `action` (its key, "" for any) whose
/// actor's email contains `q` or whose subject's id is `q`.
#[server(prefix = "/api", endpoint = "admin/audit", input = server_fn::codec::Json)]
pub async fn audit_log(
    #[server(default)] action: String,
    #[server(default)] q: String,
    #[server(default)] page: u32,
) -> Result<AuditPage, AppError> {
    Viewer::of_request().admin()?;
    crate::audit::list::list(&app_state()?, &action, &q, None, None, page).await
}

/// Every order: by number, the customer's email or a shop's name, status and days placed
/// (`YYYY-MM-DD`, UTC), newest first.
#[server(prefix = "/api", endpoint = "admin/orders", input = server_fn::codec::Json)]
pub async fn all_orders(
    #[server(default)] search: String,
    #[server(default)] status: String,
    #[server(default)] from: String,
    #[server(default)] to: String,
    #[server(default)] page: u32,
) -> Result<OrderList, AppError> {
    Viewer::of_request().admin()?;
    let search = crate::orders::search::OrderSearch::parse(&search, &from, &to)?;
    super::orders::list(&app_state()?, &search, &status, page).await
}

/// One order of any shop, with its payment, refunds and the log about it.
#[server(prefix = "/api", endpoint = "admin/order", input = server_fn::codec::Json)]
pub async fn order_for_console(number: String) -> Result<super::order_model::ConsoleOrder, AppError> {
    let viewer = Viewer::of_request();
    viewer.admin()?;
    super::order_console::detail(&app_state()?, &viewer, &number).await
}

/// Refunds a shop's part of an order, cancels an order waiting for its payment, or sends its
/// confirmation again (see `OrderAction`), recorded as done by this admin.
#[server(prefix = "/api", endpoint = "admin/order/act", input = server_fn::codec::Json)]
pub async fn act_on_order(number: String, action: super::order_model::OrderAction) -> Result<(), AppError> {
    let viewer = Viewer::of_request();
    viewer.admin()?;
    let number = number
        .trim()
        .trim_start_matches('#')
        .parse::<i64>()
        .map_err(|_| AppError::NotFound)?;
    let actor = crate::audit::Actor::of(&viewer);
    super::order_console::act(&app_state()?, &actor, &viewer.actor(), number, action).await
}
