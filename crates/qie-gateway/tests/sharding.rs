//! Clusters: identify pacing across shards, the session start budget, discovery, and shards that
//! fail on their own.

// Helpers outside `#[test]` functions are test code too.
#![allow(clippy::unwrap_used)]

mod common;

use std::time::Duration;

use futures_util::StreamExt;
use futures_util::future::BoxFuture;
use qie_gateway::queue::{IdentifyLimits, LocalQueue};
use qie_gateway::{Cluster, DiscoveryError, FatalError, GatewayDiscovery, ShardEvent, ShardId};
use qie_model::gateway::{GatewayBot, Identify, SessionStartLimit};
use tokio::sync::mpsc;
use tokio::time::Instant;

use common::{ServerConn, TestServer, config_builder};

type ClusterItem = (ShardId, Result<ShardEvent, FatalError>);

/// Reads the cluster's merged stream in a task of its own.
fn spawn_cluster(mut cluster: Cluster) -> mpsc::UnboundedReceiver<ClusterItem> {
    let (sender, receiver) = mpsc::unbounded_channel();
    tokio::spawn(async move {
        while let Some(item) = cluster.next().await {
            if sender.send(item).is_err() {
                return;
            }
        }
    });

    receiver
}

/// Serves one connection in a task: sends Hello, reports when Identify arrived, then sends READY
/// and a dispatch and acknowledges heartbeats.
fn serve_identify(
    mut connection: ServerConn,
    identified: mpsc::UnboundedSender<(Instant, Identify)>,
) {
    tokio::spawn(async move {
        connection.hello(45_000).await;
        let identify = connection.expect_identify().await;
        let shard = identify.shard;
        identified.send((Instant::now(), identify)).unwrap();
        connection
            .ready(&format!("session-{}", shard.id), 1, [shard.id, shard.total])
            .await;
        connection.dispatch(2, u64::from(shard.id) * 1000 + 2).await;
        connection.serve_heartbeats_for(common::PATIENCE).await;
    });
}

#[test]
fn two_shards_identify_five_seconds_apart() {
    common::run(async {
        let mut server = TestServer::start().await;
        let config = config_builder(&server.url)
            .identify_queue(LocalQueue::new(IdentifyLimits::new(1)))
            .build();
        let mut items = spawn_cluster(Cluster::with_shards(
            &config,
            [ShardId::new(0, 2), ShardId::new(1, 2)],
        ));

        let (identified, mut identifies) = mpsc::unbounded_channel();
        for _ in 0..2 {
            serve_identify(server.next_connection().await, identified.clone());
        }
        let (first_at, first) = identifies.recv().await.unwrap();
        let (second_at, second) = identifies.recv().await.unwrap();

        assert!(
            second_at - first_at >= Duration::from_secs(5),
            "identifies {:?} apart",
            second_at - first_at
        );
        let mut shards = [first.shard, second.shard];
        shards.sort_by_key(|shard| shard.id);
        assert_eq!(shards, [ShardId::new(0, 2), ShardId::new(1, 2)]);

        let mut dispatched = Vec::new();
        while dispatched.len() < 2 {
            let (shard, item) = items.recv().await.unwrap();
            if let Ok(ShardEvent::Dispatch(dispatch)) = item {
                dispatched.push((shard.id, dispatch.seq));
            }
        }
        dispatched.sort_unstable();
        assert_eq!(dispatched, [(0, Some(2)), (1, Some(2))]);
    });
}

