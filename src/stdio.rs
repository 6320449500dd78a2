//! The standard streams when they are not what a program expects: a
//! closed standard output (which Rust's runtime quietly replaces with
//! /dev/null, so every row written would vanish with exit code 0), and a
//! standard error that cannot be written (`2>/dev/full`), where printing
//! the error must not panic.

use std::io::Write;

use crate::error::{Error, Result};

/// Whether standard output was closed when the program started. Rust
/// opens `/dev/null` read-write on a closed descriptor 0-2 before `main`;
/// a shell's `>/dev/null` opens it write-only, so the two can be told
/// apart (`1<>/dev/null` cannot, and counts as closed).
pub fn stdout_was_closed() -> bool {
    // SAFETY: fcntl, fstat and stat only read descriptor and file state
    // into the zeroed structs we own.
    unsafe {
        let flags = libc::fcntl(1, libc::F_GETFL);
        if flags < 0 {
            return true;
        }
        if flags & libc::O_ACCMODE != libc::O_RDWR {
            return false;
        }
        let (mut out, mut null): (libc::stat, libc::stat) = (std::mem::zeroed(), std::mem::zeroed());
        if libc::fstat(1, &mut out) != 0 || libc::stat(c"/dev/null".as_ptr(), &mut null) != 0 {
            return false;
        }
        out.st_mode & libc::S_IFMT == libc::S_IFCHR && out.st_rdev == null.st_rdev
    }
}

/// An error when standard output is closed: for commands whose output is
/// the point, running on would lose it all.
pub fn require_stdout() -> Result<()> {
    if stdout_was_closed() {
        return Err(Error::io("<stdout>".as_ref(), "write", std::io::Error::other("standard output is closed")));
    }
    Ok(())
}

/// Print one line to standard error; if that fails, there is nowhere left
/// to say so, and the exit code carries the failure.
pub fn eprint_line(line: &str) {
    let mut err = std::io::stderr().lock();
    let _ = writeln!(err, "{line}");
}
