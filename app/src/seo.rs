//! What search engines and browsers read: titles, descriptions, canonical links, JSON-LD and
//! the content security policy of every page.

use leptos::prelude::*;
use leptos_meta::{Link, Meta, Title};

/// The absolute URL of `path` on this site.
pub fn absolute_url(path: &str) -> String {
    #[cfg(feature = "ssr")]
    {
        use_context::<crate::state::AppState>()
            .map(|state| format!("{}{path}", state.site.public_url))
            .unwrap_or_else(|| path.to_string())
    }
    #[cfg(not(feature = "ssr"))]
    {
        let origin = window().location().origin().unwrap_or_default();
        format!("{origin}{path}")
    }
}

/// Title, description and canonical link of a page.
#[component]
pub fn PageMeta(
    #[prop(into)] title: String,
    #[prop(into)] description: String,
    /// Path of the canonical URL (without query string, unless it changes the content).
    #[prop(into)]
    path: String,
) -> impl IntoView {
    let description: String = description.chars().take(160).collect();
    let url = absolute_url(&path);
    view! {
        <Title text=title.clone()/>
        <Meta name="description" content=description.clone()/>
        <Link rel="canonical" href=url.clone()/>
        <Meta property="og:title" content=title/>
        <Meta property="og:description" content=description/>
        <Meta property="og:url" content=url/>
    }
}

/// Serialises JSON for a `<script type="application/ld+json">` block; `<` is escaped so the
/// data can never close the script element.
pub fn json_ld(value: &serde_json::Value) -> String {
    value.to_string().replace('<', "\\u003c")
}

/// Sets the `Content-Security-Policy` header of the page being rendered, allowing the inline
/// hydration script by the nonce Leptos generated for this response.
#[cfg(feature = "ssr")]
pub fn send_security_policy() {
    use http::{HeaderValue, header::CONTENT_SECURITY_POLICY};
    let (Some(nonce), Some(response)) = (
        leptos::nonce::use_nonce(),
        use_context::<leptos_axum::ResponseOptions>(),
    ) else {
        return;
    };
    // With Stripe, its script, frames and API (the Payment Element) are allowed too, and forms
    // may lead to its Connect onboarding (the money page's redirect).
    let stripe = use_context::<crate::state::AppState>()
        .is_some_and(|s| s.payments.stripe_publishable_key().is_some());
    let (script, frame, connect, forms) = if stripe {
        (
            " https://js.stripe.com",
            "; frame-src https://js.stripe.com https://hooks.stripe.com",
            " https://api.stripe.com",
            " https://connect.stripe.com",
        )
    } else {
        ("", "", "", "")
    };
    let policy = format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'{script}; \
         style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; connect-src 'self'{connect}; \
         font-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'{forms}; \
         frame-ancestors 'none'; manifest-src 'self'; worker-src 'self'{frame}"
    );
    if let Ok(value) = HeaderValue::from_str(&policy) {
        response.insert_header(CONTENT_SECURITY_POLICY, value);
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn json_ld_cannot_close_its_script() {
        let value = serde_json::json!({ "name": "</script><script>alert(1)</script>" });
        let out = super::json_ld(&value);
        assert!(!out.contains("</script"));
        assert_eq!(serde_json::from_str::<serde_json::Value>(&out).unwrap(), value);
    }
}
