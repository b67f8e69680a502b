//! JSON configuration: `project.config.json`, `app.json` and page or component JSON.
//!
//! Edits are made in the text, so key order, spacing and unrelated values stay as they were.

use std::ops::Range;

use super::finding::Findings;
use super::rules::{QQ_APP_KEYS, REMOVED_CONFIG_KEYS, Rule, UI_LIBRARIES, is_wechat_appid};
use super::script::apply;

/// A JSON value with its byte range.
#[derive(Debug)]
pub(crate) struct Node {
    pub(crate) kind: NodeKind,
    pub(crate) span: Range<usize>,
}

/// The kinds of JSON value the converter looks into.
#[derive(Debug)]
pub(crate) enum NodeKind {
    Object(Vec<Member>),
    Array(Vec<Node>),
    String(String),
    /// A number, `true`, `false` or `null`.
    Scalar,
}

/// An object member.
#[derive(Debug)]
pub(crate) struct Member {
    pub(crate) key: String,
    pub(crate) key_span: Range<usize>,
    pub(crate) value: Node,
}

/// Parses JSON text with byte ranges; `None` when it is not valid JSON.
pub(crate) fn parse(source: &str) -> Option<Node> {
    let body_start = if source.starts_with('\u{feff}') { 3 } else { 0 };
    serde_json::from_str::<serde_json::Value>(&source[body_start..]).ok()?;

    let mut parser = Parser {
        source,
        bytes: source.as_bytes(),
        position: body_start,
    };
    parser.value()
}

struct Parser<'a> {
    source: &'a str,
    bytes: &'a [u8],
    position: usize,
}

impl Parser<'_> {
    fn skip_whitespace(&mut self) {
        while self
            .bytes
            .get(self.position)
            .is_some_and(u8::is_ascii_whitespace)
        {
            self.position += 1;
        }
    }

    fn value(&mut self) -> Option<Node> {
        self.skip_whitespace();
        let start = self.position;
        let kind =
            match self.bytes.get(start)? {
                b'{' => self.object()?,
                b'[' => self.array()?,
                b'"' => NodeKind::String(self.string()?),
                _ => {
                    while self.bytes.get(self.position).is_some_and(|b| {
                        !matches!(b, b',' | b'}' | b']') && !b.is_ascii_whitespace()
                    }) {
                        self.position += 1;
                    }
                    NodeKind::Scalar
                }
            };

        Some(Node {
            kind,
            span: start..self.position,
        })
    }

    fn string(&mut self) -> Option<String> {
        let start = self.position;
        self.position += 1;
        while let Some(byte) = self.bytes.get(self.position) {
            match byte {
                b'\\' => self.position += 2,
                b'"' => {
                    self.position += 1;
                    return serde_json::from_str(&self.source[start..self.position]).ok();
                }
                _ => self.position += 1,
            }
        }

        None
    }

    fn object(&mut self) -> Option<NodeKind> {
        self.position += 1;
        let mut members = Vec::new();
        loop {
            self.skip_whitespace();
            match self.bytes.get(self.position)? {
                b'}' => {
                    self.position += 1;
                    return Some(NodeKind::Object(members));
                }
                b',' => self.position += 1,
                _ => {
                    let key_start = self.position;
                    let key = self.string()?;
                    let key_span = key_start..self.position;
                    self.skip_whitespace();
                    // The colon.
                    self.position += 1;
                    let value = self.value()?;
                    members.push(Member {
                        key,
                        key_span,
                        value,
                    });
                }
            }
        }
    }

    fn array(&mut self) -> Option<NodeKind> {
        self.position += 1;
        let mut items = Vec::new();
        loop {
            self.skip_whitespace();
            match self.bytes.get(self.position)? {
                b']' => {
                    self.position += 1;
                    return Some(NodeKind::Array(items));
                }
                b',' => self.position += 1,
                _ => items.push(self.value()?),
            }
        }
    }
}

/// Returns the edits that remove the members at `removed` (indices, ascending), with the commas
/// that separate them.
fn removal_edits(members: &[Member], removed: &[usize]) -> Vec<(usize, usize, String)> {
    let is_removed = |index: usize| removed.contains(&index);
    let trailing_start = (0..members.len())
        .rev()
        .take_while(|index| is_removed(*index))
        .last();

    let mut edits = Vec::new();
    for &index in removed {
        if trailing_start.is_some_and(|start| index >= start) {
            continue;
        }
        // A kept member follows: remove up to the next key.
        edits.push((
            members[index].key_span.start,
            members[index + 1].key_span.start,
            String::new(),
        ));
    }
    if let Some(start) = trailing_start {
        let from = match start.checked_sub(1) {
            Some(previous) => members[previous].value.span.end,
            None => members[start].key_span.start,
        };
        let to = members[members.len() - 1].value.span.end;
        edits.push((from, to, String::new()));
    }

    edits
}

/// Converts `project.config.json` (or `project.private.config.json`): `appid` becomes an empty
/// `qqappid`, `libVersion` becomes `qqLibVersion`.
pub(crate) fn convert_project_config(source: &str, findings: &mut Findings) -> String {
    let Some(Node {
        kind: NodeKind::Object(members),
        ..
    }) = parse(source)
    else {
        return source.to_owned();
    };

    let mut edits = Vec::new();
    for member in &members {
        match member.key.as_str() {
            "appid" => {
                edits.push((
                    member.key_span.start,
                    member.key_span.end,
                    "\"qqappid\"".to_owned(),
                ));
                edits.push((
                    member.value.span.start,
                    member.value.span.end,
                    "\"\"".to_owned(),
                ));
                findings.push(member.key_span.start, Rule::ProjectAppId, "appid");
            }
            "libVersion" => {
                edits.push((
                    member.key_span.start,
                    member.key_span.end,
                    "\"qqLibVersion\"".to_owned(),
                ));
                findings.push(member.key_span.start, Rule::LibVersion, "libVersion");
            }
            _ => {}
        }
    }

    apply(source, edits)
}

