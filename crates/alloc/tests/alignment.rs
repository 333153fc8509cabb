//! Every block the allocator hands out is aligned as asked, for the sizes and alignments Rust
//! asks for, while pages fill and empty (the plain path relies on mimalloc's block layout).

use std::alloc::{GlobalAlloc, Layout};

use antt_alloc::Allocator;

#[global_allocator]
static ALLOCATOR: Allocator = Allocator;

fn misaligned(ptr: *mut u8, align: usize) -> bool {
    ptr.is_null() || !(ptr as usize).is_multiple_of(align)
}

#[test]
fn blocks_are_aligned_as_asked() {
    let mut held: Vec<(*mut u8, Layout)> = Vec::new();
    let mut wrong = Vec::new();
    for round in 0..3 {
        for align in [1, 2, 4, 8, 16, 32, 64, 4096] {
            for size in (1..=2048).chain([4095, 4096, 8192, 65_536, 1 << 20, 3 << 20]) {
                let layout = Layout::from_size_align(size, align).expect("a valid layout");
                // SAFETY: the layout has a non-zero size; the block is freed below with it.
                #[allow(unsafe_code)]
                let ptr =
                    unsafe { if (size + round).is_multiple_of(2) { ALLOCATOR.alloc(layout) } else { ALLOCATOR.alloc_zeroed(layout) } };
                if misaligned(ptr, align) {
                    wrong.push((size, align));
                }
                held.push((ptr, layout));
            }
        }
        // Free every other block, so that the next round is served from half-used pages.
        let mut kept = Vec::new();
        for (i, (ptr, layout)) in held.drain(..).enumerate() {
            if i.is_multiple_of(2) {
                // SAFETY: allocated above with this layout and not freed yet.
                #[allow(unsafe_code)]
                unsafe {
                    ALLOCATOR.dealloc(ptr, layout)
                };
            } else {
                kept.push((ptr, layout));
            }
        }
        held = kept;
    }
    assert!(wrong.is_empty(), "misaligned blocks (size, alignment): {wrong:?}");
    for (ptr, layout) in held {
        // SAFETY: allocated above with this layout and not freed yet.
        #[allow(unsafe_code)]
        unsafe {
            ALLOCATOR.dealloc(ptr, layout)
        };
    }
}

#[test]
fn growing_and_shrinking_keeps_alignment_and_contents() {
    for align in [8, 16, 32] {
        let mut size = align;
        let layout = Layout::from_size_align(size, align).expect("a valid layout");
        // SAFETY: a non-zero size; every pointer below is the live block of `size` bytes.
        #[allow(unsafe_code)]
        unsafe {
            let mut ptr = ALLOCATOR.alloc(layout);
            ptr.write_bytes(0xA5, size);
            for next in [24, 40, 1000, 1030, 5000, 70_000, 48, 16] {
                let next = next.max(align).next_multiple_of(align);
                ptr = ALLOCATOR.realloc(ptr, Layout::from_size_align(size, align).expect("valid"), next);
                assert!(!misaligned(ptr, align), "realloc from {size} to {next} bytes lost alignment {align}");
                let kept = size.min(next);
                assert!((0..kept).all(|i| *ptr.add(i) == 0xA5), "realloc from {size} to {next} bytes lost contents");
                ptr.write_bytes(0xA5, next);
                size = next;
            }
            ALLOCATOR.dealloc(ptr, Layout::from_size_align(size, align).expect("valid"));
        }
    }
}
