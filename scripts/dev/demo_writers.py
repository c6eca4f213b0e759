"""Writes the demo files and expected.json. Part of scripts/dev/make_demo.py."""
import base64
import hashlib
import json
import os
from collections import Counter
from datetime import timedelta

import demo_mbox
import demo_readme

SHOP_SMS = '+447700900000'
ACCOUNT_SID = 'AC' + hashlib.md5(b'casa-verde-account').hexdigest()


def h(s, n=16):
    return hashlib.sha1(s.encode()).hexdigest()[:n]


def write_all(out, rng, contacts, camps, outcomes, seed):
    for d in ('mailbox', 'sendgrid', 'mailchimp', 'sms', 'contacts'):
        os.makedirs(os.path.join(out, d), exist_ok=True)
    files = {}
    facts = demo_mbox.write_mbox(os.path.join(out, 'mailbox', 'bounces.mbox'), rng, camps, outcomes)
    files['mailbox/bounces.mbox'] = mailbox_expect(facts)
    files['sendgrid/events.jsonl'] = write_sendgrid(os.path.join(out, 'sendgrid', 'events.jsonl'), camps, outcomes)
    cl, un = write_mailchimp(os.path.join(out, 'mailchimp'), rng, camps, outcomes)
    files['mailchimp/cleaned_members_export.csv'] = cl
    files['mailchimp/unsubscribed_members_export.csv'] = un
    files['sms/twilio-messages.csv'] = write_twilio(os.path.join(out, 'sms', 'twilio-messages.csv'), camps, outcomes)
    files['contacts/customers.csv'] = write_contacts(os.path.join(out, 'contacts', 'customers.csv'), rng, contacts,
                                                     outcomes)
    for rel, f in files.items():
        f['bytes'] = os.path.getsize(os.path.join(out, rel))
    expected = dict(
        about='Ground truth of the Rebound demo data, written by scripts/dev/make_demo.py. Counts are what the '
              'generator intended; see README.md for the conventions.',
        seed=seed,
        import_files=[k for k in files if not k.startswith('contacts/')],
        contacts_file='contacts/customers.csv',
        files=files,
        campaigns=[campaign_expect(c, outcomes[c['key']], files) for c in camps],
        diagnostics=sorted(demo_mbox.DIAGNOSTICS.values(), key=lambda d: (d['source'], d['kind'], d['intent'],
                                                                           d['tag'], d['diagnostic'])),
    )
    with open(os.path.join(out, 'expected.json'), 'w', encoding='utf-8', newline='\n') as f:
        f.write(json.dumps(expected, indent=1, ensure_ascii=False, sort_keys=False) + '\n')
    demo_readme.write(os.path.join(out, 'README.md'), expected)
    return list(files) + ['expected.json', 'README.md']


def kinds(counter):
    order = ['sent', 'delivered', 'bounce', 'deferred', 'complaint', 'unsubscribe', 'auto_reply', 'suppressed']
    return {k: counter.get(k, 0) for k in order}


def recipients(addrs):
    """Distinct recipients as Rebound normalizes them (domain lowercased, local part kept)."""
    norm = set()
    for a in addrs:
        local, _, dom = a.rpartition('@')
        norm.add('%s@%s' % (local, dom.lower()) if local else a)
    return len(norm)


def mailbox_expect(facts):
    k = Counter(f['kind'] for f in facts if f['kind'])
    ev = [f for f in facts if f['kind']]
    return dict(family='mailbox', format='mbox', provider=None, messages=len(facts),
                messages_without_event=len(facts) - len(ev), events=kinds(k), events_total=len(ev),
                recipients=recipients(f['rcpt'] for f in ev),
                campaigns=sorted({f['campaign'] for f in ev if f['kind'] != 'auto_reply'}),
                styles=dict(sorted(Counter(f['style'] for f in facts).items())))


# --- SendGrid ------------------------------------------------------------------------

