#!/usr/bin/env python3
"""Writes assets/demo/: the "Explore demo data" set of the desktop app.

Casa Verde Plants, a small London plant shop, mails a monthly newsletter and a few
promotions from June to November 2026 and sends two SMS campaigns. Every address,
domain, IP and phone number is made up (example.com/.net/.org, *.example, RFC 5737 IPs,
+1 202 555 01xx, +44 7700 900xxx).

Deterministic: a fixed seed and the Python 3 standard library only, so running it again
rewrites assets/demo byte for byte. `--check` regenerates into a temporary folder and
compares instead of writing (exit 1 on any difference).

Usage: python3 scripts/dev/make_demo.py [--out DIR] [--check]
"""
import os
import random
import sys
import tempfile
from datetime import datetime, timedelta, timezone

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import demo_people as people  # noqa: E402
import demo_writers as writers  # noqa: E402

SEED = 20260601
ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..'))
UTC = timezone.utc


def utc(y, m, d, hh, mm):
    return datetime(y, m, d, hh, mm, tzinfo=UTC)


# The campaigns, in sending order. `via` says which system sent them and so which
# file tells their story.
CAMPAIGNS = [
    dict(key='4f1c2a9e07', name='June Newsletter: Summer watering guide', via='mailchimp',
         subject='Summer watering guide + 3 plants that love the heat', at=utc(2026, 6, 4, 7, 0)),
    dict(key='8b3d5e1f42', name='July Newsletter: Pests and heatwaves', via='mailchimp',
         subject='Aphids, heatwaves and your balcony garden', at=utc(2026, 7, 2, 7, 0)),
    dict(key='summer-sale-2026-07', name='Summer Sale: 25% off terracotta', via='postfix',
         subject='Summer Sale: 25% off terracotta pots \U0001F33F', at=utc(2026, 7, 16, 7, 30)),
    dict(key='newsletter-2026-08', name='August Newsletter: Succulent workshop', via='gmail',
         subject='August at Casa Verde: succulent workshop + repotting tips', at=utc(2026, 8, 6, 7, 0)),
    dict(key='7421035', name='September Newsletter: Bring your plants indoors', via='sendgrid',
         subject='Bring your plants indoors before the first frost', at=utc(2026, 9, 3, 7, 0)),
    dict(key='7421388', name='Autumn Bulbs Pre-order', via='sendgrid',
         subject='Pre-order spring bulbs now: tulips, alliums, daffodils', at=utc(2026, 9, 24, 7, 0)),
    dict(key='7421702', name='October Newsletter: Pumpkins and cosy corners', via='sendgrid',
         subject='Pumpkins, ferns and cosy corners', at=utc(2026, 10, 8, 7, 0)),
    dict(key='7422090', name='November Preview: Early Black Friday for VIPs', via='sendgrid',
         subject='VIP early access: 30% off before Black Friday', at=utc(2026, 11, 12, 8, 0)),
    dict(key='sms-summer-sale-2026-07', name='SMS: Summer Sale', via='twilio',
         subject='Casa Verde Summer Sale, this weekend only: 25% off terracotta pots. '
                 'casaverde.example/sale Reply STOP to opt out', at=utc(2026, 7, 16, 9, 0)),
    dict(key='sms-vip-preview-2026-11', name='SMS: VIP Black Friday preview', via='twilio',
         subject='Casa Verde VIP: 30% off everything until Sunday, code GREEN30. '
                 'Reply STOP to opt out', at=utc(2026, 11, 13, 10, 0)),
]

# Intended hard bounces among the regular list per campaign (the old list adds its own).
HARD_TARGET = [20, 10, 23, 26, 16, 7, 13, 6, 0, 0]
UNSUB_TARGET = [9, 7, 0, 0, 8, 12, 9, 3, 0, 0]
COMPLAINT_TARGET = [0, 1, 1, 0, 1, 4, 1, 0, 0, 0]


def main(argv):
    out = os.path.join(ROOT, 'assets', 'demo')
    check = '--check' in argv
    if '--out' in argv:
        out = argv[argv.index('--out') + 1]
    if check:
        with tempfile.TemporaryDirectory() as tmp:
            files = generate(tmp)
            return compare(tmp, out, files)
    generate(out)
    return 0


def generate(out):
    rng = random.Random(SEED)
    contacts = people.make_contacts(rng)
    camps = [dict(c, idx=i) for i, c in enumerate(CAMPAIGNS)]
    outcomes = simulate(rng, contacts, camps)
    files = writers.write_all(out, rng, contacts, camps, outcomes, SEED)
    return files


def compare(tmp, out, files):
    bad = []
    for rel in files:
        a = open(os.path.join(tmp, rel), 'rb').read()
        try:
            b = open(os.path.join(out, rel), 'rb').read()
        except OSError:
            b = None
        if a != b:
            bad.append(rel)
    for rel in bad:
        print('differs:', rel)
    print('ok' if not bad else '%d file(s) differ: run python3 scripts/dev/make_demo.py' % len(bad))
    return 1 if bad else 0


# --- who receives what ---------------------------------------------------------------

