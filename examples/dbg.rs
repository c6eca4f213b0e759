fn main() {
    let p = std::env::args().nth(1).unwrap();
    let raw = std::fs::read(&p).unwrap();
    let src = rebound::model::Source::default();
    let evs = rebound::ingest::mailbox::message::analyze(&raw, &src).unwrap_or_default();
    for e in evs { println!("{} {:?} st={:?} rc={:?} mta={:?} prov={:?} at={:?}\n   diag={:?}\n   camp={:?}", e.recipient, e.kind, e.status, e.reply_code, e.remote_mta, e.provider, e.occurred_at, e.diagnostic, e.campaign.map(|c| c.key)); }
}
