//! Codes, access tokens and refresh tokens issued by the QQ Connect endpoints.
//!
//! Lifetimes follow `tokio::time::Instant`, so tests move them with tokio's paused clock.

use std::collections::HashMap;
use std::time::Duration;

use tokio::time::Instant;

/// Settings of the QQ Connect endpoints.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OAuthSettings {
    /// Lifetime of an authorization code; the platform documents 10 minutes.
    pub code_lifetime: Duration,
    /// Lifetime of an access token. The platform's docs say 60 days today, 90 days in older
    /// pages; a 2025 response carried `5184000` (60 days), the default here.
    pub token_lifetime: Duration,
    /// `Content-Type` of the token, openid and OpenAPI responses. The platform labels JSON, JSONP
    /// and form-encoded bodies alike as `text/html; charset=utf-8`, the default here.
    pub content_type: String,
}

impl Default for OAuthSettings {
    fn default() -> Self {
        Self {
            code_lifetime: Duration::from_secs(600),
            token_lifetime: Duration::from_secs(5_184_000),
            content_type: "text/html; charset=utf-8".to_owned(),
        }
    }
}

/// A user's grant of scopes to an app.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Grant {
    pub(crate) app_id: String,
    pub(crate) user_id: String,
    pub(crate) scopes: Vec<String>,
}

impl Grant {
    /// Returns whether the user granted the OpenAPI `api`.
    pub(crate) fn allows(&self, api: &str) -> bool {
        // Every grant includes the profile (`get_user_info`, and `get_simple_userinfo` with the
        // same members): it is the default scope and the one a login needs.
        matches!(api, "get_user_info" | "get_simple_userinfo")
            || self
                .scopes
                .iter()
                .any(|scope| scope == api || scope == "all")
    }
}

#[derive(Debug)]
struct CodeRecord {
    grant: Grant,
    redirect_uri: String,
    expires_at: Instant,
    used: bool,
}

#[derive(Debug)]
struct TokenRecord {
    grant: Grant,
    expires_at: Instant,
    revoked: bool,
}

#[derive(Debug)]
struct RefreshRecord {
    grant: Grant,
    used: bool,
}

/// Reason a code was not exchanged.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CodeProblem {
    Unknown,
    Expired,
    Reused,
    RedirectMismatch,
    OtherApp,
}

/// Reason an access token was not accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum AccessProblem {
    Unknown,
    Expired,
    Revoked,
}

/// Everything the QQ Connect endpoints issued.
#[derive(Debug, Default)]
pub(crate) struct OAuthStore {
    pub(crate) settings: OAuthSettings,
    codes: HashMap<String, CodeRecord>,
    tokens: HashMap<String, TokenRecord>,
    refresh_tokens: HashMap<String, RefreshRecord>,
    /// Number of codes issued, for the control API.
    pub(crate) codes_issued: u64,
}

impl OAuthStore {
    /// Records a fresh code.
    pub(crate) fn insert_code(
        &mut self,
        code: String,
        grant: Grant,
        redirect_uri: &str,
        now: Instant,
    ) {
        let lifetime = self.settings.code_lifetime;
        // Spent and expired codes are kept one more lifetime so reuse still reports 100020.
        self.codes
            .retain(|_, record| now.saturating_duration_since(record.expires_at) < lifetime);
        self.codes.insert(
            code,
            CodeRecord {
                grant,
                redirect_uri: redirect_uri.to_owned(),
                expires_at: now + lifetime,
                used: false,
            },
        );
        self.codes_issued += 1;
    }

    /// Spends a code: it must exist, belong to `app_id`, be unused and unexpired, and have been
    /// issued for exactly `redirect_uri`.
    pub(crate) fn take_code(
        &mut self,
        code: &str,
        app_id: &str,
        redirect_uri: &str,
        now: Instant,
    ) -> Result<Grant, CodeProblem> {
        let record = self.codes.get_mut(code).ok_or(CodeProblem::Unknown)?;
        if record.grant.app_id != app_id {
            return Err(CodeProblem::OtherApp);
        }
        if record.used {
            return Err(CodeProblem::Reused);
        }
        if record.expires_at <= now {
            return Err(CodeProblem::Expired);
        }
        if record.redirect_uri != redirect_uri {
            return Err(CodeProblem::RedirectMismatch);
        }
        record.used = true;

        Ok(record.grant.clone())
    }

    /// Records a fresh access token and refresh token for `grant`.
    pub(crate) fn insert_tokens(
        &mut self,
        access: String,
        refresh: String,
        grant: &Grant,
        now: Instant,
    ) {
        let lifetime = self.settings.token_lifetime;
        self.tokens
            .retain(|_, record| now.saturating_duration_since(record.expires_at) < lifetime);
        self.tokens.insert(
            access,
            TokenRecord {
                grant: grant.clone(),
                expires_at: now + lifetime,
                revoked: false,
            },
        );
        self.refresh_tokens.insert(
            refresh,
            RefreshRecord {
                grant: grant.clone(),
                used: false,
            },
        );
    }

