"""Masking the people in free text before beleid reads it (security review finding 6; ADR 0003).

An obstacle description is typed in a workplan and may name the client ("Mevrouw Zoë van 't Hof, BSN
123456782, Bosweg 12, wacht op ..."). Beleid never sees a person, so before any description reaches beleid
(the page "Belemmeringen voor publicatie", the approval, the report) every identifier of the people of its case
is replaced by a neutral Dutch placeholder:

- the clients of the case (the case's client, or every member the household has had, current and past):
  given names, family name, prefix + family name and the full name → "[naam]"; BSN → "[BSN]"; street and
  house number, or the street alone → "[adres]"; postcode → "[postcode]"; phone → "[telefoon]"; e-mail →
  "[e-mail]"; date of birth in the usual Dutch notations → "[geboortedatum]"; the household's name → "[naam]";
- the professionals of the case (members, partner contacts, the coordinator, the author of the obstacle):
  names → "[medewerker]", phone and e-mail as above;
- anyone's identifiers by their form: nine digits (a BSN, also dotted or spaced), a Dutch postcode, a phone
  number, an e-mail address, an IBAN, a street name with a house number, and a date after "geboren" or
  "geboortedatum".

Matching ignores case and diacritics (Zoë = Zoe, Ö = o) and typographic apostrophes (D’Souza = D'Souza), and
takes whole words only: the family name "Bos" is masked in "Bos" and "Bos-Jansen" but not in "Bosweg" or
"bospad" (unless "Bosweg" is the client's street). A name followed by a possessive s ("Jans", "Jan's") is the
name; initials before a name ("J.P. de Vries") go with it. A family name that is also a word ("de Jong":
"jong") is masked wherever that word stands alone: readable text matters less than a person.

What is not masked: a name the case does not know (a neighbour, a teacher), which only the generic patterns
catch (a phone number, not a name); nicknames and misspellings; an age, a street without a house number that
is not the client's, a rare detail of a household. That is why beleid still reads and approves the masked text.

``mask`` is a pure function; ``identities_for`` reads what it needs for a page of obstacles in a fixed number
of queries.
"""

from __future__ import annotations

import datetime
import hashlib
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from accounts.models import User
from cases.models import Case, CaseMember, Client, Household, HouseholdMember

# Words that join a Dutch family name (tussenvoegsels): part of "van der Berg", never a name on their own.
NAME_PREFIXES = frozenset(
    [
        "van",
        "de",
        "der",
        "den",
        "het",
        "'t",
        "te",
        "ter",
        "ten",
        "in",
        "op",
        "onder",
        "over",
        "uit",
        "aan",
        "bij",
        "voor",
        "von",
        "vom",
        "zu",
        "zur",
        "del",
        "della",
        "di",
        "du",
        "le",
        "la",
        "les",
        "dos",
        "da",
        "das",
        "d'",
        "l'",
        "st.",
        "st",
        "sint",
    ]
)
# Titles and forms of address, which are not names either.
TITLES = frozenset(
    [
        "dhr",
        "dhr.",
        "mevr",
        "mevr.",
        "mw",
        "mw.",
        "mr",
        "mr.",
        "dr",
        "dr.",
        "drs",
        "drs.",
        "ir",
        "ir.",
        "ing",
        "ing.",
        "heer",
        "mevrouw",
        "meneer",
    ]
)

DUTCH_MONTHS = (
    ("januari", "jan"),
    ("februari", "feb"),
    ("maart", "mrt", "mar"),
    ("april", "apr"),
    ("mei",),
    ("juni", "jun"),
    ("juli", "jul"),
    ("augustus", "aug"),
    ("september", "sep", "sept"),
    ("oktober", "okt", "oct"),
    ("november", "nov"),
    ("december", "dec"),
)

# Separators a person types inside a number: spaces, dots, dashes, slashes and brackets.
_SEP = r"[\s.\-/()]*"
_APOSTROPHES = dict.fromkeys(map(ord, "’‘`´ʼ′"), "'")
_DASHES = dict.fromkeys(map(ord, "‐‑‒–—"), "-")


