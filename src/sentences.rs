//! Sentence splitting for news text: abbreviations (U.S., Mr., Gov., Jan.),
//! initials (George W. Bush), quotes that close after the full stop,
//! headlines and one-line items ("READ MORE: ...") on lines of their own.

/// A sentence: its byte range in the article and its code-point offset.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sentence {
    pub byte_start: usize,
    pub byte_end: usize,
    pub char_start: usize,
}

/// The sentence-splitting stage.
pub trait SentenceSplitter {
    fn split(&self, text: &str) -> Vec<Sentence>;
}

/// Rule-based splitter for English news.
#[derive(Debug, Default, Clone, Copy)]
pub struct NewsSplitter;

/// Words that take a full stop and rarely end a sentence.
const ABBREVIATIONS: &[&str] = &[
    "mr", "mrs", "ms", "dr", "prof", "gov", "sen", "rep", "gen", "col", "lt", "sgt", "capt", "cmdr", "adm", "maj",
    "pres", "supt", "det", "insp", "rev", "fr", "st", "jr", "sr", "hon", "amb", "atty", "jan", "feb", "mar", "apr",
    "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "mon", "tue", "tues", "wed", "thu", "thur", "thurs",
    "fri", "sat", "sun", "no", "nos", "vs", "v", "etc", "inc", "corp", "co", "ltd", "llc", "dept", "univ", "assn",
    "bros", "ave", "blvd", "rd", "mt", "ft", "approx", "est", "fig", "al", "e.g", "i.e", "cf", "gov't", "govt",
];

/// Capitalised words that usually open a sentence: after an acronym such as
/// "U.S." they tell "in the U.S. The next day" from "U.S. President".
const STARTERS: &[&str] = &[
    "The", "A", "An", "He", "She", "It", "They", "We", "I", "You", "This", "That", "These", "Those", "But", "And",
    "In", "On", "At", "His", "Her", "Their", "Its", "Our", "There", "Meanwhile", "However", "After", "Before", "When",
    "While", "As", "If", "Some", "Many", "Most", "Now", "Then", "Still", "Yet", "So", "Earlier", "Later", "Last",
    "According", "READ",
];

fn is_closing(c: char) -> bool {
    matches!(c, '"' | '\'' | '”' | '’' | ')' | ']' | '»')
}

fn is_opening(c: char) -> bool {
    matches!(c, '"' | '\'' | '“' | '‘' | '(' | '[' | '«')
}

impl NewsSplitter {
    /// Whether a full stop at byte `dot` (in `line`) ends a sentence whose
    /// next word starts at byte `next`.
    fn period_ends(&self, line: &str, dot: usize, next: usize) -> bool {
        let before = &line[..dot];
        let word_start = before
            .char_indices()
            .rev()
            .find(|(_, c)| c.is_whitespace() || is_opening(*c))
            .map(|(i, c)| i + c.len_utf8())
            .unwrap_or(0);
        let word = &before[word_start..];
        if word.is_empty() {
            return true;
        }
        let lower = word.to_lowercase();
        let next_word: String = line[next..].chars().take_while(|c| c.is_alphanumeric()).collect();
        let starter = STARTERS.contains(&next_word.as_str());
        // Single initials ("George W. Bush") and acronyms ("U.S.", "D.C.").
        let letters: Vec<char> = word.chars().filter(|c| *c != '.').collect();
        let is_initial = letters.len() == 1 && letters[0].is_uppercase();
        let is_acronym = word.contains('.') && letters.iter().all(|c| c.is_alphabetic()) && letters.len() <= 4;
        if is_initial || is_acronym {
            return starter;
        }
        if ABBREVIATIONS.contains(&lower.as_str()) {
            return false;
        }
        // A number like "No. 5" or a decimal never reaches here (no space);
        // a lower-case next word usually means no break ("approx. five").
        !line[next..].chars().next().is_some_and(|c| c.is_lowercase())
    }

    fn split_line(&self, line: &str, base: usize, out: &mut Vec<(usize, usize)>) {
        let chars: Vec<(usize, char)> = line.char_indices().collect();
        let mut start = 0;
        let mut i = 0;
        while i < chars.len() {
            let (b, c) = chars[i];
            if matches!(c, '.' | '!' | '?' | '…') {
                // Take the whole run of terminators and closing quotes.
                let mut j = i + 1;
                while j < chars.len() && (matches!(chars[j].1, '.' | '!' | '?' | '…') || is_closing(chars[j].1)) {
                    j += 1;
                }
                let end = if j < chars.len() { chars[j].0 } else { line.len() };
                let mut k = j;
                while k < chars.len() && chars[k].1.is_whitespace() {
                    k += 1;
                }
                if k == j || k == chars.len() {
                    i = j;
                    continue; // no space after ("3.5", "U.S.-led") or end of line
                }
                let next = chars[k].0;
                let nc = chars[k].1;
                let next_ok = nc.is_uppercase() || nc.is_numeric() || is_opening(nc);
                let ends = next_ok && (c != '.' || j > i + 1 && chars[i + 1].1 != '.' || self.period_ends(line, b, next));
                if ends {
                    out.push((base + start, base + end));
                    start = next;
                }
                i = k;
                continue;
            }
            i += 1;
        }
        if line[start..].trim().is_empty() {
            return;
        }
        out.push((base + start, base + line.len()));
    }
}

