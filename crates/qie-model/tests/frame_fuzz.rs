//! Property tests: no input makes the frame parsers panic, and frames that parse keep their
//! envelope.

use proptest::prelude::*;
use qie_model::event::{Event, EventType};
use qie_model::gateway::{ClientFrame, ServerFrame};
use serde_json::{Map, Value, json};

fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>()
            .prop_filter("finite", |number| number.is_finite())
            .prop_map(Value::from),
        ".{0,12}".prop_map(Value::String),
        "[0-9A-F]{1,32}".prop_map(Value::String),
    ];

    leaf.prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::btree_map(field_name(), inner, 0..8)
                .prop_map(|map| Value::Object(map.into_iter().collect::<Map<_, _>>())),
        ]
    })
}

/// Field names the typed structs read, plus arbitrary ones.
fn field_name() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(vec![
            "id",
            "content",
            "author",
            "timestamp",
            "group_openid",
            "member_openid",
            "user_openid",
            "attachments",
            "mentions",
            "message_scene",
            "ext",
            "guild_id",
            "channel_id",
            "member",
            "roles",
            "session_id",
            "user",
            "shard",
            "heartbeat_interval",
            "type",
            "data",
            "resolved",
            "emoji",
            "target",
            "thread_info",
            "title",
            "paragraphs",
            "elems",
            "token",
            "intents",
            "seq",
            "plain_token",
            "event_ts",
            "msg_elements",
            "op_member_openid",
            "openid",
        ])
        .prop_map(str::to_owned),
        "[a-z_]{1,10}",
    ]
}

fn event_name() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(EventType::ALL.to_vec()).prop_map(|kind| kind.name().to_owned()),
        "[A-Z_]{0,20}",
    ]
}

fn frame_value() -> impl Strategy<Value = Value> {
    (
        0u8..16,
        event_name(),
        json_value(),
        proptest::option::of(any::<u64>()),
        any::<bool>(),
    )
        .prop_map(|(op, name, data, seq, data_first)| {
            if data_first {
                json!({"d": data, "op": op, "t": name, "s": seq, "id": "E:1"})
            } else {
                json!({"op": op, "s": seq, "t": name, "id": "E:1", "d": data})
            }
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        let _ = ServerFrame::from_slice(&bytes);
        let _ = ClientFrame::from_slice(&bytes);
    }

    #[test]
    fn arbitrary_json_never_panics(value in json_value()) {
        let bytes = serde_json::to_vec(&value).unwrap();

        let _ = ServerFrame::from_slice(&bytes);
        let _ = ClientFrame::from_slice(&bytes);
    }

    #[test]
    fn frame_shaped_json_never_panics(value in frame_value()) {
        let bytes = serde_json::to_vec(&value).unwrap();

        let server = ServerFrame::from_slice(&bytes);
        let _ = ClientFrame::from_slice(&bytes);

        // A dispatch always keeps its envelope, whatever its payload.
        if value["op"] == 0 {
            let Ok(ServerFrame::Dispatch(dispatch)) = server else {
                panic!("op 0 frame was not a dispatch: {server:?}");
            };
            prop_assert_eq!(dispatch.seq, value["s"].as_u64());
            prop_assert_eq!(dispatch.id.as_ref().map(qie_model::id::EventId::as_str), Some("E:1"));
            prop_assert_eq!(dispatch.event.name(), value["t"].as_str().unwrap());
        }
    }

    #[test]
    fn event_from_raw_never_panics(name in event_name(), data in json_value()) {
        let text = serde_json::to_string(&data).unwrap();
        let event = Event::from_raw(&name, &text);

        prop_assert_eq!(event.name(), name.as_str());
    }
}
