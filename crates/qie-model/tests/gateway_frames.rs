//! Gateway fixtures parse into the expected frames and serialize back to the same JSON.

mod common;

use common::{fixture, fixture_value};
use qie_model::event::Event;
use qie_model::gateway::{
    ClientFrame, Dispatch, FrameErrorKind, Hello, Identify, IdentifyProperties, Intents, OpCode,
    Ready, ReadyUser, Resume, ServerFrame, Shard,
};
use qie_model::id::{EventId, UserId};
use qie_model::secret::{AccessToken, GatewayToken};

const FIXTURE_TOKEN: &str = "EXAMPLEaccessTOKEN0123456789abcdefGHIJklmnOPQR";

fn server(name: &str) -> ServerFrame {
    ServerFrame::from_slice(&fixture(name)).unwrap_or_else(|error| panic!("{name}: {error}"))
}

fn client(name: &str) -> ClientFrame {
    ClientFrame::from_slice(&fixture(name)).unwrap_or_else(|error| panic!("{name}: {error}"))
}

fn assert_serializes_to_fixture<T: serde::Serialize>(value: &T, name: &str) {
    assert_eq!(
        serde_json::to_value(value).expect("the value serializes"),
        fixture_value(name),
        "{name}"
    );
}

#[test]
fn hello_fixture() {
    let frame = server("gateway.hello.json");

    assert_eq!(frame, ServerFrame::Hello(Hello::new(45_000)));
    assert_eq!(frame.opcode(), OpCode::Hello);
    assert_serializes_to_fixture(&frame, "gateway.hello.json");
}

#[test]
fn heartbeat_fixtures() {
    let heartbeat = client("gateway.heartbeat.json");
    let first = client("gateway.heartbeat_first.json");

    assert_eq!(heartbeat, ClientFrame::Heartbeat(Some(42)));
    assert_eq!(first, ClientFrame::Heartbeat(None));
    assert_serializes_to_fixture(&heartbeat, "gateway.heartbeat.json");
    assert_serializes_to_fixture(&first, "gateway.heartbeat_first.json");
}

#[test]
fn heartbeat_ack_fixture_without_d() {
    let frame = server("gateway.heartbeat_ack.json");

    assert_eq!(frame, ServerFrame::HeartbeatAck);
    assert_serializes_to_fixture(&frame, "gateway.heartbeat_ack.json");
}

#[test]
fn reconnect_fixture() {
    let frame = server("gateway.reconnect.json");

    assert_eq!(frame, ServerFrame::Reconnect);
    assert_serializes_to_fixture(&frame, "gateway.reconnect.json");
}

