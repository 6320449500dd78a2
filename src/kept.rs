//! What the first pass of a `predict` run found in an article (its
//! sentences and actors), packed into bytes for the second pass: finding
//! actors is most of the fast model's time, and the packed form is about a
//! tenth of the structures' size, so a budget of memory holds the findings
//! of hundreds of thousands of articles.
//!
//! The format is private to one run: unsigned LEB128 numbers, spans as
//! deltas, strings length-first.

use crate::actors::{Actor, ActorKind, Found, Mention, MentionKind};
use crate::sentences::Sentence;
use crate::text::Span;

/// One article's findings, packed.
pub struct Kept {
    bytes: Box<[u8]>,
}

const KINDS: [ActorKind; 7] = ActorKind::ALL;
const MENTION_KINDS: [MentionKind; 3] = [MentionKind::Name, MentionKind::Pronoun, MentionKind::Title];

impl Kept {
    /// Pack the findings of the article `doc` of `text_len` bytes.
    pub fn pack(doc: &str, text_len: usize, split: &[Sentence], found: &Found) -> Kept {
        let mut b = Vec::with_capacity(16 + doc.len() + split.len() * 6);
        put_str(&mut b, doc);
        put(&mut b, text_len);
        put(&mut b, split.len());
        let mut at = 0;
        for s in split {
            // Sentences are in order and do not overlap.
            put(&mut b, s.byte_start - at);
            put(&mut b, s.byte_end - s.byte_start);
            put(&mut b, s.char_start);
            at = s.byte_end;
        }
        put(&mut b, found.actors.len());
        for a in &found.actors {
            put_str(&mut b, &a.name);
            b.push(KINDS.iter().position(|k| *k == a.kind).unwrap_or(0) as u8 * 2 + a.fixed as u8);
        }
        put(&mut b, found.mentions.len());
        for ms in &found.mentions {
            put(&mut b, ms.len());
            for m in ms {
                put(&mut b, m.actor);
                put(&mut b, m.span.start);
                put(&mut b, m.span.end - m.span.start);
                b.push(MENTION_KINDS.iter().position(|k| *k == m.kind).unwrap_or(0) as u8);
            }
        }
        Kept { bytes: b.into_boxed_slice() }
    }

    /// Heap bytes held.
    pub fn size(&self) -> usize {
        self.bytes.len() + std::mem::size_of::<Self>()
    }

    /// Whether these are the findings of the article `doc` of `text_len`
    /// bytes (the second pass checks before using them).
    pub fn is_for(&self, doc: &str, text_len: usize) -> bool {
        let mut r = Reader { b: &self.bytes, at: 0 };
        r.str() == doc && r.num() == text_len
    }

    /// The sentences and actors, as packed.
    pub fn unpack(&self) -> (Vec<Sentence>, Found) {
        let mut r = Reader { b: &self.bytes, at: 0 };
        r.str();
        r.num();
        let mut at = 0;
        let split = (0..r.num())
            .map(|_| {
                let byte_start = at + r.num();
                let byte_end = byte_start + r.num();
                at = byte_end;
                Sentence { byte_start, byte_end, char_start: r.num() }
            })
            .collect();
        let actors = (0..r.num())
            .map(|_| {
                let name = r.str().to_string();
                let k = r.byte();
                Actor { name, kind: KINDS[(k / 2) as usize], fixed: k % 2 == 1 }
            })
            .collect();
        let mentions = (0..r.num())
            .map(|_| {
                (0..r.num())
                    .map(|_| {
                        let actor = r.num();
                        let start = r.num();
                        let span = Span::new(start, start + r.num());
                        Mention { actor, span, kind: MENTION_KINDS[r.byte() as usize] }
                    })
                    .collect()
            })
            .collect();
        (split, Found { actors, mentions })
    }
}

fn put(b: &mut Vec<u8>, mut n: usize) {
    while n >= 0x80 {
        b.push((n as u8 & 0x7f) | 0x80);
        n >>= 7;
    }
    b.push(n as u8);
}

fn put_str(b: &mut Vec<u8>, s: &str) {
    put(b, s.len());
    b.extend_from_slice(s.as_bytes());
}

/// Reads what [`Kept::pack`] wrote (and only that: the bytes never leave
/// the process, so they are trusted).
struct Reader<'a> {
    b: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn byte(&mut self) -> u8 {
        self.at += 1;
        self.b[self.at - 1]
    }

    fn num(&mut self) -> usize {
        let (mut n, mut shift) = (0usize, 0);
        loop {
            let c = self.byte();
            n |= ((c & 0x7f) as usize) << shift;
            if c < 0x80 {
                return n;
            }
            shift += 7;
        }
    }

    fn str(&mut self) -> &'a str {
        let len = self.num();
        self.at += len;
        // Written from a &str by `put_str`.
        std::str::from_utf8(&self.b[self.at - len..self.at]).unwrap_or("")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unpacks_what_it_packed() {
        let split = vec![Sentence { byte_start: 0, byte_end: 40, char_start: 0 }, Sentence { byte_start: 41, byte_end: 300, char_start: 39 }];
        let found = Found {
            actors: vec![
                Actor { name: "Juan Guaidó".into(), kind: ActorKind::Person, fixed: false },
                Actor { name: "Trump administration".into(), kind: ActorKind::Organization, fixed: true },
                Actor { name: "X".repeat(200), kind: ActorKind::Unknown, fixed: false },
            ],
            mentions: vec![
                vec![Mention { actor: 0, span: Span::new(0, 11), kind: MentionKind::Name }],
                vec![
                    Mention { actor: 1, span: Span::new(4, 24), kind: MentionKind::Name },
                    Mention { actor: 0, span: Span::new(150, 152), kind: MentionKind::Pronoun },
                    Mention { actor: 2, span: Span::new(160, 170), kind: MentionKind::Title },
                ],
            ],
        };
        let k = Kept::pack("doc-7", 300, &split, &found);
        assert!(k.is_for("doc-7", 300));
        assert!(!k.is_for("doc-7", 301) && !k.is_for("doc-8", 300));
        let (s2, f2) = k.unpack();
        assert_eq!(f2, found);
        assert_eq!(s2.len(), 2);
        for (a, b) in s2.iter().zip(&split) {
            assert_eq!((a.byte_start, a.byte_end, a.char_start), (b.byte_start, b.byte_end, b.char_start));
        }
    }
}
