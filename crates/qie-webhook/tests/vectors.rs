//! Known-answer vectors: the platform's documented examples and the repository fixtures verify
//! and re-sign byte for byte.

#![allow(clippy::unwrap_used)]

mod common;

use common::{field, fixture, key};
use qie_model::gateway::{ClientFrame, ServerFrame};
use qie_model::webhook::{ValidationRequest, ValidationResponse};
use qie_webhook::SignatureErrorKind;

/// One signature vector: secret, public key, timestamp, body (message = timestamp + body).
struct Vector {
    name: &'static str,
    secret: &'static str,
    public_key: &'static str,
    timestamp: &'static str,
    body: &'static str,
    signature: &'static str,
}

const D2_BODY: &str = "{\n  \"op\": 0,\n  \"d\": {},\n  \"t\": \"GATEWAY_EVENT_NAME\"\n}";

const VECTORS: &[Vector] = &[
    Vector {
        name: "D1 validation from the docs",
        secret: "DG5g3B4j9X2KOErG",
        public_key: "8b28ded5630f9051c205dd04c6ec56ad0b08b8812b2fe30ee9aece0ab41926f3",
        timestamp: "1725442341",
        body: "Arq0D5A61EgUu4OxUvOp",
        signature: "87befc99c42c651b3aac0278e71ada338433ae26fcb24307bdc5ad38c1adc2d01bcfcadc0842edac85e85205028a1132afe09280305f13aa6909ffc2d652c706",
    },
    Vector {
        name: "D2 event signature from the docs",
        secret: "naOC0ocQE3shWLAfffVLB1rhYPG7",
        public_key: "d7c362fe78aef81ff23287b493628b5db02a3c4fe30b215e4d19609b5d76673a",
        timestamp: "1725442341",
        body: D2_BODY,
        signature: "865ad13a61752ca65e26bde6676459cd36cf1be609375b37bd62af366e1dc25a8dc789ba7f14e017ada3d554c671a911bfdf075ba54835b23391d509579ed002",
    },
    Vector {
        name: "V1 dispatch, 20-byte secret",
        secret: "Zq7Lm2Xp9Rt4Wv8Kb3Nc",
        public_key: "a4c587b832dea0a96bf16a56f26dd4fabae61c2bdcecbea9b552de414bd54427",
        timestamp: "1767240000",
        body: r#"{"id":"C2C_MESSAGE_CREATE:0f3c2a9e-1b7d-4c55-9a1e-6d2f8b4c7e10","op":0,"d":{"author":{"id":"A1B2C3D4E5F60718293A4B5C6D7E8F90","user_openid":"A1B2C3D4E5F60718293A4B5C6D7E8F90","union_openid":""},"content":"hello bot","id":"ROBOT1.0_exampleMsgId0001","timestamp":"2026-01-01T12:00:00+08:00","message_type":0},"t":"C2C_MESSAGE_CREATE"}"#,
        signature: "e3c17e3c179828e7deab84d779e78f4f0c2fce127c48c9c7d33a3ecec4726ad809a2bc036addf45f2063be61f980f0bdbe315a1a5793559714c5e2d3f4b0a106",
    },
    Vector {
        name: "V2 validation answer, 18-byte secret",
        secret: "ExampleBotSecret01",
        public_key: "aa9cab60e1e71ceacbc9b5f57b9cd1e1b7adbebe859231a718d0f1d13b90cd54",
        timestamp: "1767240001",
        body: "Yk3PqR8vL2mN5tW9xA1c",
        signature: "9426d4f4d4d4b8886ff8fc0fd4e81dae358a87166231de79710b044db1e319e634150cb9ac3a0710e5b06ef2abbef3c0047f4fecf265ea8ed4e5203bd9513e0d",
    },
    Vector {
        name: "V2 request header signature",
        secret: "ExampleBotSecret01",
        public_key: "aa9cab60e1e71ceacbc9b5f57b9cd1e1b7adbebe859231a718d0f1d13b90cd54",
        timestamp: "1767240001",
        body: r#"{"d":{"plain_token":"Yk3PqR8vL2mN5tW9xA1c","event_ts":"1767240001"},"op":13}"#,
        signature: "a979e74b4eeb46beccd987fc2c0b4de11144671d8d9971a8bf0d5a03633177b38b4bb00907f8fb2596a044e7aaf39dc2ed9df91de2afe2e76503b5597475c407",
    },
    Vector {
        name: "V3 secret longer than 32 bytes",
        secret: "ThisSecretIsLongerThanThirtyTwoCharacters",
        public_key: "0e1a103905ebf3dacd0bac2132aceb5910198bdec0959135090838989d9b611c",
        timestamp: "1767240002",
        body: r#"{"op":0,"id":"GROUP_ADD_ROBOT:7d1e0c44-2f1a-4d9b-8a55-3c9e0b1f2a6d","d":{"group_openid":"0123456789ABCDEF0123456789ABCDEF","op_member_openid":"FEDCBA9876543210FEDCBA9876543210","timestamp":1767240002},"t":"GROUP_ADD_ROBOT"}"#,
        signature: "804a1713ee09a93ba2d304d72a92027534f212a6fa02010162f5d404db33803be4e3f000b50c8c4c0e6690d282eedc4dee32bd506b133a3a97abb2ebc19cf70e",
    },
    Vector {
        name: "V4 three-byte secret",
        secret: "abc",
        public_key: "204aaed5e86cd99a149c0d51d033261996cdbd67a2becb24dfaa43a4828181e8",
        timestamp: "1767240003",
        body: "ptok-short-secret",
        signature: "ceb589489393cabb834708be08d0a66c4a1928ab8ca3fc93ec684ecc055063533c29697efa56921a765c9a281fec9184fda8f0af40504f727d83221e2871dc07",
    },
];

