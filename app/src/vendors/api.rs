//! The vendor portal's and vendor admin's JSON API. Every function checks who may call it
//! first, from the request's viewer: shop functions through `Viewer::shop_member` (members of
//! that shop only), admin ones through `Viewer::admin`.

use super::model::{
    AdminVendors, Dashboard, Inventory, MoneyOverview, ProductEditor, ProductInput, ProductList,
    ShopActivity, ShopOrders, StaffOverview,
};
use crate::accounts::model::Membership;
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use super::shop::Need;
#[cfg(feature = "ssr")]
use crate::accounts::viewer::Viewer;
#[cfg(feature = "ssr")]
use crate::id::kind;
#[cfg(feature = "ssr")]
use crate::state::app_state;

/// The id of a `T` a client sent, as the domain functions take it.
#[cfg(feature = "ssr")]
fn id<T: crate::id::Kind>(text: &str) -> Result<uuid::Uuid, AppError> {
    crate::id::Id::<T>::sent(text).map(crate::id::Id::uuid)
}

/// The shops the signed-in user works in.
#[server(prefix = "/api", endpoint = "vendor/shops", input = server_fn::codec::Json)]
pub async fn my_shops() -> Result<Vec<Membership>, AppError> {
    Ok(Viewer::of_request().signed_in()?.memberships.clone())
}

/// Applies to sell on the marketplace; returns the new shop's slug (pending approval).
#[server(prefix = "/api", endpoint = "vendor/apply", input = server_fn::codec::Json)]
pub async fn apply_vendor(
    name: String,
    slug: String,
    #[server(default)] description: String,
    contact_email: String,
    country: String,
) -> Result<String, AppError> {
    let viewer = Viewer::of_request();
    let user = viewer.signed_in()?;
    let application = super::applications::Application {
        name: &name,
        slug: &slug,
        description: &description,
        contact_email: &contact_email,
        country: &country,
    };
    super::applications::apply(&app_state()?, user.id.uuid(), application).await
}

#[server(prefix = "/api", endpoint = "vendor/dashboard", input = server_fn::codec::Json)]
pub async fn vendor_dashboard(vendor: String) -> Result<Dashboard, AppError> {
    let shop = Viewer::of_request().shop_member(&vendor, Need::Read)?;
    super::dashboard::load(&app_state()?, &shop).await
}

#[server(prefix = "/api", endpoint = "vendor/orders", input = server_fn::codec::Json)]
pub async fn list_shop_orders(
    vendor: String,
    #[server(default)] filter: String,
    #[server(default)] page: u32,
    /// An order number, or part of the customer's name or email.
    #[server(default)]
    search: String,
    /// The first and last day placed (`YYYY-MM-DD`).
    #[server(default)]
    from: String,
    #[server(default)] to: String,
) -> Result<ShopOrders, AppError> {
    let viewer = Viewer::of_request();
    let shop = viewer.shop_member(&vendor, Need::Read)?;
    let search = crate::orders::search::OrderSearch::parse(&search, &from, &to)?;
    let state = app_state()?;
    let zone = crate::accounts::time_zone::of(&state.pool, &viewer).await;
    super::shop_orders::list(&state, &shop, &filter, page, &search, &zone).await
}

#[server(prefix = "/api", endpoint = "vendor/money", input = server_fn::codec::Json)]
pub async fn shop_money(vendor: String) -> Result<MoneyOverview, AppError> {
    let shop = Viewer::of_request().shop_member(&vendor, Need::OwnerRead)?;
    crate::money::ledger::overview(&app_state()?, &shop).await
}

#[server(prefix = "/api", endpoint = "vendor/staff", input = server_fn::codec::Json)]
pub async fn shop_staff(vendor: String) -> Result<StaffOverview, AppError> {
    let shop = Viewer::of_request().shop_member(&vendor, Need::OwnerRead)?;
    super::staff::overview(&app_state()?, &shop).await
}

/// The shop's own part of the audit log, newest first (owners only): what its people and the
/// marketplace team changed in it.
#[server(prefix = "/api", endpoint = "vendor/activity", input = server_fn::codec::Json)]
pub async fn activity_log(vendor: String, #[server(default)] page: u32) -> Result<ShopActivity, AppError> {
    let shop = Viewer::of_request().shop_member(&vendor, Need::OwnerRead)?;
    let log = crate::audit::list::list(&app_state()?, "", "", None, Some(shop.id), page).await?;
    Ok(ShopActivity {
        membership: shop.membership,
        log,
    })
}

