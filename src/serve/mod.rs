//! `logweave serve`'s core: what is shared ([`roots`]: the served roots
//! and the only way a client's path becomes a file; [`catalog`]: the logs
//! listed under them and the changes between two listings; [`feed`]: the
//! numbered change stream and the watcher behind it; [`held`]: files kept
//! open for clients still reading them), who may read it ([`auth`]: the
//! token and the limit on failed attempts), and how it is asked for
//! ([`request`]: a request head read within bounds; [`api`]: version 1 of
//! the API as a function from a request to an answer, with [`reading`],
//! [`chain`] and [`page`] behind it; [`connection`]: one client's requests
//! over any byte stream; [`listener`]: accepting connections, plain or TLS,
//! with a cap and timeouts). The command is `cli::serve`; the client side
//! is [`crate::remote`].

pub mod api;
pub mod auth;
pub mod catalog;
pub mod chain;
pub mod connection;
pub mod feed;
pub mod held;
pub mod listener;
pub mod page;
pub mod reading;
pub mod request;
pub mod roots;
