//! Templates: `.wxml` becomes `.qml`.
//!
//! `wx:` directives become `qq:`, `<wxs>` becomes `<qs>` (with its `src` and inline body
//! converted), and `import`/`include` paths move to `.qml`. Everything else, comments and
//! spacing included, is copied byte for byte.

use super::finding::Findings;
use super::lexer::{TokenKind, tokenize};
use super::rules::{RESERVED_WORDS, Rule, UNSUPPORTED_COMPONENTS, UNSUPPORTED_OPEN_TYPES};
use super::script::{ScriptKind, apply, convert_script};

/// An attribute of a start tag.
#[derive(Debug)]
struct Attribute {
    name_start: usize,
    name: String,
    /// Byte range of the value without its quotes.
    value: Option<(usize, usize)>,
}

/// A parsed start tag.
#[derive(Debug)]
struct StartTag {
    start: usize,
    name_start: usize,
    name: String,
    attributes: Vec<Attribute>,
    self_closing: bool,
    /// Offset just after `>`.
    end: usize,
}

/// Converts a template.
pub(crate) fn convert_markup(source: &str, findings: &mut Findings) -> String {
    let mut edits: Vec<(usize, usize, String)> = Vec::new();
    let bytes = source.as_bytes();
    let mut position = 0;
    // An open `<slot>`: its line and whether content was seen inside it.
    let mut open_slot: Option<(usize, bool)> = None;

    while position < bytes.len() {
        let rest = &source[position..];

        if rest.starts_with("<!--") {
            position = rest
                .find("-->")
                .map_or(bytes.len(), |end| position + end + 3);
            continue;
        }
        if rest.starts_with("{{") {
            let end = rest
                .find("}}")
                .map_or(bytes.len(), |end| position + end + 2);
            check_bindings(source, position, end, findings);
            mark_slot_content(&mut open_slot);
            position = end;
            continue;
        }
        if let Some(after) = rest.strip_prefix("</") {
            let name: String = after.chars().take_while(|c| is_name_char(*c)).collect();
            if name == "wxs" {
                edits.push((position + 2, position + 5, "qs".to_owned()));
            }
            if name == "slot"
                && let Some((line, true)) = open_slot.take()
            {
                findings.push_line(line, Rule::SlotFallback, "slot");
            }
            open_slot = open_slot.filter(|_| name != "slot");
            position = rest.find('>').map_or(bytes.len(), |end| position + end + 1);
            continue;
        }
        if rest.starts_with('<')
            && let Some(tag) = parse_start_tag(source, position)
        {
            mark_slot_content(&mut open_slot);
            convert_tag(source, &tag, &mut edits, findings);
            position = tag.end;

            if tag.name == "slot" && !tag.self_closing {
                open_slot = Some((findings.line_of(tag.start), false));
            }
            if tag.name == "wxs" && !tag.self_closing {
                position = convert_inline_module(source, position, &mut edits, findings);
            }
            continue;
        }

        if !bytes[position].is_ascii_whitespace() {
            mark_slot_content(&mut open_slot);
        }
        position += rest.chars().next().map_or(1, char::len_utf8);
    }

    apply(source, edits)
}

fn mark_slot_content(open_slot: &mut Option<(usize, bool)>) {
    if let Some((_, seen)) = open_slot {
        *seen = true;
    }
}

fn is_name_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | ':' | '.')
}

