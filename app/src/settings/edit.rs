//! The settings page's data, and each change in one transaction with its audit entry (the
//! settings' history): every field of a form checked before anything is written.

use super::model::{GeneralInput, PlatformSettings, SettingsChange, ShippingDefault, TaxRateRow};
use crate::audit::{self, Action, Actor, Entry, Subject};
use crate::error::{AppError, AppResult, Problems};
use crate::money::Money;
use crate::money::commission::parse_percent;
use crate::state::AppState;
use serde_json::json;
use uuid::Uuid;

/// The settings as the page shows them, with the last 50 changes.
pub async fn load(state: &AppState) -> AppResult<PlatformSettings> {
    let row = sqlx::query!(
        r#"select commission_bp, reservation_minutes, payout_delay_days,
                  to_char(updated_at at time zone 'UTC', 'YYYY-MM-DD HH24:MI') as "updated!"
           from platform_settings"#
    )
    .fetch_one(&state.pool)
    .await?;
    let tax_rates = sqlx::query_as!(
        TaxRateRow,
        "select country::text as \"country!\", region, name, rate_bp from tax_rates order by country, region"
    )
    .fetch_all(&state.pool)
    .await?;
    let currency = state.site.currency;
    let shipping = sqlx::query!(
        "select id, name, price, free_over, min_days, max_days from default_shipping_methods order by position, name"
    )
    .fetch_all(&state.pool)
    .await?
    .into_iter()
    .map(|m| ShippingDefault {
        id: m.id.to_string(),
        name: m.name,
        price: Money::new(m.price, currency),
        free_over: m.free_over.map(|f| Money::new(f, currency)),
        min_days: m.min_days,
        max_days: m.max_days,
    })
    .collect();
    let history = audit::list::list(state, "", "", Some(("settings", "platform".into())), None, 1).await?;
    Ok(PlatformSettings {
        commission_bp: row.commission_bp,
        reservation_minutes: row.reservation_minutes,
        payout_delay_days: row.payout_delay_days,
        updated: format!("{} UTC", row.updated),
        tax_rates,
        shipping,
        history: history.rows,
    })
}

/// Applies `change` for `actor`.
pub async fn apply(state: &AppState, actor: &Actor, change: SettingsChange) -> AppResult<()> {
    let mut tx = state.pool.begin().await?;
    let (action, before, after) = match change {
        SettingsChange::General(input) => general(&mut tx, &input).await?,
        SettingsChange::SaveTax {
            country,
            region,
            name,
            rate,
        } => save_tax(&mut tx, (&country, &region), &name, &rate).await?,
        SettingsChange::DeleteTax { country, region } => delete_tax(&mut tx, &country, &region).await?,
        SettingsChange::SaveShipping {
            id,
            name,
            price,
            free_over,
            min_days,
            max_days,
        } => {
            let days = (min_days.as_str(), max_days.as_str());
            save_shipping(&mut tx, state, &id, &name, (&price, &free_over), days).await?
        }
        SettingsChange::DeleteShipping { id } => delete_shipping(&mut tx, &id).await?,
    };
    let entry = Entry {
        action,
        subject: Subject::Settings,
        vendor: None,
        before: Some(before),
        after: Some(after),
    };
    audit::record(&mut tx, actor, entry).await?;
    tx.commit().await?;
    Ok(())
}

type Change = (Action, serde_json::Value, serde_json::Value);

/// A whole number in `range`, or a problem on `field` saying `what` it must be.
fn whole(field: &str, raw: &str, range: std::ops::RangeInclusive<i32>, what: &str) -> AppResult<i32> {
    raw.trim()
        .parse::<i32>()
        .ok()
        .filter(|n| range.contains(n))
        .ok_or_else(|| {
            AppError::invalid(
                field,
                format!(
                    "{what}: a whole number from {} to {}.",
                    range.start(),
                    range.end()
                ),
            )
        })
}

