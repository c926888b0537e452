//! Typed configuration read once at start-up from the environment (and `.env` in development).
//!
//! Every value is validated here so that a typo stops the process with one line naming the
//! variable, instead of surfacing later as a confusing runtime failure.

use std::net::SocketAddr;

use engine::signing_key::KeyEncryptionKey;
use url::Url;

/// A configuration value that is missing or malformed.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("configuration error: {var} {problem}; expected {expected}")]
pub struct ConfigError {
    /// The environment variable at fault.
    pub var: &'static str,
    /// What is wrong with it ("is missing", "is malformed (…)").
    pub problem: String,
    /// What a valid value looks like.
    pub expected: &'static str,
}

/// How log lines are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    /// Human-readable, coloured when on a terminal.
    Human,
    /// One JSON object per line, for log shippers.
    Json,
}

/// Whether this is a development or a production deployment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Environment {
    /// Local development: relaxed defaults (plain-http cookies allowed, demo data).
    Development,
    /// Production: every secret must be configured explicitly.
    Production,
}

/// The whole runtime configuration of the `badge-engine` binary.
#[derive(Debug, Clone)]
pub struct Config {
    /// PostgreSQL connection URL.
    pub database_url: String,
    /// Redis URL; `None` means sessions live in process memory (development only).
    pub redis_url: Option<String>,
    /// The URL users reach the app at; used in links, credentials and cookie security.
    pub public_base_url: Url,
    /// Socket address the HTTP server listens on.
    pub bind_addr: SocketAddr,
    /// Folder holding the built site (`pkg/` with the WASM bundle and CSS).
    pub site_root: String,
    /// Log output format.
    pub log_format: LogFormat,
    /// Deployment environment.
    pub environment: Environment,
    /// Whether session cookies carry the `Secure` attribute.
    pub cookie_secure: bool,
    /// Encrypts issuers' signing keys at rest (current plus, during rotation, previous keys).
    pub key_encryption_key: KeyEncryptionKey,
    /// OpenID Connect sign-in (Entra ID or the local development provider); `None` turns
    /// sign-in off (pages say so) — there is no other way in.
    pub oidc: Option<OidcConfig>,
    /// Where e-mail goes: an SMTP server, or `.eml` files in a folder (development).
    pub mail: MailConfig,
    /// Whether issuers may use did:web identities under this host.
    pub did_web: bool,
    /// Whether `serve` also runs a job and e-mail worker (on by default).
    pub worker: bool,
    /// Seconds a worker holds a job between progress reports.
    pub job_lease_seconds: i32,
    /// Proxies whose `X-Forwarded-For` is believed (CIDRs); empty: the TCP peer is the client.
    pub trusted_proxies: Vec<ipnet::IpNet>,
    /// Minutes of inactivity after which a session ends.
    pub session_idle_minutes: i64,
    /// `SCIM_RATE_LIMIT_PER_MINUTE`: requests one SCIM token may make per minute.
    pub scim_rate_limit_per_minute: u32,
    /// REST API requests per client app per minute (`API_RATE_LIMIT_PER_MINUTE`).
    pub api_rate_limit_per_minute: u32,
    /// Largest set of files the admin Import page accepts (`IMPORT_UPLOAD_LIMIT_MB`).
    pub import_upload_limit_bytes: u64,
}

/// How e-mail is sent.
#[derive(Clone, PartialEq, Eq)]
pub enum MailTransport {
    /// `SMTP_URL`, e.g. `smtp://user:password@smtp.example.org:587?tls=required`.
    Smtp(String),
    /// `OUTBOX_DIR` (default `.run/outbox`): one `.eml` file per message.
    Folder(std::path::PathBuf),
}

/// E-mail settings.
#[derive(Clone, PartialEq, Eq)]
pub struct MailConfig {
    /// Transport.
    pub transport: MailTransport,
    /// `MAIL_FROM`, the sender (e.g. `Badge Engine <badges@example.org>`).
    pub from: String,
}

