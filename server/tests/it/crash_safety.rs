//! `kill -9` while 32 buyers place orders and pay for them with Stripe (the local stand-in for
//! its API; webhooks signed by Stripe's own library and redelivered until acknowledged, as
//! Stripe does). The real server binary is killed at random moments and started again; buyers
//! retry what got no answer, with the same idempotency keys. At the end: every acknowledged
//! payment has exactly one paid order and every paid order an acknowledged payment; the ledger
//! has one sale and one commission per paid shop order and nothing else; stock held equals what
//! pending orders hold; no webhook was applied twice; and once the expiry job ran, nothing is
//! pending nor held.

use super::server_process::{Server, database_url, free_port};
use super::stripe::{SECRET_KEY, WEBHOOK_SECRET, event, sign, stripe_app};
use super::stripe_standin::{StandIn, intent};
use rand::{Rng, SeedableRng};
use serde_json::{Value, json};
use sqlx::PgPool;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};
use tokio::sync::Mutex;

const BUYERS: usize = 32;
const ORDERS_EACH: usize = 3;
/// Units on sale, fewer than the buyers ask for: some orders are refused, none oversold.
const UNITS: i32 = 20;
const SKUS: usize = 4;
/// How long the buyers may take, restarts included.
const DEADLINE: Duration = Duration::from_secs(240);

/// One shopper's browser: its session cookie and the address it comes from.
struct Buyer {
    client: reqwest::Client,
    base: String,
    address: String,
    cookie: Option<String>,
}

impl Buyer {
    /// Posts until the server answers (it may be down): the status and body.
    async fn call(&mut self, endpoint: &str, body: &Value) -> (u16, String) {
        let started = Instant::now();
        loop {
            assert!(started.elapsed() < DEADLINE, "{endpoint} never answered");
            let mut request = self
                .client
                .post(format!("{}/api/{endpoint}", self.base))
                .header("origin", &self.base)
                .header("x-forwarded-for", &self.address)
                .json(body);
            if let Some(cookie) = &self.cookie {
                request = request.header("cookie", cookie);
            }
            let Ok(answer) = request.send().await else {
                tokio::time::sleep(Duration::from_millis(100)).await;
                continue;
            };
            if let Some(set) = answer.headers().get("set-cookie").and_then(|v| v.to_str().ok()) {
                self.cookie = set.split(';').next().map(str::to_string);
            }
            let status = answer.status().as_u16();
            let Ok(text) = answer.text().await else { continue };
            // Down, starting or limited: try again, as a shopper would.
            if matches!(status, 429 | 502 | 503) {
                tokio::time::sleep(Duration::from_millis(500)).await;
                continue;
            }
            return (status, text);
        }
    }

