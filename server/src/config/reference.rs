//! The configuration reference (`docs/CONFIG.md`), made from the `Config` type itself so it
//! cannot fall behind it: every variable, its default and what it means.

use super::Config;
use clap::Args;

/// Variables whose default is worked out from the machine (its cores) when the server starts.
const MACHINE_DEFAULTS: [&str; 3] = ["DATABASE_MAX_CONNECTIONS", "IMAGE_DECODES", "SEARCH_CONCURRENCY"];

/// The reference as Markdown.
pub fn markdown() -> String {
    let command = Config::augment_args(clap::Command::new("server"));
    let mut out = String::from(
        "# Configuration reference\n\n\
         Every variable the server reads, from the environment or a `.env` file in its working\n\
         directory (each is also a `--flag` of the same name in lower case). Made from the\n\
         configuration type by `server config-reference > docs/CONFIG.md`; a test fails when the\n\
         two differ.\n\n\
         | Variable | Default | Meaning |\n|---|---|---|\n",
    );
    let backup = crate::backup::BackupArgs::augment_args(clap::Command::new("backup"));
    for arg in command.get_arguments().chain(backup.get_arguments()) {
        let Some(env) = arg.get_env().map(|e| e.to_string_lossy().into_owned()) else {
            continue;
        };
        let default = if MACHINE_DEFAULTS.contains(&env.as_str()) {
            "from the machine's cores".to_string()
        } else {
            let values: Vec<String> = arg
                .get_default_values()
                .iter()
                .map(|v| format!("`{}`", v.to_string_lossy()))
                .collect();
            if values.is_empty() {
                "unset".to_string()
            } else {
                values.join(", ")
            }
        };
        let meaning = arg
            .get_long_help()
            .or(arg.get_help())
            .map(|h| h.to_string())
            .unwrap_or_default()
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .replace('|', "\\|");
        let secret = if arg.is_hide_env_values_set() {
            " (secret: never logged)"
        } else {
            ""
        };
        out.push_str(&format!("| `{env}` | {default} | {meaning}{secret} |\n"));
    }
    out.push_str(
        "\nRead by the libraries the server is built on:\n\n\
         | Variable | Default | Meaning |\n|---|---|---|\n\
         | `LEPTOS_SITE_ADDR` | `127.0.0.1:3000` | The address and port to listen on |\n\
         | `LEPTOS_SITE_ROOT` | `target/site` | Where a debug build finds the site's files (a release \
         build carries them inside it) |\n\
         | `RUST_LOG` | `info,sqlx=warn,tower_http=info,meilisearch_sdk=error` | The log filter \
         (`tracing_subscriber`'s syntax) |\n",
    );
    out
}
