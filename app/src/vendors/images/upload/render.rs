//! Rendering one uploaded image: its header checked, its memory estimated before anything is
//! decoded, then decoded under `image`'s allocation limit, laid over white, resized to every
//! width the storefront asks for and encoded as JPEG. CPU-bound and blocking: run it through
//! `super::Renderer`.

use super::{MAX_BYTES, MAX_PIXELS, MAX_SIDE, Refused, Renditions};
use crate::ui::IMAGE_WIDTHS;
use image::codecs::jpeg::JpegEncoder;
use image::imageops::FilterType;
use image::{DynamicImage, ImageDecoder, ImageFormat, ImageReader, Limits};
use std::io::Cursor;

const MIB: u64 = 1024 * 1024;

/// The most memory rendering one image may take; an image estimated to need more is refused
/// as too many pixels. The estimate (`peak_memory`) counts the decoded pixels, what the decoder
/// keeps beside them and the resizing; `image`'s `max_alloc` holds the decoder to the pixels it
/// was estimated for. What fits: a 40-megapixel colour JPEG (114 MiB of pixels and up to
/// 305 MiB of coefficients), a 40-megapixel 16-bit RGBA PNG (305 MiB of pixels); a flat
/// 6,000 × 6,000 RGB PNG needs about 120 MiB.
pub const RENDER_MEMORY: u64 = 448 * MIB;
/// A decoder's own buffers (rows, tables, chunks) beside the pixels it returns.
const DECODER_SLACK: u64 = 16 * MIB;
/// The resampler's rows are four `f32` channels.
const RESAMPLER_BYTES_PER_PIXEL: u64 = 16;
const JPEG_QUALITY: u8 = 82;

/// What the header says about an image, read without decoding it.
struct Header {
    format: ImageFormat,
    width: u32,
    height: u32,
    bytes_per_pixel: u64,
}

/// The size of a rendition `to` pixels wide of a `width` × `height` image, its shape kept
/// (smaller images are enlarged).
fn rendition_size(width: u32, height: u32, to: u32) -> (u32, u32) {
    let scaled = u64::from(height) * u64::from(to) / u64::from(width);
    (to, u32::try_from(scaled.max(1)).unwrap_or(u32::MAX))
}

/// Whether the largest rendition is made by averaging areas (the image is at least twice as
/// wide): no resampler rows over the whole image, and as sharp at that ratio.
fn shrinks_by_area(width: u32, largest: u32) -> bool {
    width >= 2 * largest
}

/// The most memory rendering an image described by `header` holds at once, in bytes.
fn peak_memory(header: &Header) -> u64 {
    let (w, h) = (u64::from(header.width), u64::from(header.height));
    let pixels = w * h;
    let decoded = pixels * header.bytes_per_pixel;
    let beside_decoder = match header.format {
        // A progressive JPEG keeps every coefficient until its last scan: 2 bytes for each of
        // up to four channels of each pixel (a baseline JPEG needs far less; counted the same).
        ImageFormat::Jpeg => pixels * 8,
        // A WebP with transparency or animation is put together in a canvas beside its frame.
        ImageFormat::WebP => pixels * 8,
        _ => 0,
    };
    let largest = *IMAGE_WIDTHS.last().unwrap_or(&960);
    let (lw, lh) = rendition_size(header.width, header.height, largest);
    let (lw, lh) = (u64::from(lw), u64::from(lh));
    let resampling = if shrinks_by_area(header.width, largest) {
        0
    } else {
        RESAMPLER_BYTES_PER_PIXEL * w * lh
    };
    // While the largest rendition is made from the decoded image.
    let first = decoded + lw * lh * header.bytes_per_pixel + resampling;
    // Then the smaller ones from the largest (the decoded image is gone).
    let rest = IMAGE_WIDTHS
        .iter()
        .map(|&width| {
            let height = lh * u64::from(width) / lw;
            lw * lh * 3 + RESAMPLER_BYTES_PER_PIXEL * lw * height + u64::from(width) * height * 3
        })
        .max()
        .unwrap_or(0);
    DECODER_SLACK + (decoded + beside_decoder).max(first).max(rest)
}

/// The most memory rendering `bytes` would hold at once, if it is an image we render.
pub fn peak_memory_of(bytes: &[u8]) -> Option<u64> {
    header(bytes).ok().map(|header| peak_memory(&header))
}