SG_REASON = {
    'user_unknown': ('5.1.1', 'Invalid Address'), 'mailbox_disabled': ('5.2.1', 'Mailbox Unavailable'),
    'host_unknown': ('5.1.2', 'Invalid Address'), 'full_expired': ('4.2.2', 'Mailbox Unavailable'),
    'too_big': ('5.3.4', 'Unclassified'), 'sg_reputation': ('5.7.1', 'Reputation'), 'sg_content': ('5.7.1', 'Content'),
}
SG_IP = '198.51.100.23'


def sg_text(tag, rcpt, domain):
    if tag == 'host_unknown':
        return '550 5.1.2 unable to get mx info: lookup %s on 203.0.113.53:53: no such host' % domain
    if tag == 'sg_reputation':
        return ("550 5.7.1 Unfortunately, messages from [%s] weren't sent. Please contact your Internet service "
                "provider since part of their network is on our block list (S3140)." % SG_IP)
    if tag == 'sg_content':
        return '554 5.7.1 Message rejected because it looks like spam (content filter score 7.9)'
    if tag == 'full_temp':
        tag = 'full_expired'
    return demo_mbox.diagnostic(tag, rcpt, domain, SG_IP)[1]


def write_sendgrid(path, camps, outcomes):
    events = []
    for camp in camps:
        if camp['via'] != 'sendgrid':
            continue
        by_rcpt = {}
        for o in outcomes[camp['key']]:
            by_rcpt.setdefault(o['rcpt'], []).append(o)
        mc = {'marketing_campaign_id': int(camp['key']), 'marketing_campaign_name': camp['name']}
        for c in camp['live']:
            rcpt, t0 = c['email'], camp['sent_at_of'][c['email']]
            mid = h(camp['key'] + rcpt, 22)
            base = {'email': rcpt, 'smtp-id': '<%s@ismtpd-%d>' % (mid, int(mid[:2], 16) % 9)}
            sgm = '%s.recvd-%s-%d.0' % (mid, h(mid, 6), int(mid[2:5], 16))
            mine = by_rcpt.get(rcpt, [])
            events.append(sg(base, t0, 'processed', sgm, mc))
            attempt = 0
            failed = False
            for o in mine:
                if o['kind'] == 'deferred':
                    attempt += 1
                    events.append(sg(base, o['at'], 'deferred', sgm, mc, response=sg_text(o['tag'], rcpt, c['domain']),
                                     attempt=str(attempt)))
                    demo_mbox.note_diagnostic(o, 'sendgrid', None, events[-1]['response'], None)
                elif o['kind'] == 'bounce':
                    failed = True
                    status, cls = SG_REASON[o['tag']]
                    if o['tag'] in ('user_unknown', 'mailbox_disabled', 'full_expired', 'too_big'):
                        status = demo_mbox.diagnostic(o['tag'], rcpt, c['domain'], SG_IP)[0]
                    typ = 'blocked' if o['intent'] == 'block' else 'bounce'
                    events.append(sg(base, o['at'], 'bounce', sgm, mc, reason=sg_text(o['tag'], rcpt, c['domain']),
                                     status=status, type=typ, bounce_classification=cls))
                    demo_mbox.note_diagnostic(o, 'sendgrid', status, events[-1]['reason'], cls)
            if not failed:
                last = max([o['at'] for o in mine if o['kind'] == 'deferred'] or [t0])
                events.append(sg(base, last + timedelta(seconds=2 + int(mid[5:7], 16) % 20), 'delivered', sgm, mc,
                                 response='250 2.0.0 OK  %d %s - gsmtp' % (int(t0.timestamp()), mid[:10])))
            for o in mine:
                if o['kind'] == 'complaint':
                    events.append(sg(base, o['at'], 'spamreport', sgm, mc))
                elif o['kind'] == 'unsubscribe':
                    if camp['key'] == '7421702' and int(mid[:2], 16) % 3 == 0:
                        events.append(sg(base, o['at'], 'group_unsubscribe', sgm, mc, asm_group_id=21042,
                                         useragent='Mozilla/5.0 (iPhone; CPU iPhone OS 18_6 like Mac OS X)',
                                         ip='203.0.113.%d' % (int(mid[3:5], 16) % 250 + 2),
                                         url='https://casaverde.example/preferences'))
                    else:
                        events.append(sg(base, o['at'], 'unsubscribe', sgm, mc))
        for o in outcomes[camp['key']]:
            if o['kind'] == 'suppressed':
                mid = h(camp['key'] + o['rcpt'], 22)
                base = {'email': o['rcpt'], 'smtp-id': '<%s@ismtpd-%d>' % (mid, int(mid[:2], 16) % 9)}
                sgm = '%s.recvd-%s-%d.0' % (mid, h(mid, 6), int(mid[2:5], 16))
                events.append(sg(base, o['at'], 'dropped', sgm, mc, reason=o['tag'].split(':', 1)[1], status='5.0.0'))
    events.sort(key=lambda e: (e['timestamp'], e['email'], e['event']))
    with open(path, 'w', encoding='utf-8', newline='\n') as f:
        for e in events:
            f.write(json.dumps(e, ensure_ascii=False, separators=(',', ':')) + '\n')
    kind_of = {'processed': 'sent', 'delivered': 'delivered', 'bounce': 'bounce', 'deferred': 'deferred',
               'dropped': 'suppressed', 'spamreport': 'complaint', 'unsubscribe': 'unsubscribe',
               'group_unsubscribe': 'unsubscribe'}
    k = Counter(kind_of[e['event']] for e in events)
    return dict(family='report', format='sendgrid', provider='sendgrid', lines=len(events), events=kinds(k),
                events_total=len(events), recipients=recipients(e['email'] for e in events),
                campaigns=sorted({str(e['marketing_campaign_id']) for e in events}),
                sendgrid_events=dict(sorted(Counter(e['event'] for e in events).items())))


