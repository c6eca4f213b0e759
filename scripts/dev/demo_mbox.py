"""The return-path mailbox of the demo (bounces@casaverde.example) as an mbox.
Part of scripts/dev/make_demo.py. Messages are written from RFC 3464 / 5965 / 3834 and
from what common MTAs' reports look like; none is copied from a real bounce."""
import base64
import hashlib
from datetime import timedelta, timezone

DAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun']
MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']
RELAY = 'relay.webhost.example.net'
RELAY_IP = '192.0.2.25'
GOOGLE_IP = '192.0.2.80'
RETURN = 'bounces@casaverde.example'
SHOP_FROM = 'Casa Verde Plants <hello@casaverde.example>'
MX = {'gmail.example': 'gmail-smtp-in.l.gmail.example', 'outlook.example': 'outlook-com.olc.protection.outlook.example',
      'yahoo.example': 'mta7.am0.yahoodns.example', 'example.com': 'mx1.example.com', 'example.net': 'mx.example.net',
      'mail.example.net': 'mx.mail.example.net', 'shop.example.org': 'mail.shop.example.org',
      'studio.example.net': 'mx.studio.example.net', 'example.org': 'example-org.mail.protection.outlook.example',
      'mail.example.com': 'mx1.mail.example.com'}


def london(dt):
    """Europe/London offset for 2026 (BST until 25 Oct 01:00 UTC)."""
    from datetime import datetime
    bst_end = datetime(2026, 10, 25, 1, 0, tzinfo=timezone.utc)
    return 1 if dt < bst_end else 0


def rfc2822(dt, hours):
    t = (dt + timedelta(hours=hours)).replace(tzinfo=None)
    sign = '+' if hours >= 0 else '-'
    return '%s, %02d %s %d %02d:%02d:%02d %s%02d00' % (
        DAYS[t.weekday()], t.day, MONTHS[t.month - 1], t.year, t.hour, t.minute, t.second, sign, abs(hours))


def asctime(dt):
    t = dt.replace(tzinfo=None)
    return '%s %s %2d %02d:%02d:%02d %d' % (DAYS[t.weekday()], MONTHS[t.month - 1], t.day, t.hour, t.minute, t.second, t.year)


def h(s, n=12):
    return hashlib.sha1(s.encode()).hexdigest()[:n]


def enc_subject(s):
    if all(ord(ch) < 128 for ch in s):
        return s
    return '=?UTF-8?B?%s?=' % base64.b64encode(s.encode()).decode()


def original_id(camp, rcpt):
    return '<%s.%s@casaverde.example>' % (camp['at'].strftime('%Y%m%d%H%M'), h(camp['key'] + rcpt, 16))


def original_headers(camp, rcpt, sent_at):
    return [
        'Return-Path: <%s>' % RETURN,
        'Date: %s' % rfc2822(sent_at, london(sent_at)),
        'From: %s' % SHOP_FROM,
        'To: <%s>' % rcpt,
        'Subject: %s' % enc_subject(camp['subject']),
        'Message-ID: %s' % original_id(camp, rcpt),
        'List-Id: Casa Verde Plants news <news.casaverde.example>',
        'List-Unsubscribe: <https://casaverde.example/u/%s>, <mailto:unsubscribe@casaverde.example?subject=%s>'
        % (h(rcpt, 20), h(rcpt, 20)),
        'List-Unsubscribe-Post: List-Unsubscribe=One-Click',
        'X-Campaign-Id: %s' % camp['key'],
        'MIME-Version: 1.0',
        'Content-Type: text/plain; charset=utf-8',
        'Content-Transfer-Encoding: 7bit',
    ]


def original_full(camp, rcpt, sent_at, first):
    body = ['Hello %s,' % first.encode('ascii', 'replace').decode().replace('?', ''), '',
            'From our greenhouse to your home: this month at Casa Verde.', '',
            '* %s' % camp['name'].encode('ascii', 'ignore').decode(), '* Free delivery in London over GBP 40', '',
            'Happy planting,', 'Ana & the Casa Verde team', '',
            '--', 'Unsubscribe: https://casaverde.example/u/%s' % h(rcpt, 20)]
    return original_headers(camp, rcpt, sent_at) + [''] + body


