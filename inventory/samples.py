"""Deterministic synthetic LinkedIn data exports (fixtures, demo data and benchmark input).

Everything here is invented: the member "Camille Martin" (Lyon), her connections, companies,
phone numbers (French +33 6 00 00 00 xx and US 555-01xx fictional ranges) and e-mail addresses
(example.org / example.com). The layout and CSV quirks follow
`docs/export-format.md`; the bytes are reproducible (no clock, no unseeded randomness).

`build_export` returns member path -> bytes; `write_zip` packs them like LinkedIn's Java
writer; `write_samples` writes the committed `sample_exports/` set; `SAMPLE_FACTS` says what
went into each sample so reader tests can compare their output with it.
"""

from __future__ import annotations

import base64
import hashlib
import os
import random
import shutil
import struct
import subprocess
import tempfile
import zlib
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Callable
from urllib.parse import quote

from inventory.files import atomic_write, private_dir

MEMBER_ID = "48213597"  # member-id suffix of the 2026 Complete activity files (invented)
MEMBER_NAME = "Camille Martin"
MEMBER_URL = "https://www.linkedin.com/in/camille-martin-lyon-7f3e9a"

# Rows per unit of `scale` for the activity files. scale=1 is the small hand-written set;
# scale=N>1 pads each of these files to exactly N * unit rows (connections: N * unit people,
# plus the fixed hidden rows), so scale=100 is the benchmark size.
SCALE_UNITS = {
    "messages": 1000,
    "connections": 300,
    "search_queries": 150,
    "posts": 50,
    "comments": 100,
    "reactions": 500,
}

BASIC_NAME = "Basic_LinkedInDataExport_11-20-2026.zip"
COMPLETE_NAME = "Complete_LinkedInDataExport_11-21-2026.zip"
LEGACY_NAME = "legacy_2024_export.zip"
RENAMED_NAME = "renamed_export.zip.zip"
DEFLATE64_NAME = "Complete_deflate64.zip"
EXTRACTED_NAME = "extracted/Basic_LinkedInDataExport_11-20-2026"
LEGACY_WRAPPER = "LinkedInDataExport_03-14-2024"
RENAMED_WRAPPER = "Basic_LinkedInDataExport_11-20-2026"

_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"]
_DAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]


# --------------------------------------------------------------------------- date formats (docs/export-format.md §3)

def _mon(dt: datetime) -> str:
    return _MONTHS[dt.month - 1][:3]


def _ampm(dt: datetime, pad: bool = False) -> str:
    hour = dt.hour % 12 or 12
    return f"{hour:02d}:{dt:%M} {'AM' if dt.hour < 12 else 'PM'}" if pad else \
        f"{hour}:{dt:%M} {'AM' if dt.hour < 12 else 'PM'}"


def d_connected(dt: datetime) -> str:  # 1
    return f"{dt.day:02d} {_mon(dt)} {dt.year}"


def d_utc(dt: datetime) -> str:  # 2
    return f"{dt:%Y-%m-%d %H:%M:%S} UTC"


def d_plain(dt: datetime) -> str:  # 3
    return f"{dt:%Y-%m-%d %H:%M:%S}"


def d_slash_utc(dt: datetime) -> str:  # 4
    return f"{dt:%Y/%m/%d %H:%M:%S} UTC"


def d_slash_date(dt: datetime) -> str:  # 5
    return f"{dt:%Y/%m/%d}"


def d_us(dt: datetime) -> str:  # 6
    return f"{dt.month}/{dt.day}/{dt:%y}, {_ampm(dt)}"


def d_us_utc(dt: datetime) -> str:  # 7
    return f"{dt.month}/{dt.day}/{dt:%y} {_ampm(dt)} UTC"


def d_java(dt: datetime) -> str:  # 8
    return f"{_DAYS[dt.weekday()]} {_mon(dt)} {dt.day:02d} {dt:%H:%M:%S} UTC {dt.year}"


def d_learning(dt: datetime) -> str:  # 9
    return f"{dt:%Y-%m-%d %H:%M} UTC"


def d_month(dt: datetime) -> str:  # 10
    return f"{_mon(dt)} {dt.year}"


def d_event(start: datetime, end: datetime) -> str:  # 14
    def one(d: datetime) -> str:
        return f"{_mon(d)} {d.day:02d}, {d.year} {_ampm(d, pad=True)}"
    return f"{one(start)} - {one(end)}"


def d_rich(kind: str, dt: datetime) -> str:  # 15
    return f"You uploaded a {kind} on {_MONTHS[dt.month - 1]} {dt.day}, {dt.year} at {_ampm(dt)} (GMT)"


def _t(s: str) -> datetime:
    return datetime.strptime(s, "%Y-%m-%d %H:%M:%S")


# --------------------------------------------------------------------------- tables and dialects

@dataclass
class Table:
    """One CSV member: the logical rows (what a correct reader must return) and how to write them.

    style: minimal (RFC, minimal quoting) | quoted (every field quoted, 2026 messages) |
    shares (line breaks in `text_col` written quote-newline-quote) | backslash (quotes in
    quoted fields written \\", 2025+ Comments) | unquoted (`text_col` written raw: 2024
    Comments continuation lines, SearchQueries commas).
    """

    header: list[str]
    rows: list[list[str]]
    style: str = "minimal"
    eol: str = "\n"
    final_newline: bool = True
    preamble: str = ""
    text_col: int = -1
    facts: dict = field(default_factory=dict)

    def render(self) -> bytes:
        eol = self.eol
        lines = [self._line(self.header, header=True)]
        lines.extend(self._line(r) for r in self.rows)
        body = eol.join(lines) + (eol if self.final_newline else "")
        return (self.preamble + body).encode("utf-8")

    def _line(self, cells: list[str], header: bool = False) -> str:
        style = self.style
        if style == "quoted":
            return ",".join('"' + c.replace('"', '""') + '"' for c in cells)
        out = []
        for i, c in enumerate(cells):
            if header:
                out.append(_minimal(c))
            elif i == self.text_col and style == "shares":
                c = c.replace("\n", '"' + self.eol + '"')
                out.append(_minimal(c))
            elif i == self.text_col and style == "unquoted":
                out.append(c.replace("\n", self.eol))
            elif i == self.text_col and style == "continuation":
                # 2024 Comments: multi-line messages written raw (continuation lines)
                out.append(c.replace("\n", self.eol) if "\n" in c else _minimal(c))
            elif style == "backslash":
                out.append('"' + c.replace('"', '\\"') + '"' if any(x in c for x in ',"\n\r') else c)
            else:
                out.append(_minimal(c))
        return ",".join(out)


def _minimal(c: str) -> str:
    if any(x in c for x in ',"\n\r'):
        return '"' + c.replace('"', '""') + '"'
    return c


def _conv_id(key: str) -> str:
    raw = hashlib.sha256(key.encode()).digest() + hashlib.sha256(b"x" + key.encode()).digest()[:8]
    return "2-" + base64.b64encode(raw).decode()  # 40 bytes -> 56 chars ending "==", 58 in all


def _slug(first: str, last: str, tail: str) -> str:
    return quote(f"{first}-{last}-{tail}".lower().replace(" ", "-").replace("'", ""), safe="-")


def _profile(first: str, last: str, tail: str) -> str:
    return f"https://www.linkedin.com/in/{_slug(first, last, tail)}"


def _post_url(kind: str, n: int, encoded: bool = True) -> str:
    urn = f"urn:li:{kind}:{n}"
    return "https://www.linkedin.com/feed/update/" + (quote(urn, safe="") if encoded else urn)


# --------------------------------------------------------------------------- invented people

PEOPLE = [  # first, last, slug tail, company, position
    ("Élodie", "Lefèvre", "3b81c2", "Rhône Data Lab", "Cheffe de projet data"),
    ("Jérôme", "Dubois", "a94d10", "Acme SAS", "Directeur technique"),
    ("Julie", "Bernard", "5c7e21", "Exemple Analytics SAS", "Data analyst"),
    ("Thomas", "Nguyen", "e2f0b7", "Nordwind Logistics", "Software engineer"),
    ("Sarah", "Okafor", "19ad4e", "Bluefield Health", "Product manager"),
    ("Marc", "Petit", "77c3a5", "Acme SAS", "Responsable RH"),
    ("Anaïs", "Roux", "0d5b9f", "Université Lumière Exemple", "Doctorante"),
    ("Kevin", "O'Brien", "c41e08", "Harbor & Finch Ltd", "Recruiter"),
    ("Hélène", "Faure", "8e2d6c", "Exemple Analytics SAS", "Head of Data"),
    ("Bruno", "Garnier", "b3079d", "Garnier Conseil", "Consultant indépendant"),
    ("Priya", "Raman", "4f6a13", "Nordwind Logistics", "ML engineer"),
    ("Lucas", "Moreau", "d8b2e0", "Acme SAS", "Stagiaire data"),
    ("Chloé", "Lambert", "2a9c57", "Rhône Data Lab", "UX designer"),
    ("David", "Kim", "f1e3c9", "Bluefield Health", "Staff engineer"),
    ("Inès", "Benali", "6d04ab", "Ville de Lyon (exemple)", "Chargée de mission numérique"),
    ("Noah", "Fischer", "9b5f32", "Alpenrose GmbH", "Data scientist"),
    ("Zoé", "Girard", "e07d4c", "Exemple Analytics SAS", "Alternante"),
    ("Maël", "Chevalier", "3c18f6", "Chevalier & Fils", "Gérant"),
]
_FIRST = ["Alice", "Benoît", "Clara", "Damien", "Emma", "François", "Gabrielle", "Hugo", "Iris",
          "Jules", "Karim", "Léa", "Mathis", "Nora", "Oscar", "Pauline", "Quentin", "Rose",
          "Samuel", "Théo", "Ulysse", "Valérie", "William", "Yasmine", "Ethan", "Olivia",
          "Liam", "Maya", "Noémie", "Raphaël"]
