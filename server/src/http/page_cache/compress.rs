//! A kept page's compressed bytes, made once when it is kept.

use axum::body::Bytes;
use brotli::enc::{Allocator, BrotliAlloc, StandardAlloc, writer::CompressorWriterCustomAlloc};
use std::io::Write;

/// Brotli's quality: quality 9's hash table is 32 MB where 5's is 1 MB, for pages 1 % smaller
/// (5,569 bytes instead of 5,634 for a 30 KB product page).
const QUALITY: u32 = 5;
/// The smallest window (2^17 bytes) for which the `brotli` crate picks quality 5's own small
/// hasher. With 2^16 or less, C brotli's choice (H40) is one the crate does not have, and it
/// falls back to a 32 MB table, allocated and zeroed for each page, which under load held the
/// server's memory 30–70 MB above its need. A larger window than the page costs nothing else.
const SMALLEST_WINDOW: u32 = 17;
const LARGEST_WINDOW: u32 = 22;

pub fn brotli(bytes: &[u8]) -> Bytes {
    Bytes::from(brotli_with(bytes, StandardAlloc::default()))
}

fn brotli_with<A: BrotliAlloc>(bytes: &[u8], mut alloc: A) -> Vec<u8> {
    let window = (usize::BITS - bytes.len().max(1).leading_zeros()).clamp(SMALLEST_WINDOW, LARGEST_WINDOW);
    let buffer = <A as Allocator<u8>>::alloc_cell(&mut alloc, 4096);
    let mut out = Vec::with_capacity(bytes.len() / 4);
    {
        let mut writer = CompressorWriterCustomAlloc::new(&mut out, buffer, alloc, QUALITY, window);
        let _ = writer.write_all(bytes);
    }
    out
}

pub fn gzip(bytes: &[u8]) -> Bytes {
    let mut writer = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::new(9));
    let _ = writer.write_all(bytes);
    Bytes::from(writer.finish().unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};

    /// The standard allocator, noting the largest block the encoder asks for.
    #[derive(Clone, Default)]
    struct Noting {
        inner: StandardAlloc,
        largest: Arc<AtomicUsize>,
    }

    impl<T: Clone + Default> Allocator<T> for Noting {
        type AllocatedMemory = <StandardAlloc as Allocator<T>>::AllocatedMemory;

        fn alloc_cell(&mut self, len: usize) -> Self::AllocatedMemory {
            self.largest.fetch_max(len * size_of::<T>(), Ordering::Relaxed);
            <StandardAlloc as Allocator<T>>::alloc_cell(&mut self.inner, len)
        }

        fn free_cell(&mut self, cell: Self::AllocatedMemory) {
            <StandardAlloc as Allocator<T>>::free_cell(&mut self.inner, cell)
        }
    }

    impl BrotliAlloc for Noting {}

    fn page(bytes: usize) -> Vec<u8> {
        let card = "<li class=\"card\"><a href=\"/p/linen-apron\">Linen apron</a><span>$24.00</span></li>\n";
        card.bytes().cycle().take(bytes).collect()
    }

    #[test]
    fn a_page_is_compressed_without_a_large_table() {
        for size in [300, 30_000, 200_000] {
            let page = page(size);
            let noting = Noting::default();
            let compressed = brotli_with(&page, noting.clone());
            let largest = noting.largest.load(Ordering::Relaxed);
            assert!(
                largest <= 2 << 20,
                "a {size}-byte page asked for a block of {largest} bytes"
            );
            let mut plain = Vec::new();
            brotli::BrotliDecompress(&mut &compressed[..], &mut plain).unwrap();
            assert_eq!(plain, page);
        }
    }
}