# --- diagnostics ---------------------------------------------------------------------

def diagnostic(tag, rcpt, domain, sender_ip):
    """(enhanced status, SMTP reply text) as the receiving server gave it."""
    if tag == 'user_unknown':
        if domain == 'gmail.example':
            return '5.1.1', ("550-5.1.1 The email account that you tried to reach does not exist. Please try "
                             "double-checking the recipient's email address for typos or unnecessary spaces. "
                             "https://support.gmail.example/mail/?p=NoSuchUser")
        if domain == 'outlook.example':
            return '5.5.0', '550 5.5.0 Requested action not taken: mailbox unavailable (S2017062302)'
        if domain == 'yahoo.example':
            return '5.0.0', "554 delivery error: dd This user doesn't have a yahoo.example account (%s) [0]" % rcpt
        if domain == 'example.org':
            return '5.1.10', ('550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address '
                              'lookup')
        if domain == 'mail.example.com':
            return '5.1.1', '550 5.1.1 <%s>: No such user here' % rcpt
        return '5.1.1', '550 5.1.1 <%s>: Recipient address rejected: User unknown in virtual mailbox table' % rcpt
    if tag == 'mailbox_disabled':
        if domain == 'gmail.example':
            return '5.2.1', ('550-5.2.1 The email account that you tried to reach is disabled. '
                             'https://support.gmail.example/mail/?p=DisabledUser')
        return '5.2.1', '550 5.2.1 <%s>: Mailbox disabled, not accepting messages' % rcpt
    if tag == 'full_perm':
        if domain == 'gmail.example':
            return '5.2.2', ("552-5.2.2 The recipient's inbox is out of storage space. Please direct the recipient "
                             "to https://support.gmail.example/mail/?p=OverQuotaPerm")
        if domain == 'example.org':
            return '5.2.2', ('554 5.2.2 mailbox full; STOREDRV.Deliver.Exception:QuotaExceededException.'
                             'MapiExceptionShutoffQuotaExceeded; Failed to process message due to a permanent '
                             'exception with message Cannot open mailbox.')
        if domain == 'mail.example.com':
            return '5.0.0', 'mailbox is full (MTA-imposed quota exceeded while writing to mailbox): retry timeout exceeded'
        return '5.2.2', '552 5.2.2 <%s>: Mailbox full - quota exceeded' % rcpt
    if tag in ('full_temp', 'full_expired'):
        if domain == 'gmail.example':
            return '4.2.2', ("452-4.2.2 The recipient's inbox is out of storage space and inactive. Please direct "
                             "the recipient to https://support.gmail.example/mail/?p=OverQuotaTemp")
        return '4.2.2', '452 4.2.2 <%s>: Mailbox full, try again later' % rcpt
    if tag == 'too_big':
        return '5.3.4', '552 5.3.4 Message size exceeds fixed maximum message size (10240000 bytes)'
    if tag == 'throttle_outlook':
        return '4.7.650', ('451 4.7.650 The mail server [%s] has been temporarily rate limited due to IP reputation. '
                           'For e-mail delivery information, see https://postmaster.outlook.example (S775)' % sender_ip)
    if tag == 'throttle_yahoo':
        return '4.7.0', ('421 4.7.0 [TSS04] Messages from %s temporarily deferred due to unexpected volume or user '
                         'complaints - 4.16.55.1; see https://postmaster.yahoo.example/error-codes' % sender_ip)
    if tag == 'ip_blocklist':
        return '5.7.1', ('550 5.7.1 Unfortunately, messages from [%s] weren\'t sent. Please contact your Internet '
                         'service provider since part of their network is on our block list (S3150). You can also '
                         'refer your provider to https://mail.outlook.example/troubleshooting#errors.' % sender_ip)
    if tag == 'dmarc':
        return '5.7.26', ("550-5.7.26 Unauthenticated email from casaverde.example is not accepted due to domain's "
                          "DMARC policy. Please contact the administrator of casaverde.example domain if this was "
                          "a legitimate mail. https://support.gmail.example/mail/?p=DmarcRejection")
    if tag == 'content_spam':
        return '5.7.1', '554 5.7.1 Message rejected: spam content detected (score 8.4 > 6.0)'
    raise ValueError(tag)


