//! Hostile input at every door: every registered server function gets oversized strings, huge
//! and negative numbers, wrong types, deep nesting and unknown fields, as a signed-in user
//! with every role (so the input reaches the code behind the guards) and anonymously. None may
//! answer 5xx or an oversized response, and the memory the app keeps stays bounded. Also: NUL
//! bytes and broken UTF-8 in addresses, queries, forms and JSON are a 400 at the edge.

use super::endpoints::{GET_CALLS, assert_every_function_listed, every_call};
use super::people::{browser, enable_two_factor, member, user};
use super::support::{Browser, SITE, TestApp};
use http::{Request, StatusCode, header};
use serde_json::{Value, json};
use sqlx::PgPool;

/// Largest response a hostile call may get (a full listing page is about 40 KB).
const RESPONSE_MAX: usize = 256 * 1024;
/// How much more heap the app may hold after the whole run than before it.
const HELD_GROWTH_MAX: i64 = 64 << 20;

/// A changed copy of a call's arguments, and whether it must be refused (4xx).
struct Mutation {
    what: String,
    args: Value,
    refused: bool,
}

fn nested(depth: usize) -> Value {
    (0..depth).fold(json!(1), |inner, _| json!([inner]))
}

/// Replaces the value at `path` (object keys and array indexes) in `args`.
fn with(args: &Value, path: &[String], value: Value) -> Value {
    let mut copy = args.clone();
    let mut at = &mut copy;
    for step in path {
        at = match at {
            Value::Object(fields) => fields.get_mut(step).expect("a field"),
            Value::Array(items) => &mut items[step.parse::<usize>().expect("an index")],
            _ => unreachable!("paths lead through containers"),
        };
    }
    *at = value;
    copy
}

fn leaves(value: &Value, path: Vec<String>, out: &mut Vec<(Vec<String>, Value)>) {
    match value {
        Value::Object(fields) => {
            for (key, inner) in fields {
                leaves(inner, [path.clone(), vec![key.clone()]].concat(), out);
            }
        }
        Value::Array(items) => {
            for (i, inner) in items.iter().enumerate() {
                leaves(inner, [path.clone(), vec![i.to_string()]].concat(), out);
            }
        }
        leaf => out.push((path, leaf.clone())),
    }
}

fn mutations(args: &Value) -> Vec<Mutation> {
    let takes_arguments = args.as_object().is_some_and(|a| !a.is_empty());
    let mut all = vec![
        Mutation {
            what: "an array body".into(),
            args: json!([1, 2]),
            refused: takes_arguments,
        },
        Mutation {
            what: "a number body".into(),
            args: json!(4_000_000_000u64),
            refused: takes_arguments,
        },
        Mutation {
            what: "deep nesting".into(),
            args: nested(400),
            refused: true,
        },
    ];
    if args.is_object() {
        let mut extended = args.clone();
        extended["unexpected"] = json!({"x": [1, 2, 3]});
        all.push(Mutation {
            what: "an unknown field".into(),
            args: extended,
            refused: false,
        });
    }
    if takes_arguments {
        all.push(Mutation {
            what: "no arguments".into(),
            args: json!({}),
            refused: false,
        });
    }
    let mut found = Vec::new();
    leaves(args, Vec::new(), &mut found);
    for (path, leaf) in found {
        let at = path.join(".");
        let replacements: Vec<(&str, Value, bool)> = match leaf {
            Value::String(_) => vec![
                ("a 50 KB string", json!("é".repeat(25_000)), false),
                ("a 200 KB string", json!("x".repeat(200_000)), true),
            ],
            Value::Number(_) => vec![
                ("a huge number", json!(18_446_744_073_709_551_615u64), false),
                ("a negative number", json!(-4_000_000_000i64), false),
                ("a float out of range", json!(1e300), false),
            ],
            _ => vec![("a string", json!("yes"), false)],
        };
        for (what, value, refused) in replacements {
            all.push(Mutation {
                what: format!("{what} at {at}"),
                args: with(args, &path, value),
                refused,
            });
        }
        all.push(Mutation {
            what: format!("an object at {at}"),
            args: with(args, &path, json!({"nested": {"deeper": true}})),
            refused: true,
        });
        all.push(Mutation {
            what: format!("deep nesting at {at}"),
            args: with(args, &path, nested(400)),
            refused: true,
        });
    }
    all
}