def sg(base, at, event, sgm, mc, **extra):
    eid = base64.urlsafe_b64encode(hashlib.sha1(('%s|%s|%s|%s' % (
        base['email'], at.isoformat(), event, sgm)).encode()).digest()[:16]).decode().rstrip('=')
    e = {'email': base['email'], 'timestamp': int(at.timestamp()), 'smtp-id': base['smtp-id'], 'event': event}
    e.update(extra)
    e.update({'sg_event_id': eid, 'sg_message_id': sgm})
    if event in ('processed', 'dropped'):
        # category is a list for newsletters and a plain string for promos: both shapes occur.
        e['category'] = ['newsletter'] if 'Newsletter' in mc['marketing_campaign_name'] else 'promo'
    e.update(mc)
    return e


# --- Mailchimp -----------------------------------------------------------------------

MC_FIXED = ['MEMBER_RATING', 'OPTIN_TIME', 'OPTIN_IP', 'CONFIRM_TIME', 'CONFIRM_IP', 'LATITUDE', 'LONGITUDE',
            'GMTOFF', 'DSTOFF', 'TIMEZONE', 'CC', 'REGION']
UNSUB_REASONS = ['I no longer want to receive these emails', 'I no longer want to receive these emails',
                 'I receive too many emails', '', 'Other (fill in reason below)']


def csv_cell(v):
    v = '' if v is None else str(v)
    if any(ch in v for ch in ' ,"\n\r'):
        return '"%s"' % v.replace('"', '""')
    return v


def csv_line(cells):
    return ','.join(csv_cell(c) for c in cells)


def mc_common(rng, c):
    t = '%s %02d:%02d:%02d' % (c['signup'].isoformat(), rng.randint(7, 22), rng.randint(0, 59), rng.randint(0, 59))
    conf = t[:-2] + '%02d' % min(int(t[-2:]) + rng.randint(1, 40), 59)
    geo = c['country'] == 'GB' and rng.random() < 0.6
    ip = '198.51.100.%d' % rng.randint(2, 254)
    return [rng.choice([1, 2, 2, 3, 4]), t, ip, conf, ip,
            '51.5072' if geo else '', '-0.1276' if geo else '', '0' if geo else '', '1' if geo else '',
            'Europe/London' if geo else '', c['country'] if geo else '', 'ENG' if geo else '']