def audience(contacts, camp, camps):
    """Recipients of a campaign, in sending order."""
    via = camp['via']
    day = camp['at'].date()
    out = []
    for c in contacts:
        if c['kind'] != 'regular' and not (c['kind'] == 'old' and camp['key'] == '7421388'):
            continue
        if c['signup'] >= day:
            continue
        if via == 'twilio':
            # The shop never removes anyone from its SMS list: STOP and dead numbers stay.
            if c['phone'] and c['sms_optin']:
                out.append(c)
            continue
        if c['kind'] == 'regular':
            if camp['key'] == '7421388' and not c['bulbs']:
                continue
            if camp['key'] == '7422090' and not c['vip']:
                continue
        if removed_before(c, camp, camps):
            continue
        out.append(c)
    rng = random.Random('%s-%s' % (SEED, camp['key']))
    rng.shuffle(out)
    return out


def removed_before(c, camp, camps):
    """The shop removes what Mailchimp cleaned and what bounced from its own server;
    SendGrid-suppressed addresses stay on the list (and are dropped by SendGrid)."""
    gone = c.get('gone_at')
    if gone is None or gone >= camp['idx']:
        return False
    return not (camps[gone]['via'] == 'sendgrid' and camp['via'] == 'sendgrid')


def simulate(rng, contacts, camps):
    outcomes = {}
    for camp in camps:
        aud = audience(contacts, camp, camps)
        if camp['via'] == 'twilio':
            outcomes[camp['key']] = people.sms_outcomes(rng, camp, aud)
            continue
        outcomes[camp['key']] = email_outcomes(rng, camp, aud, camps)
    return outcomes


def send_times(camp, aud):
    """Per-recipient send time: our relay trickles, SendGrid bursts."""
    spread = {'postfix': 50 * 60, 'gmail': 70 * 60, 'sendgrid': 12 * 60, 'mailchimp': 8 * 60}[camp['via']]
    n = max(len(aud), 1)
    return {c['email']: camp['at'] + timedelta(seconds=int(spread * k / n)) for k, c in enumerate(aud)}


def email_outcomes(rng, camp, aud, camps):
    i = camp['idx']
    sent_at = send_times(camp, aud)
    res = []   # dicts: rcpt, kind, intent, tag, at, sent_at, ...
    taken = set()

    def add(c, kind, intent, tag, delay, **kw):
        res.append(dict(contact=c, rcpt=c['email'], kind=kind, intent=intent, tag=tag,
                        sent_at=sent_at[c['email']], at=sent_at[c['email']] + delay, **kw))
        taken.add(c['email'])

    # Already suppressed at SendGrid: dropped, not sent.
    live = []
    for c in aud:
        gone = c.get('gone_at')
        if gone is not None and gone < i:
            add(c, 'suppressed', 'suppressed', 'dropped:' + c['gone_why'], timedelta(seconds=1))
        else:
            live.append(c)
    camp['sent'] = len(live)
    camp['audience'] = len(aud)

    # Hard bounces: fresh bad addresses of the regular list, plus the old list's.
    fresh = [c for c in live if c['kind'] == 'regular' and c.get('gone_at') is None
             and not c['full_prone'] and c['email'] not in taken and not c['role']
             and (not c['typo'] or camp['key'] == '7421702')]
    typos = [c for c in fresh if c['typo']]
    others = [c for c in fresh if not c['typo']]
    pick = typos + rng.sample(others, max(HARD_TARGET[i] - len(typos), 0))
    for c in pick:
        why = 'host_unknown' if c['typo'] else rng.choice(
            ['user_unknown'] * 8 + ['mailbox_disabled'] * 2)
        c['gone_at'], c['gone_why'] = i, 'Bounced Address'
        add(c, 'bounce', bad_intent(why, camp), why, async_delay(rng, camp, c, why))
    for c in live:
        if c['kind'] == 'old' and c['old_bad']:
            c['gone_at'], c['gone_why'] = i, 'Bounced Address'
            add(c, 'bounce', bad_intent(c['old_bad'], camp), c['old_bad'], async_delay(rng, camp, c, c['old_bad']))

    # Soft: chronically full mailboxes, oversized promo mails at small company servers.
    for c in live:
        if c['full_prone'] and c['email'] not in taken and rng.random() < 0.45:
            perm = rng.random() < 0.4 and camp['via'] != 'sendgrid'
            if camp['via'] in ('sendgrid', 'postfix', 'gmail') and not perm:
                for k in range(retries(rng, camp)):
                    add(c, 'deferred', 'deferred', 'full_temp', defer_delay(rng, camp, k))
                add(c, 'bounce', 'soft', 'full_expired', timedelta(days=3 if camp['via'] == 'sendgrid' else 5,
                                                                   minutes=rng.randint(1, 90)))
            elif camp['via'] != 'mailchimp':
                add(c, 'bounce', 'soft', 'full_perm', async_delay(rng, camp, c, 'full_perm'))
    if camp['key'] in ('summer-sale-2026-07', '7421388'):
        big = [c for c in live if c['domain'] in ('mail.example.com', 'example.org') and c['email'] not in taken]
        for c in rng.sample(big, 3):
            add(c, 'bounce', 'soft', 'too_big', timedelta(seconds=rng.randint(20, 200)))

    # Blocks: our own relay's IP on a block list, DMARC failures, content filters.
    blocks(rng, camp, live, taken, add)
    # Temporary throttling: deferred, then delivered.
    n_throttle = {'summer-sale-2026-07': 2, 'newsletter-2026-08': 1, '7421035': 6, '7421388': 14,
                  '7421702': 5, '7422090': 3}.get(camp['key'], 0)
    cands = [c for c in live if c['domain'] in ('outlook.example', 'yahoo.example') and c['email'] not in taken]
    for c in rng.sample(cands, n_throttle):
        for k in range(retries(rng, camp, 3)):
            add(c, 'deferred', 'deferred', 'throttle_' + c['domain'].split('.')[0], defer_delay(rng, camp, k, 5))

    # Complaints and unsubscribes (people, hours to days after the send).
    pool = [c for c in live if c['email'] not in taken and c['kind'] in ('regular', 'old') and not c['role']]
    # Mail from our own relay is reported through outlook.example's feedback loop (an ARF report).
    cpool = [c for c in pool if c['domain'] == 'outlook.example'] if camp['via'] == 'postfix' else pool
    for c in rng.sample(cpool, COMPLAINT_TARGET[i]):
        c['gone_at'], c['gone_why'] = i, 'Spam Reporting Address'
        add(c, 'complaint', 'complaint', 'complaint', timedelta(hours=rng.randint(1, 60), minutes=rng.randint(0, 59)))
    for c in rng.sample([c for c in pool if c['email'] not in taken], UNSUB_TARGET[i]):
        c['gone_at'], c['gone_why'] = i, 'Unsubscribed Address'
        add(c, 'unsubscribe', 'unsubscribe', 'unsubscribe', timedelta(hours=rng.randint(0, 72), minutes=rng.randint(1, 59)))

    camp['sent_at_of'] = sent_at
    camp['live'] = live
    res.sort(key=lambda r: (r['at'], r['rcpt'], r['kind']))
    return res


