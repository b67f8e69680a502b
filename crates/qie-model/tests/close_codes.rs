//! Close-code classification, one row per documented code.

use qie_model::gateway::{CloseAction, CloseCode};

#[test]
fn every_documented_code_is_classified() {
    use CloseAction::{
        BackOffThenResume, Fatal, RefreshTokenThenReconnect, Reidentify, Reshard, Resume,
    };

    let table: &[(u16, CloseCode, CloseAction, bool)] = &[
        (1000, CloseCode::Normal, Resume, false),
        (4000, CloseCode::UnknownError, Resume, false),
        (4001, CloseCode::InvalidOpcode, Reidentify, true),
        (4002, CloseCode::InvalidPayload, Reidentify, true),
        (4003, CloseCode::NotAuthenticated, Reidentify, true),
        (
            4004,
            CloseCode::AuthenticationFailed,
            RefreshTokenThenReconnect,
            false,
        ),
        (4005, CloseCode::AlreadyAuthenticated, Resume, true),
        (4006, CloseCode::InvalidSession, Reidentify, false),
        (4007, CloseCode::InvalidSeq, Reidentify, false),
        (4008, CloseCode::RateLimited, BackOffThenResume, false),
        (4009, CloseCode::SessionTimeout, Resume, false),
        (4010, CloseCode::InvalidShard, Fatal, false),
        (4011, CloseCode::ShardingRequired, Reshard, false),
        (4012, CloseCode::InvalidVersion, Fatal, false),
        (4013, CloseCode::InvalidIntents, Fatal, false),
        (4014, CloseCode::DisallowedIntents, Fatal, false),
        (4914, CloseCode::BotOffline, Fatal, false),
        (4915, CloseCode::BotBanned, Fatal, false),
    ];

    for &(code, expected, action, client_bug) in table {
        let parsed = CloseCode::from_u16(code);

        assert_eq!(parsed, expected, "{code}");
        assert_eq!(parsed.to_u16(), code, "{code}");
        assert_eq!(parsed.action(), action, "{code}");
        assert_eq!(parsed.is_client_bug(), client_bug, "{code}");
        assert!(parsed.to_string().starts_with(&code.to_string()), "{code}");
    }
}

#[test]
fn internal_error_range_reidentifies() {
    for code in 4900..=4913 {
        let parsed = CloseCode::from(code);

        assert_eq!(parsed, CloseCode::InternalServerError(code));
        assert_eq!(parsed.to_u16(), code);
        assert_eq!(parsed.action(), CloseAction::Reidentify, "{code}");
    }
}

#[test]
fn undocumented_codes() {
    for code in [4015, 4899, 4916, 4999] {
        assert_eq!(CloseCode::from(code), CloseCode::Unknown(code));
        assert_eq!(
            CloseCode::from(code).action(),
            CloseAction::Reidentify,
            "{code}"
        );
    }
    for code in [1001, 1006, 1011, 3000] {
        assert_eq!(CloseCode::from(code), CloseCode::Unknown(code));
        assert_eq!(
            CloseCode::from(code).action(),
            CloseAction::Resume,
            "{code}"
        );
    }
}