#[test]
fn failing_shard_retries_alone() {
    common::run(async {
        let mut server = TestServer::start().await;
        let config = config_builder(&server.url)
            .identify_queue(LocalQueue::new(IdentifyLimits::new(2)))
            .build();
        let mut items = spawn_cluster(Cluster::with_shards(
            &config,
            [ShardId::new(0, 2), ShardId::new(1, 2)],
        ));

        // Both connect; shard 1's first Identify is rejected before READY.
        let mut connections = Vec::new();
        for _ in 0..2 {
            let mut connection = server.next_connection().await;
            connection.hello(45_000).await;
            let identify = connection.expect_identify().await;
            connections.push((identify.shard, connection));
        }
        connections.sort_by_key(|(shard, _)| shard.id);
        let (_, mut healthy) = connections.remove(0);
        let (_, mut failing) = connections.remove(0);
        healthy.ready("session-0", 1, [0, 2]).await;
        failing.close(4901).await;

        // Shard 1 comes back on its own and identifies again.
        let mut retry = server.next_connection().await;
        retry.hello(45_000).await;
        let identify = retry.expect_identify().await;
        retry.ready("session-1b", 1, [1, 2]).await;
        healthy.dispatch(2, 2).await;
        retry.dispatch(2, 1002).await;
        tokio::spawn(async move { retry.serve_heartbeats_for(common::PATIENCE).await });

        assert_eq!(identify.shard, ShardId::new(1, 2));
        let mut reconnecting_shards = Vec::new();
        let mut dispatched = Vec::new();
        while dispatched.len() < 2 {
            let (shard, item) = items.recv().await.unwrap();
            match item.unwrap() {
                ShardEvent::Reconnecting(_) => reconnecting_shards.push(shard.id),
                ShardEvent::Dispatch(_) => dispatched.push(shard.id),
                _ => {}
            }
        }
        assert_eq!(reconnecting_shards, [1]);
        dispatched.sort_unstable();
        assert_eq!(dispatched, [0, 1]);
        let received = healthy.serve_heartbeats_for(Duration::from_secs(300)).await;
        assert!(
            received.is_none(),
            "shard 0 kept its connection: {received:?}"
        );
        assert_eq!(server.accepted(), 3);
    });
}

/// Discovery that returns fixed `GET /gateway/bot` values.
#[derive(Debug)]
struct FixedDiscovery(GatewayBot);

impl GatewayDiscovery for FixedDiscovery {
    fn gateway_bot(&self) -> BoxFuture<'_, Result<GatewayBot, DiscoveryError>> {
        Box::pin(std::future::ready(Ok(self.0.clone())))
    }
}

/// Starts a cluster from discovery and returns the Identify arrival times, in order.
async fn identify_times(shards: u32, limit: SessionStartLimit) -> Vec<(Instant, Identify)> {
    let mut server = TestServer::start().await;
    let discovery = FixedDiscovery(GatewayBot::new(server.url.clone(), shards, limit));
    let config = qie_gateway::Config::builder(
        qie_gateway::StaticToken::new(qie_model::secret::AccessToken::new(common::TOKEN)),
        qie_model::gateway::Intents::DEFAULT,
    )
    .discovery(discovery)
    .build();
    let cluster = Cluster::new(config).await.unwrap();
    assert_eq!(cluster.shards().len(), shards as usize);
    let _items = spawn_cluster(cluster);

    let (identified, mut identifies) = mpsc::unbounded_channel();
    for _ in 0..shards {
        serve_identify(server.next_connection().await, identified.clone());
    }
    let mut times = Vec::new();
    for _ in 0..shards {
        times.push(identifies.recv().await.unwrap());
    }

    times
}

#[test]
fn cluster_uses_discovered_shards_and_limits() {
    common::run(async {
        let start = Instant::now();
        let times = identify_times(3, SessionStartLimit::new(1000, 1000, 86_400_000, 1)).await;

        let mut shards: Vec<ShardId> = times.iter().map(|(_, identify)| identify.shard).collect();
        shards.sort_by_key(|shard| shard.id);
        assert_eq!(
            shards,
            [ShardId::new(0, 3), ShardId::new(1, 3), ShardId::new(2, 3)]
        );
        let offsets: Vec<Duration> = times.iter().map(|(at, _)| *at - start).collect();
        assert_eq!(offsets[0], Duration::ZERO);
        assert!(offsets[1] >= Duration::from_secs(5), "{offsets:?}");
        assert!(offsets[2] >= Duration::from_secs(10), "{offsets:?}");
    });
}

#[test]
fn exhausted_budget_waits_for_reset() {
    common::run(async {
        let start = Instant::now();
        // One session start left, reset in 60 s, two shards.
        let times = identify_times(2, SessionStartLimit::new(1000, 1, 60_000, 2)).await;

        assert_eq!(times[0].0 - start, Duration::ZERO);
        assert!(
            times[1].0 - start >= Duration::from_secs(60),
            "{:?}",
            times[1].0 - start
        );
    });
}

#[test]
fn cluster_without_discovery_errors() {
    common::run(async {
        let server = TestServer::start().await;

        let error = Cluster::new(config_builder(&server.url).build())
            .await
            .unwrap_err();

        assert!(
            error.to_string().contains("no discovery source configured"),
            "{error}"
        );
    });
}
