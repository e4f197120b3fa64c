//! How money of a vendor order is divided when only some of it goes back, in integer minor
//! units: what cancelling some lines refunds, and how a refund made at the payment provider
//! (which knows nothing of shops) is spread over an order's parts.

/// `part × numerator / denominator`, rounded half up (all ≥ 0, denominator > 0).
pub(crate) fn scaled(part: i64, numerator: i64, denominator: i64) -> i64 {
    let (part, numerator, denominator) = (i128::from(part), i128::from(numerator), i128::from(denominator));
    ((part * numerator * 2 + denominator) / (denominator * 2)) as i64
}

/// What cancelling goods worth `cancelling` refunds on a part with `subtotal`, `shipping` and
/// `tax`, when goods worth `cancelled_before` were cancelled already: the goods and the tax
/// that is no longer due. Tax was charged on goods and shipping together, so the tax still due
/// is the part's tax in proportion to the taxable amount still sold; each cancellation gives
/// back the difference, and the refunds of every cancellation add up exactly however the lines
/// are cancelled, leaving the shipping and its tax.
pub fn line_refund(
    (subtotal, shipping, tax): (i64, i64, i64),
    cancelled_before: i64,
    cancelling: i64,
) -> i64 {
    let base = subtotal + shipping;
    let tax_due = |cancelled: i64| {
        if base <= 0 {
            0
        } else {
            scaled(tax, base - cancelled, base)
        }
    };
    cancelling + tax_due(cancelled_before) - tax_due(cancelled_before + cancelling)
}

/// What goods worth `goods` at list price cost the shopper when a discount took `discount` off
/// the part's `subtotal`: their share of what was paid for the goods, rounded half up (so all
/// the goods together cost exactly `subtotal − discount`).
pub fn discounted(goods: i64, subtotal: i64, discount: i64) -> i64 {
    if subtotal <= 0 {
        return goods;
    }
    scaled(goods, subtotal - discount, subtotal)
}

/// Spreads `amount` over parts in proportion to what is left of each (`left`), never more than
/// a part's `left`; the cents rounding leaves go to the parts with the largest remainders
/// (earliest first on a tie). With `amount` ≤ the sum of `left`, the shares add up to `amount`.
pub fn spread(amount: i64, left: &[i64]) -> Vec<i64> {
    let total: i64 = left.iter().map(|l| l.max(&0)).sum();
    let amount = amount.clamp(0, total);
    if total == 0 {
        return vec![0; left.len()];
    }
    let exact: Vec<(i64, i128)> = left
        .iter()
        .map(|&l| {
            let product = i128::from(amount) * i128::from(l.max(0));
            ((product / i128::from(total)) as i64, product % i128::from(total))
        })
        .collect();
    let mut shares: Vec<i64> = exact.iter().map(|(share, _)| *share).collect();
    let mut short = amount - shares.iter().sum::<i64>();
    let mut order: Vec<usize> = (0..left.len()).collect();
    order.sort_by_key(|&i| std::cmp::Reverse(exact[i].1));
    for i in order.into_iter().cycle().take(left.len() * 2) {
        if short == 0 {
            break;
        }
        if shares[i] < left[i] {
            shares[i] += 1;
            short -= 1;
        }
    }
    shares
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cart::pricing::tax_on;
    use proptest::prelude::*;

    #[test]
    fn cancelling_a_line_refunds_its_goods_and_their_tax() {
        // $30 of goods, $5 shipping, 10 % tax on $35 = $3.50.
        let part = (3000, 500, 350);
        assert_eq!(line_refund(part, 0, 1000), 1000 + 100);
        assert_eq!(line_refund(part, 1000, 2000), 2000 + 200);
        assert_eq!(line_refund((3000, 0, 0), 0, 1000), 1000);
    }

    #[test]
    fn spreading_keeps_every_cent() {
        assert_eq!(spread(100, &[100, 100, 100]), vec![34, 33, 33]);
        assert_eq!(spread(1, &[0, 5]), vec![0, 1]);
        assert_eq!(spread(500, &[200, 100]), vec![200, 100]);
        assert_eq!(spread(7, &[]), Vec::<i64>::new());
    }

    proptest! {
        /// However the lines are cancelled, one by one, the refunds add up to the goods and
        /// their tax, and what stays is the shipping with its share of tax.
        #[test]
        fn cancelling_every_line_leaves_the_shipping(
            lines in prop::collection::vec(1i64..50_000, 1..8),
            shipping in 0i64..5_000,
            rate in 0i32..3_000,
        ) {
            let subtotal: i64 = lines.iter().sum();
            let tax = tax_on(subtotal + shipping, rate);
            let total = subtotal + shipping + tax;
            let (mut cancelled, mut refunded) = (0, 0);
            for line in &lines {
                let refund = line_refund((subtotal, shipping, tax), cancelled, *line);
                prop_assert!(refund >= *line);
                cancelled += line;
                refunded += refund;
                prop_assert!(refunded <= total);
            }
            let shipping_tax = if subtotal + shipping == 0 { 0 } else { scaled(tax, shipping, subtotal + shipping) };
            prop_assert_eq!(total - refunded, shipping + shipping_tax);
        }

        #[test]
        fn shares_add_up_and_fit(
            left in prop::collection::vec(0i64..1_000_000, 0..6),
            wanted in 0i64..3_000_000,
        ) {
            let shares = spread(wanted, &left);
            let total: i64 = left.iter().sum();
            prop_assert_eq!(shares.iter().sum::<i64>(), wanted.min(total));
            for (share, left) in shares.iter().zip(&left) {
                prop_assert!(*share >= 0 && share <= left);
            }
        }
    }
}
