//! Reading payouts for the console: a page of shops with their balances and last payout, the
//! payouts a filter chooses, and one shop's ledger with the balance after each entry.

use super::model::{PayoutFilter, PayoutRow, PayoutsOverview, RunningLine, ShopBalance, ShopPayouts};
use crate::error::{AppError, AppResult};
use crate::money::Money;
use crate::money::ledger::{balances_of, kind_label};
use crate::payments::Payments;
use crate::state::AppState;
use uuid::Uuid;

pub const SHOPS_PER_PAGE: i64 = 50;
pub const LINES_PER_PAGE: i64 = 100;

/// A shop as read for the console, before its balances are added.
struct ShopHead {
    id: Uuid,
    name: String,
    slug: String,
    held_at: Option<String>,
    held_reason: Option<String>,
    last_at: Option<String>,
    last_status: Option<String>,
}

/// Page `page` of the shops whose name or address contains `q` (every shop that is approved or has a
/// ledger), by name, and the payouts `filter` chooses, newest first.
pub async fn list(state: &AppState, q: &str, filter: PayoutFilter, page: u32) -> AppResult<PayoutsOverview> {
    let q: String = q.trim().chars().take(100).collect();
    let pattern = crate::text::contains_pattern(&q);
    let page = page.clamp(1, 10_000);
    let total = sqlx::query_scalar!(
        r#"select count(*) as "n!" from vendors v
           where ($1 = '' or v.name ilike $2 or v.slug ilike $2)
             and (v.status = 'approved' or exists (select 1 from ledger_entries e where e.vendor_id = v.id))"#,
        q,
        pattern
    )
    .fetch_one(&state.pool)
    .await?;
    let heads = sqlx::query_as!(
        ShopHead,
        r#"select v.id, v.name, v.slug,
                  to_char(v.payouts_held_at at time zone 'UTC', 'YYYY-MM-DD') as held_at, v.payouts_held_reason as held_reason,
                  last.at as "last_at?", last.status as "last_status?"
           from vendors v
           left join lateral (select to_char(coalesce(p.paid_at, p.created_at) at time zone 'UTC', 'YYYY-MM-DD') as at, p.status
                              from payouts p where p.vendor_id = v.id order by p.created_at desc limit 1) last on true
           where ($1 = '' or v.name ilike $2 or v.slug ilike $2)
             and (v.status = 'approved' or exists (select 1 from ledger_entries e where e.vendor_id = v.id))
           order by v.name, v.id limit $3 offset $4"#,
        q,
        pattern,
        SHOPS_PER_PAGE,
        (i64::from(page) - 1) * SHOPS_PER_PAGE
    )
    .fetch_all(&state.pool)
    .await?;
    let shops = with_balances(state, heads).await?;
    let status = match filter {
        PayoutFilter::Open => "open",
        PayoutFilter::Failed => "failed",
        PayoutFilter::Pending => "pending",
        PayoutFilter::All => "",
    };
    let payouts = payouts(state, None, status).await?;
    Ok(PayoutsOverview {
        shops,
        q,
        page,
        pages: (total as u32).div_ceil(SHOPS_PER_PAGE as u32).max(1),
        payouts,
        filter,
        simulated: matches!(state.payments, Payments::Test),
        payout_delay_days: crate::settings::current(&mut *state.pool.acquire().await?)
            .await?
            .payout_delay_days,
    })
}

/// The shops of `heads` with their balances.
async fn with_balances(state: &AppState, heads: Vec<ShopHead>) -> AppResult<Vec<ShopBalance>> {
    let ids: Vec<Uuid> = heads.iter().map(|h| h.id).collect();
    let mut conn = state.pool.acquire().await?;
    let delay = crate::settings::current(&mut conn).await?.payout_delay_days;
    let balances = balances_of(&mut conn, &ids, delay).await?;
    let currency = state.site.currency;
    Ok(heads
        .into_iter()
        .map(|h| {
            let (balance, available) = balances.get(&h.id).copied().unwrap_or((0, 0));
            ShopBalance {
                id: h.id.to_string(),
                name: h.name,
                slug: h.slug,
                balance: Money::new(balance, currency),
                available: Money::new(available.max(0), currency),
                held: h.held_at.zip(h.held_reason),
                last_payout: h.last_at.zip(h.last_status),
            }
        })
        .collect())
}

