//! End-to-end tests of the emulator over real sockets, with a raw HTTP client and a WebSocket
//! client, using the JSON of the wire fixtures.

use std::fmt::Write;
use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use qie_emulator::control::{Change, Click, UserMessage};
use qie_emulator::world::{DEFAULT_INTENTS, EXAMPLE_APP_ID, EXAMPLE_SECRET, World};
use qie_emulator::{
    Conversation, Emulator, EmulatorHandle, Firehose, FirehoseFrame, GatewayFault, RestFailure,
    SessionTarget,
};
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::Message;

const GROUP: &str = "6A1C4E0B9D2F47A8B3C5D7E9F1A2B3C4";
const C2C_USER: &str = "3B9AC9F1D2E34F5A8B7C6D5E4F3A2B1C";
const GUILD: &str = "7010203040506070801";
const CHANNEL: &str = "5550001";

fn fixture(name: &str) -> Value {
    let path = format!("{}/../../fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    let text =
        std::fs::read_to_string(&path).unwrap_or_else(|error| panic!("read {path}: {error}"));
    serde_json::from_str(&text).expect("fixture is JSON")
}

struct Reply {
    status: u16,
    headers: Vec<(String, String)>,
    body: String,
}

impl Reply {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }

    fn json(&self) -> Value {
        serde_json::from_str(&self.body)
            .unwrap_or_else(|error| panic!("body {:?} is not JSON: {error}", self.body))
    }
}

/// Sends one HTTP/1.1 request over a fresh TCP connection and reads the whole response.
async fn http(
    emulator: &EmulatorHandle,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: Option<&str>,
) -> Reply {
    let mut stream = TcpStream::connect(emulator.local_addr())
        .await
        .expect("connect");
    let mut request = format!(
        "{method} {path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n",
        emulator.local_addr()
    );
    for (name, value) in headers {
        let _ = write!(request, "{name}: {value}\r\n");
    }
    let body = body.unwrap_or("");
    let _ = write!(request, "Content-Length: {}\r\n\r\n{body}", body.len());
    stream.write_all(request.as_bytes()).await.expect("write");
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).await.expect("read");
    let text = String::from_utf8(raw).expect("utf-8 response");
    let (head, body) = text.split_once("\r\n\r\n").expect("header end");
    let mut lines = head.lines();
    let status = lines
        .next()
        .expect("status line")
        .split(' ')
        .nth(1)
        .expect("status")
        .parse()
        .expect("number");
    let headers = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(name, value)| (name.trim().to_owned(), value.trim().to_owned()))
        .collect();

    Reply {
        status,
        headers,
        body: body.to_owned(),
    }
}

async fn token(emulator: &EmulatorHandle) -> String {
    let reply = http(
        emulator,
        "POST",
        "/app/getAppAccessToken",
        &[("Content-Type", "application/json")],
        Some(&fixture("rest.token.request.json").to_string()),
    )
    .await;
    reply.json()["access_token"]
        .as_str()
        .expect("token")
        .to_owned()
}

async fn call(
    emulator: &EmulatorHandle,
    token: &str,
    method: &str,
    path: &str,
    body: Option<&Value>,
) -> Reply {
    let auth = format!("QQBot {token}");
    let body = body.map(Value::to_string);
    http(
        emulator,
        method,
        path,
        &[
            ("Authorization", &auth),
            ("X-Union-Appid", EXAMPLE_APP_ID),
            ("Content-Type", "application/json"),
        ],
        body.as_deref(),
    )
    .await
}

async fn start() -> EmulatorHandle {
    Emulator::builder().start().await.expect("emulator starts")
}

// ---------------------------------------------------------------- token

#[tokio::test]
async fn token_endpoint_follows_platform_rules() {
    let emulator = Emulator::builder()
        .token_lifetime(Duration::from_secs(3))
        .token_refresh_window(Duration::from_secs(2))
        .start()
        .await
        .expect("starts");
    let request = fixture("rest.token.request.json").to_string();
    let json_header = [("Content-Type", "application/json")];

    let first = http(
        &emulator,
        "POST",
        "/app/getAppAccessToken",
        &json_header,
        Some(&request),
    )
    .await;
    assert_eq!(first.status, 200);
    assert_eq!(first.header("content-type"), Some("application/json"));
    assert!(
        first
            .header("x-tps-trace-id")
            .is_some_and(|id| id.len() == 32)
    );
    let first = first.json();
    assert_eq!(first["expires_in"], json!("3"));
    let old = first["access_token"].as_str().expect("token").to_owned();

    let again = http(
        &emulator,
        "POST",
        "/app/getAppAccessToken",
        &json_header,
        Some(&request),
    )
    .await
    .json();
    assert_eq!(again["access_token"].as_str(), Some(old.as_str()));
    assert!(again["expires_in"].is_string());

    // Inside the last 2 s a new token is minted; the old one stays valid until it expires.
    tokio::time::sleep(Duration::from_millis(1200)).await;
    let rotated = http(
        &emulator,
        "POST",
        "/app/getAppAccessToken",
        &json_header,
        Some(&request),
    )
    .await
    .json();
    let new = rotated["access_token"].as_str().expect("token").to_owned();
    assert_ne!(new, old);
    assert_eq!(
        call(&emulator, &old, "GET", "/users/@me", None)
            .await
            .status,
        200
    );
    tokio::time::sleep(Duration::from_secs(2)).await;
    let expired = call(&emulator, &old, "GET", "/users/@me", None).await;
    assert_eq!(expired.status, 401);
    assert_eq!(expired.json()["code"], json!(11244));
    assert_eq!(
        call(&emulator, &new, "GET", "/users/@me", None)
            .await
            .status,
        200
    );
}

