"""Type hints of the stance package (docstrings in __init__.py)."""

import os
from typing import Any, Iterable, Optional, Sequence, TypedDict, Union

PathLike = Union[str, os.PathLike[str]]

class StanceError(Exception): ...

class ActorGroups:
    """Actors grouped across a corpus, from its names in corpus order."""
    def __init__(self, names: Sequence[tuple[str, str, bool]]) -> None: ...
    def resolve(self, name: str, kind: str, fixed: bool) -> Optional[tuple[str, str, str]]: ...
    def __len__(self) -> int: ...

class Mention(TypedDict):
    """One row of ``stance predict --format jsonl`` (type "mention")."""
    type: str
    doc: str
    sentence_index: int
    sentence: str
    actor: str
    actor_kind: str
    mention: str
    mention_kind: str
    start: int
    end: int
    label: str
    probabilities: dict[str, float]
    score: Optional[float]

class Model:
    @classmethod
    def load(cls, path: Optional[PathLike] = None) -> Model: ...
    @property
    def labels(self) -> list[str]: ...
    @property
    def path(self) -> str: ...
    def predict(
        self,
        texts: Sequence[str],
        actors: Union[None, PathLike, Sequence[str]] = None,
        threads: Optional[int] = None,
        docs: Optional[Sequence[str]] = None,
        only_listed: bool = False,
        groups: Optional[ActorGroups] = None,
    ) -> list[Mention]: ...
    def find_actors(
        self,
        texts: Sequence[str],
        actors: Union[None, PathLike, Sequence[str]] = None,
        threads: Optional[int] = None,
        only_listed: bool = False,
    ) -> list[list[tuple[str, str, bool]]]: ...
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
    ) -> Any: ...
    def score(self, text: str, spans: Sequence[tuple[int, int]]) -> dict[str, float]: ...

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
    encoder_layers: Optional[tuple[int, int]] = None,
    encoder_scale: Union[float, Sequence[float], None] = None,
    max_line_bytes: Optional[int] = None,
    lossy: bool = False,
    delimiter: Optional[str] = None,
) -> dict[str, Any]: ...
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
) -> dict[str, Any]: ...
def models() -> str: ...
