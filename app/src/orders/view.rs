//! Reading orders for their owners: history, detail, lookup by number and email, and the test
//! provider's pay step.

use super::model::{OrderDetail, OrderEvent, OrderItem, OrderSummary, VendorOrder};
use super::server::{self, authorize, remember};
use super::status::{OrderStatus, VendorOrderStatus};
use crate::accounts::model::AddressInput;
use crate::accounts::time_zone;
use crate::accounts::viewer::Viewer;
use crate::cart::model::TaxLine;
use crate::catalog::model::VendorLink;
use crate::error::{AppError, AppResult};
use crate::money::Money;
use crate::state::AppState;
use uuid::Uuid;

/// The signed-in shopper's orders, newest first. An attempt whose payment failed or that was
/// never paid in time is not an order the shopper placed: it is left out (its cart came back).
pub async fn history(state: &AppState, viewer: &Viewer) -> AppResult<Vec<OrderSummary>> {
    let user = viewer.signed_in_id()?;
    let zone = time_zone::of(&state.pool, viewer).await;
    let rows = sqlx::query!(
        r#"select o.number, to_char(o.created_at at time zone $2, 'FMDD FMMonth YYYY') as "placed!",
                  o.status as "status: OrderStatus", o.total,
                  (select coalesce(sum(quantity), 0)::integer from order_items where order_id = o.id) as "items!",
                  (select count(*)::integer from vendor_orders where order_id = o.id) as "vendors!"
           from orders o
           where o.user_id = $1 and o.status not in ('payment_failed', 'expired')
           order by o.created_at desc limit 200"#,
        user,
        zone
    )
    .fetch_all(&state.pool)
    .await?;
    let currency = state.site.currency;
    rows.into_iter()
        .map(|r| {
            Ok(OrderSummary {
                number: r.number,
                placed: r.placed,
                status: r.status,
                total: Money::new(r.total, currency),
                item_count: r.items as u32,
                vendor_count: r.vendors as u32,
            })
        })
        .collect()
}

fn parse_number(number: &str) -> AppResult<i64> {
    number
        .trim()
        .trim_start_matches('#')
        .parse::<i64>()
        .ok()
        .filter(|n| *n > 0)
        .ok_or_else(|| AppError::invalid("number", "An order number is digits only, like 4821907365."))
}

