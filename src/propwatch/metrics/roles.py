"""Entity framing (who is cast as what), as scored in SemEval-2025 Task 10 subtask 1.

Rows are keyed by ``(article, start, end)`` of one annotated mention. For each gold mention: the main role is
right when equal; the fine roles are an exact match when the main role is right and the set of fine roles is
equal (the official scorer compares lists; order carries no meaning in the annotation, so sets are compared
here, as in ``shared/tools/framing_score.py``). A gold mention missing from the predictions is wrong.
Fine-role micro precision, recall and F1 count fine roles over the gold mentions (a predicted fine role is
correct when the gold mention has it); predictions at mentions that are not gold are not scored, since the task
hands the system the mentions.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from pathlib import Path

RoleKey = tuple[str, int, int]
RoleLabel = tuple[str | None, frozenset[str]]


@dataclass(frozen=True)
class RoleScores:
    mentions: int
    found: int
    exact_match_ratio: float
    main_role_accuracy: float
    fine_precision: float
    fine_recall: float
    fine_f1: float

    def to_dict(self) -> dict[str, float | int]:
        return asdict(self)


def parse_role_rows(lines: Iterable[str]) -> dict[RoleKey, RoleLabel]:
    """Rows ``ARTICLE  ENTITY  START  END  MAIN_ROLE  FINE_ROLE...`` (tab-separated; labels stripped of stray
    whitespace). A later row with the same key replaces an earlier one."""
    rows: dict[RoleKey, RoleLabel] = {}
    for line in lines:
        parts = [p.strip() for p in line.rstrip("\r\n").split("\t")]
        if len(parts) < 5 or not parts[2].lstrip("-").isdigit():
            continue
        main = parts[4] or None
        rows[(parts[0], int(parts[2]), int(parts[3]))] = (main, frozenset(p for p in parts[5:] if p))
    return rows


def read_role_rows(path: str | Path) -> dict[RoleKey, RoleLabel]:
    return parse_role_rows(Path(path).read_text(encoding="utf-8").splitlines())


def format_role_row(article: str, entity: str, start: int, end: int, main: str | None, fine: Iterable[str]) -> str:
    return "\t".join([article, entity, str(start), str(end), main or "", *fine])


def score_roles(gold: Mapping[RoleKey, RoleLabel], pred: Mapping[RoleKey, RoleLabel]) -> RoleScores:
    exact = main = tp = n_pred = n_gold = found = 0
    for key, (gold_main, gold_fine) in gold.items():
        pred_main, pred_fine = pred.get(key, (None, frozenset()))
        found += key in pred
        pred_fine = frozenset(pred_fine)
        main += pred_main == gold_main
        exact += pred_main == gold_main and pred_fine == gold_fine
        tp += len(pred_fine & gold_fine)
        n_pred += len(pred_fine)
        n_gold += len(gold_fine)
    n = len(gold)
    precision = tp / n_pred if n_pred else 0.0
    recall = tp / n_gold if n_gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return RoleScores(
        mentions=n,
        found=found,
        exact_match_ratio=exact / n if n else 0.0,
        main_role_accuracy=main / n if n else 0.0,
        fine_precision=precision,
        fine_recall=recall,
        fine_f1=f1,
    )
