//! Atomic writes, the one place `stance` replaces files: whatever is
//! written goes to a temporary sibling (`.NAME.tmp-PID`, same directory, so
//! the final rename stays on one file system), is synced to disk, and is
//! renamed over the destination only when complete. A failed or killed run
//! therefore leaves the old file (or nothing) in place, never a half one.
//!
//! - [`AtomicFile`]: one file, written as a stream (`stance eval
//!   --predictions`, `train --cv K --predictions`);
//! - [`replace_dir`]: a directory of files swapped in as a whole (model
//!   bundles).
//!
//! The destination is replaced by `rename`, which replaces a symbolic link
//! itself rather than writing through it.

use std::fs;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use crate::error::{Error, Location, Result};

/// `.NAME.tmp-PID` beside `path`.
fn temp_sibling(path: &Path, name: &str) -> PathBuf {
    path.with_file_name(format!(".{name}.tmp-{}", std::process::id()))
}

/// Make a rename or a new entry in `dir` durable; best effort (not every
/// file system can sync a directory).
fn sync_dir(dir: &Path) {
    if let Ok(d) = fs::File::open(dir) {
        let _ = d.sync_all();
    }
}

/// The directory holding `path` (`.` for a bare name).
fn parent_of(path: &Path) -> PathBuf {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// A file written in full, then moved into place by [`AtomicFile::commit`].
/// Dropped without a commit (an error stopped the writer), it removes its
/// temporary file and leaves the destination as it was.
pub struct AtomicFile {
    path: PathBuf,
    tmp: PathBuf,
    out: Option<BufWriter<fs::File>>,
}

impl AtomicFile {
    /// Start writing what will become `path`.
    pub fn create(path: &Path) -> Result<Self> {
        let name = path
            .file_name()
            .ok_or_else(|| Error::input(Location::file(path), "needs a file name, not a directory"))?
            .to_string_lossy()
            .into_owned();
        let tmp = temp_sibling(path, &name);
        let file = fs::File::create(&tmp).map_err(|e| Error::io(&tmp, "create", e))?;
        Ok(AtomicFile { path: path.to_path_buf(), tmp, out: Some(BufWriter::new(file)) })
    }

    /// The temporary file being written (for error messages).
    pub fn temp_path(&self) -> &Path {
        &self.tmp
    }

    /// Flush, sync and rename over the destination.
    pub fn commit(mut self) -> Result<()> {
        let out = self.out.take().expect("open until commit");
        let tmp = &self.tmp;
        let r = (|| {
            let file = out.into_inner().map_err(|e| Error::io(tmp, "write", e.into_error()))?;
            file.sync_all().map_err(|e| Error::io(tmp, "sync", e))?;
            fs::rename(tmp, &self.path).map_err(|e| Error::io(&self.path, "rename into place", e))
        })();
        if r.is_err() {
            let _ = fs::remove_file(tmp);
        } else {
            sync_dir(&parent_of(&self.path));
        }
        r
    }
}

impl Write for AtomicFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.out.as_mut().expect("open until commit").write(buf)
    }
    fn flush(&mut self) -> io::Result<()> {
        self.out.as_mut().expect("open until commit").flush()
    }
}

impl Drop for AtomicFile {
    fn drop(&mut self) {
        if self.out.take().is_some() {
            let _ = fs::remove_file(&self.tmp);
        }
    }
}

/// Write `files` (name, bytes) into a fresh sibling directory of `dir`,
/// sync them, then swap it in for `dir` (which may exist; checking that it
/// may be replaced is the caller's business). Temporary directories left
/// by a killed earlier run are removed first.
pub fn replace_dir(dir: &Path, files: &[(&str, &[u8])]) -> Result<()> {
    let name = dir
        .file_name()
        .ok_or_else(|| Error::Params(format!("--out {}: not a directory name", dir.display())))?
        .to_string_lossy()
        .into_owned();
    let parent = parent_of(dir);
    remove_stale_temps(&parent, &name);
    let tmp = temp_sibling(dir, &name);
    let _ = fs::remove_dir_all(&tmp);
    let io = |p: &Path, what, e| Error::io(p, what, e);
    fs::create_dir(&tmp).map_err(|e| io(&tmp, "create directory", e))?;
    let result = (|| {
        for (f, bytes) in files {
            let p = tmp.join(f);
            let mut file = fs::File::create(&p).map_err(|e| io(&p, "create", e))?;
            file.write_all(bytes).map_err(|e| io(&p, "write", e))?;
            file.sync_all().map_err(|e| io(&p, "sync", e))?;
        }
        sync_dir(&tmp);
        swap_in(&tmp, dir)
    })();
    if result.is_err() {
        let _ = fs::remove_dir_all(&tmp);
    }
    result?;
    sync_dir(&parent);
    Ok(())
}