@dataclass
class Person:
    """The identifiers of one person of a case. A professional's name becomes "[medewerker]"."""

    given_names: str = ""
    prefix: str = ""
    family_name: str = ""
    bsn: str = ""
    street: str = ""
    house_number: str = ""
    house_number_addition: str = ""
    postcode: str = ""
    phone: str = ""
    email: str = ""
    date_of_birth: datetime.date | None = None
    professional: bool = False


@dataclass
class Identities:
    """Everyone whose identifiers a text of one case may hold."""

    people: list[Person] = field(default_factory=list)
    household_names: list[str] = field(default_factory=list)


def placeholders() -> dict[str, str]:
    """The placeholders, in the active language (``mask`` is called in Dutch: what beleid approves is stored)."""
    return {
        "name": _("[naam]"),
        "professional": _("[medewerker]"),
        "bsn": _("[BSN]"),
        "address": _("[adres]"),
        "postcode": _("[postcode]"),
        "phone": _("[telefoon]"),
        "email": _("[e-mail]"),
        "birth": _("[geboortedatum]"),
        "iban": _("[rekeningnummer]"),
    }


# --- Folding: case, diacritics and apostrophes ------------------------------------------------------------


def fold(text: str) -> tuple[str, list[int]]:
    """``text`` in lower case without diacritics, with one kind of apostrophe and dash, and for each character
    of the result the index of the character of ``text`` it came from."""
    out: list[str] = []
    index: list[int] = []
    for i, char in enumerate(text.translate(_APOSTROPHES).translate(_DASHES)):
        for part in unicodedata.normalize("NFKD", char):
            if unicodedata.combining(part):
                continue
            for folded in part.casefold():
                out.append(folded)
                index.append(i)
    return "".join(out), index


def _folded(text: str) -> str:
    return fold(text)[0]


def _words(text: str) -> list[str]:
    return [w for w in re.split(r"[\s\-]+", _folded(text).strip()) if w]


def _phrase(words: Sequence[str]) -> str:
    """A regex for ``words`` one after the other, with any spaces or a dash between them."""
    return r"[\s\-]+".join(re.escape(w) for w in words)


def _whole(pattern: str) -> str:
    return rf"(?<![\w@]){pattern}(?![\w@])"


# --- Patterns per person ------------------------------------------------------------------------------------


def _name_patterns(given: str, prefix: str, family: str) -> list[str]:
    """Whole names, prefix + family name, and each given and family name on its own (not the prefixes)."""
    given_words = [w for w in _words(given) if w not in TITLES and not re.fullmatch(r"[a-z]\.?", w)]
    family_words = _words(family)
    prefix_words = _words(prefix)
    # A prefix typed into the family name field ("van der Berg") is still a prefix.
    while len(family_words) > 1 and family_words[0] in NAME_PREFIXES:
        prefix_words.append(family_words.pop(0))
    patterns = [_phrase(given_words)] if len(given_words) > 1 else []  # "Anne-Marie", "Zoë Maria"
    if family_words:
        if prefix_words:
            patterns.append(_phrase([*prefix_words, *family_words]))
        if given_words:
            patterns.append(_phrase([*given_words, *prefix_words, *family_words]))
            patterns.append(_phrase([given_words[0], *prefix_words, *family_words]))
    singles = [*given_words, *family_words, *(w for f in family_words for w in f.split("-"))]
    for word in dict.fromkeys(singles):
        if len(word) < 2 or word in NAME_PREFIXES:
            continue
        possessive = "s?" if len(word) >= 3 and word[-1] not in "sxz'" else ""  # "Jans fiets", "Zoës broer"
        patterns.append(re.escape(word) + possessive)
    return patterns


def _digits_pattern(digits: str) -> str:
    return _SEP.join(re.escape(d) for d in digits)


def _phone_pattern(phone: str) -> str | None:
    digits = re.sub(r"\D", "", phone)
    if digits.startswith("0031"):
        digits = "0" + digits[4:]
    elif digits.startswith("31") and phone.strip().startswith("+"):
        digits = "0" + digits[2:]
    if len(digits) < 6:
        return None
    if digits.startswith("0"):
        # 06 12345678, +31 6 12345678, +31 (0)6-12345678, 0031 6 12345678.
        lead = r"(?:\+31" + _SEP + r"(?:\(0\)" + _SEP + r")?|0031" + _SEP + r"|\(?0)"
        return lead + _SEP + _digits_pattern(digits[1:])
    return r"\+?" + _digits_pattern(digits)


