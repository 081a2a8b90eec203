"""Where demo candidates come from, and their names as written plus a Latin transliteration.

The origin mix follows the programme's geography (DESIGN.md section 1): BRICS members and
partners, the SCO, the CIS, and a wider Asia, Africa, Middle East and Latin America, with a
small share of everyone else. Names come from faker's locale data where faker has the
country's script; where faker has none that reads right (Arabic, Persian, Kazakh, Amharic)
they come from the short bilingual lists below, written for this demo.

Latin forms: anyascii for Cyrillic, Chinese, Korean, Greek, Armenian and Georgian (soft
signs and aspiration marks dropped, as passports do); faker's own romaji for Japanese; a
small Devanagari transliterator with final-schwa deletion for Hindi, Marathi and Nepali;
the curated pairs for the rest. No Django here.
"""

from __future__ import annotations

import functools
import importlib
import itertools
import random
import unicodedata
from dataclasses import dataclass
from typing import Any

from anyascii import anyascii

__all__ = ["ORIGINS", "NameMaker", "Origin", "PersonName", "devanagari_to_latin"]


@dataclass(frozen=True)
class Origin:
    """A country candidates come from: its faker locale (or curated list), native language and script."""

    country: str  # ISO 3166-1 alpha-2
    weight: float  # relative share of the demo pool
    source: str  # a faker locale, or "curated:<list>"
    language: str  # ISO 639-1 of the mother tongue
    script: str  # ISO 15924 of the native spelling
    family_first: bool = False  # the native order puts the family name first (China, Korea, Japan, Vietnam)
    patronymic: bool = False  # a Russian-style middle name


# Weights are a demo's guess at an applicant mix, not statistics.
ORIGINS: tuple[Origin, ...] = (
    # BRICS members
    Origin("RU", 9, "ru_RU", "ru", "Cyrl", patronymic=True),
    Origin("CN", 10, "zh_CN", "zh", "Hans", family_first=True),
    Origin("IN", 12, "hi_IN", "hi", "Deva"),
    Origin("IN", 2, "mr_IN", "mr", "Deva"),
    Origin("BR", 5, "pt_BR", "pt", "Latn"),
    Origin("ZA", 2, "zu_ZA", "zu", "Latn"),
    Origin("EG", 4, "curated:arabic", "ar", "Arab"),
    Origin("ET", 2, "curated:amharic", "am", "Ethi"),
    Origin("IR", 4, "curated:persian", "fa", "Arab"),
    Origin("AE", 1, "curated:arabic", "ar", "Arab"),
    Origin("ID", 4, "id_ID", "id", "Latn"),
    # BRICS partners, SCO and CIS
    Origin("BY", 2, "ru_RU", "ru", "Cyrl", patronymic=True),
    Origin("KZ", 4, "curated:kazakh", "kk", "Cyrl"),
    Origin("KZ", 1, "ru_RU", "ru", "Cyrl", patronymic=True),
    Origin("UZ", 4, "uz_UZ", "uz", "Latn"),
    Origin("KG", 1, "ru_RU", "ru", "Cyrl", patronymic=True),
    Origin("AM", 2, "hy_AM", "hy", "Armn"),
    Origin("AZ", 2, "az_AZ", "az", "Latn"),
    Origin("VN", 3, "vi_VN", "vi", "Latn", family_first=True),
    Origin("NG", 2, "en_NG", "en", "Latn"),
    Origin("NG", 1, "yo_NG", "yo", "Latn"),
    Origin("NG", 1, "ha_NG", "ha", "Latn"),
    Origin("NG", 1, "ig_NG", "ig", "Latn"),
    Origin("PK", 2, "en_PK", "ur", "Latn"),
    # Middle East, wider Asia and Africa
    Origin("TR", 3, "tr_TR", "tr", "Latn"),
    Origin("SA", 2, "curated:arabic", "ar", "Arab"),
    Origin("DZ", 1, "curated:arabic", "ar", "Arab"),
    Origin("JO", 1, "curated:arabic", "ar", "Arab"),
    Origin("KR", 2, "ko_KR", "ko", "Kore", family_first=True),
    Origin("JP", 1, "ja_JP", "ja", "Jpan", family_first=True),
    Origin("NP", 1, "ne_NP", "ne", "Deva"),
    Origin("GE", 1, "ka_GE", "ka", "Geor"),
    Origin("KE", 1, "en_KE", "sw", "Latn"),
    Origin("GH", 1, "tw_GH", "ak", "Latn"),
    # Latin America
    Origin("MX", 3, "es_MX", "es", "Latn"),
    Origin("AR", 2, "es_AR", "es", "Latn"),
    Origin("CO", 2, "es_CO", "es", "Latn"),
    Origin("CL", 1, "es_CL", "es", "Latn"),
    Origin("CU", 1, "es", "es", "Latn"),
    # Everyone else
    Origin("BG", 1, "bg_BG", "bg", "Cyrl"),
    Origin("GR", 1, "el_GR", "el", "Grek"),
    Origin("DE", 1, "de_DE", "de", "Latn"),
    Origin("FR", 1, "fr_FR", "fr", "Latn"),
    Origin("IT", 1, "it_IT", "it", "Latn"),
)

