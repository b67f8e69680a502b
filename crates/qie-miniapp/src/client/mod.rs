//! The client of the mini-program server APIs on `api.q.qq.com`.

mod send;
mod token;

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use reqwest::Url;

use crate::crypto::{OpenData, OpenDataDecryptor};
use crate::error::Error;
use crate::id::{AppId, OpenId, TemplateId};
use crate::request::{
    Code2Session, CreateMiniCode, ImgSecCheck, MediaCheckAsync, MediaType, MsgSecCheck,
    SendSubscribeMessage,
};
use crate::secret::{AccessToken, AppSecret, SessionKey};

pub(crate) use send::{Call, Endpoint, Payload, Reply, api_error};
use token::TokenCache;
pub use token::TokenGrant;

/// The platform's host; tests and the emulator use their own loopback URL instead.
pub const DEFAULT_BASE_URL: &str = "https://api.q.qq.com";

/// A client of one mini-program's server APIs.
///
/// Cheap to clone: clones share the HTTP connection pool and the access-token cache, so one
/// process fetches one token at a time however many tasks call it.
///
/// # Examples
///
/// ```no_run
/// use qie_miniapp::{AppId, AppSecret, Client};
///
/// # async fn run() -> Result<(), qie_miniapp::Error> {
/// let client = Client::builder(AppId::new("1109816085"), AppSecret::new("app-secret")).build()?;
///
/// // The code comes from qq.login() on the client.
/// let session = client.code2session("0a1B2c3D").await?;
/// println!("logged in: {}", session.openid);
/// # Ok(())
/// # }
/// ```
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

pub(crate) struct Inner {
    pub(crate) http: reqwest::Client,
    pub(crate) base_url: Url,
    pub(crate) appid: AppId,
    pub(crate) secret: AppSecret,
    pub(crate) tokens: TokenCache,
    pub(crate) retry: RetryPolicy,
    pub(crate) decryptor: OpenDataDecryptor,
}

impl fmt::Debug for Client {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter
            .debug_struct("Client")
            .field("appid", &self.inner.appid)
            .field("base_url", &self.inner.base_url.as_str())
            .field("secret", &self.inner.secret)
            .field("retry", &self.inner.retry)
            .finish_non_exhaustive()
    }
}

impl Client {
    /// Returns a builder for the mini-program `appid` with its AppSecret.
    pub fn builder(appid: AppId, secret: AppSecret) -> ClientBuilder {
        ClientBuilder {
            appid,
            secret,
            base_url: DEFAULT_BASE_URL.to_owned(),
            http: None,
            timeout: Duration::from_secs(15),
            token_refresh_margin: Duration::from_secs(300),
            retry: RetryPolicy::default(),
            max_age: None,
        }
    }

    /// Returns the mini-program's appid.
    pub fn appid(&self) -> &AppId {
        &self.inner.appid
    }

    /// Returns the base URL requests go to.
    pub fn base_url(&self) -> &str {
        self.inner.base_url.as_str()
    }

