//! The emulated world: bots, users, guilds with channels, roles and members, guild DM sessions,
//! groups and C2C users.
//!
//! A world is plain data. Load it from TOML with [`World::from_toml_str`] or [`World::load`],
//! build it in code, or start from [`World::example`], the default world whose ids match the
//! wire fixtures. Openids are per bot on the platform; the ones not written in the world are
//! derived from [`World::seed`] when the emulator starts, so they are stable across runs.

use std::collections::BTreeMap;
use std::fmt;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::ids::derive_openid;
use crate::{Error, ErrorKind};

/// Intent bits the platform defines (bit numbers).
pub(crate) const KNOWN_INTENT_BITS: [u8; 15] =
    [0, 1, 9, 10, 12, 18, 19, 23, 24, 25, 26, 27, 28, 29, 30];

/// Every intent the platform defines, as a mask.
pub const ALL_INTENTS: u32 = {
    let mut mask = 0u32;
    let mut index = 0;
    while index < KNOWN_INTENT_BITS.len() {
        mask |= 1 << KNOWN_INTENT_BITS[index];
        index += 1;
    }
    mask
};

/// Intents every bot has without applying: GUILDS, GUILD_MEMBERS, PUBLIC_GUILD_MESSAGES.
pub const DEFAULT_INTENTS: u32 = 1 | (1 << 1) | (1 << 30);

/// The whole world.
#[derive(Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
#[serde(default, deny_unknown_fields)]
pub struct World {
    /// Seed of every generated id (openids, message ids, tokens, session ids).
    pub seed: u64,
    /// The bots.
    pub bots: Vec<Bot>,
    /// People, identified by their guild user id.
    pub users: Vec<User>,
    /// Guilds (频道).
    pub guilds: Vec<Guild>,
    /// Guild direct-message sessions.
    pub dms: Vec<DmSession>,
    /// QQ groups.
    pub groups: Vec<Group>,
    /// QQ Connect apps and profiles (`[connect]`).
    pub connect: crate::oauth::Connect,
}

impl fmt::Debug for World {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("World")
            .field("seed", &self.seed)
            .field("bots", &self.bots)
            .field("users", &self.users.len())
            .field("guilds", &self.guilds.len())
            .field("dms", &self.dms.len())
            .field("groups", &self.groups.len())
            .field("connect_apps", &self.connect.apps)
            .finish()
    }
}

/// A bot application.
#[derive(Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(default, deny_unknown_fields)]
pub struct Bot {
    /// AppID, a string of decimal digits.
    pub app_id: String,
    /// AppSecret (client secret), exchanged for access tokens.
    pub secret: String,
    /// Legacy static bot token, used as `Bot {app_id}.{token}` when the legacy switch is on.
    pub token: String,
    /// The bot's guild-scope user id (READY `user.id`, author of its guild messages).
    pub user_id: String,
    /// Display name.
    pub username: String,
    /// Avatar URL.
    pub avatar: String,
    /// Granted intents; `None` grants every intent the platform defines.
    pub intents: Option<u32>,
    /// Private-domain (私域) bot: may use GUILD_MESSAGES, FORUMS_EVENT and the private APIs.
    pub private_domain: bool,
    /// `share_url` of `GET /users/@me`.
    pub share_url: String,
    /// `welcome_msg` of `GET /users/@me`.
    pub welcome_msg: String,
}

impl Default for Bot {
    fn default() -> Self {
        Self {
            app_id: String::new(),
            secret: String::new(),
            token: String::new(),
            user_id: String::new(),
            username: "Bot".to_owned(),
            avatar: String::new(),
            intents: None,
            private_domain: true,
            share_url: String::new(),
            welcome_msg: String::new(),
        }
    }
}

impl fmt::Debug for Bot {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Bot")
            .field("app_id", &self.app_id)
            .field("secret", &"<redacted>")
            .field("token", &"<redacted>")
            .field("user_id", &self.user_id)
            .field("username", &self.username)
            .field("intents", &self.intents)
            .field("private_domain", &self.private_domain)
            .finish_non_exhaustive()
    }
}