/// Remove `.NAME.tmp-PID` folders left by a run that was killed while
/// writing (its process no longer runs).
fn remove_stale_temps(parent: &Path, name: &str) {
    let prefix = format!(".{name}.tmp-");
    let Ok(entries) = fs::read_dir(parent) else { return };
    for e in entries.flatten() {
        let file_name = e.file_name();
        let Some(pid) = file_name.to_str().and_then(|f| f.strip_prefix(&prefix)).and_then(|p| p.split('.').next()).and_then(|p| p.parse::<u32>().ok()) else {
            continue;
        };
        let alive = Path::new(&format!("/proc/{pid}")).exists() && cfg!(target_os = "linux");
        if !alive {
            let _ = fs::remove_dir_all(e.path());
        }
    }
}

/// Put `tmp` at `dir`. On Linux an existing `dir` is exchanged in one
/// `renameat2(RENAME_EXCHANGE)`, so at every instant `dir` holds either the
/// whole old contents or the whole new ones.
fn swap_in(tmp: &Path, dir: &Path) -> Result<()> {
    if !dir.exists() {
        return fs::rename(tmp, dir).map_err(|e| Error::io(dir, "rename new bundle into place", e));
    }
    #[cfg(target_os = "linux")]
    {
        use std::ffi::CString;
        use std::os::unix::ffi::OsStrExt;
        let a = CString::new(tmp.as_os_str().as_bytes()).map_err(|_| Error::Params("path has a NUL byte".into()))?;
        let b = CString::new(dir.as_os_str().as_bytes()).map_err(|_| Error::Params("path has a NUL byte".into()))?;
        const RENAME_EXCHANGE: libc::c_uint = 2;
        // SAFETY: both are valid NUL-terminated paths; the call only reads them.
        let rc = unsafe {
            libc::syscall(libc::SYS_renameat2, libc::AT_FDCWD, a.as_ptr(), libc::AT_FDCWD, b.as_ptr(), RENAME_EXCHANGE)
        };
        if rc == 0 {
            // `tmp` now holds the old contents.
            let _ = fs::remove_dir_all(tmp);
            return Ok(());
        }
    }
    // Fallback: move the old directory aside, move the new one in.
    let old = tmp.with_extension("old");
    let _ = fs::remove_dir_all(&old);
    fs::rename(dir, &old).map_err(|e| Error::io(dir, "move old bundle aside", e))?;
    if let Err(e) = fs::rename(tmp, dir) {
        let _ = fs::rename(&old, dir);
        return Err(Error::io(dir, "rename new bundle into place", e));
    }
    let _ = fs::remove_dir_all(&old);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(name: &str) -> PathBuf {
        let d = std::env::temp_dir().join(format!("stance-atomic-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&d);
        fs::create_dir_all(&d).unwrap();
        d
    }

    #[test]
    fn a_file_appears_only_when_committed() {
        let d = scratch("file");
        let p = d.join("out.csv");
        fs::write(&p, "old").unwrap();
        let mut f = AtomicFile::create(&p).unwrap();
        f.write_all(b"new").unwrap();
        assert_eq!(fs::read_to_string(&p).unwrap(), "old");
        let tmp = f.temp_path().to_path_buf();
        f.commit().unwrap();
        assert_eq!(fs::read_to_string(&p).unwrap(), "new");
        assert!(!tmp.exists());
        // Dropped uncommitted: the old file stays, the temporary goes.
        let mut f = AtomicFile::create(&p).unwrap();
        f.write_all(b"half").unwrap();
        let tmp = f.temp_path().to_path_buf();
        drop(f);
        assert_eq!(fs::read_to_string(&p).unwrap(), "new");
        assert!(!tmp.exists());
        fs::remove_dir_all(&d).unwrap();
    }

    #[test]
    fn a_directory_is_swapped_in_whole() {
        let d = scratch("dir");
        let out = d.join("bundle");
        replace_dir(&out, &[("a", b"1"), ("b", b"2")]).unwrap();
        replace_dir(&out, &[("a", b"3")]).unwrap();
        assert_eq!(fs::read_to_string(out.join("a")).unwrap(), "3");
        assert!(!out.join("b").exists());
        let left: Vec<_> = fs::read_dir(&d).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(left, vec![std::ffi::OsString::from("bundle")]);
        fs::remove_dir_all(&d).unwrap();
    }
}
