//! zonefacts: raw Chinese news pages about high-tech development zones in, analysis tables out.
//!
//! Stages, one module each, data flowing one way:
//! [`discover`] → [`decode`] → [`normalize`] → [`segment`] → [`extract`] → [`stories`] →
//! [`write`] ([`stories`] links the copies of one story across files and nights).
//! [`pipeline::process_bytes`] is the pure per-file function; [`pipeline::run`] maps it over
//! the input folder in parallel. Stages exchange the plain structs of [`model`]; DataFrames
//! exist only inside [`write`].
//!
//! Around the stages, for unattended nightly runs: [`state`] (incremental runs: per-file
//! content hashes and a cache of extraction results), [`write::publish`] (atomic switch of a
//! run's tables), [`lock`] (one run per output folder), [`log`] (stderr logging) and [`disk`]
//! (read-ahead of the input, write-behind of the outputs).

pub mod cli;
pub mod cmd;
pub mod config;
pub mod decode;
pub mod discover;
pub mod disk;
pub mod extract;
pub mod lexicon;
pub mod lines;
pub mod lock;
pub mod log;
pub mod model;
pub mod normalize;
pub mod pipeline;
pub mod schema;
pub mod segment;
pub mod shard;
pub mod state;
pub mod stories;
pub mod write;
