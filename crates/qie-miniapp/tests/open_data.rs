//! Known-answer tests of open-data decryption and of the rawData signature.
//!
//! The vectors in `data/open_data_vectors.json` were computed with an independent implementation
//! (Python's `cryptography` package and `hashlib`); see the `_comment` member there.

#![allow(clippy::unwrap_used)]

use qie_miniapp::crypto::{self, OpenData, OpenDataDecryptor, ShareInfo, UserInfo};
use qie_miniapp::{AppId, Error, ErrorKind, SessionKey};
use serde_json::Value;

const VECTORS: &str = include_str!("data/open_data_vectors.json");

struct DecryptionVector {
    appid: String,
    session_key: String,
    iv: String,
    encrypted_data: String,
    plaintext: String,
}

fn vectors() -> Value {
    serde_json::from_str(VECTORS).unwrap()
}

fn decryption(name: &str) -> DecryptionVector {
    let all = vectors();
    let vector = all["decryption"]
        .as_array()
        .unwrap()
        .iter()
        .find(|vector| vector["name"] == name)
        .unwrap_or_else(|| panic!("no vector {name}"))
        .clone();
    let text = |field: &str| vector[field].as_str().unwrap().to_owned();

    DecryptionVector {
        appid: text("appid"),
        session_key: text("session_key"),
        iv: text("iv"),
        encrypted_data: text("encrypted_data"),
        plaintext: text("plaintext"),
    }
}

impl DecryptionVector {
    /// Decrypts this vector's data with the given session_key, data and iv.
    fn open<T: serde::de::DeserializeOwned>(
        &self,
        session_key: &str,
        encrypted_data: &str,
        iv: &str,
    ) -> Result<OpenData<T>, Error> {
        OpenDataDecryptor::new(AppId::new(&self.appid)).decrypt(
            &SessionKey::new(session_key),
            encrypted_data,
            iv,
        )
    }

    /// Decrypts this vector as it is.
    fn open_as_is<T: serde::de::DeserializeOwned>(&self) -> Result<OpenData<T>, Error> {
        self.open(&self.session_key, &self.encrypted_data, &self.iv)
    }
}

#[test]
fn every_vector_decrypts_to_its_plaintext() {
    let all = vectors();
    for vector in all["decryption"].as_array().unwrap() {
        let name = vector["name"].as_str().unwrap();
        let key = SessionKey::new(vector["session_key"].as_str().unwrap());
        let plaintext = crypto::decrypt(
            &key,
            vector["encrypted_data"].as_str().unwrap(),
            vector["iv"].as_str().unwrap(),
        )
        .unwrap_or_else(|error| panic!("{name}: {error}"));

        assert_eq!(
            String::from_utf8(plaintext).unwrap(),
            vector["plaintext"].as_str().unwrap(),
            "{name}"
        );
    }
}

#[test]
fn user_info_fields_and_watermark() {
    let vector = decryption("qq_user_info");

    let result = vector.open_as_is::<UserInfo>().unwrap();

    assert_eq!(
        result.data.open_id.as_str(),
        "A3F9C1D27B6E4F0A9D8C7B6A5F4E3D2C"
    );
    assert_eq!(result.data.nick_name, "企鹅用户");
    assert_eq!(result.data.gender, 1);
    assert_eq!(result.data.city, "Shenzhen");
    assert_eq!(
        result
            .data
            .union_id
            .as_ref()
            .map(qie_miniapp::UnionId::as_str),
        Some("UID_7F3A2B1C9D8E")
    );
    assert_eq!(result.watermark.appid.as_str(), "1109816085");
    assert_eq!(result.watermark.timestamp, 1_767_240_000);
}

#[test]
fn full_padding_block_is_removed() {
    let vector = decryption("qq_share_info_full_pad_block");
    assert_eq!(vector.plaintext.len() % 16, 0);

    let result = vector.open_as_is::<ShareInfo>().unwrap();

    assert_eq!(result.data.open_g_id, "GXXXXXXX");
}

#[test]
fn wechat_demo_vector_decrypts() {
    let vector = decryption("wechat_demo");

    assert_eq!(vector.appid, "wx4f4bc4dec97d474b");

    let result = vector.open_as_is::<UserInfo>().unwrap();

    assert_eq!(result.data.open_id.as_str(), "oGZUI0egBJY1zhBYw2KhdUfwVJJE");
    assert_eq!(
        result
            .data
            .union_id
            .as_ref()
            .map(qie_miniapp::UnionId::as_str),
        Some("ocMvos6NjeKLIBqg5Mr9QjxrP1FA")
    );
    assert_eq!(result.watermark.timestamp, 1_477_314_187);
}

#[test]
fn watermark_of_other_appid_is_rejected() {
    let vector = decryption("qq_other_appid");

    let error = vector.open_as_is::<Value>().unwrap_err();

    assert_eq!(
        error.kind(),
        &ErrorKind::WatermarkMismatch {
            expected: AppId::new("1109816085"),
            actual: "1109999999".to_owned(),
        }
    );
}

#[test]
fn stale_watermark_is_rejected_when_configured() {
    let vector = decryption("qq_user_info");

    let error = OpenDataDecryptor::new(AppId::new(&vector.appid))
        .max_age(std::time::Duration::from_secs(600))
        .decrypt::<Value>(
            &SessionKey::new(&vector.session_key),
            &vector.encrypted_data,
            &vector.iv,
        )
        .unwrap_err();

    assert!(matches!(
        error.kind(),
        ErrorKind::WatermarkExpired {
            timestamp: 1_767_240_000,
            ..
        }
    ));
}

