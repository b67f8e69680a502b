//! The HTTP client of `graph.qq.com`.

mod login;
mod me;
mod token;
mod user;

use std::sync::Arc;
use std::time::Duration;

use url::Url;

pub use self::login::{Login, QqUser};
pub use self::me::GetMe;
pub use self::token::{ExchangeCode, Refresh};
use self::user::UserCredentials;
pub use self::user::{GetUserInfo, GetVipInfo, OpenApiCall};

/// Paths of the endpoints, relative to the base URLs.
pub(crate) mod paths {
    pub use super::me::ME_PATH;
    pub use super::token::TOKEN_PATH;
    pub use super::user::{GET_SIMPLE_USERINFO_PATH, GET_USER_INFO_PATH, GET_VIP_INFO_PATH};
}

use crate::authorize::{AUTHORIZE_PATH, AuthorizeUrl};
use crate::error::{Error, ErrorKind};
use crate::id::{AppId, OpenId};
use crate::secret::{AccessToken, AppKey, RefreshToken};

/// Default base URL of the OAuth endpoints and the website OpenAPI.
pub const DEFAULT_BASE_URL: &str = "https://graph.qq.com";

/// Default base URL of the mobile-only OpenAPI (`get_simple_userinfo`).
pub const DEFAULT_MOBILE_BASE_URL: &str = "https://openmobile.qq.com";

/// Default timeout of one request.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(10);

/// Format requested from the OAuth endpoints with `fmt`.
///
/// The parser reads every shape whatever is requested; this only changes what is sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum ResponseFormat {
    /// `fmt=json`: JSON for successes and errors.
    #[default]
    Json,
    /// No `fmt`: the historic default, form-encoded tokens, JSONP for `/oauth2.0/me` and errors.
    Legacy,
}

/// A QQ Connect client for one app. Cheap to clone.
///
/// # Examples
///
/// ```no_run
/// # async fn run() -> Result<(), qie_oauth::Error> {
/// use qie_oauth::{AppKey, Client};
///
/// let client = Client::builder("101000001", AppKey::new("appkey"), "https://example.com/login/qq/callback")
///     .build()?;
///
/// // On the callback, after checking `state`:
/// let tokens = client.exchange_code("CODE-FROM-CALLBACK").await?;
/// let me = client.me(&tokens.access_token).unionid(true).await?;
/// let profile = client.get_user_info(&tokens.access_token, &me.openid).await?;
/// println!("{} logged in", profile.nickname);
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone)]
pub struct Client {
    inner: Arc<ClientInner>,
}

#[derive(Debug)]
struct ClientInner {
    app_id: AppId,
    app_key: AppKey,
    redirect_uri: String,
    base_url: Url,
    mobile_base_url: Url,
    http: reqwest::Client,
}

impl Client {
    /// Starts a builder for the app `app_id` with its appkey and its registered callback URL.
    ///
    /// `redirect_uri` is sent exactly as given, to `/oauth2.0/authorize` and to the token
    /// endpoint: it must equal one of the callbacks registered in the QQ Connect console.
    pub fn builder(
        app_id: impl Into<AppId>,
        app_key: AppKey,
        redirect_uri: impl Into<String>,
    ) -> ClientBuilder {
        ClientBuilder {
            app_id: app_id.into(),
            app_key,
            redirect_uri: redirect_uri.into(),
            base_url: DEFAULT_BASE_URL.to_owned(),
            mobile_base_url: None,
            http: None,
            timeout: DEFAULT_TIMEOUT,
        }
    }

    /// Returns the app's appid.
    pub fn app_id(&self) -> &AppId {
        &self.inner.app_id
    }

    /// Returns the callback URL sent to the platform.
    pub fn redirect_uri(&self) -> &str {
        &self.inner.redirect_uri
    }

    /// Returns the base URL of the OAuth endpoints.
    pub fn base_url(&self) -> &Url {
        &self.inner.base_url
    }

    /// Starts an authorization URL carrying `state`.
    ///
    /// `state` must be unguessable and bound to the browser; [`StateGuard`](crate::StateGuard)
    /// makes one.
    pub fn authorize_url(&self, state: &str) -> AuthorizeUrl {
        AuthorizeUrl::new(
            join(&self.inner.base_url, AUTHORIZE_PATH),
            self.inner.app_id.clone(),
            self.inner.redirect_uri.clone(),
            state,
        )
    }

    /// Exchanges the `code` of a callback for tokens (`grant_type=authorization_code`).
    ///
    /// A code is valid for 10 minutes and only once: on
    /// [`ConnectCode::CodeReused`](crate::ConnectCode::CodeReused) start the login again instead of
    /// retrying.
    pub fn exchange_code<'a>(&'a self, code: &'a str) -> ExchangeCode<'a> {
        ExchangeCode::new(self, code)
    }

