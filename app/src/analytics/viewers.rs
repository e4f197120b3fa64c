//! Shoppers who looked at a product, per UTC day: the denominator of the overview's
//! conversion (orders ÷ visitors who viewed a product). Counted without a cookie and without
//! keeping who they were: a visitor is a digest of the day, their address and their browser
//! under the server's key, so the same person on another day, or anyone without the key,
//! cannot be linked to it. Product pages only note the digest in memory (no write on the
//! shopper's path); each instance flushes what it noted every few seconds in one statement,
//! and the daily rollup counts the distinct visitors of each day.

use crate::accounts::sealed::SecretKey;
use crate::accounts::viewer::ClientInfo;
use crate::error::AppResult;
use chrono::NaiveDate;
use sqlx::PgPool;
use std::collections::HashSet;
use std::sync::{Arc, Mutex};

/// Most visitors one instance keeps between flushes; past it, more are not noted (a flood
/// cannot grow memory, and a real visitor is noted again on their next product view).
const MAX_PENDING: usize = 200_000;

/// How long the visitors of a day are kept once rolled up.
pub const KEPT_DAYS: i32 = 100;

/// The visitors noted since the last flush.
#[derive(Clone, Default)]
pub struct Viewers(Arc<Mutex<HashSet<(NaiveDate, i64)>>>);

/// Browsers that announce themselves as robots are not shoppers.
fn is_robot(agent: &str) -> bool {
    let agent = agent.to_ascii_lowercase();
    agent.is_empty()
        || ["bot", "spider", "crawl", "slurp", "preview"]
            .iter()
            .any(|w| agent.contains(w))
}

impl Viewers {
    /// Notes that `client` viewed a product today.
    pub fn saw(&self, key: &SecretKey, client: &ClientInfo) {
        if is_robot(&client.user_agent) {
            return;
        }
        let day = chrono::Utc::now().date_naive();
        let digest = key.digest(
            "product-viewer",
            &[&day.to_string(), &client.ip, &client.user_agent],
        );
        let visitor = i64::from_le_bytes(digest[..8].try_into().unwrap_or_default());
        if let Ok(mut pending) = self.0.lock()
            && pending.len() < MAX_PENDING
        {
            pending.insert((day, visitor));
        }
    }

    /// Writes the visitors noted so far; returns how many were new.
    pub async fn flush(&self, pool: &PgPool) -> AppResult<u64> {
        let noted: Vec<(NaiveDate, i64)> = match self.0.lock() {
            Ok(mut pending) => pending.drain().collect(),
            Err(_) => return Ok(0),
        };
        if noted.is_empty() {
            return Ok(0);
        }
        let days: Vec<String> = noted.iter().map(|(day, _)| day.to_string()).collect();
        let visitors: Vec<i64> = noted.iter().map(|(_, visitor)| *visitor).collect();
        let written = sqlx::query!(
            "insert into product_viewers (day, visitor)
             select d::date, v from unnest($1::text[], $2::bigint[]) as x (d, v)
             on conflict do nothing",
            &days,
            &visitors
        )
        .execute(pool)
        .await?;
        Ok(written.rows_affected())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn client(ip: &str, agent: &str) -> ClientInfo {
        ClientInfo {
            ip: ip.into(),
            user_agent: agent.into(),
            time_zone: None,
        }
    }

    #[test]
    fn a_visitor_is_noted_once_a_day_and_robots_not_at_all() {
        let (viewers, key) = (Viewers::default(), SecretKey::generate());
        let firefox = "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0";
        viewers.saw(&key, &client("203.0.113.9", firefox));
        viewers.saw(&key, &client("203.0.113.9", firefox));
        viewers.saw(&key, &client("203.0.113.10", firefox));
        viewers.saw(
            &key,
            &client("66.249.66.1", "Mozilla/5.0 (compatible; Googlebot/2.1)"),
        );
        viewers.saw(&key, &client("203.0.113.11", ""));
        assert_eq!(viewers.0.lock().unwrap().len(), 2);
        // Another key (another server's) gives the same visitor another digest.
        let other = Viewers::default();
        other.saw(&SecretKey::generate(), &client("203.0.113.9", firefox));
        let theirs = other.0.lock().unwrap().iter().next().copied().unwrap();
        assert!(!viewers.0.lock().unwrap().contains(&theirs));
    }
}
