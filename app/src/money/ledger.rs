//! The ledger of what the marketplace owes each vendor: a sale, the marketplace's payment for
//! a discount of its own code and the commission when an order is paid, a refund and what it
//! gives back, payouts. Entries are only added; a shop's balance is their sum. Each source is
//! booked once (unique keys), so a repeated event changes nothing.

use super::part::Part;
use crate::error::AppResult;
use crate::money::Money;
use crate::payments::Payments;
use crate::state::AppState;
use crate::vendors::model::{LedgerLine, MoneyOverview, PayoutLine};
use crate::vendors::shop::Shop;
use sqlx::PgConnection;
use uuid::Uuid;

/// Books the sale, the marketplace's funding of its discount (if any) and the commission of
/// every shop's part of a paid `order`, at each shop's rate now (the platform's default in its
/// settings when it has none), and fixes that rate on the part.
#[tracing::instrument(skip_all, fields(order = %order))]
pub async fn book_sale(tx: &mut PgConnection, order: Uuid) -> AppResult<()> {
    let default_bp = crate::settings::current(tx).await?.commission_bp;
    let parts = sqlx::query!(
        r#"update vendor_orders vo set commission_bp = coalesce(vo.commission_bp, v.commission_bp, $2)
           from vendors v where v.id = vo.vendor_id and vo.order_id = $1
           returning vo.id, vo.vendor_id, vo.total, vo.discount_funded, vo.commission_bp as "rate!""#,
        order,
        default_bp
    )
    .fetch_all(&mut *tx)
    .await?;
    for part in parts {
        let entries = Part {
            total: part.total,
            funded: part.discount_funded,
            rate_bp: part.rate,
        }
        .sale();
        sqlx::query!(
            "insert into ledger_entries (vendor_id, kind, amount, vendor_order_id)
             select $1, kind, amount, $5 from (values ('sale', $2::bigint), ('commission', $3),
                                                      ('discount_funding', $4)) as e (kind, amount)
             where kind <> 'discount_funding' or amount <> 0
             on conflict (vendor_order_id, kind) where kind in ('sale', 'commission', 'discount_funding') do nothing",
            part.vendor_id,
            entries.sale,
            entries.commission,
            entries.funding,
            part.id
        )
        .execute(&mut *tx)
        .await?;
    }
    Ok(())
}

/// Books a refund of `amount` of a shop's part, given what was refunded of it before: the
/// refund, the share of the marketplace's funding it takes back, and the commission that is
/// no longer due.
pub async fn book_refund(
    tx: &mut PgConnection,
    refund: Uuid,
    vendor_order: Uuid,
    amount: i64,
    refunded_before: i64,
) -> AppResult<()> {
    let part = sqlx::query!(
        r#"select vendor_id, total, discount_funded, coalesce(commission_bp, 0) as "rate!"
           from vendor_orders where id = $1"#,
        vendor_order
    )
    .fetch_one(&mut *tx)
    .await?;
    let entries = Part {
        total: part.total,
        funded: part.discount_funded,
        rate_bp: part.rate,
    }
    .refund(refunded_before, amount);
    sqlx::query!(
        "insert into ledger_entries (vendor_id, kind, amount, vendor_order_id, refund_id)
         select $1, kind, amount, $5, $6 from (values ('refund', $2::bigint), ('commission_reversal', $3),
                                                      ('discount_funding_reversal', $4)) as e (kind, amount)
         where kind <> 'discount_funding_reversal' or amount <> 0
         on conflict (refund_id, kind) where refund_id is not null do nothing",
        part.vendor_id,
        entries.refund,
        entries.commission_reversal,
        entries.funding_reversal,
        vendor_order,
        refund
    )
    .execute(&mut *tx)
    .await?;
    Ok(())
}

/// The shop's balance: everything owed now, and the part old enough to be paid out.
pub(super) async fn balances(
    conn: &mut PgConnection,
    vendor: Uuid,
    delay_days: u32,
) -> AppResult<(i64, i64)> {
    let all = balances_of(conn, &[vendor], delay_days).await?;
    Ok(all.get(&vendor).copied().unwrap_or((0, 0)))
}

