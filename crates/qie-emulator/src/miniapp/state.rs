//! Records of the mini-program area: registered apps, login codes, sessions, tokens, grants and
//! what backends sent. Pure bookkeeping; the handlers hold the emulator's lock around it.

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::time::Duration;

use serde::{Deserialize, Serialize};
use serde_json::Value;
use tokio::time::Instant;

use crate::ids::{IdGen, derive_openid};

/// appid of the mini-program every emulator starts with.
pub const EXAMPLE_APPID: &str = "1109816085";

/// AppSecret of [`EXAMPLE_APPID`].
pub const EXAMPLE_SECRET: &str = "qie-example-miniapp-secret";

/// Subscription template of [`EXAMPLE_APPID`], with two keywords.
pub const EXAMPLE_TEMPLATE_ID: &str = "0f3e4b2a9c8d7e6f5a4b3c2d1e0f9a8b";

/// Behaviour of the mini-program area.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct MiniappConfig {
    /// How long an issued login code stays valid (the figure usually quoted is 5 minutes).
    pub code_lifetime: Duration,
    /// Lifetime of a fresh access token (`expires_in`, 7200 s on the platform).
    pub token_lifetime: Duration,
    /// How long the previous token keeps working after `getToken` mints a new one (5 minutes
    /// on the platform).
    pub token_overlap: Duration,
    /// `jscode2session` calls per user per minute before 45011 (100 on the platform).
    pub logins_per_minute: u32,
    /// Mini-program codes an app may create in total before 45029 (50 on the platform).
    pub mini_code_quota: u32,
    /// Texts containing any of these are risky for `MsgSecCheck` (87014).
    pub risky_words: Vec<String>,
    /// Images whose bytes contain this text are risky for `ImgSecCheck` (87014).
    pub risky_image_marker: String,
}

impl Default for MiniappConfig {
    fn default() -> Self {
        Self {
            code_lifetime: Duration::from_secs(300),
            token_lifetime: Duration::from_secs(7200),
            token_overlap: Duration::from_secs(300),
            logins_per_minute: 100,
            mini_code_quota: 50,
            // The first two are WeChat's documented test strings for its risky-text branch.
            risky_words: vec![
                "特3456书yuuo莞6543李zxcz蒜7782法fgnv级".to_owned(),
                "完2347全dfji试3726测asad感3847知qwez到".to_owned(),
                "qie-risky-text".to_owned(),
            ],
            risky_image_marker: "qie-risky-image".to_owned(),
        }
    }
}

/// A registered mini-program.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct MiniApp {
    /// Numeric appid.
    pub appid: String,
    /// AppSecret.
    pub secret: String,
    /// Display name.
    pub name: String,
    /// QQ互联 developer account the app is bound to; apps bound to the same one share
    /// unionids. `None`: no unionid is returned.
    pub union_developer: Option<String>,
    /// Subscription templates: template_id → number of keywords.
    pub templates: BTreeMap<String, usize>,
}

impl MiniApp {
    /// Creates an app without templates or unionid binding.
    pub fn new(appid: impl Into<String>, secret: impl Into<String>) -> Self {
        Self {
            appid: appid.into(),
            secret: secret.into(),
            name: String::new(),
            union_developer: None,
            templates: BTreeMap::new(),
        }
    }

    /// Returns the app every emulator starts with: [`EXAMPLE_APPID`], bound to a developer account, with
    /// the two-keyword template [`EXAMPLE_TEMPLATE_ID`].
    pub fn example() -> Self {
        let mut app = Self::new(EXAMPLE_APPID, EXAMPLE_SECRET);
        "qie example".clone_into(&mut app.name);
        app.union_developer = Some("qie-developer".to_owned());
        app.templates.insert(EXAMPLE_TEMPLATE_ID.to_owned(), 2);

        app
    }
}

impl Default for MiniApp {
    fn default() -> Self {
        Self::new("", "")
    }
}

impl std::fmt::Debug for MiniApp {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter
            .debug_struct("MiniApp")
            .field("appid", &self.appid)
            .field("name", &self.name)
            .field("union_developer", &self.union_developer)
            .field("templates", &self.templates)
            .finish_non_exhaustive()
    }
}

/// A login code issued for a user, as `qq.login()` returns it to the client.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct IssuedCode {
    /// The single-use `js_code`.
    pub code: String,
    /// The appid it is valid for.
    pub appid: String,
    /// The user's openid in that app.
    pub openid: String,
    /// The user's unionid, when the app is bound to a developer account.
    pub unionid: Option<String>,
}

