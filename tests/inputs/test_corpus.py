from collections import Counter

import pytest

from propwatch.errors import DataError
from propwatch.inputs import CorpusArticle, GoldSpan, read_corpus, read_ids, read_split
from propwatch.techniques import get

TEXTS = {
    "10": "Tenth title\n\nThe regime's thugs stormed the village, the minister said.\n",
    "2": "Second title\n\nCan we trust them? Never.\n",
    "7": "Unlabelled title\n\nNothing to see here.\n",
}
LABELS = {
    # The same span with two techniques: two lines.
    "10": "10\tLoaded_Language\t13\t31\n10\tName_Calling,Labeling\t13\t31\n10\tAppeal_to_Authority\t53\t70\n",
    "2": "2\tDoubt\t14\t32\n",
}


def make_corpus(root, texts=TEXTS, labels=LABELS):
    (root / "articles").mkdir(parents=True)
    (root / "labels").mkdir()
    for article_id, text in texts.items():
        (root / "articles" / f"article{article_id}.txt").write_text(text, encoding="utf-8")
    for article_id, content in labels.items():
        (root / "labels" / f"article{article_id}.task2-TC.labels").write_text(content, encoding="utf-8")
    return root


def test_articles_and_gold_spans(tmp_path):
    corpus = read_corpus(make_corpus(tmp_path))
    assert [c.article.id for c in corpus] == ["2", "7", "10"]  # numeric order
    by_id = {c.article.id: c for c in corpus}
    tenth = by_id["10"]
    assert isinstance(tenth, CorpusArticle)
    assert tenth.article.title == "Tenth title"
    assert tenth.article.text == TEXTS["10"]
    assert tenth.article.source == str(tmp_path / "articles" / "article10.txt")
    assert tenth.gold == [
        GoldSpan(13, 31, "loaded_language"), GoldSpan(13, 31, "name_calling"), GoldSpan(53, 70, "appeal_to_authority")]
    assert tenth.article.text[13:31] == "The regime's thugs"
    assert tenth.article.text[53:70] == "the minister said"
    assert by_id["2"].article.text[14:32] == "Can we trust them?"
    assert by_id["7"].gold is None  # no labels file: unlabelled, not "no propaganda"


def test_gold_span_is_frozen():
    with pytest.raises(AttributeError):
        GoldSpan(0, 1, "doubt").start = 5


def test_selected_ids(tmp_path):
    corpus = read_corpus(make_corpus(tmp_path), ids=["10", "2"])
    assert [c.article.id for c in corpus] == ["2", "10"]


def test_missing_ids_are_listed(tmp_path):
    with pytest.raises(DataError, match=r"^2 requested IDs have no article in .*articles: 999, 1000$"):
        read_corpus(make_corpus(tmp_path), ids=["2", "999", "1000"])


def test_not_a_corpus_folder(tmp_path):
    with pytest.raises(DataError, match=r"is not a corpus folder: it has no articles/ folder"):
        read_corpus(tmp_path)


def test_articles_without_a_labels_folder(tmp_path):
    root = make_corpus(tmp_path, labels={})
    (root / "labels").rmdir()
    assert [c.gold for c in read_corpus(root)] == [None, None, None]


@pytest.mark.parametrize(
    "line, message",
    [
        ("2\tDoubt\t14", r"article2\.task2-TC\.labels:2: expected 4 tab-separated fields"),
        ("2\tSarcasm\t14\t32", r"article2\.task2-TC\.labels:2: unknown technique 'Sarcasm'"),
        ("2\tDoubt\tfourteen\t32", r"article2\.task2-TC\.labels:2: START and END must be whole numbers"),
        ("2\tDoubt\t32\t14", r"article2\.task2-TC\.labels:2: the span 32-14 is empty"),
        ("3\tDoubt\t14\t32", r"article2\.task2-TC\.labels:2: the line is labelled for article 3, not 2"),
        ("2\tDoubt\t14\t999", r"article2\.task2-TC\.labels:2: the span 14-999 ends past the end of article2\.txt"),
    ],
)
def test_malformed_labels_name_file_and_line(tmp_path, line, message):
    root = make_corpus(tmp_path, labels={"2": LABELS["2"] + line + "\n"})
    with pytest.raises(DataError, match=message):
        read_corpus(root)


