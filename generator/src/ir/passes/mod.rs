//! Passes over the finished type space: cycles broken with `Box` ([`cycles`]) and the
//! resources that reach each type ([`usage`]).

mod cycles;
mod usage;

pub use cycles::{mark_boxes, shape_refs, type_refs};
pub use usage::mark_usage;
