//! Every order of the marketplace for the console: found by number, the customer's email or a
//! shop's name, by status and by the days placed (UTC), newest first.

use super::model::{OrderList, OrderRow};
use crate::error::AppResult;
use crate::money::Money;
use crate::orders::search::OrderSearch;
use crate::orders::status::OrderStatus;
use crate::state::AppState;

pub const PER_PAGE: i64 = 50;

/// Page `page` of the orders matching `search` with status `status` (a key; anything else
/// means any).
pub async fn list(state: &AppState, search: &OrderSearch, status: &str, page: u32) -> AppResult<OrderList> {
    let status = OrderStatus::parse(status)
        .map(OrderStatus::as_str)
        .unwrap_or_default();
    let page = page.clamp(1, 10_000);
    let (number, pattern) = (search.number(), search.pattern());
    let (from, to) = (
        search.from.map(|d| d.to_string()),
        search.to.map(|d| d.to_string()),
    );
    let total = sqlx::query_scalar!(
        r#"select count(*) as "n!" from orders o
           where ($1::bigint is null or o.number = $1)
             and ($2 = '' or o.email::text ilike $2
                  or exists (select 1 from vendor_orders vo join vendors v on v.id = vo.vendor_id
                             where vo.order_id = o.id and v.name ilike $2))
             and ($3 = '' or o.status = $3)
             and ($4::text is null or o.created_at >= ($4::text::date)::timestamp at time zone 'UTC')
             and ($5::text is null or o.created_at < ($5::text::date + 1)::timestamp at time zone 'UTC')"#,
        number,
        pattern,
        status,
        from,
        to
    )
    .fetch_one(&state.pool)
    .await?;
    let rows = sqlx::query!(
        r#"select o.number, o.email::text as "email!", o.total, o.status as "status: OrderStatus",
                  to_char(o.created_at at time zone 'UTC', 'FMDD Mon YYYY, HH24:MI') as "placed!",
                  coalesce((select string_agg(v.name, ', ' order by v.name) from vendor_orders vo
                            join vendors v on v.id = vo.vendor_id where vo.order_id = o.id), '') as "shops!"
           from orders o
           where ($1::bigint is null or o.number = $1)
             and ($2 = '' or o.email::text ilike $2
                  or exists (select 1 from vendor_orders vo join vendors v on v.id = vo.vendor_id
                             where vo.order_id = o.id and v.name ilike $2))
             and ($3 = '' or o.status = $3)
             and ($4::text is null or o.created_at >= ($4::text::date)::timestamp at time zone 'UTC')
             and ($5::text is null or o.created_at < ($5::text::date + 1)::timestamp at time zone 'UTC')
           order by o.created_at desc, o.number desc limit $6 offset $7"#,
        number,
        pattern,
        status,
        from,
        to,
        PER_PAGE,
        (i64::from(page) - 1) * PER_PAGE
    )
    .fetch_all(&state.pool)
    .await?;
    let currency = state.site.currency;
    Ok(OrderList {
        rows: rows
            .into_iter()
            .map(|r| OrderRow {
                number: r.number,
                placed: format!("{} UTC", r.placed),
                email: r.email,
                shops: r.shops,
                total: Money::new(r.total, currency),
                status: r.status.label().to_string(),
            })
            .collect(),
        search: search.text.clone(),
        status: status.to_string(),
        from: search.from.map(|d| d.to_string()).unwrap_or_default(),
        to: search.to.map(|d| d.to_string()).unwrap_or_default(),
        page,
        pages: (total as u32).div_ceil(PER_PAGE as u32).max(1),
        total,
    })
}
