//! Contract tests: the generated client (`generated/`) against Prism, the mock
//! server Cloudflare's own SDKs test with, serving `spec/openapi.yaml`.
//!
//! Prism checks every request against the spec (path parameters, body schema,
//! formats, security) and answers 422 or 401 when one breaks it, so a passing
//! call here means the request the client put on the wire is one the spec
//! allows, and that the response Prism built from the spec decodes into the
//! generated types.
//!
//! Prism is installed by `tests/mock/install.sh` (pinned by
//! `tests/mock/package-lock.json`). When it is missing, every test here fails
//! and says so: nothing is skipped.
//!
//! The paged lists (one operation per pagination style, the client and the spec
//! both cut from the vendored 2026-08 spec by `tests/build.rs`) run against a
//! second Prism serving that spec: each page request is checked the same way.
//!
//! One Prism per spec serves the whole test binary: it is started on first use
//! on a free loopback port, and it stops when the test binary exits, however it
//! exits (see [`prism`]). Tests run in parallel against it.
//!
//! What Prism 5.14 does with this spec (checked by hand, relied on below):
//! - valid requests get 200 with the spec's examples (the static example, so
//!   the edit response does not echo the values sent, and Prism prefers a
//!   schema's `default` to its `example`: `has_pro_zones` is `false`);
//! - request violations get 422, a missing or empty credential 401, a body
//!   that is not `application/json` 415; the body is always the same failure
//!   envelope `{"errors":[],"messages":[],"result":null,"success":false}` and
//!   the violations are only in the `sl-violations` header (JSON);
//! - `Prefer: code=N` answers with status N for any 4xx (the spec's `4XX`
//!   range), and `Prefer: dynamic=true` with random data from the schema.

use std::fmt::Debug;
use std::time::Duration;

use cloudflare::runtime::{ApiError, Format, Rule};
use cloudflare::types::IamComponentsSchemasStatus;
use cloudflare::user::UserEditParams;
use cloudflare::zero_trust::access::users::UserUpdateParams;
use cloudflare::{Client, ClientBuilder, Error, Nullable};

// The example values of the seed operations' reference pages.
const TOKEN: &str = "Sn3lZJTBX6kkg7OdcBUAxOO963GEIyGQqnFTOFYY";
const AUTH_EMAIL: &str = "user@example.com";
const AUTH_KEY: &str = "144c9defac04969c7bfad8efaa8ea194";
const ACCOUNT: &str = "023e105f4ecef8ad9ca31a8372d0c353";
const USER: &str = "f174e90a-fafe-4643-bbbc-4a0ed4fc8415";
const EMAIL: &str = "jdoe@example.com";
const NAME: &str = "Jane Doe";

// ---------------------------------------------------------------------------
// The Prism process
// ---------------------------------------------------------------------------

mod prism {
    use std::collections::VecDeque;
    use std::io::{BufRead, BufReader, Read, Write};
    use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
    use std::path::{Path, PathBuf};
    use std::process::{Child, ChildStdin, Command, Stdio};
    use std::sync::{Arc, Mutex, OnceLock};
    use std::thread;
    use std::time::{Duration, Instant};

    /// How long Prism may take to answer its first request.
    const START_TIMEOUT: Duration = Duration::from_secs(60);
    /// Lines of Prism's output kept for failure messages.
    const LOG_LINES: usize = 2000;
    /// Lines of Prism's output shown in a failure message.
    const REPORT_LINES: usize = 60;

    /// Runs Prism with its stdin closed and kills it (SIGTERM) as soon as the
    /// shell's own stdin reaches end of file, which happens when the
    /// [`Prism`] is dropped or the test process ends in any way (normal exit,
    /// panic, abort, signal): the kernel closes the pipe's only write end,
    /// which the test process holds. The shell exits when Prism does, so its
    /// exit status is Prism's. `$0` is Prism's executable, `$@` its arguments.
    const WATCHDOG: &str = r#"
exec 3<&0
"$0" "$@" </dev/null &
prism=$!
( read -r _ <&3; kill -TERM "$prism" 2>/dev/null ) &
wait "$prism"
"#;

    /// A running Prism mock server.
    pub struct Prism {
        shell: Child,
        stdin: Option<ChildStdin>,
        url: String,
        log: Log,
    }

    /// The Prism of `spec/openapi.yaml` shared by every test of this binary (see [`shared`]).
    static SHARED: OnceLock<Result<Prism, String>> = OnceLock::new();
    /// The Prism of the paged lists' spec (see [`paged`]).
    static PAGED: OnceLock<Result<Prism, String>> = OnceLock::new();

