//! The web console's routes over real sockets: the page and its files, the conversation list,
//! the live feed, picture uploads and the media a bot sends.

use std::fmt::Write;
use std::time::Duration;

use base64::Engine;
use futures_util::{SinkExt, StreamExt};
use qie_emulator::control::UserMessage;
use qie_emulator::world::{EXAMPLE_APP_ID, EXAMPLE_SECRET};
use qie_emulator::{Emulator, EmulatorHandle, GatewayFault, SessionTarget};
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;

const GROUP: &str = "6A1C4E0B9D2F47A8B3C5D7E9F1A2B3C4";
const BOB_OPENID: &str = "0F1E2D3C4B5A69788796A5B4C3D2E1F0";
const C2C_USER: &str = "3B9AC9F1D2E34F5A8B7C6D5E4F3A2B1C";

/// A 1×1 PNG.
const PNG: &[u8] = &[
    0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1F, 0x15, 0xC4,
    0x89, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9C, 0x63, 0xF8, 0xCF, 0xC0, 0xF0,
    0x1F, 0x00, 0x05, 0x00, 0x01, 0xFF, 0x89, 0x99, 0x3D, 0x1D, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45,
    0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82,
];

struct Reply {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Reply {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }

    fn text(&self) -> String {
        String::from_utf8(self.body.clone()).expect("UTF-8 body")
    }

    fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|error| panic!("body {:?} is not JSON: {error}", self.text()))
    }
}

/// Sends one HTTP/1.1 request over a fresh connection and reads the whole response.
async fn http(
    emulator: &EmulatorHandle,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &[u8],
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
    let _ = write!(request, "Content-Length: {}\r\n\r\n", body.len());
    stream.write_all(request.as_bytes()).await.expect("write");
    stream.write_all(body).await.expect("write body");
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).await.expect("read");

    let split = raw
        .windows(4)
        .position(|window| window == b"\r\n\r\n")
        .expect("header end");
    let head = String::from_utf8(raw[..split].to_vec()).expect("UTF-8 head");
    let mut lines = head.lines();
    let status = lines
        .next()
        .and_then(|line| line.split(' ').nth(1))
        .and_then(|status| status.parse().ok())
        .expect("status");
    let headers: Vec<(String, String)> = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(name, value)| (name.trim().to_owned(), value.trim().to_owned()))
        .collect();
    let mut body = raw[split + 4..].to_vec();
    let chunked = headers.iter().any(|(name, value)| {
        name.eq_ignore_ascii_case("transfer-encoding") && value.eq_ignore_ascii_case("chunked")
    });
    if chunked {
        body = dechunk(&body);
    }

    Reply {
        status,
        headers,
        body,
    }
}

fn dechunk(mut body: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    loop {
        let line_end = body
            .windows(2)
            .position(|window| window == b"\r\n")
            .expect("chunk size line");
        let size_text = String::from_utf8(body[..line_end].to_vec()).expect("chunk size");
        let size = usize::from_str_radix(size_text.trim(), 16).expect("hex chunk size");
        body = &body[line_end + 2..];
        if size == 0 {
            return out;
        }
        out.extend_from_slice(&body[..size]);
        body = &body[size + 2..];
    }
}

async fn get(emulator: &EmulatorHandle, path: &str) -> Reply {
    http(emulator, "GET", path, &[], b"").await
}

async fn token(emulator: &EmulatorHandle) -> String {
    let body = json!({"appId": EXAMPLE_APP_ID, "clientSecret": EXAMPLE_SECRET}).to_string();
    let reply = http(
        emulator,
        "POST",
        "/app/getAppAccessToken",
        &[("Content-Type", "application/json")],
        body.as_bytes(),
    )
    .await;
    reply.json()["access_token"]
        .as_str()
        .expect("token")
        .to_owned()
}

