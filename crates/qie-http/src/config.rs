//! Hosts, timeouts and the user agent.
//!
//! [`HttpConfig::default`] targets the unified host `https://api.bot.qq.com`, which the platform
//! documents for REST and for the access-token endpoint since August 2026.
//! [`HttpConfig::legacy`] switches both to the older hosts (`api.sgroup.qq.com`, `bots.qq.com`),
//! which still answered in 2026. [`HttpConfig::with_base_url`] points everything at any other
//! origin, such as a local emulator or a proxy; the token URL then becomes
//! `{base}/app/getAppAccessToken` on the same origin.
//!
//! No other module of this crate names a host.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use reqwest::Url;

use crate::error::{Error, ErrorKind};

/// REST base of the unified host.
pub const UNIFIED_API_BASE: &str = "https://api.bot.qq.com";
/// Access-token endpoint on the unified host.
pub const UNIFIED_TOKEN_URL: &str = "https://api.bot.qq.com/app/getAppAccessToken";
/// REST base of the legacy host.
pub const LEGACY_API_BASE: &str = "https://api.sgroup.qq.com";
/// Access-token endpoint of the legacy host.
pub const LEGACY_TOKEN_URL: &str = "https://bots.qq.com/app/getAppAccessToken";
/// REST base of the legacy sandbox host. The unified host has no separate sandbox origin.
pub const LEGACY_SANDBOX_API_BASE: &str = "https://sandbox.api.sgroup.qq.com";

/// Path of the access-token endpoint, relative to a token host.
pub const TOKEN_PATH: &str = "/app/getAppAccessToken";

/// Default timeout of one HTTP exchange (connect, send, response body).
///
/// The platform recommends at least 5 seconds for message sends, because a shorter timeout can
/// report a failure for a message that was delivered.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);
/// Default timeout of rich-media uploads and presigned part uploads.
pub const DEFAULT_UPLOAD_TIMEOUT: Duration = Duration::from_secs(300);
/// Default timeout of establishing a TCP and TLS connection.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// Connection settings of a [`Client`](crate::Client) and its [`TokenSource`](crate::TokenSource).
///
/// # Examples
///
/// ```
/// use std::time::Duration;
/// use qie_http::HttpConfig;
///
/// // The unified host (the default).
/// let unified = HttpConfig::default();
/// assert_eq!(unified.api_base().as_str(), "https://api.bot.qq.com/");
///
/// // The legacy hosts.
/// let legacy = HttpConfig::legacy();
/// assert_eq!(legacy.token_url().as_str(), "https://bots.qq.com/app/getAppAccessToken");
///
/// // A local emulator, with a shorter timeout.
/// let local = HttpConfig::with_base_url("http://127.0.0.1:8080")?
///     .timeout(Duration::from_secs(5));
/// assert_eq!(local.token_url().as_str(), "http://127.0.0.1:8080/app/getAppAccessToken");
/// # Ok::<(), qie_http::Error>(())
/// ```
#[derive(Clone)]
pub struct HttpConfig {
    api_base: Url,
    token_url: Url,
    timeout: Duration,
    upload_timeout: Duration,
    connect_timeout: Duration,
    user_agent: String,
    use_env_proxy: bool,
}

impl HttpConfig {
    /// Configuration for the legacy hosts: REST on `api.sgroup.qq.com`, tokens from
    /// `bots.qq.com`.
    pub fn legacy() -> Self {
        Self::from_known(LEGACY_API_BASE, LEGACY_TOKEN_URL)
    }

    /// Configuration for the legacy sandbox REST host, with tokens from `bots.qq.com`.
    ///
    /// The unified host has no sandbox origin: sandbox guilds, groups and users configured in
    /// the console are reached through the normal host.
    pub fn legacy_sandbox() -> Self {
        Self::from_known(LEGACY_SANDBOX_API_BASE, LEGACY_TOKEN_URL)
    }

    /// Configuration for any origin: REST on `base`, tokens from `{base}/app/getAppAccessToken`.
    ///
    /// `base` may carry a path prefix (`http://proxy.local/qq`), which is kept in front of every
    /// API path.
    ///
    /// # Errors
    ///
    /// Returns an error of kind [`ErrorKind::Config`] when `base` is not an absolute `http` or
    /// `https` URL, or carries a query or fragment.
    pub fn with_base_url(base: &str) -> Result<Self, Error> {
        let api_base = parse_base("API base URL", base)?;
        let token_url = join_token_path(&api_base)?;

        Ok(Self {
            api_base,
            token_url,
            ..Self::default()
        })
    }

