//! The fast path must agree with serde on every frame it accepts.

use proptest::prelude::*;
use serde_json::{Map, Value, json};

use super::parse_dispatch;
use crate::gateway::parse_with_serde;

/// Removes whitespace outside strings, keeping the key order (unlike a `Value` round trip).
fn minify(text: &str) -> String {
    let mut output = String::with_capacity(text.len());
    let (mut in_string, mut escaped) = (false, false);
    for character in text.chars() {
        if in_string {
            output.push(character);
            if escaped {
                escaped = false;
            } else if character == '\\' {
                escaped = true;
            } else if character == '"' {
                in_string = false;
            }
        } else if character == '"' {
            in_string = true;
            output.push(character);
        } else if !character.is_whitespace() {
            output.push(character);
        }
    }

    output
}

fn fixture(name: &str) -> String {
    let path = format!("{}/../../fixtures/{name}", env!("CARGO_MANIFEST_DIR"));

    std::fs::read_to_string(&path).unwrap_or_else(|error| panic!("read {path}: {error}"))
}

const HOT_FIXTURES: [&str; 6] = [
    "dispatch.at_message_create.json",
    "dispatch.message_create.json",
    "dispatch.direct_message_create.json",
    "dispatch.group_at_message_create.json",
    "dispatch.group_message_create.json",
    "dispatch.c2c_message_create.json",
];

#[test]
fn hot_fixtures_take_fast_path() {
    for name in HOT_FIXTURES {
        for text in [fixture(name), minify(&fixture(name))] {
            let fast =
                parse_dispatch(&text).unwrap_or_else(|| panic!("{name}: fast path declined"));
            let reference = parse_with_serde(&text).unwrap();

            assert_eq!(fast, reference, "{name}");
        }
    }
}

#[test]
fn other_frames_decline_fast_path() {
    for text in [
        fixture("gateway.ready.json"),
        fixture("dispatch.interaction_create.json"),
        fixture("gateway.hello.json"),
        // `d` before `t`: the two-pass serde path handles it.
        r#"{"d":{"id":"m","author":{"user_openid":"U"}},"op":0,"t":"C2C_MESSAGE_CREATE"}"#
            .to_owned(),
    ] {
        assert_eq!(parse_dispatch(&text), None, "{text}");
    }
}

#[test]
fn escapes_and_unicode_agree() {
    let text = r#"{"op":0,"s":1,"t":"AT_MESSAGE_CREATE","id":"e","d":{"id":"m","channel_id":5,"guild_id":"7","content":"\u003c@!1\u003e \ud83d\ude00 caf\u00e9 \"q\" \\ \/ \b\f\n\r\t 中文","author":{"id":"2","username":"\u540d\u5b57 long name that goes past thirty-two bytes"}}}"#;
    let fast = parse_dispatch(text).expect("fast path accepts escapes");

    assert_eq!(fast, parse_with_serde(text).unwrap());
}

#[test]
fn invalid_escapes_decline() {
    for content in [
        r"\ud800",
        r"\udc00",
        r"\ud800\u0041",
        r"\x",
        r"\u12",
        "\u{1}",
    ] {
        let text = format!(
            r#"{{"op":0,"t":"C2C_MESSAGE_CREATE","d":{{"id":"m","author":{{"user_openid":"U"}},"content":"{content}"}}}}"#
        );

        assert_eq!(parse_dispatch(&text), None, "{content:?}");
    }
}

fn text_value() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-zA-Z0-9 ]{0,40}",
        "\\PC{0,20}",
        Just("<@!11223344556677889900> /help".to_owned()),
        Just("6A1C4E0B9D2F47A8B3C5D7E9F1A2B3C4".to_owned()),
        Just("ROBOT1.0_Gp7kExampl3GroupMsgId0002IjKlMnOpQrStUvWxYz.AbCd!".to_owned()),
    ]
}

