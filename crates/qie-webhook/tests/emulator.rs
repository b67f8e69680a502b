//! End to end with the emulator playing the platform: the op 13 registration, then deliveries
//! under every fault mode reach the handler exactly once and never as a forgery.

#![allow(clippy::unwrap_used)]

mod common;

use std::time::Duration;

use common::{PATH, serve};
use qie_emulator::control::{Scene, UserMessage};
use qie_emulator::webhook::{
    AttemptOutcome, WebhookDelivery, WebhookFault, WebhookRegistration, WebhookSettings,
};
use qie_emulator::{Emulator, EmulatorHandle};
use qie_model::event::Event;
use qie_model::secret::AppSecret;
use qie_webhook::{Events, Webhook};

fn settings() -> WebhookSettings {
    let mut settings = WebhookSettings::default();
    settings.response_timeout = Duration::from_secs(2);
    settings.backoff = vec![Duration::from_millis(10)];
    settings.max_in_flight = 1;
    settings
}

/// Starts the emulator and a receiver for its bot, and registers the receiver's URL.
async fn setup(settings: WebhookSettings) -> (EmulatorHandle, Webhook, Events) {
    let emulator = Emulator::builder().start().await.unwrap();
    let bot = emulator.bot();
    let (webhook, events) = Webhook::builder()
        .bot(bot.app_id.as_str(), AppSecret::new(bot.secret))
        .build()
        .unwrap();
    let address = serve(&webhook).await;
    let url = format!("http://{address}{PATH}");

    emulator
        .register_webhook(WebhookRegistration::new(url).settings(settings))
        .await
        .unwrap();

    (emulator, webhook, events)
}

/// Injects a C2C message and waits until its delivery (retries included) has finished.
async fn deliver(emulator: &EmulatorHandle, content: &str, finished: usize) -> WebhookDelivery {
    let user = emulator.world().users[0].id.clone();
    emulator
        .inject_message(&UserMessage::new(Scene::C2c, user, content))
        .unwrap();

    let mut deliveries = emulator
        .wait_for_webhook_deliveries(None, finished, Duration::from_secs(10))
        .await
        .unwrap();

    deliveries.pop().unwrap()
}

fn content(event: &qie_webhook::WebhookEvent) -> String {
    match event.event() {
        Event::C2cMessageCreate(message) => message.content.clone(),
        other => panic!("expected C2C_MESSAGE_CREATE, got {other:?}"),
    }
}

#[tokio::test]
async fn emulator_validation_is_answered() {
    let (emulator, webhook, _events) = setup(settings()).await;

    assert_eq!(emulator.webhooks().len(), 1);
    assert_eq!(webhook.stats().validations, 1);
}

#[tokio::test]
async fn unsigned_emulator_validation_is_answered() {
    let mut settings = settings();
    settings.sign_validation = false;

    let (emulator, webhook, _events) = setup(settings).await;

    assert_eq!(emulator.webhooks().len(), 1);
    assert_eq!(webhook.stats().validations, 1);
}

#[tokio::test]
async fn every_fault_is_handled_once() {
    let (emulator, webhook, mut events) = setup(settings()).await;
    let faults = [
        (
            None,
            "plain <delivery> & more",
            AttemptOutcome::Acknowledged,
        ),
        (
            Some(WebhookFault::TamperedBody),
            "tampered",
            AttemptOutcome::Rejected,
        ),
        (
            Some(WebhookFault::WrongSignature),
            "wrong signature",
            AttemptOutcome::Rejected,
        ),
        (
            Some(WebhookFault::OldTimestamp),
            "old timestamp",
            AttemptOutcome::Rejected,
        ),
        (
            Some(WebhookFault::Replay),
            "replay",
            AttemptOutcome::Acknowledged,
        ),
        (
            Some(WebhookFault::Chunked),
            "chunked",
            AttemptOutcome::Acknowledged,
        ),
    ];

    for (index, (fault, text, first_outcome)) in faults.into_iter().enumerate() {
        if let Some(fault) = fault {
            emulator.arm_webhook_fault(None, fault, 1).unwrap();
        }
        let delivery = deliver(&emulator, text, index + 1).await;

        assert!(delivery.acknowledged, "{fault:?}: {delivery:?}");
        assert_eq!(
            delivery.attempts[0].outcome, first_outcome,
            "{fault:?}: {delivery:?}"
        );
        let event = events
            .try_recv()
            .unwrap_or_else(|| panic!("{fault:?}: no event"));
        assert_eq!(event.id().unwrap().as_str(), delivery.event_id, "{fault:?}");
        assert_eq!(content(&event), text, "{fault:?}");
        assert!(events.try_recv().is_none(), "{fault:?}: handled twice");
    }

    let stats = webhook.stats();
    assert_eq!(stats.events, 6);
    assert_eq!(stats.bad_signature, 2);
    assert_eq!(stats.stale, 1);
    assert_eq!(stats.duplicates, 1);
}

#[tokio::test]
async fn forgeries_never_reach_the_handler() {
    let mut settings = settings();
    settings.retries = 0;
    let (emulator, webhook, mut events) = setup(settings).await;

    for (index, fault) in [
        WebhookFault::TamperedBody,
        WebhookFault::WrongSignature,
        WebhookFault::OldTimestamp,
    ]
    .into_iter()
    .enumerate()
    {
        emulator.arm_webhook_fault(None, fault, 1).unwrap();
        let delivery = deliver(&emulator, "forged", index + 1).await;

        assert!(!delivery.acknowledged, "{fault:?}");
        assert_eq!(delivery.attempts.len(), 1, "{fault:?}");
        assert_eq!(delivery.attempts[0].status, Some(403), "{fault:?}");
    }

    assert!(events.try_recv().is_none());
    assert_eq!(webhook.stats().events, 0);
}
