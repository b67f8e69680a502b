//! Scripts: `.js`/`.ts` (the `wx` API object becomes `qq`) and `.wxs` modules (their
//! `require` paths move to `.qs`).

use super::finding::Findings;
use super::lexer::{Token, TokenKind, string_value, tokenize};
use super::rules::{DIFFERENT_APIS, Rule, UNSUPPORTED_APIS, is_wechat_appid};

/// The kind of script being converted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ScriptKind {
    /// A page, component or app script: rewrite the API object and report APIs.
    Code,
    /// A `.wxs` module (or the body of an inline `<wxs>`): only `require` paths change.
    Module,
}

/// Converts a script. Offsets in the findings are byte offsets into `source`.
pub(crate) fn convert_script(source: &str, kind: ScriptKind, findings: &mut Findings) -> String {
    let tokens = tokenize(source);
    let significant: Vec<usize> = tokens
        .iter()
        .enumerate()
        .filter(|(_, token)| !matches!(token.kind, TokenKind::Whitespace | TokenKind::Comment))
        .map(|(index, _)| index)
        .collect();
    let text = |index: usize| &source[tokens[index].span.clone()];

    // A script that declares its own `wx` keeps every `wx` as it is.
    let declares_wx = kind == ScriptKind::Code
        && significant.windows(2).any(|pair| {
            matches!(
                text(pair[0]),
                "var" | "let" | "const" | "function" | "class"
            ) && tokens[pair[1]].kind == TokenKind::Identifier
                && text(pair[1]) == "wx"
        });
    if declares_wx && let Some(position) = significant.iter().position(|index| text(*index) == "wx")
    {
        findings.push(
            tokens[significant[position]].span.start,
            Rule::LocalWx,
            "wx",
        );
    }

    let mut edits: Vec<(usize, usize, String)> = Vec::new();
    for (position, &index) in significant.iter().enumerate() {
        let token = &tokens[index];
        let previous = position
            .checked_sub(1)
            .map(|previous| text(significant[previous]));
        let next = significant.get(position + 1).map(|next| text(*next));

        match token.kind {
            TokenKind::Identifier if kind == ScriptKind::Code => {
                let name = text(index);
                let is_property = matches!(previous, Some("." | "?."));
                let is_key = next == Some(":") && matches!(previous, Some("{" | ","));
                if name == "wx" && !is_property && !is_key && !declares_wx {
                    edits.push((token.span.start, token.span.end, "qq".to_owned()));
                    let api = member_name(source, &tokens, &significant, position);
                    if let Some(api) = api {
                        report_api(findings, token.span.start, &api);
                    }
                }
                if name == "virtualHost" && next == Some(":") {
                    findings.push(token.span.start, Rule::VirtualHost, "virtualHost");
                }
            }
            TokenKind::String => {
                let value = string_value(text(index));
                if let Some(replacement) = rewrite_string(
                    &value,
                    kind,
                    previous,
                    &significant,
                    position,
                    &tokens,
                    source,
                ) {
                    let quote = &text(index)[..1];
                    edits.push((
                        token.span.start,
                        token.span.end,
                        format!("{quote}{replacement}{quote}"),
                    ));
                }
                report_string(findings, token, &value, kind);
            }
            TokenKind::Template if kind == ScriptKind::Code => {
                report_string(findings, token, text(index), kind);
            }
            _ => {}
        }
    }

    apply(source, edits)
}

/// Returns `NAME` of `wx.NAME`, `wx?.NAME` or `wx['NAME']` at significant position `position`.
fn member_name(
    source: &str,
    tokens: &[Token],
    significant: &[usize],
    position: usize,
) -> Option<String> {
    let at = |offset: usize| {
        significant
            .get(position + offset)
            .map(|index| (tokens[*index].kind, &source[tokens[*index].span.clone()]))
    };

    match (at(1), at(2), at(3)) {
        (Some((_, "." | "?.")), Some((TokenKind::Identifier, name)), _) => Some(name.to_owned()),
        (Some((_, "[")), Some((TokenKind::String, literal)), Some((_, "]"))) => {
            Some(string_value(literal))
        }
        _ => None,
    }
}

fn report_api(findings: &mut Findings, offset: usize, api: &str) {
    let subject = format!("wx.{api}");
    if UNSUPPORTED_APIS.binary_search(&api).is_ok() {
        findings.push(offset, Rule::UnsupportedApi, &subject);
    } else if DIFFERENT_APIS.binary_search(&api).is_ok() {
        findings.push(offset, Rule::ApiDiffers, &subject);
    }
}

