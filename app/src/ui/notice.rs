//! Messages shown after a redirect (`?notice=…`): one enum, its texts in one place, so the
//! query string names a notice and can never inject text.

use leptos::prelude::*;

macro_rules! notices {
    ($($(#[$doc:meta])* $name:ident = $key:literal => $text:literal,)*) => {
        /// A message a page shows once, after the redirect that follows a change.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum Notice {
            $($(#[$doc])* $name,)*
        }

        impl Notice {
            /// Every notice.
            pub const ALL: &[Notice] = &[$(Notice::$name,)*];

            /// The name it travels under in `?notice=`.
            pub fn key(self) -> &'static str {
                match self {
                    $(Notice::$name => $key,)*
                }
            }

            /// What the page says.
            pub fn text(self) -> &'static str {
                match self {
                    $(Notice::$name => $text,)*
                }
            }
        }
    };
}

notices! {
    CheckEmail = "check-email" => "Check your inbox: we've sent you a link to confirm your address.",
    Verified = "verified" => "Your email address is confirmed. You can sign in now.",
    ResetSent = "reset-sent" => "If that address has an account, we've sent it a link to choose a new password.",
    PasswordReset = "password-reset" => "Your password was changed, and every session signed out. Sign in with the new one.",
    SignedOut = "signed-out" => "You are signed out.",
    Deleted = "deleted" => "Your account was deleted. Orders you placed are kept without your personal data.",
    ProfileSaved = "profile-saved" => "Your profile was saved.",
    PasswordChanged = "password-changed" => "Your password was changed. Other sessions were signed out.",
    EmailSent = "email-sent" => "We've sent a confirmation link to the new address. Your email changes when you click it.",
    EmailChanged = "email-changed" => "Your email address was changed.",
    AddressSaved = "address-saved" => "The address was saved.",
    AddressDeleted = "address-deleted" => "The address was deleted.",
    TwoFactorOff = "2fa-off" => "Two-factor authentication is off. Every other browser was signed out.",
    SessionsEnded = "sessions-ended" => "Your other sessions were signed out.",
    AdminTwoFactor = "admin-2fa" => "Turn on two-factor authentication to open the admin area.",
    Added = "added" => "Added to your cart.",
    CartUpdated = "cart-updated" => "Your cart was updated.",
    Removed = "removed" => "The item was removed from your cart.",
    Declined = "declined" => "Your payment was declined, and nothing was charged. Your cart still holds everything; place the order again to try another card.",
    Processing = "processing" => "Thank you! We're confirming your payment with the bank; this page shows when it is done.",
    Applied = "applied" => "Your application was sent. Add your shop's logo below for the team to see; we'll email you when the marketplace has decided.",
    Invited = "invited" => "The invitation was sent.",
    StaffRemoved = "staff-removed" => "They no longer work in this shop.",
    InviteRevoked = "invite-revoked" => "The invitation was withdrawn.",
    Joined = "joined" => "Welcome aboard: you now work in this shop.",
    VendorSaved = "vendor-saved" => "Saved. The shop was told by email where its standing changed.",
    Shipped = "shipped" => "Marked shipped. The shopper was emailed the tracking number.",
    Delivered = "delivered" => "Marked delivered.",
    BulkShipped = "bulk-shipped" => "The ticked orders were marked shipped. Each shopper was emailed their tracking number.",
    ProductSaved = "product-saved" => "The product was saved.",
    LogoSaved = "logo-saved" => "The shop's logo was saved.",
    StripeConnected = "stripe-connected" => "Welcome back from Stripe. Payouts go to your account once Stripe has verified it.",
    StockSaved = "stock-saved" => "Stock saved.",
    ImageAdded = "image-added" => "The image was added.",
    ImageEmpty = "image-empty" => "Choose an image file to upload.",
    ImageTooLarge = "image-too-large" => "That file is larger than 10 MB: nothing was stored. Use a smaller image.",
    ImageNotImage = "image-not-image" => "That file is not a JPEG, PNG or WebP image: nothing was stored.",
    ImageTooManyPixels = "image-too-many-pixels" => "That image is too large in pixels (at most 8,000 on a side and 40 megapixels): nothing was stored.",
    ImageTooTall = "image-too-tall" => "That image is too tall for its width (shown 960 pixels wide it would be over 8,000 tall): nothing was stored. Crop it or use a wider image.",
    ImageBroken = "image-broken" => "That image could not be read (is the file complete?): nothing was stored.",
    ImageRemoved = "image-removed" => "The image was removed.",
    ImagesNotStored = "images-not-stored" => "The product was saved, but its images could not be stored. Add them again below.",
    Imported = "imported" => "The file was imported: every row was applied.",
    PartCancelled = "part-cancelled" => "Cancelled and refunded. The shopper was emailed.",
    ItemsCancelled = "items-cancelled" => "Those items were cancelled, refunded with their tax and put back in stock. The shopper was emailed.",
    Refunded = "refunded" => "The refund was made.",
    OrderCancelled = "order-cancelled" => "The order was cancelled; its stock is back on sale.",
    ConfirmationResent = "confirmation-resent" => "The order's confirmation was sent again.",
    PayoutsHeld = "payouts-held" => "The shop's payouts are on hold. The shop was emailed the reason.",
    PayoutsReleased = "payouts-released" => "The shop's payouts are released: its balance goes out with the next payout.",
    PaidOutNow = "paid-out" => "The shop's available balance was paid out.",
    SettingsSaved = "settings-saved" => "Saved. It applies from now on, on every server.",
    DiscountCreated = "discount-created" => "The code was created. Shoppers can use it at checkout from its first day.",
    DiscountDisabled = "discount-disabled" => "The code is disabled: checkouts no longer take it. Orders placed with it keep their discount.",
    DiscountEnabled = "discount-enabled" => "The code can be used again.",
    CodeApplied = "code-applied" => "The discount code was applied.",
    CodeRemoved = "code-removed" => "The discount code was removed.",
    AccountDisabled = "account-disabled" => "The account is disabled and signed out everywhere.",
    AccountEnabled = "account-enabled" => "The account can sign in again.",
    AccountSignedOut = "account-signed-out" => "They are signed out everywhere.",
    PasswordResetForced = "password-reset-forced" => "Their password no longer works: they were signed out and sent a link to choose a new one.",
    VerificationResent = "verification-resent" => "A new confirmation link was sent.",
    AdminGranted = "admin-granted" => "They are an admin now: the console opens for them once they turn on two-factor authentication.",
    AdminRevoked = "admin-revoked" => "They are no longer an admin.",
    ProductHidden = "product-hidden" => "The product is hidden from the storefront and search. The shop was emailed the reason.",
    ProductReinstated = "product-reinstated" => "The product is reinstated as the shop listed it. The shop was emailed.",
    ReportsDismissed = "reports-dismissed" => "The open reports were dismissed; the product stays as it is.",
    CategoryAdded = "category-added" => "The category was added. Shops can file products in it now.",
    CategorySaved = "category-saved" => "The category was saved.",
    CategoryMoved = "category-moved" => "The category was moved; the storefront's menu shows the new order.",
    CategoryDeleted = "category-deleted" => "The category was deleted.",
    ProductReported = "product-reported" => "Thank you: your report was sent to the marketplace team.",
    Paid = "paid" => "Thank you! Your payment went through and your order is confirmed. A confirmation email is on its way.",
}

impl Notice {
    /// The notice named `key`, if there is one.
    pub fn from_key(key: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|n| n.key() == key)
    }

    /// Whether it tells of a refusal (a declined payment, an upload), shown as an error
    /// rather than as news.
    pub fn is_problem(self) -> bool {
        matches!(
            self,
            Self::Declined
                | Self::ImageEmpty
                | Self::ImageTooLarge
                | Self::ImageNotImage
                | Self::ImageTooManyPixels
                | Self::ImageTooTall
                | Self::ImageBroken
                | Self::ImagesNotStored
        )
    }

    /// `path` (a path on this site, with or without a query) showing this notice.
    pub fn on(self, path: &str) -> String {
        let joint = if path.contains('?') { '&' } else { '?' };
        format!("{path}{joint}notice={}", self.key())
    }

    /// `path` showing this notice about order `number` (it names the order it acted on).
    pub fn on_order(self, path: &str, number: i64) -> String {
        format!("{}&order={number}", self.on(path))
    }

    /// The text naming order `number`, for the notices that act on one. The number comes from
    /// the query string, so it is only ever digits: no other text can be slipped in.
    pub fn text_about_order(self, number: u64) -> Option<String> {
        let text = match self {
            Self::Shipped => {
                format!("Order #{number} marked shipped. The shopper was emailed the tracking number.")
            }
            Self::Delivered => format!("Order #{number} marked delivered."),
            Self::PartCancelled => {
                format!("Order #{number} cancelled and refunded. The shopper was emailed.")
            }
            Self::ItemsCancelled => format!(
                "Items of order #{number} cancelled, refunded with their tax and put back in stock. The shopper was emailed."
            ),
            Self::Refunded => format!("Order #{number} refunded."),
            Self::OrderCancelled => {
                format!("Order #{number} cancelled; its stock is back on sale.")
            }
            Self::ConfirmationResent => {
                format!("The confirmation of order #{number} was sent again.")
            }
            _ => return None,
        };
        Some(text)
    }
}