/// Invites someone by email (owners only).
#[server(prefix = "/api", endpoint = "vendor/staff/invite", input = server_fn::codec::Json)]
pub async fn invite_staff(vendor: String, email: String, role: String) -> Result<(), AppError> {
    let shop = Viewer::of_request().shop_member(&vendor, Need::Owner)?;
    super::staff::invite(&app_state()?, &shop, &email, &role).await
}

/// Removes someone from the shop (owners only; never the last owner).
#[server(prefix = "/api", endpoint = "vendor/staff/remove", input = server_fn::codec::Json)]
pub async fn remove_staff(vendor: String, user_id: String) -> Result<(), AppError> {
    let shop = Viewer::of_request().shop_member(&vendor, Need::Owner)?;
    super::staff::remove(&app_state()?, &shop, id::<kind::User>(&user_id)?).await
}

/// Withdraws an invitation (owners only).
#[server(prefix = "/api", endpoint = "vendor/staff/revoke", input = server_fn::codec::Json)]
pub async fn revoke_invite(vendor: String, invite_id: String) -> Result<(), AppError> {
    let shop = Viewer::of_request().shop_member(&vendor, Need::Owner)?;
    super::staff::revoke(&app_state()?, &shop, id::<kind::Invite>(&invite_id)?).await
}

/// Accepts an invitation for the signed-in user; returns the shop's slug.
#[server(prefix = "/api", endpoint = "vendor/invite/accept", input = server_fn::codec::Json)]
pub async fn accept_invite(token: String) -> Result<String, AppError> {
    let viewer = Viewer::of_request();
    let actor = crate::audit::Actor::of(&viewer);
    super::staff::accept(&app_state()?, viewer.signed_in()?, &actor, &token).await
}

/// Every shop, for platform staff; `status` narrows the list ("" for all).
#[server(prefix = "/api", endpoint = "admin/vendors", input = server_fn::codec::Json)]
pub async fn list_vendors(#[server(default)] status: String) -> Result<AdminVendors, AppError> {
    Viewer::of_request().admin()?;
    let status = super::model::VendorStatus::parse(&status);
    super::applications::list(&app_state()?, status).await
}

/// Approves, rejects, suspends or reinstates a shop; rejections and suspensions need a reason.
#[server(prefix = "/api", endpoint = "admin/vendors/decide", input = server_fn::codec::Json)]
pub async fn decide_vendor(
    vendor_id: String,
    decision: String,
    #[server(default)] reason: String,
) -> Result<(), AppError> {
    let viewer = Viewer::of_request();
    viewer.admin()?;
    let decision = super::model::Decision::parse(&decision)
        .ok_or_else(|| AppError::BadRequest("Unknown decision.".into()))?;
    let actor = crate::audit::Actor::of(&viewer);
    super::applications::decide(
        &app_state()?,
        id::<kind::Vendor>(&vendor_id)?,
        decision,
        &reason,
        &actor,
    )
    .await
    .map(|_| ())
}

/// Sets a shop's commission in percent ("12.5"), or "" for the platform default.
#[server(prefix = "/api", endpoint = "admin/vendors/commission", input = server_fn::codec::Json)]
pub async fn set_vendor_commission(vendor_id: String, percent: String) -> Result<(), AppError> {
    let viewer = Viewer::of_request();
    viewer.admin()?;
    let actor = crate::audit::Actor::of(&viewer);
    super::applications::set_commission(&app_state()?, id::<kind::Vendor>(&vendor_id)?, &percent, &actor)
        .await
        .map(|_| ())
}

#[server(prefix = "/api", endpoint = "vendor/products", input = server_fn::codec::Json)]
pub async fn list_products(
    vendor: String,
    #[server(default)] q: String,
    #[server(default)] status: String,
    #[server(default)] page: u32,
) -> Result<ProductList, AppError> {
    let shop = Viewer::of_request().shop_member(&vendor, Need::Read)?;
    super::products::list(&app_state()?, &shop, &q, &status, page).await
}

/// The editor's content for product `id` of the shop, or for a new product when `id` is "".
#[server(prefix = "/api", endpoint = "vendor/product", input = server_fn::codec::Json)]
pub async fn edit_product(vendor: String, #[server(default)] id: String) -> Result<ProductEditor, AppError> {
    let shop = Viewer::of_request().shop_member(&vendor, Need::Read)?;
    let id = (!id.is_empty())
        .then(|| self::id::<kind::Product>(&id))
        .transpose()?;
    super::products::editor(&app_state()?, &shop, id).await
}