/// Decodes `bytes` (JPEG, PNG or WebP) within `RENDER_MEMORY` and renders every width.
pub fn render(bytes: &[u8]) -> Result<Renditions, Refused> {
    let header = header(bytes)?;
    let (w, h) = (header.width, header.height);
    if w == 0 || h == 0 || w > MAX_SIDE || h > MAX_SIDE || u64::from(w) * u64::from(h) > MAX_PIXELS {
        return Err(Refused::TooManyPixels);
    }
    let largest = *IMAGE_WIDTHS.last().unwrap_or(&960);
    let (lw, lh) = rendition_size(w, h, largest);
    if lh > MAX_SIDE {
        return Err(Refused::TooTall);
    }
    if peak_memory(&header) > RENDER_MEMORY {
        return Err(Refused::TooManyPixels);
    }
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    limits.max_alloc = Some(u64::from(w) * u64::from(h) * header.bytes_per_pixel + DECODER_SLACK);
    let mut reader = reader(bytes)?;
    reader.limits(limits);
    let mut image = reader.decode().map_err(|error| match error {
        image::ImageError::Limits(_) => Refused::TooManyPixels,
        _ => Refused::Broken,
    })?;
    flatten(&mut image);
    let big = if shrinks_by_area(w, lw) {
        image.thumbnail_exact(lw, lh)
    } else {
        image.resize_exact(lw, lh, FilterType::Triangle)
    };
    drop(image);
    let big = DynamicImage::ImageRgb8(big.into_rgb8());
    let files = IMAGE_WIDTHS
        .iter()
        .map(|&width| {
            let file = if width == lw {
                jpeg(&big)?
            } else {
                let (_, height) = rendition_size(lw, lh, width);
                jpeg(&big.resize_exact(width, height, FilterType::Triangle))?
            };
            Ok((width, file))
        })
        .collect::<Result<Vec<_>, Refused>>()?;
    Ok(Renditions {
        files,
        width: lw,
        height: lh,
    })
}

fn reader(bytes: &[u8]) -> Result<ImageReader<Cursor<&[u8]>>, Refused> {
    ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|_| Refused::NotAnImage)
}

/// The format, size and decoded pixel size of `bytes`, from the header alone.
fn header(bytes: &[u8]) -> Result<Header, Refused> {
    if bytes.is_empty() {
        return Err(Refused::Empty);
    }
    if bytes.len() > MAX_BYTES {
        return Err(Refused::TooLarge);
    }
    let reader = reader(bytes)?;
    let format = reader.format().ok_or(Refused::NotAnImage)?;
    if !matches!(format, ImageFormat::Jpeg | ImageFormat::Png | ImageFormat::WebP) {
        return Err(Refused::NotAnImage);
    }
    let decoder = reader.into_decoder().map_err(|_| Refused::Broken)?;
    let (width, height) = decoder.dimensions();
    Ok(Header {
        format,
        width,
        height,
        bytes_per_pixel: u64::from(decoder.color_type().bytes_per_pixel()),
    })
}

fn jpeg(image: &DynamicImage) -> Result<Vec<u8>, Refused> {
    let mut out = Vec::new();
    JpegEncoder::new_with_quality(&mut out, JPEG_QUALITY)
        .encode_image(image)
        .map_err(|_| Refused::Broken)?;
    Ok(out)
}

/// Lays transparent pixels over white in place (JPEG has no transparency). Before resizing,
/// so the colour of invisible pixels does not bleed into the edges.
fn flatten(image: &mut DynamicImage) {
    match image {
        DynamicImage::ImageLumaA8(pixels) => over_white(pixels, 2),
        DynamicImage::ImageRgba8(pixels) => over_white(pixels, 4),
        DynamicImage::ImageLumaA16(pixels) => over_white(pixels, 2),
        DynamicImage::ImageRgba16(pixels) => over_white(pixels, 4),
        DynamicImage::ImageRgba32F(pixels) => over_white(pixels, 4),
        _ => {}
    }
}

/// A channel value, as far as laying it over white needs.
trait Channel: Copy {
    const MAX: f32;
    fn to_f32(self) -> f32;
    fn from_f32(value: f32) -> Self;
}

