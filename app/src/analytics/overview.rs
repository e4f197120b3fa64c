//! The overview read from the daily rollups: a period's figures, the period before, each day,
//! and the five best shops, categories and products. A handful of indexed reads of at most a
//! few hundred rows, whatever the number of orders.

use super::model::{DayFigures, Figures, Overview, Ranked};
use super::period::Span;
use crate::error::AppResult;
use crate::money::Money;
use crate::state::AppState;

/// How many shops, categories and products the overview ranks.
const TOP: i64 = 5;

/// The figures of `span`.
pub async fn figures(state: &AppState, span: Span) -> AppResult<Figures> {
    let r = sqlx::query!(
        r#"select coalesce(sum(orders), 0)::bigint as "orders!", coalesce(sum(gmv), 0)::bigint as "gmv!",
                  coalesce(sum(tax), 0)::bigint as "tax!", coalesce(sum(refunds), 0)::bigint as "refunds!",
                  coalesce(sum(commission), 0)::bigint as "commission!",
                  coalesce(sum(new_shoppers), 0)::bigint as "shoppers!", coalesce(sum(new_shops), 0)::bigint as "shops!",
                  coalesce(sum(viewers), 0)::bigint as "viewers!"
           from stats_daily where day between $1::text::date and $2::text::date"#,
        span.from.to_string(),
        span.to.to_string()
    )
    .fetch_one(&state.pool)
    .await?;
    let money = |minor| Money::new(minor, state.site.currency);
    Ok(Figures {
        gmv: money(r.gmv),
        orders: r.orders,
        average_order: money(if r.orders > 0 { r.gmv / r.orders } else { 0 }),
        refunds: money(r.refunds),
        tax: money(r.tax),
        commission: money(r.commission),
        new_shoppers: r.shoppers,
        new_shops: r.shops,
        viewers: r.viewers,
    })
}

/// The best-selling products of `span`: ranked at each refresh for the periods the overview
/// offers (the last 1, 7, 30 or 90 days), added up here for a chosen range.
async fn top_products(state: &AppState, key: &str, span: Span) -> AppResult<Vec<Ranked>> {
    let today = chrono::Utc::now().date_naive();
    let ranked_days = ["today", "7", "30", "90"]
        .contains(&key)
        .then(|| span.days())
        .filter(|_| span.to == today);
    let rows: Vec<(String, i64, i64)> = match ranked_days {
        Some(days) => sqlx::query!(
            "select title, amount, units from stats_top_products where days = $1 order by rank",
            days as i32
        )
        .fetch_all(&state.pool)
        .await?
        .into_iter()
        .map(|r| (r.title, r.amount, r.units))
        .collect(),
        None => sqlx::query!(
            r#"select min(title) as "title!", sum(amount)::bigint as "amount!", sum(units)::bigint as "units!"
               from stats_daily_product where day between $1::text::date and $2::text::date
               group by product_slug order by 2 desc, 1 limit $3"#,
            span.from.to_string(),
            span.to.to_string(),
            TOP
        )
        .fetch_all(&state.pool)
        .await?
        .into_iter()
        .map(|r| (r.title, r.amount, r.units))
        .collect(),
    };
    let currency = state.site.currency;
    Ok(rows
        .into_iter()
        .map(|(name, amount, count)| Ranked {
            name,
            amount: Money::new(amount, currency),
            count,
        })
        .collect())
}

/// The overview of `span` (`key` names the period it was chosen as).
pub async fn load(state: &AppState, key: String, span: Span) -> AppResult<Overview> {
    let currency = state.site.currency;
    let figures_now = figures(state, span).await?;
    let previous = figures(state, span.previous()).await?;
    let days = sqlx::query!(
        r#"select to_char(d.day, 'YYYY-MM-DD') as "day!", coalesce(s.gmv, 0) as "gmv!", coalesce(s.orders, 0) as "orders!"
           from generate_series($1::text::date, $2::text::date, '1 day') d(day) left join stats_daily s on s.day = d.day
           order by d.day"#,
        span.from.to_string(),
        span.to.to_string()
    )
    .fetch_all(&state.pool)
    .await?
    .into_iter()
    .map(|r| DayFigures {
        day: r.day,
        gmv: Money::new(r.gmv, currency),
        orders: i64::from(r.orders),
    })
    .collect();
    // The five best shops, categories and products, in one round trip.
    let tops = sqlx::query!(
        r#"(select 'shop' as "kind!", v.name as "name!", sum(s.gmv)::bigint as "amount!", sum(s.orders)::bigint as "count!"
            from stats_daily_vendor s join vendors v on v.id = s.vendor_id
            where s.day between $1::text::date and $2::text::date group by v.id, v.name order by 3 desc, 2 limit $3)
           union all
           (select 'category', c.name, sum(s.amount)::bigint, sum(s.units)::bigint
            from stats_daily_category s join categories c on c.id = s.category_id
            where s.day between $1::text::date and $2::text::date group by c.id, c.name order by 3 desc, 2 limit $3)
"#,
        span.from.to_string(),
        span.to.to_string(),
        TOP
    )
    .fetch_all(&state.pool)
    .await?;
    let top = |kind: &str| -> Vec<Ranked> {
        tops.iter()
            .filter(|r| r.kind == kind)
            .map(|r| Ranked {
                name: r.name.clone(),
                amount: Money::new(r.amount, currency),
                count: r.count,
            })
            .collect()
    };
    let (top_shops, top_categories) = (top("shop"), top("category"));
    let top_products = top_products(state, &key, span).await?;
    let as_of = sqlx::query_scalar!(
        r#"select to_char(at at time zone 'UTC', 'FMDD Mon YYYY, HH24:MI "UTC"') as "at!" from stats_refreshed"#
    )
    .fetch_optional(&state.pool)
    .await?
    .unwrap_or_default();
    Ok(Overview {
        period: key,
        from: span.from.to_string(),
        to: span.to.to_string(),
        figures: figures_now,
        previous,
        days,
        top_shops,
        top_categories,
        top_products,
        as_of,
    })
}