    /// Spends a refresh token of `app_id`.
    pub(crate) fn take_refresh(&mut self, refresh: &str, app_id: &str) -> Option<Grant> {
        let record = self.refresh_tokens.get_mut(refresh)?;
        if record.used || record.grant.app_id != app_id {
            return None;
        }
        record.used = true;

        Some(record.grant.clone())
    }

    /// Returns the grant of a valid access token.
    pub(crate) fn check_token(&self, token: &str, now: Instant) -> Result<&Grant, AccessProblem> {
        let record = self.tokens.get(token).ok_or(AccessProblem::Unknown)?;
        if record.revoked {
            return Err(AccessProblem::Revoked);
        }
        if record.expires_at <= now {
            return Err(AccessProblem::Expired);
        }

        Ok(&record.grant)
    }

    /// Expires every unused code now; returns how many.
    pub(crate) fn expire_codes(&mut self, now: Instant) -> usize {
        let mut count = 0;
        for record in self
            .codes
            .values_mut()
            .filter(|record| !record.used && record.expires_at > now)
        {
            record.expires_at = now;
            count += 1;
        }

        count
    }

    /// Expires every valid access token (of one app, or of all) now; returns how many.
    pub(crate) fn expire_tokens(&mut self, app_id: Option<&str>, now: Instant) -> usize {
        let mut count = 0;
        for record in self.tokens.values_mut() {
            let matches = app_id.is_none_or(|app| app == record.grant.app_id);
            if matches && !record.revoked && record.expires_at > now {
                record.expires_at = now;
                count += 1;
            }
        }

        count
    }

    /// Revokes every access and refresh token a user granted to an app; returns how many access
    /// tokens were valid.
    pub(crate) fn revoke(&mut self, app_id: &str, user_id: &str, now: Instant) -> usize {
        let owned_by = |grant: &Grant| grant.app_id == app_id && grant.user_id == user_id;
        let mut count = 0;
        for record in self
            .tokens
            .values_mut()
            .filter(|record| owned_by(&record.grant))
        {
            if !record.revoked && record.expires_at > now {
                count += 1;
            }
            record.revoked = true;
        }
        for record in self
            .refresh_tokens
            .values_mut()
            .filter(|record| owned_by(&record.grant))
        {
            record.used = true;
        }

        count
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grant() -> Grant {
        Grant {
            app_id: "1".to_owned(),
            user_id: "u".to_owned(),
            scopes: vec!["get_user_info".to_owned()],
        }
    }

    #[tokio::test(start_paused = true)]
    async fn code_is_single_use_and_expires() {
        let mut store = OAuthStore::default();
        let now = Instant::now();
        store.insert_code("A".to_owned(), grant(), "http://x/cb", now);
        store.insert_code("B".to_owned(), grant(), "http://x/cb", now);

        assert_eq!(
            store.take_code("A", "2", "http://x/cb", now),
            Err(CodeProblem::OtherApp)
        );
        assert_eq!(
            store.take_code("A", "1", "http://x/cb/", now),
            Err(CodeProblem::RedirectMismatch)
        );
        assert_eq!(store.take_code("A", "1", "http://x/cb", now), Ok(grant()));
        assert_eq!(
            store.take_code("A", "1", "http://x/cb", now),
            Err(CodeProblem::Reused)
        );
        assert_eq!(
            store.take_code("Z", "1", "http://x/cb", now),
            Err(CodeProblem::Unknown)
        );

        tokio::time::advance(Duration::from_secs(600)).await;
        assert_eq!(
            store.take_code("B", "1", "http://x/cb", Instant::now()),
            Err(CodeProblem::Expired)
        );
    }

    #[tokio::test(start_paused = true)]
    async fn refresh_token_rotates() {
        let mut store = OAuthStore::default();
        let now = Instant::now();
        store.insert_tokens("T1".to_owned(), "R1".to_owned(), &grant(), now);

        assert_eq!(store.take_refresh("R1", "2"), None);
        assert_eq!(store.take_refresh("R1", "1"), Some(grant()));
        assert_eq!(store.take_refresh("R1", "1"), None);
        assert!(store.check_token("T1", now).is_ok());
    }

    #[tokio::test(start_paused = true)]
    async fn tokens_expire_and_revoke() {
        let mut store = OAuthStore::default();
        let now = Instant::now();
        store.insert_tokens("T1".to_owned(), "R1".to_owned(), &grant(), now);

        assert_eq!(store.revoke("1", "u", now), 1);
        assert_eq!(store.check_token("T1", now), Err(AccessProblem::Revoked));
        assert_eq!(store.take_refresh("R1", "1"), None);

        store.insert_tokens("T2".to_owned(), "R2".to_owned(), &grant(), now);
        assert_eq!(store.expire_tokens(Some("1"), now), 1);
        assert_eq!(store.check_token("T2", now), Err(AccessProblem::Expired));
        assert_eq!(store.check_token("T3", now), Err(AccessProblem::Unknown));
    }

    #[test]
    fn grant_allows_requested_scopes() {
        let mut grant = grant();
        assert!(grant.allows("get_user_info"));
        assert!(!grant.allows("get_vip_info"));
        grant.scopes = vec!["all".to_owned()];
        assert!(grant.allows("get_vip_info"));
    }
}
