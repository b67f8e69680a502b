//! A specialised parser for the hot path: dispatch frames of the six message events, with `op`
//! and `t` before `d` (the WebSocket field order).
//!
//! serde's derive spends most of a frame parse on per-field bookkeeping, so this parser reads the
//! same structs straight from the bytes. It is deliberately strict and never reports errors. On
//! anything unusual (an unsupported event type, a field order it does not handle, a value of an
//! unexpected type, invalid JSON) it returns `None`, and the caller parses the frame with serde,
//! which defines the expected result. Tests compare both parsers on generated frames.

mod events;

use std::borrow::Cow;

use serde::de::DeserializeOwned;

use crate::event::Event;
use crate::gateway::{Dispatch, ServerFrame};
use crate::id::{EventId, Id};
use crate::json::RawJson;
use crate::text::{INLINE_CAPACITY, SmallString};
use crate::timestamp::Timestamp;

/// Nesting deeper than this is left to serde (which allows 128 levels).
const MAX_DEPTH: u32 = 100;

/// Parses a dispatch frame of a hot event type; `None` means "use serde instead".
pub(crate) fn parse_dispatch(text: &str) -> Option<ServerFrame> {
    let mut cursor = Cursor::new(text);
    let mut op: Option<u8> = None;
    let mut seq: Option<Option<u64>> = None;
    let mut name: Option<Option<Cow<'_, str>>> = None;
    let mut id: Option<Option<EventId>> = None;
    let mut event: Option<Event> = None;

    cursor.object(|cursor, key| {
        match key {
            "op" => set_once(&mut op, u8::fast_parse(cursor)?),
            "s" => set_once(&mut seq, Option::<u64>::fast_parse(cursor)?),
            "id" => set_once(&mut id, Option::<EventId>::fast_parse(cursor)?),
            "t" => {
                let value = if cursor.peek()? == b'n' {
                    cursor.literal(b"null")?;
                    None
                } else {
                    Some(cursor.string()?)
                };
                set_once(&mut name, value)
            }
            "d" => {
                // Only the one-pass case: `op` 0 and a hot `t` already seen.
                if op != Some(0) || event.is_some() {
                    return None;
                }
                let name = name.as_ref()?.as_deref()?;
                event = Some(events::parse_hot_event(name, cursor)?);
                Some(())
            }
            _ => cursor.skip_value(),
        }
    })?;
    cursor.end()?;

    Some(ServerFrame::Dispatch(Dispatch {
        id: id.flatten(),
        seq: seq.flatten(),
        event: event?,
    }))
}

fn set_once<T>(slot: &mut Option<T>, value: T) -> Option<()> {
    if slot.is_some() {
        return None;
    }
    *slot = Some(value);

    Some(())
}

/// A position in JSON text.
pub(crate) struct Cursor<'a> {
    text: &'a str,
    bytes: &'a [u8],
    position: usize,
    depth: u32,
}

const ONES: u64 = 0x0101_0101_0101_0101;
const HIGH_BITS: u64 = 0x8080_8080_8080_8080;

/// Returns a mask with the high bit set in the first byte of the 8 that is `"`, `\` or a
/// control character (below 0x20), and possibly in later bytes; 0 when there is none.
fn special_byte_mask(chunk: u64) -> u64 {
    let quote = chunk ^ (ONES * u64::from(b'"'));
    let backslash = chunk ^ (ONES * u64::from(b'\\'));
    let zero_in_quote = quote.wrapping_sub(ONES) & !quote;
    let zero_in_backslash = backslash.wrapping_sub(ONES) & !backslash;
    let below_space = chunk.wrapping_sub(ONES * 0x20) & !chunk;

    (zero_in_quote | zero_in_backslash | below_space) & HIGH_BITS
}

impl<'a> Cursor<'a> {
    pub(crate) fn new(text: &'a str) -> Self {
        Self {
            text,
            bytes: text.as_bytes(),
            position: 0,
            depth: 0,
        }
    }

    #[inline]
    fn skip_whitespace(&mut self) {
        while let Some(b' ' | b'\n' | b'\r' | b'\t') = self.bytes.get(self.position) {
            self.position += 1;
        }
    }

