//! [`Nullable`]: an optional field that can also be an explicit `null`.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// An optional field that may also be explicitly `null` (PATCH semantics).
///
/// Use with `#[serde(default, skip_serializing_if = "Nullable::is_absent")]`:
/// `Absent` is left out, `Null` is sent as `null`, `Value(v)` as `v`.
/// (Serialized on its own, `Absent` is written as `null`.)
#[derive(Clone, Debug, PartialEq, Eq, Hash, Default)]
pub enum Nullable<T> {
    /// Not present.
    #[default]
    Absent,
    /// Present and `null`.
    Null,
    /// Present with a value.
    Value(T),
}

impl<T> Nullable<T> {
    /// Whether the field is absent.
    pub fn is_absent(&self) -> bool {
        matches!(self, Nullable::Absent)
    }

    /// Whether the field is an explicit `null`.
    pub fn is_null(&self) -> bool {
        matches!(self, Nullable::Null)
    }

    /// Whether the field has a value.
    pub fn is_value(&self) -> bool {
        matches!(self, Nullable::Value(_))
    }

    /// The value, if any.
    pub fn value(&self) -> Option<&T> {
        match self {
            Nullable::Value(v) => Some(v),
            _ => None,
        }
    }

    /// Borrows the value.
    pub fn as_ref(&self) -> Nullable<&T> {
        match self {
            Nullable::Absent => Nullable::Absent,
            Nullable::Null => Nullable::Null,
            Nullable::Value(v) => Nullable::Value(v),
        }
    }

    /// The value, if any; `Absent` and `Null` both give `None`.
    pub fn into_option(self) -> Option<T> {
        match self {
            Nullable::Value(v) => Some(v),
            _ => None,
        }
    }

    /// `Some(v)` becomes `Value(v)`, `None` becomes `Null`.
    pub fn from_option(option: Option<T>) -> Self {
        match option {
            Some(v) => Nullable::Value(v),
            None => Nullable::Null,
        }
    }

    /// Maps the value.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Nullable<U> {
        match self {
            Nullable::Absent => Nullable::Absent,
            Nullable::Null => Nullable::Null,
            Nullable::Value(v) => Nullable::Value(f(v)),
        }
    }
}

impl<T> From<T> for Nullable<T> {
    fn from(value: T) -> Self {
        Nullable::Value(value)
    }
}

impl<T: Serialize> Serialize for Nullable<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Nullable::Value(v) => serializer.serialize_some(v),
            _ => serializer.serialize_none(),
        }
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Nullable<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Ok(Nullable::from_option(Option::<T>::deserialize(
            deserializer,
        )?))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[derive(Debug, Default, PartialEq, Serialize, Deserialize)]
    struct Patch {
        #[serde(default, skip_serializing_if = "Nullable::is_absent")]
        name: Nullable<String>,
        #[serde(default, skip_serializing_if = "Nullable::is_absent")]
        ttl: Nullable<u32>,
        #[serde(default, skip_serializing_if = "Nullable::is_absent")]
        tags: Nullable<Vec<String>>,
    }

    #[test]
    fn absent_is_left_out_and_null_is_sent() {
        let patch = Patch {
            name: Nullable::Null,
            ttl: Nullable::Value(300),
            tags: Nullable::Absent,
        };
        assert_eq!(
            serde_json::to_value(&patch).unwrap(),
            json!({"name": null, "ttl": 300})
        );
        assert_eq!(serde_json::to_string(&Patch::default()).unwrap(), "{}");
        assert_eq!(
            serde_json::to_string(&Nullable::<u8>::Absent).unwrap(),
            "null"
        );
    }

    #[test]
    fn missing_null_and_values_are_told_apart() {
        let patch: Patch = serde_json::from_value(json!({"name": null, "tags": ["a"]})).unwrap();
        assert_eq!(patch.name, Nullable::Null);
        assert_eq!(patch.ttl, Nullable::Absent);
        assert_eq!(patch.tags, Nullable::Value(vec!["a".to_owned()]));
        assert!(serde_json::from_value::<Patch>(json!({"ttl": "x"})).is_err());
    }

    #[test]
    fn round_trips() {
        for patch in [
            Patch::default(),
            Patch {
                name: Nullable::Null,
                ttl: Nullable::Null,
                tags: Nullable::Null,
            },
            Patch {
                name: "n".to_owned().into(),
                ttl: 1.into(),
                tags: Nullable::Value(vec![]),
            },
        ] {
            let text = serde_json::to_string(&patch).unwrap();
            assert_eq!(
                serde_json::from_str::<Patch>(&text).unwrap(),
                patch,
                "{text}"
            );
        }
    }

    #[test]
    fn helpers() {
        let v: Nullable<i32> = 5.into();
        assert!(v.is_value() && !v.is_null() && !v.is_absent());
        assert_eq!(v.value(), Some(&5));
        assert_eq!(v.as_ref(), Nullable::Value(&5));
        assert_eq!(v.clone().map(|x| x * 2), Nullable::Value(10));
        assert_eq!(v.into_option(), Some(5));
        let n: Nullable<i32> = Nullable::Null;
        assert!(n.is_null());
        assert_eq!(n.value(), None);
        assert_eq!(n.as_ref(), Nullable::Null);
        assert_eq!(n.clone().map(|x| x * 2), Nullable::Null);
        assert_eq!(n.into_option(), None);
        assert_eq!(Nullable::<i32>::default(), Nullable::Absent);
        assert_eq!(Nullable::<i32>::Absent.map(|x| x * 2), Nullable::Absent);
        assert_eq!(Nullable::from_option(None::<i32>), Nullable::Null);
        assert_eq!(Nullable::from_option(Some(1)), Nullable::Value(1));
        let mut set = std::collections::HashSet::new();
        set.insert(Nullable::Value(1));
        set.insert(Nullable::Null);
        set.insert(Nullable::Absent);
        assert_eq!(set.len(), 3);
    }
}