/// Parses a start tag at `start` (the offset of `<`); `None` when it is not one.
fn parse_start_tag(source: &str, start: usize) -> Option<StartTag> {
    let bytes = source.as_bytes();
    let name_start = start + 1;
    let mut position = name_start;
    while position < bytes.len() && is_name_char(char::from(bytes[position])) {
        position += 1;
    }
    if position == name_start || !bytes[name_start].is_ascii_alphabetic() {
        return None;
    }
    let name = source[name_start..position].to_owned();

    let mut attributes = Vec::new();
    loop {
        while position < bytes.len() && bytes[position].is_ascii_whitespace() {
            position += 1;
        }
        match bytes.get(position) {
            None => return None,
            Some(b'>') => {
                return Some(StartTag {
                    start,
                    name_start,
                    name,
                    attributes,
                    self_closing: false,
                    end: position + 1,
                });
            }
            Some(b'/') if bytes.get(position + 1) == Some(&b'>') => {
                return Some(StartTag {
                    start,
                    name_start,
                    name,
                    attributes,
                    self_closing: true,
                    end: position + 2,
                });
            }
            Some(_) => {}
        }

        let attribute_start = position;
        let ends_name = |position: usize| {
            let byte = bytes[position];
            byte.is_ascii_whitespace()
                || matches!(byte, b'=' | b'>')
                || (byte == b'/' && bytes.get(position + 1) == Some(&b'>'))
        };
        while position < bytes.len() && !ends_name(position) {
            position += 1;
        }
        if position == attribute_start {
            // A stray character such as `=`; skip it.
            position += 1;
            continue;
        }
        let attribute_name = source[attribute_start..position].to_owned();

        let mut lookahead = position;
        while lookahead < bytes.len() && bytes[lookahead].is_ascii_whitespace() {
            lookahead += 1;
        }
        let mut value = None;
        if bytes.get(lookahead) == Some(&b'=') {
            position = lookahead + 1;
            while position < bytes.len() && bytes[position].is_ascii_whitespace() {
                position += 1;
            }
            match bytes.get(position) {
                Some(&quote @ (b'"' | b'\'')) => {
                    let value_start = position + 1;
                    let value_end = source[value_start..]
                        .find(char::from(quote))
                        .map_or(bytes.len(), |end| value_start + end);
                    value = Some((value_start, value_end));
                    position = (value_end + 1).min(bytes.len());
                }
                Some(_) => {
                    let value_start = position;
                    while position < bytes.len()
                        && !bytes[position].is_ascii_whitespace()
                        && bytes[position] != b'>'
                    {
                        position += 1;
                    }
                    value = Some((value_start, position));
                }
                None => {}
            }
        }

        attributes.push(Attribute {
            name_start: attribute_start,
            name: attribute_name,
            value,
        });
    }
}

fn convert_tag(
    source: &str,
    tag: &StartTag,
    edits: &mut Vec<(usize, usize, String)>,
    findings: &mut Findings,
) {
    let value_of = |name: &str| {
        tag.attributes
            .iter()
            .find(|attribute| attribute.name == name)
            .and_then(|attribute| attribute.value)
            .map(|(start, end)| &source[start..end])
    };

    match tag.name.as_str() {
        "wxs" => edits.push((tag.name_start, tag.name_start + 3, "qs".to_owned())),
        "ad" if value_of("unit-id").is_some() => {
            findings.push(tag.start, Rule::AdUnit, "<ad unit-id>");
        }
        "button" => match value_of("open-type") {
            Some(open_type) if UNSUPPORTED_OPEN_TYPES.binary_search(&open_type).is_ok() => {
                findings.push(tag.start, Rule::ButtonOpenType, open_type);
            }
            Some("share") => findings.push(tag.start, Rule::ShareButton, "share"),
            _ => {}
        },
        name if UNSUPPORTED_COMPONENTS.binary_search(&name).is_ok() => {
            findings.push(tag.start, Rule::UnsupportedComponent, name);
        }
        _ => {}
    }

    for attribute in &tag.attributes {
        if let Some(directive) = attribute.name.strip_prefix("wx:") {
            edits.push((
                attribute.name_start,
                attribute.name_start + attribute.name.len(),
                format!("qq:{directive}"),
            ));
        }

        let Some((start, end)) = attribute.value else {
            continue;
        };
        let value = &source[start..end];
        let path_suffix = match (tag.name.as_str(), attribute.name.as_str()) {
            ("wxs", "src") => Some((".wxs", ".qs")),
            ("import" | "include", "src") => Some((".wxml", ".qml")),
            _ => None,
        };
        if let Some((old, new)) = path_suffix
            && let Some(stem) = value.strip_suffix(old)
        {
            edits.push((start, end, format!("{stem}{new}")));
        }

        let mut search = start;
        while let Some(open) = source[search..end].find("{{") {
            let expression_start = search + open;
            let expression_end = source[expression_start..end]
                .find("}}")
                .map_or(end, |close| expression_start + close + 2);
            check_bindings(source, expression_start, expression_end, findings);
            search = expression_end;
        }
    }
}

