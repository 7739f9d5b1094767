"""The demo district's loaders, run in order by `load_demo`.

Each app registers the function that loads its demo records from its `AppConfig.ready()`, so core
imports none of them. A loader returns a line to print when it loaded something and an empty
string when its records were already there.
"""

from collections.abc import Callable
from dataclasses import dataclass

__all__ = ["DemoLoader", "register_loader", "loaders"]


@dataclass(frozen=True)
class DemoLoader:
    key: str
    load: Callable[[], str]
    order: int


_LOADERS: dict[str, DemoLoader] = {}


def register_loader(key: str, load: Callable[[], str], order: int = 100) -> None:
    _LOADERS[key] = DemoLoader(key, load, order)


def loaders() -> list[DemoLoader]:
    return sorted(_LOADERS.values(), key=lambda loader: (loader.order, loader.key))
