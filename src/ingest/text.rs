//! Text decoding shared by CSV readers: BOMs, UTF-16, Windows-1252, delimiters.
//! Not written yet: issue "Provider reports".