/// Reports reserved words used as names in the `{{ }}` expression at `start..end`.
fn check_bindings(source: &str, start: usize, end: usize, findings: &mut Findings) {
    let expression = &source[start..end];
    let inner_start = start + 2;
    let inner = expression
        .get(2..expression.len().saturating_sub(2))
        .unwrap_or_default();

    let tokens: Vec<_> = tokenize(inner)
        .into_iter()
        .filter(|token| !matches!(token.kind, TokenKind::Whitespace | TokenKind::Comment))
        .collect();
    for (index, token) in tokens.iter().enumerate() {
        if token.kind != TokenKind::Identifier {
            continue;
        }
        let word = &inner[token.span.clone()];
        let after_dot = index > 0 && matches!(&inner[tokens[index - 1].span.clone()], "." | "?.");
        let is_key = tokens
            .get(index + 1)
            .is_some_and(|next| &inner[next.span.clone()] == ":")
            && index > 0
            && matches!(&inner[tokens[index - 1].span.clone()], "{" | ",");
        if !after_dot && !is_key && RESERVED_WORDS.binary_search(&word).is_ok() {
            findings.push(
                inner_start + token.span.start,
                Rule::ReservedWordBinding,
                word,
            );
        }
    }
}

/// Converts the body of an inline `<wxs>` starting at `start`; returns the offset after
/// `</wxs>` (whose name the main loop renames).
fn convert_inline_module(
    source: &str,
    start: usize,
    edits: &mut Vec<(usize, usize, String)>,
    findings: &mut Findings,
) -> usize {
    let end = source[start..]
        .find("</wxs")
        .map_or(source.len(), |close| start + close);
    let body = &source[start..end];

    let mut inner = Findings::new(body);
    let converted = convert_script(body, ScriptKind::Module, &mut inner);
    findings.absorb(inner, start);
    if converted != body {
        edits.push((start, end, converted));
    }

    end
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::convert::finding::Finding;

    fn convert(source: &str) -> (String, Vec<Finding>) {
        let mut findings = Findings::new(source);
        let output = convert_markup(source, &mut findings);

        (output, findings.into_vec())
    }

    #[test]
    fn directives_and_modules() {
        let (output, findings) = convert(
            r#"<wxs src="./f.wxs" module="f" />
<view wx:for="{{list}}" wx:key="*this" wx:for-item="row"><text wx:if="{{a > b}}">{{f.x(row)}}</text></view>
<wxs module="m">var g = require('./g.wxs'); module.exports = {};</wxs>
<import src="../t.wxml"/><include src="h.wxml" />
<!-- <view wx:if="{{x}}"> stays in the comment --><text>wx:if a < b</text>"#,
        );

        assert_eq!(
            output,
            r#"<qs src="./f.qs" module="f" />
<view qq:for="{{list}}" qq:key="*this" qq:for-item="row"><text qq:if="{{a > b}}">{{f.x(row)}}</text></view>
<qs module="m">var g = require('./g.qs'); module.exports = {};</qs>
<import src="../t.qml"/><include src="h.qml" />
<!-- <view wx:if="{{x}}"> stays in the comment --><text>wx:if a < b</text>"#
        );
        assert!(findings.is_empty(), "{findings:?}");
    }

    #[test]
    fn reserved_words_in_bindings() {
        let (_, findings) =
            convert("<view class=\"{{class}}\">\n{{item.class}} {{ {default: 1} }} {{for}}</view>");
        let found: Vec<_> = findings
            .iter()
            .map(|finding| (finding.line, finding.subject.as_str()))
            .collect();
        assert_eq!(found, vec![(1, "class"), (2, "for")]);
    }

    #[test]
    fn components_and_attributes() {
        let (_, findings) = convert(
            "<page-container/>\n<ad unit-id=\"adunit-1\"/>\n<ad type=\"banner\"/>\n\
             <button open-type=\"getPhoneNumber\"/>\n<button open-type=\"share\">s</button>\n\
             <slot></slot>\n<slot>\n  <text>fallback</text>\n</slot>",
        );
        let found: Vec<_> = findings
            .iter()
            .map(|finding| (finding.line, finding.rule))
            .collect();
        assert_eq!(
            found,
            vec![
                (1, Rule::UnsupportedComponent),
                (2, Rule::AdUnit),
                (4, Rule::ButtonOpenType),
                (5, Rule::ShareButton),
                (7, Rule::SlotFallback),
            ]
        );
    }

    #[test]
    fn text_with_less_than_is_kept() {
        let source = "<text>{{a<b ? 'x' : 'y'}} 1 < 2</text>";
        assert_eq!(convert(source).0, source);
    }
}
