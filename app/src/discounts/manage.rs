//! Creating, listing, disabling and enabling codes: the marketplace's from the console, a
//! shop's from its portal. Every change is in the audit log, a shop's in its own part of it.

use super::model::{CodeAction, CodeInput, CodeRow, CodeState, Codes};
use super::offer::Amount;
use super::redeem::normalize;
use crate::accounts::model::Membership;
use crate::audit::{self, Action, Actor, Entry, Subject};
use crate::error::{AppError, AppResult, Problems};
use crate::id::DiscountCodeId;
use crate::money::commission::parse_percent;
use crate::money::{Currency, Money};
use crate::state::AppState;
use serde_json::json;
use uuid::Uuid;

/// Whose codes a page manages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Owner {
    /// The console: creates the marketplace's codes and sees (and may disable) every shop's.
    Marketplace,
    /// A shop's portal: its own codes only.
    Shop(Uuid),
}

impl Owner {
    fn vendor(self) -> Option<Uuid> {
        match self {
            Owner::Marketplace => None,
            Owner::Shop(id) => Some(id),
        }
    }
}

/// The codes `owner` manages, newest first.
pub async fn list(state: &AppState, owner: Owner, membership: Option<Membership>) -> AppResult<Codes> {
    let currency = state.site.currency;
    let rows = sqlx::query!(
        r#"select d.id, d.code, v.name as "shop?", d.kind, d.value, d.min_subtotal, d.usage_limit,
                  d.per_customer_limit, d.first_order_only, d.uses,
                  to_char(d.starts_at at time zone 'UTC', 'YYYY-MM-DD') as starts,
                  to_char((d.ends_at at time zone 'UTC')::date - 1, 'YYYY-MM-DD') as ends,
                  case when d.disabled_at is not null then 'disabled'
                       when d.ends_at <= now() then 'ended'
                       when d.usage_limit is not null and d.uses >= d.usage_limit then 'used_up'
                       when d.starts_at > now() then 'scheduled'
                       else 'active' end as "state!"
           from discount_codes d left join vendors v on v.id = d.vendor_id
           where $1::uuid is null or d.vendor_id = $1
           order by d.created_at desc, d.code
           limit 500"#,
        owner.vendor()
    )
    .fetch_all(&state.pool)
    .await?;
    let codes = rows
        .into_iter()
        .map(|r| CodeRow {
            id: r.id.to_string(),
            code: r.code,
            shop: r.shop,
            amount: amount(&r.kind, r.value).label(currency),
            min_subtotal: (r.min_subtotal > 0).then(|| Money::new(r.min_subtotal, currency)),
            starts: r.starts,
            ends: r.ends,
            uses: r.uses,
            usage_limit: r.usage_limit,
            per_customer_limit: r.per_customer_limit,
            first_order_only: r.first_order_only,
            state: match r.state.as_str() {
                "disabled" => CodeState::Disabled,
                "ended" => CodeState::Ended,
                "used_up" => CodeState::UsedUp,
                "scheduled" => CodeState::Scheduled,
                _ => CodeState::Active,
            },
        })
        .collect();
    Ok(Codes {
        codes,
        funded_by: match owner {
            Owner::Marketplace => "The marketplace pays for its codes: each shop is paid as if the shopper had paid full price, and its ledger says so.".into(),
            Owner::Shop(_) => "Your shop pays for its codes: they come off your goods only, and your sale is what the shopper paid.".into(),
        },
        membership,
    })
}

fn amount(kind: &str, value: i64) -> Amount {
    if kind == "percent" {
        Amount::Percent(value as i32)
    } else {
        Amount::Fixed(value)
    }
}

/// Carries out `action` for `owner`; returns the code's name.
pub async fn act(state: &AppState, actor: &Actor, owner: Owner, action: CodeAction) -> AppResult<String> {
    match action {
        CodeAction::Create(input) => create(state, actor, owner, &input).await,
        CodeAction::Disable { id } => set_disabled(state, actor, owner, &id, true).await,
        CodeAction::Enable { id } => set_disabled(state, actor, owner, &id, false).await,
    }
}

