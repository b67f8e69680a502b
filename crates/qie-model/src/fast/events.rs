//! Fast-path readers of the message events and their parts. Each field list mirrors the serde
//! attributes of the struct it reads.

use super::{Cursor, FastParseBoxed, fast_struct, fast_struct_boxed, fast_via_serde};
use crate::event::{
    ArkData, Attachment, C2cAuthor, C2cMessage, ChannelMessage, Event, GroupAuthor, GroupMention,
    GroupMessage, Member, MessageScene, MsgElement, User,
};
use crate::message::{Ark, Embed, MessageReference};

/// Reads `d` of a hot event type; `None` for every other type.
pub(super) fn parse_hot_event(name: &str, cursor: &mut Cursor<'_>) -> Option<Event> {
    Some(match name {
        "GROUP_AT_MESSAGE_CREATE" => {
            Event::GroupAtMessageCreate(FastParseBoxed::fast_parse_boxed(cursor)?)
        }
        "C2C_MESSAGE_CREATE" => Event::C2cMessageCreate(FastParseBoxed::fast_parse_boxed(cursor)?),
        "GROUP_MESSAGE_CREATE" => {
            Event::GroupMessageCreate(FastParseBoxed::fast_parse_boxed(cursor)?)
        }
        "AT_MESSAGE_CREATE" => Event::AtMessageCreate(FastParseBoxed::fast_parse_boxed(cursor)?),
        "MESSAGE_CREATE" => Event::MessageCreate(FastParseBoxed::fast_parse_boxed(cursor)?),
        "DIRECT_MESSAGE_CREATE" => {
            Event::DirectMessageCreate(FastParseBoxed::fast_parse_boxed(cursor)?)
        }
        _ => return None,
    })
}

// Rare nested parts go through serde.
fast_via_serde!(Embed, Ark, MessageReference, MsgElement, ArkData);

fast_struct!(User {
    id: required "id",
    username: default "username",
    avatar: option "avatar",
    bot: default "bot",
    union_openid: option "union_openid",
    union_user_account: option "union_user_account",
});

fast_struct!(Member {
    user: option "user",
    nick: option "nick",
    roles: null_default "roles",
    joined_at: option "joined_at",
});

fast_struct!(Attachment {
    url: default "url",
    content_type: option "content_type",
    filename: option "filename",
    height: option "height",
    width: option "width",
    size: option "size",
    id: option "id",
    voice_wav_url: option "voice_wav_url",
    asr_refer_text: option "asr_refer_text",
});

fast_struct_boxed!(ChannelMessage {
    id: required "id",
    channel_id: required "channel_id",
    guild_id: required "guild_id",
    content: default "content",
    timestamp: option "timestamp",
    edited_timestamp: option "edited_timestamp",
    mention_everyone: default "mention_everyone",
    author: required "author",
    member: option "member",
    mentions: null_default "mentions",
    attachments: null_default "attachments",
    embeds: null_default "embeds",
    ark: option "ark",
    seq: option "seq",
    seq_in_channel: option "seq_in_channel",
    message_reference: option "message_reference",
    direct_message: default "direct_message",
    src_guild_id: option "src_guild_id",
});

fast_struct!(GroupAuthor {
    id: option "id",
    member_openid: required "member_openid",
    union_openid: option "union_openid",
    username: option "username",
    bot: default "bot",
    member_role: option "member_role",
    union_user_account: option "union_user_account",
});

fast_struct!(GroupMention {
    scope: option "scope",
    id: option "id",
    member_openid: option "member_openid",
    user_openid: option "user_openid",
    username: option "username" | "nickname",
    bot: default "bot",
    is_you: default "is_you",
});

fast_struct!(MessageScene {
    source: option "source",
    ext: null_default "ext",
    callback_data: option "callback_data",
});

fast_struct_boxed!(GroupMessage {
    id: required "id",
    author: required "author",
    content: default "content",
    timestamp: option "timestamp",
    group_openid: required "group_openid",
    group_id: option "group_id",
    attachments: null_default "attachments",
    mentions: null_default "mentions",
    message_scene: option "message_scene",
    message_type: option "message_type",
    msg_elements: null_default "msg_elements",
    ark_data: option "ark_data",
});

fast_struct!(C2cAuthor {
    id: option "id",
    user_openid: required "user_openid",
    union_openid: option "union_openid",
    username: option "username",
});

fast_struct_boxed!(C2cMessage {
    id: required "id",
    author: required "author",
    content: default "content",
    timestamp: option "timestamp",
    attachments: null_default "attachments",
    message_scene: option "message_scene",
    message_type: option "message_type",
    msg_elements: null_default "msg_elements",
    ark_data: option "ark_data",
});
