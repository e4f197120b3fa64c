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

    /// Forgets idle keys; called now and then so the maps stay small.
    pub fn shrink(&self) {
        for limiter in [
            &self.login_ip,
            &self.login_account,
            &self.reset_ip,
            &self.reset_account,
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
