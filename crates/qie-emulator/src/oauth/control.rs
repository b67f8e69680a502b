//! Control of the QQ Connect endpoints from tests: fault switches and settings.

use tokio::time::Instant;

use super::store::OAuthSettings;
use super::{connect_openid, connect_unionid};
use crate::control::Control;
use crate::{Error, ErrorKind};

/// Control of the QQ Connect endpoints; get it with [`Control::oauth`].
#[derive(Debug, Clone, Copy)]
pub struct OAuthControl<'a> {
    control: &'a Control,
}

impl Control {
    /// Returns the control of the QQ Connect endpoints.
    pub fn oauth(&self) -> OAuthControl<'_> {
        OAuthControl { control: self }
    }
}

impl OAuthControl<'_> {
    /// Returns the current settings.
    pub fn settings(&self) -> OAuthSettings {
        self.control.app.lock().oauth.settings.clone()
    }

    /// Replaces the settings; lifetimes apply to codes and tokens issued afterwards.
    pub fn set_settings(&self, settings: OAuthSettings) {
        self.control.app.lock().oauth.settings = settings;
    }

    /// Expires every unused code now, so their exchange fails with 100019; returns how many.
    pub fn expire_codes(&self) -> usize {
        self.control.app.lock().oauth.expire_codes(Instant::now())
    }

    /// Expires every access token of `app_id` (or of every app) now; returns how many.
    pub fn expire_tokens(&self, app_id: Option<&str>) -> usize {
        self.control
            .app
            .lock()
            .oauth
            .expire_tokens(app_id, Instant::now())
    }

    /// Revokes what a user granted to an app: its access tokens stop working (`ret` -21) and
    /// its refresh tokens fail with 100021. Returns how many access tokens were valid.
    pub fn revoke(&self, app_id: &str, user_id: &str) -> usize {
        self.control
            .app
            .lock()
            .oauth
            .revoke(app_id, user_id, Instant::now())
    }

    /// Takes an app offline (100011) or back online.
    pub fn set_online(&self, app_id: &str, online: bool) -> Result<(), Error> {
        let mut inner = self.control.app.lock();
        let app = inner
            .world
            .connect
            .apps
            .iter_mut()
            .find(|app| app.app_id == app_id)
            .ok_or_else(|| {
                Error::new(
                    ErrorKind::NotFound,
                    format!("no QQ Connect app {app_id} in the world"),
                )
            })?;
        app.online = online;

        Ok(())
    }

    /// Turns UnionID on or off for an app's developer account (every app of that developer).
    pub fn set_unionid(&self, app_id: &str, enabled: bool) -> Result<(), Error> {
        let mut inner = self.control.app.lock();
        let developer = inner
            .world
            .connect
            .app(app_id)
            .map(|app| app.developer_account().to_owned())
            .ok_or_else(|| {
                Error::new(
                    ErrorKind::NotFound,
                    format!("no QQ Connect app {app_id} in the world"),
                )
            })?;
        for app in &mut inner.world.connect.apps {
            if app.developer_account() == developer {
                app.unionid = enabled;
            }
        }

        Ok(())
    }

    /// Registers one more callback URL for an app.
    pub fn add_redirect_uri(&self, app_id: &str, redirect_uri: &str) -> Result<(), Error> {
        let mut inner = self.control.app.lock();
        let app = inner
            .world
            .connect
            .apps
            .iter_mut()
            .find(|app| app.app_id == app_id)
            .ok_or_else(|| {
                Error::new(
                    ErrorKind::NotFound,
                    format!("no QQ Connect app {app_id} in the world"),
                )
            })?;
        if !app.redirect_uris.iter().any(|uri| uri == redirect_uri) {
            app.redirect_uris.push(redirect_uri.to_owned());
        }

        Ok(())
    }

    /// Returns the openid a user has for an app.
    pub fn openid(&self, app_id: &str, user_id: &str) -> String {
        connect_openid(self.control.app.lock().world.seed, app_id, user_id)
    }

    /// Returns the unionid a user has for an app's developer account, or `None` for an unknown
    /// app.
    pub fn unionid(&self, app_id: &str, user_id: &str) -> Option<String> {
        let inner = self.control.app.lock();
        let app = inner.world.connect.app(app_id)?;

        Some(connect_unionid(
            inner.world.seed,
            app.developer_account(),
            user_id,
        ))
    }

    /// Returns how many codes were issued since the start.
    pub fn codes_issued(&self) -> u64 {
        self.control.app.lock().oauth.codes_issued
    }
}