# Bilingual name lists written for this demo: (native spelling, common Latin spelling).
_ARABIC_MALE = (
    ("محمد", "Mohammed"),
    ("أحمد", "Ahmed"),
    ("علي", "Ali"),
    ("عمر", "Omar"),
    ("خالد", "Khaled"),
    ("يوسف", "Youssef"),
    ("إبراهيم", "Ibrahim"),
    ("حسن", "Hassan"),
    ("حسين", "Hussein"),
    ("عبدالله", "Abdullah"),
    ("مصطفى", "Mustafa"),
    ("محمود", "Mahmoud"),
    ("طارق", "Tarek"),
    ("كريم", "Karim"),
    ("سامي", "Sami"),
    ("وليد", "Walid"),
    ("ياسر", "Yasser"),
    ("هشام", "Hisham"),
    ("نبيل", "Nabil"),
    ("عادل", "Adel"),
    ("فيصل", "Faisal"),
    ("سعيد", "Said"),
    ("رامي", "Rami"),
    ("زياد", "Ziad"),
    ("ماجد", "Majed"),
    ("بلال", "Bilal"),
    ("أيمن", "Ayman"),
    ("عمرو", "Amr"),
    ("شريف", "Sherif"),
    ("منصور", "Mansour"),
    ("سلمان", "Salman"),
    ("فهد", "Fahd"),
    ("تامر", "Tamer"),
    ("حمزة", "Hamza"),
    ("أنس", "Anas"),
    ("مازن", "Mazen"),
    ("نادر", "Nader"),
    ("جمال", "Jamal"),
    ("صالح", "Saleh"),
    ("ناصر", "Nasser"),
)
_ARABIC_FEMALE = (
    ("فاطمة", "Fatima"),
    ("مريم", "Maryam"),
    ("عائشة", "Aisha"),
    ("نور", "Nour"),
    ("سارة", "Sara"),
    ("ليلى", "Layla"),
    ("هدى", "Huda"),
    ("منى", "Mona"),
    ("ريم", "Reem"),
    ("أمل", "Amal"),
    ("سلمى", "Salma"),
    ("ياسمين", "Yasmin"),
    ("دينا", "Dina"),
    ("رانيا", "Rania"),
    ("هبة", "Heba"),
    ("نادية", "Nadia"),
    ("سميرة", "Samira"),
    ("لينا", "Lina"),
    ("آية", "Aya"),
    ("جميلة", "Jamila"),
    ("زينب", "Zainab"),
    ("خديجة", "Khadija"),
    ("إيمان", "Iman"),
    ("أسماء", "Asmaa"),
    ("مها", "Maha"),
    ("غادة", "Ghada"),
    ("لمياء", "Lamia"),
    ("شيماء", "Shaimaa"),
)
_ARABIC_FAMILY = (
    ("الحسيني", "Al-Husseini"),
    ("المصري", "El-Masry"),
    ("الشمري", "Al-Shammari"),
    ("القحطاني", "Al-Qahtani"),
    ("العتيبي", "Al-Otaibi"),
    ("الزهراني", "Al-Zahrani"),
    ("الغامدي", "Al-Ghamdi"),
    ("الدوسري", "Al-Dosari"),
    ("المنصوري", "Al-Mansouri"),
    ("الكعبي", "Al-Kaabi"),
    ("النعيمي", "Al-Nuaimi"),
    ("عبد الرحمن", "Abdel Rahman"),
    ("عبد العزيز", "Abdel Aziz"),
    ("السيد", "El-Sayed"),
    ("حسن", "Hassan"),
    ("إبراهيم", "Ibrahim"),
    ("محمود", "Mahmoud"),
    ("مصطفى", "Mostafa"),
    ("سالم", "Salem"),
    ("فرج", "Farag"),
    ("شاهين", "Shaheen"),
    ("الخطيب", "Al-Khatib"),
    ("النجار", "El-Naggar"),
    ("الشريف", "El-Sherif"),
    ("حجازي", "Hegazy"),
    ("عثمان", "Osman"),
    ("يوسف", "Youssef"),
    ("البنا", "El-Banna"),
    ("زكي", "Zaki"),
    ("رشيد", "Rashid"),
    ("بن علي", "Ben Ali"),
    ("بوزيد", "Bouzid"),
    ("حداد", "Haddad"),
    ("منصور", "Mansour"),
    ("صبري", "Sabry"),
    ("العلي", "Al-Ali"),
    ("الهاشمي", "Al-Hashimi"),
    ("الفارس", "Al-Fares"),
)
_PERSIAN_MALE = (
    ("محمد", "Mohammad"),
    ("علی", "Ali"),
    ("حسین", "Hossein"),
    ("رضا", "Reza"),
    ("مهدی", "Mehdi"),
    ("امیر", "Amir"),
    ("سعید", "Saeed"),
    ("حمید", "Hamid"),
    ("مجید", "Majid"),
    ("کامران", "Kamran"),
    ("داریوش", "Dariush"),
    ("بهرام", "Bahram"),
    ("فرهاد", "Farhad"),
    ("آرش", "Arash"),
    ("بابک", "Babak"),
    ("کوروش", "Kourosh"),
    ("پویا", "Pouya"),
    ("سینا", "Sina"),
    ("نیما", "Nima"),
    ("امید", "Omid"),
    ("مسعود", "Masoud"),
    ("جواد", "Javad"),
    ("مرتضی", "Morteza"),
    ("احسان", "Ehsan"),
)
_PERSIAN_FEMALE = (
    ("فاطمه", "Fatemeh"),
    ("زهرا", "Zahra"),
    ("مریم", "Maryam"),
    ("سارا", "Sara"),
    ("نازنین", "Nazanin"),
    ("لیلا", "Leila"),
    ("شیرین", "Shirin"),
    ("پریسا", "Parisa"),
    ("نگار", "Negar"),
    ("مهسا", "Mahsa"),
    ("الهام", "Elham"),
    ("سمیرا", "Samira"),
    ("آزاده", "Azadeh"),
    ("نرگس", "Narges"),
    ("رویا", "Roya"),
    ("مینا", "Mina"),
    ("ستاره", "Setareh"),
    ("یاسمن", "Yasaman"),
    ("هانیه", "Hanieh"),
    ("بهاره", "Bahareh"),
)
_PERSIAN_FAMILY = (
    ("محمدی", "Mohammadi"),
    ("حسینی", "Hosseini"),
    ("رضایی", "Rezaei"),
    ("احمدی", "Ahmadi"),
    ("کریمی", "Karimi"),
    ("موسوی", "Mousavi"),
    ("جعفری", "Jafari"),
    ("رحیمی", "Rahimi"),
    ("صادقی", "Sadeghi"),
    ("هاشمی", "Hashemi"),
    ("قاسمی", "Ghasemi"),
    ("نوری", "Nouri"),
    ("کاظمی", "Kazemi"),
    ("طاهری", "Taheri"),
    ("عباسی", "Abbasi"),
    ("اکبری", "Akbari"),
    ("نجفی", "Najafi"),
    ("شریفی", "Sharifi"),
    ("تهرانی", "Tehrani"),
    ("اصفهانی", "Esfahani"),
    ("شیرازی", "Shirazi"),
    ("تبریزی", "Tabrizi"),
    ("فرهادی", "Farhadi"),
    ("سلطانی", "Soltani"),
    ("یزدانی", "Yazdani"),
)
_AMHARIC_MALE = (
    ("አበበ", "Abebe"),
    ("ዳዊት", "Dawit"),
    ("ተስፋዬ", "Tesfaye"),
    ("ጌታቸው", "Getachew"),
    ("ዮሐንስ", "Yohannes"),
    ("ሙሉጌታ", "Mulugeta"),
    ("ሰሎሞን", "Solomon"),
    ("በቀለ", "Bekele"),
    ("ኃይሌ", "Haile"),
    ("ከበደ", "Kebede"),
    ("አለሙ", "Alemu"),
    ("ታደሰ", "Tadesse"),
    ("ብርሃኑ", "Birhanu"),
    ("ደረጀ", "Dereje"),
    ("ሳሙኤል", "Samuel"),
)
_AMHARIC_FEMALE = (
    ("አልማዝ", "Almaz"),
    ("ትግስት", "Tigist"),
    ("ሜሮን", "Meron"),
    ("ሰላም", "Selam"),
    ("ሕይወት", "Hiwot"),
    ("ቤተልሔም", "Bethlehem"),
    ("መቅደስ", "Mekdes"),
    ("ሐና", "Hanna"),
    ("ጽዮን", "Tsion"),
    ("ሊያ", "Liya"),
)
# Kazakh names in Kazakh Cyrillic; Latin forms come from anyascii (close to the Kazakh Latin alphabet).
_KAZAKH_MALE = (
    "Нұрлан",
    "Ерлан",
    "Асқар",
    "Бауыржан",
    "Дәурен",
    "Ержан",
    "Қайрат",
    "Мұрат",
    "Серік",
    "Талғат",
    "Арман",
    "Айдос",
    "Данияр",
    "Ерболат",
    "Жандос",
    "Ербол",
    "Нұрсұлтан",
    "Ақжол",
)
_KAZAKH_FEMALE = (
    "Айгүл",
    "Гүлнар",
    "Динара",
    "Жанар",
    "Әсем",
    "Меруерт",
    "Айжан",
    "Сәуле",
    "Гаухар",
    "Назерке",
    "Ақерке",
    "Дана",
)
_KAZAKH_FAMILY_STEMS = (
    "Ахмет",
    "Сұлтан",
    "Жұмабай",
    "Сейіт",
    "Иса",
    "Әбен",
    "Байжан",
    "Қасым",
    "Нұрпейіс",
    "Омар",
    "Смағұл",
    "Оспан",
    "Жақсыбек",
    "Тоқтар",
    "Мұхамедж",
    "Әлім",
)

