import pytest

from propwatch.language import english_warning

ENGLISH = (
    "The government announced on Tuesday a reform of the pension system that has already angered the unions. "
    "According to the labour minister, the measures will keep the system in balance for the next ten years, "
    "but opponents call it an attack on the poorest workers. Protests are planned in several large cities "
    "next week, and public transport could be badly disrupted."
)

FOREIGN = {
    "French": (
        "Le gouvernement a annoncé mardi une réforme des retraites qui suscite déjà la colère des syndicats. "
        "Selon le ministre du Travail, les mesures permettront de garantir l'équilibre du système d'ici dix ans, "
        "mais les opposants dénoncent une attaque contre les travailleurs les plus modestes. Des manifestations "
        "sont prévues dans plusieurs grandes villes du pays la semaine prochaine, et les transports publics "
        "pourraient être fortement perturbés."
    ),
    "German": (
        "Die Bundesregierung hat am Dienstag ein neues Gesetz zur Förderung erneuerbarer Energien beschlossen. "
        "Nach Angaben des Wirtschaftsministers sollen bis zum Jahr 2030 mindestens achtzig Prozent des Stroms aus "
        "Wind und Sonne stammen. Kritiker aus der Opposition bemängeln jedoch, dass die Pläne zu spät kommen und "
        "die Kosten für die Verbraucher weiter steigen werden. Die Industrie fordert mehr Klarheit bei den Netzen."
    ),
    "Russian": (
        "Правительство во вторник объявило о новой реформе пенсионной системы, которая уже вызвала недовольство "
        "профсоюзов. По словам министра труда, эти меры позволят сохранить баланс системы в течение десяти лет, "
        "однако противники реформы называют её ударом по самым бедным работникам. На следующей неделе в "
        "нескольких крупных городах страны запланированы акции протеста."
    ),
    "Chinese": (
        "政府周二宣布了一项新的养老金制度改革，这一改革已经引起了工会的不满。据劳工部长介绍，这些措施将在未来十年内保持"
        "制度的平衡，但反对者称这是对最贫困劳动者的打击。下周，全国多个大城市将举行抗议活动，公共交通可能会受到严重影响。"
    ),
    "Arabic": (
        "أعلنت الحكومة يوم الثلاثاء عن إصلاح جديد لنظام التقاعد أثار بالفعل غضب النقابات. ووفقا لوزير العمل، فإن "
        "هذه الإجراءات ستضمن توازن النظام خلال السنوات العشر المقبلة، لكن المعارضين يصفونها بأنها ضربة للعمال "
        "الأكثر فقرا. ومن المقرر تنظيم احتجاجات في عدة مدن كبرى الأسبوع المقبل."
    ),
    "Spanish": (
        "El gobierno anunció el martes una reforma del sistema de pensiones que ya ha provocado el enfado de los "
        "sindicatos. Según el ministro de Trabajo, las medidas permitirán garantizar el equilibrio del sistema "
        "durante los próximos diez años, pero los opositores la califican de ataque contra los trabajadores más "
        "pobres. Se esperan protestas en varias ciudades importantes la próxima semana."
    ),
}


@pytest.mark.parametrize("language", sorted(FOREIGN))
def test_other_languages_are_flagged(language):
    warning = english_warning(FOREIGN[language])
    assert warning is not None
    assert warning.startswith("this article does not look like English (")
    assert warning.endswith("the model is English-only, so results may be meaningless")
    assert "\n" not in warning


def test_the_script_is_named():
    assert "Cyrillic" in english_warning(FOREIGN["Russian"])
    assert "Arabic" in english_warning(FOREIGN["Arabic"])
    assert "CJK" in english_warning(FOREIGN["Chinese"])


def test_english_is_not_flagged():
    assert english_warning(ENGLISH) is None


def test_english_quoting_a_foreign_sentence_is_not_flagged():
    assert english_warning(ENGLISH + " " + FOREIGN["French"][:150] + " " + ENGLISH) is None


@pytest.mark.parametrize("text", ["", "Bonjour tout le monde.", "Привет, мир!", "Le gouvernement a annoncé mardi."])
def test_short_texts_are_not_judged(text):
    assert english_warning(text) is None


def test_example_article_is_english(example_text):
    assert english_warning(example_text) is None


def test_every_ptc_article_is_english(ptc_dir):
    paths = sorted((ptc_dir / "train" / "articles").glob("article*.txt"))
    assert len(paths) == 371
    flagged = [p.name for p in paths if english_warning(p.read_text(encoding="utf-8"))]
    assert flagged == []
