//! The example bot's handlers: `/ping`, `/help`, `/echo`, `/dice`, `/card` and its buttons.
//!
//! `qie demo` and `qie run` use this file too, so it is written for two languages: every text
//! the bot sends exists in English and in Simplified Chinese.

// A path relative to this file, so the CLI can include this file with `#[path]` too.
#[path = "dice.rs"]
mod dice;

use std::hash::{BuildHasher as _, Hasher as _, RandomState};

use qie::command::{ArgErrorKind, Args, Command};
use qie::message::{ActionType, Button, ButtonStyle, Keyboard};
use qie::model::event::Interaction;
use qie::{BotBuilder, Context, HandlerResult, Message, Reply};

/// The language the bot answers in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Language {
    /// English.
    English,
    /// Simplified Chinese.
    Chinese,
}

impl Language {
    fn pick(self, english: &'static str, chinese: &'static str) -> &'static str {
        match self {
            Self::English => english,
            Self::Chinese => chinese,
        }
    }
}

/// Button data of the card's buttons; INTERACTION_CREATE echoes it as `button_data`.
pub(crate) const VOTE_YES: &str = "vote:yes";
/// See [`VOTE_YES`].
pub(crate) const VOTE_NO: &str = "vote:no";

/// Adds the example bot's commands and handlers to `builder`.
pub(crate) fn register(builder: BotBuilder, language: Language) -> BotBuilder {
    let lang = language;
    builder
        .command(
            Command::new("ping")
                .description(lang.pick("check that the bot answers", "检查机器人是否在线")),
            move |ctx: Context, _: Args| async move {
                ctx.reply("pong 🏓").await?;
                Ok(())
            },
        )
        .command(
            Command::new("help")
                .alias("帮助")
                .description(lang.pick("list the commands", "列出所有命令")),
            move |ctx: Context, _: Args| help(ctx, lang),
        )
        .command(
            Command::new("echo")
                .usage(lang.pick("/echo <text>", "/echo <文字>"))
                .description(lang.pick("repeat the text", "复读一段文字")),
            move |ctx: Context, args: Args| echo(ctx, args, lang),
        )
        .command(
            Command::new("dice")
                .alias("roll")
                .usage(lang.pick("/dice [sides]", "/dice [面数]"))
                .description(lang.pick(
                    "roll a die (6 sides by default), with a picture",
                    "掷骰子（默认 6 面），附图片",
                )),
            move |ctx: Context, args: Args| roll(ctx, args, lang),
        )
        .command(
            Command::new("card").description(lang.pick("a card with buttons", "带按钮的卡片")),
            move |ctx: Context, _: Args| card(ctx, lang),
        )
        .on_interaction(move |ctx: Context, interaction: Interaction| {
            clicked(ctx, interaction, lang)
        })
        .on_message(move |ctx: Context, message: Message| unknown(ctx, message, lang))
}

async fn help(ctx: Context, lang: Language) -> HandlerResult {
    let title = lang.pick("# qie example bot", "# qie 示例机器人");
    let intro = lang.pick(
        "Send a command with or without the slash, or @ me in a group or channel:",
        "发送命令时可以带或不带斜杠；在群或频道里请先 @ 我：",
    );
    let list = ctx.commands().help_markdown_with(lang.pick(": ", "："));
    let markdown = format!("{title}\n\n{intro}\n\n{list}");

    // Guild channels need an invitation for Markdown; fall back to plain text there.
    match ctx.reply(Reply::markdown(markdown.clone())).await {
        Ok(_) => {}
        Err(error) if error.http().is_some_and(|http| http.code().is_some()) => {
            ctx.reply(markdown.replace('`', "")).await?;
        }
        Err(error) => return Err(error.into()),
    }

    Ok(())
}

async fn echo(ctx: Context, args: Args, lang: Language) -> HandlerResult {
    if args.is_empty() {
        ctx.reply(lang.pick("Usage: /echo <text>", "用法：/echo <文字>"))
            .await?;
        return Ok(());
    }

    ctx.reply(args.raw()).await?;

    Ok(())
}

async fn roll(ctx: Context, args: Args, lang: Language) -> HandlerResult {
    let sides: u32 = match args.optional(0, "sides") {
        Ok(sides) => sides.unwrap_or(6),
        Err(error) => {
            let value = match error.kind() {
                ArgErrorKind::Invalid { value, .. } => value.clone(),
                _ => String::new(),
            };
            let text = match lang {
                Language::English => format!("{value:?} is not a number of sides; try /dice 20"),
                Language::Chinese => format!("“{value}”不是面数；试试 /dice 20"),
            };
            ctx.reply(text).await?;
            return Ok(());
        }
    };
    if !(2..=1000).contains(&sides) {
        ctx.reply(lang.pick(
            "A die has 2 to 1000 sides.",
            "骰子的面数在 2 到 1000 之间。",
        ))
        .await?;
        return Ok(());
    }

    let value = random_below(sides) + 1;
    let caption = match lang {
        Language::English => format!("🎲 You rolled {value} (1–{sides})"),
        Language::Chinese => format!("🎲 你掷出了 {value} 点（1–{sides}）"),
    };
    if sides > 6 {
        ctx.reply(caption).await?;
        return Ok(());
    }

    let face = u8::try_from(value).unwrap_or(6);
    ctx.reply(
        Reply::image_bytes(dice::dice_png(face), format!("dice-{value}.png")).content(caption),
    )
    .await?;

    Ok(())
}

async fn card(ctx: Context, lang: Language) -> HandlerResult {
    let keyboard = Keyboard::rows([[
        Button::new(
            lang.pick("👍 Yes", "👍 喜欢"),
            ActionType::Callback,
            VOTE_YES,
        )
        .id("yes")
        .visited_label(lang.pick("👍 Yes ✓", "👍 喜欢 ✓"))
        .style(ButtonStyle::BlueOutline),
        Button::new(
            lang.pick("👎 No", "👎 不喜欢"),
            ActionType::Callback,
            VOTE_NO,
        )
        .id("no")
        .visited_label(lang.pick("👎 No ✓", "👎 不喜欢 ✓"))
        .style(ButtonStyle::GreyOutline),
    ]]);
    let text = lang.pick("**Do you like qie?**", "**你喜欢 qie 吗？**");

    ctx.reply(Reply::markdown(text).keyboard(keyboard)).await?;

    Ok(())
}

async fn clicked(ctx: Context, interaction: Interaction, lang: Language) -> HandlerResult {
    let text = match interaction.data.resolved.button_data.as_deref() {
        Some(VOTE_YES) => lang.pick("Thanks! 👍 noted.", "谢谢！已记下 👍。"),
        Some(VOTE_NO) => lang.pick(
            "Noted 👎, we will do better.",
            "已记下 👎，我们会做得更好。",
        ),
        _ => return Ok(()),
    };

    ctx.reply(text).await?;

    Ok(())
}

/// Answers messages addressed to the bot that are not commands.
async fn unknown(ctx: Context, message: Message, lang: Language) -> HandlerResult {
    if ctx.command().is_some() || message.text().is_empty() {
        return Ok(());
    }

    ctx.reply(lang.pick(
        "I did not understand that. Send /help for the commands.",
        "没看懂这条消息。发送 /help 查看命令。",
    ))
    .await?;

    Ok(())
}

/// A random number below `bound`, from the standard library's randomly seeded hasher.
fn random_below(bound: u32) -> u32 {
    let mut hasher = RandomState::new().build_hasher();
    hasher.write_u32(bound);
    let random = hasher.finish();

    u32::try_from(random % u64::from(bound.max(1))).unwrap_or(0)
}
