"""The technique analysis: propaganda technique spans, sentence scores and the article score."""

from .detector import TechniqueDetector

__all__ = ["TechniqueDetector"]