def mc_tags(c):
    tags = ['customer'] + (['bulbs'] if c['bulbs'] else []) + (['vip'] if c['vip'] else [])
    return ','.join('"%s"' % t for t in tags)


def write_mailchimp(folder, rng, camps, outcomes):
    head = ['Email Address', 'First Name', 'Last Name', 'Phone Number']
    cleaned, unsub = [], []
    for camp in camps:
        if camp['via'] != 'mailchimp':
            continue
        for o in outcomes[camp['key']]:
            c = o['contact']
            common = [c['email'], c['first'], c['last'], c['phone_display']] + mc_common(rng, c)
            leid, euid = str(110000 + int(h(c['email'], 5), 16) % 890000), h(c['email'] + 'euid', 10)
            when = (o['at'] + timedelta(minutes=5)).strftime('%Y-%m-%d %H:%M:%S')
            if o['kind'] == 'bounce':
                cleaned.append((when, common + [when, camp['name'], camp['key'], leid, euid, '', mc_tags(c)], o, camp['key']))
            elif o['kind'] in ('unsubscribe', 'complaint'):
                if o['kind'] == 'complaint':
                    reason, other = 'The emails are spam and should be reported', ''
                else:
                    reason = rng.choice(UNSUB_REASONS)
                    other = 'Moving abroad, thanks for everything!' if reason.startswith('Other') else ''
                unsub.append((when, common + [when, camp['name'], camp['key'], reason, other, leid, euid,
                                              'Asked in store, "no more emails"' if rng.random() < 0.1 else '',
                                              mc_tags(c)], o, camp['key']))
    cl_head = head + MC_FIXED + ['CLEAN_TIME', 'CLEAN_CAMPAIGN_TITLE', 'CLEAN_CAMPAIGN_ID', 'LEID', 'EUID', 'NOTES', 'TAGS']
    un_head = head + MC_FIXED + ['UNSUB_TIME', 'UNSUB_CAMPAIGN_TITLE', 'UNSUB_CAMPAIGN_ID', 'UNSUB_REASON',
                                 'UNSUB_REASON_OTHER', 'LEID', 'EUID', 'NOTES', 'TAGS']
    res = []
    for name, header, rows in (('cleaned_members_export.csv', cl_head, cleaned),
                               ('unsubscribed_members_export.csv', un_head, unsub)):
        rows.sort(key=lambda r: (r[0], r[1][0]))
        lines = [','.join('"%s"' % x for x in head) + ',' + ','.join(header[len(head):])]
        lines += [csv_line(r[1]) for r in rows]
        with open(os.path.join(folder, name), 'w', encoding='utf-8', newline='') as f:
            f.write('\ufeff' + '\r\n'.join(lines) + '\r\n')
        k = Counter(r[2]['kind'] for r in rows)
        res.append(dict(family='report', format='mailchimp', provider='mailchimp', rows=len(rows), events=kinds(k),
                        events_total=len(rows), recipients=recipients(r[1][0] for r in rows),
                        campaigns=sorted({r[3] for r in rows})))
    return res


# --- Twilio --------------------------------------------------------------------------

def twilio_date(dt):
    from demo_mbox import london
    off = london(dt)
    return (dt + timedelta(hours=off)).strftime('%Y-%m-%dT%H:%M:%S') + '+%02d:00' % off


