//! The same spec gives byte-identical output, whatever the order of its object keys.

mod common;

use serde_json::Value;

fn reverse_keys(value: Value) -> Value {
    match value {
        Value::Object(map) => {
            let mut entries: Vec<(String, Value)> = map.into_iter().collect();
            entries.reverse();
            Value::Object(
                entries
                    .into_iter()
                    .map(|(k, v)| (k, reverse_keys(v)))
                    .collect(),
            )
        }
        Value::Array(items) => Value::Array(items.into_iter().map(reverse_keys).collect()),
        other => other,
    }
}

fn texts(generated: &apigen::Generated) -> Vec<(String, String)> {
    generated
        .files
        .iter()
        .map(|f| (f.path.display().to_string(), f.text.clone()))
        .collect()
}

#[test]
fn two_runs_are_identical() {
    assert_eq!(
        texts(&common::generate_default()),
        texts(&common::generate_default())
    );
}

#[test]
fn reordered_keys_give_identical_output() {
    let config = common::default_job();
    let yaml = std::fs::read_to_string(&config.spec).expect("spec readable");
    let tree: Value = serde_yaml::from_str(&yaml).expect("spec is YAML");
    let original_first_key = tree.as_object().and_then(|m| m.keys().next().cloned());
    let reversed = reverse_keys(tree);
    assert_ne!(
        reversed.as_object().and_then(|m| m.keys().next().cloned()),
        original_first_key,
        "keys really were reordered"
    );
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("reordered.json");
    std::fs::write(
        &path,
        serde_json::to_string_pretty(&reversed).expect("serializes"),
    )
    .expect("write");
    let reordered = apigen::generate(&apigen::Config {
        spec: path,
        ..config
    })
    .expect("reordered spec generates");
    assert_eq!(texts(&common::generate_default()), texts(&reordered));
}
