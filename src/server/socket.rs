// SPDX-License-Identifier: MPL-2.0
//! The plugin's unix socket: a fresh private directory (mode 0700) holding one socket, and
//! a guard that removes both on every way out (normal return, Shutdown's exit backstop,
//! SIGTERM). go-plugin's listener deletes its socket the same way.

use std::io;
use std::os::unix::fs::{DirBuilderExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use tokio::net::UnixListener;

/// Env var naming the directory in which to create the socket (go-plugin hosts with a
/// custom runner set it; Terraform does not).
const SOCKET_DIR_ENV: &str = "PLUGIN_UNIX_SOCKET_DIR";
/// Env var naming a numeric group that must be able to connect to the socket.
const SOCKET_GROUP_ENV: &str = "PLUGIN_UNIX_SOCKET_GROUP";

/// A private directory containing the plugin socket. Removed on [`SocketDir::remove`] or
/// drop, whichever comes first.
#[derive(Debug)]
pub(super) struct SocketDir {
    dir: Mutex<Option<PathBuf>>,
    socket: PathBuf,
}

impl SocketDir {
    /// Creates a fresh directory (honouring `PLUGIN_UNIX_SOCKET_DIR`) and binds the socket
    /// in it. Must run inside a tokio runtime.
    pub(super) fn bind() -> io::Result<(Self, UnixListener)> {
        let base = std::env::var_os(SOCKET_DIR_ENV)
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
            .unwrap_or_else(std::env::temp_dir);
        let group = std::env::var(SOCKET_GROUP_ENV)
            .ok()
            .filter(|g| !g.is_empty());
        let gid = group.map(|g| parse_gid(&g)).transpose()?;
        Self::bind_in(&base, gid)
    }

    fn bind_in(base: &Path, gid: Option<u32>) -> io::Result<(Self, UnixListener)> {
        let dir = create_private_dir(base, gid.is_some())?;
        let this = Self {
            socket: dir.join("plugin.sock"),
            dir: Mutex::new(Some(dir.clone())),
        };
        // From here on, `this` removes the directory if anything below fails.
        let listener = UnixListener::bind(&this.socket)?;
        if let Some(gid) = gid {
            std::os::unix::fs::chown(&dir, None, Some(gid))?;
            std::os::unix::fs::chown(&this.socket, None, Some(gid))?;
            std::fs::set_permissions(&this.socket, std::fs::Permissions::from_mode(0o660))?;
        }
        Ok((this, listener))
    }

    /// The socket's path, as printed in the handshake.
    pub(super) fn socket_path(&self) -> &Path {
        &self.socket
    }

    /// Removes the socket and its directory; later calls do nothing.
    pub(super) fn remove(&self) {
        let dir = match self.dir.lock() {
            Ok(mut guard) => guard.take(),
            Err(poisoned) => poisoned.into_inner().take(),
        };
        if let Some(dir) = dir {
            if let Err(e) = std::fs::remove_dir_all(&dir) {
                tracing::warn!(
                    dir = %dir.display(),
                    error = %e,
                    "could not remove socket directory"
                );
            }
        }
    }
}

impl Drop for SocketDir {
    fn drop(&mut self) {
        self.remove();
    }
}

/// Creates `base/pluginNNNN` with mode 0700 (0710 when a group must reach the socket).
/// `create` fails on an existing path, so a name collision or a planted directory never
/// gets reused.
fn create_private_dir(base: &Path, group_access: bool) -> io::Result<PathBuf> {
    let mode = if group_access { 0o710 } else { 0o700 };
    for _ in 0..16 {
        let candidate = base.join(format!("plugin{:016x}", rand::random::<u64>()));
        match std::fs::DirBuilder::new().mode(mode).create(&candidate) {
            Ok(()) => {
                // The umask may have cleared bits we asked for; set the mode exactly.
                std::fs::set_permissions(&candidate, std::fs::Permissions::from_mode(mode))?;
                return Ok(candidate);
            }
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(e),
        }
    }
    Err(io::Error::new(
        io::ErrorKind::AlreadyExists,
        "no free socket directory name",
    ))
}

fn parse_gid(group: &str) -> io::Result<u32> {
    group.parse().map_err(|_| {
        io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("{SOCKET_GROUP_ENV} must be a numeric group id, got {group:?}"),
        )
    })
}

#[cfg(test)]
mod tests;
