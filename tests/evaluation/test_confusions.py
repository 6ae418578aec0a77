"""What each technique is mistaken for: counted as the TC scorer pairs annotations with answers, on data where
the answer is known, and stored in config.json beside everything else."""

import shutil
from collections import Counter
from dataclasses import replace
from pathlib import Path

import pytest

from propwatch.errors import ModelError
from propwatch.evaluation.confusions import confusion_counts, store_confusions, top_confusions
from propwatch.evaluation.run import ArticleOutput
from propwatch.inputs.corpus import GoldSpan
from propwatch.model.config import ModelConfig

SHIPPED = Path(__file__).parents[2] / "src" / "propwatch" / "models" / "minilm-v1"


def output(id, gold, answers):
    return ArticleOutput(id=id, text="", tokens=None, probs=None, gold=gold, tc_labels=answers, spans=[], si=[])


def test_a_wrong_answer_is_one_confusion_a_right_one_none():
    gold = [GoldSpan(0, 10, "doubt"), GoldSpan(20, 30, "doubt"), GoldSpan(40, 50, "name_calling")]
    answers = [(0, 10, "doubt"), (20, 30, "loaded_language"), (40, 50, "loaded_language")]
    support, mistaken = confusion_counts([output("a", gold, answers)])
    assert support == Counter({"doubt": 2, "name_calling": 1})
    assert mistaken == Counter({("doubt", "loaded_language"): 1, ("name_calling", "loaded_language"): 1})


def test_a_span_with_two_techniques_is_no_confusion_where_one_answer_matches_each():
    # annotated twice (loaded language and name calling); answers in the other order: both right
    gold = [GoldSpan(0, 10, "loaded_language"), GoldSpan(0, 10, "name_calling")]
    support, mistaken = confusion_counts([output("a", gold, [(0, 10, "name_calling"), (0, 10, "loaded_language")])])
    assert support == Counter({"loaded_language": 1, "name_calling": 1}) and not mistaken
    # one answer right, the other wrong: only the unmatched annotation is mistaken, for the answer left over
    support, mistaken = confusion_counts([output("a", gold, [(0, 10, "name_calling"), (0, 10, "doubt")])])
    assert mistaken == Counter({("loaded_language", "doubt"): 1})


def test_articles_without_annotations_count_nothing():
    assert confusion_counts([output("a", None, []), output("b", [], [])]) == (Counter(), Counter())


def test_the_top_two_most_first_with_their_share_of_the_technique():
    support = Counter({"doubt": 10, "slogans": 4})
    mistaken = Counter({("doubt", "loaded_language"): 3, ("doubt", "repetition"): 1, ("doubt", "appeal_to_fear"): 1,
                        ("doubt", "name_calling"): 2})
    top = top_confusions(support, mistaken)
    assert top["doubt"] == {"support": 10, "mistaken_for": [
        {"technique": "loaded_language", "spans": 3, "share": 0.3},
        {"technique": "name_calling", "spans": 2, "share": 0.2}]}
    assert top["slogans"] == {"support": 4, "mistaken_for": []}  # always named right
    assert "repetition" not in top  # no annotated spans: nothing to say
    # a tie goes to the technique first in the taxonomy (appeal to fear before repetition)
    assert top_confusions(support, mistaken, top=4)["doubt"]["mistaken_for"][2]["technique"] == "appeal_to_fear"


def test_stored_in_config_leaving_the_rest_as_it_was(tmp_path):
    shutil.copy(SHIPPED / "config.json", tmp_path / "config.json")
    before = ModelConfig.read(tmp_path)
    confusions = {"doubt": {"support": 10, "mistaken_for": [{"technique": "loaded_language", "spans": 3,
                                                             "share": 0.3}]}}
    store_confusions(tmp_path, confusions, {"folds": 5})
    after = ModelConfig.read(tmp_path)
    assert after.confusions == confusions and after.validation["confusions"] == {"folds": 5}
    assert after.reliability == before.reliability and after.strength_thresholds == before.strength_thresholds
    assert after.validation["reliability"] == before.validation["reliability"]


def test_a_folder_without_confusions_still_loads(tmp_path):
    shutil.copy(SHIPPED / "config.json", tmp_path / "config.json")
    config = ModelConfig.read(tmp_path)
    replace(config, confusions=None).write(tmp_path)
    assert "confusions" not in (tmp_path / "config.json").read_text().split('"validation"')[0]
    assert ModelConfig.read(tmp_path).confusions is None


def test_the_shipped_model_says_what_each_technique_is_mistaken_for():
    config = ModelConfig.read(SHIPPED)
    assert config.confusions is not None and set(config.confusions) == set(config.reliability)
    for technique, c in config.confusions.items():
        assert c["support"] > 0 and len(c["mistaken_for"]) <= 2
        assert all(m["technique"] != technique and 0 < m["share"] <= 1 for m in c["mistaken_for"])


def test_a_malformed_entry_is_refused(tmp_path):
    shutil.copy(SHIPPED / "config.json", tmp_path / "config.json")
    text = (tmp_path / "config.json").read_text()
    (tmp_path / "config.json").write_text(text.replace('"confusions": {\n    "appeal_to_authority": {\n      '
                                                       '"support": 15,', '"confusions": {\n    "appeal_to_authority": {'
                                                       '\n      "count": 15,', 1))
    with pytest.raises(ModelError):
        ModelConfig.read(tmp_path)
