//! A code at checkout: checked against the shopper and the cart for the review, claimed under
//! its row's lock when the order is placed (so a limit of ten uses is ten orders however many
//! checkouts race for it), and given back when the order is closed unpaid.

use super::offer::{Amount, Offer, Scope};
use crate::cart::model::Quote;
use crate::error::{AppError, AppResult};
use sqlx::PgConnection;
use uuid::Uuid;

/// Who is using a code: the checkout's email, and the account when signed in.
#[derive(Debug, Clone, Copy)]
pub struct Customer<'a> {
    pub email: &'a str,
    pub user: Option<Uuid>,
}

/// A code as typed by a shopper: trimmed, upper case.
pub fn normalize(code: &str) -> String {
    code.trim().to_uppercase()
}

/// A code taken by an order being placed.
#[derive(Debug, Clone, Copy)]
pub struct Claim {
    pub code: Uuid,
    /// Whether the marketplace pays for it (else the shop whose code it is).
    pub by_marketplace: bool,
}

/// `code` checked for `customer` and applied to `quote`: the discounted quote, or the
/// shopper's message saying why not. Reads without locking (the review page).
pub async fn preview(
    conn: &mut PgConnection,
    code: &str,
    customer: Customer<'_>,
    quote: &Quote,
) -> AppResult<Result<Quote, String>> {
    Ok(match usable(conn, code, customer).await? {
        Ok((_, offer)) => offer.apply(quote).map_err(|misfit| misfit.message(&offer.code)),
        Err(message) => Err(message),
    })
}

/// Takes one use of `code` for an order of `quote` by `customer`, in the placing transaction
/// `tx`: the code's row stays locked until it commits, so concurrent checkouts take turns and
/// each sees the uses the others committed. Refused (409, with the reason) when the code no
/// longer applies; the caller then creates nothing.
pub async fn claim(
    tx: &mut PgConnection,
    code: &str,
    customer: Customer<'_>,
    quote: &Quote,
) -> AppResult<(Quote, Claim)> {
    let refused =
        |message: String| AppError::Conflict(format!("{message} Remove the code to order without it."));
    sqlx::query_scalar!("select id from discount_codes where code = $1 for update", code)
        .fetch_optional(&mut *tx)
        .await?;
    let (id, offer) = usable(tx, code, customer).await?.map_err(refused)?;
    let discounted = offer
        .apply(quote)
        .map_err(|misfit| refused(misfit.message(&offer.code)))?;
    sqlx::query!("update discount_codes set uses = uses + 1 where id = $1", id)
        .execute(&mut *tx)
        .await?;
    let claim = Claim {
        code: id,
        by_marketplace: offer.funded_by_marketplace(),
    };
    Ok((discounted, claim))
}

/// Records that `order` used the code of `claim`, taking `amount` off.
pub async fn record_use(
    tx: &mut PgConnection,
    claim: Claim,
    order: Uuid,
    customer: Customer<'_>,
    amount: i64,
) -> AppResult<()> {
    sqlx::query!(
        "insert into discount_uses (code_id, order_id, email, user_id, amount)
         values ($1, $2, $3::text::citext, $4, $5)",
        claim.code,
        order,
        customer.email,
        customer.user,
        amount
    )
    .execute(&mut *tx)
    .await?;
    Ok(())
}

/// Gives back the use of a code by `order`, closed unpaid (in its closing transaction).
pub async fn release(tx: &mut PgConnection, order: Uuid) -> AppResult<()> {
    sqlx::query!(
        "with gone as (
             update discount_uses set released_at = now()
             where order_id = $1 and released_at is null returning code_id
         )
         update discount_codes d set uses = d.uses - 1 from gone where d.id = gone.code_id",
        order
    )
    .execute(&mut *tx)
    .await?;
    Ok(())
}

/// The offer of `code` when `customer` may use it now, else the shopper's message.
async fn usable(
    conn: &mut PgConnection,
    code: &str,
    customer: Customer<'_>,
) -> AppResult<Result<(Uuid, Offer), String>> {
    let Some(c) = sqlx::query!(
        r#"select d.id, d.code, d.kind, d.value, d.min_subtotal, d.usage_limit, d.per_customer_limit,
                  d.first_order_only, d.uses, d.disabled_at is not null as "disabled!",
                  v.slug as "shop_slug?", v.name as "shop_name?", coalesce(v.status = 'approved', true) as "selling!",
                  coalesce(d.starts_at > now(), false) as "scheduled!", coalesce(d.ends_at <= now(), false) as "ended!",
                  to_char(d.starts_at at time zone 'UTC', 'FMDD Mon YYYY') as starts,
                  to_char((d.ends_at at time zone 'UTC')::date - 1, 'FMDD Mon YYYY') as ends,
                  (select count(*) from discount_uses u where u.code_id = d.id and u.released_at is null
                      and (u.email = $2::text::citext or u.user_id = $3)) as "used_by_customer!",
                  exists(select 1 from orders o where (o.email = $2::text::citext or o.user_id = $3)
                      and o.status not in ('payment_failed', 'expired', 'cancelled')) as "ordered_before!"
           from discount_codes d left join vendors v on v.id = d.vendor_id
           where d.code = $1"#,
        code,
        customer.email,
        customer.user
    )
    .fetch_optional(&mut *conn)
    .await?
    else {
        return Ok(Err(format!("There is no discount code {code}.")));
    };
    let code = c.code;
    let refusal = if c.disabled || !c.selling {
        Some(format!("The code {code} can no longer be used."))
    } else if c.scheduled {
        Some(format!(
            "The code {code} can be used from {}.",
            c.starts.unwrap_or_default()
        ))
    } else if c.ended {
        Some(format!(
            "The code {code} ended on {}.",
            c.ends.unwrap_or_default()
        ))
    } else if c.usage_limit.is_some_and(|limit| c.uses >= limit) {
        Some(format!("The code {code} has been used up."))
    } else if c
        .per_customer_limit
        .is_some_and(|limit| c.used_by_customer >= i64::from(limit))
    {
        Some(format!(
            "You have already used the code {code} as often as it allows."
        ))
    } else if c.first_order_only && c.ordered_before {
        Some(format!("The code {code} is for a first order only."))
    } else {
        None
    };
    if let Some(refusal) = refusal {
        return Ok(Err(refusal));
    }
    let amount = if c.kind == "percent" {
        Amount::Percent(c.value as i32)
    } else {
        Amount::Fixed(c.value)
    };
    let scope = match (c.shop_slug, c.shop_name) {
        (Some(slug), Some(name)) => Scope::Shop { slug, name },
        _ => Scope::Marketplace,
    };
    Ok(Ok((
        c.id,
        Offer {
            code,
            scope,
            amount,
            min_subtotal: c.min_subtotal,
        },
    )))
}
