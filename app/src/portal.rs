//! The header's account links: the account, and the vendor portal and the console for those
//! who have them.

use crate::accounts::model::CurrentUser;
use leptos::prelude::*;

/// The signed-in user's links for the header. On a phone the header shows the account as an
/// icon; the portal and admin links, for the few who have them, wait on wider screens and on
/// the account page.
pub fn account_links(user: Option<&CurrentUser>) -> impl IntoView + use<> {
    use crate::ui::AccountIcon;
    match user {
        None => view! {
            <a class="account-link" href="/account/login">
                <AccountIcon/><span class="header-label">"Sign in"</span>
            </a>
        }
        .into_any(),
        Some(user) => {
            let vendor = (!user.memberships.is_empty())
                .then(|| view! { <a class="account-link account-extra" href="/vendor">"Vendor portal"</a> });
            let admin = user
                .is_admin
                .then(|| view! { <a class="account-link account-extra" href="/admin">"Admin"</a> });
            let name = user.display_name().to_string();
            view! {
                {vendor}
                {admin}
                <a class="account-link" href="/account">
                    <AccountIcon/><span class="header-label">{name}</span>
                </a>
            }
            .into_any()
        }
    }
}
