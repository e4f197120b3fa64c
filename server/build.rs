// `sqlx::migrate!` embeds the migrations when this crate compiles, but cargo does not know the
// macro read them: without this a new or edited migration would not rebuild the server.
fn main() {
    println!("cargo:rerun-if-changed=../migrations");
}