/// Returns the new value of a string literal, if it changes.
fn rewrite_string(
    value: &str,
    kind: ScriptKind,
    previous: Option<&str>,
    significant: &[usize],
    position: usize,
    tokens: &[Token],
    source: &str,
) -> Option<String> {
    if value == "wx-server-sdk" {
        return Some("qq-server-sdk".to_owned());
    }

    // `require("./x.wxs")` inside a module.
    let is_require_argument = previous == Some("(")
        && position >= 2
        && &source[tokens[significant[position - 2]].span.clone()] == "require";
    if kind == ScriptKind::Module && is_require_argument {
        return value.strip_suffix(".wxs").map(|stem| format!("{stem}.qs"));
    }

    None
}

fn report_string(findings: &mut Findings, token: &Token, value: &str, kind: ScriptKind) {
    let offset = token.span.start;
    if value == "wx-server-sdk" {
        findings.push(offset, Rule::CloudSdk, "wx-server-sdk");
    }
    if kind != ScriptKind::Code {
        return;
    }
    if value.contains("api.weixin.qq.com") {
        findings.push(offset, Rule::WeixinServerApi, "api.weixin.qq.com");
    }
    let trimmed = value.trim_matches(|c: char| matches!(c, '`' | '$' | '{' | '}'));
    if is_wechat_appid(trimmed) {
        findings.push(offset, Rule::WechatAppId, trimmed);
    }
}

/// Applies non-overlapping `(start, end, replacement)` edits.
pub(crate) fn apply(source: &str, mut edits: Vec<(usize, usize, String)>) -> String {
    edits.sort_by_key(|(start, _, _)| *start);
    let mut output = String::with_capacity(source.len());
    let mut copied = 0;
    for (start, end, replacement) in edits {
        if start < copied {
            continue;
        }
        output.push_str(&source[copied..start]);
        output.push_str(&replacement);
        copied = end;
    }
    output.push_str(&source[copied..]);

    output
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::convert::finding::Finding;

    fn convert(source: &str) -> (String, Vec<(Rule, String)>) {
        let mut findings = Findings::new(source);
        let output = convert_script(source, ScriptKind::Code, &mut findings);
        let found = findings
            .into_vec()
            .into_iter()
            .map(|finding: Finding| (finding.rule, finding.subject))
            .collect();

        (output, found)
    }

    #[test]
    fn api_object_becomes_qq_in_code_only() {
        let source = r#"wx.login({}); const host = "wx.qlogo.cn"; // wx.login
/* wx.getStorage */ obj.wx.x(); let wxParse = 1; wx['showToast'](); wx?.hideToast();
const t = `${wx.getSystemInfoSync().platform} wx.x`; const api = wx; const o = { wx: 1 };"#;

        let (output, _) = convert(source);

        assert_eq!(
            output,
            r#"qq.login({}); const host = "wx.qlogo.cn"; // wx.login
/* wx.getStorage */ obj.wx.x(); let wxParse = 1; qq['showToast'](); qq?.hideToast();
const t = `${qq.getSystemInfoSync().platform} wx.x`; const api = qq; const o = { wx: 1 };"#
        );
    }

    #[test]
    fn regex_literals_are_untouched() {
        let (output, _) = convert(r"const re = /wx\.login/g; wx.login();");
        assert_eq!(output, r"const re = /wx\.login/g; qq.login();");
    }

    #[test]
    fn apis_are_reported() {
        let (_, found) = convert(
            "wx.requestPayment({}); wx.openChannelsLive({}); wx.showToast({}); wx['shareToWeRun']()",
        );
        assert_eq!(
            found,
            vec![
                (Rule::ApiDiffers, "wx.requestPayment".to_owned()),
                (Rule::UnsupportedApi, "wx.openChannelsLive".to_owned()),
                (Rule::UnsupportedApi, "wx.shareToWeRun".to_owned()),
            ]
        );
    }

    #[test]
    fn local_wx_declaration_stops_rewriting() {
        let (output, found) = convert("const wx = require('jweixin'); wx.config({});");
        assert_eq!(output, "const wx = require('jweixin'); wx.config({});");
        assert_eq!(found, vec![(Rule::LocalWx, "wx".to_owned())]);
    }

    #[test]
    fn strings_with_platform_values() {
        let (output, found) = convert(
            "const cloud = require('wx-server-sdk'); get('https://api.weixin.qq.com/cgi-bin/token'); go({ appId: 'wx4f4bc4dec97d474b' })",
        );
        assert!(output.starts_with("const cloud = require('qq-server-sdk');"));
        assert_eq!(
            found,
            vec![
                (Rule::CloudSdk, "wx-server-sdk".to_owned()),
                (Rule::WeixinServerApi, "api.weixin.qq.com".to_owned()),
                (Rule::WechatAppId, "wx4f4bc4dec97d474b".to_owned()),
            ]
        );
    }

    #[test]
    fn module_requires_move_to_qs() {
        let mut findings = Findings::new("");
        let output = convert_script(
            "var f = require('./format.wxs'); var s = 'x.wxs';",
            ScriptKind::Module,
            &mut findings,
        );
        assert_eq!(output, "var f = require('./format.qs'); var s = 'x.wxs';");
    }
}
