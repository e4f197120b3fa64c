//! Many large images uploaded at once through the real router: they are decoded a few at a
//! time, each within its estimated memory, so the process grows by at most that many renders
//! however many uploads arrive, and every upload is answered.

use super::people::{browser, member, user};
use super::support::{SITE, TestApp};
use axum::body::Body;
use http::{Request, StatusCode, header};
use image::ImageEncoder;
use sqlx::PgPool;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

const MIB: u64 = 1024 * 1024;
/// Images decoded at once in this test (`IMAGE_DECODES`), whatever the machine's cores.
const PERMITS: u64 = 2;
const UPLOADS: usize = 30;
/// Memory the process may grow by beyond the renders themselves: the uploads' bodies and
/// renditions, the allocator's caches, blocking threads' stacks, and another test running
/// beside this one in the same process.
const MARGIN: u64 = 256 * MIB;

/// The resident memory of this process, from `/proc/self/status`.
fn rss() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmRSS:"))
        .and_then(|kb| kb.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        .map_or(0, |kb| kb * 1024)
}

/// A 6,000 × 6,000 PNG of one colour: 103 MiB of pixels in a file of a few hundred KB.
fn flat_png() -> Vec<u8> {
    let (side, mut out) = (6_000u32, Vec::new());
    let pixels = vec![180u8; (side * side * 3) as usize];
    image::codecs::png::PngEncoder::new(&mut out)
        .write_image(&pixels, side, side, image::ExtendedColorType::Rgb8)
        .unwrap();
    out
}

fn upload_request(uri: &str, cookie: &str, png: &[u8]) -> Request<Body> {
    let boundary = "----memory-test-boundary";
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"image\"; filename=\"flat.png\"\r\nContent-Type: image/png\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(png);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    Request::post(uri)
        .header(header::ORIGIN, SITE)
        .header(header::COOKIE, cookie)
        .header(
            header::CONTENT_TYPE,
            format!("multipart/form-data; boundary={boundary}"),
        )
        .header(header::CONTENT_LENGTH, body.len())
        .body(Body::from(body))
        .unwrap()
}

#[sqlx::test(migrations = "../migrations")]
async fn thirty_large_pngs_at_once_stay_within_the_renders_memory(pool: PgPool) {
    // Never beside the other test that measures the process's memory.
    let _heavy = super::support::HEAVY.lock().await;
    // Waiting uploads are not timed out here: every one must be rendered.
    let permits = PERMITS.to_string();
    let args = ["--image-decodes", &permits, "--request-timeout-secs", "600"];
    let app = TestApp::seeded(pool.clone(), 8, &args).await;
    let (shop, product): (String, String) = sqlx::query_as(
        "select v.slug, p.id::text from products p join vendors v on v.id = p.vendor_id
         where v.status = 'approved' order by v.slug, p.id limit 1",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    let owner = user(&pool, "a@example.com", false).await;
    member(&pool, owner, &shop, "owner").await;
    let cookie = browser(&app, "a@example.com").await.cookie.unwrap();
    let png = flat_png();
    let per_render = app::vendors::images::upload::peak_memory_of(&png).unwrap();
    let bound = PERMITS * per_render + MARGIN;

    let images = || async {
        sqlx::query_scalar::<_, i64>("select count(*) from product_images where product_id = $1::uuid")
            .bind(&product)
            .fetch_one(&pool)
            .await
            .unwrap()
    };
    let images_before = images().await;

    let baseline = rss();
    let done = Arc::new(AtomicBool::new(false));
    let sampler = {
        let done = done.clone();
        std::thread::spawn(move || {
            let mut highest = 0;
            while !done.load(Ordering::Relaxed) {
                highest = highest.max(rss());
                std::thread::sleep(Duration::from_millis(5));
            }
            highest
        })
    };
    let uri = format!("/vendor/{shop}/upload/image/{product}");
    let started = std::time::Instant::now();
    let answers =
        futures::future::join_all((0..UPLOADS).map(|_| app.request(upload_request(&uri, &cookie, &png))))
            .await;
    done.store(true, Ordering::Relaxed);
    let highest = sampler.join().unwrap();
    let growth = highest.saturating_sub(baseline);
    eprintln!(
        "{UPLOADS} uploads in {:?}: RSS {} MiB → {} MiB (+{} MiB; bound {} MiB = {PERMITS} × {} MiB + {} MiB)",
        started.elapsed(),
        baseline / MIB,
        highest / MIB,
        growth / MIB,
        bound / MIB,
        per_render / MIB,
        MARGIN / MIB,
    );

    let added = format!("/vendor/{shop}/products/{product}?notice=image-added");
    for answer in &answers {
        assert_eq!(answer.status, StatusCode::SEE_OTHER, "{}", answer.body);
        assert_eq!(answer.header("location"), added);
    }
    assert_eq!(images().await - images_before, UPLOADS as i64);
    assert!(
        growth > 50 * MIB,
        "the sampler saw the decodes (+{} MiB)",
        growth / MIB
    );
    assert!(
        growth <= bound,
        "RSS grew by {} MiB, more than {PERMITS} renders of {} MiB and {} MiB",
        growth / MIB,
        per_render / MIB,
        MARGIN / MIB
    );
}