/// Calls the OpenAPI as the example bot.
async fn call(emulator: &EmulatorHandle, token: &str, path: &str, body: &Value) -> Reply {
    let auth = format!("QQBot {token}");
    http(
        emulator,
        "POST",
        path,
        &[
            ("Authorization", &auth),
            ("Content-Type", "application/json"),
        ],
        body.to_string().as_bytes(),
    )
    .await
}

type Feed = tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<TcpStream>>;

async fn open_feed(emulator: &EmulatorHandle) -> (Feed, Value) {
    let url = format!("ws://{}/_emulator/console/feed", emulator.local_addr());
    let (mut feed, _) = tokio_tungstenite::connect_async(url)
        .await
        .expect("feed connects");
    let hello = next_message(&mut feed, "hello").await;

    (feed, hello)
}

/// Returns the next feed message of type `kind`, skipping the others.
async fn next_message(feed: &mut Feed, kind: &str) -> Value {
    next_matching(feed, |message| message["type"] == kind).await
}

async fn next_matching(feed: &mut Feed, wanted: impl Fn(&Value) -> bool) -> Value {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(5);
    loop {
        let message = tokio::time::timeout_at(deadline, feed.next())
            .await
            .expect("feed message in time")
            .expect("feed open")
            .expect("feed message");
        if let Message::Text(text) = message {
            let value: Value = serde_json::from_str(&text).expect("feed message is JSON");
            if wanted(&value) {
                return value;
            }
        }
    }
}

async fn start() -> EmulatorHandle {
    Emulator::builder().start().await.expect("emulator starts")
}

