//! Progress bars for `train`, `eval` and `predict`: a percentage and an
//! estimate of the time left where the total is known, a count where it is
//! not. Drawn only when standard error is a terminal and `--quiet` is not
//! given, so logs and pipes never fill with bar frames.

use std::io::IsTerminal;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressStyle};

/// A bar of `total` steps (`None`: a spinner with a count), or a hidden one.
pub fn bar(quiet: bool, total: Option<u64>, unit: &str) -> ProgressBar {
    if quiet || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = match total {
        Some(n) => {
            let bar = ProgressBar::new(n);
            let template = format!("{{spinner}} {{msg}} [{{bar:30}}] {{percent:>3}}% of {{human_len}} {unit}, {{eta}} left");
            bar.set_style(ProgressStyle::with_template(&template).expect("valid template").progress_chars("=> "));
            bar
        }
        None => {
            let bar = ProgressBar::new_spinner();
            let template = format!("{{spinner}} {{msg}} {{human_pos}} {unit}, {{elapsed}}");
            bar.set_style(ProgressStyle::with_template(&template).expect("valid template"));
            bar
        }
    };
    bar.enable_steady_tick(Duration::from_millis(120));
    bar
}

/// A bar over bytes, shown as sizes.
pub fn bytes_bar(quiet: bool, total: u64) -> ProgressBar {
    let bar = self::bar(quiet, Some(total), "");
    if !bar.is_hidden() {
        bar.set_style(
            ProgressStyle::with_template("{spinner} {msg} [{bar:30}] {percent:>3}% of {total_bytes}, {eta} left").expect("valid template").progress_chars("=> "),
        );
    }
    bar
}

/// Print a warning on standard error without tearing the bar.
pub fn warn(bar: &ProgressBar, what: &str) {
    bar.suspend(|| crate::stdio::eprint_line(&format!("stance: warning: {what}")));
}