def test_offsets_exactly_at_the_end_are_valid(tmp_path):
    end = len(TEXTS["2"])
    root = make_corpus(tmp_path, labels={"2": f"2\tDoubt\t14\t{end}\n"})
    assert read_corpus(root, ids=["2"])[0].gold == [GoldSpan(14, end, "doubt")]


def test_offsets_index_the_newline_translated_text(tmp_path):
    root = make_corpus(tmp_path, texts={"1": "Title\r\n\r\nBody text here."}, labels={"1": "1\tDoubt\t7\t11\n"})
    (root / "articles" / "article1.txt").write_bytes(b"Title\r\n\r\nBody text here.")
    (article,) = read_corpus(root)
    assert article.article.text[7:11] == "Body"


def test_undecodable_article_is_a_data_error(tmp_path):
    root = make_corpus(tmp_path, texts={"1": "x"}, labels={})
    (root / "articles" / "article1.txt").write_bytes(b"")
    with pytest.raises(DataError, match=r"article1\.txt is empty"):
        read_corpus(root)


def test_read_split(tmp_path):
    path = tmp_path / "splits.json"
    path.write_text('{"train": ["1", "2", 3], "validation": ["4"]}', encoding="utf-8")
    assert read_split(path, "train") == ["1", "2", "3"]
    assert read_split(path, "validation") == ["4"]
    with pytest.raises(DataError, match=r"has no split 'test'; available: train, validation$"):
        read_split(path, "test")


def test_bad_split_files(tmp_path):
    with pytest.raises(DataError, match="No such split file"):
        read_split(tmp_path / "none.json", "train")
    (tmp_path / "bad.json").write_text('{"train": [1,', encoding="utf-8")
    with pytest.raises(DataError, match=r"bad\.json is not valid JSON \(line 1"):
        read_split(tmp_path / "bad.json", "train")
    (tmp_path / "list.json").write_text('["1", "2"]', encoding="utf-8")
    with pytest.raises(DataError, match="must be a JSON object mapping split names to lists of IDs"):
        read_split(tmp_path / "list.json", "train")


def test_read_ids(tmp_path):
    path = tmp_path / "ids.txt"
    path.write_text("# validation articles\n111\n\n  222  \n# 333\n444\n", encoding="utf-8")
    assert read_ids(path) == ["111", "222", "444"]
    with pytest.raises(DataError, match="No such ID file"):
        read_ids(tmp_path / "none.txt")


# The real corpus, where present.

README_COUNTS = {
    "Loaded_Language": 2123, "Name_Calling,Labeling": 1058, "Repetition": 621, "Doubt": 493,
    "Exaggeration,Minimisation": 466, "Appeal_to_fear-prejudice": 294, "Flag-Waving": 229,
    "Causal_Oversimplification": 209, "Appeal_to_Authority": 144, "Slogans": 129,
    "Whataboutism,Straw_Men,Red_Herring": 108, "Black-and-White_Fallacy": 107, "Thought-terminating_Cliches": 76,
    "Bandwagon,Reductio_ad_hitlerum": 72,
}


def test_real_training_corpus(ptc_dir):
    corpus = read_corpus(ptc_dir / "train")
    assert len(corpus) == 371
    assert all(c.gold is not None for c in corpus)
    for c in corpus:
        text = c.article.text
        assert c.article.text == (ptc_dir / "train" / "articles" / f"article{c.article.id}.txt").read_text(
            encoding="utf-8")
        for g in c.gold:
            assert 0 <= g.start < g.end <= len(text)
            assert text[g.start:g.end].strip()
    counts = Counter(g.technique for c in corpus for g in c.gold)
    assert counts == {get(label).id: n for label, n in README_COUNTS.items()}


def test_real_splits(ptc_dir):
    train = read_split(ptc_dir / "splits.json", "train")
    validation = read_split(ptc_dir / "splits.json", "validation")
    assert (len(train), len(validation)) == (321, 50)
    assert not set(train) & set(validation)
    assert [c.article.id for c in read_corpus(ptc_dir / "train", validation)] == sorted(validation, key=int)


def test_utf8_bom_is_kept_because_ptc_offsets_count_it(tmp_path):
    root = make_corpus(tmp_path, texts={"1": "x"}, labels={"1": "1\tDoubt\t8\t12\n"})
    (root / "articles" / "article1.txt").write_bytes("\ufeffTitle\n\nBody text.".encode("utf-8"))
    (article,) = read_corpus(root)
    assert article.article.text == (root / "articles" / "article1.txt").read_text(encoding="utf-8")
    assert article.article.text[8:12] == "Body"
