"""stance: how each sentence of a news article frames each actor it mentions.

The Rust library, in process (no subprocess, GIL released while scoring):

>>> import stance
>>> model = stance.Model.load()            # the built-in newsmtsc model
>>> rows = model.predict(["Critics accused Mayor Ines Kowalski of lying."])
>>> rows[0]["label"], rows[0]["probabilities"]["negative"]

``predict`` gives one dict per actor mention with the fields of
``stance predict --format jsonl``; ``predict_df`` does the same for a pandas
DataFrame; ``train`` and ``evaluate`` take the options of ``stance train``
and ``stance eval`` as keyword arguments. Errors raise ``StanceError`` with
the one-line message the command line prints.
"""

from __future__ import annotations

import json
import os
from typing import Any, Iterable, Optional, Sequence, Union

from ._stance import ActorGroups, StanceError, run_cli
from ._stance import Model as _Model

__all__ = ["Model", "ActorGroups", "StanceError", "train", "evaluate", "models"]

PathLike = Union[str, "os.PathLike[str]"]


class Model:
    """A loaded model bundle: ``Model.load(path=None)``."""

    __slots__ = ("_inner",)

    def __init__(self, inner: _Model):
        self._inner = inner

    @classmethod
    def load(cls, path: Optional[PathLike] = None) -> "Model":
        """Load a model: a bundle folder or an installed model's name
        (see ``stance models``); ``None`` for the default, ``$STANCE_MODEL``
        or else the built-in newsmtsc."""
        return cls(_Model.load(None if path is None else os.fspath(path)))

    @property
    def labels(self) -> list:
        """The labels, in the order of the probabilities."""
        return self._inner.labels

    @property
    def path(self) -> str:
        """Where the model came from (a folder, or "newsmtsc (built in)")."""
        return self._inner.path

    def predict(
        self,
        texts: Sequence[str],
        actors: Union[None, PathLike, Sequence[str]] = None,
        threads: Optional[int] = None,
        docs: Optional[Sequence[str]] = None,
        only_listed: bool = False,
        groups: Optional[ActorGroups] = None,
    ) -> list:
        """Score articles: one dict per actor mention, with the fields of
        ``stance predict --format jsonl``'s mention rows (type, doc,
        sentence_index, sentence, actor, actor_kind, mention, mention_kind,
        start, end, label, probabilities, score), probabilities and score
        rounded to 6 decimals as there. ``actors``: a CSV of
        ``actor,alias[,kind]`` (as ``--actors``) or a list of names, found
        on top of the actors found automatically (a listed alias wins where
        it overlaps one); with ``only_listed=True`` only these (as
        ``--only-listed``). ``threads``: worker threads (default: all
        cores). ``docs``: the rows' ``doc`` (default: the text's index).
        ``groups``: actors grouped across a larger corpus (see
        :meth:`find_actors`); by default, across ``texts``."""
        if isinstance(texts, str):
            raise TypeError("predict takes a list of texts, not one string: predict([text])")
        if actors is not None and isinstance(actors, os.PathLike):
            actors = os.fspath(actors)
        return self._inner.predict(list(texts), actors, threads, None if docs is None else [str(d) for d in docs], only_listed, groups)

    def find_actors(
        self,
        texts: Sequence[str],
        actors: Union[None, PathLike, Sequence[str]] = None,
        threads: Optional[int] = None,
        only_listed: bool = False,
    ) -> list:
        """Each text's actors before they are grouped across texts: a list
        per text of ``(name, kind, fixed)`` tuples (``fixed``: named whole,
        never grouped with part of its name). ``predict`` groups actors
        across the texts of one call; for a corpus scored in parts
        (batches, Spark partitions), collect every part's actors in corpus
        order, build ``ActorGroups(names)`` once, and pass it to each
        part's ``predict`` as ``groups``: the rows are then those of one
        ``predict`` over the whole corpus (``examples/spark``). Call both
        with the same model and the same ``actors`` and ``only_listed``:
        a name the groups do not know keeps its article's spelling, and
        its id is not checked against theirs."""
        if isinstance(texts, str):
            raise TypeError("find_actors takes a list of texts, not one string: find_actors([text])")
        if actors is not None and isinstance(actors, os.PathLike):
            actors = os.fspath(actors)
        return self._inner.find_actors(list(texts), actors, threads, only_listed)

    def score(self, text: str, spans: Sequence[tuple]) -> dict:
        """How ``text`` frames one target: ``spans`` are its mentions'
        ``(start, end)`` code-point offsets (end exclusive), the main one
        first. Returns ``{label: probability}``, unrounded."""
        return self._inner.score(text, [tuple(s) for s in spans])

    def __repr__(self) -> str:
        return f"stance.Model({self.path!r})"

    def predict_df(
        self,
        df: Any,
        text: str = "text",
        id: Optional[str] = "id",
        keep: Sequence[str] = (),
        actors: Union[None, PathLike, Sequence[str]] = None,
        threads: Optional[int] = None,
        only_listed: bool = False,
        groups: Optional[ActorGroups] = None,
    ) -> Any:
        """Score the articles in column ``text`` of a pandas DataFrame
        (``actors``, ``only_listed`` and ``groups`` as in :meth:`predict`).

        Returns a DataFrame with one row per actor mention and the columns of
        ``stance predict --input csv --format csv --keep ...``: ``doc`` (the
        ``id`` column's value, else the row's index label) after ``model``,
        then sentence_index, sentence, actor, actor_id, actor_kind, mention,
        mention_kind, start, end, label, one ``p_<label>`` per label, score,
        and the ``keep`` columns of the article's row.
        """
        try:
            import pandas as pd
        except ImportError as e:  # pandas is optional
            raise ImportError("Model.predict_df needs pandas: pip install pandas") from e
        for c in [text, *keep]:
            if c not in df.columns:
                raise StanceError(f"predict_df: no column {c!r} (columns: {', '.join(map(str, df.columns))})")
        missing = df[text].isna()
        if missing.any():
            raise StanceError(f"predict_df: row {df.index[missing].tolist()[0]!r}: no text (a missing value in column {text!r})")
        texts = df[text].astype(str).tolist()
        if actors is not None and isinstance(actors, os.PathLike):
            actors = os.fspath(actors)
        # Columns, not a dict per row; rows are matched to articles by
        # position (`article`), whatever the ids.
        columns = self._inner.predict_columns(texts, actors, threads, only_listed, groups)
        at = columns.pop("article")
        ids = df[id].tolist() if id is not None and id in df.columns else list(df.index)
        # The CLI's CSV columns, in its order: model, doc, then the rest.
        data = {"model": columns.pop("model"), "doc": [ids[i] for i in at], **columns}
        for c in keep:
            values = df[c].tolist()
            data[c] = [values[i] for i in at]
        if not at:  # no rows: columns of dtype object, not pandas' guess from empty lists
            return pd.DataFrame.from_records([], columns=list(data))
        return pd.DataFrame(data, columns=list(data))