impl std::fmt::Debug for MailConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let transport = match &self.transport {
            MailTransport::Smtp(url) => format!("smtp {}", redact_url(url)),
            MailTransport::Folder(p) => format!("folder {}", p.display()),
        };
        f.debug_struct("MailConfig")
            .field("transport", &transport)
            .field("from", &self.from)
            .finish()
    }
}

/// How to reach the OpenID provider and who we are to it.
#[derive(Clone, PartialEq, Eq)]
pub struct OidcConfig {
    /// Issuer URL exactly as the provider's discovery document states it.
    pub issuer_url: Url,
    /// Application (client) id.
    pub client_id: String,
    /// Client secret; never logged.
    pub client_secret: String,
    /// When set, ID tokens must carry this Entra tenant id (`tid`).
    pub tenant_id: Option<String>,
    /// Whether logout also ends the provider session (its `end_session_endpoint`).
    pub end_session: bool,
    /// `API_ENTRA_AUDIENCE`: when set, the REST API also takes app-only access tokens this
    /// provider issued for this audience (the API's application ID URI, e.g.
    /// `api://badge-engine`), their `roles` mapped like sign-in app roles.
    pub api_audience: Option<String>,
}

impl std::fmt::Debug for OidcConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OidcConfig")
            .field("issuer_url", &self.issuer_url.as_str())
            .field("client_id", &self.client_id)
            .field("client_secret", &"***")
            .field("tenant_id", &self.tenant_id)
            .field("end_session", &self.end_session)
            .field("api_audience", &self.api_audience)
            .finish()
    }
}

const DATABASE_URL_EXPECTED: &str =
    "a PostgreSQL URL such as postgres://user:password@127.0.0.1:5432/badge_engine";
const REDIS_URL_EXPECTED: &str =
    "a Redis URL such as redis://127.0.0.1:6379 (or unset for in-memory sessions)";

impl Config {
    /// Reads the configuration from the process environment.
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    /// Reads the configuration through `lookup`, so tests need not touch the process environment.
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let get = |name: &str| {
            lookup(name)
                .map(|v| v.trim().to_owned())
                .filter(|v| !v.is_empty())
        };

        let database_url =
            get("DATABASE_URL").ok_or_else(|| missing("DATABASE_URL", DATABASE_URL_EXPECTED))?;
        let parsed = Url::parse(&database_url)
            .map_err(|e| malformed("DATABASE_URL", e, DATABASE_URL_EXPECTED))?;
        if !matches!(parsed.scheme(), "postgres" | "postgresql") {
            return Err(malformed(
                "DATABASE_URL",
                format!("scheme `{}`", parsed.scheme()),
                DATABASE_URL_EXPECTED,
            ));
        }

        let redis_url = match get("REDIS_URL") {
            None => None,
            Some(url) => {
                let parsed =
                    Url::parse(&url).map_err(|e| malformed("REDIS_URL", e, REDIS_URL_EXPECTED))?;
                if !matches!(parsed.scheme(), "redis" | "rediss") {
                    return Err(malformed(
                        "REDIS_URL",
                        format!("scheme `{}`", parsed.scheme()),
                        REDIS_URL_EXPECTED,
                    ));
                }
                Some(url)
            }
        };

        let bind_addr = match get("BIND_ADDR") {
            None => SocketAddr::from(([127, 0, 0, 1], 3000)),
            Some(v) => v.parse().map_err(|e| {
                malformed(
                    "BIND_ADDR",
                    e,
                    "host:port such as 127.0.0.1:3000 or 0.0.0.0:3000",
                )
            })?,
        };

        const BASE_EXPECTED: &str = "an absolute http(s) URL such as https://badges.example.org";
        let public_base_url = match get("PUBLIC_BASE_URL") {
            None => Url::parse(&format!("http://{bind_addr}"))
                .map_err(|e| malformed("PUBLIC_BASE_URL", e, BASE_EXPECTED))?,
            Some(v) => {
                let url =
                    Url::parse(&v).map_err(|e| malformed("PUBLIC_BASE_URL", e, BASE_EXPECTED))?;
                if !matches!(url.scheme(), "http" | "https") || url.host().is_none() {
                    return Err(malformed(
                        "PUBLIC_BASE_URL",
                        format!("`{v}`"),
                        BASE_EXPECTED,
                    ));
                }
                url
            }
        };

