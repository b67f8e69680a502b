//! The login flow against the emulator: success, every documented misuse, refresh rotation and
//! the three response shapes.

mod common;

use common::{
    ALICE, browser, client, client_for, code_for, consent, emulator, location, query_param,
};
use qie_emulator::oauth::world::{EXAMPLE_CONNECT_APP_ID, EXAMPLE_CONNECT_REDIRECT_URI};
use qie_oauth::{AccessToken, ApiRet, ConnectCode, ErrorKind, Gender, OpenId, ResponseFormat};

#[tokio::test]
async fn login_returns_typed_user() {
    let emulator = emulator().await;
    let client = client(&emulator);

    let code = code_for(&client, ALICE).await;
    assert_eq!(code.len(), 32);
    assert!(
        code.chars()
            .all(|c| c.is_ascii_hexdigit() && !c.is_ascii_lowercase())
    );

    let user = client
        .login(&code)
        .unionid(true)
        .await
        .expect("login succeeds");

    let oauth = emulator.oauth();
    assert_eq!(
        user.openid.as_str(),
        oauth.openid(EXAMPLE_CONNECT_APP_ID, ALICE)
    );
    assert_eq!(
        user.unionid.as_ref().map(|id| id.as_str().to_owned()),
        oauth.unionid(EXAMPLE_CONNECT_APP_ID, ALICE)
    );
    assert_eq!(user.nickname(), "小企鹅Alice");
    assert_eq!(user.profile.gender, Gender::Female);
    assert_eq!(user.profile.city, "深圳");
    assert!(user.profile.is_yellow_vip);
    assert_eq!(user.profile.yellow_vip_level, 7);
    let avatar = user.avatar_url().expect("avatar");
    assert!(avatar.starts_with(&emulator.base_url()), "{avatar}");
    assert_eq!(user.tokens.expires_in.as_secs(), 5_184_000);
    assert_eq!(user.tokens.openid.as_ref(), Some(&user.openid));

    let image = browser().get(avatar).send().await.unwrap();
    assert_eq!(image.headers()["content-type"], "image/svg+xml");
    assert!(image.text().await.unwrap().contains(">小</text>"));
}

#[tokio::test]
async fn reused_code_gives_100020() {
    let emulator = emulator().await;
    let client = client(&emulator);
    let code = code_for(&client, ALICE).await;

    client
        .exchange_code(&code)
        .await
        .expect("first exchange succeeds");
    let error = client
        .exchange_code(&code)
        .await
        .expect_err("second exchange fails");

    assert_eq!(error.connect_code(), Some(ConnectCode::CodeReused));
    assert!(error.requires_login());
    match error.kind() {
        ErrorKind::Platform { description, .. } => assert_eq!(description, "code is reused error"),
        other => panic!("unexpected {other:?}"),
    }
}

#[tokio::test]
async fn expired_code_gives_100019() {
    let emulator = emulator().await;
    let client = client(&emulator);
    let code = code_for(&client, ALICE).await;

    assert_eq!(emulator.oauth().expire_codes(), 1);
    let error = client
        .exchange_code(&code)
        .await
        .expect_err("expired code fails");

    assert_eq!(error.connect_code(), Some(ConnectCode::CodeExchangeFailed));
    match error.kind() {
        ErrorKind::Platform { description, .. } => {
            assert_eq!(description, "code to access token error");
        }
        other => panic!("unexpected {other:?}"),
    }
}

#[tokio::test]
async fn unknown_code_gives_100019() {
    let emulator = emulator().await;
    let error = client(&emulator)
        .exchange_code("0123456789ABCDEF0123456789ABCDEF")
        .await
        .expect_err("unknown code fails");

    assert_eq!(error.connect_code(), Some(ConnectCode::CodeExchangeFailed));
}

#[tokio::test]
async fn token_redirect_mismatch_gives_100010() {
    let emulator = emulator().await;
    let registered = client(&emulator);
    let code = code_for(&registered, ALICE).await;

    // Same app, but the token request names another (also registered) callback.
    let other = client_for(
        &emulator,
        EXAMPLE_CONNECT_APP_ID,
        "ExampleConnectAppKey01",
        "http://localhost:8080/login/qq/callback",
    );
    let error = other
        .exchange_code(&code)
        .await
        .expect_err("redirect mismatch fails");

    assert_eq!(error.connect_code(), Some(ConnectCode::RedirectUriIllegal));
    match error.kind() {
        ErrorKind::Platform { description, .. } => {
            assert_eq!(description, "redirect uri is illegal");
        }
        other => panic!("unexpected {other:?}"),
    }

    // The failed attempt did not spend the code.
    registered
        .exchange_code(&code)
        .await
        .expect("exchange with the right redirect_uri succeeds");
}

