//! Recognising a command in message text.

/// A command recognised in a message: its name as typed and the text after it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct CommandText<'a> {
    /// The name without the slash, as typed (match it case-insensitively).
    pub(crate) name: &'a str,
    /// Everything after the name, trimmed.
    pub(crate) rest: &'a str,
}

/// Finds a command at the start of `text`.
///
/// `text` is message text with the bot mention and leading whitespace already removed.
/// A message addressed to the bot (an @ message, a C2C message, a DM) may omit the slash:
/// `ping` and `/ping` are the same command. A message in a busy group or channel that did not
/// address the bot must start with `/` (or the full-width `／` of Chinese input methods), so
/// ordinary chat is never taken for a command.
pub(crate) fn find_command(text: &str, addressed: bool) -> Option<CommandText<'_>> {
    let text = text.trim_start();
    let (text, slashed) = match text.strip_prefix('/').or_else(|| text.strip_prefix('／')) {
        Some(after) => (after, true),
        None => (text, false),
    };
    if !slashed && !addressed {
        return None;
    }

    let end = text.find(char::is_whitespace).unwrap_or(text.len());
    let (name, rest) = text.split_at(end);
    if name.is_empty() {
        return None;
    }

    Some(CommandText {
        name,
        rest: rest.trim(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(text: &str, addressed: bool) -> Option<(&str, &str)> {
        find_command(text, addressed).map(|command| (command.name, command.rest))
    }

    #[test]
    fn slash_command_anywhere() {
        assert_eq!(found("/ping", false), Some(("ping", "")));
        assert_eq!(found("/echo  hi there ", false), Some(("echo", "hi there")));
        assert_eq!(found("／dice 6", false), Some(("dice", "6")));
    }

    #[test]
    fn bare_command_only_when_addressed() {
        assert_eq!(found("ping", true), Some(("ping", "")));
        assert_eq!(found("ping", false), None);
    }

    #[test]
    fn leading_space_of_group_messages() {
        assert_eq!(found(" /roll 20", true), Some(("roll", "20")));
        assert_eq!(found("\u{a0}ping", true), Some(("ping", "")));
    }

    #[test]
    fn empty_and_lone_slash() {
        assert_eq!(found("", true), None);
        assert_eq!(found("/", true), None);
        assert_eq!(found("/ ping", true), None);
    }
}
