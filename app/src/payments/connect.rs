//! Stripe Connect for payouts: each shop gets an Express account it completes on Stripe's own
//! onboarding pages (an account link), payouts are transfers to it, and a refund after a payout
//! takes money back by reversing part of a transfer. Every call carries an idempotency key
//! derived from our ids, so a retried call never moves money twice.

use super::stripe::{Stripe, idempotent};
use std::collections::HashMap;
use std::str::FromStr;
use stripe::StripeRequest;
use stripe_connect::account::{
    CreateAccount, CreateAccountCapabilities, CreateAccountCapabilitiesTransfers, CreateAccountType,
};
use stripe_connect::account_link::{CreateAccountLink, CreateAccountLinkType};
use stripe_connect::transfer::CreateTransfer;
use stripe_connect::transfer_reversal::CreateIdTransferReversal;
use uuid::Uuid;

impl Stripe {
    /// A new Express account for shop `vendor` (the same one if asked again).
    pub async fn create_account(&self, vendor: Uuid, email: &str, country: &str) -> anyhow::Result<String> {
        let mut capabilities = CreateAccountCapabilities::new();
        capabilities.transfers = Some(CreateAccountCapabilitiesTransfers {
            requested: Some(true),
        });
        let account = CreateAccount::new()
            .type_(CreateAccountType::Express)
            .email(email)
            .country(country)
            .capabilities(capabilities)
            .metadata(HashMap::from([("vendor_id".to_string(), vendor.to_string())]))
            .customize()
            .request_strategy(idempotent(&format!("acct-{vendor}"))?)
            .send(self.client())
            .await?;
        Ok(account.id.to_string())
    }

    /// Where the shop's owner completes (or updates) the account on Stripe.
    pub async fn onboarding_link(
        &self,
        account: &str,
        refresh_url: &str,
        return_url: &str,
    ) -> anyhow::Result<String> {
        let link = CreateAccountLink::new(account, CreateAccountLinkType::AccountOnboarding)
            .refresh_url(refresh_url)
            .return_url(return_url)
            .send(self.client())
            .await?;
        Ok(link.url)
    }

    /// Transfers a payout to the connected account.
    pub async fn transfer(
        &self,
        payout: Uuid,
        amount: i64,
        currency: &str,
        account: &str,
    ) -> anyhow::Result<String> {
        let currency = stripe_types::Currency::from_str(&currency.to_lowercase())
            .map_err(|_| anyhow::anyhow!("unknown currency"))?;
        let transfer = CreateTransfer::new(currency, account)
            .amount(amount)
            .transfer_group(format!("payout-{payout}"))
            .metadata(HashMap::from([("payout_id".to_string(), payout.to_string())]))
            .customize()
            .request_strategy(idempotent(&format!("payout-{payout}"))?)
            .send(self.client())
            .await?;
        Ok(transfer.id.to_string())
    }

    /// Takes `amount` back from a transfer; `key` names this reversal for idempotency.
    pub async fn reverse_transfer(&self, transfer: &str, amount: i64, key: Uuid) -> anyhow::Result<String> {
        let reversal = CreateIdTransferReversal::new(transfer)
            .amount(amount)
            .customize()
            .request_strategy(idempotent(&format!("reversal-{key}"))?)
            .send(self.client())
            .await?;
        Ok(reversal.id.to_string())
    }
}