_CURATED: dict[str, tuple[tuple[tuple[str, str], ...], tuple[tuple[str, str], ...], tuple[tuple[str, str], ...]]] = {
    "arabic": (_ARABIC_MALE, _ARABIC_FEMALE, _ARABIC_FAMILY),
    "persian": (_PERSIAN_MALE, _PERSIAN_FEMALE, _PERSIAN_FAMILY),
    # Ethiopian names are given name + father's given name; the "family" list is the fathers'.
    "amharic": (_AMHARIC_MALE, _AMHARIC_FEMALE, _AMHARIC_MALE),
}


@dataclass(frozen=True)
class PersonName:
    """A name as written in its own script, and its Latin form (what a passport's machine zone shows)."""

    given_native: str
    family_native: str
    patronymic_native: str
    given_latin: str
    family_latin: str
    patronymic_latin: str
    script: str
    family_first: bool

    @property
    def full_native(self) -> str:
        if self.family_first:
            joiner = "" if self.script in ("Hans", "Jpan", "Kore") else " "
            return f"{self.family_native}{joiner}{self.given_native}"
        return " ".join(p for p in (self.given_native, self.patronymic_native, self.family_native) if p)

    @property
    def full_latin(self) -> str:
        return " ".join(p for p in (self.given_latin, self.family_latin) if p)


