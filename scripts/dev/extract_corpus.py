#!/usr/bin/env python3
"""Dev-only: a rough stand-in for the real parsers, used to tune src/classify.

For each labelled row of ../shared/corpus/sisimai/labels.tsv, pull out what a bounce
parser would hand the classifier (kind, status, reply code, diagnostic text) and print
a TSV: file recipient kind status reply diagnostic label_reason label_class.
Not part of the product; the real parsers live in src/ingest.
"""
import email, email.policy, re, sys, os

ROOT = os.path.join(os.path.dirname(__file__), '..', '..', '..', 'shared', 'corpus', 'sisimai')
STATUS_RE = re.compile(r'\b([245])\.(\d{1,3})\.(\d{1,3})\b')
REPLY_RE = re.compile(r'\b([245][0-9][0-9])[ -]')
CUT = re.compile(r'(--- Below this line|------ This is a copy|-----\s*Original message|Original message follows|^Received: |^Return-Path: |Content-Type: message/rfc822|^--- The header of the original|^----- Original message)', re.I | re.M)

def text_of(part):
    try:
        b = part.get_payload(decode=True) or b''
    except Exception:
        return ''
    cs = part.get_content_charset() or 'utf-8'
    for c in (cs, 'utf-8', 'iso-2022-jp', 'latin-1'):
        try:
            return b.decode(c)
        except Exception:
            pass
    return b.decode('latin-1', 'replace')

def unfold(block):
    out = []
    for line in block.splitlines():
        if line[:1] in (' ', '\t') and out:
            out[-1] += ' ' + line.strip()
        else:
            out.append(line)
    return out

def dsn_groups(msg):
    groups = []
    for part in msg.walk():
        if part.get_content_type() in ('message/delivery-status', 'message/global-delivery-status'):
            raw = part.get_payload()
            if isinstance(raw, list):  # python parses it as a list of header blocks
                for sub in raw:
                    groups.append({k.lower(): str(v) for k, v in sub.items()})
            else:
                txt = raw if isinstance(raw, str) else ''
                for blk in re.split(r'\n\s*\n', txt):
                    d = {}
                    for line in unfold(blk):
                        if ':' in line:
                            k, v = line.split(':', 1)
                            d[k.strip().lower()] = v.strip()
                    groups.append(d)
    return groups

def human_text(msg):
    for part in msg.walk():
        if part.get_content_maintype() == 'text' and part.get_content_subtype() in ('plain', 'html'):
            t = text_of(part)
            if part.get_content_subtype() == 'html':
                t = re.sub(r'<[^>]+>', ' ', t)
            m = CUT.search(t)
            return t[:m.start()] if m else t
        if part.get_content_type() == 'message/rfc822':
            break
    return ''

def near(text, rcpt, others=()):
    low = text.lower()
    i = low.find(rcpt.lower()) if rcpt else -1
    if i < 0:
        return text[:1500]
    start = text.rfind('\n', 0, i)
    end = i + 900
    for o in others:  # stop at the next recipient's block, as a parser would
        j = low.find(o.lower(), i + len(rcpt))
        if j > 0:
            end = min(end, text.rfind('\n', i, j) if text.rfind('\n', i, j) > i else j)
    return text[max(0, start):end]

def smtp_stage(text, rcpt):
    """What a parser should pass on: the SMTP command the error answered."""
    m = re.search(r'\(in reply to (end of )?(data|rcpt to|mail from)\s*command\)|>>> ?(data|rcpt to|mail from)', text, re.I)
    return m.group(0) if m else ''

def one_line(s):
    return re.sub(r'\s+', ' ', s or '').strip()

def main():
    rows = [l.rstrip('\n').split('\t') for l in open(os.path.join(ROOT, 'labels.tsv'), encoding='utf-8')][1:]
    out = sys.stdout
    out.write('file\trecipient\tkind\tstatus\treply\tdiagnostic\tlabel_reason\tlabel_class\n')
    cache = {}
    by_file = {}
    for r in rows:
        by_file.setdefault(r[0], []).append(r[1])
    for f, rcpt, _ls, _lr, reason, cls in rows:
        others = [o for o in by_file[f] if o and o != rcpt]
        if f not in cache:
            raw = open(os.path.join(ROOT, f), 'rb').read().replace(b'\r\n', b'\n').replace(b'\r', b'\n')
            cache[f] = email.message_from_bytes(raw, policy=email.policy.compat32)
        msg = cache[f]
        kind, status, diag = 'bounce', '', ''
        subj = str(msg.get('Subject', ''))
        if reason == 'feedback':
            kind = 'complaint'
        g = None
        for grp in dsn_groups(msg):
            fr = (grp.get('final-recipient', '') + grp.get('original-recipient', '')).lower()
            if rcpt and rcpt.lower() in fr:
                g = grp
                break
        if g is None:
            cands = [x for x in dsn_groups(msg) if 'status' in x or 'diagnostic-code' in x]
            if len(cands) == 1:
                g = cands[0]
        if g:
            status = g.get('status', '').split()[0] if g.get('status') else ''
            diag = g.get('diagnostic-code', '')
            if g.get('action', '').lower().startswith('delayed'):
                kind = 'deferred'
            if g.get('action', '').lower().startswith(('delivered', 'relayed', 'expanded')):
                kind = 'delivered'
        ht = human_text(msg)
        if not diag:
            diag = near(ht, rcpt, others)
        elif smtp_stage(near(ht, rcpt, others), rcpt):
            diag += ' ' + one_line(smtp_stage(near(ht, rcpt, others), rcpt))
        else:
            # sendmail/courier transcripts: ">>> DATA" answered by "<<< 550 ... <rcpt>"
            for m in re.finditer(r'>>> ?DATA\s*\n<<<[^\n]*', ht):
                if not others or rcpt.split('@')[0].lower() in m.group(0).lower():
                    diag += ' >>> DATA'
                    break
        diag = one_line(diag)
        m = STATUS_RE.search(diag)
        if (not status or status in ('5.0.0', '4.0.0')) and m:
            status = m.group(0)
        rm = REPLY_RE.search(diag)
        reply = rm.group(1) if rm else ''
        out.write('\t'.join([f, rcpt, kind, status, reply, diag[:3000].replace('\t', ' '), reason, cls]) + '\n')

main()