impl Bot {
    /// Creates a bot with an AppID and secret; the other fields take defaults.
    pub fn new(app_id: impl Into<String>, secret: impl Into<String>) -> Self {
        Self {
            app_id: app_id.into(),
            secret: secret.into(),
            ..Self::default()
        }
    }

    /// Returns the granted intents mask.
    pub fn granted_intents(&self) -> u32 {
        self.intents.unwrap_or(ALL_INTENTS)
    }
}

/// A person, known to bots by a guild user id and by per-bot openids.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
#[serde(default, deny_unknown_fields)]
pub struct User {
    /// Guild-scope user id (decimal string).
    pub id: String,
    /// Display name.
    pub username: String,
    /// Avatar URL.
    pub avatar: String,
    /// `union_openid`, usually empty.
    pub union_openid: String,
    /// `user_openid` per AppID; missing entries are derived from the seed.
    pub openids: BTreeMap<String, String>,
    /// Whether the user added every bot to their message list (C2C friends); default true.
    pub c2c: bool,
    /// Whether the user allows proactive C2C messages; default true.
    pub allow_proactive: bool,
}

/// A guild (频道).
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
#[serde(default, deny_unknown_fields)]
pub struct Guild {
    /// Guild id (decimal string).
    pub id: String,
    /// Name.
    pub name: String,
    /// Icon URL.
    pub icon: String,
    /// Owner's user id.
    pub owner_id: String,
    /// Description.
    pub description: String,
    /// Member capacity.
    pub max_members: u32,
    /// When the bot joined, RFC 3339.
    pub joined_at: String,
    /// Channels.
    pub channels: Vec<Channel>,
    /// Roles, including the default roles `1`, `2`, `4` and `5`.
    pub roles: Vec<Role>,
    /// Members, including the bot's own member entry.
    pub members: Vec<GuildMember>,
    /// AppIDs of bots in this guild; empty means every bot.
    pub bots: Vec<String>,
}

/// A channel of a guild.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
#[serde(default, deny_unknown_fields)]
pub struct Channel {
    /// Channel id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Channel type: 0 text, 2 voice, 4 category, 10005 live, 10006 application, 10007 forum.
    #[serde(rename = "type")]
    pub kind: u32,
    /// Text channel sub-type: 0 chat, 1 announcement, 2 guide, 3 team-up.
    pub sub_type: u32,
    /// Position (from 1).
    pub position: u32,
    /// Owning category id.
    pub parent_id: String,
    /// Creator's user id.
    pub owner_id: String,
    /// 0 public, 1 owner and admins, 2 owner, admins and listed members.
    pub private_type: u32,
    /// 1 everyone, 2 owner, admins and listed members.
    pub speak_permission: u32,
    /// Application id of an application channel.
    pub application_id: Option<String>,
    /// Members currently in a voice or live channel (`online_nums`).
    pub online_nums: u32,
}

/// A guild role.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
#[serde(default, deny_unknown_fields)]
pub struct Role {
    /// Role id.
    pub id: String,
    /// Name.
    pub name: String,
    /// ARGB colour.
    pub color: u32,
    /// 1 when shown separately.
    pub hoist: u32,
    /// Member capacity.
    pub member_limit: u32,
}

/// A member of a guild.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
#[serde(default, deny_unknown_fields)]
pub struct GuildMember {
    /// User id (a [`User::id`] or a bot's [`Bot::user_id`]).
    pub user_id: String,
    /// Guild nickname.
    pub nick: String,
    /// Role ids.
    pub roles: Vec<String>,
    /// When the member joined, RFC 3339.
    pub joined_at: String,
}

/// A guild direct-message session between a bot and a user.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
#[serde(default, deny_unknown_fields)]
pub struct DmSession {
    /// The DM's own guild id (target of `POST /dms/{guild_id}/messages`).
    pub guild_id: String,
    /// The DM's channel id.
    pub channel_id: String,
    /// The user.
    pub user_id: String,
    /// The guild the DM was started from.
    pub src_guild_id: String,
    /// The bot; empty means the first bot.
    pub app_id: String,
    /// Creation time, Unix seconds.
    pub create_time: i64,
}

