//! The order state machine, in one place. Every change of status goes through `check_*`, and
//! the server records it in `order_events` with its time and actor (see `orders::transition`).
//! On the server the statuses are read from their text columns as these types (`sqlx::Type`).

use serde::{Deserialize, Serialize};
use std::fmt;

/// Where an order (one checkout) is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ssr", derive(sqlx::Type))]
#[cfg_attr(feature = "ssr", sqlx(type_name = "text", rename_all = "snake_case"))]
pub enum OrderStatus {
    /// Placed, stock reserved, waiting for the payment.
    PendingPayment,
    Paid,
    /// The payment was declined or abandoned; the reservation was released.
    PaymentFailed,
    Cancelled,
    /// Not paid in time; the reservation was released.
    Expired,
    /// Every vendor order delivered (or cancelled).
    Completed,
    PartiallyRefunded,
    Refunded,
}

/// Where one vendor's part of an order is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ssr", derive(sqlx::Type))]
#[cfg_attr(feature = "ssr", sqlx(type_name = "text", rename_all = "snake_case"))]
pub enum VendorOrderStatus {
    /// The order is not paid yet: nothing to ship.
    Pending,
    AwaitingFulfilment,
    Shipped,
    Delivered,
    Cancelled,
}

impl OrderStatus {
    pub const ALL: [Self; 8] = [
        Self::PendingPayment,
        Self::Paid,
        Self::PaymentFailed,
        Self::Cancelled,
        Self::Expired,
        Self::Completed,
        Self::PartiallyRefunded,
        Self::Refunded,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::PendingPayment => "pending_payment",
            Self::Paid => "paid",
            Self::PaymentFailed => "payment_failed",
            Self::Cancelled => "cancelled",
            Self::Expired => "expired",
            Self::Completed => "completed",
            Self::PartiallyRefunded => "partially_refunded",
            Self::Refunded => "refunded",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == text)
    }

    /// What the shopper reads.
    pub fn label(self) -> &'static str {
        match self {
            Self::PendingPayment => "Waiting for payment",
            Self::Paid => "Paid",
            Self::PaymentFailed => "Payment failed",
            Self::Cancelled => "Cancelled",
            Self::Expired => "Expired (not paid in time)",
            Self::Completed => "Completed",
            Self::PartiallyRefunded => "Partly refunded",
            Self::Refunded => "Refunded",
        }
    }

    /// Whether money was taken for it (paid and after).
    pub fn is_paid(self) -> bool {
        matches!(
            self,
            Self::Paid | Self::Completed | Self::PartiallyRefunded | Self::Refunded
        )
    }

    /// Whether `self → to` is a legal step. A payment that succeeds after the order failed or
    /// expired is still taken (no paid order is lost); the server then re-reserves or refunds.
    pub fn can_become(self, to: Self) -> bool {
        use OrderStatus::*;
        matches!(
            (self, to),
            (PendingPayment, Paid | PaymentFailed | Cancelled | Expired)
                | (PaymentFailed | Expired | Cancelled, Paid)
                | (Paid, Completed | Cancelled | PartiallyRefunded | Refunded)
                | (PartiallyRefunded, PartiallyRefunded | Refunded | Completed)
                | (Completed, PartiallyRefunded | Refunded)
        )
    }
}

impl VendorOrderStatus {
    pub const ALL: [Self; 5] = [
        Self::Pending,
        Self::AwaitingFulfilment,
        Self::Shipped,
        Self::Delivered,
        Self::Cancelled,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::AwaitingFulfilment => "awaiting_fulfilment",
            Self::Shipped => "shipped",
            Self::Delivered => "delivered",
            Self::Cancelled => "cancelled",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == text)
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Pending => "Waiting for payment",
            Self::AwaitingFulfilment => "Being prepared",
            Self::Shipped => "Shipped",
            Self::Delivered => "Delivered",
            Self::Cancelled => "Cancelled",
        }
    }

    pub fn can_become(self, to: Self) -> bool {
        use VendorOrderStatus::*;
        matches!(
            (self, to),
            (Pending, AwaitingFulfilment | Cancelled)
                | (Cancelled, AwaitingFulfilment)
                | (AwaitingFulfilment, Shipped | Cancelled)
                | (Shipped, Delivered)
        )
    }
}

impl fmt::Display for OrderStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Display for VendorOrderStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for s in OrderStatus::ALL {
            assert_eq!(OrderStatus::parse(s.as_str()), Some(s));
        }
        for s in VendorOrderStatus::ALL {
            assert_eq!(VendorOrderStatus::parse(s.as_str()), Some(s));
        }
        assert_eq!(OrderStatus::parse("shipped"), None);
    }

    #[test]
    fn only_unpaid_orders_can_fail_or_expire() {
        use OrderStatus::*;
        assert!(PendingPayment.can_become(Paid));
        assert!(PendingPayment.can_become(Expired));
        assert!(!Paid.can_become(Expired));
        assert!(!Paid.can_become(PaymentFailed));
        assert!(!Refunded.can_become(Paid));
        assert!(!Refunded.can_become(PartiallyRefunded));
        assert!(!PendingPayment.can_become(Refunded));
        // A late success is taken, never lost.
        assert!(Expired.can_become(Paid));
        assert!(PaymentFailed.can_become(Paid));
    }

    #[test]
    fn fulfilment_moves_forward_only() {
        use VendorOrderStatus::*;
        assert!(AwaitingFulfilment.can_become(Shipped));
        assert!(Shipped.can_become(Delivered));
        assert!(!Shipped.can_become(AwaitingFulfilment));
        assert!(!Delivered.can_become(Cancelled));
        assert!(!Pending.can_become(Shipped));
        assert!(!Shipped.can_become(Cancelled));
    }

    #[test]
    fn every_status_has_a_distinct_name() {
        let names: std::collections::HashSet<_> = OrderStatus::ALL.iter().map(|s| s.as_str()).collect();
        assert_eq!(names.len(), OrderStatus::ALL.len());
    }
}
