//! A local stand-in for Stripe's API: records every request (method, path, idempotency key,
//! authorization, form fields) and answers with objects complete enough for async-stripe.

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
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

/// What the stand-in does wrong, for the next `times` requests whose path starts with `path`.
#[derive(Debug, Clone)]
pub struct Fault {
    pub path: String,
    pub times: usize,
    pub kind: FaultKind,
}

#[derive(Debug, Clone, Copy)]
pub enum FaultKind {
    /// Does the work and remembers the answer for its idempotency key, then answers only
    /// after this long (longer than the client waits: it sees a timeout).
    RecordThenHang(std::time::Duration),
    /// Answers this HTTP status with a Stripe error, doing nothing.
    Status(u16),
    /// Does the work and answers after this long (a slow Stripe, within the client's wait).
    Slow(std::time::Duration),
}

#[derive(Clone, Default)]
pub struct StandIn {
    pub calls: Arc<Mutex<Vec<Call>>>,
    /// The status `GET /v1/payment_intents/:id` reports.
    pub status: Arc<Mutex<String>>,
    /// Faults to inject, first match wins.
    pub faults: Arc<Mutex<Vec<Fault>>>,
    /// Answers given per idempotency key: a repeated key gets the same object, as with Stripe.
    answers: Arc<Mutex<HashMap<String, Value>>>,
    /// The amount of each PaymentIntent created, by id.
    amounts: Arc<Mutex<HashMap<String, i64>>>,
    /// Requests that did their work (not replays of an idempotency key, not faults), by path.
    performed: Arc<Mutex<Vec<String>>>,
}

