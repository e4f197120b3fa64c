//! A paid shop's part as the ledger sees it: what the shopper paid for it, what the
//! marketplace pays the shop for a discount of its own code, and the commission rate fixed
//! when it was paid. In integer minor units.
//!
//! The shop is owed the shopper's payment plus the marketplace's funding; the commission is
//! the rate on both. A refund of some of the payment takes back the same share of the funding
//! (what is still due is the funding in proportion to the payment not refunded, rounded half
//! up), and the commission no longer due; after a full refund the shop is owed nothing, and
//! no cent is lost or made up by rounding along the way.

use super::commission::commission;
use super::shares::scaled;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Part {
    /// What the shopper paid for the part.
    pub total: i64,
    /// What the marketplace pays for the part's discount (0 for a shop's own code).
    pub funded: i64,
    pub rate_bp: i32,
}

/// The entries of a paid part, signed: the sale, the marketplace's funding, the commission.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SaleEntries {
    pub sale: i64,
    pub funding: i64,
    pub commission: i64,
}

/// The entries of a refund, signed: the refund, the funding taken back, the commission given
/// back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RefundEntries {
    pub refund: i64,
    pub funding_reversal: i64,
    pub commission_reversal: i64,
}

impl Part {
    /// The funding still due once `refunded` of the payment went back.
    fn funding_due(&self, refunded: i64) -> i64 {
        if self.total <= 0 {
            self.funded
        } else {
            scaled(self.funded, self.total - refunded, self.total)
        }
    }

    /// The commission due once `refunded` of the payment went back.
    fn commission_due(&self, refunded: i64) -> i64 {
        commission(self.total - refunded + self.funding_due(refunded), self.rate_bp)
    }

    /// What paying the part books.
    pub fn sale(&self) -> SaleEntries {
        SaleEntries {
            sale: self.total,
            funding: self.funded,
            commission: -self.commission_due(0),
        }
    }

    /// What refunding `amount` books, when `refunded_before` went back already.
    pub fn refund(&self, refunded_before: i64, amount: i64) -> RefundEntries {
        let after = refunded_before + amount;
        RefundEntries {
            refund: -amount,
            funding_reversal: self.funding_due(after) - self.funding_due(refunded_before),
            commission_reversal: self.commission_due(refunded_before) - self.commission_due(after),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn without_funding_a_part_is_sale_less_commission() {
        let part = Part {
            total: 10_000,
            funded: 0,
            rate_bp: 1_000,
        };
        assert_eq!(
            part.sale(),
            SaleEntries {
                sale: 10_000,
                funding: 0,
                commission: -1_000
            }
        );
        let refund = part.refund(0, 2_500);
        assert_eq!(
            (refund.refund, refund.funding_reversal, refund.commission_reversal),
            (-2_500, 0, 250)
        );
    }

    #[test]
    fn the_marketplace_pays_for_its_discount_and_takes_its_share_back() {
        // Goods of 100.00, 10 % off paid by the marketplace: the shopper pays 90.00.
        let part = Part {
            total: 9_000,
            funded: 1_000,
            rate_bp: 1_000,
        };
        assert_eq!(part.sale().commission, -1_000); // on the full 100.00
        let half = part.refund(0, 4_500);
        assert_eq!(half.funding_reversal, -500);
        assert_eq!(half.commission_reversal, 500);
    }

    fn parts_and_refunds() -> impl Strategy<Value = (Part, Vec<i64>)> {
        (1i64..=50_000_000, 0i32..=10_000).prop_flat_map(|(total, rate_bp)| {
            (
                0i64..=total,
                Just(total),
                Just(rate_bp),
                prop::collection::vec(1i64..=total, 0..8),
            )
                .prop_map(|(funded, total, rate_bp, wishes)| {
                    (
                        Part {
                            total,
                            funded,
                            rate_bp,
                        },
                        wishes,
                    )
                })
        })
    }

    proptest! {
        /// For any payment, funding and sequence of partial refunds, the shop's balance is
        /// what is left of the payment and the funding less the commission on both, the
        /// commission kept is the rate on what was not refunded, and a full refund leaves
        /// nothing.
        #[test]
        fn balance_is_what_is_left_less_its_commission((part, wishes) in parts_and_refunds()) {
            let sale = part.sale();
            let mut balance = sale.sale + sale.funding + sale.commission;
            let mut refunded = 0i64;
            for wish in wishes {
                let left = part.total - refunded;
                if left == 0 { break; }
                let amount = wish.min(left);
                let r = part.refund(refunded, amount);
                prop_assert_eq!(r.refund, -amount);
                prop_assert!(r.funding_reversal <= 0 && r.commission_reversal >= 0);
                balance += r.refund + r.funding_reversal + r.commission_reversal;
                refunded += amount;
            }
            let kept = part.total - refunded + part.funding_due(refunded);
            prop_assert_eq!(balance, kept - commission(kept, part.rate_bp));
            prop_assert!(balance >= 0);
            let everything = part.refund(refunded, part.total - refunded);
            prop_assert_eq!(balance + everything.refund + everything.funding_reversal + everything.commission_reversal, 0);
        }
    }
}
