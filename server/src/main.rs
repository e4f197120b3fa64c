//! The marketplace server process. See `server --help` for subcommands and configuration.

// Rendering pages allocates many small strings; mimalloc serves them far faster than glibc's
// allocator under concurrent load (measured in docs/PERFORMANCE.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> std::process::ExitCode {
    server::cli::run().await
}
