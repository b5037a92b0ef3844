//! GS1 identifiers (GS1 General Specifications): the check digit shared by GLN, GTIN and SSCC,
//! the AI 82 character set of serial and lot numbers, and AI 17 expiry dates.
//!
//! One implementation of the GS1 mod-10 check digit, used by the consortium pallet for
//! organisation GLNs and by the supply-chain pallet for GTINs, SSCCs and location GLNs. Dates
//! are computed with plain integer arithmetic (days from the civil calendar), no date library.

/// A GS1 Global Location Number: 13 ASCII digits, the last a GS1 check digit
/// (see [`is_valid_gln`]).
pub type Gln = [u8; 13];

/// Whether `digits` are all ASCII digits and the last one is the GS1 check digit of the others:
/// from the right, the digits before the check digit are weighted 3, 1, 3, 1…; the check digit
/// is `(10 - sum mod 10) mod 10`. Fewer than two digits are not valid.
pub fn has_valid_check_digit(digits: &[u8]) -> bool {
	digits.split_last().is_some_and(|(check, body)| check_digit(body) == Some(*check))
}

/// Whether `digits` are a GS1 key (GLN, GTIN, SSCC): a valid check digit (see
/// [`has_valid_check_digit`]), and not all zeros, whose check digit is valid too but which no
/// GS1 Company Prefix begins and so names nothing.
pub fn is_valid_key(digits: &[u8]) -> bool {
	has_valid_check_digit(digits) && digits.iter().any(|digit| *digit != b'0')
}

/// Whether `gln` is 13 ASCII digits with a valid GS1 check digit, not all zeros.
pub fn is_valid_gln(gln: &Gln) -> bool {
	is_valid_key(gln)
}

/// A GS1 Global Trade Item Number in its 14-digit form (AI 01): 14 ASCII digits, the last a
/// GS1 check digit (see [`is_valid_gtin`]). GTIN-8, -12 and -13 are written with leading zeros.
pub type Gtin = [u8; 14];

/// A GS1 Serial Shipping Container Code (AI 00): 18 ASCII digits, the last a GS1 check digit
/// (see [`is_valid_sscc`]). Identifies a logistic unit: a case, a tote, a pallet.
pub type Sscc = [u8; 18];

/// The fewest digits of a GS1 Company Prefix.
pub const MIN_COMPANY_PREFIX_LEN: u32 = 4;
/// The most digits of a GS1 Company Prefix.
pub const MAX_COMPANY_PREFIX_LEN: u32 = 12;

/// A GS1 Company Prefix: 4 to 12 ASCII digits, as a GS1 member organisation licenses them
/// (see [`is_valid_company_prefix`]). The GTINs a company may give its products begin with it,
/// after the GTIN-14's indicator digit.
pub type CompanyPrefix = sp_runtime::BoundedVec<u8, sp_core::ConstU32<MAX_COMPANY_PREFIX_LEN>>;

/// The starts of GTIN-13 numbers that are under no company prefix a GS1 member organisation
/// licenses: restricted circulation numbers a store or a country assigns (`2…`, and
/// `02…`/`04…` from GTIN-12; among padded GTIN-8s, those beginning `0` or `2`, here
/// `000000…`/`000002…`), coupons and refund receipts (`05…`, `98…`, `99…`), serial
/// publications, books and printed music, numbered by the ISSN, ISBN and ISMN agencies
/// (`977…`–`979…`), and what GS1 Global Office keeps for itself: EPC manager numbers
/// (`951…`), demonstration numbers (`952…`) and GTIN-8s (`960…`–`969…`, licensed one GTIN-8
/// at a time in [`GTIN8_RANGE`]). `950…` is not among them: GS1 Global Office may license
/// prefixes there itself, to companies where no GS1 member organisation works.
const NOT_COMPANY_PREFIXES: [&[u8]; 14] = [
	b"2", b"02", b"04", b"05", b"000000", b"000002", b"951", b"952", b"96", b"977", b"978", b"979",
	b"98", b"99",
];