/// A QQ group.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
#[serde(default, deny_unknown_fields)]
pub struct Group {
    /// Stable key used by the world file and the control API.
    pub key: String,
    /// Group name.
    pub name: String,
    /// `group_openid` per AppID; missing entries are derived from the seed.
    pub openids: BTreeMap<String, String>,
    /// Human members.
    pub members: Vec<GroupMember>,
    /// Bots in the group.
    pub bots: Vec<GroupBot>,
}

/// A human member of a group.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
#[serde(default, deny_unknown_fields)]
pub struct GroupMember {
    /// The member's [`User::id`].
    pub user_id: String,
    /// `member`, `admin` or `owner`.
    pub role: String,
    /// `member_openid` per AppID; missing entries are derived from the seed.
    pub openids: BTreeMap<String, String>,
    /// When the member joined, RFC 3339.
    pub joined_at: String,
}

/// A bot's membership in a group.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
#[serde(default, deny_unknown_fields)]
pub struct GroupBot {
    /// AppID.
    pub app_id: String,
    /// The bot's own `member_openid` in the group; derived when empty.
    pub member_openid: String,
    /// `member`, `admin` or `owner`.
    pub role: String,
    /// `only_mention` (default), `all` or `mention_and_context`.
    pub recv_msg_setting: String,
    /// Whether the group owner lets the bot send proactive messages.
    pub allow_proactive_msg: bool,
    /// When the bot joined, RFC 3339.
    pub joined_at: String,
}

/// The default AppID of the example world.
pub const EXAMPLE_APP_ID: &str = "102000001";
/// The secret of the example world's bot.
pub const EXAMPLE_SECRET: &str = "ExampleBotSecret01";
/// The legacy static token of the example world's bot.
pub const EXAMPLE_LEGACY_TOKEN: &str = "ExampleBotLegacyToken01";

fn member(user_id: &str, roles: &[&str], joined_at: &str) -> GuildMember {
    GuildMember {
        user_id: user_id.to_owned(),
        nick: String::new(),
        roles: roles.iter().map(|role| (*role).to_owned()).collect(),
        joined_at: joined_at.to_owned(),
    }
}

fn channel(
    id: &str,
    name: &str,
    kind: u32,
    sub_type: u32,
    position: u32,
    parent_id: &str,
) -> Channel {
    Channel {
        id: id.to_owned(),
        name: name.to_owned(),
        kind,
        sub_type,
        position,
        parent_id: parent_id.to_owned(),
        owner_id: "14400000000000001".to_owned(),
        private_type: 0,
        speak_permission: 1,
        application_id: None,
        online_nums: 0,
    }
}

fn default_roles() -> Vec<Role> {
    let role = |id: &str, name: &str, color: u32, hoist: u32, member_limit: u32| Role {
        id: id.to_owned(),
        name: name.to_owned(),
        color,
        hoist,
        member_limit,
    };
    vec![
        role("1", "普通成员", 0, 0, 1000),
        role("2", "管理员", 4_294_927_682, 1, 50),
        role("4", "创建者", 4_294_917_938, 1, 1),
        role("5", "子频道管理员", 4_288_230_995, 1, 50),
        role("10001", "example-role", 4_278_245_297, 0, 100),
    ]
}

fn openids(app_id: &str, openid: &str) -> BTreeMap<String, String> {
    BTreeMap::from([(app_id.to_owned(), openid.to_owned())])
}

