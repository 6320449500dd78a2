#![no_main]
//! Actor finding and pronoun linking on arbitrary sentences: mentions lie
//! inside their sentence, do not overlap, and name existing actors.
use libfuzzer_sys::fuzz_target;
use stance::actors::{auto::AutoFinder, pronouns, ActorFinder};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let sents: Vec<&str> = text.split('\n').collect();
    thread_local!(static F: AutoFinder = AutoFinder::new());
    let mut found = F.with(|f| f.find(&sents));
    pronouns::link(&mut found, &sents);
    for (s, ms) in sents.iter().zip(&found.mentions) {
        let n = s.chars().count();
        for (i, m) in ms.iter().enumerate() {
            assert!(m.span.start < m.span.end && m.span.end <= n);
            assert!(m.actor < found.actors.len());
            if i > 0 {
                assert!(ms[i - 1].span.end <= m.span.start);
            }
        }
    }
});
