//! One order in the console: what its customer sees, with the payment as the provider holds
//! it, every refund and who made it, and the log of operators' actions on it; and those
//! actions, each in one transaction with its audit entry: refund a shop's part (the shops' own
//! rules: paid orders only, at most what is left), cancel an order still waiting for its
//! payment, send the confirmation again.

use super::order_model::{ConsoleOrder, ConsolePart, ConsolePayment, ConsoleRefund, OrderAction};
use crate::accounts::mail;
use crate::accounts::validate;
use crate::accounts::viewer::Viewer;
use crate::audit::{self, Action, Actor, Entry, Subject};
use crate::error::{AppError, AppResult};
use crate::money::Money;
use crate::orders::status::OrderStatus;
use crate::state::AppState;
use serde_json::json;
use uuid::Uuid;

/// The order numbered `number` for an admin `viewer` (anything else is not found).
pub async fn detail(state: &AppState, viewer: &Viewer, number: &str) -> AppResult<ConsoleOrder> {
    let order = crate::orders::view::detail(state, viewer, number, false).await?;
    let head = sqlx::query!(
        r#"select o.id, o.user_id, o.status as "status: OrderStatus" from orders o where o.number = $1"#,
        order.number
    )
    .fetch_one(&state.pool)
    .await?;
    let currency = state.site.currency;
    let money = |minor| Money::new(minor, currency);
    let payment = sqlx::query!(
        "select provider, coalesce(provider_ref, '') as \"reference!\", status, amount,
                coalesce(failure_message, '') as \"failure!\"
         from payments where order_id = $1",
        head.id
    )
    .fetch_optional(&state.pool)
    .await?
    .map(|p| ConsolePayment {
        provider: p.provider,
        reference: p.reference,
        status: p.status,
        amount: money(p.amount),
        failure: p.failure,
    });
    let paid = head.status.is_paid();
    let parts = sqlx::query!(
        "select vo.id, v.name, v.slug, vo.total - vo.refunded as left_to_refund
         from vendor_orders vo join vendors v on v.id = vo.vendor_id where vo.order_id = $1 order by v.name",
        head.id
    )
    .fetch_all(&state.pool)
    .await?
    .into_iter()
    .map(|p| ConsolePart {
        id: p.id.to_string(),
        shop: p.name,
        shop_slug: p.slug,
        refundable: money(if paid { p.left_to_refund.unwrap_or(0) } else { 0 }),
    })
    .collect();
    let refunds = sqlx::query!(
        r#"select to_char(r.created_at at time zone 'UTC', 'YYYY-MM-DD HH24:MI') as "at!", v.name as shop,
                  r.amount, r.reason, r.restock, r.actor, u.email::text as "email?"
           from refunds r join vendor_orders vo on vo.id = r.vendor_order_id join vendors v on v.id = vo.vendor_id
           left join users u on r.actor = 'user:' || u.id::text
           where vo.order_id = $1 order by r.created_at"#,
        head.id
    )
    .fetch_all(&state.pool)
    .await?
    .into_iter()
    .map(|r| ConsoleRefund {
        at: format!("{} UTC", r.at),
        shop: r.shop,
        amount: money(r.amount),
        reason: r.reason,
        by: r.email.unwrap_or_else(|| match r.actor.as_str() {
            "system" => "The marketplace (automatically)".into(),
            other if other.starts_with("job:") || other.starts_with("provider") => {
                "The payment provider".into()
            }
            _ => "A deleted account".into(),
        }),
        restocked: r.restock,
    })
    .collect();
    let audit = audit::list::list(state, "", "", Some(("order", head.id.to_string())), None, 1).await?;
    Ok(ConsoleOrder {
        customer: head.user_id.map(|u| u.to_string()).unwrap_or_default(),
        payment,
        parts,
        refunds,
        audit: audit.rows,
        cancellable: head.status == OrderStatus::PendingPayment,
        confirmed: paid,
        form_key: crate::money::refunds::new_key(),
        order,
    })
}

