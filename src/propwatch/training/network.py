"""The trainable network: a pretrained encoder, a token head and a span head.

The token head has one sigmoid channel per technique plus one "any technique" channel: spans of different
techniques overlap freely in PTC (a loaded word inside a sentence of doubt), so each technique is tagged on its
own channel rather than with one exclusive tag set. A last channel marks every token of a sentence that holds
propaganda: sentence-level supervision (a multi-task signal the best SemEval systems used) that gives the
sentence scores a target of their own instead of borrowing the token peaks. The span head classifies a given
span (the TC task) from pooled token states and two document cues (see ``propwatch.model.spans``).

Optionally a bidirectional LSTM sits between the encoder and a tagger's linear head (``--head-lstm N``): where a
span ends depends on the words after it, which a per-token head sees only through attention. It is part of the
exported ONNX graph, so the runtime needs nothing new. The technique model's span head and the roles model keep
reading the encoder's states; only the token channels read the LSTM.
"""

from __future__ import annotations

from typing import Any

import torch
from torch import nn

from ..model.spans import N_EXTRA_FEATURES
from ..techniques import TECHNIQUE_IDS

N_TECHNIQUES = len(TECHNIQUE_IDS)
ANY_CHANNEL = N_TECHNIQUES  # "any technique": the propaganda spans are decoded from it
SENTENCE_CHANNEL = N_TECHNIQUES + 1  # "this token's sentence holds propaganda": the sentence scores
N_CHANNELS = N_TECHNIQUES + 2


def encoder_config(encoder: nn.Module) -> Any:
    """The encoder's transformers config (``nn.Module`` types its attributes as tensors or modules)."""
    return encoder.config


def sequence_lstm(hidden_size: int, units: int) -> nn.LSTM | None:
    """The optional bidirectional LSTM of a tagger's head (``units`` per direction; 0: none)."""
    return nn.LSTM(hidden_size, units, batch_first=True, bidirectional=True) if units else None


def run_lstm(lstm: nn.LSTM | None, hidden: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
    """``hidden`` read by ``lstm`` (unchanged without one). Padding enters as zeros. The backward pass starts in
    it, so a window padded in a batch reads a little differently than alone (training pads the same way); windows
    are full but for an article's last."""
    if lstm is None:
        return hidden
    x = hidden * attention_mask.unsqueeze(-1).to(hidden.dtype)
    # The LSTM runs in fp32 even under bf16 autocast: on CPUs without AVX-512 BF16, oneDNN's bf16 LSTM takes a
    # reference path an order of magnitude slower than fp32, which turned one cross-validation fold into a job of
    # many hours on two cores, and an LSTM of 192 units a direction costs little in fp32 anywhere.
    # (propwatch-minilm 1.1.0 was trained with it in bf16; its export runs it in fp32 either way.)
    with torch.autocast("cpu", enabled=False):
        return lstm(x.float())[0]


def lstm_units(state: dict[str, Any]) -> int:
    """Units per direction of a tagger state's LSTM (0: none): what an export rebuilds the tagger with."""
    weight = state.get("lstm.weight_hh_l0")
    return int(weight.shape[1]) if weight is not None else 0


class TechniqueTagger(nn.Module):
    def __init__(self, encoder: nn.Module, span_hidden: int = 256, dropout: float = 0.1, lstm: int = 0):
        super().__init__()
        self.encoder = encoder
        hidden = encoder_config(encoder).hidden_size
        self.dropout = nn.Dropout(dropout)
        self.lstm = sequence_lstm(hidden, lstm)
        self.token_head = nn.Linear(2 * lstm if lstm else hidden, N_CHANNELS)
        self.span_head = nn.Sequential(
            nn.Linear(3 * hidden + N_EXTRA_FEATURES, span_hidden),
            nn.GELU(approximate="tanh"),
            nn.Dropout(dropout),
            nn.Linear(span_hidden, N_TECHNIQUES),
        )

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor):
        hidden = self.encoder(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state
        return self.token_logits(hidden, attention_mask), hidden

    def token_logits(self, hidden: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
        return self.token_head(self.dropout(run_lstm(self.lstm, hidden, attention_mask)))

    def head_parameters(self) -> list[nn.Parameter]:
        """What learns at the head's learning rate: the heads and the LSTM, all trained from scratch."""
        lstm = self.lstm.parameters() if self.lstm is not None else ()
        return [*self.token_head.parameters(), *self.span_head.parameters(), *lstm]

    def span_logits(self, hidden, batch_index, first, last, extra):
        """Logits for spans given as window positions ``first..last`` (inclusive) in row ``batch_index``."""
        hidden = hidden.float()
        cum = torch.cumsum(hidden, dim=1)
        cum = torch.cat([torch.zeros_like(cum[:, :1]), cum], dim=1)
        length = (last - first + 1).unsqueeze(1).float()
        mean = (cum[batch_index, last + 1] - cum[batch_index, first]) / length
        feats = torch.cat([mean, hidden[batch_index, first], hidden[batch_index, last], extra], dim=1)
        return self.span_head(feats)


class ExportWrapper(nn.Module):
    """What goes into the ONNX file: token logits and token states; the span head runs in numpy."""

    def __init__(self, tagger: TechniqueTagger):
        super().__init__()
        self.tagger = tagger

    def forward(self, input_ids, attention_mask):
        hidden = self.tagger.encoder(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state
        return self.tagger.token_logits(hidden, attention_mask), hidden