impl Channel for u8 {
    const MAX: f32 = 255.0;
    fn to_f32(self) -> f32 {
        f32::from(self)
    }
    fn from_f32(value: f32) -> Self {
        value.round() as u8
    }
}

impl Channel for u16 {
    const MAX: f32 = 65_535.0;
    fn to_f32(self) -> f32 {
        f32::from(self)
    }
    fn from_f32(value: f32) -> Self {
        value.round() as u16
    }
}

impl Channel for f32 {
    const MAX: f32 = 1.0;
    fn to_f32(self) -> f32 {
        self
    }
    fn from_f32(value: f32) -> Self {
        value
    }
}

/// `samples` are pixels of `channels` channels, the last one alpha.
fn over_white<S: Channel>(samples: &mut [S], channels: usize) {
    for pixel in samples.chunks_exact_mut(channels) {
        let Some((alpha, colour)) = pixel.split_last_mut() else {
            continue;
        };
        let opacity = (alpha.to_f32() / S::MAX).clamp(0.0, 1.0);
        for c in colour {
            *c = S::from_f32(c.to_f32() * opacity + S::MAX * (1.0 - opacity));
        }
        *alpha = S::from_f32(S::MAX);
    }
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
        for (w, h) in [(400, 200), (2_000, 1_000), (4_000, 2_000)] {
            let r = render(&png(w, h)).unwrap();
            assert_eq!(r.files.len(), IMAGE_WIDTHS.len());
            assert_eq!((r.width, r.height), (960, 480));
            for (width, file) in &r.files {
                let small = image::load_from_memory(file).unwrap();
                assert_eq!((small.width(), small.height()), (*width, width / 2));
            }
        }
    }

    #[test]
    fn transparency_is_laid_over_white() {
        let mut out = Vec::new();
        // Half transparent black, and fully transparent red: grey, and white.
        let pixels: Vec<u8> = (0..64 * 64)
            .flat_map(|i| {
                if i % 64 < 32 {
                    [0, 0, 0, 128]
                } else {
                    [255, 0, 0, 0]
                }
            })
            .collect();
        image::codecs::png::PngEncoder::new(&mut out)
            .write_image(&pixels, 64, 64, image::ExtendedColorType::Rgba8)
            .unwrap();
        let r = render(&out).unwrap();
        let image = image::load_from_memory(&r.files[0].1).unwrap().to_rgb8();
        let grey = image.get_pixel(10, 10).0;
        let white = image.get_pixel(300, 10).0;
        assert!(grey.iter().all(|c| (120..=135).contains(c)), "{grey:?}");
        assert!(white.iter().all(|c| *c >= 250), "{white:?}");
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

    #[test]
    fn a_thin_image_is_not_enlarged_into_gigabytes() {
        // 960 px wide, a 1 × 8,000 image would be 7.68 million px tall (22 GB of pixels).
        assert_eq!(render(&png(1, 8_000)).err(), Some(Refused::TooTall));
        assert_eq!(render(&png(100, 900)).err(), Some(Refused::TooTall));
        let r = render(&png(120, 1_000)).unwrap();
        assert_eq!((r.width, r.height), (960, 8_000));
    }

    #[test]
    fn memory_is_estimated_for_the_worst_cases() {
        let header = |format, width, height, bytes_per_pixel| Header {
            format,
            width,
            height,
            bytes_per_pixel,
        };
        // 40 megapixels fit as a colour JPEG, an RGBA PNG, a 16-bit RGBA PNG.
        for (format, bytes) in [
            (ImageFormat::Jpeg, 3),
            (ImageFormat::Png, 4),
            (ImageFormat::Png, 8),
        ] {
            let worst = [(8_000, 5_000), (5_000, 8_000), (1_919, 8_000), (1_000, 8_000)]
                .into_iter()
                .map(|(w, h)| peak_memory(&header(format, w, h, bytes)))
                .max()
                .unwrap();
            assert!(worst <= RENDER_MEMORY, "{format:?} {bytes}: {} MiB", worst / MIB);
        }
        let flat = peak_memory(&header(ImageFormat::Png, 6_000, 6_000, 3));
        assert!((100 * MIB..130 * MIB).contains(&flat), "{} MiB", flat / MIB);
        // A 40-megapixel WebP needs more than one render may take.
        assert!(peak_memory(&header(ImageFormat::WebP, 8_000, 5_000, 4)) > RENDER_MEMORY);
    }
}
