//! Shoppers at once against a running server, each with its own connection and cookies, with
//! think time between steps (5 to 15 s): 70 % browse (home, a category, a product), 15 %
//! search, 10 % cart (half of them signed in), 5 % check out and pay (guests, the test
//! payment provider). Each shopper comes from its own address (`X-Forwarded-For`; the server
//! trusts 127.0.0.1), as real shoppers would, so per-address limits count them apart.
//!
//! `LOAD_CATALOG` names a JSON file with what to ask for: {"products": [slugs], "categories":
//! [slugs], "skus": [in-stock skus], "queries": [search text], "accounts": [emails]}; the
//! accounts' password is `LOAD_PASSWORD`. scripts/bench-load.sh writes it and runs this.

use goose::prelude::*;
use rand::seq::IndexedRandom;
use serde::Deserialize;
use serde_json::{Value, json};
use std::sync::OnceLock;
use std::time::Duration;

#[derive(Deserialize)]
struct Catalog {
    products: Vec<String>,
    categories: Vec<String>,
    skus: Vec<String>,
    queries: Vec<String>,
    accounts: Vec<String>,
}

static CATALOG: OnceLock<Catalog> = OnceLock::new();

fn catalog() -> &'static Catalog {
    CATALOG.get().expect("the catalog is read at start")
}

fn pick(list: &[String]) -> &str {
    list.choose(&mut rand::rng()).map(String::as_str).unwrap_or_default()
}

/// Every shopper's own client: cookies kept, its own address, gzip as browsers ask.
async fn arrive(user: &mut GooseUser) -> TransactionResult {
    let n = user.weighted_users_index;
    let mut headers = reqwest::header::HeaderMap::new();
    let address = format!("10.{}.{}.{}", (n >> 16) & 255, (n >> 8) & 255, n & 255);
    headers.insert("x-forwarded-for", address.parse().expect("an address"));
    headers.insert("origin", user.base_url.origin().ascii_serialization().parse().expect("an origin"));
    let builder = reqwest::Client::builder()
        .cookie_store(true)
        .default_headers(headers)
        .timeout(Duration::from_secs(60));
    user.set_client_builder(builder).await?;
    Ok(())
}

/// Half of the cart shoppers sign in first (each with an account of its own).
async fn arrive_signed_in(user: &mut GooseUser) -> TransactionResult {
    arrive(user).await?;
    if user.weighted_users_index % 2 == 0 {
        let accounts = &catalog().accounts;
        let email = &accounts[user.weighted_users_index / 2 % accounts.len()];
        let password = std::env::var("LOAD_PASSWORD").unwrap_or_default();
        post(user, "/api/account/login", &json!({"email": email, "password": password, "next": ""})).await?;
    }
    Ok(())
}

async fn post(user: &mut GooseUser, path: &str, body: &Value) -> Result<Value, Box<TransactionError>> {
    let mut answer = user.post_json(path, body).await?;
    match answer.response {
        Ok(response) if response.status().is_success() => Ok(response.json().await.unwrap_or(Value::Null)),
        Ok(response) => {
            let status = response.status();
            let text = response.text().await.unwrap_or_default();
            user.set_failure(&format!("{path}: {status} {text}"), &mut answer.request, None, None)?;
            Ok(Value::Null)
        }
        Err(_) => Ok(Value::Null),
    }
}

async fn home(user: &mut GooseUser) -> TransactionResult {
    user.get("/").await?;
    Ok(())
}

async fn category(user: &mut GooseUser) -> TransactionResult {
    let path = format!("/c/{}", pick(&catalog().categories));
    user.get_named(&path, "/c/{category}").await?;
    Ok(())
}

async fn product(user: &mut GooseUser) -> TransactionResult {
    let path = format!("/p/{}", pick(&catalog().products));
    user.get_named(&path, "/p/{product}").await?;
    Ok(())
}

async fn search(user: &mut GooseUser) -> TransactionResult {
    let query = pick(&catalog().queries).replace(' ', "+");
    user.get_named(&format!("/search?q={query}"), "/search?q={text}").await?;
    Ok(())
}

async fn add_to_cart(user: &mut GooseUser) -> TransactionResult {
    let sku = pick(&catalog().skus).to_string();
    post(user, "/api/cart/add", &json!({"sku": sku, "quantity": 1})).await?;
    Ok(())
}

async fn view_cart(user: &mut GooseUser) -> TransactionResult {
    user.get("/cart").await?;
    Ok(())
}

async fn details(user: &mut GooseUser) -> TransactionResult {
    let email = format!("load{}@example.com", user.weighted_users_index);
    let address = json!({"full_name": "Load Shopper", "line1": "1 Main St", "city": "Austin",
                         "region": "TX", "postal_code": "73301", "country": "US"});
    post(user, "/api/checkout/details", &json!({"details": {"email": email, "address": address}})).await?;
    Ok(())
}

async fn place_and_pay(user: &mut GooseUser) -> TransactionResult {
    let key = uuid::Uuid::new_v4().to_string();
    let placed = post(user, "/api/checkout/place", &json!({"key": key})).await?;
    if let Some(number) = placed["number"].as_i64() {
        post(user, "/api/checkout/pay_test", &json!({"number": number.to_string(), "succeed": true})).await?;
    }
    Ok(())
}

#[tokio::main]
async fn main() -> Result<(), GooseError> {
    let path = std::env::var("LOAD_CATALOG").expect("LOAD_CATALOG names the catalog file");
    let text = std::fs::read_to_string(&path).expect("the catalog file is readable");
    let _ = CATALOG.set(serde_json::from_str(&text).expect("the catalog file is JSON"));
    let think = (Duration::from_secs(5), Duration::from_secs(15));
    GooseAttack::initialize()?
        .register_scenario(
            scenario!("browse")
                .set_weight(70)?
                .set_wait_time(think.0, think.1)?
                .register_transaction(transaction!(arrive).set_on_start())
                .register_transaction(transaction!(home).set_name("home"))
                .register_transaction(transaction!(category).set_name("category"))
                .register_transaction(transaction!(product).set_name("product")),
        )
        .register_scenario(
            scenario!("search")
                .set_weight(15)?
                .set_wait_time(think.0, think.1)?
                .register_transaction(transaction!(arrive).set_on_start())
                .register_transaction(transaction!(search).set_name("search")),
        )
        .register_scenario(
            scenario!("cart")
                .set_weight(10)?
                .set_wait_time(think.0, think.1)?
                .register_transaction(transaction!(arrive_signed_in).set_on_start().set_name("sign in"))
                .register_transaction(transaction!(add_to_cart).set_name("add to cart"))
                .register_transaction(transaction!(view_cart).set_name("cart")),
        )
        .register_scenario(
            scenario!("checkout")
                .set_weight(5)?
                .set_wait_time(think.0, think.1)?
                .register_transaction(transaction!(arrive).set_on_start())
                .register_transaction(transaction!(add_to_cart).set_name("add to cart"))
                .register_transaction(transaction!(details).set_name("checkout details"))
                .register_transaction(transaction!(place_and_pay).set_name("place and pay")),
        )
        .execute()
        .await?;
    Ok(())
}
