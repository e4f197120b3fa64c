//! Putting units of a shop's part back on sale with a refund: the units the shop names (those
//! it got back), or everything when the part is cancelled before shipping. Each unit goes back
//! at most once: units cancelled or put back by an earlier refund are counted on the item
//! (`cancelled_quantity`, `restocked_quantity`) and can't be put back again.

use crate::error::{AppError, AppResult};
use sqlx::PgConnection;
use std::collections::BTreeMap;
use uuid::Uuid;

/// Which units a refund puts back on sale.
#[derive(Debug, Clone, Copy)]
pub enum Restock<'a> {
    /// None: the shopper kept them, or they came back damaged.
    Nothing,
    /// These units of the part's items (item, units).
    Units(&'a [(Uuid, i32)]),
    /// Every unit not cancelled or put back yet (the part is cancelled).
    Everything,
}

impl Restock<'_> {
    /// Whether any unit is named (what the refund row records).
    pub fn any(&self) -> bool {
        match self {
            Self::Nothing => false,
            Self::Units(lines) => lines.iter().any(|(_, units)| *units > 0),
            Self::Everything => true,
        }
    }
}

/// Puts `restock` of `vendor_order` back on sale within `tx`. Units that are not in the part,
/// negative, or more than are left to put back are refused, changing nothing.
pub async fn put_back(tx: &mut PgConnection, vendor_order: Uuid, restock: Restock<'_>) -> AppResult<()> {
    if !restock.any() {
        return Ok(());
    }
    let items = sqlx::query!(
        r#"select id, variant_id, title, quantity - cancelled_quantity - restocked_quantity as "left!"
           from order_items where vendor_order_id = $1 order by id for update"#,
        vendor_order
    )
    .fetch_all(&mut *tx)
    .await?;
    let mut wanted: BTreeMap<Uuid, i32> = BTreeMap::new();
    match restock {
        Restock::Nothing => {}
        Restock::Everything => wanted.extend(items.iter().map(|i| (i.id, i.left))),
        Restock::Units(lines) => {
            for (item, units) in lines {
                if *units < 0 {
                    return Err(AppError::invalid(
                        "restock",
                        "Units back in stock can't be negative.",
                    ));
                }
                *wanted.entry(*item).or_default() += units;
            }
        }
    }
    wanted.retain(|_, units| *units > 0);
    let mut by_variant: BTreeMap<Uuid, i32> = BTreeMap::new();
    for (id, units) in &wanted {
        let item = items
            .iter()
            .find(|i| i.id == *id)
            .ok_or_else(|| AppError::invalid("restock", "That item is not part of this order."))?;
        if *units > item.left {
            return Err(AppError::invalid(
                "restock",
                format!(
                    "Only {} of “{}” can still go back in stock.",
                    item.left, item.title
                ),
            ));
        }
        sqlx::query!(
            "update order_items set restocked_quantity = restocked_quantity + $2 where id = $1",
            id,
            units
        )
        .execute(&mut *tx)
        .await?;
        // A deleted variant has nowhere to go back to.
        if let Some(variant) = item.variant_id {
            *by_variant.entry(variant).or_default() += units;
        }
    }
    // In variant order, like every other stock change, so concurrent changes never deadlock.
    for (variant, units) in by_variant {
        sqlx::query!(
            "update variants set stock_on_hand = stock_on_hand + $2 where id = $1",
            variant,
            units
        )
        .execute(&mut *tx)
        .await?;
    }
    Ok(())
}
