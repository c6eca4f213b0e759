"""The demo's made-up people: the shop's contact list and the SMS outcomes.
Part of scripts/dev/make_demo.py (standard library only, driven by its seeded RNG)."""
from datetime import date, timedelta

FIRST_EN = ['Oliver', 'Amelia', 'Harry', 'Isla', 'Jack', 'Ava', 'George', 'Mia', 'Noah', 'Emily', 'Leo',
            'Grace', 'Oscar', 'Lily', 'Charlie', 'Freya', 'Thomas', 'Ella', 'James', 'Sophie', 'Henry',
            'Chloe', 'William', 'Ruby', 'Alfie', 'Evie', 'Arthur', 'Poppy', 'Samuel', 'Hannah', 'Daniel',
            'Zara', 'Joseph', 'Alice', 'Edward', 'Matilda', 'Rory', 'Imogen', 'Finn', 'Rosie']
LAST_EN = ['Smith', 'Jones', 'Taylor', 'Brown', 'Williams', 'Wilson', 'Johnson', 'Davies', 'Patel',
           'Robinson', 'Wright', 'Thompson', 'Evans', 'Walker', 'White', 'Roberts', 'Green', 'Hall',
           'Wood', 'Jackson', 'Clarke', 'Hughes', 'Edwards', 'Turner', 'Hill', 'Moore', 'Cooper',
           'Ward', 'Morris', 'King', 'Khan', "O'Brien", 'Baker', 'Harris', 'Lewis', 'Young']
FIRST_ES = ['Lucía', 'Mateo', 'Sofía', 'Hugo', 'Martina', 'Pablo', 'Valeria', 'Álvaro', 'Carmen',
            'Javier', 'Elena', 'Diego', 'Paula', 'Sergio', 'Marta', 'Andrés', 'Inés', 'José']
LAST_ES = ['García', 'Fernández', 'González', 'Rodríguez', 'López', 'Martínez', 'Sánchez', 'Pérez',
           'Gómez', 'Martín', 'Jiménez', 'Ruiz', 'Díaz', 'Moreno', 'Muñoz', 'Álvarez', 'Romero', 'Núñez']
FIRST_VI = ['Minh', 'Linh', 'Hoa', 'Tuấn', 'Lan', 'Huy', 'Thảo', 'Nam', 'Trang', 'Đức', 'Mai', 'Quân']
LAST_VI = ['Nguyễn', 'Trần', 'Lê', 'Phạm', 'Hoàng', 'Vũ', 'Đặng', 'Bùi', 'Đỗ', 'Ngô']
def ascii_fold(s):
    import unicodedata
    s = s.replace('đ', 'd').replace('Đ', 'D')
    return ''.join(ch for ch in unicodedata.normalize('NFKD', s) if not unicodedata.combining(ch))

CITIES_GB = ['London'] * 8 + ['Brighton', 'Bristol', 'Manchester', 'Leeds', 'Oxford', 'Cambridge', 'Kent']
CITIES_OTHER = [('Madrid', 'ES'), ('Barcelona', 'ES'), ('Valencia', 'ES'), ('Hà Nội', 'VN'),
                ('Thành phố Hồ Chí Minh', 'VN'), ('Đà Nẵng', 'VN'), ('Washington', 'US'), ('New York', 'US'),
                ('Dublin', 'IE'), ('Lisbon', 'PT')]
DOMAINS = [('gmail.example', 30), ('outlook.example', 16), ('yahoo.example', 8), ('example.com', 9),
           ('example.net', 8), ('example.org', 7), ('mail.example.com', 6), ('mail.example.net', 5),
           ('shop.example.org', 3), ('studio.example.net', 2)]
OLD_DOMAINS = DOMAINS + [('oldisp.example.net', 2)]
ROLE = ['info', 'sales', 'office', 'hello', 'admin', 'orders']
TYPO = [('gmial.example', 'gmail.example'), ('gmail.exmaple', 'gmail.example'),
        ('outlok.example', 'outlook.example'), ('yahooo.example', 'yahoo.example'),
        ('gmai.example', 'gmail.example')]

N_REGULAR = 2295
N_OLD = 700


def weighted(rng, items):
    total = sum(w for _, w in items)
    x = rng.uniform(0, total)
    for v, w in items:
        x -= w
        if x <= 0:
            return v
    return items[-1][0]


