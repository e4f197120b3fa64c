//! Accounts made from the command line: the first admin, and the demo marketplace's people.

use app::accounts::{secrets, validate};
use sqlx::PgPool;
use uuid::Uuid;

/// The password of every demo account (printed by `make run`).
pub const DEMO_PASSWORD: &str = "demo-market-2026";

/// Makes `email` a platform admin, creating a confirmed account with `password` if there is
/// none. Returns whether it was created.
pub async fn create_admin(pool: &PgPool, email: &str, name: &str, password: &str) -> anyhow::Result<bool> {
    let email = validate::email("email", email).map_err(|e| anyhow::anyhow!("{e}"))?;
    let name = validate::name("name", name).map_err(|e| anyhow::anyhow!("{e}"))?;
    let existing = sqlx::query_scalar!(
        "select id from users where email = $1 and deleted_at is null",
        email as _
    )
    .fetch_optional(pool)
    .await?;
    if let Some(id) = existing {
        sqlx::query!("update users set is_admin = true where id = $1", id)
            .execute(pool)
            .await?;
        return Ok(false);
    }
    secrets::check_strength("password", password, &[&email, &name]).map_err(|e| anyhow::anyhow!("{e}"))?;
    insert_user(pool, &email, &name, password, Kind::Admin).await?;
    Ok(true)
}

/// Who an account made here is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Admin,
    DemoAdmin,
    DemoPerson,
}

async fn insert_user(
    executor: impl sqlx::PgExecutor<'_>,
    email: &str,
    name: &str,
    password: &str,
    kind: Kind,
) -> anyhow::Result<Uuid> {
    let is_admin = matches!(kind, Kind::Admin | Kind::DemoAdmin);
    let demo = kind != Kind::Admin;
    let hash = secrets::hash_password(password.to_string())
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    Ok(sqlx::query_scalar!(
        "insert into users (email, password_hash, name, is_admin, email_verified_at, demo)
         values ($1, $2, $3, $4, now(), $5)
         on conflict (email) where deleted_at is null
         do update set name = excluded.name, demo = users.demo or excluded.demo
         returning id",
        email as _,
        hash,
        name,
        is_admin,
        demo
    )
    .fetch_one(executor)
    .await?)
}

/// The demo's people: a shopper, the owner of the first shop, staff of the second, an admin
/// (who still has to turn on 2FA). Returns (role, email) for the banner.
pub async fn seed_demo_accounts(tx: &mut sqlx::PgConnection) -> anyhow::Result<Vec<(&'static str, String)>> {
    let vendors =
        sqlx::query!("select id, name from vendors where status = 'approved' order by slug limit 2")
            .fetch_all(&mut *tx)
            .await?;
    let mut accounts = vec![("shopper", "shopper@example.com".to_string())];
    insert_user(
        &mut *tx,
        "shopper@example.com",
        "Sam Shopper",
        DEMO_PASSWORD,
        Kind::DemoPerson,
    )
    .await?;
    for (vendor, (role, email)) in vendors
        .iter()
        .zip([("owner", "owner@example.com"), ("staff", "staff@example.com")])
    {
        let user = insert_user(
            &mut *tx,
            email,
            &format!("{} {role}", vendor.name),
            DEMO_PASSWORD,
            Kind::DemoPerson,
        )
        .await?;
        sqlx::query!(
            "insert into vendor_members (vendor_id, user_id, role) values ($1, $2, $3) on conflict do nothing",
            vendor.id,
            user,
            role
        )
        .execute(&mut *tx)
        .await?;
        accounts.push((
            if role == "owner" {
                "vendor owner"
            } else {
                "vendor staff"
            },
            email.to_string(),
        ));
    }
    insert_user(
        &mut *tx,
        "admin@example.com",
        "Ada Admin",
        DEMO_PASSWORD,
        Kind::DemoAdmin,
    )
    .await?;
    accounts.push(("admin", "admin@example.com".to_string()));
    Ok(accounts)
}

/// The demo accounts still in the database (their password is published), by email.
pub async fn demo_accounts(pool: &PgPool) -> anyhow::Result<Vec<String>> {
    Ok(sqlx::query_scalar!(
        r#"select email::text as "email!" from users
           where demo and deleted_at is null and email is not null order by email"#
    )
    .fetch_all(pool)
    .await?)
}

/// Closes every demo account the way deleting an account does: sign-in data, sessions,
/// addresses and shop memberships go; the rows stay, anonymised, for their orders.
pub async fn delete_demo_accounts(pool: &PgPool) -> anyhow::Result<u64> {
    let mut tx = pool.begin().await?;
    let ids = sqlx::query_scalar!("select id from users where demo and deleted_at is null for update")
        .fetch_all(&mut *tx)
        .await?;
    app::accounts::erasure::erase(&mut tx, &ids).await?;
    tx.commit().await?;
    Ok(ids.len() as u64)
}