_LAST = ["Arnaud", "Blanc", "Caron", "Denis", "Étienne", "Fontaine", "Gauthier", "Henry",
         "Jacob", "Klein", "Leroy", "Mercier", "Noël", "Olivier", "Perrin", "Rey", "Simon",
         "Thibault", "Vidal", "Walker", "Young", "Adams", "Brooks", "Carter", "Dupuis",
         "Évrard", "Laurent", "Marchand", "Schmitt", "Tessier"]
_COMPANIES = ["Acme SAS", "Rhône Data Lab", "Nordwind Logistics", "Bluefield Health",
              "Exemple Analytics SAS", "Alpenrose GmbH", "Harbor & Finch Ltd", "Garnier Conseil"]
_TITLES = ["Data engineer", "Développeuse backend", "Product owner", "Chef de projet",
           "Analyst", "Consultante", "Engineering manager", "Étudiant"]


def _person(i: int) -> tuple[str, str]:
    return _FIRST[i % len(_FIRST)], _LAST[(i * 7 + i // len(_FIRST)) % len(_LAST)]


def _url(p: tuple) -> str:
    return _profile(p[0], p[1], p[2])


def _name(p: tuple) -> str:
    return f"{p[0]} {p[1]}"


ELODIE, JEROME, JULIE, THOMAS, SARAH, MARC = PEOPLE[:6]


def _fill_target(base: int, unit: str, scale: int) -> int:
    return base if scale <= 1 else scale * SCALE_UNITS[unit]


# --------------------------------------------------------------------------- messages

MSG_HEADERS = {
    "10": ["CONVERSATION ID", "CONVERSATION TITLE", "FROM", "SENDER PROFILE URL", "TO",
           "RECIPIENT PROFILE URLS", "DATE", "SUBJECT", "CONTENT", "FOLDER"],
}
MSG_HEADERS["13"] = MSG_HEADERS["10"] + ["ATTACHMENTS", "IS MESSAGE DRAFT", "IS CONVERSATION DRAFT"]

SPONSORED_HTML = (
    '<p class="spinmail-quill-editor__spin-break">Bonjour %FIRSTNAME%,</p>'
    '<p class="spinmail-quill-editor__spin-break">&nbsp;</p>'
    '<p class="spinmail-quill-editor__spin-break">Découvrez le programme Data &amp; IA '
    'de Lumière Business School (exemple) pour les profils %JOBTITLE% chez %COMPANYNAME%.</p>'
    '<p class="spinmail-quill-editor__spin-break">Inscription : '
    '<a href="https://lbs.example.org/programme">lbs.example.org</a></p>'
)


def _messages(era: str, scale: int, rng: random.Random) -> Table:
    modern = era == "2026"
    t0 = _t("2026-03-02 08:14:09") if modern else _t("2024-01-08 08:14:09")
    rows: list[list[str]] = []

    def add(conv, title, frm, furl, to, turls, dt, subject, content, folder,
            attach="", mdraft="No", cdraft="No"):
        row = [conv, title, frm, furl, to, turls, d_utc(dt), subject, content, folder]
        if modern:
            row += [attach, mdraft, cdraft]
        rows.append(row)

    _story_messages(add, modern, t0)
    base = len(rows)
    _filler_messages(add, _fill_target(base, "messages", scale) - base, modern, t0, rng)
    drafts = sum(1 for r in rows if modern and r[11] == "Yes")
    return Table(MSG_HEADERS["13" if modern else "10"], rows, style="quoted" if modern else "minimal",
                 facts={"drafts": drafts, "sponsored_placeholder": "%FIRSTNAME%"})


def _story_messages(add: Callable[..., None], modern: bool, t0: datetime) -> None:
    """The sample's written conversations (what the tests and the policy checks look for)."""
    me, me_url = MEMBER_NAME, MEMBER_URL
    conv_e = _conv_id("elodie")
    conv_j = _conv_id("jerome")
    conv_g = _conv_id("group-orchidee")
    conv_k = _conv_id("kevin-recruiter")
    conv_s = _conv_id("sponsored-lbs")
    conv_h = _conv_id("hidden-member")
    br = "\n" if modern else "<br>"
    add(conv_e, "", _name(ELODIE), _url(ELODIE), me, me_url, t0,
        "", f"Salut Camille,{br}tu es dispo lundi pour parler du projet\u00a0?", "INBOX")
    add(conv_e, "", me, me_url, _name(ELODIE), _url(ELODIE), t0 + timedelta(minutes=12),
        "", f"Oui, lundi à 12\u202fh\u00a030 c'est parfait.{br}{br}Je t'envoie le doc avant.",
        "INBOX", attach="https://www.linkedin.com/dms/prv/vid/v2/D4E10AQExempleDoc01/"
        if modern else "")
    add(conv_j, "", _name(JEROME), _url(JEROME), me, me_url, t0 + timedelta(days=3),
        "", f"Hi Camille, quick question about the \"internal only\" BLUE HERON roadmap:{br}"
        "can we keep it out of the public deck?", "INBOX")
    add(conv_j, "", me, me_url, _name(JEROME), _url(JEROME), t0 + timedelta(days=3, hours=2),
        "", "Bien sûr. Le projet ORCHIDÉE reste confidentiel jusqu'en juin." +
        ("\r\nMerci !" if modern else "<br>Merci !"), "INBOX")
    group_to = f"{_name(JULIE)}, {_name(THOMAS)}, Marc Petit, PhD"
    group_urls = ",".join([_url(JULIE), _url(THOMAS), _url(MARC)])
    add(conv_g, "Équipe ORCHIDÉE", _name(JULIE), _url(JULIE), f"{me}, {_name(THOMAS)}, Marc Petit, PhD",
        ",".join([me_url, _url(THOMAS), _url(MARC)]), t0 + timedelta(days=5),
        "", f"Rappel : réunion jeudi.{br}Mon numéro si besoin : +33 6 00 00 00 17", "ARCHIVE")
    add(conv_g, "Équipe ORCHIDÉE", me, me_url, group_to, group_urls,
        t0 + timedelta(days=5, minutes=40), "",
        f"Je serai en retard, rendez-vous médical (suivi de mon asthme).{br}Désolée !", "ARCHIVE")
    add(conv_k, "", _name(PEOPLE[7]), _url(PEOPLE[7]), me, me_url, t0 + timedelta(days=9),
        "Opportunity: Senior Data Engineer", f"Hello Camille,{br}what are your salary expectations?",
        "INBOX")
    add(conv_k, "", me, me_url, _name(PEOPLE[7]), _url(PEOPLE[7]),
        t0 + timedelta(days=9, hours=5), "Re: Opportunity: Senior Data Engineer",
        f"Hi Kevin,{br}currently 52\u202f000 € gross, looking for 60\u202fk€.", "INBOX")
    add(conv_s, "Lumière Business School (exemple)", "Lumière Business School (exemple)", "",
        me, me_url, t0 + timedelta(days=11), "Votre avenir dans la data", SPONSORED_HTML, "INBOX")
    add(conv_h, "", "LinkedIn Member", "", me, me_url, t0 + timedelta(days=13),
        "", "Win a free crypto course!!! reply now", "SPAM")
    if modern:
        # a draft starting a new conversation: no id, recipient or folder
        add("", "", me, me_url, "", "", t0 + timedelta(days=14), "",
            "Brouillon : Chère Hélène,\nje voulais te parler de mon burn-out l'an dernier…",
            "", mdraft="Yes", cdraft="Yes")
        # a draft inside an existing conversation keeps its id and folder
        add(conv_e, "", me, me_url, _name(ELODIE), _url(ELODIE), t0 + timedelta(days=15), "",
            "PS : pense à supprimer le fichier clients", "INBOX", mdraft="Yes", cdraft="No")


def _filler_messages(add: Callable[..., None], count: int, modern: bool, t0: datetime,
                     rng: random.Random) -> None:
    """`count` short messages in ten-message conversations, going back from t0 (scaled exports)."""
    me, me_url = MEMBER_NAME, MEMBER_URL
    br = "\n" if modern else "<br>"
    offset = rng.randrange(7)
    for i in range(count):
        k = i // 10
        p = _person(k + offset)
        conv = _conv_id(f"filler-{k}")
        dt = t0 - timedelta(minutes=17 * i + 3)
        if i % 2:
            frm, furl, to, turl = me, me_url, f"{p[0]} {p[1]}", _profile(p[0], p[1], f"{k:06x}")
        else:
            frm, furl, to, turl = f"{p[0]} {p[1]}", _profile(p[0], p[1], f"{k:06x}"), me, me_url
        text = f"Message {i} au sujet du point {k}." + (f"{br}Bonne journée" if i % 5 == 0 else "")
        add(conv, "", frm, furl, to, turl, dt, "", text, "INBOX")


def _coach_messages(rows_wanted: bool) -> Table:
    rows = []
    if rows_wanted:
        conv = _conv_id("coach")
        t0 = _t("2026-02-10 18:00:00")
        turns = [
            ("Comment préparer un entretien pour un poste de lead data ?", True),
            ("Commencez par lister trois réalisations chiffrées et les questions probables.", False),
            ("Mon manager actuel ne sait pas que je cherche, comment le formuler ?", True),
            ("Restez factuelle : parlez de votre envie d'évoluer sans critiquer l'équipe.", False),
            ("Can you rewrite my headline in English?", True),
            ("Data engineer turning messy logistics data into decisions | Lyon", False),
            ("Merci, et pour négocier 60 k€ ?", True),
            ("Appuyez-vous sur les fourchettes publiées et votre périmètre actuel.", False),
        ]
        for i, (text, member) in enumerate(turns):
            rows.append([conv, "", MEMBER_NAME if member else "", MEMBER_URL if member else "",
                         "" if member else MEMBER_NAME, "" if member else MEMBER_URL,
                         d_utc(t0 + timedelta(minutes=2 * i)), "", text, "INBOX"])
    return Table(MSG_HEADERS["10"], rows)


# --------------------------------------------------------------------------- network

PREAMBLE = (
    'Notes:\n"When exporting your connection data, you may find that some e-mail addresses are '
    'missing: only connections who allow it share their address in this file."\n\n'
)


def _connections(era: str, scale: int, rng: random.Random) -> Table:
    modern = era == "2026"
    rows = []
    t0 = _t("2025-11-03 00:00:00") if modern else _t("2024-02-28 00:00:00")
    emails = {0: "elodie.lefevre@example.com", 3: "thomas.nguyen@example.org"}
    for i, p in enumerate(PEOPLE):
        dt = t0 - timedelta(days=37 * i)
        row = [p[0], p[1], _url(p), emails.get(i, ""), p[3], p[4], d_connected(dt)]
        if not modern:
            del row[2]
        rows.append(row)
    hidden_at = [3, 9, 14, 16]
    for n, pos in enumerate(hidden_at):
        cells = [""] * (6 if modern else 5) + [d_connected(t0 - timedelta(days=101 * (n + 1)))]
        rows.insert(pos + n, cells)
    people = len(PEOPLE)
    target = _fill_target(people, "connections", scale)
    for i in range(target - people):
        f, last = _person(i + rng.randrange(3))
        row = [f, last, _profile(f, last, f"{i:07x}"), "", _COMPANIES[i % 8], _TITLES[i % 8],
               d_connected(t0 - timedelta(days=i % 3650))]
        if not modern:
            del row[2]
        rows.append(row)
    header = ["First Name", "Last Name", "URL", "Email Address", "Company", "Position", "Connected On"]
    if not modern:
        header.remove("URL")
    return Table(header, rows, preamble=PREAMBLE if modern else "", final_newline=not modern,
                 facts={"hidden_rows": len(hidden_at), "people": target})


def _invitations(era: str) -> Table:
    t0 = _t("2026-05-04 17:05:00") if era == "2026" else _t("2023-11-04 17:05:00")
    rows = [
        [MEMBER_NAME, _name(PEOPLE[9]), d_us(t0), "Bonjour Bruno, ravie de notre échange au meetup !",
         "OUTGOING", MEMBER_URL, _url(PEOPLE[9])],
        [_name(PEOPLE[10]), MEMBER_NAME, d_us(t0 + timedelta(days=20, hours=3)), "",
         "INCOMING", _url(PEOPLE[10]), MEMBER_URL],
        [_name(PEOPLE[7]), MEMBER_NAME, d_us(t0 + timedelta(days=40)),
         "Hi Camille, I have a role that fits your profile, let's connect.", "INCOMING",
         _url(PEOPLE[7]), MEMBER_URL],
    ]
    return Table(["From", "To", "Sent At", "Message", "Direction", "inviterProfileUrl",
                  "inviteeProfileUrl"], rows)


# --------------------------------------------------------------------------- posts and activity

# Every post of every real export carries MEMBER_NETWORK (docs/policy.md): so do ours.
POST_TEXTS = [
    ("Big news from Acme SAS.\n\nWe are hiring two data engineers in Lyon!\nDM me.", "MEMBER_NETWORK"),
    ("Nouvelle étape : je rejoins Exemple Analytics SAS comme ingénieure données.\n"
     "Merci à toute l'équipe d'Acme pour ces trois années.", "MEMBER_NETWORK"),
    ("Pour toute question sur le meetup, contactez Julie Bernard au +33 6 00 00 00 42 "
     "ou julie.bernard@example.com.", "MEMBER_NETWORK"),
    ("Transparence : mon salaire de 52 k€ brut à Lyon, après 5 ans d'expérience. "
     "Parlons-en sans tabou.", "MEMBER_NETWORK"),
    ("Lessons learned from the BLUE HERON migration (internal only details removed):\n"
     "1. test the backups\n2. test them again", "MEMBER_NETWORK"),
    ("De retour après trois mois d'arrêt pour burn-out. Prenez soin de vous.", "MEMBER_NETWORK"),
    ("5 conseils pour réussir sa migration vers le cloud : automatiser, mesurer, documenter, "
     "former, recommencer.", "MEMBER_NETWORK"),
    ("5 conseils pour réussir sa migration vers le cloud : automatiser, mesurer, documenter, "
     "former et recommencer !", "MEMBER_NETWORK"),
    ("Merci Élodie Lefèvre pour la super présentation au Lyon Data Meetup.", "MEMBER_NETWORK"),
]


def _shares(era: str, scale: int, rng: random.Random) -> Table:
    modern = era == "2026"
    t0 = _t("2026-01-12 09:15:27") if modern else _t("2023-10-02 08:30:00")
    rows = []
    for i, (text, vis) in enumerate(POST_TEXTS):
        kind = "share" if i % 3 else "ugcPost"
        shared = "https://blog.example.com/migration-cloud" if i == 6 else ""
        media = "https://media.licdn.com/dms/image/v2/D4E22AQExemple0001/feedshare-shrink_800/0/1" \
            if i == 0 else ""
        rows.append([d_plain(t0 + timedelta(days=9 * i, minutes=13 * i)),
                     _post_url(kind, 7300000000000000001 + i * 1000), text, shared, media, vis])
        if i == 0:  # a post with three images is three rows, one per medium
            rows += [rows[-1][:4] + [media[:-1] + str(n)] + [vis] for n in (2, 3)]
    base = len(rows)
    for i in range(_fill_target(base, "posts", scale) - base):
        text = f"Post {i} : retour d'expérience sur la donnée #{i % 40}." + \
            ("\n\nEt vous ?" if i % 4 == 0 else "")
        rows.append([d_plain(t0 - timedelta(hours=11 * i + rng.randrange(5))),
                     _post_url("share", 7200000000000000000 + i), text, "", "",
                     "MEMBER_NETWORK"])
    header = ["Date", "ShareLink", "ShareCommentary", "SharedUrl" if modern else "SharedURL",
              "MediaUrl" if modern else "MediaURL", "Visibility"]
    return Table(header, rows, style="shares", text_col=2, eol="\n" if modern else "\r\n",
                 facts={"medium_rows": 2})


COMMENT_TEXTS_2026 = [
    'I called it a "quick win", and it was.',
    "Bravo Jérôme Dubois, belle réussite pour l'équipe !",
    "Merci pour le partage.\nJe retiens surtout le point 2.",
    'Le "projet ORCHIDÉE" est confidentiel, on en reparle en privé.',
    "Great talk, thanks!",
]
COMMENT_TEXTS_2024 = [
    "Congratulations Élodie!\nWell deserved.",
    "Félicitations Thomas Nguyen, quelle belle nouvelle",
    "Merci pour ce retour d'expérience\nTrès utile pour notre migration\n(et pour mon moral)",
    "Top, merci",
]


def _comments(era: str, scale: int, rng: random.Random) -> Table:
    modern = era == "2026"
    t0 = _t("2026-02-03 10:20:30") if modern else _t("2023-11-14 09:15:27")
    texts = COMMENT_TEXTS_2026 if modern else COMMENT_TEXTS_2024
    rows = [[d_plain(t0 + timedelta(days=6 * i, seconds=41 * i)),
             _post_url("activity" if i % 2 == 0 else "ugcPost", 7310000000000000001 + i * 77), t]
            for i, t in enumerate(texts)]
    base = len(rows)
    for i in range(_fill_target(base, "comments", scale) - base):
        t = (f'Commentaire {i}, "bien vu" !' if modern else f"Commentaire {i} bien vu") \
            if i % 3 else f"Merci {i}\npour ce partage"
        rows.append([d_plain(t0 - timedelta(hours=5 * i + rng.randrange(4))),
                     _post_url("activity", 7100000000000000000 + i), t])
    if modern:
        return Table(["Date", "Link", "Message"], rows, style="backslash")
    return Table(["Date", "Link", "Message"], rows, style="continuation", text_col=2, eol="\r\n")


REACTION_TYPES = ["LIKE", "PRAISE", "EMPATHY", "APPRECIATION", "INTEREST", "ENTERTAINMENT"]


def _reactions(era: str, scale: int, rng: random.Random) -> Table:
    modern = era == "2026"
    t0 = _t("2026-02-01 07:00:00") if modern else _t("2023-12-01 07:00:00")
    rows = []
    for i in range(6):
        link = _post_url("activity", 7310000000000000001 + i * 91)
        if i == 4:  # reaction on a comment
            link = _post_url("ugcPost", 7310000000000000400) + "?commentUrn=" + quote(
                "urn:li:comment:(ugcPost:7310000000000000400,7310000000000000555)", safe="")
        rows.append([d_plain(t0 + timedelta(days=3 * i, minutes=i)), REACTION_TYPES[i], link])
    base = len(rows)
    for i in range(_fill_target(base, "reactions", scale) - base):
        rows.append([d_plain(t0 - timedelta(minutes=37 * i + rng.randrange(30))),
                     REACTION_TYPES[i % 4], _post_url("activity", 7000000000000000000 + i)])
    return Table(["Date", "Type", "Link"], rows, eol="\n" if modern else "\r\n")


def _votes(era: str) -> Table:
    modern = era == "2026"
    rows = [
        [d_plain(_t("2026-03-03 12:00:00" if modern else "2023-09-09 12:00:00")),
         _post_url("groupPost", "1234567-7300000000000000777", encoded=modern), "Télétravail 3 jours"],
        [d_plain(_t("2026-04-10 08:30:12" if modern else "2023-10-10 08:30:12")),
         _post_url("activity", 7300000000000000888, encoded=modern), "Python, of course"],
    ]
    return Table(["Date", "Link", "OptionText"], rows, eol="\n" if modern else "\r\n")


def _saved_items(era: str) -> Table:
    modern = era == "2026"
    rows = [[_post_url("activity", 7300000000000001001, encoded=modern),
             d_plain(_t("2026-01-05 21:10:00" if modern else "2023-08-05 21:10:00"))],
            [_post_url("groupPost", "7654321-7300000000000001002", encoded=modern),
             d_plain(_t("2026-02-06 22:11:00" if modern else "2023-09-06 22:11:00"))]]
    return Table(["savedItem", "CreatedTime" if modern else "createdTime"], rows,
                 eol="\n" if modern else "\r\n")


def _member_follows(era: str) -> Table:
    eol = "\n" if era == "2026" else "\r\n"
    rows = [[d_plain(_t("2025-06-01 10:00:00")), "Active", _name(PEOPLE[8])],
            [d_plain(_t("2025-07-02 11:00:00")), "Unfollow", _name(PEOPLE[13])],
            [d_plain(_t("2025-08-03 12:00:00")), "Active", "Sarah Okafor"]]
    return Table(["Date", "Status", "FullName"], rows, eol=eol)


def _hashtag_follows(era: str) -> Table:
    eol = "\n" if era == "2026" else "\r\n"
    rows = [["#dataengineering", d_plain(_t("2024-01-01 09:00:00")), d_plain(_t("2024-01-01 09:00:00")), "Follow"],
            ["#ia", d_plain(_t("2024-02-02 09:00:00")), d_plain(_t("2025-02-02 09:00:00")), "Follow"]]
    return Table(["HashTag", "CreatedTime", "LastModifiedTime", "State"], rows, eol=eol)


def _instant_reposts() -> Table:
    rows = [[d_plain(_t("2026-04-01 08:00:00")), _post_url("ugcPost", 7320000000000000001)],
            [d_plain(_t("2026-05-01 08:00:00")), _post_url("share", 7320000000000000002)]]
    return Table(["Date", "Link"], rows)


SEARCHES = ["data engineer", "data engineer, lyon, remote", "Élodie Lefèvre",
            "salaire data engineer lyon", "python, polars, duckdb, spark", "Acme SAS",
            "burn-out retour au travail", "meetup data lyon"]


def _search_queries(era: str, scale: int, rng: random.Random) -> Table:
    t0 = _t("2026-06-01 20:10:00") if era == "2026" else _t("2024-03-01 20:10:00")
    rows = [[d_slash_utc(t0 + timedelta(hours=7 * i)), q] for i, q in enumerate(SEARCHES)]
    # As in real files: the same search twice in one second (an exact repeat), the same words
    # in another case (a distinct record), and a query that starts with a quoted word (written
    # raw: one stray quote must not cost the file).
    rows += [list(rows[0]), [rows[0][0], rows[0][1].title()],
             [d_slash_utc(t0 + timedelta(hours=7 * len(SEARCHES))), '"polars" lyon meetup']]
    base = len(rows)
    for i in range(_fill_target(base, "search_queries", scale) - base):
        q = f"offre {_TITLES[i % 8].lower()}" + (f", {i % 95} km, cdi" if i % 25 == 0 else "")
        rows.append([d_slash_utc(t0 - timedelta(minutes=23 * i + rng.randrange(9))), q])
    return Table(["Time", "Search Query"], rows, style="unquoted", text_col=1,
                 facts={"exact_repeats": 1, "same_key": 1, "stray_quote": '"polars" lyon meetup'})


# --------------------------------------------------------------------------- profile files

SUMMARY = ("Ingénieure données à Lyon, je transforme des données logistiques désordonnées en "
           "décisions.\n\nData engineer based in Lyon, France.\nAvant : 5 ans chez Acme SAS.")


def _profile_table() -> Table:
    return Table(
        ["First Name", "Last Name", "Maiden Name", "Address", "Birth Date", "Headline", "Summary",
         "Industry", "Zip Code", "Geo Location", "Twitter Handles", "Websites", "Instant Messengers"],
        [["Camille", "Martin", "", "12 rue des Exemples, 69002 Lyon", "Mar 9",
          "Data engineer | Ingénieure données chez Exemple Analytics SAS", SUMMARY,
          "Technologies de l'information", "69002", "69002 Lyon, Auvergne-Rhône-Alpes, France", "",
          "[PORTFOLIO:https://camille.example.org,OTHER:https://blog.example.com]", ""]])


def _simple(header: str, rows: list[list[str]], **kw) -> Table:
    return Table(header.split(","), rows, **kw)


AD_HEADER_2026 = ("Member Age,Buyer Groups,Company Names,Company Names,Company Follower of,"
                  "Company Names,Company Category,Company Size,Degrees,degreeClass,Recent Device OS,"
                  "Member Schools,Company Growth Rate,Fields of Study,Company Connections,"
                  "Function By Size,Job Functions,Member Gender,Graduation Year,Member Groups,"
                  "Company Industries,Member Interests,Interface Locales,interfaceLocale,"
                  "Member Traits,High Value Audience Segments,Profile Locations,Company Revenue,"
                  "Job Seniorities,Member Skills,Standard Audience Segments,Job Titles,Job Titles,"
                  "Job Titles,Years of Experience").split(",")
AD_HEADER_2024 = [h for h in AD_HEADER_2026 if h not in
                  ("Recent Device OS", "High Value Audience Segments", "Standard Audience Segments")]
_AD_VALUES = {
    "Member Age": "25 to 34", "Company Names": "Acme SAS; Exemple Analytics SAS",
    "Company Follower of": "Rhône Data Lab", "Company Size": "201-500",
    "Degrees": "Master's Degree", "degreeClass": "200; 500", "Recent Device OS": "Android",
    "Member Schools": "Université Lumière Exemple", "Fields of Study": "Informatique",
    "Job Functions": "Engineering; Information Technology", "Member Gender": "Female",
    "Graduation Year": "2016", "Company Industries": "IT Services", "Member Interests":
    "Cloud computing; Wellness", "Interface Locales": "French", "interfaceLocale": "fr_FR",
    "Member Traits": "Frequent traveler", "High Value Audience Segments": "Decision makers",
    "Profile Locations": "Lyon, Auvergne-Rhône-Alpes, France", "Job Seniorities": "Senior",
    "Member Skills": "Python; SQL; Apache Spark", "Standard Audience Segments": "Tech enthusiasts",
    "Job Titles": "Data Engineer", "Years of Experience": "6 to 10",
}


def _ad_targeting(era: str) -> Table:
    header = AD_HEADER_2026 if era == "2026" else AD_HEADER_2024
    seen: dict[str, int] = {}
    row = []
    for h in header:
        seen[h] = seen.get(h, 0) + 1
        v = _AD_VALUES.get(h, "")
        if h in ("Company Names", "Job Titles") and seen[h] > 1:
            v = {2: "Nordwind Logistics", 3: "Bluefield Health"}[seen[h]] if h == "Company Names" \
                else {2: "Ingénieure données", 3: "Lead Data Engineer"}[seen[h]]
        row.append(v)
    return Table(header, [row])


LEARNING_HEADER = ["Content Title", "Content Description", "Content Type",
                   "Content Last Watched Date (if viewed)", "Content Completed At (if completed)",
                   "Content Saved", "Notes taken on videos (if taken)", ""]


def _learning(era: str) -> Table:
    nl = "\n" if era == "2026" else "\r\n"
    rows = [
        ["Data Engineering Foundations (exemple)",
         f"<p>Learn the basics of pipelines.</p>{nl}<p>See <a href=\"https://learning.example.org/de\">"
         "the course page</a>.</p>", "Course", d_learning(_t("2025-09-01 19:30:00")),
         d_learning(_t("2025-09-14 21:02:00")), "false",
         "Revoir la partie sur le partitionnement avant l'entretien chez Nordwind", ""],
        ["Gérer son stress au travail", "<p>Des outils concrets pour prévenir l'épuisement.</p>",
         "Video (3rd Party Provider)", d_learning(_t("2025-10-02 07:45:00")), "N/A", "true", "", ""],
        ["Leading Data Teams", "A path for new managers.", "Learning Path", "N/A", "N/A", "true", "", ""],
        ["Gérer son stress au travail", "<p>Des outils concrets pour prévenir l'épuisement.</p>",
         "Video (3rd Party Provider)", d_learning(_t("2025-11-20 07:10:00")), "N/A", "true", "", ""],
    ]
    return Table(LEARNING_HEADER, rows, facts={"same_key": 1})  # a video watched twice


def _job_applications(root: str, chunk_rows: list[int]) -> dict[str, Table]:
    # root "" is the 2024 layout (Jobs files at the archive root)
    t0 = _t("2026-04-02 09:05:00") if root else _t("2023-12-02 09:05:00")
    apps = [
        ("Nordwind Logistics", "Senior Data Engineer", 4011111111,
         "What is your expected salary?:60000 EUR | How many years of experience do you have with "
         "Python?:6 | Portfolio?:https://camille.example.org | Notice period?:3 mois"),
        ("Bluefield Health", "Lead Data Engineer", 4011111112,
         "Current CTC?:52 000 € | Expected salary?:62k€ | Are you authorized to work in France?:Yes"),
        ("Alpenrose GmbH", "Data Platform Engineer", 4011111113,
         "Mobile phone number:+33 6 00 00 00 01 | Email address:camille.martin@example.org"),
        ("Acme SAS", "Data Engineer", 4011111114, ""),
    ]
    tables: dict[str, Table] = {}
    header = ["Application Date", "Contact Email", "Contact Phone Number", "Company Name",
              "Job Title", "Job Url", "Resume Name", "Question And Answers"]
    start = 0
    for n, count in enumerate(chunk_rows):
        rows = []
        for i in range(start, start + count):
            c, title, job, qa = apps[i]
            rows.append([d_us(t0 + timedelta(days=11 * i, hours=i)), "camille.martin@example.org",
                         " +33600000001", c, title, f"https://www.linkedin.com/jobs/view/{job}",
                         "CV_Camille_Martin_2026.pdf", qa])
        start += count
        tables[f"{root}Job Applications{'_' + str(n) if n else ''}.csv"] = Table(header, rows)
    return tables


SCREENING = [
    ("What is your expected salary (EUR)?", "60000"),
    ("Quel est votre salaire actuel ?", "52 k€ brut annuel"),
    ("Are you willing to relocate?", "No"),
    ("Do you have a valid driving licence?", "Yes"),
    ("Préavis ?", "3 mois"),
    ("LinkedIn Profile", MEMBER_URL),
    ("Do you require visa sponsorship?", "No"),
]


def _screening() -> dict[str, Table]:
    parts = [SCREENING[:3], SCREENING[3:5], SCREENING[5:]]
    out = {}
    for n, part in enumerate(parts):
        name = "Job Applicant Saved Screening Question Responses" + (f"_{n}" if n else "") + ".csv"
        out[name] = Table(["Question", "Answer"], [list(p) for p in part])
    return out


JSP_HEADER = ("Locations,Industries,Company Employee Count,Preferred Job Types,Job Titles,"
              "Open To Recruiters,Dream Companies,Profile Shared With Job Poster,"
              "Job Title For Searching Fast Growing Companies,Introduction Statement,Phone Number,"
              "Job Seeker Activity Level,Preferred Start Time Range,"
              "Commute Preference Starting Address,Commute Preference Starting Time,"
              "Mode Of Transportation,Maximum Commute Duration,Open Candidate Visibility,"
              "Job Seeking Urgency Level").split(",")


def _job_seeker_prefs(era: str) -> Table:
    header = JSP_HEADER + (["Semantic Preferences"] if era == "2026" else [])
    row = ["Lyon, Auvergne-Rhône-Alpes, France | Remote", "IT Services | Logistics", "51-200 | 201-500",
           "Full-time", "Data Engineer | Lead Data Engineer", "Yes", "Bluefield Health",
           "Yes", "Data Engineer",
           "Ingénieure données, 6 ans d'expérience, disponible sous 3 mois. Discrétion demandée : "
           "mon employeur actuel n'est pas au courant.", "+33 6 00 00 00 01", "ACTIVE",
           "IMMEDIATELY", "12 rue des Exemples, 69002 Lyon", "08:30", "PUBLIC_TRANSIT", "45",
           "RECRUITERS_ONLY", "ACTIVELY_LOOKING"]
    if era == "2026":
        row.append("Équipe bienveillante, pas de management toxique")
    return Table(header, [row])


def _rich_media() -> Table:
    rows = [
        [d_rich("feed photo", _t("2025-03-04 15:07:00")), "Notre équipe au Lyon Data Meetup\navec Élodie et Julie",
         "https://media.licdn.com/dms/image/v2/D4E22AQExemple0002/feedshare-shrink_2048/0/1"],
        [d_rich("profile photo", _t("2024-11-20 08:40:00")), " -",
         "https://media.licdn.com/dms/image/v2/D4E03AQExemple0003/profile-displayphoto/0/1"],
        [d_rich("document", _t("2025-06-18 12:01:00")), "Slides BLUE HERON (internal only)", ""],
    ]
    return Table(["Date/Time", "Media Description", "Media Link"], rows)


def _verifications(era: str) -> Table:
    h = ("First name,Middle name,Last name,Verification type,Organization name,Email address,Country,"
         "State,City,Year of birth,Issuing authority,Document type,Verification service provider,"
         "Verified date,Expiry date")
    rows = [["Camille", "", "Martin", "ID verification", "", "", "France", "N/A", "Lyon", "N/A",
             "République française (exemple)", "Passport", "VerifExemple", "2025-02-11", "2033-05-30"],
            ["Camille", "", "Martin", "Work Verification", "Exemple Analytics SAS",
             "camille.martin@exemple-analytics.example.com", "N/A", "N/A", "N/A", "N/A", "N/A", "N/A",
             "N/A", "2026-01-20", "N/A"]]
    return _simple(h, rows)


def _endorsements_received(era: str) -> Table:
    rows = []
    for i, (skill, p) in enumerate([("Python", ELODIE), ("SQL", JEROME), ("Apache Spark", THOMAS),
                                     ("Python", PEOPLE[10])]):
        rows.append([d_slash_utc(_t("2025-05-05 10:00:00") + timedelta(days=19 * i)), skill, p[0],
                     p[1], _url(p).removeprefix("https://"), "ACCEPTED" if i != 3 else "PENDING"])
    return _simple("Endorsement Date,Skill Name,Endorser First Name,Endorser Last Name,"
                   "Endorser Public Url,Endorsement Status", rows)


def _utf16_tab(table: Table) -> bytes:
    # what Excel's "Unicode text" save produces: UTF-16 LE with BOM, tab-separated, CRLF
    lines = ["\t".join(table.header)] + ["\t".join(r) for r in table.rows]
    return ("\ufeff" + "\r\n".join(lines) + "\r\n").encode("utf-16-le")


ARTICLE_CSS = """
      body { font-family: -apple-system, "Segoe UI", Roboto, sans-serif; max-width: 720px; margin: 2em auto; color: #222; }
      img { max-width: 100%; height: auto; }
      h1 { font-size: 1.8em; line-height: 1.25; }
      h1 a { color: inherit; text-decoration: none; }
      p.created, p.published { color: #666; font-size: 0.85em; margin: 0.2em 0; }
      blockquote { border-left: 3px solid #ccc; margin-left: 0; padding-left: 1em; color: #444; }
      hr { border: 0; border-top: 1px solid #ddd; }
    """


def _article(title: str, slug: str | None, created: datetime, published: datetime | None,
             body: str, cover: str | None) -> bytes:
    h1 = f'<a href="https://www.linkedin.com/pulse/{slug}">{title}</a>' if slug else title
    img = f'<img src="{cover}" alt="Couverture" title="{title}" />' if cover else ""
    pub = f"{published:%Y-%m-%d %H:%M}" if published else "---"
    html = (f"<html>\n  <head>\n    <title>{title}</title>\n    <style>{ARTICLE_CSS}</style>\n  </head>\n"
            f"  <body>\n    {img}\n    <h1>{h1}</h1>\n"
            f'    <p class="created">Created on {created:%Y-%m-%d %H:%M}</p>\n'
            f'    <p class="published">Published on {pub}</p>\n    <div>{body}</div>\n  </body>\n</html>')
    return html.encode("utf-8")  # no final newline, like the real files


ARTICLES = {
    "Articles/Articles/le-cout-des-abstractions-camille-martin-4xk2f.html": _article(
        "Le coût des abstractions", "le-cout-des-abstractions-camille-martin-4xk2f",
        _t("2025-09-10 08:00:00"), _t("2025-09-12 07:30:00"),
        "<p>Chaque couche <strong>simplifie</strong> et <em>cache</em> quelque chose.</p>"
        "<h2>Un exemple</h2><ul><li>ORM</li><li>Data lakes</li></ul>"
        "<blockquote>Mesurer avant d'optimiser.</blockquote><hr />"
        "<p>Merci à Élodie Lefèvre pour sa relecture.</p>",
        "https://media.licdn.com/dms/image/v2/D4E12AQExemple0004/article-cover_image-shrink_720_1280/0/1"),
    "Articles/Articles/2026-03-02 10_11_12.0-Brouillon : l'IA et nous, salaire compris.html": _article(
        "Brouillon : l'IA et nous, salaire compris", None, _t("2026-03-02 10:11:12"), None,
        "<p>Idées en vrac : mon salaire de 52 k€ ne bouge plus depuis deux ans.</p>"
        "<ol><li>Parler à Marc (RH)</li><li>Relire le contrat</li></ol>", None),
}


def _misc_tables(era: str) -> dict[str, Table]:
    """Profile-side files common to every delivery of the member."""
    modern = era == "2026"
    t = {
        "Profile.csv": _profile_table(),
        "Profile Summary.csv": Table(["Profile Summary"], [[""]], facts={"rows": 0, "empty_line": True}),
        "Positions.csv": _simple("Company Name,Title,Description,Location,Started On,Finished On", [
            ["Exemple Analytics SAS", "Ingénieure données", "Pipelines de données logistiques.\nÉquipe de 6.",
             "Lyon, Auvergne-Rhône-Alpes, France", "Jan 2025", ""],
            ["Acme SAS", "Data engineer", "Migration BLUE HERON vers le cloud.", "Lyon, France",
             d_month(_t("2020-02-01 00:00:00")), "Dec 2024"],
            ["Rhône Data Lab", "Stagiaire", "", "Villeurbanne", "2019", "2019"]]),
        "Education.csv": _simple("School Name,Start Date,End Date,Notes,Degree Name,Activities", [
            ["Université Lumière Exemple", "2014", "2019", "", "Master Informatique", "Club robotique, BDE"],
            ["Lycée du Parc Exemple", "", "", "", "", ""]]),
        "Skills.csv": _simple("Name", [["Python"], ["SQL"], ["Apache Spark"], ["Polars"], ["Gestion de projet"]]),
        "Certifications.csv": _simple("Name,Url,Authority,Started On,Finished On,License Number", [
            ["Cloud Data Engineer (exemple)", "https://certs.example.org/c/123", "Exemple Cloud Academy",
             "Mar 2024", "Mar 2027", "EX-0000-1234"],
            ["", "", "", "", "", ""],  # every cell empty, as in real files: reported, not an item
            ["Cloud Data Engineer (exemple)", "https://certs.example.org/c/98", "Exemple Cloud Academy",
             "Mar 2021", "Mar 2024", "EX-0000-0987"]],  # the same certification, earlier: its own item
            facts={"empty_rows": 1, "same_key": 1}),
        "Projects.csv": _simple("Title,Description,Url,Started On,Finished On", [
            ["Tableau de bord fret", "Suivi temps réel des livraisons.", "https://camille.example.org/fret",
             "Jun 2023", "Nov 2023"]]),
        "Company Follows.csv": Table(["Organization", "Followed On"], [
            ["Acme SAS", d_java(_t("2020-02-03 09:00:00"))],
            ["Rhône Data Lab", d_java(_t("2024-05-06 18:22:41"))]], final_newline=not modern),
        "Email Addresses.csv": Table(["Email Address", "Confirmed", "Primary", "Updated On"], [
            ["camille.martin@example.org", "Yes", "Yes", d_us(_t("2025-01-15 14:03:00"))],
            ["c.martin.lyon@example.com", "Yes", "No", d_us(_t("2019-07-01 09:12:00"))]],
            final_newline=not modern),
        "PhoneNumbers.csv": _simple("Extension,Number,Type", [["", "+33 6 00 00 00 01", "Mobile"]]),
        "Registration.csv": _simple("Registered At,Registration Ip,Subscription Types", [
            [d_us(_t("2014-10-01 20:41:00")), "", "Basic"]]),
        "Invitations.csv": _invitations(era),
        "Ad_Targeting.csv": _ad_targeting(era),
        "Learning.csv": _learning(era),
        "Events.csv": _simple("Event Name,Event Time,Status,External Url", [
            ["Lyon Data Meetup #12", d_event(_t("2025-09-18 18:00:00"), _t("2025-09-18 20:00:00")),
             "APPROVED", "https://www.linkedin.com/events/7300000000000009001"],
            ["Webinar : IA et RGPD", d_event(_t("2025-10-02 12:30:00"), _t("2025-10-02 13:30:00")),
             "RELINQUISHED", "https://www.linkedin.com/events/7300000000000009002"]]),
        "SavedJobAlerts.csv": (
            _simple("ALERT_PARAMETERS,QUERY_CONTEXT,SAVED_SEARCH_ID", [
                ["{frequency=DAILY, channels=[EMAIL, PUSH], keywords=data engineer, location=Lyon}",
                 "{origin=JOB_SEARCH_PAGE}", "1700000000001"]]) if modern else
            _simple("Saved Search Date,Jobs Search Url", [
                [d_us(_t("2024-01-09 08:00:00")),
                 "https://www.linkedin.com/jobs/search/?keywords=data%20engineer&location=Lyon"]])),
    }
    return t


def _basic_only_2026() -> dict[str, Table]:
    return {
        "Endorsement_Received_Info.csv": _endorsements_received("2026"),
        "Rich_Media.csv": _rich_media(),
        "Verifications/Verifications.csv": _verifications("2026"),
        "Whatsapp Phone Numbers.csv": _simple("Number,Extension,Is_WhatsApp_Number",
                                              [["+33 6 00 00 00 01", "", "true"]]),
        "Services Marketplace/Providers.csv": _simple(
            "Creation Time,Marketplace Type,ProFinder Service Category,Top Level Service Category,"
            "Secondary Service Category,Use Profile Location,Available to Work Remotely,"
            "Pricing Info Provided,Status,Media",
            [[d_java(_t("2025-04-22 16:45:10")), "SERVICE_MARKETPLACE", "Data Analytics", "Technology",
              "Data Engineering", "true", "true", "false", "ACTIVE", ""]]),
        "Jobs/Saved Jobs.csv": _simple("Saved Date,Job Url,Job Title,Company Name", [
            [d_us(_t("2026-03-30 22:15:00")), "https://www.linkedin.com/jobs/view/4011111120",
             "Lead Data Engineer", "Bluefield Health"]]),
        "Jobs/Job Seeker Preferences.csv": _job_seeker_prefs("2026"),
        "Jobs/Job Applicant Saved Answers.csv": _simple("Question,Answer", [
            ["Expected salary", "60 000 €"], ["Years of experience with SQL", "7"]]),
        "guide_messages.csv": Table(MSG_HEADERS["10"], []),
        "learning_coach_messages.csv": _coach_messages(True),
        "learning_role_play_messages.csv": Table(MSG_HEADERS["10"], []),
        **_job_applications("Jobs/", [3, 1]),
        **_screening(),
    }


def _complete_only_2026(scale: int, rng: random.Random) -> dict[str, Table | bytes]:
    t: dict[str, Table | bytes] = {**_complete_activity_2026(scale, rng), **_complete_records_2026(),
                                   **_complete_profile_2026()}
    t.update(ARTICLES)
    return t


def _complete_activity_2026(scale: int, rng: random.Random) -> dict[str, Table | bytes]:
    """What the member did: posts, comments, reactions, follows, searches, logins, ads."""
    sid = MEMBER_ID
    return {
        f"Shares_{sid}.csv": _shares("2026", scale, rng),
        f"Comments_{sid}.csv": _comments("2026", scale, rng),
        f"Reactions_{sid}.csv": _reactions("2026", scale, rng),
        f"Votes_{sid}.csv": _votes("2026"),
        f"InstantReposts_{sid}.csv": _instant_reposts(),
        f"Saved_Items_{sid}.csv": _saved_items("2026"),
        f"Member_Follows_{sid}.csv": _member_follows("2026"),
        "Hashtag_Follows.csv": _hashtag_follows("2026"),
        "SearchQueries.csv": _search_queries("2026", scale, rng),
        "Logins.csv": _simple("Login Date,IP Address,User Agent,Login Type", [
            [d_java(_t("2026-11-01 07:12:44")), "192.0.2.15",
             "Mozilla/5.0 (X11; Linux x86_64) ExempleBrowser/1.0", "Login"],
            [d_java(_t("2026-11-15 21:02:03")), "2001:db8::42", "LinkedIn/9.0 (Android)", "Login"]]),
        "Security Challenges.csv": _simple("Challenge Date,IP Address,User Agent,Country,Challenge Type", [
            [d_java(_t("2026-10-30 06:00:01")), "198.51.100.7", "Mozilla/5.0 ExempleBrowser/1.0",
             "France", "EMAIL_PIN_CHALLENGE"],
            [d_java(_t("2026-11-02 06:30:01")), "203.0.113.9", "curl-exemple/8.0", "Netherlands",
             "CAPTCHA_CHALLENGE"]]),
        "Ads Clicked.csv": _simple("Ad clicked Date,Ad Title/Id", [
            [d_slash_utc(_t("2026-09-09 12:12:12")), "Formation Data & IA (exemple)"],
            [d_slash_utc(_t("2026-10-10 10:10:10")), "7300000000000000321"]]),
        "LAN Ads Engagement.csv": _simple("Action,Date,Ad Title/Id,Page/App", [
            ["CLICK", d_slash_date(_t("2026-08-08 00:00:00")), "Mutuelle santé (exemple)", "meteo.example.com"]]),
        "Inferences_about_you.csv": Table(["Category", "Type of inference", "Description", "Inference"], [
            ["Personal characteristics", "Gender", "Inferred from profile data", "Female"],
            ["Job search", "Open to work", "Inferred from your activity", "Likely looking for a job"],
            ["Interests", "Topics", "Inferred from content you engage with", "Health & wellness"]],
            final_newline=False),
        "coach_messages.csv": Table(MSG_HEADERS["10"], []),
    }


def _complete_records_2026() -> dict[str, Table | bytes]:
    """What others wrote about the member, and the member's notes, postings and receipts."""
    return {
        "Recommendations_Received.csv": _simple(
            "First Name,Last Name,Company,Job Title,Text,Creation Date,Status", [
                ["Jérôme", "Dubois", "Acme SAS", "Directeur technique",
                 "Camille a mené la migration BLUE HERON avec rigueur.\nJe la recommande sans réserve.",
                 d_us(_t("2025-01-20 18:30:00")), "VISIBLE"]]),
        "Recommendations_Given.csv": _simple(
            "First Name,Last Name,Company,Job Title,Text,Creation Date,Status", [
                ["Lucas", "Moreau", "Acme SAS", "Stagiaire data",
                 "Lucas learns fast, despite a difficult year for his health.", d_us(_t("2025-02-11 09:00:00")), ""]]),
        "Endorsement_Given_Info.csv": _simple(
            "Endorsement Date,Skill Name,Endorsee First Name,Endorsee Last Name,Endorsee Public Url,"
            "Endorsement Status", [[d_slash_utc(_t("2025-03-03 08:08:08")), "Data Visualization", "Chloé",
                                    "Lambert", _url(PEOPLE[12]).removeprefix("https://"), "ACCEPTED"]]),
        "Private_identity_asset.csv": _simple("Private Identity Asset Name,Private Identity Asset Raw Text", [
            ["CV_Camille_Martin_2026.pdf",
             "Camille Martin\n12 rue des Exemples, 69002 Lyon\n+33 6 00 00 00 01 | camille.martin@example.org\n"
             "Expérience : Acme SAS (2020-2024), salaire 52 k€\nCompétences : Python, SQL, Spark"]]),
        "Notes.csv": _simple("Connection First Name,Connection Last Name,Connection Profile URL,Note,Created On,Edited On", [
            ["Kevin", "O'Brien", _url(PEOPLE[7]), "Recruteur, a proposé 60 k€, rappeler en janvier",
             d_us(_t("2026-04-12 10:00:00")), d_us(_t("2026-04-13 11:00:00"))]]),
        "Online Job Postings.csv": _simple(
            "Company Name,Title,Employment Status,Company Description,Job Description,Location Description,"
            "Job Functions,Company Industries,Seniority Level,Required Skills,Education Levels,Onsite Apply,"
            "Contact Email,Company Apply Url,Base Salary,Additional Compensation,Job State,Create Date,"
            "List Date,Close Date,Expiration Date", [
                ["Exemple Analytics SAS", "Stagiaire data engineer", "INTERNSHIP",
                 "Cabinet lyonnais d'analyse de données.",
                 "<p>Vous rejoindrez l'équipe de %FIRSTNAME% pour construire nos pipelines.</p><ul><li>Python</li></ul>",
                 "Lyon, France", "Engineering", "IT Services", "INTERNSHIP", "Python; SQL", "Master",
                 "true", "jobs@exemple-analytics.example.com", "", "1 400 € / mois", "Tickets restaurant",
                 "CLOSED", d_us(_t("2026-02-01 09:00:00")), d_us(_t("2026-02-01 09:05:00")),
                 d_us(_t("2026-03-15 18:00:00")), d_us(_t("2026-03-31 23:59:00"))]]),
        "Receipts.csv": _simple(
            "First Name,Last Name,Billing Country,Postal Code,Transaction Made At,Payment Method Type,"
            "Invoice Number,Description,Tax Amount,Sub Total,Total Amount,Currency Code", [
                ["Camille", "Martin", "FR", "69002", d_us(_t("2025-12-01 10:15:00")), "VISA",
                 "EX-INV-000101", "Premium Career (1 month)", "5.98", "29.91", "35.89", "EUR"]]),
        "Receipts_v2.csv": _simple(
            "First Name,Last Name,Billing Country,Postal Code,Transaction Made At,Payment Method Type,"
            "Invoice Number,Description,Tax Amount,Sub Total,Total Amount,Currency Code", [
                ["Camille", "Martin", "FR", "69002", d_us_utc(_t("2026-11-13 10:15:00")), "VISA",
                 "EX-INV-000102", "Premium Career (1 month)", "5.98", "29.91", "35.89", "EUR"]]),
    }


def _complete_profile_2026() -> dict[str, Table | bytes]:
    """The profile's extra sections, a file no catalogue knows, and a notice-only member."""
    return {
        "Honors.csv": _simple("Title,Description,Issued On", [["Prix du meilleur mémoire", "", "2019"]]),
        "Organizations.csv": _simple("Name,Description,Position,Started On,Finished On", [
            ["Women in Data Lyon (exemple)", "", "Bénévole", "Jan 2022", ""]]),
        "Languages.csv": _simple("Name,Proficiency", [["Français", "Native or bilingual proficiency"],
                                                      ["English", "Full professional proficiency"]]),
        "Publications.csv": _simple("Name,Published On,Description,Publisher,Url", [
            ["Pipelines sobres", "Apr 9, 2024", "Article de blog", "Blog exemple", "https://blog.example.com/sobres"]]),
        "Volunteering.csv": _simple("Company Name,Role,Cause,Started On,Finished On,Description", [
            ["Banque alimentaire (exemple)", "Bénévole", "Poverty alleviation", "2018", "2020", "Collectes"]]),
        "Courses.csv": _simple("Name,Number", [["Bases de données avancées", "INF-512"]]),
        "Causes You Care About.csv": _simple("Supported Cause", [["Education"], ["Health"]]),
        "Duolingo.csv": _simple("Language,Score,Proficiency Level", [["English", "125", "Upper intermediate"]]),
        "Member Hashtags.csv": _simple("Member Posts About Hashtags", [["#data"], ["#lyon"]]),
        "Some_New_File.csv": _simple("When,What,Detail", [
            ["2026-07-01", "feature_opt_in", "Writing assistant"],
            ["2026-07-02", "prompt", "Réécris mon titre pour un poste de lead data"],
            ["2026-07-03", "prompt", "Improve my About section"]]),
        "LearningCoachMessages.csv": b"No conversations found\n\n",
    }


def _legacy_2024(scale: int, rng: random.Random) -> dict[str, Table | bytes]:
    t: dict[str, Table | bytes] = {}
    t.update(_misc_tables("2024"))
    t.update({
        "messages.csv": _messages("2024", scale, rng),
        "Connections.csv": _connections("2024", scale, rng),
        "Shares.csv": _shares("2024", scale, rng),
        "Comments.csv": _comments("2024", scale, rng),
        "Reactions.csv": _reactions("2024", scale, rng),
        "Votes.csv": _votes("2024"),
        "Saved_Items.csv": _saved_items("2024"),
        "Member_Follows.csv": _member_follows("2024"),
        "Hashtag_Follows.csv": _hashtag_follows("2024"),
        "SearchQueries.csv": _search_queries("2024", scale, rng),
        "Rich Media.csv": _simple("Type,Link", [
            ["Video content can be downloaded at", "https://www.linkedin.com/mypreferences/d/download-my-data"],
            ["Documents can be downloaded at", "https://www.linkedin.com/mypreferences/d/download-my-data"]]),
        "Job Seeker Preferences.csv": _job_seeker_prefs("2024"),
        "Saved Jobs.csv": _simple("Saved Date,Job Url,Job Title,Company Name", [
            [d_us(_t("2024-02-02 19:19:00")), "https://www.linkedin.com/jobs/view/3811111111",
             "Data Engineer", "Nordwind Logistics"]]),
        "Verifications.csv": _verifications("2024"),
        "Contacts.csv": _simple(
            "Source,FirstName,LastName,Companies,Title,Emails,PhoneNumbers,CreatedAt,Addresses,Sites,"
            "InstantMessageHandles,FullName,Birthday,Location,BookmarkedAt,Profiles", [
                ["GOOGLE_CONTACTS", "Hélène", "Faure", "Exemple Analytics SAS", "Head of Data",
                 "helene.faure@example.com", "+33 6 00 00 00 23", d_us(_t("2022-06-06 06:06:00")),
                 "8 place Exemple, 69001 Lyon", "", "", "Hélène Faure", "Jul 14", "Lyon", "", ""],
                ["PHONE", "Papa", "", "", "", "", "+1 555-0142", d_us(_t("2022-06-06 06:07:00")),
                 "", "", "", "Papa", "", "", "", ""]]),
        "Calendar.csv": _simple("Owner,Source,LastSyncedAt", [
            ["camille.martin@example.org", "GOOGLE", d_us(_t("2024-03-10 07:07:00"))]]),
        "coach_messages.csv": _coach_messages(True),
        "Endorsement_Given_Info.csv": _simple(
            "Endorsement Date,Skill Name,Endorsee First Name,Endorsee Last Name,Endorsee Public Url,"
            "Endorsement Status", [[d_slash_utc(_t("2023-03-03 08:08:08")), "SQL", "Julie", "Bernard",
                                    _url(JULIE).removeprefix("https://"), "ACCEPTED"]]),
    })
    t.update(_job_applications("", [3]))
    t.update(_screening())
    t["Endorsement Received Info.csv"] = _endorsements_received("2024")  # UTF-16 below
    return t


# --------------------------------------------------------------------------- public API

def _tables(kind: str, era: str, scale: int, seed: int) -> dict[str, Table | bytes]:
    if kind not in ("basic", "complete"):
        raise ValueError(f"unknown export kind {kind!r} (basic or complete)")
    if era not in ("2026", "2024"):
        raise ValueError(f"unknown era {era!r} (2026 or 2024)")
    if scale < 1:
        raise ValueError("scale must be at least 1")
    # one stream per activity file, so scaling one file never shifts another's content
    def rng(name: str) -> random.Random:
        return random.Random(f"{seed}:{name}")
    if era == "2024":
        if kind != "complete":
            raise ValueError("the 2024 era exists only as a single (complete) archive")
        return _legacy_2024(scale, rng("legacy"))
    t: dict[str, Table | bytes] = {}
    t.update(_misc_tables("2026"))
    t["messages.csv"] = _messages("2026", scale, rng("messages"))
    t["Connections.csv"] = _connections("2026", scale, rng("connections"))
    t.update(_basic_only_2026())
    if kind == "complete":
        t.update(_complete_only_2026(scale, rng("complete")))
    return t


def _order(name: str) -> str:
    # LinkedIn's entry order is neither alphabetical nor grouped by folder; a hash order is
    # both of those and stable
    return hashlib.sha1(name.encode()).hexdigest()


def build_export(kind: str = "complete", *, era: str = "2026", scale: int = 1,
                 seed: int = 0) -> dict[str, bytes]:
    """Member path -> bytes of one synthetic export; the same arguments give the same bytes."""
    out: dict[str, bytes] = {}
    for name, value in sorted(_tables(kind, era, scale, seed).items(), key=lambda kv: _order(kv[0])):
        if isinstance(value, bytes):
            out[name] = value
        elif name == "Endorsement Received Info.csv":
            out[name] = _utf16_tab(value)
        else:
            out[name] = value.render()
    return out


def _dos_time(dt: datetime) -> tuple[int, int]:
    return ((dt.hour << 11) | (dt.minute << 5) | (dt.second // 2),
            ((dt.year - 1980) << 9) | (dt.month << 5) | dt.day)


def write_zip(files: dict[str, bytes], dest: Path, *, wrapper: str | None = None,
              start: datetime = datetime(2026, 11, 20, 8, 0, 0), step_seconds: int = 7) -> None:
    """Write `files` like LinkedIn's Java ZipOutputStream: Deflate for every entry, flags 0x0808
    (data descriptor + UTF-8 names), zero CRC/sizes in local headers, version 2.0 / MS-DOS, no
    extra fields, no comment. Names ending in "/" become directory entries (re-zip debris only).
    Entry times are `start + i * step_seconds`, so the bytes are reproducible."""
    out = bytearray()
    central = bytearray()
    count = 0
    for i, (name, data) in enumerate(files.items()):
        full = f"{wrapper.rstrip('/')}/{name}" if wrapper else name
        raw_name = full.encode("utf-8")
        dtime, ddate = _dos_time(start + timedelta(seconds=i * step_seconds))
        offset = len(out)
        if full.endswith("/"):
            flags, method, comp, crc, attr = 0x0800, 0, b"", 0, 0x10
            out += struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, flags, method, dtime, ddate,
                               0, 0, 0, len(raw_name), 0) + raw_name
        else:
            flags, method, attr = 0x0808, 8, 0
            packer = zlib.compressobj(6, zlib.DEFLATED, -15)
            comp = packer.compress(data) + packer.flush()
            crc = zlib.crc32(data)
            out += struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, flags, method, dtime, ddate,
                               0, 0, 0, len(raw_name), 0) + raw_name
            out += comp
            out += struct.pack("<IIII", 0x08074B50, crc, len(comp), len(data))
        central += struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, flags, method, dtime,
                               ddate, crc, len(comp), len(data), len(raw_name), 0, 0, 0, 0,
                               attr, offset) + raw_name
        count += 1
    cd_offset = len(out)
    out += central
    out += struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, count, count, len(central), cd_offset, 0)
    dest = Path(dest)
    private_dir(dest.parent)
    atomic_write(dest, bytes(out))  # 0600, like every file this tool writes