impl World {
    /// Returns the example world, whose ids are the ones of the wire fixtures.
    ///
    /// * Bot: AppID `102000001`, secret `ExampleBotSecret01`, guild user `11223344556677889900`
    ///   ("ExampleBot"), every intent granted, private domain.
    /// * Users: `14400000000000001` alice (C2C `user_openid` `3B9AC9F1D2E34F5A8B7C6D5E4F3A2B1C`),
    ///   `14400000000000002` carol, `14400000000000003` dave, `14400000000000004` bob.
    /// * Guild `7010203040506070801` with a channel of every documented type (text `5550001` …),
    ///   the default roles and one custom role; guild `7010203040506070802` for shard tests.
    /// * DM guild `7999000000000000001` (channel `5559001`) with alice.
    /// * Group `6A1C4E0B9D2F47A8B3C5D7E9F1A2B3C4` (key `example-group`, @-mention only) with bob
    ///   (member_openid `0F1E2D3C4B5A69788796A5B4C3D2E1F0`) and the bot (`9E8D7C6B5A4938271605F4E3D2C1B0A9`);
    ///   group key `full-group` receives every message.
    pub fn example() -> Self {
        let app = EXAMPLE_APP_ID;
        let joined = "2025-06-01T09:30:00+08:00";
        let user = |id: &str, name: &str, openid: Option<&str>| User {
            id: id.to_owned(),
            username: name.to_owned(),
            avatar: format!("https://thirdqq.qlogo.cn/g?b=oidb&k={name}&s=0"),
            union_openid: String::new(),
            openids: openid
                .map(|openid| openids(app, openid))
                .unwrap_or_default(),
            c2c: true,
            allow_proactive: true,
        };

        let mut app_channel = channel("5550008", "王者开黑大厅", 10006, 0, 8, "5550006");
        app_channel.application_id = Some("1000000".to_owned());
        let mut voice = channel("5550005", "语音频道", 2, 0, 5, "5550006");
        voice.online_nums = 3;
        let mut live = channel("5550007", "直播频道", 10005, 0, 7, "5550006");
        live.online_nums = 12;

        let main_guild = Guild {
            id: "7010203040506070801".to_owned(),
            name: "Example Guild".to_owned(),
            icon: "https://groupprohead.gtimg.cn/7010203040506070801/40".to_owned(),
            owner_id: "14400000000000001".to_owned(),
            description: "An invented guild for tests".to_owned(),
            max_members: 2000,
            joined_at: "2025-06-01T09:00:00+08:00".to_owned(),
            channels: vec![
                channel("5550001", "general", 0, 0, 1, "5550006"),
                channel("5550002", "announcements", 0, 1, 2, "5550006"),
                channel("5550003", "guide", 0, 2, 3, "5550006"),
                channel("5550004", "team-up", 0, 3, 4, "5550006"),
                voice,
                channel("5550006", "category", 4, 0, 2, ""),
                live,
                app_channel,
                channel("5550009", "forum", 10007, 0, 9, "5550006"),
            ],
            roles: default_roles(),
            members: vec![
                member("14400000000000001", &["1", "4"], joined),
                member("14400000000000002", &["1"], "2025-07-01T10:00:00+08:00"),
                member(
                    "14400000000000003",
                    &["1", "10001"],
                    "2025-07-02T10:00:00+08:00",
                ),
                member(
                    "11223344556677889900",
                    &["1", "2"],
                    "2025-06-01T09:00:00+08:00",
                ),
            ],
            bots: Vec::new(),
        };

        let second_guild = Guild {
            id: "7010203040506070802".to_owned(),
            name: "Second Guild".to_owned(),
            icon: String::new(),
            owner_id: "14400000000000002".to_owned(),
            description: String::new(),
            max_members: 500,
            joined_at: "2025-08-01T09:00:00+08:00".to_owned(),
            channels: vec![Channel {
                owner_id: "14400000000000002".to_owned(),
                ..channel("5560001", "lobby", 0, 0, 1, "")
            }],
            roles: default_roles(),
            members: vec![
                member("14400000000000002", &["1", "4"], joined),
                member("14400000000000001", &["1"], joined),
                member("11223344556677889900", &["1", "2"], joined),
            ],
            bots: Vec::new(),
        };

        let group_member = |user_id: &str, role: &str, openid: Option<&str>| GroupMember {
            user_id: user_id.to_owned(),
            role: role.to_owned(),
            openids: openid
                .map(|openid| openids(app, openid))
                .unwrap_or_default(),
            joined_at: joined.to_owned(),
        };

        let example_group = Group {
            key: "example-group".to_owned(),
            name: "Example Group".to_owned(),
            openids: openids(app, "6A1C4E0B9D2F47A8B3C5D7E9F1A2B3C4"),
            members: vec![
                group_member(
                    "14400000000000004",
                    "member",
                    Some("0F1E2D3C4B5A69788796A5B4C3D2E1F0"),
                ),
                group_member("14400000000000001", "owner", None),
                group_member("14400000000000002", "admin", None),
            ],
            bots: vec![GroupBot {
                app_id: app.to_owned(),
                member_openid: "9E8D7C6B5A4938271605F4E3D2C1B0A9".to_owned(),
                role: "member".to_owned(),
                recv_msg_setting: "only_mention".to_owned(),
                allow_proactive_msg: false,
                joined_at: joined.to_owned(),
            }],
        };

        let full_group = Group {
            key: "full-group".to_owned(),
            name: "Full Group".to_owned(),
            openids: BTreeMap::new(),
            members: vec![
                group_member("14400000000000004", "member", None),
                group_member("14400000000000003", "owner", None),
            ],
            bots: vec![GroupBot {
                app_id: app.to_owned(),
                member_openid: String::new(),
                role: "admin".to_owned(),
                recv_msg_setting: "all".to_owned(),
                allow_proactive_msg: true,
                joined_at: joined.to_owned(),
            }],
        };

        let mut world = Self {
            seed: 20_260_101,
            bots: vec![Bot {
                app_id: app.to_owned(),
                secret: EXAMPLE_SECRET.to_owned(),
                token: EXAMPLE_LEGACY_TOKEN.to_owned(),
                user_id: "11223344556677889900".to_owned(),
                username: "ExampleBot".to_owned(),
                avatar: "https://thirdqq.qlogo.cn/g?b=oidb&k=EXAMPLEbotAVATAR&s=0".to_owned(),
                intents: None,
                private_domain: true,
                share_url: "https://qun.qq.com/qunpro/robot/share?robot_appid=102000001".to_owned(),
                welcome_msg: "Hello, I am ExampleBot.".to_owned(),
            }],
            users: vec![
                user(
                    "14400000000000001",
                    "alice_example",
                    Some("3B9AC9F1D2E34F5A8B7C6D5E4F3A2B1C"),
                ),
                user("14400000000000002", "carol_example", None),
                user("14400000000000003", "dave_example", None),
                user("14400000000000004", "bob_example", None),
            ],
            guilds: vec![main_guild, second_guild],
            dms: vec![DmSession {
                guild_id: "7999000000000000001".to_owned(),
                channel_id: "5559001".to_owned(),
                user_id: "14400000000000001".to_owned(),
                src_guild_id: "7010203040506070801".to_owned(),
                app_id: app.to_owned(),
                create_time: 1_767_225_600,
            }],
            groups: vec![example_group, full_group],
            connect: crate::oauth::Connect::example(),
        };
        world.complete();

        world
    }

