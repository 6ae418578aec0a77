"""The alias table: names under which news text refers to the same actor.

Each entry is one canonical actor with its kind and the surface forms that stand for it: other names and
acronyms, the plural demonym (``the Americans``), and the seat of government used as a metonym
(``Washington``, ``Moscow``, ``the Kremlin``). Only facts that hold in any news article are here: a country's
names, its people and its capital. Forms that are ambiguous in ordinary English (``US``, ``IS``) match only as
written in capitals, and never in a sentence written all in capitals. Cities other than seats of government
are places, not actors, and are not listed.

Adjectives (``Russian planes``) are not aliases: they describe something else that belongs to the country, and
the finder treats such phrases separately (``Russian forces`` is its own actor).
"""

from __future__ import annotations

from dataclasses import dataclass

PERSON = "person"
ORGANISATION = "organisation"
COUNTRY = "country"  # a country, state or union of states
GROUP = "group"  # a people, an armed group, a party's members, a described collective

KINDS = (PERSON, ORGANISATION, COUNTRY, GROUP)


@dataclass(frozen=True)
class Alias:
    name: str
    kind: str
    forms: tuple[str, ...]  # compared case-insensitively, after a leading "the" is dropped
    exact: tuple[str, ...] = ()  # compared as written (acronyms that are also English words)
    armed: bool = False  # an armed group: descriptions such as "the militants" may refer to it


def _c(name: str, *forms: str, exact: tuple[str, ...] = ()) -> Alias:
    return Alias(name, COUNTRY, (name, *forms), exact)


# Countries: name variants, plural demonyms, seats of government.
ALIASES: tuple[Alias, ...] = (
    _c("United States", "United States of America", "USA", "U.S.A.", "U.S.", "U.S", "America", "Americans",
       "Washington", "White House", exact=("US",)),
    _c("Russia", "Russian Federation", "Russians", "Moscow", "Kremlin"),
    _c("Ukraine", "Ukrainians", "Kyiv", "Kiev"),
    _c("China", "People's Republic of China", "PRC", "Chinese", "Beijing"),
    _c("United Kingdom", "UK", "U.K.", "U.K", "Britain", "Great Britain", "British", "Britons", "London",
       "Downing Street"),
    _c("France", "French", "Paris", "Elysee", "Élysée"),
    _c("Germany", "Germans", "Berlin"),
    _c("Poland", "Poles", "Warsaw"),
    _c("Italy", "Italians", "Rome"),
    _c("Spain", "Spaniards", "Madrid"),
    _c("Turkey", "Türkiye", "Turks", "Ankara"),
    _c("Iran", "Iranians", "Tehran"),
    _c("Iraq", "Iraqis", "Baghdad"),
    _c("Syria", "Syrians", "Damascus"),
    _c("Israel", "Israelis", "Jerusalem", "Tel Aviv"),
    _c("Palestine", "Palestinians"),
    _c("Saudi Arabia", "Saudis", "Riyadh"),
    _c("North Korea", "DPRK", "North Koreans", "Pyongyang"),
    _c("South Korea", "South Koreans", "Seoul"),
    _c("Japan", "Japanese", "Tokyo"),
    _c("India", "Indians", "New Delhi"),
    _c("Pakistan", "Pakistanis", "Islamabad"),
    _c("Afghanistan", "Afghans", "Kabul"),
    _c("Belarus", "Belarusians", "Minsk"),
    _c("Hungary", "Hungarians", "Budapest"),
    _c("Finland", "Finns", "Helsinki"),
    _c("Sweden", "Swedes", "Stockholm"),
    _c("Norway", "Norwegians", "Oslo"),
    _c("Denmark", "Danes", "Copenhagen"),
    _c("Netherlands", "Holland", "Dutch", "The Hague"),
    _c("Belgium", "Belgians"),
    _c("Estonia", "Estonians", "Tallinn"),
    _c("Latvia", "Latvians", "Riga"),
    _c("Lithuania", "Lithuanians", "Vilnius"),
    _c("Moldova", "Moldovans", "Chisinau"),
    _c("Armenia", "Armenians", "Yerevan"),
    _c("Azerbaijan", "Azerbaijanis", "Baku"),
    _c("Kazakhstan", "Kazakhs", "Astana"),
    _c("Slovakia", "Slovaks", "Bratislava"),
    _c("Czech Republic", "Czechia", "Czechs", "Prague"),
    _c("Romania", "Romanians", "Bucharest"),
    _c("Bulgaria", "Bulgarians", "Sofia"),
    _c("Serbia", "Serbs", "Belgrade"),
    _c("Greece", "Greeks", "Athens"),
    _c("Austria", "Austrians", "Vienna"),
    _c("Switzerland", "Swiss", "Bern"),
    _c("Canada", "Canadians", "Ottawa"),
    _c("Australia", "Australians", "Canberra"),
    _c("Brazil", "Brazilians", "Brasilia", "Brasília"),
    _c("Argentina", "Argentines", "Argentinians", "Buenos Aires"),
    _c("Mexico", "Mexicans", "Mexico City"),
    _c("Venezuela", "Venezuelans", "Caracas"),
    _c("Cuba", "Cubans", "Havana"),
    _c("Egypt", "Egyptians", "Cairo"),
    _c("Qatar", "Qataris", "Doha"),
    _c("Lebanon", "Lebanese", "Beirut"),
    _c("Yemen", "Yemenis", "Sanaa"),
    _c("Libya", "Libyans", "Tripoli"),
    _c("Sri Lanka", "Sri Lankans", "Colombo"),
    _c("Philippines", "Filipinos", "Manila"),
    _c("Vietnam", "Vietnamese", "Hanoi"),
    _c("South Africa", "South Africans", "Pretoria"),
    _c("Nigeria", "Nigerians", "Abuja"),
    _c("Georgia", "Georgians", "Tbilisi"),
    # Unions and alliances of states.
    Alias("European Union", COUNTRY, ("European Union", "EU", "E.U.", "Brussels")),
    Alias("the West", COUNTRY, ("West", "Western countries", "Western powers", "Western nations",
                                "Western world", "collective West")),
    Alias("NATO", ORGANISATION, ("NATO", "Nato", "North Atlantic Treaty Organization",
                                 "North Atlantic Treaty Organisation", "North Atlantic Alliance")),
    Alias("United Nations", ORGANISATION, ("United Nations", "UN", "U.N.")),
    # Armed groups.
    Alias("ISIS", GROUP, ("ISIS", "ISIL", "Islamic State", "Islamic State of Iraq and Syria",
                          "Islamic State of Iraq and the Levant", "Daesh", "Daech"), exact=("IS",), armed=True),
    Alias("Al-Qaeda", GROUP, ("Al-Qaeda", "al Qaeda", "al-Qaida", "Al Qaida"), armed=True),
    Alias("Hamas", GROUP, ("Hamas",), armed=True),
    Alias("Hezbollah", GROUP, ("Hezbollah", "Hizbollah", "Hizballah"), armed=True),
    Alias("Taliban", GROUP, ("Taliban",), armed=True),
    Alias("Wagner Group", GROUP, ("Wagner Group", "Wagner PMC", "PMC Wagner"), armed=True),
)

