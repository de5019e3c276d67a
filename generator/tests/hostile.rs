//! Hostile specs (issue 12): every reproducer in `tests/fixtures/hostile/cases.json` gets
//! exactly its expected outcome from the `apigen` binary. None may abort (a signal, such
//! as a stack overflow's SIGABRT), hang (a watchdog kills it after two minutes) or exceed
//! 4 GiB of address space (`ulimit -v`: an allocation failure aborts); exit 2 must say
//! where; nothing is written on failure; and the docs of every crate generated must hold
//! no code block rustdoc could run. That the crates compile, and that `cargo test --doc`
//! runs nothing, is `tests/tests/hostile_crates.rs` (slow, run by `./test.sh`).

mod common;
#[path = "../../tests/tests/hostile_support/docs.rs"]
mod docs;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

const WATCHDOG: Duration = Duration::from_secs(120);
const ADDRESS_SPACE_KIB: u64 = 4 << 20;

fn fixtures() -> PathBuf {
    common::repo_root().join("tests/fixtures/hostile")
}

/// Runs apigen under the address-space limit, killing it if it outlives the watchdog.
fn run_bounded(args: &[String], cwd: &Path) -> (Option<i32>, String, String) {
    let mut child = Command::new("sh")
        .arg("-c")
        .arg(format!(
            "ulimit -v {ADDRESS_SPACE_KIB} && exec \"$0\" \"$@\""
        ))
        .arg(env!("CARGO_BIN_EXE_apigen"))
        .args(args)
        .current_dir(cwd)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("sh runs");
    let started = Instant::now();
    // Drain the pipes on threads so a chatty child cannot block on a full pipe.
    let mut stdout = child.stdout.take().unwrap();
    let mut stderr = child.stderr.take().unwrap();
    let out = std::thread::spawn(move || {
        let mut s = String::new();
        std::io::Read::read_to_string(&mut stdout, &mut s).ok();
        s
    });
    let err = std::thread::spawn(move || {
        let mut s = String::new();
        std::io::Read::read_to_string(&mut stderr, &mut s).ok();
        s
    });
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > WATCHDOG {
            child.kill().ok();
            child.wait().ok();
            panic!("apigen {args:?} still ran after {WATCHDOG:?}: it hangs");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    (status.code(), out.join().unwrap(), err.join().unwrap())
}

#[test]
fn every_reproducer_has_its_expected_outcome() {
    let manifest: Value = serde_json::from_str(
        &std::fs::read_to_string(fixtures().join("cases.json")).expect("cases.json"),
    )
    .expect("cases.json is JSON");
    let cases = manifest["cases"].as_array().expect("cases");
    assert!(
        cases.len() >= 20,
        "every class of issue 12 has a reproducer"
    );
    let tmp = tempfile::tempdir().unwrap();
    for case in cases {
        let name = case["name"].as_str().unwrap();
        let out = tmp.path().join(name);
        let args: Vec<String> = case["args"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| {
                a.as_str()
                    .unwrap()
                    .replace("{fixtures}", fixtures().to_str().unwrap())
                    .replace("{out}", out.to_str().unwrap())
            })
            .collect();
        let (code, _stdout, stderr) = run_bounded(&args, tmp.path());
        let expected = case["exit"].as_i64().unwrap() as i32;
        assert_eq!(
            code,
            Some(expected),
            "{name} ({}): exit status (None: killed by a signal)\n{stderr}",
            case["class"]
        );
        assert!(!stderr.contains("panicked"), "{name}: {stderr}");
        for wanted in case["stderr"].as_array().unwrap() {
            let wanted = wanted.as_str().unwrap();
            assert!(stderr.contains(wanted), "{name}: {wanted:?} in\n{stderr}");
        }
        if expected == 2 {
            assert!(stderr.starts_with("apigen: error: "), "{name}: {stderr}");
            assert!(!out.exists(), "{name}: nothing is written on failure");
        }
        if args[0] == "generate" && expected == 0 {
            let found = docs::doctest_candidates(&out);
            assert!(
                found.is_empty(),
                "{name}: doc blocks rustdoc could run: {found:#?}"
            );
        }
    }
}