    /// Parses a world from TOML (the same field names as these structs).
    pub fn from_toml_str(text: &str) -> Result<Self, Error> {
        let mut world: Self = toml::from_str(text).map_err(|source| {
            Error::with_source(ErrorKind::WorldParse, "invalid world TOML", source)
        })?;
        world.complete();
        world.validate()?;

        Ok(world)
    }

    /// Reads and parses a world file.
    pub fn load(path: impl AsRef<Path>) -> Result<Self, Error> {
        let path = path.as_ref();
        let text = std::fs::read_to_string(path).map_err(|source| {
            Error::with_source(
                ErrorKind::WorldFile,
                format!("failed to read world file {}", path.display()),
                source,
            )
        })?;

        Self::from_toml_str(&text)
    }

    /// Serialises the world as TOML (with every derived openid filled in).
    pub fn to_toml_string(&self) -> Result<String, Error> {
        toml::to_string_pretty(self).map_err(|source| {
            Error::with_source(
                ErrorKind::WorldParse,
                "failed to serialise the world",
                source,
            )
        })
    }

    /// Fills every missing openid from the seed; idempotent.
    pub fn complete(&mut self) {
        let seed = self.seed;
        let app_ids: Vec<String> = self.bots.iter().map(|bot| bot.app_id.clone()).collect();
        let first_app = app_ids.first().cloned().unwrap_or_default();

        for user in &mut self.users {
            for app in &app_ids {
                user.openids
                    .entry(app.clone())
                    .or_insert_with(|| derive_openid(seed, &[app, "user", &user.id]));
            }
        }

        for group in &mut self.groups {
            if group.key.is_empty() {
                group.key = group.name.clone();
            }
            for app in &app_ids {
                group
                    .openids
                    .entry(app.clone())
                    .or_insert_with(|| derive_openid(seed, &[app, "group", &group.key]));
            }
            for member in &mut group.members {
                for app in &app_ids {
                    member.openids.entry(app.clone()).or_insert_with(|| {
                        derive_openid(seed, &[app, "member", &group.key, &member.user_id])
                    });
                }
                if member.role.is_empty() {
                    "member".clone_into(&mut member.role);
                }
            }
            for bot in &mut group.bots {
                if bot.member_openid.is_empty() {
                    bot.member_openid = derive_openid(seed, &[&bot.app_id, "self", &group.key]);
                }
                if bot.role.is_empty() {
                    "member".clone_into(&mut bot.role);
                }
                if bot.recv_msg_setting.is_empty() {
                    "only_mention".clone_into(&mut bot.recv_msg_setting);
                }
            }
        }

        for dm in &mut self.dms {
            if dm.app_id.is_empty() {
                dm.app_id.clone_from(&first_app);
            }
        }
    }