#[tokio::test]
async fn unregistered_redirect_shows_error_page() {
    let emulator = emulator().await;
    let client = client_for(
        &emulator,
        EXAMPLE_CONNECT_APP_ID,
        "ExampleConnectAppKey01",
        "http://127.0.0.1:8080/login/qq/callback/",
    );
    let http = browser();

    let response = http
        .get(client.authorize_url("s").to_url())
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 302);
    let target = location(&response);
    assert!(target.starts_with("/oauth2.0/show?which=error"), "{target}");
    assert!(target.contains("error=100010"), "{target}");
    assert!(
        !target.contains("callback"),
        "never redirects to the unverified URI: {target}"
    );

    let page = http
        .get(format!("{}{target}", emulator.base_url()))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("redirect uri is illegal(100010)"), "{page}");
}

#[tokio::test]
async fn wrong_secret_gives_100009() {
    let emulator = emulator().await;
    let code = code_for(&client(&emulator), ALICE).await;
    let wrong = client_for(
        &emulator,
        EXAMPLE_CONNECT_APP_ID,
        "not-the-appkey",
        EXAMPLE_CONNECT_REDIRECT_URI,
    );

    let error = wrong
        .exchange_code(&code)
        .await
        .expect_err("wrong secret fails");

    assert_eq!(error.connect_code(), Some(ConnectCode::ClientSecretInvalid));
    match error.kind() {
        ErrorKind::Platform { description, .. } => {
            assert!(description.contains("client_secret is wrong"));
        }
        other => panic!("unexpected {other:?}"),
    }
}

#[tokio::test]
async fn unknown_app_gives_100008() {
    let emulator = emulator().await;
    let stranger = client_for(&emulator, "109999999", "k", EXAMPLE_CONNECT_REDIRECT_URI);

    let error = stranger
        .exchange_code("ABC")
        .await
        .expect_err("unknown app fails");

    assert_eq!(error.connect_code(), Some(ConnectCode::AppIdNotFound));
}

#[tokio::test]
async fn unionid_without_permission_gives_100048() {
    let emulator = emulator().await;
    let client = client_for(
        &emulator,
        "101000003",
        "ExampleConnectAppKey03",
        EXAMPLE_CONNECT_REDIRECT_URI,
    );
    let code = code_for(&client, ALICE).await;
    let tokens = client.exchange_code(&code).await.unwrap();

    let error = client
        .me(&tokens.access_token)
        .unionid(true)
        .await
        .expect_err("unionid is refused");
    assert_eq!(error.connect_code(), Some(ConnectCode::UnionIdNotEnabled));
    match error.kind() {
        ErrorKind::Platform { description, .. } => assert_eq!(description, "companyid not set"),
        other => panic!("unexpected {other:?}"),
    }

    let me = client
        .me(&tokens.access_token)
        .await
        .expect("openid alone works");
    assert_eq!(me.unionid, None);

    emulator.oauth().set_unionid("101000003", true).unwrap();
    let me = client
        .me(&tokens.access_token)
        .unionid(true)
        .await
        .expect("unionid after enabling");
    assert!(me.unionid.is_some());
}

#[tokio::test]
async fn unionid_shared_across_developer_apps() {
    let emulator = emulator().await;
    let site = client(&emulator);
    let mobile = client_for(
        &emulator,
        "101000002",
        "ExampleConnectAppKey02",
        EXAMPLE_CONNECT_REDIRECT_URI,
    );

    let on_site = site
        .login(&code_for(&site, ALICE).await)
        .unionid(true)
        .await
        .unwrap();
    let on_mobile = mobile
        .login(&code_for(&mobile, ALICE).await)
        .unionid(true)
        .await
        .unwrap();

    assert_ne!(on_site.openid, on_mobile.openid);
    assert_eq!(on_site.unionid, on_mobile.unionid);
    assert!(
        on_site
            .unionid
            .as_ref()
            .unwrap()
            .as_str()
            .starts_with("UID_")
    );
}

#[tokio::test]
async fn token_of_other_app_is_rejected() {
    let emulator = emulator().await;
    let mobile = client_for(
        &emulator,
        "101000002",
        "ExampleConnectAppKey02",
        EXAMPLE_CONNECT_REDIRECT_URI,
    );
    let tokens = mobile
        .exchange_code(&code_for(&mobile, ALICE).await)
        .await
        .unwrap();

    let error = client(&emulator)
        .me(&tokens.access_token)
        .await
        .expect_err("token of another app");

    match error.kind() {
        ErrorKind::ClientIdMismatch { expected, actual } => {
            assert_eq!(expected.as_str(), EXAMPLE_CONNECT_APP_ID);
            assert_eq!(actual, "101000002");
        }
        other => panic!("unexpected {other:?}"),
    }
}

