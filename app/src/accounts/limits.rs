//! Rate limits on guessing and on mail: login, second-factor codes, password resets, sign-ups,
//! discount codes, per client address and per account, with governor's keyed GCRA limiters.
//! An IPv6 client is one /64 (what one subscriber gets). In memory, so per server instance:
//! with N instances an attacker gets N times the budget, still far too little to guess a
//! password.

use crate::error::{AppError, AppResult};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use std::net::IpAddr;
use std::num::NonZeroU32;
use std::time::Duration;

pub struct Limits {
    login_ip: DefaultKeyedRateLimiter<String>,
    login_account: DefaultKeyedRateLimiter<String>,
    reset_ip: DefaultKeyedRateLimiter<String>,
    reset_ip_account: DefaultKeyedRateLimiter<String>,
    reset_account: DefaultKeyedRateLimiter<String>,
    signup_ip: DefaultKeyedRateLimiter<String>,
    place_ip: DefaultKeyedRateLimiter<String>,
    place_cart: DefaultKeyedRateLimiter<String>,
    code_ip: DefaultKeyedRateLimiter<String>,
}

/// Sign-up attempts one address may make at once.
pub const SIGNUP_BURST: u32 = 30;

fn quota(burst: u32, one_every: Duration) -> Quota {
    Quota::with_period(one_every)
        .expect("a non-zero period")
        .allow_burst(NonZeroU32::new(burst).expect("a non-zero burst"))
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            // 60 tries at once from one address (an office, a NAT), then one a second.
            login_ip: RateLimiter::keyed(quota(60, Duration::from_secs(1))),
            // 8 tries at once on one account, then one a minute.
            login_account: RateLimiter::keyed(quota(8, Duration::from_secs(60))),
            reset_ip: RateLimiter::keyed(quota(10, Duration::from_secs(30))),
            // One address asking again and again for one account's reset uses up only its own
            // budget for that account, not the account's: its owner can still ask elsewhere.
            reset_ip_account: RateLimiter::keyed(quota(3, Duration::from_secs(600))),
            // Every address together: enough for the owner, a ceiling on mail to one inbox.
            reset_account: RateLimiter::keyed(quota(10, Duration::from_secs(600))),
            // Sign-ups from one address: a shared office or campus network signs up several
            // people at once, a script is slowed to one every 20 seconds.
            signup_ip: RateLimiter::keyed(quota(SIGNUP_BURST, Duration::from_secs(20))),
            // Placing an order reserves stock: 60 at once from one address, then one a second.
            place_ip: RateLimiter::keyed(quota(60, Duration::from_secs(1))),
            // A shopper retries a declined card a few times; a cart (so a session or an account)
            // places 6 at once, then one every 10 seconds.
            place_cart: RateLimiter::keyed(quota(6, Duration::from_secs(10))),
            // Trying discount codes: 60 at once from one address (a shared network at a sale's
            // start), then one every two seconds, so codes are not found by guessing.
            code_ip: RateLimiter::keyed(quota(60, Duration::from_secs(2))),
        }
    }
}

impl Limits {
    /// A login, code or password attempt from `ip` on `account` (an email or a user id).
    pub fn login(&self, ip: &str, account: &str) -> AppResult<()> {
        self.login_from(ip)?;
        self.login_to(account)
    }

    /// A login attempt from `ip`, whatever the account.
    pub fn login_from(&self, ip: &str) -> AppResult<()> {
        check(&self.login_ip, &client_key(ip))
    }

    /// A login attempt on `account`, from wherever.
    pub fn login_to(&self, account: &str) -> AppResult<()> {
        check(&self.login_account, &account.to_lowercase())
    }

    /// A password reset request from `ip` for `account`.
    pub fn reset(&self, ip: &str, account: &str) -> AppResult<()> {
        let (client, account) = (client_key(ip), account.to_lowercase());
        check(&self.reset_ip, &client)?;
        check(&self.reset_ip_account, &format!("{client} {account}"))?;
        check(&self.reset_account, &account)
    }

    /// A sign-up from `ip`.
    pub fn signup(&self, ip: &str) -> AppResult<()> {
        check(&self.signup_ip, &client_key(ip))
    }

    /// An order placed from `ip` with the cart `cart` (which names the session or account).
    pub fn place_order(&self, ip: &str, cart: &str) -> AppResult<()> {
        check(&self.place_ip, &client_key(ip))?;
        check(&self.place_cart, cart)
    }

    /// A discount code tried from `ip`.
    pub fn discount_code(&self, ip: &str) -> AppResult<()> {
        check(&self.code_ip, &client_key(ip))
    }

    /// Forgets idle keys; called now and then so the maps stay small.
    pub fn shrink(&self) {
        for limiter in [
            &self.login_ip,
            &self.login_account,
            &self.reset_ip,
            &self.reset_ip_account,
            &self.reset_account,
            &self.signup_ip,
            &self.place_ip,
            &self.place_cart,
            &self.code_ip,
        ] {
            limiter.retain_recent();
            limiter.shrink_to_fit();
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

fn check(limiter: &DefaultKeyedRateLimiter<String>, key: &str) -> AppResult<()> {
    limiter.check_key(&key.to_string()).map_err(|_| {
        tracing::info!("rate limit reached");
        AppError::RateLimited
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_account_is_limited_whatever_the_address() {
        let limits = Limits::default();
        for i in 0..8 {
            limits.login(&format!("10.0.0.{i}"), "a@example.com").unwrap();
        }
        assert_eq!(
            limits.login("10.0.1.1", "A@example.com"),
            Err(AppError::RateLimited)
        );
        // Another account is not affected.
        limits.login("10.0.1.1", "b@example.com").unwrap();
    }

    #[test]
    fn placing_is_limited_per_cart_and_per_address() {
        let limits = Limits::default();
        for _ in 0..6 {
            limits.place_order("10.0.0.1", "cart-a").unwrap();
        }
        assert_eq!(
            limits.place_order("10.0.0.2", "cart-a"),
            Err(AppError::RateLimited)
        );
        for i in 0..54 {
            limits.place_order("10.0.0.1", &format!("cart-{i}")).unwrap();
        }
        assert_eq!(
            limits.place_order("10.0.0.1", "cart-new"),
            Err(AppError::RateLimited)
        );
    }

    #[test]
    fn an_address_is_limited_whatever_the_account() {
        let limits = Limits::default();
        for i in 0..60 {
            limits.login("10.0.0.1", &format!("user{i}@example.com")).unwrap();
        }
        assert_eq!(
            limits.login("10.0.0.1", "new@example.com"),
            Err(AppError::RateLimited)
        );
    }

    #[test]
    fn an_ipv6_client_is_its_slash_64() {
        assert_eq!(client_key("2001:db8:1:2::1"), client_key("2001:db8:1:2:ffff::9"));
        assert_ne!(client_key("2001:db8:1:2::1"), client_key("2001:db8:1:3::1"));
        assert_eq!(client_key("::ffff:10.0.0.1"), "10.0.0.1");
        assert_eq!(client_key("10.0.0.1"), "10.0.0.1");
    }

    #[test]
    fn one_address_asking_for_one_account_leaves_others_alone() {
        let limits = Limits::default();
        for _ in 0..3 {
            limits.reset("10.0.0.1", "jane@example.com").unwrap();
        }
        assert_eq!(
            limits.reset("10.0.0.1", "jane@example.com"),
            Err(AppError::RateLimited)
        );
        limits.reset("10.0.0.1", "joe@example.com").unwrap();
        limits.reset("10.0.0.2", "jane@example.com").unwrap();
    }
}