# --- Devanagari ---------------------------------------------------------------------------
_DEVA_CONSONANTS = {
    "क": "k",
    "ख": "kh",
    "ग": "g",
    "घ": "gh",
    "ङ": "n",
    "च": "ch",
    "छ": "chh",
    "ज": "j",
    "झ": "jh",
    "ञ": "n",
    "ट": "t",
    "ठ": "th",
    "ड": "d",
    "ढ": "dh",
    "ण": "n",
    "त": "t",
    "थ": "th",
    "द": "d",
    "ध": "dh",
    "न": "n",
    "प": "p",
    "फ": "ph",
    "ब": "b",
    "भ": "bh",
    "म": "m",
    "य": "y",
    "र": "r",
    "ल": "l",
    "व": "v",
    "श": "sh",
    "ष": "sh",
    "स": "s",
    "ह": "h",
    "ळ": "l",
}
_DEVA_NUKTA = {"क": "q", "ख": "kh", "ग": "gh", "ज": "z", "ड": "r", "ढ": "rh", "फ": "f"}
_DEVA_VOWELS = {
    "अ": "a",
    "आ": "a",
    "इ": "i",
    "ई": "i",
    "उ": "u",
    "ऊ": "u",
    "ऋ": "ri",
    "ए": "e",
    "ऐ": "ai",
    "ओ": "o",
    "औ": "au",
    "ऑ": "o",
}
_DEVA_SIGNS = {
    "ा": "a",
    "ि": "i",
    "ी": "i",
    "ु": "u",
    "ू": "u",
    "ृ": "ri",
    "े": "e",
    "ै": "ai",
    "ो": "o",
    "ौ": "au",
    "ॉ": "o",
}
_VIRAMA, _NUKTA, _ANUSVARA, _CANDRABINDU, _VISARGA = "्", "़", "ं", "ँ", "ः"


