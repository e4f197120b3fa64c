//! Uploaded images: checked (format, size, dimensions) before anything is decoded in full,
//! resized to every width the storefront asks for with the `image` crate on a blocking
//! thread, and stored through `object_store` (a local directory by default).

use app::ui::IMAGE_WIDTHS;
use image::codecs::jpeg::JpegEncoder;
use image::imageops::FilterType;
use image::{DynamicImage, ImageFormat, ImageReader, Limits, Rgb, RgbImage};
use object_store::path::Path as StorePath;
use object_store::{ObjectStore, PutPayload};
use std::io::Cursor;
use std::sync::Arc;

/// Largest file accepted.
pub const MAX_BYTES: usize = 10 * 1024 * 1024;
/// Largest side accepted, and the most pixels (a decompression bomb declares far more).
pub const MAX_SIDE: u32 = 8_000;
pub const MAX_PIXELS: u64 = 40_000_000;
const JPEG_QUALITY: u8 = 82;

/// Why an upload was refused, in words for the vendor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refused {
    Empty,
    TooLarge,
    NotAnImage,
    TooManyPixels,
    Broken,
}

impl Refused {
    /// The notice key the editor shows (see `accounts::forms`).
    pub fn notice(self) -> &'static str {
        match self {
            Self::Empty => "image-empty",
            Self::TooLarge => "image-too-large",
            Self::NotAnImage => "image-not-image",
            Self::TooManyPixels => "image-too-many-pixels",
            Self::Broken => "image-broken",
        }
    }
}

/// Renditions of one image, ready to store: (width, JPEG bytes), and the largest's size.
pub struct Renditions {
    pub files: Vec<(u32, Vec<u8>)>,
    pub width: u32,
    pub height: u32,
}

/// Decodes `bytes` (JPEG, PNG or WebP) within limits and renders every width. CPU-bound: call
/// it through `spawn_blocking`.
pub fn render(bytes: &[u8]) -> Result<Renditions, Refused> {
    if bytes.is_empty() {
        return Err(Refused::Empty);
    }
    if bytes.len() > MAX_BYTES {
        return Err(Refused::TooLarge);
    }
    let reader = || {
        ImageReader::new(Cursor::new(bytes))
            .with_guessed_format()
            .map_err(|_| Refused::NotAnImage)
    };
    let format = reader()?.format().ok_or(Refused::NotAnImage)?;
    if !matches!(format, ImageFormat::Jpeg | ImageFormat::Png | ImageFormat::WebP) {
        return Err(Refused::NotAnImage);
    }
    // The header's claim first: nothing is allocated for an image we would refuse.
    let (w, h) = reader()?.into_dimensions().map_err(|_| Refused::Broken)?;
    if w == 0 || h == 0 || w > MAX_SIDE || h > MAX_SIDE || u64::from(w) * u64::from(h) > MAX_PIXELS {
        return Err(Refused::TooManyPixels);
    }
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    limits.max_alloc = Some(MAX_PIXELS * 4 + 64 * 1024 * 1024);
    let mut decoder = reader()?;
    decoder.limits(limits);
    let image = decoder.decode().map_err(|error| match error {
        image::ImageError::Limits(_) => Refused::TooManyPixels,
        _ => Refused::Broken,
    })?;
    let image = on_white(image);
    let files = IMAGE_WIDTHS
        .iter()
        .map(|&width| {
            let height = (u64::from(h) * u64::from(width) / u64::from(w)).max(1) as u32;
            let resized =
                DynamicImage::ImageRgb8(image.clone()).resize_exact(width, height, FilterType::Triangle);
            let mut out = Vec::new();
            JpegEncoder::new_with_quality(&mut out, JPEG_QUALITY)
                .encode_image(&resized)
                .map_err(|_| Refused::Broken)?;
            Ok((width, out))
        })
        .collect::<Result<Vec<_>, Refused>>()?;
    let largest = *IMAGE_WIDTHS.last().unwrap_or(&w);
    Ok(Renditions {
        files,
        width: largest,
        height: (u64::from(h) * u64::from(largest) / u64::from(w)).max(1) as u32,
    })
}

/// Transparent pixels over white (JPEG has no transparency).
fn on_white(image: DynamicImage) -> RgbImage {
    if !image.color().has_alpha() {
        return image.to_rgb8();
    }
    let rgba = image.to_rgba8();
    RgbImage::from_fn(rgba.width(), rgba.height(), |x, y| {
        let p = rgba.get_pixel(x, y).0;
        let a = u16::from(p[3]);
        Rgb([0, 1, 2].map(|i| ((u16::from(p[i]) * a + 255 * (255 - a)) / 255) as u8))
    })
}

/// The local media directory as an object store (created if missing).
pub fn local_store(dir: &std::path::Path) -> anyhow::Result<Arc<dyn ObjectStore>> {
    std::fs::create_dir_all(dir)?;
    Ok(Arc::new(object_store::local::LocalFileSystem::new_with_prefix(
        dir,
    )?))
}

/// Stores every rendition of `key` as `<key>-<width>.jpg`.
pub async fn put(store: &dyn ObjectStore, key: &str, renditions: &Renditions) -> object_store::Result<()> {
    for (width, bytes) in &renditions.files {
        let path = StorePath::from(format!("{key}-{width}.jpg"));
        store.put(&path, PutPayload::from(bytes.clone())).await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::ImageEncoder;

    fn png(width: u32, height: u32) -> Vec<u8> {
        let mut out = Vec::new();
        let pixels = vec![200u8; (width * height * 4) as usize];
        image::codecs::png::PngEncoder::new(&mut out)
            .write_image(&pixels, width, height, image::ExtendedColorType::Rgba8)
            .unwrap();
        out
    }

    #[test]
    fn renders_every_width_keeping_the_shape() {
        let r = render(&png(400, 200)).unwrap();
        assert_eq!(r.files.len(), IMAGE_WIDTHS.len());
        assert_eq!((r.width, r.height), (960, 480));
        let small = image::load_from_memory(&r.files[0].1).unwrap();
        assert_eq!((small.width(), small.height()), (320, 160));
    }

    #[test]
    fn refuses_what_is_not_an_image_or_too_big() {
        assert_eq!(render(b"").err(), Some(Refused::Empty));
        assert_eq!(render(b"%PDF-1.7 not an image").err(), Some(Refused::NotAnImage));
        assert_eq!(render(b"GIF89a......").err(), Some(Refused::NotAnImage));
        assert_eq!(render(&vec![0u8; MAX_BYTES + 1]).err(), Some(Refused::TooLarge));
        // A decompression bomb: a small file of 49 million pixels.
        let mut bomb = Vec::new();
        image::codecs::png::PngEncoder::new(&mut bomb)
            .write_image(
                &vec![0u8; 7_000 * 7_000],
                7_000,
                7_000,
                image::ExtendedColorType::L8,
            )
            .unwrap();
        assert!(bomb.len() < MAX_BYTES / 10, "{} bytes", bomb.len());
        assert_eq!(render(&bomb).err(), Some(Refused::TooManyPixels));
        let mut truncated = png(50, 50);
        truncated.truncate(60);
        assert!(matches!(render(&truncated).err(), Some(Refused::Broken)));
    }
}