/// A PaymentIntent of `amount` cents (USD) in `status`; a succeeded one received it all.
pub fn intent(id: &str, amount: i64, status: &str) -> Value {
    let received = if status == "succeeded" { amount } else { 0 };
    json!({"id": id, "object": "payment_intent", "amount": amount, "amount_capturable": 0,
           "amount_received": received, "capture_method": "automatic", "confirmation_method": "automatic",
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

    /// Makes the next `times` requests under `path` go wrong as `kind` says.
    pub fn fail(&self, path: &str, times: usize, kind: FaultKind) {
        self.faults.lock().unwrap().push(Fault {
            path: path.into(),
            times,
            kind,
        });
    }

    /// How many requests under `path_prefix` did their work (created or changed something).
    pub fn performed(&self, path_prefix: &str) -> usize {
        self.performed
            .lock()
            .unwrap()
            .iter()
            .filter(|p| p.starts_with(path_prefix))
            .count()
    }

    fn fault(&self, path: &str) -> Option<FaultKind> {
        let mut faults = self.faults.lock().unwrap();
        let fault = faults
            .iter_mut()
            .find(|f| f.times > 0 && path.starts_with(&f.path))?;
        fault.times -= 1;
        Some(fault.kind)
    }

    /// Answers a POST the way Stripe does: a repeated idempotency key gets the first answer
    /// without doing the work again; faults apply first.
    async fn answer(&self, path: &str, headers: &HeaderMap, work: impl FnOnce() -> Value) -> Response {
        let key = headers
            .get("idempotency-key")
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        let fault = self.fault(path);
        if let Some(FaultKind::Status(status)) = fault {
            let code = if status == 409 {
                "idempotency_key_in_use"
            } else {
                "account_invalid"
            };
            let body = json!({"error": {"type": if status >= 500 { "api_error" } else { "invalid_request_error" },
                                         "code": code, "message": "stand-in fault"}});
            return (StatusCode::from_u16(status).unwrap(), Json(body)).into_response();
        }
        let remembered = key
            .as_ref()
            .and_then(|k| self.answers.lock().unwrap().get(k).cloned());
        let value = match remembered {
            Some(value) => value,
            None => {
                let value = work();
                self.performed.lock().unwrap().push(path.to_string());
                if let Some(k) = key {
                    self.answers.lock().unwrap().insert(k, value.clone());
                }
                value
            }
        };
        match fault {
            Some(FaultKind::RecordThenHang(wait)) | Some(FaultKind::Slow(wait)) => {
                tokio::time::sleep(wait).await
            }
            _ => {}
        }
        Json(value).into_response()
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
        async fn create(State(s): State<StandIn>, headers: HeaderMap, body: String) -> Response {
            let form = s.record("POST", "/v1/payment_intents".into(), &headers, &body);
            let id = format!("pi_{}", s.calls.lock().unwrap().len());
            s.answer("/v1/payment_intents", &headers, || {
                let amount = form["amount"].parse().unwrap();
                s.amounts.lock().unwrap().insert(id.clone(), amount);
                intent(&id, amount, "requires_payment_method")
            })
            .await
        }
        async fn retrieve(
            State(s): State<StandIn>,
            Path(id): Path<String>,
            headers: HeaderMap,
        ) -> Json<Value> {
            s.record("GET", format!("/v1/payment_intents/{id}"), &headers, "");
            let status = s.status.lock().unwrap().clone();
            let amount = s.amounts.lock().unwrap().get(&id).copied().unwrap_or(0);
            Json(intent(&id, amount, &status))
        }
        async fn cancel(State(s): State<StandIn>, Path(id): Path<String>, headers: HeaderMap) -> Response {
            let path = format!("/v1/payment_intents/{id}/cancel");
            s.record("POST", path.clone(), &headers, "");
            s.answer(&path, &headers, || intent(&id, 0, "canceled")).await
        }
        async fn refund(State(s): State<StandIn>, headers: HeaderMap, body: String) -> Response {
            let form = s.record("POST", "/v1/refunds".into(), &headers, &body);
            let id = format!("re_{}", s.calls.lock().unwrap().len());
            s.answer("/v1/refunds", &headers, || {
                json!({"id": id, "object": "refund", "amount": form["amount"].parse::<i64>().unwrap(),
                        "created": 1_700_000_000, "currency": "usd", "status": "succeeded",
                        "payment_intent": form["payment_intent"]})
            })
            .await
        }
        async fn account(State(s): State<StandIn>, headers: HeaderMap, body: String) -> Response {
            let form = s.record("POST", "/v1/accounts".into(), &headers, &body);
            s.answer("/v1/accounts", &headers, || {
                json!({"id": "acct_standin", "object": "account", "type": form["type"], "email": form["email"],
                        "country": form["country"], "payouts_enabled": false})
            })
            .await
        }
        async fn account_link(State(s): State<StandIn>, headers: HeaderMap, body: String) -> Json<Value> {
            let form = s.record("POST", "/v1/account_links".into(), &headers, &body);
            Json(
                json!({"object": "account_link", "created": 1_700_000_000, "expires_at": 1_700_000_300,
                        "url": format!("https://connect.stripe.com/setup/e/{}/standin", form["account"])}),
            )
        }
        async fn transfer(State(s): State<StandIn>, headers: HeaderMap, body: String) -> Response {
            let form = s.record("POST", "/v1/transfers".into(), &headers, &body);
            let id = format!("tr_{}", s.calls.lock().unwrap().len());
            s.answer("/v1/transfers", &headers, || {
                json!({"id": id, "object": "transfer", "amount": form["amount"].parse::<i64>().unwrap(),
                        "amount_reversed": 0, "created": 1_700_000_000, "currency": form["currency"],
                        "destination": form["destination"], "livemode": false, "metadata": {}, "reversed": false,
                        "reversals": {"object": "list", "data": [], "has_more": false, "url": format!("/v1/transfers/{id}/reversals")},
                        "transfer_group": form.get("transfer_group")})
            })
            .await
        }
        async fn reversal(
            State(s): State<StandIn>,
            Path(id): Path<String>,
            headers: HeaderMap,
            body: String,
        ) -> Response {
            let path = format!("/v1/transfers/{id}/reversals");
            let form = s.record("POST", path.clone(), &headers, &body);
            let reversal = format!("trr_{}", s.calls.lock().unwrap().len());
            s.answer(&path, &headers, || {
                json!({"id": reversal, "object": "transfer_reversal", "amount": form["amount"].parse::<i64>().unwrap(),
                        "created": 1_700_000_000, "currency": "usd", "metadata": {}, "transfer": id})
            })
            .await
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
