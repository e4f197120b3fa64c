//! The server's JSON logs, from the real binary: one line per request with its request id,
//! path, status and time, and never a password or a mailed token (bodies and query strings are
//! not logged).

use super::server_process::{database_url, free_port};
use super::support::{TestApp, tempdir};
use sqlx::PgPool;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::Command;
use std::time::{Duration, Instant};

const PASSWORD: &str = "Correct-Horse-Battery-93417";
const TOKEN: &str = "mailed-token-4f1d2c9a7b";

/// One HTTP/1.1 request over a fresh connection; the status, or 0 when nothing answered.
fn send(port: u16, request: &str) -> u16 {
    let Ok(mut stream) = TcpStream::connect(("127.0.0.1", port)) else {
        return 0;
    };
    stream.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    stream.write_all(request.as_bytes()).unwrap();
    let mut answer = String::new();
    let _ = stream.read_to_string(&mut answer);
    answer
        .split_whitespace()
        .nth(1)
        .and_then(|status| status.parse().ok())
        .unwrap_or(0)
}

fn get(port: u16, path: &str) -> u16 {
    send(
        port,
        &format!("GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"),
    )
}

#[sqlx::test(migrations = "../migrations")]
async fn each_request_is_one_json_line_without_secrets(pool: PgPool) {
    let _app = TestApp::with_catalog(pool.clone(), 10).await;
    let (database, port) = (database_url(&pool), free_port());
    let work = tempdir::Dir::new();
    let log = work.0.join("out.log");
    let mut server = Command::new(env!("CARGO_BIN_EXE_server"))
        .arg("serve")
        .env("DATABASE_URL", &database)
        .env("APP_ENV", "demo")
        .env("LOG_FORMAT", "json")
        .env("RUN_JOBS", "false")
        .env_remove("RUST_LOG")
        .env("LEPTOS_SITE_ADDR", format!("127.0.0.1:{port}"))
        .env("LEPTOS_SITE_ROOT", work.0.join("site"))
        .env("DATA_DIR", work.0.join("data"))
        .stdout(std::fs::File::create(&log).unwrap())
        .stderr(std::fs::File::create(work.0.join("err.log")).unwrap())
        .spawn()
        .unwrap();
    let started = Instant::now();
    while get(port, "/readyz") != 200 {
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "the server never got ready"
        );
        std::thread::sleep(Duration::from_millis(200));
    }
    let body = format!(r#"{{"email":"someone@example.com","password":"{PASSWORD}","next":""}}"#);
    let login = format!(
        "POST /api/account/login HTTP/1.1\r\nHost: 127.0.0.1\r\nOrigin: http://127.0.0.1:3000\r\n\
         Content-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    let sent = [
        (get(port, "/"), "/"),
        (send(port, &login), "/api/account/login"),
        (
            get(port, &format!("/account/reset?token={TOKEN}")),
            "/account/reset",
        ),
        (get(port, "/no-such-page"), "/no-such-page"),
    ];
    assert!(sent.iter().all(|(status, _)| *status > 0), "{sent:?}");
    std::thread::sleep(Duration::from_millis(300));
    server.kill().unwrap();
    server.wait().unwrap();

    let text = std::fs::read_to_string(&log).unwrap();
    assert!(
        !text.contains(PASSWORD) && !text.contains(TOKEN),
        "a secret was logged:\n{text}"
    );
    let lines: Vec<serde_json::Value> = text
        .lines()
        .map(|line| serde_json::from_str(line).unwrap_or_else(|_| panic!("not JSON: {line}")))
        .collect();
    for (status, path) in sent {
        let finished: Vec<&serde_json::Value> = lines
            .iter()
            .filter(|l| l["message"] == "finished processing request" && l["span"]["path"] == path)
            .collect();
        assert_eq!(finished.len(), 1, "one line for {path}:\n{text}");
        let line = finished[0];
        assert_eq!(line["status"], status, "{line}");
        assert!(
            line["latency"].as_str().unwrap_or_default().ends_with("μs"),
            "{line}"
        );
        let id = line["span"]["request_id"].as_str().unwrap_or_default();
        assert!(uuid::Uuid::parse_str(id).is_ok(), "{line}");
        assert_eq!(
            line["span"]["method"],
            if path.starts_with("/api") { "POST" } else { "GET" }
        );
    }
}
