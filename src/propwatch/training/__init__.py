"""The offline wing's making half: training a model (``train``, with ``data``, ``network``, ``distill``,
``checkpoints`` and ``bases``; needs the ``[train]`` extra: torch and transformers), exporting it to a model
folder (``export``), building an ensemble folder from exported models (``ensemble``, which needs no torch),
putting a model into the package's shipped models in pieces under the file-size cap (``ship``, needs onnx);
and the actor role model's heads on a frozen technique encoder (``roles``: scikit-learn and spaCy, no torch).

It imports the product (``model``, ``inputs``) and calls ``evaluation`` to measure and tune what it makes; the
arrow points one way only: ``evaluation`` never imports this package. Nothing here is imported by the product.
"""
