//! Typed string ids of the mini-program platform.
//!
//! QQ mini-program appids are numeric strings (`1109816085`), unlike WeChat's `wx…` ids; openids
//! and unionids are opaque strings. Each kind is its own type, so an openid cannot be passed
//! where an appid belongs.

use std::fmt;

use serde::{Deserialize, Serialize};

macro_rules! id_type {
    ($(#[$meta:meta])* $name:ident) => {
        $(#[$meta])*
        #[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(String);

        impl $name {
            /// Wraps an id string.
            pub fn new(value: impl Into<String>) -> Self {
                Self(value.into())
            }

            /// Returns the id text.
            pub fn as_str(&self) -> &str {
                &self.0
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

        impl From<&str> for $name {
            fn from(value: &str) -> Self {
                Self::new(value)
            }
        }

        impl From<String> for $name {
            fn from(value: String) -> Self {
                Self(value)
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }
    };
}

id_type! {
    /// A mini-program appid: numeric text such as `1109816085`.
    AppId
}

id_type! {
    /// A user's openid within one mini-program.
    OpenId
}

id_type! {
    /// A user's unionid, shared by the apps bound to one QQ互联 (connect.qq.com) developer account.
    UnionId
}

id_type! {
    /// A subscription message template id.
    TemplateId
}