/// Where padded GTIN-8s sit among GTIN-13s. Each GTIN-8 is licensed alone, so it is recorded
/// as a 12-digit "prefix": these five zeros and its first seven digits.
pub const GTIN8_RANGE: &[u8] = b"00000";

/// Whether `prefix` is 4 to 12 ASCII digits outside the ranges GS1 keeps for other uses: in
/// the GTIN-8 range ([`GTIN8_RANGE`]) only a single GTIN-8's 12 digits.
pub fn is_valid_company_prefix(prefix: &[u8]) -> bool {
	let len = prefix.len();
	let in_gtin8_range = prefix.starts_with(GTIN8_RANGE) || GTIN8_RANGE.starts_with(prefix);
	(MIN_COMPANY_PREFIX_LEN as usize..=MAX_COMPANY_PREFIX_LEN as usize).contains(&len)
		&& prefix.iter().all(u8::is_ascii_digit)
		&& !NOT_COMPANY_PREFIXES.iter().any(|reserved| prefix.starts_with(reserved))
		&& (!in_gtin8_range || len == MAX_COMPANY_PREFIX_LEN as usize)
}

/// Every company prefix `gtin` could be under, shortest first: its digits after the indicator
/// digit, 4 to 12 of them (never the check digit).
pub fn gtin_company_prefixes(gtin: &Gtin) -> impl Iterator<Item = &[u8]> {
	prefixes_after_first_digit(gtin)
}

/// Every company prefix `sscc` could be under, shortest first: its digits after the extension
/// digit, 4 to 12 of them. None in the GTIN-8 range ([`GTIN8_RANGE`]): GS1 lets a GTIN-8 make
/// no other key, so no SSCC is under one.
pub fn sscc_company_prefixes(sscc: &Sscc) -> impl Iterator<Item = &[u8]> {
	let under_a_gtin8 = sscc.get(1..).is_some_and(|digits| digits.starts_with(GTIN8_RANGE));
	prefixes_after_first_digit(sscc).filter(move |_| !under_a_gtin8)
}

/// The runs of 4 to 12 digits after a key's first digit (a GTIN-14's indicator, an SSCC's
/// extension digit), shortest first; both keys are long enough never to reach their check
/// digit.
fn prefixes_after_first_digit(key: &[u8]) -> impl Iterator<Item = &[u8]> {
	(MIN_COMPANY_PREFIX_LEN as usize..=MAX_COMPANY_PREFIX_LEN as usize)
		.filter_map(|len| key.get(1..len.saturating_add(1)))
}

/// The shorter company prefixes `prefix` begins with: a prefix that holds them overlaps it.
pub fn shorter_company_prefixes(prefix: &[u8]) -> impl Iterator<Item = &[u8]> {
	(MIN_COMPANY_PREFIX_LEN as usize..prefix.len()).filter_map(|len| prefix.get(..len))
}

/// An expiry date as GS1 AI 17 writes it: six ASCII digits `YYMMDD`; `DD = 00` means the last
/// day of the month (see [`expiry_end_ms`]).
pub type ExpiryDate = [u8; 6];

/// The longest serial number (AI 21), in characters.
pub const MAX_SERIAL_LEN: u32 = 20;
/// The longest batch or lot number (AI 10), in characters.
pub const MAX_LOT_LEN: u32 = 20;
/// Milliseconds in a day.
pub const MS_PER_DAY: u64 = 86_400_000;

/// The GS1 check digit (an ASCII digit) of `body`, the digits before it; `None` if `body` is
/// empty or holds anything but ASCII digits.
pub fn check_digit(body: &[u8]) -> Option<u8> {
	if body.is_empty() || !body.iter().all(u8::is_ascii_digit) {
		return None;
	}
	let sum: u32 = body
		.iter()
		.rev()
		.enumerate()
		.map(|(position, digit)| {
			let weight = if position % 2 == 0 { 3 } else { 1 };
			u32::from(digit.saturating_sub(b'0')).saturating_mul(weight)
		})
		.fold(0u32, |total, term| total.saturating_add(term));
	let check = 10u32.saturating_sub(sum % 10) % 10;
	// `check` is below 10, so the cast cannot truncate.
	Some(b'0'.saturating_add(check as u8))
}