#[tokio::test]
async fn refresh_token_rotates() {
    let emulator = emulator().await;
    let client = client(&emulator);
    let first = client
        .exchange_code(&code_for(&client, ALICE).await)
        .await
        .unwrap();

    let second = client
        .refresh(&first.refresh_token)
        .await
        .expect("refresh succeeds");
    assert_ne!(second.refresh_token, first.refresh_token);
    assert_ne!(second.access_token, first.access_token);

    let reuse = client
        .refresh(&first.refresh_token)
        .await
        .expect_err("old refresh token is spent");
    assert_eq!(
        reuse.connect_code(),
        Some(ConnectCode::GetAccessTokenFailed)
    );
    match reuse.kind() {
        ErrorKind::Platform { description, .. } => {
            assert_eq!(description, "get access token error");
        }
        other => panic!("unexpected {other:?}"),
    }

    let third = client
        .refresh(&second.refresh_token)
        .format(ResponseFormat::Legacy)
        .await
        .expect("the new refresh token works, in the form-encoded shape too");
    let me = client.me(&third.access_token).await.unwrap();
    assert_eq!(
        me.openid.as_str(),
        emulator.oauth().openid(EXAMPLE_CONNECT_APP_ID, ALICE)
    );
}

#[tokio::test]
async fn legacy_shapes_parse() {
    let emulator = emulator().await;
    let client = client(&emulator);
    let code = code_for(&client, ALICE).await;

    let tokens = client
        .exchange_code(&code)
        .format(ResponseFormat::Legacy)
        .need_openid(false)
        .await
        .expect("form-encoded token response parses");
    assert_eq!(tokens.openid, None);
    let me = client
        .me(&tokens.access_token)
        .format(ResponseFormat::Legacy)
        .unionid(true)
        .await
        .expect("JSONP openid response parses");
    assert!(me.unionid.is_some());

    let error = client
        .exchange_code(&code)
        .format(ResponseFormat::Legacy)
        .await
        .expect_err("JSONP error parses");
    assert_eq!(error.connect_code(), Some(ConnectCode::CodeReused));
}