/// Converts `app.json` (`is_app`) or a page or component JSON file: removes unsupported keys and
/// reports undocumented keys, WeChat appids and UI libraries.
pub(crate) fn convert_app_config(source: &str, is_app: bool, findings: &mut Findings) -> String {
    let Some(Node {
        kind: NodeKind::Object(members),
        ..
    }) = parse(source)
    else {
        return source.to_owned();
    };

    let mut removed = Vec::new();
    for (index, member) in members.iter().enumerate() {
        let key = member.key.as_str();
        if REMOVED_CONFIG_KEYS.binary_search(&key).is_ok() {
            findings.push(member.key_span.start, Rule::RemovedKey, key);
            removed.push(index);
            continue;
        }
        if is_app && QQ_APP_KEYS.binary_search(&key).is_err() {
            findings.push(member.key_span.start, Rule::UndocumentedKey, key);
        }

        match (key, &member.value.kind) {
            ("navigateToMiniProgramAppIdList", NodeKind::Array(items)) if is_app => {
                for item in items {
                    if let NodeKind::String(appid) = &item.kind
                        && is_wechat_appid(appid)
                    {
                        findings.push(item.span.start, Rule::WechatAppId, appid);
                    }
                }
            }
            ("usingComponents", NodeKind::Object(components)) => {
                for component in components {
                    if let NodeKind::String(path) = &component.value.kind
                        && let Some(library) =
                            UI_LIBRARIES.iter().find(|library| path.contains(*library))
                    {
                        findings.push(component.value.span.start, Rule::UiLibrary, library);
                    }
                }
            }
            _ => {}
        }
    }

    apply(source, removal_edits(&members, &removed))
}

/// Returns the line of the top-level member `key` of a JSON object text.
pub(crate) fn key_line(source: &str, key: &str) -> Option<usize> {
    let Some(Node {
        kind: NodeKind::Object(members),
        ..
    }) = parse(source)
    else {
        return None;
    };
    let member = members.iter().find(|member| member.key == key)?;

    Some(Findings::new(source).line_of(member.key_span.start))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::convert::finding::Finding;

    fn findings_of(
        source: &str,
        run: impl FnOnce(&str, &mut Findings) -> String,
    ) -> (String, Vec<Finding>) {
        let mut findings = Findings::new(source);
        let output = run(source, &mut findings);

        (output, findings.into_vec())
    }

    #[test]
    fn project_config_keys() {
        let source = "{\n  \"appid\": \"wx4f4bc4dec97d474b\",\n  \"libVersion\": \"2.32.3\",\n  \"projectname\": \"demo\"\n}\n";

        let (output, findings) = findings_of(source, convert_project_config);

        assert_eq!(
            output,
            "{\n  \"qqappid\": \"\",\n  \"qqLibVersion\": \"2.32.3\",\n  \"projectname\": \"demo\"\n}\n"
        );
        let found: Vec<_> = findings
            .iter()
            .map(|finding| (finding.line, finding.rule))
            .collect();
        assert_eq!(found, vec![(2, Rule::ProjectAppId), (3, Rule::LibVersion)]);
    }

    #[test]
    fn removed_keys_keep_valid_json() {
        let cases = [
            (
                "{\"a\": 1, \"darkmode\": true, \"b\": 2}",
                "{\"a\": 1, \"b\": 2}",
            ),
            ("{\"a\": 1, \"darkmode\": true}", "{\"a\": 1}"),
            ("{\"darkmode\": true, \"a\": 1}", "{\"a\": 1}"),
            ("{\"darkmode\": true}", "{}"),
            (
                "{\n  \"pages\": [],\n  \"style\": \"v2\",\n  \"lazyCodeLoading\": \"requiredComponents\"\n}",
                "{\n  \"pages\": []\n}",
            ),
            (
                "{\"style\": \"v2\", \"renderer\": \"skyline\", \"pages\": []}",
                "{\"pages\": []}",
            ),
        ];
        for (source, expected) in cases {
            let (output, _) = findings_of(source, |source, findings| {
                convert_app_config(source, false, findings)
            });
            assert_eq!(output, expected, "{source}");
            serde_json::from_str::<serde_json::Value>(&output).unwrap();
        }
    }

    #[test]
    fn app_json_findings() {
        let source = r#"{
  "pages": ["pages/index/index"],
  "sitemapLocation": "sitemap.json",
  "navigateToMiniProgramAppIdList": ["wx4f4bc4dec97d474b", "1109816085"],
  "usingComponents": {"van-button": "@vant/weapp/button/index", "card": "/components/card/card"}
}"#;

        let (output, findings) = findings_of(source, |source, findings| {
            convert_app_config(source, true, findings)
        });

        assert_eq!(output, source);
        let found: Vec<_> = findings
            .iter()
            .map(|finding| (finding.line, finding.rule, finding.subject.as_str()))
            .collect();
        assert_eq!(
            found,
            vec![
                (3, Rule::UndocumentedKey, "sitemapLocation"),
                (4, Rule::WechatAppId, "wx4f4bc4dec97d474b"),
                (5, Rule::UiLibrary, "@vant/weapp"),
            ]
        );
    }

    #[test]
    fn invalid_json_is_left_alone() {
        let source = "{ \"appid\": ";
        let (output, findings) = findings_of(source, convert_project_config);
        assert_eq!(output, source);
        assert!(findings.is_empty());
    }
}