/// Does `action` to the order numbered `number` for `actor`, an admin whose session passed
/// two-factor authentication (`label` is how order events name them).
pub async fn act(
    state: &AppState,
    actor: &Actor,
    label: &str,
    number: i64,
    action: OrderAction,
) -> AppResult<()> {
    let order = sqlx::query!(
        r#"select id, status as "status: OrderStatus" from orders where number = $1"#,
        number
    )
    .fetch_optional(&state.pool)
    .await?
    .ok_or(AppError::NotFound)?;
    match action {
        OrderAction::Refund {
            part,
            amount,
            reason,
            key,
        } => refund(state, actor, label, order.id, (&part, amount), &reason, &key).await,
        OrderAction::Cancel { reason } => cancel(state, actor, label, order.id, &reason).await,
        OrderAction::ResendConfirmation => resend(state, actor, order.id, order.status).await,
    }
}

async fn refund(
    state: &AppState,
    actor: &Actor,
    label: &str,
    order: Uuid,
    (part, amount): (&str, i64),
    reason: &str,
    key: &str,
) -> AppResult<()> {
    crate::money::refunds::check_key(key)?;
    let part = crate::id::VendorOrderId::parse(part)
        .ok_or_else(|| AppError::invalid("part", "That shop's part is not part of this order."))?
        .uuid();
    let reason = validate::text("reason", reason, 0, 300, "The reason")?;
    if reason.is_empty() {
        return Err(AppError::invalid(
            "reason",
            "Say why: the shop and the shopper read it with the refund.",
        ));
    }
    let belongs = sqlx::query_scalar!(
        "select 1 as \"one!\" from vendor_orders where id = $1 and order_id = $2",
        part,
        order
    )
    .fetch_optional(&state.pool)
    .await?;
    if belongs.is_none() {
        return Err(AppError::invalid(
            "part",
            "That shop's part is not part of this order.",
        ));
    }
    let restock = crate::orders::restock::Restock::Nothing;
    let by = audit::By::person(label, actor);
    crate::money::refunds::refund(state, part, (amount, restock), &reason, key, &by).await
}

async fn cancel(state: &AppState, actor: &Actor, label: &str, order: Uuid, reason: &str) -> AppResult<()> {
    let reason = validate::text("reason", reason, 0, 300, "The reason")?;
    if reason.is_empty() {
        return Err(AppError::invalid("reason", "Say why the order is cancelled."));
    }
    let mut tx = state.pool.begin().await?;
    let closed =
        crate::orders::payment::close_unpaid_in(&mut tx, order, OrderStatus::Cancelled, label, &reason)
            .await?;
    let Some(provider_ref) = closed else {
        return Err(AppError::Conflict(
            "Only an order waiting for its payment can be cancelled here; a paid one is refunded.".into(),
        ));
    };
    let entry = Entry {
        action: Action::OrderCancelled,
        subject: Subject::Order(order),
        vendor: None,
        before: Some(json!({"status": OrderStatus::PendingPayment.as_str()})),
        after: Some(json!({"status": OrderStatus::Cancelled.as_str(), "reason": reason})),
    };
    audit::record(&mut tx, actor, entry).await?;
    tx.commit().await?;
    crate::orders::payment::cancel_at_provider(state, order, provider_ref).await;
    Ok(())
}

async fn resend(state: &AppState, actor: &Actor, order: Uuid, status: OrderStatus) -> AppResult<()> {
    if !status.is_paid() {
        return Err(AppError::Conflict(
            "The order is not paid: there is no confirmation to send.".into(),
        ));
    }
    let mut tx = state.pool.begin().await?;
    crate::orders::payment::confirmation_mail(&mut tx, state, order).await?;
    let entry = Entry {
        action: Action::OrderConfirmationResent,
        subject: Subject::Order(order),
        vendor: None,
        before: None,
        after: None,
    };
    audit::record(&mut tx, actor, entry).await?;
    tx.commit().await?;
    mail::deliver_soon(&state.pool, &state.mailer);
    Ok(())
}