        let log_format = match get("LOG_FORMAT").as_deref() {
            None | Some("human") => LogFormat::Human,
            Some("json") => LogFormat::Json,
            Some(other) => {
                return Err(malformed(
                    "LOG_FORMAT",
                    format!("`{other}`"),
                    "`human` or `json`",
                ));
            }
        };

        let environment = match get("APP_ENV").as_deref() {
            None | Some("development") => Environment::Development,
            Some("production") => Environment::Production,
            Some(other) => {
                return Err(malformed(
                    "APP_ENV",
                    format!("`{other}`"),
                    "`development` or `production`",
                ));
            }
        };

        let cookie_secure = match get("COOKIE_SECURE") {
            None => public_base_url.scheme() == "https",
            Some(v) => parse_bool(&v)
                .ok_or_else(|| malformed("COOKIE_SECURE", format!("`{v}`"), "true or false"))?,
        };
        if environment == Environment::Production && !cookie_secure {
            return Err(ConfigError {
                var: "COOKIE_SECURE",
                problem: "is off in production".into(),
                expected: "an https PUBLIC_BASE_URL (insecure cookies are for plain-http development only)",
            });
        }
        if environment == Environment::Production && redis_url.is_none() {
            return Err(missing(
                "REDIS_URL",
                "a Redis URL in production: in-memory sessions vanish on restart and cannot be shared",
            ));
        }

        const KEK_EXPECTED: &str =
            "32 random bytes as base64 or 64 hex digits (e.g. `openssl rand -base64 32`)";
        let key_encryption_key = match get("KEY_ENCRYPTION_KEY") {
            Some(v) => KeyEncryptionKey::parse(&v)
                .map_err(|e| malformed("KEY_ENCRYPTION_KEY", e, KEK_EXPECTED))?,
            None if environment == Environment::Production => {
                return Err(missing("KEY_ENCRYPTION_KEY", KEK_EXPECTED));
            }
            None => {
                tracing::warn!(
                    "KEY_ENCRYPTION_KEY is not set: using the public development key. Signing keys stored now \
                     are NOT protected; set KEY_ENCRYPTION_KEY for anything but local development."
                );
                KeyEncryptionKey::from_bytes(DEVELOPMENT_KEK)
                    .map_err(|e| malformed("KEY_ENCRYPTION_KEY", e, KEK_EXPECTED))?
            }
        };
        let key_encryption_key = match get("KEY_ENCRYPTION_KEY_PREVIOUS") {
            None => key_encryption_key,
            Some(v) => key_encryption_key
                .with_previous(&v)
                .map_err(|e| malformed("KEY_ENCRYPTION_KEY_PREVIOUS", e, KEK_EXPECTED))?,
        };
        let key_encryption_key = if environment == Environment::Production {
            let dev_id = KeyEncryptionKey::id_of(DEVELOPMENT_KEK)
                .map_err(|e| malformed("KEY_ENCRYPTION_KEY", e, KEK_EXPECTED))?;
            if key_encryption_key.id() == dev_id {
                return Err(malformed(
                    "KEY_ENCRYPTION_KEY",
                    "it is the public development key",
                    KEK_EXPECTED,
                ));
            }
            key_encryption_key.refusing(&dev_id)
        } else {
            key_encryption_key
        };

        let oidc = oidc_from(&get, environment)?;

        // A deployment reachable from elsewhere must say it is one: the development defaults
        // (public key-encryption key, demo data) are only safe on a developer's own machine.
        let loopback =
            |host: Option<&str>| matches!(host, Some("127.0.0.1" | "localhost" | "[::1]" | "::1"));
        if get("APP_ENV").is_none()
            && (!bind_addr.ip().is_loopback() || !loopback(public_base_url.host_str()))
        {
            return Err(ConfigError {
                var: "APP_ENV",
                problem: "is unset while the server is reachable beyond this machine".into(),
                expected: "`production` for a real deployment (or `development` to run openly on purpose)",
            });
        }