/// A message a backend sent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct MiniappMessage {
    /// `subscription` or `template`.
    pub kind: String,
    /// The sending app.
    pub appid: String,
    /// Recipient openid.
    pub touser: String,
    /// Template id.
    pub template_id: String,
    /// `page`, if sent.
    pub page: Option<String>,
    /// `data` as sent.
    pub data: Value,
    /// `emphasis_keyword`, if sent.
    pub emphasis_keyword: Option<String>,
}

/// A submitted `MediaCheckAsync` request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct MediaCheck {
    /// The app that submitted it.
    pub appid: String,
    /// `media_url`.
    pub media_url: String,
    /// `media_type`: 1 audio, 2 image.
    pub media_type: u64,
    /// The `trace_id` returned.
    pub trace_id: String,
}

#[derive(Debug)]
struct LoginCode {
    appid: String,
    user: String,
    issued_at: Instant,
}

#[derive(Debug, Clone)]
pub(crate) struct UserSession {
    pub(crate) user: String,
    pub(crate) session_key: String,
}

#[derive(Debug)]
struct TokenRecord {
    appid: String,
    expires_at: Instant,
}

/// The reason a token was rejected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TokenProblem {
    Unknown,
    Expired,
}

/// The reason `jscode2session` failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum LoginProblem {
    /// Unknown, used, expired, or issued for another app.
    InvalidCode,
    /// Over the per-user limit.
    RateLimited,
}

/// A successful `jscode2session`.
#[derive(Debug, Clone)]
pub(crate) struct LoginResult {
    pub(crate) openid: String,
    pub(crate) session_key: String,
    pub(crate) unionid: Option<String>,
}

/// The mini-program area's records, a field of the emulator's locked state.
#[derive(Debug)]
pub(crate) struct MiniappState {
    pub(crate) config: MiniappConfig,
    pub(crate) apps: BTreeMap<String, MiniApp>,
    codes: HashMap<String, LoginCode>,
    /// (appid, openid) → session.
    sessions: HashMap<(String, String), UserSession>,
    tokens: HashMap<String, TokenRecord>,
    /// Newest token per appid.
    current_tokens: HashMap<String, String>,
    /// (appid, openid) → times of recent `jscode2session` calls.
    logins: HashMap<(String, String), VecDeque<Instant>>,
    /// (appid, openid, template_id) → messages the user allowed.
    pub(crate) grants: HashMap<(String, String, String), u32>,
    pub(crate) messages: Vec<MiniappMessage>,
    pub(crate) media_checks: Vec<MediaCheck>,
    /// appid → mini-program codes created.
    pub(crate) mini_codes: HashMap<String, u32>,
}

impl Default for MiniappState {
    fn default() -> Self {
        let example = MiniApp::example();
        Self {
            config: MiniappConfig::default(),
            apps: BTreeMap::from([(example.appid.clone(), example)]),
            codes: HashMap::new(),
            sessions: HashMap::new(),
            tokens: HashMap::new(),
            current_tokens: HashMap::new(),
            logins: HashMap::new(),
            grants: HashMap::new(),
            messages: Vec::new(),
            media_checks: Vec::new(),
            mini_codes: HashMap::new(),
        }
    }
}

impl MiniappState {
    /// Derives a user's openid in an app: 32 upper-case hex digits, stable for a seed.
    pub(crate) fn openid(seed: u64, appid: &str, user: &str) -> String {
        derive_openid(seed, &[appid, "miniapp-user", user])
    }

    /// Derives a user's unionid, shared by the apps of one developer account.
    pub(crate) fn unionid(&self, seed: u64, appid: &str, user: &str) -> Option<String> {
        let developer = self.apps.get(appid)?.union_developer.as_deref()?;

        Some(format!(
            "UID_{}",
            derive_openid(seed, &[developer, "miniapp-union", user])
        ))
    }

    /// Issues a single-use login code for `user`.
    pub(crate) fn issue_code(
        &mut self,
        ids: &mut IdGen,
        seed: u64,
        appid: &str,
        user: &str,
        now: Instant,
    ) -> IssuedCode {
        let code = ids.alnum(32);
        self.codes.insert(
            code.clone(),
            LoginCode {
                appid: appid.to_owned(),
                user: user.to_owned(),
                issued_at: now,
            },
        );

        IssuedCode {
            code,
            appid: appid.to_owned(),
            openid: Self::openid(seed, appid, user),
            unionid: self.unionid(seed, appid, user),
        }
    }