    /// Delivers a signed webhook until it is acknowledged, as Stripe retries.
    async fn webhook(&self, payload: &str, signature: &str) -> String {
        let started = Instant::now();
        loop {
            assert!(started.elapsed() < DEADLINE, "a webhook was never acknowledged");
            let sent = self
                .client
                .post(format!("{}/webhooks/stripe", self.base))
                .header("stripe-signature", signature)
                .header("content-type", "application/json")
                .body(payload.to_string())
                .send()
                .await;
            if let Ok(answer) = sent
                && answer.status() == 200
                && let Ok(text) = answer.text().await
            {
                return text;
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    }
}

/// An acknowledged payment: the order's number and the event, kept for redelivery.
struct Paid {
    number: i64,
    payload: String,
    signature: String,
}

async fn shop(buyer_no: usize, mut buyer: Buyer, skus: Arc<Vec<String>>, pool: PgPool) -> Vec<Paid> {
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(buyer_no as u64);
    let mut paid = Vec::new();
    let address = json!({"full_name": "Crash Buyer", "line1": "1 Main St", "city": "Austin",
                         "region": "TX", "postal_code": "73301", "country": "US"});
    for round in 0..ORDERS_EACH {
        let sku = &skus[rng.random_range(0..skus.len())];
        buyer.call("cart/add", &json!({"sku": sku, "quantity": 1})).await;
        let email = format!("buyer{buyer_no}@example.com");
        buyer
            .call(
                "checkout/details",
                &json!({"details": {"email": email, "address": address}}),
            )
            .await;
        let key = uuid::Uuid::new_v4().to_string();
        let (status, body) = buyer.call("checkout/place", &json!({"key": key})).await;
        if status != 200 {
            // Sold out (or the cart emptied by a retried step): nothing was placed.
            assert!(matches!(status, 400 | 409), "{status}: {body}");
            buyer
                .call("cart/update", &json!({"sku": sku, "quantity": 0}))
                .await;
            continue;
        }
        let number = serde_json::from_str::<Value>(&body).unwrap()["number"]
            .as_i64()
            .unwrap();
        // One order in four is abandoned: it stays pending until it expires.
        if round == 1 && buyer_no.is_multiple_of(4) {
            continue;
        }
        let (reference, total): (String, i64) = sqlx::query_as(
            "select p.provider_ref, o.total from payments p join orders o on o.id = p.order_id where o.number = $1",
        )
        .bind(number)
        .fetch_one(&pool)
        .await
        .unwrap();
        let payload = event(
            &format!("evt_{number}"),
            "payment_intent.succeeded",
            intent(&reference, total, "succeeded"),
        );
        let signature = sign(&payload, WEBHOOK_SECRET, None);
        buyer.webhook(&payload, &signature).await;
        paid.push(Paid {
            number,
            payload,
            signature,
        });
    }
    paid
}

#[sqlx::test(migrations = "../migrations")]
async fn kill_9_loses_no_paid_order_and_leaks_no_stock(pool: PgPool) {
    server::db::migrate(&pool).await.unwrap();
    let stand_in = StandIn::default();
    // Asked directly (reconciliation, expiry), Stripe knows no payment: only the webhooks
    // the buyers delivered pay orders.
    *stand_in.status.lock().unwrap() = "requires_payment_method".into();
    let stand_in_url = stand_in.start().await;
    let app = stripe_app(pool.clone(), &stand_in_url).await;
    let skus: Vec<String> = sqlx::query_scalar(
        "select v.sku from variants v join products p on p.id = v.product_id join vendors s on s.id = p.vendor_id
         where p.status = 'active' and s.status = 'approved' order by v.sku limit $1",
    )
    .bind(SKUS as i64)
    .fetch_all(&pool)
    .await
    .unwrap();
    sqlx::query("update variants set stock_on_hand = $1, stock_reserved = 0 where sku = any($2)")
        .bind(UNITS)
        .bind(&skus)
        .execute(&pool)
        .await
        .unwrap();

    let (database, port) = (database_url(&pool), free_port());
    let dir = super::support::tempdir::Dir::new();
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(20))
        .build()
        .unwrap();
    let stripe = [
        ("STRIPE_SECRET_KEY", SECRET_KEY),
        ("STRIPE_PUBLISHABLE_KEY", "pk_test_standin"),
        ("STRIPE_WEBHOOK_SECRET", WEBHOOK_SECRET),
        ("STRIPE_API_BASE", stand_in_url.as_str()),
    ];
    let server = Arc::new(Mutex::new(Server::start(&database, port, &dir.0, &stripe)));
    server.lock().await.wait_ready(&client).await;

    // The buyers, and meanwhile kill -9 at random moments.
    let skus = Arc::new(skus);
    let buyers: Vec<_> = (0..BUYERS)
        .map(|n| {
            let buyer = Buyer {
                client: client.clone(),
                base: format!("http://127.0.0.1:{port}"),
                address: format!("10.0.{n}.1"),
                cookie: None,
            };
            tokio::spawn(shop(n, buyer, skus.clone(), pool.clone()))
        })
        .collect();
    let done = Arc::new(AtomicBool::new(false));
    let kills = Arc::new(AtomicUsize::new(0));
    let killer = {
        let (server, done, kills, client) = (server.clone(), done.clone(), kills.clone(), client.clone());
        tokio::spawn(async move {
            let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(9);
            while !done.load(Ordering::SeqCst) && kills.load(Ordering::SeqCst) < 12 {
                tokio::time::sleep(Duration::from_millis(rng.random_range(300..1500))).await;
                let mut server = server.lock().await;
                server.kill();
                kills.fetch_add(1, Ordering::SeqCst);
                server.restart();
                server.wait_ready(&client).await;
            }
        })
    };
    let mut paid = Vec::new();
    for buyer in buyers {
        paid.extend(buyer.await.unwrap());
    }
    done.store(true, Ordering::SeqCst);
    killer.await.unwrap();
    let kills = kills.load(Ordering::SeqCst);
    assert!(kills >= 3, "the server was killed only {kills} times");

    // Stripe delivers at least once: every event again, applied by nobody.
    let witness = Buyer {
        client: client.clone(),
        base: format!("http://127.0.0.1:{port}"),
        address: "10.1.0.1".into(),
        cookie: None,
    };
    for payment in &paid {
        assert_eq!(
            witness.webhook(&payment.payload, &payment.signature).await,
            "already applied"
        );
    }

    // Every acknowledged payment is exactly one paid order, and every paid order was paid.
    let mut numbers: Vec<i64> = paid.iter().map(|p| p.number).collect();
    numbers.sort_unstable();
    let paid_orders: Vec<i64> =
        sqlx::query_scalar("select number from orders where status = 'paid' order by number")
            .fetch_all(&pool)
            .await
            .unwrap();
    assert_eq!(paid_orders, numbers, "paid orders are the acknowledged payments");
    let twice: i64 = sqlx::query_scalar(
        "select count(*) from (select order_id from order_events where to_status = 'paid'
                               group by order_id having count(*) > 1) t",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(twice, 0, "no payment was applied twice");
    assert_ledger_matches_orders(&pool).await;
    assert_stock_held_by_pending_orders(&pool, &skus).await;

    // Once the expiry job ran, nothing is pending nor held.
    sqlx::query(
        "update orders set expires_at = now() - interval '1 second' where status = 'pending_payment'",
    )
    .execute(&pool)
    .await
    .unwrap();
    app::orders::payment::expire_backlog(&app.state.app, 1_000, Duration::from_secs(60))
        .await
        .unwrap();
    let pending: i64 = sqlx::query_scalar("select count(*) from orders where status = 'pending_payment'")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(pending, 0);
    assert_stock_held_by_pending_orders(&pool, &skus).await;
    let sold: i64 = sqlx::query_scalar(
        "select coalesce(sum(i.quantity), 0)::bigint from order_items i join orders o on o.id = i.order_id
         where o.status = 'paid'",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    let left: i64 = sqlx::query_scalar("select sum(stock_on_hand)::bigint from variants where sku = any($1)")
        .bind(&*skus)
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(
        left + sold,
        i64::from(UNITS) * SKUS as i64,
        "every unit is sold or on sale"
    );
    eprintln!(
        "{kills} kills; {} orders paid, {sold} units sold, {left} left",
        paid.len()
    );
    server.lock().await.kill();
}

/// One sale and one commission entry per paid shop order, the sale its total; no other entry.
async fn assert_ledger_matches_orders(pool: &PgPool) {
    let wrong: i64 = sqlx::query_scalar(
        "select count(*) from vendor_orders vo join orders o on o.id = vo.order_id
         where o.status = 'paid' and (
             (select count(*) from ledger_entries e where e.vendor_order_id = vo.id and e.kind = 'sale') != 1
          or (select count(*) from ledger_entries e where e.vendor_order_id = vo.id and e.kind = 'commission') != 1
          or (select sum(amount) from ledger_entries e where e.vendor_order_id = vo.id and e.kind = 'sale') != vo.total)",
    )
    .fetch_one(pool)
    .await
    .unwrap();
    assert_eq!(
        wrong, 0,
        "a paid shop order without exactly one sale and commission"
    );
    let stray: i64 = sqlx::query_scalar(
        "select count(*) from ledger_entries e join vendor_orders vo on vo.id = e.vendor_order_id
         join orders o on o.id = vo.order_id where o.status != 'paid'",
    )
    .fetch_one(pool)
    .await
    .unwrap();
    assert_eq!(stray, 0, "ledger entries for unpaid orders");
}

/// What each variant holds is what the pending orders reserved of it.
async fn assert_stock_held_by_pending_orders(pool: &PgPool, skus: &[String]) {
    let off: Vec<(String, i32, i64)> = sqlx::query_as(
        "select v.sku, v.stock_reserved,
                coalesce((select sum(i.quantity) from order_items i join orders o on o.id = i.order_id
                          where i.variant_id = v.id and o.status = 'pending_payment'), 0)::bigint
         from variants v where v.sku = any($1)",
    )
    .bind(skus)
    .fetch_all(pool)
    .await
    .unwrap();
    for (sku, reserved, pending) in off {
        assert_eq!(
            i64::from(reserved),
            pending,
            "{sku}: reserved against pending orders"
        );
    }
}
