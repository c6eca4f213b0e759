"""Writes assets/demo/README.md from the ground truth. Part of scripts/dev/make_demo.py."""

HEAD = """# Demo data: Casa Verde Plants (made up)

What the desktop app's **Explore demo data** button imports, and what a new user can explore:
a small London plant shop mailing a monthly newsletter and a few promotions from June to
November 2026, plus two SMS campaigns. Everything here is invented: addresses use example.com /
example.net / example.org, their subdomains and provider-like names under `.example`
(gmail.example, outlook.example, yahoo.example); IPs are RFC 5737 documentation addresses;
phones are +1 202 555 01xx and +44 7700 900xxx.

**Do not edit these files by hand.** They are written by `python3 scripts/dev/make_demo.py`
(fixed seed, Python standard library only; `--check` verifies the folder is what the script
writes). `tests/demo_data.rs` imports them through the library and compares with
`expected.json`.

## The story

- **June–July, Mailchimp** (free plan): two newsletters. Mailchimp only lets you export the
  audience: the *cleaned* members (hard bounces, or repeated soft bounces: the export does not say
  which) and the *unsubscribed* members (one says "The emails are spam and should be reported":
  a complaint). No sent counts, no soft bounces in these files.
- **July–August, own sending.** To save money the shop mails from its web shop: the Summer Sale
  through the web host's relay, the August newsletter through a Google-Workspace-like account.
  Bounces come back to `bounces@casaverde.example` (the return path): `mailbox/bounces.mbox`.
  The Summer Sale is the **sending problem**: the relay's shared IP sat on outlook.example's block
  list for about 40 minutes (S3150), and the first batches left through a backup relay that is
  not in SPF and does not sign, so gmail.example refused them for DMARC (5.7.26). One recipient
  at outlook.example reported it as junk (an ARF report from its feedback loop).
- **September–November, SendGrid** Marketing Campaigns: `sendgrid/events.jsonl`, the Event
  Webhook saved one JSON object per line. The **Autumn Bulbs Pre-order** is the **list problem**:
  the shop added an old 2023 trade-fair list (700 addresses, some at a dead ISP), and its hard
  bounce rate goes red. Later SendGrid campaigns *drop* addresses SendGrid already suppressed
  (bounced, unsubscribed, reported spam): shown as suppressed, not as new bounces.
- **SMS, Twilio**: a Summer Sale text in July and a VIP Black Friday preview in November
  (`sms/twilio-messages.csv`, the Console message-log export). The shop never cleans its SMS list:
  dead numbers (30005) and landlines (30006) fail again in November, and people who replied STOP
  in July are refused by Twilio (21610) in November. The export names no campaign and no
  campaign's sent count: each outbound row handed to the carrier is one sent message.
- `contacts/customers.csv` is the shop's contact list for the **Clean a list** screen: it still
  holds the addresses that bounced hard, the trade-fair list, role accounts, typo domains, a
  case-only duplicate, malformed and blank addresses.

## Files

| File | Format (what detects it) | What it demonstrates |
|---|---|---|
"""

FILES = {
    'mailbox/bounces.mbox': ('mbox (`From ` lines, mboxrd `>From ` quoting)',
                             'RFC 3464 DSNs in four styles (Postfix-like with text/rfc822-headers and '
                             '`Auto-Submitted: auto-replied`, Exim-like with the whole message, Office365-like with '
                             'multipart/alternative text+HTML, Gmail-like), `Action: delayed` warnings, expiry '
                             'failures days later, an ARF complaint, out-of-office replies in English, Spanish and '
                             'Vietnamese (RFC 2047 subjects, 8bit and base64 bodies), two ordinary replies that must '
                             'produce no event. Every report carries the original headers with `X-Campaign-Id`.'),
    'sendgrid/events.jsonl': ('SendGrid Event Webhook, JSON lines',
                              'processed (= sent), delivered, deferred (several attempts), bounce with '
                              '`type` bounce/blocked and `bounce_classification`, dropped (suppressed), spamreport, '
                              'unsubscribe and group_unsubscribe; `category` as string or array; '
                              '`marketing_campaign_id`/`_name`.'),
    'mailchimp/cleaned_members_export.csv': ('Mailchimp audience export, cleaned members',
                                             'UTF-8 BOM, CRLF, quoted fields, doubled quotes in TAGS, '
                                             'zone-less CLEAN_TIME, CLEAN_CAMPAIGN_ID/TITLE.'),
    'mailchimp/unsubscribed_members_export.csv': ('Mailchimp audience export, unsubscribed members',
                                                  'UNSUB_REASON free text (one spam report = complaint), '
                                                  'UNSUB_CAMPAIGN_ID/TITLE.'),
    'sms/twilio-messages.csv': ('Twilio Console message log (`From,To,Body,Status,SentDate,…`)',
                                'delivered / sent / undelivered / failed with error codes, inbound STOP rows, '
                                'bodies with commas, newest first, ISO dates with offset, no campaign column.'),
    'contacts/customers.csv': ('contact list CSV (not a report: for "Clean a list")',
                               'BOM, CRLF, UK/US phone spellings, dd/mm/yyyy dates, Spanish and Vietnamese names.'),
}