def wrap(text, width=72, indent='    '):
    words, lines, cur = text.split(' '), [], ''
    for w in words:
        if cur and len(cur) + 1 + len(w) > width:
            lines.append(cur)
            cur = indent + w
        else:
            cur = (cur + ' ' + w) if cur else w
    lines.append(cur)
    return lines


def fold(field):
    """A long DSN field folded the way Postfix writes it (continuation lines start with spaces)."""
    lines = wrap(field, 76, '    ')
    return lines


# --- report builders -----------------------------------------------------------------

DIAGNOSTICS = {}


def note_diagnostic(o, source, status, text, label, code=None):
    """One example per distinct (kind, status, text) for expected.json's classifier check."""
    generic = text.replace(o['rcpt'], '<rcpt>')
    key = (source, o['kind'], status, generic, label, code)
    if key not in DIAGNOSTICS:
        DIAGNOSTICS[key] = dict(source=source, kind=o['kind'], status=status, diagnostic=text,
                                provider_label=label, code=code, intent=o['intent'], tag=o['tag'], count=0)
    DIAGNOSTICS[key]['count'] += 1


class Msg:
    def __init__(self, envelope, at, lines):
        self.envelope, self.at, self.lines = envelope, at, lines


def postfix(o, camp, first):
    rcpt, dom = o['rcpt'], o['contact']['domain']
    status, reply = diagnostic(o['tag'], rcpt, dom, RELAY_IP)
    delayed = o['kind'] == 'deferred'
    at = o['at']
    qid = h(rcpt + str(o['sent_at']), 10).upper()
    b = '%s.%d/%s' % (qid, int(at.timestamp()), RELAY)
    mx = MX.get(dom, 'mx.' + dom)
    said = '<%s>: host %s[203.0.113.%d] said: %s (in reply to %s command)' % (
        rcpt, mx, 10 + int(h(dom, 2), 16) % 200, reply, 'end of DATA' if o['tag'] == 'too_big' else 'RCPT TO')
    if delayed:
        subject = 'Delayed Mail (still being retried)'
        intro = ['This is the mail system at host %s.' % RELAY, '',
                 '####################################################################',
                 '# THIS IS A WARNING ONLY.  YOU DO NOT NEED TO RESEND YOUR MESSAGE. #',
                 '####################################################################', '',
                 'Your message could not be delivered for more than 4 hour(s).',
                 'It will be retried until it is 5 day(s) old.', '',
                 'For further assistance, please send mail to postmaster.', '',
                 'If you do so, please include this problem report. You can',
                 'delete your own text from the attached returned message.', '',
                 '                   The mail system', '']
    else:
        subject = 'Undelivered Mail Returned to Sender'
        intro = ['This is the mail system at host %s.' % RELAY, '',
                 "I'm sorry to have to inform you that your message could not",
                 "be delivered to one or more recipients. It's attached below.", '',
                 'For further assistance, please send mail to postmaster.', '',
                 'If you do so, please include this problem report. You can',
                 'delete your own text from the attached returned message.', '',
                 '                   The mail system', '']
        if o['tag'] == 'full_expired':
            said = '<%s>: delivery temporarily suspended: host %s[203.0.113.9] said: %s' % (rcpt, mx, reply)
    dsn = ['Reporting-MTA: dns; %s' % RELAY, 'X-Postfix-Queue-ID: %s' % qid,
           'X-Postfix-Sender: rfc822; %s' % RETURN, 'Arrival-Date: %s' % rfc2822(o['sent_at'], london(at)), '',
           'Final-Recipient: rfc822; %s' % rcpt, 'Original-Recipient: rfc822;%s' % rcpt,
           'Action: %s' % ('delayed' if delayed else 'failed'), 'Status: %s' % status,
           'Remote-MTA: dns; %s' % mx] + fold('Diagnostic-Code: smtp; %s' % reply)
    if delayed:
        dsn.append('Will-Retry-Until: %s' % rfc2822(o['sent_at'] + timedelta(days=5), london(at)))
    headers = ['Return-Path: <>', 'Delivered-To: %s' % RETURN,
               'Received: by %s (Postfix)' % RELAY, '\tid %s; %s' % (qid, rfc2822(at, london(at))),
               'Date: %s' % rfc2822(at, london(at)),
               'From: MAILER-DAEMON@%s (Mail Delivery System)' % RELAY,
               'Subject: %s' % subject, 'To: %s' % RETURN,
               'Auto-Submitted: auto-replied', 'MIME-Version: 1.0',
               'Content-Type: multipart/report; report-type=delivery-status;', '\tboundary="%s"' % b,
               'Content-Transfer-Encoding: 7bit',
               'Message-Id: <%s.%s@%s>' % (int(at.timestamp()), qid, RELAY)]
    body = ['This is a MIME-encapsulated message.', '', '--' + b, 'Content-Description: Notification',
            'Content-Type: text/plain; charset=us-ascii', ''] + intro + wrap(said) + [
        '', '--' + b, 'Content-Description: Delivery report', 'Content-Type: message/delivery-status', ''] + dsn + [
        '', '--' + b, 'Content-Description: Undelivered Message Headers', 'Content-Type: text/rfc822-headers',
        'Content-Transfer-Encoding: 7bit', ''] + original_headers(camp, rcpt, o['sent_at']) + ['', '--%s--' % b, '']
    return Msg('MAILER-DAEMON', at, headers + [''] + body)