    /// Exchanges a `js_code` from `qq.login()` for the user's openid and session_key
    /// (`GET /sns/jscode2session`).
    ///
    /// A code is single use. An invalid, expired or reused code fails with
    /// [`ApiCode::InvalidCode`](crate::ApiCode::InvalidCode) (40029) and is never retried; only
    /// "system busy" (-1) and connection failures are retried.
    pub fn code2session(&self, js_code: impl Into<String>) -> Code2Session<'_> {
        Code2Session::new(self, js_code.into())
    }

    /// Returns a valid access token, fetching one when none is cached or the cached one is
    /// within the refresh margin of its expiry.
    ///
    /// Concurrent callers share one fetch, and a failed fetch is reported to every caller that
    /// waited for it.
    ///
    /// # Errors
    ///
    /// The errors of `GET /api/getToken`: [`ApiCode::InvalidSecret`](crate::ApiCode::InvalidSecret),
    /// [`ApiCode::InvalidAppId`](crate::ApiCode::InvalidAppId), transport errors …
    ///
    /// # Cancel safety
    ///
    /// Cancelling a caller that is fetching lets the next waiter fetch instead.
    pub async fn access_token(&self) -> Result<AccessToken, Error> {
        self.inner.tokens.get(|| self.inner.fetch_token()).await
    }

    /// Fetches a new access token without the cache (`GET /api/getToken`).
    ///
    /// Each fetch makes the platform retire the previous token after a 5-minute overlap, so
    /// prefer [`access_token`](Self::access_token), and run one token owner per appid rather
    /// than several servers that fetch independently.
    pub async fn fetch_access_token(&self) -> Result<TokenGrant, Error> {
        self.inner.fetch_token().await
    }

    /// Drops `token` from the cache if it is still the cached one, so the next call fetches a
    /// new token. The client does this by itself when the platform rejects a token.
    pub async fn invalidate_access_token(&self, token: &AccessToken) {
        self.inner.tokens.invalidate(token).await;
    }

    /// Sends a subscription message to `touser` (`POST /api/json/subscribe/SendSubscriptionMessage`).
    pub fn send_subscribe_message(
        &self,
        touser: OpenId,
        template_id: TemplateId,
    ) -> SendSubscribeMessage<'_> {
        SendSubscribeMessage::new(self, touser, template_id)
    }

    /// Sends a form_id template message (`POST /api/json/template/send`), the legacy mechanism.
    #[cfg(feature = "template-message")]
    pub fn send_template_message(
        &self,
        touser: OpenId,
        template_id: TemplateId,
        form_id: impl Into<String>,
    ) -> crate::request::SendTemplateMessage<'_> {
        crate::request::SendTemplateMessage::new(self, touser, template_id, form_id.into())
    }

    /// Checks a text for risky content (`POST /api/json/security/MsgSecCheck`).
    pub fn msg_sec_check(&self, content: impl Into<String>) -> MsgSecCheck<'_> {
        MsgSecCheck::new(self, content.into())
    }

    /// Checks an image for risky content (`POST /api/json/security/ImgSecCheck`, multipart).
    pub fn img_sec_check(&self, media: impl Into<Vec<u8>>) -> ImgSecCheck<'_> {
        ImgSecCheck::new(self, media.into())
    }

    /// Submits an audio or image URL for an asynchronous check
    /// (`POST /api/json/security/MediaCheckAsync`).
    pub fn media_check_async(
        &self,
        media_url: impl Into<String>,
        media_type: MediaType,
    ) -> MediaCheckAsync<'_> {
        MediaCheckAsync::new(self, media_url.into(), media_type)
    }

    /// Creates a mini-program code image (`POST /api/json/qqa/CreateMiniCode`).
    ///
    /// Only published mini-programs may create codes, at most 50 in total: store the images.
    pub fn create_mini_code(&self) -> CreateMiniCode<'_> {
        CreateMiniCode::new(self)
    }

    /// Decrypts open data of this mini-program with a user's session_key and checks its
    /// watermark; see [`OpenDataDecryptor::decrypt`].
    pub fn decrypt<T: serde::de::DeserializeOwned>(
        &self,
        session_key: &SessionKey,
        encrypted_data: &str,
        iv: &str,
    ) -> Result<OpenData<T>, Error> {
        self.inner
            .decryptor
            .decrypt(session_key, encrypted_data, iv)
    }

    pub(crate) fn inner(&self) -> &Inner {
        &self.inner
    }
}

/// Configures a [`Client`].
#[must_use]
pub struct ClientBuilder {
    appid: AppId,
    secret: AppSecret,
    base_url: String,
    http: Option<reqwest::Client>,
    timeout: Duration,
    token_refresh_margin: Duration,
    retry: RetryPolicy,
    max_age: Option<Duration>,
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter
            .debug_struct("ClientBuilder")
            .field("appid", &self.appid)
            .field("secret", &self.secret)
            .field("base_url", &self.base_url)
            .field("timeout", &self.timeout)
            .field("token_refresh_margin", &self.token_refresh_margin)
            .field("retry", &self.retry)
            .field("max_age", &self.max_age)
            .finish_non_exhaustive()
    }
}

impl ClientBuilder {
    /// Sends requests to `base_url` instead of `https://api.q.qq.com` (an emulator, a proxy).
    /// A path prefix is kept: `http://127.0.0.1:8080/qq` sends logins to
    /// `http://127.0.0.1:8080/qq/sns/jscode2session`.
    pub fn base_url(mut self, base_url: impl Into<String>) -> Self {
        self.base_url = base_url.into();
        self
    }

    /// Uses this HTTP client (its timeouts, proxy and TLS settings) instead of a new one.
    /// [`timeout`](Self::timeout) is then ignored.
    pub fn http_client(mut self, http: reqwest::Client) -> Self {
        self.http = Some(http);
        self
    }

    /// Timeout of one HTTP request, including reading the body; default 15 s.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// How long before its expiry a cached token is replaced; default 300 s. Capped at half
    /// the token's lifetime.
    pub fn token_refresh_margin(mut self, margin: Duration) -> Self {
        self.token_refresh_margin = margin;
        self
    }

    /// Retries of transient failures; default [`RetryPolicy::default`].
    pub fn retry(mut self, retry: RetryPolicy) -> Self {
        self.retry = retry;
        self
    }

    /// Makes [`Client::decrypt`] reject open data whose watermark is older than `max_age`.
    pub fn open_data_max_age(mut self, max_age: Duration) -> Self {
        self.max_age = Some(max_age);
        self
    }

