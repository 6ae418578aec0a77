from propwatch.model.strength import strength_of


def test_levels_follow_the_thresholds():
    thresholds = (0.5, 0.25)
    assert strength_of(0.5, thresholds) == "strong"
    assert strength_of(0.49, thresholds) == "moderate"
    assert strength_of(0.25, thresholds) == "moderate"
    assert strength_of(0.24, thresholds) == "weak"


def test_a_model_without_thresholds_gives_no_strength():
    assert strength_of(0.9, None) is None
