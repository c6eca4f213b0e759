//! Phrases about the way there: the receiving system failing, local mailers, the
//! network and DNS, and messages that expired in the queue.

use super::{en, lang, Table};
use crate::model::Reason;

pub static SYSTEM_ERROR: Table = Table {
    reason: Reason::SystemError,
    name: "system_error",
    phrases: &[
        en("system error"),
        en("internal error"),
        en("local error"),
        en("queue file write error"),
        en("unable to contact ldap"),
        en("could not load drd"),
        en("service currently unavailable"),
        en("service unavailable"),
        en("service not available"),
        en("service refuse*"),
        en("insufficient disk space"),
        en("insufficient system storage"),
        en("mail system full"),
        en("transaction failed"),
        en("duplicated message-id"),
        en("i/o error"),
        en("server busy"),
        lang("es", "error del sistema"),
        lang("pt", "erro interno"),
        lang("fr", "erreur système"),
    ],
};

pub static MAILER_ERROR: Table = Table {
    reason: Reason::MailerError,
    name: "mailer_error",
    phrases: &[
        en("pipe to |"),
        en("x-unix;"),
        en("mailer error"),
        en("local mailer"),
        en("command died"),
        en("error in processing"),
    ],
};

/// DNS and routing trouble on the way.
pub static NETWORK_ERROR: Table = Table {
    reason: Reason::NetworkError,
    name: "network_error",
    phrases: &[
        en("dns error"),
        en("dns query failed"),
        en("host not found, try again"),
        en("malformed or unexpected name server reply"),
        en("no route to host"),
        en("network error"),
        en("network is unreachable"),
        en("too many hops"),
        en("hop count exceeded"),
        en("mail loop"),
        en("routing loop"),
        en("loop detected"),
        lang("es", "error de red"),
        lang("pt", "erro de rede"),
        lang("ru", "сетевая ошибка"),
        lang("vi", "lỗi mạng"),
    ],
};

/// We could not reach or keep talking to the receiving host. In a final bounce with
/// a 4.x.x status this means the retries ran out: see `mod.rs`.
pub static CONNECT_FAILED: Table = Table {
    reason: Reason::NetworkError,
    name: "connect_failed",
    phrases: &[
        en("connection timed out"),
        en("timed out"),
        en("connection refused"),
        en("could not connect"),
        en("couldn't connect"),
        en("unable to connect"),
        en("did not accept our requests to connect"),
        en("establish an smtp connection"),
        en("host not reachable"),
        en("connection reset"),
        en("lost connection"),
        en("host is not responding"),
        lang("es", "conexión rechazada"),
        lang("es", "tiempo de conexión agotado"),
        lang("vi", "không thể kết nối"),
    ],
};

pub static EXPIRED: Table = Table {
    reason: Reason::Expired,
    name: "expired",
    phrases: &[
        en("delivery time expired"),
        en("retry timeout exceeded"),
        en("could not deliver for the last"),
        en("envelope expired"),
        en("have been failing for a long time"),
        en("unable to deliver in"),
        en("could not be delivered within"),
        en("was not delivered within"),
        en("was aborted after"),
        en("delivery attempts expired"),
        en("gave up"),
        lang("es", "tiempo de entrega expirado"),
        lang("es", "tiempo de espera agotado"),
        lang("pt", "tempo de entrega expirou"),
        lang("de", "zustellzeit abgelaufen"),
        lang("vi", "hết thời gian gửi"),
    ],
};

/// Boilerplate that says "we stopped retrying" without saying why; loses to any
/// concrete reason given next to it (qmail appends it to every final bounce).
pub static EXPIRED_WEAK: Table = Table {
    reason: Reason::Expired,
    name: "expired_weak",
    phrases: &[
        en("in the queue too long"),
        en("message will be retried"),
        en("delivery failed 20 attempts"),
        en("still undelivered after"),
        // Exchange Online: "Message expired, DNS query failed" — the cause follows.
        en("message expired"),
    ],
};
