//! `encryptedData` decryption: AES-128-CBC, PKCS#7, watermark check.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use aes::Aes128;
use aes::cipher::{BlockDecryptMut as _, KeyIvInit as _, block_padding::NoPadding};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::base64;
use crate::error::{Error, ErrorKind};
use crate::id::{AppId, OpenId, UnionId};
use crate::secret::SessionKey;

type Aes128CbcDec = cbc::Decryptor<Aes128>;

/// AES block size in bytes; the key and the iv have this length too.
const BLOCK: usize = 16;

/// Decrypts `encryptedData` with the session_key and iv and returns the plaintext bytes.
///
/// The padding is checked strictly: the last byte `n` must be 1..=16 and the last `n` bytes must
/// all equal `n`. Prefer [`OpenDataDecryptor::decrypt`], which also parses the JSON and checks
/// the watermark.
///
/// # Errors
///
/// [`ErrorKind::InvalidBase64`] or [`ErrorKind::InvalidLength`] for malformed input (a 16-byte
/// key and iv, a ciphertext of a positive multiple of 16 bytes), and
/// [`ErrorKind::SessionKeyMismatch`] when the padding is invalid.
pub fn decrypt(session_key: &SessionKey, encrypted_data: &str, iv: &str) -> Result<Vec<u8>, Error> {
    let key = base64::decode("session_key", session_key.expose())?;
    let iv = base64::decode("iv", iv)?;
    let mut data = base64::decode("encryptedData", encrypted_data)?;

    check_length("session_key", &key, "16")?;
    check_length("iv", &iv, "16")?;
    if data.is_empty() || data.len() % BLOCK != 0 {
        return Err(Error::new(ErrorKind::InvalidLength {
            field: "encryptedData",
            expected: "a positive multiple of 16",
            actual: data.len(),
        }));
    }

    let cipher = Aes128CbcDec::new_from_slices(&key, &iv).map_err(|_| {
        Error::new(ErrorKind::InvalidLength {
            field: "session_key",
            expected: "16",
            actual: key.len(),
        })
    })?;
    let plain_len = cipher
        .decrypt_padded_mut::<NoPadding>(&mut data)
        .map_err(|_| Error::new(ErrorKind::SessionKeyMismatch))?
        .len();
    data.truncate(plain_len);

    let unpadded = strip_pkcs7(&data).ok_or_else(|| {
        tracing::debug!("open data has invalid PKCS#7 padding");
        Error::new(ErrorKind::SessionKeyMismatch)
    })?;
    data.truncate(unpadded);

    Ok(data)
}

fn check_length(field: &'static str, bytes: &[u8], expected: &'static str) -> Result<(), Error> {
    if bytes.len() == BLOCK {
        return Ok(());
    }

    Err(Error::new(ErrorKind::InvalidLength {
        field,
        expected,
        actual: bytes.len(),
    }))
}

/// Returns the length of the data without its PKCS#7 padding, or `None` for invalid padding.
fn strip_pkcs7(data: &[u8]) -> Option<usize> {
    let pad = usize::from(*data.last()?);
    if pad == 0 || pad > BLOCK || pad > data.len() {
        return None;
    }

    // Check every padding byte without an early exit.
    let start = data.len() - pad;
    let difference = data[start..].iter().fold(0u8, |accumulator, byte| {
        accumulator | (byte ^ data[data.len() - 1])
    });

    (difference == 0).then_some(start)
}

/// Decrypts open data for one mini-program and checks its watermark.
///
/// # Examples
///
/// ```
/// use qie_miniapp::crypto::{OpenDataDecryptor, ShareInfo};
/// use qie_miniapp::{AppId, SessionKey};
///
/// let decryptor = OpenDataDecryptor::new(AppId::new("1109816085"));
/// let result = decryptor.decrypt::<ShareInfo>(
///     &SessionKey::new("HZZcLF6XuE4KzIgQZaHxyg=="),
///     "LZgHQu0/t6Py1DWaTMcauTdf8F50bd525j2E29BErDDdGcJwu4AY8eBtnDB77FIYGqTHhYq7TflX/r3G5PaBsOaeGyzjtOz9H4jHi0tNoGbc2YMEiqf9QbgAJL0cHEkU",
///     "G9xX9zweu4ee6O8nKj3MpA==",
/// )?;
/// assert_eq!(result.data.open_g_id, "GXXXXXXX");
/// assert_eq!(result.watermark.timestamp, 1_767_240_001);
/// # Ok::<(), qie_miniapp::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct OpenDataDecryptor {
    appid: AppId,
    max_age: Option<Duration>,
}

impl OpenDataDecryptor {
    /// Creates a decryptor that accepts data whose `watermark.appid` is `appid`.
    pub fn new(appid: AppId) -> Self {
        Self {
            appid,
            max_age: None,
        }
    }

    /// Also rejects data whose watermark timestamp is older than `max_age` (off by default).
    #[must_use]
    pub fn max_age(mut self, max_age: Duration) -> Self {
        self.max_age = Some(max_age);
        self
    }

    /// Returns the appid that watermarks must carry.
    pub fn appid(&self) -> &AppId {
        &self.appid
    }

