//! Atomic writes, the one place `stance` replaces files: whatever is
//! written goes to a temporary sibling (`.NAME.tmp-PID`, same directory, so
//! the final rename stays on one file system), is synced to disk, and is
//! renamed over the destination only when complete. A failed or killed run
//! therefore leaves the old file (or nothing) in place, never a half one.
//!
//! - [`AtomicFile`]: one file, written as a stream (`stance eval
//!   --predictions`, `train --cv K --predictions`);
//! - [`replace_dir`]: a directory of files swapped in as a whole (model
//!   bundles);
//! - [`create_dir_new`]: a new directory of files that appears whole, never
//!   over anything (installed models).
//!
//! Neither ever deletes or replaces what it did not write: [`AtomicFile`]
//! refuses a destination that is a symbolic link or not a regular file
//! (a rename would replace the link, or a device); [`replace_dir`] writes
//! through a symbolic link to the folder it names, refuses a folder holding
//! anything but the files it writes, and removes old files by name only.

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

/// `path` is absent or a regular file: a rename over a symbolic link
/// would replace the link (not the file it names), over a device or FIFO
/// the device.
fn replaceable_file(path: &Path) -> Result<()> {
    let refuse = |why: &str| Err(Error::input(Location::file(path), why.to_string()));
    match fs::symlink_metadata(path) {
        Ok(m) if m.file_type().is_symlink() => refuse("is a symbolic link; refusing to replace it (name the file it points to, or another file)"),
        Ok(m) if !m.is_file() => refuse("exists and is not a regular file; refusing to replace it"),
        _ => Ok(()),
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
        replaceable_file(path)?;
        let tmp = temp_sibling(path, &name);
        // Our own name (`.NAME.tmp-PID`): one left by an earlier process of
        // the same id is stale.
        let _ = fs::remove_file(&tmp);
        let file = fs::OpenOptions::new().write(true).create_new(true).open(&tmp).map_err(|e| Error::io(&tmp, "create", e))?;
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
            // Checked again: a link may have been made there meanwhile.
            replaceable_file(&self.path)?;
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

/// The checks of [`replace_dir`] that need no files: whether it would
/// refuse `dir` (a link it cannot follow, a folder holding files not
/// named in `names`), or could not create it (no folder to put it in).
pub fn check_replace_dir(dir: &Path, names: &[&str]) -> Result<()> {
    let (dir, _) = replaceable(dir, names)?;
    let parent = parent_of(&dir);
    if !parent.is_dir() {
        return Err(Error::model(&dir, format!("cannot be created: {} is not an existing folder", parent.display())));
    }
    Ok(())
}

/// The folder [`replace_dir`] would replace (`dir`, or the one its link
/// names) and its name, when it may: absent, or holding only files named
/// in `names`.
fn replaceable(dir: &Path, names: &[&str]) -> Result<(PathBuf, String)> {
    let dir = through_link(dir)?;
    let name = dir
        .file_name()
        .ok_or_else(|| Error::Params(format!("--out {}: not a directory name", dir.display())))?
        .to_string_lossy()
        .into_owned();
    only_ours(&dir, names)?;
    Ok((dir, name))
}

/// Write `files` (name, bytes) into a fresh sibling directory of `dir`,
/// sync them, then put that directory in place of `dir`:
///
/// - `dir` a symbolic link: the folder it names is replaced, the link stays;
/// - `dir` absent: one `renameat2(RENAME_NOREPLACE)` creates it, so of two
///   writers racing to create it, the later replaces the earlier's;
/// - `dir` present: it may hold only files named in `files` (what an
///   earlier run wrote), else it is refused: nothing is deleted that this
///   writer did not write. It is exchanged in one
///   `renameat2(RENAME_EXCHANGE)`, so at every instant `dir` holds the
///   whole old contents or the whole new ones, and the old files are then
///   removed by name.
///
/// Checking that `dir` is the kind of folder that may be replaced (a
/// model) is the caller's business.
pub fn replace_dir(dir: &Path, files: &[(&str, &[u8])]) -> Result<()> {
    let names: Vec<&str> = files.iter().map(|(n, _)| *n).collect();
    let (dir, name) = replaceable(dir, &names)?;
    let dir = &dir;
    let parent = parent_of(dir);
    remove_stale_temps(&parent, &name, &names);
    let tmp = temp_sibling(dir, &name);
    remove_ours(&tmp, &names);
    let result = (|| {
        write_new_dir(&tmp, files)?;
        swap_in(&tmp, dir, &names)
    })();
    if result.is_err() {
        remove_ours(&tmp, &names);
    }
    result?;
    sync_dir(&parent);
    Ok(())
}

/// Create `tmp` and write and sync `files` (name, bytes) in it, then the
/// folder itself: the contents a rename then publishes whole.
fn write_new_dir(tmp: &Path, files: &[(&str, &[u8])]) -> Result<()> {
    let io = |p: &Path, what, e| Error::io(p, what, e);
    fs::create_dir(tmp).map_err(|e| io(tmp, "create directory", e))?;
    for (f, bytes) in files {
        let p = tmp.join(f);
        let mut file = fs::OpenOptions::new().write(true).create_new(true).open(&p).map_err(|e| io(&p, "create", e))?;
        file.write_all(bytes).map_err(|e| io(&p, "write", e))?;
        file.sync_all().map_err(|e| io(&p, "sync", e))?;
    }
    sync_dir(tmp);
    Ok(())
}

/// Create `dir`, which must not exist, holding `files` (name, bytes): they
/// are written and synced in a temporary sibling that is then renamed to
/// `dir` with `RENAME_NOREPLACE`, so `dir` appears whole or not at all, and
/// whatever appears at `dir` meanwhile is never replaced (`stance models
/// install`). `exists_message` says what is wrong when `dir` is there.
pub fn create_dir_new(dir: &Path, files: &[(&str, &[u8])], exists_message: &str) -> Result<()> {
    let name = dir
        .file_name()
        .ok_or_else(|| Error::Params(format!("{}: not a directory name", dir.display())))?
        .to_string_lossy()
        .into_owned();
    if fs::symlink_metadata(dir).is_ok() {
        return Err(Error::model(dir, exists_message));
    }
    let names: Vec<&str> = files.iter().map(|(n, _)| *n).collect();
    let parent = parent_of(dir);
    remove_stale_temps(&parent, &name, &names);
    let tmp = temp_sibling(dir, &name);
    remove_ours(&tmp, &names);
    let result = (|| {
        write_new_dir(&tmp, files)?;
        match rename2(&tmp, dir, RENAME_NOREPLACE) {
            Ok(()) => Ok(()),
            Err(e) if exists(&e) => Err(Error::model(dir, exists_message)),
            // A plain rename replaces only an empty folder, never files.
            Err(e) if unsupported(&e) => match fs::symlink_metadata(dir) {
                Ok(_) => Err(Error::model(dir, exists_message)),
                Err(_) => fs::rename(&tmp, dir).map_err(|e| Error::io(dir, "rename new folder into place", e)),
            },
            Err(e) => Err(Error::io(dir, "rename new folder into place", e)),
        }
    })();
    if result.is_err() {
        remove_ours(&tmp, &names);
    }
    result?;
    sync_dir(&parent);
    Ok(())
}

/// `dir`, or the folder it names when it is a symbolic link (written
/// through, so the link stays a link). A link to nothing is refused.
fn through_link(dir: &Path) -> Result<PathBuf> {
    match fs::symlink_metadata(dir) {
        Ok(m) if m.file_type().is_symlink() => dir.canonicalize().map_err(|e| {
            let to = fs::read_link(dir).map(|t| t.display().to_string()).unwrap_or_default();
            Error::model(dir, format!("is a symbolic link to {to}, which cannot be followed ({e}); refusing to replace the link"))
        }),
        _ => Ok(dir.to_path_buf()),
    }
}

/// `dir` is absent, or a folder holding only regular files named in `names`.
fn only_ours(dir: &Path, names: &[&str]) -> Result<()> {
    let entries = match fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(()),
        Err(e) if e.kind() == io::ErrorKind::NotADirectory => {
            return Err(Error::model(dir, "exists and is not a directory; refusing to replace it"));
        }
        Err(e) => return Err(Error::io(dir, "list", e)),
    };
    let mut foreign: Vec<String> = Vec::new();
    for e in entries {
        let e = e.map_err(|e| Error::io(dir, "list", e))?;
        let file_name = e.file_name().to_string_lossy().into_owned();
        let plain = e.file_type().map(|t| t.is_file()).unwrap_or(false);
        if !plain || !names.contains(&file_name.as_str()) {
            foreign.push(if e.file_type().map(|t| t.is_dir()).unwrap_or(false) { format!("{file_name}/") } else { file_name });
        }
    }
    if foreign.is_empty() {
        return Ok(());
    }
    foreign.sort();
    let shown = if foreign.len() > 5 { format!("{}, and {} more", foreign[..5].join(", "), foreign.len() - 5) } else { foreign.join(", ") };
    Err(Error::model(
        dir,
        format!("holds files that are not part of a model ({shown}); refusing to replace it, as stance never deletes a file it did not write: move them out or choose another --out"),
    ))
}

/// Remove the files named `names` from `dir`, then `dir` if that left it
/// empty. Anything else in it stays (and so does `dir`).
fn remove_ours(dir: &Path, names: &[&str]) {
    for n in names {
        let _ = fs::remove_file(dir.join(n));
    }
    let _ = fs::remove_dir(dir);
}

/// Remove `.NAME.tmp-PID` folders left by a run that was killed while
/// writing (its process no longer runs); by name, as [`remove_ours`].
fn remove_stale_temps(parent: &Path, name: &str, names: &[&str]) {
    let prefix = format!(".{name}.tmp-");
    let Ok(entries) = fs::read_dir(parent) else { return };
    for e in entries.flatten() {
        let file_name = e.file_name();
        let Some(pid) = file_name.to_str().and_then(|f| f.strip_prefix(&prefix)).and_then(|p| p.split('.').next()).and_then(|p| p.parse::<u32>().ok()) else {
            continue;
        };
        let alive = Path::new(&format!("/proc/{pid}")).exists() && cfg!(target_os = "linux");
        if !alive {
            remove_ours(&e.path(), names);
        }
    }
}

#[cfg(target_os = "linux")]
fn rename2(from: &Path, to: &Path, flags: libc::c_uint) -> io::Result<()> {
    use std::ffi::CString;
    use std::os::unix::ffi::OsStrExt;
    let c = |p: &Path| CString::new(p.as_os_str().as_bytes()).map_err(|_| io::Error::new(io::ErrorKind::InvalidInput, "path has a NUL byte"));
    let (a, b) = (c(from)?, c(to)?);
    // SAFETY: both are valid NUL-terminated paths; the call only reads them.
    let rc = unsafe { libc::syscall(libc::SYS_renameat2, libc::AT_FDCWD, a.as_ptr(), libc::AT_FDCWD, b.as_ptr(), flags) };
    if rc == 0 { Ok(()) } else { Err(io::Error::last_os_error()) }
}

#[cfg(not(target_os = "linux"))]
fn rename2(_: &Path, _: &Path, _: u32) -> io::Result<()> {
    Err(io::Error::from(io::ErrorKind::Unsupported))
}

const RENAME_NOREPLACE: u32 = 1;
const RENAME_EXCHANGE: u32 = 2;

/// The kernel or file system lacks `renameat2` or this flag.
fn unsupported(e: &io::Error) -> bool {
    e.kind() == io::ErrorKind::Unsupported || matches!(e.raw_os_error(), Some(libc::EINVAL | libc::ENOSYS | libc::EOPNOTSUPP))
}

/// The destination exists (and is not empty).
fn exists(e: &io::Error) -> bool {
    matches!(e.raw_os_error(), Some(libc::EEXIST | libc::ENOTEMPTY))
}

/// Put `tmp` at `dir`: create it if absent, else exchange it (see
/// [`replace_dir`]). A concurrent writer may create, replace or (between
/// two steps) remove `dir`; each case is retried, never reported as an error.
fn swap_in(tmp: &Path, dir: &Path, names: &[&str]) -> Result<()> {
    let placed = |e| Error::io(dir, "rename new bundle into place", e);
    for _ in 0..16 {
        match rename2(tmp, dir, RENAME_NOREPLACE) {
            Ok(()) => return Ok(()),
            Err(e) if exists(&e) => {}
            // Without RENAME_NOREPLACE a plain rename still cannot replace
            // a folder that holds files.
            Err(e) if unsupported(&e) => match fs::rename(tmp, dir) {
                Ok(()) => return Ok(()),
                Err(e) if exists(&e) => {}
                Err(e) => return Err(placed(e)),
            },
            Err(e) => return Err(placed(e)),
        }
        // `dir` is there, perhaps made a moment ago by another writer.
        only_ours(dir, names)?;
        match rename2(tmp, dir, RENAME_EXCHANGE) {
            Ok(()) => {
                // `tmp` now holds the old contents.
                remove_ours(tmp, names);
                return Ok(());
            }
            Err(e) if e.kind() == io::ErrorKind::NotFound => continue,
            Err(e) if unsupported(&e) => return swap_by_two_renames(tmp, dir, names),
            Err(e) => return Err(placed(e)),
        }
    }
    Err(Error::model(dir, "kept changing while the new bundle was put in place; try again"))
}

/// Without `RENAME_EXCHANGE`: move the old folder aside, the new one in.
fn swap_by_two_renames(tmp: &Path, dir: &Path, names: &[&str]) -> Result<()> {
    let old = tmp.with_extension("old");
    remove_ours(&old, names);
    fs::rename(dir, &old).map_err(|e| Error::io(dir, "move old bundle aside", e))?;
    if let Err(e) = fs::rename(tmp, dir) {
        let _ = fs::rename(&old, dir);
        return Err(Error::io(dir, "rename new bundle into place", e));
    }
    remove_ours(&old, names);
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
        replace_dir(&out, &[("a", b"3"), ("b", b"4")]).unwrap();
        assert_eq!(fs::read_to_string(out.join("a")).unwrap(), "3");
        assert_eq!(fs::read_to_string(out.join("b")).unwrap(), "4");
        let left: Vec<_> = fs::read_dir(&d).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(left, vec![std::ffi::OsString::from("bundle")]);
        fs::remove_dir_all(&d).unwrap();
    }

    #[test]
    fn a_directory_holding_files_it_did_not_write_is_refused_and_kept() {
        let d = scratch("foreign");
        let out = d.join("bundle");
        replace_dir(&out, &[("a", b"1"), ("b", b"2")]).unwrap();
        // `b` is not among the files this run writes: it is not ours to delete.
        let e = replace_dir(&out, &[("a", b"3")]).unwrap_err().to_string();
        assert!(e.contains("not part of a model (b)"), "{e}");
        assert_eq!(fs::read_to_string(out.join("a")).unwrap(), "1");
        assert_eq!(fs::read_to_string(out.join("b")).unwrap(), "2");
        // A stale temporary folder of a dead run: its files go, others stay.
        let stale = d.join(".bundle.tmp-4000000000");
        fs::create_dir(&stale).unwrap();
        fs::write(stale.join("a"), "half").unwrap();
        fs::write(stale.join("mine.txt"), "user's").unwrap();
        replace_dir(&out, &[("a", b"5"), ("b", b"6")]).unwrap();
        assert!(!stale.join("a").exists());
        assert_eq!(fs::read_to_string(stale.join("mine.txt")).unwrap(), "user's");
        fs::remove_dir_all(&d).unwrap();
    }
}
