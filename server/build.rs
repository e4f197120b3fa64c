// `sqlx::migrate!` embeds the migrations when this crate compiles, but cargo does not know the
// macro read them: without this a new or edited migration would not rebuild the server.
// With `embed-site` the site's files (`target/site`, written by cargo-leptos) are embedded too,
// and a new build of them (new hashed names) must rebuild the server in the same way.
fn main() {
    println!("cargo:rerun-if-changed=../migrations");
    if std::env::var_os("CARGO_FEATURE_EMBED_SITE").is_some() {
        // cargo-leptos's site root; made empty when missing, so the server compiles before it.
        let site = std::path::Path::new(&std::env::var("CARGO_MANIFEST_DIR").unwrap_or_default())
            .join("../target/site");
        let _ = std::fs::create_dir_all(&site);
        println!("cargo:rerun-if-changed=../target/site");
    }
}
