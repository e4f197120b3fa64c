//! Uploaded images: checked (format, size, dimensions, the memory they would take) before
//! anything is decoded, resized to every width the storefront asks for with the `image` crate
//! on a blocking thread, a few at a time, and stored through `object_store` (a local directory
//! by default).

use crate::ui::Notice;
use object_store::path::Path as StorePath;
use object_store::{ObjectStore, PutPayload};
use std::sync::Arc;
use tokio::sync::Semaphore;

mod render;

pub use render::{RENDER_MEMORY, peak_memory_of, render};

/// Largest file accepted.
pub const MAX_BYTES: usize = 10 * 1024 * 1024;
/// Largest side accepted, and the most pixels (a decompression bomb declares far more).
pub const MAX_SIDE: u32 = 8_000;
pub const MAX_PIXELS: u64 = 40_000_000;

/// Why an upload was refused, in words for the vendor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refused {
    Empty,
    TooLarge,
    NotAnImage,
    TooManyPixels,
    /// Its largest rendition would be taller than `MAX_SIDE`.
    TooTall,
    Broken,
}

impl Refused {
    /// The notice the editor shows.
    pub fn notice(self) -> Notice {
        match self {
            Self::Empty => Notice::ImageEmpty,
            Self::TooLarge => Notice::ImageTooLarge,
            Self::NotAnImage => Notice::ImageNotImage,
            Self::TooManyPixels => Notice::ImageTooManyPixels,
            Self::TooTall => Notice::ImageTooTall,
            Self::Broken => Notice::ImageBroken,
        }
    }
}

/// Renditions of one image, ready to store: (width, JPEG bytes), and the largest's size.
pub struct Renditions {
    pub files: Vec<(u32, Vec<u8>)>,
    pub width: u32,
    pub height: u32,
}

/// Renders images a few at a time: each render holds a permit from before its blocking
/// thread starts until it ends, so however many uploads arrive, at most `permits` images are
/// decoded at once, each within `RENDER_MEMORY`; the others wait holding only their file.
#[derive(Clone)]
pub struct Renderer {
    permits: Arc<Semaphore>,
}

impl Renderer {
    /// A renderer running at most `permits` renders at once (at least one).
    pub fn new(permits: usize) -> Self {
        Self {
            permits: Arc::new(Semaphore::new(permits.max(1))),
        }
    }

    /// Checks and renders `bytes` on a blocking thread once a permit is free.
    pub async fn render(&self, bytes: Vec<u8>) -> Result<Renditions, Refused> {
        // The semaphore is never closed; an error could only mean it was.
        let permit = self
            .permits
            .clone()
            .acquire_owned()
            .await
            .map_err(|_| Refused::Broken)?;
        // The permit moves into the thread: a request dropped while its image is rendered (a
        // timeout) does not free its place before the memory is.
        let rendering = tokio::task::spawn_blocking(move || {
            let rendered = render(&bytes);
            drop(permit);
            rendered
        });
        match rendering.await {
            Ok(rendered) => rendered,
            Err(error) => {
                tracing::error!(%error, "resizing an image failed");
                Err(Refused::Broken)
            }
        }
    }
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