    /// Gets new tokens with a refresh token (`grant_type=refresh_token`).
    ///
    /// The response carries a new refresh token and the one sent stops working: store the new
    /// one before using the access token, and never refresh concurrently with the same token.
    pub fn refresh<'a>(&'a self, refresh_token: &'a RefreshToken) -> Refresh<'a> {
        Refresh::new(self, refresh_token)
    }

    /// Looks up the openid (and optionally the unionid) of an access token (`/oauth2.0/me`).
    ///
    /// The response's `client_id` is checked against this app's appid.
    pub fn me<'a>(&'a self, access_token: &'a AccessToken) -> GetMe<'a> {
        GetMe::new(self, access_token)
    }

    /// Reads the user's profile (`/user/get_user_info`).
    pub fn get_user_info<'a>(
        &'a self,
        access_token: &'a AccessToken,
        openid: &'a OpenId,
    ) -> GetUserInfo<'a> {
        GetUserInfo::new(
            self,
            UserCredentials {
                access_token,
                openid,
            },
            false,
        )
    }

    /// Reads the user's profile through the mobile OpenAPI host
    /// (`openmobile.qq.com/user/get_simple_userinfo`), which the platform serves to mobile apps.
    pub fn get_simple_userinfo<'a>(
        &'a self,
        access_token: &'a AccessToken,
        openid: &'a OpenId,
    ) -> GetUserInfo<'a> {
        GetUserInfo::new(
            self,
            UserCredentials {
                access_token,
                openid,
            },
            true,
        )
    }

    /// Reads the user's QQ VIP membership (`/user/get_vip_info`); the app needs the permission.
    pub fn get_vip_info<'a>(
        &'a self,
        access_token: &'a AccessToken,
        openid: &'a OpenId,
    ) -> GetVipInfo<'a> {
        GetVipInfo::new(
            self,
            UserCredentials {
                access_token,
                openid,
            },
        )
    }

    /// Reads the user's detailed QQ VIP membership (`/user/get_vip_rich_info`) as raw members.
    pub fn get_vip_rich_info<'a>(
        &'a self,
        access_token: &'a AccessToken,
        openid: &'a OpenId,
    ) -> OpenApiCall<'a> {
        self.openapi(access_token, openid, "/user/get_vip_rich_info")
    }

    /// Calls any OpenAPI on the base URL by path, such as `/user/check_page_fans`, with the three
    /// common parameters filled in. Add its own parameters with [`OpenApiCall::param`].
    pub fn openapi<'a>(
        &'a self,
        access_token: &'a AccessToken,
        openid: &'a OpenId,
        path: &'a str,
    ) -> OpenApiCall<'a> {
        OpenApiCall::new(
            self,
            UserCredentials {
                access_token,
                openid,
            },
            path,
        )
    }

    /// Finishes a login from a callback `code`: exchanges it, looks up the openid (checking the
    /// `client_id`), and reads the profile.
    pub fn login<'a>(&'a self, code: &'a str) -> Login<'a> {
        Login::new(self, code)
    }

    /// Sends a GET and returns the body text, whatever the HTTP status.
    async fn get(
        &self,
        base: &Url,
        path: &str,
        params: &[(&str, &str)],
    ) -> Result<(reqwest::StatusCode, String), Error> {
        let mut url = join(base, path);
        url.query_pairs_mut().extend_pairs(params);

        tracing::debug!(endpoint = path, "sending QQ Connect request");
        let http_error = |source: reqwest::Error| {
            // The URL contains the appkey or the access token, so it is removed from the error.
            Error::with_source(
                ErrorKind::Http {
                    endpoint: path.to_owned(),
                },
                source.without_url(),
            )
        };
        let response = self.inner.http.get(url).send().await.map_err(http_error)?;
        let status = response.status();
        let body = response.text().await.map_err(http_error)?;
        tracing::debug!(
            endpoint = path,
            status = status.as_u16(),
            bytes = body.len(),
            "QQ Connect response"
        );

        Ok((status, body))
    }

    /// Sends a GET and parses the body into `T`.
    async fn get_parsed<T: serde::de::DeserializeOwned>(
        &self,
        base: &Url,
        path: &str,
        params: &[(&str, &str)],
    ) -> Result<T, Error> {
        let (status, body) = self.get(base, path, params).await?;

        crate::response::parse(path, &body).map_err(|error| {
            // The body is the source of truth: the platform's errors arrive with any status. A
            // body without any recognisable shape is reported together with the status.
            match error.kind() {
                ErrorKind::InvalidResponse { reason, .. } if !status.is_success() => {
                    Error::invalid_response(
                        path,
                        format!("HTTP status {} and {reason}", status.as_u16()),
                    )
                }
                _ => error,
            }
        })
    }
}

