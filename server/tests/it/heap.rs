//! How much heap the calling thread holds: the test binary's allocator counts, per thread, the
//! bytes allocated minus the bytes freed. Each `#[sqlx::test]` runs on a single-threaded
//! runtime of its own, so its thread's count is what that test (and the app it drives) keeps,
//! whatever the tests beside it in the process do.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

struct Counting;

thread_local! {
    static HELD: Cell<i64> = const { Cell::new(0) };
}

fn add(bytes: i64) {
    // `try_with`: a thread being torn down may still free memory.
    let _ = HELD.try_with(|held| held.set(held.get() + bytes));
}

// SAFETY: every call is passed to `System` unchanged; only a counter is kept beside it.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        add(layout.size() as i64);
        unsafe { System.alloc(layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        add(layout.size() as i64);
        unsafe { System.alloc_zeroed(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        add(-(layout.size() as i64));
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        add(new_size as i64 - layout.size() as i64);
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static COUNTING: Counting = Counting;

/// Bytes this thread allocated and has not freed (negative when it freed what others made).
pub fn held_by_this_thread() -> i64 {
    HELD.with(Cell::get)
}

#[test]
fn a_thread_counts_what_it_holds() {
    let before = held_by_this_thread();
    let block = vec![0u8; 1 << 20];
    assert!(held_by_this_thread() - before >= 1 << 20);
    drop(block);
    assert!(held_by_this_thread() - before < 1 << 10);
}
