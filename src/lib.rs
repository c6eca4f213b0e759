//! Rebound: offline bounce analytics. The library holds every step of the flow
//! (ingest → classify → store → report/chart → clean); the CLI and the desktop
//! app are two thin front doors over it. Nothing here knows about Tauri.

pub mod classify;
pub mod error;
pub mod import;
pub mod ingest;
pub mod model;
pub mod store;

pub use error::{Error, Result};
pub mod chart;
pub mod clean;
pub mod explore;
pub mod gen;
pub mod report;
pub mod demo;