impl SentenceSplitter for NewsSplitter {
    fn split(&self, text: &str) -> Vec<Sentence> {
        let mut ranges = Vec::new();
        // Lines are paragraphs (or headlines); a line that starts in lower
        // case continues a hard-wrapped sentence.
        let mut para_start: Option<usize> = None;
        let mut pos = 0;
        let mut lines = text.split_inclusive('\n').peekable();
        while let Some(raw) = lines.next() {
            let line = raw.trim_end_matches(['\n', '\r']);
            let this = pos;
            pos += raw.len();
            if line.trim().is_empty() {
                if let Some(s) = para_start.take() {
                    self.split_line(text[s..this].trim_end(), s, &mut ranges);
                }
                continue;
            }
            if para_start.is_none() {
                para_start = Some(this);
            }
            let continues = lines.peek().is_some_and(|n| {
                let t = n.trim_start();
                t.chars().next().is_some_and(|c| c.is_lowercase())
            });
            if !continues {
                let s = para_start.take().unwrap();
                self.split_line(&text[s..this + line.len()], s, &mut ranges);
            }
        }
        if let Some(s) = para_start {
            self.split_line(text[s..].trim_end(), s, &mut ranges);
        }
        // Cut run-on "sentences" (a scraper's page without stops) into
        // pieces of at most MAX_SENTENCE_BYTES at whitespace, so that later
        // stages, linear per sentence and mention, stay linear overall.
        let ranges: Vec<(usize, usize)> = ranges.into_iter().flat_map(|r| cut_long(text, r)).collect();
        // Trim each sentence and compute code-point offsets in one pass.
        let mut out = Vec::with_capacity(ranges.len());
        let mut chars_before = 0;
        let mut last_byte = 0;
        for (s, e) in ranges {
            let seg = &text[s..e];
            let lead = seg.len() - seg.trim_start().len();
            let (s, e) = (s + lead, s + seg.trim_end().len());
            if s >= e {
                continue;
            }
            chars_before += text[last_byte..s].chars().count();
            last_byte = s;
            out.push(Sentence { byte_start: s, byte_end: e, char_start: chars_before });
        }
        out
    }
}

/// Longest sentence kept whole; real news sentences are far shorter.
pub const MAX_SENTENCE_BYTES: usize = 2000;

fn cut_long(text: &str, (s, e): (usize, usize)) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = s;
    while e - start > MAX_SENTENCE_BYTES {
        let mut limit = start + MAX_SENTENCE_BYTES;
        while !text.is_char_boundary(limit) {
            limit -= 1;
        }
        let cut = text[start..limit].rfind(char::is_whitespace).map(|i| start + i).filter(|&c| c > start).unwrap_or(limit);
        out.push((start, cut));
        start = cut;
        while start < e && text[start..].starts_with(char::is_whitespace) {
            start += text[start..].chars().next().unwrap().len_utf8();
        }
    }
    if start < e {
        out.push((start, e));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(t: &str) -> Vec<&str> {
        NewsSplitter.split(t).into_iter().map(|s| &t[s.byte_start..s.byte_end]).collect()
    }

    #[test]
    fn abbreviations_and_initials_do_not_split() {
        assert_eq!(
            split("Mr. Bolton met Gov. Smith on Jan. 5 in the U.S. capital. George W. Bush was not there."),
            vec!["Mr. Bolton met Gov. Smith on Jan. 5 in the U.S. capital.", "George W. Bush was not there."]
        );
        assert_eq!(split("Sanctions hit the U.S. The next day, talks began."), vec!["Sanctions hit the U.S.", "The next day, talks began."]);
        assert_eq!(split("U.S. President Trump spoke. It was 3.5 p.m."), vec!["U.S. President Trump spoke.", "It was 3.5 p.m."]);
    }

    #[test]
    fn quotes_closing_after_the_stop_stay_with_their_sentence() {
        assert_eq!(
            split("“We will win.” Maduro said so. He added: \"Never!\" Then he left."),
            vec!["“We will win.”", "Maduro said so.", "He added: \"Never!\"", "Then he left."]
        );
    }

    #[test]
    fn headlines_and_read_more_lines_are_their_own_sentences() {
        let t = "Guaido Calls For Rally\nREAD MORE: Maduro's Gov't Responds\n\nThe rally was large. Police\nwatched it.\n";
        assert_eq!(split(t), vec!["Guaido Calls For Rally", "READ MORE: Maduro's Gov't Responds", "The rally was large.", "Police\nwatched it."]);
    }

    #[test]
    fn run_on_text_is_cut_at_whitespace() {
        let t = "word ".repeat(1000) + "é".repeat(3000).as_str();
        let s = NewsSplitter.split(&t);
        assert!(s.len() >= 3);
        for x in &s {
            assert!(x.byte_end - x.byte_start <= MAX_SENTENCE_BYTES);
            assert_eq!(x.char_start, t[..x.byte_start].chars().count());
        }
    }

    #[test]
    fn char_offsets_count_code_points() {
        let t = "Señor Guaidó spoke. Maduro left.";
        let s = NewsSplitter.split(t);
        assert_eq!(s[1].char_start, 20);
        assert_eq!(t.chars().skip(20).take(6).collect::<String>(), "Maduro");
        assert!(NewsSplitter.split("").is_empty());
        assert!(NewsSplitter.split(" \n\n ").is_empty());
    }
}