/// `balances` of each of `vendors` that has entries, in one query.
pub async fn balances_of(
    conn: &mut PgConnection,
    vendors: &[Uuid],
    delay_days: u32,
) -> AppResult<std::collections::HashMap<Uuid, (i64, i64)>> {
    let rows = sqlx::query!(
        r#"select vendor_id, coalesce(sum(amount), 0)::bigint as "balance!",
                  coalesce(sum(amount) filter (where kind in ('payout', 'payout_reversal')
                      or created_at <= now() - make_interval(days => $2)), 0)::bigint as "available!"
           from ledger_entries where vendor_id = any($1) group by vendor_id"#,
        vendors,
        delay_days.min(365) as i32
    )
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| (r.vendor_id, (r.balance, r.available)))
        .collect())
}

pub async fn overview(state: &AppState, shop: &Shop) -> AppResult<MoneyOverview> {
    let currency = state.site.currency;
    let money = |minor| Money::new(minor, currency);
    let mut conn = state.pool.acquire().await?;
    let settings = crate::settings::current(&mut conn).await?;
    let (balance, available) = balances(&mut conn, shop.id, settings.payout_delay_days).await?;
    let head = sqlx::query!(
        "select commission_bp, stripe_account_id, payouts_held_reason from vendors where id = $1",
        shop.id
    )
    .fetch_one(&state.pool)
    .await?;
    let rate = head.commission_bp.unwrap_or(settings.commission_bp);
    let stripe_account = head.stripe_account_id;
    let entries = sqlx::query!(
        r#"select e.kind, e.amount, e.memo, o.number as "number?",
                  to_char(e.created_at at time zone 'UTC', 'YYYY-MM-DD HH24:MI') as "at!"
           from ledger_entries e
           left join vendor_orders vo on vo.id = e.vendor_order_id
           left join orders o on o.id = vo.order_id
           where e.vendor_id = $1 order by e.id desc limit 100"#,
        shop.id
    )
    .fetch_all(&state.pool)
    .await?
    .into_iter()
    .map(|r| LedgerLine {
        label: kind_label(&r.kind, &r.memo),
        kind: r.kind,
        amount: money(r.amount),
        order_number: r.number,
        at: r.at,
    })
    .collect();
    let payouts = sqlx::query!(
        r#"select amount, status, provider,
                  to_char(coalesce(paid_at, created_at) at time zone 'UTC', 'YYYY-MM-DD') as "at!"
           from payouts where vendor_id = $1 order by created_at desc limit 50"#,
        shop.id
    )
    .fetch_all(&state.pool)
    .await?
    .into_iter()
    .map(|r| PayoutLine {
        at: r.at,
        amount: money(r.amount),
        status: r.status,
        simulated: r.provider == "test",
    })
    .collect();
    Ok(MoneyOverview {
        membership: shop.membership.clone(),
        balance: money(balance),
        available: money(available.max(0)),
        on_hold: money(balance - available),
        payout_delay_days: settings.payout_delay_days,
        commission_bp: rate,
        simulated: matches!(state.payments, Payments::Test),
        stripe_connected: state.payments.stripe().map(|_| stripe_account.is_some()),
        payouts_held: head.payouts_held_reason,
        entries,
        payouts,
    })
}

/// A ledger entry's kind and memo in the shop's words.
pub fn kind_label(kind: &str, memo: &str) -> String {
    let label = match kind {
        "sale" => "Sale",
        "commission" => "Marketplace commission",
        "refund" => "Refund to the shopper",
        "commission_reversal" => "Commission given back on the refund",
        "payout" => "Payout",
        "payout_reversal" => "Payout returned",
        "transfer_reversal" => "Taken back from your Stripe account after a refund",
        "discount_funding" => "Marketplace discount, paid to you by the marketplace",
        "discount_funding_reversal" => "Marketplace discount taken back on the refund",
        other => other,
    };
    if memo.is_empty() {
        label.to_string()
    } else {
        format!("{label} · {memo}")
    }
}
