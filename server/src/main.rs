//! The marketplace server process. See `server --help` for subcommands and configuration.

#[tokio::main]
async fn main() -> std::process::ExitCode {
    server::cli::run().await
}
