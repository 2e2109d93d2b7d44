// SPDX-License-Identifier: MPL-2.0
//! Reading the files the chain trusts — the aliyun CLI file and the OIDC token file — without
//! trusting them blindly: only regular files (a FIFO, device or directory would hang the read
//! or never end), at most [`MAX_FILE_BYTES`] (1 MiB), and, before a profile's
//! `process_command` may run, only from a file that nobody but its owner — the user running
//! Terraform — can write (as ssh treats private keys). Otherwise anyone able to edit the file
//! could run a program as that user.

use std::path::Path;

use tokio::io::AsyncReadExt as _;

use crate::Error;

/// Largest credential or token file read.
pub(crate) const MAX_FILE_BYTES: u64 = 1 << 20;

/// A file read to its end, with what the owner/mode check needs.
pub(crate) struct Read {
    pub(crate) text: String,
    /// `st_mode` permission bits.
    pub(crate) mode: u32,
    pub(crate) owner: u32,
}

/// Reads `path` when it is a regular file of at most [`MAX_FILE_BYTES`] of UTF-8. The
/// error's text says why, never quoting the content.
pub(crate) async fn read_bounded(path: &Path) -> std::io::Result<Read> {
    use std::io::{Error as IoError, ErrorKind};
    use std::os::unix::fs::MetadataExt as _;
    let not_regular = || {
        IoError::new(
            ErrorKind::InvalidInput,
            "it is not a regular file (a FIFO, device or directory is never read)",
        )
    };
    // Checked before opening: opening a FIFO for reading blocks until a writer comes.
    if !tokio::fs::metadata(path).await?.is_file() {
        return Err(not_regular());
    }
    let file = tokio::fs::File::open(path).await?;
    let meta = file.metadata().await?;
    if !meta.is_file() {
        return Err(not_regular());
    }
    let mut bytes = Vec::new();
    file.take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .await?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(IoError::new(
            ErrorKind::InvalidData,
            format!("it is larger than {} KiB", MAX_FILE_BYTES / 1024),
        ));
    }
    let text = String::from_utf8(bytes)
        .map_err(|_| IoError::new(ErrorKind::InvalidData, "it is not UTF-8 text"))?;
    Ok(Read {
        text,
        mode: meta.mode() & 0o7777,
        owner: meta.uid(),
    })
}

/// The user running the provider.
pub(crate) fn current_user() -> u32 {
    rustix::process::geteuid().as_raw()
}

/// Refuses a file that runs a program (`why`, e.g. `profile "x" runs process_command`) when
/// it is writable by group or others, or owned by someone other than `me`.
pub(crate) fn check_private(shown: &str, file: &Read, me: u32, why: &str) -> Result<(), Error> {
    if file.owner != me {
        return Err(Error::Credentials(format!(
            "{shown} is owned by uid {}, not by the user running Terraform (uid {me}), and \
             {why}: refusing to run it. Fix: `chown {me} {shown}` (or use a file you own)",
            file.owner
        )));
    }
    if file.mode & 0o022 != 0 {
        return Err(Error::Credentials(format!(
            "{shown} is writable by {} (mode {:04o}), and {why}: refusing to run it, as \
             anyone who can edit the file could run a program as you. Fix: `chmod go-w \
             {shown}` (0600 is best: the file also holds secrets)",
            if file.mode & 0o002 != 0 {
                "others"
            } else {
                "its group"
            },
            file.mode
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests;
