//! The report's charts as SVG, written by hand: three chart kinds of a few
//! rectangles, lines and labels each do not need a plotting library's
//! build time and dependencies, and plain SVG text is easy to test (one
//! `class="bar"` rectangle per actor shown).

use std::fmt::Write;

use super::aggregate::ActorStats;

/// A mark the command leaves in every SVG it writes, so a later run knows
/// which files it may replace.
pub const MARK: &str = "<!-- written by stance report -->";

const WIDTH: f64 = 820.0;
const NAMES: f64 = 200.0;
const AXIS_LEFT: f64 = 210.0;
const AXIS_WIDTH: f64 = 360.0;
const SHARES_LEFT: f64 = 600.0;
const SHARES_WIDTH: f64 = 150.0;
const ROW: f64 = 26.0;
const TOP: f64 = 52.0;

/// Text safe inside SVG or HTML.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// A label's colour: red for negative, grey for neutral, blue for
/// positive (distinguishable with the common colour-vision deficiencies).
pub fn label_colour(label: &str, i: usize) -> &'static str {
    match label {
        "negative" | "against" => "#b2182b",
        "neutral" | "none" => "#bdbdbd",
        "positive" | "favor" => "#2166ac",
        _ => ["#7b3294", "#e08214", "#1b7837", "#8c510a"][i % 4],
    }
}

/// A series' colour in line charts.
fn series_colour(i: usize) -> &'static str {
    ["#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e", "#e6ab02", "#a6761d", "#666666"][i % 8]
}

/// x of a score in -1..1.
fn x_of(score: f64) -> f64 {
    AXIS_LEFT + (score.clamp(-1.0, 1.0) + 1.0) / 2.0 * AXIS_WIDTH
}

fn open(height: f64, title: &str) -> String {
    let mut s = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{WIDTH}\" height=\"{height}\" viewBox=\"0 0 {WIDTH} {height}\" font-family=\"sans-serif\" font-size=\"12\" role=\"img\">{MARK}<title>{t}</title><rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/><text x=\"10\" y=\"20\" font-size=\"15\" font-weight=\"bold\">{t}</text>",
        t = escape(title)
    );
    s.push('\n');
    s
}

/// Grid lines and labels of the score axis from `y0` to `y1`.
fn score_axis(s: &mut String, y0: f64, y1: f64) {
    for v in [-1.0, -0.5, 0.0, 0.5, 1.0] {
        let x = x_of(v);
        let (stroke, w) = if v == 0.0 { ("#333333", 1.2) } else { ("#dddddd", 1.0) };
        let _ = writeln!(s, "<line x1=\"{x:.1}\" y1=\"{y0:.1}\" x2=\"{x:.1}\" y2=\"{y1:.1}\" stroke=\"{stroke}\" stroke-width=\"{w}\"/>");
        let _ = writeln!(s, "<text x=\"{x:.1}\" y=\"{:.1}\" text-anchor=\"middle\" fill=\"#555555\">{v:+.1}</text>", y0 - 6.0);
    }
}

