//! The viewer's time zone, so dates read in their own time: the browser names its zone in the
//! `tz` cookie (`public/sw-register.js`), and the name is used only when PostgreSQL knows it;
//! otherwise (no JavaScript yet, or a name it doesn't know) dates are in UTC and say so.

use super::viewer::Viewer;
use sqlx::PgPool;
use std::collections::HashSet;
use tokio::sync::OnceCell;

/// The zone names PostgreSQL knows, read once.
static KNOWN: OnceCell<HashSet<String>> = OnceCell::const_new();

/// The longest zone name we accept from a browser (the longest IANA name is 32 characters).
const MAX_LEN: usize = 64;

/// Whether `name` could be a zone name: letters, digits and `_ / + -`, nothing else.
pub fn well_formed(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= MAX_LEN
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"_/+-".contains(&b))
}

/// The viewer's zone as PostgreSQL names it, or "UTC".
pub async fn of(pool: &PgPool, viewer: &Viewer) -> String {
    let Some(wanted) = viewer.client().time_zone.as_deref() else {
        return "UTC".into();
    };
    let known = KNOWN
        .get_or_try_init(|| async {
            sqlx::query_scalar!(r#"select name as "name!" from pg_timezone_names"#)
                .fetch_all(pool)
                .await
                .map(|names| names.into_iter().collect::<HashSet<_>>())
        })
        .await;
    match known {
        Ok(known) if known.contains(wanted) => wanted.to_string(),
        Ok(_) => "UTC".into(),
        Err(error) => {
            tracing::warn!(%error, "reading the time zone names failed");
            "UTC".into()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::well_formed;

    #[test]
    fn only_zone_shaped_names_are_taken() {
        for good in [
            "Europe/Berlin",
            "America/Argentina/Buenos_Aires",
            "Etc/GMT+5",
            "UTC",
        ] {
            assert!(well_formed(good), "{good}");
        }
        for bad in [
            "",
            "Europe/Berlin'; drop table users",
            "Europe Berlin",
            "<b>",
            &"A".repeat(65),
        ] {
            assert!(!well_formed(bad), "{bad}");
        }
    }
}
