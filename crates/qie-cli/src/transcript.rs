//! Renders what the bot sent as transcript lines.

use qie_emulator::SentMessage;
use serde_json::Value;

use crate::lang::Lang;

/// Renders one message the bot sent as transcript lines, without the speaker.
pub(crate) fn render_sent(lang: Lang, sent: &SentMessage) -> Vec<String> {
    let mut lines = Vec::new();

    if let Some(markdown) = sent
        .markdown
        .as_ref()
        .and_then(|md| md.get("content"))
        .and_then(Value::as_str)
    {
        lines.push(lang.pick("[Markdown]", "[Markdown]").to_owned());
        lines.extend(markdown.lines().map(str::to_owned));
    }
    if let Some(content) = sent
        .content
        .as_deref()
        .filter(|text| !text.trim().is_empty())
    {
        lines.extend(content.lines().map(str::to_owned));
    }
    if let Some(keyboard) = &sent.keyboard {
        let labels = button_labels(keyboard);
        if !labels.is_empty() {
            lines.push(format!(
                "{} {}",
                lang.pick("[buttons]", "[按钮]"),
                labels.join(" | ")
            ));
        }
    }
    if sent.media.is_some() {
        lines.push(
            lang.pick(
                "[image, uploaded through the files API]",
                "[图片，经文件接口上传]",
            )
            .to_owned(),
        );
    }
    if let Some(length) = sent.file_image_len {
        lines.push(match lang {
            Lang::En => format!("[image, {length} bytes uploaded with the message]"),
            Lang::ZhCn => format!("[图片，随消息上传 {length} 字节]"),
        });
    }
    if let Some(url) = &sent.image {
        lines.push(format!("[image {url}]"));
    }
    if let Some(ark) = &sent.ark {
        let template = ark
            .get("template_id")
            .map(ToString::to_string)
            .unwrap_or_default();
        lines.push(format!("[Ark {template}]"));
    }
    if let Some(embed) = &sent.embed {
        let title = embed
            .get("title")
            .and_then(Value::as_str)
            .unwrap_or_default();
        lines.push(format!("[Embed] {title}"));
    }
    if lines.is_empty() {
        lines.push(lang.pick("[empty message]", "[空消息]").to_owned());
    }

    lines
}

/// Describes how a reply was addressed: by msg_id or event_id, with `msg_seq` in groups and C2C.
pub(crate) fn reply_note(lang: Lang, sent: &SentMessage) -> String {
    let anchor = if sent.event_id.is_some() {
        "event_id"
    } else {
        "msg_id"
    };
    match (sent.msg_seq, lang) {
        (Some(seq), Lang::En) => format!("(passive reply by {anchor}, msg_seq {seq})"),
        (Some(seq), Lang::ZhCn) => format!("（按 {anchor} 被动回复，msg_seq {seq}）"),
        (None, Lang::En) => format!("(passive reply by {anchor})"),
        (None, Lang::ZhCn) => format!("（按 {anchor} 被动回复）"),
    }
}

fn button_labels(keyboard: &Value) -> Vec<String> {
    let rows = keyboard
        .pointer("/content/rows")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();

    rows.iter()
        .filter_map(|row| row.get("buttons").and_then(Value::as_array))
        .flatten()
        .filter_map(|button| button.pointer("/render_data/label").and_then(Value::as_str))
        .map(|label| format!("[{label}]"))
        .collect()
}