/// A new code, checked whole.
#[derive(Debug)]
struct NewCode {
    code: String,
    amount: Amount,
    min_subtotal: i64,
    starts: Option<String>,
    ends: Option<String>,
    usage_limit: Option<i32>,
    per_customer_limit: Option<i32>,
    first_order_only: bool,
}

/// Every problem of `input` at once, or the code it describes.
fn check(input: &CodeInput, currency: Currency) -> AppResult<NewCode> {
    let mut problems = Problems::default();
    let code = normalize(&input.code);
    let well_formed = (3..=32).contains(&code.len())
        && code.bytes().next().is_some_and(|b| b.is_ascii_alphanumeric())
        && code
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'-' || b == b'_');
    if !well_formed {
        problems.add(
            "code",
            "Use 3 to 32 letters, digits, - or _, starting with a letter or digit.",
        );
    }
    let amount = match input.kind.as_str() {
        "percent" => problems.keep(
            parse_percent(&input.value)
                .filter(|bp| *bp > 0)
                .map(Amount::Percent)
                .ok_or_else(|| {
                    AppError::invalid(
                        "value",
                        "Give a percentage above 0 and up to 100, like 10 or 12.5.",
                    )
                }),
        ),
        "fixed" => problems.keep(
            Money::parse_major(&input.value, currency)
                .filter(|m| m.minor > 0)
                .map(|m| Amount::Fixed(m.minor))
                .ok_or_else(|| AppError::invalid("value", "Give an amount like 5.00.")),
        ),
        _ => {
            problems.add("kind", "Choose a percentage or a fixed amount.");
            None
        }
    };
    let min_subtotal = problems.take(optional_money(&input.min_subtotal, currency));
    let starts = problems.take(optional_day("starts", &input.starts));
    let ends = problems.take(optional_day("ends", &input.ends));
    if let (Some(first), Some(last)) = (&starts, &ends)
        && last < first
    {
        problems.add("ends", "The last day comes on or after the first.");
    }
    let usage_limit = problems.take(optional_count("usage_limit", &input.usage_limit));
    let per_customer_limit = problems.take(optional_count("per_customer_limit", &input.per_customer_limit));
    problems.finish()?;
    Ok(NewCode {
        code,
        amount: amount.ok_or(AppError::Internal)?,
        min_subtotal,
        starts,
        ends,
        usage_limit,
        per_customer_limit,
        first_order_only: input.first_order_only,
    })
}

fn optional_money(raw: &str, currency: Currency) -> AppResult<i64> {
    if raw.trim().is_empty() {
        return Ok(0);
    }
    Money::parse_major(raw, currency)
        .map(|m| m.minor)
        .ok_or_else(|| AppError::invalid("min_subtotal", "Give an amount like 50.00, or leave it empty."))
}

/// A day as YYYY-MM-DD (what a date field sends), or none.
fn optional_day(field: &str, raw: &str) -> AppResult<Option<String>> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Ok(None);
    }
    chrono::NaiveDate::parse_from_str(raw, "%Y-%m-%d")
        .ok()
        .filter(|d| (2000..=2200).contains(&chrono::Datelike::year(d)))
        .map(|d| Some(d.format("%Y-%m-%d").to_string()))
        .ok_or_else(|| AppError::invalid(field, "Give a day like 2026-12-31, or leave it empty."))
}

fn optional_count(field: &str, raw: &str) -> AppResult<Option<i32>> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Ok(None);
    }
    raw.parse::<i32>()
        .ok()
        .filter(|n| (1..=1_000_000).contains(n))
        .map(Some)
        .ok_or_else(|| {
            AppError::invalid(
                field,
                "A whole number from 1 to 1,000,000, or empty for no limit.",
            )
        })
}

