// SPDX-License-Identifier: MPL-2.0
//! The budget file's lock and its private creation: `flock` on Unix; elsewhere no lock, so
//! sharing is off there (every call goes on its process's own budget).

#[cfg(unix)]
pub(super) use unix::{create_private, Exclusive};

#[cfg(not(unix))]
pub(super) use other::{create_private, Exclusive};

#[cfg(unix)]
mod unix {
    use std::fs::{File, OpenOptions};
    use std::io;
    use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};
    use std::path::Path;
    use std::time::Duration;

    use rustix::fs::{flock, FlockOperation};

    /// An exclusive `flock` on a lock file, released when dropped (with the descriptor).
    pub(crate) struct Exclusive {
        _held: File,
    }

    impl Exclusive {
        /// Takes the lock without ever blocking for long: a process that holds it forever
        /// (stopped, foreign) costs this call its shared budget, never a hang. A holder keeps
        /// it for a read and a rename, so the pauses between attempts start tiny.
        pub(crate) fn take(path: &Path, attempts: u32) -> io::Result<Exclusive> {
            let file = create_private(path, false)?;
            let mut pause = Duration::from_micros(20);
            for _ in 0..attempts {
                match flock(&file, FlockOperation::NonBlockingLockExclusive) {
                    Ok(()) => return Ok(Exclusive { _held: file }),
                    Err(rustix::io::Errno::WOULDBLOCK | rustix::io::Errno::INTR) => {
                        std::thread::sleep(pause);
                        pause = (pause * 2).min(Duration::from_millis(2));
                    }
                    Err(err) => return Err(err.into()),
                }
            }
            Err(io::Error::new(
                io::ErrorKind::WouldBlock,
                "the lock stayed taken",
            ))
        }
    }

    /// Opens (creating) a file only its owner may read, in a directory only its owner may
    /// list (created if missing); `truncate` empties it.
    pub(crate) fn create_private(path: &Path, truncate: bool) -> io::Result<File> {
        if let Some(dir) = path.parent() {
            std::fs::DirBuilder::new()
                .recursive(true)
                .mode(0o700)
                .create(dir)?;
        }
        OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(truncate)
            .mode(0o600)
            .custom_flags(rustix::fs::OFlags::NOFOLLOW.bits() as i32)
            .open(path)
    }
}

#[cfg(not(unix))]
mod other {
    use std::io;
    use std::path::Path;

    /// No advisory lock here: sharing is off on this platform.
    pub(crate) struct Exclusive;

    impl Exclusive {
        pub(crate) fn take(_path: &Path, _attempts: u32) -> io::Result<Exclusive> {
            Err(io::Error::new(
                io::ErrorKind::Unsupported,
                "no shared budget on this OS",
            ))
        }
    }

    pub(crate) fn create_private(path: &Path, _truncate: bool) -> io::Result<std::fs::File> {
        std::fs::File::create(path)
    }
}
