//! String formats (`format: email`, `uuid`, `date-time`, ...) and how each
//! is checked.

/// String formats checked by [`check_format`](super::check_format).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Format {
    /// `email`: an RFC 5321 mailbox (dot-atom or quoted local part).
    Email,
    /// `uuid`: `8-4-4-4-12` hexadecimal digits.
    Uuid,
    /// `date-time`: RFC 3339.
    DateTime,
    /// `date`: RFC 3339 `full-date` (`YYYY-MM-DD`).
    Date,
    /// `time`: RFC 3339 `full-time` (with offset).
    Time,
    /// `uri`: an absolute RFC 3986 URI.
    Uri,
    /// `hostname`: RFC 1123.
    Hostname,
    /// `ipv4`: dotted quad.
    Ipv4,
    /// `ipv6`: RFC 4291 text form.
    Ipv6,
}

impl Format {
    /// The format for an OpenAPI `format` name (`url` is read as `uri`); `None` if not checked.
    pub fn from_name(name: &str) -> Option<Format> {
        Some(match name {
            "email" => Format::Email,
            "uuid" => Format::Uuid,
            "date-time" => Format::DateTime,
            "date" => Format::Date,
            "time" => Format::Time,
            "uri" | "url" => Format::Uri,
            "hostname" => Format::Hostname,
            "ipv4" => Format::Ipv4,
            "ipv6" => Format::Ipv6,
            _ => return None,
        })
    }

    /// The OpenAPI name of the format.
    pub fn name(self) -> &'static str {
        match self {
            Format::Email => "email",
            Format::Uuid => "uuid",
            Format::DateTime => "date-time",
            Format::Date => "date",
            Format::Time => "time",
            Format::Uri => "uri",
            Format::Hostname => "hostname",
            Format::Ipv4 => "ipv4",
            Format::Ipv6 => "ipv6",
        }
    }

    /// Whether `value` is valid in this format.
    pub fn is_valid(self, value: &str) -> bool {
        match self {
            Format::Email => is_email(value),
            Format::Uuid => is_uuid(value),
            Format::DateTime => chrono::DateTime::parse_from_rfc3339(value).is_ok(),
            Format::Date => is_full_date(value),
            Format::Time => {
                value.len() >= 9
                    && value.as_bytes()[2] == b':'
                    && chrono::DateTime::parse_from_rfc3339(&format!("2000-01-01T{value}")).is_ok()
            }
            Format::Uri => is_uri(value),
            Format::Hostname => is_hostname(value),
            Format::Ipv4 => value.parse::<std::net::Ipv4Addr>().is_ok(),
            Format::Ipv6 => value.parse::<std::net::Ipv6Addr>().is_ok(),
        }
    }
}

fn is_uuid(value: &str) -> bool {
    value.len() == 36
        && value.bytes().enumerate().all(|(i, b)| match i {
            8 | 13 | 18 | 23 => b == b'-',
            _ => b.is_ascii_hexdigit(),
        })
}

fn is_full_date(value: &str) -> bool {
    let b = value.as_bytes();
    b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())
        && chrono::NaiveDate::parse_from_str(value, "%Y-%m-%d").is_ok()
}

fn is_hostname(value: &str) -> bool {
    let name = value.strip_suffix('.').unwrap_or(value);
    !name.is_empty()
        && name.len() <= 253
        && name.split('.').all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-')
        })
}

fn is_email(value: &str) -> bool {
    let Some((local, domain)) = value.rsplit_once('@') else {
        return false;
    };
    if value.len() > 254 || local.is_empty() || local.len() > 64 {
        return false;
    }
    let local_ok = if local.len() >= 2 && local.starts_with('"') && local.ends_with('"') {
        let mut escaped = false;
        let chars_ok = local[1..local.len() - 1].chars().all(|c| {
            if c.is_control() {
                false
            } else if escaped {
                escaped = false;
                true
            } else if c == '\\' {
                escaped = true;
                true
            } else {
                c != '"'
            }
        });
        chars_ok && !escaped
    } else {
        const ATEXT: &str = "!#$%&'*+-/=?^_`{|}~";
        local.split('.').all(|atom| {
            !atom.is_empty()
                && atom
                    .chars()
                    .all(|c| c.is_alphanumeric() || ATEXT.contains(c) || !c.is_ascii())
        })
    };
    let domain_ok =
        if let Some(literal) = domain.strip_prefix('[').and_then(|d| d.strip_suffix(']')) {
            match literal.strip_prefix("IPv6:") {
                Some(v6) => v6.parse::<std::net::Ipv6Addr>().is_ok(),
                None => literal.parse::<std::net::Ipv4Addr>().is_ok(),
            }
        } else {
            is_hostname(domain) || (!domain.is_ascii() && !domain.contains(char::is_whitespace))
        };
    local_ok && domain_ok
}

