//! Chunked upload against a local fake of prepare, presigned PUT, part finish and merge.

#![allow(clippy::unwrap_used)]

mod common;

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use bytes::Bytes;
use common::{Log, error_response, json_response, platform};
use md5::{Digest, Md5};
use qie_model::id::{GroupOpenid, UserOpenid};
use qie_model::media::FileType;
use reqwest::Method;
use sha1::Sha1;

fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;

    bytes.iter().fold(String::new(), |mut text, byte| {
        write!(text, "{byte:02x}").unwrap();
        text
    })
}

/// Serves a fake storage and upload API with parts of 4 bytes numbered from `base`.
async fn upload_server(
    log: Log,
    base: u32,
    not_ready_once: u32,
) -> (String, Arc<Mutex<BTreeMap<u32, Bytes>>>) {
    let stored: Arc<Mutex<BTreeMap<u32, Bytes>>> = Arc::default();
    let not_ready = Arc::new(Mutex::new(not_ready_once));
    let address = Arc::new(Mutex::new(String::new()));

    let handler_stored = Arc::clone(&stored);
    let handler_address = Arc::clone(&address);
    let server = platform(log, move |seen| {
        let origin = handler_address.lock().unwrap().clone();
        if seen.path.ends_with("/upload_prepare") {
            let size = seen.json()["file_size"].as_u64().unwrap();
            let parts: Vec<_> = (0..size.div_ceil(4))
                .map(|position| {
                    let index = base + u32::try_from(position).unwrap();
                    serde_json::json!({
                        "index": index,
                        "presigned_url": format!("{origin}/cos/part/{index}?sign=presigned-secret"),
                    })
                })
                .collect();
            return json_response(
                200,
                serde_json::json!({
                    "upload_id": "UP1",
                    "block_size": "4",
                    "parts": parts,
                    "upload_config": {"concurrency": 2, "retry_timeout": 30, "retry_delay": 1}
                })
                .to_string(),
            );
        }
        if let Some(index) = seen.path.strip_prefix("/cos/part/") {
            handler_stored
                .lock()
                .unwrap()
                .insert(index.parse().unwrap(), seen.body.clone());
            return json_response(200, "");
        }
        if seen.path.ends_with("/upload_part_finish") {
            let body = seen.json();
            let index = u32::try_from(body["part_index"].as_u64().unwrap()).unwrap();
            let mut not_ready = not_ready.lock().unwrap();
            if *not_ready == index {
                *not_ready = u32::MAX;
                return error_response(400, 40_093_001, "part not ready, retry");
            }
            let part = handler_stored.lock().unwrap().get(&index).cloned().unwrap();
            assert_eq!(body["md5"], hex(&Md5::digest(&part)));
            assert_eq!(body["block_size"], part.len());
            return json_response(200, "{}");
        }
        if seen.path.ends_with("/files") {
            return json_response(
                200,
                r#"{"file_uuid":"U1","file_info":"INFO-UP1","ttl":0,"raw_url":"https://cos.example.com/x"}"#,
            );
        }
        json_response(404, "{}")
    })
    .await;
    address.lock().unwrap().clone_from(&server);

    (server, stored)
}

#[tokio::test(start_paused = true)]
async fn chunked_upload_reassembles_file() {
    let log = Log::default();
    let (base, stored) = upload_server(log.clone(), 1, 2).await;
    let client = common::client(&base);
    let file = Bytes::from_static(b"0123456789abcdefXYZ");

    let uploaded = client
        .upload_group_file_chunked(
            GroupOpenid::new("G"),
            FileType::File,
            "notes.txt",
            file.clone(),
        )
        .await
        .unwrap();

    assert_eq!(uploaded.file_info, "INFO-UP1");
    assert_eq!(
        uploaded.raw_url.as_deref(),
        Some("https://cos.example.com/x")
    );

    let joined: Vec<u8> = stored
        .lock()
        .unwrap()
        .values()
        .flat_map(|part| part.to_vec())
        .collect();
    assert_eq!(joined, file.to_vec());

    let seen = log.all();
    let prepare = seen
        .iter()
        .find(|seen| seen.path.ends_with("/upload_prepare"))
        .unwrap()
        .json();
    assert_eq!(prepare["file_type"], 4);
    assert_eq!(prepare["file_name"], "notes.txt");
    assert_eq!(prepare["file_size"], 19);
    assert_eq!(prepare["md5"], hex(&Md5::digest(&file)));
    assert_eq!(prepare["sha1"], hex(&Sha1::digest(&file)));
    assert_eq!(
        prepare["md5_10m"], prepare["md5"],
        "a small file's md5_10m is its md5"
    );

    let puts: Vec<_> = seen
        .iter()
        .filter(|seen| seen.method == Method::PUT)
        .collect();
    assert_eq!(puts.len(), 5);
    assert!(puts.iter().all(|put| put.header("authorization").is_none()));

    let finishes = seen
        .iter()
        .filter(|seen| seen.path.ends_with("/upload_part_finish"))
        .count();
    assert_eq!(finishes, 6, "five parts, one reported twice after 40093001");

    let merge = seen
        .iter()
        .find(|seen| seen.path.ends_with("/files"))
        .unwrap()
        .json();
    assert_eq!(merge["upload_id"], "UP1");
    assert_eq!(merge["file_type"], 4);
    assert_eq!(merge["file_name"], "notes.txt");
    assert_eq!(merge["srv_send_msg"], false);
}

#[tokio::test(start_paused = true)]
async fn zero_based_parts_are_supported() {
    let log = Log::default();
    let (base, stored) = upload_server(log.clone(), 0, u32::MAX).await;
    let client = common::client(&base);
    let file = Bytes::from_static(b"abcdefgh-ij");

    client
        .upload_c2c_file_chunked(UserOpenid::new("U"), FileType::Image, "a.png", file.clone())
        .await
        .unwrap();

    let stored = stored.lock().unwrap();
    assert_eq!(stored.keys().copied().collect::<Vec<_>>(), [0, 1, 2]);
    assert_eq!(stored[&0].as_ref(), b"abcd");
    assert_eq!(stored[&2].as_ref(), b"-ij");
    assert!(
        log.all()
            .iter()
            .any(|seen| seen.path == "/v2/users/U/upload_prepare")
    );
}

#[tokio::test]
async fn presigned_url_never_appears_in_errors() {
    let base = platform(Log::default(), |_| {
        axum::response::Response::builder()
            .status(403)
            .body(axum::body::Body::from(
                "<Error><Code>AccessDenied</Code></Error>",
            ))
            .unwrap()
    })
    .await;
    let client = common::client(&base);

    let error = client
        .upload_part(
            &format!("{base}/cos/part/1?sign=presigned-secret"),
            Bytes::from_static(b"x"),
        )
        .await
        .unwrap_err();

    assert_eq!(error.status().map(|status| status.as_u16()), Some(403));
    assert!(
        error
            .api()
            .unwrap()
            .body_excerpt()
            .unwrap()
            .contains("AccessDenied")
    );
    assert!(!format!("{error:?} {error}").contains("presigned-secret"));
}
