//! Suppression policy and list export. Not written yet: issue "Cleaned lists".
