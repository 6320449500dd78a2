//! `--by-date FIELD --period day|week|month`: a row's date, read from the
//! start of its field (`2024-03-05`, `2024-03-05T10:00:00Z`), as the
//! period it falls in. Periods sort as text.

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Period {
    /// One point per calendar day.
    Day,
    /// One point per week, named by its Monday.
    Week,
    /// One point per calendar month.
    Month,
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's
/// `days_from_civil`).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * (m + if m > 2 { -3 } else { 9 }) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146097 + doe - 719468
}

/// The date of day `z` since 1970-01-01 (`civil_from_days`).
fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719468;
    let era = z.div_euclid(146097);
    let doe = z - era * 146097;
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

/// `YYYY-MM-DD` at the start of `s`, checked.
fn parse_date(s: &str) -> Option<(i64, i64, i64)> {
    let b = s.as_bytes();
    if b.len() < 10 || b[4] != b'-' || b[7] != b'-' || b.get(10).is_some_and(|c| c.is_ascii_digit()) {
        return None;
    }
    let num = |r: std::ops::Range<usize>| s.get(r)?.parse::<i64>().ok();
    let (y, m, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
    let days_in = [31, if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 { 29 } else { 28 }, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
    ((1..=12).contains(&m) && d >= 1 && d <= days_in[m as usize - 1]).then_some((y, m, d))
}

impl Period {
    /// The period of `date`, or `None` when it does not start with a date.
    pub fn of(self, date: &str) -> Option<String> {
        let (y, m, d) = parse_date(date.trim())?;
        Some(match self {
            Period::Day => format!("{y:04}-{m:02}-{d:02}"),
            Period::Month => format!("{y:04}-{m:02}"),
            Period::Week => {
                let z = days_from_civil(y, m, d);
                // 1970-01-01 was a Thursday: Monday is 3 days before it.
                let monday = z - (z + 3).rem_euclid(7);
                let (y, m, d) = civil_from_days(monday);
                format!("week of {y:04}-{m:02}-{d:02}")
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_fall_in_their_periods() {
        assert_eq!(Period::Day.of("2024-03-05T10:00:00Z").unwrap(), "2024-03-05");
        assert_eq!(Period::Month.of("2024-03-05").unwrap(), "2024-03");
        // 2024-03-05 was a Tuesday; 2024-03-04 a Monday; 2024-03-10 a Sunday.
        assert_eq!(Period::Week.of("2024-03-05").unwrap(), "week of 2024-03-04");
        assert_eq!(Period::Week.of("2024-03-10").unwrap(), "week of 2024-03-04");
        assert_eq!(Period::Week.of("2024-03-11").unwrap(), "week of 2024-03-11");
        assert_eq!(Period::Week.of("2021-01-01").unwrap(), "week of 2020-12-28");
        for bad in ["", "yesterday", "2024-13-01", "2023-02-29", "2024-03-051", "05.03.2024"] {
            assert_eq!(Period::Day.of(bad), None, "{bad}");
        }
        assert!(Period::Day.of("2024-02-29").is_some());
    }
}
