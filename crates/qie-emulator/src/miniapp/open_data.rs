//! Open data as the client produces it: AES-128-CBC under the user's session_key with a random
//! iv and PKCS#7 padding, plus the rawData signature `hex(sha1(rawData + session_key))`.

use std::fmt::Write as _;

use aes::Aes128;
use aes::cipher::{BlockEncryptMut as _, KeyIvInit as _, block_padding::Pkcs7};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};
use sha1::{Digest as _, Sha1};

use crate::ids::IdGen;

type Aes128CbcEnc = cbc::Encryptor<Aes128>;

/// Open data ready to hand to a backend, as `qq.getUserInfo` returns it to the client.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct EncryptedOpenData {
    /// `encryptedData`: base64 of the ciphertext.
    #[serde(rename = "encryptedData")]
    pub encrypted_data: String,
    /// `iv`: base64 of the 16-byte iv.
    pub iv: String,
    /// `rawData`: the profile without openid, unionid and watermark.
    #[serde(rename = "rawData")]
    pub raw_data: String,
    /// `signature` of `rawData`.
    pub signature: String,
    /// The plaintext that was encrypted (for assertions in tests).
    pub plaintext: String,
}

/// Encrypts `payload` with a watermark for `appid` under `session_key` (base64).
///
/// Returns `None` when the session_key is not base64 of 16 bytes.
pub(crate) fn seal(
    ids: &mut IdGen,
    appid: &str,
    session_key: &str,
    timestamp: i64,
    mut payload: Map<String, Value>,
    raw_data: String,
) -> Option<EncryptedOpenData> {
    let key = STANDARD.decode(session_key).ok()?;
    let mut iv = [0u8; 16];
    iv[..8].copy_from_slice(&ids.next_u64().to_le_bytes());
    iv[8..].copy_from_slice(&ids.next_u64().to_le_bytes());

    payload.insert(
        "watermark".to_owned(),
        json!({"appid": appid, "timestamp": timestamp}),
    );
    let plaintext = Value::Object(payload).to_string();

    let cipher = Aes128CbcEnc::new_from_slices(&key, &iv).ok()?;
    let length = plaintext.len();
    let mut buffer = plaintext.clone().into_bytes();
    buffer.resize(length + 16, 0);
    let ciphertext = cipher
        .encrypt_padded_mut::<Pkcs7>(&mut buffer, length)
        .ok()?
        .to_vec();

    Some(EncryptedOpenData {
        encrypted_data: STANDARD.encode(ciphertext),
        iv: STANDARD.encode(iv),
        signature: sign(&raw_data, session_key),
        raw_data,
        plaintext,
    })
}

/// Returns `hex(sha1(raw_data + session_key))`.
pub(crate) fn sign(raw_data: &str, session_key: &str) -> String {
    let mut hasher = Sha1::new();
    hasher.update(raw_data.as_bytes());
    hasher.update(session_key.as_bytes());

    hasher
        .finalize()
        .iter()
        .fold(String::with_capacity(40), |mut hex, byte| {
            let _ = write!(hex, "{byte:02x}");
            hex
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sign_matches_known_vector() {
        // WeChat's published demo pair; the algorithm is the same on QQ.
        let raw = r#"{"nickName":"Band","gender":1,"language":"zh_CN","city":"Guangzhou","province":"Guangdong","country":"CN","avatarUrl":"http://wx.qlogo.cn/mmopen/vi_32/1vZvI39NWFQ9XM4LtQpFrQJ1xlgZxx3w7bQxKARol6503Iuswjjn6nIGBiaycAjAtpujxyzYsrztuuICqIM5ibXQ/0"}"#;
        assert_eq!(
            sign(raw, "HyVFkGl5F5OQWJZZaNzBBg=="),
            "75e81ceda165f4ffa64f4068af58c64b8f54b88c"
        );
    }

    #[test]
    fn seal_pads_to_whole_blocks() {
        let mut ids = IdGen::new(9);
        let sealed = seal(
            &mut ids,
            "1109816085",
            "PuP8doVMWusQM567o6BUvQ==",
            1_767_240_000,
            Map::new(),
            "{}".to_owned(),
        )
        .unwrap();

        let ciphertext = STANDARD.decode(&sealed.encrypted_data).unwrap();
        assert_eq!(ciphertext.len() % 16, 0);
        assert!(ciphertext.len() > sealed.plaintext.len());
        assert_eq!(STANDARD.decode(&sealed.iv).unwrap().len(), 16);
        assert!(sealed.plaintext.contains(r#""appid":"1109816085""#));
        assert!(seal(&mut ids, "1", "short", 0, Map::new(), String::new()).is_none());
    }
}
