//! RFC 3464/6522 delivery status notifications, RFC 5965 ARF, RFC 3834 auto-replies.
//! Not written yet: issue "Bounce engine".
