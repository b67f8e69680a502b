//! Deterministic id generation.
//!
//! Every id the emulator invents (openids, message ids, tokens, session ids, trace ids) comes
//! from a splitmix64 stream seeded by the world's seed, so two runs with the same seed and the
//! same sequence of requests produce the same ids.

const HEX_UPPER: &[u8; 16] = b"0123456789ABCDEF";
const HEX_LOWER: &[u8; 16] = b"0123456789abcdef";
const ALNUM: &[u8; 62] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/// A seeded pseudo-random stream (splitmix64).
#[derive(Debug, Clone)]
pub(crate) struct IdGen {
    state: u64,
}

impl IdGen {
    /// Creates a stream from a seed.
    pub(crate) fn new(seed: u64) -> Self {
        Self {
            state: seed ^ 0x5851_F42D_4C95_7F2D,
        }
    }

    /// Returns the next 64 random bits.
    pub(crate) fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        mix(self.state)
    }

    fn chars(&mut self, alphabet: &[u8], len: usize) -> String {
        let size = alphabet.len() as u64;
        (0..len)
            .map(|_| {
                let index = usize::try_from(self.next_u64() % size).unwrap_or(0);
                char::from(alphabet[index])
            })
            .collect()
    }

    /// Returns `len` upper-case hex digits.
    pub(crate) fn hex_upper(&mut self, len: usize) -> String {
        self.chars(HEX_UPPER, len)
    }

    /// Returns `len` lower-case hex digits.
    pub(crate) fn hex_lower(&mut self, len: usize) -> String {
        self.chars(HEX_LOWER, len)
    }

    /// Returns `len` ASCII letters and digits.
    pub(crate) fn alnum(&mut self, len: usize) -> String {
        self.chars(ALNUM, len)
    }

    /// Returns a lower-case UUID-shaped string (version 4 layout).
    pub(crate) fn uuid(&mut self) -> String {
        let hex = self.hex_lower(32);
        format!(
            "{}-{}-4{}-a{}-{}",
            &hex[0..8],
            &hex[8..12],
            &hex[13..16],
            &hex[17..20],
            &hex[20..32]
        )
    }

    /// Returns a guild-style message id: 58 lower-case hex digits starting with `08`.
    pub(crate) fn guild_message_id(&mut self) -> String {
        format!("08{}", self.hex_lower(56))
    }

    /// Returns a group/C2C-style message id, `ROBOT1.0_…!`.
    pub(crate) fn robot_message_id(&mut self) -> String {
        format!("ROBOT1.0_{}.{}!", self.alnum(40), self.alnum(4))
    }

    /// Returns a quote index, `REFIDX_…==`.
    pub(crate) fn ref_idx(&mut self) -> String {
        format!("REFIDX_{}==", self.alnum(22))
    }

    /// Returns a decimal snowflake-like id (guild, channel, role and user ids).
    pub(crate) fn snowflake(&mut self) -> String {
        (self.next_u64() % 9_000_000_000_000_000_000 + 1_000_000_000_000_000_000).to_string()
    }
}

fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Derives a stable 32-digit upper-case hex openid from the seed and a list of parts.
///
/// Openids are per bot on the platform, so callers include the AppID among the parts.
pub(crate) fn derive_openid(seed: u64, parts: &[&str]) -> String {
    // FNV-1a over the parts, separated so that ("ab", "c") and ("a", "bc") differ.
    let mut hash: u64 = 0xCBF2_9CE4_8422_2325 ^ seed;
    for part in parts {
        for byte in part.bytes().chain(std::iter::once(0xFF)) {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0100_0000_01B3);
        }
    }

    let mut stream = IdGen::new(hash);
    stream.hex_upper(32)
}

#[cfg(test)]
mod tests {
    use super::{IdGen, derive_openid};

    #[test]
    fn same_seed_same_ids() {
        let mut first = IdGen::new(7);
        let mut second = IdGen::new(7);
        assert_eq!(first.uuid(), second.uuid());
        assert_eq!(first.robot_message_id(), second.robot_message_id());
    }

    #[test]
    fn openid_shape_and_stability() {
        let id = derive_openid(1, &["102000001", "user", "alice"]);
        assert_eq!(id.len(), 32);
        assert!(
            id.chars()
                .all(|c| c.is_ascii_hexdigit() && !c.is_ascii_lowercase())
        );
        assert_eq!(id, derive_openid(1, &["102000001", "user", "alice"]));
        assert_ne!(id, derive_openid(1, &["102000002", "user", "alice"]));
        assert_ne!(id, derive_openid(2, &["102000001", "user", "alice"]));
    }

    #[test]
    fn uuid_layout() {
        let uuid = IdGen::new(3).uuid();
        let groups: Vec<&str> = uuid.split('-').collect();
        assert_eq!(
            groups.iter().map(|g| g.len()).collect::<Vec<_>>(),
            vec![8, 4, 4, 4, 12]
        );
    }
}
