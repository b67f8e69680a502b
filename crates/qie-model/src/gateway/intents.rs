//! Identify `intents`: which families of events a WebSocket session receives.

use serde::de::{Deserialize, Deserializer};
use serde::ser::{Serialize, Serializer};

bitflags::bitflags! {
    /// The `intents` bitmask of Identify. Each bit subscribes to a family of dispatch types.
    ///
    /// Intents apply only to the WebSocket gateway; webhook subscriptions are chosen per event in
    /// the console. `GUILDS`, `GUILD_MEMBERS` and `PUBLIC_GUILD_MESSAGES` are granted to every bot;
    /// every other bit must be applied for, and identifying with a bit the bot is not granted
    /// closes the connection (4014). Bits the platform does not define are kept when parsing.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
    pub struct Intents: u32 {
        /// Bit 0: GUILD_CREATE/UPDATE/DELETE, CHANNEL_CREATE/UPDATE/DELETE.
        const GUILDS = 1 << 0;
        /// Bit 1: GUILD_MEMBER_ADD/UPDATE/REMOVE.
        const GUILD_MEMBERS = 1 << 1;
        /// Bit 9: MESSAGE_CREATE (every channel message) and MESSAGE_DELETE; private-domain bots
        /// only.
        const GUILD_MESSAGES = 1 << 9;
        /// Bit 10: MESSAGE_REACTION_ADD/REMOVE.
        const GUILD_MESSAGE_REACTIONS = 1 << 10;
        /// Bit 12: DIRECT_MESSAGE_CREATE/DELETE.
        const DIRECT_MESSAGE = 1 << 12;
        /// Bit 18: OPEN_FORUM_* events (public-domain forum events, reduced payload).
        const OPEN_FORUMS_EVENT = 1 << 18;
        /// Bit 19: AUDIO_OR_LIVE_CHANNEL_MEMBER_ENTER/EXIT (bit assigned by the SDKs).
        const AUDIO_OR_LIVE_CHANNEL_MEMBER = 1 << 19;
        /// Bit 23: ENTER_AIO (seen only in botgo).
        const ENTER_AIO = 1 << 23;
        /// Bit 24: GROUP_MEMBER_ADD/REMOVE (the platform names it GROUP_MEMBER_EVENT).
        const GROUP_MEMBERS = 1 << 24;
        /// Bit 25: group and C2C messages and relationship events, GROUP_MESSAGE_CREATE,
        /// GROUP_JOIN_REQUEST.
        const GROUP_AND_C2C_EVENT = 1 << 25;
        /// Bit 26: INTERACTION_CREATE.
        const INTERACTION = 1 << 26;
        /// Bit 27: MESSAGE_AUDIT_PASS/REJECT.
        const MESSAGE_AUDIT = 1 << 27;
        /// Bit 28: FORUM_* events; private-domain bots only.
        const FORUMS_EVENT = 1 << 28;
        /// Bit 29: AUDIO_START/FINISH/ON_MIC/OFF_MIC.
        const AUDIO_ACTION = 1 << 29;
        /// Bit 30: AT_MESSAGE_CREATE and PUBLIC_MESSAGE_DELETE.
        const PUBLIC_GUILD_MESSAGES = 1 << 30;
    }
}

impl Intents {
    /// The bits every bot is granted without applying: guilds, guild members and @-messages.
    pub const DEFAULT: Self = Self::GUILDS
        .union(Self::GUILD_MEMBERS)
        .union(Self::PUBLIC_GUILD_MESSAGES);

    /// Group and C2C bots: group/C2C messages and relationship events plus button interactions.
    pub const GROUP_AND_C2C: Self = Self::GROUP_AND_C2C_EVENT.union(Self::INTERACTION);

    /// What the official Node SDK sends as its full set: [`DEFAULT`](Self::DEFAULT), guild DMs,
    /// group and C2C events and interactions (value 1174409219).
    pub const PUBLIC_BOT: Self = Self::DEFAULT
        .union(Self::DIRECT_MESSAGE)
        .union(Self::GROUP_AND_C2C);

    /// Every public-domain guild bit: [`PUBLIC_BOT`](Self::PUBLIC_BOT) plus reactions, audits,
    /// public forum, audio and group member events.
    pub const PUBLIC_ALL: Self = Self::PUBLIC_BOT
        .union(Self::GUILD_MESSAGE_REACTIONS)
        .union(Self::MESSAGE_AUDIT)
        .union(Self::OPEN_FORUMS_EVENT)
        .union(Self::AUDIO_ACTION)
        .union(Self::AUDIO_OR_LIVE_CHANNEL_MEMBER)
        .union(Self::GROUP_MEMBERS);

    /// Every bit a private-domain bot can hold: [`PUBLIC_ALL`](Self::PUBLIC_ALL) plus all channel
    /// messages and the private forum events.
    pub const PRIVATE_ALL: Self = Self::PUBLIC_ALL
        .union(Self::GUILD_MESSAGES)
        .union(Self::FORUMS_EVENT);
}

impl Serialize for Intents {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_u32(self.bits())
    }
}

impl<'de> Deserialize<'de> for Intents {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        u32::deserialize(deserializer).map(Self::from_bits_retain)
    }
}

#[cfg(test)]
mod tests {
    use super::Intents;

    #[test]
    fn documented_bit_values() {
        let table = [
            (Intents::GUILDS, 1),
            (Intents::GUILD_MEMBERS, 2),
            (Intents::GUILD_MESSAGES, 512),
            (Intents::GUILD_MESSAGE_REACTIONS, 1024),
            (Intents::DIRECT_MESSAGE, 4096),
            (Intents::OPEN_FORUMS_EVENT, 262_144),
            (Intents::AUDIO_OR_LIVE_CHANNEL_MEMBER, 524_288),
            (Intents::ENTER_AIO, 8_388_608),
            (Intents::GROUP_MEMBERS, 16_777_216),
            (Intents::GROUP_AND_C2C_EVENT, 33_554_432),
            (Intents::INTERACTION, 67_108_864),
            (Intents::MESSAGE_AUDIT, 134_217_728),
            (Intents::FORUMS_EVENT, 268_435_456),
            (Intents::AUDIO_ACTION, 536_870_912),
            (Intents::PUBLIC_GUILD_MESSAGES, 1_073_741_824),
        ];
        for (intent, value) in table {
            assert_eq!(intent.bits(), value, "{intent:?}");
        }
        assert_eq!(Intents::all().iter().count(), table.len());
    }

    #[test]
    fn presets() {
        assert_eq!(Intents::DEFAULT.bits(), 1 | 2 | (1 << 30));
        assert_eq!(Intents::PUBLIC_BOT.bits(), 1_174_409_219);
        assert!(!Intents::PUBLIC_ALL.contains(Intents::GUILD_MESSAGES));
        assert!(Intents::PRIVATE_ALL.contains(Intents::FORUMS_EVENT));
        assert!(!Intents::PRIVATE_ALL.contains(Intents::ENTER_AIO));
    }

    #[test]
    fn serde_keeps_unknown_bits() {
        let intents: Intents = serde_json::from_str("1073741828").unwrap();

        assert!(intents.contains(Intents::PUBLIC_GUILD_MESSAGES));
        assert_eq!(intents.bits(), 1_073_741_828);
        assert_eq!(serde_json::to_string(&intents).unwrap(), "1073741828");
    }
}
