//! Every user-message fixture parses into the `Message` view with the right conversation,
//! text and addressing.

use qie::{Author, Conversation, Message};
use qie_model::gateway::{Dispatch, ServerFrame};
use qie_model::id::UserId;

fn dispatch(name: &str) -> Dispatch {
    let path = format!("{}/../../fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    let bytes = std::fs::read(&path).unwrap_or_else(|error| panic!("{path}: {error}"));
    match ServerFrame::from_slice(&bytes).unwrap_or_else(|error| panic!("{path}: {error}")) {
        ServerFrame::Dispatch(dispatch) => dispatch,
        other => panic!("{name} is not a dispatch: {other:?}"),
    }
}

fn message(name: &str) -> Message {
    let bot = UserId::new("11223344556677889900");
    Message::from_event(&dispatch(name).event, Some(&bot)).unwrap_or_else(|| panic!("{name}"))
}

#[test]
fn guild_at_message_strips_mention() {
    let message = message("dispatch.at_message_create.json");

    assert_eq!(message.text(), "/weather Shenzhen");
    assert!(message.is_addressed());
    assert_eq!(
        message.conversation(),
        &Conversation::Channel("5550001".into())
    );
    assert_eq!(message.author().display_name(), "alice_example");
}

#[test]
fn guild_message_unescapes_and_is_not_addressed() {
    let message = message("dispatch.message_create.json");

    assert_eq!(message.text(), "look at this <cat> picture");
    assert!(!message.is_addressed());
    assert_eq!(message.attachments().len(), 1);
}

#[test]
fn direct_message_goes_to_dm_guild() {
    let message = message("dispatch.direct_message_create.json");

    assert_eq!(
        message.conversation(),
        &Conversation::Direct("7999000000000000001".into())
    );
    assert!(message.is_addressed());
    assert_eq!(message.text(), "hi bot, private question");
}

#[test]
fn group_at_message_drops_leading_space() {
    let message = message("dispatch.group_at_message_create.json");

    assert_eq!(message.text(), "/roll 20");
    assert!(message.is_addressed());
    assert_eq!(
        message.conversation(),
        &Conversation::Group("6A1C4E0B9D2F47A8B3C5D7E9F1A2B3C4".into())
    );
    assert!(matches!(
        message.author(),
        Author::Member { member_openid, .. } if member_openid.as_str() == "0F1E2D3C4B5A69788796A5B4C3D2E1F0"
    ));
}

#[test]
fn group_message_without_mention_is_not_addressed() {
    let message = message("dispatch.group_message_create.json");

    assert!(!message.is_addressed());
    assert_eq!(message.text(), "dinner photo, no mention here");
}

#[test]
fn c2c_message_goes_to_user() {
    let message = message("dispatch.c2c_message_create.json");

    assert_eq!(
        message.conversation(),
        &Conversation::User("3B9AC9F1D2E34F5A8B7C6D5E4F3A2B1C".into())
    );
    assert!(message.is_addressed());
    assert_eq!(message.text(), "");
    assert_eq!(
        message.id().as_str(),
        "ROBOT1.0_Xq3vExampl3C2cMsgId0001AbCdEfGhIjKlMnOpQrSt.Uv!"
    );
}

#[test]
fn interaction_belongs_to_its_group() {
    let event = dispatch("dispatch.interaction_create.json").event;

    assert!(Message::from_event(&event, None).is_none());
    assert_eq!(
        Conversation::of(&event),
        Conversation::Group("6A1C4E0B9D2F47A8B3C5D7E9F1A2B3C4".into())
    );
}