def person(rng):
    r = rng.random()
    if r < 0.72:
        first, last = rng.choice(FIRST_EN), rng.choice(LAST_EN)
        city, country = rng.choice(CITIES_GB), 'GB'
        if rng.random() < 0.12:
            city, country = rng.choice(CITIES_OTHER[6:])
    elif r < 0.88:
        first, last = rng.choice(FIRST_ES), rng.choice(LAST_ES) + ' ' + rng.choice(LAST_ES)
        city, country = (rng.choice(CITIES_GB), 'GB') if rng.random() < 0.6 else rng.choice(CITIES_OTHER[:3])
    else:
        first, last = rng.choice(FIRST_VI), rng.choice(LAST_VI)
        if rng.random() < 0.4:
            first = rng.choice(['Thị ', 'Văn ', 'Ngọc ']) + first
        city, country = (rng.choice(CITIES_GB), 'GB') if rng.random() < 0.6 else rng.choice(CITIES_OTHER[3:6])
    return first, last, city, country


def local_part(rng, first, last):
    f = ascii_fold(first.split()[-1]).lower().replace("'", '')
    la = ascii_fold(last.split()[0]).lower().replace("'", '')
    style = rng.randint(0, 5)
    if style == 0:
        return '%s.%s' % (f, la)
    if style == 1:
        return '%s%s' % (f, la)
    if style == 2:
        return '%s.%s%d' % (f, la, rng.randint(1, 99))
    if style == 3:
        return '%s%s' % (f[0], la)
    if style == 4:
        return '%s_%s%d' % (f, la, rng.randint(70, 99))
    return '%s%d' % (f, rng.randint(100, 9999))


def signup_date(rng):
    # Growing list: most signed up before the demo period, some during it.
    if rng.random() < 0.86:
        start, days = date(2019, 3, 1), (date(2026, 6, 1) - date(2019, 3, 1)).days
    else:
        start, days = date(2026, 6, 1), (date(2026, 11, 10) - date(2026, 6, 1)).days
    return start + timedelta(days=rng.randint(0, days - 1))


def make_contacts(rng):
    seen = set()
    contacts = []
    uk_phones = ['+4477009%05d' % n for n in range(1, 1000)]   # +44 7700 900001 … 900999
    us_phones = ['+120255501%02d' % n for n in range(1, 100)]  # +1 202 555 0101 … 0199
    rng.shuffle(uk_phones)
    rng.shuffle(us_phones)

    def unique_email(local, domain):
        e = '%s@%s' % (local, domain)
        while e.lower() in seen:
            local += str(rng.randint(0, 9))
            e = '%s@%s' % (local, domain)
        seen.add(e.lower())
        return e

    for n in range(N_REGULAR + N_OLD):
        old = n >= N_REGULAR
        first, last, city, country = person(rng)
        domain = weighted(rng, OLD_DOMAINS if old else DOMAINS)
        c = dict(kind='old' if old else 'regular', first=first, last=last, city=city, country=country,
                 domain=domain, role=False, typo=False, full_prone=False, bulbs=rng.random() < 0.36,
                 vip=rng.random() < 0.46, sms_optin=rng.random() < 0.72, phone=None, phone_display='',
                 old_bad=None)
        c['email'] = unique_email(local_part(rng, first, last), domain)
        c['signup'] = date(2023, 5, 14) if old else signup_date(rng)
        c['source'] = 'Trade fair 2023 (imported Sep 2026)' if old else rng.choice(
            ['Web shop checkout'] * 3 + ['Newsletter form', 'In store'])
        if old:
            if domain == 'oldisp.example.net':
                c['old_bad'] = 'host_unknown'
            elif rng.random() < 0.045:
                c['old_bad'] = rng.choice(['user_unknown', 'user_unknown', 'user_unknown', 'mailbox_disabled'])
        give_phone(rng, c, uk_phones, us_phones)
        contacts.append(c)

    regular = [c for c in contacts if c['kind'] == 'regular']
    # Role accounts: shops and studios that signed up with a shared address.
    for k, c in enumerate(rng.sample(regular, len(ROLE))):
        seen.discard(c['email'].lower())
        dom = rng.choice(['example.com', 'example.net', 'example.org', 'studio.example.net'])
        c['email'], c['domain'], c['role'] = unique_email(ROLE[k], dom), dom, True
    # Typo domains: recent sign-ups typed their provider wrong; first mailed in October.
    recent = [c for c in regular if date(2026, 9, 5) <= c['signup'] < date(2026, 10, 7) and not c['role']]
    for k, c in enumerate(rng.sample(recent, len(TYPO))):
        seen.discard(c['email'].lower())
        local = c['email'].split('@')[0]
        c['email'], c['domain'], c['typo'] = unique_email(local, TYPO[k][0]), TYPO[k][0], True
    for c in rng.sample([c for c in regular if not c['role'] and not c['typo']], 20):
        c['full_prone'] = True
    return contacts