def exim(o, camp, first):
    rcpt, dom = o['rcpt'], o['contact']['domain']
    status, reply = diagnostic(o['tag'], rcpt, dom, RELAY_IP)
    at, host = o['at'], 'mx1.mail.example.com'
    delayed = o['kind'] == 'deferred'
    eid = '1v%s-000%s-%s' % (h(rcpt, 4), h(rcpt + 'x', 3).upper(), h(rcpt + 'y', 2).upper())
    b = '%d-eximdsn-%d' % (int(at.timestamp()), int(h(rcpt, 6), 16))
    if delayed:
        subject = 'Warning: message %s delayed 24 hours' % eid
        text = ['This message was created automatically by mail delivery software.',
                'A message that you sent has not yet been delivered to one or more of its',
                'recipients after more than 24 hours on the queue on %s.' % host, '',
                'The message identifier is:     %s' % eid, '', 'The address to which the message has not yet been delivered is:',
                '', '  ' + rcpt, '    ' + reply, '', 'No action is required on your part. Delivery attempts will continue for',
                'some time, and this warning may be repeated at intervals if the message', 'remains undelivered.']
    else:
        subject = 'Mail delivery failed: returning message to sender'
        text = ['This message was created automatically by mail delivery software.', '',
                'A message that you sent could not be delivered to one or more of its',
                'recipients. This is a permanent error. The following address(es) failed:', '',
                '  ' + rcpt] + ['    ' + x.strip() for x in wrap(reply, 68, '')]
    dsn = ['Reporting-MTA: dns; %s' % host, '', 'Action: %s' % ('delayed' if delayed else 'failed'),
           'Final-Recipient: rfc822;%s' % rcpt, 'Status: %s' % status]
    if reply.startswith(('4', '5')):
        dsn += ['Remote-MTA: dns; store3.mail.example.com', 'Diagnostic-Code: smtp; %s' % reply]
    else:
        dsn += ['X-Exim-Diagnostic: X-str; %s' % reply]
    headers = ['Return-path: <>', 'Envelope-to: %s' % RETURN, 'Delivery-date: %s' % rfc2822(at, 2),
               'Received: from mail by %s with local (Exim 4.98)' % host, '\tid %s' % eid, '\tfor %s; %s' % (RETURN, rfc2822(at, 2)),
               'X-Failed-Recipients: %s' % rcpt, 'Auto-Submitted: auto-replied',
               'From: Mail Delivery System <Mailer-Daemon@%s>' % host, 'To: %s' % RETURN,
               'References: %s' % original_id(camp, rcpt),
               'Content-Type: multipart/report; report-type=delivery-status; boundary=%s' % b,
               'MIME-Version: 1.0', 'Subject: %s' % subject, 'Message-Id: <E%s@%s>' % (eid, host),
               'Date: %s' % rfc2822(at, 2)]
    body = ['--' + b, 'Content-type: text/plain; charset=us-ascii', ''] + text + [
        '', '--' + b, 'Content-type: message/delivery-status', ''] + dsn + [
        '', '--' + b, 'Content-type: message/rfc822', ''] + original_full(camp, rcpt, o['sent_at'], first) + [
        '', '--%s--' % b, '']
    return Msg('MAILER-DAEMON', at, headers + [''] + body)