def blocks(rng, camp, live, taken, add):
    key = camp['key']
    order = [c for c in live if c['email'] not in taken]
    if key == 'summer-sale-2026-07':
        # The shared hosting relay's IP landed on outlook.example's block list for ~40 minutes,
        # and the first batches left through a backup relay that is not in SPF and does not sign.
        outl = [c for c in order if c['domain'] == 'outlook.example']
        start = len(outl) // 4
        for c in outl[start:start + 36]:
            add(c, 'bounce', 'block', 'ip_blocklist', timedelta(seconds=rng.randint(3, 40)))
        gm = [c for c in order if c['domain'] == 'gmail.example' and c['email'] not in taken]
        for c in gm[:28]:
            add(c, 'bounce', 'block', 'dmarc', timedelta(seconds=rng.randint(2, 30)))
    elif key == 'newsletter-2026-08':
        corp = [c for c in order if c['domain'] in ('example.com', 'mail.example.net')]
        for c in rng.sample(corp, 3):
            add(c, 'bounce', 'block', 'content_spam', timedelta(seconds=rng.randint(5, 90)))
    elif key in ('7421035', '7421388', '7421702'):
        n_rep, n_content = {'7421035': (2, 0), '7421388': (6, 3), '7421702': (1, 0)}[key]
        outl = [c for c in order if c['domain'] == 'outlook.example']
        for c in rng.sample(outl, n_rep):
            add(c, 'bounce', 'block', 'sg_reputation', timedelta(seconds=rng.randint(2, 40)))
        corp = [c for c in order if c['domain'] in ('example.com', 'example.net', 'mail.example.net')
                and c['email'] not in taken]
        for c in rng.sample(corp, n_content):
            add(c, 'bounce', 'block', 'sg_content', timedelta(seconds=rng.randint(2, 40)))


def bad_intent(why, camp):
    """Rebound keeps a disabled mailbox soft (docs/classification.md); a Mailchimp
    cleaned row is hard whatever the reason was."""
    return 'soft' if why == 'mailbox_disabled' and camp['via'] != 'mailchimp' else 'hard'


def retries(rng, camp, most=2):
    """SendGrid posts every deferred attempt; a mail server sends one delay warning."""
    return rng.randint(1, most) if camp['via'] == 'sendgrid' else 1


def defer_delay(rng, camp, k, first_minutes=60):
    if camp['via'] == 'sendgrid':
        return timedelta(minutes=first_minutes + 45 * k + rng.randint(0, 20))
    # Postfix's delay_warning_time and Gmail's first "Delay" notice: about four hours.
    return timedelta(hours=4, minutes=rng.randint(0, 25))


def async_delay(rng, camp, c, why):
    """In-session refusals come back in seconds; a server that accepted first and
    bounced later (Exchange-like tenants, forwarding mail hosts) takes hours or days."""
    if camp['via'] in ('postfix', 'gmail') and c['domain'] in ('example.org', 'mail.example.com'):
        return timedelta(minutes=int(rng.lognormvariate(5.0, 1.2)) + 3)
    return timedelta(seconds=rng.randint(2, 150))


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
