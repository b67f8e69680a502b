//! Commands: `/ping`, `ping` and `@bot ping` in every scene, with parsed arguments.
//!
//! The bot looks for a command in every [`Message`]'s [`text`](Message::text), which already
//! lacks the bot mention of guild messages (`<@!bot_id> /ping`) and the leading space of group
//! messages (`" /ping"`). Then:
//!
//! * a message addressed to the bot (guild @ message, DM, group @ message, C2C) may omit the
//!   slash: `ping` and `/ping` run the same command;
//! * any other message (MESSAGE_CREATE, GROUP_MESSAGE_CREATE without a mention) runs a command
//!   only when it starts with `/` or the full-width `／`, so ordinary chat never triggers one;
//! * names match without regard to ASCII case, and aliases match like names;
//! * the rest of the text becomes [`Args`].
//!
//! Register commands with [`BotBuilder::command`](crate::BotBuilder::command); the router also
//! renders a help list from the descriptions ([`Commands::help_markdown`]).

mod args;
mod parse;

use std::sync::Arc;

pub use self::args::{ArgError, ArgErrorKind, Args};
use self::parse::find_command;
use crate::context::Context;
use crate::handler::{HandlerFuture, HandlerResult};
use crate::incoming::Message;

/// A command's name, aliases and help text.
///
/// A `&'static str` converts into a command with that name and no help text.
///
/// # Examples
///
/// ```
/// use qie::command::Command;
///
/// let dice = Command::new("dice")
///     .alias("roll")
///     .description("Roll a die")
///     .usage("/dice [sides]");
/// assert_eq!(dice.name(), "dice");
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[must_use]
pub struct Command {
    name: String,
    aliases: Vec<String>,
    description: String,
    usage: String,
}

impl Command {
    /// Creates a command called `name` (without the slash).
    pub fn new(name: impl Into<String>) -> Self {
        let name = name.into();
        let name = name.trim_start_matches(['/', '／']).to_owned();

        Self {
            usage: format!("/{name}"),
            name,
            aliases: Vec::new(),
            description: String::new(),
        }
    }

    /// Adds another name for the command.
    pub fn alias(mut self, alias: impl Into<String>) -> Self {
        self.aliases
            .push(alias.into().trim_start_matches(['/', '／']).to_owned());
        self
    }

    /// Sets the one-line description shown in help.
    pub fn description(mut self, description: impl Into<String>) -> Self {
        self.description = description.into();
        self
    }

    /// Sets the usage line shown in help, for example `/dice [sides]`.
    pub fn usage(mut self, usage: impl Into<String>) -> Self {
        self.usage = usage.into();
        self
    }

    /// Returns the name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Returns the aliases.
    pub fn aliases(&self) -> &[String] {
        &self.aliases
    }

    /// Returns the description.
    pub fn description_text(&self) -> &str {
        &self.description
    }

    /// Returns the usage line.
    pub fn usage_text(&self) -> &str {
        &self.usage
    }

    fn matches(&self, typed: &str) -> bool {
        self.name.eq_ignore_ascii_case(typed)
            || self
                .aliases
                .iter()
                .any(|alias| alias.eq_ignore_ascii_case(typed))
    }
}

impl From<&str> for Command {
    fn from(name: &str) -> Self {
        Self::new(name)
    }
}

impl From<String> for Command {
    fn from(name: String) -> Self {
        Self::new(name)
    }
}

/// A command found in a message: which one, and its arguments.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Invocation {
    command: Command,
    typed: String,
    args: Args,
}

impl Invocation {
    /// Returns the matched command.
    pub fn command(&self) -> &Command {
        &self.command
    }

    /// Returns the name as the user typed it (possibly an alias, in any case).
    pub fn typed_name(&self) -> &str {
        &self.typed
    }

    /// Returns the arguments.
    pub fn args(&self) -> &Args {
        &self.args
    }
}

type CommandFn = dyn Fn(Context, Args) -> HandlerFuture<'static> + Send + Sync;

/// The registered commands.
#[derive(Clone, Default)]
pub struct Commands {
    routes: Vec<(Command, Arc<CommandFn>)>,
}