/// Generates a value of a random JSON type, to put wrong types into fields.
fn odd_value() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        (-1.0e6..1.0e6f64).prop_map(Value::from),
        text_value().prop_map(Value::String),
        Just(json!([])),
        Just(json!({"nested": [1, {"x": null}]})),
    ]
}

/// Generates a field value: usually the documented type, sometimes anything.
fn field(
    documented: impl Strategy<Value = Value> + 'static,
) -> impl Strategy<Value = Option<Value>> {
    proptest::option::weighted(
        0.93,
        prop_oneof![30 => documented.boxed(), 1 => odd_value().boxed()],
    )
}

fn string_field() -> impl Strategy<Value = Option<Value>> {
    field(text_value().prop_map(Value::String))
}

fn object(fields: Vec<(&'static str, Option<Value>)>, extra: Option<Value>) -> Value {
    let mut map = Map::new();
    for (key, value) in fields {
        if let Some(value) = value {
            map.insert(key.to_owned(), value);
        }
    }
    if let Some(extra) = extra {
        map.insert("unknown_field".to_owned(), extra);
    }

    Value::Object(map)
}

fn attachment() -> impl Strategy<Value = Value> {
    (
        string_field(),
        string_field(),
        field(any::<u32>().prop_map(Value::from)),
        field(any::<u64>().prop_map(Value::from)),
        string_field(),
    )
        .prop_map(|(url, content_type, width, size, asr)| {
            object(
                vec![
                    ("url", url),
                    ("content_type", content_type),
                    ("width", width),
                    ("size", size),
                    ("asr_refer_text", asr),
                ],
                None,
            )
        })
}

fn group_message() -> impl Strategy<Value = Value> {
    let author = (
        string_field(),
        string_field(),
        string_field(),
        field(any::<bool>().prop_map(Value::from)),
        field(
            prop::sample::select(vec!["member", "admin", "owner", "guest"]).prop_map(Value::from),
        ),
    )
        .prop_map(|(id, openid, username, bot, role)| {
            object(
                vec![
                    ("id", id),
                    ("member_openid", openid.clone()),
                    ("user_openid", openid),
                    ("username", username),
                    ("bot", bot),
                    ("member_role", role),
                ],
                None,
            )
        });
    let mention = (
        string_field(),
        string_field(),
        field(any::<bool>().prop_map(Value::from)),
        field(prop::sample::select(vec!["single", "all"]).prop_map(Value::from)),
    )
        .prop_map(|(id, name, is_you, scope)| {
            object(
                vec![
                    ("id", id),
                    ("member_openid", name.clone()),
                    ("nickname", name),
                    ("is_you", is_you),
                    ("scope", scope),
                ],
                None,
            )
        });
    let scene = (
        string_field(),
        field(
            prop::collection::vec(text_value().prop_map(Value::String), 0..3)
                .prop_map(Value::Array),
        ),
    )
        .prop_map(|(source, ext)| object(vec![("source", source), ("ext", ext)], None));

    (
        string_field(),
        field(author),
        string_field(),
        string_field(),
        field(prop::collection::vec(mention, 0..3).prop_map(Value::Array)),
        field(scene),
        field(prop::collection::vec(attachment(), 0..2).prop_map(Value::Array)),
        field(any::<u32>().prop_map(Value::from)),
        proptest::option::of(odd_value()),
    )
        .prop_map(
            |(id, author, content, group, mentions, scene, attachments, message_type, extra)| {
                object(
                    vec![
                        ("id", id),
                        ("author", author),
                        ("content", content),
                        ("group_openid", group.clone()),
                        ("group_id", group),
                        ("mentions", mentions),
                        ("message_scene", scene),
                        ("attachments", attachments),
                        ("message_type", message_type),
                        ("timestamp", Some(json!("2026-01-01T12:02:00+08:00"))),
                    ],
                    extra,
                )
            },
        )
}

fn channel_message() -> impl Strategy<Value = Value> {
    let user = || {
        (
            field(prop_oneof![
                text_value().prop_map(Value::String),
                any::<u32>().prop_map(Value::from)
            ]),
            string_field(),
            field(any::<bool>().prop_map(Value::from)),
        )
            .prop_map(|(id, username, bot)| {
                object(vec![("id", id), ("username", username), ("bot", bot)], None)
            })
    };
    let member = field(
        prop::collection::vec(text_value().prop_map(Value::String), 0..3).prop_map(Value::Array),
    )
    .prop_map(|roles| {
        object(
            vec![("roles", roles), ("joined_at", Some(json!(1_767_240_000)))],
            None,
        )
    });

    (
        string_field(),
        string_field(),
        field(prop_oneof![
            text_value().prop_map(Value::String),
            any::<u64>().prop_map(Value::from)
        ]),
        string_field(),
        field(user()),
        field(member),
        field(prop::collection::vec(user(), 0..2).prop_map(Value::Array)),
        field(any::<u64>().prop_map(Value::from)),
        field(any::<bool>().prop_map(Value::from)),
        proptest::option::of(odd_value()),
    )
        .prop_map(
            |(id, channel, guild, content, author, member, mentions, seq, direct, extra)| {
                object(
                    vec![
                        ("id", id),
                        ("channel_id", channel),
                        ("guild_id", guild),
                        ("content", content),
                        ("author", author),
                        ("member", member),
                        ("mentions", mentions),
                        ("seq", seq),
                        ("direct_message", direct),
                        (
                            "embeds",
                            Some(json!([{"title": "t", "fields": [{"name": "n"}]}])),
                        ),
                    ],
                    extra,
                )
            },
        )
}

fn frame() -> impl Strategy<Value = String> {
    let event = prop_oneof![
        (
            prop::sample::select(vec![
                "GROUP_AT_MESSAGE_CREATE",
                "GROUP_MESSAGE_CREATE",
                "C2C_MESSAGE_CREATE"
            ]),
            group_message()
        ),
        (
            prop::sample::select(vec![
                "AT_MESSAGE_CREATE",
                "MESSAGE_CREATE",
                "DIRECT_MESSAGE_CREATE"
            ]),
            channel_message()
        ),
    ];

    (event, proptest::option::of(any::<u64>()), any::<bool>()).prop_map(
        |((name, data), seq, pretty)| {
            // serde_json keeps insertion order only for `Value` maps built in order, so the
            // envelope is written by hand with `op`, `s`, `t` and `id` before `d`.
            let data = if pretty {
                serde_json::to_string_pretty(&data)
            } else {
                serde_json::to_string(&data)
            }
            .expect("a JSON value serializes");
            let seq = seq.map_or_else(|| "null".to_owned(), |seq| seq.to_string());

            format!(r#"{{"op":0,"s":{seq},"t":"{name}","id":"{name}:1","d":{data}}}"#)
        },
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1024))]

    #[test]
    fn fast_path_agrees_with_serde(text in frame()) {
        let reference = parse_with_serde(&text);

        if let Some(fast) = parse_dispatch(&text) {
            prop_assert_eq!(Ok(&fast), reference.as_ref().map_err(|_| ()), "{}", text);
            prop_assert!(fast.opcode() == crate::gateway::OpCode::Dispatch);
        }
    }
}

#[test]
fn generated_frames_mostly_take_fast_path() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;

    let mut runner = TestRunner::deterministic();
    let strategy = frame();
    let total = 400;
    let mut accepted = 0;
    for _ in 0..total {
        let text = strategy
            .new_tree(&mut runner)
            .expect("strategy generates")
            .current();
        if parse_dispatch(&text).is_some() {
            accepted += 1;
        }
    }

    // Missing or wrong-typed fields make some frames decline; most must take the fast path.
    assert!(
        accepted * 4 >= total,
        "fast path accepted {accepted} of {total} generated frames"
    );
}
