//! Contact lists (delimiter, encoding, header detection).
//! Not written yet: issue "Cleaned lists".