    /// The shared Prism of `spec/openapi.yaml`, started on first use. Panics
    /// (failing the calling test) when it cannot be started, with the reason
    /// and what to do.
    ///
    /// A `static` is never dropped: this one stops when the process exits,
    /// through the watchdog above.
    pub fn shared() -> &'static Prism {
        started(&SHARED, || {
            Prism::start(&repo_root().join("spec/openapi.yaml"))
        })
    }

    /// The shared Prism of the paged lists' spec: one list operation per
    /// pagination style, cut from the vendored 2026-08 spec by `tests/build.rs`.
    pub fn paged() -> &'static Prism {
        started(&PAGED, || {
            Prism::start(Path::new(concat!(env!("OUT_DIR"), "/paged-spec.json")))
        })
    }

    fn started(
        cell: &'static OnceLock<Result<Prism, String>>,
        start: impl FnOnce() -> Result<Prism, String>,
    ) -> &'static Prism {
        match cell.get_or_init(start) {
            Ok(prism) => prism,
            Err(message) => panic!("{message}"),
        }
    }

    /// The last lines of the shared Prisms' output, for failure messages
    /// (empty when none was started).
    pub fn report() -> String {
        [&SHARED, &PAGED]
            .into_iter()
            .filter_map(|cell| match cell.get() {
                Some(Ok(prism)) => Some(prism.report()),
                _ => None,
            })
            .collect::<Vec<_>>()
            .join("\n")
    }

    impl Prism {
        /// Starts Prism on a free loopback port with `spec` and waits until it
        /// answers.
        pub fn start(spec: &Path) -> Result<Prism, String> {
            let root = repo_root();
            let mock_dir = root.join("tests/mock");
            let bin = mock_dir.join("node_modules/.bin/prism");
            if !bin.exists() {
                return Err(format!(
                    "Prism is not installed ({} is missing).\n\
                     Run `bash tests/mock/install.sh` (needs Node.js >= 18.20 with npm), \
                     then run these tests again.",
                    bin.display()
                ));
            }
            check_installed_version(&mock_dir)?;

            // The port is free when chosen but could be taken before Prism
            // binds it; try again with another one then.
            let mut last_error = String::new();
            for _ in 0..3 {
                let port = free_port()?;
                match Prism::spawn(&bin, &mock_dir, spec, port) {
                    Ok(prism) => return Ok(prism),
                    Err((message, port_taken)) => {
                        last_error = message;
                        if !port_taken {
                            break;
                        }
                    }
                }
            }
            Err(last_error)
        }

        fn spawn(
            bin: &Path,
            mock_dir: &Path,
            spec: &Path,
            port: u16,
        ) -> Result<Prism, (String, bool)> {
            let mut shell = Command::new("sh")
                .arg("-c")
                .arg(WATCHDOG)
                .arg(bin)
                .arg("mock")
                .arg("--errors")
                .args(["--host", "127.0.0.1", "--port", &port.to_string()])
                .arg(spec)
                .current_dir(mock_dir)
                .env("FORCE_COLOR", "0")
                .env("NO_COLOR", "1")
                .stdin(Stdio::piped())
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .map_err(|e| (format!("cannot run `sh` to start Prism: {e}"), false))?;
            let log = Log::default();
            log.capture(shell.stdout.take().expect("piped stdout"));
            log.capture(shell.stderr.take().expect("piped stderr"));
            let stdin = shell.stdin.take();
            let mut prism = Prism {
                shell,
                stdin,
                url: format!("http://127.0.0.1:{port}"),
                log,
            };

            let started = Instant::now();
            let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
            loop {
                if let Ok(Some(status)) = prism.shell.try_wait() {
                    // Give the reader threads a moment to collect the last words.
                    thread::sleep(Duration::from_millis(200));
                    let output = prism.log.tail(REPORT_LINES);
                    return Err((
                        format!(
                            "Prism exited ({status}) before it answered on port {port}. \
                             If it cannot run, reinstall it with `bash tests/mock/install.sh`.\n\
                             Its output:\n{output}"
                        ),
                        output.contains("EADDRINUSE"),
                    ));
                }
                if answers_like_prism(addr) {
                    return Ok(prism);
                }
                if started.elapsed() > START_TIMEOUT {
                    let output = prism.log.tail(REPORT_LINES);
                    drop(prism);
                    return Err((
                        format!(
                            "Prism did not answer on port {port} within {START_TIMEOUT:?}.\n\
                             Its output:\n{output}"
                        ),
                        false,
                    ));
                }
                thread::sleep(Duration::from_millis(100));
            }
        }

        /// `http://127.0.0.1:PORT`.
        pub fn url(&self) -> &str {
            &self.url
        }

        /// The last lines of Prism's output, for failure messages. Prism is
        /// shared, so lines of concurrent tests' requests are interleaved.
        pub fn report(&self) -> String {
            format!(
                "--- last lines of Prism's output ({}) ---\n{}",
                self.url,
                self.log.tail(REPORT_LINES)
            )
        }
    }

    impl Drop for Prism {
        fn drop(&mut self) {
            // End of file on the watchdog's stdin: it stops Prism, then exits.
            drop(self.stdin.take());
            let deadline = Instant::now() + Duration::from_secs(5);
            loop {
                match self.shell.try_wait() {
                    Ok(Some(_)) => return,
                    Ok(None) if Instant::now() < deadline => {
                        thread::sleep(Duration::from_millis(20))
                    }
                    _ => {
                        let _ = self.shell.kill();
                        let _ = self.shell.wait();
                        return;
                    }
                }
            }
        }
    }

    /// Prism's combined stdout and stderr, last [`LOG_LINES`] lines.
    #[derive(Clone, Default)]
    struct Log(Arc<Mutex<VecDeque<String>>>);

    impl Log {
        fn capture(&self, stream: impl Read + Send + 'static) {
            let log = self.clone();
            thread::spawn(move || {
                let mut reader = BufReader::new(stream);
                let mut line = Vec::new();
                while matches!(reader.read_until(b'\n', &mut line), Ok(n) if n > 0) {
                    let text = String::from_utf8_lossy(&line);
                    let mut lines = log.0.lock().unwrap_or_else(|e| e.into_inner());
                    if lines.len() == LOG_LINES {
                        lines.pop_front();
                    }
                    lines.push_back(text.trim_end().to_owned());
                    line.clear();
                }
            });
        }

        fn tail(&self, n: usize) -> String {
            let lines = self.0.lock().unwrap_or_else(|e| e.into_inner());
            let skip = lines.len().saturating_sub(n);
            let mut out = String::new();
            for line in lines.iter().skip(skip) {
                out.push_str(line);
                out.push('\n');
            }
            if out.is_empty() {
                out.push_str("(no output)\n");
            }
            out
        }
    }

    fn repo_root() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .parent()
            .expect("tests/ is inside the repository")
            .to_path_buf()
    }

    /// The installed Prism must be the one `package.json` pins.
    fn check_installed_version(mock_dir: &Path) -> Result<(), String> {
        let read = |path: PathBuf| -> Result<serde_json::Value, String> {
            let text = std::fs::read_to_string(&path)
                .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
            serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))
        };
        let pinned = read(mock_dir.join("package.json"))?["dependencies"]["@stoplight/prism-cli"]
            .as_str()
            .map(str::to_owned);
        let installed = read(mock_dir.join("node_modules/@stoplight/prism-cli/package.json"))?
            ["version"]
            .as_str()
            .map(str::to_owned);
        if pinned != installed {
            return Err(format!(
                "tests/mock/package.json pins @stoplight/prism-cli {pinned:?} but {installed:?} \
                 is installed: run `bash tests/mock/install.sh`."
            ));
        }
        Ok(())
    }

    fn free_port() -> Result<u16, String> {
        TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
            .and_then(|listener| listener.local_addr())
            .map(|addr| addr.port())
            .map_err(|e| format!("cannot find a free loopback port: {e}"))
    }

    /// Whether the server at `addr` is a Prism: it answers a path the spec
    /// does not have with its own `NO_PATH_MATCHED_ERROR` problem document.
    pub fn answers_like_prism(addr: SocketAddr) -> bool {
        let Ok(mut stream) = TcpStream::connect_timeout(&addr, Duration::from_secs(1)) else {
            return false;
        };
        let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
        let _ = stream.set_write_timeout(Some(Duration::from_secs(5)));
        let request =
            format!("GET /__readiness_probe HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n");
        if stream.write_all(request.as_bytes()).is_err() {
            return false;
        }
        let mut response = Vec::new();
        let _ = stream.read_to_end(&mut response);
        String::from_utf8_lossy(&response).contains("stoplight.io/prism")
    }
}

