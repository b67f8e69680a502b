//! The QQ Connect part of the world: websites registered on QQ Connect (apps) and the QQ profiles
//! that `get_user_info` returns.
//!
//! People are the world's [`User`](crate::world::User)s; a [`ConnectProfile`] adds the QQ
//! profile of one of them. A person without a profile still logs in, with their username as
//! nickname and default values elsewhere.

use std::collections::HashSet;
use std::fmt;

use serde::{Deserialize, Serialize};

use crate::{Error, ErrorKind};

/// The QQ Connect section of the world (`[connect]` in the world file).
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
#[serde(default, deny_unknown_fields)]
pub struct Connect {
    /// Websites registered on QQ Connect.
    pub apps: Vec<ConnectApp>,
    /// QQ profiles of world users.
    pub profiles: Vec<ConnectProfile>,
}

/// A website registered on QQ Connect.
#[derive(Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(default, deny_unknown_fields)]
pub struct ConnectApp {
    /// appid (`client_id`, `oauth_consumer_key`), decimal digits.
    pub app_id: String,
    /// appkey (`client_secret`).
    pub app_key: String,
    /// Website name shown on the consent page.
    pub name: String,
    /// Registered callback URLs; `redirect_uri` must equal one of them exactly.
    pub redirect_uris: Vec<String>,
    /// Accept any `redirect_uri` whose host is a registered callback's host or a sub-domain of it
    /// (the platform's rule before it required exact URLs).
    pub legacy_domain: bool,
    /// Developer account; apps of one developer share unionids. Empty means the appid.
    pub developer: String,
    /// Whether the developer account has UnionID enabled; without it `unionid=1` gives 100048.
    pub unionid: bool,
    /// Whether the app is online; an offline app gives 100011.
    pub online: bool,
}

impl Default for ConnectApp {
    fn default() -> Self {
        Self {
            app_id: String::new(),
            app_key: String::new(),
            name: String::new(),
            redirect_uris: Vec::new(),
            legacy_domain: false,
            developer: String::new(),
            unionid: false,
            online: true,
        }
    }
}

impl fmt::Debug for ConnectApp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ConnectApp")
            .field("app_id", &self.app_id)
            .field("app_key", &"<redacted>")
            .field("name", &self.name)
            .field("redirect_uris", &self.redirect_uris)
            .field("legacy_domain", &self.legacy_domain)
            .field("developer", &self.developer)
            .field("unionid", &self.unionid)
            .field("online", &self.online)
            .finish()
    }
}

impl ConnectApp {
    /// Creates an online app with one registered callback; the other fields take defaults.
    pub fn new(
        app_id: impl Into<String>,
        app_key: impl Into<String>,
        redirect_uri: impl Into<String>,
    ) -> Self {
        let app_id = app_id.into();
        Self {
            name: format!("App {app_id}"),
            app_id,
            app_key: app_key.into(),
            redirect_uris: vec![redirect_uri.into()],
            ..Self::default()
        }
    }

    /// Returns the developer account, the appid when none is set.
    pub fn developer_account(&self) -> &str {
        if self.developer.is_empty() {
            &self.app_id
        } else {
            &self.developer
        }
    }

    /// Returns whether `redirect_uri` is accepted for this app.
    pub fn accepts_redirect(&self, redirect_uri: &str) -> bool {
        if self
            .redirect_uris
            .iter()
            .any(|registered| registered == redirect_uri)
        {
            return true;
        }
        if !self.legacy_domain {
            return false;
        }

        let Some(host) = url_host(redirect_uri) else {
            return false;
        };
        self.redirect_uris
            .iter()
            .filter_map(|registered| url_host(registered))
            .any(|registered| host == registered || host.ends_with(&format!(".{registered}")))
    }
}

/// Returns the lower-case host of an `http`/`https` URL.
///
/// A URL with a backslash, whitespace or a control character has no host here: browsers read
/// `\` as `/` and drop tabs, so `https://evil.test\@example.com/` goes to `evil.test`.
fn url_host(url: &str) -> Option<String> {
    if url.contains(|c: char| c == '\\' || c.is_whitespace() || c.is_control()) {
        return None;
    }
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))?;
    let authority = rest.split(['/', '?', '#']).next()?;
    let host_port = authority.rsplit('@').next()?;
    let host = if host_port.starts_with('[') {
        host_port.split(']').next().map(|host| format!("{host}]"))?
    } else {
        host_port.split(':').next()?.to_owned()
    };

    (!host.is_empty()).then(|| host.to_ascii_lowercase())
}

