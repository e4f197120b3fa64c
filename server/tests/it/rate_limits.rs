//! The rate limits' budgets, counted in PostgreSQL: per account whatever the address, per
//! address whatever the account, per cart, and one budget for every server instance.

use app::accounts::limits::Limits;
use app::error::AppError;
use sqlx::PgPool;

#[sqlx::test(migrations = "../migrations")]
async fn an_account_is_limited_whatever_the_address(pool: PgPool) {
    let limits = Limits::new(pool);
    for i in 0..8 {
        limits
            .login(&format!("10.0.0.{i}"), "a@example.com")
            .await
            .unwrap();
    }
    assert_eq!(
        limits.login("10.0.1.1", "A@example.com").await,
        Err(AppError::RateLimited)
    );
    // Another account is not affected.
    limits.login("10.0.1.1", "b@example.com").await.unwrap();
}

#[sqlx::test(migrations = "../migrations")]
async fn placing_is_limited_per_cart_and_per_address(pool: PgPool) {
    let limits = Limits::new(pool);
    for _ in 0..6 {
        limits.place_order("10.0.0.1", "cart-a").await.unwrap();
    }
    assert_eq!(
        limits.place_order("10.0.0.2", "cart-a").await,
        Err(AppError::RateLimited)
    );
    for i in 0..54 {
        limits
            .place_order("10.0.0.1", &format!("cart-{i}"))
            .await
            .unwrap();
    }
    assert_eq!(
        limits.place_order("10.0.0.1", "cart-new").await,
        Err(AppError::RateLimited)
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn an_address_is_limited_whatever_the_account(pool: PgPool) {
    let limits = Limits::new(pool);
    for i in 0..60 {
        limits
            .login("10.0.0.1", &format!("user{i}@example.com"))
            .await
            .unwrap();
    }
    assert_eq!(
        limits.login("10.0.0.1", "new@example.com").await,
        Err(AppError::RateLimited)
    );
    limits.login("10.0.0.2", "new@example.com").await.unwrap();
}

#[sqlx::test(migrations = "../migrations")]
async fn every_instance_draws_on_one_budget(pool: PgPool) {
    // Two server processes behind a load balancer, each with its own limits.
    let (first, second) = (Limits::new(pool.clone()), Limits::new(pool.clone()));
    for _ in 0..4 {
        first.login_to("Someone@example.com").await.unwrap();
        second.login_to("someone@example.com").await.unwrap();
    }
    for limits in [&first, &second] {
        assert_eq!(
            limits.login_to("someone@example.com").await,
            Err(AppError::RateLimited),
            "8 guesses on an account in all, however the requests were spread"
        );
    }
    // Nothing was counted for the refused tries, and keys with a whole budget are forgotten.
    let kept: i64 = sqlx::query_scalar("select count(*) from rate_limits")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(kept, 1);
    assert_eq!(
        first.shrink().await.unwrap(),
        0,
        "the key's budget is not whole yet"
    );
    sqlx::query("update rate_limits set tat = now() - interval '1 second'")
        .execute(&pool)
        .await
        .unwrap();
    assert_eq!(second.shrink().await.unwrap(), 1);
    first.login_to("someone@example.com").await.unwrap();
}