def devanagari_to_latin(word: str) -> str:
    """Transliterate a Devanagari name the way Indian names are commonly spelt in Latin.

    Each consonant carries an inherent "a" unless a vowel sign or virama follows; the final
    inherent "a" is dropped (schwa deletion) unless the word ends in a conjunct.

    >>> [devanagari_to_latin(w) for w in ("दयाराम", "शर्मा", "आदित्य", "मिश्र", "कुमार", "अंकुर")]
    ['Dayaram', 'Sharma', 'Aditya', 'Mishra', 'Kumar', 'Ankur']
    """
    text = unicodedata.normalize("NFC", word).replace("\u200d", "").replace("\u200c", "")
    # NFC composes some nukta letters (क़ -> U+0958); split them back into base + nukta.
    text = unicodedata.normalize("NFD", text)
    out: list[str] = []
    pending_a = False  # an inherent "a" waits to be written unless a sign or virama cancels it
    after_conjunct = False
    i = 0
    while i < len(text):
        ch = text[i]
        if ch in _DEVA_CONSONANTS:
            if pending_a:
                out.append("a")
            after_conjunct = bool(out) and i > 0 and text[i - 1] == _VIRAMA
            nukta = i + 1 < len(text) and text[i + 1] == _NUKTA
            out.append(_DEVA_NUKTA.get(ch, _DEVA_CONSONANTS[ch]) if nukta else _DEVA_CONSONANTS[ch])
            i += 2 if nukta else 1
            pending_a = True
            continue
        if ch in _DEVA_SIGNS:
            out.append(_DEVA_SIGNS[ch])
            pending_a = False
        elif ch == _VIRAMA:
            pending_a = False
        elif ch in _DEVA_VOWELS:
            if pending_a:
                out.append("a")
            out.append(_DEVA_VOWELS[ch])
            pending_a = False
        elif ch in (_ANUSVARA, _CANDRABINDU):
            if pending_a:
                out.append("a")
                pending_a = False
            following = text[i + 1] if i + 1 < len(text) else ""
            out.append("m" if following in ("प", "फ", "ब", "भ", "म") else "n")
        elif ch == _VISARGA:
            if pending_a:
                out.append("a")
                pending_a = False
            out.append("h")
        i += 1
    if pending_a and (after_conjunct or len(out) == 1):
        out.append("a")
    return "".join(out).capitalize()


def _latin(text: str, script: str) -> str:
    if script == "Deva":
        return " ".join(devanagari_to_latin(w) for w in text.split())
    if script == "Latn":
        return text
    latin = anyascii(text)
    # Passports drop the soft sign and aspiration marks that anyascii writes as apostrophes.
    latin = latin.replace("'", "").replace("`", "")
    return " ".join(w[:1].upper() + w[1:] for w in latin.split())


def _title_syllables(latin: str) -> str:
    # anyascii joins Chinese/Korean syllables with capitals ("XiuYing"); names are written "Xiuying".
    return latin[:1].upper() + latin[1:].lower()


