//! Client-side rate limits and platform rate limits, on the paused clock.

#![allow(clippy::unwrap_used)]

mod common;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use common::{Log, error_response, fixture, json_response, platform};
use qie_http::RetryPolicy;
use qie_model::id::{ChannelId, MessageId};
use tokio::time::Instant;

fn channel_message() -> axum::response::Response {
    json_response(200, fixture("rest.post_channel_message.response.json"))
}

#[tokio::test(start_paused = true)]
async fn ten_channel_sends_respect_five_per_second() {
    let log = Log::default();
    let base = platform(log.clone(), |_| channel_message()).await;
    let client = common::client(&base);
    let start = Instant::now();

    let mut tasks = Vec::new();
    for index in 0..10 {
        let client = client.clone();
        tasks.push(tokio::spawn(async move {
            client
                .create_message(ChannelId::new("5550001"))
                .content(&format!("message {index}"))
                .await
        }));
    }
    for task in tasks {
        assert!(
            task.await.unwrap().is_ok(),
            "a send failed instead of waiting"
        );
    }

    let arrivals: Vec<Duration> = log.all().iter().map(|seen| seen.at - start).collect();
    assert_eq!(arrivals.len(), 10);
    for window in arrivals.windows(6) {
        assert!(
            window[5].saturating_sub(window[0]) >= Duration::from_secs(1),
            "six sends within one second: {arrivals:?}"
        );
    }
    assert!(
        *arrivals.last().unwrap() < Duration::from_secs(2),
        "{arrivals:?}"
    );
}

#[tokio::test(start_paused = true)]
async fn http_429_is_waited_out() {
    let log = Log::default();
    let calls = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&calls);
    let base = platform(log.clone(), move |_| {
        if counter.fetch_add(1, Ordering::SeqCst) == 0 {
            let mut response = error_response(429, 0, "too many requests");
            response
                .headers_mut()
                .insert("retry-after", "2".parse().unwrap());
            return response;
        }
        json_response(200, fixture("rest.gateway_bot.response.json"))
    })
    .await;
    let client = common::client(&base);
    let start = Instant::now();

    let gateway = client.get_gateway_bot().await.unwrap();

    assert_eq!(gateway.shards, 1);
    let seen = log.all();
    assert_eq!(seen.len(), 2);
    assert!(seen[1].at - seen[0].at >= Duration::from_secs(2));
    assert!(Instant::now() - start >= Duration::from_secs(2));
}

#[tokio::test(start_paused = true)]
async fn rate_limit_code_is_waited_out() {
    let log = Log::default();
    let calls = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&calls);
    let base = platform(log.clone(), move |_| {
        if counter.fetch_add(1, Ordering::SeqCst) == 0 {
            return error_response(400, 22_009, "msg limit exceed");
        }
        json_response(200, fixture("rest.post_group_message.response.json"))
    })
    .await;
    let client = common::client(&base);

    client
        .create_group_message("6A1C4E0B9D2F47A8B3C5D7E9F1A2B3C4".into())
        .content("hello")
        .reply_to(MessageId::new("ROBOT1.0_x"), 1)
        .await
        .unwrap();

    let seen = log.all();
    assert_eq!(seen.len(), 2);
    assert!(
        seen[1].at - seen[0].at >= Duration::from_millis(500),
        "no wait before the retry"
    );
}

#[tokio::test(start_paused = true)]
async fn rate_limit_retries_run_out() {
    let log = Log::default();
    let base = platform(log.clone(), |_| error_response(429, 0, "slow down")).await;
    let client = qie_http::Client::builder(
        qie_model::id::AppId::new("1"),
        qie_model::secret::AppSecret::new("s"),
    )
    .config(common::config(&base))
    .retry_policy(RetryPolicy::default().max_rate_limit_retries(2))
    .build()
    .unwrap();

    let error = client.get_gateway_bot().await.unwrap_err();

    assert_eq!(error.status().map(|status| status.as_u16()), Some(429));
    assert_eq!(log.all().len(), 3, "one try and two waited-out retries");
}

#[tokio::test(start_paused = true)]
async fn passive_reply_overtakes_queued_sends() {
    let log = Log::default();
    let base = platform(log.clone(), |_| channel_message()).await;
    let client = common::client(&base);
    let channel = ChannelId::new("5550001");

    for index in 0..5 {
        client
            .create_message(channel.clone())
            .content(&format!("fill {index}"))
            .await
            .unwrap();
    }

    let mut tasks = Vec::new();
    for label in ["proactive a", "proactive b", "reply"] {
        let client = client.clone();
        let channel = channel.clone();
        tasks.push(tokio::spawn(async move {
            let builder = client.create_message(channel).content(label);
            if label == "reply" {
                builder.reply_to(MessageId::new("08a1")).await
            } else {
                builder.await
            }
        }));
        tokio::task::yield_now().await;
    }
    for task in tasks {
        task.await.unwrap().unwrap();
    }

    let order: Vec<String> = log.all()[5..]
        .iter()
        .map(|seen| seen.json()["content"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(order, ["reply", "proactive a", "proactive b"]);
}