/// The QQ profile of a world user.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(default, deny_unknown_fields)]
pub struct ConnectProfile {
    /// The person's [`User::id`](crate::world::User::id).
    pub user_id: String,
    /// Qzone nickname; empty means the user's username.
    pub nickname: String,
    /// `男` or `女`.
    pub gender: String,
    /// Province.
    pub province: String,
    /// City.
    pub city: String,
    /// Birth year.
    pub year: String,
    /// Constellation.
    pub constellation: String,
    /// Avatar URL for every size; empty means an avatar served by the emulator.
    pub avatar: String,
    /// Qzone yellow-diamond member.
    pub yellow_vip: bool,
    /// Yellow-diamond level.
    pub yellow_vip_level: u32,
    /// Annual yellow-diamond member.
    pub yellow_year_vip: bool,
    /// QQ VIP member.
    pub qq_vip: bool,
    /// QQ VIP level.
    pub qq_vip_level: u32,
    /// Annual QQ VIP member.
    pub qq_year_vip: bool,
}

impl Default for ConnectProfile {
    fn default() -> Self {
        Self {
            user_id: String::new(),
            nickname: String::new(),
            gender: "男".to_owned(),
            province: String::new(),
            city: String::new(),
            year: String::new(),
            constellation: String::new(),
            avatar: String::new(),
            yellow_vip: false,
            yellow_vip_level: 0,
            yellow_year_vip: false,
            qq_vip: false,
            qq_vip_level: 0,
            qq_year_vip: false,
        }
    }
}

/// appid of the example world's main QQ Connect app.
pub const EXAMPLE_CONNECT_APP_ID: &str = "101000001";
/// appkey of the example world's main QQ Connect app.
pub const EXAMPLE_CONNECT_APP_KEY: &str = "ExampleConnectAppKey01";
/// Registered callback of the example world's main QQ Connect app.
pub const EXAMPLE_CONNECT_REDIRECT_URI: &str = "http://127.0.0.1:8080/login/qq/callback";

impl Connect {
    /// Returns the example section.
    ///
    /// * `101000001` "Example Site" (appkey `ExampleConnectAppKey01`, callbacks
    ///   `http://127.0.0.1:8080/login/qq/callback` and `http://localhost:8080/login/qq/callback`)
    ///   and `101000002` "Example Mobile Site" (appkey `ExampleConnectAppKey02`) belong to developer
    ///   `example-developer`, which has UnionID enabled;
    /// * `101000003` "Other Developer Site" (appkey `ExampleConnectAppKey03`) belongs to another
    ///   developer without UnionID;
    /// * profiles for the four example users.
    pub fn example() -> Self {
        let app =
            |app_id: &str, key: &str, name: &str, developer: &str, unionid: bool| ConnectApp {
                app_id: app_id.to_owned(),
                app_key: key.to_owned(),
                name: name.to_owned(),
                redirect_uris: vec![
                    EXAMPLE_CONNECT_REDIRECT_URI.to_owned(),
                    "http://localhost:8080/login/qq/callback".to_owned(),
                ],
                legacy_domain: false,
                developer: developer.to_owned(),
                unionid,
                online: true,
            };
        let profile = |user_id: &str,
                       nickname: &str,
                       gender: &str,
                       province: &str,
                       city: &str,
                       year: &str| {
            ConnectProfile {
                user_id: user_id.to_owned(),
                nickname: nickname.to_owned(),
                gender: gender.to_owned(),
                province: province.to_owned(),
                city: city.to_owned(),
                year: year.to_owned(),
                ..ConnectProfile::default()
            }
        };

        let mut alice = profile(
            "14400000000000001",
            "小企鹅Alice",
            "女",
            "广东",
            "深圳",
            "1995",
        );
        "双子座".clone_into(&mut alice.constellation);
        alice.yellow_vip = true;
        alice.yellow_vip_level = 7;
        alice.qq_vip = true;
        alice.qq_vip_level = 5;

        Self {
            apps: vec![
                app(
                    EXAMPLE_CONNECT_APP_ID,
                    EXAMPLE_CONNECT_APP_KEY,
                    "Example Site",
                    "example-developer",
                    true,
                ),
                app(
                    "101000002",
                    "ExampleConnectAppKey02",
                    "Example Mobile Site",
                    "example-developer",
                    true,
                ),
                app(
                    "101000003",
                    "ExampleConnectAppKey03",
                    "Other Developer Site",
                    "other-developer",
                    false,
                ),
            ],
            profiles: vec![
                alice,
                profile("14400000000000002", "Carol", "女", "北京", "北京", "1990"),
                profile("14400000000000003", "大卫", "男", "上海", "上海", "1988"),
                profile("14400000000000004", "Bob", "男", "", "", ""),
            ],
        }
    }