def o365(o, camp, first):
    rcpt, dom = o['rcpt'], o['contact']['domain']
    sender_ip = GOOGLE_IP if camp['via'] == 'gmail' else RELAY_IP
    status, reply = diagnostic(o['tag'], rcpt, dom, sender_ip)
    at = o['at']
    b = '_000_%s_' % h(rcpt + str(at), 24)
    alt = '_001_%s_' % h(rcpt + 'alt', 24)
    server = 'AM9PR02MB%d.eurprd02.prod.outlook.example' % (7000 + int(h(rcpt, 3), 16) % 999)
    if o['tag'] == 'full_perm':
        what = ["%s's mailbox is full." % rcpt, '', 'Your message could not be delivered because the',
                "recipient's mailbox is full. Try resending the message later."]
    else:
        what = ["Your message to %s couldn't be delivered." % rcpt, '',
                "%s wasn't found at %s." % (rcpt.split('@')[0], dom), '', 'Action Required',
                'Unknown To address', '', 'How to Fix It',
                "The address may be misspelled or may not exist. Try one or more of the following:",
                "- Retype the recipient's address, then resend the message."]
    plain = what + ['', 'More Info for Email Admins', 'Status code: %s' % status, '',
                    'Original Message Details', 'Created Date: %s' % rfc2822(o['sent_at'], 0),
                    'Sender Address: %s' % RETURN, 'Recipient Address: %s' % rcpt, '',
                    'Error Details', 'Reported error: %s' % reply, 'DSN generated by: %s' % server]
    html = ['<html><body><p style="font-family:Segoe UI">%s</p>' % what[0].replace('<', '&lt;'),
            '<p>Status code: %s</p></body></html>' % status]
    dsn = ['Reporting-MTA: dns;%s' % server, 'Received-From-MTA: dns;%s' % (
        'mail-sor-f41.gmail.example' if camp['via'] == 'gmail' else RELAY),
        'Arrival-Date: %s' % rfc2822(o['sent_at'], 0), '', 'Final-recipient: RFC822; %s' % rcpt,
        'Action: failed', 'Status: %s' % status, 'Diagnostic-code: smtp;%s' % reply]
    headers = ['Return-Path: <>', 'From: Microsoft Outlook <MicrosoftExchange329e71ec88ae4615bbc36ab6ce41109e@%s>' % dom,
               'To: <%s>' % RETURN, 'Date: %s' % rfc2822(at, 0), 'Content-Type: multipart/report;',
               '\treport-type=delivery-status;', '\tboundary="%s"' % b, 'MIME-Version: 1.0',
               'Message-ID: <%s@%s>' % (h(rcpt + 'ndr', 36), server),
               'In-Reply-To: %s' % original_id(camp, rcpt), 'References: %s' % original_id(camp, rcpt),
               'Subject: %s' % enc_subject('Undeliverable: ' + camp['subject']),
               'Auto-Submitted: auto-replied', 'X-MS-Exchange-Message-Is-Ndr:',
               'X-MS-PublicTrafficType: Email', 'Content-Language: en-US']
    body = ['--' + b, 'Content-Type: multipart/alternative; differences=Content-Type;', '\tboundary="%s"' % alt, '',
            '--' + alt, 'Content-Type: text/plain; charset="us-ascii"', 'Content-Transfer-Encoding: 7bit', ''] + plain + [
        '', '--' + alt, 'Content-Type: text/html; charset="us-ascii"', 'Content-Transfer-Encoding: 7bit', ''] + html + [
        '', '--%s--' % alt, '', '--' + b, 'Content-Type: message/delivery-status', ''] + dsn + [
        '', '--' + b, 'Content-Type: text/rfc822-headers', ''] + original_headers(camp, rcpt, o['sent_at']) + [
        '', '--%s--' % b, '']
    return Msg('MAILER-DAEMON', at, headers + [''] + body)