    /// Builds the client.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidInput`](crate::ErrorKind::InvalidInput) when the appid or secret is
    /// empty, the base URL is not an `http`/`https` URL, or the HTTP client cannot be built.
    pub fn build(self) -> Result<Client, Error> {
        if self.appid.as_str().is_empty() {
            return Err(Error::invalid_input(
                "the appid is empty; use the numeric appid of the mini-program",
            ));
        }
        if self.secret.is_empty() {
            return Err(Error::invalid_input(
                "the AppSecret is empty; copy it from the mini-program console",
            ));
        }

        let base_url = Url::parse(&self.base_url).map_err(|source| {
            Error::with_source(
                crate::ErrorKind::InvalidInput {
                    message: format!("base URL {:?} is not a valid URL", self.base_url),
                },
                source,
            )
        })?;
        if !matches!(base_url.scheme(), "http" | "https") || base_url.cannot_be_a_base() {
            return Err(Error::invalid_input(format!(
                "base URL {:?} must be an http or https URL",
                self.base_url
            )));
        }

        let http = match self.http {
            Some(http) => http,
            None => reqwest::Client::builder()
                .timeout(self.timeout)
                // A redirect would make another host's answer (openid, session_key) look like
                // the platform's, so a 3xx is returned as an error instead of followed.
                .redirect(reqwest::redirect::Policy::none())
                .tls_backend_preconfigured(tls_config()?)
                .build()
                .map_err(|source| {
                    Error::with_source(
                        crate::ErrorKind::InvalidInput {
                            message: "the HTTP client could not be built".to_owned(),
                        },
                        source.without_url(),
                    )
                })?,
        };

        let mut decryptor = OpenDataDecryptor::new(self.appid.clone());
        if let Some(max_age) = self.max_age {
            decryptor = decryptor.max_age(max_age);
        }

        Ok(Client {
            inner: Arc::new(Inner {
                http,
                base_url,
                appid: self.appid,
                secret: self.secret,
                tokens: TokenCache::new(self.token_refresh_margin),
                retry: self.retry,
                decryptor,
            }),
        })
    }
}

/// TLS settings of the default HTTP client: rustls with the `ring` provider, passed explicitly
/// so that the process-wide rustls provider is neither read nor installed, and the operating
/// system's trust store.
fn tls_config() -> Result<rustls::ClientConfig, Error> {
    let tls_error = |source: rustls::Error| {
        Error::with_source(
            crate::ErrorKind::InvalidInput {
                message: "TLS could not be set up (rustls with ring, system trust store)"
                    .to_owned(),
            },
            source,
        )
    };

    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let verifier =
        rustls_platform_verifier::Verifier::new(Arc::clone(&provider)).map_err(tls_error)?;
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(tls_error)?
        .dangerous()
        .with_custom_certificate_verifier(Arc::new(verifier))
        .with_no_client_auth();

    Ok(config)
}

/// Retries of transient failures.
///
/// Retried: responses with code -1 ("system busy"), HTTP 502/503/504, connection failures, and
/// timeouts of `getToken` (a read without side effects). Not retried: every other platform
/// code (an invalid js_code in particular), and timeouts of calls that may have taken effect
/// (a login code may be spent, a message may be sent).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Retries after the first attempt; 0 turns retrying off.
    pub max_retries: u32,
    /// Delay before the first retry, doubled for each further one.
    pub base_delay: Duration,
}

impl Default for RetryPolicy {
    /// Two retries, after 200 ms and 400 ms.
    fn default() -> Self {
        Self {
            max_retries: 2,
            base_delay: Duration::from_millis(200),
        }
    }
}

impl RetryPolicy {
    /// No retries.
    pub const NONE: Self = Self {
        max_retries: 0,
        base_delay: Duration::ZERO,
    };

    pub(crate) fn delay(&self, retry: u32) -> Duration {
        self.base_delay
            .saturating_mul(2u32.saturating_pow(retry.saturating_sub(1)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_redacts_the_secret() {
        let client = Client::builder(AppId::new("1109816085"), AppSecret::new("super-secret"))
            .base_url("http://127.0.0.1:9")
            .build()
            .unwrap();

        let text = format!("{client:?}");
        assert!(text.contains("1109816085"));
        assert!(!text.contains("super-secret"));
        let builder = Client::builder(AppId::new("1"), AppSecret::new("super-secret"));
        assert!(!format!("{builder:?}").contains("super-secret"));
    }

    #[test]
    fn build_rejects_bad_input() {
        let empty_secret = Client::builder(AppId::new("1"), AppSecret::new("")).build();
        assert!(empty_secret.unwrap_err().to_string().contains("AppSecret"));

        let ftp = Client::builder(AppId::new("1"), AppSecret::new("s"))
            .base_url("ftp://127.0.0.1")
            .build();
        assert!(ftp.unwrap_err().to_string().contains("http or https"));

        let garbage = Client::builder(AppId::new("1"), AppSecret::new("s"))
            .base_url("not a url")
            .build();
        assert!(garbage.unwrap_err().to_string().contains("not a valid URL"));
    }

    #[test]
    fn retry_delay_doubles() {
        let policy = RetryPolicy::default();
        assert_eq!(policy.delay(1), Duration::from_millis(200));
        assert_eq!(policy.delay(2), Duration::from_millis(400));
        assert_eq!(policy.delay(3), Duration::from_millis(800));
    }
}
