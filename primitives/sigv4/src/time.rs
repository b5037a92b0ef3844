//! The request time, in UTC, without a date library.

use alloc::string::String;
use core::fmt::Write;

use crate::Error;

const SECONDS_PER_DAY: u64 = 86_400;
/// Days from 0000-03-01 (the start of the proleptic Gregorian "era" used below) to 1970-01-01.
const DAYS_0000_03_01_TO_EPOCH: u64 = 719_468;
const DAYS_PER_ERA: u64 = 146_097;
const MAX_YEAR: u16 = 9999;

/// A UTC time with second precision, years 1970 to 9999 (SigV4 needs a four-digit year, and
/// Unix timestamps before 1970 are of no use for signing).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct AmzDateTime {
	year: u16,
	month: u8,
	day: u8,
	hour: u8,
	minute: u8,
	second: u8,
}

fn is_leap_year(year: u16) -> bool {
	(year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400)
}

fn days_in_month(year: u16, month: u8) -> u8 {
	match month {
		1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
		4 | 6 | 9 | 11 => 30,
		2 if is_leap_year(year) => 29,
		2 => 28,
		_ => 0,
	}
}

/// Converts a count of days since 1970-01-01 into (year, month, day), proleptic Gregorian.
///
/// The calendar is shifted to start on 1 March so that the leap day is the last day of the
/// shifted year; 400-year eras then all have the same length, and the day within an era gives
/// the year within the era, the day within the year and then the month arithmetically.
fn civil_from_days(days_since_epoch: u64) -> Option<(u64, u64, u64)> {
	let days = days_since_epoch.checked_add(DAYS_0000_03_01_TO_EPOCH)?;
	let era = days / DAYS_PER_ERA;
	let day_of_era = days % DAYS_PER_ERA; // 0..=146096
									   // Year of era 0..=399: remove the leap days (one every 4 years, none every 100, one every
									   // 400 — the last day of the era) before dividing by 365.
	let year_of_era = day_of_era
		.checked_sub(day_of_era / 1460)?
		.checked_add(day_of_era / 36_524)?
		.checked_sub(day_of_era / (DAYS_PER_ERA - 1))?
		/ 365;
	let year_start = year_of_era
		.checked_mul(365)?
		.checked_add(year_of_era / 4)?
		.checked_sub(year_of_era / 100)?;
	let day_of_year = day_of_era.checked_sub(year_start)?; // 0..=365, from 1 March
														// Month from March (0) to February (11); 153 days per 5 months (31+30+31+30+31).
	let shifted_month = day_of_year.checked_mul(5)?.checked_add(2)? / 153;
	let month_start = shifted_month.checked_mul(153)?.checked_add(2)? / 5;
	let day = day_of_year.checked_sub(month_start)?.checked_add(1)?;
	let month = if shifted_month < 10 {
		shifted_month.checked_add(3)?
	} else {
		shifted_month.checked_sub(9)?
	};
	let mut year = era.checked_mul(400)?.checked_add(year_of_era)?;
	if month <= 2 {
		year = year.checked_add(1)?;
	}
	Some((year, month, day))
}

impl AmzDateTime {
	/// A time from its calendar fields (UTC). Fails unless the fields name a real instant in
	/// years 1970 to 9999 (no leap seconds).
	pub fn new(
		year: u16,
		month: u8,
		day: u8,
		hour: u8,
		minute: u8,
		second: u8,
	) -> Result<Self, Error> {
		let valid =
			(1970..=MAX_YEAR).contains(&year)
				&& (1..=12).contains(&month)
				&& day >= 1 && day <= days_in_month(year, month)
				&& hour < 24 && minute < 60
				&& second < 60;
		if valid {
			Ok(Self { year, month, day, hour, minute, second })
		} else {
			Err(Error::InvalidDateTime)
		}
	}

	/// The time `seconds` after 1970-01-01T00:00:00Z (leap seconds ignored, as in Unix time).
	/// Fails after 9999-12-31T23:59:59Z. Off-chain workers get milliseconds from
	/// `sp_io::offchain::timestamp()`: divide by 1000 first.
	pub fn from_unix_seconds(seconds: u64) -> Result<Self, Error> {
		let days = seconds / SECONDS_PER_DAY;
		let of_day = seconds % SECONDS_PER_DAY;
		let (year, month, day) = civil_from_days(days).ok_or(Error::InvalidDateTime)?;
		let narrow = |v: u64| u8::try_from(v).map_err(|_| Error::InvalidDateTime);
		let year = u16::try_from(year).map_err(|_| Error::InvalidDateTime)?;
		Self::new(
			year,
			narrow(month)?,
			narrow(day)?,
			narrow(of_day / 3600)?,
			narrow(of_day % 3600 / 60)?,
			narrow(of_day % 60)?,
		)
	}