#[test]
fn vectors_derive_public_keys() {
    for vector in VECTORS {
        assert_eq!(
            key(vector.secret).public_key_hex(),
            vector.public_key,
            "{}",
            vector.name
        );
    }
}

#[test]
fn vectors_resign_byte_for_byte() {
    for vector in VECTORS {
        let signature = key(vector.secret).sign(vector.timestamp, vector.body.as_bytes());

        assert_eq!(signature, vector.signature, "{}", vector.name);
    }
}

#[test]
fn vectors_verify() {
    for vector in VECTORS {
        let key = key(vector.secret);

        assert_eq!(
            key.verify(vector.timestamp, vector.body.as_bytes(), vector.signature),
            Ok(()),
            "{}",
            vector.name
        );
        let upper = vector.signature.to_ascii_uppercase();
        assert_eq!(
            key.verify(vector.timestamp, vector.body.as_bytes(), &upper),
            Ok(()),
            "{} (upper case)",
            vector.name
        );
    }
}

#[test]
fn vectors_reject_any_changed_byte() {
    for vector in VECTORS {
        let key = key(vector.secret);
        let mut body = vector.body.as_bytes().to_vec();
        let last = body.len() - 1;
        body[last] ^= 0x01;

        let error = key
            .verify(vector.timestamp, &body, vector.signature)
            .unwrap_err();
        assert_eq!(
            error.kind(),
            SignatureErrorKind::Mismatch,
            "{} (body)",
            vector.name
        );

        let error = key
            .verify("1767249999", vector.body.as_bytes(), vector.signature)
            .unwrap_err();
        assert_eq!(
            error.kind(),
            SignatureErrorKind::Mismatch,
            "{} (timestamp)",
            vector.name
        );
    }
}

#[test]
fn validation_answers_match_docs() {
    let d1 = ValidationRequest::new("Arq0D5A61EgUu4OxUvOp", "1725442341");
    let v4 = ValidationRequest::new("ptok-short-secret", "1767240003");

    assert_eq!(
        key("DG5g3B4j9X2KOErG").sign_validation(&d1).signature,
        VECTORS[0].signature
    );
    assert_eq!(
        key("abc").sign_validation(&v4).signature,
        VECTORS[6].signature
    );
}