#[test]
fn invalid_session_fixture_boolean_d() {
    let frame = server("gateway.invalid_session.json");

    assert_eq!(frame, ServerFrame::InvalidSession(false));
    assert_serializes_to_fixture(&frame, "gateway.invalid_session.json");
    assert_eq!(
        ServerFrame::from_slice(br#"{"op":9,"d":true}"#).unwrap(),
        ServerFrame::InvalidSession(true)
    );
    assert_eq!(
        ServerFrame::from_slice(br#"{"op":9}"#).unwrap(),
        ServerFrame::InvalidSession(false)
    );
}

#[test]
fn identify_fixture() {
    let ClientFrame::Identify(identify) = client("gateway.identify.json") else {
        panic!("expected Identify");
    };

    assert_eq!(
        identify.token,
        GatewayToken::QqBot(AccessToken::new(FIXTURE_TOKEN))
    );
    assert_eq!(identify.intents, Intents::PUBLIC_BOT);
    assert_eq!(identify.shard, Shard::ONE);
    let properties = identify.properties.clone().unwrap();
    assert_eq!(properties.os.as_deref(), Some("linux"));
    assert_eq!(properties.browser.as_deref(), Some("example-sdk"));
    assert_eq!(properties.device.as_deref(), Some("example-sdk"));

    let built = Identify::new(
        GatewayToken::new(AccessToken::new(FIXTURE_TOKEN)),
        Intents::PUBLIC_BOT,
        Shard::new(0, 1),
    )
    .with_properties(IdentifyProperties::new("linux", "example-sdk"));
    assert_eq!(built, identify);
    assert_serializes_to_fixture(&ClientFrame::Identify(built), "gateway.identify.json");
}

#[test]
fn resume_fixture() {
    let frame = client("gateway.resume.json");
    let expected = Resume::new(
        GatewayToken::new(AccessToken::new(FIXTURE_TOKEN)),
        "6f1d2c3b-4a59-4e68-8d7c-0b1a2f3e4d5c",
        42,
    );

    assert_eq!(frame, ClientFrame::Resume(expected));
    assert_serializes_to_fixture(&frame, "gateway.resume.json");
}

#[test]
fn identify_and_resume_debug_redact_token() {
    for name in ["gateway.identify.json", "gateway.resume.json"] {
        let frame = client(name);
        let debug = format!("{frame:?}");
        let pretty = format!("{frame:#?}");

        assert!(!debug.contains(FIXTURE_TOKEN), "{name}: {debug}");
        assert!(!pretty.contains(FIXTURE_TOKEN), "{name}: {pretty}");
        assert!(debug.contains("<redacted>"), "{name}: {debug}");
    }
}

#[test]
fn ready_fixture() {
    let frame = server("gateway.ready.json");
    let ServerFrame::Dispatch(dispatch) = &frame else {
        panic!("expected a dispatch, got {frame:?}");
    };

    assert_eq!(dispatch.seq, Some(1));
    assert_eq!(dispatch.id, None);
    assert_eq!(dispatch.event.name(), "READY");
    let Event::Ready(ready) = &dispatch.event else {
        panic!("expected READY, got {:?}", dispatch.event);
    };
    assert_eq!(ready.version, 1);
    assert_eq!(ready.session_id, "6f1d2c3b-4a59-4e68-8d7c-0b1a2f3e4d5c");
    assert_eq!(ready.user.id, UserId::new("11223344556677889900"));
    assert_eq!(ready.user.username, "ExampleBot");
    assert!(ready.user.bot);
    assert_eq!(ready.shard, Shard::ONE);

    let built = ServerFrame::Dispatch(Dispatch::new(
        None,
        Some(1),
        Event::Ready(Box::new(Ready::new(
            "6f1d2c3b-4a59-4e68-8d7c-0b1a2f3e4d5c",
            ReadyUser::new(UserId::new("11223344556677889900"), "ExampleBot"),
            Shard::ONE,
        ))),
    ));
    assert_eq!(built, frame);
    assert_serializes_to_fixture(&frame, "gateway.ready.json");
}

#[test]
fn resumed_fixture_empty_string_d() {
    let frame = server("gateway.resumed.json");
    let ServerFrame::Dispatch(dispatch) = &frame else {
        panic!("expected a dispatch, got {frame:?}");
    };

    assert_eq!(dispatch.seq, Some(47));
    assert_eq!(dispatch.event, Event::Resumed);
    assert_serializes_to_fixture(&frame, "gateway.resumed.json");
}

#[test]
fn dispatch_with_d_before_t_parses() {
    let frame = ServerFrame::from_slice(
        br#"{"id":"READY:1","op":0,"d":{"session_id":"x","user":{"id":"1"}},"t":"READY"}"#,
    )
    .unwrap();
    let ServerFrame::Dispatch(dispatch) = frame else {
        panic!("expected a dispatch");
    };

    assert_eq!(dispatch.seq, None);
    assert_eq!(dispatch.id.as_ref().map(EventId::as_str), Some("READY:1"));
    assert!(matches!(&dispatch.event, Event::Ready(ready) if ready.session_id == "x"));
}

#[test]
fn malformed_known_event_keeps_envelope() {
    for bytes in [
        &br#"{"op":0,"s":9,"t":"READY","id":"e1","d":{"session_id":[]}}"#[..],
        &br#"{"d":{"session_id":[]},"op":0,"s":9,"t":"READY","id":"e1"}"#[..],
    ] {
        let ServerFrame::Dispatch(dispatch) = ServerFrame::from_slice(bytes).unwrap() else {
            panic!("expected a dispatch");
        };

        assert_eq!(dispatch.seq, Some(9));
        assert_eq!(dispatch.id.as_ref().map(EventId::as_str), Some("e1"));
        let Event::Unknown { name, raw } = &dispatch.event else {
            panic!("expected Unknown, got {:?}", dispatch.event);
        };
        assert_eq!(name, "READY");
        assert_eq!(raw.get(), r#"{"session_id":[]}"#);
    }
}

#[test]
fn unknown_opcode_keeps_payload() {
    let frame = ServerFrame::from_slice(br#"{"op":42,"d":{"x":1}}"#).unwrap();

    let ServerFrame::Unknown { op, d } = &frame else {
        panic!("expected Unknown, got {frame:?}");
    };
    assert_eq!(*op, 42);
    assert_eq!(
        d.as_ref().map(qie_model::json::RawJson::get),
        Some(r#"{"x":1}"#)
    );
}

#[test]
fn invalid_frames_are_errors() {
    let not_json = ServerFrame::from_slice(b"{\"op\":").unwrap_err();
    let no_op = ServerFrame::from_slice(br#"{"d":1}"#).unwrap_err();
    let bad_hello = ServerFrame::from_slice(br#"{"op":10,"d":{}}"#).unwrap_err();

    assert_eq!(not_json.kind(), FrameErrorKind::InvalidJson);
    assert_eq!(no_op.kind(), FrameErrorKind::InvalidFrame);
    assert_eq!(bad_hello.kind(), FrameErrorKind::InvalidFrame);
    assert!(ServerFrame::from_slice(b"[]").is_err());
    assert!(ServerFrame::from_slice(br#"{"op":0,"op":1}"#).is_err());
}

#[test]
fn webhook_ack_fixture() {
    let frame = client("webhook.dispatch.ack.json");

    assert_eq!(frame, ClientFrame::HttpCallbackAck(0));
    assert_serializes_to_fixture(&frame, "webhook.dispatch.ack.json");
}