        let mail_from_default = format!(
            "Badge Engine <badges@{}>",
            public_base_url.host_str().unwrap_or("localhost")
        );
        let mail = MailConfig {
            transport: match get("SMTP_URL") {
                Some(url) => {
                    let parsed = Url::parse(&url).map_err(|e| {
                        malformed(
                            "SMTP_URL",
                            e,
                            "smtp://user:password@host:587?tls=required or smtps://host:465",
                        )
                    })?;
                    if !matches!(parsed.scheme(), "smtp" | "smtps") {
                        return Err(malformed(
                            "SMTP_URL",
                            format!("scheme `{}`", parsed.scheme()),
                            "smtp://user:password@host:587?tls=required or smtps://host:465",
                        ));
                    }
                    MailTransport::Smtp(url)
                }
                None if environment == Environment::Production => {
                    return Err(missing(
                        "SMTP_URL",
                        "the SMTP server that delivers award e-mails, e.g. smtp://user:password@smtp.example.org:587?tls=required",
                    ));
                }
                None => MailTransport::Folder(
                    get("OUTBOX_DIR")
                        .unwrap_or_else(|| ".run/outbox".into())
                        .into(),
                ),
            },
            from: get("MAIL_FROM").unwrap_or(mail_from_default),
        };
        if engine::mail::Mailer::folder("x", &mail.from).is_err() {
            return Err(malformed(
                "MAIL_FROM",
                format!("`{}`", mail.from),
                "an address such as `Badge Engine <badges@example.org>`",
            ));
        }

        let did_web = match get("DID_WEB") {
            None => public_base_url.scheme() == "https",
            Some(v) => parse_bool(&v)
                .ok_or_else(|| malformed("DID_WEB", format!("`{v}`"), "true or false"))?,
        };
        if did_web && public_base_url.scheme() != "https" && environment == Environment::Production
        {
            return Err(malformed(
                "DID_WEB",
                "did:web needs an https PUBLIC_BASE_URL",
                "false, or an https PUBLIC_BASE_URL",
            ));
        }
        let worker = match get("WORKER") {
            None => true,
            Some(v) => parse_bool(&v)
                .ok_or_else(|| malformed("WORKER", format!("`{v}`"), "true or false"))?,
        };
        let job_lease_seconds = match get("JOB_LEASE_SECONDS") {
            None => 60,
            Some(v) => v
                .parse::<i32>()
                .ok()
                .filter(|n| (2..=3600).contains(n))
                .ok_or_else(|| {
                    malformed(
                        "JOB_LEASE_SECONDS",
                        format!("`{v}`"),
                        "seconds between 2 and 3600",
                    )
                })?,
        };
        let trusted_proxies = match get("TRUSTED_PROXIES") {
            None => Vec::new(),
            Some(v) => v
                .split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(|s| {
                    s.parse::<ipnet::IpNet>()
                        .or_else(|_| s.parse::<std::net::IpAddr>().map(ipnet::IpNet::from))
                        .map_err(|e| {
                            malformed(
                                "TRUSTED_PROXIES",
                                format!("`{s}`: {e}"),
                                "comma-separated CIDRs such as 10.0.0.0/8, 127.0.0.1",
                            )
                        })
                })
                .collect::<Result<_, _>>()?,
        };
        let session_idle_minutes = match get("SESSION_IDLE_MINUTES") {
            None => 30,
            Some(v) => v
                .parse::<i64>()
                .ok()
                .filter(|n| (1..=24 * 60).contains(n))
                .ok_or_else(|| {
                    malformed(
                        "SESSION_IDLE_MINUTES",
                        format!("`{v}`"),
                        "minutes between 1 and 1440",
                    )
                })?,
        };
        // Entra's provisioning service sends a few requests per second at most; 6,000 a minute
        // leaves room for an initial sync and still stops a runaway client.
        let scim_rate_limit_per_minute = match get("SCIM_RATE_LIMIT_PER_MINUTE") {
            None => 6_000,
            Some(v) => v.parse::<u32>().ok().filter(|n| *n > 0).ok_or_else(|| {
                malformed(
                    "SCIM_RATE_LIMIT_PER_MINUTE",
                    format!("`{v}`"),
                    "a positive number of requests per minute",
                )
            })?,
        };
        // Per client app: 100 requests a second sustained covers an LMS syncing a term's
        // awards; bulk work belongs in `POST /api/v1/awards/bulk`, which is one request.
        let api_rate_limit_per_minute = match get("API_RATE_LIMIT_PER_MINUTE") {
            None => 6_000,
            Some(v) => v.parse::<u32>().ok().filter(|n| *n > 0).ok_or_else(|| {
                malformed(
                    "API_RATE_LIMIT_PER_MINUTE",
                    format!("`{v}`"),
                    "a positive number of requests per minute",
                )
            })?,
        };
        // The page is for installations small enough to upload through a browser; larger
        // exports go through `badge-engine import-mongo` on the server.
        let import_upload_limit_bytes = match get("IMPORT_UPLOAD_LIMIT_MB") {
            None => 1024 << 20,
            Some(v) => v
                .parse::<u64>()
                .ok()
                .filter(|n| (1..=65_536).contains(n))
                .map(|n| n << 20)
                .ok_or_else(|| {
                    malformed(
                        "IMPORT_UPLOAD_LIMIT_MB",
                        format!("`{v}`"),
                        "a number of MiB from 1 to 65536",
                    )
                })?,
        };

