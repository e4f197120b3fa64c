//! The address book: at most 20 addresses, one default for shipping and one for billing.

use super::countries;
use super::model::{Address, AddressInput};
use super::validate;
use super::viewer::Viewer;
use crate::error::{AppError, AppResult, Problems};
use crate::id::AddressId;
use crate::state::AppState;

const MAX_ADDRESSES: i64 = 20;

/// `input` checked field by field against its country's rules (see `countries`): every
/// problem at once, the state and postal code written the country's way.
pub fn clean(input: &AddressInput) -> AppResult<AddressInput> {
    let mut problems = Problems::default();
    let country = countries::by_code(&input.country);
    if country.is_none() {
        let message = if input.country.trim().is_empty() {
            "Choose a country."
        } else {
            "We don't ship to that country yet: choose one from the list."
        };
        problems.add("country", message);
    }
    let full_name = problems.take(validate::text("full_name", &input.full_name, 1, 100, "Full name"));
    let line1 = problems.take(validate::text("line1", &input.line1, 1, 200, "Address"));
    let line2 = problems.take(validate::text("line2", &input.line2, 0, 200, "Address line 2"));
    let city = problems.take(validate::text("city", &input.city, 1, 100, "City"));
    let mut region = problems.take(validate::text("region", &input.region, 0, 100, "State or region"));
    let mut postal_code = problems.take(validate::text(
        "postal_code",
        &input.postal_code,
        0,
        20,
        "Postal code",
    ));
    if let Some(country) = country {
        if !problems.has("region") {
            region = problems
                .keep(
                    country
                        .region(&region)
                        .map_err(|m| AppError::invalid("region", m)),
                )
                .unwrap_or_default();
        }
        if !problems.has("postal_code") {
            postal_code = problems
                .keep(
                    country
                        .postal_code(&postal_code)
                        .map_err(|m| AppError::invalid("postal_code", m)),
                )
                .unwrap_or_default();
        }
    }
    let phone = problems.take(validate::text("phone", &input.phone, 0, 30, "Phone"));
    if !phone.chars().all(|c| c.is_ascii_digit() || " +-().".contains(c)) {
        problems.add("phone", "Use digits, spaces and + - ( ) only.");
    }
    problems.finish()?;
    Ok(AddressInput {
        full_name,
        line1,
        line2,
        city,
        region,
        postal_code,
        country: country.map(|c| c.code.to_string()).unwrap_or_default(),
        phone,
        default_shipping: input.default_shipping,
        default_billing: input.default_billing,
    })
}

pub async fn list(state: &AppState, viewer: &Viewer) -> AppResult<Vec<Address>> {
    let user = viewer.signed_in_id()?;
    let rows = sqlx::query!(
        "select id, full_name, line1, line2, city, region, postal_code, country, phone,
                is_default_shipping, is_default_billing
         from addresses where user_id = $1 order by created_at",
        user
    )
    .fetch_all(&state.pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| Address {
            id: r.id.to_string(),
            full_name: r.full_name,
            line1: r.line1,
            line2: r.line2,
            city: r.city,
            region: r.region,
            postal_code: r.postal_code,
            country: r.country,
            phone: r.phone,
            is_default_shipping: r.is_default_shipping,
            is_default_billing: r.is_default_billing,
        })
        .collect())
}

/// Adds an address, or replaces address `id` of the signed-in user.
pub async fn save(
    state: &AppState,
    viewer: &Viewer,
    id: Option<&str>,
    input: &AddressInput,
) -> AppResult<String> {
    let user = viewer.signed_in_id()?;
    let input = clean(input)?;
    let mut tx = state.pool.begin().await?;
    // Defaults move: clear the old one first (one default of each kind per user).
    if input.default_shipping {
        sqlx::query!(
            "update addresses set is_default_shipping = false where user_id = $1",
            user
        )
        .execute(&mut *tx)
        .await?;
    }
    if input.default_billing {
        sqlx::query!(
            "update addresses set is_default_billing = false where user_id = $1",
            user
        )
        .execute(&mut *tx)
        .await?;
    }
    let id = match id {
        Some(id) => {
            let id = AddressId::parse(id).ok_or(AppError::NotFound)?.uuid();
            sqlx::query_scalar!(
                "update addresses set full_name = $3, line1 = $4, line2 = $5, city = $6, region = $7,
                        postal_code = $8, country = $9, phone = $10,
                        is_default_shipping = is_default_shipping or $11,
                        is_default_billing = is_default_billing or $12
                 where id = $1 and user_id = $2 returning id",
                id,
                user,
                input.full_name,
                input.line1,
                input.line2,
                input.city,
                input.region,
                input.postal_code,
                input.country,
                input.phone,
                input.default_shipping,
                input.default_billing
            )
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(AppError::NotFound)?
        }
        None => {
            let count = sqlx::query_scalar!(
                r#"select count(*) as "n!" from addresses where user_id = $1"#,
                user
            )
            .fetch_one(&mut *tx)
            .await?;
            if count >= MAX_ADDRESSES {
                return Err(AppError::Conflict(format!(
                    "You can keep up to {MAX_ADDRESSES} addresses. Delete one first."
                )));
            }
            // The first address becomes the default for both.
            sqlx::query_scalar!(
                "insert into addresses (user_id, full_name, line1, line2, city, region, postal_code,
                                        country, phone, is_default_shipping, is_default_billing)
                 values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10 or $12::bigint = 0, $11 or $12::bigint = 0) returning id",
                user,
                input.full_name,
                input.line1,
                input.line2,
                input.city,
                input.region,
                input.postal_code,
                input.country,
                input.phone,
                input.default_shipping,
                input.default_billing,
                count
            )
            .fetch_one(&mut *tx)
            .await?
        }
    };
    tx.commit().await?;
    Ok(id.to_string())
}

pub async fn delete(state: &AppState, viewer: &Viewer, id: &str) -> AppResult<()> {
    let user = viewer.signed_in_id()?;
    let id = AddressId::parse(id).ok_or(AppError::NotFound)?.uuid();
    let deleted = sqlx::query!("delete from addresses where id = $1 and user_id = $2", id, user)
        .execute(&state.pool)
        .await?
        .rows_affected();
    if deleted == 0 {
        return Err(AppError::NotFound);
    }
    Ok(())
}