def _date_patterns(day: datetime.date) -> list[str]:
    """17-05-1980, 17-5-1980, 17/5/80, 17.05.1980, 1980-05-17, 17 mei 1980, 17 mei '80."""
    d = rf"0?{day.day}" if day.day < 10 else str(day.day)
    m = rf"0?{day.month}" if day.month < 10 else str(day.month)
    year, short = str(day.year), f"{day.year % 100:02d}"
    months = "|".join(re.escape(name) for name in DUTCH_MONTHS[day.month - 1])
    return [
        rf"{d}[\-/.]{m}[\-/.](?:{year}|'?{short})",
        rf"{year}[\-/.]{m}[\-/.]{d}",
        rf"{d}\s*(?:{months})\.?\s*(?:{year}|'{short})",
    ]


def _street_patterns(street: str, number: str, addition: str) -> list[str]:
    words = _words(street)
    if not words:
        return []
    patterns = [_phrase(words)]
    if number:
        house = re.escape(_folded(number)) + r"(?:\s?-?\s?[a-z](?![a-z])|-\d+)?"
        if addition:
            house = re.escape(_folded(number)) + r"(?:\s?-?\s?" + re.escape(_folded(addition)) + ")?"
        patterns.insert(0, _phrase(words) + r"\s*" + house)
    return patterns


def _postcode_pattern(postcode: str) -> str | None:
    compact = re.sub(r"\s", "", _folded(postcode))
    if not re.fullmatch(r"\d{4}[a-z]{2}", compact):
        return None
    return rf"{compact[:4]}\s?{compact[4:]}"


# --- Patterns for anyone ------------------------------------------------------------------------------------

_NUMERIC_DATE = r"\d{1,2}[\-/.]\d{1,2}[\-/.](?:\d{4}|'?\d{2})|\d{4}[\-/.]\d{1,2}[\-/.]\d{1,2}"
_MONTH_NAMES = "|".join(n for names in DUTCH_MONTHS for n in names)
_TEXT_DATE = rf"\d{{1,2}}\s*(?:{_MONTH_NAMES})\.?\s*(?:\d{{4}}|'\d{{2}})"
# Street names end in one of these; with a house number after them they are an address whoever lives there.
_STREET_ENDINGS = (
    "straat|laan|weg|plein|gracht|kade|singel|dreef|hof|pad|steeg|dijk|park|plantsoen|markt|baan|wal|ring|erf|"
    "hoven|veld|dreef|boulevard|promenade|allee|vliet|burcht|haven|kwartier"
)
GENERIC: tuple[tuple[str, str, int], ...] = (
    # (kind, pattern on the folded text, flags)
    ("email", r"[\w.+\-]+@[\w\-]+(?:\.[\w\-]+)+", 0),
    ("iban", r"(?<![\w])[a-z]{2}\d{2}\s?[a-z]{4}(?:\s?\d){10}(?!\d)", 0),
    (
        "phone",
        r"(?<![\w+])(?:(?:\+|00)31[\s.\-]*(?:\(0\)[\s.\-]*)?|\(0|0)(?:\d[\s.\-/)]?\s?){8}\d(?![\d])",
        0,
    ),
    ("phone", r"(?<![\w+])\+\d{1,3}[\s.\-]?(?:\d[\s.\-]?){6,12}\d(?!\d)", 0),
    ("bsn", r"(?<![\w.])(?:\d{9}|\d{3}([.\s])\d{3}\1\d{3}|\d{4}([.\s])\d{2}\2\d{3})(?![\w]|\.\d)", 0),
    ("birth", rf"(?<=geboren op )(?:{_NUMERIC_DATE}|{_TEXT_DATE})", 0),
    ("birth", rf"(?<=geboren )(?:{_NUMERIC_DATE}|{_TEXT_DATE})", 0),
    ("birth", rf"(?<=geb\. )(?:{_NUMERIC_DATE}|{_TEXT_DATE})", 0),
    ("birth", rf"(?<=geboortedatum )(?:{_NUMERIC_DATE}|{_TEXT_DATE})", 0),
    ("birth", rf"(?<=geboortedatum: )(?:{_NUMERIC_DATE}|{_TEXT_DATE})", 0),
    ("address", rf"(?<![\w'])[a-z]{{2,}}(?:{_STREET_ENDINGS})\s+\d{{1,5}}(?:\s?-?\s?[a-z](?![a-z])|-\d+)?(?!\d)", 0),
)
# A Dutch postcode "1234 AB" or "1234AB". With a space only in capitals, so that "sinds 2026 en" stays.
POSTCODE = re.compile(r"(?<![\w])[1-9]\d{3}(?: [A-Z]{2}|[A-Za-z]{2})(?![\w])")