    /// Returns the app with this appid.
    pub fn app(&self, app_id: &str) -> Option<&ConnectApp> {
        self.apps.iter().find(|app| app.app_id == app_id)
    }

    /// Returns the profile of this user.
    pub fn profile(&self, user_id: &str) -> Option<&ConnectProfile> {
        self.profiles
            .iter()
            .find(|profile| profile.user_id == user_id)
    }

    /// Checks appids, appkeys, callbacks and that every profile names a world user.
    pub(crate) fn validate(&self, user_ids: &HashSet<&str>) -> Result<(), Error> {
        let invalid = |message: String| Err(Error::new(ErrorKind::WorldInvalid, message));

        let mut seen = HashSet::new();
        for app in &self.apps {
            if app.app_id.is_empty() || !app.app_id.bytes().all(|byte| byte.is_ascii_digit()) {
                return invalid(format!(
                    "connect app_id {:?} is not a string of decimal digits",
                    app.app_id
                ));
            }
            if !seen.insert(app.app_id.as_str()) {
                return invalid(format!("connect app_id {} appears twice", app.app_id));
            }
            if app.app_key.is_empty() {
                return invalid(format!("connect app {} has an empty app_key", app.app_id));
            }
            if let Some(bad) = app.redirect_uris.iter().find(|uri| url_host(uri).is_none()) {
                return invalid(format!(
                    "connect app {} has redirect URI {bad:?}; use an absolute http:// or https:// URL",
                    app.app_id
                ));
            }
        }

        for profile in &self.profiles {
            if !user_ids.contains(profile.user_id.as_str()) {
                return invalid(format!(
                    "connect profile names user {:?}, which is not in [[users]]",
                    profile.user_id
                ));
            }
        }

        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redirect_matching_is_exact_by_default() {
        let app = ConnectApp::new("1", "k", "https://www.example.com/qq/callback");

        assert!(app.accepts_redirect("https://www.example.com/qq/callback"));
        assert!(!app.accepts_redirect("https://www.example.com/qq/callback/"));
        assert!(!app.accepts_redirect("https://www.example.com/qq/callback?x=1"));
        assert!(!app.accepts_redirect("http://www.example.com/qq/callback"));
        assert!(!app.accepts_redirect("https://www.example.com"));
        assert!(!app.accepts_redirect("https://bbs.example.com/qq/callback"));
    }

    #[test]
    fn legacy_domain_accepts_sub_domains() {
        let mut app = ConnectApp::new("1", "k", "https://example.com/");
        app.legacy_domain = true;

        assert!(app.accepts_redirect("https://example.com/any/path?x=1"));
        assert!(app.accepts_redirect("http://bbs.example.com:8080/cb"));
        assert!(!app.accepts_redirect("https://badexample.com/cb"));
        assert!(!app.accepts_redirect("https://example.com.evil.test/cb"));
        assert!(!app.accepts_redirect("ftp://example.com/cb"));
    }

    #[test]
    fn legacy_domain_rejects_backslash_hosts() {
        let mut app = ConnectApp::new("1", "k", "https://example.com/");
        app.legacy_domain = true;

        assert!(!app.accepts_redirect("https://evil.test\\@example.com/cb"));
        assert!(!app.accepts_redirect("https://evil.test\\.example.com/cb"));
        assert!(!app.accepts_redirect("https://evil.test\t\\@example.com/cb"));
        assert_eq!(url_host("https://evil.test\\@example.com/"), None);
    }

    #[test]
    fn url_host_handles_ports_and_userinfo() {
        assert_eq!(
            url_host("http://127.0.0.1:8080/cb").as_deref(),
            Some("127.0.0.1")
        );
        assert_eq!(
            url_host("https://user@Example.COM/cb").as_deref(),
            Some("example.com")
        );
        assert_eq!(url_host("http://[::1]:80/").as_deref(), Some("[::1]"));
        assert_eq!(url_host("/relative"), None);
        assert_eq!(url_host("http:///nohost"), None);
    }

    #[test]
    fn debug_hides_app_key() {
        let text = format!("{:?}", Connect::example());
        assert!(!text.contains(EXAMPLE_CONNECT_APP_KEY));
    }

    #[test]
    fn profile_of_unknown_user_is_rejected() {
        let connect = Connect {
            apps: Vec::new(),
            profiles: vec![ConnectProfile {
                user_id: "404".to_owned(),
                ..ConnectProfile::default()
            }],
        };
        let error = connect.validate(&HashSet::new()).unwrap_err();
        assert!(error.message().contains("\"404\""));
    }
}