        Ok(Config {
            database_url,
            redis_url,
            public_base_url,
            bind_addr,
            site_root: get("SITE_ROOT").unwrap_or_else(|| "target/site".into()),
            log_format,
            environment,
            cookie_secure,
            key_encryption_key,
            oidc,
            mail,
            did_web,
            worker,
            job_lease_seconds,
            trusted_proxies,
            session_idle_minutes,
            scim_rate_limit_per_minute,
            api_rate_limit_per_minute,
            import_upload_limit_bytes,
        })
    }
}

const ISSUER_EXPECTED: &str = "the provider's issuer URL, e.g. https://login.microsoftonline.com/<tenant id>/v2.0 \
     (plain http only for a loopback development provider)";

/// Reads the `OIDC_*` variables: all of issuer, client id and secret, or none of them.
fn oidc_from(
    get: &impl Fn(&str) -> Option<String>,
    environment: Environment,
) -> Result<Option<OidcConfig>, ConfigError> {
    let issuer = get("OIDC_ISSUER_URL");
    let client_id = get("OIDC_CLIENT_ID");
    let client_secret = get("OIDC_CLIENT_SECRET");
    let api_audience = get("API_ENTRA_AUDIENCE")
        .map(|a| a.trim().to_owned())
        .filter(|a| !a.is_empty());
    if issuer.is_none() && client_id.is_none() && client_secret.is_none() {
        if api_audience.is_some() {
            return Err(missing(
                "OIDC_ISSUER_URL",
                "the tenant's issuer URL: API_ENTRA_AUDIENCE accepts tokens of that provider",
            ));
        }
        return Ok(None);
    }
    let issuer = issuer.ok_or_else(|| missing("OIDC_ISSUER_URL", ISSUER_EXPECTED))?;
    let issuer_url =
        Url::parse(&issuer).map_err(|e| malformed("OIDC_ISSUER_URL", e, ISSUER_EXPECTED))?;
    let loopback = matches!(
        issuer_url.host_str(),
        Some("127.0.0.1" | "localhost" | "[::1]")
    );
    let scheme_ok = match issuer_url.scheme() {
        "https" => true,
        "http" => loopback && environment == Environment::Development,
        _ => false,
    };
    if !scheme_ok || issuer_url.query().is_some() || issuer_url.fragment().is_some() {
        return Err(malformed(
            "OIDC_ISSUER_URL",
            format!("`{issuer}`"),
            ISSUER_EXPECTED,
        ));
    }
    let client_id = client_id.ok_or_else(|| {
        missing(
            "OIDC_CLIENT_ID",
            "the application (client) id registered with the provider",
        )
    })?;
    let client_secret = client_secret.ok_or_else(|| {
        missing(
            "OIDC_CLIENT_SECRET",
            "the client secret created for the application",
        )
    })?;
    const TENANT_EXPECTED: &str = "an Entra tenant id (a GUID such as 8b6f1c2e-…)";
    let tenant_id = match get("OIDC_TENANT_ID") {
        None => None,
        Some(t) => {
            let ok = t.len() == 36
                && t.chars().enumerate().all(|(i, c)| {
                    if matches!(i, 8 | 13 | 18 | 23) {
                        c == '-'
                    } else {
                        c.is_ascii_hexdigit()
                    }
                });
            if !ok {
                return Err(malformed(
                    "OIDC_TENANT_ID",
                    format!("`{t}`"),
                    TENANT_EXPECTED,
                ));
            }
            Some(t.to_ascii_lowercase())
        }
    };
    let end_session = match get("OIDC_END_SESSION") {
        None => true,
        Some(v) => parse_bool(&v)
            .ok_or_else(|| malformed("OIDC_END_SESSION", format!("`{v}`"), "true or false"))?,
    };
    Ok(Some(OidcConfig {
        // Kept exactly as written: the issuer must match the discovery document byte for byte.
        issuer_url,
        client_id,
        client_secret,
        tenant_id,
        end_session,
        api_audience,
    }))
}