# --- Masking --------------------------------------------------------------------------------------------------


def _person_patterns(person: Person) -> list[tuple[str, str]]:
    """(kind, pattern) for one person, to be searched in the folded text."""
    out: list[tuple[str, str]] = []
    name = "professional" if person.professional else "name"
    out += [(name, p) for p in _name_patterns(person.given_names, person.prefix, person.family_name)]
    bsn = re.sub(r"\D", "", person.bsn)
    if bsn:
        out.append(("bsn", _digits_pattern(bsn)))
        # An eight-digit BSN is the nine-digit one with a leading zero, and either may be written.
        if len(bsn) == 9 and bsn.startswith("0"):
            out.append(("bsn", _digits_pattern(bsn[1:])))
        elif len(bsn) == 8:
            out.append(("bsn", _digits_pattern("0" + bsn)))
    out += [("address", p) for p in _street_patterns(person.street, person.house_number, person.house_number_addition)]
    if person.postcode and (pattern := _postcode_pattern(person.postcode)):
        out.append(("postcode", pattern))
    if person.phone and (pattern := _phone_pattern(person.phone)):
        out.append(("phone", pattern))
    if person.email.strip():
        out.append(("email", re.escape(_folded(person.email.strip()))))
    if person.date_of_birth:
        out += [("birth", p) for p in _date_patterns(person.date_of_birth)]
    return out


def mask(text: str, identities: Identities | None = None) -> str:
    """``text`` with every identifier of ``identities`` and every identifier recognisable by its form replaced
    by a placeholder (see the module docstring). Deterministic: the same text and people give the same result."""
    if not text:
        return text
    identities = identities or Identities()
    words = placeholders()
    folded, index = fold(text)
    spans: list[tuple[int, int, str]] = []  # (start, end) in ``text``, kind

    def add(kind: str, pattern: str, *, whole: bool = True) -> None:
        for match in re.finditer(_whole(pattern) if whole else pattern, folded):
            if match.end() > match.start():
                start, end = index[match.start()], index[match.end() - 1] + 1
                if text[start] == "(" and ")" not in text[start:end]:
                    start += 1  # "(020-1234567)": the bracket around the number stays
                spans.append((start, end, kind))

    for person in identities.people:
        for kind, pattern in _person_patterns(person):
            add(kind, pattern)
    for household in identities.household_names:
        if _words(household):
            add("name", _phrase(_words(household)))
    for kind, pattern, _flags in GENERIC:
        add(kind, pattern, whole=False)
    spans += [(m.start(), m.end(), "postcode") for m in POSTCODE.finditer(text)]

    chosen: list[tuple[int, int, str]] = []
    # The longest match wins ("van der Berg" over "Berg"; a phone number over the nine digits inside it).
    for start, end, kind in sorted(spans, key=lambda s: (-(s[1] - s[0]), s[0])):
        if all(end <= s or start >= e for s, e, _k in chosen):
            chosen.append((start, end, kind))
    out = text
    for start, end, kind in sorted(chosen, reverse=True):
        if kind in ("name", "professional"):
            # Initials before a name go with it: "J.P. de Vries" is one person.
            initials = re.search(r"(?:(?<![\w])[A-Za-z]\.\s?)+$", out[:start])
            if initials:
                start = initials.start()
        out = out[:start] + words[kind] + out[end:]
    # "Jan de Vries" where only "Jan" and "de Vries" matched: one placeholder, not two.
    for word in set(words.values()):
        out = re.sub(rf"{re.escape(word)}(?:\s+{re.escape(word)})+", word, out)
    return out


def fingerprint(text: str) -> str:
    """A short digest of the masked text beleid read, so the approval can check it approves that text."""
    return hashlib.sha256(text.encode()).hexdigest()[:32]


# --- Who is in a case -----------------------------------------------------------------------------------------