impl std::fmt::Debug for Commands {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list()
            .entries(self.routes.iter().map(|(command, _)| command.name()))
            .finish()
    }
}

impl Commands {
    /// Returns the registered commands, in registration order.
    pub fn iter(&self) -> impl Iterator<Item = &Command> {
        self.routes.iter().map(|(command, _)| command)
    }

    /// Returns whether no command is registered.
    pub fn is_empty(&self) -> bool {
        self.routes.is_empty()
    }

    /// Finds the command in a message.
    pub fn find(&self, message: &Message) -> Option<Invocation> {
        self.find_in_text(message.text(), message.is_addressed())
    }

    /// Finds the command in text (mention and padding already removed); `addressed` allows a
    /// command without the slash.
    pub fn find_in_text(&self, text: &str, addressed: bool) -> Option<Invocation> {
        let found = find_command(text, addressed)?;
        let (command, _) = self
            .routes
            .iter()
            .find(|(command, _)| command.matches(found.name))?;

        Some(Invocation {
            command: command.clone(),
            typed: found.name.to_owned(),
            args: Args::parse(found.rest),
        })
    }

    /// Returns a Markdown list of the commands with their usage and description.
    pub fn help_markdown(&self) -> String {
        self.help_markdown_with(": ")
    }

    /// Like [`help_markdown`](Self::help_markdown), with `separator` between the usage and the
    /// description, for example the full-width `"："` of Chinese text.
    pub fn help_markdown_with(&self, separator: &str) -> String {
        self.iter()
            .map(|command| {
                if command.description.is_empty() {
                    format!("- `{}`", command.usage)
                } else {
                    format!("- `{}`{separator}{}", command.usage, command.description)
                }
            })
            .collect::<Vec<_>>()
            .join("\n")
    }

    pub(crate) fn add(&mut self, command: Command, function: Arc<CommandFn>) {
        self.routes.push((command, function));
    }

    /// Runs the handler of the invocation, if it is registered here.
    pub(crate) async fn run(&self, ctx: Context, invocation: &Invocation) -> HandlerResult {
        let Some((_, function)) = self
            .routes
            .iter()
            .find(|(command, _)| command.name == invocation.command.name)
        else {
            return Ok(());
        };

        function(ctx, invocation.args.clone()).await
    }
}

/// Boxes an async closure over commands.
pub(crate) fn command_fn<F, Fut>(function: F) -> Arc<CommandFn>
where
    F: Fn(Context, Args) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = HandlerResult> + Send + 'static,
{
    Arc::new(move |ctx, args| Box::pin(function(ctx, args)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn commands() -> Commands {
        let mut commands = Commands::default();
        let noop = command_fn(|_, _| async { Ok(()) });
        commands.add(
            Command::new("ping").description("Check the bot"),
            noop.clone(),
        );
        commands.add(
            Command::new("/dice").alias("roll").usage("/dice [sides]"),
            noop,
        );

        commands
    }

    #[test]
    fn finds_by_name_alias_and_case() {
        let commands = commands();

        let ping = commands.find_in_text("/PING", false).unwrap();
        assert_eq!(ping.command().name(), "ping");
        let roll = commands.find_in_text("roll 20", true).unwrap();
        assert_eq!(roll.command().name(), "dice");
        assert_eq!(roll.typed_name(), "roll");
        assert_eq!(roll.args().get(0), Some("20"));
    }

    #[test]
    fn unknown_and_unaddressed_do_not_match() {
        let commands = commands();

        assert!(commands.find_in_text("/weather", true).is_none());
        assert!(commands.find_in_text("ping", false).is_none());
        assert!(commands.find_in_text("pingpong", true).is_none());
    }

    #[test]
    fn help_lists_usage_and_description() {
        assert_eq!(
            commands().help_markdown(),
            "- `/ping`: Check the bot\n- `/dice [sides]`"
        );
    }

    #[test]
    fn help_takes_a_separator() {
        assert_eq!(
            commands().help_markdown_with("："),
            "- `/ping`：Check the bot\n- `/dice [sides]`"
        );
    }
}