/// Development-only key-encryption key: fixed so local restarts can still decrypt; never used
/// when `APP_ENV=production` (start-up refuses instead).
const DEVELOPMENT_KEK: [u8; 32] = *b"badge-engine-development-kek-32b";

fn missing(var: &'static str, expected: &'static str) -> ConfigError {
    ConfigError {
        var,
        problem: "is missing".into(),
        expected,
    }
}

fn malformed(
    var: &'static str,
    detail: impl std::fmt::Display,
    expected: &'static str,
) -> ConfigError {
    ConfigError {
        var,
        problem: format!("is malformed ({detail})"),
        expected,
    }
}

fn parse_bool(v: &str) -> Option<bool> {
    match v.to_ascii_lowercase().as_str() {
        "1" | "true" | "yes" | "on" => Some(true),
        "0" | "false" | "no" | "off" => Some(false),
        _ => None,
    }
}

/// Hides the password in a connection URL so it can be logged or shown in an error.
pub fn redact_url(url: &str) -> String {
    match Url::parse(url) {
        Ok(mut parsed) => {
            if parsed.password().is_some() {
                let _ = parsed.set_password(Some("***"));
            }
            parsed.to_string()
        }
        Err(_) => "<unparseable URL>".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn config(vars: &[(&str, &str)]) -> Result<Config, ConfigError> {
        let map: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Config::from_lookup(|k| map.get(k).cloned())
    }

    #[test]
    fn minimal_configuration_uses_development_defaults() {
        let c = config(&[("DATABASE_URL", "postgres://localhost/db")]).unwrap();
        assert_eq!(c.bind_addr.to_string(), "127.0.0.1:3000");
        assert_eq!(c.public_base_url.as_str(), "http://127.0.0.1:3000/");
        assert_eq!(c.redis_url, None);
        assert!(!c.cookie_secure);
        assert_eq!(c.environment, Environment::Development);
    }

    #[test]
    fn missing_database_url_names_the_variable() {
        let err = config(&[]).unwrap_err();
        assert_eq!(err.var, "DATABASE_URL");
        assert!(err.to_string().starts_with(
            "configuration error: DATABASE_URL is missing; expected a PostgreSQL URL"
        ));
    }

    #[test]
    fn malformed_values_are_refused_with_the_variable_named() {
        let cases = [
            ("DATABASE_URL", "mysql://localhost/db"),
            ("DATABASE_URL", "not a url"),
            ("REDIS_URL", "http://localhost"),
            ("BIND_ADDR", "localhost"),
            ("PUBLIC_BASE_URL", "ftp://x"),
            ("LOG_FORMAT", "xml"),
            ("APP_ENV", "staging"),
            ("COOKIE_SECURE", "maybe"),
        ];
        for (var, value) in cases {
            let mut vars = vec![("DATABASE_URL", "postgres://localhost/db")];
            vars.retain(|(k, _)| *k != var);
            vars.push((var, value));
            let err = config(&vars).unwrap_err();
            assert_eq!(err.var, var, "value {value:?}");
            assert!(err.problem.starts_with("is malformed"), "{err}");
        }
    }

    #[test]
    fn production_requires_a_key_encryption_key_and_development_does_not() {
        let prod = [
            ("DATABASE_URL", "postgres://h/db"),
            ("APP_ENV", "production"),
            ("PUBLIC_BASE_URL", "https://badges.example.org"),
            ("REDIS_URL", "redis://127.0.0.1:6379"),
            ("SMTP_URL", "smtp://mail.example.org:587?tls=required"),
        ];
        assert_eq!(config(&prod).unwrap_err().var, "KEY_ENCRYPTION_KEY");
        let mut with_key = prod.to_vec();
        with_key.push((
            "KEY_ENCRYPTION_KEY",
            "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=",
        ));
        assert!(config(&with_key).is_ok());
        with_key.push(("KEY_ENCRYPTION_KEY_PREVIOUS", "short"));
        assert_eq!(
            config(&with_key).unwrap_err().var,
            "KEY_ENCRYPTION_KEY_PREVIOUS"
        );
        assert!(config(&[("DATABASE_URL", "postgres://h/db")]).is_ok());
    }

    #[test]
    fn production_requires_secure_cookies_and_redis() {
        let err = config(&[
            ("DATABASE_URL", "postgres://h/db"),
            ("APP_ENV", "production"),
        ])
        .unwrap_err();
        assert_eq!(err.var, "COOKIE_SECURE");
        let err = config(&[
            ("DATABASE_URL", "postgres://h/db"),
            ("APP_ENV", "production"),
            ("PUBLIC_BASE_URL", "https://badges.example.org"),
        ])
        .unwrap_err();
        assert_eq!(err.var, "REDIS_URL");
    }

    #[test]
    fn oidc_is_off_when_unset_and_complete_when_set() {
        let c = config(&[("DATABASE_URL", "postgres://h/db")]).unwrap();
        assert!(c.oidc.is_none());
        let c = config(&[
            ("DATABASE_URL", "postgres://h/db"),
            ("OIDC_ISSUER_URL", "http://127.0.0.1:4444"),
            ("OIDC_CLIENT_ID", "badge-engine"),
            ("OIDC_CLIENT_SECRET", "s3cret"),
            ("OIDC_TENANT_ID", "8B6F1C2E-0000-4000-8000-00000000D001"),
        ])
        .unwrap();
        let oidc = c.oidc.unwrap();
        assert_eq!(oidc.client_id, "badge-engine");
        assert_eq!(
            oidc.tenant_id.as_deref(),
            Some("8b6f1c2e-0000-4000-8000-00000000d001")
        );
        assert!(oidc.end_session);
        assert!(
            !format!("{oidc:?}").contains("s3cret"),
            "the secret is never printed"
        );
    }

    #[test]
    fn oidc_values_are_validated() {
        let full = [
            ("DATABASE_URL", "postgres://h/db"),
            (
                "OIDC_ISSUER_URL",
                "https://login.microsoftonline.com/t/v2.0",
            ),
            ("OIDC_CLIENT_ID", "id"),
            ("OIDC_CLIENT_SECRET", "secret"),
        ];
        assert!(config(&full).is_ok());
        for var in ["OIDC_ISSUER_URL", "OIDC_CLIENT_ID", "OIDC_CLIENT_SECRET"] {
            let partial: Vec<_> = full.iter().copied().filter(|(k, _)| *k != var).collect();
            let err = config(&partial).unwrap_err();
            assert_eq!(err.var, var);
            assert_eq!(err.problem, "is missing");
        }
        let cases = [
            ("OIDC_ISSUER_URL", "http://login.example.org/v2.0"),
            ("OIDC_ISSUER_URL", "not a url"),
            ("OIDC_ISSUER_URL", "https://login.example.org/?x=1"),
            ("OIDC_TENANT_ID", "contoso.onmicrosoft.com"),
            ("OIDC_END_SESSION", "sometimes"),
        ];
        for (var, value) in cases {
            let mut vars: Vec<_> = full.iter().copied().filter(|(k, _)| *k != var).collect();
            vars.push((var, value));
            let err = config(&vars).unwrap_err();
            assert_eq!(err.var, var, "value {value:?}");
            assert!(err.problem.starts_with("is malformed"), "{err}");
        }
        // A plain-http loopback provider is for development only.
        let prod = [
            ("DATABASE_URL", "postgres://h/db"),
            ("APP_ENV", "production"),
            ("PUBLIC_BASE_URL", "https://badges.example.org"),
            ("REDIS_URL", "redis://127.0.0.1:6379"),
            (
                "KEY_ENCRYPTION_KEY",
                "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=",
            ),
            ("SMTP_URL", "smtp://mail.example.org:587?tls=required"),
            ("OIDC_ISSUER_URL", "http://127.0.0.1:4444"),
            ("OIDC_CLIENT_ID", "id"),
            ("OIDC_CLIENT_SECRET", "secret"),
        ];
        assert_eq!(config(&prod).unwrap_err().var, "OIDC_ISSUER_URL");
    }

    #[test]
    fn development_defaults_stay_on_this_machine() {
        // Reachable from elsewhere but no APP_ENV: refuse rather than run with public keys.
        for (var, value) in [
            ("BIND_ADDR", "0.0.0.0:3000"),
            ("PUBLIC_BASE_URL", "https://badges.example.org"),
        ] {
            let err = config(&[("DATABASE_URL", "postgres://h/db"), (var, value)]).unwrap_err();
            assert_eq!(err.var, "APP_ENV", "{var}");
        }
        assert!(
            config(&[
                ("DATABASE_URL", "postgres://h/db"),
                ("BIND_ADDR", "0.0.0.0:3000"),
                ("APP_ENV", "development"),
            ])
            .is_ok()
        );
        // The public development key never works in production, not even as the current key.
        let dev_hex: String = super::DEVELOPMENT_KEK
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        let err = config(&[
            ("DATABASE_URL", "postgres://h/db"),
            ("APP_ENV", "production"),
            ("PUBLIC_BASE_URL", "https://badges.example.org"),
            ("REDIS_URL", "redis://127.0.0.1:6379"),
            ("SMTP_URL", "smtp://mail.example.org:587"),
            ("KEY_ENCRYPTION_KEY", &dev_hex),
        ])
        .unwrap_err();
        assert_eq!(err.var, "KEY_ENCRYPTION_KEY");
        assert!(err.problem.contains("development key"), "{err}");
    }

    #[test]
    fn proxies_idle_time_and_mail_are_validated() {
        let c = config(&[
            ("DATABASE_URL", "postgres://h/db"),
            ("TRUSTED_PROXIES", "10.0.0.0/8, 127.0.0.1"),
            ("SESSION_IDLE_MINUTES", "45"),
        ])
        .unwrap();
        assert_eq!(c.trusted_proxies.len(), 2);
        assert_eq!(c.session_idle_minutes, 45);
        assert_eq!(c.scim_rate_limit_per_minute, 6_000);
        assert!(
            matches!(&c.mail.transport, MailTransport::Folder(p) if p.as_path() == std::path::Path::new(".run/outbox"))
        );
        for (var, value) in [
            ("TRUSTED_PROXIES", "10.0.0.0/99"),
            ("SESSION_IDLE_MINUTES", "0"),
            ("SMTP_URL", "http://mail"),
            ("MAIL_FROM", "not an address"),
            ("JOB_LEASE_SECONDS", "1"),
            ("DID_WEB", "perhaps"),
            ("SCIM_RATE_LIMIT_PER_MINUTE", "0"),
            ("SCIM_RATE_LIMIT_PER_MINUTE", "lots"),
        ] {
            let err = config(&[("DATABASE_URL", "postgres://h/db"), (var, value)]).unwrap_err();
            assert_eq!(err.var, var, "{value}");
        }
    }

    #[test]
    fn redaction_hides_passwords() {
        assert_eq!(
            redact_url("postgres://u:secret@h:5432/db"),
            "postgres://u:***@h:5432/db"
        );
        assert_eq!(redact_url("postgres://h/db"), "postgres://h/db");
    }
}
