//! A shop's changes to its products in the audit log: the product as it was and as it is
//! (title, status, category, each variant's SKU, price and stock), read in the change's own
//! transaction.

use super::shop::Shop;
use crate::audit::{self, Action, Entry, Subject};
use crate::error::AppResult;
use serde_json::Value;
use sqlx::PgConnection;
use uuid::Uuid;

/// Product `id` as the log shows it, or `None` when there is none.
pub async fn snapshot(tx: &mut PgConnection, id: Uuid) -> AppResult<Option<Value>> {
    Ok(sqlx::query_scalar!(
        r#"select jsonb_build_object(
                  'title', p.title, 'status', p.status, 'category', c.slug,
                  'images', (select count(*) from product_images i where i.product_id = p.id),
                  'variants', coalesce((select jsonb_agg(jsonb_build_object('sku', v.sku, 'price', v.price,
                                                                            'stock', v.stock_on_hand) order by v.position)
                                        from variants v where v.product_id = p.id), '[]'::jsonb)) as "product!"
           from products p left join categories c on c.id = p.category_id where p.id = $1"#,
        id
    )
    .fetch_optional(&mut *tx)
    .await?)
}

/// Records `action` on product `id` by `shop`'s member: `before` as `snapshot` read it before
/// the change, the product as it is now after. Nothing when nothing changed.
pub async fn record(
    tx: &mut PgConnection,
    shop: &Shop,
    action: Action,
    id: Uuid,
    before: Option<Value>,
) -> AppResult<()> {
    let after = snapshot(tx, id).await?;
    if after == before {
        return Ok(());
    }
    let entry = Entry {
        action,
        subject: Subject::Product(id),
        vendor: Some(shop.id),
        before,
        after,
    };
    audit::record(tx, &shop.audit, entry).await
}

/// Records a change to one of product `id`'s images by `shop`'s member (`before` and `after`
/// name the image and what changed).
pub async fn image(
    tx: &mut PgConnection,
    shop: &Shop,
    id: Uuid,
    before: Value,
    after: Value,
) -> AppResult<()> {
    let entry = Entry {
        action: Action::ProductImagesChanged,
        subject: Subject::Product(id),
        vendor: Some(shop.id),
        before: Some(before),
        after: Some(after),
    };
    audit::record(tx, &shop.audit, entry).await
}