# Words that describe an armed group without naming it. Such a phrase joins the article's named armed group
# only when the article names exactly one.
ARMED_DESCRIPTIONS = frozenset(
    "terrorists terrorist militants militant jihadists jihadist insurgents extremists islamists caliphate "
    "pseudo-caliphate".split()
)

# Collective nouns that make a noun phrase an actor of its own: "Russian forces", "the Biden administration",
# "Ukrainian civilians", "climate activists". Singular ones are organisations, plural ones groups.
ORGANISATION_NOUNS = frozenset(
    "government administration regime army military navy forces troops police parliament congress senate "
    "ministry cabinet leadership authorities intelligence media press establishment party court".split()
)
GROUP_NOUNS = frozenset(
    "civilians people refugees migrants children families farmers workers protesters activists soldiers "
    "militants terrorists jihadists insurgents extremists fighters rebels separatists elites politicians "
    "officials leaders lawmakers scientists journalists residents citizens voters democrats republicans "
    "liberals conservatives leftists globalists nationalists invaders occupiers mercenaries volunteers "
    "prisoners victims".split()
)

# Titles dropped before a person's name.
TITLES = frozenset(
    "mr mr. mrs mrs. ms ms. dr dr. prof prof. president prime minister chancellor secretary sen sen. senator "
    "gov gov. governor rep rep. representative mayor general gen gen. king queen prince pope sir lord lady "
    "judge justice chairman ceo director commander colonel col. lieutenant captain admiral ambassador "
    "foreign defence defense premier deputy former then vice".split()
)


def _key(form: str) -> str:
    form = form.strip().lower()
    if form.startswith("the "):
        form = form[4:]
    return form.replace("’", "'")


_BY_FORM: dict[str, Alias] = {}
_BY_EXACT: dict[str, Alias] = {}
for _alias in ALIASES:
    for _form in _alias.forms:
        _BY_FORM[_key(_form)] = _alias
    for _form in _alias.exact:
        _BY_EXACT[_form] = _alias


def lookup(form: str) -> Alias | None:
    """The table entry that ``form`` (as written in the text) names, if any."""
    stripped = form.strip()
    if stripped.startswith(("the ", "The ")):
        stripped = stripped[4:]
    return _BY_EXACT.get(stripped) or _BY_FORM.get(_key(stripped))


def all_forms() -> list[tuple[str, Alias, bool]]:
    """Every (form, alias, case_sensitive) of the table, longest first (for scanning text)."""
    out = [(f, a, False) for a in ALIASES for f in a.forms] + [(f, a, True) for a in ALIASES for f in a.exact]
    return sorted(out, key=lambda x: -len(x[0]))