/// The latest 100 payouts of `shop` (or every shop) with `status` ("open": pending or failed;
/// "": any).
async fn payouts(state: &AppState, shop: Option<Uuid>, status: &str) -> AppResult<Vec<PayoutRow>> {
    let currency = state.site.currency;
    let rows = sqlx::query!(
        r#"select to_char(coalesce(p.paid_at, p.created_at) at time zone 'UTC', 'YYYY-MM-DD HH24:MI') as "at!",
                  v.name, v.slug, p.amount, p.status, p.provider, coalesce(p.failure_message, '') as "failure!"
           from payouts p join vendors v on v.id = p.vendor_id
           where ($1::uuid is null or p.vendor_id = $1)
             and ($2 = '' or p.status = $2 or ($2 = 'open' and p.status in ('pending', 'failed')))
           order by p.created_at desc limit 100"#,
        shop,
        status
    )
    .fetch_all(&state.pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| PayoutRow {
            at: format!("{} UTC", r.at),
            shop: r.name,
            shop_slug: r.slug,
            amount: Money::new(r.amount, currency),
            status: r.status,
            simulated: r.provider == "test",
            failure: r.failure,
        })
        .collect())
}

/// The shop at `slug`: its balances, payouts, page `page` of its ledger (newest first) with
/// the balance after each entry, and the log of operators' actions on its payouts.
pub async fn shop(state: &AppState, slug: &str, page: u32) -> AppResult<ShopPayouts> {
    let head = sqlx::query_as!(
        ShopHead,
        r#"select v.id, v.name, v.slug,
                  to_char(v.payouts_held_at at time zone 'UTC', 'YYYY-MM-DD') as held_at, v.payouts_held_reason as held_reason,
                  null::text as last_at, null::text as last_status
           from vendors v where v.slug = $1"#,
        slug
    )
    .fetch_optional(&state.pool)
    .await?
    .ok_or(AppError::NotFound)?;
    let id = head.id;
    let shop = with_balances(state, vec![head]).await?.remove(0);
    let page = page.clamp(1, 100_000);
    let total = sqlx::query_scalar!(
        r#"select count(*) as "n!" from ledger_entries where vendor_id = $1"#,
        id
    )
    .fetch_one(&state.pool)
    .await?;
    let currency = state.site.currency;
    let ledger = sqlx::query!(
        r#"select to_char(l.created_at at time zone 'UTC', 'YYYY-MM-DD HH24:MI') as "at!", l.kind as "kind!",
                  l.memo as "memo!", l.amount as "amount!",
                  l.running as "running!", o.number as "number?"
           from (select e.*, (sum(e.amount) over (order by e.id))::bigint as running
                 from ledger_entries e where e.vendor_id = $1) l
           left join vendor_orders vo on vo.id = l.vendor_order_id
           left join orders o on o.id = vo.order_id
           order by l.id desc limit $2 offset $3"#,
        id,
        LINES_PER_PAGE,
        (i64::from(page) - 1) * LINES_PER_PAGE
    )
    .fetch_all(&state.pool)
    .await?
    .into_iter()
    .map(|r| RunningLine {
        at: format!("{} UTC", r.at),
        label: kind_label(&r.kind, &r.memo),
        order_number: r.number,
        amount: Money::new(r.amount, currency),
        balance: Money::new(r.running, currency),
    })
    .collect();
    let audit = crate::audit::list::list(state, "", "", Some(("vendor", id.to_string())), None, 1).await?;
    Ok(ShopPayouts {
        payouts: payouts(state, Some(id), "").await?,
        shop,
        ledger,
        page,
        pages: (total as u32).div_ceil(LINES_PER_PAGE as u32).max(1),
        audit: audit.rows,
    })
}
