//! One module per MTA family whose bounces are not clean DSNs.
//! Not written yet: issue "Bounce engine".
