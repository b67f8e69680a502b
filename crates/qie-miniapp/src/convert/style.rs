//! Styles: `.wxss` becomes `.qss`, and `@import` paths follow.

use super::lexer::string_value;
use super::script::apply;

/// Converts a stylesheet: `@import "x.wxss"` and `@import url(x.wxss)` move to `.qss`.
/// Comments and strings elsewhere are left alone.
pub(crate) fn convert_style(source: &str) -> String {
    let bytes = source.as_bytes();
    let mut edits = Vec::new();
    let mut position = 0;

    while position < bytes.len() {
        let rest = &source[position..];
        if rest.starts_with("/*") {
            position = rest
                .find("*/")
                .map_or(bytes.len(), |end| position + end + 2);
            continue;
        }
        if let Some(quote @ (b'"' | b'\'')) = bytes.get(position).copied() {
            position = skip_string(bytes, position, quote);
            continue;
        }
        if rest.len() >= 7 && rest[..7].eq_ignore_ascii_case("@import") {
            position += 7;
            import_edit(source, &mut position, &mut edits);
            continue;
        }
        position += rest.chars().next().map_or(1, char::len_utf8);
    }

    apply(source, edits)
}

/// Returns the offset after the string literal that starts at `start`.
fn skip_string(bytes: &[u8], start: usize, quote: u8) -> usize {
    let mut position = start + 1;
    while position < bytes.len() {
        match bytes[position] {
            b'\\' => position += 2,
            byte if byte == quote => return position + 1,
            b'\n' => return position,
            _ => position += 1,
        }
    }

    bytes.len()
}

/// Rewrites the path of the `@import` whose arguments start at `position`.
fn import_edit(source: &str, position: &mut usize, edits: &mut Vec<(usize, usize, String)>) {
    let bytes = source.as_bytes();
    while *position < bytes.len() && bytes[*position].is_ascii_whitespace() {
        *position += 1;
    }

    let rest = &source[*position..];
    let mut url = false;
    if rest.len() >= 4 && rest[..4].eq_ignore_ascii_case("url(") {
        url = true;
        *position += 4;
        while *position < bytes.len() && bytes[*position].is_ascii_whitespace() {
            *position += 1;
        }
    }

    match bytes.get(*position).copied() {
        Some(quote @ (b'"' | b'\'')) => {
            let start = *position;
            let end = skip_string(bytes, start, quote);
            let literal = &source[start..end];
            if let Some(stem) = string_value(literal).strip_suffix(".wxss") {
                let quote = char::from(quote);
                edits.push((start, end, format!("{quote}{stem}.qss{quote}")));
            }
            *position = end;
        }
        Some(_) if url => {
            let start = *position;
            let end = source[start..]
                .find(')')
                .map_or(bytes.len(), |close| start + close);
            let path = source[start..end].trim_end();
            if let Some(stem) = path.strip_suffix(".wxss") {
                edits.push((start, start + path.len(), format!("{stem}.qss")));
            }
            *position = end;
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn imports_move_to_qss() {
        let source = "@import \"../common.wxss\";\n@import 'b.wxss';\n@IMPORT url(c.wxss);\n\
                      @import url( \"d.wxss\" );\n/* @import \"e.wxss\"; */\n\
                      .a::after { content: \"@import 'f.wxss'\"; }\n@import \"g.css\";";

        assert_eq!(
            convert_style(source),
            "@import \"../common.qss\";\n@import 'b.qss';\n@IMPORT url(c.qss);\n\
             @import url( \"d.qss\" );\n/* @import \"e.wxss\"; */\n\
             .a::after { content: \"@import 'f.wxss'\"; }\n@import \"g.css\";"
        );
    }
}
