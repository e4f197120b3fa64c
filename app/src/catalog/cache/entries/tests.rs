use super::Entries;
use crate::error::{AppError, AppResult};
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;
use tokio::sync::oneshot;

const TTL: Duration = Duration::from_millis(300);

async fn value(n: u32) -> AppResult<u32> {
    Ok(n)
}

/// Waits for the background reload under way to end.
async fn reloaded(entries: &Entries<(), u32>) {
    tokio::time::timeout(Duration::from_secs(5), async {
        while !entries.loads.is_idle() {
            tokio::time::sleep(Duration::from_millis(1)).await;
        }
    })
    .await
    .expect("the reload ends");
}

#[tokio::test]
async fn weighed_entries_are_bounded_by_their_bytes_not_their_number() {
    let entries: Entries<String, String> = Entries::weighed(Duration::from_secs(60), 20_000);
    for n in 0..100 {
        let big = "x".repeat(1_000 + n);
        entries
            .get(format!("key-{n}"), || async { Ok(big) })
            .await
            .unwrap();
    }
    entries.loaded.run_pending_tasks().await;
    assert!(
        entries.loaded.weighted_size() <= 20_000,
        "{}",
        entries.loaded.weighted_size()
    );
    assert!(
        entries.loaded.entry_count() < 20,
        "{}",
        entries.loaded.entry_count()
    );
    let huge = "y".repeat(100_000);
    entries
        .get("huge".to_string(), || async { Ok(huge) })
        .await
        .unwrap();
    entries.loaded.run_pending_tasks().await;
    assert!(
        entries.loaded.weighted_size() <= 20_000,
        "an entry over the budget is not kept"
    );
}

#[tokio::test]
async fn a_load_ends_for_everyone_though_the_request_that_began_it_stops_being_polled() {
    let entries: Entries<u32, u32> = Entries::new(TTL, 10);
    let (_hold, held) = oneshot::channel::<()>();
    // The first request starts the load and is then neither polled nor dropped, as a
    // request whose client went away can be; its load waits on something for a while.
    let mut first = Box::pin(entries.get(1, || async {
        let _ = tokio::time::timeout(Duration::from_millis(50), held).await;
        value(1).await
    }));
    assert!(futures_poll_once(first.as_mut()).await.is_none());
    let second = tokio::time::timeout(Duration::from_secs(2), entries.get(1, || value(2))).await;
    assert_eq!(
        *second.expect("the second request got the load's value").unwrap(),
        1
    );
}

/// Polls `future` once.
async fn futures_poll_once<F: std::future::Future + Unpin>(mut future: F) -> Option<F::Output> {
    std::future::poll_fn(|cx| {
        std::task::Poll::Ready(match std::pin::Pin::new(&mut future).poll(cx) {
            std::task::Poll::Ready(output) => Some(output),
            std::task::Poll::Pending => None,
        })
    })
    .await
}

#[tokio::test]
async fn a_stale_entry_is_served_to_everyone_while_one_task_reloads_it() {
    let entries: Entries<(), u32> = Entries::new(TTL, 1);
    assert_eq!(*entries.get((), || value(1)).await.unwrap(), 1);
    assert_eq!(
        *entries.get((), || value(2)).await.unwrap(),
        1,
        "fresh: not loaded again"
    );
    tokio::time::sleep(TTL + Duration::from_millis(20)).await;

    let (release, released) = oneshot::channel::<()>();
    let first = entries.get((), move || async move {
        released.await.ok();
        Ok(3)
    });
    let first = tokio::time::timeout(Duration::from_secs(1), first)
        .await
        .expect("answered before the reload ends")
        .unwrap();
    assert_eq!(*first, 1, "the request that finds it stale does not wait either");
    assert!(!entries.loads.is_idle(), "a reload is under way");
    let loads = Arc::new(AtomicU32::new(0));
    let others = entries
        .get((), || {
            let loads = loads.clone();
            async move {
                loads.fetch_add(1, Ordering::SeqCst);
                Ok(4)
            }
        })
        .await
        .unwrap();
    assert_eq!(*others, 1, "others get the stale value too");
    assert_eq!(loads.load(Ordering::SeqCst), 0, "only one reload");

    release.send(()).unwrap();
    reloaded(&entries).await;
    assert_eq!(
        *entries.get((), || value(5)).await.unwrap(),
        3,
        "the reloaded value is fresh"
    );
}

#[tokio::test]
async fn past_twice_the_ttl_an_entry_is_loaded_before_answering() {
    let entries: Entries<(), u32> = Entries::new(TTL, 1);
    entries.get((), || value(1)).await.unwrap();
    tokio::time::sleep(TTL * 2 + Duration::from_millis(50)).await;
    assert_eq!(*entries.get((), || value(2)).await.unwrap(), 2);
}

#[tokio::test]
async fn a_reload_begun_before_an_invalidation_is_not_kept() {
    let entries: Entries<(), u32> = Entries::new(TTL, 1);
    entries.get((), || value(1)).await.unwrap();
    tokio::time::sleep(TTL + Duration::from_millis(20)).await;
    let (release, released) = oneshot::channel::<()>();
    let stale = entries
        .get((), move || async move {
            released.await.ok();
            Ok(2)
        })
        .await
        .unwrap();
    assert_eq!(*stale, 1);
    // A write lands while the reload reads the old data.
    entries.invalidate_all();
    release.send(()).unwrap();
    reloaded(&entries).await;
    assert_eq!(
        *entries.get((), || value(3)).await.unwrap(),
        3,
        "what the reload read is not kept"
    );
}

#[tokio::test]
async fn a_failed_reload_keeps_serving_and_retries() {
    let entries: Entries<(), u32> = Entries::new(TTL, 1);
    entries.get((), || value(1)).await.unwrap();
    tokio::time::sleep(TTL + Duration::from_millis(20)).await;
    let failed = entries.get((), || async { Err(AppError::Internal) }).await;
    assert_eq!(*failed.unwrap(), 1, "the stale value rather than the error");
    reloaded(&entries).await;
    assert_eq!(
        *entries.get((), || value(2)).await.unwrap(),
        1,
        "still stale: this request starts the reload again"
    );
    reloaded(&entries).await;
    assert_eq!(
        *entries.get((), || value(3)).await.unwrap(),
        2,
        "and its value is kept"
    );
}

#[tokio::test]
async fn a_reload_that_panics_lets_the_next_stale_request_reload() {
    let entries: Entries<(), u32> = Entries::new(TTL, 1);
    entries.get((), || value(1)).await.unwrap();
    tokio::time::sleep(TTL + Duration::from_millis(20)).await;
    let stale = entries
        .get((), || async { panic!("a loader bug") })
        .await
        .unwrap();
    assert_eq!(*stale, 1);
    reloaded(&entries).await;
    entries.get((), || value(2)).await.unwrap();
    reloaded(&entries).await;
    assert_eq!(*entries.get((), || value(3)).await.unwrap(), 2);
}
