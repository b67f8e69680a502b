//! Login state checks: signature, expiry, mismatch and replay.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use qie_oauth::{ErrorKind, ReplayGuard, StateError, StateGuard, StateKey};

fn key(byte: u8) -> StateKey {
    StateKey::from_bytes(vec![byte; 32]).expect("32-byte key")
}

fn at(seconds: u64) -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(seconds)
}

fn rejection(result: Result<qie_oauth::VerifiedState, qie_oauth::Error>) -> StateError {
    let error = result.expect_err("state is rejected");
    assert!(matches!(error.kind(), ErrorKind::State(_)), "{error:?}");
    assert!(error.requires_login());

    error.state_error().expect("a state error")
}

#[test]
fn matching_state_is_accepted_once() {
    let guard = StateGuard::new(key(1));
    let issued = guard.issue_at(Some("/after"), at(1_000)).unwrap();

    let verified = guard
        .verify_at(Some(&issued.cookie_value), Some(&issued.state), at(1_100))
        .unwrap();
    assert_eq!(verified.return_to.as_deref(), Some("/after"));

    let replay = guard.verify_at(Some(&issued.cookie_value), Some(&issued.state), at(1_101));
    assert_eq!(rejection(replay), StateError::Replayed);
}

#[test]
fn clones_share_replay_memory() {
    let guard = StateGuard::new(key(1));
    let clone = guard.clone();
    let issued = guard.issue_at(None, at(0)).unwrap();

    guard
        .verify_at(Some(&issued.cookie_value), Some(&issued.state), at(1))
        .unwrap();
    let replay = clone.verify_at(Some(&issued.cookie_value), Some(&issued.state), at(2));

    assert_eq!(rejection(replay), StateError::Replayed);
}

#[test]
fn state_of_another_login_is_mismatch() {
    let guard = StateGuard::new(key(1));
    let victim = guard.issue_at(None, at(0)).unwrap();
    let attacker = guard.issue_at(None, at(0)).unwrap();

    let result = guard.verify_at(Some(&victim.cookie_value), Some(&attacker.state), at(1));

    assert_eq!(rejection(result), StateError::Mismatch);
    // The failed attempt did not spend the victim's state.
    guard
        .verify_at(Some(&victim.cookie_value), Some(&victim.state), at(2))
        .unwrap();
}

#[test]
fn expired_state_is_rejected() {
    let guard = StateGuard::new(key(1)).ttl(Duration::from_secs(60));
    let issued = guard.issue_at(None, at(1_000)).unwrap();

    let last_second = guard.verify_at(Some(&issued.cookie_value), Some(&issued.state), at(1_059));
    assert!(last_second.is_ok());

    let issued = guard.issue_at(None, at(1_000)).unwrap();
    let late = guard.verify_at(Some(&issued.cookie_value), Some(&issued.state), at(1_060));
    assert_eq!(rejection(late), StateError::Expired);
}

#[test]
fn other_key_is_bad_signature() {
    let issued = StateGuard::new(key(1)).issue_at(None, at(0)).unwrap();

    let result =
        StateGuard::new(key(2)).verify_at(Some(&issued.cookie_value), Some(&issued.state), at(1));

    assert_eq!(rejection(result), StateError::BadSignature);
}

#[test]
fn edited_cookie_is_bad_signature() {
    use base64::Engine as _;
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;

    let guard = StateGuard::new(key(1));
    let issued = guard.issue_at(Some("/a"), at(0)).unwrap();
    let parts: Vec<&str> = issued.cookie_value.split('.').collect();
    let payload = String::from_utf8(URL_SAFE_NO_PAD.decode(parts[1]).unwrap()).unwrap();

    // Push the expiry far out and point the return path elsewhere, keeping the old signature.
    let mut fields: Vec<String> = payload.split('\n').map(str::to_owned).collect();
    fields[2] = "99999999999".to_owned();
    fields[3] = "/admin".to_owned();
    let forged = format!(
        "{}.{}.{}",
        parts[0],
        URL_SAFE_NO_PAD.encode(fields.join("\n")),
        parts[2]
    );

    let result = guard.verify_at(Some(&forged), Some(&issued.state), at(1));
    assert_eq!(rejection(result), StateError::BadSignature);
}

#[test]
fn missing_and_malformed_inputs() {
    let guard = StateGuard::new(key(1));
    let issued = guard.issue_at(None, at(0)).unwrap();

    assert_eq!(
        rejection(guard.verify_at(None, Some(&issued.state), at(1))),
        StateError::MissingCookie
    );
    assert_eq!(
        rejection(guard.verify_at(Some(""), Some(&issued.state), at(1))),
        StateError::MissingCookie
    );
    assert_eq!(
        rejection(guard.verify_at(Some(&issued.cookie_value), None, at(1))),
        StateError::MissingState
    );
    assert_eq!(
        rejection(guard.verify_at(Some(&issued.cookie_value), Some(""), at(1))),
        StateError::MissingState
    );
    for malformed in ["v1", "v1.a", "v2.a.b", "v1.!!.b", "v1.a.b.c", "garbage"] {
        assert_eq!(
            rejection(guard.verify_at(Some(malformed), Some(&issued.state), at(1))),
            StateError::Malformed,
            "{malformed}"
        );
    }
}

#[test]
fn custom_replay_guard_is_used() {
    #[derive(Debug)]
    struct RejectAll;

    impl ReplayGuard for RejectAll {
        fn mark_used(&self, _state: &str, _expires_at: SystemTime, _now: SystemTime) -> bool {
            false
        }
    }

    let guard = StateGuard::new(key(1)).replay_guard(RejectAll);
    let issued = guard.issue_at(None, at(0)).unwrap();

    let result = guard.verify_at(Some(&issued.cookie_value), Some(&issued.state), at(1));
    assert_eq!(rejection(result), StateError::Replayed);
}

#[test]
fn cookie_does_not_reveal_key() {
    let secret = key(0x5A);
    let guard = StateGuard::new(secret);
    let issued = guard.issue_at(None, at(0)).unwrap();

    assert!(!format!("{guard:?}").contains("90, 90"));
    assert!(
        !issued.cookie_value.contains("WlpaWlpa"),
        "the key is not in the cookie"
    );
}
