//! The URL of `/oauth2.0/authorize`, where the browser goes to log in.

use std::fmt;

use url::Url;

use crate::id::AppId;

/// Path of the authorization endpoint.
pub const AUTHORIZE_PATH: &str = "/oauth2.0/authorize";

/// Style of the login page the platform shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum Display {
    /// The desktop page (no `display` parameter).
    #[default]
    Pc,
    /// The page styled for phone browsers (`display=mobile`).
    Mobile,
}

/// The OAuth flow to start.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum ResponseType {
    /// Server-side flow: the callback receives `code` and `state` in its query (`response_type=code`).
    #[default]
    Code,
    /// Client-side flow: the callback receives `access_token`, `expires_in` and `state` in its
    /// fragment, and no refresh token is issued (`response_type=token`).
    Token,
}

/// Builder of an authorization URL; get one from [`Client::authorize_url`](crate::Client::authorize_url).
///
/// Parameters are encoded once with a form encoder, so `redirect_uri` reaches the platform
/// exactly as registered.
///
/// # Examples
///
/// ```
/// # fn main() -> Result<(), qie_oauth::Error> {
/// use qie_oauth::{AppKey, Client, Display};
///
/// let client = Client::builder("101000001", AppKey::new("appkey"), "https://example.com/login/qq/callback")
///     .build()?;
/// let url = client
///     .authorize_url("Opaque-State-1")
///     .scope("get_user_info")
///     .scope("get_vip_info")
///     .display(Display::Mobile)
///     .to_url();
///
/// assert_eq!(url.path(), "/oauth2.0/authorize");
/// assert!(url.query().unwrap().contains("scope=get_user_info%2Cget_vip_info"));
/// assert!(url.query().unwrap().contains("display=mobile"));
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone)]
#[must_use]
pub struct AuthorizeUrl {
    endpoint: Url,
    app_id: AppId,
    redirect_uri: String,
    state: String,
    scopes: Vec<String>,
    display: Display,
    response_type: ResponseType,
}

impl AuthorizeUrl {
    pub(crate) fn new(endpoint: Url, app_id: AppId, redirect_uri: String, state: &str) -> Self {
        Self {
            endpoint,
            app_id,
            redirect_uri,
            state: state.to_owned(),
            scopes: Vec::new(),
            display: Display::Pc,
            response_type: ResponseType::Code,
        }
    }

    /// Adds one OpenAPI name to `scope`. Without any, the platform grants `get_user_info`.
    ///
    /// The platform warns that each extra scope makes users more likely to refuse.
    pub fn scope(mut self, scope: impl Into<String>) -> Self {
        let scope = scope.into();
        if !scope.is_empty() && !self.scopes.contains(&scope) {
            self.scopes.push(scope);
        }
        self
    }

    /// Adds several OpenAPI names to `scope`.
    pub fn scopes<I, S>(mut self, scopes: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        for scope in scopes {
            self = self.scope(scope);
        }
        self
    }

    /// Chooses the desktop or the mobile login page.
    pub fn display(mut self, display: Display) -> Self {
        self.display = display;
        self
    }

    /// Chooses the flow; the default is [`ResponseType::Code`].
    pub fn response_type(mut self, response_type: ResponseType) -> Self {
        self.response_type = response_type;
        self
    }

    /// Returns the URL.
    pub fn to_url(&self) -> Url {
        let mut url = self.endpoint.clone();
        {
            let mut query = url.query_pairs_mut();
            let response_type = match self.response_type {
                ResponseType::Code => "code",
                ResponseType::Token => "token",
            };
            query.append_pair("response_type", response_type);
            query.append_pair("client_id", self.app_id.as_str());
            query.append_pair("redirect_uri", &self.redirect_uri);
            query.append_pair("state", &self.state);
            if !self.scopes.is_empty() {
                query.append_pair("scope", &self.scopes.join(","));
            }
            if self.display == Display::Mobile {
                query.append_pair("display", "mobile");
            }
        }

        url
    }
}

impl fmt::Display for AuthorizeUrl {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(self.to_url().as_str())
    }
}

impl From<AuthorizeUrl> for Url {
    fn from(builder: AuthorizeUrl) -> Self {
        builder.to_url()
    }
}
