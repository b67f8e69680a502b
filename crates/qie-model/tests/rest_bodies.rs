//! REST and webhook fixtures: request bodies built with the builders serialize to the fixture
//! JSON, and response bodies parse into the expected values.

mod common;

use common::{fixture, fixture_value};
use qie_model::auth::{TokenReply, TokenRequest, TokenResponse};
use qie_model::error::{ApiErrorBody, ErrorCategory};
use qie_model::gateway::{GatewayBot, GatewayUrl, SessionStartLimit};
use qie_model::id::{AppId, AuditId, MessageId};
use qie_model::interaction::{InteractionAck, InteractionAckCode};
use qie_model::media::{FileType, UploadMediaRequest, UploadMediaResponse};
use qie_model::message::{
    ActionType, Button, GuildMessage, Keyboard, Markdown, MessageType, OpenMessage, Permission,
    SendMessageResponse,
};
use qie_model::secret::{AccessToken, AppSecret};
use qie_model::timestamp::Timestamp;
use qie_model::webhook::{ValidationRequest, ValidationResponse};

fn parse<T: serde::de::DeserializeOwned>(name: &str) -> T {
    serde_json::from_slice(&fixture(name)).unwrap_or_else(|error| panic!("{name}: {error}"))
}

fn assert_serializes_to_fixture<T: serde::Serialize>(value: &T, name: &str) {
    let json = serde_json::to_value(value).expect("the value serializes");

    assert_eq!(json, fixture_value(name), "{name}");
}

#[test]
fn c2c_text_request_fixture() {
    let message = OpenMessage::c2c()
        .content("It is 12:03.")
        .reply_to(
            MessageId::new("ROBOT1.0_Xq3vExampl3C2cMsgId0001AbCdEfGhIjKlMnOpQrSt.Uv!"),
            1,
        )
        .build()
        .unwrap();

    assert_eq!(message.msg_type, MessageType::Text);
    assert_serializes_to_fixture(&message, "rest.post_c2c_message.request.json");
    assert_eq!(
        parse::<OpenMessage>("rest.post_c2c_message.request.json"),
        message
    );
}

#[test]
fn group_markdown_keyboard_request_fixture() {
    let button = Button::new("Roll again", ActionType::Command, "/roll 20")
        .id("reroll")
        .visited_label("Rolling...")
        .permission(Permission::everyone())
        .enter(true)
        .unsupport_tips("Please update QQ");
    let message = OpenMessage::group()
        .markdown(Markdown::new("# Dice\nYou rolled **17** (d20)."))
        .keyboard(Keyboard::rows([[button]]))
        .reply_to(
            MessageId::new("ROBOT1.0_Gp7kExampl3GroupMsgId0002IjKlMnOpQrStUvWxYz.AbCd!"),
            2,
        )
        .build()
        .unwrap();

    assert_eq!(message.msg_type, MessageType::Markdown);
    assert_serializes_to_fixture(&message, "rest.post_group_message.request.json");
    assert_eq!(
        parse::<OpenMessage>("rest.post_group_message.request.json"),
        message
    );
}

#[test]
fn group_media_request_fixture() {
    let message = OpenMessage::group()
        .content(" ")
        .media("EXAMPLEfileInfoOpaqueBlob0007AbCdEfGhIjKlMnOpQrStUvWxYz==")
        .reply_to(
            MessageId::new("ROBOT1.0_Gp7kExampl3GroupMsgId0002IjKlMnOpQrStUvWxYz.AbCd!"),
            3,
        )
        .build()
        .unwrap();

    assert_eq!(message.msg_type, MessageType::Media);
    assert_serializes_to_fixture(&message, "rest.post_group_media_message.request.json");
}

#[test]
fn channel_request_fixture() {
    let message = GuildMessage::builder()
        .content("<@!14400000000000001> Shenzhen: 24°C, light rain")
        .reply_to(MessageId::new(
            "08a1b2c3d4e5f6071829303a4b5c6d7e8f9010203040506070809101112",
        ))
        .build()
        .unwrap();

    assert_serializes_to_fixture(&message, "rest.post_channel_message.request.json");
    assert_eq!(
        parse::<GuildMessage>("rest.post_channel_message.request.json"),
        message
    );
}

#[test]
fn send_response_fixtures() {
    for (name, id, timestamp, ref_idx) in [
        (
            "rest.post_c2c_message.response.json",
            "ROBOT1.0_Bt9wExampl3BotReplyId0005ZyXwVuTsRqPoNmLkJiHg.Fe!",
            "2026-01-01T12:03:01+08:00",
            "REFIDX_EXAMPLEbotIdx0005==",
        ),
        (
            "rest.post_group_message.response.json",
            "ROBOT1.0_Bt9wExampl3BotGroupReply0006AbCdEfGhIjKlMnOp.Qr!",
            "2026-01-01T12:02:02+08:00",
            "REFIDX_EXAMPLEbotIdx0006==",
        ),
    ] {
        let response: SendMessageResponse = parse(name);

        assert_eq!(response.id, MessageId::new(id), "{name}");
        assert_eq!(
            response.timestamp,
            Some(Timestamp::from_rfc3339(timestamp)),
            "{name}"
        );
        assert_eq!(
            response.ext_info.and_then(|ext| ext.ref_idx).as_deref(),
            Some(ref_idx),
            "{name}"
        );
    }
}