/// Appends `path` to the path of `base`, keeping a path prefix such as `/graph`.
fn join(base: &Url, path: &str) -> Url {
    let mut url = base.clone();
    let prefix = base.path().trim_end_matches('/');
    url.set_path(&format!("{prefix}{path}"));
    url.set_query(None);

    url
}

/// Builder of a [`Client`].
#[derive(Debug)]
#[must_use]
pub struct ClientBuilder {
    app_id: AppId,
    app_key: AppKey,
    redirect_uri: String,
    base_url: String,
    mobile_base_url: Option<String>,
    http: Option<reqwest::Client>,
    timeout: Duration,
}

impl ClientBuilder {
    /// Sends every OAuth and website OpenAPI call to `base_url` instead of
    /// [`DEFAULT_BASE_URL`], for example an emulator on `http://127.0.0.1:PORT`. Unless
    /// [`mobile_base_url`](Self::mobile_base_url) is set, mobile calls go there too.
    pub fn base_url(mut self, base_url: impl Into<String>) -> Self {
        self.base_url = base_url.into();
        self
    }

    /// Sends mobile OpenAPI calls (`get_simple_userinfo`) to `base_url` instead of
    /// [`DEFAULT_MOBILE_BASE_URL`].
    pub fn mobile_base_url(mut self, base_url: impl Into<String>) -> Self {
        self.mobile_base_url = Some(base_url.into());
        self
    }

    /// Uses this HTTP client (its own timeout and proxy settings apply, and
    /// [`timeout`](Self::timeout) is ignored).
    pub fn http_client(mut self, http: reqwest::Client) -> Self {
        self.http = Some(http);
        self
    }

