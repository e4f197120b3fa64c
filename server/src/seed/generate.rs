//! Builds the demo catalog in memory from `data`, with a seeded random generator.

use super::data::{Leaf, Options, PRODUCT_LINES, TREE};
use super::describe::{description, options};
use super::images;
use super::people::{REVIEW_TEXT, REVIEWERS, VENDORS};
use super::rows::{Catalog, CategoryRow, ProductRow, ReviewRow, VariantRow, VendorRow};
use chrono::{DateTime, Duration, TimeZone, Utc};
use rand::{Rng, SeedableRng, seq::IndexedRandom};
use rand_chacha::ChaCha8Rng;
use std::collections::HashMap;
use uuid::Uuid;

const SEED: u64 = 2026;

fn uuid(rng: &mut ChaCha8Rng) -> Uuid {
    uuid::Builder::from_random_bytes(rng.random()).into_uuid()
}

/// Every leaf with the ids of its root and of itself, in tree order.
fn leaves(categories: &[CategoryRow]) -> Vec<(&'static Leaf, Uuid, &'static str)> {
    let ids: HashMap<&str, Uuid> = categories.iter().map(|c| (c.slug, c.id)).collect();
    TREE.iter()
        .flat_map(|root| {
            let ids = &ids;
            root.branches
                .iter()
                .flat_map(move |b| b.leaves.iter().map(move |leaf| (leaf, ids[leaf.slug], root.slug)))
        })
        .collect()
}

/// Reviews come in over this many days after a product is listed.
const REVIEW_DAYS: i64 = 118;

pub fn catalog(product_count: usize) -> Catalog {
    let mut rng = ChaCha8Rng::seed_from_u64(SEED);
    let epoch = Utc
        .with_ymd_and_hms(2026, 11, 1, 9, 0, 0)
        .single()
        .unwrap_or_else(Utc::now);

    let mut categories = Vec::new();
    for (r, root) in TREE.iter().enumerate() {
        let root_id = uuid(&mut rng);
        categories.push(CategoryRow {
            id: root_id,
            parent_id: None,
            slug: root.slug,
            name: root.name,
            description: root.description.to_string(),
            position: r as i32,
            featured: root.featured,
        });
        for (b, branch) in root.branches.iter().enumerate() {
            let branch_id = uuid(&mut rng);
            categories.push(CategoryRow {
                id: branch_id,
                parent_id: Some(root_id),
                slug: branch.slug,
                name: branch.name,
                description: format!("{} in {}.", branch.name, root.name),
                position: b as i32,
                featured: false,
            });
            for (l, leaf) in branch.leaves.iter().enumerate() {
                categories.push(CategoryRow {
                    id: uuid(&mut rng),
                    parent_id: Some(branch_id),
                    slug: leaf.slug,
                    name: leaf.name,
                    description: format!("{} from independent makers. {}", leaf.name, leaf.facts[0]),
                    position: l as i32,
                    featured: false,
                });
            }
        }
    }

    let vendors: Vec<VendorRow> = VENDORS
        .iter()
        .enumerate()
        .map(|(i, seed)| VendorRow {
            id: uuid(&mut rng),
            seed,
            created_at: epoch - Duration::days(400 + 90 * i as i64),
        })
        .collect();

    let leaves = leaves(&categories);
    let mut slugs: HashMap<String, u32> = HashMap::new();
    let mut products = Vec::with_capacity(product_count);
    for i in 0..product_count {
        let (leaf, category_id, root) = leaves[i % leaves.len()];
        let sellers: Vec<&VendorRow> = vendors.iter().filter(|v| v.seed.sells.contains(&root)).collect();
        let approved: Vec<&VendorRow> = sellers
            .iter()
            .copied()
            .filter(|v| v.seed.status == "approved")
            .collect();
        // One product in 40 goes to a shop that is not approved, so filtering is exercised.
        let vendor = if i % 40 == 7 && sellers.len() > approved.len() {
            *sellers
                .iter()
                .find(|v| v.seed.status != "approved")
                .unwrap_or(&approved[0])
        } else {
            approved.choose(&mut rng).copied().unwrap_or(&vendors[0])
        };
        products.push(product(&mut rng, i, leaf, category_id, vendor, epoch, &mut slugs));
    }

    Catalog {
        categories,
        vendors,
        products,
    }
}