    /// Returns the next non-whitespace byte without consuming it.
    pub(crate) fn peek(&mut self) -> Option<u8> {
        self.skip_whitespace();
        self.bytes.get(self.position).copied()
    }

    fn eat(&mut self, expected: u8) -> Option<()> {
        if self.peek()? != expected {
            return None;
        }
        self.position += 1;

        Some(())
    }

    fn end(&mut self) -> Option<()> {
        self.skip_whitespace();

        (self.position == self.bytes.len()).then_some(())
    }

    fn literal(&mut self, word: &[u8]) -> Option<()> {
        self.skip_whitespace();
        let end = self.position.checked_add(word.len())?;
        if self.bytes.get(self.position..end)? != word {
            return None;
        }
        self.position = end;

        Some(())
    }

    /// Reads a string, borrowing it when it has no escapes.
    #[inline]
    pub(crate) fn string(&mut self) -> Option<Cow<'a, str>> {
        self.eat(b'"')?;
        let start = self.position;

        self.skip_plain_bytes();
        match *self.bytes.get(self.position)? {
            b'"' => {
                let value = self.text.get(start..self.position)?;
                self.position += 1;
                return Some(Cow::Borrowed(value));
            }
            b'\\' => {}
            _ => return None,
        }

        let mut value = String::from(self.text.get(start..self.position)?);
        loop {
            match *self.bytes.get(self.position)? {
                b'"' => {
                    self.position += 1;
                    return Some(Cow::Owned(value));
                }
                b'\\' => {
                    self.position += 1;
                    let escaped = *self.bytes.get(self.position)?;
                    self.position += 1;
                    value.push(match escaped {
                        b'"' => '"',
                        b'\\' => '\\',
                        b'/' => '/',
                        b'b' => '\u{8}',
                        b'f' => '\u{c}',
                        b'n' => '\n',
                        b'r' => '\r',
                        b't' => '\t',
                        b'u' => self.unicode_escape()?,
                        _ => return None,
                    });
                }
                0..=0x1f => return None,
                _ => {
                    let run_start = self.position;
                    self.skip_plain_bytes();
                    value.push_str(self.text.get(run_start..self.position)?);
                }
            }
        }
    }

    /// Advances to the next `"`, `\` or control character (or the end of the input).
    fn skip_plain_bytes(&mut self) {
        let mut position = self.position;
        while let Some(chunk) = self.bytes.get(position..position + 8) {
            let Ok(chunk) = <[u8; 8]>::try_from(chunk) else {
                break;
            };
            let mask = special_byte_mask(u64::from_le_bytes(chunk));
            if mask != 0 {
                // The lowest flagged byte is exact; higher flags may be false positives.
                self.position = position + (mask.trailing_zeros() / 8) as usize;
                return;
            }
            position += 8;
        }

        while let Some(&byte) = self.bytes.get(position) {
            if byte == b'"' || byte == b'\\' || byte < 0x20 {
                break;
            }
            position += 1;
        }
        self.position = position;
    }

    fn hex4(&mut self) -> Option<u32> {
        let digits = self.text.get(self.position..self.position + 4)?;
        if !digits.bytes().all(|byte| byte.is_ascii_hexdigit()) {
            return None;
        }
        self.position += 4;

        u32::from_str_radix(digits, 16).ok()
    }

    /// Decodes the `XXXX` of `\uXXXX`, with a following low surrogate when needed.
    fn unicode_escape(&mut self) -> Option<char> {
        let first = self.hex4()?;
        if !(0xd800..0xdc00).contains(&first) {
            // A lone low surrogate is not a character: `from_u32` rejects it.
            return char::from_u32(first);
        }

        if self.bytes.get(self.position..self.position + 2)? != b"\\u" {
            return None;
        }
        self.position += 2;
        let second = self.hex4()?;
        if !(0xdc00..0xe000).contains(&second) {
            return None;
        }

        char::from_u32(0x10000 + ((first - 0xd800) << 10) + (second - 0xdc00))
    }

    /// Reads an integer (no fraction or exponent).
    fn integer(&mut self) -> Option<(bool, u64)> {
        self.skip_whitespace();
        let negative = self.bytes.get(self.position) == Some(&b'-');
        if negative {
            self.position += 1;
        }

        let start = self.position;
        let mut value: u64 = 0;
        while let Some(&byte) = self.bytes.get(self.position) {
            if !byte.is_ascii_digit() {
                break;
            }
            value = value.checked_mul(10)?.checked_add(u64::from(byte - b'0'))?;
            self.position += 1;
        }

        let digits = self.position - start;
        let leading_zero = digits > 1 && self.bytes.get(start) == Some(&b'0');
        let fraction_follows = matches!(self.bytes.get(self.position), Some(b'.' | b'e' | b'E'));
        if digits == 0 || leading_zero || fraction_follows {
            return None;
        }

        Some((negative, value))
    }

    fn unsigned(&mut self) -> Option<u64> {
        match self.integer()? {
            (false, value) => Some(value),
            (true, _) => None,
        }
    }

    /// Calls `field` for every key of an object; `field` must consume the value.
    #[inline]
    pub(crate) fn object(
        &mut self,
        mut field: impl FnMut(&mut Self, &str) -> Option<()>,
    ) -> Option<()> {
        self.eat(b'{')?;
        self.enter()?;
        if self.peek()? == b'}' {
            self.position += 1;
            self.depth -= 1;
            return Some(());
        }

        loop {
            let key = self.string()?;
            self.eat(b':')?;
            field(self, &key)?;
            match self.peek()? {
                b',' => self.position += 1,
                b'}' => {
                    self.position += 1;
                    self.depth -= 1;
                    return Some(());
                }
                _ => return None,
            }
        }
    }

    #[inline]
    fn array<T>(&mut self, mut element: impl FnMut(&mut Self) -> Option<T>) -> Option<Vec<T>> {
        self.eat(b'[')?;
        self.enter()?;
        let mut values = Vec::new();
        if self.peek()? == b']' {
            self.position += 1;
            self.depth -= 1;
            return Some(values);
        }

        loop {
            values.push(element(self)?);
            match self.peek()? {
                b',' => self.position += 1,
                b']' => {
                    self.position += 1;
                    self.depth -= 1;
                    return Some(values);
                }
                _ => return None,
            }
        }
    }

    fn enter(&mut self) -> Option<()> {
        self.depth += 1;

        (self.depth <= MAX_DEPTH).then_some(())
    }

    /// Skips one JSON value, checking its grammar.
    pub(crate) fn skip_value(&mut self) -> Option<()> {
        match self.peek()? {
            b'"' => self.string().map(drop),
            b'{' => self.object(|cursor, _| cursor.skip_value()),
            b'[' => self.array(Self::skip_value).map(drop),
            b't' => self.literal(b"true"),
            b'f' => self.literal(b"false"),
            b'n' => self.literal(b"null"),
            b'-' | b'0'..=b'9' => self.skip_number(),
            _ => None,
        }
    }

    fn skip_number(&mut self) -> Option<()> {
        if self.bytes.get(self.position) == Some(&b'-') {
            self.position += 1;
        }
        let integer_digits = self.digits();
        let first = self.position - integer_digits;
        if integer_digits == 0 || (integer_digits > 1 && self.bytes.get(first) == Some(&b'0')) {
            return None;
        }
        if self.bytes.get(self.position) == Some(&b'.') {
            self.position += 1;
            if self.digits() == 0 {
                return None;
            }
        }
        if let Some(b'e' | b'E') = self.bytes.get(self.position) {
            self.position += 1;
            if let Some(b'+' | b'-') = self.bytes.get(self.position) {
                self.position += 1;
            }
            if self.digits() == 0 {
                return None;
            }
        }

        Some(())
    }

    fn digits(&mut self) -> usize {
        let start = self.position;
        while self
            .bytes
            .get(self.position)
            .is_some_and(u8::is_ascii_digit)
        {
            self.position += 1;
        }

        self.position - start
    }

    /// Skips one value and returns its exact text.
    fn raw_value(&mut self) -> Option<&'a str> {
        self.skip_whitespace();
        let start = self.position;
        self.skip_value()?;

        self.text.get(start..self.position)
    }

    /// Parses one value with serde (for rarely present nested structs).
    fn via_serde<T: DeserializeOwned>(&mut self) -> Option<T> {
        serde_json::from_str(self.raw_value()?).ok()
    }
}