    /// Decrypts `encryptedData`, parses it as JSON, checks the watermark and deserializes `T`
    /// (for example [`UserInfo`], [`ShareInfo`] or [`serde_json::Value`]).
    ///
    /// # Errors
    ///
    /// Those of [`decrypt`]; [`ErrorKind::SessionKeyMismatch`] when the plaintext is not UTF-8
    /// JSON (the usual result of a stale session_key that happened to leave valid padding);
    /// [`ErrorKind::MissingWatermark`], [`ErrorKind::WatermarkMismatch`] or
    /// [`ErrorKind::WatermarkExpired`] from the watermark check; [`ErrorKind::Decode`] when the
    /// JSON does not fit `T`.
    pub fn decrypt<T: DeserializeOwned>(
        &self,
        session_key: &SessionKey,
        encrypted_data: &str,
        iv: &str,
    ) -> Result<OpenData<T>, Error> {
        let plaintext = decrypt(session_key, encrypted_data, iv)?;
        let value: Value = serde_json::from_slice(&plaintext).map_err(|source| {
            tracing::debug!("decrypted open data is not JSON");
            Error::with_source(ErrorKind::SessionKeyMismatch, source)
        })?;

        let watermark = self.check_watermark(&value)?;
        let data = T::deserialize(value).map_err(|source| {
            Error::with_source(
                ErrorKind::Decode {
                    endpoint: "encryptedData",
                    detail: format!("decrypted JSON does not fit the requested type: {source}"),
                },
                source,
            )
        })?;

        Ok(OpenData { data, watermark })
    }

    fn check_watermark(&self, value: &Value) -> Result<Watermark, Error> {
        let watermark = value
            .get("watermark")
            .ok_or_else(|| Error::new(ErrorKind::MissingWatermark))?;
        let appid = watermark
            .get("appid")
            .and_then(Value::as_str)
            .ok_or_else(|| Error::new(ErrorKind::MissingWatermark))?;
        if appid != self.appid.as_str() {
            tracing::warn!(expected = %self.appid, actual = appid, "open data watermark belongs to another appid");
            return Err(Error::new(ErrorKind::WatermarkMismatch {
                expected: self.appid.clone(),
                actual: appid.to_owned(),
            }));
        }

        let timestamp = watermark
            .get("timestamp")
            .and_then(Value::as_i64)
            .unwrap_or(0);
        if let Some(max_age) = self.max_age {
            let now = SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map_or(0, |elapsed| {
                    i64::try_from(elapsed.as_secs()).unwrap_or(i64::MAX)
                });
            let limit = i64::try_from(max_age.as_secs()).unwrap_or(i64::MAX);
            if now.saturating_sub(timestamp) > limit {
                return Err(Error::new(ErrorKind::WatermarkExpired {
                    timestamp,
                    max_age,
                }));
            }
        }

        Ok(Watermark {
            appid: AppId::new(appid),
            timestamp,
        })
    }
}

/// Decrypted open data with its checked watermark.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct OpenData<T> {
    /// The payload.
    pub data: T,
    /// The watermark, already checked against the appid.
    pub watermark: Watermark,
}

/// The `watermark` member of decrypted open data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Watermark {
    /// The mini-program the data was encrypted for.
    pub appid: AppId,
    /// When the client produced the data, in Unix seconds.
    pub timestamp: i64,
}

/// The decrypted payload of `qq.getUserInfo`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct UserInfo {
    /// The user's openid in this mini-program.
    pub open_id: OpenId,
    /// Nickname.
    #[serde(default)]
    pub nick_name: String,
    /// 0 unknown, 1 male, 2 female.
    #[serde(default)]
    pub gender: u8,
    /// Language of the client, for example `zh_CN`.
    #[serde(default)]
    pub language: String,
    /// City.
    #[serde(default)]
    pub city: String,
    /// Province.
    #[serde(default)]
    pub province: String,
    /// Country.
    #[serde(default)]
    pub country: String,
    /// Avatar URL.
    #[serde(default)]
    pub avatar_url: String,
    /// The unionid, present when the mini-program is bound to a QQ互联 developer account.
    #[serde(default)]
    pub union_id: Option<UnionId>,
}

/// The decrypted payload of `qq.getShareInfo`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ShareInfo {
    /// The group's id as seen by this mini-program.
    #[serde(rename = "openGId")]
    pub open_g_id: String,
}

#[cfg(test)]
mod tests {
    use super::strip_pkcs7;

    #[test]
    fn padding_is_checked_strictly() {
        let mut block = [0u8; 16];
        block[15] = 1;
        assert_eq!(strip_pkcs7(&block), Some(15));

        let full = [16u8; 16];
        assert_eq!(strip_pkcs7(&full), Some(0));

        let mut uneven = [3u8; 16];
        uneven[13] = 2;
        assert_eq!(strip_pkcs7(&uneven), None);

        // Pad values above the block size (accepted by code written for 32-byte blocks).
        assert_eq!(strip_pkcs7(&[20u8; 32]), None);
        assert_eq!(strip_pkcs7(&[0u8; 16]), None);
    }
}