fn product(
    rng: &mut ChaCha8Rng,
    index: usize,
    leaf: &'static Leaf,
    category_id: Uuid,
    vendor: &VendorRow,
    epoch: DateTime<Utc>,
    slugs: &mut HashMap<String, u32>,
) -> ProductRow {
    let qualifier = *leaf.qualifiers.choose(rng).unwrap_or(&"");
    let noun = *leaf.nouns.choose(rng).unwrap_or(&"Item");
    let title = if rng.random_bool(0.5) {
        format!("{} {qualifier} {noun}", PRODUCT_LINES.choose(rng).unwrap_or(&""))
    } else {
        format!("{qualifier} {noun}")
    };
    let base_slug = slugify(&title);
    let seen = slugs.entry(base_slug.clone()).or_insert(0);
    *seen += 1;
    let slug = if *seen == 1 {
        base_slug
    } else {
        format!("{base_slug}-{seen}")
    };

    let (option_names, combos) = options(rng, leaf.options);
    let base_price = {
        let cents = rng.random_range(leaf.price.0..=leaf.price.1);
        (cents / 100).max(1) * 100 - 1
    };
    let scales = matches!(leaf.options, Options::Size(_));
    let variants: Vec<VariantRow> = combos
        .into_iter()
        .enumerate()
        .map(|(n, values)| VariantRow {
            id: uuid(rng),
            sku: format!("{}-{:06}-{:02}", vendor.seed.code, index + 1, n + 1),
            price: if scales {
                base_price + base_price * n as i64 / 4
            } else {
                base_price
            },
            stock: if rng.random_bool(0.1) {
                0
            } else {
                rng.random_range(1..=40)
            },
            option_values: values,
        })
        .collect();

    // Listed four months before the epoch, so that every review (written up to 118 days after
    // the listing) is dated before it: the epoch is in the past, and no review is in the future.
    let created_at = epoch
        - Duration::days(REVIEW_DAYS + 2)
        - Duration::minutes((index as i64) * 7 + rng.random_range(0..5));
    let picture_count = rng.random_range(1..=images::PICTURES_PER_LEAF);
    let first = (index as u32) % images::PICTURES_PER_LEAF;
    let images = (0..picture_count)
        .map(|n| {
            let key = images::picture_key(leaf, (first + n) % images::PICTURES_PER_LEAF);
            (key, format!("{title}, view {}", n + 1))
        })
        .collect();

    let quality: f64 = rng.random_range(2.6..5.0);
    let review_count = if rng.random_bool(0.25) {
        0
    } else {
        rng.random_range(1..=12)
    };
    let reviews = (0..review_count)
        .map(|_| {
            let rating = (quality + rng.random_range(-1.4..1.2)).round().clamp(1.0, 5.0) as i16;
            let (titles, bodies) = REVIEW_TEXT[(rating - 1) as usize];
            ReviewRow {
                author: REVIEWERS.choose(rng).unwrap_or(&"A shopper"),
                rating,
                title: titles.choose(rng).unwrap_or(&""),
                body: bodies.choose(rng).unwrap_or(&""),
                created_at: created_at + Duration::hours(rng.random_range(24..24 * REVIEW_DAYS)),
            }
        })
        .collect();

    let status = match index % 100 {
        13 => "draft",
        57 => "archived",
        _ => "active",
    };
    ProductRow {
        id: uuid(rng),
        vendor_id: vendor.id,
        category_id,
        description: description(rng, leaf, &title, vendor),
        slug,
        title,
        status,
        option_names,
        created_at,
        variants,
        images,
        reviews,
    }
}

use app::text::slugify;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_arguments_same_catalog() {
        let (a, b) = (catalog(300), catalog(300));
        let key = |c: &Catalog| {
            c.products
                .iter()
                .map(|p| {
                    (
                        p.slug.clone(),
                        p.variants
                            .iter()
                            .map(|v| (v.sku.clone(), v.price, v.stock))
                            .collect::<Vec<_>>(),
                    )
                })
                .collect::<Vec<_>>()
        };
        assert_eq!(key(&a), key(&b));
        assert_eq!(a.products[10].id, b.products[10].id);
    }

    #[test]
    fn slugs_and_skus_are_unique_and_well_formed() {
        let c = catalog(3000);
        let mut slugs: Vec<&str> = c.products.iter().map(|p| p.slug.as_str()).collect();
        slugs.sort();
        slugs.dedup();
        assert_eq!(slugs.len(), 3000);
        assert!(
            slugs.iter().all(|s| app::slug::Slug::is_valid(s)),
            "every slug is a valid slug"
        );
        let mut skus: Vec<&str> = c
            .products
            .iter()
            .flat_map(|p| p.variants.iter().map(|v| v.sku.as_str()))
            .collect();
        let n = skus.len();
        skus.sort();
        skus.dedup();
        assert_eq!(skus.len(), n);
    }

    #[test]
    fn the_tree_has_three_levels_and_every_leaf_gets_products() {
        let c = catalog(2000);
        let parent: HashMap<Uuid, Option<Uuid>> = c.categories.iter().map(|c| (c.id, c.parent_id)).collect();
        let depth = |mut id: Uuid| {
            let mut d = 0;
            while let Some(Some(p)) = parent.get(&id) {
                id = *p;
                d += 1;
            }
            d
        };
        assert_eq!(c.categories.iter().map(|c| depth(c.id)).max(), Some(2));
        let leaves: Vec<Uuid> = c
            .categories
            .iter()
            .filter(|c| depth(c.id) == 2)
            .map(|c| c.id)
            .collect();
        for leaf in leaves {
            assert!(c.products.iter().filter(|p| p.category_id == leaf).count() >= 40);
        }
        assert!(c.vendors.iter().filter(|v| v.seed.status == "approved").count() >= 8);
    }
}
