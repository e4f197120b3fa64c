//! Two-factor secrets sealed at rest: XChaCha20-Poly1305 under the server's key, stored as
//! `v1:<base64 of nonce and ciphertext>` and bound to the account they belong to, so a
//! database leak alone reveals no secret and a sealed secret can't be moved to another row.

use crate::error::{AppError, AppResult};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use sqlx::PgPool;
use uuid::Uuid;

const PREFIX: &str = "v1:";
const NONCE_BYTES: usize = 24;

/// The server's 256-bit key. Never printed, never serialized.
#[derive(Clone)]
pub struct SecretKey([u8; 32]);

impl std::fmt::Debug for SecretKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SecretKey(<hidden>)")
    }
}

/// Why a stored value could not be opened.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OpenError {
    #[error("the value is not sealed in a known format")]
    Format,
    #[error("the value does not open with this key (is SECRET_KEY the key it was sealed with?)")]
    WrongKey,
}

impl SecretKey {
    pub fn from_bytes(bytes: [u8; 32]) -> Self {
        Self(bytes)
    }

    /// A digest of `parts` under this key for `purpose`: the same parts give the same digest
    /// on every instance sharing the key, and nobody without it can find the parts again.
    pub fn digest(&self, purpose: &str, parts: &[&str]) -> [u8; 32] {
        use sha2::{Digest, Sha256};
        let mut hash = Sha256::new();
        hash.update(self.0);
        hash.update(purpose.as_bytes());
        for part in parts {
            hash.update((part.len() as u64).to_le_bytes());
            hash.update(part.as_bytes());
        }
        hash.finalize().into()
    }

    /// A fresh random key.
    pub fn generate() -> Self {
        let mut bytes = [0u8; 32];
        getrandom::fill(&mut bytes).expect("the operating system's random source failed");
        Self(bytes)
    }

    /// The key as text (base64), for the key file.
    pub fn to_text(&self) -> String {
        base64::engine::general_purpose::STANDARD.encode(self.0)
    }

    /// A key given as base64 (standard or URL-safe) or hex of 32 bytes.
    pub fn parse(text: &str) -> Option<Self> {
        let text = text.trim();
        let decoded = if text.len() == 64 && text.bytes().all(|b| b.is_ascii_hexdigit()) {
            (0..32)
                .map(|i| u8::from_str_radix(&text[2 * i..2 * i + 2], 16).ok())
                .collect::<Option<Vec<u8>>>()
        } else {
            let trimmed = text.trim_end_matches('=');
            URL_SAFE_NO_PAD
                .decode(trimmed)
                .or_else(|_| base64::engine::general_purpose::STANDARD_NO_PAD.decode(trimmed))
                .ok()
        };
        decoded.and_then(|bytes| bytes.try_into().ok()).map(Self)
    }

    fn cipher(&self) -> XChaCha20Poly1305 {
        XChaCha20Poly1305::new(chacha20poly1305::Key::from_slice(&self.0))
    }

    /// Seals `plain`, the secret of account `owner`.
    pub fn seal(&self, owner: Uuid, plain: &str) -> AppResult<String> {
        let mut nonce = [0u8; NONCE_BYTES];
        getrandom::fill(&mut nonce)
            .map_err(|e| AppError::internal("the operating system's random source failed", e))?;
        let payload = Payload {
            msg: plain.as_bytes(),
            aad: owner.as_bytes(),
        };
        let sealed = self
            .cipher()
            .encrypt(XNonce::from_slice(&nonce), payload)
            .map_err(|e| AppError::internal("sealing a two-factor secret", e))?;
        let mut bytes = nonce.to_vec();
        bytes.extend_from_slice(&sealed);
        Ok(format!("{PREFIX}{}", URL_SAFE_NO_PAD.encode(bytes)))
    }