/// Whether `gtin` is 14 ASCII digits with a valid GS1 check digit, not all zeros.
pub fn is_valid_gtin(gtin: &Gtin) -> bool {
	is_valid_key(gtin)
}

/// Whether `sscc` is 18 ASCII digits with a valid GS1 check digit, not all zeros.
pub fn is_valid_sscc(sscc: &Sscc) -> bool {
	is_valid_key(sscc)
}

/// Whether `byte` is in the GS1 AI encodable character set 82 (GS1 General Specifications,
/// figure 7.11-1): digits, upper and lower case letters, and the 20 symbols
/// `! " % & ' ( ) * + , - . / : ; < = > ? _`.
pub fn is_ai82_char(byte: u8) -> bool {
	byte.is_ascii_alphanumeric() || b"!\"%&'()*+,-./:;<=>?_".contains(&byte)
}

/// Whether `value` is 1 to `max_len` characters of the GS1 AI 82 character set.
pub fn is_valid_ai82(value: &[u8], max_len: u32) -> bool {
	!value.is_empty()
		&& u32::try_from(value.len()).is_ok_and(|len| len <= max_len)
		&& value.iter().copied().all(is_ai82_char)
}

/// Whether `serial` is a valid GS1 serial number (AI 21): 1 to 20 AI 82 characters.
pub fn is_valid_serial(serial: &[u8]) -> bool {
	is_valid_ai82(serial, MAX_SERIAL_LEN)
}

/// Whether `lot` is a valid GS1 batch or lot number (AI 10): 1 to 20 AI 82 characters.
pub fn is_valid_lot(lot: &[u8]) -> bool {
	is_valid_ai82(lot, MAX_LOT_LEN)
}

/// Whether `year` is a leap year of the Gregorian calendar.
pub fn is_leap_year(year: u32) -> bool {
	(year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400)
}

/// The number of days of `month` (1 to 12) in `year`; 0 for a month out of range.
pub fn days_in_month(year: u32, month: u32) -> u32 {
	match month {
		1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
		4 | 6 | 9 | 11 => 30,
		2 if is_leap_year(year) => 29,
		2 => 28,
		_ => 0,
	}
}

/// Days from 1970-01-01 to the date `year-month-day` of the proleptic Gregorian calendar
/// (Howard Hinnant's `days_from_civil`); `None` before 1970 or for an invalid date.
pub fn days_from_civil(year: u32, month: u32, day: u32) -> Option<u64> {
	if year < 1970 || day == 0 || day > days_in_month(year, month) {
		return None;
	}
	let (year, month, day) = (u64::from(year), u64::from(month), u64::from(day));
	// The year starts in March, so that the leap day is the year's last.
	let year = if month <= 2 { year.checked_sub(1)? } else { year };
	let era = year / 400;
	let year_of_era = year.checked_sub(era.checked_mul(400)?)?;
	let month_from_march = if month > 2 { month.checked_sub(3)? } else { month.checked_add(9)? };
	let day_of_year = month_from_march
		.checked_mul(153)?
		.checked_add(2)?
		.checked_div(5)?
		.checked_add(day)?
		.checked_sub(1)?;
	let day_of_era = year_of_era
		.checked_mul(365)?
		.checked_add(year_of_era / 4)?
		.checked_sub(year_of_era / 100)?
		.checked_add(day_of_year)?;
	era.checked_mul(146_097)?.checked_add(day_of_era)?.checked_sub(719_468)
}