# Re-zip debris of the macOS Finder (invented bytes with the real magic numbers).
DS_STORE = b"\x00\x00\x00\x01Bud1" + bytes(22) + b"\x10\x00\x00\x00" + bytes(32)
APPLE_DOUBLE = b"\x00\x05\x16\x07\x00\x02\x00\x00Mac OS X        " + bytes(10) + b"\x00\x02" + bytes(16)


def macos_rezip(files: dict[str, bytes], wrapper: str) -> dict[str, bytes]:
    """The same members as Archive Utility re-compresses an extracted folder: a wrapping folder,
    directory entries, `.DS_Store` and `__MACOSX/` AppleDouble files."""
    out: dict[str, bytes] = {f"{wrapper}/": b""}
    dirs = sorted({n.rsplit("/", 1)[0] + "/" for n in files if "/" in n})
    for d in dirs:
        for k in range(1, d.count("/") + 1):
            out.setdefault(f"{wrapper}/" + "/".join(d.split("/")[:k]) + "/", b"")
    out[f"{wrapper}/.DS_Store"] = DS_STORE
    for name, data in files.items():
        out[f"{wrapper}/{name}"] = data
    out["__MACOSX/"] = b""
    out[f"__MACOSX/{wrapper}/"] = b""
    out[f"__MACOSX/{wrapper}/._Connections.csv"] = APPLE_DOUBLE
    out[f"__MACOSX/{wrapper}/._messages.csv"] = APPLE_DOUBLE
    return out


