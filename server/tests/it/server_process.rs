//! The real server binary as a process of a test: started, killed with SIGKILL and started
//! again on the same port and database.

use sqlx::PgPool;
use std::process::{Child, Command};
use std::time::{Duration, Instant};

/// The URL of `pool`'s database, for a process of its own.
pub fn database_url(pool: &PgPool) -> String {
    let options = pool.connect_options();
    super::backup::url(&options, options.get_database().unwrap())
}

/// A loopback port nothing listens on now.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// The server process, killed and started again on the same port and database.
pub struct Server {
    command: Command,
    child: Option<Child>,
    port: u16,
}

impl Server {
    /// Starts `server serve` in demo mode on `port` against `database`, with `env` besides.
    pub fn start(database: &str, port: u16, dir: &std::path::Path, env: &[(&str, &str)]) -> Self {
        let mut command = Command::new(env!("CARGO_BIN_EXE_server"));
        command
            .arg("serve")
            .env("DATABASE_URL", database)
            .env("APP_ENV", "demo")
            .env("RUN_JOBS", "true")
            .env("RUST_LOG", "error")
            .env("LEPTOS_SITE_ADDR", format!("127.0.0.1:{port}"))
            .env("LEPTOS_SITE_ROOT", dir.join("site"))
            .env("DATA_DIR", dir.join("data"))
            .env("PUBLIC_URL", format!("http://127.0.0.1:{port}"))
            .env("TRUSTED_PROXIES", "127.0.0.1")
            .envs(env.iter().copied())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null());
        let mut server = Self {
            command,
            child: None,
            port,
        };
        server.restart();
        server
    }

    pub fn restart(&mut self) {
        self.child = Some(self.command.spawn().expect("the server starts"));
    }

    /// SIGKILL: no request finishes, no transaction commits, nothing is flushed.
    pub fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            child.kill().unwrap();
            child.wait().unwrap();
        }
    }

    pub async fn wait_ready(&self, client: &reqwest::Client) {
        let started = Instant::now();
        loop {
            let ready = client
                .get(format!("http://127.0.0.1:{}/readyz", self.port))
                .send()
                .await;
            if ready.is_ok_and(|r| r.status() == 200) {
                return;
            }
            assert!(
                started.elapsed() < Duration::from_secs(60),
                "the server never got ready"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
}

impl Drop for Server {
    /// A failing test leaves no server behind holding its database.
    fn drop(&mut self) {
        self.kill();
    }
}
