//! The generator's error type: every failure names the input and the place in it.

use std::path::PathBuf;

/// Why a generation could not run. Each variant names where the problem is,
/// so a maintainer can jump straight to it.
#[derive(thiserror::Error)]
pub enum Error {
    /// Reading or writing a file failed.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file or directory involved.
        path: PathBuf,
        /// The underlying I/O error.
        #[source]
        source: std::io::Error,
    },
    /// The input is not well-formed YAML or JSON.
    #[error("{}:{line}:{column}: syntax error: {message}", file.display())]
    Syntax {
        /// The spec file.
        file: PathBuf,
        /// 1-based line of the error.
        line: usize,
        /// 1-based column of the error.
        column: usize,
        /// What the parser reported.
        message: String,
    },
    /// The input parses, but is not a usable OpenAPI 3.0 document.
    #[error("{}: at {pointer}: {message}", file.display())]
    Spec {
        /// The spec file.
        file: PathBuf,
        /// JSON pointer of the offending value (`#/paths/~1user/patch`).
        pointer: String,
        /// What is wrong there.
        message: String,
    },
    /// A command-line or builder option is invalid.
    #[error("{0}")]
    Usage(String),
    /// A bug in the generator, not in the input: emitted code that does not parse, say.
    /// Worth a bug report with the spec that caused it.
    #[error("internal error (a bug in apigen, please report it with the spec): {0}")]
    Internal(String),
}

impl Error {
    /// The process exit code for this error: 3 for a generator bug, 2 for unusable input
    /// or options.
    pub fn exit_code(&self) -> u8 {
        match self {
            Error::Internal(_) => 3,
            _ => 2,
        }
    }
}

/// `Debug` reads like `Display`, so `fn main() -> Result<(), apigen::Error>` in a
/// `build.rs` prints a message cargo users can act on, not a struct dump.
impl std::fmt::Debug for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "apigen: {self}")
    }
}

impl Error {
    pub(crate) fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io {
            path: path.into(),
            source,
        }
    }
}

/// Shorthand used across the generator.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Escapes one reference token for a JSON pointer (RFC 6901).
pub fn pointer_token(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}
