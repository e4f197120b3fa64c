//! Random tokens and their digests, password hashing and strength. Tokens (email links,
//! recovery codes) are stored as SHA-256 digests: a database leak reveals none of them, and a
//! lookup by digest leaks nothing about the token through timing.

use crate::error::{AppError, AppResult};
use base64::Engine;
use sha2::{Digest, Sha256};

/// A fresh 256-bit token for links, URL-safe.
pub fn new_token() -> String {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).expect("the operating system's random source failed");
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// The digest a token is stored and looked up by.
pub fn digest(token: &str) -> Vec<u8> {
    Sha256::digest(token.trim().as_bytes()).to_vec()
}

/// Ten one-time recovery codes like `k7q2-9xmf-3ta8`, easy to type from paper.
pub fn new_recovery_codes() -> Vec<String> {
    // No 0/o, 1/l/i: codes are read off paper.
    const ALPHABET: &[u8] = b"23456789abcdefghjkmnpqrstuvwxyz";
    (0..10)
        .map(|_| {
            let mut bytes = [0u8; 12];
            getrandom::fill(&mut bytes).expect("the operating system's random source failed");
            let chars: String = bytes
                .iter()
                .map(|b| ALPHABET[*b as usize % ALPHABET.len()] as char)
                .collect();
            format!("{}-{}-{}", &chars[0..4], &chars[4..8], &chars[8..12])
        })
        .collect()
}

/// How a recovery code is stored: lower case, without spaces or dashes.
pub fn recovery_digest(code: &str) -> Vec<u8> {
    let normal: String = code
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_lowercase())
        .collect();
    digest(&normal)
}

/// Passwords longer than this are refused before hashing (hashing cost is per byte).
pub const MAX_PASSWORD_BYTES: usize = 256;
pub const MIN_PASSWORD_CHARS: usize = 10;

/// Checks a new password with zxcvbn (score 3 of 4 or better), knowing the user's own words.
pub fn check_strength(field: &str, password: &str, user_inputs: &[&str]) -> AppResult<()> {
    if password.chars().count() < MIN_PASSWORD_CHARS {
        return Err(AppError::invalid(
            field,
            format!("Use at least {MIN_PASSWORD_CHARS} characters."),
        ));
    }
    if password.len() > MAX_PASSWORD_BYTES {
        return Err(AppError::invalid(field, "Use at most 256 characters."));
    }
    let estimate = zxcvbn::zxcvbn(password, user_inputs);
    if u8::from(estimate.score()) < 3 {
        let advice = estimate
            .feedback()
            .and_then(|f| f.warning().map(|w| w.to_string()))
            .filter(|w| !w.is_empty())
            .unwrap_or_else(|| "It would be easy to guess.".into());
        return Err(AppError::invalid(
            field,
            format!("Choose a stronger password. {advice} Longer phrases of unrelated words work well."),
        ));
    }
    Ok(())
}

/// Hashes with argon2id (the crate's defaults: 19 MiB, 2 passes), off the async threads.
pub async fn hash_password(password: String) -> AppResult<String> {
    one_per_core(move || {
        use argon2::password_hash::{PasswordHasher, SaltString, rand_core::OsRng};
        let salt = SaltString::generate(&mut OsRng);
        argon2::Argon2::default()
            .hash_password(password.as_bytes(), &salt)
            .map(|hash| hash.to_string())
    })
    .await
    .map_err(|e| AppError::internal("hashing a password", e))?
    .map_err(|error| AppError::internal("hashing a password failed", error))
}

/// Verifies against a stored hash, off the async threads. Without a hash (no such user) it
/// still does the work, so the answer takes as long either way.
pub async fn verify_password(password: String, hash: Option<String>) -> bool {
    if password.len() > MAX_PASSWORD_BYTES {
        return false;
    }
    one_per_core(move || {
        use argon2::password_hash::{PasswordHash, PasswordVerifier};
        let hash = hash.unwrap_or_else(|| DUMMY_HASH.to_string());
        let Ok(parsed) = PasswordHash::new(&hash) else {
            return false;
        };
        argon2::Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok()
            && hash != DUMMY_HASH
    })
    .await
    .unwrap_or(false)
}