    /// Checks that the world is usable: at least one bot, unique and non-empty ids.
    pub fn validate(&self) -> Result<(), Error> {
        let invalid = |message: String| Err(Error::new(ErrorKind::WorldInvalid, message));

        if self.bots.is_empty() {
            return invalid(
                "the world has no bot; add a [[bots]] entry with app_id and secret".to_owned(),
            );
        }

        let mut seen = std::collections::HashSet::new();
        for bot in &self.bots {
            if bot.app_id.is_empty() || !bot.app_id.bytes().all(|byte| byte.is_ascii_digit()) {
                return invalid(format!(
                    "bot app_id {:?} is not a string of decimal digits",
                    bot.app_id
                ));
            }
            if bot.secret.is_empty() {
                return invalid(format!("bot {} has an empty secret", bot.app_id));
            }
            if !seen.insert(format!("bot:{}", bot.app_id)) {
                return invalid(format!("bot app_id {} appears twice", bot.app_id));
            }
        }
        for user in &self.users {
            if user.id.is_empty() || !seen.insert(format!("user:{}", user.id)) {
                return invalid(format!("user id {:?} is empty or appears twice", user.id));
            }
        }
        for guild in &self.guilds {
            if guild.id.is_empty() || !seen.insert(format!("guild:{}", guild.id)) {
                return invalid(format!("guild id {:?} is empty or appears twice", guild.id));
            }
            for channel in &guild.channels {
                if channel.id.is_empty() || !seen.insert(format!("channel:{}", channel.id)) {
                    return invalid(format!(
                        "channel id {:?} is empty or appears twice",
                        channel.id
                    ));
                }
            }
        }
        for dm in &self.dms {
            if dm.guild_id.is_empty() || !seen.insert(format!("guild:{}", dm.guild_id)) {
                return invalid(format!(
                    "DM guild id {:?} is empty or used twice",
                    dm.guild_id
                ));
            }
        }
        let user_ids = self.users.iter().map(|user| user.id.as_str()).collect();
        self.connect.validate(&user_ids)?;
        for group in &self.groups {
            if !seen.insert(format!("group:{}", group.key)) {
                return invalid(format!("group key {:?} appears twice", group.key));
            }
        }

        Ok(())
    }

    /// Returns the bot with this AppID.
    pub fn bot(&self, app_id: &str) -> Option<&Bot> {
        self.bots.iter().find(|bot| bot.app_id == app_id)
    }

