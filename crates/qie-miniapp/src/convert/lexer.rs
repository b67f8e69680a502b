//! A JavaScript tokenizer, precise enough to tell code from strings, template literals, comments
//! and regular expression literals.
//!
//! It does not parse. The previous significant token separates regular expressions from
//! division, the usual heuristic: after an identifier, a number, a string, `)` or `]` a `/` divides;
//! after an operator, a keyword such as `return`, or at the start it begins a regex. A `}` is
//! taken as the end of a block, so `/` after it begins a regex.

use std::ops::Range;

/// The kind of a token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TokenKind {
    /// An identifier or keyword.
    Identifier,
    /// A number literal.
    Number,
    /// A `'…'` or `"…"` string literal, quotes included.
    String,
    /// A template literal chunk: from `` ` `` or `}` to `${` or the closing `` ` ``.
    Template,
    /// A regular expression literal with its flags.
    Regex,
    /// A `//` or `/* */` comment.
    Comment,
    /// Spaces and line breaks.
    Whitespace,
    /// One punctuator character (`.`, `(`, `{` …); `?.` is one token.
    Punct,
}

/// A token: its kind and byte range in the source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Token {
    pub(crate) kind: TokenKind,
    pub(crate) span: Range<usize>,
}

/// Keywords after which a `/` starts a regular expression.
const REGEX_KEYWORDS: &[&str] = &[
    "await",
    "case",
    "delete",
    "do",
    "else",
    "in",
    "instanceof",
    "new",
    "of",
    "return",
    "throw",
    "typeof",
    "void",
    "yield",
];

/// The construct an open brace belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Brace {
    /// A block or object literal.
    Code,
    /// A `${` of a template literal.
    Template,
}

/// Splits `source` into tokens that cover it completely.
///
/// Malformed input (an unterminated string or comment) never fails: the token runs to the end
/// of the line or of the source.
pub(crate) fn tokenize(source: &str) -> Vec<Token> {
    Lexer {
        source,
        bytes: source.as_bytes(),
        position: 0,
        tokens: Vec::new(),
        braces: Vec::new(),
    }
    .run()
}

struct Lexer<'a> {
    source: &'a str,
    bytes: &'a [u8],
    position: usize,
    tokens: Vec<Token>,
    braces: Vec<Brace>,
}

