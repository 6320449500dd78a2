"""Type hints of the Rust extension; use the wrappers in ``stance``."""

from typing import Optional, Sequence, Union

class StanceError(Exception):
    """An error of stance, with the one-line message the command line prints."""

class Model:
    @staticmethod
    def load(path: Optional[str] = None) -> Model: ...
    @property
    def labels(self) -> list[str]: ...
    @property
    def path(self) -> str: ...
    def predict(
        self,
        texts: Sequence[str],
        actors: Union[None, str, Sequence[str]] = None,
        threads: Optional[int] = None,
        docs: Optional[Sequence[str]] = None,
        only_listed: bool = False,
        groups: Optional[ActorGroups] = None,
    ) -> list[dict]: ...
    def predict_columns(
        self,
        texts: Sequence[str],
        actors: Union[None, str, Sequence[str]] = None,
        threads: Optional[int] = None,
        only_listed: bool = False,
        groups: Optional[ActorGroups] = None,
    ) -> dict[str, list]: ...
    def find_actors(
        self,
        texts: Sequence[str],
        actors: Union[None, str, Sequence[str]] = None,
        threads: Optional[int] = None,
        only_listed: bool = False,
    ) -> list[list[tuple[str, str, bool]]]: ...
    def score(self, text: str, spans: Sequence[tuple[int, int]]) -> dict[str, float]: ...

class ActorGroups:
    def __init__(self, names: Sequence[tuple[str, str, bool]]) -> None: ...
    def resolve(self, name: str, kind: str, fixed: bool) -> Optional[tuple[str, str, str]]: ...
    def __len__(self) -> int: ...

def run_cli(args: Sequence[str]) -> str: ...