// ---------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------

#[derive(Clone, Copy, Debug)]
enum Auth {
    /// `Authorization: Bearer <TOKEN>`.
    Token,
    /// `X-Auth-Email` + `X-Auth-Key`.
    EmailAndKey,
}

/// A builder aimed at the shared Prism, with the given credentials and no
/// retries (Prism answers at once; a retry would only hide a problem).
fn builder(auth: Auth) -> ClientBuilder {
    let builder = Client::builder()
        .base_url(prism::shared().url())
        .max_retries(0)
        .timeout(Duration::from_secs(20));
    match auth {
        Auth::Token => builder.api_token(TOKEN),
        Auth::EmailAndKey => builder.api_email(AUTH_EMAIL).api_key(AUTH_KEY),
    }
}

fn client(auth: Auth) -> Client {
    builder(auth).build().expect("client builds")
}

/// A client that sends values breaking the spec, for Prism to judge.
fn unvalidated_client(auth: Auth) -> Client {
    builder(auth)
        .validation(false)
        .build()
        .expect("client builds")
}

/// The success value, or a panic naming the error and showing Prism's output.
fn expect_ok<T>(result: Result<T, Error>, what: &str) -> T {
    match result {
        Ok(value) => value,
        Err(error) => panic!(
            "{what}: expected success, got: {error}\n{error:?}\n{}",
            prism::report()
        ),
    }
}