TAIL = """
## Conventions of `expected.json`

- `import_files`: what the **Explore demo data** button imports (everything but the contact list).
- Per file, `events` counts the events an importer should produce, by kind:
  `sent` = SendGrid `processed`, or a Twilio row with Status `sent` (no receipt yet);
  `delivered`; `bounce` (hard, soft and block alike); `deferred` (one per SendGrid `deferred`
  event or `Action: delayed` report); `complaint`; `unsubscribe` (SendGrid unsubscribe and
  group_unsubscribe; Twilio inbound STOP rows and `failed` 21610 re-sends to opted-out numbers);
  `auto_reply`; `suppressed` (SendGrid `dropped`). Each Twilio row is one event; a Mailchimp
  cleaned row is one hard `bounce`. Ordinary replies produce nothing.
- `recipients`: distinct recipients as Rebound normalizes them (domain lowercased).
- Per campaign, `hard`/`soft`/`block` count bounce events by the class the generator intended
  from the status code and text it wrote (5.1.1, 5.1.10, 5.1.2, 5.5.0 "mailbox unavailable",
  "user doesn't have an account" → hard; 4.2.2/5.2.2/mailbox full, 5.3.4 too big, 5.2.1
  disabled mailbox (soft in Rebound, see docs/classification.md), SMS 30003/30008 → soft;
  5.7.1 block list/spam content, 5.7.26 DMARC, SMS 30007 → block; SMS 30005/30006 → hard).
  A Mailchimp cleaned row is hard whatever its cause.
  Rates are ÷ `sent`. `sent_in_files: false` means no file carries the sent count (Mailchimp
  audience exports, a mailbox): `sent` is what the shop's records say, for a user to type in.
- `diagnostics`: one example of every distinct status/text/label the generator wrote, with the
  class it intended; `tests/demo_data.rs` runs the classifier over them.

## How the app uses it

The **Explore demo data** button imports the files of `import_files` into a *separate* demo
database (not the user's own), so exploring never mixes made-up numbers with real ones and
"leave the demo" is just switching back. For the campaigns whose sent count is in no file, the
demo may enter `sent` from `expected.json` through the same "type in the sent count" path a user
has, marked as entered by hand. `contacts/customers.csv` is offered on the **Clean a list**
screen.
"""


def write(path, exp):
    lines = [HEAD]
    for rel, f in exp['files'].items():
        fmt, what = FILES[rel]
        lines.append('| `%s` (%s KB) | %s | %s |\n' % (rel, (f['bytes'] + 1023) // 1024, fmt, what))
    lines.append('\n## Campaigns (intended numbers)\n\n')
    lines.append('| Campaign | Sent at (UTC) | Source | Sent | Hard | Soft | Block | Compl. | Unsub. | Suppr. | Hard % |\n')
    lines.append('|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|\n')
    for c in exp['campaigns']:
        lines.append('| %s (`%s`) | %s | %s | %d%s | %d | %d | %d | %d | %d | %d | %s |\n' % (
            c['name'], c['key'], c['sent_at'][:16].replace('T', ' '), c['sent_via'], c['sent'],
            '' if c['sent_in_files'] else '*', c['hard'], c['soft'], c['block'], c['complaint'], c['unsubscribe'],
            c['suppressed'], '%.2f' % c['hard_rate_pct'] if c['hard_rate_pct'] is not None else '–'))
    lines.append('\n\\* not in any file: the shop\'s own number, to be typed in (see below).\n')
    lines.append(TAIL)
    with open(path, 'w', encoding='utf-8', newline='\n') as f:
        f.write(''.join(lines))
