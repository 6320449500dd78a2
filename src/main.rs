fn main() {
    keep_freed_memory();
    std::process::exit(stance::cli::run());
}

/// glibc's malloc hands large blocks (the encoder's activations, a few MB
/// each) back to the kernel on every free and takes fresh zeroed pages on
/// the next allocation; with an encoder model that page-faulting was ~5% of
/// `predict`'s time. Keeping freed memory for reuse costs only the process's
/// own peak, which it reaches anyway.
fn keep_freed_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only sets allocator parameters; called before any
    // other thread exists.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 256 << 20);
        libc::mallopt(libc::M_TRIM_THRESHOLD, 512 << 20);
    }
}
