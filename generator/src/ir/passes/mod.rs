//! Passes over the finished type space: cycles broken with `Box` ([`cycles`]), the
//! resources that reach each type ([`usage`]), and the names lock ([`lock`]: aliases for
//! renamed types, the lock this generation writes).

mod cycles;
pub mod lock;
mod usage;

pub use cycles::{mark_boxes, shape_refs, type_refs};
pub use lock::Naming;
pub use usage::mark_usage;