impl Lexer<'_> {
    fn run(mut self) -> Vec<Token> {
        while self.position < self.bytes.len() {
            let start = self.position;
            let kind = self.next_kind();
            // Every branch consumes at least one byte.
            if self.position == start {
                self.position += 1;
            }
            self.tokens.push(Token {
                kind,
                span: start..self.position,
            });
        }

        self.tokens
    }

    fn peek(&self, offset: usize) -> Option<u8> {
        self.bytes.get(self.position + offset).copied()
    }

    fn next_kind(&mut self) -> TokenKind {
        let byte = self.bytes[self.position];
        match byte {
            b' ' | b'\t' | b'\n' | b'\r' | 0x0B | 0x0C => {
                while self
                    .peek(0)
                    .is_some_and(|b| b.is_ascii_whitespace() || b == 0x0B)
                {
                    self.position += 1;
                }
                TokenKind::Whitespace
            }
            b'/' if self.peek(1) == Some(b'/') => {
                self.skip_line();
                TokenKind::Comment
            }
            b'/' if self.peek(1) == Some(b'*') => {
                self.position += 2;
                match self.source[self.position..].find("*/") {
                    Some(end) => self.position += end + 2,
                    None => self.position = self.bytes.len(),
                }
                TokenKind::Comment
            }
            b'/' if self.regex_allowed() => self.regex(),
            b'\'' | b'"' => {
                self.string(byte);
                TokenKind::String
            }
            b'`' => {
                self.position += 1;
                self.template_chunk();
                TokenKind::Template
            }
            b'}' if self.braces.last() == Some(&Brace::Template) => {
                self.braces.pop();
                self.position += 1;
                self.template_chunk();
                TokenKind::Template
            }
            b'{' => {
                self.braces.push(Brace::Code);
                self.position += 1;
                TokenKind::Punct
            }
            b'}' => {
                self.braces.pop();
                self.position += 1;
                TokenKind::Punct
            }
            b'0'..=b'9' => {
                self.number();
                TokenKind::Number
            }
            b'.' if self.peek(1).is_some_and(|b| b.is_ascii_digit()) => {
                self.number();
                TokenKind::Number
            }
            b'?' if self.peek(1) == Some(b'.')
                && !self.peek(2).is_some_and(|b| b.is_ascii_digit()) =>
            {
                self.position += 2;
                TokenKind::Punct
            }
            _ if is_identifier_start(byte) => {
                while self.peek(0).is_some_and(is_identifier_part) {
                    self.position += 1;
                }
                TokenKind::Identifier
            }
            _ => {
                // One character, which may be a multi-byte UTF-8 sequence.
                let length = self.source[self.position..]
                    .chars()
                    .next()
                    .map_or(1, char::len_utf8);
                self.position += length;
                TokenKind::Punct
            }
        }
    }

    fn skip_line(&mut self) {
        while self.peek(0).is_some_and(|b| b != b'\n') {
            self.position += 1;
        }
    }

    fn string(&mut self, quote: u8) {
        self.position += 1;
        while let Some(byte) = self.peek(0) {
            match byte {
                b'\\' => self.position += 2,
                b'\n' => return,
                _ if byte == quote => {
                    self.position += 1;
                    return;
                }
                _ => self.position += 1,
            }
        }
        self.position = self.position.min(self.bytes.len());
    }

    /// Scans template text up to and including the closing `` ` `` or a `${`.
    fn template_chunk(&mut self) {
        while let Some(byte) = self.peek(0) {
            match byte {
                b'\\' => self.position += 2,
                b'`' => {
                    self.position += 1;
                    return;
                }
                b'$' if self.peek(1) == Some(b'{') => {
                    self.position += 2;
                    self.braces.push(Brace::Template);
                    return;
                }
                _ => self.position += 1,
            }
        }
        self.position = self.position.min(self.bytes.len());
    }

    fn number(&mut self) {
        while self
            .peek(0)
            .is_some_and(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'.')
        {
            // `1.toString` is invalid JavaScript; a dot followed by a letter after digits
            // ends the number only in `1..x`, which does not occur in real code.
            self.position += 1;
        }
    }

    fn regex(&mut self) -> TokenKind {
        let start = self.position;
        self.position += 1;
        let mut in_class = false;
        while let Some(byte) = self.peek(0) {
            match byte {
                b'\\' => self.position += 2,
                b'[' => {
                    in_class = true;
                    self.position += 1;
                }
                b']' => {
                    in_class = false;
                    self.position += 1;
                }
                b'/' if !in_class => {
                    self.position += 1;
                    while self.peek(0).is_some_and(is_identifier_part) {
                        self.position += 1;
                    }
                    return TokenKind::Regex;
                }
                b'\n' => break,
                _ => self.position += 1,
            }
        }

        // No closing slash on this line: it was a division after all.
        self.position = start + 1;
        TokenKind::Punct
    }

    fn regex_allowed(&self) -> bool {
        let Some(previous) = self
            .tokens
            .iter()
            .rev()
            .find(|token| !matches!(token.kind, TokenKind::Whitespace | TokenKind::Comment))
        else {
            return true;
        };
        let text = &self.source[previous.span.clone()];

        match previous.kind {
            TokenKind::Identifier => REGEX_KEYWORDS.contains(&text),
            TokenKind::Number | TokenKind::String | TokenKind::Regex => false,
            // A template literal ending in `` ` `` is a value; one ending in `${` is not.
            TokenKind::Template => text.ends_with("${"),
            TokenKind::Punct => !matches!(text, ")" | "]"),
            TokenKind::Whitespace | TokenKind::Comment => true,
        }
    }
}

