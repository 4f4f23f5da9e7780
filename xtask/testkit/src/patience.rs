//! A hang turned into a failing check: run the code under test on its own thread and give up
//! waiting after a limit, with a message that says what did not return.
//!
//! Without it, an infinite loop in the learner's code is a TIMEOUT verdict, which proves
//! nothing about which promise was broken; with it, the check fails with its own words. The
//! thread that hangs is left behind: the check's process ends right after the failure.

use std::sync::mpsc;
use std::thread;
use std::time::Duration;

/// Runs `f` on its own thread and returns its result, or panics with "`what` did not return
/// within `limit`: `why`" if it has not returned by then (and with "`what` panicked" if it
/// panicked, after its own message).
pub fn within<T: Send + 'static>(
    limit: Duration,
    what: &str,
    why: &str,
    f: impl FnOnce() -> T + Send + 'static,
) -> T {
    let (done, result) = mpsc::channel();
    thread::spawn(move || {
        let _ = done.send(f());
    });
    match result.recv_timeout(limit) {
        Ok(value) => value,
        Err(mpsc::RecvTimeoutError::Timeout) => {
            panic!("{what} did not return within {limit:?}: {why}")
        }
        Err(mpsc::RecvTimeoutError::Disconnected) => panic!("{what} panicked (see above)"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_result_in_time_is_returned() {
        assert_eq!(within(Duration::from_secs(5), "2 + 2", "", || 2 + 2), 4);
    }

    #[test]
    #[should_panic(expected = "a loop did not return within 50ms: it never ends")]
    fn a_hang_is_a_panic_that_says_what_hung() {
        within(Duration::from_millis(50), "a loop", "it never ends", || {
            loop {
                thread::park();
            }
        })
    }
}
