//! The tolerant parser over every response shape `graph.qq.com` sends, successes and errors.

use std::time::Duration;

use qie_oauth::response::{BodyFormat, parse, parse_body};
use qie_oauth::{
    AccessToken, ApiRet, ConnectCode, ErrorKind, Gender, Me, OpenId, RefreshToken, TokenSet,
    UnionId, UserInfo,
};

const ACCESS: &str = "FE04B6A1C9D2E3F4A5B6C7D8E9F0A1B2";
const REFRESH: &str = "88E4A1B2C3D4E5F6A7B8C9D0E1F2A3B4";
const OPENID: &str = "3A4B5C6D7E8F90A1B2C3D4E5F6A7B8C9";
const UNIONID: &str = "UID_0123456789ABCDEF0123456789ABCDEF";

struct TokenCase {
    name: &'static str,
    body: String,
    format: BodyFormat,
    expires_in: u64,
    openid: Option<&'static str>,
}

#[test]
fn token_success_in_every_shape() {
    let cases = [
        TokenCase {
            name: "form-encoded default",
            body: format!("access_token={ACCESS}&expires_in=7776000&refresh_token={REFRESH}"),
            format: BodyFormat::Form,
            expires_in: 7_776_000,
            openid: None,
        },
        TokenCase {
            name: "form-encoded with trailing newline",
            body: format!("access_token={ACCESS}&expires_in=7776000&refresh_token={REFRESH}\n"),
            format: BodyFormat::Form,
            expires_in: 7_776_000,
            openid: None,
        },
        TokenCase {
            name: "JSON with string expires_in",
            body: format!(
                r#"{{"access_token":"{ACCESS}","expires_in":"5184000","refresh_token":"{REFRESH}"}}"#
            ),
            format: BodyFormat::Json,
            expires_in: 5_184_000,
            openid: None,
        },
        TokenCase {
            name: "JSON with number expires_in",
            body: format!(
                r#"{{"access_token":"{ACCESS}","expires_in":7776000,"refresh_token":"{REFRESH}"}}"#
            ),
            format: BodyFormat::Json,
            expires_in: 7_776_000,
            openid: None,
        },
        TokenCase {
            name: "JSON with need_openid",
            body: format!(
                r#"{{"access_token":"{ACCESS}","expires_in":"5184000","refresh_token":"{REFRESH}","openid":"{OPENID}"}}"#
            ),
            format: BodyFormat::Json,
            expires_in: 5_184_000,
            openid: Some(OPENID),
        },
        TokenCase {
            name: "form-encoded with need_openid",
            body: format!(
                "access_token={ACCESS}&expires_in=7776000&refresh_token={REFRESH}&openid={OPENID}"
            ),
            format: BodyFormat::Form,
            expires_in: 7_776_000,
            openid: Some(OPENID),
        },
        TokenCase {
            name: "JSONP success",
            body: format!(
                "callback( {{\"access_token\":\"{ACCESS}\",\"expires_in\":\"7776000\",\"refresh_token\":\"{REFRESH}\"}} );\n"
            ),
            format: BodyFormat::Jsonp,
            expires_in: 7_776_000,
            openid: None,
        },
        TokenCase {
            name: "JSON with byte order mark and spaces",
            body: format!(
                "\u{feff}  {{ \"access_token\" : \"{ACCESS}\", \"expires_in\" : \"600\", \"refresh_token\" : \"{REFRESH}\" }}  "
            ),
            format: BodyFormat::Json,
            expires_in: 600,
            openid: None,
        },
    ];

    for case in cases {
        let body = parse_body("/oauth2.0/token", &case.body)
            .unwrap_or_else(|error| panic!("{}: {error}", case.name));
        assert_eq!(body.format, case.format, "{}", case.name);

        let tokens: TokenSet = parse("/oauth2.0/token", &case.body)
            .unwrap_or_else(|error| panic!("{}: {error}", case.name));
        assert_eq!(
            tokens.access_token,
            AccessToken::new(ACCESS),
            "{}",
            case.name
        );
        assert_eq!(
            tokens.refresh_token,
            RefreshToken::new(REFRESH),
            "{}",
            case.name
        );
        assert_eq!(
            tokens.expires_in,
            Duration::from_secs(case.expires_in),
            "{}",
            case.name
        );
        assert_eq!(
            tokens.openid,
            case.openid.map(OpenId::from),
            "{}",
            case.name
        );
    }
}

