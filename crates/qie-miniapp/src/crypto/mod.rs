//! Open data: the rawData signature check and `encryptedData` decryption.
//!
//! Client APIs such as `qq.getUserInfo` and `qq.getShareInfo` return `rawData` with a
//! `signature`, and `encryptedData` with an `iv`. Both are bound to the user's `session_key`,
//! which only the server knows (from [`code2session`](crate::Client::code2session)).
//!
//! - [`verify_signature`]: `signature == hex(sha1(rawData + session_key))`, compared in constant
//!   time. The session_key is appended as its base64 text, not decoded.
//! - [`OpenDataDecryptor`]: AES-128-CBC with key `base64(session_key)` and the client's `iv`,
//!   strict PKCS#7 padding, then a check that `watermark.appid` is this mini-program's appid.
//!
//! Both accept base64 whose `+` signs were turned into spaces by a form or query-string decoder,
//! and line breaks inside base64.

mod base64;
mod open_data;
mod signature;

pub use open_data::{OpenData, OpenDataDecryptor, ShareInfo, UserInfo, Watermark, decrypt};
pub use signature::{sign_raw_data, verify_signature};