    /// Replaces the REST base URL and keeps the token URL.
    ///
    /// # Errors
    ///
    /// Returns an error of kind [`ErrorKind::Config`] for a URL that [`with_base_url`]
    /// rejects.
    ///
    /// [`with_base_url`]: Self::with_base_url
    pub fn api_base_url(mut self, base: &str) -> Result<Self, Error> {
        self.api_base = parse_base("API base URL", base)?;

        Ok(self)
    }

    /// Replaces the full URL of the access-token endpoint.
    ///
    /// # Errors
    ///
    /// Returns an error of kind [`ErrorKind::Config`] when `url` is not an absolute `http` or
    /// `https` URL.
    pub fn token_url_str(mut self, url: &str) -> Result<Self, Error> {
        let parsed = Url::parse(url).map_err(|source| {
            Error::with_source(
                ErrorKind::Config {
                    message: format!("token URL {url:?} is not a valid absolute URL").into(),
                },
                source,
            )
        })?;
        check_scheme("token URL", &parsed)?;
        self.token_url = parsed;

        Ok(self)
    }

    /// Sets the timeout of one HTTP exchange (default 30 s).
    #[must_use]
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Sets the timeout of file uploads (default 300 s).
    #[must_use]
    pub fn upload_timeout(mut self, timeout: Duration) -> Self {
        self.upload_timeout = timeout;
        self
    }

    /// Sets the timeout of establishing a connection (default 10 s).
    #[must_use]
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// Sets the `User-Agent` header (default `qie-http/{version}`).
    #[must_use]
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = user_agent.into();
        self
    }

    /// Sets whether the `HTTP_PROXY`/`HTTPS_PROXY`/`NO_PROXY` environment variables apply
    /// (default `true`).
    #[must_use]
    pub fn use_env_proxy(mut self, enabled: bool) -> Self {
        self.use_env_proxy = enabled;
        self
    }

    /// Returns the REST base URL (always ending in `/`).
    pub fn api_base(&self) -> &Url {
        &self.api_base
    }

    /// Returns the URL of the access-token endpoint.
    pub fn token_url(&self) -> &Url {
        &self.token_url
    }

    /// Returns the timeout of one HTTP exchange.
    pub fn request_timeout(&self) -> Duration {
        self.timeout
    }

    /// Returns the timeout of file uploads.
    pub fn file_upload_timeout(&self) -> Duration {
        self.upload_timeout
    }

    /// Returns the connect timeout.
    pub fn connection_timeout(&self) -> Duration {
        self.connect_timeout
    }

    /// Returns the `User-Agent` header value.
    pub fn user_agent_value(&self) -> &str {
        &self.user_agent
    }

    /// Returns whether proxy environment variables apply.
    pub fn env_proxy_enabled(&self) -> bool {
        self.use_env_proxy
    }

    /// Builds the `reqwest` client these settings describe.
    ///
    /// TLS is rustls with the `ring` provider, passed explicitly, so the process-wide rustls
    /// provider is neither read nor installed. Server certificates are checked against the
    /// operating system's trust store.
    ///
    /// Redirects are never followed: a 307 or 308 from the token endpoint would send the JSON
    /// body with `clientSecret` to the `Location` host, and a followed redirect of an API call
    /// would take another host's answer (a gateway URL, a token) as the platform's. A 3xx is
    /// returned as an error response instead.
    pub(crate) fn build_http_client(&self) -> Result<reqwest::Client, Error> {
        let mut builder = reqwest::Client::builder()
            .user_agent(self.user_agent.clone())
            .connect_timeout(self.connect_timeout)
            .redirect(reqwest::redirect::Policy::none())
            .tls_backend_preconfigured(tls_config()?);

        if !self.use_env_proxy {
            builder = builder.no_proxy();
        }

        builder.build().map_err(|source| {
            Error::with_source(
                ErrorKind::Config {
                    message: "failed to build the HTTP client".into(),
                },
                source,
            )
        })
    }

    fn from_known(api_base: &'static str, token_url: &'static str) -> Self {
        let api_base = constant_url(api_base);
        let token_url = constant_url(token_url);

        Self {
            api_base,
            token_url,
            timeout: DEFAULT_TIMEOUT,
            upload_timeout: DEFAULT_UPLOAD_TIMEOUT,
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            user_agent: default_user_agent(),
            use_env_proxy: true,
        }
    }
}

impl Default for HttpConfig {
    /// Configuration for the unified host `https://api.bot.qq.com` (REST and tokens).
    fn default() -> Self {
        Self::from_known(UNIFIED_API_BASE, UNIFIED_TOKEN_URL)
    }
}

impl fmt::Debug for HttpConfig {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter
            .debug_struct("HttpConfig")
            .field("api_base", &self.api_base.as_str())
            .field("token_url", &self.token_url.as_str())
            .field("timeout", &self.timeout)
            .field("upload_timeout", &self.upload_timeout)
            .field("connect_timeout", &self.connect_timeout)
            .field("user_agent", &self.user_agent)
            .field("use_env_proxy", &self.use_env_proxy)
            .finish()
    }
}

