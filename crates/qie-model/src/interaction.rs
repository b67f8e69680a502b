//! Interaction acknowledgement (`PUT /interactions/{interaction_id}`).

use crate::macros::int_enum;

int_enum! {
    /// `code` of an interaction acknowledgement.
    pub enum InteractionAckCode: u8 {
        /// 0: success.
        Success = 0,
        /// 1: failed.
        Failed = 1,
        /// 2: too frequent.
        TooFrequent = 2,
        /// 3: duplicate.
        Duplicate = 3,
        /// 4: no permission.
        NoPermission = 4,
        /// 5: admins only.
        AdminOnly = 5,
    }
}

/// Body of `PUT /interactions/{interaction_id}`. Acknowledge within about 5 seconds, once per
/// interaction.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[non_exhaustive]
pub struct InteractionAck {
    /// Result shown to the user.
    pub code: InteractionAckCode,
}

impl InteractionAck {
    /// Builds an acknowledgement.
    pub const fn new(code: InteractionAckCode) -> Self {
        Self { code }
    }
}
