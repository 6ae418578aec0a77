"""The model: a transformer encoder that tags every token with the techniques it belongs to, plus a small span
classifier head. Inference (``runtime``, ``decode``, ``windows``) needs only numpy, tokenizers and onnxruntime;
``training`` needs torch and is imported only by ``propwatch train``.
"""