/// Creates (`id` "") or updates a product of the shop; returns its id.
#[server(prefix = "/api", endpoint = "vendor/product/save", input = server_fn::codec::Json)]
pub async fn save_product(
    vendor: String,
    #[server(default)] id: String,
    input: ProductInput,
) -> Result<String, AppError> {
    let shop = Viewer::of_request().shop_member(&vendor, Need::Edit)?;
    let id = (!id.is_empty())
        .then(|| self::id::<kind::Product>(&id))
        .transpose()?;
    super::products::save(&app_state()?, &shop, id, &input)
        .await
        .map(|id| id.to_string())
}

#[server(prefix = "/api", endpoint = "vendor/inventory", input = server_fn::codec::Json)]
pub async fn stock_list(
    vendor: String,
    #[server(default)] low_only: bool,
    #[server(default)] page: u32,
    /// Part of a SKU or a product title.
    #[server(default)]
    search: String,
) -> Result<Inventory, AppError> {
    let shop = Viewer::of_request().shop_member(&vendor, Need::Read)?;
    super::inventory::list(&app_state()?, &shop, low_only, page, &search).await
}

/// Sets stock on hand by SKU, all or nothing; returns how many variants changed.
#[server(prefix = "/api", endpoint = "vendor/inventory/save", input = server_fn::codec::Json)]
pub async fn save_stock(vendor: String, changes: Vec<(String, String)>) -> Result<usize, AppError> {
    let shop = Viewer::of_request().shop_member(&vendor, Need::Edit)?;
    super::inventory::set_stock(&app_state()?, &shop, &changes).await
}

#[server(prefix = "/api", endpoint = "vendor/inventory/threshold", input = server_fn::codec::Json)]
pub async fn save_threshold(vendor: String, threshold: String) -> Result<(), AppError> {
    let shop = Viewer::of_request().shop_member(&vendor, Need::Edit)?;
    super::inventory::set_threshold(&app_state()?, &shop, &threshold).await
}

/// Removes an image of one of the shop's products.
#[server(prefix = "/api", endpoint = "vendor/product/image_delete", input = server_fn::codec::Json)]
pub async fn delete_image(vendor: String, image_id: String) -> Result<(), AppError> {
    let shop = Viewer::of_request().shop_member(&vendor, Need::Edit)?;
    super::images::delete(&app_state()?, &shop, id::<kind::ProductImage>(&image_id)?).await
}

/// Changes the description (alt text) of an image of one of the shop's products.
#[server(prefix = "/api", endpoint = "vendor/product/image_alt", input = server_fn::codec::Json)]
pub async fn set_image_alt(vendor: String, image_id: String, alt: String) -> Result<(), AppError> {
    let shop = Viewer::of_request().shop_member(&vendor, Need::Edit)?;
    super::images::set_alt(&app_state()?, &shop, id::<kind::ProductImage>(&image_id)?, &alt).await
}

/// Moves an image of one of the shop's products one place earlier (towards the main image) or
/// later.
#[server(prefix = "/api", endpoint = "vendor/product/image_move", input = server_fn::codec::Json)]
pub async fn move_image(vendor: String, image_id: String, earlier: bool) -> Result<(), AppError> {
    let shop = Viewer::of_request().shop_member(&vendor, Need::Edit)?;
    super::images::shift(
        &app_state()?,
        &shop,
        id::<kind::ProductImage>(&image_id)?,
        earlier,
    )
    .await
}

/// The report of this browser's last CSV import, when it is the one named `id` (the upload
/// leads to the import page with its id).
#[server(prefix = "/api", endpoint = "vendor/import_report", input = server_fn::codec::Json)]
pub async fn import_report(
    vendor: String,
    #[server(default)] id: String,
) -> Result<Option<super::model::ImportReport>, AppError> {
    let viewer = Viewer::of_request();
    viewer.shop_member(&vendor, Need::Read)?;
    let report = viewer
        .session()?
        .get::<super::model::ImportReport>("import_report")
        .await
        .map_err(crate::accounts::identity::session_error)?;
    Ok(report.filter(|r| !id.is_empty() && r.id == id))
}

/// Creates (once) the shop's Stripe Express account and returns the link to complete it on
/// Stripe (owners; only when Stripe is the payment provider).
#[server(prefix = "/api", endpoint = "vendor/connect", input = server_fn::codec::Json)]
pub async fn connect_stripe(vendor: String) -> Result<String, AppError> {
    let shop = Viewer::of_request().shop_member(&vendor, Need::Owner)?;
    crate::money::payouts::connect(&app_state()?, &shop).await
}
