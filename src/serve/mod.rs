//! The core of `logweave serve` (issue 16, in progress): what is shared
//! ([`roots`]: the served roots and the only way a client's path becomes a
//! file; [`catalog`]: the logs listed under them and the changes between
//! two listings) and who may read it ([`auth`]: the token and the limit on
//! failed attempts), [`request`]: an HTTP request head read within
//! bounds, and [`api`]: version 1 of the API as a function from a request
//! to an answer, and [`connection`]: one client's requests over any byte
//! stream, within bounds; [`listener`]: accepting connections with a cap
//! and timeouts. TLS, the change stream, the `serve` command and the remote
//! client build on these.

pub mod api;
pub mod auth;
pub mod catalog;
pub mod connection;
pub mod listener;
pub mod request;
pub mod roots;