/// The Gregorian year in which the instant `ms` (milliseconds since the Unix epoch) falls
/// (Howard Hinnant's `civil_from_days`, year only).
pub fn year_of(ms: u64) -> u32 {
	let days = (ms / MS_PER_DAY).saturating_add(719_468);
	let era = days / 146_097;
	let day_of_era = days.saturating_sub(era.saturating_mul(146_097));
	let year_of_era = day_of_era
		.saturating_sub(day_of_era / 1_460)
		.saturating_add(day_of_era / 36_524)
		.saturating_sub(day_of_era / 146_096)
		/ 365;
	let day_of_year = day_of_era.saturating_sub(
		year_of_era
			.saturating_mul(365)
			.saturating_add(year_of_era / 4)
			.saturating_sub(year_of_era / 100),
	);
	let month_from_march = day_of_year.saturating_mul(5).saturating_add(2) / 153;
	let year = year_of_era.saturating_add(era.saturating_mul(400));
	let year = if month_from_march >= 10 { year.saturating_add(1) } else { year };
	u32::try_from(year).unwrap_or(u32::MAX)
}

/// Two ASCII digits as a number; `None` if they are not digits.
fn two_digits(tens: u8, units: u8) -> Option<u32> {
	if !tens.is_ascii_digit() || !units.is_ascii_digit() {
		return None;
	}
	Some(
		u32::from(tens.saturating_sub(b'0'))
			.saturating_mul(10)
			.saturating_add(u32::from(units.saturating_sub(b'0'))),
	)
}

/// The full year GS1 means by the two digits `yy` when written in `current_year` (GS1 General
/// Specifications 7.12): 51 to 99 years ahead is the previous century, 50 to 99 years back is
/// the next one, anything else the current century.
pub fn gs1_year(yy: u32, current_year: u32) -> u32 {
	let century = current_year / 100 * 100;
	let current_yy = current_year % 100;
	let difference = i64::from(yy).saturating_sub(i64::from(current_yy));
	if difference >= 51 {
		century.saturating_sub(100).saturating_add(yy)
	} else if difference <= -50 {
		century.saturating_add(100).saturating_add(yy)
	} else {
		century.saturating_add(yy)
	}
}

/// The calendar date `(year, month, day)` an AI 17 expiry date stands for, read at `now_ms`
/// (which fixes the century, see [`gs1_year`]); `DD = 00` is the last day of the month.
/// `None` if it is not six digits, the month is not 01-12 or the day does not exist.
pub fn expiry_date(expiry: &ExpiryDate, now_ms: u64) -> Option<(u32, u32, u32)> {
	let [y1, y2, m1, m2, d1, d2] = *expiry;
	let year = gs1_year(two_digits(y1, y2)?, year_of(now_ms));
	let month = two_digits(m1, m2)?;
	let day = two_digits(d1, d2)?;
	let last = days_in_month(year, month);
	if last == 0 || day > last {
		return None;
	}
	Some((year, month, if day == 0 { last } else { day }))
}