def write_twilio(path, camps, outcomes):
    rows = []
    for camp in camps:
        if camp['via'] != 'twilio':
            continue
        for o in outcomes[camp['key']]:
            uk = o['rcpt'].startswith('+44')
            sid = 'SM' + h(camp['key'] + o['rcpt'] + o['kind'], 32)
            if o['direction'] == 'inbound':
                body = ['STOP', 'Stop', 'STOP', 'UNSUBSCRIBE', 'stop'][int(sid[2:4], 16) % 5]
                rows.append((o['at'], [o['rcpt'], SHOP_SMS, body, 'received', twilio_date(o['at']), '2010-04-01', 1, '',
                                       ACCOUNT_SID, sid, 'inbound', '-0.00750' if uk else '-0.00790', 'USD'], o, camp))
                continue
            failed = o['status'] == 'failed'
            if o['code']:
                demo_mbox.note_diagnostic(dict(o, tag=str(o['code'])), 'twilio', None, '', None, code=o['code'])
            rows.append((o['at'], [SHOP_SMS, o['rcpt'], camp['subject'], o['status'], twilio_date(o['at']), '2010-04-01',
                                   0 if failed else 1, o['code'] or '', ACCOUNT_SID, sid, 'outbound-api',
                                   '' if failed else ('-0.04000' if uk else '-0.00790'), 'USD'], o, camp))
    # The Console lists the newest message first.
    rows.sort(key=lambda r: (r[0], r[1][9]), reverse=True)
    head = 'From,To,Body,Status,SentDate,ApiVersion,NumSegments,ErrorCode,AccountSid,Sid,Direction,Price,PriceUnit'
    with open(path, 'w', encoding='utf-8', newline='') as f:
        f.write(head + '\n' + ''.join(csv_line(r[1]) + '\n' for r in rows))
    # One event per row: its outcome (a `sent` row is one without a delivery receipt yet).
    k = Counter(o['kind'] for _, _, o, _ in rows)
    return dict(family='report', format='twilio', provider='twilio', rows=len(rows), events=kinds(k),
                events_total=sum(k.values()), recipients=recipients(r[2]['rcpt'] for r in rows), campaigns=[],
                statuses=dict(sorted(Counter(r[1][3] for r in rows).items())),
                error_codes=dict(sorted(Counter(str(r[1][7]) for r in rows if r[1][7] != '').items())))


# --- contacts ------------------------------------------------------------------------

def write_contacts(path, rng, contacts, outcomes):
    hard = {o['rcpt'].lower() for res in outcomes.values() for o in res if o['intent'] == 'hard'}
    unsub = {o['rcpt'].lower() for res in outcomes.values() for o in res if o['kind'] in ('unsubscribe', 'complaint')
             and '@' in o['rcpt']}
    rows = []
    for c in contacts:
        rows.append([c['email'], c['first'], c['last'], c['phone_display'], c['city'], c['country'],
                     c['signup'].strftime('%d/%m/%Y'), c['source'], 'no' if c['email'].lower() in unsub else 'yes',
                     'yes' if c['sms_optin'] and c['phone'] else 'no'])
    regular = [r for r, c in zip(rows, contacts) if c['kind'] == 'regular' and not c['role']]
    dup = list(rng.choice(regular))
    local, dom = dup[0].split('@')
    dup[0] = '%s@%s' % (local.capitalize(), dom.capitalize())
    dup[6] = '02/10/2026'
    extras = [dup,
              ['maria.lopez@@gmail.example', 'María', 'López', '', 'London', 'GB', '12/08/2026', 'In store', 'yes', 'no'],
              ['tom at example.com', 'Tom', 'Baker', '', 'Leeds', 'GB', '03/09/2026', 'In store', 'yes', 'no'],
              ['hoa.nguyen@example.net ', 'Hoa', 'Nguyễn', '', 'London', 'GB', '21/09/2026', 'Web shop checkout', 'yes', 'no'],
              ['', 'Walk-in', 'customer', '+1 202-555-0100', 'London', 'GB', '05/10/2026', 'In store', 'no', 'yes']]
    rows += extras
    order = sorted(range(len(rows)), key=lambda k: (rows[k][6][6:] + rows[k][6][3:5] + rows[k][6][:2], k))
    head = ['Email', 'First Name', 'Last Name', 'Phone', 'City', 'Country', 'Signup Date', 'Source', 'Newsletter', 'SMS']
    with open(path, 'w', encoding='utf-8', newline='') as f:
        f.write('\ufeff' + csv_line(head) + '\r\n' + ''.join(csv_line(rows[k]) + '\r\n' for k in order))
    emails = [r[0].strip().lower() for r in rows if r[0].strip()]
    valid = [e for e in emails if e.count('@') == 1 and ' ' not in e]
    roles = [c['email'] for c in contacts if c['role']]
    typos = [c['email'] for c in contacts if c['typo']]
    return dict(family='contacts', format='csv', provider=None, rows=len(rows), columns=head,
                blank_email=len(rows) - len(emails), invalid_syntax=len(emails) - len(valid),
                unique_addresses_case_insensitive=len(set(valid)),
                duplicates_case_insensitive=len(valid) - len(set(valid)), duplicate_example=dup[0],
                trailing_space=1, role_accounts=len(roles), role_examples=sorted(roles),
                typo_domains=len(typos), typo_examples=sorted(typos),
                hard_bounced_in_demo=len(hard & set(valid)),
                unsubscribed_or_complained_in_demo=len(unsub & set(valid)),
                old_trade_fair_rows=sum(1 for c in contacts if c['kind'] == 'old'),
                with_phone=sum(1 for r in rows if r[3]))