struct ErrorCase {
    name: &'static str,
    endpoint: &'static str,
    body: &'static str,
    code: ConnectCode,
    description: &'static str,
}

#[test]
fn oauth_errors_in_every_shape() {
    let cases = [
        ErrorCase {
            name: "JSONP default with spaces and newline",
            endpoint: "/oauth2.0/token",
            body: "callback( {\"error\":100019,\"error_description\":\"code to access token error\"} );\n",
            code: ConnectCode::CodeExchangeFailed,
            description: "code to access token error",
        },
        ErrorCase {
            name: "JSONP without spaces",
            endpoint: "/oauth2.0/token",
            body: "callback({\"error\":100020,\"error_description\":\"code is reused error\"});",
            code: ConnectCode::CodeReused,
            description: "code is reused error",
        },
        ErrorCase {
            name: "JSONP without semicolon",
            endpoint: "/oauth2.0/token",
            body: "callback( {\"error\":100021,\"error_description\":\"get access token error\"} )",
            code: ConnectCode::GetAccessTokenFailed,
            description: "get access token error",
        },
        ErrorCase {
            name: "JSON with fmt=json",
            endpoint: "/oauth2.0/token",
            body: "{\"error\":100010,\"error_description\":\"redirect uri is illegal\"}",
            code: ConnectCode::RedirectUriIllegal,
            description: "redirect uri is illegal",
        },
        ErrorCase {
            name: "JSON wrong secret",
            endpoint: "/oauth2.0/token",
            body: "{\"error\":100009,\"error_description\":\"client_secret is wrong\"}",
            code: ConnectCode::ClientSecretInvalid,
            description: "client_secret is wrong",
        },
        ErrorCase {
            name: "JSON error as string",
            endpoint: "/oauth2.0/token",
            body: "{\"error\":\"100019\",\"error_description\":\"code to access token error\"}",
            code: ConnectCode::CodeExchangeFailed,
            description: "code to access token error",
        },
        ErrorCase {
            name: "form-encoded error",
            endpoint: "/oauth2.0/token",
            body: "error=100019&error_description=code%20to%20access%20token%20error",
            code: ConnectCode::CodeExchangeFailed,
            description: "code to access token error",
        },
        ErrorCase {
            name: "me JSONP invalid token",
            endpoint: "/oauth2.0/me",
            body: "callback( {\"error\":100016,\"error_description\":\"access token check failed\"} );\n",
            code: ConnectCode::AccessTokenCheckFailed,
            description: "access token check failed",
        },
        ErrorCase {
            name: "me JSON without UnionID permission",
            endpoint: "/oauth2.0/me",
            body: "{\"error\":100048,\"error_description\":\"companyid not set\"}",
            code: ConnectCode::UnionIdNotEnabled,
            description: "companyid not set",
        },
        ErrorCase {
            name: "me JSONP CompanyID spelling",
            endpoint: "/oauth2.0/me",
            body: "callback( {\"error\":100048,\"error_description\":\"CompanyID not set\"} );",
            code: ConnectCode::UnionIdNotEnabled,
            description: "CompanyID not set",
        },
        ErrorCase {
            name: "unknown code is kept",
            endpoint: "/oauth2.0/token",
            body: "{\"error\":100099,\"error_description\":\"something new\"}",
            code: ConnectCode::Unknown(100_099),
            description: "something new",
        },
        ErrorCase {
            name: "error without description",
            endpoint: "/oauth2.0/token",
            body: "callback( {\"error\":100005} );",
            code: ConnectCode::CodeMissing,
            description: "",
        },
    ];

    for case in cases {
        let error = parse::<TokenSet>(case.endpoint, case.body).expect_err(case.name);
        assert_eq!(error.connect_code(), Some(case.code), "{}", case.name);
        match error.kind() {
            ErrorKind::Platform {
                endpoint,
                code,
                description,
            } => {
                assert_eq!(endpoint, case.endpoint, "{}", case.name);
                assert_eq!(*code, case.code, "{}", case.name);
                assert_eq!(description, case.description, "{}", case.name);
            }
            other => panic!("{}: unexpected kind {other:?}", case.name),
        }
    }
}

