//! Rate limits on guessing and on mail: login, second-factor codes, password resets, sign-ups,
//! orders, discount codes, per client address and per account. An IPv6 client is one /64
//! (what one subscriber gets).
//!
//! The limits are GCRA (a burst, then one request per period), counted in PostgreSQL so that
//! every server instance draws on the same budget: behind a load balancer, N instances must not
//! give an attacker N times the guesses. One upsert per limited request, on an unlogged table;
//! hand-written because the kept limiter crates (governor) count in one process's memory.

use crate::error::{AppError, AppResult};
use sqlx::PgPool;
use std::net::IpAddr;
use std::time::Duration;

/// A burst of `burst` requests, then one every `every`.
#[derive(Debug, Clone, Copy)]
struct Quota {
    name: &'static str,
    burst: u32,
    every: Duration,
}

const fn quota(name: &'static str, burst: u32, every: Duration) -> Quota {
    Quota { name, burst, every }
}

const fn secs(n: u64) -> Duration {
    Duration::from_secs(n)
}

// 60 tries at once from one address (an office, a NAT), then one a second.
const LOGIN_IP: Quota = quota("login_ip", 60, secs(1));
// 8 tries at once on one account, then one a minute.
const LOGIN_ACCOUNT: Quota = quota("login_account", 8, secs(60));
const RESET_IP: Quota = quota("reset_ip", 10, secs(30));
// One address asking again and again for one account's reset uses up only its own budget for
// that account, not the account's: its owner can still ask elsewhere.
const RESET_IP_ACCOUNT: Quota = quota("reset_ip_account", 3, secs(600));
// Every address together: enough for the owner, a ceiling on mail to one inbox.
const RESET_ACCOUNT: Quota = quota("reset_account", 10, secs(600));
/// Sign-up attempts one address may make at once.
pub const SIGNUP_BURST: u32 = 30;
// Sign-ups from one address: a shared office or campus network signs up several people at
// once, a script is slowed to one every 20 seconds.
const SIGNUP_IP: Quota = quota("signup_ip", SIGNUP_BURST, secs(20));
// Placing an order reserves stock: 60 at once from one address, then one a second.
const PLACE_IP: Quota = quota("place_ip", 60, secs(1));
// A shopper retries a declined card a few times; a cart (so a session or an account) places
// 6 at once, then one every 10 seconds.
const PLACE_CART: Quota = quota("place_cart", 6, secs(10));
// Trying discount codes: 60 at once from one address (a shared network at a sale's start),
// then one every two seconds, so codes are not found by guessing.
const CODE_IP: Quota = quota("code_ip", 60, secs(2));

/// The limits, counted in the database behind `pool`.
#[derive(Clone)]
pub struct Limits {
    pool: PgPool,
}

impl Limits {
    pub fn new(pool: PgPool) -> Self {
        Self { pool }
    }

    /// A login, code or password attempt from `ip` on `account` (an email or a user id).
    pub async fn login(&self, ip: &str, account: &str) -> AppResult<()> {
        self.login_from(ip).await?;
        self.login_to(account).await
    }

    /// A login attempt from `ip`, whatever the account.
    pub async fn login_from(&self, ip: &str) -> AppResult<()> {
        self.check(LOGIN_IP, &client_key(ip)).await
    }

    /// A login attempt on `account`, from wherever.
    pub async fn login_to(&self, account: &str) -> AppResult<()> {
        self.check(LOGIN_ACCOUNT, &account.to_lowercase()).await
    }

    /// A password reset request from `ip` for `account`.
    pub async fn reset(&self, ip: &str, account: &str) -> AppResult<()> {
        let (client, account) = (client_key(ip), account.to_lowercase());
        self.check(RESET_IP, &client).await?;
        self.check(RESET_IP_ACCOUNT, &format!("{client} {account}"))
            .await?;
        self.check(RESET_ACCOUNT, &account).await
    }

    /// A sign-up from `ip`.
    pub async fn signup(&self, ip: &str) -> AppResult<()> {
        self.check(SIGNUP_IP, &client_key(ip)).await
    }

    /// An order placed from `ip` with the cart `cart` (which names the session or account).
    pub async fn place_order(&self, ip: &str, cart: &str) -> AppResult<()> {
        self.check(PLACE_IP, &client_key(ip)).await?;
        self.check(PLACE_CART, cart).await
    }

    /// A discount code tried from `ip`.
    pub async fn discount_code(&self, ip: &str) -> AppResult<()> {
        self.check(CODE_IP, &client_key(ip)).await
    }

    /// Forgets keys whose budget is whole again; called now and then so the table stays small.
    pub async fn shrink(&self) -> AppResult<u64> {
        let gone = sqlx::query!("delete from rate_limits where tat < now()")
            .execute(&self.pool)
            .await?;
        Ok(gone.rows_affected())
    }

    /// One request on `key` under `quota`, in one statement: the key's arrival time moves on by
    /// one period unless that would take it past the burst's window, then the request is refused
    /// and nothing changes.
    async fn check(&self, quota: Quota, key: &str) -> AppResult<()> {
        let every = i64::try_from(quota.every.as_micros()).unwrap_or(i64::MAX);
        let window = every.saturating_mul(i64::from(quota.burst));
        let allowed = sqlx::query_scalar!(
            r#"insert into rate_limits as r (key, tat)
               values ($1, now() + $2 * interval '1 microsecond')
               on conflict (key) do update
                  set tat = greatest(r.tat, now()) + $2 * interval '1 microsecond'
                where greatest(r.tat, now()) + $2 * interval '1 microsecond'
                      <= now() + $3 * interval '1 microsecond'
               returning true as "allowed!""#,
            format!("{}:{key}", quota.name),
            every as f64,
            window as f64,
        )
        .fetch_optional(&self.pool)
        .await?;
        match allowed {
            Some(_) => Ok(()),
            None => {
                tracing::info!(limit = quota.name, "rate limit reached");
                Err(AppError::RateLimited)
            }
        }
    }
}

/// The bucket of a client address: an IPv4 address, or the /64 of an IPv6 one (an IPv4
/// address mapped into IPv6 is that IPv4 address).
pub fn client_key(ip: &str) -> String {
    match ip.parse::<IpAddr>() {
        Ok(IpAddr::V6(v6)) => match v6.to_ipv4_mapped() {
            Some(v4) => v4.to_string(),
            None => {
                let s = v6.segments();
                format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
            }
        },
        Ok(IpAddr::V4(v4)) => v4.to_string(),
        Err(_) => ip.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_ipv6_client_is_its_slash_64() {
        assert_eq!(client_key("2001:db8:1:2::1"), client_key("2001:db8:1:2:ffff::9"));
        assert_ne!(client_key("2001:db8:1:2::1"), client_key("2001:db8:1:3::1"));
        assert_eq!(client_key("::ffff:10.0.0.1"), "10.0.0.1");
        assert_eq!(client_key("10.0.0.1"), "10.0.0.1");
    }
}