async fn general(tx: &mut sqlx::PgConnection, input: &GeneralInput) -> AppResult<Change> {
    let mut problems = Problems::default();
    let commission = problems.keep(parse_percent(&input.commission).ok_or_else(|| {
        AppError::invalid(
            "commission",
            "Give the commission as a percentage from 0 to 100 with at most two decimals, like 10 or 12.5.",
        )
    }));
    let minutes = problems.keep(whole(
        "reservation_minutes",
        &input.reservation_minutes,
        1..=1440,
        "Minutes",
    ));
    let days = problems.keep(whole(
        "payout_delay_days",
        &input.payout_delay_days,
        0..=365,
        "Days",
    ));
    problems.finish()?;
    let (commission, minutes, days) = (commission.unwrap_or(0), minutes.unwrap_or(1), days.unwrap_or(0));
    let before = sqlx::query!(
        "select commission_bp, reservation_minutes, payout_delay_days from platform_settings for update"
    )
    .fetch_one(&mut *tx)
    .await?;
    sqlx::query!(
        "update platform_settings set commission_bp = $1, reservation_minutes = $2, payout_delay_days = $3, updated_at = now()",
        commission,
        minutes,
        days
    )
    .execute(&mut *tx)
    .await?;
    Ok((
        Action::SettingsChanged,
        json!({"commission_bp": before.commission_bp, "reservation_minutes": before.reservation_minutes,
               "payout_delay_days": before.payout_delay_days}),
        json!({"commission_bp": commission, "reservation_minutes": minutes, "payout_delay_days": days}),
    ))
}

/// A country's ISO code and a region's code as typed, checked and upper-cased.
fn place(country: &str, region: &str) -> (AppResult<String>, AppResult<String>) {
    let country = crate::accounts::validate::country("country", country);
    let region = region.trim().to_uppercase();
    let region = if region.len() <= 10 && region.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-') {
        Ok(region)
    } else {
        Err(AppError::invalid(
            "region",
            "A region is its code (CA, NY, ON), letters and digits, at most 10; empty for the whole country.",
        ))
    };
    (country, region)
}

async fn save_tax(
    tx: &mut sqlx::PgConnection,
    (country, region): (&str, &str),
    name: &str,
    rate: &str,
) -> AppResult<Change> {
    let mut problems = Problems::default();
    let (country, region) = place(country, region);
    let country = problems.take(country);
    let region = problems.take(region);
    let name = problems.take(crate::accounts::validate::text("name", name, 1, 60, "The name"));
    let rate =
        problems.keep(parse_percent(rate).ok_or_else(|| {
            AppError::invalid("rate", "Give the rate as a percentage from 0 to 100, like 7.25.")
        }));
    problems.finish()?;
    let rate = rate.unwrap_or(0);
    let before = sqlx::query!(
        "select name, rate_bp from tax_rates where country = $1 and region = $2 for update",
        country,
        region
    )
    .fetch_optional(&mut *tx)
    .await?
    .map(|r| json!({"country": country, "region": region, "name": r.name, "rate_bp": r.rate_bp}));
    sqlx::query!(
        "insert into tax_rates (country, region, name, rate_bp) values ($1, $2, $3, $4)
         on conflict (country, region) do update set name = excluded.name, rate_bp = excluded.rate_bp",
        country,
        region,
        name,
        rate
    )
    .execute(&mut *tx)
    .await?;
    let after = json!({"country": country, "region": region, "name": name, "rate_bp": rate});
    Ok((Action::TaxRateSaved, before.unwrap_or(json!(null)), after))
}