#[test]
fn error_response_fixtures() {
    let table = [
        (
            "rest.error.response.json",
            11264,
            ErrorCategory::Permission,
            Some("7c1e9a3b5d2f4e6a8b0c2d4e6f8a0b1c"),
        ),
        (
            "rest.error.msg_seq_duplicate.response.json",
            40_054_005,
            ErrorCategory::DuplicateMsgSeq,
            Some("2e4f6a8c0b1d3f5a7c9e1b3d5f7a9c0e"),
        ),
        (
            "rest.error.proactive_forbidden.response.json",
            40_034_102,
            ErrorCategory::Permission,
            Some("4a6c8e0a2c4e6a8c0e2a4c6e8a0c2e4a"),
        ),
        (
            "rest.error.push_audit.response.json",
            304_023,
            ErrorCategory::PendingAudit,
            None,
        ),
        (
            "rest.token.error.response.json",
            100_007,
            ErrorCategory::Auth,
            None,
        ),
    ];

    for (name, code, category, trace_id) in table {
        let body: ApiErrorBody = parse(name);

        assert_eq!(body.code(), Some(code), "{name}");
        assert_eq!(body.category(), category, "{name}");
        assert_eq!(body.trace_id.as_deref(), trace_id, "{name}");
        assert!(!body.message.is_empty(), "{name}");
        assert!(body.meaning().is_some(), "{name}");
        assert_serializes_to_fixture(&body, name);
    }
}

#[test]
fn push_audit_fixture_audit_id() {
    let body: ApiErrorBody = parse("rest.error.push_audit.response.json");

    assert_eq!(body.code, Some(304_023));
    assert_eq!(body.err_code, None);
    assert_eq!(body.message, "push message is waiting for audit now");
    assert_eq!(
        body.audit_id(),
        Some(&AuditId::new("0e5c3a1b-7d2f-4b8a-9c61-2f4e6a8b0c13"))
    );
}

#[test]
fn token_fixtures() {
    let request = TokenRequest::new(
        AppId::new("102000001"),
        AppSecret::new("ExampleBotSecret01"),
    );

    assert_serializes_to_fixture(&request, "rest.token.request.json");
    assert_eq!(parse::<TokenRequest>("rest.token.request.json"), request);
    assert!(!format!("{request:?}").contains("ExampleBotSecret01"));

    let TokenReply::Token(response) =
        TokenReply::from_slice(&fixture("rest.token.response.json")).unwrap()
    else {
        panic!("expected a token");
    };
    assert_eq!(
        response.access_token.expose(),
        "EXAMPLEaccessTOKEN0123456789abcdefGHIJklmnOPQR"
    );
    assert_eq!(response.expires_in, 7200);
    assert_serializes_to_fixture(&response, "rest.token.response.json");
    assert!(!format!("{response:?}").contains("EXAMPLEaccessTOKEN"));

    let TokenReply::Error(error) =
        TokenReply::from_slice(&fixture("rest.token.error.response.json")).unwrap()
    else {
        panic!("expected an error body");
    };
    assert_eq!(error.code(), Some(100_007));
    assert_eq!(error.message, "appid invalid");
}

#[test]
fn token_expires_in_accepts_number() {
    let response: TokenResponse =
        serde_json::from_str(r#"{"access_token":"abc","expires_in":7199}"#).unwrap();

    assert_eq!(response, TokenResponse::new(AccessToken::new("abc"), 7199));
    assert!(
        serde_json::from_str::<TokenResponse>(r#"{"access_token":"a","expires_in":"soon"}"#)
            .is_err()
    );
}

#[test]
fn gateway_discovery_fixtures() {
    let gateway: GatewayUrl = parse("rest.gateway.response.json");
    let bot: GatewayBot = parse("rest.gateway_bot.response.json");

    assert_eq!(
        gateway,
        GatewayUrl::new("wss://api.sgroup.qq.com/websocket/")
    );
    assert_eq!(
        bot,
        GatewayBot::new(
            "wss://api.sgroup.qq.com/websocket/",
            1,
            SessionStartLimit::new(1000, 999, 14_400_000, 1)
        )
    );
    assert_eq!(bot.session_start_limit.identify_interval_millis(), 5000);
    assert_serializes_to_fixture(&bot, "rest.gateway_bot.response.json");
}

#[test]
fn group_files_fixtures() {
    let request = UploadMediaRequest::from_url(
        FileType::Image,
        "https://static.example.com/images/dice-17.png",
    );
    let response: UploadMediaResponse = parse("rest.post_group_files.response.json");

    assert_serializes_to_fixture(&request, "rest.post_group_files.request.json");
    assert_eq!(
        parse::<UploadMediaRequest>("rest.post_group_files.request.json"),
        request
    );
    assert_eq!(response.file_uuid, "EXAMPLEfileUuid0007");
    assert_eq!(
        response.file_info,
        "EXAMPLEfileInfoOpaqueBlob0007AbCdEfGhIjKlMnOpQrStUvWxYz=="
    );
    assert_eq!(response.ttl, 86_400);
    assert_eq!(response.id, None);
}

#[test]
fn interaction_ack_fixture() {
    let ack = InteractionAck::new(InteractionAckCode::Success);

    assert_serializes_to_fixture(&ack, "rest.put_interaction.request.json");
    assert_eq!(
        parse::<InteractionAck>("rest.put_interaction.request.json"),
        ack
    );
}

#[test]
fn webhook_validation_fixtures() {
    let wrapper = fixture_value("webhook.validation.request.json");
    let body: ValidationRequest = serde_json::from_value(wrapper["body"]["d"].clone()).unwrap();
    let response: ValidationResponse = parse("webhook.validation.response.json");

    assert_eq!(
        body,
        ValidationRequest::new("Yk3PqR8vL2mN5tW9xA1c", "1767240001")
    );
    assert_eq!(body.message_to_sign(), b"1767240001Yk3PqR8vL2mN5tW9xA1c");
    assert_eq!(response.plain_token, "Yk3PqR8vL2mN5tW9xA1c");
    assert_eq!(response.signature.len(), 128);
    assert_serializes_to_fixture(&response, "webhook.validation.response.json");
}
