//! Read ahead: one thread parses the input into batches while the caller
//! works on the batch before. `eval` and `predict` both stream this way, so
//! parsing overlaps scoring and memory stays flat whatever the input's size.

use crate::error::Result;

/// Batches that may wait between reader and consumer: enough to keep the
/// consumer fed, few enough to bound memory.
const QUEUE: usize = 2;

/// Run `produce` on a thread of its own. It hands items to `push`, which
/// returns false once the consumer has stopped (the producer should then
/// return). The items reach `consume` in order, `batch` at a time; it
/// returns `Ok(false)` to stop early.
///
/// When both fail, the producer's error is returned: a bad input is the
/// cause worth reporting. A panic on the producer thread is re-raised here.
pub fn read_ahead<T: Send>(
    batch: usize,
    produce: impl FnOnce(&mut dyn FnMut(T) -> bool) -> Result<()> + Send,
    mut consume: impl FnMut(Vec<T>) -> Result<bool>,
) -> Result<()> {
    let batch = batch.max(1);
    std::thread::scope(|scope| {
        let (tx, rx) = std::sync::mpsc::sync_channel::<Vec<T>>(QUEUE);
        let reader = scope.spawn(move || -> Result<()> {
            let mut pending = Vec::with_capacity(batch);
            let mut open = true;
            let mut push = |item: T| -> bool {
                pending.push(item);
                if pending.len() >= batch {
                    open = open && tx.send(std::mem::replace(&mut pending, Vec::with_capacity(batch))).is_ok();
                }
                open
            };
            produce(&mut push)?;
            if open && !pending.is_empty() {
                let _ = tx.send(pending);
            }
            Ok(())
        });
        let mut consumed = Ok(());
        for items in rx.iter() {
            match consume(items) {
                Ok(true) => {}
                Ok(false) => break,
                Err(e) => {
                    consumed = Err(e);
                    break;
                }
            }
        }
        // Unblocks a reader waiting to send, before waiting for it.
        drop(rx);
        let read = reader.join().unwrap_or_else(|p| std::panic::resume_unwind(p));
        read.and(consumed)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Error;

    #[test]
    fn items_arrive_in_order_in_batches() {
        let mut seen = Vec::new();
        let mut sizes = Vec::new();
        read_ahead(
            4,
            |push| {
                for i in 0..10 {
                    assert!(push(i));
                }
                Ok(())
            },
            |b| {
                sizes.push(b.len());
                seen.extend(b);
                Ok(true)
            },
        )
        .unwrap();
        assert_eq!(seen, (0..10).collect::<Vec<_>>());
        assert_eq!(sizes, [4, 4, 2]);
    }

    #[test]
    fn a_consumer_that_stops_stops_the_producer() {
        let mut produced = 0;
        let r = read_ahead(
            1,
            |push| {
                for i in 0..1_000_000 {
                    produced = i;
                    if !push(i) {
                        return Ok(());
                    }
                }
                Ok(())
            },
            |b| Ok(b[0] < 3),
        );
        assert!(r.is_ok());
        // Stopped after a few batches, not after a million.
        assert!(produced < 10, "{produced}");
    }

    #[test]
    fn the_producers_error_wins_and_the_consumers_is_kept() {
        let r = read_ahead(2, |push| {
            push(1);
            Err(Error::Params("bad input".into()))
        }, |_| Err(Error::Params("bad output".into())));
        assert!(r.unwrap_err().to_string().contains("bad input"));
        let r = read_ahead(2, |push| {
            for i in 0..5 {
                if !push(i) {
                    break;
                }
            }
            Ok(())
        }, |_| Err(Error::Params("bad output".into())));
        assert!(r.unwrap_err().to_string().contains("bad output"));
    }

    #[test]
    #[should_panic(expected = "reader bug")]
    fn a_panic_in_the_producer_reaches_the_caller() {
        let _ = read_ahead(2, |_push: &mut dyn FnMut(u8) -> bool| panic!("reader bug"), |_| Ok(true));
    }
}
