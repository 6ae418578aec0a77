"""The alias table: names under which news text refers to the same actor.

Each entry is one canonical actor with its kind and the surface forms that stand for it: other names and
acronyms, the plural demonym (``the Americans``), and the seat of government used as a metonym
(``Washington``, ``Moscow``, ``the Kremlin``). Only facts that hold in any news article are here: a country's
names, its people and its capital. Forms that are ambiguous in ordinary English (``US``, ``IS``) match only as
written in capitals, and never in a sentence written all in capitals. Cities other than seats of government
are places, not actors, and are not listed.

A seat of government is kept apart (``Alias.seats``) because it is two things: a metonym for its state
(``Damascus said``, ``aid to Kyiv``) and a place (``talks in Moscow``); the finder drops it where it is only
the place. A plural demonym is the state's metonym (``the Iranians``, ``the French`` join Iran and France).

Adjectives (``Russian planes``) are not aliases: they describe something else that belongs to the country, and
the finder treats such phrases separately. A state's army (``Russian forces``, ``the Turkish army``, ``the
American military``) is its own actor, not the state: the SemEval-2025 annotators cast them apart in one
article (EN_UA_010735: ``Russia`` a Terrorist, ``Russian military`` Incompetent; EN_UA_002531: ``Russians``
Terrorist, ``Russian military`` Instigator, ``Russian forces`` Saboteur).
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
    seats: tuple[str, ...] = ()  # seats of government among ``forms``: a metonym, or only a place


def _c(name: str, *forms: str, seats: tuple[str, ...] = (), exact: tuple[str, ...] = ()) -> Alias:
    return Alias(name, COUNTRY, (name, *forms, *seats), exact, seats=seats)


# Countries: name variants, plural demonyms, seats of government.
ALIASES: tuple[Alias, ...] = (
    _c("United States", "United States of America", "USA", "U.S.A.", "U.S.", "U.S", "America", "Americans",
       seats=("Washington", "White House"), exact=("US",)),
    _c("Russia", "Russian Federation", "Russians", seats=("Moscow", "Kremlin")),
    _c("Ukraine", "Ukrainians", seats=("Kyiv", "Kiev")),
    _c("China", "People's Republic of China", "PRC", "Chinese", seats=("Beijing",)),
    _c("United Kingdom", "UK", "U.K.", "U.K", "Britain", "Great Britain", "British", "Britons", "Brits",
       seats=("London", "Downing Street")),
    _c("France", "French", seats=("Paris", "Elysee", "Élysée")),
    _c("Germany", "Germans", seats=("Berlin",)),
    _c("Poland", "Poles", seats=("Warsaw",)),
    _c("Italy", "Italians", seats=("Rome",)),
    _c("Spain", "Spaniards", seats=("Madrid",)),
    _c("Turkey", "Türkiye", "Turks", seats=("Ankara",)),
    _c("Iran", "Iranians", seats=("Tehran",)),
    _c("Iraq", "Iraqis", seats=("Baghdad",)),
    _c("Syria", "Syrians", seats=("Damascus",)),
    _c("Israel", "Israelis", seats=("Jerusalem", "Tel Aviv")),
    _c("Palestine", "Palestinians"),
    _c("Saudi Arabia", "Saudis", seats=("Riyadh",)),
    _c("North Korea", "DPRK", "North Koreans", seats=("Pyongyang",)),
    _c("South Korea", "South Koreans", seats=("Seoul",)),
    _c("Japan", "Japanese", seats=("Tokyo",)),
    _c("India", "Indians", seats=("New Delhi",)),
    _c("Pakistan", "Pakistanis", seats=("Islamabad",)),
    _c("Afghanistan", "Afghans", seats=("Kabul",)),
    _c("Belarus", "Belarusians", seats=("Minsk",)),
    _c("Hungary", "Hungarians", seats=("Budapest",)),
    _c("Finland", "Finns", seats=("Helsinki",)),
    _c("Sweden", "Swedes", seats=("Stockholm",)),
    _c("Norway", "Norwegians", seats=("Oslo",)),
    _c("Denmark", "Danes", seats=("Copenhagen",)),
    _c("Netherlands", "Holland", "Dutch", seats=("The Hague",)),
    _c("Belgium", "Belgians"),
    _c("Estonia", "Estonians", seats=("Tallinn",)),
    _c("Latvia", "Latvians", seats=("Riga",)),
    _c("Lithuania", "Lithuanians", seats=("Vilnius",)),
    _c("Moldova", "Moldovans", seats=("Chisinau",)),
    _c("Armenia", "Armenians", seats=("Yerevan",)),
    _c("Azerbaijan", "Azerbaijanis", seats=("Baku",)),
    _c("Kazakhstan", "Kazakhs", seats=("Astana",)),
    _c("Slovakia", "Slovaks", seats=("Bratislava",)),
    _c("Czech Republic", "Czechia", "Czechs", seats=("Prague",)),
    _c("Romania", "Romanians", seats=("Bucharest",)),
    _c("Bulgaria", "Bulgarians", seats=("Sofia",)),
    _c("Serbia", "Serbs", seats=("Belgrade",)),
    _c("Greece", "Greeks", seats=("Athens",)),
    _c("Austria", "Austrians", seats=("Vienna",)),
    _c("Switzerland", "Swiss", seats=("Bern",)),
    _c("Canada", "Canadians", seats=("Ottawa",)),
    _c("Australia", "Australians", seats=("Canberra",)),
    _c("Brazil", "Brazilians", seats=("Brasilia", "Brasília")),
    _c("Argentina", "Argentines", "Argentinians", seats=("Buenos Aires",)),
    _c("Mexico", "Mexicans", seats=("Mexico City",)),
    _c("Venezuela", "Venezuelans", seats=("Caracas",)),
    _c("Cuba", "Cubans", seats=("Havana",)),
    _c("Egypt", "Egyptians", seats=("Cairo",)),
    _c("Qatar", "Qataris", seats=("Doha",)),
    _c("Lebanon", "Lebanese", seats=("Beirut",)),
    _c("Yemen", "Yemenis", seats=("Sanaa",)),
    _c("Libya", "Libyans", seats=("Tripoli",)),
    _c("Sri Lanka", "Sri Lankans", seats=("Colombo",)),
    _c("Philippines", "Filipinos", seats=("Manila",)),
    _c("Vietnam", "Vietnamese", seats=("Hanoi",)),
    _c("South Africa", "South Africans", seats=("Pretoria",)),
    _c("Nigeria", "Nigerians", seats=("Abuja",)),
    _c("Georgia", "Georgians", seats=("Tbilisi",)),
    _c("Ireland", seats=("Dublin",)),
    _c("Portugal", seats=("Lisbon",)),
    _c("Croatia", "Croats", seats=("Zagreb",)),
    _c("Slovenia", "Slovenians", "Slovenes", seats=("Ljubljana",)),
    _c("Bosnia and Herzegovina", "Bosnia", "Bosnians", seats=("Sarajevo",)),
    _c("Montenegro", "Montenegrins", seats=("Podgorica",)),
    _c("North Macedonia", "Macedonia", "Macedonians", seats=("Skopje",)),
    _c("Albania", "Albanians", seats=("Tirana",)),
    _c("Kosovo", "Kosovars", seats=("Pristina",)),
    _c("Cyprus", "Cypriots", seats=("Nicosia",)),
    _c("Malta", seats=("Valletta",)),
    _c("Luxembourg", "Luxembourgers"),
    _c("Iceland", "Icelanders", seats=("Reykjavik",)),
    _c("Uzbekistan", "Uzbeks", seats=("Tashkent",)),
    _c("Turkmenistan", "Turkmens", seats=("Ashgabat",)),
    _c("Kyrgyzstan", seats=("Bishkek",)),
    _c("Tajikistan", "Tajiks", seats=("Dushanbe",)),
    _c("Mongolia", "Mongolians", seats=("Ulaanbaatar",)),
    _c("Taiwan", seats=("Taipei",)),
    _c("Indonesia", "Indonesians", seats=("Jakarta",)),
    _c("Malaysia", "Malaysians", seats=("Kuala Lumpur",)),
    _c("Thailand", "Thais", seats=("Bangkok",)),
    _c("Myanmar", "Burma", seats=("Naypyidaw",)),
    _c("Bangladesh", "Bangladeshis", seats=("Dhaka",)),
    _c("Nepal", "Nepalis", seats=("Kathmandu",)),
    _c("Singapore", "Singaporeans"),
    _c("New Zealand", "New Zealanders", seats=("Wellington",)),
    _c("United Arab Emirates", "UAE", "Emiratis", seats=("Abu Dhabi",)),
    _c("Kuwait", "Kuwaitis"),
    _c("Oman", "Omanis", seats=("Muscat",)),
    _c("Bahrain", "Bahrainis", seats=("Manama",)),
    _c("Morocco", "Moroccans", seats=("Rabat",)),
    _c("Algeria", "Algerians", seats=("Algiers",)),
    _c("Tunisia", "Tunisians", seats=("Tunis",)),
    _c("Sudan", seats=("Khartoum",)),
    _c("South Sudan", seats=("Juba",)),
    _c("Ethiopia", "Ethiopians", seats=("Addis Ababa",)),
    _c("Eritrea", "Eritreans", seats=("Asmara",)),
    _c("Somalia", "Somalis", seats=("Mogadishu",)),
    _c("Kenya", "Kenyans", seats=("Nairobi",)),
    _c("Uganda", "Ugandans", seats=("Kampala",)),
    _c("Tanzania", "Tanzanians", seats=("Dodoma",)),
    _c("Rwanda", "Rwandans", seats=("Kigali",)),
    _c("Ghana", "Ghanaians", seats=("Accra",)),
    _c("Senegal", seats=("Dakar",)),
    _c("Mali", "Malians", seats=("Bamako",)),
    _c("Burkina Faso", seats=("Ouagadougou",)),
    _c("Niger", "Nigeriens", seats=("Niamey",)),
    _c("Cameroon", "Cameroonians", seats=("Yaounde", "Yaoundé")),
    _c("Democratic Republic of the Congo", "DR Congo", "DRC", seats=("Kinshasa",)),
    _c("Angola", "Angolans", seats=("Luanda",)),
    _c("Mozambique", "Mozambicans", seats=("Maputo",)),
    _c("Zimbabwe", "Zimbabweans", seats=("Harare",)),
    _c("Zambia", "Zambians", seats=("Lusaka",)),
    _c("Colombia", "Colombians", seats=("Bogota", "Bogotá")),
    _c("Peru", "Peruvians"),
    _c("Chile", "Chileans"),
    _c("Bolivia", "Bolivians"),
    _c("Ecuador", "Ecuadorians", seats=("Quito",)),
    _c("Paraguay", "Paraguayans", seats=("Asuncion", "Asunción")),
    _c("Uruguay", "Uruguayans", seats=("Montevideo",)),
    _c("Nicaragua", "Nicaraguans", seats=("Managua",)),
    _c("Honduras", "Hondurans", seats=("Tegucigalpa",)),
    _c("Guatemala", "Guatemalans"),
    _c("El Salvador", "Salvadorans"),
    _c("Panama", "Panamanians"),
    _c("Haiti", "Haitians", seats=("Port-au-Prince",)),
    _c("Dominican Republic", "Dominicans", seats=("Santo Domingo",)),
    _c("Jamaica", "Jamaicans"),
    _c("Soviet Union", "USSR", "U.S.S.R.", "Soviets"),
    _c("Vatican", "Holy See", "Vatican City"),
    # Unions and alliances of states.
    Alias("European Union", COUNTRY, ("European Union", "EU", "E.U.", "Brussels"), seats=("Brussels",)),
    # "Europe" as an actor is its states together ("the people of Europe", "on European countries").
    Alias("Europe", COUNTRY, ("Europe", "Europeans", "European countries", "European nations", "European states",
                              "European governments")),
    Alias("the West", COUNTRY, ("West", "Western countries", "Western powers", "Western nations",
                                "Western world", "collective West")),
    Alias("NATO", ORGANISATION, ("NATO", "Nato", "North Atlantic Treaty Organization",
                                 "North Atlantic Treaty Organisation", "North Atlantic Alliance")),
    Alias("United Nations", ORGANISATION, ("United Nations", "UN", "U.N.")),
    Alias("BRICS", ORGANISATION, ("BRICS",)),
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

# Words after a name that make it a place ("the Dnipro river", "the Kherson region"), and so no actor; the last
# word of a name only among the plainly geographic ones ("World Bank", "Port Authority" stay organisations).
PLACE_SUFFIXES = frozenset(
    "river rivers sea ocean lake lakes mountains hills valley bay gulf strait island islands peninsula desert "
    "canal region oblast province district county".split()
)
PLACE_NOUNS = PLACE_SUFFIXES | frozenset("coast bank city town village square street avenue airport bridge dam".split())

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
    "prisoners victims generals organizations organisations".split()
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


def lookup_exact(form: str) -> Alias | None:
    """The table entry that ``form`` names as written, among the forms compared case-sensitively (``US``)."""
    return _BY_EXACT.get(form.rstrip("."))


def is_seat(form: str, alias: Alias) -> bool:
    """Whether ``form`` (as written) is one of ``alias``'s seats of government (``the Kremlin``, ``Kyiv``)."""
    if not alias.seats:
        return False
    key = _key(" ".join(form.split()))
    return any(_key(seat) == key for seat in alias.seats)


def all_forms() -> list[tuple[str, Alias, bool]]:
    """Every (form, alias, case_sensitive) of the table, longest first (for scanning text)."""
    out = [(f, a, False) for a in ALIASES for f in a.forms] + [(f, a, True) for a in ALIASES for f in a.exact]
    return sorted(out, key=lambda x: -len(x[0]))