#[tokio::test]
async fn raw_shapes_match_platform() {
    let emulator = emulator().await;
    let client = client(&emulator);
    let tokens = client
        .exchange_code(&code_for(&client, ALICE).await)
        .await
        .unwrap();
    let http = browser();
    let base = emulator.base_url();

    let me = http
        .get(format!(
            "{base}/oauth2.0/me?access_token={}",
            tokens.access_token.expose()
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(me.headers()["content-type"], "text/html; charset=utf-8");
    let body = me.text().await.unwrap();
    assert!(
        body.starts_with("callback( {\"client_id\":\"101000001\",\"openid\":\""),
        "{body}"
    );
    assert!(body.ends_with("} );\n"), "{body}");

    let error = http
        .get(format!(
            "{base}/oauth2.0/token?grant_type=authorization_code&client_id=101000001"
        ))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(
        error,
        "callback( {\"error\":100002,\"error_description\":\"client_secret is missing\"} );\n"
    );

    let json = http
        .get(format!(
            "{base}/oauth2.0/token?grant_type=password&fmt=json"
        ))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(
        json,
        "{\"error\":100004,\"error_description\":\"grant_type is wrong\"}"
    );

    let post = http
        .post(format!("{base}/oauth2.0/token"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(format!(
            "grant_type=refresh_token&client_id=101000001&client_secret=ExampleConnectAppKey01&refresh_token={}&fmt=json",
            tokens.refresh_token.expose()
        ))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let value: serde_json::Value = serde_json::from_str(&post).unwrap();
    assert!(
        value["expires_in"].is_string(),
        "expires_in is a JSON string: {post}"
    );
}

#[tokio::test]
async fn openapi_parameter_errors() {
    let emulator = emulator().await;
    let client = client(&emulator);
    let tokens = client
        .exchange_code(&code_for(&client, ALICE).await)
        .await
        .unwrap();
    let openid = tokens.openid.clone().unwrap();
    let http = browser();
    let base = emulator.base_url();

    let without_key = http
        .get(format!(
            "{base}/user/get_user_info?access_token={}&openid={openid}",
            tokens.access_token.expose()
        ))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(
        without_key,
        "{\"msg\":\"client request's parameters are invalid, invalid oauth_consumer_key\",\"ret\":-1}"
    );

    let wrong_openid = client
        .get_user_info(&tokens.access_token, &OpenId::new("0000"))
        .await
        .expect_err("wrong openid");
    assert_eq!(wrong_openid.api_ret(), Some(ApiRet::InvalidParameters));
    assert!(wrong_openid.to_string().contains("invalid openid"));

    let bad_token = client
        .get_user_info(&AccessToken::new("NOPE"), &openid)
        .await
        .expect_err("bad token");
    assert_eq!(bad_token.api_ret(), Some(ApiRet::NoLoginState));
    assert!(bad_token.requires_login());

    let not_granted = client
        .get_vip_info(&tokens.access_token, &openid)
        .await
        .expect_err("get_vip_info was not in scope");
    assert_eq!(not_granted.api_ret(), Some(ApiRet::ApiNotAuthorizedByUser));

    assert_eq!(emulator.oauth().expire_tokens(None), 1);
    let expired = client
        .me(&tokens.access_token)
        .await
        .expect_err("expired token");
    assert_eq!(
        expired.connect_code(),
        Some(ConnectCode::AccessTokenCheckFailed)
    );
}

#[tokio::test]
async fn other_user_calls() {
    let emulator = emulator().await;
    let client = client(&emulator);
    let url = client
        .authorize_url("s")
        .scope("get_user_info")
        .scope("get_vip_info")
        .to_url();
    let target = consent(url.as_str(), ALICE).await;
    let code = query_param(&target, "code").unwrap();
    let tokens = client.exchange_code(&code).await.unwrap();
    let openid = tokens.openid.clone().unwrap();

    let vip = client
        .get_vip_info(&tokens.access_token, &openid)
        .await
        .unwrap();
    assert!(vip.is_qq_vip);
    assert_eq!(vip.qq_vip_level, 5);
    assert!(!vip.is_qq_year_vip);

    let simple = client
        .get_simple_userinfo(&tokens.access_token, &openid)
        .await
        .unwrap();
    assert_eq!(simple.nickname, "小企鹅Alice");

    let raw = client
        .openapi(&tokens.access_token, &openid, "/user/get_user_info")
        .await
        .unwrap();
    assert_eq!(raw["nickname"], "小企鹅Alice");
    assert!(!raw.contains_key("ret"));
}

#[tokio::test]
async fn revoked_grant_stops_working() {
    let emulator = emulator().await;
    let client = client(&emulator);
    let tokens = client
        .exchange_code(&code_for(&client, ALICE).await)
        .await
        .unwrap();
    let openid = tokens.openid.clone().unwrap();

    assert_eq!(emulator.oauth().revoke(EXAMPLE_CONNECT_APP_ID, ALICE), 1);

    let profile = client
        .get_user_info(&tokens.access_token, &openid)
        .await
        .unwrap_err();
    assert_eq!(profile.api_ret(), Some(ApiRet::AccessTokenRevoked));
    let refresh = client.refresh(&tokens.refresh_token).await.unwrap_err();
    assert_eq!(
        refresh.connect_code(),
        Some(ConnectCode::GetAccessTokenFailed)
    );
}

#[tokio::test]
async fn offline_app_gives_100011() {
    let emulator = emulator().await;
    let client = client(&emulator);
    let code = code_for(&client, ALICE).await;
    emulator
        .oauth()
        .set_online(EXAMPLE_CONNECT_APP_ID, false)
        .unwrap();

    let error = client.exchange_code(&code).await.unwrap_err();

    assert_eq!(error.connect_code(), Some(ConnectCode::AppNotOnline));
}

#[tokio::test]
async fn implicit_flow_uses_fragment() {
    let emulator = emulator().await;
    let client = client(&emulator);
    let url = client
        .authorize_url("frag-state")
        .response_type(qie_oauth::ResponseType::Token)
        .to_url();

    let target = consent(url.as_str(), ALICE).await;

    let (before, fragment) = target.split_once('#').expect("fragment");
    assert_eq!(before, EXAMPLE_CONNECT_REDIRECT_URI);
    assert!(fragment.starts_with("access_token="), "{fragment}");
    assert!(
        fragment.contains("&expires_in=5184000&state=frag-state"),
        "{fragment}"
    );
}

#[tokio::test]
async fn consent_page_in_english_and_cancel() {
    let emulator = emulator().await;
    let client = client(&emulator);
    let url = format!("{}&lang=en", client.authorize_url("s").to_url());
    let http = browser();

    let page = http.get(&url).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("Authorize and log in"), "{page}");
    assert!(page.contains("<html lang=\"en\">"));

    let by_header = http
        .get(client.authorize_url("s").to_url())
        .header("accept-language", "en-US,en;q=0.8")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(by_header.contains("Authorize and log in"));

    let cancel = http
        .post(format!("{}/oauth2.0/authorize", emulator.base_url()))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(format!(
            "response_type=code&client_id=101000001&redirect_uri={}&state=s&user={ALICE}&action=deny",
            url::form_urlencoded::byte_serialize(EXAMPLE_CONNECT_REDIRECT_URI.as_bytes()).collect::<String>()
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(cancel.status(), 200, "cancelling does not redirect");
    assert!(cancel.text().await.unwrap().contains("已取消授权"));
    assert_eq!(emulator.oauth().codes_issued(), 0);
}