# --- per campaign --------------------------------------------------------------------

SOURCE = {'mailchimp': ['mailchimp/cleaned_members_export.csv', 'mailchimp/unsubscribed_members_export.csv'],
          'postfix': ['mailbox/bounces.mbox'], 'gmail': ['mailbox/bounces.mbox'],
          'sendgrid': ['sendgrid/events.jsonl'], 'twilio': ['sms/twilio-messages.csv']}
SENT_HOW = {'mailchimp': None, 'postfix': None, 'gmail': None, 'sendgrid': 'processed events',
            'twilio': 'outbound rows handed to the carrier (all but failed 21610); the export has no campaign column'}


def campaign_expect(camp, res, files):
    bounces = [o for o in res if o['kind'] == 'bounce']
    if camp['via'] == 'mailchimp':
        # Mailchimp exports only the cleaned (hard) and unsubscribed members.
        bounces = [o for o in bounces if o['intent'] == 'hard']
    cnt = Counter(o['intent'] for o in bounces)
    sent = camp['sent']
    unsub = sum(1 for o in res if o['kind'] == 'unsubscribe' and camp['via'] not in ('postfix', 'gmail'))
    out = dict(key=camp['key'], name=camp['name'], channel='sms' if camp['via'] == 'twilio' else 'email',
               sent_via={'postfix': 'own web host relay (Postfix)', 'gmail': 'Google-Workspace-like account'}.get(
                   camp['via'], camp['via']),
               files=SOURCE[camp['via']], subject=camp['subject'], sent_at=camp['at'].strftime('%Y-%m-%dT%H:%M:%SZ'),
               sent=sent, sent_in_files=SENT_HOW[camp['via']] is not None, sent_from=SENT_HOW[camp['via']],
               hard=cnt['hard'], soft=cnt['soft'], block=cnt['block'],
               deferred_events=sum(1 for o in res if o['kind'] == 'deferred'),
               complaint=sum(1 for o in res if o['kind'] == 'complaint'), unsubscribe=unsub,
               suppressed=sum(1 for o in res if o['kind'] == 'suppressed'),
               hard_rate_pct=round(100.0 * cnt['hard'] / sent, 2) if sent else None,
               soft_rate_pct=round(100.0 * cnt['soft'] / sent, 2) if sent else None,
               block_rate_pct=round(100.0 * cnt['block'] / sent, 2) if sent else None,
               complaint_rate_pct=round(100.0 * sum(1 for o in res if o['kind'] == 'complaint') / sent, 3) if sent else None,
               reasons=dict(sorted(Counter(o['tag'] if 'tag' in o else str(o.get('code')) for o in bounces).items())))
    if camp['via'] == 'twilio':
        out['unsubscribe_note'] = ('inbound STOP replies after this send plus failed 21610 re-sends to numbers that had '
                               'opted out; the Twilio export names no campaign')
    return out