DEBRIS_PREFIXES = ("__MACOSX/",)
DEBRIS_NAMES = (".DS_Store", "Thumbs.db")


def _is_debris(name: str) -> bool:
    base = name.rsplit("/", 1)[-1]
    return name.startswith(DEBRIS_PREFIXES) or base in DEBRIS_NAMES or base.startswith("._")


def strip_members(names_to_bytes: dict[str, bytes], wrapper: str | None) -> dict[str, bytes]:
    """Inverse of the re-zips above: drop directory entries and debris, strip the wrapper."""
    out = {}
    for name, data in names_to_bytes.items():
        if name.endswith("/") or _is_debris(name):
            continue
        if wrapper:
            name = name.removeprefix(wrapper + "/")
        out[name] = data
    return out


# (sample file name, kind, era, zip wrapper, first entry time, seconds between entries)
SAMPLES = [
    (BASIC_NAME, "basic", "2026", None, datetime(2026, 11, 20, 8, 1, 4), 9),
    (COMPLETE_NAME, "complete", "2026", None, datetime(2026, 11, 20, 2, 10, 0), 1180),
    (LEGACY_NAME, "complete", "2024", LEGACY_WRAPPER, datetime(2024, 3, 13, 22, 5, 40), 600),
]


def _has_7zip() -> str | None:
    return shutil.which("7zz")