def gmail(o, camp, first):
    rcpt, dom = o['rcpt'], o['contact']['domain']
    status, reply = diagnostic(o['tag'], rcpt, dom, GOOGLE_IP)
    at = o['at']
    delayed = o['kind'] == 'deferred'
    b = '0000000000%s' % h(rcpt + str(at), 16)
    mx = MX.get(dom, 'mx.' + dom)
    if delayed:
        subject, title = 'Delivery Status Notification (Delay)', '** Message not delivered yet **'
        lead = ["There was a temporary problem delivering your message to %s. Gmail will retry for 46 more "
                "hours. You'll be notified if the delivery fails permanently." % rcpt]
    elif o['tag'] in ('user_unknown', 'mailbox_disabled'):
        subject, title = 'Delivery Status Notification (Failure)', '** Address not found **'
        lead = ["Your message wasn't delivered to %s because the address couldn't be found, or is unable to "
                "receive mail." % rcpt]
    elif o['tag'] == 'content_spam':
        subject, title = 'Delivery Status Notification (Failure)', '** Message blocked **'
        lead = ["Your message to %s has been blocked. See technical details below for more information." % rcpt]
    else:
        subject, title = 'Delivery Status Notification (Failure)', '** Message not delivered **'
        lead = ["There was a problem delivering your message to %s. See the technical details below." % rcpt]
    text = [title, ''] + wrap(lead[0], 72, '') + ['', 'The response from the remote server was:'] + wrap(reply, 72, '')
    dsn = ['Reporting-MTA: dns; googlemail.example', 'Received-From-MTA: dns; hello@casaverde.example',
           'Arrival-Date: %s' % rfc2822(o['sent_at'], -7 if london(at) else -8),
           'X-Original-Message-ID: %s' % original_id(camp, rcpt), '',
           'Final-Recipient: rfc822; %s' % rcpt, 'Action: %s' % ('delayed' if delayed else 'failed'),
           'Status: %s' % status, 'Remote-MTA: dns; %s. (203.0.113.%d, the server for the domain %s.)' % (
               mx, 20 + int(h(dom, 2), 16) % 200, dom),
           'Diagnostic-Code: smtp; %s' % reply,
           'Last-Attempt-Date: %s' % rfc2822(at, -7 if london(at) else -8)]
    if delayed:
        dsn.append('Will-Retry-Until: %s' % rfc2822(o['sent_at'] + timedelta(days=2), -7))
    tz = -7 if london(at) else -8
    headers = ['Return-Path: <>', 'Received: by 2002:a05:6a00:%s with SMTP id %s;' % (h(rcpt, 4), h(rcpt + 'id', 12)),
               '        %s' % rfc2822(at, tz), 'Content-Type: multipart/report; boundary="%s"; report-type=delivery-status' % b,
               'MIME-Version: 1.0', 'From: Mail Delivery Subsystem <mailer-daemon@googlemail.example>',
               'To: hello@casaverde.example', 'Auto-Submitted: auto-replied',
               'Message-ID: <%s.%s.%s@mx.google.example>' % (h(rcpt + 'a', 8), h(rcpt + 'b', 8), h(rcpt + 'c', 6)),
               'Date: %s' % rfc2822(at, tz), 'Subject: %s' % subject,
               'References: %s' % original_id(camp, rcpt), 'In-Reply-To: %s' % original_id(camp, rcpt),
               'X-Failed-Recipients: %s' % rcpt]
    body = ['--' + b, 'Content-Type: text/plain; charset="UTF-8"', ''] + text + [
        '', '--' + b, 'Content-Type: message/delivery-status', ''] + dsn + [
        '', '--' + b, 'Content-Type: message/rfc822', ''] + original_full(camp, rcpt, o['sent_at'], first) + [
        '', '--%s--' % b]
    return Msg('MAILER-DAEMON', at, headers + [''] + body)