    /// Opens what `seal` made for the same `owner`.
    pub fn open(&self, owner: Uuid, stored: &str) -> Result<String, OpenError> {
        let bytes = stored
            .strip_prefix(PREFIX)
            .and_then(|b| URL_SAFE_NO_PAD.decode(b).ok())
            .filter(|b| b.len() > NONCE_BYTES)
            .ok_or(OpenError::Format)?;
        let (nonce, sealed) = bytes.split_at(NONCE_BYTES);
        let payload = Payload {
            msg: sealed,
            aad: owner.as_bytes(),
        };
        let plain = self
            .cipher()
            .decrypt(XNonce::from_slice(nonce), payload)
            .map_err(|_| OpenError::WrongKey)?;
        String::from_utf8(plain).map_err(|_| OpenError::Format)
    }

    /// `open` on the request path: a failure is logged and answered as an internal error.
    pub fn open_for_request(&self, owner: Uuid, stored: &str) -> AppResult<String> {
        self.open(owner, stored).map_err(|error| {
            tracing::error!(%error, user.id = %owner, "a stored two-factor secret could not be opened");
            AppError::Internal
        })
    }
}

/// Whether `stored` is a sealed value (and not a secret kept in the clear).
pub fn is_sealed(stored: &str) -> bool {
    stored.starts_with(PREFIX)
}

/// At start: seals two-factor secrets still kept in the clear (idempotent), after checking
/// that `key` opens the secrets already sealed. Returns how many were sealed.
pub async fn seal_stored_secrets(pool: &PgPool, key: &SecretKey) -> anyhow::Result<u64> {
    let sample = sqlx::query!(
        "select id, totp_secret as \"secret!\" from users where totp_secret like 'v1:%' limit 1"
    )
    .fetch_optional(pool)
    .await?;
    if let Some(row) = sample {
        key.open(row.id, &row.secret).map_err(|error| {
            anyhow::anyhow!(
                "the stored two-factor secrets can't be opened: {error}. Set SECRET_KEY to the key \
                 the server used before (or restore DATA_DIR/secret-key)"
            )
        })?;
    }
    let mut tx = pool.begin().await?;
    let clear = sqlx::query!(
        "select id, totp_secret as \"secret!\" from users
         where totp_secret is not null and totp_secret not like 'v1:%' for update"
    )
    .fetch_all(&mut *tx)
    .await?;
    for row in &clear {
        let sealed = key
            .seal(row.id, &row.secret)
            .map_err(|_| anyhow::anyhow!("sealing a two-factor secret failed"))?;
        sqlx::query!("update users set totp_secret = $2 where id = $1", row.id, sealed)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    Ok(clear.len() as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sealed_secrets_open_only_with_their_key_and_owner() {
        let key = SecretKey::generate();
        let (jane, joe) = (Uuid::new_v4(), Uuid::new_v4());
        let sealed = key.seal(jane, "JBSWY3DPEHPK3PXP").unwrap();
        assert!(is_sealed(&sealed) && !sealed.contains("JBSWY3DPEHPK3PXP"));
        assert_ne!(
            sealed,
            key.seal(jane, "JBSWY3DPEHPK3PXP").unwrap(),
            "a fresh nonce each time"
        );
        assert_eq!(key.open(jane, &sealed).unwrap(), "JBSWY3DPEHPK3PXP");
        assert_eq!(key.open(joe, &sealed), Err(OpenError::WrongKey));
        assert_eq!(
            SecretKey::generate().open(jane, &sealed),
            Err(OpenError::WrongKey)
        );
        assert_eq!(key.open(jane, "JBSWY3DPEHPK3PXP"), Err(OpenError::Format));
        assert_eq!(key.open(jane, "v1:!!"), Err(OpenError::Format));
    }

    #[test]
    fn keys_parse_from_base64_or_hex_and_never_print() {
        let key = SecretKey::generate();
        let again = SecretKey::parse(&key.to_text()).unwrap();
        assert_eq!(again.0, key.0);
        assert!(SecretKey::parse(&"ab".repeat(32)).is_some());
        assert!(SecretKey::parse("too short").is_none());
        assert_eq!(format!("{key:?}"), "SecretKey(<hidden>)");
    }
}
