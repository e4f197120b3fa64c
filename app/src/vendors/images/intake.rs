//! An uploaded product image taken in: checked and rendered, its renditions stored, its row
//! added last in the product's order. When any step fails, nothing of it is left behind.

use super::upload::{self, Refused};
use crate::error::AppError;
use crate::state::AppState;
use crate::vendors::shop::Shop;
use uuid::Uuid;

/// Why an image was not added.
#[derive(Debug)]
pub enum NotTaken {
    /// The file itself: not an image, too large, too many pixels…
    Refused(Refused),
    /// The product is not the shop's, the description is too long, or storing failed.
    Failed(AppError),
}

/// Adds `bytes` as an image of the shop's product `product`, described by `alt`.
pub async fn take(
    state: &AppState,
    shop: &Shop,
    product: Uuid,
    bytes: Vec<u8>,
    alt: &str,
) -> Result<(), NotTaken> {
    let rendered = state.renderer.render(bytes).await.map_err(NotTaken::Refused)?;
    let key = super::new_key(shop);
    if let Err(error) = upload::put(&*state.media, &key, &rendered).await {
        tracing::error!(%error, "storing an image failed");
        super::remove_files(state, &key).await;
        return Err(NotTaken::Failed(AppError::Internal));
    }
    let size = (rendered.width, rendered.height);
    if let Err(error) = super::add(state, shop, product, &key, size, alt).await {
        super::remove_files(state, &key).await;
        return Err(NotTaken::Failed(error));
    }
    Ok(())
}
