//! Typed identifiers of QQ Connect.

use std::fmt;

use serde::{Deserialize, Serialize};

macro_rules! id_type {
    ($(#[$meta:meta])* $name:ident) => {
        $(#[$meta])*
        #[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(String);

        impl $name {
            /// Wraps a value as received from or sent to the platform.
            pub fn new(value: impl Into<String>) -> Self {
                Self(value.into())
            }

            /// Returns the value.
            pub fn as_str(&self) -> &str {
                &self.0
            }

            /// Returns the owned value.
            pub fn into_string(self) -> String {
                self.0
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(formatter, concat!(stringify!($name), "({:?})"), self.0)
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
                formatter.write_str(&self.0)
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl From<&str> for $name {
            fn from(value: &str) -> Self {
                Self::new(value)
            }
        }

        impl From<String> for $name {
            fn from(value: String) -> Self {
                Self::new(value)
            }
        }
    };
}

id_type! {
    /// The appid of a QQ Connect app (`client_id` of the OAuth calls, `oauth_consumer_key` of the
    /// OpenAPI calls), a string of decimal digits such as `101000001`.
    AppId
}

id_type! {
    /// A user's openid: stable for one app, different for each app.
    OpenId
}

id_type! {
    /// A user's unionid: the same for every app of one QQ Connect developer account. Samples look
    /// like `UID_` followed by 32 hex digits.
    UnionId
}