def write_deflate64(files: dict[str, bytes], dest: Path, seven_zip: str) -> None:
    """Re-zip with 7-Zip's Deflate64 (method 9), as some Windows tools do; times fixed."""
    fixed = datetime(2026, 11, 22, 10, 0, 0).timestamp()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "x"
        for name, data in files.items():
            p = root / name
            p.parent.mkdir(parents=True, exist_ok=True)
            p.write_bytes(data)
        for p in sorted(root.rglob("*"), reverse=True):
            os.utime(p, (fixed, fixed))
        tmp_zip = Path(tmp) / "out.zip"
        subprocess.run([seven_zip, "a", "-tzip", "-mm=Deflate64", "-mtc=off", str(tmp_zip), "."],
                       cwd=root, check=True, stdout=subprocess.DEVNULL)
        private_dir(dest.parent)
        atomic_write(dest, tmp_zip.read_bytes())


def write_samples(out_dir: Path, *, scale: int = 1, deflate64: bool | None = None) -> list[Path]:
    """Write every sample into `out_dir` (what `inventory sample --out DIR --scale N` runs).
    The Deflate64 copy needs 7-Zip (`7zz`); it is skipped when absent or `deflate64=False`."""
    out_dir = private_dir(Path(out_dir))  # folders 0700, files 0600: the samples look like real exports
    written: list[Path] = []
    built: dict[str, dict[str, bytes]] = {}
    for name, kind, era, wrapper, start, step in SAMPLES:
        files = build_export(kind, era=era, scale=scale)
        built[name] = files
        dest = out_dir / name
        write_zip(files, dest, wrapper=wrapper, start=start, step_seconds=step)
        written.append(dest)
    dest = out_dir / RENAMED_NAME
    write_zip(macos_rezip(built[BASIC_NAME], RENAMED_WRAPPER), dest,
              start=datetime(2026, 11, 20, 19, 30, 0), step_seconds=0)
    written.append(dest)
    folder = out_dir / EXTRACTED_NAME
    if folder.exists():
        shutil.rmtree(folder)
    for name, data in built[BASIC_NAME].items():
        p = folder / name
        private_dir(p.parent)
        atomic_write(p, data)
    written.append(folder)
    seven_zip = _has_7zip() if deflate64 is not False else None
    if seven_zip:
        dest = out_dir / DEFLATE64_NAME
        write_deflate64(built[COMPLETE_NAME], dest, seven_zip)
        written.append(dest)
    return written