def arf(o, camp, first):
    rcpt, at = o['rcpt'], o['at']
    b = 'fbl_%s' % h(rcpt + 'arf', 20)
    headers = ['Return-Path: <feedback@fbl.outlook.example>', 'Date: %s' % rfc2822(at, 0),
               'From: Outlook.example Feedback Loop <feedback@fbl.outlook.example>', 'To: %s' % RETURN,
               'Subject: complaint about message from %s' % RELAY_IP, 'MIME-Version: 1.0',
               'Message-ID: <%s@fbl.outlook.example>' % h(rcpt + 'fbl', 24),
               'Content-Type: multipart/report; report-type=feedback-report;', '\tboundary="%s"' % b]
    body = ['--' + b, 'Content-Type: text/plain; charset="US-ASCII"', 'Content-Transfer-Encoding: 7bit', '',
            'This is an email abuse report for an email message received from IP',
            '%s on %s.' % (RELAY_IP, rfc2822(o['sent_at'], 0)),
            'A recipient marked it as junk. For more information about this format please see',
            'https://www.rfc-editor.org/rfc/rfc5965.', '',
            '--' + b, 'Content-Type: message/feedback-report', '', 'Feedback-Type: abuse',
            'User-Agent: OutlookExampleFBL/2.1', 'Version: 1', 'Original-Mail-From: <%s>' % RETURN,
            'Original-Rcpt-To: <%s>' % rcpt, 'Arrival-Date: %s' % rfc2822(o['sent_at'], 0),
            'Reporting-MTA: dns; fbl.outlook.example', 'Source-IP: %s' % RELAY_IP, 'Incidents: 1', '',
            '--' + b, 'Content-Type: message/rfc822', 'Content-Disposition: inline', ''] + original_full(
        camp, rcpt, o['sent_at'], first) + ['', '--%s--' % b, '']
    return Msg('feedback@fbl.outlook.example', at, headers + [''] + body)


def qp_utf8(s):
    out = []
    for ch in s:
        if ch == '=' or ord(ch) > 126:
            out.extend('=%02X' % b for b in ch.encode())
        else:
            out.append(ch)
    return ''.join(out)


def auto_reply(c, camp, at, lang):
    rcpt = c['email']
    name = '%s %s' % (c['first'], c['last'])
    if lang == 'en':
        subject, text, cte = 'Automatic reply: ' + camp['subject'], [
            'Thank you for your email. I am out of the office until %s with limited access to email.' % (
                (at + timedelta(days=9)).strftime('%d %B')), '', 'For urgent matters please call the front desk.',
            '', 'Kind regards,', name.encode('ascii', 'ignore').decode()], '7bit'
    elif lang == 'en2':
        subject, text, cte = 'Out of Office: ' + camp['subject'], [
            'Hi, I am on annual leave and will reply when I am back.', '', 'Thanks!'], '7bit'
    elif lang == 'es':
        subject, text, cte = 'Respuesta automática: ' + camp['subject'], [
            'Gracias por su mensaje. Estoy de vacaciones hasta el lunes y responderé a mi regreso.', '',
            'Un saludo,', name], '8bit'
    else:
        subject, text, cte = 'Trả lời tự động: ' + camp['subject'], [
            'Cảm ơn bạn đã gửi thư. Tôi đang nghỉ phép và sẽ trả lời khi trở lại văn phòng.', '',
            'Trân trọng,', name], 'base64'
    headers = ['Return-Path: <%s>' % rcpt, 'Date: %s' % rfc2822(at, london(at)),
               'From: %s <%s>' % (enc_subject(name), rcpt), 'To: %s' % RETURN,
               'Subject: %s' % enc_subject(subject), 'Message-ID: <%s@%s>' % (h(rcpt + 'ooo', 20), c['domain']),
               'In-Reply-To: %s' % original_id(camp, rcpt), 'References: %s' % original_id(camp, rcpt),
               'Auto-Submitted: auto-replied', 'X-Auto-Response-Suppress: All', 'MIME-Version: 1.0',
               'Content-Type: text/plain; charset=utf-8', 'Content-Transfer-Encoding: %s' % cte]
    if cte == 'base64':
        raw = base64.b64encode('\n'.join(text).encode()).decode()
        body = [raw[i:i + 76] for i in range(0, len(raw), 76)]
    else:
        body = text
    return Msg(rcpt, at, headers + [''] + body + [''])


