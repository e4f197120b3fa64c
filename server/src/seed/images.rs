//! Product pictures for the demo, drawn locally (no network): a soft studio background, a
//! silhouette of the product type and its shadow, saved as JPEG renditions at each width the
//! storefront asks for.

use super::data::{Leaf, Shape, TREE};
use anyhow::Context;
use app::ui::IMAGE_WIDTHS;
use image::{DynamicImage, ImageFormat, Rgb, RgbImage};
use std::path::Path;

/// Pictures drawn for each leaf category; a product shows some of its leaf's.
pub const PICTURES_PER_LEAF: u32 = 3;

/// Side of the square original; the largest rendition.
pub const SIZE: u32 = 960;

/// Draws every demo picture into `media_dir`; returns how many there are.
pub fn pictures(media_dir: &Path) -> anyhow::Result<usize> {
    let mut count = 0;
    for leaf in TREE
        .iter()
        .flat_map(|r| r.branches.iter().flat_map(|b| b.leaves.iter()))
    {
        for n in 0..PICTURES_PER_LEAF {
            ensure(media_dir, &picture_key(leaf, n), leaf.shape, leaf.hue, n)?;
            count += 1;
        }
    }
    Ok(count)
}

pub fn picture_key(leaf: &Leaf, n: u32) -> String {
    format!("demo/{}-{n}", leaf.slug)
}

/// Draws picture `variant` of a product type and writes its renditions under `dir` as
/// `<key>-<width>.jpg`. Existing files are kept, so reseeding is cheap.
pub fn ensure(dir: &Path, key: &str, shape: Shape, hue: f32, variant: u32) -> anyhow::Result<()> {
    let paths: Vec<_> = IMAGE_WIDTHS
        .iter()
        .map(|w| (*w, dir.join(format!("{key}-{w}.jpg"))))
        .collect();
    if paths.iter().all(|(_, p)| p.exists()) {
        return Ok(());
    }
    if let Some(parent) = paths[0].1.parent() {
        std::fs::create_dir_all(parent).with_context(|| format!("cannot create {}", parent.display()))?;
    }
    // Each rendition is drawn at its own size: cheaper than resizing, and as sharp.
    // `DynamicImage::save_with_format` runs the encoder compiled (optimised) inside the image
    // crate; its generic API would be compiled here, at this crate's debug optimisation level.
    for (width, path) in paths {
        DynamicImage::ImageRgb8(draw(width, shape, hue, variant))
            .save_with_format(&path, ImageFormat::Jpeg)
            .with_context(|| format!("cannot write {}", path.display()))?;
    }
    Ok(())
}

fn draw(side: u32, shape: Shape, hue: f32, variant: u32) -> RgbImage {
    let object_hue = (hue + variant as f32 * 47.0) % 360.0;
    let background_top = hsl(hue, 0.25, 0.95);
    let background_bottom = hsl(hue, 0.20, 0.86);
    let object = hsl(
        object_hue,
        0.45 + 0.1 * (variant % 2) as f32,
        0.42 + 0.08 * (variant % 3) as f32,
    );
    let size = side as f32;
    RgbImage::from_fn(side, side, |x, y| {
        let (u, v) = (x as f32 / size, y as f32 / size);
        let mut colour = mix(background_top, background_bottom, v);
        // Soft elliptical shadow on the "floor".
        let (sx, sy) = ((u - 0.5) / 0.33, (v - 0.83) / 0.05);
        let shadow = (1.0 - (sx * sx + sy * sy)).clamp(0.0, 1.0);
        colour = mix(colour, [0.0, 0.0, 0.0], shadow * 0.18);
        if let Some(light) = inside(shape, u, v) {
            // Light from the top left.
            colour = mix(object, [1.0, 1.0, 1.0], light * 0.25);
        }
        Rgb(colour.map(|c| (c.clamp(0.0, 1.0) * 255.0) as u8))
    })
}

/// Whether (u, v) in 0..1 is on the silhouette, and how lit it is there.
fn inside(shape: Shape, u: f32, v: f32) -> Option<f32> {
    let light = ((1.0 - u) * 0.5 + (1.0 - v) * 0.5).clamp(0.0, 1.0);
    let rect = |x0: f32, y0: f32, x1: f32, y1: f32| u >= x0 && u <= x1 && v >= y0 && v <= y1;
    let hit = match shape {
        Shape::Shirt => {
            let body = rect(0.32, 0.25, 0.68, 0.80);
            // Sleeves slope down and out from the shoulders.
            let sleeve = (0.25..=0.45).contains(&v) && {
                let reach = 0.18 * (1.0 - (v - 0.25) / 0.3);
                (u >= 0.32 - reach && u < 0.32) || (u > 0.68 && u <= 0.68 + reach)
            };
            let neck = ((u - 0.5) / 0.08).powi(2) + ((v - 0.25) / 0.05).powi(2) < 1.0;
            (body || sleeve) && !neck
        }
        Shape::Round => {
            let (dx, dy) = (u - 0.5, v - 0.5);
            let ring = (dx * dx + dy * dy).sqrt();
            ring < 0.3 && !(ring < 0.12 && v > 0.5)
        }
        Shape::Block => {
            let (dx, dy) = ((u - 0.5).abs() - 0.2, (v - 0.52).abs() - 0.27);
            let r = 0.05;
            dx.max(0.0).hypot(dy.max(0.0)) + dx.max(dy).min(0.0) < r
        }
        Shape::Bottle => rect(0.36, 0.38, 0.64, 0.80) || rect(0.44, 0.20, 0.56, 0.40),
        Shape::Peak => (0.22..=0.80).contains(&v) && (u - 0.5).abs() <= (v - 0.22) * 0.55,
    };
    hit.then_some(light)
}

fn mix(a: [f32; 3], b: [f32; 3], t: f32) -> [f32; 3] {
    [
        a[0] + (b[0] - a[0]) * t,
        a[1] + (b[1] - a[1]) * t,
        a[2] + (b[2] - a[2]) * t,
    ]
}

fn hsl(h: f32, s: f32, l: f32) -> [f32; 3] {
    let c = (1.0 - (2.0 * l - 1.0).abs()) * s;
    let hp = h / 60.0;
    let x = c * (1.0 - (hp % 2.0 - 1.0).abs());
    let (r, g, b) = match hp as u32 {
        0 => (c, x, 0.0),
        1 => (x, c, 0.0),
        2 => (0.0, c, x),
        3 => (0.0, x, c),
        4 => (x, 0.0, c),
        _ => (c, 0.0, x),
    };
    let m = l - c / 2.0;
    [r + m, g + m, b + m]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_every_rendition_once() {
        let dir = std::env::temp_dir().join(format!("seed-images-{}", std::process::id()));
        ensure(&dir, "demo/test-0", Shape::Shirt, 200.0, 0).unwrap();
        for w in IMAGE_WIDTHS {
            let img = image::open(dir.join(format!("demo/test-0-{w}.jpg"))).unwrap();
            assert_eq!((img.width(), img.height()), (w, w));
        }
        let modified = std::fs::metadata(dir.join("demo/test-0-320.jpg"))
            .unwrap()
            .modified()
            .unwrap();
        ensure(&dir, "demo/test-0", Shape::Shirt, 200.0, 0).unwrap();
        assert_eq!(
            std::fs::metadata(dir.join("demo/test-0-320.jpg"))
                .unwrap()
                .modified()
                .unwrap(),
            modified
        );
        std::fs::remove_dir_all(dir).unwrap();
    }
}