/// The first instant after the expiry date, in milliseconds since the Unix epoch (UTC): a pack
/// may be used through its expiry day and is expired from this instant on. Read at `now_ms`
/// (see [`expiry_date`]); `None` if the date is not valid.
pub fn expiry_end_ms(expiry: &ExpiryDate, now_ms: u64) -> Option<u64> {
	let (year, month, day) = expiry_date(expiry, now_ms)?;
	days_from_civil(year, month, day)?.checked_add(1)?.checked_mul(MS_PER_DAY)
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn company_prefixes_are_4_to_12_digits() {
		assert!(is_valid_company_prefix(b"0614"));
		// GS1 member organisations' ranges next to the reserved ones stay licensable.
		assert!(is_valid_company_prefix(b"9581234"));
		assert!(is_valid_company_prefix(b"9501234"));
		assert!(is_valid_company_prefix(b"5012345"));
		assert!(is_valid_company_prefix(b"061414100001"));
		assert!(!is_valid_company_prefix(b"061"));
		assert!(!is_valid_company_prefix(b"0614141000012"));
		assert!(!is_valid_company_prefix(b"06141A1"));
		assert!(!is_valid_company_prefix(b""));
		// Restricted circulation numbers, coupons, refund receipts, ISSNs and ISBNs, and GS1
		// Global Office's own ranges are no company's.
		for reserved in [
			&b"2000123"[..],
			b"0212345",
			b"0412345",
			b"0512345",
			b"9771234",
			b"9781234",
			b"9791234",
			b"9801234",
			b"9841234",
			b"9912345",
			b"9511234",
			b"9521234",
			b"9601234",
			b"9691234",
			// Restricted circulation GTIN-8s (RCN-8), padded.
			b"000000123456",
			b"000002123456",
		] {
			assert!(!is_valid_company_prefix(reserved), "{reserved:?}");
		}
		// In the GTIN-8 range, one GTIN-8 at a time: 95012346 is `00000` + `9501234`.
		assert!(is_valid_company_prefix(b"000009501234"));
		for too_wide in [&b"0000"[..], b"00000", b"0000095"] {
			assert!(!is_valid_company_prefix(too_wide), "{too_wide:?}");
		}
		// GS1 US prefixes just outside it.
		assert!(is_valid_company_prefix(b"00001234"));
		assert!(is_valid_company_prefix(b"0001234"));
		// A padded GTIN-8 is under its own 12 digits.
		let gtin8 = *b"00000095012346";
		assert!(has_valid_check_digit(&gtin8));
		assert!(gtin_company_prefixes(&gtin8).any(|prefix| prefix == b"000009501234"));
	}

	#[test]
	fn a_gtin_is_under_the_prefixes_after_its_indicator_digit() {
		let gtin = *b"10614141000019";
		let candidates: Vec<&[u8]> = gtin_company_prefixes(&gtin).collect();
		assert_eq!(candidates.len(), 9);
		assert_eq!(candidates.first(), Some(&&b"0614"[..]));
		assert!(candidates.contains(&&b"0614141"[..]));
		// Never the indicator digit nor the check digit.
		assert_eq!(candidates.last(), Some(&&b"061414100001"[..]));
		let shorter: Vec<&[u8]> = shorter_company_prefixes(b"0614141").collect();
		assert_eq!(shorter, vec![&b"0614"[..], b"06141", b"061414"]);
		assert_eq!(shorter_company_prefixes(b"0614").count(), 0);
	}

	#[test]
	fn an_sscc_is_under_the_prefixes_after_its_extension_digit() {
		let sscc = *b"306141410000000013";
		let candidates: Vec<&[u8]> = sscc_company_prefixes(&sscc).collect();
		assert_eq!(candidates.len(), 9);
		assert_eq!(candidates.first(), Some(&&b"0614"[..]));
		assert!(candidates.contains(&&b"0614141"[..]));
		// Never the extension digit.
		assert_eq!(candidates.last(), Some(&&b"061414100000"[..]));
		// A GTIN-8's 12 digits make no SSCC.
		let under_a_gtin8 = *b"300000950123400014";
		assert_eq!(sscc_company_prefixes(&under_a_gtin8).count(), 0);
		// Just outside the GTIN-8 range, a GS1 US prefix does.
		let gs1_us = *b"300001234000000016";
		assert!(sscc_company_prefixes(&gs1_us).any(|prefix| prefix == b"00001234"));
	}

	#[test]
	fn check_digit_follows_gs1_examples() {
		// GS1 General Specifications examples: GLN, GTIN-14 and SSCC-18.
		assert!(has_valid_check_digit(b"0614141000012"));
		assert!(has_valid_check_digit(b"10614141000019"));
		assert!(has_valid_check_digit(b"106141411234567897"));
		assert!(!has_valid_check_digit(b"0614141000013"), "wrong check digit");
		assert!(!has_valid_check_digit(b"0614141000021"), "digits swapped");
		assert!(!has_valid_check_digit(b"061414100001a"), "not a digit");
		assert!(!has_valid_check_digit(b""), "empty");
	}

	#[test]
	fn an_all_zero_key_names_nothing() {
		// Its check digit is valid: only the zeros rule refuses it.
		assert!(has_valid_check_digit(b"0000000000000"));
		assert!(!is_valid_gln(b"0000000000000"));
		assert!(!is_valid_gtin(b"00000000000000"));
		assert!(!is_valid_sscc(b"000000000000000000"));
		// A GTIN-8 padded with zeros is valid.
		assert!(is_valid_gtin(b"00000040170725"));
		assert!(is_valid_gln(b"0614141000012"));
		assert!(is_valid_sscc(b"106141411234567897"));
	}

	#[test]
	fn check_digit_is_computed_from_the_body() {
		assert_eq!(check_digit(b"061414100001"), Some(b'2'));
		assert_eq!(check_digit(b"1061414100001"), Some(b'9'));
		assert_eq!(check_digit(b"10614141123456789"), Some(b'7'));
		assert_eq!(check_digit(b""), None);
		assert_eq!(check_digit(b"12a"), None);
		assert!(is_valid_gtin(b"10614141000019"));
		assert!(!is_valid_gtin(b"10614141000018"));
		assert!(is_valid_sscc(b"106141411234567897"));
		assert!(!is_valid_sscc(b"106141411234567890"));
	}

	#[test]
	fn serials_and_lots_use_the_ai82_character_set() {
		assert!(is_valid_serial(b"Ab9!\"%&'()*+,-./:;<="));
		assert!(is_valid_serial(b">?_"));
		assert!(is_valid_serial(b"12345678901234567890"));
		assert!(!is_valid_serial(b"123456789012345678901"), "21 characters");
		assert!(!is_valid_serial(b""), "empty");
		assert!(!is_valid_serial(b"A B"), "space");
		assert!(!is_valid_serial(b"A#B"), "# is not in AI 82");
		assert!(!is_valid_serial("caf\u{e9}".as_bytes()), "not ASCII");
		assert!(is_valid_lot(b"L0T-2024/A"));
		assert!(!is_valid_lot(b"L@T"));
	}

	#[test]
	fn days_from_civil_matches_known_dates() {
		assert_eq!(days_from_civil(1970, 1, 1), Some(0));
		assert_eq!(days_from_civil(2000, 3, 1), Some(11_017));
		assert_eq!(days_from_civil(2023, 11, 14), Some(19_675));
		assert_eq!(days_from_civil(2024, 2, 29), Some(19_782));
		assert_eq!(days_from_civil(2023, 2, 29), None);
		assert_eq!(days_from_civil(2023, 13, 1), None);
		assert_eq!(days_from_civil(1969, 12, 31), None);
		for (ms, year) in [
			(0, 1970),
			(951_782_400_000, 2000),
			(1_700_000_000_000, 2023),
			(1_704_067_199_999, 2023),
			(1_704_067_200_000, 2024),
		] {
			assert_eq!(year_of(ms), year, "year of {ms}");
		}
	}

	#[test]
	fn expiry_dates_follow_ai17() {
		// 2023-11-14, when these are read.
		let now = 1_700_000_000_000;
		assert_eq!(expiry_date(b"251231", now), Some((2025, 12, 31)));
		assert_eq!(expiry_date(b"240200", now), Some((2024, 2, 29)), "DD = 00: end of month");
		assert_eq!(expiry_date(b"250200", now), Some((2025, 2, 28)));
		assert_eq!(expiry_date(b"240229", now), Some((2024, 2, 29)));
		assert_eq!(expiry_date(b"250229", now), None, "no 29 February in 2025");
		assert_eq!(expiry_date(b"251301", now), None, "month 13");
		assert_eq!(expiry_date(b"250001", now), None, "month 00");
		assert_eq!(expiry_date(b"250431", now), None, "31 April");
		assert_eq!(expiry_date(b"25123a", now), None, "not a digit");
		// GS1's century rule: 51 or more years ahead is the previous century.
		assert_eq!(expiry_date(b"990101", now), Some((1999, 1, 1)));
		assert_eq!(expiry_date(b"730101", now), Some((2073, 1, 1)));
		assert_eq!(expiry_date(b"740101", now), Some((1974, 1, 1)));
		assert_eq!(gs1_year(10, 2095), 2110);
		// Usable through the whole expiry day (UTC).
		let end = expiry_end_ms(b"231114", now).unwrap();
		assert_eq!(end, (19_675 + 1) * MS_PER_DAY);
		assert!(end > now);
		assert_eq!(expiry_end_ms(b"231100", now), Some((19_675 + 17) * MS_PER_DAY));
	}
}