def human_reply(c, camp, at, n):
    rcpt = c['email']
    if n == 0:
        subject = 'Re: ' + camp['subject']
        text = ['Hi Ana,', '', 'Do you deliver to Brighton? I would love two of the large pots.', '',
                'From what I remember you only deliver in London, but I hope I am wrong!', '',
                'Thanks, %s' % c['first'], '',
                'On %s, Casa Verde Plants wrote:' % rfc2822(camp['at'], 1), '> Hello,', '> From our greenhouse to your home']
    else:
        subject = 'Re: ' + camp['subject']
        text = ['Hello,', '', 'Can I still join the workshop on the 22nd? We are two people.', '',
                'Cheers,', c['first']]
    headers = ['Return-Path: <%s>' % rcpt, 'Date: %s' % rfc2822(at, london(at)),
               'From: %s <%s>' % (enc_subject('%s %s' % (c['first'], c['last'])), rcpt), 'To: %s' % RETURN,
               'Subject: %s' % enc_subject(subject), 'Message-ID: <%s@%s>' % (h(rcpt + 're', 20), c['domain']),
               'In-Reply-To: %s' % original_id(camp, rcpt), 'MIME-Version: 1.0',
               'Content-Type: text/plain; charset=utf-8', 'Content-Transfer-Encoding: 8bit']
    return Msg(rcpt, at, headers + [''] + text + [''])


def style_of(o, camp):
    if o['kind'] == 'complaint':
        return 'arf'
    dom = o['contact']['domain']
    if dom == 'example.org' and o['kind'] == 'bounce' and o['tag'] in ('user_unknown', 'mailbox_disabled', 'full_perm'):
        return 'o365'
    if dom == 'mail.example.com' and o['tag'] in ('user_unknown', 'mailbox_disabled', 'full_perm'):
        return 'exim'
    return 'postfix' if camp['via'] == 'postfix' else 'gmail'


BUILDERS = {'postfix': postfix, 'exim': exim, 'o365': o365, 'gmail': gmail, 'arf': arf}


def write_mbox(path, rng, camps, outcomes):
    """Returns the messages' facts for expected.json."""
    msgs, facts = [], []
    for camp in camps:
        if camp['via'] not in ('postfix', 'gmail'):
            continue
        for o in outcomes[camp['key']]:
            if o['kind'] not in ('bounce', 'deferred', 'complaint'):
                continue   # unsubscribes reach the web shop, not the mailbox
            style = style_of(o, camp)
            o['style'] = style
            msgs.append(BUILDERS[style](o, camp, o['contact']['first']))
            if style != 'arf':
                ip = GOOGLE_IP if camp['via'] == 'gmail' else RELAY_IP
                status, text = diagnostic(o['tag'], o['rcpt'], o['contact']['domain'], ip)
                note_diagnostic(o, 'mbox', status, text, None)
            facts.append(dict(kind=o['kind'], rcpt=o['rcpt'], campaign=camp['key'], intent=o['intent'], style=style))
        # Out-of-office replies and ordinary replies from people who did get the mail.
        delivered = [c for c in camp['live'] if c['email'] not in {o['rcpt'] for o in outcomes[camp['key']]}]
        langs = ['en', 'es', 'vi'] if camp['via'] == 'postfix' else ['en2', 'vi']
        for lang, c in zip(langs, rng.sample(delivered, len(langs))):
            at = camp['sent_at_of'][c['email']] + timedelta(seconds=rng.randint(30, 900))
            msgs.append(auto_reply(c, camp, at, lang))
            facts.append(dict(kind='auto_reply', rcpt=c['email'], campaign=camp['key'], intent='none', style='auto_reply'))
        c = rng.choice(delivered)
        at = camp['sent_at_of'][c['email']] + timedelta(hours=rng.randint(2, 30))
        msgs.append(human_reply(c, camp, at, 0 if camp['via'] == 'postfix' else 1))
        facts.append(dict(kind=None, rcpt=c['email'], campaign=camp['key'], intent='none', style='human_reply'))
    order = sorted(range(len(msgs)), key=lambda k: (msgs[k].at, k))
    out = []
    for k in order:
        m = msgs[k]
        out.append('From %s %s' % (m.envelope, asctime(m.at)))
        for line in m.lines:
            # mboxrd quoting: a body line that looks like a From_ line gets one more '>'.
            stripped = line.lstrip('>')
            out.append('>' + line if stripped.startswith('From ') and line is not m.lines[0] else line)
        if out[-1] != '':
            out.append('')
    with open(path, 'w', encoding='utf-8', newline='\n') as f:
        f.write('\n'.join(out) + '\n')
    return [facts[k] for k in order]