def give_phone(rng, c, uk_phones, us_phones):
    if rng.random() > 0.6:
        return
    if c['country'] == 'US' and us_phones:
        p = us_phones.pop()
        c['phone'] = p
        c['phone_display'] = rng.choice(['(202) 555-%s' % p[-4:], '+1 202-555-%s' % p[-4:], p])
    elif c['country'] != 'US' and uk_phones:
        p = uk_phones.pop()
        c['phone'] = p
        c['phone_display'] = rng.choice(['07700 %s' % p[-6:], '+44 7700 %s' % p[-6:], p, '07700%s' % p[-6:]])


# --- SMS -----------------------------------------------------------------------------

SMS_ERRORS = {
    # code: (status, intent, what it means)
    30003: ('undelivered', 'soft', 'unreachable handset'),
    30005: ('undelivered', 'hard', 'unknown handset'),
    30006: ('undelivered', 'hard', 'landline'),
    30007: ('undelivered', 'block', 'carrier filtered'),
    30008: ('undelivered', 'soft', 'unknown error'),
    21610: ('failed', 'unsubscribe', 'recipient replied STOP earlier'),
}


def sms_outcomes(rng, camp, aud):
    """One row per outbound message, plus inbound STOP replies after the send."""
    first = camp['key'].startswith('sms-summer')
    res = []
    if first:
        for c in rng.sample(aud, 10):
            c['sms_bad'] = 30005 if len([x for x in aud if x.get('sms_bad') == 30005]) < 6 else 30006
    at = camp['at']
    n = len(aud)
    unreachable = set(id(c) for c in rng.sample(aud, 12 if first else 9))
    filtered = set(id(c) for c in rng.sample(aud, 3 if first else 9))
    no_receipt = set(id(c) for c in rng.sample(aud, 2))
    unknown = set(id(c) for c in rng.sample(aud, 0 if first else 1))
    sent = 0
    for k, c in enumerate(aud):
        t = at + timedelta(seconds=int(1800 * k / max(n, 1)))
        code = None
        if c.get('stopped'):
            code = 21610
        elif c.get('sms_bad'):
            code = c['sms_bad']
        elif id(c) in unreachable:
            code = 30003
        elif id(c) in filtered:
            code = 30007
        elif id(c) in unknown:
            code = 30008
        if code is None:
            status = 'sent' if id(c) in no_receipt else 'delivered'
            res.append(dict(contact=c, rcpt=c['phone'], kind=status, intent='none', code=None, at=t,
                            status=status, direction='outbound-api'))
        else:
            status, intent, _ = SMS_ERRORS[code]
            # IMPORT-FORMATS.md §20: Twilio 21610 is an unsubscribe (the number opted out), not a bounce.
            kind = 'unsubscribe' if code == 21610 else 'bounce'
            res.append(dict(contact=c, rcpt=c['phone'], kind=kind, intent=intent, code=code, at=t,
                            status=status, direction='outbound-api'))
        if code != 21610:
            sent += 1
    camp['sent'] = sent
    camp['audience'] = n
    # STOP replies arrive minutes to a day later.
    ok = [r for r in res if r['kind'] in ('delivered', 'sent') and not r['contact'].get('stopped')]
    for r in rng.sample(ok, 7 if first else 4):
        r['contact']['stopped'] = True
        res.append(dict(contact=r['contact'], rcpt=r['rcpt'], kind='unsubscribe', intent='unsubscribe', code=None,
                        at=r['at'] + timedelta(minutes=rng.randint(2, 1400)), status='received', direction='inbound'))
    return res