fn is_uri(value: &str) -> bool {
    let Some((scheme, rest)) = value.split_once(':') else {
        return false;
    };
    let mut scheme_chars = scheme.bytes();
    let scheme_ok = scheme_chars.next().is_some_and(|b| b.is_ascii_alphabetic())
        && scheme_chars.all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.'));
    if !scheme_ok {
        return false;
    }
    let bytes = rest.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b == b'%' {
            if i + 2 >= bytes.len()
                || !(bytes[i + 1].is_ascii_hexdigit() && bytes[i + 2].is_ascii_hexdigit())
            {
                return false;
            }
            i += 3;
            continue;
        }
        let allowed = b.is_ascii_alphanumeric() || b"-._~:/?#[]@!$&'()*+,;=".contains(&b);
        if !allowed {
            return false;
        }
        i += 1;
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_format_accepts_and_rejects() {
        let cases: &[(Format, &[&str], &[&str])] = &[
            (
                Format::Email,
                &[
                    "user@example.com",
                    "first.last+tag@sub.example.co.uk",
                    "\"quoted user\"@example.com",
                    "\"esc\\\"aped\"@example.com",
                    "a@[192.0.2.1]",
                    "a@[IPv6:2001:db8::1]",
                    "jörg@bücher.example",
                ],
                &[
                    "",
                    "plain",
                    "@example.com",
                    "user@",
                    "a..b@example.com",
                    "user@exa mple.com",
                    "user@-bad.com",
                    ".a@example.com",
                    "\"unclosed\\\"@example.com",
                    "a@[300.0.0.1]",
                    "a@[IPv6:zz::1]",
                ],
            ),
            (
                Format::Uuid,
                &[
                    "f174e90a-fafe-4643-bbbc-4a0ed4fc8415",
                    "F174E90A-FAFE-4643-BBBC-4A0ED4FC8415",
                ],
                &[
                    "f174e90afafe4643bbbc4a0ed4fc8415",
                    "f174e90a-fafe-4643-bbbc-4a0ed4fc841",
                    "g174e90a-fafe-4643-bbbc-4a0ed4fc8415",
                    "{f174e90a-fafe-4643-bbbc-4a0ed4fc8415}",
                    "f174e90a-fafe-4643-bbbc-4a0ed4fc8415 ",
                ],
            ),
            (
                Format::DateTime,
                &[
                    "2014-01-01T05:20:00.12345Z",
                    "2021-12-31T23:59:59+01:00",
                    "2020-02-29T00:00:00Z",
                ],
                &[
                    "2014-01-01",
                    "2014-01-01T05:20:00",
                    "2021-02-30T00:00:00Z",
                    "yesterday",
                ],
            ),
            (
                Format::Date,
                &["2014-01-01", "2020-02-29"],
                &[
                    "2014-1-1",
                    "2021-02-29",
                    "2014-01-01T00:00:00Z",
                    "20140101",
                    "+014-01-01",
                ],
            ),
            (
                Format::Time,
                &["05:20:00Z", "23:59:59.5+02:00"],
                &["05:20", "25:00:00Z", "5:20:00Z", "05:20:00"],
            ),
            (
                Format::Uri,
                &[
                    "https://example.com/path?q=1#f",
                    "mailto:a@example.com",
                    "urn:isbn:0451450523",
                    "https://ex.com/%20",
                    "a+b.c-d:x",
                ],
                &[
                    "/relative/path",
                    "no scheme",
                    "https://exa mple.com",
                    "https://example.com/%zz",
                    "https://example.com/%2",
                    "1http://x",
                    ":x",
                    "https://example.com/<>",
                ],
            ),
            (
                Format::Hostname,
                &[
                    "example.com",
                    "a-b.c",
                    "localhost",
                    "xn--bcher-kva.example",
                    "example.com.",
                ],
                &[
                    "-bad.com",
                    "bad-.com",
                    "a..b",
                    "under_score.com",
                    "",
                    ".",
                    "bücher.example",
                ],
            ),
            (
                Format::Ipv4,
                &["192.0.2.1", "0.0.0.0"],
                &["256.0.0.1", "1.2.3", "::1"],
            ),
            (
                Format::Ipv6,
                &["::1", "2001:db8::ff00:42:8329"],
                &["192.0.2.1", "2001:db8:::1", "gggg::"],
            ),
        ];
        for (format, valid, invalid) in cases {
            for value in *valid {
                assert!(format.is_valid(value), "{format:?} should accept {value:?}");
            }
            for value in *invalid {
                assert!(
                    !format.is_valid(value),
                    "{format:?} should reject {value:?}"
                );
            }
        }
    }

    #[test]
    fn length_limits() {
        let label = "a".repeat(63);
        assert!(Format::Hostname.is_valid(&label));
        assert!(!Format::Hostname.is_valid(&format!("{label}a")));
        let name = [label.as_str(); 4].join(".");
        assert_eq!(name.len(), 255);
        assert!(!Format::Hostname.is_valid(&name), "at most 253 characters");
        assert!(Format::Hostname.is_valid(name[..253].trim_end_matches('.')));
        let local = "a".repeat(64);
        assert!(Format::Email.is_valid(&format!("{local}@example.com")));
        assert!(!Format::Email.is_valid(&format!("{local}a@example.com")));
        let domain = format!("{}.com", "a.".repeat(120));
        assert!(
            !Format::Email.is_valid(&format!("{local}@{domain}")),
            "at most 254 characters"
        );
    }

    #[test]
    fn names_round_trip_and_url_reads_as_uri() {
        for format in [
            Format::Email,
            Format::Uuid,
            Format::DateTime,
            Format::Date,
            Format::Time,
            Format::Uri,
            Format::Hostname,
            Format::Ipv4,
            Format::Ipv6,
        ] {
            assert_eq!(Format::from_name(format.name()), Some(format));
        }
        assert_eq!(Format::from_name("url"), Some(Format::Uri));
        assert_eq!(Format::from_name("int64"), None);
        assert_eq!(Format::from_name("Email"), None);
    }
}