/// Actors as rows: a bar from 0 to the mean score with its 95% interval,
/// and beside it the shares of each label and the number of mentions.
pub fn diverging_bars(title: &str, stats: &[ActorStats], labels: &[String]) -> String {
    let height = TOP + ROW * stats.len() as f64 + 56.0;
    let mut s = open(height, title);
    let _ = writeln!(
        s,
        "<text x=\"{:.1}\" y=\"38\" text-anchor=\"middle\" fill=\"#555555\">mean score (negative … positive), 95% interval</text><text x=\"{SHARES_LEFT}\" y=\"38\" fill=\"#555555\">labels; mentions</text>",
        x_of(0.0)
    );
    score_axis(&mut s, TOP, TOP + ROW * stats.len() as f64);
    for (i, a) in stats.iter().enumerate() {
        let y = TOP + ROW * i as f64;
        let mid = y + ROW / 2.0;
        let (x0, x1) = (x_of(0.0), x_of(a.mean));
        let colour = if a.mean < 0.0 { label_colour("negative", 0) } else { label_colour("positive", 0) };
        let _ = writeln!(
            s,
            "<text x=\"{NAMES}\" y=\"{:.1}\" text-anchor=\"end\">{}</text>",
            mid + 4.0,
            escape(&a.actor)
        );
        let _ = writeln!(
            s,
            "<rect class=\"bar\" x=\"{:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{:.1}\" fill=\"{colour}\" fill-opacity=\"0.85\"><title>{}: mean {:+.2} (95% {:+.2} to {:+.2}), {} mentions in {} articles</title></rect>",
            x0.min(x1),
            y + 6.0,
            (x1 - x0).abs().max(0.5),
            ROW - 12.0,
            escape(&a.actor),
            a.mean,
            a.low,
            a.high,
            a.mentions,
            a.articles
        );
        let (l, h) = (x_of(a.low), x_of(a.high));
        let _ = writeln!(
            s,
            "<path class=\"ci\" d=\"M{l:.1},{mid:.1}H{h:.1}M{l:.1},{:.1}V{:.1}M{h:.1},{:.1}V{:.1}\" stroke=\"#222222\" stroke-width=\"1.3\" fill=\"none\"/>",
            mid - 5.0,
            mid + 5.0,
            mid - 5.0,
            mid + 5.0
        );
        let mut x = SHARES_LEFT;
        for (j, (label, share)) in labels.iter().zip(&a.shares).enumerate() {
            let w = share * SHARES_WIDTH;
            if w > 0.0 {
                let _ = writeln!(
                    s,
                    "<rect class=\"share\" x=\"{x:.1}\" y=\"{:.1}\" width=\"{w:.1}\" height=\"{:.1}\" fill=\"{}\"><title>{}: {:.0}%</title></rect>",
                    y + 6.0,
                    ROW - 12.0,
                    label_colour(label, j),
                    escape(label),
                    share * 100.0
                );
            }
            x += w;
        }
        let _ = writeln!(s, "<text x=\"{:.1}\" y=\"{:.1}\" fill=\"#333333\">{}</text>", SHARES_LEFT + SHARES_WIDTH + 8.0, mid + 4.0, a.mentions);
    }
    legend(&mut s, labels.iter().enumerate().map(|(j, l)| (l.as_str(), label_colour(l, j))), TOP + ROW * stats.len() as f64 + 30.0);
    s.push_str("</svg>\n");
    s
}

fn legend<'a>(s: &mut String, items: impl Iterator<Item = (&'a str, &'a str)>, y: f64) {
    let mut x = 10.0;
    for (name, colour) in items {
        let _ = writeln!(s, "<rect x=\"{x:.1}\" y=\"{:.1}\" width=\"12\" height=\"12\" fill=\"{colour}\"/><text x=\"{:.1}\" y=\"{y:.1}\">{}</text>", y - 10.0, x + 16.0, escape(name));
        x += 24.0 + 7.0 * name.chars().count() as f64;
    }
}

/// One actor's mean score per period, or nothing where it has no mention.
pub struct Series {
    pub actor: String,
    /// `(mean, low, high)` per period.
    pub points: Vec<Option<(f64, f64, f64)>>,
}

/// Consecutive periods with a value: `(period, (mean, low, high))`.
type Run = Vec<(usize, (f64, f64, f64))>;

