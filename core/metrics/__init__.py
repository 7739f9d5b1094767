from core.metrics.registry import (
    Metric,
    Period,
    evaluate,
    metric,
    metrics,
    register,
    register_source,
    sources,
)

__all__ = [
    "Metric",
    "Period",
    "evaluate",
    "metric",
    "metrics",
    "register",
    "register_source",
    "sources",
]
