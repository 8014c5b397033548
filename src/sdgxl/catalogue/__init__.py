"""The indicator catalogue: models, loading, checking, extraction and Excel round trip."""

from sdgxl.catalogue.load import bundled, catalogue_hash, check_catalogue, load_catalogue
from sdgxl.catalogue.models import (
    ROADMAP_YEARS,
    Agency,
    Catalogue,
    Component,
    Goal,
    Indicator,
    RoadmapValue,
    Succession,
    Target,
    UnitKind,
)
from sdgxl.catalogue.roadmap import parse_roadmap

__all__ = [
    "ROADMAP_YEARS",
    "Agency",
    "Catalogue",
    "Component",
    "Goal",
    "Indicator",
    "RoadmapValue",
    "Succession",
    "Target",
    "UnitKind",
    "bundled",
    "catalogue_hash",
    "check_catalogue",
    "load_catalogue",
    "parse_roadmap",
]