/// The notice named by `?notice=` on this page, if it is one we know.
#[component]
pub fn PageNotice() -> impl IntoView {
    let query = leptos_router::hooks::use_query_map().read_untracked().clone();
    let key = query.get("notice").unwrap_or_default();
    let order = query.get("order").and_then(|n| n.parse::<u64>().ok());
    Notice::from_key(&key).map(|notice| {
        let text = order
            .and_then(|n| notice.text_about_order(n))
            .unwrap_or_else(|| notice.text().to_string());
        if notice.is_problem() {
            view! { <p class="notice problem" role="alert">{text}</p> }.into_any()
        } else {
            view! { <p class="notice" role="status">{text}</p> }.into_any()
        }
    })
}

#[cfg(test)]
mod tests {
    use super::Notice;

    #[test]
    fn every_notice_has_its_own_key_and_comes_back_from_it() {
        for notice in Notice::ALL {
            assert_eq!(Notice::from_key(notice.key()), Some(*notice));
        }
        assert_eq!(Notice::from_key("<script>"), None);
    }

    #[test]
    fn notices_about_an_order_name_it_and_others_do_not() {
        assert_eq!(
            Notice::Shipped.on_order("/vendor/a/orders?filter=all", 100007),
            "/vendor/a/orders?filter=all&notice=shipped&order=100007"
        );
        assert_eq!(
            Notice::Shipped.text_about_order(100007).unwrap(),
            "Order #100007 marked shipped. The shopper was emailed the tracking number."
        );
        assert_eq!(Notice::Added.text_about_order(100007), None);
    }

    #[test]
    fn a_notice_joins_the_query_of_its_path() {
        assert_eq!(Notice::Added.on("/cart"), "/cart?notice=added");
        assert_eq!(
            Notice::Shipped.on("/vendor/a/orders?filter=all&page=2"),
            "/vendor/a/orders?filter=all&page=2&notice=shipped"
        );
    }
}