async fn create(state: &AppState, actor: &Actor, owner: Owner, input: &CodeInput) -> AppResult<String> {
    let new = check(input, state.site.currency)?;
    let (kind, value) = match new.amount {
        Amount::Percent(bp) => ("percent", i64::from(bp)),
        Amount::Fixed(minor) => ("fixed", minor),
    };
    let mut tx = state.pool.begin().await?;
    let id = sqlx::query_scalar!(
        "insert into discount_codes (code, vendor_id, kind, value, min_subtotal, starts_at, ends_at,
                                     usage_limit, per_customer_limit, first_order_only)
         values ($1, $2, $3, $4, $5, $6::text::date::timestamp at time zone 'UTC',
                 ($7::text::date + 1)::timestamp at time zone 'UTC', $8, $9, $10)
         on conflict (code) do nothing returning id",
        new.code,
        owner.vendor(),
        kind,
        value,
        new.min_subtotal,
        new.starts,
        new.ends,
        new.usage_limit,
        new.per_customer_limit,
        new.first_order_only
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or_else(|| {
        AppError::invalid(
            "code",
            format!(
                "The code {} is already in use in the marketplace: choose another.",
                new.code
            ),
        )
    })?;
    let after = json!({
        "code": new.code, "kind": kind, "value": value, "min_subtotal": new.min_subtotal,
        "starts": new.starts, "ends": new.ends, "usage_limit": new.usage_limit,
        "per_customer_limit": new.per_customer_limit, "first_order_only": new.first_order_only,
    });
    let entry = Entry {
        action: Action::DiscountCreated,
        subject: Subject::DiscountCode(id),
        vendor: owner.vendor(),
        before: None,
        after: Some(after),
    };
    audit::record(&mut tx, actor, entry).await?;
    tx.commit().await?;
    Ok(new.code)
}

/// Disables (or enables again) a code `owner` manages: the console any code, a shop its own.
/// Another shop's code is not found.
async fn set_disabled(
    state: &AppState,
    actor: &Actor,
    owner: Owner,
    id: &str,
    disabled: bool,
) -> AppResult<String> {
    let id = DiscountCodeId::sent(id)?.uuid();
    let mut tx = state.pool.begin().await?;
    let row = sqlx::query!(
        r#"update discount_codes set disabled_at = case when $2 then coalesce(disabled_at, now()) end
           where id = $1 and ($3::uuid is null or vendor_id = $3)
           returning code, vendor_id"#,
        id,
        disabled,
        owner.vendor()
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(AppError::NotFound)?;
    let entry = Entry {
        action: if disabled {
            Action::DiscountDisabled
        } else {
            Action::DiscountEnabled
        },
        subject: Subject::DiscountCode(id),
        vendor: row.vendor_id,
        before: Some(json!({"code": row.code, "disabled": !disabled})),
        after: Some(json!({"code": row.code, "disabled": disabled})),
    };
    audit::record(&mut tx, actor, entry).await?;
    tx.commit().await?;
    Ok(row.code)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(code: &str, kind: &str, value: &str) -> CodeInput {
        CodeInput {
            code: code.into(),
            kind: kind.into(),
            value: value.into(),
            ..Default::default()
        }
    }

    #[test]
    fn a_code_is_checked_whole() {
        let ok = check(&input(" summer-10 ", "percent", "12.5"), Currency::Eur).unwrap();
        assert_eq!(ok.code, "SUMMER-10");
        assert_eq!(ok.amount, Amount::Percent(1250));
        let fixed = check(&input("FIVE", "fixed", "5"), Currency::Eur).unwrap();
        assert_eq!(fixed.amount, Amount::Fixed(500));
        let mut bad = input("x!", "percent", "0");
        bad.starts = "2026-12-31".into();
        bad.ends = "2026-12-01".into();
        bad.usage_limit = "0".into();
        bad.min_subtotal = "-3".into();
        let Err(AppError::Fields(problems)) = check(&bad, Currency::Eur) else {
            panic!("expected every problem at once");
        };
        let fields: Vec<&str> = problems.iter().map(|p| p.field.as_str()).collect();
        assert_eq!(fields, ["code", "value", "min_subtotal", "ends", "usage_limit"]);
        assert!(check(&input("OKAY", "bogus", "5"), Currency::Eur).is_err());
        assert!(check(&input("OKAY", "percent", "100.01"), Currency::Eur).is_err());
    }
}
