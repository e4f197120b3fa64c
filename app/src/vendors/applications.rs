//! Becoming a vendor: a signed-in user applies, platform staff approve or reject (with a
//! reason), later suspend or reinstate; the shop's owners are mailed each decision. A
//! suspended shop's products leave the storefront and the search index; its data stays.

use super::model::{AdminVendors, Decision, VendorRow, VendorStatus};
use crate::accounts::mail::{self, Mail};
use crate::accounts::validate;
use crate::audit::{self, Action, Actor, Entry, Subject};
use crate::error::{AppError, AppResult, Problems};
use crate::money::commission::parse_percent;
use crate::state::AppState;
use serde_json::json;
use sqlx::PgConnection;
use uuid::Uuid;

/// What an applicant tells us about the shop.
pub struct Application<'a> {
    pub name: &'a str,
    pub slug: &'a str,
    pub description: &'a str,
    pub contact_email: &'a str,
    pub country: &'a str,
}

/// A shop address: lower-case words joined by single dashes, 3–60 characters.
pub fn clean_slug(raw: &str) -> AppResult<String> {
    let slug = raw.trim().to_lowercase();
    if !(3..=60).contains(&slug.len()) || !crate::slug::Slug::is_valid(&slug) {
        return Err(AppError::invalid(
            "slug",
            "Use 3–60 lower-case letters, digits and single dashes, like “river-pottery”.",
        ));
    }
    Ok(slug)
}