/// The order with `number`, for whoever may see it (else "not found"). `returned`: the
/// shopper is back from the provider's own page (3-D Secure, wallets), maybe before its
/// webhook, so a pending payment is looked up there first, at most once every
/// `LOOKUP_EVERY_SECS` per payment. Other views never call the provider.
pub async fn detail(
    state: &AppState,
    viewer: &Viewer,
    number: &str,
    returned: bool,
) -> AppResult<OrderDetail> {
    let number = parse_number(number).map_err(|_| AppError::NotFound)?;
    let zone = time_zone::of(&state.pool, viewer).await;
    let order = sqlx::query!(
        r#"select o.id, o.user_id, o.cart_id, o.email::text as "email!", o.status as "status: OrderStatus", o.subtotal, o.shipping_total, o.tax_total,
                  o.total, o.refunded_total, o.shipping_address, o.tax_lines, o.expires_at > now() as "open!",
                  o.discount_code, o.discount_total,
                  to_char(o.created_at at time zone $2, 'FMDD FMMonth YYYY "at" HH24:MI') || ' (' || $2 || ')' as "placed!",
                  p.provider as "provider?", p.provider_ref, p.client_secret
           from orders o left join payments p on p.order_id = o.id where o.number = $1"#,
        number,
        zone
    )
    .fetch_optional(&state.pool)
    .await?
    .ok_or(AppError::NotFound)?;
    authorize(viewer, order.id, order.user_id, order.cart_id).await?;
    if returned
        && order.status == OrderStatus::PendingPayment
        && order.provider.as_deref() == Some("stripe")
        && let Some(reference) = due_for_lookup(state, order.id).await?
        && crate::payments::reconcile::one(state, order.id, &reference).await?
    {
        return Box::pin(detail(state, viewer, &number.to_string(), false)).await;
    }
    let currency = state.site.currency;
    let money = |minor| Money::new(minor, currency);
    let parts = sqlx::query!(
        r#"select vo.id, vo.status as "status: VendorOrderStatus", vo.shipping_method, vo.subtotal, vo.shipping,
                vo.tax, vo.total, vo.discount, vo.refunded, vo.carrier, vo.tracking_number, v.slug, v.name
         from vendor_orders vo join vendors v on v.id = vo.vendor_id where vo.order_id = $1 order by v.name"#,
        order.id
    )
    .fetch_all(&state.pool)
    .await?;
    let items = sqlx::query!(
        "select vendor_order_id, title, options, sku, product_slug, unit_price, quantity, cancelled_quantity, line_total
         from order_items where order_id = $1 order by title, sku",
        order.id
    )
    .fetch_all(&state.pool)
    .await?;
    let events = sqlx::query!(
        r#"select to_char(e.at at time zone 'UTC', 'YYYY-MM-DD HH24:MI') as "at!", e.to_status,
                  e.vendor_order_id is not null as "vendor_part!", v.name as "vendor?"
           from order_events e left join vendor_orders vo on vo.id = e.vendor_order_id
           left join vendors v on v.id = vo.vendor_id
           where e.order_id = $1 order by e.id"#,
        order.id
    )
    .fetch_all(&state.pool)
    .await?;
    let vendors = parts
        .into_iter()
        .map(|p| {
            Ok(VendorOrder {
                vendor: VendorLink {
                    slug: p.slug,
                    name: p.name,
                },
                status: p.status,
                shipping_method: p.shipping_method,
                subtotal: money(p.subtotal),
                discount: money(p.discount),
                shipping: money(p.shipping),
                tax: money(p.tax),
                total: money(p.total),
                refunded: money(p.refunded),
                carrier: p.carrier,
                tracking_number: p.tracking_number,
                items: items
                    .iter()
                    .filter(|i| i.vendor_order_id == p.id)
                    .map(|i| OrderItem {
                        title: i.title.clone(),
                        options: i.options.clone(),
                        sku: i.sku.clone(),
                        product_slug: i.product_slug.clone(),
                        unit_price: money(i.unit_price),
                        quantity: i.quantity as u32,
                        cancelled: i.cancelled_quantity as u32,
                        line_total: money(i.line_total),
                    })
                    .collect(),
            })
        })
        .collect::<AppResult<Vec<_>>>()?;
    let events = events
        .into_iter()
        .map(|e| OrderEvent {
            at: e.at,
            label: if e.vendor_part {
                VendorOrderStatus::parse(&e.to_status)
                    .map_or("", |s| s.label())
                    .to_string()
            } else {
                OrderStatus::parse(&e.to_status)
                    .map_or("", |s| s.label())
                    .to_string()
            },
            vendor: e.vendor,
        })
        .collect();
    let status = order.status;
    let address: AddressInput = serde_json::from_value(order.shipping_address).unwrap_or_default();
    let tax_lines: Vec<TaxLine> = serde_json::from_value(order.tax_lines).unwrap_or_default();
    Ok(OrderDetail {
        number,
        email: order.email,
        placed: order.placed,
        status,
        subtotal: money(order.subtotal),
        discount: order
            .discount_code
            .map(|code| (code, money(order.discount_total))),
        shipping: money(order.shipping_total),
        tax: money(order.tax_total),
        total: money(order.total),
        refunded: money(order.refunded_total),
        tax_lines,
        address,
        vendors,
        payment_provider: order.provider.unwrap_or_default(),
        payable: status == OrderStatus::PendingPayment && order.open,
        stripe: match (state.payments.stripe_publishable_key(), order.client_secret) {
            (Some(key), Some(secret)) if status == OrderStatus::PendingPayment && order.open => {
                Some(super::model::StripeCheckout {
                    publishable_key: key.to_string(),
                    client_secret: secret,
                })
            }
            _ => None,
        },
        events,
    })
}

