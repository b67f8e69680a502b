//! Message builders reject the combinations the platform rejects, naming the field.

use qie_model::id::{EventId, MessageId};
use qie_model::message::{
    ActionType, Ark, ArkListItem, Button, Embed, GuildMessage, Keyboard, LargeImage, Markdown,
    MessageErrorKind, MessageType, OpenMessage, Scene, TextThumbnail,
};

fn button() -> Button {
    Button::new("Yes", ActionType::Callback, "vote:yes")
}

#[test]
fn open_message_infers_msg_type() {
    let cases = [
        (OpenMessage::group().content("hi"), MessageType::Text),
        (
            OpenMessage::group().markdown(Markdown::new("**hi**")),
            MessageType::Markdown,
        ),
        (OpenMessage::group().ark(Ark::new(23)), MessageType::Ark),
        (OpenMessage::group().media("info"), MessageType::Media),
        (OpenMessage::c2c().typing(10), MessageType::InputNotify),
    ];

    for (builder, expected) in cases {
        assert_eq!(builder.build().unwrap().msg_type, expected);
    }
}

#[test]
fn open_message_rejections() {
    let cases = [
        (OpenMessage::group(), MessageErrorKind::Empty),
        (OpenMessage::group().content(""), MessageErrorKind::Empty),
        (
            OpenMessage::group()
                .content("x")
                .markdown(Markdown::new("y")),
            MessageErrorKind::Conflict {
                field: "content",
                other: "markdown",
            },
        ),
        (
            OpenMessage::group()
                .markdown(Markdown::new("y"))
                .media("info"),
            MessageErrorKind::Conflict {
                field: "markdown",
                other: "media",
            },
        ),
        (
            OpenMessage::group().ark(Ark::new(24)).media("info"),
            MessageErrorKind::Conflict {
                field: "ark",
                other: "media",
            },
        ),
        (
            OpenMessage::group()
                .content("x")
                .keyboard(Keyboard::template("kb")),
            MessageErrorKind::Requires {
                field: "keyboard",
                requires: "markdown",
            },
        ),
        (
            OpenMessage::c2c().embed(Embed::new("t", "p")),
            MessageErrorKind::Unsupported {
                field: "embed",
                scene: Scene::C2c,
            },
        ),
        (
            OpenMessage::group().content("x").wakeup(),
            MessageErrorKind::Unsupported {
                field: "is_wakeup",
                scene: Scene::Group,
            },
        ),
        (
            OpenMessage::c2c()
                .content("x")
                .wakeup()
                .reply_to(MessageId::new("m"), 1),
            MessageErrorKind::Conflict {
                field: "is_wakeup",
                other: "msg_id",
            },
        ),
        (
            OpenMessage::c2c()
                .content("x")
                .wakeup()
                .reply_to_event(EventId::new("e"), 1),
            MessageErrorKind::Conflict {
                field: "is_wakeup",
                other: "event_id",
            },
        ),
        (
            OpenMessage::group().typing(5),
            MessageErrorKind::Unsupported {
                field: "input_notify",
                scene: Scene::Group,
            },
        ),
        (
            OpenMessage::c2c().typing(61),
            MessageErrorKind::OutOfRange {
                field: "input_notify.input_second",
                value: 61,
                max: 60,
            },
        ),
        (
            OpenMessage::group().markdown(Markdown::new("x").param("k", "v")),
            MessageErrorKind::Conflict {
                field: "markdown.content",
                other: "markdown.custom_template_id",
            },
        ),
        (
            OpenMessage::group().markdown(Markdown::default()),
            MessageErrorKind::Requires {
                field: "markdown",
                requires: "markdown.content or markdown.custom_template_id",
            },
        ),
        (
            OpenMessage::group()
                .markdown(Markdown::new("x"))
                .keyboard(Keyboard::default()),
            MessageErrorKind::Requires {
                field: "keyboard",
                requires: "keyboard.id or keyboard.content",
            },
        ),
        (
            OpenMessage::group()
                .markdown(Markdown::new("x"))
                .keyboard(Keyboard::rows(vec![vec![button()]; 6])),
            MessageErrorKind::OutOfRange {
                field: "keyboard.content.rows",
                value: 6,
                max: 5,
            },
        ),
        (
            OpenMessage::group()
                .markdown(Markdown::new("x"))
                .keyboard(Keyboard::rows([vec![button(); 6]])),
            MessageErrorKind::OutOfRange {
                field: "keyboard.content.rows[].buttons",
                value: 6,
                max: 5,
            },
        ),
    ];

    for (index, (builder, expected)) in cases.into_iter().enumerate() {
        let error = builder
            .build()
            .expect_err(&format!("case {index} must be rejected"));

        assert_eq!(error.kind(), &expected, "case {index}");
    }
}