/// A type the fast parser can read. `None` means the value is not in the simple form this
/// parser handles, and the whole frame goes to serde.
pub(crate) trait FastParse: Sized {
    fn fast_parse(cursor: &mut Cursor<'_>) -> Option<Self>;
}

impl FastParse for bool {
    fn fast_parse(cursor: &mut Cursor<'_>) -> Option<Self> {
        match cursor.peek()? {
            b't' => cursor.literal(b"true").map(|()| true),
            b'f' => cursor.literal(b"false").map(|()| false),
            _ => None,
        }
    }
}

macro_rules! fast_unsigned {
    ($($ty:ty),*) => {$(
        impl FastParse for $ty {
            fn fast_parse(cursor: &mut Cursor<'_>) -> Option<Self> {
                <$ty>::try_from(cursor.unsigned()?).ok()
            }
        }
    )*};
}

fast_unsigned!(u8, u16, u32, u64);

impl FastParse for i64 {
    fn fast_parse(cursor: &mut Cursor<'_>) -> Option<Self> {
        let (negative, magnitude) = cursor.integer()?;
        if !negative {
            return i64::try_from(magnitude).ok();
        }

        0_i64.checked_sub_unsigned(magnitude)
    }
}

impl FastParse for String {
    fn fast_parse(cursor: &mut Cursor<'_>) -> Option<Self> {
        cursor.string().map(Cow::into_owned)
    }
}

impl FastParse for SmallString {
    #[inline]
    fn fast_parse(cursor: &mut Cursor<'_>) -> Option<Self> {
        cursor.skip_whitespace();
        let start = cursor.position + 1;
        let value = cursor.string()?;
        if let Cow::Borrowed(text) = &value
            && text.len() <= INLINE_CAPACITY
            && let Some(window) = cursor.bytes.get(start..start + INLINE_CAPACITY)
            && let Ok(window) = <[u8; INLINE_CAPACITY]>::try_from(window)
        {
            return Some(SmallString::from_window(window, text.len()));
        }

        Some(match value {
            Cow::Borrowed(text) => SmallString::new(text),
            Cow::Owned(text) => SmallString::from(text),
        })
    }
}

impl<M> FastParse for Id<M> {
    #[inline]
    fn fast_parse(cursor: &mut Cursor<'_>) -> Option<Self> {
        if cursor.peek()? != b'"' {
            // Integer ids, as the Id visitor accepts them.
            let (negative, magnitude) = cursor.integer()?;
            let text = if negative {
                0_i64.checked_sub_unsigned(magnitude)?.to_string()
            } else {
                magnitude.to_string()
            };
            return Some(Id::new(text));
        }

        SmallString::fast_parse(cursor).map(Id::from_text)
    }
}

impl FastParse for Timestamp {
    fn fast_parse(cursor: &mut Cursor<'_>) -> Option<Self> {
        if cursor.peek()? == b'"' {
            return SmallString::fast_parse(cursor).map(Timestamp::Text);
        }

        i64::fast_parse(cursor).map(Timestamp::Unix)
    }
}

impl FastParse for RawJson {
    fn fast_parse(cursor: &mut Cursor<'_>) -> Option<Self> {
        RawJson::from_text(cursor.raw_value()?).ok()
    }
}

impl<T: FastParse> FastParse for Option<T> {
    #[inline]
    fn fast_parse(cursor: &mut Cursor<'_>) -> Option<Self> {
        if cursor.peek()? == b'n' {
            return cursor.literal(b"null").map(|()| None);
        }

        T::fast_parse(cursor).map(Some)
    }
}

impl<T: FastParse> FastParse for Vec<T> {
    fn fast_parse(cursor: &mut Cursor<'_>) -> Option<Self> {
        cursor.array(T::fast_parse)
    }
}

impl<T: FastParse> FastParse for Box<T> {
    fn fast_parse(cursor: &mut Cursor<'_>) -> Option<Self> {
        T::fast_parse(cursor).map(Box::new)
    }
}

/// Implements [`FastParse`] for a struct from its field list.
///
/// Field kinds mirror the serde attributes: `required` (no default), `default`
/// (`#[serde(default)]`: missing gives the default, `null` is an error), `option` (`Option<T>`:
/// missing or `null` gives `None`) and `null_default` (missing or `null` gives the default).
/// Duplicate fields are rejected, as serde's derive does.
macro_rules! fast_struct {
    ($ty:ident { $( $field:ident : $kind:ident $($name:literal)|+ ),* $(,)? }) => {
        impl $crate::fast::FastParse for $ty {
            fn fast_parse(cursor: &mut $crate::fast::Cursor<'_>) -> Option<Self> {
                $( let mut $field = None; )*
                cursor.object(|cursor, key| {
                    match key {
                        $( $($name)|+ => {
                            if $field.is_some() {
                                return None;
                            }
                            $field = Some($crate::fast::fast_struct!(@parse $kind, cursor));
                        } )*
                        _ => cursor.skip_value()?,
                    }
                    Some(())
                })?;

                Some($ty {
                    $( $field: $crate::fast::fast_struct!(@finish $kind, $field), )*
                })
            }
        }
    };
    (@parse required, $cursor:ident) => { $crate::fast::FastParse::fast_parse($cursor)? };
    (@parse default, $cursor:ident) => { $crate::fast::FastParse::fast_parse($cursor)? };
    (@parse option, $cursor:ident) => { $crate::fast::FastParse::fast_parse($cursor)? };
    (@parse null_default, $cursor:ident) => {
        Option::unwrap_or_default($crate::fast::FastParse::fast_parse($cursor)?)
    };
    (@finish required, $value:ident) => { $value? };
    (@finish default, $value:ident) => { $value.unwrap_or_default() };
    (@finish option, $value:ident) => { $value.flatten() };
    (@finish null_default, $value:ident) => { $value.unwrap_or_default() };
}

/// A struct the fast parser can fill in place inside its final box, which saves copying a large
/// struct from the stack. The struct's `Default` gives the values of absent fields.
pub(crate) trait FastParseBoxed: Sized {
    fn fast_parse_boxed(cursor: &mut Cursor<'_>) -> Option<Box<Self>>;
}

/// Implements [`FastParseBoxed`] for a struct that implements `Default`; the field list is as
/// for [`fast_struct!`].
macro_rules! fast_struct_boxed {
    ($ty:ident { $( $field:ident : $kind:ident $($name:literal)|+ ),* $(,)? }) => {
        impl $crate::fast::FastParseBoxed for $ty {
            fn fast_parse_boxed(cursor: &mut $crate::fast::Cursor<'_>) -> Option<Box<Self>> {
                let mut value = Box::<$ty>::default();
                // One "seen" flag per field, named after the field.
                $( let mut $field = false; )*
                cursor.object(|cursor, key| {
                    match key {
                        $( $($name)|+ => {
                            if $field {
                                return None;
                            }
                            $field = true;
                            value.$field = $crate::fast::fast_struct!(@parse $kind, cursor);
                        } )*
                        _ => cursor.skip_value()?,
                    }
                    Some(())
                })?;
                $( $crate::fast::fast_struct_boxed!(@check $kind, $field); )*

                Some(value)
            }
        }
    };
    (@check required, $seen:ident) => {
        if !$seen {
            return None;
        }
    };
    (@check $kind:ident, $seen:ident) => {
        let _ = $seen;
    };
}

/// Implements [`FastParse`] by handing the value's text to serde.
macro_rules! fast_via_serde {
    ($($ty:ty),* $(,)?) => {$(
        impl $crate::fast::FastParse for $ty {
            fn fast_parse(cursor: &mut $crate::fast::Cursor<'_>) -> Option<Self> {
                cursor.via_serde()
            }
        }
    )*};
}

pub(crate) use {fast_struct, fast_struct_boxed, fast_via_serde};

#[cfg(test)]
mod tests;