#[tokio::test]
async fn token_errors_are_http_200() {
    let emulator = start().await;
    let json_header = [("Content-Type", "application/json")];

    let unknown = http(
        &emulator,
        "POST",
        "/app/getAppAccessToken",
        &json_header,
        Some(r#"{"appId":"1","clientSecret":"x"}"#),
    )
    .await;
    assert_eq!(unknown.status, 200);
    assert_eq!(unknown.json(), fixture("rest.token.error.response.json"));

    let wrong = json!({"appId": EXAMPLE_APP_ID, "clientSecret": "wrong"}).to_string();
    let wrong = http(
        &emulator,
        "POST",
        "/app/getAppAccessToken",
        &json_header,
        Some(&wrong),
    )
    .await;
    assert_eq!(wrong.status, 200);
    assert_eq!(wrong.json()["code"], json!(100_016));

    let form = http(
        &emulator,
        "POST",
        "/app/getAppAccessToken",
        &[("Content-Type", "application/x-www-form-urlencoded")],
        Some("appId=102000001&clientSecret=ExampleBotSecret01"),
    )
    .await;
    assert_eq!(form.json()["code"], json!(100_007));
}

// ---------------------------------------------------------------- REST basics

#[tokio::test]
async fn rest_auth_and_error_bodies() {
    let emulator = start().await;
    let token = token(&emulator).await;

    let me = call(&emulator, &token, "GET", "/users/@me", None).await;
    assert_eq!(me.status, 200);
    assert_eq!(me.header("content-type"), Some("application/json"));
    assert_eq!(me.json()["id"], json!("11223344556677889900"));

    let missing = http(&emulator, "GET", "/users/@me", &[], None).await;
    assert_eq!(missing.status, 401);
    let body = missing.json();
    assert_eq!(body["code"], body["err_code"]);
    assert_eq!(body["trace_id"].as_str(), missing.header("x-tps-trace-id"));
    assert_eq!(missing.header("content-type"), Some("application/json"));

    let legacy = format!("Bot {EXAMPLE_APP_ID}.ExampleBotLegacyToken01");
    let rejected = http(
        &emulator,
        "GET",
        "/users/@me",
        &[("Authorization", &legacy)],
        None,
    )
    .await;
    assert_eq!(rejected.status, 500);
    assert_eq!(rejected.json()["code"], json!(11245));

    let lenient = Emulator::builder()
        .legacy_bot_token(true)
        .start()
        .await
        .expect("starts");
    let accepted = http(
        &lenient,
        "GET",
        "/users/@me",
        &[("Authorization", &legacy)],
        None,
    )
    .await;
    assert_eq!(accepted.status, 200);

    let guild = call(&emulator, &token, "GET", "/guilds/999", None).await;
    assert_eq!(guild.status, 403);
    assert_eq!(guild.json()["code"], json!(11264));
}

#[tokio::test]
async fn gateway_discovery_returns_own_url() {
    let emulator = Emulator::builder().shards(2).start().await.expect("starts");
    let token = token(&emulator).await;
    let bot = call(&emulator, &token, "GET", "/gateway/bot", None)
        .await
        .json();
    assert_eq!(bot["url"], json!(emulator.gateway_url()));
    assert_eq!(bot["shards"], json!(2));
    assert!(bot["session_start_limit"]["max_concurrency"].as_u64() >= Some(1));
    let plain = call(&emulator, &token, "GET", "/gateway", None)
        .await
        .json();
    assert_eq!(plain["url"], json!(emulator.gateway_url()));
}

#[tokio::test]
async fn guild_objects_come_from_the_world() {
    let emulator = start().await;
    let token = token(&emulator).await;
    let channels = call(
        &emulator,
        &token,
        "GET",
        &format!("/guilds/{GUILD}/channels"),
        None,
    )
    .await
    .json();
    let types: Vec<u64> = channels
        .as_array()
        .expect("array")
        .iter()
        .filter_map(|c| c["type"].as_u64())
        .collect();
    for kind in [0, 2, 4, 10005, 10006, 10007] {
        assert!(types.contains(&kind), "channel type {kind} missing");
    }
    let members = call(
        &emulator,
        &token,
        "GET",
        &format!("/guilds/{GUILD}/members?after=0&limit=2"),
        None,
    )
    .await
    .json();
    assert_eq!(members.as_array().map(Vec::len), Some(2));
    let roles = call(
        &emulator,
        &token,
        "GET",
        &format!("/guilds/{GUILD}/roles"),
        None,
    )
    .await
    .json();
    assert!(
        roles["roles"]
            .as_array()
            .is_some_and(|roles| roles.iter().any(|role| role["id"] == json!("4")))
    );
    let created = call(
        &emulator,
        &token,
        "POST",
        &format!("/guilds/{GUILD}/roles"),
        Some(&json!({"name": "new", "hoist": "1"})),
    )
    .await;
    assert_eq!(created.status, 200);
    assert_eq!(created.json()["role"]["hoist"], json!(1));
    let mute = call(
        &emulator,
        &token,
        "PATCH",
        &format!("/guilds/{GUILD}/mute"),
        Some(&json!({"mute_seconds": "60", "user_ids": ["14400000000000002", "1"]})),
    )
    .await;
    assert_eq!(mute.json()["user_ids"], json!(["14400000000000002"]));
}

// ---------------------------------------------------------------- messages

#[tokio::test]
async fn group_reply_rules() {
    let emulator = start().await;
    let token = token(&emulator).await;
    let injected = emulator
        .inject_message(&UserMessage::group_at(GROUP, "/roll 20"))
        .expect("inject");
    assert_eq!(injected.event_types, vec!["GROUP_AT_MESSAGE_CREATE"]);
    let msg_id = injected.msg_id.expect("msg id");
    let path = format!("/v2/groups/{GROUP}/messages");

    let mut request = fixture("rest.post_group_message.request.json");
    request["msg_id"] = json!(msg_id);
    request["msg_seq"] = json!(1);
    let sent = call(&emulator, &token, "POST", &path, Some(&request)).await;
    assert_eq!(sent.status, 200, "{}", sent.body);
    let body = sent.json();
    assert!(
        body["id"]
            .as_str()
            .is_some_and(|id| id.starts_with("ROBOT1.0_"))
    );
    assert!(
        body["ext_info"]["ref_idx"]
            .as_str()
            .is_some_and(|idx| idx.starts_with("REFIDX_"))
    );

    let duplicate = call(&emulator, &token, "POST", &path, Some(&request)).await;
    assert_eq!(duplicate.status, 400);
    let expected = fixture("rest.error.msg_seq_duplicate.response.json");
    assert_eq!(duplicate.json()["code"], expected["code"]);
    assert_eq!(duplicate.json()["message"], expected["message"]);

    for seq in 2..=5 {
        request["msg_seq"] = json!(seq);
        assert_eq!(
            call(&emulator, &token, "POST", &path, Some(&request))
                .await
                .status,
            200
        );
    }
    request["msg_seq"] = json!(6);
    let over = call(&emulator, &token, "POST", &path, Some(&request)).await;
    assert_eq!(over.json()["code"], json!(40_034_128));

    let fresh = emulator
        .inject_message(&UserMessage::group_at(GROUP, "again"))
        .expect("inject")
        .msg_id
        .expect("id");
    emulator
        .age(None, &fresh, Duration::from_secs(301))
        .expect("age");
    request["msg_id"] = json!(fresh);
    let expired = call(&emulator, &token, "POST", &path, Some(&request)).await;
    assert_eq!(expired.json()["code"], json!(40_034_005));

    let proactive = json!({"msg_type": 0, "content": "hello"});
    let refused = call(&emulator, &token, "POST", &path, Some(&proactive)).await;
    assert_eq!(refused.status, 400);
    assert_eq!(refused.json()["code"], json!(40_034_105));
    emulator
        .inject_group_robot(None, GROUP, None, Change::MsgReceive)
        .expect("opt in");
    assert_eq!(
        call(&emulator, &token, "POST", &path, Some(&proactive))
            .await
            .status,
        200
    );

    let records = emulator.sent(None, Some(&Conversation::Group(GROUP.to_owned())));
    assert_eq!(records.len(), 6);
    assert_eq!(records[0].msg_seq, Some(1));
    assert!(records[0].keyboard.is_some());
    assert!(records[0].markdown.is_some());
}

#[tokio::test]
async fn c2c_and_unknown_targets() {
    let emulator = start().await;
    let token = token(&emulator).await;
    let msg_id = emulator
        .inject_message(&UserMessage::c2c(C2C_USER, "what time is it"))
        .expect("inject")
        .msg_id
        .expect("id");
    let mut request = fixture("rest.post_c2c_message.request.json");
    request["msg_id"] = json!(msg_id);
    let sent = call(
        &emulator,
        &token,
        "POST",
        &format!("/v2/users/{C2C_USER}/messages"),
        Some(&request),
    )
    .await;
    assert_eq!(sent.status, 200, "{}", sent.body);

    let unknown = call(
        &emulator,
        &token,
        "POST",
        "/v2/users/FFFF/messages",
        Some(&request),
    )
    .await;
    assert_eq!(unknown.json()["code"], json!(40_054_004));
    let foreign = call(
        &emulator,
        &token,
        "POST",
        &format!("/v2/groups/{GROUP}/messages"),
        Some(&request),
    )
    .await;
    assert_eq!(foreign.json()["code"], json!(40_034_024));

    let waited = emulator
        .wait_for_sent(
            &Conversation::C2c(C2C_USER.to_owned()),
            1,
            Duration::from_secs(1),
        )
        .await
        .expect("sent");
    assert_eq!(waited[0].content.as_deref(), Some("It is 12:03."));
    let timeout = emulator
        .wait_for_sent(
            &Conversation::C2c(C2C_USER.to_owned()),
            2,
            Duration::from_millis(50),
        )
        .await;
    assert!(timeout.is_err());
}

#[tokio::test]
async fn channel_messages_and_rate_limit() {
    let emulator = start().await;
    let token = token(&emulator).await;
    let msg_id = emulator
        .inject_message(&UserMessage::guild_at(CHANNEL, "/weather Shenzhen"))
        .expect("inject")
        .msg_id
        .expect("id");
    let mut request = fixture("rest.post_channel_message.request.json");
    request["msg_id"] = json!(msg_id);
    let path = format!("/channels/{CHANNEL}/messages");
    let sent = call(&emulator, &token, "POST", &path, Some(&request)).await;
    assert_eq!(sent.status, 200, "{}", sent.body);
    let message = sent.json();
    assert_eq!(message["author"]["bot"], json!(true));
    assert_eq!(message["content"], request["content"]);

    let id = message["id"].as_str().expect("id");
    let fetched = call(&emulator, &token, "GET", &format!("{path}/{id}"), None)
        .await
        .json();
    assert_eq!(fetched["message"]["id"], json!(id));
    let pinned = call(
        &emulator,
        &token,
        "PUT",
        &format!("/channels/{CHANNEL}/pins/{id}"),
        None,
    )
    .await
    .json();
    assert_eq!(pinned["message_ids"], json!([id]));

    let empty = call(
        &emulator,
        &token,
        "POST",
        &path,
        Some(&json!({"msg_id": msg_id})),
    )
    .await;
    assert_eq!(empty.json()["code"], json!(50006));

    let mut statuses = Vec::new();
    for _ in 0..5 {
        statuses.push(
            call(&emulator, &token, "POST", &path, Some(&request))
                .await
                .status,
        );
    }
    assert!(statuses.contains(&429), "statuses {statuses:?}");
}

#[tokio::test]
async fn chunked_and_base64_uploads() {
    let emulator = Emulator::builder()
        .configure(|config| config.upload_block_size = 4)
        .start()
        .await
        .expect("starts");
    let token = token(&emulator).await;
    let data = b"0123456789";
    let md5 = "781e5e245d69b566979b86e28d23f2c7";
    let prepare = json!({
        "file_type": 4, "file_name": "digits.txt", "file_size": "10", "md5": md5,
        "sha1": "87acec17cd9dcd20a716cc2cf67417b71c8a7016", "md5_10m": md5,
    });
    let prepared = call(
        &emulator,
        &token,
        "POST",
        &format!("/v2/groups/{GROUP}/upload_prepare"),
        Some(&prepare),
    )
    .await
    .json();
    let parts = prepared["parts"].as_array().expect("parts").clone();
    assert_eq!(parts.len(), 3);
    assert_eq!(parts[0]["index"], json!(1));
    assert_eq!(prepared["upload_config"]["concurrency"], json!(1));
    let upload_id = prepared["upload_id"].as_str().expect("id");

    let early = call(
        &emulator,
        &token,
        "POST",
        &format!("/v2/groups/{GROUP}/files"),
        Some(&json!({"file_type": 4, "upload_id": upload_id})),
    )
    .await;
    assert_eq!(early.json()["code"], json!(40_093_001));

    for (position, part) in parts.iter().enumerate() {
        let chunk = &data[position * 4..(position * 4 + 4).min(10)];
        let url = part["presigned_url"].as_str().expect("url");
        let path = &url[url.find("/cos/").expect("cos path")..];
        let chunk_text = std::str::from_utf8(chunk).expect("ascii");
        assert_eq!(
            http(&emulator, "PUT", path, &[], Some(chunk_text))
                .await
                .status,
            200
        );
        let digest = md5_hex(chunk);
        let finish = json!({"upload_id": upload_id, "part_index": part["index"], "block_size": chunk.len(), "md5": digest});
        let finished = call(
            &emulator,
            &token,
            "POST",
            &format!("/v2/groups/{GROUP}/upload_part_finish"),
            Some(&finish),
        )
        .await;
        assert_eq!(finished.status, 200, "{}", finished.body);
    }
    let merged = call(
        &emulator,
        &token,
        "POST",
        &format!("/v2/groups/{GROUP}/files"),
        Some(&json!({"file_type": 4, "upload_id": upload_id})),
    )
    .await;
    assert_eq!(merged.status, 200, "{}", merged.body);

    let file = call(
        &emulator,
        &token,
        "POST",
        &format!("/v2/groups/{GROUP}/files"),
        Some(&json!({"file_type": 1, "file_data": "aGVsbG8=", "srv_send_msg": false})),
    )
    .await
    .json();
    let msg_id = emulator
        .inject_message(&UserMessage::group_at(GROUP, "pic"))
        .expect("inject")
        .msg_id
        .expect("id");
    let mut media = fixture("rest.post_group_media_message.request.json");
    media["media"]["file_info"] = file["file_info"].clone();
    media["msg_id"] = json!(msg_id);
    assert_eq!(
        call(
            &emulator,
            &token,
            "POST",
            &format!("/v2/groups/{GROUP}/messages"),
            Some(&media)
        )
        .await
        .status,
        200
    );
    let c2c = call(
        &emulator,
        &token,
        "POST",
        &format!("/v2/users/{C2C_USER}/messages"),
        Some(&media),
    )
    .await;
    assert_eq!(c2c.json()["code"], json!(304_080));
}

fn md5_hex(bytes: &[u8]) -> String {
    use md5::{Digest, Md5};

    Md5::digest(bytes)
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect::<Vec<_>>()
        .concat()
}

#[tokio::test]
async fn interaction_ack_and_event_reply() {
    let emulator = start().await;
    let token = token(&emulator).await;
    let injected = emulator
        .inject_click(&Click::new("group", GROUP, "btn-yes", "vote:yes"))
        .expect("click");
    let interaction = injected.interaction_id.expect("id");
    assert_eq!(
        emulator.interaction_ack(None, &interaction).expect("known"),
        None
    );
    let ack = call(
        &emulator,
        &token,
        "PUT",
        &format!("/interactions/{interaction}"),
        Some(&fixture("rest.put_interaction.request.json")),
    )
    .await;
    assert_eq!(ack.status, 204);
    assert_eq!(
        emulator.interaction_ack(None, &interaction).expect("known"),
        Some(0)
    );

    let reply = json!({"msg_type": 0, "content": "thanks", "event_id": injected.event_ids[0], "msg_seq": 1});
    assert_eq!(
        call(
            &emulator,
            &token,
            "POST",
            &format!("/v2/groups/{GROUP}/messages"),
            Some(&reply)
        )
        .await
        .status,
        200
    );
}

#[tokio::test]
async fn injected_rest_failures() {
    let emulator = start().await;
    let token = token(&emulator).await;
    emulator.fail_rest(RestFailure::new(2, 503, 50_055_001).path_prefix("/users"));
    let first = call(&emulator, &token, "GET", "/users/@me", None).await;
    assert_eq!(first.status, 503);
    assert_eq!(first.json()["code"], json!(50_055_001));
    assert_eq!(
        call(&emulator, &token, "GET", "/users/@me", None)
            .await
            .status,
        503
    );
    assert_eq!(
        call(&emulator, &token, "GET", "/users/@me", None)
            .await
            .status,
        200
    );
}

// ---------------------------------------------------------------- gateway

type Socket = tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<TcpStream>>;

async fn connect(emulator: &EmulatorHandle) -> Socket {
    let (mut socket, _) = tokio_tungstenite::connect_async(emulator.gateway_url())
        .await
        .expect("ws connect");
    let hello = next_json(&mut socket).await.expect("hello");
    assert_eq!(hello["op"], json!(10));
    socket
}

/// Returns the next JSON frame, or `None` on close (the close code is returned as `{"close": code}`).
async fn next_json(socket: &mut Socket) -> Option<Value> {
    loop {
        let message = tokio::time::timeout(Duration::from_secs(5), socket.next())
            .await
            .expect("frame in time")?;
        match message {
            Ok(Message::Text(text)) => {
                return Some(serde_json::from_str(&text).expect("JSON frame"));
            }
            Ok(Message::Close(frame)) => {
                return Some(json!({"close": frame.map(|frame| u16::from(frame.code))}));
            }
            Ok(_) => {}
            Err(_) => return None,
        }
    }
}

async fn send(socket: &mut Socket, frame: Value) {
    socket
        .send(Message::Text(frame.to_string().into()))
        .await
        .expect("send");
}

async fn identify(socket: &mut Socket, token: &str, intents: u64, shard: [u32; 2]) -> Value {
    let mut frame = fixture("gateway.identify.json");
    frame["d"]["token"] = json!(format!("QQBot {token}"));
    frame["d"]["intents"] = json!(intents);
    frame["d"]["shard"] = json!(shard);
    send(socket, frame).await;
    next_json(socket).await.expect("answer to identify")
}

const ALL_USED: u64 = (1 << 30) | (1 << 25) | (1 << 26) | (1 << 12) | (1 << 9) | 3;

#[tokio::test]
async fn identify_ready_heartbeat_dispatch() {
    let emulator = start().await;
    let token = token(&emulator).await;
    let mut socket = connect(&emulator).await;
    let ready = identify(&mut socket, &token, ALL_USED, [0, 1]).await;
    let expected = fixture("gateway.ready.json");
    assert_eq!(ready["t"], expected["t"]);
    assert_eq!(ready["s"], json!(1));
    assert_eq!(ready["d"]["user"], expected["d"]["user"]);
    assert_eq!(ready["d"]["shard"], json!([0, 1]));

    send(&mut socket, fixture("gateway.heartbeat.json")).await;
    assert_eq!(
        next_json(&mut socket).await,
        Some(fixture("gateway.heartbeat_ack.json"))
    );

    let injected = emulator
        .inject_message(&UserMessage::c2c(C2C_USER, "hi"))
        .expect("inject");
    let event = next_json(&mut socket).await.expect("dispatch");
    assert_eq!(event["t"], json!("C2C_MESSAGE_CREATE"));
    assert_eq!(event["s"], json!(2));
    assert_eq!(
        event["id"].as_str(),
        injected.event_ids.first().map(String::as_str)
    );
    assert_eq!(event["d"]["author"]["user_openid"], json!(C2C_USER));
    assert_eq!(injected.deliveries, 1);
    assert_eq!(injected.note, None);

    let sessions = emulator.sessions();
    assert_eq!(sessions.len(), 1);
    assert_eq!(sessions[0].last_seq, 2);
    assert_eq!(sessions[0].heartbeats, 1);
}

#[tokio::test]
async fn intents_and_shards_route_dispatches() {
    let emulator = Emulator::builder().shards(2).start().await.expect("starts");
    let token = token(&emulator).await;
    let owner = qie_emulator::gateway::shard_for_guild(Some(GUILD), 2);
    let mut owning = connect(&emulator).await;
    identify(&mut owning, &token, 1 << 30, [owner, 2]).await;
    let mut other = connect(&emulator).await;
    identify(&mut other, &token, ALL_USED, [1 - owner, 2]).await;

    emulator
        .inject_message(&UserMessage::guild_at(CHANNEL, "hello"))
        .expect("inject");
    let first = next_json(&mut owning).await.expect("at message");
    assert_eq!(first["t"], json!("AT_MESSAGE_CREATE"));
    // The other shard gets nothing from the guild: its next frame answers a heartbeat.
    send(&mut other, json!({"op": 1, "d": 1})).await;
    assert_eq!(next_json(&mut other).await, Some(json!({"op": 11})));
    // The owning session's intents lack MESSAGE_CREATE (bit 9), so the heartbeat ACK comes next.
    send(&mut owning, json!({"op": 1, "d": 2})).await;
    assert_eq!(next_json(&mut owning).await, Some(json!({"op": 11})));

    emulator
        .inject_event(None, "PING_CHECK", &json!({}), Some(GUILD))
        .expect("raw event");
    assert_eq!(
        next_json(&mut owning).await.expect("raw")["t"],
        json!("PING_CHECK")
    );
}

#[tokio::test]
async fn identify_rejections_use_close_codes() {
    let world = {
        let mut world = World::example();
        world.bots[0].intents = Some(DEFAULT_INTENTS);
        world
    };
    let emulator = Emulator::builder()
        .world(world)
        .start()
        .await
        .expect("starts");
    let token = token(&emulator).await;

    let mut bad_token = connect(&emulator).await;
    assert_eq!(
        identify(&mut bad_token, "nope", 1, [0, 1]).await,
        json!({"close": 4004})
    );
    let mut undefined = connect(&emulator).await;
    assert_eq!(
        identify(&mut undefined, &token, 1 << 2, [0, 1]).await,
        json!({"close": 4013})
    );
    let mut not_granted = connect(&emulator).await;
    assert_eq!(
        identify(&mut not_granted, &token, 1 << 25, [0, 1]).await,
        json!({"close": 4014})
    );
    let mut bad_shard = connect(&emulator).await;
    assert_eq!(
        identify(&mut bad_shard, &token, 1, [2, 2]).await,
        json!({"close": 4010})
    );
    let mut twice = connect(&emulator).await;
    assert_eq!(
        identify(&mut twice, &token, 1, [0, 1]).await["t"],
        json!("READY")
    );
    assert_eq!(
        identify(&mut twice, &token, 1, [0, 1]).await,
        json!({"close": 4005})
    );
    let mut bad_op = connect(&emulator).await;
    send(&mut bad_op, json!({"op": 3})).await;
    assert_eq!(next_json(&mut bad_op).await, Some(json!({"close": 4001})));
}

#[tokio::test]
async fn resume_replays_every_event_after_seq() {
    let emulator = start().await;
    let token = token(&emulator).await;
    let mut socket = connect(&emulator).await;
    let ready = identify(&mut socket, &token, ALL_USED, [0, 1]).await;
    let session_id = ready["d"]["session_id"]
        .as_str()
        .expect("session")
        .to_owned();

    // READY is s = 1; 99 injected events take s = 2..=100.
    for index in 0..99 {
        emulator
            .inject_message(&UserMessage::c2c(C2C_USER, format!("event {index}")))
            .expect("inject");
    }
    loop {
        let frame = next_json(&mut socket).await.expect("frame");
        if frame["s"] == json!(40) {
            break;
        }
    }
    assert_eq!(
        emulator.gateway_fault(
            &SessionTarget::Session(session_id.clone()),
            &GatewayFault::Drop
        ),
        1
    );
    drop(socket);

    let mut resumed = connect(&emulator).await;
    let mut resume = fixture("gateway.resume.json");
    resume["d"]["token"] = json!(format!("QQBot {token}"));
    resume["d"]["session_id"] = json!(session_id);
    resume["d"]["seq"] = json!(40);
    send(&mut resumed, resume).await;
    let mut replayed = Vec::new();
    loop {
        let frame = next_json(&mut resumed).await.expect("frame");
        if frame["t"] == json!("RESUMED") {
            assert_eq!(frame["d"], json!(""));
            assert_eq!(frame["s"], json!(101));
            break;
        }
        replayed.push(frame["s"].as_u64().expect("seq"));
    }
    assert_eq!(replayed, (41..=100).collect::<Vec<u64>>());

    // An unknown session gets op 9.
    let mut unknown = connect(&emulator).await;
    send(
        &mut unknown,
        json!({"op": 6, "d": {"token": token, "session_id": "nope", "seq": 1}}),
    )
    .await;
    assert_eq!(
        next_json(&mut unknown).await,
        Some(fixture("gateway.invalid_session.json"))
    );
}

#[tokio::test]
async fn heartbeat_timeout_and_faults() {
    let emulator = Emulator::builder()
        .heartbeat_timeout(Duration::from_millis(300))
        .start()
        .await
        .expect("starts");
    let token = token(&emulator).await;

    let mut silent = connect(&emulator).await;
    identify(&mut silent, &token, 1, [0, 1]).await;
    assert_eq!(next_json(&mut silent).await, Some(json!({"close": 4009})));

    let mut socket = connect(&emulator).await;
    let ready = identify(&mut socket, &token, 1, [0, 1]).await;
    let target = SessionTarget::Session(ready["d"]["session_id"].as_str().expect("id").to_owned());
    emulator.gateway_fault(&target, &GatewayFault::StopAcks);
    send(&mut socket, json!({"op": 1, "d": 1})).await;
    emulator.gateway_fault(&target, &GatewayFault::Reconnect);
    assert_eq!(
        next_json(&mut socket).await,
        Some(fixture("gateway.reconnect.json"))
    );
    assert_eq!(next_json(&mut socket).await, Some(json!({"close": 4009})));

    let mut other = connect(&emulator).await;
    let ready = identify(&mut other, &token, 1, [0, 1]).await;
    let session = ready["d"]["session_id"].as_str().expect("id").to_owned();
    emulator.gateway_fault(
        &SessionTarget::Session(session.clone()),
        &GatewayFault::InvalidSession { resumable: false },
    );
    assert_eq!(
        next_json(&mut other).await,
        Some(fixture("gateway.invalid_session.json"))
    );
    assert_eq!(next_json(&mut other).await, Some(json!({"close": 4006})));
    assert!(
        emulator
            .sessions()
            .iter()
            .all(|info| info.session_id != session || !info.resumable)
    );
}

#[tokio::test]
async fn firehose_after_ready() {
    let emulator = start().await;
    let token = token(&emulator).await;
    let frame = fixture("dispatch.c2c_message_create.json");
    let firehose = Firehose {
        frames: vec![FirehoseFrame {
            t: "C2C_MESSAGE_CREATE".to_owned(),
            d: frame["d"].clone(),
        }],
        count: 1000,
        unique_ids: false,
    };
    emulator.arm_firehose(None, firehose).expect("armed");
    let mut socket = connect(&emulator).await;
    identify(&mut socket, &token, 1 << 25, [0, 1]).await;
    for expected in 2..1002u64 {
        let frame = next_json(&mut socket).await.expect("firehose frame");
        assert_eq!(frame["s"], json!(expected));
        assert_eq!(frame["t"], json!("C2C_MESSAGE_CREATE"));
        // Without unique ids, every frame repeats the message id.
        assert_eq!(frame["d"]["id"], frame_template()["id"]);
    }
}

fn frame_template() -> Value {
    fixture("dispatch.c2c_message_create.json")["d"].clone()
}

#[tokio::test]
async fn firehose_unique_ids_suffix_the_message_id() {
    let emulator = start().await;
    let token = token(&emulator).await;
    let mut d = frame_template();
    // Characters that the emulator escapes, beside the id.
    d["content"] = json!("<a> & \\u0001");
    let firehose = Firehose {
        frames: vec![FirehoseFrame {
            t: "C2C_MESSAGE_CREATE".to_owned(),
            d: d.clone(),
        }],
        count: 3,
        unique_ids: true,
    };
    emulator.arm_firehose(None, firehose).expect("armed");
    let mut socket = connect(&emulator).await;
    identify(&mut socket, &token, 1 << 25, [0, 1]).await;
    let id = d["id"].as_str().expect("fixture id");
    for seq in 2..5u64 {
        let frame = next_json(&mut socket).await.expect("firehose frame");
        assert_eq!(frame["s"], json!(seq));
        let mut expected = d.clone();
        expected["id"] = json!(format!("{id}-{seq}"));
        assert_eq!(frame["d"], expected);
    }
}

#[tokio::test]
async fn control_http_round_trip() {
    let emulator = start().await;
    let message = json!({"scene": "group_at", "target": GROUP, "content": "ping"}).to_string();
    let injected = http(
        &emulator,
        "POST",
        "/_emulator/inject/message",
        &[("Content-Type", "application/json")],
        Some(&message),
    )
    .await;
    assert_eq!(injected.status, 200, "{}", injected.body);
    let msg_id = injected.json()["msg_id"]
        .as_str()
        .expect("msg id")
        .to_owned();

    let token = token(&emulator).await;
    let reply = json!({"msg_type": 0, "content": "pong", "msg_id": msg_id});
    assert_eq!(
        call(
            &emulator,
            &token,
            "POST",
            &format!("/v2/groups/{GROUP}/messages"),
            Some(&reply)
        )
        .await
        .status,
        200
    );
    let waited = http(
        &emulator,
        "GET",
        &format!("/_emulator/sent/wait?conversation=group:{GROUP}&count=1&timeout_ms=1000"),
        &[],
        None,
    )
    .await;
    assert_eq!(waited.json()[0]["content"], json!("pong"));
    let missing = http(
        &emulator,
        "POST",
        "/_emulator/inject/message",
        &[],
        Some(r#"{"scene":"c2c","target":"nobody"}"#),
    )
    .await;
    assert_eq!(missing.status, 404);
    let secret_free = format!("{:?}", emulator.world());
    assert!(!secret_free.contains(EXAMPLE_SECRET));
}

#[tokio::test]
async fn control_rejects_other_origins() {
    let emulator = start().await;
    let message = json!({"scene": "group_at", "target": GROUP, "content": "ping"}).to_string();

    let forged = http(
        &emulator,
        "POST",
        "/_emulator/inject/message",
        &[
            ("Content-Type", "text/plain"),
            ("Origin", "http://evil.example"),
        ],
        Some(&message),
    )
    .await;
    assert_eq!(forged.status, 403, "{}", forged.body);
    assert!(
        forged.body.contains("http://evil.example"),
        "{}",
        forged.body
    );

    let own_origin = emulator.base_url().trim_end_matches('/').to_owned();
    let allowed = http(
        &emulator,
        "POST",
        "/_emulator/inject/message",
        &[
            ("Content-Type", "application/json"),
            ("Origin", &own_origin),
        ],
        Some(&message),
    )
    .await;
    assert_eq!(allowed.status, 200, "{}", allowed.body);
}

#[tokio::test]
async fn undelivered_injections_say_why() {
    let emulator = start().await;

    let injected = emulator
        .inject_message(&UserMessage::c2c(C2C_USER, "hi"))
        .expect("inject");
    assert_eq!(injected.event_types, ["C2C_MESSAGE_CREATE"]);
    assert_eq!(injected.deliveries, 0);
    let note = injected.note.expect("note without a connected bot");
    assert!(note.contains("no gateway session or webhook"), "{note}");

    let injected = emulator
        .inject_message(&UserMessage::group(GROUP, "hi"))
        .expect("inject");
    assert_eq!(injected.msg_id, None);
    assert!(injected.event_ids.is_empty());
    let note = injected.note.expect("note for an @-only group");
    assert!(note.contains("group_at"), "{note}");
}

/// Starts a firehose through the control HTTP API on a connected session and returns the raw
/// text of the `count` dispatch frames it writes.
async fn firehose_over_http(frames: &[Value], count: u64) -> Vec<String> {
    let emulator = start().await;
    let token = token(&emulator).await;
    let mut socket = connect(&emulator).await;
    let ready = identify(&mut socket, &token, 1 << 25, [0, 1]).await;
    assert_eq!(ready["t"], json!("READY"));

    let frames: Vec<Value> = frames
        .iter()
        .map(|d| json!({"t": "C2C_MESSAGE_CREATE", "d": d}))
        .collect();
    let request = json!({"frames": frames, "count": count, "unique_ids": true}).to_string();
    let reply = http(
        &emulator,
        "POST",
        "/_emulator/firehose",
        &[("Content-Type", "application/json")],
        Some(&request),
    )
    .await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    assert_eq!(reply.json()["sessions"], json!(1));

    let mut texts = Vec::new();
    while texts.len() < usize::try_from(count).expect("small count") {
        let message = tokio::time::timeout(Duration::from_secs(5), socket.next())
            .await
            .expect("firehose frame in time")
            .expect("socket open")
            .expect("frame");
        if let Message::Text(text) = message {
            texts.push(text.to_string());
        }
    }

    texts
}

#[tokio::test]
async fn firehose_hostile_ids_stay_valid_json() {
    let marker = "\u{1}qie-firehose-id\u{1}";
    let cases = [
        json!({"id": format!("a{marker}b"), "content": "x"}),
        json!({"content": marker, "id": "m1"}),
        // A literal backslash before `u0001`: the JSON text then contains the marker's escape
        // shifted by one character.
        json!({"content": "\\u0001qie-firehose-id\u{1}", "id": "m2"}),
        json!({"id": "\\u0001qie-firehose-id\u{1}"}),
        json!({"id": "q\"\\x</a>&amp;"}),
        json!({"id": 42, "content": "number id"}),
        json!({"author": {"id": "u1"}, "id": "m3"}),
        json!({"author": {"id": "u1"}}),
        json!({"id": ""}),
        json!({"id": "m4", "zz": marker}),
        json!("a string d"),
        json!([{"id": "inner"}]),
        json!(null),
    ];
    let texts = firehose_over_http(&cases, cases.len() as u64).await;

    for (index, text) in texts.iter().enumerate() {
        let frame: Value = serde_json::from_str(text)
            .unwrap_or_else(|error| panic!("frame {index} is not JSON ({error}): {text}"));
        let seq = frame["s"].as_u64().expect("s");
        let mut expected = cases[index].clone();
        if let Some(Value::String(id)) = expected.get_mut("id") {
            let _ = write!(id, "-{seq}");
        }
        assert_eq!(frame["d"], expected, "frame {index}: {text}");
    }
}

#[tokio::test]
async fn firehose_rejects_count_past_seq_range() {
    let emulator = start().await;
    let token = token(&emulator).await;
    let mut socket = connect(&emulator).await;
    identify(&mut socket, &token, 1 << 25, [0, 1]).await;
    let request = json!({
        "frames": [{"t": "C2C_MESSAGE_CREATE", "d": {"id": "m1"}}],
        "count": u64::MAX,
    })
    .to_string();
    let reply = http(
        &emulator,
        "POST",
        "/_emulator/firehose",
        &[("Content-Type", "application/json")],
        Some(&request),
    )
    .await;

    assert_eq!(reply.status, 400, "{}", reply.body);
    // The emulator still serves control calls.
    let sessions = http(&emulator, "GET", "/_emulator/sessions", &[], None).await;
    assert_eq!(sessions.status, 200, "{}", sessions.body);
}