	/// The calendar fields `(year, month, day, hour, minute, second)`.
	pub fn fields(&self) -> (u16, u8, u8, u8, u8, u8) {
		(self.year, self.month, self.day, self.hour, self.minute, self.second)
	}

	/// The `x-amz-date` form, `YYYYMMDDTHHMMSSZ` (ISO 8601 basic format).
	pub fn amz_date(&self) -> String {
		let mut out = String::with_capacity(16);
		// Writing to a String cannot fail.
		let _ = write!(
			out,
			"{:04}{:02}{:02}T{:02}{:02}{:02}Z",
			self.year, self.month, self.day, self.hour, self.minute, self.second
		);
		out
	}

	/// The date used in the credential scope, `YYYYMMDD`.
	pub fn date_stamp(&self) -> String {
		let mut out = String::with_capacity(8);
		let _ = write!(out, "{:04}{:02}{:02}", self.year, self.month, self.day);
		out
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	/// Inverse of `civil_from_days`, written the slow obvious way, to cross-check it.
	fn days_from_civil_slow(year: u16, month: u8, day: u8) -> u64 {
		let mut days = 0u64;
		for y in 1970..year {
			days += if is_leap_year(y) { 366 } else { 365 };
		}
		for m in 1..month {
			days += u64::from(days_in_month(year, m));
		}
		days + u64::from(day) - 1
	}

	type Fields = (u16, u8, u8, u8, u8, u8);

	#[test]
	fn known_timestamps() {
		let cases: &[(u64, Fields)] = &[
			(0, (1970, 1, 1, 0, 0, 0)),
			(1_440_938_160, (2015, 8, 30, 12, 36, 0)),
			(1_369_353_600, (2013, 5, 24, 0, 0, 0)),
			(951_782_400, (2000, 2, 29, 0, 0, 0)),
			(951_868_799, (2000, 2, 29, 23, 59, 59)),
			(951_868_800, (2000, 3, 1, 0, 0, 0)),
			(4_107_542_399, (2100, 2, 28, 23, 59, 59)),
			(4_107_542_400, (2100, 3, 1, 0, 0, 0)),
			(1_709_164_800, (2024, 2, 29, 0, 0, 0)),
			(253_402_300_799, (9999, 12, 31, 23, 59, 59)),
		];
		for (ts, fields) in cases {
			let t = AmzDateTime::from_unix_seconds(*ts).unwrap();
			assert_eq!(t.fields(), *fields, "timestamp {ts}");
		}
		assert_eq!(AmzDateTime::from_unix_seconds(253_402_300_800), Err(Error::InvalidDateTime));
		assert_eq!(AmzDateTime::from_unix_seconds(u64::MAX), Err(Error::InvalidDateTime));
	}

	#[test]
	fn every_day_matches_slow_conversion() {
		// Every day from 1970 to 2500 (covers the 2100/2200/2300 non-leap centuries and 2400).
		let end = days_from_civil_slow(2500, 1, 1);
		let (mut y, mut m, mut d) = (1970u16, 1u8, 1u8);
		for days in 0..end {
			let t = AmzDateTime::from_unix_seconds(days * 86_400 + 43_261).unwrap();
			assert_eq!(t.fields(), (y, m, d, 12, 1, 1), "day {days}");
			d += 1;
			if d > days_in_month(y, m) {
				d = 1;
				m += 1;
				if m > 12 {
					m = 1;
					y += 1;
				}
			}
		}
	}

	#[test]
	fn formatting_and_validation() {
		let t = AmzDateTime::new(2015, 8, 30, 12, 36, 0).unwrap();
		assert_eq!(t.amz_date(), "20150830T123600Z");
		assert_eq!(t.date_stamp(), "20150830");
		assert!(AmzDateTime::new(2015, 2, 29, 0, 0, 0).is_err());
		assert!(AmzDateTime::new(2016, 2, 29, 0, 0, 0).is_ok());
		assert!(AmzDateTime::new(1900, 1, 1, 0, 0, 0).is_err());
		assert!(AmzDateTime::new(2015, 13, 1, 0, 0, 0).is_err());
		assert!(AmzDateTime::new(2015, 4, 31, 0, 0, 0).is_err());
		assert!(AmzDateTime::new(2015, 1, 0, 0, 0, 0).is_err());
		assert!(AmzDateTime::new(2015, 1, 1, 24, 0, 0).is_err());
		assert!(AmzDateTime::new(2015, 1, 1, 0, 60, 0).is_err());
		assert!(AmzDateTime::new(2015, 1, 1, 0, 0, 60).is_err());
	}
}