#[test]
fn open_message_validate_checks_msg_type() {
    let mut message = OpenMessage::group().content("hi").build().unwrap();
    message.msg_type = MessageType::Markdown;

    let error = message.validate(Scene::Group).unwrap_err();

    assert_eq!(
        error.kind(),
        &MessageErrorKind::Conflict {
            field: "msg_type",
            other: "content"
        }
    );
    assert_eq!(
        error.to_string(),
        "`msg_type` cannot be sent together with `content`: remove one of them"
    );
}

#[test]
fn guild_message_rejections() {
    let cases = [
        (GuildMessage::builder(), MessageErrorKind::Empty),
        (
            GuildMessage::builder()
                .markdown(Markdown::new("x"))
                .content("y"),
            MessageErrorKind::Conflict {
                field: "markdown",
                other: "content",
            },
        ),
        (
            GuildMessage::builder()
                .markdown(Markdown::new("x"))
                .image("https://example.com/a.png"),
            MessageErrorKind::Conflict {
                field: "markdown",
                other: "image",
            },
        ),
        (
            GuildMessage::builder()
                .content("x")
                .keyboard(Keyboard::template("kb")),
            MessageErrorKind::Requires {
                field: "keyboard",
                requires: "markdown",
            },
        ),
    ];

    for (index, (builder, expected)) in cases.into_iter().enumerate() {
        let error = builder
            .build()
            .expect_err(&format!("case {index} must be rejected"));

        assert_eq!(error.kind(), &expected, "case {index}");
    }
}

#[test]
fn guild_message_accepts_embed_ark_and_markdown_keyboard() {
    let embed = GuildMessage::builder()
        .embed(
            Embed::new("Weather", "Shenzhen")
                .thumbnail("https://example.com/t.png")
                .field("24°C"),
        )
        .build()
        .unwrap();
    let markdown = GuildMessage::builder()
        .markdown(Markdown::template("tpl").param("name", "alice"))
        .keyboard(Keyboard::template("kb"))
        .build()
        .unwrap();

    assert_eq!(
        serde_json::to_value(&embed).unwrap(),
        serde_json::json!({
            "embed": {
                "title": "Weather",
                "prompt": "Shenzhen",
                "thumbnail": {"url": "https://example.com/t.png"},
                "fields": [{"name": "24°C"}]
            }
        })
    );
    assert_eq!(
        serde_json::to_value(&markdown).unwrap(),
        serde_json::json!({
            "markdown": {"custom_template_id": "tpl", "params": [{"key": "name", "values": ["alice"]}]},
            "keyboard": {"id": "kb"}
        })
    );
}

#[test]
fn ark_templates_serialize() {
    let list = Ark::link_list(
        "desc",
        "prompt",
        [
            ArkListItem::text("first"),
            ArkListItem::link("second", "https://example.com"),
        ],
    );
    let thumbnail = Ark::text_thumbnail(TextThumbnail {
        desc: "d".into(),
        prompt: "p".into(),
        title: "t".into(),
        metadesc: "m".into(),
        img: "i".into(),
        link: "l".into(),
        subtitle: "s".into(),
    });
    let image = Ark::large_image(LargeImage {
        prompt: "p".into(),
        metatitle: "t".into(),
        metasubtitle: "s".into(),
        metacover: "c".into(),
        metaurl: "u".into(),
    });

    assert_eq!(
        serde_json::to_value(&list).unwrap(),
        serde_json::json!({
            "template_id": 23,
            "kv": [
                {"key": "#DESC#", "value": "desc"},
                {"key": "#PROMPT#", "value": "prompt"},
                {"key": "#LIST#", "obj": [
                    {"obj_kv": [{"key": "desc", "value": "first"}]},
                    {"obj_kv": [{"key": "desc", "value": "second"}, {"key": "link", "value": "https://example.com"}]}
                ]}
            ]
        })
    );
    let keys: Vec<&str> = thumbnail.kv.iter().map(|kv| kv.key.as_str()).collect();
    assert_eq!(thumbnail.template_id, 24);
    assert_eq!(
        keys,
        [
            "#DESC#",
            "#PROMPT#",
            "#TITLE#",
            "#METADESC#",
            "#IMG#",
            "#LINK#",
            "#SUBTITLE#"
        ]
    );
    let keys: Vec<&str> = image.kv.iter().map(|kv| kv.key.as_str()).collect();
    assert_eq!(image.template_id, 37);
    assert_eq!(
        keys,
        [
            "#PROMPT#",
            "#METATITLE#",
            "#METASUBTITLE#",
            "#METACOVER#",
            "#METAURL#"
        ]
    );
    assert_eq!(
        OpenMessage::c2c().ark(list.clone()).build().unwrap().ark,
        Some(list)
    );
}
