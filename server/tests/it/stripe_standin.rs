//! A local stand-in for Stripe's API: records every request (method, path, idempotency key,
//! authorization, form fields) and answers with objects complete enough for async-stripe.

use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::{Value, json};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// A request the stand-in received.
#[derive(Debug, Clone)]
pub struct Call {
    pub method: &'static str,
    pub path: String,
    pub idempotency_key: String,
    pub authorization: String,
    pub form: HashMap<String, String>,
}

#[derive(Clone, Default)]
pub struct StandIn {
    pub calls: Arc<Mutex<Vec<Call>>>,
    /// The status `GET /v1/payment_intents/:id` reports.
    pub status: Arc<Mutex<String>>,
}

pub fn intent(id: &str, amount: i64, status: &str) -> Value {
    json!({"id": id, "object": "payment_intent", "amount": amount, "amount_capturable": 0,
           "amount_received": 0, "capture_method": "automatic", "confirmation_method": "automatic",
           "created": 1_700_000_000, "currency": "usd", "livemode": false, "metadata": {},
           "payment_method_types": ["card"], "status": status, "client_secret": format!("{id}_secret_standin")})
}

impl StandIn {
    fn record(
        &self,
        method: &'static str,
        path: String,
        headers: &HeaderMap,
        body: &str,
    ) -> HashMap<String, String> {
        let form: HashMap<String, String> = serde_urlencoded::from_str(body).unwrap_or_default();
        let header = |name: &str| {
            headers
                .get(name)
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default()
                .to_string()
        };
        self.calls.lock().unwrap().push(Call {
            method,
            path,
            idempotency_key: header("idempotency-key"),
            authorization: header("authorization"),
            form: form.clone(),
        });
        form
    }

    pub fn calls(&self, path_prefix: &str) -> Vec<Call> {
        self.calls
            .lock()
            .unwrap()
            .iter()
            .filter(|c| c.path.starts_with(path_prefix))
            .cloned()
            .collect()
    }

    /// Serves the stand-in on a free local port; returns its base URL.
    pub async fn start(&self) -> String {
        async fn create(State(s): State<StandIn>, headers: HeaderMap, body: String) -> Json<Value> {
            let form = s.record("POST", "/v1/payment_intents".into(), &headers, &body);
            let id = format!("pi_{}", s.calls.lock().unwrap().len());
            Json(intent(
                &id,
                form["amount"].parse().unwrap(),
                "requires_payment_method",
            ))
        }
        async fn retrieve(
            State(s): State<StandIn>,
            Path(id): Path<String>,
            headers: HeaderMap,
        ) -> Json<Value> {
            s.record("GET", format!("/v1/payment_intents/{id}"), &headers, "");
            let status = s.status.lock().unwrap().clone();
            Json(intent(&id, 0, &status))
        }
        async fn cancel(State(s): State<StandIn>, Path(id): Path<String>, headers: HeaderMap) -> Json<Value> {
            s.record("POST", format!("/v1/payment_intents/{id}/cancel"), &headers, "");
            Json(intent(&id, 0, "canceled"))
        }
        async fn refund(State(s): State<StandIn>, headers: HeaderMap, body: String) -> Json<Value> {
            let form = s.record("POST", "/v1/refunds".into(), &headers, &body);
            Json(
                json!({"id": "re_1", "object": "refund", "amount": form["amount"].parse::<i64>().unwrap(),
                        "created": 1_700_000_000, "currency": "usd", "status": "succeeded",
                        "payment_intent": form["payment_intent"]}),
            )
        }
        async fn account(State(s): State<StandIn>, headers: HeaderMap, body: String) -> Json<Value> {
            let form = s.record("POST", "/v1/accounts".into(), &headers, &body);
            Json(
                json!({"id": "acct_standin", "object": "account", "type": form["type"], "email": form["email"],
                        "country": form["country"], "payouts_enabled": false}),
            )
        }
        async fn account_link(State(s): State<StandIn>, headers: HeaderMap, body: String) -> Json<Value> {
            let form = s.record("POST", "/v1/account_links".into(), &headers, &body);
            Json(
                json!({"object": "account_link", "created": 1_700_000_000, "expires_at": 1_700_000_300,
                        "url": format!("https://connect.stripe.com/setup/e/{}/standin", form["account"])}),
            )
        }
        async fn transfer(State(s): State<StandIn>, headers: HeaderMap, body: String) -> Json<Value> {
            let form = s.record("POST", "/v1/transfers".into(), &headers, &body);
            let id = format!("tr_{}", s.calls.lock().unwrap().len());
            Json(
                json!({"id": id, "object": "transfer", "amount": form["amount"].parse::<i64>().unwrap(),
                        "amount_reversed": 0, "created": 1_700_000_000, "currency": form["currency"],
                        "destination": form["destination"], "livemode": false, "metadata": {}, "reversed": false,
                        "reversals": {"object": "list", "data": [], "has_more": false, "url": format!("/v1/transfers/{id}/reversals")},
                        "transfer_group": form.get("transfer_group")}),
            )
        }
        async fn reversal(
            State(s): State<StandIn>,
            Path(id): Path<String>,
            headers: HeaderMap,
            body: String,
        ) -> Json<Value> {
            let form = s.record("POST", format!("/v1/transfers/{id}/reversals"), &headers, &body);
            let reversal = format!("trr_{}", s.calls.lock().unwrap().len());
            Json(
                json!({"id": reversal, "object": "transfer_reversal", "amount": form["amount"].parse::<i64>().unwrap(),
                        "created": 1_700_000_000, "currency": "usd", "metadata": {}, "transfer": id}),
            )
        }
        let router = Router::new()
            .route("/v1/accounts", post(account))
            .route("/v1/account_links", post(account_link))
            .route("/v1/transfers", post(transfer))
            .route("/v1/transfers/{id}/reversals", post(reversal))
            .route("/v1/payment_intents", post(create))
            .route("/v1/payment_intents/{id}", get(retrieve))
            .route("/v1/payment_intents/{id}/cancel", post(cancel))
            .route("/v1/refunds", post(refund))
            .with_state(self.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = listener.local_addr().unwrap();
        tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
        format!("http://{address}")
    }
}