# --------------------------------------------------------------------------- facts for tests

def _table_facts(value: Table | bytes, name: str) -> dict:
    if isinstance(value, bytes):
        if name.endswith(".html"):
            text = value.decode()
            return {"rows": 1, "draft": "Published on ---" in text,
                    "title": text.split("<title>", 1)[1].split("</title>", 1)[0]}
        return {"rows": 0, "not_csv": True}
    facts = {"rows": len(value.rows), "header": list(value.header)}
    if value.rows:
        facts["first"] = list(value.rows[0])
        facts["last"] = list(value.rows[-1])
    facts.update(value.facts)
    if name == "Endorsement Received Info.csv":
        facts.update(encoding="utf-16-le", bom=True, delimiter="\t")
    return facts


def sample_facts(kind: str, era: str = "2026", scale: int = 1, seed: int = 0) -> dict:
    """Per member path: logical row count (after the quirk repairs of docs/export-format.md §2), header as written,
    first/last logical rows and file-specific extras (hidden rows, drafts…)."""
    return {name: _table_facts(v, name) for name, v in _tables(kind, era, scale, seed).items()}


def _all_facts() -> dict:
    basic = sample_facts("basic")
    complete = sample_facts("complete")
    legacy = sample_facts("complete", "2024")
    common = {"member": MEMBER_NAME, "member_url": MEMBER_URL}
    return {
        BASIC_NAME: {**common, "kind": "basic", "era": "2026", "wrapper": None, "files": basic},
        COMPLETE_NAME: {**common, "kind": "complete", "era": "2026", "wrapper": None,
                        "member_id": MEMBER_ID, "files": complete},
        LEGACY_NAME: {**common, "kind": "complete", "era": "2024", "wrapper": LEGACY_WRAPPER,
                      "files": legacy},
        RENAMED_NAME: {**common, "kind": "basic", "era": "2026", "wrapper": RENAMED_WRAPPER,
                       "debris": [f"{RENAMED_WRAPPER}/.DS_Store", f"__MACOSX/{RENAMED_WRAPPER}/._Connections.csv",
                                  f"__MACOSX/{RENAMED_WRAPPER}/._messages.csv"], "files": basic},
        DEFLATE64_NAME: {**common, "kind": "complete", "era": "2026", "wrapper": None,
                         "member_id": MEMBER_ID, "method": 9, "files": complete},
        EXTRACTED_NAME: {**common, "kind": "basic", "era": "2026", "wrapper": None, "files": basic},
    }


SAMPLE_FACTS: dict = _all_facts()
