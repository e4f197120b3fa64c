//! Reading the settings where they are used, inside the caller's transaction or connection:
//! one small row, always as committed now, on every instance.

use crate::error::AppResult;
use sqlx::PgConnection;

/// The settings a sale, a placement or a payout needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Current {
    pub commission_bp: i32,
    pub reservation_minutes: i32,
    pub payout_delay_days: u32,
}

pub async fn current(conn: &mut PgConnection) -> AppResult<Current> {
    let row =
        sqlx::query!("select commission_bp, reservation_minutes, payout_delay_days from platform_settings")
            .fetch_one(conn)
            .await?;
    Ok(Current {
        commission_bp: row.commission_bp,
        reservation_minutes: row.reservation_minutes,
        payout_delay_days: row.payout_delay_days.max(0) as u32,
    })
}