#[sqlx::test(migrations = "../migrations")]
async fn every_server_function_answers_hostile_json_with_4xx_never_5xx(pool: PgPool) {
    let _heavy = super::support::HEAVY.lock().await;
    assert_every_function_listed();
    let app = TestApp::with_catalog(pool.clone(), 20).await;
    let shop: String =
        sqlx::query_scalar("select slug from vendors where status = 'approved' order by slug limit 1")
            .fetch_one(&pool)
            .await
            .unwrap();
    // One person with every role: the input then reaches the code behind every guard.
    let everyone = user(&pool, "everyone@example.com", true).await;
    member(&pool, everyone, &shop, "owner").await;
    enable_two_factor(&app, everyone).await;
    let mut signed_in = browser(&app, "everyone@example.com").await;
    let mut anonymous = Browser::new(&app);

    let before = super::heap::held_by_this_thread();
    let mut failures = Vec::new();
    for (name, args) in every_call(&shop) {
        for mutation in mutations(&args) {
            // Signing out would end the signed-in person's run; anonymous callers cover it.
            let callers = if name == "account/logout" {
                vec![("anonymous", &mut anonymous)]
            } else {
                vec![("signed in", &mut signed_in), ("anonymous", &mut anonymous)]
            };
            for (who, caller) in callers {
                let answer = caller.call(name, mutation.args.clone()).await;
                let status = answer.status;
                let problem = if status.is_server_error() {
                    Some("a 5xx")
                } else if answer.body.len() > RESPONSE_MAX {
                    Some("an oversized response")
                } else if mutation.refused && !status.is_client_error() {
                    Some("not refused")
                } else if status.is_client_error() && answer.body.trim().is_empty() {
                    Some("a refusal without a message")
                } else {
                    None
                };
                if let Some(problem) = problem {
                    failures.push(format!(
                        "{name} as {who} with {}: {problem} ({status}, {} bytes: {:.200})",
                        mutation.what,
                        answer.body.len(),
                        answer.body
                    ));
                }
            }
        }
        let me = signed_in.call("account/me", json!({})).await;
        assert_eq!(me.status, StatusCode::OK, "still signed in after {name}");
    }
    for call in GET_CALLS {
        let long = format!("/api/{call}{}", "x".repeat(50_000));
        let answer = anonymous.get(&long).await;
        if answer.status.is_server_error() || answer.body.len() > RESPONSE_MAX {
            failures.push(format!("GET {call} with a 50 KB query: {}", answer.status));
        }
    }
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
    // What this test's thread holds, not the process's RSS: the tests beside it in the
    // process (and how many of them run at once) would be counted too.
    let grown = super::heap::held_by_this_thread() - before;
    assert!(
        grown < HELD_GROWTH_MAX,
        "the app holds {grown} bytes more than before"
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn nul_bytes_and_broken_utf8_are_refused_at_the_edge(pool: PgPool) {
    let app = TestApp::with_catalog(pool.clone(), 10).await;
    for uri in [
        "/p/%00",
        "/c/%00",
        "/v/a%00",
        "/search?q=%00",
        "/search?q=%FF%FE",
        "/p/%C3%28",
        "/api/suggest?q=ab%00",
        "/orders/%00",
    ] {
        let answer = app.get(uri).await;
        assert_eq!(answer.status, StatusCode::BAD_REQUEST, "{uri}: {}", answer.body);
        assert!(answer.body.contains("not allowed"), "{uri}: {}", answer.body);
    }
    let mut visitor = Browser::new(&app);
    let form = visitor
        .post_form(
            "/account/login",
            &[("email", "a\0b@example.com"), ("password", "x")],
        )
        .await;
    assert_eq!(form.status, StatusCode::BAD_REQUEST, "{}", form.body);
    let raw_form = visitor
        .send(
            Request::post("/account/forgot")
                .header(header::ORIGIN, SITE)
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body(axum::body::Body::from(&b"email=%E9t%E9%40example.com"[..]))
                .unwrap(),
        )
        .await;
    assert_eq!(raw_form.status, StatusCode::BAD_REQUEST, "{}", raw_form.body);
    for (name, args) in [
        ("cart/add", json!({"sku": "SKU\u{0}1", "quantity": 1})),
        (
            "account/login",
            json!({"email": "x@example.com", "password": "p\u{0}", "next": "/"}),
        ),
        ("search", json!({"query": {"q": "shirt\u{0}"}})),
    ] {
        let answer = visitor.call(name, args).await;
        assert_eq!(answer.status, StatusCode::BAD_REQUEST, "{name}: {}", answer.body);
        let error: app::error::AppError = serde_json::from_str(&answer.body).expect("the app's error");
        assert!(error.to_string().contains("not allowed"), "{name}: {error}");
    }
    let broken_json = visitor
        .send(
            Request::post("/api/cart/add")
                .header(header::ORIGIN, SITE)
                .header(header::CONTENT_TYPE, "application/json")
                .body(axum::body::Body::from(
                    &b"{\"sku\": \"\xff\", \"quantity\": 1}"[..],
                ))
                .unwrap(),
        )
        .await;
    assert_eq!(broken_json.status, StatusCode::BAD_REQUEST);
    let lines: i64 = sqlx::query_scalar("select count(*) from cart_items")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(lines, 0, "nothing was added");
}
