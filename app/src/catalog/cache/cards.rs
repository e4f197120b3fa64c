//! Product cards by product id, for listings the search engine answers: a page reads from the
//! database only the cards no page showed within the time to live. Forgotten with the product
//! pages (`CatalogCache::forget`); a load that a forget overtook keeps nothing.

use crate::catalog::model::ProductCard;
use std::collections::HashMap;
use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;
use uuid::Uuid;

/// Cards kept (a few hundred bytes each).
const CARDS_CACHED: u64 = 10_000;

#[derive(Clone)]
pub struct Cards {
    /// None when the catalog is not cached.
    cards: Option<moka::future::Cache<Uuid, ProductCard>>,
    /// The catalog cache's: moves on with every forget.
    generation: Arc<AtomicU64>,
}

impl Cards {
    pub fn new(ttl: Duration, generation: Arc<AtomicU64>) -> Self {
        let cards = (!ttl.is_zero()).then(|| {
            moka::future::Cache::builder()
                .max_capacity(CARDS_CACHED)
                .time_to_live(ttl)
                .build()
        });
        Self { cards, generation }
    }

    /// The cards of `ids` in their order, those not kept read by `load` (which skips products
    /// not on sale, as every card query does).
    pub async fn get<F, Fut, E>(&self, ids: &[Uuid], load: F) -> Result<Vec<ProductCard>, E>
    where
        F: FnOnce(Vec<Uuid>) -> Fut,
        Fut: Future<Output = Result<Vec<(Uuid, ProductCard)>, E>>,
    {
        let Some(kept) = &self.cards else {
            return Ok(load(ids.to_vec())
                .await?
                .into_iter()
                .map(|(_, card)| card)
                .collect());
        };
        let mut found = HashMap::with_capacity(ids.len());
        for id in ids {
            if let Some(card) = kept.get(id).await {
                found.insert(*id, card);
            }
        }
        let missing: Vec<Uuid> = ids.iter().filter(|id| !found.contains_key(id)).copied().collect();
        if !missing.is_empty() {
            let seen = self.generation.load(Ordering::Acquire);
            let loaded = load(missing).await?;
            if self.generation.load(Ordering::Acquire) == seen {
                for (id, card) in &loaded {
                    kept.insert(*id, card.clone()).await;
                }
                // A forget between the check and the inserts may have missed them.
                if self.generation.load(Ordering::Acquire) != seen {
                    for (id, _) in &loaded {
                        kept.invalidate(id).await;
                    }
                }
            }
            found.extend(loaded);
        }
        Ok(ids.iter().filter_map(|id| found.remove(id)).collect())
    }

    pub fn forget_all(&self) {
        if let Some(kept) = &self.cards {
            kept.invalidate_all();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::model::VendorLink;
    use crate::money::{Currency, Money};
    use std::sync::Mutex;

    fn card(slug: &str) -> ProductCard {
        ProductCard {
            slug: slug.into(),
            title: slug.to_uppercase(),
            vendor: VendorLink {
                slug: "shop".into(),
                name: "Shop".into(),
            },
            price_min: Money::new(100, Currency::Usd),
            price_max: Money::new(100, Currency::Usd),
            rating: None,
            image: None,
            in_stock: true,
        }
    }

    type Loaded = std::future::Ready<Result<Vec<(Uuid, ProductCard)>, ()>>;

    /// A loader over `catalog` that records which ids each call asked for.
    fn loader<'a>(
        catalog: &'a HashMap<Uuid, ProductCard>,
        asked: &'a Mutex<Vec<Vec<Uuid>>>,
    ) -> impl FnOnce(Vec<Uuid>) -> Loaded + 'a {
        move |ids| {
            asked.lock().unwrap().push(ids.clone());
            let rows = ids
                .iter()
                .filter_map(|id| Some((*id, catalog.get(id)?.clone())))
                .collect();
            std::future::ready(Ok(rows))
        }
    }

    #[tokio::test]
    async fn only_cards_not_kept_are_read_and_the_order_is_the_pages() {
        let ids: Vec<Uuid> = (0..4).map(|_| Uuid::now_v7()).collect();
        let mut catalog: HashMap<Uuid, ProductCard> = ids
            .iter()
            .enumerate()
            .map(|(n, id)| (*id, card(&format!("p{n}"))))
            .collect();
        catalog.remove(&ids[3]); // not on sale
        let cards = Cards::new(Duration::from_secs(60), Arc::default());
        let asked = Mutex::new(Vec::new());

        let first = cards.get(&ids[..2], loader(&catalog, &asked)).await.unwrap();
        assert_eq!(first, [card("p0"), card("p1")]);
        let page = [ids[2], ids[0], ids[3], ids[1]];
        let second = cards.get(&page, loader(&catalog, &asked)).await.unwrap();
        assert_eq!(
            second,
            [card("p2"), card("p0"), card("p1")],
            "the page's order, unsold left out"
        );
        let third = cards.get(&page, loader(&catalog, &asked)).await.unwrap();
        assert_eq!(third, second);
        assert_eq!(
            *asked.lock().unwrap(),
            [vec![ids[0], ids[1]], vec![ids[2], ids[3]], vec![ids[3]]],
            "kept cards are not read again; a product not on sale is asked for each time"
        );
    }

    #[tokio::test]
    async fn a_forget_drops_kept_cards_and_what_a_load_it_overtook_read() {
        let id = Uuid::now_v7();
        let generation = Arc::new(AtomicU64::new(0));
        let cards = Cards::new(Duration::from_secs(60), generation.clone());
        let asked = Mutex::new(Vec::new());
        let catalog = HashMap::from([(id, card("old"))]);
        cards.get(&[id], loader(&catalog, &asked)).await.unwrap();

        // Renamed: the writer forgets (the generation moves on) while a page is loading.
        generation.fetch_add(1, Ordering::AcqRel);
        cards.forget_all();
        let overtaken = cards
            .get(&[id], |ids| {
                generation.fetch_add(1, Ordering::AcqRel); // another forget mid-load
                loader(&catalog, &asked)(ids)
            })
            .await
            .unwrap();
        assert_eq!(overtaken, [card("old")], "the page shows what it read");

        let renamed = HashMap::from([(id, card("new"))]);
        let after = cards.get(&[id], loader(&renamed, &asked)).await.unwrap();
        assert_eq!(after, [card("new")], "the overtaken load kept nothing");
        assert_eq!(asked.lock().unwrap().len(), 3);
    }

    #[tokio::test]
    async fn with_no_time_to_live_every_card_is_read() {
        let id = Uuid::now_v7();
        let cards = Cards::new(Duration::ZERO, Arc::default());
        let asked = Mutex::new(Vec::new());
        let catalog = HashMap::from([(id, card("p"))]);
        for _ in 0..2 {
            cards.get(&[id], loader(&catalog, &asked)).await.unwrap();
        }
        assert_eq!(asked.lock().unwrap().len(), 2);
    }
}