#[test]
fn me_success_in_every_shape() {
    let cases: [(&str, String, BodyFormat, Option<&str>); 5] = [
        (
            "JSONP default",
            format!("callback( {{\"client_id\":\"101000001\",\"openid\":\"{OPENID}\"}} );\n"),
            BodyFormat::Jsonp,
            None,
        ),
        (
            "JSON with unionid",
            format!(r#"{{"client_id":"101000001","openid":"{OPENID}","unionid":"{UNIONID}"}}"#),
            BodyFormat::Json,
            Some(UNIONID),
        ),
        (
            "JSONP with unionid",
            format!(
                "callback( {{\"client_id\":\"101000001\",\"openid\":\"{OPENID}\",\"unionid\":\"{UNIONID}\"}} );"
            ),
            BodyFormat::Jsonp,
            Some(UNIONID),
        ),
        (
            "JSON with numeric client_id and empty unionid",
            format!(r#"{{"client_id":101000001,"openid":"{OPENID}","unionid":""}}"#),
            BodyFormat::Json,
            None,
        ),
        (
            "legacy form-encoded",
            format!("client_id=101000001&openid={OPENID}"),
            BodyFormat::Form,
            None,
        ),
    ];

    for (name, body, format, unionid) in cases {
        assert_eq!(
            parse_body("/oauth2.0/me", &body).unwrap().format,
            format,
            "{name}"
        );
        let me: Me = parse("/oauth2.0/me", &body).unwrap_or_else(|error| panic!("{name}: {error}"));
        assert_eq!(me.client_id, "101000001", "{name}");
        assert_eq!(me.openid, OpenId::from(OPENID), "{name}");
        assert_eq!(me.unionid, unionid.map(UnionId::from), "{name}");
    }
}

#[test]
fn user_info_with_mixed_types() {
    let body = r#"{
        "ret": 0, "msg": "", "is_lost": 0,
        "nickname": "小企鹅", "gender": "女", "gender_type": 1,
        "province": "广东", "city": "深圳", "year": "1995", "constellation": "",
        "figureurl": "http://qzapp.qlogo.cn/qzapp/101000001/OPENID/30",
        "figureurl_1": "http://qzapp.qlogo.cn/qzapp/101000001/OPENID/50",
        "figureurl_2": "http://qzapp.qlogo.cn/qzapp/101000001/OPENID/100",
        "figureurl_qq_1": "http://thirdqq.qlogo.cn/g?b=oidb&k=x&s=40",
        "figureurl_qq_2": "",
        "figureurl_qq": "http://thirdqq.qlogo.cn/g?b=oidb&k=x&s=640",
        "is_yellow_vip": "1", "vip": "1", "yellow_vip_level": "7", "level": "7", "is_yellow_year_vip": "0"
    }"#;

    let info: UserInfo = parse("/user/get_user_info", body).unwrap();

    assert_eq!(info.nickname, "小企鹅");
    assert_eq!(info.gender, Gender::Female);
    assert_eq!(info.gender_type, 1);
    assert_eq!(info.province, "广东");
    assert_eq!(info.city, "深圳");
    assert_eq!(info.year, "1995");
    assert!(!info.is_lost);
    assert!(info.is_yellow_vip);
    assert!(info.vip);
    assert!(!info.is_yellow_year_vip);
    assert_eq!(info.yellow_vip_level, 7);
    assert_eq!(info.level, 7);
    assert_eq!(
        info.avatar_url(),
        Some("http://thirdqq.qlogo.cn/g?b=oidb&k=x&s=40")
    );
    assert_eq!(
        info.extra
            .get("figureurl_qq")
            .and_then(|value| value.as_str()),
        Some("http://thirdqq.qlogo.cn/g?b=oidb&k=x&s=640")
    );
    assert!(
        !info.extra.contains_key("ret"),
        "ret is consumed by the parser"
    );
    assert!(
        !info.extra.contains_key("msg"),
        "msg is consumed by the parser"
    );
}

#[test]
fn user_info_numbers_as_numbers_and_missing_members() {
    let body = r#"{"ret":"0","nickname":"n","is_lost":1,"yellow_vip_level":3,"is_yellow_vip":1,"gender":"男"}"#;

    let info: UserInfo = parse("/user/get_user_info", body).unwrap();

    assert!(info.is_lost);
    assert_eq!(info.yellow_vip_level, 3);
    assert!(info.is_yellow_vip);
    assert_eq!(info.gender, Gender::Male);
    assert_eq!(info.figureurl_qq_1, "");
    assert_eq!(info.avatar_url(), None);
}

#[test]
fn openapi_errors() {
    let cases = [
        (
            r#"{"ret":-1,"msg":"client request's parameters are invalid, invalid openid"}"#,
            ApiRet::InvalidParameters,
            "client request's parameters are invalid, invalid openid",
        ),
        (
            r#"{"ret":1002,"msg":"请先登录"}"#,
            ApiRet::NoLoginState,
            "请先登录",
        ),
        (
            r#"{"ret":"-20","msg":"not authorized"}"#,
            ApiRet::ApiNotAuthorizedByUser,
            "not authorized",
        ),
        (r#"{"ret":-99,"msg":"new"}"#, ApiRet::Unknown(-99), "new"),
    ];

    for (body, expected_ret, expected_msg) in cases {
        let error = parse::<UserInfo>("/user/get_user_info", body).expect_err(body);
        assert_eq!(error.api_ret(), Some(expected_ret), "{body}");
        match error.kind() {
            ErrorKind::Api { api, ret, msg } => {
                assert_eq!(api, "/user/get_user_info");
                assert_eq!(*ret, expected_ret);
                assert_eq!(msg, expected_msg);
            }
            other => panic!("{body}: unexpected kind {other:?}"),
        }
    }
    assert!(
        parse::<UserInfo>("/user/get_user_info", r#"{"ret":1002,"msg":"请先登录"}"#)
            .unwrap_err()
            .requires_login()
    );
}

#[test]
fn unrecognised_bodies_are_invalid_responses() {
    let cases = [
        ("empty", "", "empty"),
        ("whitespace", "  \n", "empty"),
        (
            "HTML page",
            "<html><body>redirect uri is illegal(100010)</body></html>",
            "HTML",
        ),
        ("JSON array", "[1,2]", "neither"),
        ("broken JSON", "{\"access_token\":", "not valid JSON"),
        (
            "unterminated JSONP",
            "callback( {\"error\":100019}",
            "neither",
        ),
        (
            "JSONP with trailing text",
            "callback( {} ); alert(1)",
            "not valid JSON",
        ),
        ("JSONP of an array", "callback( [1] );", "not an object"),
        ("plain text", "hello world", "neither"),
        (
            "error not a number",
            "{\"error\":\"invalid_request\"}",
            "not an integer",
        ),
    ];

    for (name, body, needle) in cases {
        let error = parse::<TokenSet>("/oauth2.0/token", body).expect_err(name);
        match error.kind() {
            ErrorKind::InvalidResponse { endpoint, reason } => {
                assert_eq!(endpoint, "/oauth2.0/token", "{name}");
                assert!(reason.contains(needle), "{name}: {reason}");
            }
            other => panic!("{name}: unexpected kind {other:?}"),
        }
    }
}

#[test]
fn missing_members_name_the_member() {
    let error = parse::<TokenSet>(
        "/oauth2.0/token",
        r#"{"access_token":"A","expires_in":"1"}"#,
    )
    .unwrap_err();
    assert!(error.to_string().contains("refresh_token"), "{error}");

    let negative = parse::<TokenSet>(
        "/oauth2.0/token",
        r#"{"access_token":"A","expires_in":-5,"refresh_token":"R"}"#,
    )
    .unwrap_err();
    assert!(negative.to_string().contains("-5"), "{negative}");

    let word = parse::<TokenSet>(
        "/oauth2.0/token",
        "access_token=A&expires_in=soon&refresh_token=R",
    )
    .unwrap_err();
    assert!(
        word.to_string().contains("expires_in") || word.to_string().contains("digits"),
        "{word}"
    );
}

#[test]
fn errors_never_echo_the_body() {
    let secret_body = format!("<html>{ACCESS}</html>");
    let error = parse::<TokenSet>("/oauth2.0/token", &secret_body).unwrap_err();

    assert!(!error.to_string().contains(ACCESS));
    assert!(!format!("{error:?}").contains(ACCESS));
}