_Pick = tuple[tuple[Any, ...], list[float] | None]


def _pick_list(data: Any) -> _Pick:
    """faker keeps names as tuples (uniform) or ordered dicts of name -> weight; keep both cheaply pickable."""
    if isinstance(data, dict):
        values = tuple(data.keys())
        cumulative = list(itertools.accumulate(float(w) for w in data.values()))
        return values, cumulative
    return tuple(data), None


def _pick(rng: random.Random, pool: _Pick) -> Any:
    values, cumulative = pool
    if cumulative is None:
        return values[int(rng.random() * len(values))]
    return rng.choices(values, cum_weights=cumulative)[0]


class _LocaleNames:
    """One faker locale's name lists, read once from its person provider (no faker call per name)."""

    def __init__(self, locale: str) -> None:
        provider = importlib.import_module(f"faker.providers.person.{locale}").Provider

        def get(*names: str) -> _Pick:
            for name in names:
                if hasattr(provider, name):
                    return _pick_list(getattr(provider, name))
            raise LookupError(f"faker locale {locale} has none of {names}")

        self.first = {
            "male": get("first_names_male", "first_names"),
            "female": get("first_names_female", "first_names"),
        }
        self.last = {"male": get("last_names_male", "last_names"), "female": get("last_names_female", "last_names")}
        self.middle = {
            "male": get("middle_names_male") if hasattr(provider, "middle_names_male") else None,
            "female": get("middle_names_female") if hasattr(provider, "middle_names_female") else None,
        }
        self.pairs: dict[str, _Pick] = {}
        if hasattr(provider, "first_name_male_pairs"):  # Japanese: (kanji, kana, romaji)
            self.pairs = {
                "male": _pick_list(provider.first_name_male_pairs),
                "female": _pick_list(provider.first_name_female_pairs),
                "last": _pick_list(provider.last_name_pairs),
            }


@functools.lru_cache(maxsize=65536)
def _latin_cached(text: str, script: str) -> str:
    latin = _latin(text, script)
    if script in ("Hans", "Kore"):
        latin = _title_syllables(latin)
    return latin


class NameMaker:
    """Makes names for an origin from a caller's ``random.Random`` (so a seed fixes every name)."""

    def __init__(self) -> None:
        self._locales: dict[str, _LocaleNames] = {}

    def _names(self, locale: str) -> _LocaleNames:
        if locale not in self._locales:
            self._locales[locale] = _LocaleNames(locale)
        return self._locales[locale]

    def make(self, origin: Origin, sex: str, rng: random.Random) -> PersonName:
        """A name for a person of ``sex`` ("female" or "male") from ``origin``."""
        key = "female" if sex == "female" else "male"
        if origin.source.startswith("curated:"):
            return self._curated(origin, key == "female", rng)
        names = self._names(origin.source)
        if names.pairs:
            given_jp, family_jp = _pick(rng, names.pairs[key]), _pick(rng, names.pairs["last"])
            return PersonName(given_jp[0], family_jp[0], "", given_jp[2], family_jp[2], "", origin.script, True)
        given, family = _pick(rng, names.first[key]), _pick(rng, names.last[key])
        middle_pool = names.middle[key] if origin.patronymic else None
        patronymic = _pick(rng, middle_pool) if middle_pool else ""
        return PersonName(
            given,
            family,
            patronymic,
            _latin_cached(given, origin.script),
            _latin_cached(family, origin.script),
            _latin_cached(patronymic, origin.script) if patronymic else "",
            origin.script,
            origin.family_first,
        )

    def _curated(self, origin: Origin, female: bool, rng: random.Random) -> PersonName:
        kind = origin.source.split(":", 1)[1]
        if kind == "kazakh":
            given = rng.choice(_KAZAKH_FEMALE if female else _KAZAKH_MALE)
            family = rng.choice(_KAZAKH_FAMILY_STEMS) + ("ова" if female else "ов")
            return PersonName(
                given, family, "", _latin_cached(given, "Cyrl"), _latin_cached(family, "Cyrl"), "", "Cyrl", False
            )
        male, females, families = _CURATED[kind]
        given_pair = rng.choice(females if female else male)
        family_pair = rng.choice(families)
        return PersonName(given_pair[0], family_pair[0], "", given_pair[1], family_pair[1], "", origin.script, False)