def _args(options: dict) -> list:
    """Keyword options as command-line arguments: ``max_iter=5`` is
    ``--max-iter 5``, ``True`` a bare flag, a list one flag per item."""
    out = []
    for key, value in options.items():
        if value is None or value is False:
            continue
        flag = "--" + key.replace("_", "-")
        if value is True:
            out.append(flag)
        elif isinstance(value, (list, tuple)) and key != "encoder_layers":
            for v in value:
                out.append(f"{flag}={_text(v)}")
        else:
            out.append(f"{flag}={_text(value)}")
    return out


def _text(v: Any) -> str:
    if isinstance(v, tuple):  # encoder_layers=(6, 12)
        return "-".join(str(x) for x in v)
    return os.fspath(v) if isinstance(v, os.PathLike) else str(v)


def _paths(v: Union[PathLike, Iterable[PathLike], None]) -> Optional[list]:
    if v is None:
        return None
    if isinstance(v, (str, os.PathLike)):
        return [v]
    return list(v)


def train(
    format: str,
    train: Union[PathLike, Iterable[PathLike]],
    out: PathLike,
    dev: Union[PathLike, Iterable[PathLike], None] = None,
    seed: Optional[int] = None,
    l2: Union[float, Sequence[float], None] = None,
    class_weight: Optional[str] = None,
    solver: Optional[str] = None,
    max_iter: Optional[int] = None,
    tol: Optional[float] = None,
    min_count: Optional[int] = None,
    refit: bool = False,
    cv: Optional[int] = None,
    predictions: Optional[PathLike] = None,
    no_feature: Sequence[str] = (),
    no_mask: bool = False,
    mark_others: bool = False,
    no_idf: bool = False,
    conjoin_target: Optional[str] = None,
    context_window: Optional[int] = None,
    word_ngrams: Optional[int] = None,
    encoder: Optional[str] = None,
    encoder_layers: Optional[tuple] = None,
    encoder_scale: Union[float, Sequence[float], None] = None,
    max_line_bytes: Optional[int] = None,
    lossy: bool = False,
    delimiter: Optional[str] = None,
) -> dict:
    """Train a model bundle into ``out``: ``stance train`` with these options
    (``None`` keeps the command's default). Returns ``{"model": out,
    "summary": <what stance train prints>, "training": <bundle.json's
    training record>}``."""
    options = dict(locals())
    options["train"] = _paths(train)
    options["dev"] = _paths(dev)
    options["no_feature"] = list(no_feature)
    for k in ("l2", "encoder_scale"):
        if isinstance(options[k], (int, float)):
            options[k] = [options[k]]
    summary = run_cli(["train", *_args(options), "--quiet"])
    with open(os.path.join(os.fspath(out), "bundle.json"), encoding="utf-8") as f:
        training = json.load(f)["training"]
    return {"model": os.fspath(out), "summary": summary, "training": training}


def evaluate(
    format: str,
    data: Union[PathLike, Iterable[PathLike]],
    model: Optional[PathLike] = None,
    bootstrap: Optional[int] = None,
    seed: Optional[int] = None,
    compare: Optional[PathLike] = None,
    predictions: Optional[PathLike] = None,
    max_line_bytes: Optional[int] = None,
    lossy: bool = False,
    delimiter: Optional[str] = None,
) -> dict:
    """Measure a model on labelled data: ``stance eval --json`` with these
    options; returns its JSON object as a dict. ``model`` is a bundle
    folder or an installed model's name (default: ``$STANCE_MODEL``, else
    the built-in newsmtsc)."""
    options = dict(locals())
    options["data"] = _paths(data)
    if model is None:
        options["model"] = os.environ.get("STANCE_MODEL") or "newsmtsc"
    return json.loads(run_cli(["eval", *_args(options), "--json"]))


def models() -> str:
    """What ``stance models`` prints: where models are looked for, what is
    found there, and which is the default."""
    return run_cli(["models"])
