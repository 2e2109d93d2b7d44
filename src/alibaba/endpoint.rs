// SPDX-License-Identifier: MPL-2.0
//! Endpoint URLs: regional defaults and user overrides (e.g. a local emulator).

/// A validated endpoint base URL (`https://host[:port]`, or `http://` when written explicitly).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ServiceUrl {
    // Representation up to the implementation.
}

impl ServiceUrl {
    /// Parses a user-given URL; `Error::Config` names what is wrong with it.
    pub fn parse(s: &str) -> Result<ServiceUrl, super::Error> {
        todo!("{s}")
    }
    /// True for `http://` (logged as a warning by the client).
    pub fn is_plaintext(&self) -> bool {
        todo!()
    }
    /// The URL without a trailing slash, e.g. `http://127.0.0.1:4567`.
    pub fn as_str(&self) -> &str {
        todo!()
    }
}

/// Endpoint overrides for every service the client calls; `None` means the default.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Endpoints {
    /// Default `https://ehpcinstant.<region>.aliyuncs.com`.
    pub ehpcinstant: Option<ServiceUrl>,
    /// Default `https://sts.aliyuncs.com` (or `https://sts.<region>.aliyuncs.com`).
    pub sts: Option<ServiceUrl>,
    /// Default `http://100.100.100.200`.
    pub ecs_metadata: Option<ServiceUrl>,
}