fn is_identifier_start(byte: u8) -> bool {
    byte.is_ascii_alphabetic() || byte == b'_' || byte == b'$' || byte >= 0x80
}

fn is_identifier_part(byte: u8) -> bool {
    is_identifier_start(byte) || byte.is_ascii_digit()
}

/// Returns the value of a string literal token (quotes removed, simple escapes resolved).
pub(crate) fn string_value(literal: &str) -> String {
    let inner = literal
        .get(1..literal.len().saturating_sub(1))
        .unwrap_or_default();
    let mut value = String::with_capacity(inner.len());
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            if let Some(escaped) = chars.next() {
                value.push(escaped);
            }
        } else {
            value.push(c);
        }
    }

    value
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(source: &str) -> Vec<(TokenKind, &str)> {
        tokenize(source)
            .into_iter()
            .filter(|token| token.kind != TokenKind::Whitespace)
            .map(|token| (token.kind, &source[token.span]))
            .collect()
    }

    #[test]
    fn tokens_cover_the_source() {
        let source = "const a = `x${b + `y${c}`}z` / 2; // end\n/* c */ s = 'q\\'t';";
        let joined: String = tokenize(source)
            .iter()
            .map(|token| &source[token.span.clone()])
            .collect();
        assert_eq!(joined, source);
    }

    #[test]
    fn strings_and_comments_are_single_tokens() {
        assert_eq!(
            kinds(r#"a("wx.login", 'it\'s') // wx.login"#),
            vec![
                (TokenKind::Identifier, "a"),
                (TokenKind::Punct, "("),
                (TokenKind::String, r#""wx.login""#),
                (TokenKind::Punct, ","),
                (TokenKind::String, r"'it\'s'"),
                (TokenKind::Punct, ")"),
                (TokenKind::Comment, "// wx.login"),
            ]
        );
    }

    #[test]
    fn template_expressions_are_code() {
        assert_eq!(
            kinds("`a ${wx.x} b`"),
            vec![
                (TokenKind::Template, "`a ${"),
                (TokenKind::Identifier, "wx"),
                (TokenKind::Punct, "."),
                (TokenKind::Identifier, "x"),
                (TokenKind::Template, "} b`"),
            ]
        );
        // An object literal inside a template expression keeps its own brace.
        assert_eq!(
            kinds("`${ {a: 1}.a }`").last(),
            Some(&(TokenKind::Template, "}`"))
        );
    }

    #[test]
    fn regex_versus_division() {
        assert_eq!(
            kinds("x = a / b / c"),
            vec![
                (TokenKind::Identifier, "x"),
                (TokenKind::Punct, "="),
                (TokenKind::Identifier, "a"),
                (TokenKind::Punct, "/"),
                (TokenKind::Identifier, "b"),
                (TokenKind::Punct, "/"),
                (TokenKind::Identifier, "c"),
            ]
        );
        assert_eq!(
            kinds(r"return /wx\.[a-z]+/g.test(s)")[1],
            (TokenKind::Regex, r"/wx\.[a-z]+/g")
        );
        assert_eq!(
            kinds("s.replace(/[/]'/, '')")[4],
            (TokenKind::Regex, "/[/]'/")
        );
        assert_eq!(kinds("(a) / 2")[3], (TokenKind::Punct, "/"));
    }

    #[test]
    fn optional_chaining_is_one_token() {
        assert_eq!(
            kinds("a?.b ? .5 : 1")[1..3],
            [(TokenKind::Punct, "?."), (TokenKind::Identifier, "b")]
        );
    }

    #[test]
    fn unterminated_input_does_not_panic() {
        for source in ["'abc", "`abc ${", "/* open", "/re", "a = \"x\ny\""] {
            let tokens = tokenize(source);
            assert_eq!(
                tokens.last().map(|token| token.span.end),
                Some(source.len())
            );
        }
    }

    #[test]
    fn string_value_unescapes() {
        assert_eq!(string_value(r#""wx-server-sdk""#), "wx-server-sdk");
        assert_eq!(string_value(r"'it\'s'"), "it's");
    }
}
