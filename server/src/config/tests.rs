//! Reading the configuration: the server key made once and kept private.

use super::*;
use clap::Parser;

#[derive(Parser)]
struct Args {
    #[command(flatten)]
    config: Config,
}

fn parsed(args: &[&str]) -> Config {
    let mut all = vec!["server"];
    all.extend_from_slice(args);
    Args::try_parse_from(all).unwrap().config
}

#[test]
fn the_server_key_is_made_once_in_the_data_directory_unless_it_is_required() {
    let dir = std::env::temp_dir().join(format!("marketplace-key-{}", uuid::Uuid::new_v4()));
    let config = parsed(&["--data-dir", dir.to_str().unwrap()]);
    assert!(config.secret_key(false).is_err(), "required: not made up");
    let made = config.secret_key(true).unwrap();
    let again = config.secret_key(true).unwrap();
    let owner = uuid::Uuid::new_v4();
    let sealed = made.seal(owner, "JBSWY3DPEHPK3PXP").unwrap();
    assert_eq!(again.open(owner, &sealed).unwrap(), "JBSWY3DPEHPK3PXP");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(dir.join("secret-key"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    let given = SecretKey::generate().to_text();
    let set = parsed(&["--secret-key", &given]);
    assert!(set.secret_key(false).is_ok());
    assert!(parsed(&["--secret-key", "nope"]).secret_key(true).is_err());
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn the_configuration_reference_is_the_config_types() {
    let made = super::reference::markdown();
    let committed = include_str!("../../../docs/CONFIG.md");
    assert!(made.contains("| `DATABASE_URL` | unset |"), "{made}");
    assert!(
        made.contains("| `MEILISEARCH_URL` |"),
        "the search settings are in it"
    );
    assert!(made.contains("(secret: never logged)"));
    assert_eq!(
        made, committed,
        "docs/CONFIG.md is out of date: run `server config-reference > docs/CONFIG.md`"
    );
}
