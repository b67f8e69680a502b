//! Helpers for the text of received messages.
//!
//! Guild `content` escapes `&`, `<` and `>` in user text as `&amp;`, `&lt;` and `&gt;` and keeps
//! embedded tags (`<@!user_id>`, `<#channel_id>`, `<emoji:id>`) as tags: extract the tags first,
//! then [`unescape`] the text. Group content arrives with the bot mention removed but usually
//! keeps the separating space (`" /roll 20"`).

use std::borrow::Cow;

/// Characters removed before a command: whitespace, including the no-break space some clients
/// insert after a mention.
fn is_command_padding(character: char) -> bool {
    character.is_whitespace() || character == '\u{a0}'
}

/// Removes leading padding and, when present, one leading mention of `user_id`
/// (`<@!id>`, `<@id>` or `<qqbot-at-user id="id" />`), then leading padding again.
///
/// ```
/// use qie_model::event::strip_leading_mention;
///
/// assert_eq!(strip_leading_mention("<@!42> /help me", "42"), "/help me");
/// assert_eq!(strip_leading_mention(" /roll 20", "42"), "/roll 20");
/// assert_eq!(strip_leading_mention("<@!7> /help", "42"), "<@!7> /help");
/// ```
pub fn strip_leading_mention<'a>(content: &'a str, user_id: &str) -> &'a str {
    let text = content.trim_start_matches(is_command_padding);
    let Some(rest) = strip_mention_tag(text, user_id) else {
        return text;
    };

    rest.trim_start_matches(is_command_padding)
}

fn strip_mention_tag<'a>(text: &'a str, user_id: &str) -> Option<&'a str> {
    if user_id.is_empty() {
        return None;
    }

    for prefix in ["<@!", "<@"] {
        if let Some(rest) = text
            .strip_prefix(prefix)
            .and_then(|rest| rest.strip_prefix(user_id))
            .and_then(|rest| rest.strip_prefix('>'))
        {
            return Some(rest);
        }
    }

    let rest = text.strip_prefix("<qqbot-at-user id=\"")?;
    let rest = rest.strip_prefix(user_id)?.strip_prefix('"')?;
    let end = rest.find('>')?;
    rest[..end]
        .trim_end_matches('/')
        .trim()
        .is_empty()
        .then(|| &rest[end + 1..])
}

/// Decodes `&amp;`, `&lt;` and `&gt;`; borrows when there is nothing to decode. Other `&`
/// sequences are kept as they are.
///
/// ```
/// use qie_model::event::unescape;
///
/// assert_eq!(unescape("look at this &lt;cat&gt; &amp; dog"), "look at this <cat> & dog");
/// ```
pub fn unescape(text: &str) -> Cow<'_, str> {
    if !text.contains('&') {
        return Cow::Borrowed(text);
    }

    let mut output = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(index) = rest.find('&') {
        output.push_str(&rest[..index]);
        let tail = &rest[index..];
        let (decoded, length) = if tail.starts_with("&amp;") {
            ('&', 5)
        } else if tail.starts_with("&lt;") {
            ('<', 4)
        } else if tail.starts_with("&gt;") {
            ('>', 4)
        } else {
            ('&', 1)
        };
        output.push(decoded);
        rest = &tail[length..];
    }
    output.push_str(rest);

    Cow::Owned(output)
}

/// Escapes `&`, `<` and `>` in literal text for outgoing guild `content`, so the platform does
/// not read it as a tag. Group and C2C content is sent unescaped.
pub fn escape(text: &str) -> Cow<'_, str> {
    if !text.contains(['&', '<', '>']) {
        return Cow::Borrowed(text);
    }

    let mut output = String::with_capacity(text.len() + 8);
    for character in text.chars() {
        match character {
            '&' => output.push_str("&amp;"),
            '<' => output.push_str("&lt;"),
            '>' => output.push_str("&gt;"),
            other => output.push(other),
        }
    }

    Cow::Owned(output)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strip_mention_forms() {
        let cases = [
            ("<@!42> /help", "/help"),
            ("<@42>/help", "/help"),
            ("  <@!42>\u{a0} /help", "/help"),
            ("<qqbot-at-user id=\"42\" /> /help", "/help"),
            ("<qqbot-at-user id=\"42\"/>/help", "/help"),
            ("<@!420> /help", "<@!420> /help"),
            (
                "<qqbot-at-user id=\"42\" x=\"1\" /> hi",
                "<qqbot-at-user id=\"42\" x=\"1\" /> hi",
            ),
            ("/help <@!42>", "/help <@!42>"),
            ("", ""),
            ("<@!42>", ""),
        ];

        for (content, expected) in cases {
            assert_eq!(
                strip_leading_mention(content, "42"),
                expected,
                "{content:?}"
            );
        }
    }

    #[test]
    fn empty_user_id_strips_only_padding() {
        assert_eq!(strip_leading_mention(" <@!> x", ""), "<@!> x");
    }

    #[test]
    fn unescape_entities() {
        assert_eq!(unescape("a &lt;b&gt; &amp;lt; c"), "a <b> &lt; c");
        assert_eq!(unescape("& &am &amp"), "& &am &amp");
        assert!(matches!(unescape("plain"), Cow::Borrowed("plain")));
    }

    #[test]
    fn escape_round_trips() {
        let text = "1 < 2 && 3 > 2 <@!42>";

        assert_eq!(escape(text), "1 &lt; 2 &amp;&amp; 3 &gt; 2 &lt;@!42&gt;");
        assert_eq!(unescape(&escape(text)), text);
    }
}