async fn delete_tax(tx: &mut sqlx::PgConnection, country: &str, region: &str) -> AppResult<Change> {
    let (country, region) = place(country, region);
    let (country, region) = (country?, region?);
    let gone = sqlx::query!(
        "delete from tax_rates where country = $1 and region = $2 returning name, rate_bp",
        country,
        region
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(AppError::NotFound)?;
    let before = json!({"country": country, "region": region, "name": gone.name, "rate_bp": gone.rate_bp});
    Ok((Action::TaxRateDeleted, before, json!(null)))
}

async fn save_shipping(
    tx: &mut sqlx::PgConnection,
    state: &AppState,
    id: &str,
    name: &str,
    (price, free_over): (&str, &str),
    (min_days, max_days): (&str, &str),
) -> AppResult<Change> {
    let currency = state.site.currency;
    let mut problems = Problems::default();
    let name = problems.take(crate::accounts::validate::text("name", name, 1, 60, "The name"));
    let price = problems.keep(
        Money::parse_major(price, currency)
            .filter(|m| m.minor >= 0)
            .ok_or_else(|| AppError::invalid("price", "Give the price like 4.99 (0 for free)."))
            .map(|m| m.minor),
    );
    let free_over = if free_over.trim().is_empty() {
        None
    } else {
        problems.keep(
            Money::parse_major(free_over, currency)
                .filter(|m| m.minor >= 0)
                .ok_or_else(|| {
                    AppError::invalid(
                        "free_over",
                        "Give the amount like 50.00, or leave it empty: never free.",
                    )
                })
                .map(|m| m.minor),
        )
    };
    let min = problems.keep(whole("min_days", min_days, 0..=365, "Days"));
    let max = problems.keep(whole("max_days", max_days, 0..=365, "Days"));
    if let (Some(min), Some(max)) = (min, max)
        && max < min
    {
        problems.add("max_days", "The latest day can't come before the earliest.");
    }
    problems.finish()?;
    let (price, min, max) = (price.unwrap_or(0), min.unwrap_or(0), max.unwrap_or(0));
    let after =
        json!({"name": name, "price": price, "free_over": free_over, "min_days": min, "max_days": max});
    if id.is_empty() {
        let count = sqlx::query_scalar!(r#"select count(*) as "n!" from default_shipping_methods"#)
            .fetch_one(&mut *tx)
            .await?;
        if count >= 10 {
            return Err(AppError::Conflict("Ten shipping methods at most.".into()));
        }
        sqlx::query!(
            "insert into default_shipping_methods (name, price, free_over, min_days, max_days, position)
             values ($1, $2, $3, $4, $5, $6)",
            name,
            price,
            free_over,
            min,
            max,
            count as i32
        )
        .execute(&mut *tx)
        .await?;
        return Ok((Action::ShippingDefaultSaved, json!(null), after));
    }
    let id = shipping_id(id)?;
    let before = sqlx::query!(
        "select name, price, free_over, min_days, max_days from default_shipping_methods where id = $1 for update",
        id
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(AppError::NotFound)?;
    sqlx::query!(
        "update default_shipping_methods set name = $2, price = $3, free_over = $4, min_days = $5, max_days = $6 where id = $1",
        id,
        name,
        price,
        free_over,
        min,
        max
    )
    .execute(&mut *tx)
    .await?;
    let before = json!({"name": before.name, "price": before.price, "free_over": before.free_over,
                        "min_days": before.min_days, "max_days": before.max_days});
    Ok((Action::ShippingDefaultSaved, before, after))
}

fn shipping_id(id: &str) -> AppResult<Uuid> {
    Uuid::parse_str(id.trim()).map_err(|_| AppError::NotFound)
}

async fn delete_shipping(tx: &mut sqlx::PgConnection, id: &str) -> AppResult<Change> {
    let id = shipping_id(id)?;
    let left = sqlx::query_scalar!(r#"select count(*) as "n!" from default_shipping_methods"#)
        .fetch_one(&mut *tx)
        .await?;
    let gone = sqlx::query!(
        "delete from default_shipping_methods where id = $1 returning name, price",
        id
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(AppError::NotFound)?;
    if left <= 1 {
        return Err(AppError::Conflict(
            "A new shop needs at least one way to ship: add another before deleting this one.".into(),
        ));
    }
    Ok((
        Action::ShippingDefaultDeleted,
        json!({"name": gone.name, "price": gone.price}),
        json!(null),
    ))
}