#[test]
fn plus_turned_into_space_is_repaired() {
    let vector = decryption("qq_user_info");
    assert!(vector.encrypted_data.contains('+'));
    let damaged = vector.encrypted_data.replace('+', " ");

    let result = vector
        .open::<UserInfo>(&vector.session_key, &damaged, &vector.iv)
        .unwrap();

    assert_eq!(result.data.nick_name, "企鹅用户");
}

#[test]
fn wrong_session_key_is_a_typed_error() {
    let vector = decryption("qq_user_info");
    let other = decryption("qq_share_info_full_pad_block");

    let error = vector
        .open::<UserInfo>(&other.session_key, &vector.encrypted_data, &vector.iv)
        .unwrap_err();

    assert_eq!(error.kind(), &ErrorKind::SessionKeyMismatch);
    assert!(error.is_session_key_mismatch());
    assert!(error.to_string().contains("stale"));
    assert!(!error.to_string().contains(&other.session_key));
}

#[test]
fn wrong_iv_is_a_session_key_mismatch() {
    let vector = decryption("qq_user_info");
    let other = decryption("qq_share_info_full_pad_block");

    // A wrong iv garbles only the first block; the padding stays valid and the JSON does not.
    let error = vector
        .open::<UserInfo>(&vector.session_key, &vector.encrypted_data, &other.iv)
        .unwrap_err();

    assert_eq!(error.kind(), &ErrorKind::SessionKeyMismatch);
}

#[test]
fn malformed_inputs_name_the_field() {
    let vector = decryption("qq_user_info");
    let key = SessionKey::new(&vector.session_key);

    let truncated = &vector.encrypted_data[..40];
    let error = crypto::decrypt(&key, truncated, &vector.iv).unwrap_err();
    assert!(matches!(
        error.kind(),
        ErrorKind::InvalidLength {
            field: "encryptedData",
            actual: 30,
            ..
        }
    ));

    let error = crypto::decrypt(
        &SessionKey::new("c2hvcnQ="),
        &vector.encrypted_data,
        &vector.iv,
    )
    .unwrap_err();
    assert!(matches!(
        error.kind(),
        ErrorKind::InvalidLength {
            field: "session_key",
            actual: 5,
            ..
        }
    ));

    let error = crypto::decrypt(&key, &vector.encrypted_data, "!!").unwrap_err();
    assert_eq!(error.kind(), &ErrorKind::InvalidBase64 { field: "iv" });

    let error = crypto::decrypt(&key, "", &vector.iv).unwrap_err();
    assert!(matches!(
        error.kind(),
        ErrorKind::InvalidLength {
            field: "encryptedData",
            actual: 0,
            ..
        }
    ));
}

#[test]
fn signature_vectors_verify() {
    let all = vectors();
    for vector in all["signature"].as_array().unwrap() {
        let name = vector["name"].as_str().unwrap();
        let raw = vector["raw_data"].as_str().unwrap();
        let key = SessionKey::new(vector["session_key"].as_str().unwrap());
        let signature = vector["signature"].as_str().unwrap();

        assert_eq!(crypto::sign_raw_data(raw, &key), signature, "{name}");
        assert!(
            crypto::verify_signature(raw, &key, signature).is_ok(),
            "{name}"
        );
        assert!(
            crypto::verify_signature(raw, &key, &signature.to_ascii_uppercase()).is_ok(),
            "{name}"
        );
    }
}

#[test]
fn signature_mismatches_are_rejected() {
    let all = vectors();
    let qq = &all["signature"][0];
    let raw = qq["raw_data"].as_str().unwrap();
    let key = SessionKey::new(qq["session_key"].as_str().unwrap());
    let signature = qq["signature"].as_str().unwrap();

    let changed = raw.replace("Shenzhen", "Shanghai");
    let error = crypto::verify_signature(&changed, &key, signature).unwrap_err();
    assert_eq!(error.kind(), &ErrorKind::SignatureMismatch);

    let other_key = SessionKey::new("HyVFkGl5F5OQWJZZaNzBBg==");
    assert!(crypto::verify_signature(raw, &other_key, signature).is_err());
    assert!(crypto::verify_signature(raw, &key, &signature[..39]).is_err());
    assert!(crypto::verify_signature(raw, &key, "").is_err());
}

#[test]
fn qq_documentation_pair_does_not_verify() {
    // The QQ page pairs WeChat's hash with a rawData whose avatar host is qq.qlogo.cn.
    let all = vectors();
    let corrected = all["signature"]
        .as_array()
        .unwrap()
        .iter()
        .find(|vector| vector["name"] == "qq_doc_host_corrected")
        .unwrap();
    let raw = corrected["raw_data"].as_str().unwrap();
    let key = SessionKey::new(corrected["session_key"].as_str().unwrap());

    assert!(raw.contains("qq.qlogo.cn"));
    let error = crypto::verify_signature(raw, &key, "75e81ceda165f4ffa64f4068af58c64b8f54b88c")
        .unwrap_err();
    assert_eq!(error.kind(), &ErrorKind::SignatureMismatch);
}