    /// Exchanges a login code. The code is spent on success and on every failure except the
    /// rate limit; a user's session_key is minted on the first login and kept afterwards.
    pub(crate) fn exchange_code(
        &mut self,
        ids: &mut IdGen,
        seed: u64,
        appid: &str,
        code: &str,
        now: Instant,
    ) -> Result<LoginResult, LoginProblem> {
        let Some(record) = self.codes.get(code) else {
            return Err(LoginProblem::InvalidCode);
        };
        if record.appid != appid || now.duration_since(record.issued_at) > self.config.code_lifetime
        {
            self.codes.remove(code);
            return Err(LoginProblem::InvalidCode);
        }

        let user = record.user.clone();
        let openid = Self::openid(seed, appid, &user);
        let recent = self
            .logins
            .entry((appid.to_owned(), openid.clone()))
            .or_default();
        while recent
            .front()
            .is_some_and(|at| now.duration_since(*at) >= Duration::from_secs(60))
        {
            recent.pop_front();
        }
        if recent.len() >= usize::try_from(self.config.logins_per_minute).unwrap_or(usize::MAX) {
            return Err(LoginProblem::RateLimited);
        }
        recent.push_back(now);
        self.codes.remove(code);

        let session = self
            .sessions
            .entry((appid.to_owned(), openid.clone()))
            .or_insert_with(|| UserSession {
                user: user.clone(),
                session_key: new_session_key(ids),
            });

        Ok(LoginResult {
            openid,
            session_key: session.session_key.clone(),
            unionid: self.unionid(seed, appid, &user),
        })
    }

    /// Returns a user's session.
    pub(crate) fn session(&self, appid: &str, openid: &str) -> Option<&UserSession> {
        self.sessions.get(&(appid.to_owned(), openid.to_owned()))
    }

    /// Replaces a user's session_key, as a later `qq.login()` may do. Returns the new key.
    pub(crate) fn rotate_session_key(
        &mut self,
        ids: &mut IdGen,
        appid: &str,
        openid: &str,
    ) -> Option<String> {
        let session = self
            .sessions
            .get_mut(&(appid.to_owned(), openid.to_owned()))?;
        session.session_key = new_session_key(ids);

        Some(session.session_key.clone())
    }

    /// Mints a token for `appid`. The previous token keeps working for the overlap period.
    pub(crate) fn mint_token(&mut self, ids: &mut IdGen, appid: &str, now: Instant) -> String {
        let overlap_end = now + self.config.token_overlap;
        if let Some(previous) = self.current_tokens.get(appid)
            && let Some(record) = self.tokens.get_mut(previous)
        {
            record.expires_at = record.expires_at.min(overlap_end);
        }

        // Forget tokens that expired long ago so the map stays small.
        self.tokens.retain(|_, record| {
            now.saturating_duration_since(record.expires_at) < Duration::from_secs(3600)
        });

        let token = ids.alnum(96);
        self.tokens.insert(
            token.clone(),
            TokenRecord {
                appid: appid.to_owned(),
                expires_at: now + self.config.token_lifetime,
            },
        );
        self.current_tokens.insert(appid.to_owned(), token.clone());

        token
    }

    /// Returns the appid of a valid token.
    pub(crate) fn check_token(&self, token: &str, now: Instant) -> Result<String, TokenProblem> {
        let record = self.tokens.get(token).ok_or(TokenProblem::Unknown)?;
        if record.expires_at <= now {
            return Err(TokenProblem::Expired);
        }

        Ok(record.appid.clone())
    }

    /// Expires every token of `appid` (all apps when `None`) now; returns how many were valid.
    pub(crate) fn expire_tokens(&mut self, appid: Option<&str>, now: Instant) -> usize {
        let mut count = 0;
        for record in self.tokens.values_mut() {
            if appid.is_none_or(|wanted| wanted == record.appid) && record.expires_at > now {
                record.expires_at = now;
                count += 1;
            }
        }

        count
    }
}

