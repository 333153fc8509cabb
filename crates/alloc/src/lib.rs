//! The global allocator of the `antt` program: mimalloc, which returns to the system what a
//! national cold load frees (glibc kept 1,6–2,4 GB resident, mimalloc 0,56 GB; see
//! docs/benchmarks.md, "mimalloc").
//!
//! The `mimalloc` crate asks for every block through `mi_malloc_aligned`. For a size whose
//! block is not a power of two, mimalloc 3 serves that from its fast path only while the page
//! at hand has a free block and the size is at most 1 KiB; otherwise it over-allocates by the
//! alignment on a slow path (a national roll-up spent 8% of its instructions there). Every
//! block mimalloc hands out is already aligned to 16 bytes when it is at least 16 bytes long,
//! and to 8 otherwise: blocks of 16 bytes or more come in multiples of 16 from 16-aligned page
//! starts (`MI_MAX_ALIGN_SIZE`, `MI_ALIGN2W`). So, as the standard library's own allocator
//! does on top of malloc, a request whose alignment that guarantee covers takes the plain
//! call, and only the others the aligned one.

#![no_std]

use core::alloc::{GlobalAlloc, Layout};
use core::ffi::c_void;

use libmimalloc_sys::{mi_free, mi_malloc, mi_malloc_aligned, mi_realloc, mi_realloc_aligned, mi_zalloc, mi_zalloc_aligned};

/// mimalloc, asked for plain blocks when they are aligned enough.
#[derive(Debug, Clone, Copy, Default)]
pub struct Allocator;

/// The alignment of every mimalloc block of at least this size (`MI_MAX_ALIGN_SIZE`).
const PLAIN_ALIGNMENT: usize = 16;

/// Whether a plain block of `size` bytes is aligned to `align`: blocks under 16 bytes are
/// aligned to 8, so the alignment may not exceed the size.
fn plain(size: usize, align: usize) -> bool {
    align <= PLAIN_ALIGNMENT && align <= size
}

/// A block of `layout` from the plain or the aligned variant of one mimalloc function (plain or
/// zeroed), as `plain` says.
///
/// # Safety
///
/// The two calls are mimalloc's: they take any size and power-of-two alignment.
#[allow(unsafe_code)]
#[inline(always)]
unsafe fn block(
    layout: Layout,
    plain_call: unsafe extern "C" fn(usize) -> *mut c_void,
    aligned_call: unsafe extern "C" fn(usize, usize) -> *mut c_void,
) -> *mut u8 {
    // SAFETY: the caller passes mimalloc's functions; a layout's alignment is a power of two.
    unsafe {
        if plain(layout.size(), layout.align()) {
            plain_call(layout.size()).cast()
        } else {
            aligned_call(layout.size(), layout.align()).cast()
        }
    }
}

#[allow(unsafe_code)]
// SAFETY: every block comes from mimalloc and goes back to it through `mi_free`, which takes
// plain and aligned blocks alike; a plain block is only handed out where `plain` holds, and
// mimalloc aligns those (tests/alignment.rs checks it).
unsafe impl GlobalAlloc for Allocator {
    #[inline]
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: mimalloc's allocation functions.
        unsafe { block(layout, mi_malloc, mi_malloc_aligned) }
    }

    #[inline]
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: mimalloc's zeroing allocation functions.
        unsafe { block(layout, mi_zalloc, mi_zalloc_aligned) }
    }

    #[inline]
    unsafe fn dealloc(&self, ptr: *mut u8, _layout: Layout) {
        // SAFETY: the caller passes a block this allocator handed out.
        unsafe { mi_free(ptr.cast::<c_void>()) }
    }

    #[inline]
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: the caller passes a block this allocator handed out with `layout`; the new
        // block keeps its alignment, checked for the new size.
        unsafe {
            if plain(new_size, layout.align()) {
                mi_realloc(ptr.cast::<c_void>(), new_size).cast()
            } else {
                mi_realloc_aligned(ptr.cast::<c_void>(), new_size, layout.align()).cast()
            }
        }
    }
}
