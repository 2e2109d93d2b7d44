// SPDX-License-Identifier: MPL-2.0
//! A small strict JSON reader for RawState that keeps numbers as their literal text.
//!
//! NOTE(protocol): state JSON may hold numbers beyond f64 precision, and serde_json (without
//! its `arbitrary_precision` feature) would round them through f64. Here every number token is
//! checked against the JSON grammar and kept as text for `Number::parse`; string tokens are
//! delimited here and unescaped by serde_json. Nesting depth is bounded.

use super::{AttributePath, DecodeError, DecodeErrorKind};

/// Deepest nesting of arrays and objects accepted.
const MAX_DEPTH: usize = 256;

/// A parsed JSON document whose numbers are still literal text.
#[derive(Debug)]
pub(super) enum Json {
    Null,
    Bool(bool),
    Number(String),
    String(String),
    Array(Vec<Json>),
    Object(Vec<(String, Json)>),
}

/// Parses a whole JSON document (nothing but whitespace may follow it).
pub(super) fn parse(bytes: &[u8]) -> Result<Json, DecodeError> {
    let text =
        std::str::from_utf8(bytes).map_err(|e| malformed(format!("JSON is not UTF-8: {e}")))?;
    let mut p = Parser { s: text, pos: 0 };
    let json = p.value(0)?;
    p.skip_ws();
    if p.pos != text.len() {
        return Err(p.error("trailing characters after the value"));
    }
    Ok(json)
}

fn malformed(msg: String) -> DecodeError {
    DecodeError::new(AttributePath::root(), DecodeErrorKind::Malformed(msg))
}

struct Parser<'a> {
    s: &'a str,
    pos: usize,
}

impl Parser<'_> {
    fn error(&self, what: &str) -> DecodeError {
        malformed(format!("invalid JSON at byte {}: {what}", self.pos))
    }

    fn peek(&self) -> Option<u8> {
        self.s.as_bytes().get(self.pos).copied()
    }

    fn skip_ws(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.pos += 1;
        }
    }

    fn expect(&mut self, c: u8) -> Result<(), DecodeError> {
        self.skip_ws();
        if self.peek() != Some(c) {
            return Err(self.error(&format!("expected {:?}", c as char)));
        }
        self.pos += 1;
        Ok(())
    }

    fn value(&mut self, depth: usize) -> Result<Json, DecodeError> {
        if depth > MAX_DEPTH {
            return Err(self.error(&format!("nested deeper than {MAX_DEPTH} levels")));
        }
        self.skip_ws();
        match self.peek() {
            Some(b'{') => {
                self.pos += 1;
                let mut pairs = Vec::new();
                if !self.close(b'}') {
                    loop {
                        self.skip_ws();
                        if self.peek() != Some(b'"') {
                            return Err(self.error("expected an object key"));
                        }
                        let key = self.string()?;
                        self.expect(b':')?;
                        pairs.push((key, self.value(depth + 1)?));
                        if !self.separator(b'}')? {
                            break;
                        }
                    }
                }
                Ok(Json::Object(pairs))
            }
            Some(b'[') => {
                self.pos += 1;
                let mut items = Vec::new();
                if !self.close(b']') {
                    loop {
                        items.push(self.value(depth + 1)?);
                        if !self.separator(b']')? {
                            break;
                        }
                    }
                }
                Ok(Json::Array(items))
            }
            Some(b'"') => self.string().map(Json::String),
            Some(b'-' | b'0'..=b'9') => self.number().map(Json::Number),
            _ => self.literal(),
        }
    }

    /// Consumes `c` (after whitespace) if it is next.
    fn close(&mut self, c: u8) -> bool {
        self.skip_ws();
        let found = self.peek() == Some(c);
        if found {
            self.pos += 1;
        }
        found
    }

    /// After an element: `true` on a comma (more follow), `false` on the closing `end`.
    fn separator(&mut self, end: u8) -> Result<bool, DecodeError> {
        self.skip_ws();
        match self.peek() {
            Some(b',') => {
                self.pos += 1;
                Ok(true)
            }
            Some(c) if c == end => {
                self.pos += 1;
                Ok(false)
            }
            _ => Err(self.error(&format!("expected ',' or {:?}", end as char))),
        }
    }

    fn literal(&mut self) -> Result<Json, DecodeError> {
        for (word, json) in [
            ("true", Json::Bool(true)),
            ("false", Json::Bool(false)),
            ("null", Json::Null),
        ] {
            if self.s.as_bytes()[self.pos..].starts_with(word.as_bytes()) {
                self.pos += word.len();
                return Ok(json);
            }
        }
        Err(self.error("expected a value"))
    }

    /// A string token; its extent is found here, its escapes decoded by serde_json.
    fn string(&mut self) -> Result<String, DecodeError> {
        let start = self.pos;
        self.pos += 1;
        loop {
            match self.peek() {
                Some(b'"') => break,
                Some(b'\\') => self.pos += 2,
                Some(c) if c >= 0x20 => self.pos += 1,
                _ => return Err(self.error("unterminated string or control character in it")),
            }
        }
        self.pos += 1;
        let token = self
            .s
            .get(start..self.pos)
            .ok_or_else(|| self.error("bad string"))?;
        serde_json::from_str(token).map_err(|e| self.error(&e.to_string()))
    }

    /// A number token, checked against the JSON grammar and kept as text.
    fn number(&mut self) -> Result<String, DecodeError> {
        let start = self.pos;
        let digits = |p: &mut Self| {
            let from = p.pos;
            while p.peek().is_some_and(|c| c.is_ascii_digit()) {
                p.pos += 1;
            }
            p.pos > from
        };
        if self.peek() == Some(b'-') {
            self.pos += 1;
        }
        if self.peek() == Some(b'0') {
            self.pos += 1;
        } else if !digits(self) {
            return Err(self.error("expected digits"));
        }
        if self.peek() == Some(b'.') {
            self.pos += 1;
            if !digits(self) {
                return Err(self.error("expected digits after '.'"));
            }
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.pos += 1;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.pos += 1;
            }
            if !digits(self) {
                return Err(self.error("expected exponent digits"));
            }
        }
        Ok(self.s[start..self.pos].to_string())
    }
}

#[cfg(test)]
mod tests;