/// Returns base64 of 16 random bytes.
fn new_session_key(ids: &mut IdGen) -> String {
    use base64::Engine as _;

    let mut bytes = [0u8; 16];
    bytes[..8].copy_from_slice(&ids.next_u64().to_le_bytes());
    bytes[8..].copy_from_slice(&ids.next_u64().to_le_bytes());

    base64::engine::general_purpose::STANDARD.encode(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn codes_are_single_use_and_expire() {
        let mut state = MiniappState::default();
        let mut ids = IdGen::new(1);

        let issued = state.issue_code(&mut ids, 1, EXAMPLE_APPID, "alice", Instant::now());
        let login = state
            .exchange_code(&mut ids, 1, EXAMPLE_APPID, &issued.code, Instant::now())
            .unwrap();
        assert_eq!(login.openid, issued.openid);
        assert_eq!(login.unionid, issued.unionid);
        assert!(login.unionid.is_some());
        let again = state.exchange_code(&mut ids, 1, EXAMPLE_APPID, &issued.code, Instant::now());
        assert_eq!(again.unwrap_err(), LoginProblem::InvalidCode);

        let late = state.issue_code(&mut ids, 1, EXAMPLE_APPID, "alice", Instant::now());
        tokio::time::advance(Duration::from_secs(301)).await;
        let expired = state.exchange_code(&mut ids, 1, EXAMPLE_APPID, &late.code, Instant::now());
        assert_eq!(expired.unwrap_err(), LoginProblem::InvalidCode);

        let other = state.issue_code(&mut ids, 1, EXAMPLE_APPID, "alice", Instant::now());
        let wrong_app = state.exchange_code(&mut ids, 1, "1100000000", &other.code, Instant::now());
        assert_eq!(wrong_app.unwrap_err(), LoginProblem::InvalidCode);
    }

    #[tokio::test(start_paused = true)]
    async fn session_key_kept_until_rotated() {
        let mut state = MiniappState::default();
        let mut ids = IdGen::new(2);
        let login = |state: &mut MiniappState, ids: &mut IdGen| {
            let issued = state.issue_code(ids, 2, EXAMPLE_APPID, "bob", Instant::now());
            state
                .exchange_code(ids, 2, EXAMPLE_APPID, &issued.code, Instant::now())
                .unwrap()
        };

        let first = login(&mut state, &mut ids);
        let second = login(&mut state, &mut ids);
        assert_eq!(first.session_key, second.session_key);

        let rotated = state
            .rotate_session_key(&mut ids, EXAMPLE_APPID, &first.openid)
            .unwrap();
        assert_ne!(rotated, first.session_key);
        assert_eq!(login(&mut state, &mut ids).session_key, rotated);
    }

    #[tokio::test(start_paused = true)]
    async fn login_rate_limit_per_user() {
        let mut state = MiniappState::default();
        state.config.logins_per_minute = 2;
        let mut ids = IdGen::new(3);

        for _ in 0..2 {
            let issued = state.issue_code(&mut ids, 3, EXAMPLE_APPID, "carol", Instant::now());
            assert!(
                state
                    .exchange_code(&mut ids, 3, EXAMPLE_APPID, &issued.code, Instant::now())
                    .is_ok()
            );
        }
        let issued = state.issue_code(&mut ids, 3, EXAMPLE_APPID, "carol", Instant::now());
        let limited = state.exchange_code(&mut ids, 3, EXAMPLE_APPID, &issued.code, Instant::now());
        assert_eq!(limited.unwrap_err(), LoginProblem::RateLimited);

        // The code survives the rate limit and works a minute later.
        tokio::time::advance(Duration::from_secs(60)).await;
        assert!(
            state
                .exchange_code(&mut ids, 3, EXAMPLE_APPID, &issued.code, Instant::now())
                .is_ok()
        );
    }

    #[tokio::test(start_paused = true)]
    async fn new_token_retires_old_after_overlap() {
        let mut state = MiniappState::default();
        let mut ids = IdGen::new(4);

        let first = state.mint_token(&mut ids, EXAMPLE_APPID, Instant::now());
        tokio::time::advance(Duration::from_secs(100)).await;
        let second = state.mint_token(&mut ids, EXAMPLE_APPID, Instant::now());
        assert_ne!(first, second);
        assert_eq!(
            state.check_token(&first, Instant::now()),
            Ok(EXAMPLE_APPID.to_owned())
        );

        tokio::time::advance(Duration::from_secs(300)).await;
        assert_eq!(
            state.check_token(&first, Instant::now()),
            Err(TokenProblem::Expired)
        );
        assert!(state.check_token(&second, Instant::now()).is_ok());
        assert_eq!(
            state.check_token("unknown", Instant::now()),
            Err(TokenProblem::Unknown)
        );
    }
}