/// Files an application: the shop exists as `pending` with the applicant as its owner and
/// default shipping methods, so they can prepare products while staff decide.
pub async fn apply(state: &AppState, user: Uuid, form: Application<'_>) -> AppResult<String> {
    let mut problems = Problems::default();
    let name = problems.take(validate::text("name", form.name, 2, 120, "The shop's name"));
    let slug = problems.take(clean_slug(form.slug));
    let description = problems.take(validate::multiline(
        "description",
        form.description,
        0,
        2_000,
        "The description",
    ));
    let contact = problems.take(validate::email("contact_email", form.contact_email));
    let country = problems.take(validate::country("country", form.country));
    problems.finish()?;
    let mut tx = state.pool.begin().await?;
    let waiting = sqlx::query_scalar!(
        r#"select count(*) as "n!" from vendors where applied_by = $1 and status = 'pending'"#,
        user
    )
    .fetch_one(&mut *tx)
    .await?;
    if waiting > 0 {
        return Err(AppError::Conflict(
            "You already have an application waiting for a decision.".into(),
        ));
    }
    let id = sqlx::query_scalar!(
        "insert into vendors (slug, name, description, contact_email, country, status, applied_by)
         values ($1, $2, $3, $4, $5, 'pending', $6)
         on conflict (slug) do nothing returning id",
        slug,
        name,
        description,
        contact,
        country,
        user
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or_else(|| AppError::invalid("slug", "That shop address is taken; choose another."))?;
    sqlx::query!(
        "insert into vendor_members (vendor_id, user_id, role) values ($1, $2, 'owner')",
        id,
        user
    )
    .execute(&mut *tx)
    .await?;
    sqlx::query!(
        "insert into shipping_methods (vendor_id, name, price, free_over, min_days, max_days, position)
         select $1, name, price, free_over, min_days, max_days, position from default_shipping_methods",
        id
    )
    .execute(&mut *tx)
    .await?;
    let site = &state.site.name;
    let mail = Mail {
        subject: format!("We received your application for {name}"),
        paragraphs: vec![
            format!("Thank you for applying to sell on {site}."),
            "Our team reviews applications within a few days; we'll write to you when we have decided. \
             Meanwhile you can prepare your products in the vendor portal: they go on sale once the shop is approved."
                .into(),
        ],
        action: Some((
            "Open the vendor portal".into(),
            format!("{}/vendor/{slug}", state.site.public_url),
        )),
    };
    mail::enqueue(&mut tx, &contact, &mail).await?;
    tx.commit().await?;
    mail::deliver_soon(&state.pool, &state.mailer);
    Ok(slug)
}

/// Applies a platform decision to a shop, mails its owners, and takes its products in or out
/// of the storefront and the search index.
pub async fn decide(
    state: &AppState,
    vendor: Uuid,
    decision: Decision,
    reason: &str,
    actor: &Actor,
) -> AppResult<VendorStatus> {
    let reason = validate::text("reason", reason, 0, 1_000, "The reason")?;
    if decision.needs_reason() && reason.is_empty() {
        return Err(AppError::invalid(
            "reason",
            "Tell the shop why: they will read it in the email.",
        ));
    }
    let mut tx = state.pool.begin().await?;
    let row = sqlx::query!(
        r#"select name, slug, status as "status: VendorStatus", contact_email from vendors where id = $1 for update"#,
        vendor
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(AppError::NotFound)?;
    let from = row.status;
    let to = decision.apply(from).ok_or_else(|| {
        AppError::Conflict(format!(
            "{} is {}: that decision does not apply.",
            row.name,
            from.label().to_lowercase()
        ))
    })?;
    sqlx::query!(
        "update vendors set status = $2, decision_reason = $3, decided_at = now() where id = $1",
        vendor,
        to.as_str(),
        reason
    )
    .execute(&mut *tx)
    .await?;
    // The storefront reads the vendor's status live; an external engine learns from the outbox.
    sqlx::query!(
        "insert into search_outbox (product_id) select id from products where vendor_id = $1
         on conflict (product_id) do update set changed_at = now()",
        vendor
    )
    .execute(&mut *tx)
    .await?;
    let mail = decision_mail(state, &row.name, &row.slug, to, &reason);
    for owner in owner_emails(&mut tx, vendor, row.contact_email.as_deref()).await? {
        mail::enqueue(&mut tx, &owner, &mail).await?;
    }
    let entry = Entry {
        action: Action::VendorDecided,
        subject: Subject::Vendor(vendor),
        vendor: Some(vendor),
        before: Some(json!({"status": from.as_str()})),
        after: Some(json!({"status": to.as_str(), "reason": reason})),
    };
    audit::record(&mut tx, actor, entry).await?;
    tx.commit().await?;
    tracing::info!(%vendor, from = from.as_str(), to = to.as_str(), actor = ?actor.user, "vendor status changed");
    state.catalog.invalidate_listings().await;
    mail::deliver_soon(&state.pool, &state.mailer);
    Ok(to)
}

/// The owners' addresses, and the shop's contact address when it is not one of them.
pub async fn owner_emails(
    tx: &mut PgConnection,
    vendor: Uuid,
    contact: Option<&str>,
) -> AppResult<Vec<String>> {
    let mut emails = sqlx::query_scalar!(
        r#"select u.email::text as "email!" from vendor_members m join users u on u.id = m.user_id
           where m.vendor_id = $1 and m.role = 'owner' and u.deleted_at is null order by u.email"#,
        vendor
    )
    .fetch_all(&mut *tx)
    .await?;
    if let Some(contact) = contact
        && !emails.iter().any(|e| e.eq_ignore_ascii_case(contact))
    {
        emails.push(contact.to_string());
    }
    Ok(emails)
}

fn decision_mail(state: &AppState, name: &str, slug: &str, to: VendorStatus, reason: &str) -> Mail {
    let site = &state.site.name;
    let portal = format!("{}/vendor/{slug}", state.site.public_url);
    let because = (!reason.is_empty()).then(|| format!("The reason: {reason}"));
    let (subject, first) = match to {
        VendorStatus::Approved => (
            format!("{name} is open on {site}"),
            "Your shop is approved. Products you set to active are on sale now.".to_string(),
        ),
        VendorStatus::Rejected => (
            format!("Your application for {name} on {site}"),
            "We are sorry: we can't open your shop on the marketplace.".to_string(),
        ),
        VendorStatus::Suspended => (
            format!("{name} is suspended on {site}"),
            "Your shop is suspended: its products are off the storefront until it is reinstated. \
             Your data, orders and balance stay as they are."
                .to_string(),
        ),
        VendorStatus::Pending => (format!("{name} on {site}"), String::new()),
    };
    Mail {
        subject,
        paragraphs: std::iter::once(first).chain(because).collect(),
        action: Some(("Open the vendor portal".into(), portal)),
    }
}

/// Sets a shop's own commission rate ("12.5"), or clears it (empty: the platform default).
pub async fn set_commission(
    state: &AppState,
    vendor: Uuid,
    percent: &str,
    actor: &Actor,
) -> AppResult<Option<i32>> {
    let rate = if percent.trim().is_empty() {
        None
    } else {
        Some(parse_percent(percent).ok_or_else(|| {
            AppError::invalid(
                "commission",
                "Give a percentage between 0 and 100 with at most two decimals, or leave it empty for the platform default.",
            )
        })?)
    };
    let mut tx = state.pool.begin().await?;
    let before = sqlx::query_scalar!(
        "select commission_bp from vendors v where id = $1 for update",
        vendor
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(AppError::NotFound)?;
    sqlx::query!(
        "update vendors set commission_bp = $2 where id = $1",
        vendor,
        rate
    )
    .execute(&mut *tx)
    .await?;
    let entry = Entry {
        action: Action::VendorCommission,
        subject: Subject::Vendor(vendor),
        vendor: Some(vendor),
        before: Some(json!({"commission_bp": before})),
        after: Some(json!({"commission_bp": rate})),
    };
    audit::record(&mut tx, actor, entry).await?;
    tx.commit().await?;
    Ok(rate)
}

/// Every shop for platform staff, waiting ones first, optionally of one status.
pub async fn list(state: &AppState, status: Option<VendorStatus>) -> AppResult<AdminVendors> {
    let rows = sqlx::query!(
        r#"select v.id, v.slug, v.name, v.status as "status: VendorStatus", v.description, v.country, v.decision_reason,
                  coalesce(v.contact_email, '') as "contact!", coalesce(u.email::text, '') as "applicant!",
                  to_char(v.created_at at time zone 'UTC', 'YYYY-MM-DD') as "applied!", v.commission_bp, v.logo_key,
                  (select count(*) from products p where p.vendor_id = v.id) as "products!"
           from vendors v left join users u on u.id = v.applied_by
           where $1::text is null or v.status = $1
           order by v.status <> 'pending', v.created_at desc
           limit 500"#,
        status.map(VendorStatus::as_str)
    )
    .fetch_all(&state.pool)
    .await?;
    let vendors = rows
        .into_iter()
        .map(|r| VendorRow {
            id: r.id.to_string(),
            slug: r.slug,
            name: r.name,
            status: r.status,
            description: r.description,
            country: r.country,
            contact_email: r.contact,
            applicant: r.applicant,
            applied: r.applied,
            reason: r.decision_reason,
            commission_bp: r.commission_bp,
            products: r.products,
            logo_key: r.logo_key,
        })
        .collect();
    Ok(AdminVendors {
        vendors,
        default_commission_bp: crate::settings::current(&mut *state.pool.acquire().await?)
            .await?
            .commission_bp,
    })
}