CLIENT_FIELDS = (
    "given_names",
    "prefix",
    "family_name",
    "bsn",
    "street",
    "house_number",
    "house_number_addition",
    "postcode",
    "phone",
    "email",
    "date_of_birth",
)


def identities_for(obstacles: Iterable) -> dict[int, Identities]:
    """The people of each obstacle's case, by obstacle id: the case's client or every member its household has
    had, the household's name, the professionals who are or were on the case (users and partner contacts), the
    coordinator and the obstacle's author.

    ``obstacles`` need ``workplan`` loaded (``select_related``). Six queries, whatever the number of obstacles.
    The identifiers are read only to remove them from the text; nothing of them is shown.
    """
    obstacles = list(obstacles)
    case_ids = {o.workplan.case_id for o in obstacles}
    cases = {
        c["id"]: c
        for c in Case.objects.filter(pk__in=case_ids).values("id", "client_id", "household_id", "coordinator_id")
    }
    household_ids = {c["household_id"] for c in cases.values() if c["household_id"]}
    households = dict(Household.objects.filter(pk__in=household_ids).values_list("id", "name"))
    residents: dict[int, set[int]] = {}
    for household_id, client_id in HouseholdMember.objects.filter(household_id__in=household_ids).values_list(
        "household_id", "client_id"
    ):
        residents.setdefault(household_id, set()).add(client_id)
    client_ids = {c["client_id"] for c in cases.values() if c["client_id"]} | {i for s in residents.values() for i in s}
    clients = {c.pk: c for c in Client.objects.filter(pk__in=client_ids).only(*CLIENT_FIELDS)}
    members: dict[int, list[dict]] = {}
    for row in CaseMember.objects.filter(case_id__in=case_ids).values(
        "case_id", "user_id", "contact_name", "contact_email", "contact_phone"
    ):
        members.setdefault(row["case_id"], []).append(row)
    user_ids = {m["user_id"] for rows in members.values() for m in rows if m["user_id"]}
    user_ids |= {c["coordinator_id"] for c in cases.values() if c["coordinator_id"]}
    user_ids |= {o.raised_by_id for o in obstacles}
    users = {u.pk: u for u in User.objects.filter(pk__in=user_ids).only("first_name", "last_name", "email", "phone")}

    out = {}
    for obstacle in obstacles:
        case = cases.get(obstacle.workplan.case_id, {})
        people_ids = set(residents.get(case.get("household_id"), set()))
        if case.get("client_id"):
            people_ids.add(case["client_id"])
        people = [_client_person(clients[i]) for i in sorted(people_ids) if i in clients]
        staff = {m["user_id"] for m in members.get(case.get("id"), []) if m["user_id"]}
        staff |= {case.get("coordinator_id"), obstacle.raised_by_id} - {None}
        people += [_user_person(users[i]) for i in sorted(staff) if i in users]
        people += [
            Person(
                **_split_name(m["contact_name"]), email=m["contact_email"], phone=m["contact_phone"], professional=True
            )
            for m in members.get(case.get("id"), [])
            if not m["user_id"]
        ]
        household = households.get(case.get("household_id"))
        out[obstacle.pk] = Identities(people=people, household_names=[household] if household else [])
    return out


def _client_person(client: Client) -> Person:
    return Person(
        **{name: getattr(client, name) or ("" if name != "date_of_birth" else None) for name in CLIENT_FIELDS}
    )


def _user_person(user: User) -> Person:
    return Person(
        **_split_name(f"{user.first_name} {user.last_name}", given_count=len(user.first_name.split())),
        email=user.email,
        phone=getattr(user, "phone", ""),
        professional=True,
    )


def _split_name(name: str, *, given_count: int | None = None) -> dict[str, str]:
    """Given names and family name (with its prefix) of a name typed as one string: "Karin de Boer",
    "Dr. A. van den Berg". Without ``given_count`` every word before the first prefix or the last word
    counts as a given name."""
    words = [w for w in name.split() if w.casefold() not in TITLES]
    if given_count is None:
        given_count = next((i for i, w in enumerate(words) if _folded(w) in NAME_PREFIXES), max(len(words) - 1, 0))
    return {"given_names": " ".join(words[:given_count]), "family_name": " ".join(words[given_count:])}