/// A line per actor of its mean score per period, with its 95% interval
/// as a band.
pub fn over_time(title: &str, periods: &[String], series: &[Series]) -> String {
    let (left, right, top, plot_h) = (60.0, WIDTH - 190.0, 50.0, 280.0);
    let height = top + plot_h + 80.0;
    let mut s = open(height, title);
    let y_of = |v: f64| top + (1.0 - v.clamp(-1.0, 1.0)) / 2.0 * plot_h;
    let x_of_p = |i: usize| if periods.len() <= 1 { (left + right) / 2.0 } else { left + (right - left) * i as f64 / (periods.len() - 1) as f64 };
    for v in [-1.0, -0.5, 0.0, 0.5, 1.0] {
        let y = y_of(v);
        let stroke = if v == 0.0 { "#333333" } else { "#dddddd" };
        let _ = writeln!(s, "<line x1=\"{left}\" y1=\"{y:.1}\" x2=\"{right}\" y2=\"{y:.1}\" stroke=\"{stroke}\"/><text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\" fill=\"#555555\">{v:+.1}</text>", left - 6.0, y + 4.0);
    }
    // At most about 12 period labels, evenly spaced.
    let every = periods.len().div_ceil(12).max(1);
    for (i, p) in periods.iter().enumerate().filter(|(i, _)| i % every == 0) {
        let _ = writeln!(
            s,
            "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\" fill=\"#555555\" transform=\"rotate(-30 {:.1} {:.1})\">{}</text>",
            x_of_p(i),
            top + plot_h + 16.0,
            x_of_p(i),
            top + plot_h + 16.0,
            escape(p)
        );
    }
    for (k, ser) in series.iter().enumerate() {
        let colour = series_colour(k);
        // Runs of consecutive periods with a value: one band and line each.
        let mut runs: Vec<Run> = vec![];
        for (i, p) in ser.points.iter().enumerate() {
            match p {
                Some(v) if runs.last().is_some_and(|r| r.last().is_some_and(|(j, _)| *j + 1 == i)) => runs.last_mut().unwrap().push((i, *v)),
                Some(v) => runs.push(vec![(i, *v)]),
                None => {}
            }
        }
        for run in &runs {
            let upper: Vec<String> = run.iter().map(|(i, v)| format!("{:.1},{:.1}", x_of_p(*i), y_of(v.2))).collect();
            let lower: Vec<String> = run.iter().rev().map(|(i, v)| format!("{:.1},{:.1}", x_of_p(*i), y_of(v.1))).collect();
            let _ = writeln!(s, "<polygon class=\"band\" points=\"{} {}\" fill=\"{colour}\" fill-opacity=\"0.15\" stroke=\"none\"/>", upper.join(" "), lower.join(" "));
            let line: Vec<String> = run.iter().map(|(i, v)| format!("{:.1},{:.1}", x_of_p(*i), y_of(v.0))).collect();
            let _ = writeln!(s, "<polyline class=\"line\" points=\"{}\" fill=\"none\" stroke=\"{colour}\" stroke-width=\"2\"/>", line.join(" "));
            for (i, v) in run {
                let _ = writeln!(
                    s,
                    "<circle cx=\"{:.1}\" cy=\"{:.1}\" r=\"3\" fill=\"{colour}\"><title>{}, {}: {:+.2} (95% {:+.2} to {:+.2})</title></circle>",
                    x_of_p(*i),
                    y_of(v.0),
                    escape(&ser.actor),
                    escape(&periods[*i]),
                    v.0,
                    v.1,
                    v.2
                );
            }
        }
        let ly = top + 14.0 + 20.0 * k as f64;
        let _ = writeln!(s, "<rect x=\"{:.1}\" y=\"{:.1}\" width=\"14\" height=\"4\" fill=\"{colour}\"/><text x=\"{:.1}\" y=\"{:.1}\">{}</text>", right + 14.0, ly - 6.0, right + 34.0, ly, escape(&ser.actor));
    }
    s.push_str("</svg>\n");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stat(name: &str, mean: f64) -> ActorStats {
        ActorStats { actor: name.into(), mentions: 3, articles: 2, mean, low: mean - 0.2, high: mean + 0.1, shares: vec![0.5, 0.25, 0.25] }
    }

    #[test]
    fn one_bar_per_actor_left_of_zero_when_negative() {
        let labels = ["negative".to_string(), "neutral".into(), "positive".into()];
        let svg = diverging_bars("t", &[stat("A <b>", -0.5), stat("B", 0.4)], &labels);
        assert_eq!(svg.matches("class=\"bar\"").count(), 2);
        assert_eq!(svg.matches("class=\"ci\"").count(), 2);
        assert!(svg.contains("A &lt;b&gt;") && !svg.contains("<b>"));
        // A's bar ends at zero (x = 390) and starts at -0.5 (x = 300).
        assert!(svg.contains("class=\"bar\" x=\"300.0\"") && svg.contains("width=\"90.0\""), "{svg}");
    }

    #[test]
    fn lines_break_where_a_period_has_no_mentions() {
        let periods: Vec<String> = ["2024-01", "2024-02", "2024-03"].iter().map(|s| s.to_string()).collect();
        let s = Series { actor: "A".into(), points: vec![Some((0.1, 0.0, 0.2)), None, Some((0.3, 0.2, 0.4))] };
        let svg = over_time("t", &periods, &[s]);
        assert_eq!(svg.matches("class=\"line\"").count(), 2);
        assert_eq!(svg.matches("<circle").count(), 2);
    }
}
