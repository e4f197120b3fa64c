//! Domain functions called directly with the viewer they act for, without a request: the
//! viewer is an argument, and its guards are methods on it.

use super::people::user;
use super::support::TestApp;
use app::accounts::addresses;
use app::accounts::model::{AddressInput, CurrentUser};
use app::accounts::viewer::{ClientInfo, Viewer};
use app::error::AppError;
use app::vendors::shop::Need;
use sqlx::PgPool;
use std::sync::Arc;

fn signed_in(id: uuid::Uuid, email: &str, is_admin: bool) -> Viewer {
    let user = CurrentUser {
        id: id.into(),
        session_id: uuid::Uuid::nil().into(),
        email: email.into(),
        name: String::new(),
        email_verified: true,
        is_admin,
        two_factor: false,
        session_two_factor: false,
        recently_confirmed: false,
        memberships: Vec::new(),
    };
    Viewer::new(Some(Arc::new(user)), None, ClientInfo::default())
}

#[sqlx::test(migrations = "../migrations")]
async fn the_address_book_is_the_given_viewers(pool: PgPool) {
    let app = TestApp::new(pool.clone()).await;
    let state = &app.state.app;
    let ann = signed_in(
        user(&pool, "ann@example.com", false).await,
        "ann@example.com",
        false,
    );
    let bob = signed_in(
        user(&pool, "bob@example.com", false).await,
        "bob@example.com",
        false,
    );
    let home = AddressInput {
        full_name: "Ann Example".into(),
        line1: "1 Main Street".into(),
        city: "Springfield".into(),
        region: "IL".into(),
        postal_code: "12345".into(),
        country: "us".into(),
        ..Default::default()
    };
    addresses::save(state, &ann, None, &home).await.unwrap();
    let saved = addresses::list(state, &ann).await.unwrap();
    assert_eq!(saved.len(), 1);
    assert_eq!(
        (saved[0].full_name.as_str(), saved[0].country.as_str()),
        ("Ann Example", "US")
    );
    assert!(addresses::list(state, &bob).await.unwrap().is_empty());
    assert_eq!(
        addresses::delete(state, &bob, &saved[0].id).await,
        Err(AppError::NotFound),
        "someone else's address does not exist for bob"
    );
    assert_eq!(
        addresses::list(state, &Viewer::default()).await,
        Err(AppError::Unauthorized)
    );
}

#[test]
fn the_guards_read_the_viewer() {
    let guest = Viewer::default();
    assert_eq!(guest.signed_in().err(), Some(AppError::Unauthorized));
    assert_eq!(guest.actor(), "guest");
    let shopper = signed_in(uuid::Uuid::now_v7(), "s@example.com", false);
    assert_eq!(shopper.admin().err(), Some(AppError::Forbidden));
    assert_eq!(
        shopper.shop_member("some-shop", Need::Read).err(),
        Some(AppError::Forbidden)
    );
    assert_eq!(shopper.confirmed().err(), Some(AppError::ConfirmIdentity));
    let admin = signed_in(uuid::Uuid::now_v7(), "a@example.com", true);
    assert_eq!(
        admin.admin().err(),
        Some(AppError::TwoFactorRequired),
        "an admin without two-factor authentication opens nothing"
    );
    assert!(admin.actor().starts_with("user:"));
}