/// Hashes computed at once: one per core. Each holds 19 MiB while it runs, and on Tokio's
/// blocking pool (up to 512 threads) a burst of sign-ins, or of an attacker's guesses from many
/// addresses, would otherwise hash side by side: memory grows by 19 MiB a request in flight
/// and none of them ends sooner, since the cores are the limit. Past this many, hashes wait
/// their turn. Process-wide like the cores it shares out, so a static.
static HASHING: std::sync::LazyLock<std::sync::Arc<tokio::sync::Semaphore>> =
    std::sync::LazyLock::new(|| {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        std::sync::Arc::new(tokio::sync::Semaphore::new(cores))
    });

/// Runs `work` on the blocking pool once a core is free for it. The turn is held by the work
/// itself, so a caller that gives up (a closed connection) frees it only when the work ends.
async fn one_per_core<T: Send + 'static>(
    work: impl FnOnce() -> T + Send + 'static,
) -> Result<T, tokio::task::JoinError> {
    let turn = HASHING
        .clone()
        .acquire_owned()
        .await
        .expect("the hashing semaphore is never closed");
    tokio::task::spawn_blocking(move || {
        let _turn = turn;
        #[cfg(test)]
        let _running = tests::Running::start();
        work()
    })
    .await
}

/// An argon2id hash of a random password, verified against when there is no user.
const DUMMY_HASH: &str =
    "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$8xJ8n7Z3w3yq3yJ0c1o9QmHhRk3dZrJwG2m8bH3Z1hQ";

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    #[test]
    fn tokens_are_long_random_and_digests_stable() {
        let a = new_token();
        assert_ne!(a, new_token());
        assert_eq!(a.len(), 43);
        assert_eq!(digest(&a), digest(&format!(" {a} ")));
    }

    #[test]
    fn recovery_codes_forgive_case_and_dashes() {
        let codes = new_recovery_codes();
        assert_eq!(codes.len(), 10);
        let code = &codes[0];
        assert_eq!(
            recovery_digest(code),
            recovery_digest(&code.to_uppercase().replace('-', " "))
        );
    }

    #[test]
    fn weak_passwords_are_refused_with_advice() {
        assert!(check_strength("password", "password123", &[]).is_err());
        assert!(check_strength("password", "short", &[]).is_err());
        let own = check_strength("password", "jane.doe@example.com", &["jane.doe@example.com"]);
        assert!(own.is_err());
        assert!(check_strength("password", "correct horse battery staple orbit", &[]).is_ok());
    }

    /// Hashes running at once, and the most seen, for the test below.
    static RUNNING: AtomicUsize = AtomicUsize::new(0);
    static MOST: AtomicUsize = AtomicUsize::new(0);

    pub(super) struct Running;

    impl Running {
        pub(super) fn start() -> Self {
            let now = RUNNING.fetch_add(1, Ordering::SeqCst) + 1;
            MOST.fetch_max(now, Ordering::SeqCst);
            Self
        }
    }

    impl Drop for Running {
        fn drop(&mut self) {
            RUNNING.fetch_sub(1, Ordering::SeqCst);
        }
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_burst_of_sign_ins_hashes_one_per_core() {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        let guesses: Vec<_> = (0..cores * 4)
            .map(|i| tokio::spawn(verify_password(format!("guess {i}"), None)))
            .collect();
        for guess in guesses {
            assert!(!guess.await.unwrap());
        }
        let most = MOST.load(Ordering::SeqCst);
        assert!(most >= 1, "no hash was counted");
        assert!(most <= cores, "{most} hashes ran at once on {cores} cores");
    }

    #[tokio::test]
    async fn hashes_verify_and_unknown_users_never_do() {
        let hash = hash_password("correct horse battery staple".into())
            .await
            .unwrap();
        assert!(hash.starts_with("$argon2id$"));
        assert!(verify_password("correct horse battery staple".into(), Some(hash.clone())).await);
        assert!(!verify_password("wrong horse".into(), Some(hash)).await);
        assert!(!verify_password("anything".into(), None).await);
    }
}
