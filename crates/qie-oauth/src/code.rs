//! The platform's error codes: OAuth codes (`error` of `/oauth2.0/*`) and OpenAPI `ret` codes.
//!
//! Both enums are `#[non_exhaustive]` and keep unknown values in an `Unknown` variant, so a code
//! the platform adds later still reaches the caller with its number.

use std::fmt;

macro_rules! code_enum {
    (
        $(#[$meta:meta])*
        $name:ident {
            $( $(#[$variant_meta:meta])* $variant:ident = $value:literal, $en:literal, $zh:literal; )*
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum $name {
            $( $(#[$variant_meta])* $variant, )*
            /// A code this crate does not know; the number is kept.
            Unknown(i64),
        }

        impl $name {
            /// Maps a number from the wire to a variant.
            pub fn from_code(code: i64) -> Self {
                match code {
                    $( $value => Self::$variant, )*
                    other => Self::Unknown(other),
                }
            }

            /// Returns the number sent on the wire.
            pub fn code(self) -> i64 {
                match self {
                    $( Self::$variant => $value, )*
                    Self::Unknown(code) => code,
                }
            }

            /// Returns the documented meaning in English, or `None` for an unknown code.
            pub fn meaning(self) -> Option<&'static str> {
                match self {
                    $( Self::$variant => Some($en), )*
                    Self::Unknown(_) => None,
                }
            }

            /// Returns the documented meaning in Chinese, or `None` for an unknown code.
            pub fn meaning_zh(self) -> Option<&'static str> {
                match self {
                    $( Self::$variant => Some($zh), )*
                    Self::Unknown(_) => None,
                }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
                match self.meaning() {
                    Some(meaning) => write!(formatter, "{} ({meaning})", self.code()),
                    None => write!(formatter, "{} (unknown code)", self.code()),
                }
            }
        }
    };
}

code_enum! {
    /// An OAuth error code of `graph.qq.com` (the `error` member of `/oauth2.0/token` and
    /// `/oauth2.0/me` responses, also shown on the platform's error page).
    ///
    /// The 100000–100031 range and 100048 are the platform's documented table. The others were
    /// seen on error pages and in client code, and are not independently confirmed.
    ConnectCode {
        /// `response_type` is missing or invalid.
        ResponseTypeInvalid = 100_000, "response_type is missing or invalid", "response_type 缺失或错误";
        /// `client_id` is missing.
        ClientIdMissing = 100_001, "client_id is missing", "缺少 client_id";
        /// `client_secret` is missing.
        ClientSecretMissing = 100_002, "client_secret is missing", "缺少 client_secret";
        /// The `Authorization` header is missing.
        AuthorizationHeaderMissing = 100_003, "the Authorization header is missing", "缺少 Authorization 头";
        /// `grant_type` is missing or invalid.
        GrantTypeInvalid = 100_004, "grant_type is missing or invalid", "grant_type 缺失或错误";
        /// `code` is missing.
        CodeMissing = 100_005, "code is missing", "缺少 code";
        /// `refresh_token` is missing.
        RefreshTokenMissing = 100_006, "refresh_token is missing", "缺少 refresh_token";
        /// `access_token` is missing.
        AccessTokenMissing = 100_007, "access_token is missing", "缺少 access_token";
        /// The appid does not exist.
        AppIdNotFound = 100_008, "the appid does not exist", "appid 不存在";
        /// The appkey (`client_secret`) is wrong.
        ClientSecretInvalid = 100_009, "client_secret (appkey) is invalid", "client_secret（appkey）错误";
        /// `redirect_uri` does not match a callback registered for the app, or differs from the
        /// one sent to `/oauth2.0/authorize`.
        RedirectUriIllegal = 100_010, "redirect_uri is invalid or does not match a registered callback", "回调地址不合法";
        /// The app is not online.
        AppNotOnline = 100_011, "the app is not online", "应用不是上线状态";
        /// The endpoint requires POST.
        MethodNotPost = 100_012, "the HTTP method is not POST", "HTTP 请求不是 POST";
        /// The access token is invalid (revoked by the user or reclaimed).
        AccessTokenInvalid = 100_013, "the access token is invalid", "access token 非法";
        /// The access token expired.
        AccessTokenExpired = 100_014, "the access token expired", "access token 过期";
        /// The access token was revoked or deleted by the user.
        AccessTokenRevoked = 100_015, "the access token was revoked", "access token 已废除";
        /// The access token failed verification (expired or invalid).
        AccessTokenCheckFailed = 100_016, "the access token failed verification", "access token 验证失败";
        /// The platform failed to get the appid.
        GetAppIdFailed = 100_017, "failed to get the appid", "获取 appid 失败";
        /// The platform failed to get the code.
        GetCodeFailed = 100_018, "failed to get the code", "获取 code 失败";
        /// Exchanging the code failed; the platform also returns it for a wrong or expired code.
        CodeExchangeFailed = 100_019, "exchanging the code for an access token failed (wrong or expired code)", "用 code 换取 access token 失败";
        /// The code was already used: start the login again, do not retry the token call.
        CodeReused = 100_020, "the code was already used", "code 被重复使用";
        /// Getting an access token failed; a refresh token that was already used gives this code.
        GetAccessTokenFailed = 100_021, "failed to get an access token (refresh tokens are single use)", "获取 access token 失败";
        /// Getting a refresh token failed.
        GetRefreshTokenFailed = 100_022, "failed to get a refresh token", "获取 refresh token 失败";
        /// Getting the app's permission list failed.
        GetAppPermissionsFailed = 100_023, "failed to get the app's permission list", "获取 app 具有的权限列表失败";
        /// Getting the permission list of an openid for the app failed.
        GetUserPermissionsFailed = 100_024, "failed to get the user's permission list for the app", "获取某 openid 对某 appid 的权限列表失败";
        /// Getting the full API list failed.
        GetApiListFailed = 100_025, "failed to get the full API list", "获取全量 api 信息、全量分组信息失败";
        /// Setting the user's authorised API list failed.
        SetUserApiListFailed = 100_026, "failed to set the user's authorized API list", "设置用户对某 app 授权 api 列表失败";
        /// Setting the user's authorisation time failed.
        SetAuthorizationTimeFailed = 100_027, "failed to set the user's authorization time", "设置用户对某 app 授权时间失败";
        /// The `which` parameter is missing.
        WhichMissing = 100_028, "the which parameter is missing", "缺少参数 which";
        /// The HTTP request is malformed.
        BadHttpRequest = 100_029, "bad HTTP request", "错误的 http 请求";
        /// The user has not authorised this API: ask for it again at `/oauth2.0/authorize`.
        ApiNotAuthorizedByUser = 100_030, "the user has not authorized this API", "用户没有对该 api 进行授权";
        /// The app has no permission for this API: apply for it in the console.
        AppHasNoApiPermission = 100_031, "the app has no permission for this API", "第三方应用没有对该 api 操作的权限";
        /// The developer account has no UnionID permission (`unionid=1` was requested).
        UnionIdNotEnabled = 100_048, "the developer account has no UnionID permission (companyid not set)", "开发者没有 UnionID 权限";
        /// The user is not logged in (seen in the wild).
        NotLoggedIn = 100_035, "the user is not logged in", "用户未登录";
        /// The code expired (seen in the wild).
        CodeExpired = 100_067, "the code expired", "code 已过期";
        /// The code is invalid (seen in the wild).
        CodeInvalid = 100_068, "the code is invalid", "code 无效";
        /// Login requests are rate limited; retry later (seen in the wild).
        RateLimited = 110_405, "login requests are rate limited; retry later", "登录请求被限频，请稍后重试";
        /// The app is not approved: only its creator can log in (seen in the wild).
        AppNotApproved = 110_406, "the app is not approved; only its creator may log in", "应用未审核通过";
    }
}

impl ConnectCode {
    /// Returns whether the user's grant is gone, so the right reaction is to log in again.
    pub fn requires_login(self) -> bool {
        matches!(
            self,
            Self::AccessTokenInvalid
                | Self::AccessTokenExpired
                | Self::AccessTokenRevoked
                | Self::AccessTokenCheckFailed
                | Self::ApiNotAuthorizedByUser
                | Self::CodeReused
                | Self::CodeExchangeFailed
                | Self::CodeExpired
                | Self::CodeInvalid
                | Self::GetAccessTokenFailed
        )
    }
}

code_enum! {
    /// An OpenAPI `ret` code (`/user/get_user_info` and the other OpenAPI calls).
    ApiRet {
        /// Request parameter error.
        ParameterError = 1, "request parameter error", "请求参数错误";
        /// The user has not opened the platform (for example Qzone).
        PlatformNotOpened = 2, "the user has not opened the platform", "用户未开通该平台";
        /// Illegal operation or bad private parameters.
        IllegalOperation = 1000, "illegal operation", "非法操作";
        /// The server is busy.
        ServerBusy = 1001, "server busy", "服务器繁忙";
        /// No login state: the token or openid is invalid.
        NoLoginState = 1002, "no login state (invalid access token or openid)", "请先登录";
        /// The account is frozen.
        AccountFrozen = 1003, "the account is frozen", "账户被冻结";
        /// Insufficient balance.
        InsufficientBalance = 1004, "insufficient balance", "账户余额不足";
        /// The user has no Qzone.
        NoQzone = 1006, "the user has no Qzone", "用户没有开通 QQ 空间";
        /// Invalid request parameters; the message names the field.
        InvalidParameters = -1, "invalid request parameters", "请求参数无效";
        /// The appid does not exist.
        AppIdNotFound = -2, "the appid does not exist", "appid 不存在";
        /// No permission for this API.
        NoApiPermission = -3, "no permission for this API", "没有该 API 的访问权限";
        /// The caller's IP is not allowed.
        IpNotAllowed = -4, "the IP address is not allowed", "IP 没有权限";
        /// Signature check failed.
        SignatureInvalid = -5, "signature check failed", "签名校验失败";
        /// Rate limit exceeded.
        RateLimited = -6, "rate limit exceeded", "访问频率超限";
        /// The protocol is not allowed (http where https is required).
        ProtocolNotAllowed = -7, "protocol not allowed", "协议不合法";
        /// The request is restricted.
        RequestRestricted = -8, "the request is restricted", "请求受限";
        /// The API does not exist.
        ApiNotFound = -9, "the API does not exist", "API 不存在";
        /// The user has not authorised this API.
        ApiNotAuthorizedByUser = -20, "the user has not authorized this API", "用户没有对该 API 授权";
        /// The access token was revoked.
        AccessTokenRevoked = -21, "the access token was revoked", "access token 已废除";
        /// The openid is invalid.
        OpenIdInvalid = -22, "the openid is invalid", "openid 非法";
    }
}

impl ApiRet {
    /// Returns whether the user's grant is gone, so the right reaction is to log in again.
    pub fn requires_login(self) -> bool {
        matches!(
            self,
            Self::NoLoginState | Self::ApiNotAuthorizedByUser | Self::AccessTokenRevoked
        )
    }
}

#[cfg(test)]
mod tests {
    use super::{ApiRet, ConnectCode};

    #[test]
    fn connect_codes_round_trip() {
        for code in [
            100_000, 100_009, 100_010, 100_019, 100_020, 100_021, 100_048, 110_405,
        ] {
            let parsed = ConnectCode::from_code(code);
            assert_eq!(parsed.code(), code);
            assert!(parsed.meaning().is_some(), "{code} has a meaning");
            assert!(
                parsed.meaning_zh().is_some(),
                "{code} has a Chinese meaning"
            );
        }
        assert_eq!(ConnectCode::from_code(100_020), ConnectCode::CodeReused);
        assert_eq!(ConnectCode::from_code(123), ConnectCode::Unknown(123));
        assert_eq!(ConnectCode::Unknown(123).meaning(), None);
    }

    #[test]
    fn display_names_code_and_meaning() {
        assert_eq!(
            ConnectCode::CodeReused.to_string(),
            "100020 (the code was already used)"
        );
        assert_eq!(ApiRet::from_code(7).to_string(), "7 (unknown code)");
    }

    #[test]
    fn api_ret_round_trip() {
        assert_eq!(ApiRet::from_code(1002), ApiRet::NoLoginState);
        assert_eq!(ApiRet::from_code(-1), ApiRet::InvalidParameters);
        assert_eq!(ApiRet::OpenIdInvalid.code(), -22);
        assert!(ApiRet::NoLoginState.requires_login());
        assert!(!ApiRet::ServerBusy.requires_login());
    }
}