#[tokio::test]
async fn page_is_served_with_a_strict_policy() {
    let emulator = start().await;
    assert_eq!(
        emulator.console_url(),
        format!("http://{}/", emulator.local_addr())
    );

    let page = get(&emulator, "/").await;

    assert_eq!(page.status, 200);
    assert_eq!(
        page.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    let policy = page.header("content-security-policy").expect("CSP");
    assert!(policy.contains("default-src 'none'"), "{policy}");
    assert!(policy.contains("script-src 'self'"), "{policy}");
    assert!(!policy.contains("unsafe-inline"), "{policy}");
    assert_eq!(page.header("x-frame-options"), Some("DENY"));
    assert_eq!(page.header("x-content-type-options"), Some("nosniff"));
    assert!(page.text().contains("/_emulator/console/assets/app.js"));
    assert!(!page.text().contains("<script>"), "no inline script");
}

#[tokio::test]
async fn every_referenced_asset_exists() {
    let emulator = start().await;
    let page = get(&emulator, "/").await.text();
    let mut names: Vec<String> = page
        .split("/_emulator/console/assets/")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .map(str::to_owned)
        .collect();

    let mut index = 0;
    while index < names.len() {
        let name = names[index].clone();
        let reply = get(&emulator, &format!("/_emulator/console/assets/{name}")).await;
        assert_eq!(reply.status, 200, "asset {name}");
        assert_eq!(reply.header("x-content-type-options"), Some("nosniff"));
        let expected = match name.rsplit('.').next() {
            Some("js") => "text/javascript; charset=utf-8",
            Some("css") => "text/css; charset=utf-8",
            Some("svg") => "image/svg+xml",
            other => panic!("unexpected asset type {other:?}"),
        };
        assert_eq!(reply.header("content-type"), Some(expected), "asset {name}");
        // Modules import their siblings as "./name.js".
        for imported in reply.text().split("from \"./").skip(1) {
            let imported = imported.split('"').next().unwrap_or_default().to_owned();
            if !names.contains(&imported) {
                names.push(imported);
            }
        }
        index += 1;
    }

    assert!(names.len() >= 7, "{names:?}");
    let missing = get(&emulator, "/_emulator/console/assets/secret.txt").await;
    assert_eq!(missing.status, 404);
}

#[tokio::test]
async fn page_never_assigns_html() {
    let emulator = start().await;
    let page = get(&emulator, "/").await.text();
    for name in page
        .split("/_emulator/console/assets/")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .filter(|name| name.rsplit('.').next() == Some("js"))
    {
        let script = get(&emulator, &format!("/_emulator/console/assets/{name}"))
            .await
            .text();
        for sink in [
            "innerHTML",
            "outerHTML",
            "insertAdjacentHTML",
            "document.write",
            "eval(",
        ] {
            assert!(!script.contains(sink), "{name} uses {sink}");
        }
    }
}

#[tokio::test]
async fn state_lists_conversations_without_secrets() {
    let emulator = start().await;

    let reply = get(&emulator, "/_emulator/console/state").await;

    assert_eq!(reply.status, 200);
    let text = reply.text();
    assert!(!text.contains(EXAMPLE_SECRET), "the secret leaked");
    assert!(!text.contains("secret"), "{text}");
    let state = reply.json();
    assert_eq!(state["bots"][0]["app_id"], json!(EXAMPLE_APP_ID));
    assert_eq!(state["bots"][0]["username"], json!("ExampleBot"));
    let conversations = state["conversations"].as_array().expect("a list");
    let find = |key: &str| {
        conversations
            .iter()
            .find(|conversation| conversation["key"] == key)
            .unwrap_or_else(|| panic!("conversation {key} missing"))
    };

    let group = find(&format!("group:{GROUP}"));
    assert_eq!(group["scene_at"], json!("group_at"));
    assert_eq!(group["plain_delivered"], json!(false));
    assert_eq!(group["click_scene"], json!("group"));
    assert!(
        group["speakers"]
            .as_array()
            .expect("speakers")
            .iter()
            .any(|speaker| speaker["openid"] == BOB_OPENID)
    );

    let c2c = find(&format!("c2c:{C2C_USER}"));
    assert_eq!(c2c["friend"], json!(true));
    assert_eq!(c2c["scene_plain"], json!("c2c"));
    assert_eq!(c2c["scene_at"], Value::Null);

    let channel = find("channel:5550001");
    assert_eq!(channel["scene_at"], json!("guild_at"));
    assert!(channel["guild"].is_string());
    assert!(
        !conversations
            .iter()
            .any(|conversation| conversation["key"] == "channel:5550005"),
        "a voice channel is not a conversation"
    );

    let dm = find("dm:7999000000000000001");
    assert_eq!(dm["click_scene"], Value::Null);
}

#[tokio::test]
async fn feed_carries_user_and_bot_entries() {
    let emulator = start().await;
    let (mut feed, hello) = open_feed(&emulator).await;
    assert_eq!(hello["timeline"], json!([]));

    let injected = emulator
        .inject_message(&UserMessage::group_at(GROUP, "/help").author(BOB_OPENID))
        .expect("inject");
    let user = next_message(&mut feed, "entry").await["entry"].clone();
    assert_eq!(user["from"], json!("user"));
    assert_eq!(user["conversation"], json!(format!("group:{GROUP}")));
    assert_eq!(user["author"]["id"], json!(BOB_OPENID));
    assert_eq!(user["mentions_bot"], json!(true));
    assert_eq!(user["event_types"], json!(["GROUP_AT_MESSAGE_CREATE"]));
    assert_eq!(user["id"].as_str(), injected.msg_id.as_deref());

    let token = token(&emulator).await;
    let sent = call(
        &emulator,
        &token,
        &format!("/v2/groups/{GROUP}/messages"),
        &json!({
            "msg_type": 2,
            "markdown": {"content": "# help\n- `/ping`"},
            "msg_id": injected.msg_id,
            "msg_seq": 1,
        }),
    )
    .await;
    assert_eq!(sent.status, 200, "{}", sent.text());
    let bot = next_message(&mut feed, "entry").await["entry"].clone();
    assert_eq!(bot["from"], json!("bot"));
    assert_eq!(bot["conversation"], json!(format!("group:{GROUP}")));
    assert_eq!(bot["markdown"]["content"], json!("# help\n- `/ping`"));
    assert_eq!(bot["passive"], json!(true));
    assert!(bot["seq"].as_u64() > user["seq"].as_u64());

    let rest = next_matching(&mut feed, |message| {
        message["type"] == "inspect"
            && message["event"]["route"] == "/v2/groups/{group_openid}/messages"
    })
    .await;
    assert_eq!(rest["event"]["status"], json!(200));
    assert!(rest["at_ms"].as_u64().is_some_and(|ms| ms > 0));

    // A page opened later gets both entries, in order.
    let (_, later) = open_feed(&emulator).await;
    let timeline = later["timeline"].as_array().expect("timeline");
    assert_eq!(timeline.len(), 2);
    assert_eq!(timeline[0]["from"], json!("user"));
    assert_eq!(timeline[1]["from"], json!("bot"));
    assert!(
        later["inspector"]
            .as_array()
            .expect("inspector")
            .iter()
            .any(|item| item["event"]["route"] == "/v2/groups/{group_openid}/messages")
    );
}

#[tokio::test]
async fn feed_refuses_other_origins() {
    let emulator = start().await;
    let host = emulator.local_addr().to_string();
    let upgrade = |origin: String| {
        let host = host.clone();
        async move {
            let mut request = format!("ws://{host}/_emulator/console/feed")
                .into_client_request()
                .expect("request");
            request
                .headers_mut()
                .insert("origin", origin.parse().expect("header value"));
            tokio_tungstenite::connect_async(request).await
        }
    };

    let foreign = upgrade("http://attacker.example".to_owned()).await;
    match foreign {
        Err(tokio_tungstenite::tungstenite::Error::Http(response)) => {
            assert_eq!(response.status(), 403);
        }
        other => panic!("expected HTTP 403, got {other:?}"),
    }
    let own = upgrade(format!("http://{host}")).await;
    assert!(own.is_ok(), "the console page's own origin is accepted");
}

#[tokio::test]
async fn feed_asks_for_a_fresh_snapshot() {
    let emulator = start().await;
    let (mut feed, _) = open_feed(&emulator).await;
    emulator
        .inject_message(&UserMessage::c2c(C2C_USER, "hi"))
        .expect("inject");
    next_message(&mut feed, "entry").await;

    feed.send(Message::Text(
        json!({"type": "snapshot"}).to_string().into(),
    ))
    .await
    .expect("send");
    let hello = next_message(&mut feed, "hello").await;

    assert_eq!(hello["timeline"].as_array().map(Vec::len), Some(1));
    assert_eq!(
        hello["timeline"][0]["conversation"],
        json!(format!("c2c:{C2C_USER}"))
    );
}

#[tokio::test]
async fn upload_accepts_pictures_only() {
    let emulator = start().await;

    let reply = http(
        &emulator,
        "POST",
        "/_emulator/console/upload?filename=dot.png&width=1&height=1",
        &[("Content-Type", "image/png")],
        PNG,
    )
    .await;

    assert_eq!(reply.status, 200, "{}", reply.text());
    let attachment = reply.json();
    assert_eq!(attachment["content_type"], json!("image/png"));
    assert_eq!(attachment["filename"], json!("dot.png"));
    assert_eq!(attachment["width"], json!(1));
    assert_eq!(attachment["size"], json!(PNG.len()));
    let url = attachment["url"].as_str().expect("url");
    let path = url
        .strip_prefix(&format!("http://{}", emulator.local_addr()))
        .expect("the emulator's own address");
    let file = get(&emulator, path).await;
    assert_eq!(file.status, 200);
    assert_eq!(file.body, PNG);
    assert_eq!(file.header("content-type"), Some("image/png"));
    assert_eq!(
        file.header("content-security-policy"),
        Some("default-src 'none'; sandbox")
    );

    let svg = http(
        &emulator,
        "POST",
        "/_emulator/console/upload",
        &[("Content-Type", "image/svg+xml")],
        b"<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>",
    )
    .await;
    assert_eq!(svg.status, 400);
    assert!(
        svg.json()["error"]
            .as_str()
            .is_some_and(|error| error.contains("PNG"))
    );

    let unknown = get(&emulator, "/_emulator/console/files/u999").await;
    assert_eq!(unknown.status, 404);
}

#[tokio::test]
async fn uploaded_picture_reaches_the_bot_as_an_attachment() {
    let emulator = start().await;
    let attachment = http(
        &emulator,
        "POST",
        "/_emulator/console/upload?filename=dot.png",
        &[("Content-Type", "image/png")],
        PNG,
    )
    .await
    .json();

    let message = UserMessage::c2c(C2C_USER, "look").attachment(attachment.clone());
    emulator.inject_message(&message).expect("inject");
    let (_, hello) = open_feed(&emulator).await;

    assert_eq!(hello["timeline"][0]["attachments"][0], attachment);
}

#[tokio::test]
async fn bot_media_can_be_shown() {
    let emulator = start().await;
    let token = token(&emulator).await;
    let injected = emulator
        .inject_message(&UserMessage::c2c(C2C_USER, "/dice"))
        .expect("inject");
    let upload = call(
        &emulator,
        &token,
        &format!("/v2/users/{C2C_USER}/files"),
        &json!({
            "file_type": 1,
            "file_data": base64::engine::general_purpose::STANDARD.encode(PNG),
            "srv_send_msg": false,
        }),
    )
    .await;
    assert_eq!(upload.status, 200, "{}", upload.text());
    let file_info = upload.json()["file_info"]
        .as_str()
        .expect("file_info")
        .to_owned();
    let sent = call(
        &emulator,
        &token,
        &format!("/v2/users/{C2C_USER}/messages"),
        &json!({"msg_type": 7, "media": {"file_info": file_info}, "msg_id": injected.msg_id}),
    )
    .await;
    assert_eq!(sent.status, 200, "{}", sent.text());

    let (_, hello) = open_feed(&emulator).await;
    let bot = hello["timeline"]
        .as_array()
        .expect("timeline")
        .iter()
        .find(|entry| entry["from"] == "bot")
        .expect("the bot's message")
        .clone();
    assert_eq!(bot["media_view"]["kept"], json!(true));
    assert_eq!(bot["media_view"]["file_type"], json!(1));
    let path = bot["media_view"]["path"].as_str().expect("a path");
    let image = get(&emulator, path).await;
    assert_eq!(image.status, 200);
    assert_eq!(image.body, PNG);
    assert_eq!(image.header("content-type"), Some("image/png"));
}

#[tokio::test]
async fn sessions_carry_heartbeat_timing_and_resumes() {
    let emulator = start().await;
    let token = token(&emulator).await;
    let (mut gateway, _) = tokio_tungstenite::connect_async(emulator.gateway_url())
        .await
        .expect("gateway connects");
    gateway.next().await.expect("hello").expect("hello frame");
    let identify = json!({"op": 2, "d": {"token": format!("QQBot {token}"), "intents": 1 << 25, "shard": [0, 1]}});
    gateway
        .send(Message::Text(identify.to_string().into()))
        .await
        .expect("identify");
    gateway.next().await.expect("ready").expect("ready frame");
    gateway
        .send(Message::Text(json!({"op": 1, "d": 1}).to_string().into()))
        .await
        .expect("heartbeat");
    gateway.next().await.expect("ack").expect("ack frame");

    let (mut feed, hello) = open_feed(&emulator).await;
    let session = &hello["sessions"][0];
    assert_eq!(session["connected"], json!(true));
    assert!(session["heartbeat_rtt_ms"].as_f64().is_some(), "{session}");
    assert_eq!(session["unanswered_heartbeats"], json!(0));
    assert_eq!(session["resumes"], json!(0));

    emulator.gateway_fault(
        &SessionTarget::All,
        &GatewayFault::Close {
            code: 4009,
            reason: "test".to_owned(),
            invalidate: None,
        },
    );
    let closed = next_matching(&mut feed, |message| {
        message["type"] == "sessions" && message["sessions"][0]["last_close_code"] == json!(4009)
    })
    .await;
    assert_eq!(closed["sessions"][0]["resumable"], json!(true));
}
