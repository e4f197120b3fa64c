//! The figures on a shop's dashboard: sales (paid parts, less refunds) today, over 7 and 30
//! days and per day for the chart, what waits to be shipped, stock running low, best sellers.
//! Money is for owners: staff see the same dashboard in units only.

use super::model::{Dashboard, DaySales, LowStock, Sales, TopProduct, VendorStatus};
use super::shop::Shop;
use crate::accounts::model::VendorRole;
use crate::error::AppResult;
use crate::money::Money;
use crate::state::AppState;

/// Days on the sales chart.
pub const CHART_DAYS: i32 = 30;

pub async fn load(state: &AppState, shop: &Shop) -> AppResult<Dashboard> {
    let owner = shop.membership.role == VendorRole::Owner;
    let currency = state.site.currency;
    let money = |minor: i64| Money::new(minor, currency);
    let head = sqlx::query!(
        r#"select v.status as "status: VendorStatus", v.decision_reason, v.low_stock_threshold, v.logo_key,
                  (select count(*) from vendor_orders where vendor_id = v.id and status = 'awaiting_fulfilment') as "to_ship!",
                  (select count(*) from products where vendor_id = v.id and status = 'active') as "active!",
                  (select count(*) from products where vendor_id = v.id and status = 'draft') as "draft!"
           from vendors v where v.id = $1"#,
        shop.id
    )
    .fetch_one(&state.pool)
    .await?;
    // One row per day of the last 30 (UTC), zero where nothing sold.
    let chart = sqlx::query!(
        r#"select to_char(d.day, 'YYYY-MM-DD') as "day!",
                  coalesce(sum(vo.total - vo.refunded), 0)::bigint as "amount!"
           from generate_series((now() at time zone 'UTC')::date - ($2::int - 1), (now() at time zone 'UTC')::date, '1 day') d(day)
           left join vendor_orders vo on vo.vendor_id = $1 and vo.commission_bp is not null
                and (vo.created_at at time zone 'UTC')::date = d.day
           group by d.day order by d.day"#,
        shop.id,
        CHART_DAYS
    )
    .fetch_all(&state.pool)
    .await?
    .into_iter()
    .map(|r| DaySales {
        day: r.day,
        amount: r.amount,
    })
    .collect::<Vec<_>>();
    let sum_last = |days: usize| chart.iter().rev().take(days).map(|d| d.amount).sum::<i64>();
    let (today, week, month) = (sum_last(1), sum_last(7), sum_last(30));
    let low_stock = sqlx::query!(
        r#"select p.id, p.title, array_to_string(v.option_values, ' / ') as "options!", v.sku,
                  v.stock_on_hand - v.stock_reserved as "available!"
           from variants v join products p on p.id = v.product_id
           where p.vendor_id = $1 and p.status <> 'archived'
             and v.stock_on_hand - v.stock_reserved <= $2
           order by v.stock_on_hand - v.stock_reserved, p.title limit 10"#,
        shop.id,
        head.low_stock_threshold
    )
    .fetch_all(&state.pool)
    .await?
    .into_iter()
    .map(|r| LowStock {
        product_id: r.id.to_string(),
        title: r.title,
        options: r.options,
        sku: r.sku,
        available: r.available,
    })
    .collect();
    let top = sqlx::query!(
        r#"select i.title, sum(i.quantity - i.cancelled_quantity)::bigint as "units!",
                  sum(i.unit_price * (i.quantity - i.cancelled_quantity))::bigint as "revenue!"
           from order_items i join vendor_orders vo on vo.id = i.vendor_order_id
           where vo.vendor_id = $1 and vo.commission_bp is not null and i.quantity > i.cancelled_quantity
             and vo.created_at > now() - make_interval(days => $2)
           group by i.title order by 3 desc limit 5"#,
        shop.id,
        CHART_DAYS
    )
    .fetch_all(&state.pool)
    .await?
    .into_iter()
    .map(|r| TopProduct {
        title: r.title,
        units: r.units,
        revenue: owner.then(|| money(r.revenue)),
    })
    .collect();
    Ok(Dashboard {
        membership: shop.membership.clone(),
        status: head.status,
        logo_key: head.logo_key,
        reason: head.decision_reason,
        sales: owner.then(|| Sales {
            today: money(today),
            week: money(week),
            month: money(month),
            chart,
        }),
        to_ship: head.to_ship,
        products_active: head.active,
        products_draft: head.draft,
        low_stock,
        top,
    })
}