/// The variant name of an error, for comparisons in tables.
fn kind(error: &Error) -> &'static str {
    match error {
        Error::BadRequest(_) => "BadRequest",
        Error::Authentication(_) => "Authentication",
        Error::PermissionDenied(_) => "PermissionDenied",
        Error::NotFound(_) => "NotFound",
        Error::Conflict(_) => "Conflict",
        Error::UnprocessableEntity(_) => "UnprocessableEntity",
        Error::RateLimit(_) => "RateLimit",
        Error::InternalServer(_) => "InternalServer",
        Error::Status(_) => "Status",
        Error::Unsuccessful(_) => "Unsuccessful",
        Error::Connection { .. } => "Connection",
        Error::Timeout { .. } => "Timeout",
        Error::Decode { .. } => "Decode",
        Error::Validation { .. } => "Validation",
        Error::MissingCredentials { .. } => "MissingCredentials",
        Error::InvalidRequest { .. } => "InvalidRequest",
        Error::Config { .. } => "Config",
        _ => "(unknown kind)",
    }
}

/// The error of a call that must fail with the `expected` kind.
fn expect_kind<T: Debug>(result: Result<T, Error>, expected: &str, what: &str) -> Error {
    match result {
        Err(error) if kind(&error) == expected => error,
        Err(error) => panic!(
            "{what}: expected Error::{expected}, got Error::{}: {error}\n{error:?}\n{}",
            kind(&error),
            prism::report()
        ),
        Ok(value) => panic!(
            "{what}: expected Error::{expected}, but the call succeeded with {value:?}\n{}",
            prism::report()
        ),
    }
}

