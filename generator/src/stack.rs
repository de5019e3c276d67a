//! Where the pipeline runs: on a pool of threads with a known, large stack.
//!
//! Lowering, emitting and formatting (syn, prettyplease) recurse once per level of
//! schema nesting, which [`crate::ir::MAX_SCHEMA_DEPTH`] bounds. The stack those levels
//! need must not depend on who calls: the main thread has 8 MiB, a test thread 2 MiB,
//! rayon's global pool 2 MiB. So every entry point runs on this pool, whose threads have
//! [`STACK_SIZE`]; the bound on depth, not the caller's stack, is what limits nesting.
//! (`tests/hostile.rs` generates at the maximum depth in debug builds, which use the most
//! stack per level.)

use std::sync::OnceLock;

use crate::error::{Error, Result};

/// Stack size of the pool's threads. Only what is touched is committed.
pub const STACK_SIZE: usize = 256 << 20;

static POOL: OnceLock<std::result::Result<rayon::ThreadPool, String>> = OnceLock::new();

/// Runs `f` on apigen's pool (threads with a [`STACK_SIZE`] stack); `rayon` parallelism
/// inside `f` uses the same threads. Called from inside the pool, it just runs `f`.
pub fn with_large_stack<T: Send>(f: impl FnOnce() -> T + Send) -> Result<T> {
    let pool = POOL.get_or_init(|| {
        rayon::ThreadPoolBuilder::new()
            .stack_size(STACK_SIZE)
            .thread_name(|i| format!("apigen-{i}"))
            .build()
            .map_err(|e| e.to_string())
    });
    match pool {
        Ok(pool) => Ok(pool.install(f)),
        Err(e) => Err(Error::Usage(format!(
            "cannot start apigen's worker threads: {e}"
        ))),
    }
}