    /// Returns the user with this guild user id.
    pub fn user(&self, user_id: &str) -> Option<&User> {
        self.users.iter().find(|user| user.id == user_id)
    }

    /// Returns the user whose `user_openid` for this bot is `openid`.
    pub fn user_by_openid(&self, app_id: &str, openid: &str) -> Option<&User> {
        self.users
            .iter()
            .find(|user| user.openids.get(app_id).is_some_and(|id| id == openid))
    }

    /// Returns the guild with this id, if the bot is in it.
    pub fn guild_for(&self, app_id: &str, guild_id: &str) -> Option<&Guild> {
        self.guilds
            .iter()
            .find(|guild| guild.id == guild_id && guild.has_bot(app_id))
    }

    /// Returns a channel and its guild, if the bot is in the guild.
    pub fn channel_for(&self, app_id: &str, channel_id: &str) -> Option<(&Guild, &Channel)> {
        self.guilds
            .iter()
            .filter(|guild| guild.has_bot(app_id))
            .find_map(|guild| {
                guild
                    .channels
                    .iter()
                    .find(|channel| channel.id == channel_id)
                    .map(|channel| (guild, channel))
            })
    }

    /// Returns the group whose `group_openid` for this bot is `openid`, if the bot is in it.
    pub fn group_by_openid(&self, app_id: &str, openid: &str) -> Option<&Group> {
        self.groups.iter().find(|group| {
            group.openids.get(app_id).is_some_and(|id| id == openid) && group.bot(app_id).is_some()
        })
    }

    /// Returns a DM session of this bot by its DM guild id.
    pub fn dm_for(&self, app_id: &str, guild_id: &str) -> Option<&DmSession> {
        self.dms
            .iter()
            .find(|dm| dm.guild_id == guild_id && dm.app_id == app_id)
    }
}

impl Guild {
    /// Whether the bot is a member of this guild.
    pub fn has_bot(&self, app_id: &str) -> bool {
        self.bots.is_empty() || self.bots.iter().any(|id| id == app_id)
    }

    /// Returns the member with this user id.
    pub fn member(&self, user_id: &str) -> Option<&GuildMember> {
        self.members.iter().find(|member| member.user_id == user_id)
    }
}

impl Group {
    /// Returns this bot's membership.
    pub fn bot(&self, app_id: &str) -> Option<&GroupBot> {
        self.bots.iter().find(|bot| bot.app_id == app_id)
    }

    /// Returns the `group_openid` this bot sees.
    pub fn openid_for(&self, app_id: &str) -> Option<&str> {
        self.openids.get(app_id).map(String::as_str)
    }

    /// Returns the member whose `member_openid` for this bot is `openid`, or whose user id is
    /// `openid`.
    pub fn member_by_any(&self, app_id: &str, id: &str) -> Option<&GroupMember> {
        self.members.iter().find(|member| {
            member.user_id == id
                || member
                    .openids
                    .get(app_id)
                    .is_some_and(|openid| openid == id)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn example_world_is_valid_and_complete() {
        let world = World::example();
        world.validate().expect("example world validates");
        let group = &world.groups[1];
        assert_eq!(group.openids[EXAMPLE_APP_ID].len(), 32);
        assert_eq!(group.bots[0].member_openid.len(), 32);
        assert_eq!(world.users[1].openids[EXAMPLE_APP_ID].len(), 32);
    }

    #[test]
    fn toml_round_trip() {
        let world = World::example();
        let text = world.to_toml_string().expect("serialises");
        let parsed = World::from_toml_str(&text).expect("parses");
        assert_eq!(parsed, world);
    }

    #[test]
    fn toml_without_bot_is_rejected() {
        let error = World::from_toml_str("seed = 1\n").expect_err("no bot");
        assert_eq!(error.kind(), &ErrorKind::WorldInvalid);
    }

    #[test]
    fn debug_hides_secrets() {
        let world = World::example();
        let text = format!("{world:?}");
        assert!(!text.contains(EXAMPLE_SECRET));
        assert!(!text.contains(EXAMPLE_LEGACY_TOKEN));
    }
}