    /// Timeout of one request; default [`DEFAULT_TIMEOUT`].
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Checks the settings and builds the client.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidConfig`] when the appid is not a string of digits, the appkey is empty,
    /// or a URL is not an absolute `http`/`https` URL.
    pub fn build(self) -> Result<Client, Error> {
        let invalid = |reason: String| Error::new(ErrorKind::InvalidConfig { reason });

        let app_id = self.app_id.as_str();
        if app_id.is_empty() || !app_id.bytes().all(|byte| byte.is_ascii_digit()) {
            return Err(invalid(format!(
                "the appid {app_id:?} is not a string of decimal digits; copy it from the QQ Connect console"
            )));
        }
        if self.app_key.is_empty() {
            return Err(invalid(
                "the appkey is empty; copy it from the QQ Connect console".to_owned(),
            ));
        }

        let redirect = parse_http_url("redirect_uri", &self.redirect_uri).map_err(invalid)?;
        if redirect.fragment().is_some() {
            return Err(invalid(format!(
                "the redirect_uri {:?} has a fragment; register and use a URL without '#'",
                self.redirect_uri
            )));
        }
        let base_url = parse_http_url("base URL", &self.base_url).map_err(invalid)?;
        let mobile_base_url = match &self.mobile_base_url {
            Some(url) => parse_http_url("mobile base URL", url).map_err(invalid)?,
            None if self.base_url == DEFAULT_BASE_URL => {
                parse_http_url("mobile base URL", DEFAULT_MOBILE_BASE_URL).map_err(invalid)?
            }
            None => base_url.clone(),
        };

        let http = match self.http {
            Some(http) => http,
            None => default_http_client(self.timeout)?,
        };

        Ok(Client {
            inner: Arc::new(ClientInner {
                app_id: self.app_id,
                app_key: self.app_key,
                redirect_uri: self.redirect_uri,
                base_url,
                mobile_base_url,
                http,
            }),
        })
    }
}

/// Builds the default HTTP client: no redirects followed, rustls with the `ring` provider passed
/// explicitly (the process-wide rustls provider is neither read nor installed), and server
/// certificates checked against the operating system's trust store.
fn default_http_client(timeout: Duration) -> Result<reqwest::Client, Error> {
    fn config_error<E: std::error::Error + Send + Sync + 'static>(
        reason: &'static str,
    ) -> impl FnOnce(E) -> Error {
        move |source| {
            Error::with_source(
                ErrorKind::InvalidConfig {
                    reason: reason.to_owned(),
                },
                source,
            )
        }
    }

    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let verifier = rustls_platform_verifier::Verifier::new(Arc::clone(&provider))
        .map_err(config_error("failed to load the system trust store"))?;
    let tls = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(config_error("failed to set up TLS"))?
        .dangerous()
        .with_custom_certificate_verifier(Arc::new(verifier))
        .with_no_client_auth();

    reqwest::Client::builder()
        .timeout(timeout)
        .redirect(reqwest::redirect::Policy::none())
        .tls_backend_preconfigured(tls)
        .build()
        .map_err(config_error("failed to build the HTTP client"))
}

fn parse_http_url(name: &str, value: &str) -> Result<Url, String> {
    let url = Url::parse(value)
        .map_err(|error| format!("the {name} {value:?} is not an absolute URL: {error}"))?;
    if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none_or(str::is_empty) {
        return Err(format!(
            "the {name} {value:?} is not an http or https URL with a host"
        ));
    }

    Ok(url)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn client(base: &str) -> Client {
        Client::builder(
            "101000001",
            AppKey::new("secret-appkey"),
            "http://127.0.0.1:8080/cb?from=qq",
        )
        .base_url(base)
        .build()
        .unwrap()
    }

    #[test]
    fn join_keeps_prefix() {
        let base = Url::parse("http://127.0.0.1:9/graph/").unwrap();
        assert_eq!(
            join(&base, "/oauth2.0/token").as_str(),
            "http://127.0.0.1:9/graph/oauth2.0/token"
        );
        let bare = Url::parse("http://127.0.0.1:9").unwrap();
        assert_eq!(
            join(&bare, "/oauth2.0/me").as_str(),
            "http://127.0.0.1:9/oauth2.0/me"
        );
    }

    #[test]
    fn authorize_url_encodes_redirect_once() {
        let url = client("http://127.0.0.1:9").authorize_url("s-1").to_url();
        let pairs: Vec<(String, String)> = url.query_pairs().into_owned().collect();

        assert_eq!(
            url.as_str().split('?').next(),
            Some("http://127.0.0.1:9/oauth2.0/authorize")
        );
        assert_eq!(
            pairs,
            vec![
                ("response_type".to_owned(), "code".to_owned()),
                ("client_id".to_owned(), "101000001".to_owned()),
                (
                    "redirect_uri".to_owned(),
                    "http://127.0.0.1:8080/cb?from=qq".to_owned()
                ),
                ("state".to_owned(), "s-1".to_owned()),
            ]
        );
        assert!(
            url.as_str()
                .contains("redirect_uri=http%3A%2F%2F127.0.0.1%3A8080%2Fcb%3Ffrom%3Dqq")
        );
    }

    #[test]
    fn builder_rejects_bad_settings() {
        let bad_app = Client::builder("10x", AppKey::new("k"), "https://example.com/cb").build();
        assert!(bad_app.unwrap_err().to_string().contains("\"10x\""));

        let empty_key = Client::builder("1", AppKey::new(""), "https://example.com/cb").build();
        assert!(
            empty_key
                .unwrap_err()
                .to_string()
                .contains("appkey is empty")
        );

        let relative = Client::builder("1", AppKey::new("k"), "/cb").build();
        assert!(relative.unwrap_err().to_string().contains("redirect_uri"));

        let ftp = Client::builder("1", AppKey::new("k"), "https://example.com/cb")
            .base_url("ftp://127.0.0.1")
            .build();
        assert!(ftp.unwrap_err().to_string().contains("base URL"));
    }

    #[test]
    fn mobile_base_follows_custom_base() {
        let custom = client("http://127.0.0.1:9");
        assert_eq!(custom.inner.mobile_base_url.as_str(), "http://127.0.0.1:9/");

        let default = Client::builder("1", AppKey::new("k"), "https://example.com/cb")
            .build()
            .unwrap();
        assert_eq!(
            default.inner.mobile_base_url.as_str(),
            "https://openmobile.qq.com/"
        );
    }

    #[test]
    fn debug_hides_appkey() {
        let text = format!("{:?}", client("http://127.0.0.1:9"));
        assert!(!text.contains("secret-appkey"));
    }

    #[test]
    fn debug_hides_code_and_tokens() {
        let client = client("http://127.0.0.1:9");
        let access = AccessToken::new("ACCESS-VALUE");
        let refresh = RefreshToken::new("REFRESH-VALUE");
        let openid = OpenId::new("OPENID");

        let text = format!(
            "{:?} {:?} {:?} {:?} {:?}",
            client.exchange_code("CODE-VALUE"),
            client.login("CODE-VALUE"),
            client.refresh(&refresh),
            client.me(&access),
            client.get_user_info(&access, &openid),
        );

        assert!(!text.contains("CODE-VALUE"), "{text}");
        assert!(!text.contains("ACCESS-VALUE"), "{text}");
        assert!(!text.contains("REFRESH-VALUE"), "{text}");
        assert!(!text.contains("secret-appkey"), "{text}");
    }
}
