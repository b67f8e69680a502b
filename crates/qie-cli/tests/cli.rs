//! The `qie` binary: the demo script, and the documented configuration and connection errors in
//! both languages.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn qie(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_qie"))
        .args(args)
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env_remove("LANG")
        .env_remove("QIE_APP_ID")
        .env_remove("QIE_APP_SECRET")
        .env_remove("QIE_API_BASE")
        .env_remove("QIE_TOKEN_URL")
        .env_remove("RUST_LOG")
        .output()
        .expect("the qie binary runs")
}

/// Runs `qie run -c PATH` in English and in Chinese, off the async runtime.
async fn run_in_both_languages(path: &Path) -> (Output, Output) {
    let path = path.to_string_lossy().into_owned();
    tokio::task::spawn_blocking(move || {
        (
            qie(&["run", "-c", &path, "--lang", "en"]),
            qie(&["run", "-c", &path, "--lang", "zh-CN"]),
        )
    })
    .await
    .expect("qie runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Writes `content` to a fresh file and returns its path.
fn config_file(name: &str, content: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("qie-cli-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join(name);
    std::fs::write(&path, content).expect("write config");

    path
}

#[test]
fn demo_once_plays_every_step() {
    let output = qie(&["demo", "--once", "--lang", "en"]);
    let stdout = text(&output.stdout);

    assert!(
        output.status.success(),
        "stdout:\n{stdout}\nstderr:\n{}",
        text(&output.stderr)
    );
    for expected in [
        "connected over the WebSocket gateway",
        "1. group (@ message)",
        "[Markdown]",
        "2. C2C (one-to-one)",
        "🎲 You rolled",
        "[image, uploaded through the files API]",
        "3. guild channel (@ message)",
        "hello, qie",
        "4. guild DM",
        "pong 🏓",
        "[buttons] [👍 Yes] | [👎 No]",
        "acknowledged the click, code 0",
        "passive reply by event_id, msg_seq 1",
        "Every step was answered",
    ] {
        assert!(
            stdout.contains(expected),
            "missing {expected:?} in:\n{stdout}"
        );
    }
}

#[test]
fn demo_speaks_chinese() {
    let output = Command::new(env!("CARGO_BIN_EXE_qie"))
        .args(["demo", "--once"])
        .env("LANG", "zh_CN.UTF-8")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .output()
        .expect("the qie binary runs");
    let stdout = text(&output.stdout);

    assert!(output.status.success(), "{stdout}");
    assert!(stdout.contains("每一步都收到了回复"), "{stdout}");
    assert!(stdout.contains("你掷出了"), "{stdout}");
}

#[test]
fn missing_config_file_is_explained() {
    let missing = std::env::temp_dir().join("qie-cli-no-such-file.toml");
    let path = missing.to_string_lossy().into_owned();

    let en = qie(&["run", "--config", &path, "--lang", "en"]);
    let stderr = text(&en.stderr);
    assert_eq!(en.status.code(), Some(2));
    assert!(stderr.contains("configuration file"), "{stderr}");
    assert!(stderr.contains("not found"), "{stderr}");
    assert!(stderr.contains("QIE_APP_ID and QIE_APP_SECRET"), "{stderr}");

    let zh = qie(&["run", "--config", &path, "--lang", "zh-CN"]);
    let stderr = text(&zh.stderr);
    assert!(stderr.contains("找不到配置文件"), "{stderr}");
    assert!(stderr.contains("QIE_APP_ID 和 QIE_APP_SECRET"), "{stderr}");
}

#[test]
fn missing_secret_names_key_and_fix() {
    let path = config_file("no-secret.toml", "[bot]\napp_id = \"102000001\"\n");
    let path = path.to_string_lossy().into_owned();

    let en = text(&qie(&["run", "-c", &path, "--lang", "en"]).stderr);
    assert!(en.contains("missing `bot.secret`"), "{en}");
    assert!(en.contains("add `secret = \"…\"` under [bot]"), "{en}");
    assert!(en.contains("QIE_APP_SECRET"), "{en}");

    let zh = text(&qie(&["run", "-c", &path, "--lang", "zh-CN"]).stderr);
    assert!(zh.contains("缺少 `bot.secret`"), "{zh}");
    assert!(zh.contains("在 [bot] 下添加 `secret = \"…\"`"), "{zh}");
}

#[test]
fn malformed_config_shows_line_and_fix() {
    let path = config_file("malformed.toml", "[bot]\napp_id = 102000001\nsecret = \n");
    let path = path.to_string_lossy().into_owned();

    let en = text(&qie(&["run", "-c", &path, "--lang", "en"]).stderr);
    assert!(en.contains(":3:"), "{en}");
    assert!(en.contains("is not valid TOML"), "{en}");
    assert!(en.contains("strings need double quotes"), "{en}");

    let zh = text(&qie(&["run", "-c", &path, "--lang", "zh-CN"]).stderr);
    assert!(zh.contains("第 3 行"), "{zh}");
    assert!(zh.contains("字符串要加双引号"), "{zh}");
}

#[test]
fn typo_in_key_suggests_the_right_one() {
    let path = config_file("typo.toml", "[bot]\nappid = \"1\"\nsecret = \"x\"\n");
    let path = path.to_string_lossy().into_owned();

    let en = text(&qie(&["run", "-c", &path, "--lang", "en"]).stderr);
    assert!(en.contains("unknown key `bot.appid`"), "{en}");
    assert!(en.contains("did you mean `bot.app_id`?"), "{en}");

    let zh = text(&qie(&["run", "-c", &path, "--lang", "zh-CN"]).stderr);
    assert!(zh.contains("未知的键 `bot.appid`"), "{zh}");
    assert!(zh.contains("你是不是想写 `bot.app_id`"), "{zh}");
}

#[test]
fn unreachable_host_is_explained() {
    // Port 9 on loopback (discard) has no listener here: the connection is refused at once.
    let path = config_file(
        "unreachable.toml",
        "[bot]\napp_id = \"102000001\"\nsecret = \"x\"\n[platform]\napi_base = \"http://127.0.0.1:9\"\n",
    );
    let path = path.to_string_lossy().into_owned();

    let en = qie(&["run", "-c", &path, "--lang", "en"]);
    let stderr = text(&en.stderr);
    assert_eq!(en.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("cannot reach the platform at http://127.0.0.1:9"),
        "{stderr}"
    );
    assert!(stderr.contains("qie emulator"), "{stderr}");

    let zh = text(&qie(&["run", "-c", &path, "--lang", "zh-CN"]).stderr);
    assert!(zh.contains("无法连接平台 http://127.0.0.1:9"), "{zh}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wrong_secret_shows_platform_code_and_fix() {
    let emulator = qie_emulator::Emulator::builder()
        .start()
        .await
        .expect("emulator starts");
    let path = config_file(
        "wrong-secret.toml",
        &format!(
            "[bot]\napp_id = \"102000001\"\nsecret = \"not-the-secret\"\n[platform]\napi_base = \"{}\"\n",
            emulator.base_url()
        ),
    );

    let (en, zh) = run_in_both_languages(&path).await;

    let stderr = text(&en.stderr);
    assert_eq!(en.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("the platform rejected AppID 102000001"),
        "{stderr}"
    );
    assert!(stderr.contains("code 100016"), "{stderr}");
    assert!(
        stderr.contains("Copy both again from the QQ bot console"),
        "{stderr}"
    );
    assert!(
        !stderr.contains("not-the-secret"),
        "the secret leaked: {stderr}"
    );

    let stderr = text(&zh.stderr);
    assert!(stderr.contains("平台拒绝了 AppID 102000001"), "{stderr}");
    assert!(stderr.contains("错误码 100016"), "{stderr}");
    emulator.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refused_intents_are_listed_once() {
    let mut world = qie_emulator::World::example();
    // GROUP_AND_C2C_EVENT only.
    world.bots[0].intents = Some(1 << 25);
    let emulator = qie_emulator::Emulator::builder()
        .world(world)
        .start()
        .await
        .expect("emulator starts");
    let bot = emulator.bot();
    let path = config_file(
        "refused-intents.toml",
        &format!(
            "[bot]\napp_id = \"{}\"\nsecret = \"{}\"\nintents = [\"GROUP_AND_C2C_EVENT\", \"DIRECT_MESSAGE\"]\n[platform]\napi_base = \"{}\"\n",
            bot.app_id,
            bot.secret,
            emulator.base_url()
        ),
    );

    let (en, zh) = run_in_both_languages(&path).await;

    let stderr = text(&en.stderr);
    assert_eq!(en.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("error: the gateway stopped the bot (4014)"),
        "{stderr}"
    );
    assert_eq!(
        stderr.matches("the gateway stopped the bot").count(),
        1,
        "{stderr}"
    );
    assert!(
        stderr.contains("requested intents: DIRECT_MESSAGE*, GROUP_AND_C2C"),
        "{stderr}"
    );
    assert!(stderr.contains("fix: "), "{stderr}");

    let stderr = text(&zh.stderr);
    assert!(stderr.contains("错误：网关停止了机器人 (4014)"), "{stderr}");
    assert!(
        stderr.contains("订阅的 intents：DIRECT_MESSAGE*"),
        "{stderr}"
    );
    emulator.shutdown().await;
}
