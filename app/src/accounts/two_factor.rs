//! TOTP (RFC 6238: SHA-1, 6 digits, 30 s) with totp-rs, its QR code as inline SVG, and the
//! check that accepts one step of clock drift but never the same step twice.

use crate::error::{AppError, AppResult};
use subtle::ConstantTimeEq;
use totp_rs::{Algorithm, Secret, TOTP};

const STEP_SECONDS: u64 = 30;

fn totp(secret_base32: &str, account: &str, issuer: &str) -> AppResult<TOTP> {
    let bytes = Secret::Encoded(secret_base32.to_string())
        .to_bytes()
        .map_err(|e| AppError::internal("a stored two-factor secret is not base32", format!("{e:?}")))?;
    TOTP::new(
        Algorithm::SHA1,
        6,
        1,
        STEP_SECONDS,
        bytes,
        Some(issuer.to_string()),
        account.to_string(),
    )
    .map_err(|error| AppError::internal("a stored TOTP secret is unusable", error))
}

/// A new 160-bit secret, base32.
pub fn new_secret() -> String {
    Secret::generate_secret().to_encoded().to_string()
}

/// The QR code an authenticator app scans, as an SVG document.
pub fn qr_svg(secret_base32: &str, account: &str, issuer: &str) -> AppResult<String> {
    let url = totp(secret_base32, account, issuer)?.get_url();
    let code = qrcode::QrCode::new(url.as_bytes())
        .map_err(|e| AppError::internal("drawing the two-factor QR code", e))?;
    Ok(code
        .render::<qrcode::render::svg::Color>()
        .min_dimensions(200, 200)
        .quiet_zone(true)
        .build())
}

/// The time step a code is valid for, if it is valid now (±1 step) and later than
/// `last_used_step`. Compared in constant time.
pub fn verify(secret_base32: &str, code: &str, last_used_step: Option<i64>) -> AppResult<Option<i64>> {
    let code: String = code.chars().filter(|c| !c.is_whitespace()).collect();
    if code.len() != 6 || !code.bytes().all(|b| b.is_ascii_digit()) {
        return Ok(None);
    }
    let totp = totp(secret_base32, "", "")?;
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_err(|e| AppError::internal("the system clock is before 1970", e))?
        .as_secs();
    let current = (now / STEP_SECONDS) as i64;
    let mut found = None;
    for step in [current - 1, current, current + 1] {
        let expected = totp.generate(step as u64 * STEP_SECONDS);
        if bool::from(expected.as_bytes().ct_eq(code.as_bytes())) {
            found = Some(step);
        }
    }
    Ok(found.filter(|step| last_used_step.is_none_or(|last| *step > last)))
}

/// The code for now; for tests and for the demo's printed instructions.
pub fn current_code(secret_base32: &str) -> AppResult<String> {
    totp(secret_base32, "", "")?
        .generate_current()
        .map_err(|e| AppError::internal("the system clock is before 1970", e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_code_works_once_and_a_wrong_one_never() {
        let secret = new_secret();
        let code = current_code(&secret).unwrap();
        let step = verify(&secret, &code, None)
            .unwrap()
            .expect("the current code is valid");
        assert_eq!(verify(&secret, &code, Some(step)).unwrap(), None, "replayed");
        let wrong = if code == "000000" { "111111" } else { "000000" };
        assert_eq!(verify(&secret, wrong, None).unwrap(), None);
        assert_eq!(verify(&secret, "12ab56", None).unwrap(), None);
    }

    #[test]
    fn the_qr_code_is_svg() {
        let svg = qr_svg(&new_secret(), "jane@example.com", "Marketplace").unwrap();
        assert!(svg.starts_with("<?xml") || svg.starts_with("<svg"));
        assert!(svg.contains("</svg>"));
    }
}