/// A payment is looked up at the provider on the shopper's return at most this often.
const LOOKUP_EVERY_SECS: f64 = 10.0;

/// The provider's reference of the pending payment of `order`, when it was not looked at
/// (here or by reconciliation, which also marks `updated_at`) in the last `LOOKUP_EVERY_SECS`;
/// marks it looked at. Reloading the page or a shared link never sends a request per view.
async fn due_for_lookup(state: &AppState, order: Uuid) -> AppResult<Option<String>> {
    Ok(sqlx::query_scalar!(
        "update payments set updated_at = now()
         where order_id = $1 and status = 'pending' and provider_ref is not null and review_reason is null
           and updated_at < now() - make_interval(secs => $2)
         returning provider_ref",
        order,
        LOOKUP_EVERY_SECS
    )
    .fetch_optional(&state.pool)
    .await?
    .flatten())
}

/// Finds a guest's order by its number and the email it was placed with; this browser may see
/// it afterwards. Wrong pairs get the same answer whether or not the number exists, and so do
/// orders placed from an account: their shopper sees them in the account's history.
pub async fn lookup(state: &AppState, viewer: &Viewer, number: &str, email: &str) -> AppResult<i64> {
    let number = parse_number(number)?;
    // Guessing emails for an order number is limited like guessing passwords.
    state
        .limits
        .login(&viewer.client().ip, &format!("order:{number}"))
        .await?;
    let email = email.trim();
    if email.is_empty() {
        return Err(AppError::invalid(
            "email",
            "Enter the email address the order was placed with.",
        ));
    }
    let id = sqlx::query_scalar!(
        "select id from orders where number = $1 and email = $2::text::citext and user_id is null",
        number,
        email
    )
    .fetch_optional(&state.pool)
    .await?
    .ok_or_else(|| AppError::BadRequest("We couldn't find an order with that number and email.".into()))?;
    remember(viewer, id).await?;
    Ok(number)
}

/// The test provider's pay step: the shopper decides whether the payment succeeds.
/// Only in demo mode: in production nobody may mark their own order paid.
pub async fn pay_test(
    state: &AppState,
    viewer: &Viewer,
    number: &str,
    succeed: bool,
) -> AppResult<OrderStatus> {
    if !state.site.mode.allows_test_payments() {
        return Err(AppError::NotFound);
    }
    let number = parse_number(number).map_err(|_| AppError::NotFound)?;
    let order = sqlx::query!(
        "select o.id, o.user_id, o.cart_id, o.status, o.expires_at > now() as \"open!\", p.provider
         from orders o join payments p on p.order_id = o.id where o.number = $1",
        number
    )
    .fetch_optional(&state.pool)
    .await?
    .ok_or(AppError::NotFound)?;
    authorize(viewer, order.id, order.user_id, order.cart_id).await?;
    if order.provider != "test" {
        return Err(AppError::BadRequest(
            "This order is paid through another provider.".into(),
        ));
    }
    if order.status != OrderStatus::PendingPayment.as_str() || !order.open {
        return Err(AppError::Conflict(
            "This order can't be paid any more. Your cart still has its items: check out again.".into(),
        ));
    }
    let actor = viewer.actor();
    if succeed {
        server::payment_succeeded(state, order.id, &format!("{actor} (test payment)")).await?;
        Ok(OrderStatus::Paid)
    } else {
        server::close_unpaid(
            state,
            order.id,
            OrderStatus::PaymentFailed,
            &format!("{actor} (test payment)"),
            "The card was declined (test payment).",
        )
        .await?;
        Ok(OrderStatus::PaymentFailed)
    }
}
