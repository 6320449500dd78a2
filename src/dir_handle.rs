//! A folder opened once, its files read relative to that handle
//! (`openat`). A model bundle is read this way so that all its files come
//! from one folder even while `train` swaps a new bundle in at the same
//! path: the handle keeps pointing at the folder that was there when it was
//! opened, whatever is renamed over the path afterwards.

use std::ffi::CString;
use std::fs::File;
use std::io::{self, Read};
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::MetadataExt;
use std::path::Path;

pub struct DirHandle {
    fd: OwnedFd,
}

fn c_path(p: &[u8]) -> io::Result<CString> {
    CString::new(p).map_err(|_| io::Error::new(io::ErrorKind::InvalidInput, "path has a NUL byte"))
}

impl DirHandle {
    /// Open the folder at `path` (following symbolic links). A file there
    /// gives `ErrorKind::NotADirectory`.
    pub fn open(path: &Path) -> io::Result<DirHandle> {
        let c = c_path(path.as_os_str().as_bytes())?;
        // SAFETY: `c` is a valid NUL-terminated string; open only reads it.
        let fd = unsafe { libc::open(c.as_ptr(), libc::O_RDONLY | libc::O_DIRECTORY | libc::O_CLOEXEC) };
        if fd < 0 {
            return Err(io::Error::last_os_error());
        }
        // SAFETY: `fd` is a fresh descriptor that nothing else owns.
        Ok(DirHandle { fd: unsafe { OwnedFd::from_raw_fd(fd) } })
    }

    /// The whole of file `name` in this folder.
    pub fn read(&self, name: &str) -> io::Result<Vec<u8>> {
        let c = c_path(name.as_bytes())?;
        // SAFETY: a valid descriptor and NUL-terminated name; openat only reads them.
        let fd = unsafe { libc::openat(self.fd.as_raw_fd(), c.as_ptr(), libc::O_RDONLY | libc::O_CLOEXEC) };
        if fd < 0 {
            return Err(io::Error::last_os_error());
        }
        // SAFETY: as in `open`.
        let mut f = File::from(unsafe { OwnedFd::from_raw_fd(fd) });
        let mut out = Vec::new();
        f.read_to_end(&mut out)?;
        Ok(out)
    }

    /// Whether `path` still names this folder (same device and inode):
    /// false once another folder was renamed over it.
    pub fn is_still_at(&self, path: &Path) -> bool {
        let mine = File::from(self.fd.try_clone().expect("dup a descriptor")).metadata();
        match (mine, std::fs::metadata(path)) {
            (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
            _ => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_folder_that_was_opened_after_another_is_renamed_over_it() {
        let d = tempfile::tempdir().unwrap();
        let (a, b) = (d.path().join("a"), d.path().join("b"));
        std::fs::create_dir(&a).unwrap();
        std::fs::create_dir(&b).unwrap();
        std::fs::write(a.join("f"), "old").unwrap();
        std::fs::write(b.join("f"), "new").unwrap();
        let h = DirHandle::open(&a).unwrap();
        assert!(h.is_still_at(&a));
        std::fs::rename(&a, d.path().join("gone")).unwrap();
        std::fs::rename(&b, &a).unwrap();
        assert_eq!(h.read("f").unwrap(), b"old");
        assert!(!h.is_still_at(&a));
        assert_eq!(DirHandle::open(&a.join("f")).err().map(|e| e.kind()), Some(io::ErrorKind::NotADirectory));
    }
}
