//! A shop's parts of orders, as the portal lists them: paid ones only (nothing to do before),
//! newest first, with what to send where.

use super::model::{PartItem, ShopOrder, ShopOrders};
use super::shop::Shop;
use crate::accounts::model::AddressInput;
use crate::error::AppResult;
use crate::money::Money;
pub use crate::orders::search::OrderSearch;
use crate::orders::status::VendorOrderStatus;
use crate::state::AppState;

pub const PER_PAGE: i64 = 20;

/// Which parts to list: `to-ship` (paid, not shipped), `shipped`, `done` or everything.
fn statuses(filter: &str) -> (&'static str, Vec<String>) {
    let names = |list: &[VendorOrderStatus]| list.iter().map(|s| s.as_str().to_string()).collect();
    use VendorOrderStatus::*;
    match filter {
        "to-ship" => ("to-ship", names(&[AwaitingFulfilment])),
        "shipped" => ("shipped", names(&[Shipped])),
        "done" => ("done", names(&[Delivered, Cancelled])),
        _ => ("all", names(&[AwaitingFulfilment, Shipped, Delivered, Cancelled])),
    }
}

/// The shop's order parts with status `filter` that match `search` (see `OrderSearch`), page
/// `page`, newest first; days and times are those of the time zone `zone` (a name PostgreSQL
/// knows, see `accounts::time_zone`).
pub async fn list(
    state: &AppState,
    shop: &Shop,
    filter: &str,
    page: u32,
    search: &OrderSearch,
    zone: &str,
) -> AppResult<ShopOrders> {
    let (filter, statuses) = statuses(filter);
    let page = page.clamp(1, 10_000);
    let currency = state.site.currency;
    let (number, who) = (search.number(), search.pattern());
    // As text: the query reads them as dates (`sqlx` would want its own date type here).
    let (from, to) = (
        search.from.map(|d| d.to_string()),
        search.to.map(|d| d.to_string()),
    );
    let total = sqlx::query_scalar!(
        r#"select count(*) as "n!" from vendor_orders vo join orders o on o.id = vo.order_id
           where vo.vendor_id = $1 and vo.status = any($2)
             and ($3::bigint is null or o.number = $3)
             and ($4 = '' or o.shipping_address->>'full_name' ilike $4 or o.email::text ilike $4)
             and ($5::text is null or vo.created_at >= ($5::text::date)::timestamp at time zone $7)
             and ($6::text is null or vo.created_at < ($6::text::date + 1)::timestamp at time zone $7)"#,
        shop.id,
        &statuses,
        number,
        who,
        from,
        to,
        zone
    )
    .fetch_one(&state.pool)
    .await?;
    let rows = sqlx::query!(
        r#"select vo.id, o.number, vo.status as "status: VendorOrderStatus", vo.shipping_method, vo.total, vo.refunded, vo.discount, vo.discount_funded, vo.carrier,
                  vo.tracking_number, o.shipping_address,
                  to_char(vo.created_at at time zone $9, 'FMDD Mon YYYY, HH24:MI') as "placed!",
                  coalesce((select json_agg(json_build_object('id', i.id, 'title', i.title, 'options', i.options,
                                'sku', i.sku, 'quantity', i.quantity, 'cancelled', i.cancelled_quantity,
                                'restocked', i.restocked_quantity, 'line_total', i.line_total) order by i.title)
                            from order_items i where i.vendor_order_id = vo.id), '[]') as "items!: sqlx::types::Json<Vec<Item>>"
           from vendor_orders vo join orders o on o.id = vo.order_id
           where vo.vendor_id = $1 and vo.status = any($2)
             and ($5::bigint is null or o.number = $5)
             and ($6 = '' or o.shipping_address->>'full_name' ilike $6 or o.email::text ilike $6)
             and ($7::text is null or vo.created_at >= ($7::text::date)::timestamp at time zone $9)
             and ($8::text is null or vo.created_at < ($8::text::date + 1)::timestamp at time zone $9)
           order by vo.created_at desc limit $3 offset $4"#,
        shop.id,
        &statuses,
        PER_PAGE,
        (i64::from(page) - 1) * PER_PAGE,
        number,
        who,
        from,
        to,
        zone
    )
    .fetch_all(&state.pool)
    .await?;
    let orders = rows
        .into_iter()
        .map(|r| {
            let address: AddressInput = serde_json::from_value(r.shipping_address).unwrap_or_default();
            ShopOrder {
                id: r.id.to_string(),
                number: r.number,
                placed: if zone == "UTC" {
                    format!("{} UTC", r.placed)
                } else {
                    r.placed
                },
                status: r.status,
                ship_to: address.one_line(),
                customer: address.full_name.clone(),
                shipping_method: r.shipping_method,
                items: r
                    .items
                    .0
                    .into_iter()
                    .map(|i| PartItem {
                        id: i.id.to_string(),
                        title: i.title,
                        options: i.options,
                        sku: i.sku,
                        quantity: i.quantity,
                        cancelled: i.cancelled,
                        restocked: i.restocked,
                        line_total: Money::new(i.line_total, currency),
                    })
                    .collect(),
                total: Money::new(r.total, currency),
                discount: Money::new(r.discount, currency),
                discount_by_marketplace: r.discount_funded > 0,
                refunded: Money::new(r.refunded, currency),
                carrier: r.carrier,
                tracking_number: r.tracking_number,
                form_key: uuid::Uuid::new_v4().to_string(),
            }
        })
        .collect();
    Ok(ShopOrders {
        membership: shop.membership.clone(),
        orders,
        filter: filter.to_string(),
        search: search.text.clone(),
        from: search.from.map(|d| d.to_string()).unwrap_or_default(),
        to: search.to.map(|d| d.to_string()).unwrap_or_default(),
        page,
        pages: (total as u32).div_ceil(PER_PAGE as u32).max(1),
    })
}

#[derive(Debug, serde::Deserialize)]
pub struct Item {
    id: uuid::Uuid,
    title: String,
    options: String,
    sku: String,
    quantity: i32,
    cancelled: i32,
    restocked: i32,
    line_total: i64,
}