#[test]
fn d2_one_line_body_does_not_verify() {
    let one_line = r#"{ "op": 0,"d": {}, "t": "GATEWAY_EVENT_NAME"}"#;
    let key = key("naOC0ocQE3shWLAfffVLB1rhYPG7");

    assert!(
        key.verify("1725442341", one_line.as_bytes(), VECTORS[1].signature)
            .is_err()
    );
    assert!(
        key.sign("1725442341", one_line.as_bytes())
            .starts_with("2eb9983e")
    );
}

#[test]
fn v1_hello_bog_does_not_verify() {
    let vector = &VECTORS[2];
    let tampered = vector.body.replace("hello bot", "hello bog");

    let error = key(vector.secret)
        .verify(vector.timestamp, tampered.as_bytes(), vector.signature)
        .unwrap_err();

    assert_eq!(error.kind(), SignatureErrorKind::Mismatch);
}

#[test]
fn dispatch_fixture_verifies_and_resigns() {
    let fixture = fixture("webhook.dispatch.request.json");
    let key = key(&field(&fixture, "/bot_secret"));
    let body = field(&fixture, "/body_raw");
    let timestamp = field(&fixture, "/headers/X-Signature-Timestamp");
    let signature = field(&fixture, "/headers/X-Signature-Ed25519");

    assert_eq!(
        key.public_key_hex(),
        field(&fixture, "/ed25519_public_key_hex")
    );
    assert_eq!(key.sign(&timestamp, body.as_bytes()), signature);
    assert_eq!(key.verify(&timestamp, body.as_bytes(), &signature), Ok(()));

    // `body` is `body_raw` parsed: the raw text is what is signed, never a re-serialization.
    let parsed: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(parsed, fixture["body"]);
    let reserialized = serde_json::to_string(&fixture["body"]).unwrap();
    if reserialized != body {
        assert!(
            key.verify(&timestamp, reserialized.as_bytes(), &signature)
                .is_err()
        );
    }
}

#[test]
fn validation_fixtures_verify_and_resign() {
    let request = fixture("webhook.validation.request.json");
    let expected: ValidationResponse =
        serde_json::from_value(fixture("webhook.validation.response.json")).unwrap();
    let key = key(&field(&request, "/bot_secret"));
    let body = field(&request, "/body_raw");
    let timestamp = field(&request, "/headers/X-Signature-Timestamp");
    let header_signature = field(&request, "/headers/X-Signature-Ed25519");

    assert_eq!(
        key.public_key_hex(),
        field(&request, "/ed25519_public_key_hex")
    );
    assert_eq!(key.sign(&timestamp, body.as_bytes()), header_signature);
    assert_eq!(
        key.verify(&timestamp, body.as_bytes(), &header_signature),
        Ok(())
    );

    let ServerFrame::CallbackValidation(validation) =
        ServerFrame::from_slice(body.as_bytes()).unwrap()
    else {
        panic!("the fixture body is an op 13 frame");
    };
    let answer = key.sign_validation(&validation);
    assert_eq!(answer, expected);
    assert_eq!(
        key.verify(
            &validation.event_ts,
            validation.plain_token.as_bytes(),
            &answer.signature
        ),
        Ok(())
    );
}

#[test]
fn ack_fixture_matches_model() {
    let ack = fixture("webhook.dispatch.ack.json");
    let frame = ClientFrame::from_slice(ack.to_string().as_bytes()).unwrap();

    assert_eq!(frame, ClientFrame::HttpCallbackAck(0));
}

#[test]
fn seeds_repeat_the_secret() {
    // The seed of "abc" is "abcabc…ab". A 32-byte secret is its own seed, so a key built from
    // the seed string equals the key of "abc".
    let from_short = key("abc");
    let from_seed = key("abcabcabcabcabcabcabcabcabcabcab");
    assert_eq!(from_short.public_key(), from_seed.public_key());

    let fixture = fixture("webhook.dispatch.request.json");
    let from_fixture_seed = key(&field(&fixture, "/ed25519_seed_ascii"));
    assert_eq!(
        from_fixture_seed.public_key_hex(),
        field(&fixture, "/ed25519_public_key_hex")
    );
}
