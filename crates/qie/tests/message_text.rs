//! The `Message` view returns the same text as the event's own helpers for any content: the
//! view keeps the text as a range of the content when it can, and a copy when decoding changed it.

use proptest::prelude::*;
use qie::Message;
use qie_model::event::{Event, unescape};
use qie_model::gateway::{Dispatch, ServerFrame};
use qie_model::id::UserId;
use serde_json::Value;

const BOT: &str = "11223344556677889900";

fn fixture(name: &str) -> Value {
    let path = format!("{}/../../fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|error| panic!("{path}: {error}"));
    serde_json::from_str(&text).unwrap_or_else(|error| panic!("{path}: {error}"))
}

/// Returns the fixture's dispatch with `d.content` replaced.
fn with_content(frame: &Value, content: &str) -> Dispatch {
    let mut frame = frame.clone();
    frame["d"]["content"] = Value::String(content.to_owned());
    match ServerFrame::from_slice(frame.to_string().as_bytes()).expect("frame parses") {
        ServerFrame::Dispatch(dispatch) => dispatch,
        other => panic!("not a dispatch: {other:?}"),
    }
}

/// Returns the text each scene's helpers produce, without the view.
fn expected_text(event: &Event, bot: &UserId) -> String {
    match event {
        Event::AtMessageCreate(message) => {
            unescape(message.command_text(bot)).trim_end().to_owned()
        }
        Event::GroupAtMessageCreate(message) => message.command_text().trim_end().to_owned(),
        Event::C2cMessageCreate(message) => message.command_text().trim_end().to_owned(),
        other => panic!("unexpected event {}", other.name()),
    }
}

/// Generates content from the pieces that mentions, escapes and spacing are made of.
fn content() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just(" ".to_owned()),
        Just("\u{3000}".to_owned()),
        Just(format!("<@!{BOT}>")),
        Just("<@!42>".to_owned()),
        Just("&amp;".to_owned()),
        Just("&lt;b&gt;".to_owned()),
        Just("/ping".to_owned()),
        "[a-z\u{4e00}-\u{4e10}]{1,4}",
        any::<char>().prop_map(String::from),
    ];
    prop::collection::vec(piece, 0..8).prop_map(|pieces| pieces.concat())
}

proptest! {
    #[test]
    fn text_matches_the_event_helpers(content in content()) {
        let bot = UserId::new(BOT);
        for name in [
            "dispatch.at_message_create.json",
            "dispatch.group_at_message_create.json",
            "dispatch.c2c_message_create.json",
        ] {
            let dispatch = with_content(&fixture(name), &content);
            let message = Message::from_event(&dispatch.event, Some(&bot)).expect("a message");
            prop_assert_eq!(message.text(), expected_text(&dispatch.event, &bot), "{}", name);
            prop_assert_eq!(message.content(), content.as_str(), "{}", name);
            let clone = message.clone();
            prop_assert_eq!(clone.text(), message.text());
        }
    }
}
