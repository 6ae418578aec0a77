from propwatch.model.strength import strength_of


def test_levels_follow_the_thresholds():
    thresholds = (0.5, 0.25)
    assert strength_of(0.5, thresholds) == "strong"
    assert strength_of(0.49, thresholds) == "moderate"
    assert strength_of(0.25, thresholds) == "moderate"
    assert strength_of(0.24, thresholds) == "weak"


def test_a_model_without_thresholds_gives_no_strength():
    assert strength_of(0.9, None) is None


def test_a_level_no_score_reached_is_given_to_no_span():
    """``choose_thresholds`` gives 1 for a level no score reached; spans scored 1 were then right less often
    than the level asks (fast's strong level: BENCHMARKS.md), so none is called strong."""
    assert strength_of(1.0, (1.0, 0.4)) == "moderate"
    assert strength_of(1.0, (1.0, 1.0)) == "weak"
    assert strength_of(0.99, (0.99, 0.4)) == "strong"
