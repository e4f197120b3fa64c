//! Rate limits on guessing: login, second-factor codes and password resets, per client IP and
//! per account, with governor's keyed GCRA limiters. In memory, so per server instance: with N
//! instances an attacker gets N times the budget, still far too little to guess a password.

use crate::error::{AppError, AppResult};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use std::num::NonZeroU32;
use std::time::Duration;

pub struct Limits {
    login_ip: DefaultKeyedRateLimiter<String>,
    login_account: DefaultKeyedRateLimiter<String>,
    reset_ip: DefaultKeyedRateLimiter<String>,
    reset_account: DefaultKeyedRateLimiter<String>,
    place_ip: DefaultKeyedRateLimiter<String>,
    place_cart: DefaultKeyedRateLimiter<String>,
}

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
            // 3 reset mails at once per account, then one every 10 minutes.
            reset_account: RateLimiter::keyed(quota(3, Duration::from_secs(600))),
            // Placing an order reserves stock: 60 at once from one address, then one a second.
            place_ip: RateLimiter::keyed(quota(60, Duration::from_secs(1))),
            // A shopper retries a declined card a few times; a cart (so a session or an account)
            // places 6 at once, then one every 10 seconds.
            place_cart: RateLimiter::keyed(quota(6, Duration::from_secs(10))),
        }
    }
}

impl Limits {
    /// A login or code attempt from `ip` on `account` (an email or a user id).
    pub fn login(&self, ip: &str, account: &str) -> AppResult<()> {
        check(&self.login_ip, ip)?;
        check(&self.login_account, &account.to_lowercase())
    }

    /// A password reset request from `ip` for `account`.
    pub fn reset(&self, ip: &str, account: &str) -> AppResult<()> {
        check(&self.reset_ip, ip)?;
        check(&self.reset_account, &account.to_lowercase())
    }

    /// An order placed from `ip` with the cart `cart` (which names the session or account).
    pub fn place_order(&self, ip: &str, cart: &str) -> AppResult<()> {
        check(&self.place_ip, ip)?;
        check(&self.place_cart, cart)
    }

    /// Forgets idle keys; called now and then so the maps stay small.
    pub fn shrink(&self) {
        for limiter in [
            &self.login_ip,
            &self.login_account,
            &self.reset_ip,
            &self.reset_account,
            &self.place_ip,
            &self.place_cart,
        ] {
            limiter.retain_recent();
            limiter.shrink_to_fit();
        }
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
}