/// Prism's violations from the `sl-violations` header, each as
/// (`location` joined with dots, `code`).
fn prism_violations(api: &ApiError) -> Vec<(String, String)> {
    let Some(header) = api.headers.get("sl-violations") else {
        return Vec::new();
    };
    let parsed: serde_json::Value =
        serde_json::from_slice(header.as_bytes()).expect("sl-violations is JSON");
    parsed
        .as_array()
        .expect("sl-violations is an array")
        .iter()
        .map(|v| {
            let location: Vec<&str> = v["location"]
                .as_array()
                .map(|parts| parts.iter().filter_map(|p| p.as_str()).collect())
                .unwrap_or_default();
            let code = match &v["code"] {
                serde_json::Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            (location.join("."), code)
        })
        .collect()
}

/// `result` is Prism's rejection of a request that breaks the spec: an
/// `UnprocessableEntity` carrying status 422, Prism's failure envelope as the
/// body and a violation of `code` at `location` (e.g. `request.body.email`).
fn assert_rejected_by_prism<T: Debug>(
    result: Result<T, Error>,
    location: &str,
    code: &str,
    what: &str,
) {
    let error = expect_kind(result, "UnprocessableEntity", what);
    assert_eq!(error.status().map(|s| s.as_u16()), Some(422), "{what}");
    let api = error
        .api_error()
        .expect("an HTTP error carries the response");
    assert_eq!(api.status.as_u16(), 422, "{what}");
    let body: serde_json::Value = serde_json::from_slice(&api.body)
        .unwrap_or_else(|e| panic!("{what}: the body is not JSON ({e}): {}", api.body_text()));
    assert_eq!(body["success"], false, "{what}: body {body}");
    let violations = prism_violations(api);
    assert!(
        violations.iter().any(|(l, c)| l == location && c == code),
        "{what}: expected a `{code}` violation at `{location}`, Prism reported {violations:?}\n{}",
        prism::report()
    );
    // Display carries the status and the operation for the user.
    let shown = error.to_string();
    assert!(shown.contains("422"), "{what}: {shown}");
}

/// `result` is the client's own refusal: `Error::Validation` with a
/// violation of `rule` at `field`, and no request made.
fn assert_rejected_by_client<T: Debug>(result: Result<T, Error>, field: &str, rule: Rule) {
    let error = expect_kind(result, "Validation", field);
    assert_eq!(error.status(), None, "no response for {field}");
    assert!(
        error
            .violations()
            .iter()
            .any(|v| v.field == field && v.rule == rule),
        "expected {rule:?} at `{field}`, got {:?}",
        error.violations()
    );
}

fn long_name() -> String {
    "J".repeat(61)
}

// ---------------------------------------------------------------------------
// Valid calls succeed and decode
// ---------------------------------------------------------------------------

async fn update_succeeds(auth: Auth) {
    let response = expect_ok(
        client(auth)
            .zero_trust()
            .access()
            .users()
            .update(USER, UserUpdateParams::new(ACCOUNT, EMAIL, NAME))
            .with_response()
            .await,
        &format!("update with {auth:?}"),
    );
    assert_eq!(response.status.as_u16(), 200);
    let user = response.result.expect("Prism's example has a result");
    assert_eq!(user.id.as_deref(), Some(USER));
    assert_eq!(user.email.as_deref(), Some(EMAIL));
    assert_eq!(user.name.as_deref(), Some(NAME));
    assert_eq!(user.active_device_count, Some(2.0));
    assert_eq!(user.access_seat, Some(false));
    assert_eq!(user.seat_uid.as_deref(), Some("seat_uid"));
    assert_eq!(
        user.created_at.map(|t| t.to_rfc3339()),
        Some("2014-01-01T05:20:00.123450+00:00".to_owned())
    );
    assert_eq!(
        user.last_successful_login.map(|t| t.timestamp()),
        Some(1_593_580_800)
    );
}

#[tokio::test]
async fn update_with_api_token_succeeds_and_decodes() {
    update_succeeds(Auth::Token).await;
}

#[tokio::test]
async fn update_with_email_and_key_succeeds_and_decodes() {
    update_succeeds(Auth::EmailAndKey).await;
}

/// Checks the edit response Prism builds from the spec's examples. It is the
/// same whatever was sent: Prism does not echo the request.
fn assert_edit_example(user: &cloudflare::user::UserEditResponse) {
    assert_eq!(user.id.as_deref(), Some("6d7f2f5f5b1d4a0e9081fdc98d432fd1"));
    assert_eq!(user.first_name, Nullable::Value("John".to_owned()));
    assert_eq!(user.last_name, Nullable::Value("Appleseed".to_owned()));
    assert_eq!(
        user.telephone,
        Nullable::Value("+1 123-123-1234".to_owned())
    );
    assert_eq!(user.country, Nullable::Value("US".to_owned()));
    assert_eq!(user.zipcode, Nullable::Value("12345".to_owned()));
    assert_eq!(user.betas, Some(vec!["zone_level_access_beta".to_owned()]));
    // Prism takes the schema's `default` (false) over its `example` (true).
    assert_eq!(user.has_pro_zones, Some(false));
    let organizations = user.organizations.as_ref().expect("organizations");
    assert_eq!(organizations.len(), 1);
    assert_eq!(organizations[0].id.as_deref(), Some(ACCOUNT));
    assert_eq!(organizations[0].name.as_deref(), Some("Cloudflare, Inc."));
    assert_eq!(
        organizations[0].status,
        Some(IamComponentsSchemasStatus::Member)
    );
    assert_eq!(
        organizations[0].roles,
        Some(vec!["All Privileges - Super Administrator".to_owned()])
    );
}

#[tokio::test]
async fn edit_first_name_with_api_token_succeeds_and_decodes() {
    let user = expect_ok(
        client(Auth::Token)
            .user()
            .edit(UserEditParams::new().first_name("John"))
            .await,
        "edit first_name",
    )
    .expect("Prism's example has a result");
    assert_edit_example(&user);
}

#[tokio::test]
async fn edit_clearing_a_field_to_null_with_email_and_key_succeeds() {
    let user = expect_ok(
        client(Auth::EmailAndKey)
            .user()
            .edit(UserEditParams::new().first_name("John").clear_telephone())
            .await,
        "edit with telephone: null",
    )
    .expect("Prism's example has a result");
    assert_edit_example(&user);
}

#[tokio::test]
async fn edit_with_nothing_set_succeeds() {
    let user = expect_ok(
        client(Auth::Token).user().edit(UserEditParams::new()).await,
        "edit with an empty body",
    )
    .expect("Prism's example has a result");
    assert_edit_example(&user);
}

#[tokio::test]
async fn edit_every_field_set_or_cleared_succeeds() {
    let client = client(Auth::EmailAndKey);
    let all_set = UserEditParams::new()
        .country("US")
        .first_name("John")
        .last_name("Appleseed")
        .telephone("+1 123-123-1234")
        .zipcode("12345");
    let all_cleared = UserEditParams::new()
        .clear_country()
        .clear_first_name()
        .clear_last_name()
        .clear_telephone()
        .clear_zipcode();
    // The longest values the spec allows.
    let at_the_limits = UserEditParams::new()
        .country("C".repeat(30))
        .first_name("F".repeat(60))
        .last_name("L".repeat(60))
        .telephone("1".repeat(20))
        .zipcode("9".repeat(20));
    for (what, params) in [
        ("every field set", all_set),
        ("every field cleared", all_cleared),
        ("every field at its maxLength", at_the_limits),
    ] {
        let user = expect_ok(client.user().edit(params).await, what).expect("a result");
        assert_edit_example(&user);
    }
}

/// With `Prefer: dynamic=true` Prism makes up a random response from the
/// schema each time (random strings, nulls in nullable fields, extra
/// properties in open objects): the generated types must take whatever the
/// spec allows.
#[tokio::test]
async fn random_responses_from_the_schema_decode() {
    let client = client(Auth::Token);
    for round in 0..15 {
        let update = client
            .zero_trust()
            .access()
            .users()
            .update(USER, UserUpdateParams::new(ACCOUNT, EMAIL, NAME))
            .extra_header("Prefer", "dynamic=true")
            .await;
        expect_ok(update, &format!("random update response #{round}"));
        let edit = client
            .user()
            .edit(UserEditParams::new().first_name("John"))
            .extra_header("Prefer", "dynamic=true")
            .await;
        expect_ok(edit, &format!("random edit response #{round}"));
    }
}

// ---------------------------------------------------------------------------
// Values breaking the spec: Prism's 422 with validation off, Error::Validation
// (and no request) with it on
// ---------------------------------------------------------------------------

#[tokio::test]
async fn first_name_over_60_characters() {
    let params = UserEditParams::new().first_name(long_name());
    assert_rejected_by_prism(
        unvalidated_client(Auth::Token)
            .user()
            .edit(params.clone())
            .await,
        "request.body.first_name",
        "maxLength",
        "edit with a 61-character first_name",
    );
    assert_rejected_by_client(
        client(Auth::Token).user().edit(params).await,
        "body.first_name",
        Rule::MaxLength(60),
    );
}

#[tokio::test]
async fn email_that_is_not_an_email() {
    let params = UserUpdateParams::new(ACCOUNT, "not-an-email", NAME);
    assert_rejected_by_prism(
        unvalidated_client(Auth::EmailAndKey)
            .zero_trust()
            .access()
            .users()
            .update(USER, params.clone())
            .await,
        "request.body.email",
        "format",
        "update with a malformed email",
    );
    assert_rejected_by_client(
        client(Auth::EmailAndKey)
            .zero_trust()
            .access()
            .users()
            .update(USER, params)
            .await,
        "body.email",
        Rule::Format(Format::Email),
    );
}

#[tokio::test]
async fn path_parameters_over_their_max_length() {
    let long_account = format!("{ACCOUNT}0");
    let long_user = format!("{USER}0");
    assert_rejected_by_prism(
        unvalidated_client(Auth::Token)
            .zero_trust()
            .access()
            .users()
            .update(USER, UserUpdateParams::new(&long_account, EMAIL, NAME))
            .await,
        "request.path.account_id",
        "maxLength",
        "update with a 33-character account_id",
    );
    assert_rejected_by_prism(
        unvalidated_client(Auth::Token)
            .zero_trust()
            .access()
            .users()
            .update(&long_user, UserUpdateParams::new(ACCOUNT, EMAIL, NAME))
            .await,
        "request.path.user_id",
        "maxLength",
        "update with a 37-character user_id",
    );
    let users = client(Auth::Token);
    let users = users.zero_trust().access().users();
    assert_rejected_by_client(
        users
            .update(USER, UserUpdateParams::new(&long_account, EMAIL, NAME))
            .await,
        "path.account_id",
        Rule::MaxLength(32),
    );
    assert_rejected_by_client(
        users
            .update(&long_user, UserUpdateParams::new(ACCOUNT, EMAIL, NAME))
            .await,
        "path.user_id",
        Rule::MaxLength(36),
    );
}

#[tokio::test]
async fn validation_can_be_turned_off_per_request() {
    let client = client(Auth::Token);
    let request = client
        .user()
        .edit(UserEditParams::new().first_name(long_name()))
        .options(cloudflare::RequestOptions::new().validation(false));
    assert_rejected_by_prism(
        request.await,
        "request.body.first_name",
        "maxLength",
        "edit with validation off for this request only",
    );
}

// ---------------------------------------------------------------------------
// Credentials
// ---------------------------------------------------------------------------

#[tokio::test]
async fn no_credentials_fail_before_any_request() {
    // No Prism needed: the client refuses on its own.
    let client = Client::builder()
        .base_url("http://127.0.0.1:9")
        .build()
        .expect("client builds");
    let error = expect_kind(
        client.user().edit(UserEditParams::new()).await,
        "MissingCredentials",
        "edit without credentials",
    );
    let Error::MissingCredentials { configured, .. } = &error else {
        unreachable!()
    };
    assert!(configured.is_empty());
    assert!(error.to_string().contains("api_token"), "{error}");

    // Half of the email + key pair is not enough either.
    let client = Client::builder()
        .base_url("http://127.0.0.1:9")
        .api_email(AUTH_EMAIL)
        .build()
        .expect("client builds");
    let error = expect_kind(
        client
            .zero_trust()
            .access()
            .users()
            .update(USER, UserUpdateParams::new(ACCOUNT, EMAIL, NAME))
            .await,
        "MissingCredentials",
        "update with only api_email",
    );
    let Error::MissingCredentials { configured, .. } = &error else {
        unreachable!()
    };
    assert_eq!(configured, &["api_email"]);
}

/// The client cannot send a request without credentials, so these blank the
/// credential headers per request instead; Prism sees no usable security
/// scheme and answers 401.
#[tokio::test]
async fn requests_without_usable_credentials_get_prisms_401() {
    let cases = [
        (Auth::Token, "Authorization"),
        (Auth::EmailAndKey, "X-Auth-Key"),
    ];
    for (auth, header) in cases {
        let what = format!("edit with {auth:?} and an empty {header}");
        let result = client(auth)
            .user()
            .edit(UserEditParams::new())
            .extra_header(header, "")
            .await;
        let error = expect_kind(result, "Authentication", &what);
        let api = error.api_error().expect("the response");
        assert_eq!(api.status.as_u16(), 401, "{what}");
        let violations = prism_violations(api);
        assert_eq!(
            violations,
            vec![("request".to_owned(), "401".to_owned())],
            "{what}"
        );
        let body: serde_json::Value = serde_json::from_slice(&api.body).expect("JSON body");
        assert_eq!(body["success"], false, "{what}");
    }
}

// ---------------------------------------------------------------------------
// Status codes map to error kinds
// ---------------------------------------------------------------------------

/// Prism answers with any status of the spec's `4XX` range on request
/// (`Prefer: code=N`), with the failure envelope of the spec's example.
#[tokio::test]
async fn every_4xx_status_maps_to_its_error_kind() {
    let client = client(Auth::Token);
    let cases = [
        (400, "BadRequest"),
        (401, "Authentication"),
        (403, "PermissionDenied"),
        (404, "NotFound"),
        (409, "Conflict"),
        (422, "UnprocessableEntity"),
        (429, "RateLimit"),
        (418, "Status"),
    ];
    for (status, expected) in cases {
        let what = format!("edit answered with {status}");
        let result = client
            .user()
            .edit(UserEditParams::new().first_name("John"))
            .extra_header("Prefer", format!("code={status}"))
            .await;
        let error = expect_kind(result, expected, &what);
        assert_eq!(error.status().map(|s| s.as_u16()), Some(status), "{what}");
        assert_eq!(error.operation(), Some("user-edit-user"), "{what}");
        let api = error.api_error().expect("the response");
        let body: serde_json::Value = serde_json::from_slice(&api.body).expect("JSON body");
        assert_eq!(body["success"], false, "{what}: {body}");

        let what = format!("update answered with {status}");
        let result = client
            .zero_trust()
            .access()
            .users()
            .update(USER, UserUpdateParams::new(ACCOUNT, EMAIL, NAME))
            .extra_header("Prefer", format!("code={status}"))
            .await;
        let error = expect_kind(result, expected, &what);
        assert_eq!(error.status().map(|s| s.as_u16()), Some(status), "{what}");
        assert_eq!(
            error.operation(),
            Some("zero-trust-users-update-user"),
            "{what}"
        );
    }
}

/// A body that is not JSON (the content type overridden per request) gets
/// Prism's 415, which has no kind of its own.
#[tokio::test]
async fn wrong_content_type_gets_415_as_a_plain_status_error() {
    let result = client(Auth::Token)
        .user()
        .edit(UserEditParams::new().first_name("John"))
        .extra_header("Content-Type", "text/plain")
        .await;
    let error = expect_kind(result, "Status", "edit sent as text/plain");
    assert_eq!(error.status().map(|s| s.as_u16()), Some(415));
    let api = error.api_error().expect("the response");
    assert_eq!(
        prism_violations(api),
        vec![("request".to_owned(), "415".to_owned())]
    );
}

// ---------------------------------------------------------------------------
// The harness itself
// ---------------------------------------------------------------------------

/// A Prism of its own (not the shared one) answers until it is dropped, and
/// dropping it stops the process: its port no longer accepts connections.
#[test]
fn dropping_a_prism_stops_it() {
    let spec = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec/openapi.yaml");
    let own = prism::Prism::start(&spec).unwrap_or_else(|message| panic!("{message}"));
    let addr: std::net::SocketAddr = own
        .url()
        .trim_start_matches("http://")
        .parse()
        .expect("host:port");
    assert!(prism::answers_like_prism(addr), "{}", own.report());
    drop(own);
    let refused = (0..50).any(|_| {
        let gone = std::net::TcpStream::connect_timeout(&addr, Duration::from_millis(200)).is_err();
        if !gone {
            std::thread::sleep(Duration::from_millis(100));
        }
        gone
    });
    assert!(
        refused,
        "Prism still accepts connections on {addr} after drop"
    );
}

// ---------------------------------------------------------------------------
// Paged lists: one method per pagination style, against a Prism serving their
// spec (cut from the vendored 2026-08 spec by tests/build.rs)
// ---------------------------------------------------------------------------

#[allow(clippy::all, unused_imports)]
mod paged {
    include!(concat!(env!("OUT_DIR"), "/paged.rs"));
}

/// A client of the paged lists aimed at their Prism.
fn paged_client() -> paged::Client {
    paged::Client::builder()
        .base_url(prism::paged().url())
        .api_token(TOKEN)
        .max_retries(0)
        .timeout(Duration::from_secs(20))
        .build()
        .expect("client builds")
}

/// Up to the first two pages of a list. Prism answers every request with the spec's
/// example, so a page-number list sees page 1 again and stops (its second request was
/// sent and accepted), and a cursor list gets the example's cursor back: taking two
/// pages stops before the runtime reports it as repeated. Any request Prism rejects
/// (422 with its violations) fails the test, and so does any page that does not decode.
async fn two_pages<T, Item, I>(
    what: &str,
    list: apigen_runtime::Paginated<T, Item, I>,
) -> Vec<apigen_runtime::Page<Item, I>>
where
    T: Send + 'static,
    Item: serde::de::DeserializeOwned + Send + 'static,
    I: serde::de::DeserializeOwned + Send + 'static,
{
    use apigen_runtime::{StreamExt, TryStreamExt};
    match list.pages().take(2).try_collect::<Vec<_>>().await {
        Ok(pages) => pages,
        Err(error) => panic!(
            "{what}: a page failed: {error}\n{error:?}\n{}",
            prism::report()
        ),
    }
}

#[tokio::test]
async fn page_array_zones_list_pages_against_the_spec() {
    let params = paged::zones::ZoneListParams::new()
        .page(2)
        .per_page(5)
        .name("example.com")
        .account_id(ACCOUNT);
    let pages = two_pages("zones.list", paged_client().zones().list(params)).await;
    assert_eq!(
        pages.len(),
        1,
        "Prism's page 3 repeats its example: the list stops"
    );
    let info = pages[0].result_info.as_ref().expect("typed result_info");
    assert_eq!(info.total_pages, Some(100.0));
    assert!(!pages[0].items.is_empty(), "the example's zones decode");
}

#[tokio::test]
async fn page_array_with_an_undeclared_page_parameter_is_accepted() {
    let pages = two_pages(
        "gateway list items",
        paged_client().accounts().gateway().lists().items().list(
            "f174e90a-fafe-4643-bbbc-4a0ed4fc8415",
            paged::accounts::gateway::lists::items::ItemListParams::new(ACCOUNT),
        ),
    )
    .await;
    assert_eq!(pages.len(), 1);
}

#[tokio::test]
async fn page_with_items_in_the_result_pages_against_the_spec() {
    let params = paged::zero_trust::dex::commands::CommandListParams::new(ACCOUNT, 1, 10);
    let pages = two_pages(
        "zero_trust.dex.commands.list",
        paged_client().zero_trust().dex().commands().list(params),
    )
    .await;
    assert_eq!(pages.len(), 1);
}

#[tokio::test]
async fn cursor_devices_list_pages_against_the_spec() {
    let params = paged::zero_trust::devices::devices::DeviceListParams::new(ACCOUNT)
        .per_page(10)
        .search("laptop");
    let pages = two_pages(
        "zero_trust.devices.devices.list",
        paged_client().zero_trust().devices().devices().list(params),
    )
    .await;
    assert_eq!(
        pages.len(),
        2,
        "the second request sends the example's cursor"
    );
}

#[tokio::test]
async fn cursor_limit_kv_keys_list_pages_against_the_spec() {
    let params = paged::keys::KeyListParams::new(ACCOUNT)
        .limit(10)
        .prefix("user:");
    let pages = two_pages(
        "keys.list",
        paged_client()
            .keys()
            .list("0f2ac74b498b48028cb68387c421e279", params),
    )
    .await;
    assert_eq!(pages.len(), 2);
    assert!(pages[0]
        .result_info
        .as_ref()
        .is_some_and(|i| i.cursor.is_some()));
}

#[tokio::test]
async fn cursor_after_list_items_pages_against_the_spec() {
    let params = paged::rules::lists::items::ItemListParams::new(ACCOUNT).per_page(10);
    let pages = two_pages(
        "rules.lists.items.list",
        paged_client()
            .rules()
            .lists()
            .items()
            .list("2c0fc9fa937b11eaa1b71c4d701ab86e", params),
    )
    .await;
    assert_eq!(pages.len(), 2, "the second request sends `cursors.after`");
}

#[tokio::test]
async fn page_token_organizations_list_pages_against_the_spec() {
    let params = paged::organization::OrganizationListParams::new().page_size(10);
    let pages = two_pages(
        "organization.list",
        paged_client().organization().list(params),
    )
    .await;
    assert_eq!(pages.len(), 2, "the second request sends `next_page_token`");
}

#[tokio::test]
async fn single_page_routes_list_is_one_request() {
    let pages = two_pages(
        "workers.routes.list",
        paged_client()
            .workers()
            .routes()
            .list(paged::workers::routes::RouteListParams::new(
                "023e105f4ecef8ad9ca31a8372d0c353",
            )),
    )
    .await;
    assert_eq!(pages.len(), 1);
}

/// The harness can fail: a page request breaking the spec (`per_page` over its maximum
/// of 50, sent with client-side validation off) is rejected by Prism, as the first item.
#[tokio::test]
async fn a_page_request_that_breaks_the_spec_is_rejected_by_prism() {
    use apigen_runtime::TryStreamExt;
    let client = paged::Client::builder()
        .base_url(prism::paged().url())
        .api_token(TOKEN)
        .max_retries(0)
        .validation(false)
        .build()
        .expect("client builds");
    let mut items = client
        .zones()
        .list(paged::zones::ZoneListParams::new().per_page(1000))
        .items();
    match items.try_next().await {
        Err(apigen_runtime::Error::UnprocessableEntity(e)) => {
            assert!(e.headers.contains_key("sl-violations"), "{e}")
        }
        other => panic!("expected Prism's 422, got {other:?}\n{}", prism::report()),
    }
}
