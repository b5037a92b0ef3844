//! The consortium's vocabulary: the document categories and media types a record may carry.
//!
//! A code that merely looks like a code is not enough: `HIV`, `ICD10:B20` or `oncology` pass
//! any syntax check and would put a diagnosis into chain state. Records and consents accept
//! only the codes listed here, which name kinds of documents (LOINC document types, as FHIR
//! `DocumentReference.type`/`category` uses them) and file formats (IANA media types), never
//! a condition. The consortium extends the lists with a runtime upgrade, after checking that
//! a new code says nothing about anyone's health.

/// LOINC document type codes a record's category may be, sorted (checked by a test).
pub const DOCUMENT_CATEGORIES: &[&[u8]] = &[
	b"10160-0", // History of medication use
	b"11369-6", // History of immunization
	b"11488-4", // Consult note
	b"11502-2", // Laboratory report
	b"11503-0", // Medical records
	b"11504-8", // Surgical operation note
	b"11506-3", // Progress note
	b"11526-1", // Pathology study
	b"18748-4", // Diagnostic imaging study
	b"18761-7", // Transfer summary note
	b"18776-5", // Plan of care note
	b"18842-5", // Discharge summary
	b"28570-0", // Procedure note
	b"34111-5", // Emergency department note
	b"34117-2", // History and physical note
	b"34133-9", // Summary of episode note
	b"48765-2", // Allergies and adverse reactions
	b"57133-1", // Referral note
	b"57833-6", // Prescription for medication
	b"59284-0", // Patient consent
	b"60591-5", // Patient summary
];

/// IANA media types a record's ciphertext may decrypt to, sorted (checked by a test).
pub const MEDIA_TYPES: &[&[u8]] = &[
	b"application/dicom",
	b"application/fhir+json",
	b"application/fhir+xml",
	b"application/json",
	b"application/octet-stream", // bytes of no registered format, e.g. an instrument's export
	b"application/pdf",
	b"application/xml",
	b"image/jpeg",
	b"image/png",
	b"text/plain",
];

/// Whether `code` is one of the [`DOCUMENT_CATEGORIES`].
pub fn is_document_category(code: &[u8]) -> bool {
	DOCUMENT_CATEGORIES.binary_search(&code).is_ok()
}

/// Whether `code` is one of the [`MEDIA_TYPES`].
pub fn is_media_type(code: &[u8]) -> bool {
	MEDIA_TYPES.binary_search(&code).is_ok()
}

#[cfg(test)]
mod tests {
	use super::*;
	use crate::health::{is_valid_code, MAX_CODE_LEN};

	/// `pallet_records::MAX_MEDIA_TYPE_LEN`, which this crate cannot name.
	const MAX_MEDIA_TYPE_LEN: u32 = 64;

	#[test]
	fn the_lists_are_sorted_without_duplicates_and_fit_their_fields() {
		for (list, max_len) in
			[(DOCUMENT_CATEGORIES, MAX_CODE_LEN), (MEDIA_TYPES, MAX_MEDIA_TYPE_LEN)]
		{
			assert!(list.windows(2).all(|pair| pair[0] < pair[1]), "sorted, no duplicates");
			for code in list {
				assert!(is_valid_code(code), "{}", String::from_utf8_lossy(code));
				assert!(code.len() <= max_len as usize);
			}
		}
	}

	#[test]
	fn only_listed_codes_are_known() {
		assert!(is_document_category(b"11488-4"));
		assert!(is_document_category(b"60591-5"));
		assert!(is_media_type(b"application/fhir+json"));
		for condition in [&b"HIV"[..], b"ICD10:B20", b"oncology", b"11488-5", b"", b"11488-4 "] {
			assert!(!is_document_category(condition), "{}", String::from_utf8_lossy(condition));
		}
		assert!(!is_media_type(b"image/tumour"));
		assert!(!is_media_type(b"APPLICATION/PDF"));
	}
}