fn default_user_agent() -> String {
    concat!("qie-http/", env!("CARGO_PKG_VERSION")).to_owned()
}

fn tls_config() -> Result<rustls::ClientConfig, Error> {
    let tls_error = |source: rustls::Error| {
        Error::with_source(
            ErrorKind::Config {
                message: "failed to set up TLS (rustls with ring, system trust store)".into(),
            },
            source,
        )
    };

    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let verifier =
        rustls_platform_verifier::Verifier::new(Arc::clone(&provider)).map_err(tls_error)?;
    let mut config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(tls_error)?
        .dangerous()
        .with_custom_certificate_verifier(Arc::new(verifier))
        .with_no_client_auth();
    config.alpn_protocols = vec![b"http/1.1".to_vec()];

    Ok(config)
}

fn constant_url(value: &'static str) -> Url {
    // Only called with the host constants of this module, which the unit tests parse.
    Url::parse(value).expect("built-in host constants are valid URLs")
}

fn parse_base(what: &str, base: &str) -> Result<Url, Error> {
    let mut url = Url::parse(base).map_err(|source| {
        Error::with_source(
            ErrorKind::Config {
                message: format!(
                    "{what} {base:?} is not a valid absolute URL (expected e.g. http://127.0.0.1:8080)"
                )
                .into(),
            },
            source,
        )
    })?;
    check_scheme(what, &url)?;

    if url.query().is_some() || url.fragment().is_some() {
        return Err(Error::new(ErrorKind::Config {
            message: format!("{what} {base:?} must not contain a query or fragment").into(),
        }));
    }

    // A trailing slash makes relative joins keep the path prefix.
    if !url.path().ends_with('/') {
        let path = format!("{}/", url.path());
        url.set_path(&path);
    }

    Ok(url)
}

fn check_scheme(what: &str, url: &Url) -> Result<(), Error> {
    match url.scheme() {
        "http" | "https" if url.has_host() => Ok(()),
        _ => Err(Error::new(ErrorKind::Config {
            message: format!(
                "{what} {:?} must be an http or https URL with a host",
                url.as_str()
            )
            .into(),
        })),
    }
}

fn join_token_path(base: &Url) -> Result<Url, Error> {
    base.join(TOKEN_PATH.trim_start_matches('/'))
        .map_err(|source| {
            Error::with_source(
                ErrorKind::Config {
                    message: format!("cannot derive the token URL from {:?}", base.as_str()).into(),
                },
                source,
            )
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_use_unified_host() {
        let config = HttpConfig::default();

        assert_eq!(config.api_base().as_str(), "https://api.bot.qq.com/");
        assert_eq!(
            config.token_url().as_str(),
            "https://api.bot.qq.com/app/getAppAccessToken"
        );
        assert_eq!(config.request_timeout(), DEFAULT_TIMEOUT);
        assert!(config.user_agent_value().starts_with("qie-http/"));
    }

    #[test]
    fn legacy_hosts() {
        let legacy = HttpConfig::legacy();
        assert_eq!(legacy.api_base().as_str(), "https://api.sgroup.qq.com/");
        assert_eq!(
            legacy.token_url().as_str(),
            "https://bots.qq.com/app/getAppAccessToken"
        );

        let sandbox = HttpConfig::legacy_sandbox();
        assert_eq!(
            sandbox.api_base().as_str(),
            "https://sandbox.api.sgroup.qq.com/"
        );
    }

    #[test]
    fn base_url_keeps_path_prefix() {
        let config = HttpConfig::with_base_url("http://127.0.0.1:9000/qq").unwrap();

        assert_eq!(config.api_base().as_str(), "http://127.0.0.1:9000/qq/");
        assert_eq!(
            config.token_url().as_str(),
            "http://127.0.0.1:9000/qq/app/getAppAccessToken"
        );
    }

    #[test]
    fn base_url_rejects_bad_input() {
        for bad in ["", "127.0.0.1:80", "ftp://x", "http://x/?a=1", "mailto:a@b"] {
            let error = HttpConfig::with_base_url(bad).unwrap_err();
            assert!(
                matches!(error.kind(), ErrorKind::Config { .. }),
                "{bad:?} gave {error:?}"
            );
        }
    }

    #[test]
    fn token_url_override() {
        let config = HttpConfig::default()
            .token_url_str("https://bots.qq.com/app/getAppAccessToken")
            .unwrap();

        assert_eq!(config.api_base().as_str(), "https://api.bot.qq.com/");
        assert_eq!(config.token_url().host_str(), Some("bots.qq.com"));
        assert!(HttpConfig::default().token_url_str("nope").is_err());
    }
}
